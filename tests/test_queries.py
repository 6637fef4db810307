"""Queries over a real store built from short articles written for these tests, and the query
commands on the command line (which must never load the NLP model)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from fogofwar.queries import (
    ClaimFilter,
    QueryError,
    control_timeline,
    corpus_summary,
    count_claims,
    find_claims,
    find_incidents,
    parse_near,
    show_article,
    source_activity,
)
from fogofwar.store import open_store

ARTICLES = [
    ("Wagner chief Yevgeny Prigozhin said on Saturday that his forces had captured Bakhmut.",
     "2023-05-21"),
    ("Ukrainian troops remain in Bakhmut, the Ukrainian General Staff said on Saturday.",
     "2023-05-21"),
    ("Russian missiles struck Kiev on Monday, the Ukrainian Air Force said.", "2023-05-16"),
    ("The Russian Defense Ministry said on Thursday that its units had withdrawn from positions "
     "near Soledar.", "2023-05-12"),
    ("The Institute for the Study of War said on Friday that Russian forces had withdrawn from "
     "positions near Soledar.", "2023-05-13"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, make_store):
    return make_store(tmp_path_factory.mktemp("store") / "corpus.db", ARTICLES)


@pytest.fixture()
def session(db):
    store = open_store(db, create=False)
    with store.session() as s:
        yield s
    store.close()


def test_claims_by_place_find_the_other_spelling(session):
    kiev = find_claims(session, ClaimFilter(place="Kyiv"))
    assert [c.event for c in kiev] == ["AIR_STRIKE"]
    assert kiev[0].place == "Kiev" and kiev[0].source == "Ukrainian Air Force"
    assert find_claims(session, ClaimFilter(place="kiev"))[0].id == kiev[0].id


def test_claims_near_a_point_and_in_a_date_range(session):
    near_bakhmut = find_claims(session, ClaimFilter(near=(48.59, 38.0, 30)))
    places = {c.place for c in near_bakhmut}
    assert "Bakhmut" in places and "Kiev" not in places
    may_20 = find_claims(session, ClaimFilter(since=dt.date(2023, 5, 20), until=dt.date(2023, 5, 20)))
    assert {c.place for c in may_20} == {"Bakhmut"}


def test_claims_by_side_event_source_and_status(session):
    assert {c.event for c in find_claims(session, ClaimFilter(event="withdraw"))} == {"WITHDRAW"}
    ru = find_claims(session, ClaimFilter(side="RU"))
    assert all("RU" in (c.source_side, c.actor_side) for c in ru) and ru
    assert all("Prigozhin" in c.source for c in find_claims(session, ClaimFilter(source="prigozhin")))
    contested = find_claims(session, ClaimFilter(status="contested"))
    assert {c.place for c in contested} == {"Bakhmut"}
    assert all("both claim control of Bakhmut" in c.status_reason for c in contested)
    corroborated = find_claims(session, ClaimFilter(status="corroborated"))
    assert {c.place for c in corroborated} == {"Soledar"}
    assert count_claims(session, ClaimFilter()) == len(find_claims(session, ClaimFilter()))


@pytest.mark.parametrize(
    "bad, message",
    [
        (ClaimFilter(status="true"), "unknown status"),
        (ClaimFilter(event="BOMBING"), "unknown event"),
        (ClaimFilter(near=(95.0, 30.0, 10)), "--near"),
        (ClaimFilter(since=dt.date(2023, 6, 1), until=dt.date(2023, 5, 1)), "after"),
        (ClaimFilter(limit=0), "limit"),
    ],
)
def test_bad_filters_are_clear_errors(session, bad, message):
    with pytest.raises(QueryError, match=message):
        find_claims(session, bad)


def test_parse_near():
    assert parse_near("48.5,38,25") == (48.5, 38.0, 25.0)
    with pytest.raises(QueryError, match="LAT,LON,KM"):
        parse_near("Bakhmut")


def test_incidents_carry_claims_for_and_against(session):
    contested = find_incidents(session, status="contested")
    assert {i.place for i in contested} == {"Bakhmut"}
    assert all(i.supporting for i in contested)


def test_control_timeline_of_a_place(session):
    timeline = control_timeline(session, "Bakhmut")
    holders = {e.side for e in timeline.evidence}
    assert holders == {"RU", "UA"}
    assert timeline.days and timeline.days[0].date == dt.date(2023, 5, 20)


def test_sources_per_week_and_article_view(session):
    activity = {s.source: s for s in source_activity(session)}
    assert activity["Yevgeny Prigozhin"].weeks == {"2023-W20": 1}
    article_id = find_claims(session, ClaimFilter(place="Kyiv"))[0].article_id
    view = show_article(session, article_id[:6])
    assert view.id == article_id and view.claims and view.text.startswith("Russian missiles")
    with pytest.raises(QueryError, match="no article"):
        show_article(session, "zzzz")
    summary = corpus_summary(session)
    assert summary.articles == len(ARTICLES) and summary.incidents.get("contested") == 2


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "fogofwar.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_query_commands_print_json_and_never_load_spacy(db):
    code = (
        "import sys\n"
        "from fogofwar.cli import app\n"
        f"sys.argv = ['fogofwar', 'claims', '--db', {db!r}, '--place', 'Bakhmut', '--json']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] >= 2 and {c["place"] for c in data["claims"]} == {"Bakhmut"}


@pytest.mark.parametrize("command", [["incidents"], ["contested"], ["control", "Bakhmut"],
                                     ["sources"], ["summary"]])
def test_every_query_command_has_json(db, command):
    done = run_cli(*command, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout)


@pytest.mark.parametrize(
    "args, message",
    [
        (["claims", "--status", "maybe"], "unknown status"),
        (["claims", "--near", "here"], "LAT,LON,KM"),
        (["claims", "--since", "May 1"], "YYYY-MM-DD"),
        (["show", "nothing"], "no article"),
    ],
)
def test_bad_query_arguments_exit_2_with_one_line(db, args, message):
    done = run_cli(*args, "--db", db)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_missing_store_is_exit_2(tmp_path):
    done = run_cli("claims", "--db", str(tmp_path / "none.db"))
    assert done.returncode == 2 and "no such store" in done.stderr


@pytest.mark.parametrize(
    "evidence, place, expected",
    [
        ("Russian troops withdrew from Kherson on Friday.", "Kherson", True),
        ("The brigade left the city after a week of shelling.", "Bakhmut", True),
        ("Units have withdrawn to 570 meters north of Bakhmut.", "Bakhmut", False),
        ("Russia acknowledged withdrawals from positions near Bakhmut.", "Bakhmut", False),
    ],
)
def test_only_a_withdrawal_out_of_a_place_says_who_holds_it(evidence, place, expected):
    from fogofwar.queries import _withdrawal_from

    assert _withdrawal_from(evidence, place) is expected


@pytest.mark.parametrize(
    "relation, outside",
    [(None, False), ("north of", True), ("near", True), ("southwestern part of", False),
     ("outskirts of", False), ("centre of", False)],
)
def test_relations_outside_a_place(relation, outside):
    from fogofwar.queries import _outside

    assert _outside(relation) is outside


def test_ingesting_the_demo_corpus_gives_incidents_a_wire_copy_and_a_contest(tmp_path):
    """End to end through the command line: ingest regroups incidents; a reprint is linked and
    does not corroborate; the capture claim and Kyiv's answer contest each other."""
    from pathlib import Path

    corpus = Path(__file__).resolve().parent.parent / "examples" / "corpus.jsonl"
    db = str(tmp_path / "demo.db")
    done = run_cli("ingest", str(corpus), "--db", db, "--quiet")
    assert done.returncode == 0, done.stderr
    summary = json.loads(run_cli("summary", "--db", db, "--json").stdout)
    assert summary["articles"] == 7 and summary["wire_copies"] == 1
    assert summary["incidents"].get("contested", 0) >= 1
    assert summary["incidents"].get("corroborated", 0) >= 1
    assert any("Bakhmut" in (i["place"] or "") for i in summary["top_contested"])
    again = run_cli("ingest", str(corpus), "--db", db, "--quiet", "--json")
    assert json.loads(again.stdout)["ingested"] == 0
