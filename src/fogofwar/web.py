"""The dashboard and JSON API over the claims store (``fogofwar serve``).

Every endpoint mirrors a query command: the same filters, the same views (``to_dict()``), one
database session per request. Bad parameters are HTTP 400 with ``{"detail": "<one line>"}``.
The page (``/``) and its libraries are static files of the package (``static/``; the vendored
libraries are copied from npm by ``make setup``). The server is read-only unless started with a
token: then ``POST /api/articles`` ingests articles sent in the request body, and only then is
the NLP model loaded.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles

from . import __version__
from .queries import (
    ClaimFilter,
    ClaimView,
    QueryError,
    claims_timeline,
    control_timeline,
    corpus_summary,
    count_claims,
    count_incidents,
    facets,
    find_claims,
    find_incidents,
    get_incident,
    map_points,
    parse_date,
    show_article,
    source_activity,
)
from .store import Store, open_store

MAX_BODY_BYTES = 1_000_000
MAX_PAGE = 1000
MAX_CSV_ROWS = 100_000
CSV_PAGE = 1000
MAX_MAP_POINTS = 5000
MAX_INGEST_ARTICLES = 100
# Scripts, styles and data from this server only; no inline script, no plugins, no framing.
CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SafeJSONResponse(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` escaped, so article text can never read as markup."""

    def render(self, content: Any) -> bytes:
        return self.dumps(content).encode("utf-8")

    @staticmethod
    def dumps(content: Any) -> str:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            text = text.replace(char, escape)
        return text


class BodyTooLarge(Exception):
    """A request body went over :data:`MAX_BODY_BYTES`."""


class GuardMiddleware:
    """Security headers on every response and a cap on request body size (413 beyond it)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message["headers"] = headers
            await send(message)

        if self._declared_size(scope) > self.max_body:
            await self._too_large(send_with_headers)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await self._too_large(send_with_headers)

    @staticmethod
    def _declared_size(scope: Scope) -> int:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0

    async def _too_large(self, send: Send) -> None:
        body = SafeJSONResponse({"detail": "request body too large"}).body
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _one_line(message: str) -> str:
    return " ".join(message.split())


CSV_COLUMNS = list(ClaimView.__dataclass_fields__)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (text starting with = + - @)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _pages(store: Store, f: ClaimFilter) -> Iterator[list[ClaimView]]:
    """The claims of ``f`` (from its offset, up to its limit) in pages, in one session."""
    end = f.offset + f.limit
    with store.session() as session:
        offset = f.offset
        while offset < end:
            page = replace(f, offset=offset, limit=min(CSV_PAGE, end - offset))
            rows = find_claims(session, page)
            if rows:
                yield rows
            if len(rows) < page.limit:
                break
            offset += len(rows)


def _csv_lines(store: Store, f: ClaimFilter) -> Iterator[str]:
    """The header, then the matching claims, a page at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    for rows in _pages(store, f):
        buffer.seek(0)
        buffer.truncate()
        for view in rows:
            writer.writerow([_csv_cell(v) for v in view.to_dict().values()])
        yield buffer.getvalue()


def _json_lines(store: Store, f: ClaimFilter) -> Iterator[str]:
    """A JSON array of the matching claims, a page at a time (markup characters escaped)."""
    yield "["
    first = True
    for rows in _pages(store, f):
        for view in rows:
            yield ("" if first else ",\n") + SafeJSONResponse.dumps(view.to_dict())
            first = False
    yield "]\n"


def create_app(
    db: str | None, token: str | None = None, profile: str = "russia-ukraine"
) -> FastAPI:
    """The dashboard and API over the store at ``db`` (which must exist; StoreError otherwise).

    With ``token``, ``POST /api/articles`` ingests articles (analysed with ``profile``) for
    requests that carry it as ``Authorization: Bearer <token>``; without, the server is
    read-only."""
    store = open_store(db, create=False)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="fogofwar",
        lifespan=lifespan,
        version=__version__,
        description=(
            "Sourced claims from conflict reporting: who claims what happened, where and when. "
            "Read-only unless the server was started with --token."
        ),
        default_response_class=SafeJSONResponse,
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(GuardMiddleware)
    _add_error_handlers(app)
    _add_claim_routes(app, store)
    _add_other_routes(app, store)
    _add_ingest_route(app, store, token, profile)
    _add_page_routes(app)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    async def bad_query(_: Request, exc: QueryError) -> SafeJSONResponse:
        return SafeJSONResponse({"detail": _one_line(str(exc))}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(_: Request, exc: RequestValidationError) -> SafeJSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        name = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        message = f"{name}: {first.get('msg', 'invalid value')}"
        return SafeJSONResponse({"detail": _one_line(message)}, status_code=400)


Place = Annotated[str | None, Query(description="Place name as written or resolved.")]
Near = Annotated[str | None, Query(description="LAT,LON,KM: claims within KM of a point.")]
Since = Annotated[str | None, Query(description="Only from this date (YYYY-MM-DD).")]
Until = Annotated[str | None, Query(description="Only until this date (YYYY-MM-DD).")]
Source = Annotated[str | None, Query(description="Source name contains this.")]
Side = Annotated[str | None, Query(description="Claimant or acting side: UA, RU, THIRD…")]
SourceSide = Annotated[str | None, Query(description="The claimant's side only.")]
ActorSide = Annotated[str | None, Query(description="The acting side only.")]
PlaceId = Annotated[str | None, Query(description="One gazetteer point (a map point's id).")]
Event = Annotated[str | None, Query(description="Event type, e.g. CAPTURE.")]
Status = Annotated[str | None, Query(description="corroborated, contested or single-source.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="At most this many rows.")]
Offset = Annotated[int, Query(ge=0, description="Skip this many rows (paging).")]
Sort = Annotated[
    str,
    Query(
        description="date, source, source_side, actor_side, event, place, interest or status; "
        "'-' first for descending."
    ),
]
DownloadLimit = Annotated[int, Query(ge=1, le=MAX_CSV_ROWS, description="At most this many rows.")]


def claim_filters(
    place: Place = None,
    near: Near = None,
    since: Since = None,
    until: Until = None,
    source: Source = None,
    side: Side = None,
    source_side: SourceSide = None,
    actor_side: ActorSide = None,
    place_id: PlaceId = None,
    event: Event = None,
    status: Status = None,
) -> ClaimFilter:
    """The claim filters every claims endpoint takes, checked (QueryError -> 400)."""
    return ClaimFilter.parse(
        place=place,
        near=near,
        since=since,
        until=until,
        source=source,
        side=side,
        source_side=source_side,
        actor_side=actor_side,
        place_id=place_id,
        event=event,
        status=status,
    )


Filters = Annotated[ClaimFilter, Depends(claim_filters)]


def _add_claim_routes(app: FastAPI, store: Store) -> None:
    @app.get("/api/claims")
    def claims(
        filters: Filters,
        sort: Sort = "-date",
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Claims with their status and evidence, newest first unless ``sort`` says otherwise;
        ``total`` counts every match."""
        f = replace(filters, limit=limit, offset=offset, sort=sort).check()
        with store.session() as session:
            rows = find_claims(session, f)
            total = count_claims(session, f)
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "sort": sort,
            "claims": [r.to_dict() for r in rows],
        }

    @app.get("/api/claims.{extension}", response_class=StreamingResponse)
    def claims_download(
        extension: Annotated[Literal["csv", "json"], PathParam(description="csv or json")],
        filters: Filters,
        sort: Sort = "-date",
        limit: DownloadLimit = MAX_CSV_ROWS,
        offset: Offset = 0,
    ) -> StreamingResponse:
        """The claims of a filter as a CSV or JSON-array download (up to 100,000 claims)."""
        f = replace(filters, limit=limit, offset=offset, sort=sort).check()
        if extension == "csv":
            return _download(_csv_lines(store, f), "text/csv; charset=utf-8", "csv")
        return _download(_json_lines(store, f), "application/json", "json")

    @app.get("/api/map")
    def claims_map(
        filters: Filters,
        max_points: Annotated[
            int, Query(ge=1, le=MAX_MAP_POINTS, description="At most this many map points.")
        ] = 2000,
    ) -> dict[str, Any]:
        """The claims of a filter aggregated per place, acting side and status - one map point
        each, largest first, at most ``max_points`` (``truncated`` says when more existed)."""
        with store.session() as session:
            return map_points(session, filters, max_points).to_dict()

    @app.get("/api/timeline")
    def timeline(
        filters: Filters,
        by: Annotated[
            str, Query(description="Count by source_side (the claimant) or actor_side.")
        ] = "source_side",
    ) -> dict[str, Any]:
        """Claims per day and per side for a filter (dated claims; ``undated`` counts the
        rest)."""
        with store.session() as session:
            return claims_timeline(session, filters, by).to_dict()

    @app.get("/api/facets")
    def filter_values() -> dict[str, Any]:
        """The sides, event types, statuses, sources (up to 200, most claims first) and the
        date range of the store: what the filters can take."""
        with store.session() as session:
            return facets(session).to_dict()


def _download(lines: Iterator[str], media_type: str, extension: str) -> StreamingResponse:
    disposition = f'attachment; filename="fogofwar-claims.{extension}"'
    return StreamingResponse(
        lines, media_type=media_type, headers={"Content-Disposition": disposition}
    )


def _add_other_routes(app: FastAPI, store: Store) -> None:
    @app.get("/api/incidents")
    def incidents(
        status: Status = None,
        place: Place = None,
        since: Since = None,
        until: Until = None,
        limit: Limit = 50,
        offset: Offset = 0,
        claims: Annotated[
            int, Query(ge=0, le=100, description="Claims listed per side of each incident.")
        ] = 10,
    ) -> dict[str, Any]:
        """Incidents, most claims first, each with its first claims for and against
        (``supporting_total`` and ``opposing_total`` count them all); ``total`` counts every
        match."""
        filters = {
            "status": status,
            "place": place,
            "since": parse_date(since, "since"),
            "until": parse_date(until, "until"),
        }
        with store.session() as session:
            rows = find_incidents(
                session, **filters, limit=limit, offset=offset, claims_per_side=claims
            )
            total = count_incidents(session, **filters)
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "incidents": [r.to_dict() for r in rows],
        }

    @app.get("/api/incidents/{incident_id}")
    def incident(incident_id: str) -> dict[str, Any]:
        """One incident: its claims for and against (the first 1,000 of each side; the totals
        count them all), and the reason for its status."""
        with store.session() as session:
            return _or_404(get_incident, session, incident_id).to_dict()

    @app.get("/api/places/{name}/control")
    def control(name: str, until: Until = None) -> dict[str, Any]:
        """Capture and withdrawal claims read as evidence of who holds a place, the daily
        estimate and the days it changes."""
        end = parse_date(until, "until")
        with store.session() as session:
            timeline = control_timeline(session, name, until=end)
        return timeline.to_dict()

    @app.get("/api/sources")
    def sources(
        since: Since = None,
        until: Until = None,
        side: Annotated[str | None, Query(description="Only sources of this side.")] = None,
        limit: Limit = 50,
    ) -> list[dict[str, Any]]:
        """Claims per source and per ISO week (when did a source go quiet)."""
        start, end = parse_date(since, "since"), parse_date(until, "until")
        with store.session() as session:
            rows = source_activity(session, since=start, until=end, side=side, limit=limit)
        return [r.to_dict() for r in rows]

    @app.get("/api/articles/{article_id}")
    def article(article_id: str) -> dict[str, Any]:
        """One article (a unique id prefix is enough): text, claims and quotes."""
        with store.session() as session:
            return _or_404(show_article, session, article_id).to_dict()

    @app.get("/api/summary")
    def summary() -> dict[str, Any]:
        """Articles, wire copies, claims, quotes, incidents by status, dates, top contested."""
        with store.session() as session:
            totals = corpus_summary(session)
            top = find_incidents(session, status="contested", limit=3, with_claims=False)
        return totals.to_dict() | {"top_contested": [t.to_dict() for t in top]}


def _or_404(lookup: Callable[[Any, str], Any], session: Any, key: str) -> Any:
    """``lookup(session, key)``, with "no such ..." as HTTP 404 (other QueryErrors stay 400)."""
    try:
        return lookup(session, key)
    except QueryError as exc:
        if str(exc).startswith("no "):
            raise HTTPException(404, _one_line(str(exc))) from None
        raise


class Ingester:
    """The NLP pipeline, loaded on the first ingest request, one article batch at a time."""

    def __init__(self, store: Store, profile: str) -> None:
        self.store = store
        self.profile = profile
        self.lock = threading.Lock()
        self.analyzer: Any = None

    def ingest(self, records: list[Any]) -> list[dict[str, Any]]:
        from .corpus import ingest_records

        with self.lock:
            if self.analyzer is None:
                from .pipeline import Analyzer

                self.analyzer = Analyzer(self.profile)
            outcomes = ingest_records(self.store, records, self.analyzer)
        return [
            {
                "status": o.status,
                "article_id": o.article_id,
                "claims": o.claims,
                "duplicate_of": o.duplicate_of,
                "problem": o.problem,
            }
            for o in outcomes
        ]


ARTICLES_BODY = Body(
    description=(
        "One article as {text | html, url?, title?, published?, outlet?}, or "
        '{"articles": [...]} with up to 100 of them. Text only: nothing is read from a path '
        "or fetched from the url."
    ),
    examples=[
        {"text": "Ukraine said its forces recaptured Klishchiivka.", "published": "2023-09-17"}
    ],
)


def _add_ingest_route(app: FastAPI, store: Store, token: str | None, profile: str) -> None:
    ingester = Ingester(store, profile) if token else None

    @app.post("/api/articles", status_code=201)
    def add_articles(
        body: Annotated[Any, ARTICLES_BODY],
        authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None,
    ) -> dict[str, Any]:
        """Analyse and store articles sent in the body (needs the server's ``--token``)."""
        if ingester is None or token is None:
            raise HTTPException(
                403, "this server is read-only; start it with --token to allow ingest"
            )
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip(), token):
            raise HTTPException(
                401,
                "a valid 'Authorization: Bearer TOKEN' header is needed to ingest",
                headers={"WWW-Authenticate": "Bearer"},
            )
        records = _records(body)
        results = ingester.ingest(records)
        stored = sum(r["status"] in ("ingested", "duplicate") for r in results)
        return {"stored": stored, "results": results}


def _records(body: Any) -> list[Any]:
    """The article records of an ingest body (HTTP 400 when it has none, or too many)."""
    if isinstance(body, dict) and "articles" in body:
        records = body["articles"]
        if not isinstance(records, list) or not records:
            raise HTTPException(400, "'articles' must be a non-empty list of article objects")
    elif isinstance(body, dict):
        records = [body]
    else:
        raise HTTPException(
            400, "the body must be a JSON object: an article or {'articles': [...]}"
        )
    if len(records) > MAX_INGEST_ARTICLES:
        raise HTTPException(400, f"at most {MAX_INGEST_ARTICLES} articles per request")
    return records


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fogofwar API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""


def _add_page_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def dashboard() -> Any:
        missing = missing_assets()
        if missing:
            message = (
                "The dashboard's files are not installed (the JSON API under /api works). "
                f"Run `make setup` to copy them from npm. Missing: {', '.join(missing)}\n"
            )
            return PlainTextResponse(message, status_code=503)
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Any:
        return HTMLResponse(DOCS_PAGE)

    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")


def missing_assets() -> list[str]:
    """Front-end files the dashboard needs that are not installed (``make setup`` copies the
    vendored ones from npm)."""
    wanted = [
        STATIC / "index.html",
        VENDOR / "leaflet" / "leaflet.js",
        VENDOR / "markercluster" / "leaflet.markercluster.js",
        VENDOR / "topojson" / "topojson-client.min.js",
        VENDOR / "atlas" / "countries-50m.json",
        VENDOR / "swagger-ui" / "swagger-ui-bundle.js",
    ]
    return [str(path.relative_to(STATIC)) for path in wanted if not path.exists()]
