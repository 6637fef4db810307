"""Shared fixtures: one cached analysis per (text, date, profile), so the spaCy model and every
test article are processed once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-bakhmut.txt"
PUBLISHED = "2023-05-12"  # a Friday: "on Thursday" is 2023-05-11

_CACHE: dict[tuple[str, str | None, str], Any] = {}


def run_analysis(text: str, published: str | None = PUBLISHED, profile: str = "russia-ukraine"):
    """`fogofwar.analyze`, memoised for the whole test session."""
    import fogofwar

    key = (text, published, profile)
    if key not in _CACHE:
        _CACHE[key] = fogofwar.analyze(text, published=published, profile=profile)
    return _CACHE[key]


@pytest.fixture(scope="session")
def analyze() -> Callable[..., Any]:
    """Analyse a text (cached): ``analyze(text, published=..., profile=...)`` → Analysis."""
    return run_analysis


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(seed_text: str) -> dict[str, Any]:
    """The bundled Bakhmut article, analysed once, as the JSON-ready dict."""
    return run_analysis(seed_text).to_dict()


def _cli_modules(session: pytest.Session) -> list[Any]:
    modules = {getattr(item, "module", None) for item in session.items}
    return [m for m in modules if m is not None and hasattr(m, "start_background_runs")]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the CLI tests' slow subprocesses (each loads the language model) right away, so they
    run while the in-process tests do; only when CLI tests were selected."""
    for module in _cli_modules(session):
        module.start_background_runs()


def pytest_sessionfinish(session: pytest.Session) -> None:
    for module in _cli_modules(session):
        module.stop_background_runs()


def build_store(path: Any, articles: list[tuple[str, str]]) -> str:
    """A real SQLite claims store of (text, published) articles, incidents regrouped."""
    from fogofwar.incidents import refresh
    from fogofwar.pipeline import analyze as run
    from fogofwar.store import open_store, save_analysis

    store = open_store(str(path))
    with store.session() as session:
        for text, published in articles:
            save_analysis(session, run(text, published=published))
    refresh(store)
    store.close()
    return str(path)


@pytest.fixture(scope="session")
def make_store() -> Callable[[Any, list[tuple[str, str]]], str]:
    """Build a claims store from (text, published) pairs: ``make_store(path, articles)``."""
    return build_store
