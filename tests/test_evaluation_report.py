"""docs/evaluation.md is rendered from saved results: figures, targets and misses appear as saved."""

from evaluation.report import main, render, summary_table
from evaluation.results import Metric, MissCategory, TaskResult, save


def toy_results() -> list[TaskResult]:
    return [
        TaskResult(
            task="speed", title="Speed", data="1 MB",
            metrics=[Metric("words/s", 8123.4, unit="words/s")],
        ),
        TaskResult(
            task="polnear", title="Quotes", data="PolNeAR test",
            metrics=[
                Metric("speaker accuracy", 0.8771, n=200, target=0.9, anchor="GGT 86.5 %"),
                Metric("span recall", 0.5),
            ],
            misses=[MissCategory("pronoun | wrong", 3, ["he said | x"])],
            plots=["img/polnear.png"],
            run={"date": "2026-11-25 10:00 UTC", "machine": "x86_64, 2 cores, Linux"},
        ),
    ]


def test_render_orders_tasks_and_shows_targets_and_misses():
    text = render(toy_results(), notes="## Notes\nhand-written")
    assert text.index("## Quotes") < text.index("## Speed")  # task order, not file order
    assert "| Quotes | speaker accuracy | 0.877 | 200 | ≥ 0.9 — ❌ not met | GGT 86.5 % |" in text
    assert "8,123 words/s" in text
    assert "pronoun \\| wrong" in text  # table cells are escaped
    assert "![Quotes](img/polnear.png)" in text
    assert "Measured 2026-11-25 10:00 UTC on x86_64, 2 cores, Linux" in text
    assert text.rstrip().endswith("hand-written")


def test_summary_lists_only_figures_with_a_target_or_anchor():
    table = summary_table(toy_results())
    assert "speaker accuracy" in table
    assert "span recall" not in table and "words/s" not in table


def test_main_writes_the_document_and_refuses_an_empty_folder(tmp_path, capsys):
    assert main([str(tmp_path), "--out", str(tmp_path / "out.md")]) == 2
    assert "no results" in capsys.readouterr().err
    for result in toy_results():
        save(result, tmp_path)
    assert main([str(tmp_path), "--out", str(tmp_path / "out.md")]) == 0
    assert "speaker accuracy" in (tmp_path / "out.md").read_text(encoding="utf-8")
