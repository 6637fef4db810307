"""The JSON API (``fogofwar.web``) through FastAPI's TestClient over a real store built from
short articles written for these tests, and ``fogofwar serve`` on a missing store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from fogofwar.web import create_app

ARTICLES = [
    ("Wagner chief Yevgeny Prigozhin said on Saturday that his forces had captured Bakhmut.",
     "2023-05-21"),
    ("Ukrainian troops remain in Bakhmut, the Ukrainian General Staff said on Saturday.",
     "2023-05-21"),
    ("Russian missiles struck Kiev on Monday, the Ukrainian Air Force said. "
     "<script>alert(1)</script>", "2023-05-16"),
    ("The Institute for the Study of War said on Friday that Russian forces had withdrawn from "
     "positions near Soledar.", "2023-05-13"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory, make_store):
    path = make_store(tmp_path_factory.mktemp("store") / "corpus.db", ARTICLES)
    with TestClient(create_app(path)) as test_client:
        yield test_client


def claims(client, **params):
    response = client.get("/api/claims", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_claims_page_with_total_limit_and_offset(client):
    data = claims(client)
    assert data["limit"] == 100 and data["offset"] == 0
    assert data["total"] == len(data["claims"]) >= 4
    first, second = claims(client, limit=1), claims(client, limit=1, offset=1)
    assert first["total"] == data["total"] and len(first["claims"]) == 1
    assert [first["claims"][0]["id"], second["claims"][0]["id"]] == [
        c["id"] for c in data["claims"][:2]
    ]
    assert claims(client, offset=data["total"])["claims"] == []


def test_claims_filters(client):
    kyiv = claims(client, place="Kyiv")["claims"]
    assert [c["event"] for c in kyiv] == ["AIR_STRIKE"] and kyiv[0]["place"] == "Kiev"
    near = {c["place"] for c in claims(client, near="48.59,38.0,30")["claims"]}
    assert "Bakhmut" in near and "Kiev" not in near
    may_21 = claims(client, since="2023-05-20", until="2023-05-20")["claims"]
    assert may_21 and {c["place"] for c in may_21} == {"Bakhmut"}
    assert all("Prigozhin" in c["source"] for c in claims(client, source="prigozhin")["claims"])
    ru = claims(client, side="RU")["claims"]
    assert ru and all("RU" in (c["source_side"], c["actor_side"]) for c in ru)
    assert {c["event"] for c in claims(client, event="withdraw")["claims"]} == {"WITHDRAW"}
    contested = claims(client, status="contested")
    assert contested["total"] >= 2 and {c["place"] for c in contested["claims"]} == {"Bakhmut"}


def test_claims_csv_is_the_current_filter_as_a_download(client):
    response = client.get("/api/claims.csv", params={"place": "Bakhmut"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert ".csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == claims(client, place="Bakhmut")["total"] >= 2
    assert {r["place"] for r in rows} == {"Bakhmut"} and "evidence" in rows[0]
    one = list(csv.DictReader(io.StringIO(client.get("/api/claims.csv?limit=1").text)))
    assert len(one) == 1


@pytest.mark.parametrize(
    "path, message",
    [
        ("/api/claims?status=maybe", "unknown status"),
        ("/api/claims?event=BOMBING", "unknown event"),
        ("/api/claims?since=May%201", "YYYY-MM-DD"),
        ("/api/claims?since=2023-06-01&until=2023-05-01", "after"),
        ("/api/claims?near=here", "LAT,LON,KM"),
        ("/api/claims?near=95,30,10", "near"),
        ("/api/claims?limit=0", "limit"),
        ("/api/claims?limit=1001", "limit"),
        ("/api/claims?offset=-1", "offset"),
        ("/api/claims?limit=many", "limit"),
        ("/api/claims.csv?status=maybe", "unknown status"),
        ("/api/claims.json?sort=colour", "unknown sort"),
        ("/api/claims.xml", "extension"),
        ("/api/incidents?status=maybe", "unknown status"),
        ("/api/incidents?until=tomorrow", "YYYY-MM-DD"),
        ("/api/sources?since=yesterday", "YYYY-MM-DD"),
        ("/api/places/Bakhmut/control?until=soon", "YYYY-MM-DD"),
    ],
)
def test_bad_parameters_are_400_with_one_line(client, path, message):
    response = client.get(path)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and message in detail


def test_incidents_with_filters_and_paging(client):
    data = client.get("/api/incidents").json()
    assert data["limit"] == 50 and data["offset"] == 0 and data["incidents"]
    contested = client.get("/api/incidents", params={"status": "contested"}).json()["incidents"]
    assert {i["place"] for i in contested} == {"Bakhmut"}
    assert all(i["supporting"] for i in contested)
    at_soledar = client.get("/api/incidents", params={"place": "Soledar"}).json()["incidents"]
    assert {i["place"] for i in at_soledar} == {"Soledar"}
    later = client.get("/api/incidents", params={"since": "2023-05-20"}).json()["incidents"]
    assert "Soledar" not in {i["place"] for i in later}
    assert client.get("/api/incidents", params={"until": "2023-05-01"}).json()["incidents"] == []
    page = client.get("/api/incidents", params={"limit": 1, "offset": 1}).json()["incidents"]
    assert [i["id"] for i in page] == [data["incidents"][1]["id"]]


def test_control_of_a_place(client):
    data = client.get("/api/places/Bakhmut/control").json()
    assert data["place"] == "Bakhmut"
    assert {c["holder"] for c in data["claims"]} == {"RU", "UA"}
    assert all(c["evidence"] and c["claim_id"] for c in data["claims"])
    assert data["days"][0]["date"] == "2023-05-20" and data["changes"]
    assert client.get("/api/places/Nowhere/control").json()["claims"] == []


def test_sources_and_summary(client):
    sources = {s["source"]: s for s in client.get("/api/sources").json()}
    assert sources["Yevgeny Prigozhin"]["weeks"] == {"2023-W20": 1}
    ru = client.get("/api/sources", params={"side": "RU"}).json()
    assert ru and {s["side"] for s in ru} == {"RU"}
    assert len(client.get("/api/sources", params={"limit": 1}).json()) == 1
    summary = client.get("/api/summary").json()
    assert summary["articles"] == len(ARTICLES) and summary["claims"] >= 4
    assert summary["incidents"].get("contested", 0) >= 1 and summary["top_contested"]


def test_article_by_id_or_prefix_and_404(client):
    article_id = claims(client, place="Soledar")["claims"][0]["article_id"]
    view = client.get(f"/api/articles/{article_id[:8]}").json()
    assert view["id"] == article_id and view["claims"] and "Soledar" in view["text"]
    missing = client.get("/api/articles/zzzz")
    assert missing.status_code == 404 and "no article" in missing.json()["detail"]


def test_article_markup_comes_back_as_json_data(client):
    article_id = claims(client, place="Kyiv")["claims"][0]["article_id"]
    response = client.get(f"/api/articles/{article_id}")
    assert response.headers["content-type"].startswith("application/json")
    assert "<script>" not in response.text  # escaped as \u003c in the JSON text
    assert "<script>alert(1)</script>" in json.loads(response.text)["text"]


@pytest.mark.parametrize(
    "path", ["/api/summary", "/api/claims?status=maybe", "/api/articles/zzzz", "/api/claims.csv"]
)
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_docs_and_body_limit(client):
    assert client.get("/docs").status_code == 200
    assert "/api/claims" in client.get("/openapi.json").json()["paths"]
    response = client.request("GET", "/api/summary", content=b"x" * 2_000_000)
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


def test_serve_a_missing_store_is_exit_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "fogofwar.cli", "serve", "--db", str(tmp_path / "missing.db")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "no such store" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_api_never_loads_spacy(tmp_path):
    code = (
        "import sys\n"
        "import fogofwar.cli_serve, fogofwar.web\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_csv_cells_never_start_a_formula():
    from fogofwar.web import _csv_cell

    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _csv_cell("@x") == "'@x"
    assert _csv_cell("Bakhmut") == "Bakhmut" and _csv_cell(-1.5) == -1.5 and _csv_cell(None) is None


@pytest.mark.parametrize("key", ["date", "source", "event", "place", "status", "actor_side"])
def test_claims_sort_by_any_column_both_ways(client, key):
    def column(sort):
        values = [c[key] or "" for c in claims(client, sort=sort)["claims"]]
        return values

    ascending, descending = column(key), column(f"-{key}")
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)
    assert claims(client, sort=key)["sort"] == key


def test_unknown_sort_is_400(client):
    response = client.get("/api/claims", params={"sort": "colour"})
    assert response.status_code == 400 and "unknown sort" in response.json()["detail"]


def test_claims_json_download_is_the_filter(client):
    response = client.get("/api/claims.json", params={"place": "Bakhmut", "sort": "source"})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = response.json()
    assert [r["id"] for r in rows] == [
        c["id"] for c in claims(client, place="Bakhmut", sort="source")["claims"]
    ]
    assert client.get("/api/claims.json", params={"place": "Nowhere"}).json() == []


def test_map_points_aggregate_claims_by_place_side_and_status(client):
    data = client.get("/api/map").json()
    placed = [c for c in claims(client)["claims"] if c["lat"] is not None]
    assert sum(p["claims"] for p in data["points"]) == len(placed)
    assert data["total"] == claims(client)["total"] and data["truncated"] is False
    names = {p["place"] for p in data["points"]}
    assert {"Bakhmut", "Kyiv"} <= names
    bakhmut = [p for p in data["points"] if p["place"] == "Bakhmut"]
    assert {p["status"] for p in bakhmut} == {"contested"}
    assert {p["actor_side"] for p in bakhmut} == {"RU", "UA"}
    assert all(47 < p["lat"] < 52 and p["latest"] for p in data["points"])


def test_map_points_follow_filters_and_the_cap(client):
    ua = client.get("/api/map", params={"side": "UA"}).json()
    everything = client.get("/api/map").json()
    assert 0 < ua["total"] < everything["total"]
    one = client.get("/api/map", params={"max_points": 1}).json()
    assert len(one["points"]) == 1 and one["truncated"] is True
    assert one["points_total"] == len(everything["points"])
    assert one["points"][0]["claims"] == max(p["claims"] for p in everything["points"])
    assert client.get("/api/map", params={"max_points": 0}).status_code == 400


def test_timeline_counts_claims_per_day_and_side(client):
    data = client.get("/api/timeline").json()
    assert data["by"] == "source_side" and data["undated"] == 0
    assert [d["date"] for d in data["days"]] == sorted(d["date"] for d in data["days"])
    assert sum(d["total"] for d in data["days"]) == claims(client)["total"]
    assert all(d["total"] == sum(d["counts"].values()) for d in data["days"])
    may_21 = next(d for d in data["days"] if d["date"] == "2023-05-20")
    assert may_21["counts"] == {"RU": 1, "UA": 1}
    by_actor = client.get("/api/timeline", params={"by": "actor_side", "place": "Bakhmut"}).json()
    assert set(by_actor["sides"]) == {"RU", "UA"}
    bad = client.get("/api/timeline", params={"by": "colour"})
    assert bad.status_code == 400 and "unknown timeline side" in bad.json()["detail"]


def test_facets_list_what_the_filters_can_take(client):
    data = client.get("/api/facets").json()
    assert {"RU", "UA"} <= set(data["sides"]) and "CAPTURE" in data["events"]
    assert data["statuses"] == ["contested", "corroborated", "single-source"]
    assert "Yevgeny Prigozhin" in {s["name"] for s in data["sources"]}
    assert data["first"] <= data["last"]


def test_incidents_total_and_one_incident_by_id(client):
    data = client.get("/api/incidents", params={"limit": 1}).json()
    assert data["total"] == len(client.get("/api/incidents").json()["incidents"]) >= 2
    contested = client.get("/api/incidents", params={"status": "contested"}).json()
    assert contested["total"] == len(contested["incidents"])
    first = contested["incidents"][0]
    one = client.get(f"/api/incidents/{first['id']}").json()
    assert one["reason"] == first["reason"] and one["supporting"] and one["opposing"] == []
    assert {c["id"] for c in one["supporting"]} == {c["id"] for c in first["supporting"]}
    missing = client.get("/api/incidents/nope")
    assert missing.status_code == 404 and "no incident" in missing.json()["detail"]


def test_the_dashboard_page_and_its_files_are_served_with_the_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]  # self only
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert "http" not in page.text.replace("http-equiv", "")  # nothing from other hosts
    docs = client.get("/docs")
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text and "<script>" not in docs.text  # no inline script
    script = client.get("/static/docs.js")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text
    assert client.get("/static/nothing.js").status_code == 404


def test_post_articles_is_refused_by_a_read_only_server(client):
    response = client.post("/api/articles", json={"text": "Russia said it captured Avdiivka."})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert client.get("/api/summary").json()["articles"] == len(ARTICLES)


TOKEN = "correct-horse-battery"


@pytest.fixture(scope="module")
def writable(tmp_path_factory, make_store):
    path = make_store(tmp_path_factory.mktemp("writable") / "corpus.db", ARTICLES[:2])
    with TestClient(create_app(path, token=TOKEN)) as test_client:
        yield test_client


def bearer(token=TOKEN):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-token-123"}, {"Authorization": TOKEN}]
)
def test_post_articles_needs_the_token(writable, headers):
    response = writable.post("/api/articles", json={"text": "Kyiv was hit."}, headers=headers)
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


def test_post_articles_with_the_token_ingests_and_regroups(writable):
    before = writable.get("/api/summary").json()
    text = (
        "Russia's Defence Ministry said on Sunday that its forces had captured Avdiivka. "
        "Ukraine's military denied that Avdiivka had fallen."
    )
    article = {"text": text, "published": "2023-10-15", "title": "Avdiivka", "url": "x://a"}
    response = writable.post("/api/articles", json=article, headers=bearer())
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["stored"] == 1 and result["results"][0]["status"] == "ingested"
    assert result["results"][0]["claims"] >= 1
    after = writable.get("/api/summary").json()
    assert after["articles"] == before["articles"] + 1
    avdiivka = claims(writable, place="Avdiivka")["claims"]
    assert avdiivka and all(c["incident_id"] for c in avdiivka)  # incidents regrouped
    again = writable.post("/api/articles", json=article, headers=bearer()).json()
    assert again["stored"] == 0 and again["results"][0]["status"] == "already"
    reprint = writable.post("/api/articles", json={"text": text}, headers=bearer()).json()
    assert reprint["results"][0]["status"] == "duplicate"
    assert reprint["results"][0]["duplicate_of"] == result["results"][0]["article_id"]


def test_post_articles_reads_only_the_body_never_paths_or_urls(writable):
    body = {
        "articles": [
            {"path": "/etc/passwd"},
            {"url": "http://127.0.0.1:9/article"},
            {"text": ""},
            {"text": "Kyiv was hit.", "published": "someday"},
            "just a string",
        ]
    }
    response = writable.post("/api/articles", json=body, headers=bearer())
    assert response.status_code == 201
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["skipped"] * 5
    problems = [r["problem"] for r in results]
    assert problems[0] == problems[1] == "no 'text' or 'html' field"
    assert "empty text" in problems[2] and "not a date" in problems[3]
    assert problems[4] == "not a JSON object"


@pytest.mark.parametrize(
    "body, message",
    [
        ([{"text": "x"}], "JSON object"),
        ({"articles": []}, "non-empty list"),
        ({"articles": [{"text": "x"}] * 101}, "at most 100"),
    ],
)
def test_post_articles_bad_bodies_are_400(writable, body, message):
    response = writable.post("/api/articles", json=body, headers=bearer())
    assert response.status_code == 400 and message in response.json()["detail"]


def test_post_articles_over_the_size_limit_is_413(writable):
    big = {"text": "Kyiv was hit. " * 100_000}
    response = writable.post("/api/articles", json=big, headers=bearer())
    assert response.status_code == 413
    response = writable.post("/api/articles", content=b"{not json", headers=bearer())
    assert response.status_code == 400


@pytest.mark.parametrize(
    "options, message",
    [(["--token", "short"], "at least 8 characters"), (["--profile", "mars"], "unknown profile")],
)
def test_serve_bad_options_are_exit_2(client, tmp_path, options, message):
    db = client.app.state.store.url.removeprefix("sqlite:///")
    done = subprocess.run(
        [sys.executable, "-m", "fogofwar.cli", "serve", "--db", db, *options],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_serve_on_a_port_in_use_is_exit_2(client):
    import socket

    db = client.app.state.store.url.removeprefix("sqlite:///")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "fogofwar.cli", "serve", "--db", db, "--port", str(port)],
            capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 2 and "already in use" in done.stderr
    assert "try another --port" in done.stderr and "Traceback" not in done.stderr


def test_serve_prints_its_url_and_answers(client):
    import socket
    import time

    import httpx

    db = client.app.state.store.url.removeprefix("sqlite:///")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "fogofwar.cli", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline, answered = time.monotonic() + 60, None
        while answered is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answered = httpx.get(f"http://127.0.0.1:{port}/api/summary", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.2)
        assert answered is not None and answered.json()["articles"] == len(ARTICLES)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out


def test_the_page_without_its_files_says_what_to_do(client, monkeypatch):
    import fogofwar.web

    monkeypatch.setattr(fogofwar.web, "VENDOR", fogofwar.web.STATIC / "not-installed")
    response = client.get("/")
    assert response.status_code == 503 and "make setup" in response.text
    assert "not-installed/leaflet/leaflet.js" in response.text


def test_claimant_side_actor_side_and_place_id_filters(client):
    everything = claims(client)["claims"]
    for name in ("source_side", "actor_side"):
        ru = claims(client, **{name: "ru"})
        assert ru["total"] == sum(c[name] == "RU" for c in everything) > 0
        assert all(c[name] == "RU" for c in ru["claims"])
    point = next(p for p in client.get("/api/map").json()["points"] if p["place"] == "Bakhmut")
    at_point = claims(client, place_id=point["place_id"], actor_side=point["actor_side"],
                      status=point["status"])
    assert at_point["total"] == point["claims"]
    assert {c["place"] for c in at_point["claims"]} == {"Bakhmut"}


def test_incidents_list_their_first_claims_per_side_and_count_them_all(client):
    full = client.get("/api/incidents").json()["incidents"]
    capped = client.get("/api/incidents", params={"claims": 1}).json()["incidents"]
    for whole, first in zip(full, capped, strict=True):
        assert first["supporting_total"] == len(whole["supporting"])
        assert first["opposing_total"] == len(whole["opposing"])
        assert first["supporting"] == whole["supporting"][:1]
        assert first["opposing"] == whole["opposing"][:1]
    none = client.get("/api/incidents", params={"claims": 0}).json()["incidents"]
    assert all(i["supporting"] == [] and i["supporting_total"] >= 1 for i in none)
    assert client.get("/api/incidents", params={"claims": 101}).status_code == 400


def test_every_dashboard_file_is_package_data():
    """A wheel (pip install .) must carry the page and its modules, not only an editable
    install."""
    from pathlib import Path

    import fogofwar.web

    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    root = Path(fogofwar.web.__file__).parent
    project = tomllib.loads((root.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["fogofwar"]
    files = [
        p.relative_to(root) for p in (root / "static").rglob("*")
        if p.is_file() and "vendor" not in p.parts
    ]
    assert len(files) >= 5
    for path in files:
        assert any(path.match(pattern) for pattern in patterns), path
