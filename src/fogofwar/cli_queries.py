"""Query commands over the claims store: claims, incidents, contested, control, sources, show,
assess. They read the store only (no NLP model is loaded) and all take ``--json``.

Exit codes: 0 success (also when nothing matches), 2 bad input (unknown filter value, missing
store).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .cli import app, fail

DB_HELP = "Store: a SQLite path or a SQLAlchemy URL (default ./fogofwar.db)."
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SinceOption = Annotated[str | None, typer.Option(help="Only from this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Only until this date (YYYY-MM-DD).")]
LimitOption = Annotated[int, typer.Option(help="At most this many rows.")]

SIDE_STYLE = {"UA": "blue", "RU": "red", "THIRD": "green", "CIVILIAN": "magenta"}
STATUS_STYLE = {"contested": "bold yellow", "corroborated": "bold green", "single-source": "dim"}


@contextmanager
def _session(db: str | None) -> Iterator[Any]:
    from .queries import QueryError
    from .store import StoreError, open_store

    try:
        store = open_store(db, create=False)
    except StoreError as exc:
        raise fail(str(exc)) from None
    try:
        with store.session() as session:
            yield session
    except QueryError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()


def _dates(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    from .queries import QueryError, parse_date

    try:
        return parse_date(since, "--since"), parse_date(until, "--until")
    except QueryError as exc:
        raise fail(str(exc)) from None


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _side(side: str | None) -> str:
    style = SIDE_STYLE.get(side or "", "")
    return f"[{style}]{side}[/]" if style else str(side)


def _status(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, '')}]{status}[/]"


def _short(text: str | None, width: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def claims(
    db: DbOption = None,
    place: Annotated[str | None, typer.Option(help="Place name as written or resolved.")] = None,
    near: Annotated[
        str | None, typer.Option(help="LAT,LON,KM: claims within KM of a point.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Source name contains this.")] = None,
    side: Annotated[str | None, typer.Option(help="Source or acting side: UA, RU, THIRD…")] = None,
    event: Annotated[str | None, typer.Option(help="Event type, e.g. CAPTURE.")] = None,
    status: Annotated[
        str | None, typer.Option(help="corroborated, contested or single-source.")
    ] = None,
    limit: LimitOption = 50,
    offset: Annotated[int, typer.Option(help="Skip this many rows (paging).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored claims, newest first, with their status and evidence.

    Examples:

        fogofwar claims --place Bakhmut --since 2023-05-01

        fogofwar claims --near 48.59,38.00,25 --event CAPTURE --json

        fogofwar claims --side RU --status contested
    """
    from .queries import ClaimFilter, QueryError, count_claims, find_claims

    try:
        filters = ClaimFilter.parse(
            place=place,
            near=near,
            since=since,
            until=until,
            option_prefix="--",
            source=source,
            side=side,
            event=event,
            status=status,
            limit=limit,
            offset=offset,
        )
    except QueryError as exc:
        raise fail(str(exc)) from None
    with _session(db) as session:
        rows = find_claims(session, filters)
        total = count_claims(session, filters)
    if as_json:
        _print_json({"total": total, "claims": [r.to_dict() for r in rows]})
        return
    table = Table(title=f"{len(rows)} of {total} claims", show_lines=False, expand=True)
    for column in ("date", "source", "event", "actor", "place", "interest", "status", "evidence"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(
            r.date or "",
            f"{r.source or '(narration)'} {_side(r.source_side)}",
            r.event + (" [red](denied)[/]" if r.polarity == "denied" else ""),
            _side(r.actor_side),
            f"{r.place_relation + ' ' if r.place_relation else ''}{r.place or ''}",
            r.interest,
            _status(r.status),
            _short(r.evidence),
        )
    Console().print(table)


def _incidents(
    db: str | None,
    status: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    from .queries import find_incidents

    start, end = _dates(since, until)
    with _session(db) as session:
        rows = find_incidents(
            session, status=status, place=place, since=start, until=end, limit=limit
        )
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    console = Console()
    if not rows:
        console.print("no incidents match")
    for r in rows:
        when = r.date_start if r.date_start == r.date_end else f"{r.date_start} – {r.date_end}"
        console.print(
            f"[bold]{r.family}[/] for {_side(r.side)} at [bold]{r.place}[/] ({when}) "
            f"{_status(r.status)} [dim]{r.id}[/]"
        )
        console.print(f"  [italic]{r.reason}[/]")
        for view, mark in [(v, "+") for v in r.supporting] + [(v, "−") for v in r.opposing]:
            console.print(
                f"  {mark} {view.source or '(narration)'} {_side(view.source_side)}: "
                f"{view.event} {_side(view.actor_side)} — {_short(view.evidence, 100)}",
                highlight=False,
            )
        more = r.supporting_total + r.opposing_total - len(r.supporting) - len(r.opposing)
        if more > 0:
            console.print(f"  [dim]… and {more} more claims (fogofwar claims --place …)[/]")


@app.command()
def incidents(
    db: DbOption = None,
    status: Annotated[
        str | None, typer.Option(help="corroborated, contested or single-source.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Only incidents at this place.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = 20,
    as_json: JsonOption = False,
) -> None:
    """List incidents (claims about one happening) with their status, its reason and the claims
    for and against, most reported first.

    Examples:

        fogofwar incidents --place Bakhmut

        fogofwar incidents --status corroborated --json
    """
    _incidents(db, status, place, since, until, limit, as_json)


@app.command()
def contested(
    db: DbOption = None,
    place: Annotated[str | None, typer.Option(help="Only incidents at this place.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: LimitOption = 20,
    as_json: JsonOption = False,
) -> None:
    """List contested incidents: a claim and its denial, rival control claims, or counts far
    apart — side by side with the reason.

    Example:

        fogofwar contested --since 2023-05-01
    """
    _incidents(db, "contested", place, since, until, limit, as_json)


@app.command()
def control(
    place: Annotated[str, typer.Argument(help="Place name, e.g. Bakhmut.")],
    db: DbOption = None,
    until: UntilOption = None,
    as_json: JsonOption = False,
    daily: Annotated[bool, typer.Option(help="Print every day, not only the changes.")] = False,
) -> None:
    """Who claims to hold a place, when, and the daily estimate of who does (admissions and
    independent assessments weigh more than self-serving claims).

    Examples:

        fogofwar control Bakhmut

        fogofwar control Bakhmut --daily --json
    """
    from .queries import control_timeline

    _, end = _dates(None, until)
    with _session(db) as session:
        timeline = control_timeline(session, place, until=end)
    if as_json:
        _print_json(timeline.to_dict(daily=daily))
        return
    console = Console()
    if not timeline.evidence:
        console.print(f"no capture or withdrawal claims about {place}")
        return
    console.print(f"[bold]{timeline.place}[/]: who claims to hold it")
    for e in timeline.evidence:
        verb = "denies" if e.fact.polarity == "denied" else "says"
        console.print(
            f"  {e.date}  {e.fact.source or '(narration)'} {_side(e.fact.source_side)} {verb} "
            f"{e.fact.event} by {_side(e.fact.actor_side)} → holder {_side(e.side)} "
            f"[dim](weight {e.weight:.2f}: {e.why})[/]",
            highlight=False,
        )
    console.print("[bold]estimate[/] (changes):")
    for d in timeline.days if daily else timeline.changes:
        console.print(f"  {d.date}  {_side(d.side)}  confidence {d.confidence:.2f}")
    last = timeline.days[-1]
    console.print(f"  latest: {last.date} {_side(last.side)} confidence {last.confidence:.2f}")


@app.command()
def sources(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    side: Annotated[str | None, typer.Option(help="Only sources of this side.")] = None,
    limit: LimitOption = 30,
    as_json: JsonOption = False,
) -> None:
    """Claims per source and per week, so you see when a source went quiet.

    Example:

        fogofwar sources --side RU --since 2023-01-01
    """
    from .queries import source_activity

    start, end = _dates(since, until)
    with _session(db) as session:
        rows = source_activity(session, since=start, until=end, side=side, limit=limit)
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    weeks = sorted({w for r in rows for w in r.weeks})[-8:]
    table = Table(title="claims per source (last 8 weeks with claims)")
    for column in ("source", "side", "claims", "first", "last", *weeks):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r.source,
            _side(r.side),
            str(r.claims),
            r.first or "",
            r.last or "",
            *(str(r.weeks.get(w, "·")) for w in weeks),
        )
    Console().print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (a unique prefix is enough).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one stored article: metadata, claims with status and evidence, quotes.

    Example:

        fogofwar show 3f2a9c
    """
    from .queries import show_article

    with _session(db) as session:
        view = show_article(session, article_id)
    if as_json:
        _print_json(view.to_dict())
        return
    console = Console()
    console.print(f"[bold]{view.title or '(untitled)'}[/] [dim]{view.id}[/]")
    console.print(
        f"{view.outlet or ''} {view.published or ''} {view.url or view.origin or ''}".strip()
    )
    if view.wire_copy_of:
        console.print(f"[yellow]wire copy of {view.wire_copy_of} (similarity {view.similarity})")
    if view.copies:
        console.print(f"copied by: {', '.join(view.copies)}")
    for c in view.claims:
        console.print(
            f"• {c.source or '(narration)'} {_side(c.source_side)}: {c.event} by "
            f"{_side(c.actor_side)} at {c.place or '?'} {c.date or ''} {_status(c.status)}\n"
            f"  [dim]{_short(c.evidence, 140)}[/]",
            highlight=False,
        )
    for q in view.quotes:
        console.print(
            f"“{_short(q['text'], 120)}” — {q['speaker'] or '(unknown)'}", highlight=False
        )


@app.command()
def assess(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Regroup all stored claims into incidents and recompute their status (ingest does this
    at the end of every run).

    Example:

        fogofwar assess --db corpus.db
    """
    from .incidents import refresh
    from .store import StoreError, open_store

    try:
        store = open_store(db, create=False)
    except StoreError as exc:
        raise fail(str(exc)) from None
    try:
        summary = refresh(store)
    finally:
        store.close()
    if as_json:
        _print_json(
            {
                "claims": summary.claims,
                "incidents": summary.incidents,
                "by_status": summary.by_status,
            }
        )
        return
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items()))
    typer.echo(f"{summary.claims} claims → {summary.incidents} incidents ({statuses})")


@app.command()
def summary(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What the store holds: articles, wire copies, claims, quotes, incidents by status, dates,
    and the contested incidents with the most claims.

    Example:

        fogofwar summary --db corpus.db
    """
    from .queries import corpus_summary, find_incidents

    with _session(db) as session:
        totals = corpus_summary(session)
        top = find_incidents(session, status="contested", limit=3, with_claims=False)
    if as_json:
        _print_json(totals.to_dict() | {"top_contested": [t.to_dict() for t in top]})
        return
    console = Console()
    statuses = ", ".join(f"{_status(k)} {v}" for k, v in sorted(totals.incidents.items()))
    console.print(
        f"[bold]{totals.articles}[/] articles ({totals.wire_copies} wire "
        f"cop{'y' if totals.wire_copies == 1 else 'ies'}), "
        f"[bold]{totals.claims}[/] claims, {totals.quotes} quotes, from {totals.first} to "
        f"{totals.last}\nincidents: {statuses or 'none'}"
    )
    for incident in top:
        console.print(
            f"  {_status('contested')} {incident.family} at [bold]{incident.place}[/] "
            f"({incident.date_start}): {incident.reason}",
            highlight=False,
        )
    console.print(
        "[dim]next: fogofwar claims --place Bakhmut · fogofwar contested · "
        "fogofwar control Bakhmut · fogofwar sources[/]"
    )
