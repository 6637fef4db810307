"""The actors stage on its own: noun phrases → people and organisations with sides, titles,
pronouns and descriptions resolved against the discourse."""

from __future__ import annotations

import pytest

from fogofwar.actors import ActorResolver, Discourse
from fogofwar.models import Actor
from fogofwar.nlp import get_nlp
from fogofwar.profile import load_profile


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver(load_profile("russia-ukraine"))


def head_of(doc, word: str):
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(
    ("sentence", "head", "name", "side", "faction"),
    [
        ("Wagner boss Yevgeny Prigozhin said it.", "Prigozhin", "Yevgeny Prigozhin", "RU", "wagner"),
        ("The head of the Wagner Group said it.", "head", "Yevgeny Prigozhin", "RU", "wagner"),
        ("Russia's defence ministry said it.", "ministry", "Russian Defense Ministry", "RU", "ru_mod"),
        ("The region's governor, Oleksander Prokudin, said it.", "governor", "Oleksandr Prokudin", "UA", "ua_government"),
        ("Ukrainian Colonel Petro Ivanenko said it.", "Ivanenko", "Petro Ivanenko", "UA", "ua_military"),
        ("Analysts from the tracking site DeepState said it.", "Analysts", "DeepState", "UA", "osint"),
    ],
)  # fmt: skip
def test_names_titles_and_roles(resolver, sentence, head, name, side, faction):
    doc = get_nlp()(sentence)
    actor = resolver.resolve(head_of(doc, head), Discourse())
    assert (actor.name, actor.side, actor.faction) == (name, side, faction)


def test_an_unknown_person_without_a_side_says_why(resolver):
    doc = get_nlp()("John Smith said it.")
    actor = resolver.resolve(head_of(doc, "Smith"), Discourse())
    assert actor.name == "John Smith"
    assert actor.side == "UNKNOWN"
    assert actor.reason


def test_pronoun_prefers_the_last_speaker_over_a_mere_mention(resolver):
    doc = get_nlp()("Prigozhin said, addressing Sergei Shoigu. He said more.")
    discourse = Discourse()
    prigozhin = Actor("Yevgeny Prigozhin", "RU", "wagner", "person")
    shoigu = Actor("Sergei Shoigu", "RU", "ru_mod", "person")
    discourse.remember(prigozhin, 9, speaker=True)
    discourse.remember(shoigu, 25, speaker=False)
    he = next(t for t in doc if t.text == "He")
    assert resolver.resolve(he, discourse).name == "Yevgeny Prigozhin"


def test_description_resolves_to_the_organisation_named_before(resolver):
    doc = get_nlp()("The think tank said it.")
    discourse = Discourse()
    discourse.remember(Actor("Institute for the Study of War", "THIRD", "think_tank", "analyst"), 0, True)
    head = head_of(doc, "tank")
    assert resolver.resolve(head, discourse).name == "Institute for the Study of War"


def test_generic_name_takes_the_side_in_context(resolver):
    doc = get_nlp()("The Ministry of Defence said it.")
    discourse = Discourse()
    discourse.remember(Actor("Russia", "RU", "ru_government", "government"), 0, True)
    actor = resolver.resolve(head_of(doc, "Ministry"), discourse)
    assert (actor.name, actor.side) == ("Russian Defense Ministry", "RU")


def test_side_of_a_force(resolver):
    nlp = get_nlp()
    speaker = Actor("Hanna Maliar", "UA", "ua_mod", "person")
    cases = {"Russian troops": "RU", "our forces": "UA", "the enemy": "RU", "Kyiv's soldiers": "UA"}
    for phrase, side in cases.items():
        assert resolver.side_of_phrase(list(nlp(phrase)), speaker) == side, phrase


@pytest.mark.parametrize(
    ("sentence", "head", "name", "side"),
    [
        ("Ukrainian Commander-in-Chief Oleksandr Syrskyi stated it.", "Commander", "Oleksandr Syrskyi", "UA"),
        ("Ukrainian Tavriisk Group of Forces Spokesperson Dmytro Lykhovy denied it.", "Lykhovy", "Dmytro Lykhovy", "UA"),
    ],
)  # fmt: skip
def test_name_after_an_unseparated_title(resolver, sentence, head, name, side):
    doc = get_nlp()(sentence)
    actor = resolver.resolve(head_of(doc, head), Discourse())
    assert (actor.name, actor.side) == (name, side)


def test_a_place_in_the_title_gives_the_side():
    from fogofwar.places import get_gazetteer

    profile = load_profile("russia-ukraine")
    resolver = ActorResolver(profile, locate=get_gazetteer(profile.country_priors).lookup)
    doc = get_nlp()("Kharkiv Mayor Ihor Terekhov said it.")
    actor = resolver.resolve(head_of(doc, "Terekhov"), Discourse())
    assert (actor.name, actor.side) == ("Ihor Terekhov", "UA")
    doc = get_nlp()("Russian-installed governor Ivan Petrov said it.")
    assert resolver.resolve(head_of(doc, "Petrov"), Discourse()).side == "RU"
