"""Metric functions shared by the evaluation tasks (pure Python, tested on toy inputs)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
G = TypeVar("G")
P = TypeVar("P")

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 from true positives, false positives and false negatives."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, 0.0 when there is nothing to divide by."""
    return numerator / denominator if denominator else 0.0


def accuracy(pairs: Iterable[tuple[Hashable, Hashable]]) -> float:
    """Share of (gold, predicted) pairs that agree."""
    pairs = list(pairs)
    return ratio(sum(gold == pred for gold, pred in pairs), len(pairs))


def per_label_prf(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Iterable[Hashable]
) -> dict[Hashable, PRF]:
    """Single-label classification scores for each of ``labels`` (others count as negatives)."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items, predictions {len(pred)}")
    scores = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        scores[label] = PRF(tp, fp, fn)
    return scores


def macro_f1(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Iterable[Hashable]
) -> float:
    """Unweighted mean of the per-label F1 over ``labels``."""
    scores = per_label_prf(gold, pred, labels)
    return ratio(sum(s.f1 for s in scores.values()), len(scores))


def confusion_matrix(
    gold: Sequence[Hashable], pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> list[list[int]]:
    """Counts ``matrix[i][j]`` of items with gold ``labels[i]`` predicted as ``labels[j]``.

    Items whose gold or predicted label is not in ``labels`` are left out.
    """
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    return matrix


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation (numpy's default); nan if empty."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def share_within(values: Iterable[float], limit: float) -> float:
    """Share of ``values`` that are ``<= limit``."""
    values = list(values)
    return ratio(sum(v <= limit for v in values), len(values))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open character spans ``(start, end)`` share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def overlap_length(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_one_to_one(
    gold: Sequence[G],
    pred: Sequence[P],
    weight: Callable[[G, P], float],
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of gold and predicted items by descending positive weight.

    Returns ``(gold_index, pred_index)`` pairs; items whose best weight is 0 stay unmatched.
    """
    candidates = [
        (w, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if (w := weight(g, p)) > 0
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def count_categories(categories: Iterable[str]) -> list[tuple[str, int]]:
    """Category counts, most frequent first (ties by name)."""
    return sorted(Counter(categories).items(), key=lambda kv: (-kv[1], kv[0]))
