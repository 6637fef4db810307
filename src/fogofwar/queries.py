"""Questions asked of the claims store: claims by place, area, time, source, side, event and
status; incidents; contested claims; control of a place; sources over time; one article.

Used by the command line and the web API alike. Nothing here loads the NLP model.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from .control import ControlTimeline, estimate, read_evidence
from .incidents import SINGLE_SOURCE, STATUSES, ClaimFact, load_config
from .models import Polarity
from .store import ArticleRow, ClaimRow, IncidentRow, PlaceRow, QuoteRow, place_key

UNGROUPED_REASON = "not grouped into an incident (no place or no side to compare)"


class QueryError(ValueError):
    """A filter value a user gave is not valid (one-line message)."""


SORT_KEYS: dict[str, Any] = {
    "date": ClaimRow.date,
    "source": ClaimRow.source,
    "source_side": ClaimRow.source_side,
    "actor_side": ClaimRow.actor_side,
    "event": ClaimRow.event,
    "place": ClaimRow.place,
    "interest": ClaimRow.interest,
    "status": ClaimRow.status,
}


@dataclass
class ClaimFilter:
    """Filters shared by ``fogofwar claims`` and the web API."""

    place: str | None = None
    near: tuple[float, float, float] | None = None  # lat, lon, km
    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    side: str | None = None  # source side or acting side
    source_side: str | None = None  # the claimant's side only
    actor_side: str | None = None  # the acting side only
    place_id: str | None = None  # one gazetteer point (as the map groups claims)
    event: str | None = None
    status: str | None = None
    article: str | None = None
    limit: int = 100
    offset: int = 0
    sort: str = "-date"  # a SORT_KEYS name, "-" first for descending

    @classmethod
    def parse(
        cls,
        *,
        near: str | None = None,
        since: str | None = None,
        until: str | None = None,
        option_prefix: str = "",
        **fields: Any,
    ) -> ClaimFilter:
        """A checked filter from values as a person typed them: ``near`` as LAT,LON,KM, dates
        as YYYY-MM-DD (QueryError naming ``option_prefix`` + the option when bad)."""
        return cls(
            near=parse_near(near) if near else None,
            since=parse_date(since, f"{option_prefix}since"),
            until=parse_date(until, f"{option_prefix}until"),
            **fields,
        ).check()

    def check(self) -> ClaimFilter:
        if self.sort.lstrip("-") not in SORT_KEYS:
            raise QueryError(
                f"unknown sort {self.sort!r}; use one of {', '.join(SORT_KEYS)} (- for descending)"
            )
        if self.status and self.status not in STATUSES:
            raise QueryError(f"unknown status {self.status!r}; use one of {', '.join(STATUSES)}")
        if self.event:
            from .models import EVENT_TYPES

            self.event = self.event.upper()
            if self.event not in EVENT_TYPES:
                raise QueryError(
                    f"unknown event {self.event!r}; use one of {', '.join(EVENT_TYPES)}"
                )
        if self.near:
            lat, lon, km = self.near
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
                raise QueryError("--near wants LAT,LON,KM with a valid point and a positive radius")
        if self.since and self.until and self.since > self.until:
            raise QueryError("--since is after --until")
        if self.limit < 1 or self.offset < 0:
            raise QueryError("limit must be positive and offset not negative")
        return self


def parse_near(value: str) -> tuple[float, float, float]:
    """``"48.59,38.0,25"`` → (48.59, 38.0, 25.0)."""
    try:
        lat, lon, km = (float(part) for part in value.split(","))
    except ValueError:
        raise QueryError(f"--near {value!r}: expected LAT,LON,KM such as 48.59,38.00,25") from None
    return lat, lon, km


def parse_date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


@dataclass
class ClaimView:
    """One claim as shown to a person: what, who, where, when, how it stands, and why."""

    id: str
    article_id: str
    date: str | None
    source: str | None
    source_side: str
    source_kind: str
    event: str
    actor_side: str
    actor: str | None
    place: str | None
    place_relation: str | None
    lat: float | None
    lon: float | None
    geo_reason: str | None
    magnitude: str | None
    weapon: str | None
    polarity: str
    modality: str
    interest: str
    quote: str
    status: str
    status_reason: str
    incident_id: str | None
    evidence: str
    evidence_start: int
    evidence_end: int
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    wire_copy_of: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _magnitude(row: ClaimRow) -> str | None:
    if row.magnitude_value is None:
        return None
    value = f"{row.magnitude_value:g}"
    qualifier = {
        "up_to": "up to ",
        "about": "about ",
        "more_than": "more than ",
        "at_least": "at least ",
        "less_than": "less than ",
    }.get(row.magnitude_qualifier or "", "")
    unit = "" if row.magnitude_unit == "count" else f" {row.magnitude_unit}"
    return f"{qualifier}{value}{unit}"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def claim_view(row: ClaimRow, article: ArticleRow, incident: IncidentRow | None) -> ClaimView:
    return ClaimView(
        id=row.id,
        article_id=row.article_id,
        date=_iso(row.date),
        source=row.source,
        source_side=row.source_side,
        source_kind=row.source_kind,
        event=row.event,
        actor_side=row.actor_side,
        actor=row.actor,
        place=row.place,
        place_relation=row.place_relation,
        lat=row.lat,
        lon=row.lon,
        geo_reason=row.geo_reason,
        magnitude=_magnitude(row),
        weapon=row.weapon,
        polarity=row.polarity,
        modality=row.modality,
        interest=row.interest,
        quote=row.quote,
        status=incident.status if incident else SINGLE_SOURCE,
        status_reason=incident.reason if incident else UNGROUPED_REASON,
        incident_id=row.incident_id,
        evidence=row.evidence,
        evidence_start=row.evidence_start,
        evidence_end=row.evidence_end,
        url=article.url,
        title=article.title,
        outlet=article.outlet,
        published=_iso(article.published),
        wire_copy_of=article.duplicate_of,
    )


def place_keys(session: Session, place: str) -> list[str]:
    """The keys claims about ``place`` are stored under: its own folded name, and the gazetteer
    name of claims that wrote it this way ("Kiev" → "kyiv")."""
    key = place_key(place)
    keys = {key}
    keys.update(
        session.scalars(
            select(ClaimRow.place_key)
            .where(ClaimRow.mention_key == key, ClaimRow.place_key != key)
            .distinct()
            .limit(5)
        )
    )
    return sorted(keys)


def _within_box(lat_column: Any, lon_column: Any, lat: float, lon: float, km: float) -> Any:
    """SQL condition: the columns' point lies in the box ``km`` around (lat, lon) - an index
    prefilter; distances are checked exactly afterwards where they matter."""
    dlat = km / 111.0
    dlon = km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
    return and_(
        lat_column.between(lat - dlat, lat + dlat), lon_column.between(lon - dlon, lon + dlon)
    )


def places_near(session: Session, lat: float, lon: float, km: float) -> list[str]:
    """Ids of resolved places within ``km`` of a point (the places table is small)."""
    from .incidents import haversine_km

    rows = session.execute(
        select(PlaceRow.id, PlaceRow.lat, PlaceRow.lon).where(
            _within_box(PlaceRow.lat, PlaceRow.lon, lat, lon, km)
        )
    )
    return [pid for pid, plat, plon in rows if haversine_km(lat, lon, plat, plon) <= km]


def sources_named(session: Session, part: str) -> list[str]:
    """The source names containing ``part`` (any case), read off the index of source names:
    the claims are then found by exact name, through the same index."""
    found = select(ClaimRow.source).where(func.lower(ClaimRow.source).contains(part.lower()))
    return list(session.scalars(found.distinct()))


def _where(query: Select, f: ClaimFilter, session: Session) -> Select:
    """Every filter of ``f`` on a query over claims (incidents outer-joined when status asks)."""
    c = ClaimRow
    if f.place:
        keys = place_keys(session, f.place)
        query = query.where(c.place_key == keys[0] if len(keys) == 1 else c.place_key.in_(keys))
    if f.near:
        query = query.where(c.place_id.in_(places_near(session, *f.near)))
    return _filtered(query, f, session)


def _filtered(query: Select, f: ClaimFilter, session: Session) -> Select:
    """The filters other than place and area."""
    c = ClaimRow
    if f.source:
        query = query.where(c.source.in_(sources_named(session, f.source)))
    if f.since:
        query = query.where(c.date >= f.since)
    if f.until:
        query = query.where(c.date <= f.until)
    if f.side:
        side = f.side.upper()
        query = query.where(or_(c.source_side == side, c.actor_side == side))
    if f.source_side:
        query = query.where(c.source_side == f.source_side.upper())
    if f.actor_side:
        query = query.where(c.actor_side == f.actor_side.upper())
    if f.place_id:
        query = query.where(c.place_id == f.place_id)
    if f.event:
        query = query.where(c.event == f.event)
    if f.status:
        query = query.where(c.status == f.status)
    if f.article:
        query = query.where(c.article_id == f.article)
    return query


ORDER = (ClaimRow.date.desc(), ClaimRow.article_id, ClaimRow.evidence_start)


def _order(sort: str) -> tuple[Any, ...]:
    """ORDER BY for a sort key ("-date" newest first); ties keep article and position order."""
    if sort == "-date":
        return ORDER
    column = SORT_KEYS[sort.lstrip("-")]
    first = column.desc() if sort.startswith("-") else column.asc()
    return (first, *ORDER)


def find_claims(session: Session, f: ClaimFilter) -> list[ClaimView]:
    """Claims matching the filter in ``f.sort`` order (default newest first, then by article
    and position)."""
    f.check()
    if f.near and f.sort == "-date":
        return _claims_near(session, f)
    order = _order(f.sort)
    # The page's ids from the claims table alone (every filter and sort key is a column of it,
    # so an index serves the order), then those claims with their article and incident.
    page = _where(select(ClaimRow.id), f, session).order_by(*order)
    return _views(session, list(session.scalars(page.limit(f.limit).offset(f.offset))), order)


def _claims_near(session: Session, f: ClaimFilter) -> list[ClaimView]:
    """An area is a handful of places: the newest claims of each (index on place and date),
    merged, then the page fetched whole - never a sort of every claim in the area."""
    assert f.near is not None
    wanted = f.offset + f.limit
    candidates: list[tuple] = []
    for pid in places_near(session, *f.near):
        query = _filtered(_base_query().where(ClaimRow.place_id == pid), f, session)
        query = query.with_only_columns(
            ClaimRow.date, ClaimRow.article_id, ClaimRow.evidence_start, ClaimRow.id
        )
        candidates.extend(session.execute(query.order_by(*ORDER).limit(wanted)))
    newest = sorted(candidates, key=lambda r: (-(r[0] or dt.date.min).toordinal(), r[1], r[2]))
    return _views(session, [row[3] for row in newest[f.offset : wanted]], ORDER)


def _views(session: Session, ids: list[str], order: tuple[Any, ...]) -> list[ClaimView]:
    """The claims with these ids, with their article and incident, in ``order``."""
    if not ids:
        return []
    rows = session.execute(_base_query().where(ClaimRow.id.in_(ids)).order_by(*order))
    return [claim_view(c, a, i) for c, a, i in rows]


def _base_query() -> Select:
    return (
        select(ClaimRow, ArticleRow, IncidentRow)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(IncidentRow, IncidentRow.id == ClaimRow.incident_id)
    )


def count_claims(session: Session, f: ClaimFilter) -> int:
    f.check()
    query = select(func.count()).select_from(ClaimRow)
    return session.scalar(_where(query, f, session)) or 0


def _grouped(session: Session, f: ClaimFilter, *columns: Any) -> Select:
    """SELECT ``columns``, count(*) over the claims of ``f``, grouped by ``columns``."""
    f.check()
    query = select(*columns, func.count()).select_from(ClaimRow)
    return _where(query, f, session).group_by(*columns)


@dataclass
class MapPoint:
    """The claims of one filter at one place, by one acting side, with one status."""

    place: str
    place_id: str
    lat: float
    lon: float
    actor_side: str
    status: str
    claims: int
    latest: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class MapView:
    total: int  # claims matching the filter, placed or not
    points_total: int  # groups before the cap
    truncated: bool
    points: list[MapPoint]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def map_points(session: Session, f: ClaimFilter, max_points: int = 2000) -> MapView:
    """Claims aggregated per (place, acting side, status), largest first, at most
    ``max_points`` groups: what a map draws however many claims match."""
    c = ClaimRow
    query = _grouped(session, f, c.place_id, c.actor_side, c.status).add_columns(func.max(c.date))
    groups = [row for row in session.execute(query.where(c.place_id.is_not(None)))]
    groups.sort(key=lambda row: (-row[3], row[0], row[1], row[2]))
    kept = groups[:max_points]
    places = {
        p.id: p
        for p in session.scalars(select(PlaceRow).where(PlaceRow.id.in_({r[0] for r in kept})))
    }
    points = [
        MapPoint(
            places[pid].name, pid, places[pid].lat, places[pid].lon, side, status, n, _iso(latest)
        )
        for pid, side, status, n, latest in kept
        if pid in places
    ]
    return MapView(count_claims(session, f), len(groups), len(groups) > len(kept), points)


TIMELINE_SIDES = {"source_side": ClaimRow.source_side, "actor_side": ClaimRow.actor_side}


@dataclass
class TimelineDay:
    date: str
    counts: dict[str, int]
    total: int


@dataclass
class Timeline:
    """Claims per day and per side (the claimant's or the actor's)."""

    by: str
    sides: list[str]
    days: list[TimelineDay]
    undated: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def claims_timeline(session: Session, f: ClaimFilter, by: str = "source_side") -> Timeline:
    """Daily claim counts per side for the claims of ``f`` (dates ascending)."""
    if by not in TIMELINE_SIDES:
        raise QueryError(f"unknown timeline side {by!r}; use one of {', '.join(TIMELINE_SIDES)}")
    rows = session.execute(_grouped(session, f, ClaimRow.date, TIMELINE_SIDES[by]))
    days: dict[dt.date, dict[str, int]] = defaultdict(dict)
    undated = 0
    for day, side, n in rows:
        if day is None:
            undated += n
        else:
            days[day][side] = n
    sides = sorted({side for counts in days.values() for side in counts})
    return Timeline(
        by,
        sides,
        [TimelineDay(d.isoformat(), c, sum(c.values())) for d, c in sorted(days.items())],
        undated,
    )


@dataclass
class Facets:
    """The values the filters can take in this store (for filter menus)."""

    sides: list[str]
    events: list[str]
    statuses: list[str]
    sources: list[dict[str, Any]]
    first: str | None
    last: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def facets(session: Session, max_sources: int = 200) -> Facets:
    c = ClaimRow
    sides = set(session.scalars(select(c.source_side).distinct()))
    sides.update(session.scalars(select(c.actor_side).distinct()))
    events = sorted(session.scalars(select(c.event).distinct()))
    sources = [
        {"name": name, "side": side, "claims": n}
        for name, side, n in session.execute(
            select(c.source, c.source_side, func.count())
            .where(c.source.is_not(None))
            .group_by(c.source, c.source_side)
            .order_by(func.count().desc(), c.source)
            .limit(max_sources)
        )
    ]
    first, last = session.execute(select(func.min(c.date), func.max(c.date))).one()
    return Facets(
        sorted(s for s in sides if s), events, list(STATUSES), sources, _iso(first), _iso(last)
    )


# --------------------------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------------------------


@dataclass
class IncidentView:
    id: str
    family: str
    side: str
    place: str | None
    lat: float | None
    lon: float | None
    date_start: str | None
    date_end: str | None
    status: str
    reason: str
    claims_count: int
    supporting: list[ClaimView] = field(default_factory=list)  # claims asserting it
    opposing: list[ClaimView] = field(default_factory=list)  # denials
    supporting_total: int = 0  # all of them; the lists may hold only the first few
    opposing_total: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _incidents_query(
    query: Select,
    *,
    status: str | None = None,
    place: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    family: str | None = None,
) -> Select:
    if status and status not in STATUSES:
        raise QueryError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    i = IncidentRow
    if status:
        query = query.where(i.status == status)
    if place:
        key = place_key(place)
        ids = select(ClaimRow.incident_id).where(
            or_(ClaimRow.place_key == key, ClaimRow.mention_key == key)
        )
        query = query.where(i.id.in_(ids))
    if since:
        query = query.where(i.date_end >= since)
    if until:
        query = query.where(i.date_start <= until)
    if family:
        query = query.where(i.family == family)
    return query


def count_incidents(session: Session, **filters: Any) -> int:
    """How many incidents :func:`find_incidents` would page through with these filters."""
    query = select(func.count()).select_from(IncidentRow)
    return session.scalar(_incidents_query(query, **filters)) or 0


def find_incidents(
    session: Session,
    *,
    status: str | None = None,
    place: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    family: str | None = None,
    limit: int = 50,
    offset: int = 0,
    with_claims: bool = True,
    claims_per_side: int | None = 10,
) -> list[IncidentView]:
    """Incidents, most claims first, each with its claims for and against (the first
    ``claims_per_side`` of each, oldest first; None for all) and how many there are."""
    i = IncidentRow
    query = _incidents_query(
        select(i), status=status, place=place, since=since, until=until, family=family
    )
    query = query.order_by(i.claims_count.desc(), i.date_start.desc(), i.id).limit(limit)
    rows = list(session.scalars(query.offset(offset)))
    views = [_incident_view(r) for r in rows]
    if with_claims and views:
        _attach_claims(session, views, claims_per_side)
    return views


def get_incident(
    session: Session, incident_id: str, claims_per_side: int | None = 1000
) -> IncidentView:
    """One incident with its claims for and against (QueryError "no incident ..." if none)."""
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise QueryError(f"no incident with id {incident_id!r}")
    view = _incident_view(row)
    _attach_claims(session, [view], claims_per_side)
    return view


def _incident_view(r: IncidentRow) -> IncidentView:
    return IncidentView(
        r.id,
        r.family,
        r.side,
        r.place,
        r.lat,
        r.lon,
        _iso(r.date_start),
        _iso(r.date_end),
        r.status,
        r.reason,
        r.claims_count,
    )


def _attach_claims(
    session: Session, views: list[IncidentView], per_side: int | None = None
) -> None:
    """Fill each incident's supporting (asserted) and opposing (denied) claims, oldest first,
    at most ``per_side`` of each, and their totals."""
    by_id = {v.id: v for v in views}
    c = ClaimRow
    totals = session.execute(
        select(c.incident_id, c.polarity, func.count())
        .where(c.incident_id.in_(list(by_id)))
        .group_by(c.incident_id, c.polarity)
    )
    for incident_id, polarity, n in totals:
        if polarity == "denied":
            by_id[incident_id].opposing_total += n
        else:
            by_id[incident_id].supporting_total += n
    chosen = c.incident_id.in_(list(by_id))
    if per_side is not None:
        # the first few of each side of each incident, read in order off the incident index
        ids: list[str] = []
        for incident_id in by_id:
            for polarity in POLARITIES:  # equality on both: the index gives the order
                first = select(c.id).where(c.incident_id == incident_id, c.polarity == polarity)
                ids += session.scalars(first.order_by(*INCIDENT_ORDER).limit(per_side))
        chosen = c.id.in_(ids)
    claims = session.execute(_base_query().where(chosen).order_by(*INCIDENT_ORDER))
    for claim, article, incident in claims:
        view = claim_view(claim, article, incident)
        target = by_id[claim.incident_id]
        (target.opposing if claim.polarity == "denied" else target.supporting).append(view)


INCIDENT_ORDER = (ClaimRow.date, ClaimRow.article_id, ClaimRow.evidence_start)
POLARITIES = get_args(Polarity)


# --------------------------------------------------------------------------------------------
# Control of a place
# --------------------------------------------------------------------------------------------


def place_point(session: Session, place: str) -> tuple[str, float | None, float | None]:
    """The place's gazetteer name and point from the store (None when never resolved)."""
    key = place_key(place)
    row = session.execute(
        select(ClaimRow.place_key, ClaimRow.lat, ClaimRow.lon, PlaceRow.name)
        .outerjoin(PlaceRow, PlaceRow.id == ClaimRow.place_id)
        .where(or_(ClaimRow.place_key == key, ClaimRow.mention_key == key))
        .where(ClaimRow.lat.is_not(None))
        .limit(1)
    ).first()
    if row is None:
        return place, None, None
    return row.name or place, row.lat, row.lon


def control_timeline(
    session: Session, place: str, *, until: dt.date | None = None
) -> ControlTimeline:
    """Capture and withdrawal claims about ``place`` (or within the grouping radius of it), and
    the daily estimate of who holds it."""
    config = load_config()
    name, lat, lon = place_point(session, place)
    key = place_key(place)
    c = ClaimRow
    area = [c.place_key == key, c.mention_key == key]
    if lat is not None and lon is not None:
        km = config.radius_km / 2
        area.append(_within_box(c.lat, c.lon, lat, lon, km))
    rows = session.execute(
        select(c, ArticleRow, IncidentRow)
        .join(ArticleRow, ArticleRow.id == c.article_id)
        .outerjoin(IncidentRow, IncidentRow.id == c.incident_id)
        .where(or_(*area))
        .where(c.event.in_(config.control["events"]))
    )
    evidence = []
    for claim, article, incident in rows:
        if _outside(claim.place_relation):
            continue  # "withdrew to positions north of X" says nothing about X itself
        if claim.event == "WITHDRAW" and not _withdrawal_from(claim.evidence, claim.place):
            continue  # a pull-back near a place, not out of it
        fact = ClaimFact(
            claim.id,
            claim.article_id,
            claim.source,
            claim.source_side,
            claim.event,
            claim.actor_side,
            claim.polarity,
            claim.modality,
            claim.interest,
            claim.date,
            claim.place,
            claim.place_key,
            claim.place_id,
            claim.lat,
            claim.lon,
            claim.magnitude_value,
            claim.magnitude_unit,
            article.duplicate_of,
            article.profile,
            claim.evidence,
        )
        item = read_evidence(fact, incident.status if incident else None, config)
        if item:
            evidence.append(item)
    return estimate(name, evidence, until=until)


OUTSIDE_WORDS = (
    "north",
    "south",
    "east",
    "west",
    "near",
    "around",
    "toward",
    "approach",
    "km",
    "direction",
)


def _outside(relation: str | None) -> bool:
    """Does a place relation put the event outside the place ("north of", "near")? A part of
    the place ("southwestern part of", "centre of") is inside it."""
    if not relation:
        return False
    low = relation.lower()
    if any(word in low for word in ("part", "centre", "center", "district", "outskirts")):
        return False
    return any(word in low for word in OUTSIDE_WORDS)


def _withdrawal_from(evidence: str, place: str | None) -> bool:
    """Is a withdrawal *from* the place ("withdrew from Kherson", "left the city")? Only
    then does it say who holds the place."""
    names = [re.escape(place)] if place else []
    names += ["the city", "the town", "the village", "the settlement"]
    pattern = rf"\b(from|left|leave|leaving|abandon(ed|ing)?|quit)\s+({'|'.join(names)})\b"
    return re.search(pattern, evidence, re.IGNORECASE) is not None


# --------------------------------------------------------------------------------------------
# Sources and articles
# --------------------------------------------------------------------------------------------


@dataclass
class SourceActivity:
    source: str
    side: str
    claims: int
    first: str | None
    last: str | None
    weeks: dict[str, int]  # ISO week "2023-W19" -> claims

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_activity(
    session: Session,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    side: str | None = None,
    limit: int = 50,
) -> list[SourceActivity]:
    """Claims per source and per ISO week, so a reader sees when a source went quiet."""
    c = ClaimRow
    query = select(c.source, c.source_side, c.date).where(c.source.is_not(None))
    if since:
        query = query.where(c.date >= since)
    if until:
        query = query.where(c.date <= until)
    if side:
        query = query.where(c.source_side == side.upper())
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    dates: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for source, source_side, date in session.execute(query):
        key = (source, source_side)
        week = f"{date.isocalendar()[0]}-W{date.isocalendar()[1]:02d}" if date else "undated"
        counts[key][week] += 1
        if date:
            dates[key].append(date)
    out = [
        SourceActivity(
            source,
            side_,
            sum(weeks.values()),
            _iso(min(dates[(source, side_)])) if dates[(source, side_)] else None,
            _iso(max(dates[(source, side_)])) if dates[(source, side_)] else None,
            dict(sorted(weeks.items())),
        )
        for (source, side_), weeks in counts.items()
    ]
    out.sort(key=lambda s: (-s.claims, s.source))
    return out[:limit]


@dataclass
class ArticleView:
    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    origin: str | None
    profile: str
    pipeline_version: str
    wire_copy_of: str | None
    similarity: float | None
    text: str
    claims: list[ClaimView]
    quotes: list[dict[str, Any]]
    copies: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def show_article(session: Session, article_id: str) -> ArticleView:
    """One stored article with its claims and quotes (a unique id prefix is enough)."""
    matches = list(
        session.scalars(select(ArticleRow).where(ArticleRow.id.startswith(article_id)).limit(2))
    )
    if not matches:
        raise QueryError(f"no article with id {article_id!r}")
    if len(matches) > 1:
        raise QueryError(f"id prefix {article_id!r} names several articles; give more of it")
    article = matches[0]
    claims = find_claims(session, ClaimFilter(article=article.id, limit=10_000))
    claims.sort(key=lambda v: v.evidence_start)
    quotes = [
        {
            "id": q.id,
            "text": q.text,
            "speaker": q.speaker,
            "speaker_side": q.speaker_side,
            "speaker_reason": q.speaker_reason,
            "kind": q.kind,
            "cue": q.cue,
            "start": q.start,
            "end": q.end,
        }
        for q in session.scalars(
            select(QuoteRow).where(QuoteRow.article_id == article.id).order_by(QuoteRow.start)
        )
    ]
    copies = list(
        session.scalars(select(ArticleRow.id).where(ArticleRow.duplicate_of == article.id))
    )
    return ArticleView(
        article.id,
        article.title,
        article.url,
        article.outlet,
        _iso(article.published),
        article.origin,
        article.profile,
        article.pipeline_version,
        article.duplicate_of,
        article.similarity,
        article.text,
        claims,
        quotes,
        copies,
    )


@dataclass
class CorpusSummary:
    articles: int
    wire_copies: int
    claims: int
    quotes: int
    incidents: dict[str, int]
    first: str | None
    last: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def corpus_summary(session: Session) -> CorpusSummary:
    articles = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
    copies = (
        session.scalar(
            select(func.count()).select_from(ArticleRow).where(ArticleRow.duplicate_of.is_not(None))
        )
        or 0
    )
    claims = session.scalar(select(func.count()).select_from(ClaimRow)) or 0
    quotes = session.scalar(select(func.count()).select_from(QuoteRow)) or 0
    statuses = dict(
        session.execute(select(IncidentRow.status, func.count()).group_by(IncidentRow.status)).all()
    )
    first, last = session.execute(select(func.min(ClaimRow.date), func.max(ClaimRow.date))).one()
    return CorpusSummary(articles, copies, claims, quotes, statuses, _iso(first), _iso(last))
