"""Territorial control: who claims a place when, and a daily estimate of who holds it.

Each capture or withdrawal claim about a place is evidence that one side holds it from the
claim's date: ``CAPTURE`` by S asserted speaks for S; denied, weakly for the other side;
``WITHDRAW`` by S from the place speaks for the other side. Evidence is weighed by what kind of
claim it is (``data/assessment.yaml``: an admission against interest counts most, then an
independent assessment, then a self-serving claim; hedged claims and wire copies count less or
not at all) and fades with age (half-life). The estimate for a day is the side with the most
weight so far; its confidence is that side's share of all weight.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .incidents import CORROBORATED, ClaimFact, _profile, load_config
from .models import THIRD, UNKNOWN


@dataclass(frozen=True)
class Evidence:
    """One claim read as evidence of control."""

    date: dt.date
    side: str  # the side it says holds the place
    weight: float
    fact: ClaimFact
    why: str  # how the claim was read and weighed

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "holder": self.side,
            "weight": round(self.weight, 3),
            "why": self.why,
            "claim_id": self.fact.id,
            "article_id": self.fact.article_id,
            "source": self.fact.source,
            "source_side": self.fact.source_side,
            "event": self.fact.event,
            "actor_side": self.fact.actor_side,
            "polarity": self.fact.polarity,
            "evidence": self.fact.evidence,
        }


@dataclass(frozen=True)
class DayEstimate:
    date: dt.date
    side: str | None
    confidence: float
    weights: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "holder": self.side,
            "confidence": self.confidence,
            "weights": self.weights,
        }


@dataclass
class ControlTimeline:
    """Everything ``fogofwar control PLACE`` shows."""

    place: str
    evidence: list[Evidence] = field(default_factory=list)
    days: list[DayEstimate] = field(default_factory=list)

    @property
    def changes(self) -> list[DayEstimate]:
        """The days the estimated holder changes (the first estimate included)."""
        out: list[DayEstimate] = []
        for day in self.days:
            if day.side and (not out or out[-1].side != day.side):
                out.append(day)
        return out

    def to_dict(self, *, daily: bool = True) -> dict[str, Any]:
        """The claims as evidence, the estimate changes and (``daily``) every day's estimate."""
        return {
            "place": self.place,
            "claims": [e.to_dict() for e in self.evidence],
            "changes": [d.to_dict() for d in self.changes],
            "days": [d.to_dict() for d in self.days] if daily else None,
        }

    def on(self, date: dt.date) -> DayEstimate | None:
        for day in self.days:
            if day.date == date:
                return day
        return None


def read_evidence(
    fact: ClaimFact, incident_status: str | None = None, config=None
) -> Evidence | None:
    """A claim as evidence of control, or None when it says nothing about who holds the place."""
    config = config or load_config()
    rules = config.control
    if fact.event not in rules["events"] or fact.date is None or fact.modality == "prospective":
        return None
    if fact.duplicate_of:
        return None  # a wire copy repeats its original
    profile = _profile(fact.profile)
    opposite = profile.opposite(fact.actor_side) if profile else None
    weights, multipliers = rules["weights"], rules["multipliers"]
    notes: list[str] = []
    if fact.event == "CAPTURE":
        side = fact.actor_side if fact.polarity == "asserted" else opposite
        if fact.polarity == "denied":
            notes.append(f"denial ×{multipliers['denied']}")
    else:  # WITHDRAW by S: the other side holds the place
        side = opposite if fact.polarity == "asserted" else fact.actor_side
        notes.append(f"withdrawal ×{multipliers['withdraw']}")
    if side in (None, UNKNOWN) or (profile and side not in profile.sides):
        return None
    if fact.source_side == THIRD:
        kind = "independent"
    elif fact.source_side in (UNKNOWN, None) or not fact.source:
        kind = "unattributed"
    elif fact.interest == "against_interest":
        kind = "against_interest"
    else:
        kind = "self_serving"
    weight = float(weights[kind])
    for note in notes:
        weight *= float(multipliers["denied" if note.startswith("denial") else "withdraw"])
    if fact.modality == "hedged":
        weight *= float(multipliers["hedged"])
        notes.append(f"hedged ×{multipliers['hedged']}")
    if incident_status == CORROBORATED:
        weight *= float(multipliers["corroborated"])
        notes.append(f"corroborated ×{multipliers['corroborated']}")
    why = f"{kind.replace('_', ' ')} {weights[kind]}" + "".join(f", {n}" for n in notes)
    return Evidence(fact.date, side, weight, fact, why)


def without_repeats(evidence: Sequence[Evidence]) -> list[Evidence]:
    """A source saying the same thing again on the same day (in several sentences or articles)
    counts once: later repeats keep their place in the timeline with weight 0."""
    seen: set[tuple] = set()
    out = []
    for item in evidence:
        fact = item.fact
        who = (fact.source or f"outlet:{fact.independent_article}").casefold()
        key = (who, fact.source_side, item.side, item.date)
        if key in seen:
            note = f"repeats {fact.source or 'the report'}; not counted"
            item = replace(item, weight=0.0, why=note)
        seen.add(key)
        out.append(item)
    return out


def estimate(
    place: str,
    evidence: Sequence[Evidence],
    *,
    until: dt.date | None = None,
    half_life_days: float | None = None,
) -> ControlTimeline:
    """Daily estimates from the first evidence to ``until`` (default: the last evidence)."""
    half_life = half_life_days or float(load_config().control["half_life_days"])
    ordered = without_repeats(sorted(evidence, key=lambda e: (e.date, -e.weight, e.fact.id)))
    timeline = ControlTimeline(place, list(ordered))
    if not ordered:
        return timeline
    last = until or ordered[-1].date
    day = ordered[0].date
    while day <= last:
        weights: dict[str, float] = defaultdict(float)
        for item in ordered:
            if item.date > day:
                break
            age = (day - item.date).days
            weights[item.side] += item.weight * 0.5 ** (age / half_life)
        total = sum(weights.values())
        side = max(weights, key=lambda s: (weights[s], s)) if total else None
        confidence = weights[side] / total if side else 0.0
        timeline.days.append(
            DayEstimate(
                day, side, round(confidence, 3), {k: round(v, 3) for k, v in weights.items()}
            )
        )
        day += dt.timedelta(days=1)
    return timeline
