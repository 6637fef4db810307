"""Incidents: claims from many articles about one happening, and whether sources agree.

Claims of one event family (``data/assessment.yaml``: a capture, the withdrawal it forced and
the advance that led to it are one *territory* family), about the same place (same resolved
place, or within ``radius_km``), within ``window_days`` of each other and *for* the same side
form an incident. Each incident gets a status with a reason a person can read (ontology v1.1):

- **contested**: one source asserts what another denies; two sides claim control of one place
  in the same days; or counts from different sides far apart;
- **corroborated**: independent sources of two different sides, or an admission against
  interest plus any other source;
- **single-source**: everything else.

Wire copies (articles whose ``duplicate_of`` is set) are kept in the incident but never count
as an independent source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from .models import CIVILIAN, UNKNOWN
from .profile import Profile, load_profile

CONTESTED = "contested"
CORROBORATED = "corroborated"
SINGLE_SOURCE = "single-source"
STATUSES = (CONTESTED, CORROBORATED, SINGLE_SOURCE)


@dataclass(frozen=True)
class FamilyRule:
    family: str
    orientation: str  # acts | opposite | suffers


@dataclass(frozen=True)
class AssessmentConfig:
    """``data/assessment.yaml``."""

    families: dict[str, FamilyRule]
    radius_km: float
    window_days: int
    magnitude_ratio: float
    admission_events: frozenset[str]
    control: dict


@cache
def load_config() -> AssessmentConfig:
    raw = yaml.safe_load(
        resources.files("fogofwar").joinpath("data/assessment.yaml").read_text(encoding="utf-8")
    )
    families = {
        event: FamilyRule(rule["family"], rule["orientation"])
        for event, rule in raw["families"].items()
    }
    grouping = raw["grouping"]
    return AssessmentConfig(
        families=families,
        radius_km=float(grouping["radius_km"]),
        window_days=int(grouping["window_days"]),
        magnitude_ratio=float(grouping["magnitude_ratio"]),
        admission_events=frozenset(raw["admission_events"]),
        control=raw["control"],
    )


@dataclass(frozen=True)
class ClaimFact:
    """What assessment needs to know of one stored claim."""

    id: str
    article_id: str
    source: str | None
    source_side: str
    event: str
    actor_side: str
    polarity: str
    modality: str
    interest: str
    date: dt.date | None
    place: str | None = None
    place_key: str | None = None
    place_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    magnitude_value: float | None = None
    magnitude_unit: str | None = None
    duplicate_of: str | None = None  # the article this claim's article is a copy of
    profile: str = "russia-ukraine"
    evidence: str = ""

    @property
    def independent_article(self) -> str:
        """The article that counts as the origin: a wire copy counts as its original."""
        return self.duplicate_of or self.article_id

    def describe(self) -> str:
        who = self.source or "unattributed report"
        return f"{who} ({self.source_side})"


@dataclass
class Incident:
    """One happening as the claims about it tell it."""

    family: str
    side: str  # the side the incident is "for" (see FamilyRule.orientation)
    facts: list[ClaimFact] = field(default_factory=list)
    status: str = SINGLE_SOURCE
    reason: str = ""
    date_start: dt.date | None = None
    date_end: dt.date | None = None

    def add(self, fact: ClaimFact) -> None:
        self.facts.append(fact)
        if fact.date is not None:
            if self.date_start is None or fact.date < self.date_start:
                self.date_start = fact.date
            if self.date_end is None or fact.date > self.date_end:
                self.date_end = fact.date

    @property
    def id(self) -> str:
        first = min(f.id for f in self.facts)
        return hashlib.sha256(f"incident\x1f{first}".encode()).hexdigest()[:16]

    @property
    def anchor(self) -> ClaimFact:
        """The claim whose place stands for the incident's place."""
        return self.facts[0]


# --------------------------------------------------------------------------------------------
# Orientation and place
# --------------------------------------------------------------------------------------------


@cache
def _profile(name: str) -> Profile | None:
    try:
        return load_profile(name)
    except Exception:  # an unknown profile name in an old store: no side arithmetic
        return None


def oriented_side(fact: ClaimFact, config: AssessmentConfig) -> str | None:
    """The side a claim is "for" within its family, or None when it cannot be told."""
    rule = config.families.get(fact.event)
    if rule is None or fact.actor_side in (UNKNOWN, None):
        return None
    if rule.orientation == "opposite":
        profile = _profile(fact.profile)
        return profile.opposite(fact.actor_side) if profile else None
    if rule.orientation == "acts" and fact.actor_side == CIVILIAN:
        return None
    return fact.actor_side


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def same_place(a: ClaimFact, b: ClaimFact, radius_km: float) -> bool:
    """Same resolved place, within ``radius_km``, or (unresolved) the same name."""
    if a.place_id and a.place_id == b.place_id:
        return True
    if a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None:
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= radius_km
    return bool(a.place_key) and a.place_key == b.place_key


def _cell(fact: ClaimFact, radius_km: float) -> tuple:
    """A grid cell at least ``radius_km`` wide, to find nearby incidents quickly."""
    if fact.lat is None or fact.lon is None:
        return ("name", fact.place_key)
    step_lat = radius_km / 111.0
    step_lon = radius_km / max(1e-6, 111.0 * math.cos(math.radians(fact.lat)))
    return ("cell", math.floor(fact.lat / step_lat), math.floor(fact.lon / step_lon))


def _neighbour_cells(cell: tuple) -> list[tuple]:
    if cell[0] == "name":
        return [cell]
    _, i, j = cell
    return [("cell", i + di, j + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)]


# --------------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------------


def group_incidents(
    facts: Iterable[ClaimFact], config: AssessmentConfig | None = None
) -> list[Incident]:
    """Group claims into incidents (claims without a place or a side stay out)."""
    config = config or load_config()
    window = dt.timedelta(days=config.window_days)
    by_key: dict[tuple, list[ClaimFact]] = defaultdict(list)
    for fact in facts:
        side = oriented_side(fact, config)
        if side is None or not (fact.place_key or fact.place_id):
            continue
        by_key[(fact.profile, config.families[fact.event].family, side)].append(fact)

    incidents: list[Incident] = []
    for (_profile_name, family, side), group in by_key.items():
        group.sort(key=lambda f: (f.date or dt.date.min, f.id))
        open_by_cell: dict[tuple, list[Incident]] = defaultdict(list)
        for fact in group:
            incident = _matching_incident(fact, open_by_cell, config.radius_km, window)
            if incident is None:
                incident = Incident(family, side)
                incidents.append(incident)
                open_by_cell[_cell(fact, config.radius_km)].append(incident)
            incident.add(fact)
    return incidents


def _matching_incident(
    fact: ClaimFact,
    open_by_cell: dict[tuple, list[Incident]],
    radius_km: float,
    window: dt.timedelta,
) -> Incident | None:
    for cell in _neighbour_cells(_cell(fact, radius_km)):
        incidents = open_by_cell.get(cell)
        if not incidents:
            continue
        if fact.date is not None:  # facts come in date order: incidents left behind are closed
            incidents[:] = [
                i for i in incidents if i.date_end is None or fact.date - i.date_end <= window
            ]
        for incident in incidents:
            if same_place(incident.anchor, fact, radius_km):
                return incident
    return None


# --------------------------------------------------------------------------------------------
# Status
# --------------------------------------------------------------------------------------------


def independent_sources(facts: Sequence[ClaimFact]) -> dict[tuple[str, str], ClaimFact]:
    """One claim per independent (source, side), wire copies folded into their original."""
    chosen: dict[tuple[str, str], ClaimFact] = {}
    origins: dict[tuple[str, str], set[str]] = defaultdict(set)
    for fact in facts:
        key = ((fact.source or f"outlet:{fact.independent_article}").casefold(), fact.source_side)
        origins[key].add(fact.independent_article)
        chosen.setdefault(key, fact)
    return chosen


def assess(incident: Incident, config: AssessmentConfig | None = None) -> Incident:
    """Set the incident's status and reason from its own claims."""
    config = config or load_config()
    facts = [f for f in incident.facts if f.modality != "prospective"]
    asserted = [f for f in facts if f.polarity == "asserted"]
    denied = [f for f in facts if f.polarity == "denied"]
    if asserted and denied:
        incident.status = CONTESTED
        incident.reason = (
            f"{_names(asserted)} assert{'s' if len(_sources(asserted)) == 1 else ''} it; "
            f"{_names(denied)} den{'ies' if len(_sources(denied)) == 1 else 'y'} it"
        )
        return incident
    far = _magnitudes_far_apart(asserted, config.magnitude_ratio)
    if far:
        incident.status = CONTESTED
        incident.reason = far
        return incident
    sources = independent_sources(asserted)
    sides = {side for (_name, side) in sources if side not in (UNKNOWN, CIVILIAN)}
    if len(sides) >= 2:
        incident.status = CORROBORATED
        incident.reason = "reported by sources of different sides: " + "; ".join(
            f.describe() for f in _one_per_side(sources.values())
        )
        return incident
    admissions = [
        f
        for f in asserted
        if f.interest == "against_interest" and f.event in config.admission_events
    ]
    if admissions and len(sources) >= 2:
        admission = admissions[0]
        others = [f for key, f in sources.items() if f.source != admission.source]
        incident.status = CORROBORATED
        incident.reason = (
            f"admission against interest by {admission.describe()}, also reported by "
            + "; ".join(f.describe() for f in others[:3])
        )
        return incident
    incident.status = SINGLE_SOURCE
    copies = sum(1 for f in facts if f.duplicate_of)
    incident.reason = _single_source_reason(sources, admissions, copies)
    return incident


def _single_source_reason(
    sources: dict[tuple[str, str], ClaimFact], admissions: list[ClaimFact], copies: int
) -> str:
    if not sources:
        return "no asserted claim (only denials, or plans and announcements)"
    sides = sorted({side for (_n, side) in sources})
    if len(sources) == 1:
        reason = f"only {next(iter(sources.values())).describe()} reports it"
    else:
        reason = f"{len(sources)} sources, all of one side ({', '.join(sides)})"
    if admissions:
        reason += " (an admission against interest, but no second source)"
    if copies:
        reason += f"; {copies} claim(s) from wire copies not counted"
    return reason


def _sources(facts: Sequence[ClaimFact]) -> set[tuple[str | None, str]]:
    return {(f.source, f.source_side) for f in facts}


def _names(facts: Sequence[ClaimFact]) -> str:
    seen: list[str] = []
    for fact in facts:
        text = fact.describe()
        if text not in seen:
            seen.append(text)
    return ", ".join(seen[:3]) + (f" and {len(seen) - 3} more" if len(seen) > 3 else "")


def _one_per_side(facts: Iterable[ClaimFact]) -> list[ClaimFact]:
    by_side: dict[str, ClaimFact] = {}
    for fact in facts:
        by_side.setdefault(fact.source_side, fact)
    return [by_side[s] for s in sorted(by_side)]


def _magnitudes_far_apart(facts: Sequence[ClaimFact], ratio: float) -> str | None:
    """Counts claimed by sources of different sides differing by ``ratio`` or more."""
    counts = [
        f
        for f in facts
        if f.magnitude_unit == "count" and f.magnitude_value and f.source_side not in (UNKNOWN,)
    ]
    for i, a in enumerate(counts):
        for b in counts[i + 1 :]:
            if a.source_side == b.source_side or a.event != b.event:
                continue
            low, high = sorted((a.magnitude_value or 0, b.magnitude_value or 0))
            if low and high / low >= ratio:
                return (
                    f"counts far apart: {a.magnitude_value:g} by {a.describe()} vs "
                    f"{b.magnitude_value:g} by {b.describe()}"
                )
    return None


def contest_rival_control(
    incidents: Sequence[Incident], config: AssessmentConfig | None = None
) -> None:
    """Two sides claiming control (CAPTURE asserted) of one place in the same days: contested."""
    config = config or load_config()
    window = dt.timedelta(days=config.window_days)
    territory = [
        i
        for i in incidents
        if i.family == "territory"
        and any(f.event == "CAPTURE" and f.polarity == "asserted" for f in i.facts)
    ]
    by_cell: dict[tuple, list[Incident]] = defaultdict(list)
    for incident in territory:
        by_cell[_cell(incident.anchor, config.radius_km)].append(incident)
    for a in territory:
        for cell in _neighbour_cells(_cell(a.anchor, config.radius_km)):
            for b in by_cell.get(cell, ()):
                if a.side == b.side or a.anchor.profile != b.anchor.profile:
                    continue
                if not same_place(a.anchor, b.anchor, config.radius_km):
                    continue
                if _dates_overlap(a, b, window) and _independent_of(a, b):
                    _mark_rivals(a, b)


def _independent_of(a: Incident, b: Incident) -> bool:
    """Rival claims from one article narrating a sequence ("Russia took the region in 2022;
    Ukraine regained it later") are no contest: it takes two articles or two sources."""
    articles = {f.independent_article for f in a.facts} | {f.independent_article for f in b.facts}
    sources = {(f.source, f.source_side) for f in a.facts + b.facts if f.source}
    return len(articles) > 1 or len(sources) > 1


def _mark_rivals(a: Incident, b: Incident) -> None:
    place = a.anchor.place or b.anchor.place or "the place"
    rivalry = (
        f"{a.side} and {b.side} both claim control of {place} between {_span(a, b)}: "
        f"{_names(_asserting(a.facts))} vs {_names(_asserting(b.facts))}"
    )
    if a.status == CONTESTED and a.reason and "both claim control" not in a.reason:
        a.reason = f"{a.reason}; and {rivalry}"  # keep the denial the incident already has
    else:
        a.status = CONTESTED
        a.reason = rivalry


def _asserting(facts: Sequence[ClaimFact]) -> list[ClaimFact]:
    """The facts that claim the incident (a denial of it is no claim of control)."""
    return [f for f in facts if f.polarity != "denied"] or list(facts)


def _dates_overlap(a: Incident, b: Incident, window: dt.timedelta) -> bool:
    if not (a.date_start and b.date_start and a.date_end and b.date_end):
        return True
    return a.date_start <= b.date_end + window and b.date_start <= a.date_end + window


def _span(a: Incident, b: Incident) -> str:
    dates = [d for d in (a.date_start, a.date_end, b.date_start, b.date_end) if d]
    if not dates:
        return "undated reports"
    return f"{min(dates).isoformat()} and {max(dates).isoformat()}"


def assess_all(
    facts: Iterable[ClaimFact], config: AssessmentConfig | None = None
) -> list[Incident]:
    """Group, then give every incident its status and reason."""
    config = config or load_config()
    incidents = group_incidents(facts, config)
    for incident in incidents:
        assess(incident, config)
    contest_rival_control(incidents, config)
    return incidents


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------


def load_facts(session) -> list[ClaimFact]:
    """Every stored claim as a :class:`ClaimFact`."""
    from sqlalchemy import select

    from .store import ArticleRow, ClaimRow

    c, a = ClaimRow, ArticleRow
    rows = session.execute(
        select(
            c.id,
            c.article_id,
            c.source,
            c.source_side,
            c.event,
            c.actor_side,
            c.polarity,
            c.modality,
            c.interest,
            c.date,
            c.place,
            c.place_key,
            c.place_id,
            c.lat,
            c.lon,
            c.magnitude_value,
            c.magnitude_unit,
            a.duplicate_of,
            a.profile,
            c.evidence,
        ).join(a, a.id == c.article_id)
    )
    return [ClaimFact(*row) for row in rows]


@dataclass
class RefreshSummary:
    """What :func:`refresh` did."""

    claims: int
    incidents: int
    by_status: dict[str, int]


def refresh(store) -> RefreshSummary:
    """Recompute every incident of the store and link each claim to its incident."""
    from sqlalchemy import delete, update

    from .store import ClaimRow, IncidentRow

    with store.session() as session:
        facts = load_facts(session)
        incidents = assess_all(facts)
        session.execute(update(ClaimRow).values(incident_id=None, status=SINGLE_SOURCE))
        session.execute(delete(IncidentRow))
        rows = [_incident_row(incident) for incident in incidents]
        if rows:
            session.execute(IncidentRow.__table__.insert(), rows)
            links = [
                {"b_id": fact.id, "b_incident": row["id"], "b_status": row["status"]}
                for incident, row in zip(incidents, rows, strict=True)
                for fact in incident.facts
            ]
            table = ClaimRow.__table__
            from sqlalchemy import bindparam

            session.execute(
                table.update()
                .where(table.c.id == bindparam("b_id"))
                .values(incident_id=bindparam("b_incident"), status=bindparam("b_status")),
                links,
            )
    by_status: dict[str, int] = defaultdict(int)
    for incident in incidents:
        by_status[incident.status] += 1
    return RefreshSummary(len(facts), len(incidents), dict(by_status))


def _incident_row(incident: Incident) -> dict:
    anchor = incident.anchor
    return {
        "id": incident.id,
        "family": incident.family,
        "side": incident.side,
        "place": anchor.place,
        "place_id": anchor.place_id,
        "lat": anchor.lat,
        "lon": anchor.lon,
        "date_start": incident.date_start,
        "date_end": incident.date_end,
        "status": incident.status,
        "reason": incident.reason,
        "claims_count": len(incident.facts),
    }
