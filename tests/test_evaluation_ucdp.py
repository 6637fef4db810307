"""The UCDP-headline evaluation's own rules, on made-up rows with answers worked out by hand."""

from __future__ import annotations

import pytest

from evaluation.ucdp_headlines import (
    EventOutcome,
    HeadlineReading,
    SideRules,
    UcdpEvent,
    casualty_pairs,
    event_from_row,
    gold_acting_side,
    inflicting_side,
    no_claim_kind,
    parse_date,
    predicted_acting_side,
    predicted_claimant_side,
    side_scores,
    split_headlines,
)

RU, UA = "Government of Russia (Soviet Union)", "Government of Ukraine"


@pytest.fixture(scope="module")
def rules() -> SideRules:
    return SideRules.load()


def event(deaths_a=0, deaths_b=0, civilians=0, unknown=0, side_a=RU, side_b=UA, source=""):
    return UcdpEvent("1", ["headline"], "2023-01-01", side_a, side_b, deaths_a, deaths_b,
                     civilians, unknown, source)


def test_row_parsing():
    row = {
        "id": "7", "source_headline": "First headline;Second one; ", "date_start":
        "1/22/2023 12:00:00 AM", "side_a": RU, "side_b": UA, "deaths_a": "2", "deaths_b": "",
        "deaths_civilians": "1", "deaths_unknown": "0", "source_original": "Ukrinform",
    }
    parsed = event_from_row(row)
    assert parsed.headlines == ["First headline", "Second one"]
    assert parsed.date == "2023-01-22"
    assert (parsed.deaths_a, parsed.deaths_b, parsed.deaths_civilians) == (2, 0, 1)


@pytest.mark.parametrize(
    "value, iso",
    [("1/22/2014 12:00:00 AM", "2014-01-22"), ("2014-01-22", "2014-01-22"),
     ("27/01/2014", "2014-01-27"), ("not a date", None)],
)
def test_parse_date(value, iso):
    assert parse_date(value) == iso


def test_split_headlines_drops_empty_parts():
    assert split_headlines("a;;b ;") == ["a", "b"]


def test_gold_acting_side_is_the_side_whose_soldiers_did_not_die(rules):
    assert gold_acting_side(event(deaths_b=3), rules) == "RU"  # Ukrainian soldiers died
    assert gold_acting_side(event(deaths_a=1), rules) == "UA"
    # the DPR fights on Russia's side: DPR dead mean Ukraine acted
    assert gold_acting_side(event(deaths_b=2, side_a=UA, side_b="DPR"), rules) == "UA"


@pytest.mark.parametrize(
    "kwargs",
    [dict(deaths_a=1, deaths_b=1), dict(civilians=2), dict(deaths_b=1, civilians=1),
     dict(deaths_b=1, unknown=1), dict()],
)
def test_gold_acting_side_undefined_when_the_deaths_do_not_tell(rules, kwargs):
    assert gold_acting_side(event(**kwargs), rules) is None


@pytest.mark.parametrize(
    "event_type, actor_side, expected",
    [("SHELLING", "RU", "RU"), ("REPEL", "UA", "UA"), ("CASUALTIES", "UA", "RU"),
     ("WITHDRAW", "RU", "UA"), ("CASUALTIES", "CIVILIAN", None), ("ASSAULT", "UNKNOWN", None)],
)
def test_inflicting_side(event_type, actor_side, expected):
    assert inflicting_side(event_type, actor_side) == expected


def test_casualties_and_repelled_attacks_say_who_inflicted_the_harm_first():
    failed_attack = [HeadlineReading("a", claims=[("ASSAULT", "UA", None), ("REPEL", "RU", None)])]
    assert predicted_acting_side(failed_attack) == "RU"
    losses = [HeadlineReading("b", claims=[("ADVANCE", "UA", None), ("CASUALTIES", "UA", None)])]
    assert predicted_acting_side(losses) == "RU"


def test_predictions_take_the_first_answer_across_headlines():
    readings = [
        HeadlineReading("a", claims=[("CASUALTIES", "CIVILIAN", None)]),
        HeadlineReading("b", claims=[("CASUALTIES", "RU", "UA"), ("ADVANCE", "RU", "RU")],
                        speaker_sides=["UA"]),
    ]
    assert predicted_acting_side(readings) == "UA"
    assert predicted_claimant_side(readings) == "UA"
    assert predicted_claimant_side([HeadlineReading("c", claims=[], speaker_sides=["RU"])]) == "RU"
    assert predicted_claimant_side([HeadlineReading("d", claims=[("ASSAULT", "RU", None)])]) is None


@pytest.mark.parametrize(
    "source, side",
    [
        ("official representative of the Russian Defense Ministry, Lieutenant-General Igor Konashenkov.", "RU"),
        ("Ukraine (head of the Donetsk OVA Pavel Kirilenko)", "UA"),
        ("deputy head of the People's Militia Department of the DPR, Eduard Basurin.", "RU"),
        ("General Staff of the Armed Forces of Ukraine", "UA"),
        ("Mediazona", "THIRD"),
        ("video", None),
    ],
)
def test_source_side_rules(rules, source, side):
    assert rules.source_side(source) == side


@pytest.mark.parametrize(
    "headline, kind",
    [
        ("Rob Lee @RALee85", "social-media"),
        ("MAIN: talks resume: events around Ukraine", "digest"),
        ("Gunners destroyed an ammunition depot near Kherson", "materiel"),
        ("Fighting continues in the east", "other wording"),
    ],
)
def test_headlines_without_claims_are_sorted_into_kinds(headline, kind):
    assert kind in no_claim_kind(headline)


def test_side_scores_accuracy_over_answered_and_coverage():
    pairs = [("RU", "RU"), ("RU", "UA"), ("UA", None), (None, "RU")]
    accuracy, coverage, answered, total = side_scores(pairs)
    assert (answered, total) == (2, 3)
    assert accuracy == pytest.approx(0.5)
    assert coverage == pytest.approx(2 / 3)


def test_casualty_pairs_compare_the_largest_claim_with_the_deaths_on_that_side(rules):
    outcome = EventOutcome(
        event=event(deaths_b=2, source="Russian Defense Ministry"),
        readings=[
            HeadlineReading("a", claims=[], casualties={"UA": 90}),
            HeadlineReading("b", claims=[], casualties={"UA": 140, "CIVILIAN": 1}),
        ],
        gold_acting="RU", predicted_acting="RU", gold_claimant="RU", predicted_claimant="RU",
    )
    assert sorted(casualty_pairs([outcome], rules)) == [("CIVILIAN", 1, 0, "RU"), ("UA", 140, 2, "RU")]
