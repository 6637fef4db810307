"""Throughput of fogofwar against bare spaCy on the same texts.

Both stages use the pipeline returned by ``fogofwar.nlp.get_nlp()`` (same model, same
components), the same batches (``batch_size``, one process) and the same documents, so the ratio
isolates what fogofwar adds on top of spaCy: quotes, actors, events, places, times, amounts and
scoring. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO.parent / "shared" / "gold" / "dev"
EXAMPLES = REPO / "examples"
TARGET_RATIO = 0.7
MB = 1_000_000  # bytes; used for text sizes and memory alike

EXAMPLE = """\
examples:
  .venv/bin/python benchmarks/throughput.py                    # 2 MB of the gold dev articles
  .venv/bin/python benchmarks/throughput.py --megabytes 0.2    # quick check
  .venv/bin/python benchmarks/throughput.py --repeat 3 --json  # best of 3, machine-readable
"""

try:  # the package is normally installed (editable) into the venv; fall back to src/
    import fogofwar  # noqa: F401
except ImportError:  # pragma: no cover - only outside the venv
    sys.path.insert(0, str(REPO / "src"))


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One input article and the profile it is analysed under."""

    name: str
    text: str
    published: str | None
    profile: str


def note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def profile_for(sides: object) -> str:
    """'sudan' when the gold article declares SAF/RSF sides, else 'russia-ukraine'."""
    if isinstance(sides, dict) and {"SAF", "RSF"} & set(sides):
        return "sudan"
    return "russia-ukraine"


def load_gold(directory: Path) -> list[Text]:
    texts = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not data.get("text"):
            note(f"{path.name}: no text, skipped")
            continue
        published = data.get("published")
        texts.append(
            Text(
                path.stem,
                data["text"],
                str(published) if published else None,
                profile_for(data.get("sides")),
            )
        )
    return texts


def load_examples(published: str | None) -> list[Text]:
    return [
        Text(path.stem, path.read_text(encoding="utf-8"), published, "russia-ukraine")
        for path in sorted(EXAMPLES.glob("*.txt"))
    ]


def load_texts(gold: Path, published: str | None) -> tuple[list[Text], str]:
    """The gold articles, else the bundled examples (with a note on stderr)."""
    if gold.is_dir():
        texts = load_gold(gold)
        if texts:
            return texts, str(gold)
        note(f"no usable *.json in {gold}")
    else:
        note(f"gold directory {gold} not found")
    texts = load_examples(published)
    if not texts:
        raise SystemExit(f"error: no input texts (no gold directory, no {EXAMPLES}/*.txt)")
    note(f"falling back to {EXAMPLES.relative_to(REPO)}/*.txt ({len(texts)} file(s))")
    return texts, str(EXAMPLES)


def repeat_to_size(texts: Sequence[Text], megabytes: float) -> list[Text]:
    """Cycle through the texts until their UTF-8 size reaches ``megabytes`` (at least one)."""
    target = megabytes * MB
    out: list[Text] = []
    total = 0
    while total < target or not out:
        item = texts[len(out) % len(texts)]
        out.append(item)
        total += len(item.text.encode("utf-8"))
    return out


def by_profile(texts: Iterable[Text]) -> dict[str, list[Text]]:
    groups: dict[str, list[Text]] = {}
    for item in texts:
        groups.setdefault(item.profile, []).append(item)
    return groups


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    """RSS high-water mark of this process (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return peak * scale / MB


def load_average() -> float | None:
    """One-minute load average (None where unsupported): a busy machine skews wall time."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


@dataclass
class Stage:
    stage: str
    documents: int
    megabytes: float
    words: int
    seconds: float  # wall clock, best run
    cpu_seconds: float  # process CPU time (all threads) of that same run
    runs: list[float] = field(default_factory=list)  # wall clock of every run

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else float("inf")


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock seconds, process CPU seconds and the result of ``run()``."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best(
    name: str, runs: Sequence[tuple[float, float]], documents: int, megabytes: float, words: int
) -> Stage:
    wall, cpu = min(runs)
    return Stage(name, documents, megabytes, words, wall, cpu, [r[0] for r in runs])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Words per second: fogofwar's full analysis vs bare spaCy, same texts.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--gold",
        type=Path,
        default=DEFAULT_GOLD,
        help="directory of gold *.json articles (default: ../shared/gold/dev from the repo "
        "root; falls back to examples/*.txt if missing)",
    )
    parser.add_argument(
        "--megabytes",
        type=float,
        default=2.0,
        help="repeat the texts until they total this many MB of UTF-8 text (default: 2.0)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure N rounds (spaCy, then fogofwar) and keep the best of each (default: 1)",
    )
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch (default 16)")
    parser.add_argument(
        "--published",
        default=None,
        help="publication date (YYYY-MM-DD) for the fallback examples/*.txt (default: none)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--fail-below",
        action="store_true",
        help=f"exit with status 1 when the ratio is below the target ({TARGET_RATIO})",
    )
    args = parser.parse_args(argv)
    if args.megabytes <= 0 or args.repeat < 1 or args.batch_size < 1:
        parser.error("--megabytes must be > 0, --repeat and --batch-size >= 1")

    base, source = load_texts(args.gold, args.published)
    texts = repeat_to_size(base, args.megabytes)
    groups = by_profile(texts)
    documents = len(texts)
    words = sum(len(t.text.split()) for t in texts)
    megabytes = sum(len(t.text.encode("utf-8")) for t in texts) / MB

    load_start = load_average()

    # --- start-up: imports, model load, gazetteer build (not in the timed stages) ----------
    start = time.perf_counter()
    import spacy

    from fogofwar.nlp import get_nlp, model_name
    from fogofwar.pipeline import Analyzer, Document

    imported = time.perf_counter()
    nlp = get_nlp()
    loaded = time.perf_counter()
    analyzers = {profile: Analyzer(profile) for profile in groups}
    built = time.perf_counter()

    def run_spacy() -> int:
        count = 0
        for group in groups.values():
            docs = list(nlp.pipe([t.text for t in group], batch_size=args.batch_size, n_process=1))
            count += len(docs)
            del docs
        return count

    def run_fogofwar() -> tuple[int, int, int]:
        count = claims = quotes = 0
        for profile, group in groups.items():
            analyses = list(
                analyzers[profile].analyze_many(
                    (Document(text=t.text, published=t.published) for t in group),
                    batch_size=args.batch_size,
                    n_process=1,
                )
            )
            count += len(analyses)
            claims += sum(len(a.claims) for a in analyses)
            quotes += sum(len(a.quotes) for a in analyses)
            del analyses
        return count, claims, quotes

    # --- warm-up on one text per stage/profile (lazy tables, first-call caches) -------------
    warm_start = time.perf_counter()
    list(nlp.pipe([texts[0].text], batch_size=args.batch_size, n_process=1))
    for profile, group in groups.items():
        first = group[0]
        list(
            analyzers[profile].analyze_many(
                [Document(first.text, first.published)], batch_size=args.batch_size, n_process=1
            )
        )
    warmed = time.perf_counter()
    rss_startup = peak_rss_mb()

    # --- measured rounds: spaCy first, then fogofwar; best of N ----------------------------
    spacy_runs: list[tuple[float, float]] = []
    fog_runs: list[tuple[float, float]] = []
    claims = quotes = 0
    rss_after_spacy = rss_startup
    for round_no in range(args.repeat):
        wall, cpu, count = timed(run_spacy)
        assert count == documents
        spacy_runs.append((wall, cpu))
        if round_no == 0:
            rss_after_spacy = peak_rss_mb()
        wall, cpu, (count, claims, quotes) = timed(run_fogofwar)
        assert count == documents
        fog_runs.append((wall, cpu))
    rss_peak = peak_rss_mb()  # a high-water mark: monotone, so read it after each phase

    spacy_stage = best("spaCy (nlp.pipe)", spacy_runs, documents, megabytes, words)
    fog_stage = best("fogofwar (analyze_many)", fog_runs, documents, megabytes, words)
    ratio = fog_stage.words_per_second / spacy_stage.words_per_second
    cpu_ratio = spacy_stage.cpu_seconds / fog_stage.cpu_seconds if fog_stage.cpu_seconds else 0.0
    verdict = "PASS" if ratio >= TARGET_RATIO else "BELOW"

    cpus = os.cpu_count()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    report: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": model_name(),
        "pipeline": list(nlp.pipe_names),
        "cpu_count": cpus,
        "cpus_usable": affinity,
        "platform": platform.platform(),
        "load_average": {"start": load_start, "end": load_average()},
        "input": {
            "source": source,
            "distinct_texts": len(base),
            "documents": documents,
            "megabytes": round(megabytes, 3),
            "words": words,
            "profiles": {p: len(g) for p, g in groups.items()},
            "batch_size": args.batch_size,
            "n_process": 1,
            "repeat": args.repeat,
        },
        "startup_seconds": {
            "imports": round(imported - start, 3),
            "model_load": round(loaded - imported, 3),
            "analyzers_and_gazetteer": round(built - loaded, 3),
            "warm_up": round(warmed - warm_start, 3),
            "model_load_plus_gazetteer": round(built - imported, 3),
        },
        "stages": [
            {
                **{k: v for k, v in asdict(s).items() if k != "runs"},
                "megabytes": round(s.megabytes, 3),
                "seconds": round(s.seconds, 3),
                "cpu_seconds": round(s.cpu_seconds, 3),
                "runs": [round(r, 3) for r in s.runs],
                "words_per_second": round(s.words_per_second, 1),
            }
            for s in (spacy_stage, fog_stage)
        ],
        "ratio": round(ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "target": TARGET_RATIO,
        "verdict": verdict,
        "peak_rss_mb": {
            "after_startup": round(rss_startup, 1),
            "after_spacy": round(rss_after_spacy, 1),
            "overall": round(rss_peak, 1),
        },
        "claims": claims,
        "quotes": quotes,
    }

    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report, (spacy_stage, fog_stage))
    return 1 if args.fail_below and verdict == "BELOW" else 0


def print_report(report: dict[str, Any], stages: Sequence[Stage]) -> None:
    inp, up = report["input"], report["startup_seconds"]
    print(f"date        {report['date']}")
    print(f"python      {report['python']}   spaCy {report['spacy']}   model {report['model']}")
    print(
        f"cpus        {report['cpu_count']} (usable {report['cpus_usable']})   {report['platform']}"
    )
    print(
        f"input       {inp['distinct_texts']} distinct text(s) from {inp['source']}, repeated "
        f"to {inp['documents']} documents; profiles {inp['profiles']}"
    )
    print(
        f"settings    batch_size={inp['batch_size']} n_process=1 repeat={inp['repeat']} "
        "(best run kept; spaCy measured before fogofwar in each round)"
    )
    print(
        f"start-up    model load {up['model_load']:.2f} s + analyzers/gazetteer "
        f"{up['analyzers_and_gazetteer']:.2f} s = {up['model_load_plus_gazetteer']:.2f} s "
        f"(imports {up['imports']:.2f} s, warm-up {up['warm_up']:.2f} s; not timed below)"
    )
    print()
    header = (
        f"{'stage':<24} {'documents':>9} {'MB':>7} {'words':>9} {'seconds':>8} {'cpu s':>7} "
        f"{'words/s':>9}"
    )
    print(header)
    print("-" * len(header))
    for s in stages:
        print(
            f"{s.stage:<24} {s.documents:>9} {s.megabytes:>7.3f} {s.words:>9} "
            f"{s.seconds:>8.2f} {s.cpu_seconds:>7.2f} {s.words_per_second:>9.0f}"
        )
        if len(s.runs) > 1:
            print(f"{'':<24} runs: " + ", ".join(f"{r:.2f}" for r in s.runs))
    print()
    print(
        f"ratio       fogofwar / spaCy words/s = {report['ratio']:.3f}   "
        f"(target >= {report['target']})   {report['verdict']}"
    )
    print(
        f"            (CPU-time ratio spaCy cpu s / fogofwar cpu s = {report['cpu_ratio']:.3f}; "
        f"load average {report['load_average']['start']} at start, "
        f"{report['load_average']['end']} at end)"
    )
    rss = report["peak_rss_mb"]
    print(
        f"peak RSS    {rss['overall']:.1f} MB overall (high-water mark: "
        f"{rss['after_startup']:.1f} MB after start-up, {rss['after_spacy']:.1f} MB after "
        "the first spaCy stage)"
    )
    print(
        f"output      {report['claims']} claims, {report['quotes']} quotes "
        f"(one fogofwar run over {inp['documents']} documents)"
    )


if __name__ == "__main__":
    sys.exit(main())
