"""Corpus ingestion into a real SQLite store: discovery and bad inputs, idempotent re-runs,
interrupted runs that resume, wire-copy detection, feeds over HTTP, re-analysis, and the
``ingest``/``reanalyze`` commands (in-process, so the language model is loaded once)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import sqlalchemy as sa

from fogofwar.corpus import (
    NEAR_DUPLICATE_THRESHOLD,
    Item,
    Outcome,
    Skip,
    discover,
    ingest,
    reanalyze,
    resolve_inputs,
    signature,
    similarity,
)
from fogofwar.ingest import InputError
from fogofwar.store import (
    ArticleRow,
    ClaimRow,
    MinHashBandRow,
    MinHashRow,
    QuoteRow,
    Store,
    open_store,
)

STORY = """Russian forces shelled the southern Ukrainian city of Kherson on Tuesday, killing two civilians and wounding five others, regional governor Oleksandr Prokudin said.

Prokudin said on Telegram that the strikes hit a residential district near the river port and damaged a school, a pharmacy and several apartment blocks.

“The enemy again attacked the peaceful population of Kherson,” Prokudin said, adding that emergency crews were still clearing debris in the evening.

Ukraine's General Staff said its forces had repelled 18 Russian attacks near Bakhmut and Avdiivka over the past day, and that air defences shot down 12 of 15 drones launched overnight.

Russia's Defence Ministry said its troops had improved their positions near Bakhmut and destroyed a Ukrainian ammunition depot in the Zaporizhzhia region. Reuters could not independently verify either side's battlefield reports.

Kherson, which Russian troops abandoned in November, has come under almost daily fire from Russian artillery positioned on the eastern bank of the Dnipro River, local officials say.

More than 400 civilians have been killed in the region since the city was retaken, according to the regional administration."""

# The same wire story as another site runs it: its own intro line and the agency's credit line.
WIRE_COPY = (
    "This story was first published by Reuters and is republished here with permission.\n\n"
    + STORY
    + "\n\n(Reporting by Olena Harmash; Editing by Mark Heinrich)"
)

OTHER_STORY = """Russia's Defence Ministry said on Monday that its air defence systems had destroyed 17 Ukrainian drones over the Belgorod and Kursk regions overnight.

Belgorod governor Vyacheslav Gladkov said a woman was wounded when debris from a downed drone fell on a house in the village of Razumnoye, east of the regional capital.

Ukraine did not comment on the reports. Kyiv rarely acknowledges attacks on Russian territory, but officials have said that strikes on military targets inside Russia are a legitimate response to the invasion."""

THIRD_STORY = """Ukrainian troops withdrew from the village of Krasnohorivka after weeks of heavy fighting, a spokesman for the Khortytsia group of forces said on Wednesday.

The spokesman said the retreat was ordered to save the lives of soldiers and that Russian forces had lost more than 300 men in the assault on the village."""

ROW_TEXT = (
    "Russian forces shelled Kherson on Thursday, killing two civilians, regional governor "
    "Oleksandr Prokudin said."
)
ROW_HTML = (
    "<html><head><title>Repelled</title></head><body><article><p>Ukraine's General Staff said "
    "its forces repelled 23 Russian attacks near Bakhmut on Friday, according to a morning "
    "report that also described fighting near Avdiivka and Marinka in the eastern Donetsk "
    "region of the country, where Russian troops have pressed their offensive for months."
    "</p></article></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "corpus.db"))
    yield opened
    opened.close()


def run(store: Store, *inputs: str | Path, **options) -> object:
    return ingest(store, resolve_inputs([str(i) for i in inputs]), **options)


def count(store: Store, table) -> int:
    with store.sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(table))


def articles(store: Store) -> dict[str, ArticleRow]:
    """Stored articles by origin."""
    with store.sessions() as session:
        return {row.origin: row for row in session.scalars(sa.select(ArticleRow))}


def by_url(store: Store) -> dict[str | None, ArticleRow]:
    """Stored articles by URL."""
    with store.sessions() as session:
        return {row.url: row for row in session.scalars(sa.select(ArticleRow))}


def assert_consistent(store: Store) -> None:
    """Every claim and quote belongs to a stored article; every article has its signature."""
    with store.sessions() as session:
        ids = set(session.scalars(sa.select(ArticleRow.id)))
        assert set(session.scalars(sa.select(ClaimRow.article_id))) <= ids
        assert set(session.scalars(sa.select(QuoteRow.article_id))) <= ids
        assert set(session.scalars(sa.select(MinHashRow.article_id))) == ids


def found(*inputs: str | Path) -> list:
    return list(discover(resolve_inputs([str(i) for i in inputs])))


def skips(items: list) -> dict[str, str]:
    return {f.origin: f.problem for f in items if isinstance(f, Skip)}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------
# discovery (no analysis)
# ------------------------------------------------------------------------------------------------


def test_missing_inputs_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        resolve_inputs([str(tmp_path / "absent")])
    with pytest.raises(InputError, match="no file matches"):
        resolve_inputs([str(tmp_path / "*.jsonl")])
    with pytest.raises(InputError, match="unsupported URL scheme 'ftp'"):
        resolve_inputs(["ftp://example.org/feed"])


def test_globs_expand_to_sorted_files(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.md"):
        (tmp_path / name).write_text(STORY, encoding="utf-8")
    assert resolve_inputs([str(tmp_path / "*.txt")]) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
    ]


def test_bad_jsonl_rows_are_skipped_with_file_and_line(tmp_path: Path) -> None:
    rows = write_jsonl(
        tmp_path / "rows.jsonl",
        [
            json.dumps(
                {"text": ROW_TEXT, "url": "https://example.org/1", "published": "2023-05-12"}
            ),
            '{"text": "Russian forces shelled Kherson',
            json.dumps({"title": "a row without text"}),
            json.dumps({"text": "   "}),
            "",
            json.dumps(["not", "an", "object"]),
            json.dumps({"text": ROW_TEXT + " Again.", "published": "last Thursday"}),
            json.dumps({"text": ROW_TEXT, "url": 17}),
            json.dumps(
                {"html": ROW_HTML, "published": "2023-05-13T08:00:00Z", "outlet": "Kyiv Ledger"}
            ),
        ],
    )
    result = found(rows)
    name = str(rows)
    assert skips(result) == {
        f"{name}:2": "malformed JSON (Unterminated string starting at column 10)",
        f"{name}:3": "no 'text' or 'html' field",
        f"{name}:4": "empty text",
        f"{name}:6": "not a JSON object (a list)",
        f"{name}:7": "'published' is not a date ('last Thursday')",
        f"{name}:8": "field 'url' is not a string (a int)",
    }
    items = [f for f in result if isinstance(f, Item)]
    assert [i.origin for i in items] == [f"{name}:1", f"{name}:9"]
    assert items[0].url == "https://example.org/1" and items[0].published == "2023-05-12"
    assert items[1].published == "2023-05-13" and items[1].outlet == "Kyiv Ledger"
    assert "23 Russian attacks near Bakhmut" in items[1].text  # extracted from the HTML


def test_csv_rows_name_the_line_they_start_on(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(
        "Title,Text,URL,Published\n"
        f'Kherson,"{ROW_TEXT}",https://example.org/k,2023-05-12\n'
        'Two lines,"Ukrainian forces repelled an assault near Bakhmut.\n\n'
        'The General Staff said so on Friday.",,"Fri, 12 May 2023 10:00:00 GMT"\n'
        "No text,,https://example.org/none,\n"
        f'Bad date,"{OTHER_STORY.splitlines()[0]}",,someday\n',
        encoding="utf-8",
    )
    result = found(table)
    assert skips(result) == {
        f"{table}:6": "empty text",
        f"{table}:7": "'published' is not a date ('someday')",
    }
    items = [f for f in result if isinstance(f, Item)]
    assert [i.origin for i in items] == [f"{table}:2", f"{table}:3"]
    assert items[0].title == "Kherson" and items[0].url == "https://example.org/k"
    assert items[1].text.startswith("Ukrainian forces repelled") and "\n\n" in items[1].text
    assert items[1].published == "2023-05-12"


def test_csv_without_a_text_column_is_skipped_whole(tmp_path: Path) -> None:
    table = tmp_path / "links.csv"
    table.write_text("url,title\nhttps://example.org/a,A\n", encoding="utf-8")
    assert skips(found(table)) == {str(table): "no 'text' or 'html' column (columns: url, title)"}


def test_folder_with_binary_empty_and_unsupported_files(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "nested" / "other.md").write_text(OTHER_STORY, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(PNG)
    (folder / "report.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "rows.jsonl").write_bytes(PNG)
    result = found(folder)
    assert skips(result) == {
        str(folder / "empty.txt"): "is empty",
        str(folder / "image.txt"): "looks binary (PNG image), not text or HTML",
        str(folder / "report.pdf"): "unsupported file type '.pdf' (expected .txt, .md, .html, "
        ".jsonl, .csv or an RSS/Atom feed)",
        str(folder / "rows.jsonl"): "looks binary (PNG image), not text or HTML",
    }
    assert [f.origin for f in result if isinstance(f, Item)] == [  # a folder's files first
        str(folder / "story.txt"),
        str(folder / "nested" / "other.md"),
    ]


def test_minhash_similarity_separates_copies_from_other_stories() -> None:
    story = signature(STORY)
    assert similarity(story, signature(WIRE_COPY)) >= NEAR_DUPLICATE_THRESHOLD
    assert similarity(story, signature(STORY.replace("\n\n", "\n"))) == 1.0
    assert similarity(story, signature(OTHER_STORY)) < 0.2


# ------------------------------------------------------------------------------------------------
# ingest into the store
# ------------------------------------------------------------------------------------------------


def test_reingesting_the_same_input_adds_nothing(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    write_jsonl(
        folder / "rows.jsonl",
        [json.dumps({"text": ROW_TEXT, "published": "2023-05-12"}), "{broken"],
    )
    first = run(store, folder)
    assert (first.ingested, first.already, first.skipped) == (2, 0, 2)
    assert first.claims > 0
    claims = count(store, ClaimRow)
    assert claims == first.claims

    second = run(store, folder)
    assert (second.ingested, second.already, second.skipped, second.claims) == (0, 2, 2, 0)
    assert count(store, ArticleRow) == 2 and count(store, ClaimRow) == claims
    stored = articles(store)
    row = stored[f"{folder / 'rows.jsonl'}:1"]
    assert str(row.published) == "2023-05-12" and row.pipeline_version and row.profile_version
    assert {g.reason for g in second.groups.values()} == {"is empty", "malformed JSON"}
    assert_consistent(store)


def test_wire_copies_are_linked_across_runs(tmp_path: Path, store: Store) -> None:
    rows = [
        {"text": STORY, "url": "https://wire.example/kherson", "published": "2023-05-09"},
    ]
    write_jsonl(tmp_path / "day1.jsonl", [json.dumps(r) for r in rows])
    assert run(store, tmp_path / "day1.jsonl").ingested == 1

    later = [
        {"text": WIRE_COPY, "url": "https://paper.example/kherson-shelling"},
        {"text": OTHER_STORY, "url": "https://paper.example/belgorod"},
        {"text": STORY, "url": "https://portal.example/kherson"},  # same text, another URL
    ]
    write_jsonl(tmp_path / "day2.jsonl", [json.dumps(r) for r in later])
    summary = run(store, tmp_path / "day2.jsonl")
    assert (summary.ingested, summary.duplicates) == (3, 2)

    stored = by_url(store)
    original = stored["https://wire.example/kherson"]
    copy = stored["https://paper.example/kherson-shelling"]
    exact = stored["https://portal.example/kherson"]
    other = stored["https://paper.example/belgorod"]
    assert original.duplicate_of is None and other.duplicate_of is None
    assert copy.duplicate_of == original.id
    assert NEAR_DUPLICATE_THRESHOLD <= copy.similarity < 1.0
    assert (exact.duplicate_of, exact.similarity) == (original.id, 1.0)
    # only first-seen articles are indexed for later copies
    with store.sessions() as session:
        indexed = set(session.scalars(sa.select(MinHashBandRow.article_id)))
    assert indexed == {original.id, other.id}
    assert_consistent(store)


def test_a_copy_of_a_copy_points_at_the_first_article(tmp_path: Path, store: Store) -> None:
    write_jsonl(
        tmp_path / "rows.jsonl",
        [
            json.dumps({"text": STORY, "url": "https://wire.example/1"}),
            json.dumps({"text": WIRE_COPY, "url": "https://paper.example/1"}),
            json.dumps({"text": WIRE_COPY, "url": "https://blog.example/1"}),
        ],
    )
    run(store, tmp_path / "rows.jsonl")
    stored = by_url(store)
    first = stored["https://wire.example/1"].id
    assert stored["https://paper.example/1"].duplicate_of == first
    blog = stored["https://blog.example/1"]
    assert (
        blog.duplicate_of == first
        and blog.similarity == stored["https://paper.example/1"].similarity
    )


def test_interrupted_ingest_resumes_without_duplicates(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in [("a.txt", STORY), ("b.txt", OTHER_STORY), ("c.txt", THIRD_STORY)]:
        (folder / name).write_text(text, encoding="utf-8")
    write_jsonl(folder / "d.jsonl", [json.dumps({"text": ROW_TEXT})])

    committed: list[Outcome] = []

    def crash_after_two(outcome: Outcome) -> None:
        committed.append(outcome)
        if len(committed) == 2:
            raise KeyboardInterrupt  # as if Ctrl-C hit right after the second commit

    with pytest.raises(KeyboardInterrupt):
        run(store, folder, on_outcome=crash_after_two)
    assert count(store, ArticleRow) == 2
    assert_consistent(store)
    claims_so_far = count(store, ClaimRow)

    resumed = run(store, folder)
    assert (resumed.ingested, resumed.already) == (2, 2)
    assert count(store, ArticleRow) == 4
    assert count(store, ClaimRow) == claims_so_far + resumed.claims
    assert_consistent(store)


def test_stop_event_ends_the_run_cleanly_with_workers(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, text in [("a.txt", STORY), ("b.txt", OTHER_STORY), ("c.txt", THIRD_STORY)]:
        (folder / name).write_text(text, encoding="utf-8")
    stop = threading.Event()

    def stop_after_first(outcome: Outcome) -> None:
        stop.set()

    summary = run(store, folder, workers=2, stop=stop, on_outcome=stop_after_first)
    assert summary.interrupted and summary.ingested == 1
    assert count(store, ArticleRow) == 1
    assert_consistent(store)
    resumed = run(store, folder)
    assert (resumed.ingested, resumed.already, resumed.interrupted) == (2, 1, False)


def test_an_article_too_long_for_the_pipeline_is_skipped(tmp_path: Path, store: Store) -> None:
    from fogofwar.nlp import MAX_ARTICLE_CHARS

    sentence = "Russian forces shelled Kherson on Monday, officials said. "
    huge = sentence * (MAX_ARTICLE_CHARS // len(sentence) + 10)
    write_jsonl(
        tmp_path / "rows.jsonl", [json.dumps({"text": huge}), json.dumps({"text": ROW_TEXT})]
    )
    summary = run(store, tmp_path / "rows.jsonl")
    assert summary.ingested == 1
    (group,) = summary.groups.values()
    assert group.reason == "text too long for one article: split it into articles"
    (example,) = group.examples
    assert example.startswith(f"{tmp_path / 'rows.jsonl'}:1: text too long")


# ------------------------------------------------------------------------------------------------
# feeds over HTTP
# ------------------------------------------------------------------------------------------------


def page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='Kyiv Ledger'>"
        f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Front Line Wire</title><link>{base}/</link>
<item><title>Drones downed over Belgorod</title><link>{base}/belgorod.html</link>
<pubDate>Mon, 11 Sep 2023 07:00:00 GMT</pubDate></item>
<item><title>Troops leave Krasnohorivka</title><link>{base}/krasnohorivka.html</link>
<pubDate>Wed, 13 Sep 2023 09:30:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/missing.html</link></item>
</channel></rss>""".encode()


class FeedHandler(BaseHTTPRequestHandler):
    requested: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        FeedHandler.requested.append(self.path)
        base = f"http://{self.headers['Host']}"
        routes = {
            "/feed.xml": ("application/rss+xml", feed(base)),
            "/belgorod.html": ("text/html; charset=utf-8", page("Belgorod", OTHER_STORY)),
            "/krasnohorivka.html": ("text/html; charset=utf-8", page("Withdrawal", THIRD_STORY)),
        }
        status, content_type, body = 404, "text/html", b"<html><body>Not found</body></html>"
        if self.path in routes:
            status, (content_type, body) = 200, routes[self.path]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    FeedHandler.requested.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_feed_entries_are_fetched_and_not_fetched_again(server: str, store: Store) -> None:
    summary = ingest(store, [f"{server}/feed.xml"])
    assert summary.ingested == 2
    assert [g.examples for g in summary.groups.values()] == [
        [f"{server}/missing.html: HTTP 404 Not Found"]
    ]
    stored = by_url(store)
    belgorod = stored[f"{server}/belgorod.html"]
    assert belgorod.title == "Drones downed over Belgorod"  # the entry's title wins
    assert str(belgorod.published) == "2023-09-11"
    assert belgorod.origin == f"{server}/feed.xml"
    assert belgorod.outlet == "Kyiv Ledger"

    FeedHandler.requested.clear()
    again = ingest(store, [f"{server}/feed.xml"])
    assert (again.ingested, again.already) == (0, 2)
    assert "/belgorod.html" not in FeedHandler.requested  # known links are not fetched again


def test_an_article_url_is_ingested_as_one_article(server: str, store: Store) -> None:
    summary = ingest(store, [f"{server}/belgorod.html", f"{server}/nowhere.html"])
    assert summary.ingested == 1 and summary.skipped == 1
    assert list(summary.groups) == ["HTTP 404 Not Found"]


# ------------------------------------------------------------------------------------------------
# re-analysis
# ------------------------------------------------------------------------------------------------


def test_reanalyze_replaces_claims_in_place(tmp_path: Path, store: Store) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "other.txt").write_text(OTHER_STORY, encoding="utf-8")
    run(store, tmp_path / "story.txt", tmp_path / "other.txt")
    from fogofwar.incidents import refresh

    refresh(store)  # links claims to incidents, which a re-analysis must keep
    with store.sessions() as session:
        before = sorted(session.scalars(sa.select(ClaimRow.id)))
        links = dict(session.execute(sa.select(ClaimRow.id, ClaimRow.incident_id)).all())
    assert any(links.values())
    assert reanalyze(store).reanalysed == 0  # everything is current

    with store.session() as session:  # as if stored by an older release
        session.execute(sa.update(ArticleRow).values(pipeline_version="0.0.1"))
    summary = reanalyze(store)
    assert summary.reanalysed == 2 and summary.claims == len(before)
    with store.sessions() as session:
        assert sorted(session.scalars(sa.select(ClaimRow.id))) == before
        assert dict(session.execute(sa.select(ClaimRow.id, ClaimRow.incident_id)).all()) == links
        versions = set(session.scalars(sa.select(ArticleRow.pipeline_version)))
    from fogofwar import __version__

    assert versions == {__version__}
    assert reanalyze(store, everything=True).reanalysed == 2
    assert count(store, ArticleRow) == 2
    assert_consistent(store)


# ------------------------------------------------------------------------------------------------
# the commands
# ------------------------------------------------------------------------------------------------


def invoke(*args: str):
    from typer.testing import CliRunner

    from fogofwar.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_ingest_json_summary_and_exit_codes(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "image.txt").write_bytes(PNG)
    db = str(tmp_path / "cli.db")

    result = invoke("ingest", str(folder), "--db", db, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["ingested"] == 1 and summary["skipped"] == 1
    assert summary["skipped_by_reason"][0]["examples"] == [
        f"{folder / 'image.txt'}: looks binary (PNG image), not text or HTML"
    ]
    assert summary["store"].endswith("cli.db")

    again = invoke("ingest", str(folder), "--db", db, "--quiet")
    assert again.exit_code == 0, again.output
    assert "already there  1" in again.stdout

    missing = invoke("ingest", str(tmp_path / "absent"), "--db", db)
    assert missing.exit_code == 2 and "absent: no such file or folder" in missing.stderr

    nothing = invoke("ingest", str(folder / "image.txt"), "--db", db, "--json")
    assert nothing.exit_code == 2
    assert json.loads(nothing.stdout)["skipped"] == 1
    assert "nothing ingested" in nothing.stderr

    profile = invoke("ingest", str(folder), "--db", db, "--profile", "narnia")
    assert profile.exit_code == 2 and "narnia" in profile.stderr

    assert invoke("ingest", str(folder), "--db", db, "--workers", "0").exit_code == 2


def test_cli_reanalyze(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    missing = invoke("reanalyze", "--db", db)
    assert missing.exit_code == 2 and "no such store" in missing.stderr
    assert not Path(db).exists()

    (tmp_path / "story.txt").write_text(OTHER_STORY, encoding="utf-8")
    assert invoke("ingest", str(tmp_path / "story.txt"), "--db", db, "-q").exit_code == 0
    result = invoke("reanalyze", "--db", db, "--all", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["reanalysed"] == 1


def test_cli_ingest_from_stdin(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fogofwar.cli import app

    db = str(tmp_path / "stdin.db")
    result = CliRunner().invoke(app, ["ingest", "-", "--db", db, "--json"], input=THIRD_STORY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ingested"] == 1
    store = open_store(db)
    assert list(articles(store)) == ["<stdin>"]
    store.close()


def test_ctrl_c_stops_after_the_current_article_and_a_rerun_continues(tmp_path: Path) -> None:
    """A real SIGINT to a real ``fogofwar ingest`` process: summary, exit 130, store intact."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    rows = [
        json.dumps(
            {"text": f"{ROW_TEXT} Dispatch number {n} follows.", "url": f"https://x.example/{n}"}
        )
        for n in range(40)
    ]
    write_jsonl(tmp_path / "rows.jsonl", rows)
    db = tmp_path / "sigint.db"
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fogofwar.cli", "ingest", "rows.jsonl", "--db", str(db)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                with sqlite3.connect(db) as connection:
                    try:
                        stored = connection.execute("select count(*) from articles").fetchone()[0]
                    except sqlite3.OperationalError:  # tables not created yet
                        stored = 0
                if stored:
                    break
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in out and "Traceback" not in err
    assert "stopping after the current article" in err
    store = open_store(str(db))
    done = count(store, ArticleRow)
    assert 1 <= done < 40
    assert_consistent(store)
    summary = run(store, tmp_path / "rows.jsonl")
    assert (summary.ingested, summary.already) == (40 - done, done)
    assert count(store, ArticleRow) == 40
    store.close()
