"""The dashboard in a real browser (headless Chromium through Playwright).

A store is built from the bundled examples plus one hostile article, the real server runs on a
free local port, and the page is driven like an analyst would: map, filters, table, brushing,
article, incident and control views. Waits use ``body[data-ready="1"]`` (the page sets it to
"0" synchronously when a load starts and to "1" when the view is complete), never sleeps.

Skipped when Chromium is missing, unless FOGOFWAR_REQUIRE_BROWSER=1 (CI), then it fails.
Screenshots go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CORPUS = ROOT / "examples" / "corpus.jsonl"
CHROMIUM = os.environ.get("FOGOFWAR_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("FOGOFWAR_REQUIRE_BROWSER") == "1"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 20_000
READY = "body[data-ready='1']"

HOSTILE_TITLE = (
    'Klishchiivka retaken <script>window.__pwned=1</script> " onmouseover="window.__pwned=4'
)
HOSTILE_TEXT = (
    "Ukraine's military said its forces recaptured Klishchiivka on Monday. "
    "<script>window.__pwned=1</script> "
    '<img src=x onerror="window.__pwned=2"> '
    '"We repelled all attacks <b>near</b> Bakhmut," said spokesman Serhiy Cherevaty. '
    'He added: " onmouseover="window.__pwned=3" x="'
)
HOSTILE = {
    "url": "https://example.org/demo/hostile-2023-05-22",
    "outlet": 'Hostile <i>Wire</i> "><svg onload="window.__pwned=5">',
    "published": "2023-05-22",
    "title": HOSTILE_TITLE,
    "text": HOSTILE_TEXT,
}


def _need_browser() -> None:
    """Skip (or fail, when CI requires the browser tests) without Chromium or Playwright."""
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"no Chromium at {CHROMIUM} (set FOGOFWAR_CHROMIUM)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem is None:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"browser tests required (FOGOFWAR_REQUIRE_BROWSER=1) but {problem}")
    pytest.skip(problem)


# ---------------------------------------------------------------------------------------------
# Store and server


def _build_store(path: Path, extra: list[dict[str, Any]]) -> str:
    """Ingest the bundled corpus and ``extra`` rows like ``fogofwar ingest`` does."""
    from fogofwar.corpus import ingest
    from fogofwar.incidents import refresh
    from fogofwar.store import open_store

    rows = path.with_suffix(".jsonl")
    rows.write_text("".join(json.dumps(r) + "\n" for r in extra), encoding="utf-8")
    store = open_store(str(path))
    try:
        summary = ingest(store, [str(CORPUS), str(rows)])
        assert summary.ingested >= 8, summary
        refresh(store)
    finally:
        store.close()
    return str(path)


class LiveServer:
    """``fogofwar.web.create_app(db)`` under uvicorn in a thread, on a socket bound beforehand."""

    def __init__(self, db: str) -> None:
        import uvicorn

        from fogofwar.web import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(db), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/summary", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the server at {self.url} did not start")
            time.sleep(0.1)

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=10) as response:
            return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _need_browser()
    db = _build_store(tmp_path_factory.mktemp("browser") / "t.db", [HOSTILE])
    with LiveServer(db) as live:
        yield live


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _need_browser()
    from fogofwar.store import open_store

    path = tmp_path_factory.mktemp("browser-empty") / "empty.db"
    open_store(str(path)).close()
    with LiveServer(str(path)) as live:
        yield live


# ---------------------------------------------------------------------------------------------
# Browser and pages


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield instance
        instance.close()


@dataclass
class Watched:
    """A page with everything it logged, requested and failed to load."""

    page: Any
    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.origin}{path}")
        self.wait_ready()

    def wait_ready(self) -> None:
        self.page.wait_for_selector(READY, state="attached", timeout=TIMEOUT_MS)

    def total(self) -> int:
        return int(self.page.get_attribute("#claims-table", "data-total"))

    def rows(self) -> list[dict[str, str]]:
        return self.page.eval_on_selector_all(
            "#claims-table tbody tr[data-claim-id]", "rows => rows.map(r => ({...r.dataset}))"
        )

    def assert_clean(self) -> None:
        """No script errors, no console errors, no failed or refused requests, nothing fetched
        from another host."""
        assert not self.page_errors, self.page_errors
        assert not self.bad_responses, self.bad_responses
        assert not self.console_errors, self.console_errors
        assert not self.failed, self.failed
        outside = [u for u in self.requests if not u.startswith(self.origin + "/")]
        assert not outside, f"requests to other hosts: {outside}"

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _watch(context: Any, origin: str) -> Watched:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watched = Watched(page, origin)
    page.on(
        "console",
        lambda msg: watched.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: watched.page_errors.append(str(exc)))
    page.on("request", lambda req: watched.requests.append(req.url))
    page.on(
        "response",
        lambda resp: (
            watched.bad_responses.append(f"{resp.status} {resp.url}")
            if resp.status >= 400
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda req: (
            watched.failed.append(f"{req.url}: {req.failure}")
            if "ERR_ABORTED" not in (req.failure or "")
            else None
        ),
    )

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return watched


@pytest.fixture()
def web(browser: Any, server: LiveServer) -> Iterator[Watched]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield _watch(context, server.url)
    finally:
        context.close()


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the tests skip (or fail) in _need_browser()
    PlaywrightTimeout = TimeoutError


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


# ---------------------------------------------------------------------------------------------
# Tests


def test_dashboard_loads_with_markers_and_no_outside_requests(web: Watched) -> None:
    page = web.page
    web.goto("/")
    markers = page.evaluate("window.fogofwar.markers")
    places = {m["place"] for m in markers}
    assert {"Bakhmut", "Kyiv"} <= places, places
    assert all(m["claims"] > 0 and m["status"] and m["actor_side"] for m in markers)
    # the base map is drawn from the bundled atlas (no tiles), with the sea as background
    assert page.locator(".leaflet-basemap-pane canvas").count() == 1
    assert page.locator(".leaflet-tile").count() == 0
    # header summary, downloads and the table
    summary = page.locator("#summary").inner_text()
    assert "contested" in summary and "2023-05-11" in summary
    assert page.get_attribute("#download-csv", "href").startswith("/api/claims.csv")
    assert web.total() == len(web.rows()) > 10
    web.screenshot("dashboard.png")
    # Kyiv's groups share one location: a click on its cluster spiderfies it into one path per
    # group (again if the first click came during a zoom animation)
    for _ in range(3):
        page.locator(".fow-cluster-ring[data-places='Kyiv']").click()
        try:
            page.wait_for_selector("path.fow-marker", state="attached", timeout=4000)
            break
        except PlaywrightTimeout:
            continue
    paths = page.locator("path.fow-marker")
    assert paths.count() > 0
    classes = paths.first.get_attribute("class")
    assert "fow-side-" in classes and "fow-status-" in classes
    # a marker's popup lists its newest claims, built as DOM (fetched on open)
    paths.first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content .fow-popup")
    _expect()(popup.locator("a.open-article").first).to_be_visible()
    assert "Kyiv" in popup.inner_text()
    web.screenshot("dashboard-popup.png")
    page.keyboard.press("Escape")
    web.assert_clean()


def test_side_filter_changes_table_and_url(web: Watched, server: LiveServer) -> None:
    page = web.page
    web.goto("/")
    everything = web.total()
    totals = {}
    ids = {}
    for side in ("UA", "RU"):
        page.select_option("#f-side", side)
        web.wait_ready()
        rows = web.rows()
        assert rows, side
        assert all(side in (r["sourceSide"], r["actorSide"]) for r in rows), rows
        totals[side] = web.total()
        ids[side] = {r["claimId"] for r in rows}
        assert f"side={side}" in page.url
        assert totals[side] <= everything
    assert ids["UA"] != ids["RU"]
    assert totals["RU"] < everything
    # the markers follow the filter too
    assert page.evaluate("window.fogofwar.markers.length") > 0
    # back to UA with the browser's back button: form and table follow
    page.go_back()
    web.wait_ready()
    assert page.input_value("#f-side") == "UA"
    assert web.total() == totals["UA"]
    # sorting by a header, server side, with an arrow
    page.click("#claims-table th button[data-sort='source']")
    web.wait_ready()
    assert "sort=source" in page.url
    expected = server.get("/api/claims?side=UA&sort=source&limit=100")["claims"]
    assert [r["claimId"] for r in web.rows()] == [c["id"] for c in expected]
    assert page.locator("#claims-table th.sorted .arrow").inner_text() == "▲"
    web.assert_clean()


def test_row_opens_article_at_its_evidence(web: Watched) -> None:
    page = web.page
    web.goto("/?place=Bakhmut&sort=source")
    row = page.locator("#claims-table tbody tr[data-claim-id]").nth(2)
    claim_id = row.get_attribute("data-claim-id")
    article_id = row.get_attribute("data-article-id")
    row.locator("td.evidence").click()
    web.wait_ready()
    assert page.url.endswith(f"#article/{article_id}/{claim_id}")
    mark = page.locator(f"#article-text mark.evidence[data-claim-id='{claim_id}']").first
    _expect()(mark).to_be_visible()
    _expect()(mark).to_be_in_viewport()
    assert "selected" in mark.get_attribute("class")
    assert page.locator(f"#claim-detail .claim-card[data-claim-id='{claim_id}']").count() == 1
    # quotes are highlighted too, with the speaker as tooltip
    assert page.locator("#article-text span.quote[title]").count() > 0
    url = page.locator(".article-url")
    if url.count():
        assert url.get_attribute("rel") == "noopener noreferrer"
    web.screenshot("article.png")
    # back to the table, filters kept
    page.go_back()
    web.wait_ready()
    assert page.input_value("#f-place") == "Bakhmut"
    assert page.locator("#claims-table tbody tr").count() > 0
    web.assert_clean()


def test_incident_and_control_views(web: Watched) -> None:
    page = web.page
    web.goto("/#incidents")
    rows = page.locator("#incidents-table tbody tr")
    assert rows.count() > 0
    assert all("contested" in t for t in rows.locator("td:first-child").all_inner_texts())
    rows.first.locator("td:nth-child(2) a").click()
    web.wait_ready()
    assert "#incident/" in page.url
    assert page.locator(".incident-col.supporting").count() == 1
    assert page.locator(".incident-col.opposing").count() == 1
    assert page.locator(".incident-reason").inner_text().strip()
    supporting = page.locator(".incident-col.supporting .claim-item").count()
    opposing = page.locator(".incident-col.opposing .claim-item").count()
    assert supporting + opposing > 0 and opposing > 0  # contested: someone says otherwise
    web.screenshot("incident.png")
    # the place name leads to its control estimate
    page.locator(".view-head h2 a.place-link").click()
    web.wait_ready()
    assert "#control/" in page.url
    assert page.locator("#control-claims tbody tr").count() >= 1
    assert page.locator(".control-day").count() >= 1
    assert page.locator("#control-changes tbody tr").count() >= 1
    web.screenshot("control.png")
    # an evidence row opens the article at that claim
    page.locator("#control-claims a.open-article").first.click()
    web.wait_ready()
    assert page.locator("#article-text mark.evidence.selected").count() >= 1
    web.assert_clean()


def test_control_view_of_bakhmut_by_url(web: Watched) -> None:
    web.goto("/#control/Bakhmut")
    assert "Bakhmut" in web.page.locator(".view-head h2").inner_text()
    assert web.page.locator("#control-claims tbody tr").count() >= 1
    web.assert_clean()


def _check_hostile(web: Watched, server: LiveServer) -> None:
    page = web.page
    web.goto("/?place=Klishchiivka")
    assert web.total() >= 1
    web.goto("/?source=Cherevaty")
    table_text = page.locator("#claims-table").inner_text()
    assert "<script>window.__pwned=1</script>" in table_text
    claims = server.get("/api/claims?place=Klishchiivka")["claims"]
    article_id = claims[0]["article_id"]
    web.goto(f"/#article/{article_id}/{claims[0]['id']}")
    title = page.locator(".article-title").inner_text()
    assert "<script>window.__pwned=1</script>" in title
    text = page.locator("#article-text").inner_text()
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert "<b>near</b>" in text
    assert 'Hostile <i>Wire</i> "><svg onload' in page.locator(".outlet").inner_text()
    # hover what an attribute injection would have turned into handlers
    for selector in (".article-title", "#article-text", ".outlet", "#article-text mark.evidence"):
        page.hover(selector)
    assert (
        page.locator("#detail script, #detail img, #detail svg, #detail b, #detail i").count() == 0
    )
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not web.dialogs


def test_hostile_article_runs_nothing(web: Watched, server: LiveServer) -> None:
    _check_hostile(web, server)
    web.screenshot("hostile.png")
    web.assert_clean()


def test_hostile_article_runs_nothing_even_without_csp(browser: Any, server: LiveServer) -> None:
    """Escaping, not only the Content-Security-Policy, keeps the article's markup inert."""
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    try:
        web = _watch(context, server.url)
        _check_hostile(web, server)
        assert not web.page_errors
    finally:
        context.close()


def test_brushing_the_timeline_sets_the_date_range(web: Watched) -> None:
    page = web.page
    web.goto("/")
    before = web.total()
    box = page.locator(".chart .capture").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.02, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=6)
    _expect()(page.locator(".chart .brush")).to_be_visible()
    page.mouse.up()
    web.wait_ready()
    since = page.input_value("#f-since")
    until = page.input_value("#f-until")
    assert since and until and since <= until
    assert f"since={since}" in page.url and f"until={until}" in page.url
    after = web.total()
    assert 0 < after <= before
    assert all(r for r in web.rows())
    dates = page.locator("#claims-table tbody td.date").all_inner_texts()
    assert all(since <= d <= until for d in dates), dates
    assert page.locator(".chart .day.dim").count() > 0  # the context stays, dimmed
    web.screenshot("brushed.png")
    page.click("#clear-range")
    web.wait_ready()
    assert page.input_value("#f-since") == "" and web.total() == before
    # the date fields are the keyboard way to the same filter
    page.fill("#f-until", "2023-05-12")
    page.locator("#f-until").dispatch_event("change")
    web.wait_ready()
    assert "until=2023-05-12" in page.url and web.total() < before
    web.assert_clean()


def test_no_matches_and_api_errors_are_visible(web: Watched) -> None:
    page = web.page
    web.goto("/?place=Nowhereville-on-Sea")
    _expect()(page.locator("#table-msg")).to_contain_text("No claims match")
    web.goto("/?near=999,1,1")
    _expect()(page.locator("#banner")).to_be_visible()
    assert page.locator("#banner").inner_text().strip()
    web.goto("/#article/0000000000000000")
    _expect()(page.locator("#detail .panel-msg.error")).to_contain_text("No such article")


def test_empty_store_shows_a_message(browser: Any, empty_server: LiveServer) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        web = _watch(context, empty_server.url)
        web.goto("/")
        _expect()(web.page.locator("#notice")).to_contain_text("fogofwar ingest")
        _expect()(web.page.locator("#table-msg")).to_be_visible()
        web.screenshot("empty.png")
        web.assert_clean()
    finally:
        context.close()


def test_api_docs_render_offline(web: Watched) -> None:
    page = web.page
    page.goto(f"{web.origin}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=TIMEOUT_MS)
    assert page.locator(".swagger-ui .opblock").count() >= 5
    web.screenshot("docs.png")
    web.assert_clean()


# ---------------------------------------------------------------------------------------------
# The hand-annotated development articles (../shared/gold/dev, in CI; not on a user's machine)

GOLD_DEV = ROOT.parent / "shared" / "gold" / "dev"


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _need_browser()
    articles = sorted(GOLD_DEV.glob("*.json")) if GOLD_DEV.is_dir() else []
    rows = []
    for path in articles:
        gold = json.loads(path.read_text(encoding="utf-8"))
        if path.name.startswith("sd-"):
            continue  # the Sudan article needs the sudan profile
        rows.append({k: gold.get(k) for k in ("text", "published", "url", "outlet")})
    if not rows:
        pytest.skip(f"no development articles at {GOLD_DEV}")
    from fogofwar.corpus import ingest
    from fogofwar.store import open_store

    folder = tmp_path_factory.mktemp("browser-dev")
    (folder / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store = open_store(str(folder / "dev.db"))
    try:
        assert ingest(store, [str(folder / "dev.jsonl")]).ingested == len(rows)
    finally:
        store.close()
    with LiveServer(str(folder / "dev.db")) as live:
        yield live


def test_dashboard_over_the_development_articles(browser: Any, dev_server: LiveServer) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        web = _watch(context, dev_server.url)
        page = web.page
        web.goto("/")
        places = {m["place"] for m in page.evaluate("window.fogofwar.markers")}
        assert {"Bakhmut", "Kyiv"} <= places, places
        everything = web.total()
        page.select_option("#f-side", "RU")
        web.wait_ready()
        rows = web.rows()
        assert rows and 0 < web.total() < everything
        assert all("RU" in (r["sourceSide"], r["actorSide"]) for r in rows)
        row = page.locator("#claims-table tbody tr[data-claim-id]").first
        claim_id = row.get_attribute("data-claim-id")
        row.locator("td.evidence").click()
        web.wait_ready()
        mark = page.locator(f"#article-text mark.evidence[data-claim-id='{claim_id}']").first
        _expect()(mark).to_be_in_viewport()
        web.screenshot("dashboard-dev-article.png")
        web.assert_clean()
    finally:
        context.close()
