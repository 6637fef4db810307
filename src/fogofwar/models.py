"""Typed data model: what the pipeline produces (field names follow the ontology v1.1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EventType = Literal[
    "ADVANCE",
    "WITHDRAW",
    "CAPTURE",
    "ASSAULT",
    "REPEL",
    "SHELLING",
    "AIR_STRIKE",
    "INTERCEPT",
    "CASUALTIES",
    "ENCIRCLEMENT",
    "REINFORCEMENT",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

SourceKind = Literal[
    "person", "military", "government", "armed_group", "analyst", "media", "witness", "narration"
]
Polarity = Literal["asserted", "denied"]
Modality = Literal["factual", "hedged", "prospective"]
Interest = Literal["self_serving", "against_interest", "neutral"]
QuoteKind = Literal["direct", "indirect"]
Precision = Literal["settlement", "admin1", "country", "feature"]

THIRD = "THIRD"
UNKNOWN = "UNKNOWN"
CIVILIAN = "CIVILIAN"


@dataclass(frozen=True)
class Span:
    """Character offsets into the article text, with the text they cover."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Article:
    """The document being analysed and its metadata."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO date
    url: str | None = None
    outlet: str | None = None
    path: str | None = None
    profile: str = "russia-ukraine"

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "outlet": self.outlet,
            "path": self.path,
            "profile": self.profile,
            "length": len(self.text),
        }


@dataclass
class Actor:
    """A person or organisation that speaks or acts, with its side in the conflict."""

    name: str | None
    side: str = UNKNOWN
    faction: str | None = None
    kind: SourceKind = "person"
    canonical: str | None = None  # profile entry id when known
    reason: str | None = None  # why side/identity could not be resolved
    unnamed: bool = False  # an indefinite description ("a Ukrainian military commander")


@dataclass(frozen=True)
class Geo:
    """A resolved location."""

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    precision: Precision
    source: str = "geonames"  # geonames | supplement | profile

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "country": self.country,
            "admin1": self.admin1,
            "precision": self.precision,
        }


@dataclass
class Place:
    """A place mention in the text and its resolution."""

    name: str  # surface name as the article uses it ("Kiev", "Bakhmut")
    span: Span | None = None
    relation: str | None = None  # "north of", "southwestern part of", "outskirts of", ...
    geo: Geo | None = None
    reason: str | None = None  # set when geo is None


@dataclass(frozen=True)
class Magnitude:
    """How much: distances in metres, counts, areas in km2, percentages."""

    value: float
    unit: Literal["m", "count", "km2", "percent"]
    qualifier: Literal["up_to", "about", "more_than", "at_least", "less_than", "exact"] = "exact"
    min: float | None = None
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        value: float | int = int(self.value) if float(self.value).is_integer() else self.value
        out: dict[str, Any] = {"value": value, "unit": self.unit, "qualifier": self.qualifier}
        if self.min is not None:
            out["min"] = int(self.min) if float(self.min).is_integer() else self.min
        return out


@dataclass(frozen=True)
class TimeRef:
    """A date the text ties an event to."""

    date: str  # ISO yyyy-mm-dd
    text: str


@dataclass
class Quote:
    """A span of reported speech with its speaker."""

    text: str
    span: Span
    kind: QuoteKind
    speaker: Actor | None
    cue: str | None = None
    speaker_span: Span | None = None
    speaker_reason: str | None = None  # why the speaker could not be found

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker.name if self.speaker else None,
            "speaker_side": self.speaker.side if self.speaker else None,
            "speaker_reason": self.speaker_reason,
            "cue": self.cue,
            "kind": self.kind,
            "span": self.span.to_dict(),
        }


@dataclass
class Claim:
    """One assertion by one source that one event happened (or did not)."""

    source: Actor
    event: str
    actor_side: str
    evidence: Span  # the sentence that carries the claim
    trigger: Span
    actor: str | None = None
    place: Place | None = None
    time: TimeRef | None = None
    magnitude: Magnitude | None = None
    weapon: str | None = None
    polarity: Polarity = "asserted"
    modality: Modality = "factual"
    quote: Literal["direct", "indirect", "none"] = "none"
    interest: Interest = "neutral"

    def to_dict(self) -> dict[str, Any]:
        place = self.place
        return {
            "source": self.source.name,
            "source_side": self.source.side,
            "source_faction": self.source.faction,
            "source_kind": self.source.kind,
            "event": self.event,
            "actor": self.actor,
            "actor_side": self.actor_side,
            "place": place.name if place else None,
            "place_relation": place.relation if place else None,
            "geo": place.geo.to_dict() if place and place.geo else None,
            "geo_reason": (place.reason if place else "no place named in the sentence")
            if not (place and place.geo)
            else None,
            "time": self.time.date if self.time else None,
            "time_text": self.time.text if self.time else None,
            "magnitude": self.magnitude.to_dict() if self.magnitude else None,
            "weapon": self.weapon,
            "polarity": self.polarity,
            "modality": self.modality,
            "interest": self.interest,
            "quote": self.quote,
            "trigger": self.trigger.to_dict(),
            "evidence": self.evidence.to_dict(),
        }


@dataclass
class Analysis:
    """Everything fogofwar found in one article."""

    article: Article
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
        }
