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
