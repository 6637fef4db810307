"""Pure helpers of evaluation/speed.py (no PolNeAR data, no timing)."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from evaluation.speed import (
    Timing,
    best,
    count_words,
    from_triple,
    main,
    repeat_to_size,
    textacy_quotes,
    timed,
    words_per_second,
)


@dataclass(frozen=True)
class Item:
    text: str


def test_words_per_second():
    assert words_per_second(1000, 2.0) == 500.0
    assert words_per_second(1000, 0.0) == 0.0
    assert Timing("x", 3, 600, 1.5, 1.0).words_per_second == 400.0


def test_count_words_splits_on_whitespace():
    assert count_words("The bridge was hit\n\ntwice  overnight.") == 6
    assert count_words("") == 0


def test_repeat_to_size_cycles_until_the_size_is_reached():
    items = [Item("a" * 400_000), Item("b" * 300_000)]
    out = repeat_to_size(items, 1.0)
    assert [i.text[0] for i in out] == ["a", "b", "a"]  # 0.4 + 0.3 + 0.4 MB >= 1 MB
    assert repeat_to_size(items, 0.0001) == items[:1]  # at least one item
    assert repeat_to_size([], 1.0) == []
    assert len(repeat_to_size([1, 2], 0.000003, size=lambda _: 1)) == 3


def test_best_keeps_the_fastest_run():
    timing = best("spaCy", [(3.0, 2.5), (2.0, 1.9), (2.5, 2.4)], documents=4, words=1000)
    assert (timing.seconds, timing.cpu_seconds) == (2.0, 1.9)
    assert timing.words_per_second == 500.0


def test_timed_returns_the_result():
    wall, cpu, result = timed(lambda: sum(range(1000)))
    assert result == 499500
    assert wall >= 0 and cpu >= 0


@pytest.fixture(scope="module")
def nlp():
    from fogofwar.nlp import get_nlp

    return get_nlp()


def test_textacy_triple_becomes_a_prediction(nlp):
    text = "“We will hold the line near the river,” the commander said on Monday."
    preds, accepted = textacy_quotes(nlp(text))
    assert accepted
    assert len(preds) == 1
    pred = preds[0]
    assert pred.kind == "direct"
    assert text[pred.start : pred.end].startswith("“We will hold")
    assert pred.speaker and "commander" in pred.speaker
    assert pred.speaker_span and text[slice(*pred.speaker_span)].endswith("commander")
    assert pred.cue == "say"
    assert from_triple  # the converter is public for other evaluations


def test_textacy_refuses_an_odd_number_of_marks(nlp):
    preds, accepted = textacy_quotes(nlp("“We will hold the line,” he said. “And more"))
    assert preds == [] and not accepted


def test_wrong_data_path_is_a_clear_error(tmp_path: Path, capsys):
    assert main(["--polnear", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
