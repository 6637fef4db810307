"""The claims store: articles, sources, quotes, claims, places and incidents in SQL.

SQLite by default (``./fogofwar.db``), any SQLAlchemy URL otherwise (PostgreSQL works: the
schema uses portable types only). The schema is created and upgraded by Alembic migrations
shipped in ``fogofwar/migrations``; :func:`open_store` runs them.

Ids are stable across runs: an article's id comes from its normalised text and URL, a claim's
from its article, evidence span, event, acting side and place, so re-ingesting the same input
adds nothing and a re-analysis replaces an article's rows in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from . import __version__
from .models import Analysis, Claim, Quote

DEFAULT_DB = "fogofwar.db"
ID_LENGTH = 16


class StoreError(Exception):
    """The store cannot be opened or written (one-line message naming the database)."""


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    outlet: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    origin: Mapped[str | None] = mapped_column(Text)  # file path, feed URL or row reference
    profile: Mapped[str] = mapped_column(String(100))
    profile_version: Mapped[int] = mapped_column(Integer)
    pipeline_version: Mapped[str] = mapped_column(String(40))
    duplicate_of: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("articles.id"), index=True
    )  # the first-seen article this one is a (near-)copy of, e.g. a wire story
    similarity: Mapped[float | None] = mapped_column(Float)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime)

    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    quotes: Mapped[list[QuoteRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class SourceRow(Base):
    """A speaker or organisation, one row per (name, side)."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    side: Mapped[str] = mapped_column(String(20), index=True)
    faction: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))


class PlaceRow(Base):
    """A resolved location (one row per gazetteer point)."""

    __tablename__ = "places"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(200))
    precision: Mapped[str] = mapped_column(String(20))

    __table_args__ = (Index("ix_places_lat_lon", "lat", "lon"),)


class QuoteRow(Base):
    __tablename__ = "quotes"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("sources.id"), index=True
    )
    speaker: Mapped[str | None] = mapped_column(String(300))
    speaker_side: Mapped[str | None] = mapped_column(String(20))
    speaker_reason: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    cue: Mapped[str | None] = mapped_column(String(100))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    article: Mapped[ArticleRow] = relationship(back_populates="quotes")


class ClaimRow(Base):
    """One claim, with the fields queries filter on copied in (place, date, sides)."""

    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    article_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("sources.id"), index=True
    )
    source: Mapped[str | None] = mapped_column(String(300))
    source_side: Mapped[str] = mapped_column(String(20), index=True)
    source_faction: Mapped[str | None] = mapped_column(String(60))
    source_kind: Mapped[str] = mapped_column(String(20))
    event: Mapped[str] = mapped_column(String(20), index=True)
    actor: Mapped[str | None] = mapped_column(String(300))
    actor_side: Mapped[str] = mapped_column(String(20), index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    place_key: Mapped[str | None] = mapped_column(String(200), index=True)  # gazetteer name, folded
    mention_key: Mapped[str | None] = mapped_column(String(200))  # the name the text used
    place_relation: Mapped[str | None] = mapped_column(String(60))
    place_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), ForeignKey("places.id"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[str | None] = mapped_column(String(20))
    geo_reason: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)  # event date, else published
    time_text: Mapped[str | None] = mapped_column(String(200))
    magnitude_value: Mapped[float | None] = mapped_column(Float)
    magnitude_min: Mapped[float | None] = mapped_column(Float)
    magnitude_unit: Mapped[str | None] = mapped_column(String(10))
    magnitude_qualifier: Mapped[str | None] = mapped_column(String(10))
    weapon: Mapped[str | None] = mapped_column(String(20))
    polarity: Mapped[str] = mapped_column(String(10))
    modality: Mapped[str] = mapped_column(String(12))
    interest: Mapped[str] = mapped_column(String(20))
    quote: Mapped[str] = mapped_column(String(10))
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    incident_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("incidents.id", ondelete="SET NULL")
    )
    # The incident's status, copied in when incidents are regrouped: filters and the map's
    # aggregation need no join.
    status: Mapped[str] = mapped_column(
        String(20), default="single-source", server_default="single-source"
    )

    article: Mapped[ArticleRow] = relationship(back_populates="claims")

    __table_args__ = (
        Index("ix_claims_lat_lon", "lat", "lon"),
        Index("ix_claims_place_date", "place_key", "date"),
        Index("ix_claims_place_id_date", "place_id", "date"),
        Index("ix_claims_mention_place", "mention_key", "place_key"),
        Index("ix_claims_event_date", "event", "date"),
        Index("ix_claims_status_date", "status", "date"),
        # newest first, as pages are listed: a page is read off the index, not sorted; the
        # sides make it cover the timeline's counts per day and side
        Index(
            "ix_claims_newest",
            text("date DESC"),
            "article_id",
            "evidence_start",
            "source_side",
            "actor_side",
        ),
        # the map's points: a covering index, grouped in order
        Index("ix_claims_map", "place_id", "actor_side", "status", "date"),
        # an incident's claims in the order they are listed
        Index(
            "ix_claims_incident", "incident_id", "polarity", "date", "article_id", "evidence_start"
        ),
        # source names (the source filter, sort, and claims per source: covering)
        Index("ix_claims_source", "source", "source_side"),
    )


class MinHashRow(Base):
    """An article's MinHash signature (``fogofwar.corpus``: near-duplicate detection)."""

    __tablename__ = "minhashes"

    article_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class MinHashBandRow(Base):
    """One LSH band bucket of a first-seen article: articles sharing a bucket are candidate
    near-duplicates (``fogofwar.corpus``)."""

    __tablename__ = "minhash_bands"

    article_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger, index=True)


class IncidentRow(Base):
    """Claims about one event: same event family, place and days (see ``fogofwar.corpus``)."""

    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    family: Mapped[str] = mapped_column(String(20), index=True)
    side: Mapped[str] = mapped_column(String(20))  # the side it is "for" (assessment.yaml)
    place: Mapped[str | None] = mapped_column(String(200))
    place_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text)
    claims_count: Mapped[int] = mapped_column(Integer)


# --------------------------------------------------------------------------------------------
# Stable ids
# --------------------------------------------------------------------------------------------


def _digest(*parts: object) -> str:
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:ID_LENGTH]


def normalise_text(text: str) -> str:
    """Text as compared for identity: NFKC, typographic quotes folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "}))
    return re.sub(r"\s+", " ", text).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def article_id(text: str, url: str | None = None) -> str:
    """Stable id from the normalised content and, when present, the URL."""
    return _digest(content_hash(text), (url or "").strip())


def source_id(name: str | None, side: str) -> str | None:
    return _digest("source", normalise_text(name).casefold(), side) if name else None


def place_id(lat: float, lon: float, name: str) -> str:
    return _digest("place", round(lat, 4), round(lon, 4), name.casefold())


def claim_id(article: str, claim: Claim) -> str:
    """Stable id: article + evidence span + trigger + event + acting side + place."""
    return _digest(
        article,
        claim.evidence.start,
        claim.evidence.end,
        claim.trigger.start,
        claim.event,
        claim.actor_side,
        claim.place.name.casefold() if claim.place else None,
        claim.polarity,
    )


def quote_id(article: str, quote: Quote) -> str:
    return _digest(article, "quote", quote.span.start, quote.span.end)


# --------------------------------------------------------------------------------------------
# Opening the store
# --------------------------------------------------------------------------------------------


def database_url(db: str | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as it is, a path as SQLite, None as the default."""
    if not db:
        db = DEFAULT_DB
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@dataclass
class Store:
    """An open claims store."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


SCHEMA_REVISION = "0002"  # the newest migration in migrations/versions


def schema_revision(engine: Engine) -> str | None:
    """The migration a store's schema is at (None for an empty database)."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open (and by default create or upgrade) the store at ``db`` (path or SQLAlchemy URL)."""
    url = database_url(db)
    if url.startswith("sqlite:///") and not create:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise StoreError(f"{path}: no such store (run `fogofwar ingest` first)")
    try:
        engine = make_engine(url)
        if create or schema_revision(engine) != SCHEMA_REVISION:
            migrate(url)  # creates, or upgrades a store written by an older version
    except Exception as error:  # driver/permission errors become one line
        message = f"{url}: cannot open the store ({error.__class__.__name__}: {error})"
        raise StoreError(message) from error
    return Store(url, engine, sessionmaker(engine, expire_on_commit=False))


# --------------------------------------------------------------------------------------------
# Writing an analysis
# --------------------------------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _source_row(session: Session, name: str | None, side: str, faction, kind) -> str | None:
    sid = source_id(name, side)
    if sid and session.get(SourceRow, sid) is None:
        session.add(SourceRow(id=sid, name=name, side=side, faction=faction, kind=kind))
        session.flush()  # later lookups in this session must find it
    return sid


def _place_row(session: Session, claim: Claim) -> str | None:
    geo = claim.place.geo if claim.place else None
    if geo is None:
        return None
    pid = place_id(geo.lat, geo.lon, geo.name)
    if session.get(PlaceRow, pid) is None:
        session.add(
            PlaceRow(
                id=pid,
                name=geo.name,
                lat=geo.lat,
                lon=geo.lon,
                country=geo.country,
                admin1=geo.admin1,
                precision=geo.precision,
            )
        )
        session.flush()
    return pid


def claim_row(article: str, published: dt.date | None, claim: Claim, session: Session) -> ClaimRow:
    """The row for one claim (adds its source and place rows when new)."""
    source = claim.source
    place = claim.place
    geo = place.geo if place else None
    magnitude = claim.magnitude
    return ClaimRow(
        id=claim_id(article, claim),
        article_id=article,
        source_id=_source_row(session, source.name, source.side, source.faction, source.kind),
        source=source.name,
        source_side=source.side,
        source_faction=source.faction,
        source_kind=source.kind,
        event=claim.event,
        actor=claim.actor,
        actor_side=claim.actor_side,
        place=place.name if place else None,
        place_key=place_key(geo.name if geo else place.name) if place else None,
        mention_key=place_key(place.name) if place else None,
        place_relation=place.relation if place else None,
        place_id=_place_row(session, claim),
        lat=geo.lat if geo else None,
        lon=geo.lon if geo else None,
        geo_precision=geo.precision if geo else None,
        geo_reason=None if geo else (place.reason if place else "no place named in the sentence"),
        date=_date(claim.time.date) if claim.time else published,
        time_text=claim.time.text if claim.time else None,
        magnitude_value=magnitude.value if magnitude else None,
        magnitude_min=magnitude.min if magnitude else None,
        magnitude_unit=magnitude.unit if magnitude else None,
        magnitude_qualifier=magnitude.qualifier if magnitude else None,
        weapon=claim.weapon,
        polarity=claim.polarity,
        modality=claim.modality,
        interest=claim.interest,
        quote=claim.quote,
        evidence_start=claim.evidence.start,
        evidence_end=claim.evidence.end,
        evidence=claim.evidence.text,
        trigger_start=claim.trigger.start,
        trigger_end=claim.trigger.end,
    )


def quote_row(article: str, quote: Quote, session: Session) -> QuoteRow:
    speaker = quote.speaker
    return QuoteRow(
        id=quote_id(article, quote),
        article_id=article,
        source_id=_source_row(session, speaker.name, speaker.side, speaker.faction, speaker.kind)
        if speaker
        else None,
        speaker=speaker.name if speaker else None,
        speaker_side=speaker.side if speaker else None,
        speaker_reason=quote.speaker_reason,
        kind=quote.kind,
        cue=quote.cue,
        start=quote.span.start,
        end=quote.span.end,
        text=quote.text,
    )


def place_key(name: str) -> str:
    """The form place names are matched on in queries: casefolded, accents removed."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).strip()


def save_analysis(
    session: Session,
    analysis: Analysis,
    *,
    origin: str | None = None,
    profile_version: int = 1,
    duplicate_of: str | None = None,
    similarity: float | None = None,
) -> str:
    """Write one analysed article with its quotes and claims; replaces an earlier analysis of
    the same article (same id). Returns the article id."""
    article = analysis.article
    aid = article_id(article.text, article.url)
    existing = session.get(ArticleRow, aid)
    if existing is not None:
        session.delete(existing)
        session.flush()
    published = _date(article.published)
    row = ArticleRow(
        id=aid,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        published=published,
        text=article.text,
        content_hash=content_hash(article.text),
        origin=origin or article.path,
        profile=article.profile,
        profile_version=profile_version,
        pipeline_version=__version__,
        duplicate_of=duplicate_of,
        similarity=similarity,
        ingested_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
    )
    session.add(row)
    seen: set[str] = set()
    for claim in analysis.claims:
        crow = claim_row(aid, published, claim, session)
        if crow.id not in seen:
            seen.add(crow.id)
            session.add(crow)
    seen.clear()
    for quote in analysis.quotes:
        qrow = quote_row(aid, quote, session)
        if qrow.id not in seen:
            seen.add(qrow.id)
            session.add(qrow)
    return aid


def has_article(session: Session, aid: str) -> bool:
    return session.scalar(select(ArticleRow.id).where(ArticleRow.id == aid)) is not None
