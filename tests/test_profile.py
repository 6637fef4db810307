"""Tests for conflict profiles: bundled YAML data, alias resolution, sides, titles, validation,
and a brand-new war added as a YAML file only."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import fogofwar
from fogofwar.profile import ProfileError, available_profiles, load_profile, profile_from_dict


@pytest.fixture(scope="module")
def ru_ua():
    return load_profile("russia-ukraine")


@pytest.fixture(scope="module")
def sudan():
    return load_profile("sudan")


# --- bundled profiles ----------------------------------------------------------------------


def test_bundled_profiles_are_listed():
    names = available_profiles()
    assert "russia-ukraine" in names
    assert "sudan" in names


@pytest.mark.parametrize(
    ("name", "sides"),
    [("russia-ukraine", {"UA", "RU"}), ("sudan", {"SAF", "RSF"})],
)
def test_bundled_profile_sides(name, sides):
    profile = load_profile(name)
    assert set(profile.sides) == sides
    assert profile.entities, "a bundled profile knows some actors"
    assert profile.name == name


def test_unknown_profile_name_is_a_profile_error():
    with pytest.raises(ProfileError) as info:
        load_profile("narnia-war")
    message = str(info.value)
    assert "narnia-war" in message
    assert "\n" not in message


# --- aliases ---------------------------------------------------------------------------------

# (alias as written in news, canonical name, side, faction)
RU_UA_ALIASES = [
    ("Russia's defence ministry", "Russian Defense Ministry", "RU", "ru_mod"),
    ("Russia’s defense ministry", "Russian Defense Ministry", "RU", "ru_mod"),
    ("the Russian Ministry of Defence", "Russian Defense Ministry", "RU", "ru_mod"),
    ("ISW", "Institute for the Study of War", "THIRD", "think_tank"),
    ("the Institute for the Study of War", "Institute for the Study of War", "THIRD", "think_tank"),
    ("Kyiv", "Ukraine", "UA", "ua_government"),
    ("Kiev", "Ukraine", "UA", "ua_government"),
    ("the Kremlin", "Russia", "RU", "ru_government"),
    ("Wagner boss", "Yevgeny Prigozhin", "RU", "wagner"),
    ("head of the Wagner Group", "Yevgeny Prigozhin", "RU", "wagner"),
    ("Prigozhin", "Yevgeny Prigozhin", "RU", "wagner"),
    ("Zelenskyy", "Volodymyr Zelensky", "UA", "ua_government"),
    ("Ganna Malyar", "Hanna Maliar", "UA", "ua_mod"),
    ("Wagner fighters", "Wagner Group", "RU", "wagner"),
    ("DeepState", "DeepState", "UA", "osint"),
    ("UK Ministry of Defence", "UK Ministry of Defence", "THIRD", "foreign_government"),
]


@pytest.mark.parametrize(("alias", "name", "side", "faction"), RU_UA_ALIASES)
def test_russia_ukraine_aliases(ru_ua, alias, name, side, faction):
    entity = ru_ua.find_entity(alias)
    assert entity is not None, alias
    assert (entity.name, entity.side, entity.faction) == (name, side, faction)


def test_kyiv_is_a_metonym_for_the_ukrainian_side(ru_ua):
    entity = ru_ua.find_entity("Kyiv")
    assert entity is not None
    assert entity.category == "metonym"
    actor = entity.actor()
    assert actor.side == "UA"
    assert actor.kind == "government"


def test_possessive_form_of_a_known_name(ru_ua):
    entity = ru_ua.find_entity("Prigozhin's")
    assert entity is not None and entity.name == "Yevgeny Prigozhin"


@pytest.mark.parametrize("text", ["", None, "Bakhmut", "the weather service"])
def test_unknown_names_resolve_to_nothing(ru_ua, text):
    assert ru_ua.find_entity(text) is None


SUDAN_ALIASES = [
    ("RSF", "Rapid Support Forces", "RSF", "rsf"),
    ("Hemedti", "Mohamed Hamdan Dagalo", "RSF", "rsf"),
    ("SAF", "Sudanese army", "SAF", "saf"),
    ("Burhan", "Abdel Fattah al-Burhan", "SAF", "saf"),
    ("Doctors Without Borders", "Medecins Sans Frontieres", "THIRD", "ngo"),
]


@pytest.mark.parametrize(("alias", "name", "side", "faction"), SUDAN_ALIASES)
def test_sudan_aliases(sudan, alias, name, side, faction):
    entity = sudan.find_entity(alias)
    assert entity is not None, alias
    assert (entity.name, entity.side, entity.faction) == (name, side, faction)


def test_entity_keys_unify_aliases(ru_ua):
    a = ru_ua.entity_keys("Russia's defence ministry")
    b = ru_ua.entity_keys("Russian Defense Ministry")
    assert a & b


# --- sides ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "side"),
    [
        ("Russian", "RU"),
        ("russians", "RU"),
        ("Moscow's", "RU"),
        ("Kremlin", "RU"),
        ("Ukrainian", "UA"),
        ("Kyiv's", "UA"),
        ("Kiev’s", "UA"),
        ("pro-Russian", "RU"),
        ("Polish", None),
        ("Bakhmut", None),
    ],
)
def test_side_of_word(ru_ua, word, side):
    assert ru_ua.side_of_word(word) == side


@pytest.mark.parametrize(
    ("word", "side"),
    [("RSF", "RSF"), ("paramilitary", "RSF"), ("army", "SAF"), ("Ukrainian", None)],
)
def test_side_of_word_sudan(sudan, word, side):
    assert sudan.side_of_word(word) == side


def test_side_in_text_multiword_demonym(sudan):
    assert sudan.side_in_text("the Sudanese army's 16th Infantry Division") == "SAF"
    assert sudan.side_in_text("units of the Rapid Support Forces") == "RSF"


@pytest.mark.parametrize(
    ("profile", "side", "other"),
    [
        ("russia-ukraine", "UA", "RU"),
        ("russia-ukraine", "RU", "UA"),
        ("sudan", "SAF", "RSF"),
        ("sudan", "RSF", "SAF"),
        ("russia-ukraine", "THIRD", None),
        ("russia-ukraine", "UNKNOWN", None),
        ("russia-ukraine", None, None),
    ],
)
def test_opposite(profile, side, other):
    assert load_profile(profile).opposite(side) == other


def test_enemy_words(ru_ua):
    assert ru_ua.is_enemy_word("enemy")
    assert ru_ua.is_enemy_word("aggressor")
    assert not ru_ua.is_enemy_word("allies")


@pytest.mark.parametrize(
    "word, side",
    [
        # loaded words only one side's sources use: they name Russia whoever speaks
        ("occupiers", "RU"),
        ("invaders", "RU"),
        ("ruscists", "RU"),
        # the Donbas proxies fight on Russia's side
        ("DPR", "RU"),
        ("LPR", "RU"),
        ("separatists", "RU"),
    ],
)
def test_side_words_independent_of_speaker(ru_ua, word, side):
    assert ru_ua.side_of_word(word) == side
    assert not ru_ua.is_enemy_word(word)


@pytest.mark.parametrize(
    "name, side",
    [
        ("APU", "UA"),
        ("State Border Service of Ukraine", "UA"),
        ("Operational Command South", "UA"),
        ("People's Militia of the DPR", "RU"),
        ("Aerospace Forces", "RU"),
    ],
)
def test_names_used_in_official_bulletins(ru_ua, name, side):
    entity = ru_ua.find_entity(name)
    assert entity is not None and entity.side == side


def test_is_side(ru_ua):
    assert ru_ua.is_side("UA") and ru_ua.is_side("THIRD") and ru_ua.is_side("UNKNOWN")
    assert not ru_ua.is_side("SAF")


# --- titles ----------------------------------------------------------------------------------

# (name, title words before it, side, faction, kind)
TITLES = [
    ("Oksana Hrytsenko", "Ukrainian Deputy Defense Minister", "UA", "ua_mod", "person"),
    ("Ivan Sokolov", "Russian army commander", "RU", "ru_military", "person"),
    ("Taras Melnyk", "Ukrainian military spokesman", "UA", "ua_military", "person"),
    ("Andrei Volkov", "Russian war blogger", "RU", "ru_milblogger", "media"),
    ("Pavlo Bondar", "Kyiv's regional governor", "UA", "ua_regional", "person"),
    ("Michael Kofman", "military analyst", "THIRD", None, "analyst"),
    ("Dmitry Utkin", "Wagner boss", "RU", "wagner", "person"),
]


@pytest.mark.parametrize(("name", "title", "side", "faction", "kind"), TITLES)
def test_actor_from_title(ru_ua, name, title, side, faction, kind):
    actor = ru_ua.actor_from_title(name, title)
    assert actor.name == name
    assert actor.side == side
    assert actor.faction == faction
    assert actor.kind == kind


def test_actor_from_title_without_a_side_says_why(ru_ua):
    actor = ru_ua.actor_from_title("John Smith", "spokesman")
    assert actor.side == "UNKNOWN"
    assert actor.reason


@pytest.mark.parametrize(
    ("title", "side"),
    [
        ("Ukrainian Deputy Defense Minister", "UA"),
        ("Russian Defence Minister", "RU"),
        ("spokesman for the Wagner Group", "RU"),
        ("the Swiss ambassador", None),
    ],
)
def test_side_of_title(ru_ua, title, side):
    assert ru_ua.side_of_title(title) == side


def test_sudan_title_rules(sudan):
    actor = sudan.actor_from_title("Ahmed Osman", "army spokesperson Brigadier General")
    assert actor.side == "SAF" and actor.faction == "saf"
    actor = sudan.actor_from_title("Yousif Idris", "RSF commander")
    assert actor.side == "RSF" and actor.faction == "rsf"


# --- validation --------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_malformed_yaml_names_the_file_on_one_line(tmp_path):
    path = _write(
        tmp_path / "broken.yaml",
        """\
        name: broken
        sides:
          NORTH: Northern army
          SOUTH: [Southern militia
        people:
          - {name: Someone, side: NORTH
        """,
    )
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    assert "YAML" in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            """\
            sides: {NORTH: Northern army, SOUTH: Southern militia}
            people:
              - {name: Ilya Marek, side: EAST}
            """,
            ["Ilya Marek", "EAST"],
        ),
        (
            """\
            sides: {NORTH: Northern army, SOUTH: Southern militia}
            organisations:
              - {name: Eastern Brigade, side: EAST, kind: military}
            """,
            ["Eastern Brigade", "EAST"],
        ),
        (
            """\
            sides: {NORTH: Northern army, SOUTH: Southern militia}
            demonyms:
              EAST: [eastern]
            """,
            ["EAST"],
        ),
        (
            """\
            sides: {NORTH: Northern army, SOUTH: Southern militia}
            titles:
              - {words: [colonel], side: EAST}
            """,
            ["EAST"],
        ),
    ],
    ids=["person", "organisation", "demonyms", "title"],
)
def test_unknown_side_is_a_profile_error(tmp_path, body, words):
    path = _write(tmp_path / "unknown-side.yaml", body)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"name": "no sides"},
        {"sides": {}},
        {"sides": {"A": "Alpha", "B": "Beta"}, "people": [{"side": "A"}]},
        {
            "sides": {"A": "Alpha", "B": "Beta"},
            "people": [{"name": "X", "side": "A", "kind": "wizard"}],
        },
        {"sides": {"A": "Alpha", "B": "Beta"}, "titles": [{"side": "A"}]},
    ],
    ids=["none", "list", "no-sides", "empty-sides", "no-name", "bad-kind", "title-no-words"],
)
def test_invalid_profile_data(data):
    with pytest.raises(ProfileError) as info:
        profile_from_dict(data, "custom.yaml")
    assert str(info.value).startswith("custom.yaml:")
    assert "\n" not in str(info.value)


# --- a new war without code changes ----------------------------------------------------------

VALORIA = """\
name: valoria-karthia
version: 1
description: A made-up war between the Valorian army and the Karthian militia
sides:
  VAL: Valorian Armed Forces
  KRT: Karthian Militia
country_priors: [GE, AM]
demonyms:
  VAL: [valorian, valorians, valoria, "valoria's"]
  KRT: [karthian, karthians, karthia, "karthia's"]
enemy_words: [enemy, invaders]
organisations:
  - {name: Valorian Defence Ministry, aliases: ["Valoria's defence ministry", Valorian MoD],
     side: VAL, faction: val_mod, kind: government}
  - {name: Karthian Militia, aliases: [Karthian fighters], side: KRT, faction: krt,
     kind: armed_group}
  - {name: Caucasus Monitoring Group, aliases: [CMG], side: THIRD, faction: ngo, kind: analyst}
people:
  - {name: Ilya Marek, aliases: [Marek], side: VAL, faction: val_mod, roles: [Valorian army chief]}
titles:
  - {words: [commander, general], faction_suffix: military}
faction_prefix:
  VAL: val
  KRT: krt
"""

VALORIA_ARTICLE = (
    "Karthian fighters withdrew from the town of Gori on Tuesday, "
    "Valorian army chief Ilya Marek said.\n\n"
    "Valoria's defence ministry said its troops had repelled a Karthian attack near Rustavi.\n\n"
    "“The enemy is retreating,” Marek said."
)


@pytest.fixture(scope="module")
def valoria(tmp_path_factory):
    path = tmp_path_factory.mktemp("profiles") / "valoria.yaml"
    path.write_text(VALORIA, encoding="utf-8")
    return path


def test_custom_profile_loads(valoria):
    profile = load_profile(str(valoria))
    assert profile.name == "valoria-karthia"
    assert set(profile.sides) == {"VAL", "KRT"}
    assert profile.opposite("VAL") == "KRT"
    assert profile.find_entity("Valorian army chief").name == "Ilya Marek"
    assert profile.side_of_word("Karthian") == "KRT"


def test_custom_profile_end_to_end(valoria):
    analysis = fogofwar.analyze(VALORIA_ARTICLE, published="2023-05-12", profile=str(valoria))
    data = analysis.to_dict()
    assert data["article"]["profile"] == "valoria-karthia"
    claims = data["claims"]
    withdraw = [
        c
        for c in claims
        if c["event"] == "WITHDRAW" and c["source"] == "Ilya Marek" and c["place"] == "Gori"
    ]
    assert withdraw, claims
    assert withdraw[0]["actor_side"] == "KRT"
    assert withdraw[0]["source_side"] == "VAL"
    assert withdraw[0]["source_faction"] == "val_mod"
    assert withdraw[0]["interest"] == "self_serving"
    assert withdraw[0]["time"] == "2023-05-09"
    repel = [c for c in claims if c["event"] == "REPEL"]
    assert repel and repel[0]["source"] == "Valorian Defence Ministry"
    assert repel[0]["actor_side"] == "VAL"
    assert {c["source_side"] for c in claims} <= {"VAL", "KRT", "THIRD", "UNKNOWN"}
    direct = [q for q in data["quotes"] if q["kind"] == "direct"]
    assert direct and direct[0]["speaker"] == "Ilya Marek"
    assert direct[0]["speaker_side"] == "VAL"
