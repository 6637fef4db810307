"""The DeepState control benchmark's pure parts: point in polygon, snapshots by date, DeepState
status → side, the naive baseline and agreement counting (tiny inline polygons, no shared data)."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location(
    "control_deepstate", ROOT / "benchmarks" / "control_deepstate.py"
)
cds = importlib.util.module_from_spec(_SPEC)
sys.modules["control_deepstate"] = cds  # dataclasses look their module up
_SPEC.loader.exec_module(cds)

D = dt.date
SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]  # lon, lat; closed ring
HOLE = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
U_SHAPE = [[0, 0], [9, 0], [9, 9], [6, 9], [6, 3], [3, 3], [3, 9], [0, 9]]  # open ring, concave


def polygon(ring, *holes):
    return {"type": "Polygon", "coordinates": [ring, *holes]}


def square(west, south, size=1.0):
    return [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]


@pytest.mark.parametrize(
    "lon, lat, inside",
    [(5, 5, True), (0.5, 9.5, True), (11, 5, False), (-1, 5, False), (5, 10.5, False)],
)
def test_point_in_square(lon, lat, inside):
    assert cds.point_in_ring(lon, lat, SQUARE) is inside


@pytest.mark.parametrize(
    "lon, lat, inside",
    [(1.5, 8, True), (7.5, 8, True), (4.5, 8, False), (4.5, 1, True), (10, 1, False)],
)
def test_point_in_concave_open_ring(lon, lat, inside):
    assert cds.point_in_ring(lon, lat, U_SHAPE) is inside


def test_altitude_in_coordinates_is_ignored():
    ring = [[x, y, 0] for x, y in SQUARE]
    assert cds.point_in_ring(5, 5, ring)


def test_a_hole_is_outside():
    (area,) = cds.areas_from_geometry(polygon(SQUARE, HOLE), "occupied")
    assert area.contains(2, 2)
    assert not area.contains(5, 5)
    assert not area.contains(20, 20)  # outside the bounding box
    assert area.bbox == (0, 0, 10, 10)


def test_multipolygons_and_collections_split_into_polygons():
    multi = {"type": "MultiPolygon", "coordinates": [[square(0, 0)], [square(5, 5)]]}
    collection = {
        "type": "GeometryCollection",
        "geometries": [
            polygon(square(0, 0)),
            {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
            multi,
        ],
    }
    assert len(cds.areas_from_geometry(multi, "occupied")) == 2
    areas = cds.areas_from_geometry(collection, "liberated")
    assert len(areas) == 3
    assert {a.status for a in areas} == {"liberated"}
    assert cds.areas_from_geometry(None, "occupied") == []
    assert cds.areas_from_geometry({"type": "Point", "coordinates": [1, 1]}, "occupied") == []


def test_status_at_point_and_overlaps():
    areas = [
        *cds.areas_from_geometry(polygon(square(0, 0, 10)), "liberated"),
        *cds.areas_from_geometry(polygon(square(0, 0, 5)), "occupied"),
        *cds.areas_from_geometry(polygon(square(4, 4, 2)), "unknown_status"),
    ]
    assert cds.status_at(areas, 8, 8) == "liberated"
    assert cds.status_at(areas, 1, 1) == "occupied"  # occupied wins over liberated
    assert cds.status_at(areas, 4.5, 4.5) == "unknown_status"  # grey zone wins over occupied
    assert cds.status_at(areas, 20, 20) is None


@pytest.mark.parametrize(
    "status, side",
    [("occupied", "RU"), ("liberated", "UA"), (None, "UA"), ("unknown_status", None)],
)
def test_status_to_side(status, side):
    assert cds.side_from_status(status) == side


DATES = [D(2022, 4, 3), D(2022, 4, 10), D(2022, 5, 30)]


@pytest.mark.parametrize(
    "day, gap, index",
    [
        (D(2022, 4, 2), None, None),  # before the first snapshot
        (D(2022, 4, 3), None, 0),  # on the day
        (D(2022, 4, 9), None, 0),
        (D(2022, 4, 10), None, 1),
        (D(2022, 5, 29), None, 1),
        (D(2022, 5, 29), 14, None),  # the latest one is 49 days old
        (D(2022, 4, 24), 14, 1),
        (D(2025, 1, 1), None, 2),
    ],
)
def test_snapshot_on_or_before(day, gap, index):
    assert cds.snapshot_on_or_before(DATES, day, gap) == index


def write_archive(path: Path) -> Path:
    """Two snapshots, written out of date order: a village occupied on 2022-04-10, liberated
    (no polygon left, a liberated one drawn) on 2022-05-01."""
    village = polygon(square(37.0, 48.0))
    later = {
        "type": "FeatureCollection",
        "snapshot_utc": "2022-05-01T10:00:00Z",
        "features": [
            {"type": "Feature", "properties": {"status": "liberated"}, "geometry": village}
        ],
    }
    earlier = {
        "type": "FeatureCollection",
        "snapshot_utc": "2022-04-10T22:00:00Z",
        "features": [
            {
                "type": "Feature",
                "properties": {"status": "occupied"},
                "geometry": {"type": "GeometryCollection", "geometries": [village]},
            },
            {
                "type": "Feature",
                "properties": {"status": "unknown_status"},
                "geometry": polygon(square(38.0, 48.0)),
            },
        ],
    }
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for snapshot in (later, earlier):
            handle.write(json.dumps(snapshot) + "\n")
    return path


def test_archive_indexes_dates_and_reads_only_wanted_snapshots(tmp_path):
    archive = cds.SnapshotArchive(write_archive(tmp_path / "snapshots.jsonl.gz"))
    assert archive.dates == [D(2022, 4, 10), D(2022, 5, 1)]
    statuses = archive.statuses({0: {(48.5, 37.5), (48.5, 36.0)}, 1: {(48.5, 37.5)}})
    assert statuses == {
        (0, 48.5, 37.5): "occupied",
        (0, 48.5, 36.0): None,
        (1, 48.5, 37.5): "liberated",
    }


def place(lat=48.5, lon=37.5, country="UA", precision="settlement"):
    return cds.PlaceInfo("x", "X", lat, lon, country, precision)


def test_judge_verdicts(tmp_path):
    archive = cds.SnapshotArchive(write_archive(tmp_path / "snapshots.jsonl.gz"))
    judge = cds.DeepStateJudge(archive, max_gap_days=14)
    cases = [
        (place(), D(2022, 4, 12)),
        (place(), D(2022, 5, 3)),
        (place(lon=36.0), D(2022, 4, 12)),  # no polygon: UA
        (place(lon=38.5), D(2022, 4, 12)),  # grey zone
        (place(), D(2022, 4, 1)),  # before the first snapshot
        (place(), D(2022, 4, 30)),  # the 2022-04-10 snapshot is too old
        (place(country="RU"), D(2022, 4, 12)),
        (place(precision="admin1"), D(2022, 4, 12)),
    ]
    for where, day in cases:
        judge.ask(where, day)
    judge.answer_all()
    verdicts = [judge.verdict(where, day) for where, day in cases]
    assert [v.side for v in verdicts] == ["RU", "UA", "UA", None, None, None, None, None]
    assert verdicts[0].snapshot == "2022-04-10" and verdicts[0].status == "occupied"
    assert [v.reason for v in verdicts[3:]] == [
        cds.GREY_ZONE,
        cds.BEFORE_FIRST,
        f"{cds.NO_RECENT} (14)",
        cds.OUTSIDE,
        cds.REGION,
    ]


CLAIMS = [
    (D(2022, 9, 1), "RU"),
    (D(2022, 9, 5), "UA"),
    (D(2022, 9, 5), "UA"),
    (D(2022, 9, 5), "RU"),
    (D(2022, 9, 9), "UA"),
    (D(2022, 9, 12), "RU"),
]


@pytest.mark.parametrize(
    "day, side",
    [(D(2022, 8, 31), None), (D(2022, 9, 1), "RU"), (D(2022, 9, 7), "UA"), (D(2022, 9, 12), "RU")],
)
def test_latest_claim_side(day, side):
    assert cds.latest_claim_side(CLAIMS, day) == side


def test_latest_claim_side_tie_goes_to_the_later_side_code():
    assert (
        cds.latest_claim_side([(D(2022, 9, 1), "RU"), (D(2022, 9, 1), "UA")], D(2022, 9, 1)) == "UA"
    )


def test_baseline_changes():
    assert cds.baseline_changes(CLAIMS) == [
        (D(2022, 9, 1), "RU"),
        (D(2022, 9, 5), "UA"),
        (D(2022, 9, 12), "RU"),
    ]


def test_agreement_counts_only_checkable_pairs():
    result = cds.tally([("RU", "RU"), ("UA", "RU"), ("UA", None), ("RU", "RU")])
    assert (result.agree, result.checked, result.rate) == (2, 3, 0.667)
    assert result.text() == "0.667 (2/3)"
    assert cds.tally([("RU", None)]).rate is None


@pytest.mark.parametrize(
    "confidence, bucket",
    [
        (0.5, "0.50-0.59"),
        (0.599, "0.50-0.59"),
        (0.6, "0.60-0.79"),
        (0.95, "0.80-0.99"),
        (1.0, "1.00"),
    ],
)
def test_confidence_buckets(confidence, bucket):
    assert cds.confidence_bucket(confidence) == bucket


def check(side, confidence, baseline, truth, later=None):
    verdict = cds.Verdict(truth, reason=None if truth else cds.OUTSIDE)
    return cds.Check(
        "X",
        48.0,
        37.0,
        "2022-09-01",
        side,
        confidence,
        baseline,
        verdict,
        cds.Verdict(later) if later else verdict,
    )


def test_report_figures():
    report = cds.Report({})
    report.checks = [
        check("RU", 1.0, "RU", "RU"),
        check("RU", 0.7, "UA", "RU"),
        check("UA", 0.55, "RU", "RU", later="UA"),
        check("UA", 1.0, "UA", None),
    ]
    assert report.agreement("same_day").to_dict() == {"agree": 2, "checked": 3, "rate": 0.667}
    assert report.agreement("week_later").rate == 1.0
    assert report.baseline_same_checks("same_day").text() == "0.667 (2/3)"
    assert report.paired("same_day") == {
        "both right": 1,
        "only ours right": 1,
        "only baseline right": 1,
    }
    assert report.by_bucket("same_day")["1.00"].text() == "1.000 (1/1)"
    assert report.not_checkable("same_day") == {cds.OUTSIDE: 1}
    assert [c.confidence for c in report.disagreements()] == [0.55]
    assert report.checkable("same_day") == 3


def test_checks_for_a_timeline():
    """Our changes come from the control estimate; the baseline's from the latest claim."""
    from fogofwar.control import estimate, read_evidence
    from fogofwar.incidents import ClaimFact

    def fact(n, actor_side, source, source_side, day, interest="self_serving"):
        return ClaimFact(
            id=f"c{n}",
            article_id=f"a{n}",
            source=source,
            source_side=source_side,
            event="CAPTURE",
            actor_side=actor_side,
            polarity="asserted",
            modality="factual",
            interest=interest,
            date=D(2023, 5, day),
            place="Bakhmut",
            place_key="bakhmut",
        )

    facts = [
        fact(1, "UA", "Institute for the Study of War", "THIRD", 1, interest="neutral"),
        fact(2, "RU", "Yevgeny Prigozhin", "RU", 3),  # weaker than the older claim: no change
        fact(3, "RU", "Ukrainian Armed Forces", "UA", 5, interest="against_interest"),
    ]
    timeline = estimate("Bakhmut", [read_evidence(f) for f in facts])
    ours, naive = cds.checks_for(place(), timeline)
    assert [(c.date, c.side, c.baseline) for c in ours] == [
        ("2023-05-01", "UA", "UA"),
        ("2023-05-05", "RU", "RU"),
    ]
    assert ours[1].confidence < 1.0
    assert [claim["source"] for claim in ours[1].claims] == [
        "Ukrainian Armed Forces",
        "Yevgeny Prigozhin",
        "Institute for the Study of War",
    ]
    assert [(c.date, c.side) for c in naive] == [("2023-05-01", "UA"), ("2023-05-03", "RU")]
