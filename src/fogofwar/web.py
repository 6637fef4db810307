"""Read-only JSON API over the claims store (``fogofwar serve``).

Every endpoint mirrors a query command: the same filters, the same views (``to_dict()``), one
database session per request. Bad parameters are HTTP 400 with ``{"detail": "<one line>"}``.
Nothing here loads the NLP model.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse

from . import __version__
from .queries import (
    ClaimFilter,
    ClaimView,
    QueryError,
    control_timeline,
    corpus_summary,
    count_claims,
    find_claims,
    find_incidents,
    parse_date,
    parse_near,
    show_article,
    source_activity,
)
from .store import Store, open_store

MAX_BODY_BYTES = 1_000_000
MAX_PAGE = 1000
MAX_CSV_ROWS = 100_000
CSV_PAGE = 1000
CSP = "default-src 'self'"
# Swagger UI at /docs loads its script and style from a CDN and starts with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com"
)
DOCS_PATHS = ("/docs", "/redoc")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SafeJSONResponse(JSONResponse):
    """JSON with ``<``, ``>`` and ``&`` escaped, so article text can never read as markup."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            text = text.replace(char, escape)
        return text.encode("utf-8")


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
        csp = DOCS_CSP if scope["path"] in DOCS_PATHS else CSP
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
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


def _claim_filter(
    place: str | None,
    near: str | None,
    since: str | None,
    until: str | None,
    source: str | None,
    side: str | None,
    event: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> ClaimFilter:
    """The query parameters as a checked :class:`ClaimFilter` (QueryError when bad)."""
    return ClaimFilter(
        place=place,
        near=parse_near(near) if near else None,
        since=parse_date(since, "since"),
        until=parse_date(until, "until"),
        source=source,
        side=side,
        event=event,
        status=status,
        limit=limit,
        offset=offset,
    ).check()


CSV_COLUMNS = list(ClaimView.__dataclass_fields__)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (text starting with = + - @)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_lines(store: Store, f: ClaimFilter) -> Iterator[str]:
    """The header, then the matching claims in pages, in one session."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    end = f.offset + f.limit
    with store.session() as session:
        offset = f.offset
        while offset < end:
            page = replace(f, offset=offset, limit=min(CSV_PAGE, end - offset))
            rows = find_claims(session, page)
            for view in rows:
                writer.writerow([_csv_cell(v) for v in view.to_dict().values()])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if len(rows) < page.limit:
                break
            offset += len(rows)
    rest = buffer.getvalue()
    if rest:
        yield rest


def create_app(db: str | None, token: str | None = None) -> FastAPI:
    """The API over the store at ``db`` (which must exist; StoreError otherwise).

    ``token`` is reserved for the write endpoints to come (POST ingest); nothing uses it yet.
    """
    store = open_store(db, create=False)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="fogofwar",
        lifespan=lifespan,
        version=__version__,
        description="Sourced claims from conflict reporting: read-only queries.",
        default_response_class=SafeJSONResponse,
    )
    app.state.store = store
    app.state.token = token
    app.add_middleware(GuardMiddleware)
    _add_error_handlers(app)
    _add_claim_routes(app, store)
    _add_other_routes(app, store)
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
Side = Annotated[str | None, Query(description="Source or acting side: UA, RU, THIRD…")]
Event = Annotated[str | None, Query(description="Event type, e.g. CAPTURE.")]
Status = Annotated[str | None, Query(description="corroborated, contested or single-source.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="At most this many rows.")]
Offset = Annotated[int, Query(ge=0, description="Skip this many rows (paging).")]


def _add_claim_routes(app: FastAPI, store: Store) -> None:
    @app.get("/api/claims")
    def claims(
        place: Place = None,
        near: Near = None,
        since: Since = None,
        until: Until = None,
        source: Source = None,
        side: Side = None,
        event: Event = None,
        status: Status = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Claims, newest first, with their status and evidence; ``total`` counts every match."""
        f = _claim_filter(place, near, since, until, source, side, event, status, limit, offset)
        with store.session() as session:
            rows = find_claims(session, f)
            total = count_claims(session, f)
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "claims": [r.to_dict() for r in rows],
        }

    @app.get("/api/claims.csv", response_class=StreamingResponse)
    def claims_csv(
        place: Place = None,
        near: Near = None,
        since: Since = None,
        until: Until = None,
        source: Source = None,
        side: Side = None,
        event: Event = None,
        status: Status = None,
        limit: Annotated[int, Query(ge=1, le=MAX_CSV_ROWS)] = MAX_CSV_ROWS,
        offset: Offset = 0,
    ) -> StreamingResponse:
        """The claims of a filter as a CSV download (all of them, up to 100,000 rows)."""
        f = _claim_filter(place, near, since, until, source, side, event, status, limit, offset)
        return StreamingResponse(
            _csv_lines(store, f),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="fogofwar-claims.csv"'},
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
    ) -> dict[str, Any]:
        """Incidents, most claims first, each with its claims for and against."""
        start, end = parse_date(since, "since"), parse_date(until, "until")
        with store.session() as session:
            rows = find_incidents(
                session,
                status=status,
                place=place,
                since=start,
                until=end,
                limit=limit,
                offset=offset,
            )
        return {"limit": limit, "offset": offset, "incidents": [r.to_dict() for r in rows]}

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
            try:
                view = show_article(session, article_id)
            except QueryError as exc:
                if str(exc).startswith("no article"):
                    raise HTTPException(404, _one_line(str(exc))) from None
                raise
        return view.to_dict()

    @app.get("/api/summary")
    def summary() -> dict[str, Any]:
        """Articles, wire copies, claims, quotes, incidents by status, dates, top contested."""
        with store.session() as session:
            totals = corpus_summary(session)
            top = find_incidents(session, status="contested", limit=3, with_claims=False)
        return totals.to_dict() | {"top_contested": [t.to_dict() for t in top]}
