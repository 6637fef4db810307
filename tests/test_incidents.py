"""Incidents: grouping claims from many articles and the status each group gets, with reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from fogofwar.incidents import (
    CONTESTED,
    CORROBORATED,
    SINGLE_SOURCE,
    ClaimFact,
    assess_all,
    group_incidents,
    load_config,
    oriented_side,
)

BAKHMUT = dict(place="Bakhmut", place_key="bakhmut", place_id="p-bakhmut", lat=48.5956, lon=38.0)
KHROMOVE = dict(place="Khromove", place_key="khromove", place_id="p-khromove", lat=48.6, lon=37.94)
KRAMATORSK = dict(place="Kramatorsk", place_key="kramatorsk", place_id="p-kram", lat=48.72, lon=37.56)

_counter = iter(range(10_000))


def fact(event, actor_side, source, source_side, day=20, polarity="asserted", interest="self_serving",
         article=None, duplicate_of=None, place=BAKHMUT, magnitude=None, modality="factual"):
    n = next(_counter)
    return ClaimFact(
        id=f"c{n:04d}", article_id=article or f"a{n:04d}", source=source, source_side=source_side,
        event=event, actor_side=actor_side, polarity=polarity, modality=modality,
        interest=interest, date=dt.date(2023, 5, day), magnitude_value=magnitude,
        magnitude_unit="count" if magnitude else None, duplicate_of=duplicate_of, **place,
    )


def only(incidents):
    assert len(incidents) == 1, [(i.family, i.side, len(i.facts)) for i in incidents]
    return incidents[0]


@pytest.mark.parametrize(
    "event, actor_side, expected",
    [("CAPTURE", "RU", "RU"), ("WITHDRAW", "UA", "RU"), ("REPEL", "UA", "RU"),
     ("INTERCEPT", "UA", "RU"), ("CASUALTIES", "UA", "UA"), ("CASUALTIES", "CIVILIAN", "CIVILIAN"),
     ("ASSAULT", "UNKNOWN", None), ("SHELLING", "CIVILIAN", None)],
)
def test_orientation(event, actor_side, expected):
    assert oriented_side(fact(event, actor_side, "x", "UA"), load_config()) == expected


def test_capture_claim_and_its_denial_are_contested():
    incidents = assess_all([
        fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", day=20),
        fact("CAPTURE", "RU", "Hanna Maliar", "UA", day=21, polarity="denied",
             interest="self_serving"),
    ])
    incident = only(incidents)
    assert incident.status == CONTESTED
    assert "Yevgeny Prigozhin (RU) asserts it" in incident.reason
    assert "Hanna Maliar (UA) denies it" in incident.reason


def test_withdrawal_admitted_by_its_own_side_plus_another_source_is_corroborated():
    incident = only(assess_all([
        fact("WITHDRAW", "RU", "Russian Defense Ministry", "RU", interest="against_interest"),
        fact("WITHDRAW", "RU", "Yevgeny Prigozhin", "RU", day=21, interest="against_interest"),
    ]))
    assert incident.status == CORROBORATED
    assert incident.reason.startswith("admission against interest by Russian Defense Ministry (RU)")


def test_the_capture_that_a_withdrawal_implies_joins_it():
    # a Ukrainian advance and a Russian admission of withdrawal: territory gained by UA
    incident = only(assess_all([
        fact("ADVANCE", "UA", "Ukrainian Armed Forces", "UA"),
        fact("WITHDRAW", "RU", "Russian Defense Ministry", "RU", interest="against_interest"),
    ]))
    assert incident.family == "territory" and incident.side == "UA"
    assert incident.status == CORROBORATED
    assert "Ukrainian Armed Forces (UA)" in incident.reason
    assert "Russian Defense Ministry (RU)" in incident.reason


def test_a_wire_copy_never_counts_as_a_second_source():
    original = fact("CAPTURE", "UA", None, "UNKNOWN", article="orig", interest="neutral")
    copy = fact("CAPTURE", "UA", None, "UNKNOWN", article="copy", duplicate_of="orig",
                interest="neutral")
    incident = only(assess_all([original, copy]))
    assert incident.status == SINGLE_SOURCE
    assert "wire copies not counted" in incident.reason


def test_same_side_sources_do_not_corroborate_each_other():
    incident = only(assess_all([
        fact("REPEL", "UA", "Ukrainian Armed Forces", "UA"),
        fact("REPEL", "UA", "Serhiy Cherevaty", "UA", day=21),
    ]))
    assert incident.status == SINGLE_SOURCE
    assert incident.reason == "2 sources, all of one side (UA)"


def test_an_independent_assessment_agreeing_corroborates():
    incident = only(assess_all([
        fact("ADVANCE", "UA", "Ukrainian Armed Forces", "UA"),
        fact("ADVANCE", "UA", "Institute for the Study of War", "THIRD", interest="neutral"),
    ]))
    assert incident.status == CORROBORATED


def test_two_sides_claiming_control_of_one_place_are_contested():
    incidents = assess_all([
        fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", day=20),
        fact("CAPTURE", "UA", "Ukrainian Armed Forces", "UA", day=21),
    ])
    assert len(incidents) == 2
    assert {i.status for i in incidents} == {CONTESTED}
    assert "both claim control of Bakhmut between 2023-05-20 and 2023-05-21" in incidents[0].reason


def test_counts_far_apart_are_contested():
    incident = only(assess_all([
        fact("CASUALTIES", "UA", "Russian Defense Ministry", "RU", magnitude=240),
        fact("CASUALTIES", "UA", "Ukrainian Armed Forces", "UA", magnitude=12,
             interest="against_interest"),
    ]))
    assert incident.status == CONTESTED
    assert "counts far apart: 240" in incident.reason


def test_grouping_by_place_time_and_family():
    incidents = group_incidents([
        fact("ASSAULT", "RU", "a", "UA", day=1),
        fact("REPEL", "UA", "b", "UA", day=2, place=KHROMOVE),  # 4 km away, same attack
        fact("ASSAULT", "RU", "c", "UA", day=15),  # two weeks later: another incident
        fact("ASSAULT", "RU", "d", "UA", day=2, place=KRAMATORSK),  # 35 km away
        fact("SHELLING", "RU", "e", "UA", day=1),  # another family
        fact("ASSAULT", "UNKNOWN", "f", "UA", day=1),  # no side: not grouped
        fact("ASSAULT", "RU", "g", "UA", day=1, place=dict(place=None, place_key=None, place_id=None,
                                                           lat=None, lon=None)),  # no place
    ])
    sizes = sorted((i.family, i.anchor.place, len(i.facts)) for i in incidents)
    assert sizes == [("ground_attack", "Bakhmut", 1), ("ground_attack", "Bakhmut", 2),
                     ("ground_attack", "Kramatorsk", 1), ("shelling", "Bakhmut", 1)]


def test_unresolved_places_group_by_name():
    unresolved = dict(place="Tolpino", place_key="tolpino", place_id=None, lat=None, lon=None)
    incident = only(group_incidents([
        fact("CAPTURE", "UA", "a", "UA", place=unresolved),
        fact("CAPTURE", "UA", "b", "THIRD", place=unresolved, day=21),
    ]))
    assert len(incident.facts) == 2


# --- end to end: real articles through the pipeline, the store and the assessment ------------

CLAIM = (
    "Wagner chief Yevgeny Prigozhin said on Saturday that his forces had captured Bakhmut "
    "after months of fighting."
)
DENIAL = (
    "Ukraine's deputy defence minister Hanna Maliar denied on Saturday that Russian forces had "
    "captured Bakhmut, saying Ukrainian troops still held positions in the city."
)
ADMISSION = (
    "The Russian Defense Ministry said on Thursday that its units had withdrawn from positions "
    "near Soledar."
)
CONFIRMATION = (
    "The Institute for the Study of War said on Friday that Russian forces had withdrawn from "
    "positions near Soledar."
)


def test_refresh_over_real_articles(tmp_path):
    import fogofwar
    from fogofwar.incidents import refresh
    from fogofwar.store import IncidentRow, open_store, save_analysis

    store = open_store(str(tmp_path / "corpus.db"))
    articles = [
        (CLAIM, "2023-05-21", None),
        (DENIAL, "2023-05-21", None),
        (ADMISSION, "2023-05-12", None),
        (CONFIRMATION, "2023-05-13", None),
    ]
    with store.session() as session:
        for text, published, _ in articles:
            save_analysis(session, fogofwar.analyze(text, published=published))
    summary = refresh(store)
    assert summary.claims >= 4
    with store.session() as session:
        incidents = session.query(IncidentRow).all()
        by_place = {(i.place, i.family, i.side): i for i in incidents}
    bakhmut = by_place[("Bakhmut", "territory", "RU")]
    assert bakhmut.status == CONTESTED, bakhmut.reason
    assert "Prigozhin" in bakhmut.reason and "Maliar" in bakhmut.reason
    soledar = by_place[("Soledar", "territory", "UA")]  # a Russian withdrawal: UA gains
    assert soledar.status == CORROBORATED, soledar.reason
    # a second refresh gives the same ids
    refresh(store)
    with store.session() as session:
        assert {i.id for i in session.query(IncidentRow)} == {i.id for i in incidents}
    store.close()


def test_a_denier_is_not_listed_among_those_claiming_control():
    incidents = assess_all([
        fact("CAPTURE", "RU", "Yevgeny Prigozhin", "RU", day=20),
        fact("CAPTURE", "RU", "Hanna Maliar", "UA", day=20, polarity="denied"),
        fact("CAPTURE", "UA", "Serhiy Cherevaty", "UA", day=21),
    ])
    ru = next(i for i in incidents if i.side == "RU")
    rivalry = ru.reason.split("both claim control", 1)[1]
    assert "Yevgeny Prigozhin (RU) vs Serhiy Cherevaty (UA)" in rivalry
    assert "Hanna Maliar" in ru.reason.split("both claim control", 1)[0]  # as the denial
