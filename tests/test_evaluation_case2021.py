"""The pure parts of evaluation/case2021.py on toy inputs: TSV parsing, the mapping, the main
event of a snippet, subset filtering, scores and miss categories (no data folder, no spaCy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from evaluation.case2021 import (
    NONE,
    Context,
    DataError,
    Outcome,
    Snippet,
    in_subset,
    load_mapping,
    main,
    mapping_from_dict,
    miss_category,
    parse_tsv,
    score,
    subset_macro_f1,
)


@dataclass(frozen=True)
class M:
    """A stand-in for fogofwar.claims.EventMention."""

    event: str
    weapon: str | None = None
    actor_side: str = "UNKNOWN"
    agent_side: str = "UNKNOWN"
    target_side: str = "UNKNOWN"
    polarity: str = "asserted"
    modality: str = "factual"
    text: str = "trigger"


TOY = {
    "conflict_subset": {
        "covered": {"AIR_STRIKE": "", "ART_MISS_ATTACK": "", "ARMED_CLASH": "", "ATTACK": "",
                    "GOV_REGAINS_TERIT": "", "NON_STATE_ACTOR_OVERTAKES_TER": "",
                    "NON_VIOL_TERRIT_TRANSFER": ""},
        "uncovered": {"REM_EXPLOS": "IEDs"},
    },
    "precedence": [["CAPTURE", "WITHDRAW"], ["AIR_STRIKE", "ASSAULT"], ["CASUALTIES"]],
    "rules": [
        {"event": "AIR_STRIKE", "weapon": ["missile"], "label": "ART_MISS_ATTACK"},
        {"event": "AIR_STRIKE", "label": "AIR_STRIKE"},
        {"event": "CAPTURE", "with_events": ["WITHDRAW"], "without_events": ["ASSAULT"],
         "label": "NON_VIOL_TERRIT_TRANSFER"},
        {"event": "CAPTURE", "actor_side": ["NSA"], "label": "NON_STATE_ACTOR_OVERTAKES_TER"},
        {"event": "CAPTURE", "label": "GOV_REGAINS_TERIT"},
        {"event": "WITHDRAW", "label": "NON_VIOL_TERRIT_TRANSFER"},
        {"event": "ASSAULT", "target_side": ["CIVILIAN"], "label": "ATTACK"},
        {"event": "ASSAULT", "actor_side": ["NSA"], "victims": ["CIVILIAN"], "label": "ATTACK"},
        {"event": "ASSAULT", "label": "ARMED_CLASH"},
        {"event": "CASUALTIES", "actor_side": ["CIVILIAN"], "agent_side": ["GOV", "NSA"],
         "label": "ATTACK"},
        {"event": "CASUALTIES", "label": None},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def toy():
    return mapping_from_dict(TOY)


# --- TSV ---------------------------------------------------------------------------------------


def test_parse_tsv_keeps_quotes_as_characters():
    lines = [
        "id\tEventSnippet\tSubType\n",
        '1\t"Rebels" took the town, a "senior official said\tNON_STATE_ACTOR_OVERTAKES_TER\n',
        "2\tAn earthquake struck.\tNATURAL_DISASTER\n",
        "\n",
    ]
    snippets = parse_tsv(lines)
    assert snippets[0] == Snippet(
        1, '"Rebels" took the town, a "senior official said', "NON_STATE_ACTOR_OVERTAKES_TER"
    )
    assert [s.id for s in snippets] == [1, 2]


def test_parse_tsv_refuses_other_columns():
    with pytest.raises(DataError, match="columns"):
        parse_tsv(["id\ttext\n", "1\tx\n"])
    with pytest.raises(DataError, match=":2:"):
        parse_tsv(["id\tEventSnippet\tSubType\n", "one\tx\tATTACK\n"])


def test_even_ids_are_the_development_half():
    assert Snippet(4, "", "ATTACK").half == "dev"
    assert Snippet(7, "", "ATTACK").half == "held-out"


def test_a_wrong_path_is_a_clear_error(tmp_path: Path, capsys):
    assert main([str(tmp_path / "missing")]) == 2
    assert "not found" in capsys.readouterr().err


# --- mapping -----------------------------------------------------------------------------------


def test_the_bundled_mapping_loads_and_only_maps_to_covered_labels():
    mapping = load_mapping()
    assert "ARMED_CLASH" in mapping.covered and "REM_EXPLOS" in mapping.uncovered
    assert {r.label for r in mapping.rules} - {None} <= set(mapping.covered)


def test_a_rule_may_not_map_to_an_uncovered_label():
    bad = {**TOY, "rules": [{"event": "ASSAULT", "label": "REM_EXPLOS"}]}
    with pytest.raises(ValueError, match="not a covered label"):
        mapping_from_dict(bad)
    with pytest.raises(ValueError, match="unknown conditions"):
        mapping_from_dict({**TOY, "rules": [{"event": "ASSAULT", "colour": ["red"]}]})


@pytest.mark.parametrize(
    ("mention", "label"),
    [
        (M("AIR_STRIKE", weapon="missile"), "ART_MISS_ATTACK"),
        (M("AIR_STRIKE", weapon="drone"), "AIR_STRIKE"),
        (M("CAPTURE", actor_side="NSA"), "NON_STATE_ACTOR_OVERTAKES_TER"),
        (M("CAPTURE", actor_side="GOV"), "GOV_REGAINS_TERIT"),
        (M("CAPTURE"), "GOV_REGAINS_TERIT"),
        (M("ASSAULT", target_side="CIVILIAN"), "ATTACK"),
        (M("ASSAULT", actor_side="GOV"), "ARMED_CLASH"),
        (M("CASUALTIES", actor_side="CIVILIAN", agent_side="NSA"), "ATTACK"),
        (M("CASUALTIES", actor_side="CIVILIAN"), None),
        (M("REINFORCEMENT"), None),
    ],
)
def test_mapping_rules(toy, mention, label):
    assert toy.label(mention) == label


def test_victims_condition_reads_the_whole_snippet(toy):
    attack = M("ASSAULT", actor_side="NSA")
    assert toy.classify([attack]) == "ATTACK"  # no casualties: nothing armed was hit
    assert toy.classify([attack, M("CASUALTIES", actor_side="CIVILIAN")]) == "ATTACK"
    assert toy.classify([attack, M("CASUALTIES", actor_side="GOV")]) == "ARMED_CLASH"
    assert Context.of([M("CASUALTIES", actor_side="GOV", polarity="denied")]).victims == set()


def test_a_capture_after_a_withdrawal_without_fighting_is_a_transfer(toy):
    capture, withdrawal = M("CAPTURE", actor_side="NSA"), M("WITHDRAW")
    assert toy.classify([capture, withdrawal]) == "NON_VIOL_TERRIT_TRANSFER"
    fought = [capture, withdrawal, M("ASSAULT")]
    assert toy.classify(fought) == "NON_STATE_ACTOR_OVERTAKES_TER"


def test_main_event_by_precedence_then_text_order(toy):
    strike, capture = M("AIR_STRIKE", weapon="drone"), M("CAPTURE", actor_side="NSA")
    withdrawal = M("WITHDRAW")
    assert toy.classify([strike, capture]) == "NON_STATE_ACTOR_OVERTAKES_TER"
    assert toy.classify([withdrawal, strike]) == "NON_VIOL_TERRIT_TRANSFER"
    assert toy.classify([M("ASSAULT"), strike]) == "ARMED_CLASH"


def test_denied_prospective_and_unmapped_mentions_do_not_count(toy):
    assert toy.classify([]) == NONE
    assert toy.classify([M("CASUALTIES")]) == NONE
    assert toy.classify([M("CAPTURE", polarity="denied")]) == NONE
    assert toy.classify([M("CAPTURE", modality="prospective"), M("ASSAULT")]) == "ARMED_CLASH"


# --- scores ------------------------------------------------------------------------------------


def outcome(i: int, gold: str, predicted: str) -> Outcome:
    return Outcome(Snippet(i, f"snippet {i}", gold), predicted, None, 1)


def test_subset_filtering_and_macro_f1():
    outcomes = [
        outcome(1, "AIR_STRIKE", "AIR_STRIKE"),
        outcome(2, "ARMED_CLASH", "AIR_STRIKE"),
        outcome(3, "PEACE_PROTEST", "ARMED_CLASH"),
        outcome(4, "REM_EXPLOS", NONE),
    ]
    conflict = in_subset(outcomes, ["AIR_STRIKE", "ARMED_CLASH", "REM_EXPLOS"])
    assert [o.snippet.id for o in conflict] == [1, 2, 4]
    # AIR_STRIKE: tp 1, fp 1 -> F1 2/3; ARMED_CLASH: fn 1 -> 0
    assert subset_macro_f1(conflict, ["AIR_STRIKE", "ARMED_CLASH"]) == pytest.approx(1 / 3)


def test_score_reports_both_macro_f1s_halves_and_false_alarms(toy):
    outcomes = [
        outcome(2, "AIR_STRIKE", "AIR_STRIKE"),
        outcome(3, "AIR_STRIKE", "AIR_STRIKE"),
        outcome(4, "REM_EXPLOS", "ARMED_CLASH"),
        outcome(5, "PEACE_PROTEST", "ARMED_CLASH"),
        outcome(6, "NATURAL_DISASTER", NONE),
    ]
    result = score(outcomes, toy)
    assert result.metric("macro-F1, covered labels").target == 0.70
    assert result.metric("false alarms on non-conflict snippets").value == pytest.approx(0.5)
    assert result.metric("macro-F1, covered labels, dev half (even ids)").n == 2
    covered = result.metric("macro-F1, covered labels").value
    assert result.metric("macro-F1, all conflict-subset labels").value < covered
    names = {m.name: m.count for m in result.misses}
    assert names["no counterpart in the ontology, typed as a covered label"] == 1
    assert names["false alarm on a non-conflict snippet"] == 1
    assert any("| AIR_STRIKE | yes | 2 |" in section for section in result.sections)


@pytest.mark.parametrize(
    ("gold", "predicted", "category"),
    [
        ("AIR_STRIKE", "ART_MISS_ATTACK", "weapon: air strike vs artillery/missile"),
        ("GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER",
         "who took the territory: government vs non-state"),
        ("GOV_REGAINS_TERIT", "ARMED_CLASH", "territory change vs fighting or strike"),
        ("ATTACK", "ARMED_CLASH", "fighting vs one-sided attack on civilians"),
        ("ARMED_CLASH", NONE, "no event found"),
        ("GRENADE", "ATTACK", "no counterpart in the ontology, typed as a covered label"),
    ],
)  # fmt: skip
def test_miss_categories(toy, gold, predicted, category):
    mapping = mapping_from_dict(
        {**TOY, "conflict_subset": {**TOY["conflict_subset"], "uncovered": {"GRENADE": ""}}}
    )
    assert miss_category(outcome(1, gold, predicted), mapping) == category
