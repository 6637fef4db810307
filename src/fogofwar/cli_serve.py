"""``fogofwar serve``: the read-only JSON API over a store (no NLP model is loaded).

Exit codes: 0 after a clean shutdown, 2 bad input (missing store).
"""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer

from .cli import app, fail

DB_HELP = "Store: a SQLite path or a SQLAlchemy URL (default ./fogofwar.db)."


@app.command()
def serve(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="FOGOFWAR_TOKEN",
            help="Allow POST /api/articles (ingest) for requests carrying "
            "'Authorization: Bearer TOKEN'. Without it the server is read-only. "
            "Prefer the FOGOFWAR_TOKEN variable: command lines are visible to other users.",
        ),
    ] = None,
    profile: Annotated[
        str, typer.Option(help="Conflict profile for articles ingested through the API.")
    ] = "russia-ukraine",
) -> None:
    """Serve the claims store as a web dashboard and JSON API (API docs at /docs).

    The dashboard (/) shows the claims on a map and a timeline, a sortable claims table, and
    article, incident and control views; it works offline. Endpoints: /api/claims,
    /api/claims.csv, /api/claims.json, /api/map, /api/timeline, /api/facets, /api/incidents,
    /api/incidents/ID, /api/places/NAME/control, /api/sources, /api/articles/ID, /api/summary,
    and POST /api/articles when started with a token.

    Examples:

        fogofwar serve --db corpus.db --port 8000

        FOGOFWAR_TOKEN=s3cret fogofwar serve --db corpus.db
    """
    from .profile import ProfileError, load_profile
    from .store import StoreError
    from .web import create_app, missing_assets

    if token is not None and len(token) < 8:
        raise fail("--token must be at least 8 characters")
    try:
        load_profile(profile)
    except ProfileError as exc:
        raise fail(str(exc)) from None
    try:
        api = create_app(db, token=token, profile=profile)
    except StoreError as exc:
        raise fail(str(exc)) from None
    missing = missing_assets()
    if missing:
        typer.echo(
            "warning: dashboard files missing (the API works; run `make setup` to copy them "
            f"from npm): {', '.join(missing)}",
            err=True,
        )
    listener = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"fogofwar dashboard: http://{shown}:{port}/  (API docs: /docs; Ctrl-C stops)")
    if token:
        typer.echo("ingest enabled: POST /api/articles with 'Authorization: Bearer TOKEN'")
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(api, log_level="warning"))
    server.run(sockets=[listener])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or exit 2 saying why not (port in use, bad address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        hint = " (try another --port)" if exc.errno == errno.EADDRINUSE else ""
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    return listener
