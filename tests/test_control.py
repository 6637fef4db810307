"""Territorial control: claims read as evidence, weighed, and turned into a daily estimate."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from fogofwar.control import estimate, read_evidence
from fogofwar.incidents import CORROBORATED, ClaimFact

_ids = itertools.count(1)


def fact(event, actor_side, source, source_side, day, polarity="asserted",
         interest="self_serving", modality="factual", duplicate_of=None):
    n = next(_ids)
    return ClaimFact(
        id=f"c{n:03d}", article_id=f"a{n:03d}", source=source, source_side=source_side,
        event=event, actor_side=actor_side, polarity=polarity, modality=modality,
        interest=interest, date=dt.date(2023, 5, day), place="Bakhmut", place_key="bakhmut",
        duplicate_of=duplicate_of,
    )


@pytest.mark.parametrize(
    "claim, side, weight",
    [
        (fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20), "RU", 1.0),
        (fact("CAPTURE", "RU", "Hanna Maliar", "UA", 21, polarity="denied"), "UA", 0.5),
        (fact("WITHDRAW", "UA", "Ukrainian Armed Forces", "UA", 21, interest="against_interest"),
         "RU", 2.25),
        (fact("CAPTURE", "RU", "Institute for the Study of War", "THIRD", 22, interest="neutral"),
         "RU", 2.0),
        (fact("CAPTURE", "RU", None, "UNKNOWN", 22, interest="neutral", modality="hedged"),
         "RU", 0.25),
    ],
)
def test_claims_read_as_evidence(claim, side, weight):
    evidence = read_evidence(claim)
    assert evidence is not None
    assert evidence.side == side
    assert evidence.weight == pytest.approx(weight)
    assert evidence.why


def test_corroborated_claims_count_more():
    claim = fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20)
    assert read_evidence(claim, CORROBORATED).weight == pytest.approx(1.5)


@pytest.mark.parametrize(
    "claim",
    [
        fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20, duplicate_of="a000"),  # wire copy
        fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20, modality="prospective"),
        fact("ASSAULT", "RU", "Yevgeny Prigozhin", "RU", 20),  # fighting is not control
        fact("CAPTURE", "UNKNOWN", "someone", "UNKNOWN", 20),
    ],
)
def test_claims_that_say_nothing_about_control(claim):
    assert read_evidence(claim) is None


def test_daily_estimate_follows_the_weight_of_evidence():
    evidence = [
        read_evidence(f)
        for f in (
            fact("CAPTURE", "UA", "Ukrainian Armed Forces", "UA", 1),
            fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20),
            fact("CAPTURE", "RU", "Hanna Maliar", "UA", 21, polarity="denied"),
            fact("CAPTURE", "RU", "Institute for the Study of War", "THIRD", 24,
                 interest="neutral"),
        )
    ]
    timeline = estimate("Bakhmut", evidence, until=dt.date(2023, 5, 31))
    assert timeline.days[0].date == dt.date(2023, 5, 1)
    assert timeline.days[-1].date == dt.date(2023, 5, 31)
    assert timeline.on(dt.date(2023, 5, 10)).side == "UA"
    # Prigozhin's claim outweighs a faded three-week-old Ukrainian one
    assert timeline.on(dt.date(2023, 5, 20)).side == "RU"
    after_isw = timeline.on(dt.date(2023, 5, 24))
    assert after_isw.side == "RU" and after_isw.confidence > 0.75
    changes = [(d.date.day, d.side) for d in timeline.changes]
    assert changes == [(1, "UA"), (20, "RU")]


def test_no_evidence_gives_an_empty_timeline():
    timeline = estimate("Nowhere", [])
    assert timeline.days == [] and timeline.changes == []


def test_a_source_repeating_itself_counts_once():
    evidence = [
        read_evidence(fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20)),
        read_evidence(fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", 20)),
        read_evidence(fact("CAPTURE", "UA", "Serhiy Cherevaty", "UA", 20)),
    ]
    timeline = estimate("Bakhmut", evidence)
    weights = [e.weight for e in timeline.evidence]
    assert weights.count(0.0) == 1
    assert any("not counted" in e.why for e in timeline.evidence)
    day = timeline.on(dt.date(2023, 5, 20))
    assert day.weights == {"RU": 1.0, "UA": 1.0}
