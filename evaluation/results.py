"""The result of one evaluation task: figures, targets, misses by category, plots.

Every task script builds a :class:`TaskResult`, prints it (:func:`print_result`) and saves it as
JSON (:func:`save`); ``evaluation.report`` renders all saved results into
``docs/evaluation.md``, so the document always shows the numbers the scripts printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_RESULTS = Path("build/evaluation")
DEFAULT_PLOTS = Path("docs/img")


@dataclass
class Metric:
    """One figure: ``value`` over ``n`` items, with an optional target or outside anchor."""

    name: str
    value: float
    n: int | None = None
    target: float | None = None  # the target; ``met`` compares against it
    anchor: str | None = None  # a published figure to compare with, in words
    higher_is_better: bool = True
    unit: str = ""  # "" for shares in 0..1, otherwise e.g. "km" or "words/s"

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class MissCategory:
    """A kind of error, how often it happened and a few examples a reader can check."""

    name: str
    count: int
    examples: list[str] = field(default_factory=list)
    explanation: str = ""


@dataclass
class TaskResult:
    """Everything one task reports."""

    task: str  # short id, also the JSON file name
    title: str
    data: str  # which data, which split, how many items
    metrics: list[Metric] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # extra Markdown (tables, mappings)
    misses: list[MissCategory] = field(default_factory=list)
    plots: list[str] = field(default_factory=list)  # paths relative to the docs folder
    seconds: float = 0.0
    run: dict[str, str] = field(default_factory=dict)

    def metric(self, name: str) -> Metric:
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)


def task_parser(
    task: str, description: str, *, data_help: str, items: str, example_data: str
) -> argparse.ArgumentParser:
    """The command line every task script shares: the data path, ``--results``, ``--plots`` and
    ``--limit``; a script adds its own options to it."""
    parser = argparse.ArgumentParser(
        prog=f"python -m evaluation.{task}",
        description=description,
        epilog=f"example: python -m evaluation.{task} {example_data}",
    )
    parser.add_argument("data", type=Path, help=data_help)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="JSON output folder")
    parser.add_argument("--plots", type=Path, default=DEFAULT_PLOTS, help="PNG output folder")
    parser.add_argument("--limit", type=int, default=None, help=f"only the first N {items}")
    return parser


def machine_description() -> dict[str, str]:
    """Date, machine and software the figures were measured with."""
    import spacy

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }


def save(result: TaskResult, directory: Path = DEFAULT_RESULTS) -> Path:
    """Write ``result`` to ``directory/<task>.json`` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    if not result.run:
        result.run = machine_description()
    path = directory / f"{result.task}.json"
    text = json.dumps(asdict(result), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def load(path: Path) -> TaskResult:
    """Read a result written by :func:`save`."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    raw["metrics"] = [Metric(**m) for m in raw.get("metrics", [])]
    raw["misses"] = [MissCategory(**m) for m in raw.get("misses", [])]
    return TaskResult(**raw)


def format_value(metric: Metric) -> str:
    """A figure as printed in tables: shares with three decimals, others with their unit."""
    if metric.unit:
        digits = 0 if abs(metric.value) >= 100 else 2
        return f"{metric.value:,.{digits}f} {metric.unit}"
    return f"{metric.value:.3f}"


def print_result(result: TaskResult, stream: Any = sys.stdout) -> None:
    """Print the figures of one task as an aligned plain-text table."""
    print(f"{result.title} — {result.data}", file=stream)
    width = max((len(m.name) for m in result.metrics), default=10)
    for m in result.metrics:
        target = ""
        if m.target is not None:
            mark = "met" if m.met else "NOT met"
            sign = "≥" if m.higher_is_better else "≤"
            target = f"  target {sign} {m.target:g} ({mark})"
        n = f"  n={m.n}" if m.n is not None else ""
        print(f"  {m.name:<{width}}  {format_value(m):>12}{n}{target}", file=stream)
    for miss in result.misses:
        print(f"  miss: {miss.name}: {miss.count}", file=stream)
    print(f"  ({result.seconds:.1f} s)", file=stream)
