"""Render the saved task results into ``docs/evaluation.md``.

``python -m evaluation.report build/evaluation --out docs/evaluation.md``. Every figure in the
document comes from the JSON files the task scripts wrote in the same ``make evaluate`` run;
the only hand-written text is ``evaluation/notes.md`` (what the figures mean and what is left
to do), appended as it is.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from evaluation.results import Metric, TaskResult, format_value, load

TASK_ORDER = ("polnear", "case2021", "ucdp_headlines", "geocoding", "speed")
NOTES = Path(__file__).with_name("notes.md")

HEADER = """\
# Evaluation against external data

How often is fogofwar right? Measured on data labelled by others (UCDP, CIR, CASE 2021,
PolNeAR; see `../shared/eval/README.md` for sources and licences), none of it copied into this
repository. Regenerate everything — this file, the JSON under `build/evaluation/` and the plots
under `docs/img/` — with:

    make evaluate DATA=../shared/eval

The figures below are the ones that run printed. Development figures on our own gold articles
are in [results.md](results.md).
"""


def _ordered(results: Sequence[TaskResult]) -> list[TaskResult]:
    rank = {task: i for i, task in enumerate(TASK_ORDER)}
    return sorted(results, key=lambda r: (rank.get(r.task, len(rank)), r.task))


def _target_cell(metric: Metric) -> str:
    if metric.target is None:
        return ""
    sign = "≥" if metric.higher_is_better else "≤"
    mark = "✅ met" if metric.met else "❌ not met"
    return f"{sign} {metric.target:g} — {mark}"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_table(results: Sequence[TaskResult]) -> str:
    """The headline figures: every metric that has a target or an outside anchor."""
    rows = [
        "| task | figure | value | n | target | compare with |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        for metric in result.metrics:
            if metric.target is None and not metric.anchor:
                continue
            rows.append(
                f"| {_escape(result.title)} | {_escape(metric.name)} | {format_value(metric)} "
                f"| {metric.n if metric.n is not None else ''} | {_target_cell(metric)} "
                f"| {_escape(metric.anchor or '')} |"
            )
    return "\n".join(rows) + "\n"


def task_section(result: TaskResult) -> str:
    """One task: data, all figures, extra tables, plots and misses by category."""
    lines = [f"## {result.title}", "", f"Data: {result.data}.", ""]
    lines += ["| figure | value | n | target | compare with |", "|---|---|---|---|---|"]
    for m in result.metrics:
        lines.append(
            f"| {_escape(m.name)} | {format_value(m)} | {m.n if m.n is not None else ''} "
            f"| {_target_cell(m)} | {_escape(m.anchor or '')} |"
        )
    lines.append("")
    for section in result.sections:
        lines += [section.rstrip(), ""]
    for plot in result.plots:
        lines += [f"![{result.title}]({plot})", ""]
    if result.misses:
        lines += ["Misses by category:", "", "| category | count | examples |", "|---|---|---|"]
        for miss in result.misses:
            examples = "<br>".join(_escape(e) for e in miss.examples[:3])
            explanation = f" — {_escape(miss.explanation)}" if miss.explanation else ""
            lines.append(f"| {_escape(miss.name)}{explanation} | {miss.count} | {examples} |")
        lines.append("")
    lines += [f"_Run time {result.seconds:.0f} s._", ""]
    return "\n".join(lines)


def run_line(results: Sequence[TaskResult]) -> str:
    """When and where the figures were measured (from the first result that says)."""
    for result in results:
        if result.run:
            run = result.run
            return (
                f"Measured {run.get('date', '?')} on {run.get('machine', '?')}, Python "
                f"{run.get('python', '?')}, spaCy {run.get('spacy', '?')}.\n"
            )
    return ""


def render(results: Sequence[TaskResult], notes: str | None = None) -> str:
    """The whole document."""
    ordered = _ordered(results)
    parts = [HEADER, run_line(ordered), "## Summary", "", summary_table(ordered)]
    parts += [task_section(r) for r in ordered]
    if notes:
        parts.append(notes.rstrip() + "\n")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.report",
        description="Write docs/evaluation.md from the results of the evaluation scripts.",
        epilog="example: python -m evaluation.report build/evaluation --out docs/evaluation.md",
    )
    parser.add_argument("results", type=Path, help="folder of <task>.json files")
    parser.add_argument("--out", type=Path, default=Path("docs/evaluation.md"))
    args = parser.parse_args(argv)
    files = sorted(args.results.glob("*.json"))
    if not files:
        print(f"error: {args.results}: no results (run the task scripts first)", file=sys.stderr)
        return 2
    results = [load(path) for path in files]
    notes = NOTES.read_text(encoding="utf-8") if NOTES.is_file() else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results, notes), encoding="utf-8")
    tasks = ", ".join(r.task for r in _ordered(results))
    print(f"wrote {args.out} ({len(results)} tasks: {tasks})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
