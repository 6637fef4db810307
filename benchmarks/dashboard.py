"""Dashboard responsiveness on a large store (issue 5: with at least 100,000 claims the API
answers a filtered page in under 200 ms, and the map draws a bounded number of markers).

The store is filled like ``benchmarks/queries.py`` (the bundled article's claims copied onto
Ukrainian settlements and dates over two years), then its incidents are assessed so claims carry
real statuses. A real ``fogofwar serve`` is started on loopback and timed over HTTP (JSON encoding
and the network stack included). Then headless Debian Chromium loads the dashboard and the script
counts what the map drew: points received, marker and cluster elements in the page.

    .venv/bin/python benchmarks/dashboard.py                     # 100,000 claims
    .venv/bin/python benchmarks/dashboard.py --claims 300000 --runs 30
    .venv/bin/python benchmarks/dashboard.py --db big.db --reuse # an existing store
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.queries import fill  # noqa: E402

TARGET_MS = 200.0
CHROMIUM = os.environ.get("FOGOFWAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (label, path, held to the target): the dashboard's own requests and typical filters.
REQUESTS: list[tuple[str, str, bool]] = [
    ("claims, first page (newest 100)", "/api/claims", True),
    ("claims side=UA event=CAPTURE", "/api/claims?side=UA&event=CAPTURE", True),
    (
        "claims place=Bakhmut status=corroborated",
        "/api/claims?place=Bakhmut&status=corroborated",
        True,
    ),
    ("claims one month", "/api/claims?since=2023-05-01&until=2023-05-31", True),
    ("claims near Bakhmut 15 km", "/api/claims?near=48.59,38.00,15", True),
    ("claims source=Prigozhin sort=place", "/api/claims?source=prigozhin&sort=place", True),
    ("claims page 50 (offset 4,900)", "/api/claims?side=RU&offset=4900", True),
    ("claims sorted by source (whole store)", "/api/claims?sort=source", False),
    ("map, every claim", "/api/map", False),
    ("map side=RU one month", "/api/map?side=RU&since=2023-05-01&until=2023-05-31", False),
    ("timeline, every claim", "/api/timeline?by=actor_side", False),
    ("facets", "/api/facets", False),
    ("summary", "/api/summary", False),
    ("incidents, corroborated first page", "/api/incidents?status=corroborated", False),
]


@dataclass
class Timing:
    request: str
    path: str
    rows: int
    median_ms: float
    p90_ms: float
    held_to_target: bool

    @property
    def ok(self) -> bool:
        return not self.held_to_target or self.median_ms < TARGET_MS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("fogofwar")), "serve", "--db", db]
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wait_until_up(f"http://127.0.0.1:{port}/api/summary", server)
    return server


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"server exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer {url} within {timeout:.0f} s")


def rows_in(data: Any) -> int:
    if isinstance(data, list):
        return len(data)
    for key in ("claims", "points", "days", "incidents", "sources"):
        if isinstance(data.get(key), list):
            return len(data[key])
    return 1


def time_requests(base: str, runs: int) -> list[Timing]:
    import httpx

    timings = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for label, path, held in REQUESTS:
            client.get(path).raise_for_status()  # warm the page cache once, as in use
            samples, rows = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                rows = rows_in(response.json())
            samples.sort()
            p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
            timings.append(Timing(label, path, rows, statistics.median(samples), p90, held))
    return timings


def measure_page(base: str) -> dict[str, Any]:
    """Load the dashboard in Chromium: seconds until ready, map points, elements drawn."""
    if not Path(CHROMIUM).exists():
        return {"skipped": f"no browser at {CHROMIUM} (apt-get install chromium)"}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        started = time.perf_counter()
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        ready = time.perf_counter() - started
        counts = page.evaluate(
            """() => ({
                points: (window.fogofwar && window.fogofwar.markers || []).length,
                markers: document.querySelectorAll('.fow-marker').length,
                clusters: document.querySelectorAll('.fow-cluster').length,
                rows: document.querySelectorAll('#claims-table tbody tr').length,
            })"""
        )
        browser.close()
    return {"ready_seconds": round(ready, 2), **counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--per-article", type=int, default=25)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="store path (default: a temporary file)")
    parser.add_argument("--reuse", action="store_true", help="use an existing --db as it is")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "dashboard.db")
    fill_seconds = assess_seconds = 0.0
    if not args.reuse:
        Path(db).unlink(missing_ok=True)
        fill_seconds, _ = fill(db, args.claims, args.per_article, seed=5)
        from fogofwar.incidents import refresh
        from fogofwar.store import open_store

        store = open_store(db, create=False)
        started = time.perf_counter()
        refresh(store)
        assess_seconds = time.perf_counter() - started
        store.close()
    from fogofwar.queries import corpus_summary
    from fogofwar.store import open_store

    store = open_store(db, create=False)
    with store.session() as session:
        summary = corpus_summary(session)
    store.close()
    port = free_port()
    server = start_server(db, port)
    try:
        base = f"http://127.0.0.1:{port}"
        timings = time_requests(base, args.runs)
        page = measure_page(base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "claims": summary.claims,
        "incidents": summary.incidents,
        "fill_seconds": round(fill_seconds, 1),
        "assess_seconds": round(assess_seconds, 1),
        "timings": [asdict(t) | {"ok": t.ok} for t in timings],
        "page": page,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report, timings, page)
    tmp.cleanup()
    return 0 if all(t.ok for t in timings) else 1


def print_table(report: dict[str, Any], timings: list[Timing], page: dict[str, Any]) -> None:
    statuses = ", ".join(f"{n:,} {s}" for s, n in sorted(report["incidents"].items()))
    print(f"store: {report['claims']:,} claims; incidents: {statuses}")
    print(
        f"(filled in {report['fill_seconds']:.0f} s, assessed in {report['assess_seconds']:.0f} s)"
    )
    print(f"{'request over HTTP':42} {'rows':>6} {'median ms':>10} {'p90 ms':>8}  target")
    for t in timings:
        verdict = ("ok" if t.ok else "SLOW") if t.held_to_target else "-"
        target = f"< {TARGET_MS:g} ms" if t.held_to_target else ""
        print(
            f"{t.request:42} {t.rows:>6} {t.median_ms:>10.1f} {t.p90_ms:>8.1f}  {target} {verdict}"
        )
    if "skipped" in page:
        print(f"page: skipped ({page['skipped']})")
    else:
        print(
            f"page in Chromium: ready in {page['ready_seconds']:.2f} s; {page['points']:,} map "
            f"points for {report['claims']:,} claims; drawn: {page['markers']:,} markers + "
            f"{page['clusters']:,} clusters; {page['rows']} table rows"
        )


if __name__ == "__main__":
    sys.exit(main())
