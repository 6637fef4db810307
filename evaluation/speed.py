"""Speed of fogofwar against bare spaCy and against textacy's quote extractor, on the same texts,
with the quality of both quote extractors on PolNeAR test beside the speeds.

``python -m evaluation.speed --polnear PATH/TO/polnear [--megabytes 1] [--repeat 1]``

Four stages on the PolNeAR test and dev articles (repeated or cut to ``--megabytes`` of UTF-8
text), one process, the same ``nlp.pipe`` batches:

(a) spaCy: ``fogofwar.nlp.get_nlp().pipe`` (the parse every stage needs);
(b) fogofwar: ``Analyzer.analyze_many`` (parse + quotes, actors, events, places, times ...);
(c) textacy 0.13 ``textacy.extract.triples.direct_quotations`` on the docs parsed in (a);
(d) fogofwar's quote stage alone (``QuoteFinder.find``) on the same parsed docs.

Words are whitespace-separated tokens of the input; words/s = words / wall-clock seconds of the
best of ``--repeat`` rounds (process CPU seconds are reported too: the machine may be shared).
(c) and (d) exclude parsing, so their ratio compares the two quote extractors alone. textacy
refuses a document with an odd number of quotation-mark tokens (it raises); such documents count
as yielding no quotes and are reported.

Quality on PolNeAR test uses :mod:`evaluation.polnear` (same gold, same matching and speaker rule):
direct-quote span precision/recall and speaker accuracy of textacy's triples and of our quotes.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from evaluation.metrics import ratio
from evaluation.polnear import (
    DEFAULT_PROFILE,
    Article,
    ArticleRun,
    DataError,
    Predicted,
    SplitScore,
    from_quote,
    load_split,
    score_runs,
    split_dir,
    with_cue_lemmas,
)
from evaluation.results import (
    DEFAULT_PLOTS,
    DEFAULT_RESULTS,
    Metric,
    TaskResult,
    print_result,
    save,
)

T = TypeVar("T")
MB = 1_000_000
BATCH_SIZE = 16
PIPELINE_ANCHOR = "earlier benchmark on conflict news: 0.83–0.90 (benchmarks/throughput.py)"


# --- pure helpers ---------------------------------------------------------------------------------


def count_words(text: str) -> int:
    """Whitespace-separated words."""
    return len(text.split())


def words_per_second(words: int, seconds: float) -> float:
    """Throughput; 0.0 when nothing was timed."""
    return words / seconds if seconds > 0 else 0.0


def repeat_to_size(
    items: Sequence[T], megabytes: float, size: Callable[[T], int] | None = None
) -> list[T]:
    """Cycle through ``items`` until their total size reaches ``megabytes`` (at least one item).

    ``size`` gives an item's size in bytes (default: UTF-8 length of ``item.text``)."""
    if not items:
        return []
    measure = size or (lambda item: len(item.text.encode("utf-8")))  # type: ignore[attr-defined]
    target = megabytes * MB
    out: list[T] = []
    total = 0
    while total < target or not out:
        item = items[len(out) % len(items)]
        out.append(item)
        total += measure(item)
    return out


@dataclass(frozen=True)
class Timing:
    """One stage: the best run's wall-clock and CPU seconds over a number of words."""

    stage: str
    documents: int
    words: int
    seconds: float
    cpu_seconds: float

    @property
    def words_per_second(self) -> float:
        return words_per_second(self.words, self.seconds)


def best(stage: str, runs: Sequence[tuple[float, float]], documents: int, words: int) -> Timing:
    """The fastest (wall clock) of several ``(wall, cpu)`` runs."""
    wall, cpu = min(runs)
    return Timing(stage, documents, words, wall, cpu)


def timed(run: Callable[[], T]) -> tuple[float, float, T]:
    """Wall-clock seconds, process CPU seconds and the result of ``run()``."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def peak_rss_mb() -> float:
    """RSS high-water mark of this process in MB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024) / MB


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


# --- textacy --------------------------------------------------------------------------------------


def from_triple(triple: Any) -> Predicted:
    """A textacy ``DQTriple`` (speaker tokens, cue tokens, content span) as a prediction."""
    content = triple.content
    speaker = list(triple.speaker)
    cue_verbs = [t for t in triple.cue if t.pos_ == "VERB"] or list(triple.cue)
    return Predicted(
        start=content.start_char,
        end=content.end_char,
        kind="direct",
        speaker=" ".join(t.text for t in speaker) or None,
        speaker_span=(speaker[0].idx, speaker[-1].idx + len(speaker[-1].text)) if speaker else None,
        cue=cue_verbs[0].lemma_.lower() if cue_verbs else None,
        text=content.text,
    )


def textacy_quotes(doc: Any) -> tuple[list[Predicted], bool]:
    """textacy's direct quotations of a doc, and whether textacy accepted the doc."""
    from textacy.extract.triples import direct_quotations

    try:
        return [from_triple(t) for t in direct_quotations(doc)], True
    except ValueError:  # "odd number of quotation marks": textacy bails out on the whole doc
        return [], False


# --- the run --------------------------------------------------------------------------------------


@dataclass
class SpeedRun:
    timings: list[Timing]
    megabytes: float
    distinct: int
    rss_mb: float
    load: tuple[float | None, float | None]
    refused: int  # documents textacy refused (of the timed ones)
    quality: dict[str, SplitScore]  # extractor name -> PolNeAR test scores
    textacy_refused_test: int


def measure(
    articles: Sequence[Article],
    test: Sequence[Article],
    megabytes: float,
    repeat: int,
    profile: str = DEFAULT_PROFILE,
) -> SpeedRun:
    """Time the four stages on the articles, then score both quote extractors on ``test``."""
    from fogofwar.actors import Discourse
    from fogofwar.nlp import get_nlp
    from fogofwar.pipeline import Analyzer, Document

    load_start = load_average()
    items = repeat_to_size(articles, megabytes)
    texts = [a.text for a in items]
    words = sum(count_words(t) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts) / MB
    nlp = get_nlp()
    analyzer = Analyzer(profile)
    # Warm-up, not timed: every distinct text parsed once (the first parse of new words fills
    # spaCy's string store, which would slow whichever stage comes first), one analysis, and
    # the quote extractors' first calls. The test parses serve the quality comparison.
    wanted = {a.name for a in test}
    parsed = {
        article.name: doc
        for article, doc in zip(
            articles, nlp.pipe((a.text for a in articles), batch_size=BATCH_SIZE), strict=True
        )
        if article.name in wanted
    }
    first = parsed[test[0].name]
    analyzer.quotes.find(first, Discourse())
    textacy_quotes(first)
    list(analyzer.analyze_many([Document(texts[0])], batch_size=BATCH_SIZE))

    def parse() -> list[Any]:
        return list(nlp.pipe(texts, batch_size=BATCH_SIZE))

    def analyse() -> int:
        documents = (Document(t) for t in texts)
        return sum(1 for _ in analyzer.analyze_many(documents, batch_size=BATCH_SIZE))

    runs: dict[str, list[tuple[float, float]]] = {s: [] for s in STAGES}
    refused = 0
    for _ in range(repeat):
        wall, cpu, docs = timed(parse)
        runs[SPACY].append((wall, cpu))
        wall, cpu, _ = timed(analyse)
        runs[FULL].append((wall, cpu))
        wall, cpu, _ = timed(lambda docs=docs: [analyzer.quotes.find(d, Discourse()) for d in docs])
        runs[OURS].append((wall, cpu))
        wall, cpu, results = timed(lambda docs=docs: [textacy_quotes(d) for d in docs])
        runs[TEXTACY].append((wall, cpu))
        refused = sum(not accepted for _, accepted in results)
        del docs
    rss = peak_rss_mb()
    timings = [best(stage, runs[stage], len(texts), words) for stage in STAGES]
    quality, refused_test = score_extractors(test, [parsed[a.name] for a in test], analyzer)
    return SpeedRun(
        timings=timings,
        megabytes=size,
        distinct=len(articles),
        rss_mb=rss,
        load=(load_start, load_average()),
        refused=refused,
        quality=quality,
        textacy_refused_test=refused_test,
    )


SPACY = "spaCy parse (nlp.pipe)"
FULL = "fogofwar full pipeline"
OURS = "fogofwar quote stage (parsed docs)"
TEXTACY = "textacy direct_quotations (parsed docs)"
STAGES = (SPACY, FULL, OURS, TEXTACY)


def score_extractors(
    test: Sequence[Article], docs: Sequence[Any], analyzer: Any
) -> tuple[dict[str, SplitScore], int]:
    """PolNeAR test scores of our quotes and of textacy's triples, on the same parses."""
    from fogofwar.actors import Discourse

    ours: list[ArticleRun] = []
    theirs: list[ArticleRun] = []
    refused = 0
    for article, doc in zip(test, docs, strict=True):
        gold = with_cue_lemmas(article.attributions, doc)
        index = analyzer.quotes.find(doc, Discourse())
        ours.append(ArticleRun(article, gold, [from_quote(q) for q in index.quotes]))
        preds, accepted = textacy_quotes(doc)
        refused += not accepted
        theirs.append(ArticleRun(article, gold, preds))
    return {"fogofwar": score_runs("test", ours), "textacy": score_runs("test", theirs)}, refused


# --- result ---------------------------------------------------------------------------------------


def result_of(run: SpeedRun, repeat: int) -> TaskResult:
    by_stage = {t.stage: t for t in run.timings}
    spacy, full, ours, textacy = (by_stage[s] for s in STAGES)
    metrics = [Metric(f"{t.stage} words/s", t.words_per_second, t.words, unit="words/s")
               for t in run.timings]  # fmt: skip
    metrics += [
        Metric(
            "full pipeline / spaCy (words/s)",
            ratio(full.words_per_second, spacy.words_per_second),
            anchor=PIPELINE_ANCHOR,
        ),
        Metric("full pipeline / spaCy (CPU time)", ratio(spacy.cpu_seconds, full.cpu_seconds)),
        Metric(
            "quote stage: fogofwar / textacy (words/s)",
            ratio(ours.words_per_second, textacy.words_per_second),
        ),
        Metric("peak RSS", run.rss_mb, unit="MB", higher_is_better=False),
    ]
    for name, score in run.quality.items():
        direct = score.kinds["direct"]
        prf = direct.prf
        speaker, n_speaker = direct.share("speaker")
        metrics += [
            Metric(f"test direct span precision, {name}", prf.precision, prf.tp + prf.fp),
            Metric(f"test direct span recall, {name}", prf.recall, direct.gold),
            Metric(f"test direct speaker accuracy, {name}", speaker, n_speaker),
        ]
    metrics.append(
        Metric(
            "test documents textacy refused (odd number of quotation marks)",
            run.textacy_refused_test,
            run.quality["textacy"].articles,
            unit="docs",
            higher_is_better=False,
        )
    )
    result = TaskResult(
        task="speed",
        title="Speed: spaCy, fogofwar, and fogofwar's quote stage against textacy",
        data=(
            f"PolNeAR test+dev texts ({run.distinct} articles) cycled to {run.megabytes:.2f} MB, "
            f"{spacy.documents} documents, {spacy.words:,} words; best of {repeat}; quality on "
            f"PolNeAR test ({run.quality['textacy'].articles} articles)"
        ),
        metrics=metrics,
    )
    result.sections.append(stage_table(run, repeat))
    return result


def stage_table(run: SpeedRun, repeat: int) -> str:
    rows = [
        "| stage | documents | words | seconds | CPU s | words/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows += [
        f"| {t.stage} | {t.documents} | {t.words:,} | {t.seconds:.2f} | {t.cpu_seconds:.2f} | "
        f"{t.words_per_second:,.0f} |"
        for t in run.timings
    ]
    rows.append("")
    rows.append(
        f"One process, batch size {BATCH_SIZE}, best of {repeat} round(s); load average "
        f"{run.load[0]} at start, {run.load[1]} at end (a shared machine slows wall time, CPU "
        f"seconds less so). textacy refused {run.refused} of {run.timings[0].documents} timed "
        "documents (odd number of quotation-mark tokens)."
    )
    return "\n".join(rows)


def plot(result: TaskResult, path: Path) -> None:
    """Words/s per stage (log scale) and the quote extractors' quality on PolNeAR test."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    speeds = [result.metric(f"{stage} words/s").value for stage in STAGES]
    labels = ["spaCy\nparse", "fogofwar\nfull", "fogofwar\nquotes only", "textacy\nquotes only"]
    bars = left.bar(labels, speeds, color=["grey", "tab:blue", "tab:cyan", "tab:orange"])
    left.bar_label(bars, fmt="%.0f", fontsize=7)
    left.set_yscale("log")
    left.set_ylabel("words per second (log)")
    left.set_title("Throughput, same texts")
    figures = ["span precision", "span recall", "speaker accuracy"]
    width = 0.38
    for offset, name, color in ((-width / 2, "fogofwar", "tab:blue"),
                                (width / 2, "textacy", "tab:orange")):  # fmt: skip
        values = [result.metric(f"test direct {f}, {name}").value for f in figures]
        bars = right.bar([i + offset for i in range(3)], values, width, label=name, color=color)
        right.bar_label(bars, fmt="%.2f", fontsize=7)
    right.set_xticks(range(3), ["span P", "span R", "speaker acc."])
    right.set_ylim(0, 1.08)
    right.set_title("Direct quotes, PolNeAR test")
    right.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def load_articles(root: Path) -> tuple[list[Article], list[Article]]:
    """PolNeAR test and dev articles (test, test + dev)."""
    for split in ("test", "dev"):
        split_dir(root, split)
    test = load_split(root, "test")
    return test, [*test, *load_split(root, "dev")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Words/s of spaCy, fogofwar and textacy's direct_quotations on PolNeAR texts.",
        epilog="example: .venv/bin/python -m evaluation.speed --polnear ../shared/eval/polnear "
        "--megabytes 0.2",
    )
    parser.add_argument("--polnear", type=Path, required=True, help="the PolNeAR folder")
    parser.add_argument("--megabytes", type=float, default=1.0, help="text to time (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best is kept")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="JSON folder")
    parser.add_argument("--plots", type=Path, default=DEFAULT_PLOTS, help="plot folder")
    parser.add_argument("--profile", default=DEFAULT_PROFILE, help="fogofwar conflict profile")
    args = parser.parse_args(argv)
    if args.megabytes <= 0 or args.repeat < 1:
        parser.error("--megabytes must be > 0 and --repeat >= 1")
    try:
        test, articles = load_articles(args.polnear)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    run = measure(articles, test, args.megabytes, args.repeat, args.profile)
    result = result_of(run, args.repeat)
    result.seconds = time.perf_counter() - started
    plot(result, args.plots / "speed.png")
    result.plots.append("img/speed.png")
    print_result(result)
    save(result, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
