"""Tests for the command line, run as a real subprocess (``python -m fogofwar.cli``): output
formats, stdin, evaluation, help texts, and one-line errors with exit code 2 for bad input.

Each subprocess that analyses text loads the language model and the gazetteer (seconds of CPU),
so there are only three of them (``analyze FILE --json``, ``analyze -``, ``eval``), started in
the background as soon as the session is collected (see ``conftest.py``); ``eval --json`` goes
through the same Typer app in-process, where the model is already loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CLI = [sys.executable, "-m", "fogofwar.cli"]
TIMEOUT = 300

ARTICLE = (
    "Kherson shelled again\n\n"
    "Russian forces shelled Kherson on Thursday, killing two civilians, regional governor "
    "Oleksandr Prokudin said.\n\n"
    "Russian troops withdrew from Klishchiivka, the ISW said on Friday.\n"
)

GOLD = {
    "id": "cli-kherson",
    "published": "2023-05-12",
    "outlet": None,
    "url": None,
    "text": "Russian forces shelled Kherson on Thursday, regional governor Oleksandr Prokudin said.",
    "quotes": [
        {
            "text": "Russian forces shelled Kherson on Thursday",
            "speaker": "Oleksandr Prokudin",
            "kind": "indirect",
        }
    ],
    "claims": [
        {
            "source": "Oleksandr Prokudin",
            "source_side": "UA",
            "event": "SHELLING",
            "actor_side": "RU",
            "place": "Kherson",
            "polarity": "asserted",
            "evidence": "Russian forces shelled Kherson on Thursday",
        }
    ],
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PYTHONIOENCODING": "utf-8"})
    return env


def start(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, *args],
        cwd=cwd,
        env=_env(),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def finish(proc: subprocess.Popen, stdin: str | None = None) -> subprocess.CompletedProcess:
    out, err = proc.communicate(stdin, timeout=TIMEOUT)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return finish(start(*args, cwd=cwd, stdin=stdin), stdin)


def prepare_workdir(root: Path) -> Path:
    """Input files for the CLI runs."""
    (root / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    gold = root / "gold"
    gold.mkdir()
    (gold / "kherson.json").write_text(json.dumps(GOLD), encoding="utf-8")
    bad = root / "badgold"
    bad.mkdir()
    (bad / "broken.json").write_text(
        '{"id": "x", "text": "Kherson was shelled.", "claims": [', encoding="utf-8"
    )
    (root / "broken-profile.yaml").write_text("sides:\n  A: [Alpha\n", encoding="utf-8")
    return root


# The runs that load the language model: (arguments, stdin).
HEAVY_JOBS = {
    "json": (("analyze", "article.txt", "--published", "2023-05-12", "--json"), None),
    "stdin": (("analyze", "-", "--published", "2023-05-12"), ARTICLE),
    "eval": (("eval", "gold"), None),
}
_BACKGROUND: dict[str, Any] = {}


def start_background_runs() -> None:
    """Start the model-loading runs (idempotent). ``conftest.py`` calls this as soon as the session
    is collected, so they overlap with the in-process tests of the other modules."""
    if _BACKGROUND:
        return
    root = prepare_workdir(Path(tempfile.mkdtemp(prefix="fogofwar-cli-")))
    procs = {}
    for name, (args, data) in HEAVY_JOBS.items():
        proc = start(*args, cwd=root, stdin=data)
        if data is not None:
            assert proc.stdin is not None
            proc.stdin.write(data)
            proc.stdin.close()
            proc.stdin = None  # written in full: communicate() must not touch it again
        procs[name] = proc
    _BACKGROUND.update(root=root, procs=procs, results={})


def stop_background_runs() -> None:
    """Stop the runs this module started (if still running) and remove their folder."""
    for proc in _BACKGROUND.get("procs", {}).values():
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if "root" in _BACKGROUND:
        shutil.rmtree(_BACKGROUND["root"], ignore_errors=True)
    _BACKGROUND.clear()


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    start_background_runs()
    yield _BACKGROUND["root"]
    stop_background_runs()


@pytest.fixture(scope="module")
def heavy(workdir) -> dict[str, subprocess.CompletedProcess]:
    results = _BACKGROUND["results"]
    for name, proc in _BACKGROUND["procs"].items():
        if name not in results:
            out, err = proc.communicate(timeout=TIMEOUT)
            results[name] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return results


def assert_clean_exit(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


# --- analyze -------------------------------------------------------------------------------------


def test_module_entry_point_runs(workdir):
    result = run("--version", cwd=workdir)
    assert_clean_exit(result)
    assert "fogofwar" in result.stdout


def test_analyze_json(heavy):
    result = heavy["json"]
    assert_clean_exit(result)
    data = json.loads(result.stdout)
    assert set(data) == {"article", "quotes", "claims"}
    assert data["article"]["published"] == "2023-05-12"
    assert data["article"]["path"] and data["article"]["path"].endswith("article.txt")
    shelling = [c for c in data["claims"] if c["event"] == "SHELLING"]
    assert shelling and shelling[0]["source"] == "Oleksandr Prokudin"
    assert shelling[0]["time"] == "2023-05-11"
    text = ARTICLE
    for claim in data["claims"]:
        ev = claim["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]


def test_analyze_stdin_plain_output_mentions_sources(heavy):
    result = heavy["stdin"]
    assert_clean_exit(result)
    assert "Oleksandr Prokudin" in result.stdout
    assert "Institute for the Study of War" in result.stdout
    assert "SHELLING" in result.stdout
    assert "WITHDRAW" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("analyze", "missing.txt"), ["missing.txt"]),
        (("analyze", "empty.txt"), ["empty.txt"]),
        (("analyze", "image.txt"), ["image.txt"]),
        (("analyze", "article.txt", "--published", "2023-13-45"), ["--published", "2023-13-45"]),
        (("analyze", "article.txt", "--published", "last Thursday"), ["--published"]),
        (("analyze", "article.txt", "--profile", "narnia"), ["narnia"]),
        (("analyze", "article.txt", "--profile", "broken-profile.yaml"), ["broken-profile.yaml"]),
        (("analyze", "."), ["."]),
    ],
    ids=["missing", "empty", "binary", "bad-date", "words-date", "unknown-profile",
         "broken-profile", "directory"],
)  # fmt: skip
def test_analyze_bad_input(workdir, args, words):
    assert_one_line_error(run(*args, cwd=workdir), *words)


def test_analyze_empty_stdin(workdir):
    assert_one_line_error(run("analyze", "-", cwd=workdir, stdin=""), "stdin")


# --- eval ------------------------------------------------------------------------------------------


def invoke(workdir: Path, monkeypatch, *args: str):
    """Run the Typer app in-process (exit code, stdout)."""
    from typer.testing import CliRunner

    from fogofwar.cli import app

    monkeypatch.chdir(workdir)
    return CliRunner().invoke(app, list(args))


def test_eval_prints_precision_recall_f1(heavy):
    result = heavy["eval"]
    assert_clean_exit(result)
    out = result.stdout
    for column in ("P", "R", "F1"):
        assert column in out.split()
    assert "SHELLING" in out


def test_eval_json(workdir, monkeypatch):
    result = invoke(workdir, monkeypatch, "eval", "gold", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    claims = report["claims"]
    assert {"precision", "recall", "f1", "tp", "fp", "fn"} <= set(claims)
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= claims[key] <= 1.0
    assert report["documents"] == 1
    assert claims["tp"] == 1 and claims["fn"] == 0


def test_eval_malformed_gold_file(workdir):
    assert_one_line_error(run("eval", "badgold", cwd=workdir), "broken.json")


@pytest.mark.parametrize(
    ("name", "words"), [("nowhere", ["nowhere"]), ("article.txt", ["article.txt"])]
)
def test_eval_bad_directory(workdir, name, words):
    assert_one_line_error(run("eval", name, cwd=workdir), *words)


# --- profiles and help -------------------------------------------------------------------------------


def test_profiles_json(workdir):
    result = run("profiles", "--json", cwd=workdir)
    assert_clean_exit(result)
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(rows["russia-ukraine"]["sides"]) == {"UA", "RU"}
    assert set(rows["sudan"]["sides"]) == {"SAF", "RSF"}


def test_profiles_plain(workdir):
    result = run("profiles", cwd=workdir)
    assert_clean_exit(result)
    assert "russia-ukraine" in result.stdout and "sudan" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        "analyze",
        "eval",
        "profiles",
    ],
)
def test_help_shows_an_example(workdir, command):
    result = run(command, "--help", cwd=workdir)
    assert_clean_exit(result)
    assert "Example" in result.stdout
    assert f"fogofwar {command}" in result.stdout


def test_top_level_help_lists_commands(workdir):
    result = run("--help", cwd=workdir)
    assert_clean_exit(result)
    for command in ("analyze", "eval", "profiles"):
        assert command in result.stdout


def test_text_too_long_for_one_article_is_a_clear_error(tmp_path):
    from fogofwar.nlp import MAX_ARTICLE_CHARS

    path = tmp_path / "huge.txt"
    sentence = "Russian forces shelled Kherson on Monday, officials said. "
    path.write_text(sentence * (MAX_ARTICLE_CHARS // len(sentence) + 10), encoding="utf-8")
    result = run("analyze", str(path), cwd=tmp_path)
    assert_one_line_error(result, "huge.txt", "too long")
