"""``fogofwar serve``: the read-only JSON API over a store (no NLP model is loaded).

Exit codes: 0 after a clean shutdown, 2 bad input (missing store).
"""

from __future__ import annotations

from typing import Annotated

import typer

from .cli import app, fail

DB_HELP = "Store: a SQLite path or a SQLAlchemy URL (default ./fogofwar.db)."


@app.command()
def serve(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the claims store as a read-only JSON API (OpenAPI docs at /docs).

    Endpoints: /api/claims, /api/claims.csv, /api/incidents, /api/places/NAME/control,
    /api/sources, /api/articles/ID, /api/summary.

    Example:

        fogofwar serve --db corpus.db --port 8000
    """
    from .store import StoreError
    from .web import create_app

    try:
        api = create_app(db)
    except StoreError as exc:
        raise fail(str(exc)) from None
    import uvicorn

    uvicorn.run(api, host=host, port=port, log_level="info")
