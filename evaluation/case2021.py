"""Event typing on CASE 2021 task 2: ACLED sub-event types of 1,019 short news snippets.

CASE 2021 task 2 (Haneczok et al., 2021) labels each snippet with one ACLED sub-event type (or a
non-ACLED type: disasters, crime, diplomacy). The snippets come from many wars (Syria, Somalia,
Nigeria, Afghanistan, Kashmir, Yemen ...), some with invented place names. How each figure is
derived, stated here and in ``docs/evaluation.md``:

- **Conflict subset.** ACLED's "Battles" (ARMED_CLASH, GOV_REGAINS_TERIT,
  NON_STATE_ACTOR_OVERTAKES_TER) and "Explosions/Remote violence" (AIR_STRIKE, ART_MISS_ATTACK,
  REM_EXPLOS, GRENADE, SUIC_BOMB, CHEM_WEAP) are the fighting the tool is built for; the strategic
  developments NON_VIOL_TERRIT_TRANSFER, DISR_WEAP and HQ_ESTABLISHED are about territory,
  weapons and bases; ATTACK (armed groups' violence against civilians) is where war reporting's
  civilian casualties go. Protests, riots, arrests, agreements, abductions, sexual violence,
  property destruction and the non-ACLED types are not conflict events of the claim ontology.
- **Mapping** (``case2021_mapping.yaml``, data, not code): the tool's event type, weapon and
  acting side (government ``GOV`` vs non-state ``NSA``, read with the bundled ``generic``
  profile) to a CASE label. Six subset labels have no counterpart in the ontology (REM_EXPLOS,
  GRENADE, SUIC_BOMB, CHEM_WEAP, DISR_WEAP, HQ_ESTABLISHED): the mapping never produces them.
- **Prediction.** The tool's event mentions (:func:`fogofwar.claims.event_mentions`: the trigger
  lexicon and its typing rules, without the claim stage's need for a source and a named side);
  the snippet's label is that of its main event: the first asserted mention of the highest
  precedence tier (territory, then attacks and fighting, then casualties), ``NONE`` without one.
- **Target figure.** Macro-F1 over the seven *covered* labels, on the conflict-subset snippets
  (all of them: a grenade attack typed ATTACK is a false positive of ATTACK). Macro-F1 over all
  thirteen subset labels is reported too; it also measures the ontology's scope, since the six
  uncovered labels can only score 0.
- **False alarms.** On the non-conflict snippets, the share given a conflict label.
- **No tuning on the evaluation.** Snippets with even ids are the development half (read while
  improving the lexicon; miss examples come only from it), odd ids the held-out half (never
  read); figures are given for both halves and the whole.

Run: ``python -m evaluation.case2021 ../shared/eval/case2021_task2 --results build/evaluation``
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from evaluation.metrics import accuracy, confusion_matrix, macro_f1, per_label_prf, ratio
from evaluation.results import (
    Metric,
    MissCategory,
    TaskResult,
    print_result,
    save,
    task_parser,
)

TSV_NAME = "test_set_final_release_with_labels.tsv"
MAPPING_FILE = Path(__file__).with_name("case2021_mapping.yaml")
COLUMNS = ("id", "EventSnippet", "SubType")
NONE = "NONE"  # no event with a CASE counterpart
TARGET = 0.70
ANCHOR = (
    "best shared-task systems, trained on ACLED, all labels: weighted F1 0.839 / 0.797 / 0.771 "
    "on subtasks 1 / 2 / 3 (Haneczok et al., 2021); a different figure, for scale only"
)
PROFILE = "generic"
TERRITORY = {"GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER", "NON_VIOL_TERRIT_TRANSFER"}
STRIKES = {"AIR_STRIKE", "ART_MISS_ATTACK"}
EXAMPLES = 4
EXPLANATIONS = {
    "false alarm on a non-conflict snippet": "mostly real events under another heading: attacks "
    "whose attribution CASE labels (ATTRIB), fighting an agreement ends, surrenders, clashes "
    "of villagers or gangs, crime",
    "no counterpart in the ontology, typed as a covered label": "an IED, grenade, suicide or "
    "chemical attack whose means the text names away from the trigger, or the casualties it "
    "caused",
    "territory change vs fighting or strike": "a place held ('in control of') or taken in one "
    "clause and fought over in another; ACLED codes one of them",
    "strike vs ground fighting": "the weapon is named in another clause than the attack, or "
    "the parse attaches it elsewhere",
    "fighting vs one-sided attack on civilians": "whether the target was armed is not in the "
    "snippet or not in the tool's word lists",
    "weapon: air strike vs artillery/missile": "missiles fired from jets (ACLED: air strike) or "
    "a missile class for a rocket",
    "who took the territory: government vs non-state": "a force the generic profile does not "
    "know (Haftar's forces, Kurdish units), or ACLED's own reading of who is a government",
    "no event found": "wording outside the lexicon, or 'began leaving' read as prospective",
    "other confusion": "",
}


class DataError(Exception):
    """The data folder is missing or not what the script expects."""


class MentionLike(Protocol):
    """What the mapping reads of an event mention (:class:`fogofwar.claims.EventMention`)."""

    event: str
    weapon: str | None
    actor_side: str
    agent_side: str
    target_side: str
    polarity: str
    modality: str
    text: str


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """One labelled snippet."""

    id: int
    text: str
    label: str

    @property
    def half(self) -> str:
        """``dev`` for even ids (read while improving the tool), ``held-out`` for odd ids."""
        return "dev" if self.id % 2 == 0 else "held-out"


def parse_tsv(lines: Iterable[str], origin: str = "<tsv>") -> list[Snippet]:
    """Snippets from the task's TSV lines (header ``id, EventSnippet, SubType``). Quotes are
    ordinary characters in this file (``QUOTE_NONE``): a snippet may start with one."""
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header[:3]) != COLUMNS:
        raise DataError(f"{origin}: expected the columns {', '.join(COLUMNS)}, got {header}")
    snippets = []
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 3 or not row[0].strip().isdigit():
            raise DataError(f"{origin}:{number}: expected id, snippet and label, got {row[:3]}")
        snippets.append(Snippet(int(row[0]), row[1].strip(), row[2].strip()))
    return snippets


def read_snippets(path: Path) -> list[Snippet]:
    """The labelled snippets of the task folder (or of the TSV file itself)."""
    tsv = path / TSV_NAME if path.is_dir() else path
    if not tsv.is_file():
        raise DataError(f"{tsv}: not found (expected the case2021_task2 folder or its {TSV_NAME})")
    with tsv.open(encoding="utf-8", newline="") as handle:
        return parse_tsv(handle, str(tsv))


# --------------------------------------------------------------------------------------------
# Mapping
# --------------------------------------------------------------------------------------------


MENTION_CONDITIONS = ("weapon", "actor_side", "agent_side", "target_side")
SNIPPET_CONDITIONS = ("victims", "with_events", "without_events")
CONDITIONS = (*MENTION_CONDITIONS, *SNIPPET_CONDITIONS)


@dataclass(frozen=True)
class Context:
    """What the snippet around a mention says: the sides of its casualties and its event types
    (asserted mentions only)."""

    victims: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()

    @classmethod
    def of(cls, mentions: Sequence[MentionLike]) -> Context:
        asserted = [m for m in mentions if m.polarity == "asserted"]
        return cls(
            victims=frozenset(m.actor_side for m in asserted if m.event == "CASUALTIES"),
            events=frozenset(m.event for m in asserted),
        )


@dataclass(frozen=True)
class Rule:
    """One line of the mapping: conditions on a mention and its snippet, and the CASE label.

    ``conditions`` maps a mention field (``weapon``, ``actor_side``, ``agent_side``,
    ``target_side``) to the values it may take, or names a condition on the snippet:
    ``victims`` (the sides of all its casualties are among the values; none at all passes),
    ``with_events`` (the snippet also mentions one of these types), ``without_events`` (it
    mentions none of these)."""

    event: str
    label: str | None
    conditions: tuple[tuple[str, frozenset[str | None]], ...] = ()

    def matches(self, mention: MentionLike, context: Context = Context()) -> bool:
        if mention.event != self.event:
            return False
        return all(holds(name, allowed, mention, context) for name, allowed in self.conditions)


def holds(
    name: str, allowed: frozenset[str | None], mention: MentionLike, context: Context
) -> bool:
    """Whether one condition of a rule holds for a mention in its snippet."""
    if name == "victims":
        return context.victims <= allowed
    if name == "with_events":
        return bool(context.events & allowed)
    if name == "without_events":
        return not context.events & allowed
    return getattr(mention, name) in allowed


@dataclass(frozen=True)
class Mapping:
    """The conflict subset, the precedence of event types and the mapping rules."""

    covered: dict[str, str]
    uncovered: dict[str, str]
    precedence: tuple[tuple[str, ...], ...]
    rules: tuple[Rule, ...]

    @property
    def subset(self) -> tuple[str, ...]:
        return (*self.covered, *self.uncovered)

    def label(self, mention: MentionLike, context: Context = Context()) -> str | None:
        """The CASE label of one mention in its snippet (None: no counterpart)."""
        return next((r.label for r in self.rules if r.matches(mention, context)), None)

    def tier(self, event: str) -> int:
        return next((i for i, tier in enumerate(self.precedence) if event in tier), 99)

    def main_mention(self, mentions: Sequence[MentionLike]) -> MentionLike | None:
        """The first asserted, not prospective mention with a CASE label, of the highest
        precedence tier."""
        context = Context.of(mentions)
        usable = [
            m
            for m in mentions
            if m.polarity == "asserted"
            and m.modality != "prospective"
            and self.label(m, context) is not None
        ]
        if not usable:
            return None
        best = min(self.tier(m.event) for m in usable)
        return next(m for m in usable if self.tier(m.event) == best)

    def classify(self, mentions: Sequence[MentionLike]) -> str:
        """The CASE label of a snippet from its event mentions (``NONE`` without one)."""
        main = self.main_mention(mentions)
        label = self.label(main, Context.of(mentions)) if main is not None else None
        return label or NONE


def load_mapping(path: Path = MAPPING_FILE) -> Mapping:
    """The mapping file (``case2021_mapping.yaml``)."""
    return mapping_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def mapping_from_dict(raw: dict[str, Any]) -> Mapping:
    """A mapping from its parsed YAML; rules may only produce covered labels."""
    subset = raw["conflict_subset"]
    covered = {str(k): str(v) for k, v in subset["covered"].items()}
    uncovered = {str(k): str(v) for k, v in (subset.get("uncovered") or {}).items()}
    rules = []
    for item in raw["rules"]:
        label = item.get("label")
        if label is not None and label not in covered:
            raise ValueError(f"mapping rule {item} gives {label!r}, not a covered label")
        unknown = set(item) - {"event", "label", *CONDITIONS}
        if unknown:
            raise ValueError(f"mapping rule {item} has unknown conditions {sorted(unknown)}")
        conditions = tuple(
            (name, frozenset(item[name])) for name in CONDITIONS if item.get(name) is not None
        )
        rules.append(Rule(event=str(item["event"]), label=label, conditions=conditions))
    precedence = tuple(tuple(str(e) for e in tier) for tier in raw.get("precedence", []))
    return Mapping(covered, uncovered, precedence, tuple(rules))


# --------------------------------------------------------------------------------------------
# Prediction
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One snippet, the label predicted for it and the mention it came from."""

    snippet: Snippet
    predicted: str
    trigger: str | None
    mentions: int  # event mentions of any type found

    @property
    def gold(self) -> str:
        return self.snippet.label


def predict(snippets: Sequence[Snippet], mapping: Mapping) -> list[Outcome]:
    """Every snippet through spaCy and the event typing of :mod:`fogofwar.claims`."""
    from fogofwar.claims import event_mentions
    from fogofwar.nlp import get_nlp

    nlp = get_nlp()
    outcomes = []
    docs = nlp.pipe((s.text for s in snippets), batch_size=32)
    for snippet, doc in zip(snippets, docs, strict=True):
        mentions = event_mentions(doc, PROFILE)
        main = mapping.main_mention(mentions)
        outcomes.append(
            Outcome(
                snippet=snippet,
                predicted=mapping.classify(mentions),
                trigger=main.text if main is not None else None,
                mentions=len(mentions),
            )
        )
    return outcomes


# --------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------


def in_subset(outcomes: Iterable[Outcome], labels: Iterable[str]) -> list[Outcome]:
    """The outcomes whose gold label is one of ``labels``."""
    wanted = set(labels)
    return [o for o in outcomes if o.gold in wanted]


def subset_macro_f1(outcomes: Sequence[Outcome], labels: Sequence[str]) -> float:
    gold = [o.gold for o in outcomes]
    pred = [o.predicted for o in outcomes]
    return macro_f1(gold, pred, labels)


def score(outcomes: Sequence[Outcome], mapping: Mapping) -> TaskResult:
    """Figures, tables and misses of one run."""
    conflict = in_subset(outcomes, mapping.subset)
    others = [o for o in outcomes if o.gold not in set(mapping.subset)]
    covered = list(mapping.covered)
    halves = {h: [o for o in conflict if o.snippet.half == h] for h in ("dev", "held-out")}
    alarms = [o for o in others if o.predicted != NONE]
    metrics = [
        Metric("macro-F1, covered labels", subset_macro_f1(conflict, covered), len(conflict),
               target=TARGET, anchor=ANCHOR),
        Metric("macro-F1, covered labels, dev half (even ids)",
               subset_macro_f1(halves["dev"], covered), len(halves["dev"])),
        Metric("macro-F1, covered labels, held-out half (odd ids)",
               subset_macro_f1(halves["held-out"], covered), len(halves["held-out"])),
        Metric("macro-F1, covered labels, all snippets",
               subset_macro_f1(outcomes, covered), len(outcomes)),
        Metric("macro-F1, all conflict-subset labels", subset_macro_f1(conflict, mapping.subset),
               len(conflict)),
        Metric("macro-F1, all subset labels, dev half",
               subset_macro_f1(halves["dev"], mapping.subset), len(halves["dev"])),
        Metric("macro-F1, all subset labels, held-out half",
               subset_macro_f1(halves["held-out"], mapping.subset), len(halves["held-out"])),
        Metric("accuracy, conflict subset", accuracy((o.gold, o.predicted) for o in conflict),
               len(conflict)),
        Metric("accuracy, covered-label snippets",
               accuracy((o.gold, o.predicted) for o in in_subset(conflict, covered)),
               len(in_subset(conflict, covered))),
        Metric("false alarms on non-conflict snippets", ratio(len(alarms), len(others)),
               len(others), higher_is_better=False),
    ]  # fmt: skip
    return TaskResult(
        task="case2021",
        title="Event types on CASE 2021 task 2 (ACLED sub-event types)",
        data=f"CASE 2021 task 2 test set with labels: {len(outcomes)} snippets, "
        f"{len(conflict)} in the conflict subset ({len(halves['dev'])} dev / "
        f"{len(halves['held-out'])} held-out), {len(others)} others",
        metrics=metrics,
        sections=[
            subset_section(mapping, conflict),
            method_section(mapping),
            label_table(conflict, mapping, halves),
            non_conflict_section(others),
        ],
        misses=misses(conflict, alarms, mapping),
    )


def label_table(
    conflict: Sequence[Outcome], mapping: Mapping, halves: dict[str, list[Outcome]]
) -> str:
    """Markdown: per-label precision, recall and F1 on the conflict subset."""
    gold = [o.gold for o in conflict]
    pred = [o.predicted for o in conflict]
    whole = per_label_prf(gold, pred, mapping.subset)
    by_half = {
        h: per_label_prf([o.gold for o in os], [o.predicted for o in os], mapping.subset)
        for h, os in halves.items()
    }
    counts = Counter(gold)
    rows = [
        "### Per label (conflict subset)",
        "",
        "| label | covered | n | predicted | precision | recall | F1 | F1 dev | F1 held-out |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in mapping.subset:
        s = whole[label]
        rows.append(
            f"| {label} | {'yes' if label in mapping.covered else 'no'} | {counts[label]} "
            f"| {s.tp + s.fp} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
            f"| {by_half['dev'][label].f1:.3f} | {by_half['held-out'][label].f1:.3f} |"
        )
    none = sum(p == NONE for p in pred)
    rows += ["", f"Snippets of the subset given no label (`{NONE}`): {none} of {len(pred)}."]
    return "\n".join(rows)


def subset_section(mapping: Mapping, conflict: Sequence[Outcome]) -> str:
    """Markdown: which labels are in the subset and how they map."""
    counts = Counter(o.gold for o in conflict)
    rows = [
        "### Conflict subset and mapping",
        "",
        "The subset is ACLED's *Battles* and *Explosions/Remote violence*, the strategic "
        "developments about territory, weapons and bases, and *Attack* (armed groups' violence "
        "against civilians). Protests, riots, arrests, agreements, abductions, sexual violence, "
        "property destruction and the non-ACLED types are no events of the claim ontology.",
        "",
        "| CASE label | n | from fogofwar |",
        "|---|---:|---|",
    ]
    rows += [f"| {k} | {counts[k]} | {v} |" for k, v in mapping.covered.items()]
    rows += [f"| {k} | {counts[k]} | *no counterpart*: {v} |" for k, v in mapping.uncovered.items()]
    rows += [
        "",
        "The target (macro-F1 ≥ 0.70) is compared with the macro-F1 over the covered labels: the "
        "uncovered ones measure the ontology's scope, not the extraction. Their snippets stay in "
        "the evaluation, so a covered label predicted for them is a false positive.",
    ]
    return "\n".join(rows)


def method_section(mapping: Mapping) -> str:
    """Markdown: how one snippet is classified."""
    tiers = " > ".join("/".join(t) for t in mapping.precedence)
    return "\n".join(
        [
            "### How a snippet is classified",
            "",
            "`fogofwar.claims.event_mentions(doc, profile='generic')` gives every event the "
            "trigger lexicon finds, typed with its weapon and, where the text says, the acting "
            "side: government forces (GOV) or non-state armed groups (NSA), by the bundled "
            "`generic` profile. Unlike claims, mentions need neither a source nor a named side. "
            "The snippet takes the label of its main event: the first asserted mention of the "
            f"highest tier ({tiers}), mapped by `evaluation/case2021_mapping.yaml`; "
            f"`{NONE}` when no mention maps to a label. Development half: even ids; held-out "
            "half: odd ids, never read while improving the lexicon.",
        ]
    )


def non_conflict_section(others: Sequence[Outcome]) -> str:
    """Markdown: what the tool says about snippets outside the subset."""
    counts = Counter(o.gold for o in others)
    alarms = Counter(o.gold for o in others if o.predicted != NONE)
    any_event = Counter(o.gold for o in others if o.mentions)
    rows = [
        "### Non-conflict snippets",
        "",
        "A false alarm is a non-conflict snippet given a conflict label. *Any event* counts the "
        "snippets with at least one event mention of any type (also those whose mentions map to "
        "no label, e.g. a denied or a REINFORCEMENT event). Most false alarms are real events "
        'under another CASE heading: ATTRIB snippets ("claimed responsibility for the '
        'attack", "accused X of bombing") report the attack they attribute, agreements and '
        "group changes mention the fighting they end or follow, and surrenders are CASUALTIES "
        "in the ontology.",
        "",
        "| CASE label | n | false alarms | share | any event |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, n in sorted(counts.items(), key=lambda kv: (-alarms[kv[0]] / kv[1], kv[0])):
        rows.append(
            f"| {label} | {n} | {alarms[label]} | {ratio(alarms[label], n):.2f} "
            f"| {any_event[label]} |"
        )
    return "\n".join(rows)


def miss_category(outcome: Outcome, mapping: Mapping) -> str:
    """What kind of error a wrong label on a conflict-subset snippet is."""
    gold, pred = outcome.gold, outcome.predicted
    if gold in mapping.uncovered:
        return "no counterpart in the ontology, typed as a covered label"
    if pred == NONE:
        return "no event found"
    if gold in STRIKES and pred in STRIKES:
        return "weapon: air strike vs artillery/missile"
    if {gold, pred} == {"GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER"}:
        return "who took the territory: government vs non-state"
    if (gold in TERRITORY) != (pred in TERRITORY):
        return "territory change vs fighting or strike"
    if {gold, pred} == {"ARMED_CLASH", "ATTACK"}:
        return "fighting vs one-sided attack on civilians"
    if gold in STRIKES or pred in STRIKES:
        return "strike vs ground fighting"
    return "other confusion"


def misses(
    conflict: Sequence[Outcome], alarms: Sequence[Outcome], mapping: Mapping
) -> list[MissCategory]:
    """Errors by category (counted on all snippets; examples from the development half only)."""
    groups: dict[str, list[Outcome]] = {}
    for o in conflict:
        if o.predicted == o.gold or (o.gold in mapping.uncovered and o.predicted == NONE):
            continue
        groups.setdefault(miss_category(o, mapping), []).append(o)
    if alarms:
        groups["false alarm on a non-conflict snippet"] = list(alarms)
    return [
        MissCategory(
            name,
            len(found),
            [example(o) for o in found if o.snippet.half == "dev"][:EXAMPLES],
            EXPLANATIONS.get(name, ""),
        )
        for name, found in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    ]


def example(outcome: Outcome, width: int = 110) -> str:
    text = " ".join(outcome.snippet.text.split())
    short = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    via = f" via “{outcome.trigger}”" if outcome.trigger else ""
    return f"#{outcome.snippet.id} {short} (gold {outcome.gold}, got {outcome.predicted}{via})"


# --------------------------------------------------------------------------------------------
# Plot and command line
# --------------------------------------------------------------------------------------------


def plot(outcomes: Sequence[Outcome], mapping: Mapping, path: Path) -> None:
    """Confusion matrix of the conflict subset (gold rows, predicted columns), and a last row
    for all non-conflict snippets (what the tool called them)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    conflict = in_subset(outcomes, mapping.subset)
    others = [o for o in outcomes if o.gold not in set(mapping.subset)]
    rows = list(mapping.subset)
    columns = [*mapping.covered, NONE]
    labels = list(dict.fromkeys([*rows, *columns]))
    full = confusion_matrix([o.gold for o in conflict], [o.predicted for o in conflict], labels)
    matrix = [[full[labels.index(r)][labels.index(c)] for c in columns] for r in rows]
    predicted_others = Counter(o.predicted for o in others)
    matrix.append([predicted_others[c] for c in columns])
    row_names = [*(short_label(r) for r in rows), f"non-conflict ({len(others)})"]
    peak = max((v for row in matrix[:-1] for v in row), default=1) or 1
    fig, ax = plt.subplots(figsize=(8, 6.5))
    ax.imshow(matrix, cmap="Blues", aspect="auto", vmin=0, vmax=peak)  # the subset sets the scale
    ax.set_xticks(range(len(columns)), [short_label(c) for c in columns], rotation=45, ha="right")
    ax.set_yticks(range(len(row_names)), row_names)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                colour = "white" if value > peak / 2 else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color=colour)
    ax.axhline(len(mapping.covered) - 0.5, color="grey", linewidth=0.8)
    ax.axhline(len(rows) - 0.5, color="black", linewidth=1.2)
    ax.set_xlabel("predicted (fogofwar event type, mapped)")
    ax.set_ylabel("CASE 2021 gold label (below the grey line: no counterpart)")
    ax.set_title("CASE 2021 task 2: conflict subset, and what the rest was called")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def short_label(label: str) -> str:
    return {
        "NON_STATE_ACTOR_OVERTAKES_TER": "NON_STATE_OVERTAKES",
        "NON_VIOL_TERRIT_TRANSFER": "NON_VIOL_TRANSFER",
    }.get(label, label)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = task_parser(
        "case2021",
        "Event types of CASE 2021 task 2 snippets (ACLED sub-event types), conflict subset.",
        data_help="the case2021_task2 folder or its TSV",
        items="snippets",
        example_data="../shared/eval/case2021_task2",
    )
    parser.add_argument(
        "--show-dev-errors",
        action="store_true",
        help="print every wrong label of the development half (even ids) to stderr",
    )
    return parser.parse_args(argv)


def show_dev_errors(outcomes: Sequence[Outcome], mapping: Mapping) -> None:
    subset = set(mapping.subset)
    for o in outcomes:
        if o.snippet.half != "dev" or o.predicted == o.gold:
            continue
        if o.gold not in subset and o.predicted == NONE:
            continue
        if o.gold in mapping.uncovered and o.predicted == NONE:
            continue
        print(example(o, width=300), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        snippets = read_snippets(args.data)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.limit:
        snippets = snippets[: args.limit]
    mapping = load_mapping()
    outcomes = predict(snippets, mapping)
    if args.show_dev_errors:
        show_dev_errors(outcomes, mapping)
    result = score(outcomes, mapping)
    plot(outcomes, mapping, args.plots / "case2021.png")
    result.plots = ["img/case2021.png"]
    result.seconds = time.perf_counter() - started
    print_result(result)
    save(result, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
