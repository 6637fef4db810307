"""Claims from headlines: UCDP GED events for Ukraine 2022–23, one headline at a time.

UCDP coders attach to every event the headline(s) of the reports they coded it from
(``source_headline``, several joined by ``;``), who made the report (``source_original``), the
dyad (``side_a`` / ``side_b``) and the deaths on each side (``deaths_a``, ``deaths_b``,
``deaths_civilians``). UCDP does not code who attacked whom, so the gold for each figure is
derived from its coding, and each rule is stated here and in ``docs/evaluation.md``:

- **Acting side** (the side that inflicted the harm): defined when soldiers of exactly one side
  died and no civilians did — the acting side is then the other side of the dyad. Civilian-only
  events have no derivable attacker and are left out of this figure.
- **Predicted acting side** of an event: from its headlines' claims that name a side —
  ``actor_side`` for events done *by* a side (ADVANCE, CAPTURE, ASSAULT, REPEL, SHELLING,
  AIR_STRIKE, INTERCEPT, REINFORCEMENT), the *other* side for events suffered (WITHDRAW,
  CASUALTIES, ENCIRCLEMENT: their ``actor_side`` is the side it happens to). Since UCDP's gold
  is about who died, casualty claims count first, then repelled attacks and interceptions,
  then the rest in text order ("a Ukrainian attack failed with heavy losses" was inflicted by
  the defender). Civilian casualties name no attacker.
- **Claimant side**: UCDP's ``source_original`` mapped to a side by ``ucdp_sides.yaml``; the
  prediction is the side of the first claim's source or of a quote's speaker in the headline.
  Scored on the events whose source maps to a side; *coverage* says how many headlines name
  their source in a way the tool recognised.
- **Event type**: UCDP has none; every event is a fatal clash, so the figure is the share of
  headlines with at least one claim (coverage) and the distribution of types found.
- **Casualties**: the largest count of a CASUALTIES claim on a side vs UCDP's deaths on that
  side (civilians vs ``deaths_civilians``). Headline counts are claims ("destroyed up to 140
  servicemen"), UCDP counts are its coders' best estimate, so the ratio is a finding, not an
  error rate.

Run: ``python -m evaluation.ucdp_headlines ../shared/eval/ucdp_ukraine --results build/evaluation``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evaluation.metrics import count_categories, percentile, ratio
from evaluation.results import (
    Metric,
    MissCategory,
    TaskResult,
    print_result,
    save,
    task_parser,
)

CSV_NAME = "UCDP-Ukraine_2014-2023_utf8.csv"
SIDES_FILE = Path(__file__).with_name("ucdp_sides.yaml")
YEARS = ("2022", "2023")
TARGET_ACTING_SIDE = 0.90
BELLIGERENTS = ("UA", "RU")
SUFFERED = {"WITHDRAW", "CASUALTIES", "ENCIRCLEMENT"}  # actor_side = the side it happens to


class DataError(Exception):
    """The data folder is missing or not what the script expects."""


@dataclass
class UcdpEvent:
    """One UCDP event with what the evaluation needs."""

    id: str
    headlines: list[str]
    date: str | None
    side_a: str
    side_b: str
    deaths_a: int
    deaths_b: int
    deaths_civilians: int
    deaths_unknown: int
    source_original: str


@dataclass
class SideRules:
    """UCDP labels → sides (``ucdp_sides.yaml``)."""

    dyad_sides: dict[str, str]
    source_patterns: list[tuple[re.Pattern[str], str]]

    @classmethod
    def load(cls, path: Path = SIDES_FILE) -> SideRules:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        patterns = [
            (re.compile(rule["pattern"], re.IGNORECASE), rule["side"])
            for rule in raw["source_patterns"]
        ]
        return cls(dict(raw["dyad_sides"]), patterns)

    def dyad_side(self, name: str) -> str | None:
        return self.dyad_sides.get(name.strip())

    def source_side(self, source_original: str) -> str | None:
        text = source_original.strip()
        for pattern, side in self.source_patterns:
            if pattern.search(text):
                return side
        return None


@dataclass
class HeadlineReading:
    """What the tool read in one headline."""

    headline: str
    claims: list[tuple[str, str, str | None]]  # (event, actor_side, source side or None)
    speaker_sides: list[str] = field(default_factory=list)
    casualties: dict[str, float] = field(default_factory=dict)  # victim side -> largest count


@dataclass
class EventOutcome:
    """Gold and predicted values for one UCDP event."""

    event: UcdpEvent
    readings: list[HeadlineReading]
    gold_acting: str | None
    predicted_acting: str | None
    gold_claimant: str | None
    predicted_claimant: str | None


# --------------------------------------------------------------------------------------------
# Reading the data
# --------------------------------------------------------------------------------------------


def split_headlines(value: str) -> list[str]:
    """UCDP joins the headlines of an event's reports with ``;``."""
    return [h.strip() for h in value.split(";") if h.strip()]


def parse_date(value: str) -> str | None:
    """UCDP dates come as ``1/22/2014 12:00:00 AM``, ``2014-01-22`` or ``22/01/2014``."""
    value = value.strip().split(" ")[0]
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _count(value: str) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def event_from_row(row: dict[str, str]) -> UcdpEvent:
    """One CSV row as a :class:`UcdpEvent`."""
    return UcdpEvent(
        id=row["id"],
        headlines=split_headlines(row.get("source_headline", "")),
        date=parse_date(row.get("date_start", "")),
        side_a=row.get("side_a", ""),
        side_b=row.get("side_b", ""),
        deaths_a=_count(row.get("deaths_a", "")),
        deaths_b=_count(row.get("deaths_b", "")),
        deaths_civilians=_count(row.get("deaths_civilians", "")),
        deaths_unknown=_count(row.get("deaths_unknown", "")),
        source_original=row.get("source_original", ""),
    )


def load_events(folder: Path, years: Sequence[str] = YEARS) -> list[UcdpEvent]:
    """The UCDP events of ``years`` that have at least one headline."""
    path = folder / CSV_NAME if folder.is_dir() else folder
    if not path.is_file():
        raise DataError(f"{path}: not found (expected the UCDP Ukraine CSV or its folder)")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "source_headline" not in rows[0]:
        raise DataError(f"{path}: no source_headline column; is this the UCDP GED CSV?")
    events = [event_from_row(r) for r in rows if r.get("year") in years]
    return [e for e in events if e.headlines]


# --------------------------------------------------------------------------------------------
# Gold values derived from UCDP's coding
# --------------------------------------------------------------------------------------------


def other_side(side: str | None) -> str | None:
    """The opposing belligerent (UA ↔ RU); None for anything else."""
    if side == "UA":
        return "RU"
    if side == "RU":
        return "UA"
    return None


def gold_acting_side(event: UcdpEvent, rules: SideRules) -> str | None:
    """The side that inflicted the deaths, when soldiers of exactly one side died."""
    if event.deaths_civilians or event.deaths_unknown:
        return None
    a, b = rules.dyad_side(event.side_a), rules.dyad_side(event.side_b)
    if a not in BELLIGERENTS or b not in BELLIGERENTS or a == b:
        return None
    if event.deaths_a > 0 and event.deaths_b == 0:
        return b
    if event.deaths_b > 0 and event.deaths_a == 0:
        return a
    return None


def gold_deaths_by_side(event: UcdpEvent, rules: SideRules) -> dict[str, int]:
    """UCDP deaths keyed by our side codes (CIVILIAN for civilians)."""
    deaths: Counter[str] = Counter()
    for name, count in ((event.side_a, event.deaths_a), (event.side_b, event.deaths_b)):
        side = rules.dyad_side(name)
        if side in BELLIGERENTS:
            deaths[side] += count
    deaths["CIVILIAN"] += event.deaths_civilians
    return dict(deaths)


# --------------------------------------------------------------------------------------------
# Predictions
# --------------------------------------------------------------------------------------------


def inflicting_side(event_type: str, actor_side: str) -> str | None:
    """Who inflicted an event on the other side, from a claim's type and ``actor_side``."""
    if event_type in SUFFERED:
        return other_side(actor_side)
    return actor_side if actor_side in BELLIGERENTS else None


# UCDP's deaths say who was killed, so the claims that say who killed whom come first: the
# victims of casualties, then the side that repelled or intercepted, then the rest.
HARM_ORDER = {"CASUALTIES": 0, "REPEL": 1, "INTERCEPT": 1}


def predicted_acting_side(readings: Iterable[HeadlineReading]) -> str | None:
    """The inflicting side the claims of an event's headlines give, the most direct first
    (casualties, then repelled attacks and interceptions, then other events in text order)."""
    claims = [claim for reading in readings for claim in reading.claims]
    ranked = sorted(enumerate(claims), key=lambda ic: (HARM_ORDER.get(ic[1][0], 2), ic[0]))
    for _index, (event_type, actor_side, _source_side) in ranked:
        side = inflicting_side(event_type, actor_side)
        if side:
            return side
    return None


def predicted_claimant_side(readings: Iterable[HeadlineReading]) -> str | None:
    """The side of the first named source: a claim's source, else a quote's speaker."""
    for reading in readings:
        for _event, _actor, source_side in reading.claims:
            if source_side and source_side != "UNKNOWN":
                return source_side
        for side in reading.speaker_sides:
            if side and side != "UNKNOWN":
                return side
    return None


def read_headlines(events: Sequence[UcdpEvent]) -> list[list[HeadlineReading]]:
    """Run the pipeline on every headline, each as a one-line article dated like its event."""
    from fogofwar.pipeline import Document, analyze_many

    documents = [
        Document(text=headline, published=event.date)
        for event in events
        for headline in event.headlines
    ]
    analyses = iter(analyze_many(documents, profile="russia-ukraine"))
    readings = []
    for event in events:
        readings.append([reading_from(h, next(analyses)) for h in event.headlines])
    return readings


def reading_from(headline: str, analysis) -> HeadlineReading:
    """Reduce an analysis of one headline to what is scored."""
    claims = sorted(analysis.claims, key=lambda c: c.evidence.start)
    reading = HeadlineReading(
        headline=headline,
        claims=[(c.event, c.actor_side, c.source.side if c.source.name else None) for c in claims],
        speaker_sides=[q.speaker.side for q in analysis.quotes if q.speaker],
    )
    for claim in claims:
        if claim.event == "CASUALTIES" and claim.magnitude and claim.magnitude.unit == "count":
            if claim.polarity != "asserted":
                continue
            side = claim.actor_side
            reading.casualties[side] = max(reading.casualties.get(side, 0), claim.magnitude.value)
    return reading


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


def outcomes_for(
    events: Sequence[UcdpEvent], readings: Sequence[list[HeadlineReading]], rules: SideRules
) -> list[EventOutcome]:
    return [
        EventOutcome(
            event=event,
            readings=event_readings,
            gold_acting=gold_acting_side(event, rules),
            predicted_acting=predicted_acting_side(event_readings),
            gold_claimant=rules.source_side(event.source_original),
            predicted_claimant=predicted_claimant_side(event_readings),
        )
        for event, event_readings in zip(events, readings, strict=True)
    ]


def side_scores(pairs: Sequence[tuple[str | None, str | None]]) -> tuple[float, float, int, int]:
    """(accuracy over answered, coverage, answered, total) for (gold, predicted) pairs."""
    scored = [(g, p) for g, p in pairs if g is not None]
    answered = [(g, p) for g, p in scored if p is not None]
    correct = sum(g == p for g, p in answered)
    return (
        ratio(correct, len(answered)),
        ratio(len(answered), len(scored)),
        len(answered),
        len(scored),
    )


def casualty_pairs(
    outcomes: Sequence[EventOutcome], rules: SideRules
) -> list[tuple[str, float, int, str | None]]:
    """(victim side, claimed count, UCDP count, claimant side) for every headline count."""
    pairs = []
    for outcome in outcomes:
        gold = gold_deaths_by_side(outcome.event, rules)
        claimed: dict[str, float] = {}
        for reading in outcome.readings:
            for side, count in reading.casualties.items():
                claimed[side] = max(claimed.get(side, 0), count)
        for side, count in claimed.items():
            if side in gold:
                pairs.append((side, count, gold[side], outcome.gold_claimant))
    return pairs


NO_CLAIM_KINDS = (
    ("a social-media handle or page title, no event in it", r"@\w|\bTweet\b|\bLinkedIn\b"),
    ("a digest or summary headline", r"^(MAIN|HIGHLIGHTS)\b|\bsummary\b|\bevents around\b"),
    (
        "equipment, depots or positions hit (no event type for materiel in the ontology)",
        r"\b(destroy\w*|hit|struck|defeat|blow|damage|sank|knocked out|sorties?)\b",
    ),
)


def no_claim_kind(headline: str) -> str:
    """A rough kind for a headline the tool read no claim in (for the misses table)."""
    for kind, pattern in NO_CLAIM_KINDS:
        if re.search(pattern, headline, re.IGNORECASE):
            return kind
    return "other wording"


def acting_miss_category(outcome: EventOutcome) -> str:
    """Why the acting side was missed or wrong, in words."""
    if outcome.predicted_acting is not None:
        return "wrong acting side"
    if not any(r.claims for r in outcome.readings):
        return "no claim: " + no_claim_kind(" ".join(outcome.event.headlines))
    if all(
        event == "CASUALTIES" and actor == "CIVILIAN"
        for r in outcome.readings
        for event, actor, _ in r.claims
    ):
        return "only civilian casualties read (no belligerent named as victim or attacker)"
    return "claims found but no side"


def score(outcomes: Sequence[EventOutcome], rules: SideRules) -> TaskResult:
    """All figures of the task."""
    n = len(outcomes)
    acting_acc, acting_cov, acting_answered, acting_total = side_scores(
        [(o.gold_acting, o.predicted_acting) for o in outcomes]
    )
    claim_acc, claim_cov, claim_answered, claim_total = side_scores(
        [(o.gold_claimant, o.predicted_claimant) for o in outcomes]
    )
    with_claims = sum(any(r.claims for r in o.readings) for o in outcomes)
    pairs = casualty_pairs(outcomes, rules)
    exact = sum(claimed == gold for _side, claimed, gold, _c in pairs)
    ratios = [claimed / gold for _s, claimed, gold, _c in pairs if gold > 0]

    result = TaskResult(
        task="ucdp_headlines",
        title="Claims from UCDP headlines",
        data=f"UCDP GED Ukraine {'–'.join(YEARS)}: {n} events, "
        f"{sum(len(o.event.headlines) for o in outcomes)} headlines",
        metrics=[
            Metric(
                "acting-side accuracy", acting_acc, n=acting_answered, target=TARGET_ACTING_SIDE
            ),
            Metric("acting-side coverage (answered / derivable)", acting_cov, n=acting_total),
            Metric("claimant-side accuracy", claim_acc, n=claim_answered),
            Metric("claimant-side coverage (answered / mappable)", claim_cov, n=claim_total),
            Metric("events with at least one claim", ratio(with_claims, n), n=n),
            Metric("casualty counts equal to UCDP's", ratio(exact, len(pairs)), n=len(pairs)),
            Metric(
                "median claimed / UCDP deaths",
                percentile(ratios, 50) if ratios else 0.0,
                n=len(ratios),
                unit="×",
            ),
        ],
    )
    result.sections.append(_event_type_table(outcomes))
    result.sections.append(_casualty_table(pairs))
    result.misses = _acting_misses(outcomes) + _claimant_misses(outcomes)
    return result


def _event_type_table(outcomes: Sequence[EventOutcome]) -> str:
    counts = Counter(event for o in outcomes for r in o.readings for event, _a, _s in r.claims)
    rows = "\n".join(
        f"| {event} | {count} |" for event, count in count_categories(counts.elements())
    )
    header = "Event types found in the headlines (UCDP codes none):\n\n| type | claims |\n|---|---|"
    return f"{header}\n{rows}\n"


def _casualty_table(pairs: Sequence[tuple[str, float, int, str | None]]) -> str:
    lines = [
        "Casualty counts claimed in headlines vs UCDP deaths, by who made the report "
        "(UCDP `source_original`) and whose dead:",
        "",
        "| report by | dead | headlines | median claimed | median UCDP | median ratio |",
        "|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for side, claimed, gold, claimant in pairs:
        groups.setdefault((claimant or "unmapped", side), []).append((claimed, gold))
    for (claimant, side), values in sorted(groups.items()):
        ratios = [c / g for c, g in values if g > 0]
        median_ratio = f"{percentile(ratios, 50):.1f}×" if ratios else "–"
        lines.append(
            f"| {claimant} | {side} | {len(values)} | {percentile([c for c, _ in values], 50):g} "
            f"| {percentile([g for _, g in values], 50):g} | {median_ratio} |"
        )
    return "\n".join(lines) + "\n"


def _acting_misses(outcomes: Sequence[EventOutcome]) -> list[MissCategory]:
    categories: dict[str, list[str]] = {}
    for o in outcomes:
        if o.gold_acting is None or o.predicted_acting == o.gold_acting:
            continue
        categories.setdefault(acting_miss_category(o), []).append(
            f"{o.event.headlines[0][:140]} (gold {o.gold_acting}, got {o.predicted_acting})"
        )
    return [
        MissCategory(f"acting side: {name}", len(examples), examples[:4])
        for name, examples in sorted(categories.items(), key=lambda kv: -len(kv[1]))
    ]


def _claimant_misses(outcomes: Sequence[EventOutcome]) -> list[MissCategory]:
    wrong = [
        o
        for o in outcomes
        if o.gold_claimant and o.predicted_claimant and o.gold_claimant != o.predicted_claimant
    ]
    if not wrong:
        return []
    return [
        MissCategory(
            "claimant side wrong",
            len(wrong),
            [
                f"{o.event.headlines[0][:120]} (UCDP source: {o.event.source_original[:60]}; "
                f"gold {o.gold_claimant}, got {o.predicted_claimant})"
                for o in wrong[:4]
            ],
        )
    ]


# --------------------------------------------------------------------------------------------
# Plot and command line
# --------------------------------------------------------------------------------------------


def plot(pairs: Sequence[tuple[str, float, int, str | None]], path: Path) -> None:
    """Claimed count vs UCDP deaths, log–log, coloured by who made the report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"UA": "#1f77b4", "RU": "#d62728", "THIRD": "#2ca02c"}
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for claimant in ("UA", "RU", "THIRD", None):
        xs = [max(g, 0.8) for _s, c, g, who in pairs if who == claimant]
        ys = [max(c, 0.8) for _s, c, g, who in pairs if who == claimant]
        if xs:
            label = {None: "unmapped source"}.get(claimant, f"reported by {claimant}")
            ax.scatter(xs, ys, s=14, alpha=0.6, label=label, color=colours.get(claimant, "grey"))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.plot([0.8, 2000], [0.8, 2000], color="black", linewidth=0.8, linestyle="--", label="equal")
    ax.set_xlabel("UCDP deaths on the side named (best estimate; 0 drawn at 0.8)")
    ax.set_ylabel("count claimed in the headline (0 drawn at 0.8)")
    ax.set_title("Casualty claims in UCDP headlines vs UCDP's coding")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return task_parser(
        "ucdp_headlines",
        "Acting side, claimant side, event types and casualty counts read from UCDP source "
        "headlines (Ukraine 2022–23).",
        data_help="the ucdp_ukraine folder or its CSV",
        items="events",
        example_data="../shared/eval/ucdp_ukraine",
    ).parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        events = load_events(args.data)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.limit:
        events = events[: args.limit]
    rules = SideRules.load()
    outcomes = outcomes_for(events, read_headlines(events), rules)
    result = score(outcomes, rules)
    plot(casualty_pairs(outcomes, rules), args.plots / "ucdp_headlines.png")
    result.plots = ["img/ucdp_headlines.png"]
    result.seconds = time.perf_counter() - started
    print_result(result)
    save(result, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
