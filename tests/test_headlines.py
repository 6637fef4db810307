"""Claims read from one-line headlines in the style of official bulletins and wire summaries
(the texts UCDP coders cite): the sides these name and the casualty wording they use.

The sentences are written for these tests, in the register of such headlines.
"""

from __future__ import annotations

import pytest

import fogofwar


def casualty_claims(text: str) -> list[tuple[str, float | None]]:
    analysis = fogofwar.analyze(text, published="2023-01-10")
    return [
        (c.actor_side, c.magnitude.value if c.magnitude else None)
        for c in analysis.claims
        if c.event == "CASUALTIES"
    ]


@pytest.mark.parametrize(
    "text, side, count",
    [
        ("Twelve LPR servicemen died in fighting near Svatove, the militia said.", "RU", 12),
        ("Two border guards died after a drone strike on their post in Sumy region.", None, 2),
        ("An elderly woman died during the shelling of Kherson.", "CIVILIAN", None),
        ("Paratroopers eliminated more than 40 invaders near Kupiansk.", "RU", 40),
        ("Gunners destroyed up to 25 occupiers on the southern front.", "RU", 25),
    ],
)
def test_dying_and_eliminated_enemies_are_casualties(text, side, count):
    found = casualty_claims(text)
    if side is None:  # no side named: the dead are not given to either belligerent
        assert not [s for s, _ in found if s in {"UA", "RU"}]
        return
    assert (side, count) in found


@pytest.mark.parametrize(
    "text",
    [
        "Officials said the reform bill would die in committee.",
        "The Russian general died with two other people when his plane crashed near Tver.",
        "Hope dies last, the mayor told reporters in Odesa.",
        "The former commander died of a heart attack at his home in Moscow, TASS reported.",
    ],
)
def test_die_with_a_non_person_subject_is_no_casualty(text):
    assert casualty_claims(text) == []


def test_loaded_word_names_the_russian_side_without_a_speaker():
    analysis = fogofwar.analyze(
        "The occupiers shelled Nikopol overnight, wounding three people.", published="2023-01-10"
    )
    shelling = [c for c in analysis.claims if c.event == "SHELLING"]
    assert shelling and shelling[0].actor_side == "RU"


@pytest.mark.parametrize(
    "text, event, side",
    [
        ("Ukrainian forces forced Russian troops to withdraw from Kherson.", "WITHDRAW", "RU"),
        ("Shelling compelled Ukrainian units to pull back from Marinka.", "WITHDRAW", "UA"),
    ],
)
def test_the_object_of_forced_is_who_withdraws(text, event, side):
    analysis = fogofwar.analyze(text, published="2023-01-10")
    assert (event, side) in [(c.event, c.actor_side) for c in analysis.claims]
