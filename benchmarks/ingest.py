"""Ingest throughput and memory: ``--articles`` real articles through ``fogofwar.corpus.ingest``
(the code behind ``fogofwar ingest``) into a fresh SQLite store.

The texts are the gold dev articles (and the bundled examples), repeated with distinct ids: each
copy gets its own closing sentence and a later publication date, so every copy is a new article
to analyse and store (and, being the same story, is linked as a near-duplicate of its first
copy). Prints articles/s, claims/s and the resident memory of this process and its workers at
10 %, 50 % and 100 % of the run. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO.parent / "shared" / "gold" / "dev"
EXAMPLES = REPO / "examples"
MB = 1_000_000
CHECKPOINTS = (10, 50, 100)  # percent of the articles settled
SAMPLE_SECONDS = 0.25

EXAMPLE = """\
examples:
  .venv/bin/python benchmarks/ingest.py                       # 10,000 articles, one process
  .venv/bin/python benchmarks/ingest.py --articles 300        # quick check
  .venv/bin/python benchmarks/ingest.py --workers 2 --json    # two worker processes, as JSON
"""

try:  # the package is normally installed (editable) into the venv; fall back to src/
    import fogofwar  # noqa: F401
except ImportError:  # pragma: no cover - only outside the venv
    sys.path.insert(0, str(REPO / "src"))


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One real article the corpus is made of."""

    name: str
    text: str
    published: dt.date


def note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def load_sources(gold: Path) -> tuple[list[Source], str]:
    """The gold dev article texts plus ``examples/*.txt`` (only the examples without gold)."""
    sources: list[Source] = []
    if gold.is_dir():
        for path in sorted(gold.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("text"):
                published = dt.date.fromisoformat(str(data.get("published") or "2023-05-12")[:10])
                sources.append(Source(path.stem, data["text"], published))
    else:
        note(f"gold directory {gold} not found: using {EXAMPLES.relative_to(REPO)}/*.txt only")
    for path in sorted(EXAMPLES.glob("*.txt")):
        sources.append(Source(path.stem, path.read_text(encoding="utf-8"), dt.date(2023, 5, 12)))
    if not sources:
        raise SystemExit("error: no input texts (no gold directory, no examples/*.txt)")
    origin = f"{gold} + {EXAMPLES.relative_to(REPO)}" if gold.is_dir() else str(EXAMPLES)
    return sources, origin


def write_corpus(sources: Sequence[Source], articles: int, path: Path) -> int:
    """Write ``articles`` JSONL rows cycling through ``sources``; returns the word count."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            source = sources[number % len(sources)]
            round_ = number // len(sources)
            published = source.published + dt.timedelta(days=round_)
            closing = (
                f"This is dispatch {number + 1} of {articles}, filed on "
                f"{published:%d %B %Y} from the {source.name} desk."
            )
            text = f"{source.text.rstrip()}\n\n{closing}"
            words += len(text.split())
            row = {
                "text": text,
                "url": f"https://bench.example/{source.name}/{number + 1}",
                "published": published.isoformat(),
                "outlet": "Benchmark Wire",
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Memory:
    """Resident memory of this process and of all its (worker) children, in MB."""

    main_mb: float
    total_mb: float


class MemorySampler(threading.Thread):
    """Samples RSS every ``SAMPLE_SECONDS`` and keeps the peak (psutil)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process()
        self.peak = Memory(0.0, 0.0)
        self.halt = threading.Event()

    def current(self) -> Memory:
        import psutil

        main = self.process.memory_info().rss
        total = main
        for child in self.process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:  # a child that just exited
                continue
        return Memory(round(main / MB, 1), round(total / MB, 1))

    def run(self) -> None:
        while not self.halt.wait(SAMPLE_SECONDS):
            now = self.current()
            self.peak = Memory(
                max(self.peak.main_mb, now.main_mb), max(self.peak.total_mb, now.total_mb)
            )

    def stop(self) -> Memory:
        self.halt.set()
        self.join()
        return self.peak


@dataclass(frozen=True)
class Checkpoint:
    percent: int
    articles: int
    seconds: float
    articles_per_s: float
    rss_main_mb: float
    rss_total_mb: float


@dataclass
class Progress:
    """An ``on_outcome`` hook recording the time and memory at each checkpoint."""

    articles: int
    sampler: MemorySampler
    started: float
    settled: int = 0
    first_at: float | None = None
    checkpoints: list[Checkpoint] = field(default_factory=list)

    def __call__(self, _outcome: object) -> None:
        self.settled += 1
        now = time.perf_counter()
        if self.first_at is None:
            self.first_at = now
        for percent in CHECKPOINTS:
            if self.settled == math.ceil(self.articles * percent / 100):
                memory = self.sampler.current()
                seconds = now - self.started
                self.checkpoints.append(
                    Checkpoint(
                        percent,
                        self.settled,
                        round(seconds, 1),
                        round(self.settled / seconds, 2),
                        memory.main_mb,
                        memory.total_mb,
                    )
                )


@dataclass(frozen=True)
class Result:
    articles: int
    words: int
    workers: int
    profile: str
    ingested: int
    duplicates: int
    skipped: int
    claims: int
    seconds: float
    first_article_seconds: float  # start-up: model load (in the workers too) and first analysis
    articles_per_s: float
    claims_per_s: float
    words_per_s: float
    steady_articles_per_s: float  # after the first article
    peak_rss_main_mb: float
    peak_rss_total_mb: float
    store_mb: float
    checkpoints: list[Checkpoint]
    input: str
    python: str
    platform: str
    cpus: int
    date: str


def run(args: argparse.Namespace) -> Result:
    from fogofwar.corpus import ingest, resolve_inputs
    from fogofwar.store import open_store

    sources, origin = load_sources(args.gold)
    with tempfile.TemporaryDirectory(prefix="fogofwar-bench-") as folder:
        corpus = Path(folder) / "corpus.jsonl"
        words = write_corpus(sources, args.articles, corpus)
        database = Path(folder) / "bench.db"
        store = open_store(str(database))
        sampler = MemorySampler()
        sampler.start()
        started = time.perf_counter()
        progress = Progress(args.articles, sampler, started)
        try:
            summary = ingest(
                store,
                resolve_inputs([str(corpus)]),
                profile=args.profile,
                workers=args.workers,
                on_outcome=progress,
            )
        finally:
            seconds = time.perf_counter() - started
            peak = sampler.stop()
            store.close()
        store_mb = sum(p.stat().st_size for p in Path(folder).glob("bench.db*")) / MB
    first = (progress.first_at or started) - started
    steady = (summary.ingested - 1) / (seconds - first) if seconds > first else 0.0
    return Result(
        articles=args.articles,
        words=words,
        workers=args.workers,
        profile=args.profile,
        ingested=summary.ingested,
        duplicates=summary.duplicates,
        skipped=summary.skipped,
        claims=summary.claims,
        seconds=round(seconds, 1),
        first_article_seconds=round(first, 1),
        articles_per_s=round(summary.ingested / seconds, 2),
        claims_per_s=round(summary.claims / seconds, 1),
        words_per_s=round(words / seconds),
        steady_articles_per_s=round(steady, 2),
        peak_rss_main_mb=peak.main_mb,
        peak_rss_total_mb=peak.total_mb,
        store_mb=round(store_mb, 1),
        checkpoints=progress.checkpoints,
        input=f"{len(sources)} distinct texts from {origin}",
        python=platform.python_version(),
        platform=platform.platform(),
        cpus=os.cpu_count() or 1,
        date=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    )


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def table(result: Result) -> str:
    lines = [
        f"date        {result.date}",
        f"python      {result.python}   cpus {result.cpus}   {result.platform}",
        f"input       {result.articles:,} articles ({result.words:,} words), {result.input}",
        f"settings    workers={result.workers} profile={result.profile}, fresh SQLite store",
        "",
        f"{'progress':>9} {'articles':>9} {'seconds':>9} {'articles/s':>11} "
        f"{'RSS main MB':>12} {'RSS total MB':>13}",
        "-" * 68,
    ]
    for point in result.checkpoints:
        lines.append(
            f"{point.percent:>8}% {point.articles:>9,} {point.seconds:>9.1f} "
            f"{point.articles_per_s:>11.2f} {point.rss_main_mb:>12.1f} {point.rss_total_mb:>13.1f}"
        )
    lines += [
        "",
        f"ingested    {result.ingested:,} articles ({result.duplicates:,} linked as "
        f"near-duplicates), {result.skipped:,} skipped, {result.claims:,} claims",
        f"speed       {result.articles_per_s:.2f} articles/s, {result.claims_per_s:.1f} claims/s, "
        f"{result.words_per_s:,} words/s over {result.seconds:.1f} s "
        f"(first article after {result.first_article_seconds:.1f} s; "
        f"{result.steady_articles_per_s:.2f} articles/s after it)",
        f"peak RSS    {result.peak_rss_main_mb:.1f} MB this process, "
        f"{result.peak_rss_total_mb:.1f} MB with workers (sampled every {SAMPLE_SECONDS} s)",
        f"store       {result.store_mb:.1f} MB of SQLite",
    ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--profile", default="russia-ukraine", help="conflict profile")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold dev folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.workers < 1:
        parser.error("--articles and --workers must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    result = run(args)
    if args.json:
        data: dict[str, Any] = asdict(result)
        print(json.dumps(data, indent=2))
    else:
        print(table(result))


if __name__ == "__main__":
    main()
