"""The claims store: schema by migration, stable ids, idempotent writes, cascade on re-analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import fogofwar
from fogofwar.store import (
    ArticleRow,
    ClaimRow,
    QuoteRow,
    SourceRow,
    StoreError,
    article_id,
    database_url,
    normalise_text,
    open_store,
    save_analysis,
)

TEXT = (
    "Russian forces shelled Kherson on Tuesday, killing two civilians, the regional governor "
    "said. \u201cWe repelled all attacks near Bakhmut,\u201d the Ukrainian General Staff said."
)


@pytest.fixture(scope="module")
def analysis():
    return fogofwar.analyze(TEXT, published="2023-05-12", url="https://example.org/a")


def test_database_url():
    assert database_url(None) == "sqlite:///fogofwar.db"
    assert database_url("corpus.db") == "sqlite:///corpus.db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_article_id_ignores_whitespace_and_quote_style_but_not_the_url():
    a = article_id("Kyiv said \u201cno\u201d.\n\n", "https://x.org/1")
    assert a == article_id("Kyiv  said \"no\".", "https://x.org/1")
    assert a != article_id("Kyiv said \"no\".", "https://x.org/2")
    assert a != article_id("Kyiv said \"yes\".", "https://x.org/1")
    assert normalise_text(" a\u00a0 b\n") == "a b"


def test_migrations_create_the_schema(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    tables = set(sa.inspect(store.engine).get_table_names())
    assert {"articles", "claims", "quotes", "sources", "places", "incidents",
            "alembic_version"} <= tables
    indexes = {ix["name"] for ix in sa.inspect(store.engine).get_indexes("claims")}
    assert {"ix_claims_place_date", "ix_claims_lat_lon", "ix_claims_date"} <= indexes
    store.close()


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        open_store(str(tmp_path / "absent.db"), create=False)


def test_save_is_idempotent_and_ids_are_stable(tmp_path, analysis):
    store = open_store(str(tmp_path / "s.db"))
    with store.session() as session:
        first = save_analysis(session, analysis)
    with store.session() as session:
        claim_ids = set(session.scalars(sa.select(ClaimRow.id)))
        assert claim_ids and len(claim_ids) == len(analysis.claims)
    with store.session() as session:  # the same analysis again replaces, never duplicates
        assert save_analysis(session, analysis) == first
    with store.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ArticleRow)) == 1
        assert set(session.scalars(sa.select(ClaimRow.id))) == claim_ids
        assert session.scalar(sa.select(sa.func.count()).select_from(QuoteRow)) == len(
            analysis.quotes
        )
    store.close()


def test_claim_rows_carry_place_date_and_evidence(tmp_path, analysis):
    store = open_store(str(tmp_path / "s.db"))
    with store.session() as session:
        save_analysis(session, analysis)
    with store.session() as session:
        shelling = session.scalars(sa.select(ClaimRow).where(ClaimRow.event == "SHELLING")).one()
        assert shelling.actor_side == "RU"
        assert shelling.place_key == "kherson" and shelling.lat and shelling.lon
        assert str(shelling.date) == "2023-05-09"  # "on Tuesday" before Friday 2023-05-12
        assert TEXT[shelling.evidence_start : shelling.evidence_end] == shelling.evidence
        names = set(session.scalars(sa.select(SourceRow.name)))
        assert "Ukrainian Armed Forces" in names  # the General Staff, by its profile entry
    store.close()


def test_the_migration_matches_the_models(tmp_path):
    """Autogenerate finds nothing to add: the models and the migrations describe one schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from fogofwar.store import Base

    store = open_store(str(tmp_path / "s.db"))
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        indexes = {i["name"] for i in inspect(connection).get_indexes("claims")}
    # Alembic cannot compare expression indexes (date DESC) on SQLite: check it exists instead.
    expression = {"ix_claims_newest"}
    assert [d for d in diff if not (d[0].endswith("_index") and d[1].name in expression)] == []
    assert expression <= indexes
    store.close()


def test_an_older_store_is_upgraded_when_opened_and_keeps_its_statuses(tmp_path, make_store):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import select

    import fogofwar.store
    from fogofwar.store import SCHEMA_REVISION, ClaimRow, schema_revision

    path = make_store(
        tmp_path / "old.db",
        [
            ("Wagner chief Yevgeny Prigozhin said on Saturday his forces had captured Bakhmut.",
             "2023-05-21"),
            ("Ukrainian troops remain in Bakhmut, the Ukrainian General Staff said on Saturday.",
             "2023-05-21"),
        ],
    )
    config = Config()
    migrations = Path(fogofwar.store.__file__).with_name("migrations")
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.downgrade(config, "0001")  # as a store written before claims carried a status
    store = open_store(path, create=False)
    assert schema_revision(store.engine) == SCHEMA_REVISION
    with store.session() as session:
        statuses = set(session.scalars(select(ClaimRow.status)))
    assert statuses == {"contested"}
    store.close()
