"""Tests for interest scoring (ontology v1.1, "Interest and credibility") on constructed claims."""

from __future__ import annotations

import pytest

from fogofwar.assess import interest_of, score_interest
from fogofwar.models import Actor, Claim, Span
from fogofwar.profile import load_profile

SENTENCE = "Russian Defense Ministry units have withdrawn to 570 meters north of Bakhmut."

SOURCES = {
    "maliar": Actor("Hanna Maliar", side="UA", faction="ua_mod", kind="person"),
    "zsu": Actor("Ukrainian Armed Forces", side="UA", faction="ua_military", kind="military"),
    "ru_mod": Actor("Russian Defense Ministry", side="RU", faction="ru_mod", kind="government"),
    "prigozhin": Actor("Yevgeny Prigozhin", side="RU", faction="wagner", kind="person"),
    "isw": Actor("Institute for the Study of War", side="THIRD", faction="think_tank",
                 kind="analyst"),
    "un": Actor("United Nations", side="THIRD", faction="international", kind="government"),
    "witness": Actor("a resident", side="UNKNOWN", kind="witness"),
    "narration": Actor(None, side="UNKNOWN", kind="narration"),
    "saf": Actor("Sudanese army", side="SAF", faction="saf", kind="military"),
    "rsf": Actor("Rapid Support Forces", side="RSF", faction="rsf", kind="armed_group"),
}  # fmt: skip


def make_claim(source: str, event: str, actor_side: str, polarity: str = "asserted") -> Claim:
    span = Span(0, len(SENTENCE), SENTENCE)
    return Claim(
        source=SOURCES[source],
        event=event,
        actor_side=actor_side,
        evidence=span,
        trigger=Span(33, 41, SENTENCE[33:41]),
        polarity=polarity,  # type: ignore[arg-type]
    )


# (source, event, actor side, polarity, expected interest)
RU_UA = [
    # own gains are self-serving
    ("maliar", "ADVANCE", "UA", "asserted", "self_serving"),
    ("maliar", "CAPTURE", "UA", "asserted", "self_serving"),
    ("zsu", "REPEL", "UA", "asserted", "self_serving"),
    ("zsu", "INTERCEPT", "UA", "asserted", "self_serving"),
    ("ru_mod", "ADVANCE", "RU", "asserted", "self_serving"),
    ("ru_mod", "CAPTURE", "RU", "asserted", "self_serving"),
    # the enemy's withdrawal or losses are self-serving
    ("maliar", "WITHDRAW", "RU", "asserted", "self_serving"),
    ("zsu", "CASUALTIES", "RU", "asserted", "self_serving"),
    ("ru_mod", "CASUALTIES", "UA", "asserted", "self_serving"),
    ("ru_mod", "ENCIRCLEMENT", "UA", "asserted", "self_serving"),
    # own withdrawal, losses, a place lost: against interest
    ("maliar", "WITHDRAW", "UA", "asserted", "against_interest"),
    ("zsu", "CASUALTIES", "UA", "asserted", "against_interest"),
    ("zsu", "ENCIRCLEMENT", "UA", "asserted", "against_interest"),
    ("ru_mod", "WITHDRAW", "RU", "asserted", "against_interest"),
    ("maliar", "CAPTURE", "RU", "asserted", "against_interest"),
    ("ru_mod", "ADVANCE", "UA", "asserted", "against_interest"),
    # a denial flips the direction
    ("ru_mod", "WITHDRAW", "RU", "denied", "self_serving"),
    ("maliar", "ADVANCE", "RU", "denied", "self_serving"),
    ("maliar", "CAPTURE", "RU", "denied", "self_serving"),
    ("maliar", "ADVANCE", "UA", "denied", "against_interest"),
    ("ru_mod", "CASUALTIES", "RU", "denied", "self_serving"),
    ("zsu", "WITHDRAW", "RU", "denied", "against_interest"),
    # THIRD sources, unknown sources and narration are neutral
    ("isw", "ADVANCE", "UA", "asserted", "neutral"),
    ("isw", "WITHDRAW", "RU", "asserted", "neutral"),
    ("isw", "CAPTURE", "RU", "denied", "neutral"),
    ("un", "CASUALTIES", "CIVILIAN", "asserted", "neutral"),
    ("witness", "WITHDRAW", "UA", "asserted", "neutral"),
    ("narration", "CAPTURE", "RU", "asserted", "neutral"),
    # civilian casualties favour neither side, whoever reports them
    ("maliar", "CASUALTIES", "CIVILIAN", "asserted", "neutral"),
    ("ru_mod", "CASUALTIES", "CIVILIAN", "asserted", "neutral"),
    # an unknown acting side favours neither side
    ("maliar", "ADVANCE", "UNKNOWN", "asserted", "neutral"),
]


@pytest.mark.parametrize(("source", "event", "actor_side", "polarity", "interest"), RU_UA)
def test_interest_russia_ukraine(source, event, actor_side, polarity, interest):
    profile = load_profile("russia-ukraine")
    assert interest_of(make_claim(source, event, actor_side, polarity), profile) == interest


SUDAN = [
    ("saf", "CAPTURE", "SAF", "asserted", "self_serving"),
    ("saf", "WITHDRAW", "RSF", "asserted", "self_serving"),
    ("saf", "WITHDRAW", "SAF", "asserted", "against_interest"),
    ("rsf", "CAPTURE", "SAF", "denied", "self_serving"),
    ("rsf", "CASUALTIES", "RSF", "asserted", "against_interest"),
    ("un", "CASUALTIES", "CIVILIAN", "asserted", "neutral"),
]


@pytest.mark.parametrize(("source", "event", "actor_side", "polarity", "interest"), SUDAN)
def test_interest_sudan(source, event, actor_side, polarity, interest):
    profile = load_profile("sudan")
    assert interest_of(make_claim(source, event, actor_side, polarity), profile) == interest


def test_wagner_blaming_the_ministry_is_against_interest_and_keeps_faction():
    """Prigozhin (Wagner, RU) says Russian Defense Ministry units withdrew: an admission
    against the Russian side's interest; the faction stays visible."""
    claim = make_claim("prigozhin", "WITHDRAW", "RU")
    claim.actor = "Russian Defense Ministry units"
    [scored] = score_interest([claim], load_profile("russia-ukraine"))
    assert scored.interest == "against_interest"
    data = scored.to_dict()
    assert data["source"] == "Yevgeny Prigozhin"
    assert data["source_side"] == "RU"
    assert data["source_faction"] == "wagner"
    assert data["actor"] == "Russian Defense Ministry units"
    assert data["interest"] == "against_interest"


def test_score_interest_sets_every_claim_in_place():
    profile = load_profile("russia-ukraine")
    claims = [
        make_claim("maliar", "ADVANCE", "UA"),
        make_claim("maliar", "WITHDRAW", "UA"),
        make_claim("isw", "ADVANCE", "UA"),
    ]
    out = score_interest(claims, profile)
    assert out is claims
    assert [c.interest for c in claims] == ["self_serving", "against_interest", "neutral"]


def test_interest_is_relative_to_the_profile_sides():
    """A side code unknown to the profile is not a belligerent there: neutral."""
    claim = make_claim("saf", "CAPTURE", "SAF")
    assert interest_of(claim, load_profile("russia-ukraine")) == "neutral"
    assert interest_of(claim, load_profile("sudan")) == "self_serving"
