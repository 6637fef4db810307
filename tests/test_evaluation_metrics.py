"""Metric functions of the evaluation scripts, on toy inputs with answers worked out by hand."""

import math

import pytest

from evaluation.metrics import (
    PRF,
    accuracy,
    confusion_matrix,
    count_categories,
    haversine_km,
    macro_f1,
    match_one_to_one,
    overlap_length,
    overlaps,
    per_label_prf,
    percentile,
    ratio,
    share_within,
)
from evaluation.results import Metric, MissCategory, TaskResult, load, save


def test_prf_from_counts():
    s = PRF(tp=3, fp=1, fn=2)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_prf_with_nothing_predicted_is_zero_not_an_error():
    assert PRF(0, 0, 4).precision == 0.0
    assert PRF(0, 0, 4).f1 == 0.0


def test_ratio_and_accuracy():
    assert ratio(1, 0) == 0.0
    assert accuracy([("a", "a"), ("b", "c"), ("c", "c"), ("d", None)]) == pytest.approx(0.5)


def test_per_label_and_macro_f1():
    gold = ["A", "A", "B", "C"]
    pred = ["A", "B", "B", "A"]
    scores = per_label_prf(gold, pred, ["A", "B", "C"])
    assert (scores["A"].tp, scores["A"].fp, scores["A"].fn) == (1, 1, 1)
    assert (scores["B"].tp, scores["B"].fp, scores["B"].fn) == (1, 1, 0)
    assert scores["C"].f1 == 0.0
    # A: P=R=0.5 -> 0.5; B: P 0.5 R 1 -> 2/3; C: 0
    assert macro_f1(gold, pred, ["A", "B", "C"]) == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_per_label_prf_refuses_lists_of_different_length():
    with pytest.raises(ValueError):
        per_label_prf(["A"], ["A", "B"], ["A"])


def test_confusion_matrix_rows_are_gold():
    matrix = confusion_matrix(["A", "A", "B", "X"], ["A", "B", "B", "A"], ["A", "B"])
    assert matrix == [[1, 1], [0, 1]]


def test_haversine_known_distances():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    # Kyiv to Bakhmut, about 577 km
    assert haversine_km(50.4501, 30.5234, 48.5947, 38.0008) == pytest.approx(577, abs=5)
    assert haversine_km(48.0, 37.0, 48.0, 37.0) == 0.0


def test_percentile_interpolates_like_numpy():
    values = [1, 2, 3, 4]
    assert percentile(values, 50) == pytest.approx(2.5)
    assert percentile(values, 90) == pytest.approx(3.7)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 4
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_share_within():
    assert share_within([1.0, 9.9, 10.0, 25.0], 10) == pytest.approx(0.75)
    assert share_within([], 10) == 0.0


def test_span_overlap():
    assert overlaps((0, 5), (4, 9))
    assert not overlaps((0, 5), (5, 9))  # half-open: touching is not overlapping
    assert overlap_length((0, 5), (3, 10)) == 2
    assert overlap_length((0, 5), (6, 10)) == 0


def test_match_one_to_one_prefers_the_larger_overlap():
    gold = [(0, 10), (20, 30)]
    pred = [(5, 25), (0, 9)]
    pairs = match_one_to_one(gold, pred, overlap_length)
    # (0,10)-(0,9) overlaps 9 > (0,10)-(5,25) 5, so pred 1 goes to gold 0, pred 0 to gold 1
    assert pairs == [(0, 1), (1, 0)]


def test_match_one_to_one_leaves_unmatched_items_out():
    assert match_one_to_one([(0, 2)], [(5, 6)], overlap_length) == []


def test_count_categories_most_frequent_first():
    assert count_categories(["b", "a", "b", "c", "a", "b"]) == [("b", 3), ("a", 2), ("c", 1)]


def test_metric_target_direction():
    assert Metric("speaker accuracy", 0.91, target=0.9).met is True
    assert Metric("median error", 12.0, target=10.0, higher_is_better=False, unit="km").met is False
    assert Metric("no target", 0.5).met is None


def test_task_result_round_trips_through_json(tmp_path):
    result = TaskResult(
        task="toy",
        title="Toy task",
        data="three items",
        metrics=[Metric("accuracy", 2 / 3, n=3, target=0.5)],
        misses=[MissCategory("wrong label", 1, ["item 2"])],
        run={"date": "2026-11-25"},
    )
    path = save(result, tmp_path)
    assert path.name == "toy.json"
    again = load(path)
    assert again == result
    assert again.metric("accuracy").met is True
