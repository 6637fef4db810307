"""Control estimates against DeepStateMap (issue 4): do the days our estimate of who holds a
place changes agree with DeepState's front-line polygons on that day and a week later?

Every UCDP GED headline for Ukraine 2022–23 is one document (the headline as text, the event's
``date_start`` as publication date). They are analysed (profile ``russia-ukraine``) into a
claims store, incidents are refreshed, and for every place with capture or withdrawal claims
the control timeline (``fogofwar.queries.control_timeline``) gives the days the estimate
changes. Each change is checked against the DeepState snapshot on or before that date (and
the one on or before a week later): a point inside an ``occupied`` polygon is held by RU, any
other point in Ukraine by UA. Not checkable: places outside Ukraine (the map does not cover
them), region- or country-level places (a centroid says nothing), dates before the first
snapshot or with no snapshot in the ``--max-gap-days`` before, and points in an
``unknown_status`` (grey-zone) polygon. DeepState is a Ukrainian volunteer OSINT assessment,
not ground truth. A naive baseline (the side of the latest claim, unweighted) is scored on
the same checks so the weighting is measured.

    .venv/bin/python benchmarks/control_deepstate.py                 # all headlines
    .venv/bin/python benchmarks/control_deepstate.py --limit 200     # quick
    .venv/bin/python benchmarks/control_deepstate.py --db ds.db      # keep the store
    .venv/bin/python benchmarks/control_deepstate.py --db ds.db --reuse --json

Point in polygon is a ray-casting test (even-odd rule over the exterior ring and the holes)
after a bounding-box test; MultiPolygons and GeometryCollections are split into polygons.
Shapely is not a dependency.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gzip
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
DEFAULT_UCDP = REPO.parent / "shared" / "eval" / "ucdp_ukraine"
DEFAULT_DEEPSTATE = REPO.parent / "shared" / "eval" / "deepstate_control"
SNAPSHOTS_NAME = "deepstate_snapshots_polygons.jsonl.gz"
PROFILE = "russia-ukraine"
WEEK = dt.timedelta(days=7)
DEFAULT_MAX_GAP_DAYS = 14
BATCH = 64  # documents per store transaction
EXAMPLES = """\
examples:
  .venv/bin/python benchmarks/control_deepstate.py                 # all headlines
  .venv/bin/python benchmarks/control_deepstate.py --limit 200     # quick
  .venv/bin/python benchmarks/control_deepstate.py --db ds.db      # keep the store
  .venv/bin/python benchmarks/control_deepstate.py --db ds.db --reuse --json
"""

OCCUPIED, LIBERATED, UNKNOWN_STATUS = "occupied", "liberated", "unknown_status"
# A point in several polygons takes the first status of this order: a grey zone drawn over
# occupied ground is not a confident "occupied"; "liberated" areas are history.
STATUS_ORDER = (UNKNOWN_STATUS, OCCUPIED, LIBERATED)
COVERED_COUNTRY = "UA"

# Not-checkable reasons
OUTSIDE = "outside the map (place not in Ukraine)"
REGION = "region- or country-level place"
BEFORE_FIRST = "before the first snapshot"
NO_RECENT = "no snapshot in the days before"
GREY_ZONE = "unknown-status (grey-zone) polygon"

# Confidence buckets: (lower bound, label); a confidence falls in the last bucket it reaches.
BUCKETS = ((0.0, "0.50-0.59"), (0.6, "0.60-0.79"), (0.8, "0.80-0.99"), (1.0, "1.00"))

try:  # the package is normally installed (editable) into the venv; fall back to src/
    import fogofwar  # noqa: F401
except ImportError:  # pragma: no cover - only outside the venv
    sys.path.insert(0, str(REPO / "src"))


class DataError(Exception):
    """The evaluation data is missing or not what the script expects (one-line message)."""


# ---------------------------------------------------------------------------------------------
# Geometry: point in polygon
# ---------------------------------------------------------------------------------------------

Ring = Sequence[Sequence[float]]  # [[lon, lat(, alt)], ...] as in GeoJSON


def point_in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting: does a ray from the point towards +lon cross the ring an odd number
    of times? (Closed or open rings; a point exactly on an edge may fall either way.)"""
    inside = False
    n = len(ring)
    if n < 3:
        return False
    x1, y1 = ring[-1][0], ring[-1][1]
    for vertex in ring:
        x2, y2 = vertex[0], vertex[1]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        x1, y1 = x2, y2
    return inside


def bounding_box(ring: Ring) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat)."""
    lons = [v[0] for v in ring]
    lats = [v[1] for v in ring]
    return min(lons), min(lats), max(lons), max(lats)


@dataclass(frozen=True)
class Area:
    """One polygon of a snapshot: exterior ring, holes, status and bounding box."""

    status: str
    exterior: Ring
    holes: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]

    @classmethod
    def from_rings(cls, status: str, rings: Sequence[Ring]) -> Area:
        return cls(status, rings[0], tuple(rings[1:]), bounding_box(rings[0]))

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        if not point_in_ring(lon, lat, self.exterior):
            return False
        return not any(point_in_ring(lon, lat, hole) for hole in self.holes)


def areas_from_geometry(geometry: dict[str, Any] | None, status: str) -> list[Area]:
    """The polygons of a GeoJSON geometry (Polygon, MultiPolygon, GeometryCollection); lines
    and points have no inside and are skipped."""
    if not geometry:
        return []
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = geometry.get("coordinates") or []
        return [Area.from_rings(status, rings)] if rings and len(rings[0]) >= 3 else []
    if kind == "MultiPolygon":
        return [
            area
            for rings in geometry.get("coordinates") or []
            for area in areas_from_geometry({"type": "Polygon", "coordinates": rings}, status)
        ]
    if kind == "GeometryCollection":
        return [
            area
            for part in geometry.get("geometries") or []
            for area in areas_from_geometry(part, status)
        ]
    return []


def areas_from_snapshot(collection: dict[str, Any]) -> list[Area]:
    """Every polygon of one FeatureCollection, with its feature's ``status``."""
    areas = []
    for feature in collection.get("features") or []:
        status = (feature.get("properties") or {}).get("status") or ""
        areas.extend(areas_from_geometry(feature.get("geometry"), status))
    return areas


def status_at(areas: Iterable[Area], lon: float, lat: float) -> str | None:
    """The status of the polygons containing the point (``STATUS_ORDER`` decides overlaps);
    None when no polygon contains it."""
    found = {area.status for area in areas if area.contains(lon, lat)}
    for status in STATUS_ORDER:
        if status in found:
            return status
    return min(found) if found else None


def side_from_status(status: str | None) -> str | None:
    """Who holds a point in Ukraine by DeepState: RU in occupied ground, UA elsewhere (liberated
    or no polygon); None in a grey zone."""
    if status == OCCUPIED:
        return "RU"
    if status == UNKNOWN_STATUS:
        return None
    return "UA"


# ---------------------------------------------------------------------------------------------
# Snapshots by date
# ---------------------------------------------------------------------------------------------

_SNAPSHOT_DATE = re.compile(r'"snapshot_utc"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def snapshot_on_or_before(
    dates: Sequence[dt.date], day: dt.date, max_gap_days: int | None = None
) -> int | None:
    """Index of the latest snapshot dated on or before ``day`` (``dates`` sorted ascending);
    None before the first one or when it is more than ``max_gap_days`` older."""
    index = bisect.bisect_right(dates, day) - 1
    if index < 0:
        return None
    if max_gap_days is not None and (day - dates[index]).days > max_gap_days:
        return None
    return index


def line_date(line: str) -> dt.date:
    """A snapshot line's date (UTC) from its ``snapshot_utc``, without parsing the polygons."""
    match = _SNAPSHOT_DATE.search(line[:2000])
    if not match:
        raise DataError("a snapshot line without snapshot_utc")
    return dt.date.fromisoformat(match.group(1))


class SnapshotArchive:
    """The DeepState JSON-lines archive: dates indexed in one pass; polygons parsed only for the
    snapshots asked about, one at a time (a parsed snapshot is a few MB)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[int] = []  # line number of each snapshot, by date
        self.dates: list[dt.date] = []
        self._index()

    def _index(self) -> None:
        dated = []
        with gzip.open(self.path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if line.strip():
                    dated.append((line_date(line), number))
        if not dated:
            raise DataError(f"{self.path}: no snapshots")
        dated.sort()
        self.dates = [d for d, _ in dated]
        self.lines = [n for _, n in dated]

    def statuses(
        self, wanted: dict[int, set[tuple[float, float]]]
    ) -> dict[tuple[int, float, float], str | None]:
        """Status at each (lat, lon) point asked for each snapshot index: ``{(index, lat, lon):
        status}``, reading the archive once."""
        by_line = {self.lines[index]: index for index in wanted}
        out: dict[tuple[int, float, float], str | None] = {}
        with gzip.open(self.path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                index = by_line.get(number)
                if index is None:
                    continue
                areas = areas_from_snapshot(json.loads(line))
                for lat, lon in wanted[index]:
                    out[(index, lat, lon)] = status_at(areas, lon, lat)
        return out


def open_archive(folder: Path) -> SnapshotArchive:
    path = folder / SNAPSHOTS_NAME if folder.is_dir() else folder
    if not path.is_file():
        raise DataError(f"{path}: not found (expected the DeepState snapshots or their folder)")
    return SnapshotArchive(path)


# ---------------------------------------------------------------------------------------------
# Baseline and agreement
# ---------------------------------------------------------------------------------------------


def latest_claim_side(claims: Sequence[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The naive estimate: the side of the latest claim on or before ``day``, unweighted; claims
    of that same date vote (ties go to the later side code, as in ``control.estimate``)."""
    earlier = [c for c in claims if c[0] <= day]
    if not earlier:
        return None
    last = max(date for date, _ in earlier)
    votes = Counter(side for date, side in earlier if date == last)
    return max(votes, key=lambda side: (votes[side], side))


def baseline_changes(claims: Sequence[tuple[dt.date, str]]) -> list[tuple[dt.date, str]]:
    """The days the naive estimate changes (the first estimate included)."""
    out: list[tuple[dt.date, str]] = []
    for day in sorted({date for date, _ in claims}):
        side = latest_claim_side(claims, day)
        if side and (not out or out[-1][1] != side):
            out.append((day, side))
    return out


@dataclass
class Tally:
    """Agreement over the checkable cases."""

    agree: int = 0
    checked: int = 0

    def add(self, ours: str | None, theirs: str | None) -> None:
        """Count one case; ``theirs`` None means not checkable (not counted)."""
        if theirs is None:
            return
        self.checked += 1
        self.agree += ours == theirs

    @property
    def rate(self) -> float | None:
        return round(self.agree / self.checked, 3) if self.checked else None

    def text(self) -> str:
        return f"{self.rate:.3f} ({self.agree}/{self.checked})" if self.checked else "-"

    def to_dict(self) -> dict[str, Any]:
        return {"agree": self.agree, "checked": self.checked, "rate": self.rate}


def tally(pairs: Iterable[tuple[str | None, str | None]]) -> Tally:
    """Agreement of (ours, DeepState side) pairs; pairs without a DeepState side are skipped."""
    result = Tally()
    for ours, theirs in pairs:
        result.add(ours, theirs)
    return result


def confidence_bucket(confidence: float) -> str:
    label = BUCKETS[0][1]
    for lower, name in BUCKETS:
        if confidence >= lower:
            label = name
    return label


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """DeepState at a place on one date: the side holding it, or why that cannot be said."""

    side: str | None
    status: str | None = None  # polygon status at the point; None: no polygon there
    snapshot: str | None = None  # ISO date of the snapshot used
    reason: str | None = None  # why not checkable

    def text(self) -> str:
        if self.side is None:
            return f"not checkable: {self.reason}"
        return f"{self.side} ({self.status or 'no polygon'}, {self.snapshot})"


@dataclass
class PlaceInfo:
    key: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    precision: str | None

    def unchecked_reason(self) -> str | None:
        """Why no date can be checked at this place, or None."""
        if self.lat is None or self.lon is None or self.precision != "settlement":
            return REGION
        if self.country != COVERED_COUNTRY:
            return OUTSIDE
        return None


@dataclass
class Check:
    """One estimate change (ours, or the baseline's) and DeepState on that day and a week on."""

    place: str
    lat: float | None
    lon: float | None
    date: str
    side: str
    confidence: float | None
    baseline: str | None  # the naive estimate on the same day
    same_day: Verdict | None = None
    week_later: Verdict | None = None
    claims: list[dict[str, Any]] = field(default_factory=list)


class DeepStateJudge:
    """Collects the (place, date) questions, then answers them all in one pass of the archive."""

    def __init__(self, archive: SnapshotArchive, max_gap_days: int) -> None:
        self.archive = archive
        self.max_gap_days = max_gap_days
        self.wanted: dict[int, set[tuple[float, float]]] = {}
        self.answers: dict[tuple[int, float, float], str | None] = {}

    def _snapshot(self, day: dt.date) -> tuple[int | None, str | None]:
        index = snapshot_on_or_before(self.archive.dates, day, self.max_gap_days)
        if index is not None:
            return index, None
        before_first = snapshot_on_or_before(self.archive.dates, day) is None
        return None, BEFORE_FIRST if before_first else f"{NO_RECENT} ({self.max_gap_days})"

    def ask(self, place: PlaceInfo, day: dt.date) -> None:
        if place.unchecked_reason():
            return
        index, _reason = self._snapshot(day)
        if index is not None:
            self.wanted.setdefault(index, set()).add((place.lat, place.lon))

    def answer_all(self) -> None:
        self.answers = self.archive.statuses(self.wanted)

    def verdict(self, place: PlaceInfo, day: dt.date) -> Verdict:
        reason = place.unchecked_reason()
        if reason:
            return Verdict(None, reason=reason)
        index, reason = self._snapshot(day)
        if index is None:
            return Verdict(None, reason=reason)
        status = self.answers[(index, place.lat, place.lon)]
        snapshot = self.archive.dates[index].isoformat()
        side = side_from_status(status)
        return Verdict(side, status, snapshot, None if side else GREY_ZONE)


# ---------------------------------------------------------------------------------------------
# Input: UCDP headlines into a store
# ---------------------------------------------------------------------------------------------


def load_documents(folder: Path, limit: int | None = None) -> tuple[list[Any], int, int]:
    """One document per distinct (headline, date) of the 2022–23 UCDP events; also the number
    of events and of headlines read."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from evaluation.ucdp_headlines import DataError as UcdpDataError
    from evaluation.ucdp_headlines import load_events
    from fogofwar.pipeline import Document

    try:
        events = load_events(folder)
    except UcdpDataError as error:
        raise DataError(str(error)) from None
    seen: set[tuple[str, str | None]] = set()
    documents = []
    headlines = 0
    for event in events:
        for headline in event.headlines:
            headlines += 1
            if (headline, event.date) in seen:
                continue
            seen.add((headline, event.date))
            documents.append(Document(headline, event.date, url=f"ucdp:{event.id}"))
    return documents[:limit] if limit else documents, len(events), headlines


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyse_into(store: Any, documents: Sequence[Any]) -> None:
    """Analyse the documents and save them, one transaction per batch; then refresh incidents."""
    import fogofwar
    from fogofwar.incidents import refresh
    from fogofwar.store import save_analysis

    analyses = fogofwar.analyze_many(documents, profile=PROFILE)
    for batch in chunks(analyses, BATCH):
        with store.session() as session:
            for analysis in batch:
                save_analysis(session, analysis, origin=analysis.article.url)
    refresh(store)


# ---------------------------------------------------------------------------------------------
# Places and timelines from the store
# ---------------------------------------------------------------------------------------------


def control_places(session: Any) -> list[str]:
    """Place keys of capture/withdrawal claims that have coordinates."""
    from sqlalchemy import select

    from fogofwar.incidents import load_config
    from fogofwar.store import ClaimRow

    c = ClaimRow
    query = (
        select(c.place_key)
        .where(c.event.in_(load_config().control["events"]))
        .where(c.lat.is_not(None), c.place_key.is_not(None))
        .distinct()
        .order_by(c.place_key)
    )
    return list(session.scalars(query))


def place_info(session: Any, key: str) -> PlaceInfo:
    """The place's point as the control timeline uses it, with its country and precision."""
    from sqlalchemy import select

    from fogofwar.queries import place_point
    from fogofwar.store import PlaceRow

    name, lat, lon = place_point(session, key)
    row = None
    if lat is not None:  # a city and its oblast can share a point: match the name too
        row = session.execute(
            select(PlaceRow.country, PlaceRow.precision)
            .where(PlaceRow.name == name, PlaceRow.lat == lat, PlaceRow.lon == lon)
            .limit(1)
        ).first()
    return PlaceInfo(
        key, name, lat, lon, row.country if row else None, row.precision if row else None
    )


def evidence_dict(item: Any) -> dict[str, Any]:
    fact = item.fact
    return {
        "date": item.date.isoformat(),
        "side": item.side,
        "weight": round(item.weight, 3),
        "why": item.why,
        "source": fact.source,
        "source_side": fact.source_side,
        "event": fact.event,
        "actor_side": fact.actor_side,
        "polarity": fact.polarity,
        "place": fact.place,
        "article_id": fact.article_id,
        "evidence": fact.evidence,
    }


def claims_behind(evidence: Sequence[Any], day: dt.date) -> list[dict[str, Any]]:
    """The evidence on or before ``day``, latest first."""
    return [
        evidence_dict(e)
        for e in sorted(evidence, key=lambda e: e.date, reverse=True)
        if e.date <= day
    ]


def checks_for(place: PlaceInfo, timeline: Any) -> tuple[list[Check], list[Check]]:
    """Our estimate changes and the baseline's own changes at one place."""
    claims = [(e.date, e.side) for e in timeline.evidence]
    ours = [
        Check(
            place.name,
            place.lat,
            place.lon,
            day.date.isoformat(),
            day.side,
            day.confidence,
            latest_claim_side(claims, day.date),
            claims=claims_behind(timeline.evidence, day.date),
        )
        for day in timeline.changes
    ]
    naive = [
        Check(place.name, place.lat, place.lon, day.isoformat(), side, None, side)
        for day, side in baseline_changes(claims)
    ]
    return ours, naive


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


@dataclass
class Report:
    input: dict[str, Any]
    places_with_claims: int = 0
    places_with_estimate: int = 0
    checks: list[Check] = field(default_factory=list)
    baseline_checks: list[Check] = field(default_factory=list)

    def not_checkable(self, attribute: str) -> dict[str, int]:
        reasons = Counter(
            getattr(c, attribute).reason for c in self.checks if getattr(c, attribute).side is None
        )
        return dict(reasons.most_common())

    def agreement(self, attribute: str, checks: Sequence[Check] | None = None) -> Tally:
        checks = self.checks if checks is None else checks
        return tally((c.side, getattr(c, attribute).side) for c in checks)

    def baseline_same_checks(self, attribute: str) -> Tally:
        return tally((c.baseline, getattr(c, attribute).side) for c in self.checks)

    def paired(self, attribute: str) -> dict[str, int]:
        """Ours vs the baseline on the same checkable changes."""
        out: Counter[str] = Counter()
        for c in self.checks:
            truth = getattr(c, attribute).side
            if truth is None:
                continue
            ours, naive = c.side == truth, c.baseline == truth
            out[
                "both right"
                if ours and naive
                else "only ours right"
                if ours
                else "only baseline right"
                if naive
                else "both wrong"
            ] += 1
        return dict(out)

    def by_bucket(self, attribute: str) -> dict[str, Tally]:
        buckets = {label: Tally() for _, label in BUCKETS}
        for c in self.checks:
            buckets[confidence_bucket(c.confidence or 0.0)].add(c.side, getattr(c, attribute).side)
        return buckets

    def disagreements(self) -> list[Check]:
        """Changes DeepState contradicts on the day or a week later."""
        return [
            c
            for c in self.checks
            if any(v.side and v.side != c.side for v in (c.same_day, c.week_later))
        ]

    def checkable(self, attribute: str) -> int:
        return sum(getattr(c, attribute).side is not None for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        def tallies(attribute: str) -> dict[str, Any]:
            return {
                "ours": self.agreement(attribute).to_dict(),
                "baseline_on_our_changes": self.baseline_same_checks(attribute).to_dict(),
                "baseline_own_changes": self.agreement(attribute, self.baseline_checks).to_dict(),
                "paired": self.paired(attribute),
                "by_confidence": {k: t.to_dict() for k, t in self.by_bucket(attribute).items()},
                "not_checkable": self.not_checkable(attribute),
                "checkable": self.checkable(attribute),
            }

        return {
            "input": self.input,
            "places_with_claims": self.places_with_claims,
            "places_with_estimate": self.places_with_estimate,
            "estimate_changes": len(self.checks),
            "baseline_changes": len(self.baseline_checks),
            "same_day": tallies("same_day"),
            "week_later": tallies("week_later"),
            "disagreements": [asdict(c) for c in self.disagreements()],
            "checks": [asdict(c) for c in self.checks],
        }


def build_report(store: Any, judge: DeepStateJudge, input_info: dict[str, Any]) -> Report:
    """Timelines of every place, checked against DeepState."""
    from fogofwar.queries import control_timeline

    report = Report(input_info)
    asked: list[tuple[PlaceInfo, Check]] = []
    with store.session() as session:
        keys = control_places(session)
        report.places_with_claims = len(keys)
        seen_points: set[tuple[str, float | None, float | None]] = set()
        for key in keys:
            place = place_info(session, key)
            if (place.name, place.lat, place.lon) in seen_points:
                continue  # two spellings of one gazetteer place: one timeline
            seen_points.add((place.name, place.lat, place.lon))
            ours, naive = checks_for(place, control_timeline(session, key))
            report.places_with_estimate += bool(ours)
            report.checks.extend(ours)
            report.baseline_checks.extend(naive)
            asked.extend((place, c) for c in ours + naive)
    for place, check in asked:
        day = dt.date.fromisoformat(check.date)
        judge.ask(place, day)
        judge.ask(place, day + WEEK)
    judge.answer_all()
    for place, check in asked:
        day = dt.date.fromisoformat(check.date)
        check.same_day = judge.verdict(place, day)
        check.week_later = judge.verdict(place, day + WEEK)
    return report


def print_report(report: Report, out: TextIO = sys.stdout) -> None:
    """The figures as tables, then every disagreement with the claims behind it."""
    _print_input(report.input, out)
    _print_summary(report, out)
    _print_breakdowns(report, out)
    _print_disagreements(report.disagreements(), out)


def _print_input(info: dict[str, Any], out: TextIO) -> None:
    print(
        f"input        {info['events']} UCDP events 2022-23, {info['headlines']} headlines -> "
        f"{info['documents']} documents (distinct headline + date)",
        file=out,
    )
    print(
        f"store        {info['claims']} claims, {info['control_claims']} capture/withdrawal "
        f"claims with coordinates; {_analysis_time(info['analysis_seconds'])}",
        file=out,
    )
    print(
        f"deepstate    {info['snapshots']} snapshots {info['first_snapshot']} -> "
        f"{info['last_snapshot']}; max gap {info['max_gap_days']} days\n",
        file=out,
    )


def _print_summary(report: Report, out: TextIO) -> None:
    n = len(report.checks)

    def share(count: int) -> str:
        return f"{count} ({count / n:.0%} of changes)" if n else "0"

    def both(figure: Any) -> tuple[str, str]:
        return figure("same_day"), figure("week_later")

    rows = [
        ("places with capture/withdrawal claims", str(report.places_with_claims), ""),
        ("places with an estimate", str(report.places_with_estimate), ""),
        ("estimate changes", str(n), ""),
        ("checkable changes", *both(lambda a: share(report.checkable(a)))),
        ("agreement (ours)", *both(lambda a: report.agreement(a).text())),
        ("baseline on the same changes", *both(lambda a: report.baseline_same_checks(a).text())),
        (
            "baseline on its own changes",
            *both(lambda a: report.agreement(a, report.baseline_checks).text()),
        ),
    ]
    _table(["", "same day", "a week later"], rows, out)


def _print_breakdowns(report: Report, out: TextIO) -> None:
    same, later = report.paired("same_day"), report.paired("week_later")
    outcomes = ("both right", "only ours right", "only baseline right", "both wrong")
    rows = [(k, str(same.get(k, 0)), str(later.get(k, 0))) for k in outcomes]
    _table(["ours vs baseline (same checks)", "same day", "a week later"], rows, out)
    buckets_same, buckets_later = report.by_bucket("same_day"), report.by_bucket("week_later")
    rows = [(b, buckets_same[b].text(), buckets_later[b].text()) for _, b in BUCKETS]
    _table(["confidence", "same day", "a week later"], rows, out)
    same, later = report.not_checkable("same_day"), report.not_checkable("week_later")
    rows = [(r, str(same.get(r, 0)), str(later.get(r, 0))) for r in sorted({*same, *later})]
    _table(["not checkable", "same day", "a week later"], rows or [("(none)", "0", "0")], out)


def _print_disagreements(checks: Sequence[Check], out: TextIO, max_claims: int = 4) -> None:
    print(f"disagreements (on the day or a week later): {len(checks)}", file=out)
    for c in checks:
        print(
            f"- {c.place} ({c.lat:.3f}, {c.lon:.3f}) {c.date}: ours {c.side} {c.confidence:.2f}"
            f" (baseline {c.baseline}); DeepState {c.same_day.text()}; a week later "
            f"{c.week_later.text()}",
            file=out,
        )
        for claim in c.claims[:max_claims]:
            print(f"    {_claim_line(claim)}", file=out)
        if len(c.claims) > max_claims:
            print(f"    ... {len(c.claims) - max_claims} earlier claim(s)", file=out)


def _claim_line(claim: dict[str, Any]) -> str:
    source = claim["source"] or "unattributed"
    return (
        f"{claim['date']} {claim['side']} w={claim['weight']:.2f} "
        f"{claim['event']}/{claim['actor_side']}/{claim['polarity']} by {source} "
        f"({claim['source_side']}) at {claim['place']}: {_short(claim['evidence'])}"
    )


def _analysis_time(seconds: float | None) -> str:
    return "store reused, no analysis" if seconds is None else f"analysis {seconds:.0f} s"


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO) -> None:
    """A plain-text table (first column left-aligned, the others right), then a blank line."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            f"{v:<{w}}" if i == 0 else f"{v:>{w}}"
            for i, (v, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(line(header), file=out)
    print("-" * len(line(header)), file=out)
    for row in rows:
        print(line(row), file=out)
    print(file=out)


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def store_counts(store: Any) -> tuple[int, int]:
    from sqlalchemy import func, select

    from fogofwar.incidents import load_config
    from fogofwar.store import ClaimRow

    with store.session() as session:
        claims = session.scalar(select(func.count()).select_from(ClaimRow)) or 0
        control = (
            session.scalar(
                select(func.count())
                .select_from(ClaimRow)
                .where(
                    ClaimRow.event.in_(load_config().control["events"]), ClaimRow.lat.is_not(None)
                )
            )
            or 0
        )
    return claims, control


def run(args: argparse.Namespace, db: str) -> Report:
    from fogofwar.store import open_store

    archive = open_archive(args.deepstate)
    documents, events, headlines = load_documents(args.ucdp, args.limit)
    store = open_store(db, create=not args.reuse)
    try:
        started = time.perf_counter()
        if not args.reuse:
            print(f"note: analysing {len(documents)} headlines into {db}", file=sys.stderr)
            analyse_into(store, documents)
        seconds = time.perf_counter() - started
        claims, control = store_counts(store)
        info = {
            "events": events,
            "headlines": headlines,
            "documents": len(documents),
            "claims": claims,
            "control_claims": control,
            "analysis_seconds": None if args.reuse else round(seconds, 1),
            "snapshots": len(archive.dates),
            "first_snapshot": archive.dates[0].isoformat(),
            "last_snapshot": archive.dates[-1].isoformat(),
            "max_gap_days": args.max_gap_days,
            "store": db if args.db else None,
        }
        return build_report(store, DeepStateJudge(archive, args.max_gap_days), info)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Agreement of fogofwar's control estimates with DeepStateMap polygons.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--ucdp",
        type=Path,
        default=DEFAULT_UCDP,
        help="UCDP Ukraine CSV or its folder (default ../shared/eval/ucdp_ukraine)",
    )
    parser.add_argument(
        "--deepstate",
        type=Path,
        default=DEFAULT_DEEPSTATE,
        help="DeepState snapshots .jsonl.gz or its folder "
        "(default ../shared/eval/deepstate_control)",
    )
    parser.add_argument("--limit", type=int, default=None, help="analyse the first N headlines")
    parser.add_argument(
        "--db", default=None, help="keep the claims store at this path (default: a temporary store)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="use the store at --db as it is (no analysis)"
    )
    parser.add_argument(
        "--max-gap-days",
        type=int,
        default=DEFAULT_MAX_GAP_DAYS,
        help="a snapshot older than this many days does not count "
        f"(default {DEFAULT_MAX_GAP_DAYS})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.reuse and not args.db:
        parser.error("--reuse needs --db")
    if args.max_gap_days < 0:
        parser.error("--max-gap-days must not be negative")
    from fogofwar.store import StoreError

    try:
        if args.db:
            report = run(args, args.db)
        else:
            with tempfile.TemporaryDirectory(prefix="fogofwar-deepstate-") as tmp:
                report = run(args, str(Path(tmp) / "claims.db"))
    except (DataError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
