"""Quote attribution on PolNeAR (Newell et al., LREC 2018): 2016 US election news with every
attribution annotated as source, cue and content spans.

``python -m evaluation.polnear PATH/TO/polnear [--split test|dev|both] [--results DIR]``

Definitions (the rules the figures follow):

* **Gold attributions** are the brat ``E`` lines of one annotation per article (articles that
  several annotators labelled for agreement checks: the annotator id first in alphabetical order).
  ``Content`` and ``Content2`` are the content, spans may be discontinuous (``start end;start
  end``); the ``Source`` may be shared with other attributions or missing
  (``Attribution-no-source``). ``Discard``/``Discuss`` notes are ignored.
* **Direct / indirect.** Quotation marks are paired on the article text paragraph by paragraph
  (“ opens, ” closes, a straight " alternates; a mark left open runs to the paragraph end). A gold
  attribution is **direct** when more than half of the letters and digits of its content lie
  inside quotation marks, else **indirect** (paraphrase, partial quotes inside paraphrase,
  beliefs and intentions).
* **Speech-verb subset.** PolNeAR also annotates thoughts and intentions ("are looking for
  ways", "hopes"), which fogofwar does not aim at. The subset keeps the attributions whose cue
  has a token whose lemma is one of fogofwar's speech verbs (``data/lexicon.yaml``) or that reads
  "according to"; recall is reported overall and on that subset.
* **Matching.** Predicted quotes are matched one-to-one to gold contents of the same kind by
  character overlap (greedy, largest overlap first). Recall = matched gold / gold. A predicted
  quote is a false positive only when it overlaps no gold content at all: a second fragment of an
  already matched quotation, or a partial quote inside a gold paraphrase (PolNeAR folds those
  into the paraphrase; fogofwar reports them as direct quotes), is neither right nor wrong and is
  counted separately. **Exact** = a matched pair covering the same letters and digits (ignoring
  quotation marks, punctuation and spaces) in at least 90 % of their union.
* **Speaker accuracy** over matched pairs whose gold attribution has a source: correct when our
  speaker mention (``speaker_span``) overlaps the gold source span, or when our resolved speaker
  name and the gold source text share a name token (a capitalised word that is not a title, a
  pronoun or a possessor: "Clinton's spokesman Brian Fallon" names Brian Fallon). A pronoun gold
  source ("he") has no name token, so it is correct only when our mention overlaps it; a
  relative pronoun ("an architect who said") also when our mention ends right before it (its
  antecedent). A quote without speaker is wrong. Gold sources and cues an annotator swapped
  (source "said", cue "Hester") are put back.
* **Cue accuracy** over matched pairs with a gold cue: our cue (a lemma, "according to", ":" or
  "-") equals the lemma or the word of a token of the gold cue span.
* **Source F1** (comparable to Citron's "source F1, overlap"): gold sources against our speaker
  mentions, matched one-to-one by overlap.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml

from evaluation.metrics import PRF, count_categories, match_one_to_one, overlap_length, overlaps
from evaluation.metrics import ratio as safe_ratio
from evaluation.results import (
    DEFAULT_PLOTS,
    DEFAULT_RESULTS,
    Metric,
    MissCategory,
    TaskResult,
    print_result,
    save,
)

Kind = Literal["direct", "indirect"]
KINDS: tuple[Kind, ...] = ("direct", "indirect")
SPLITS = ("test", "dev")
CharSpan = tuple[int, int]

TARGET_SPEAKER = 0.90
GGT_ANCHOR = "Gender Gap Tracker speaker accuracy 0.865 (Canadian news, own annotation)"
CITRON_ANCHOR = "BBC Citron source F1 0.82 exact / 0.85 overlap (PolNeAR test)"
EXACT_SHARE = 0.9
DEFAULT_PROFILE = "russia-ukraine"
RELATIVE_PRONOUNS = {"who", "which", "that"}
DASHES = "[‐‒–—―-]"
EXAMPLES_PER_MISS = 4

OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"
TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "dr", "president", "sen", "senator", "gov", "governor", "rep",
    "representative", "secretary", "gen", "general", "former", "vice", "speaker", "chairman",
    "chairwoman", "director", "the", "a", "an", "he", "she", "they", "we", "i", "it", "his", "her",
    "their", "our", "its", "but", "and", "in", "on", "at", "of", "for", "to", "by", "with",
    "according", "as", "when", "while", "after", "before", "then", "so", "jr", "sr",
}  # fmt: skip


# --- brat standoff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextBound:
    """A ``T`` line: a label over one or more character ranges."""

    id: str
    label: str
    spans: tuple[CharSpan, ...]
    text: str


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: its content, cue and source (each possibly empty)."""

    id: str
    content: tuple[CharSpan, ...]
    cue: tuple[CharSpan, ...] = ()
    source: tuple[CharSpan, ...] = ()
    content_text: str = ""
    cue_text: str = ""
    source_text: str = ""
    kind: Kind = "indirect"
    cue_lemmas: frozenset[str] = frozenset()  # lemmas and lowercase words of the cue tokens

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


SPEECH_VERB_FORM = re.compile(r"(?:said|says|say|told|tells|added|adds|asked|asks|wrote|writes)")
TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


def parse_text_bound(line: str) -> TextBound | None:
    """A ``T`` line, or None for anything else (continuation lines of texts with line breaks)."""
    match = TEXT_BOUND.match(line)
    if not match:
        return None
    spans = tuple((int(a), int(b)) for a, b in (part.split() for part in match.group(3).split(";")))
    return TextBound(match.group(1), match.group(2), spans, match.group(4))


def parse_brat(ann: str) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` file, in the order of their content."""
    bounds: dict[str, TextBound] = {}
    events: list[tuple[str, dict[str, list[str]]]] = []
    for line in ann.splitlines():
        if line.startswith("T"):
            bound = parse_text_bound(line)
            if bound is not None:
                bounds[bound.id] = bound
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            roles: dict[str, list[str]] = {}
            for argument in parts[1].split():
                role, _, target = argument.partition(":")
                roles.setdefault(re.sub(r"\d+$", "", role), []).append(target)
            events.append((parts[0], roles))
    out = []
    for event_id, roles in events:
        content = [bounds[t] for t in roles.get("Content", []) if t in bounds]
        if not content:
            continue
        cue = [bounds[t] for t in roles.get("Cue", []) if t in bounds]
        source = [bounds[t] for t in roles.get("Source", []) if t in bounds]
        if swapped(source, cue):
            source, cue = cue, source
        out.append(
            GoldAttribution(
                id=event_id,
                content=_spans(content),
                cue=_spans(cue),
                source=_spans(source),
                content_text=" ".join(b.text for b in content),
                cue_text=" ".join(b.text for b in cue),
                source_text=" ".join(b.text for b in source),
            )
        )
    return sorted(out, key=lambda a: (a.start, a.id))


def swapped(source: Sequence[TextBound], cue: Sequence[TextBound]) -> bool:
    """An annotation slip with source and cue exchanged ('Source "said", Cue "Hester"'): the
    source is a form of say/tell/add/ask/write and the cue starts with a capital letter."""
    source_text = " ".join(b.text for b in source)
    cue_text = " ".join(b.text for b in cue)
    return bool(SPEECH_VERB_FORM.fullmatch(source_text)) and cue_text[:1].isupper()


def _spans(bounds: Sequence[TextBound]) -> tuple[CharSpan, ...]:
    return tuple(sorted(span for bound in bounds for span in bound.spans))


# --- direct or indirect ---------------------------------------------------------------------------


def quotation_mask(text: str) -> list[bool]:
    """Which characters lie inside quotation marks (marks included), paragraph by paragraph."""
    mask = [False] * len(text)
    open_at: int | None = None
    straight_open = False
    for i, ch in enumerate(text):
        if ch == "\n":
            if open_at is not None:
                _fill(mask, open_at, i)
            open_at, straight_open = None, False
        elif ch in OPEN_MARKS and open_at is None:
            open_at = i
        elif ch in CLOSE_MARKS and open_at is not None:
            _fill(mask, open_at, i + 1)
            open_at, straight_open = None, False
        elif ch == '"':
            if straight_open and open_at is not None:
                _fill(mask, open_at, i + 1)
                open_at, straight_open = None, False
            elif open_at is None:
                open_at, straight_open = i, True
    if open_at is not None:
        _fill(mask, open_at, len(text))
    return mask


def _fill(mask: list[bool], start: int, end: int) -> None:
    for i in range(start, end):
        mask[i] = True


def quoted_share(spans: Iterable[CharSpan], text: str, mask: Sequence[bool]) -> float:
    """Share of the letters and digits of ``spans`` that lie inside quotation marks."""
    letters = [i for start, end in spans for i in range(start, end) if text[i].isalnum()]
    return safe_ratio(sum(mask[i] for i in letters), len(letters))


def classify(attribution: GoldAttribution, text: str, mask: Sequence[bool]) -> Kind:
    """``direct`` when most of the content's letters are quoted, else ``indirect``."""
    return "direct" if quoted_share(attribution.content, text, mask) > 0.5 else "indirect"


def classified(attributions: Iterable[GoldAttribution], text: str) -> list[GoldAttribution]:
    mask = quotation_mask(text)
    return [replace(a, kind=classify(a, text, mask)) for a in attributions]


@lru_cache(maxsize=1)
def speech_cues() -> frozenset[str]:
    """fogofwar's speech verbs (lemmas) and "according" (from "according to")."""
    raw = yaml.safe_load(
        resources.files("fogofwar").joinpath("data/lexicon.yaml").read_text("utf-8")
    )
    words = {w.split()[0] for w in raw.get("according_to", []) if w.startswith("according")}
    return frozenset(raw["speech_verbs"]) | words


def is_speech(attribution: GoldAttribution, cues: frozenset[str] | None = None) -> bool:
    """Does the gold cue hold one of the speech verbs?"""
    return bool(attribution.cue_lemmas & (cues if cues is not None else speech_cues()))


# --- predictions and scoring ----------------------------------------------------------------------


@dataclass(frozen=True)
class Predicted:
    """A quote from any extractor, reduced to what is scored."""

    start: int
    end: int
    kind: Kind
    speaker: str | None = None
    speaker_span: CharSpan | None = None
    cue: str | None = None
    text: str = ""


def from_quote(quote: object) -> Predicted:
    """A :class:`fogofwar.models.Quote` as a prediction."""
    span = quote.span  # type: ignore[attr-defined]
    speaker_span = quote.speaker_span  # type: ignore[attr-defined]
    speaker = quote.speaker  # type: ignore[attr-defined]
    return Predicted(
        start=span.start,
        end=span.end,
        kind=quote.kind,  # type: ignore[attr-defined]
        speaker=speaker.name if speaker is not None else None,
        speaker_span=(speaker_span.start, speaker_span.end) if speaker_span else None,
        cue=quote.cue,  # type: ignore[attr-defined]
        text=span.text,
    )


def content_overlap(gold: GoldAttribution, pred: Predicted) -> int:
    """Characters a prediction shares with a gold content (over all its pieces)."""
    return sum(overlap_length(span, (pred.start, pred.end)) for span in gold.content)


def name_tokens(text: str) -> set[str]:
    """Capitalised words of a phrase that can be part of a name (lowercased): no titles, no
    pronouns, no possessors ("Clinton's spokesman Brian Fallon" → {"brian", "fallon"})."""
    out = set()
    for match in re.finditer(r"[\w.’'-]+", text):
        word = match.group(0)
        if re.search(r"['’]s?$", word) and re.search(r"\w['’]s?$", word):
            continue  # a possessor names somebody else
        word = word.strip(".-’'")
        if word[:1].isupper() and len(word) > 1 and word.lower() not in TITLE_WORDS:
            out.add(word.lower())
    return out


def speaker_correct(gold: GoldAttribution, pred: Predicted) -> bool | None:
    """Is our speaker the gold source? None when the gold attribution has no source."""
    if not gold.source:
        return None
    if pred.speaker_span is not None and any(
        overlaps(pred.speaker_span, span) for span in gold.source
    ):
        return True
    if (
        pred.speaker_span is not None
        and gold.source_text.lower() in RELATIVE_PRONOUNS
        and 0 <= gold.source[0][0] - pred.speaker_span[1] <= 3
    ):
        return True  # "an architect who said": our mention is the antecedent of "who"
    if not pred.speaker:
        return False
    return bool(name_tokens(pred.speaker) & name_tokens(gold.source_text))


def cue_correct(gold: GoldAttribution, pred: Predicted) -> bool | None:
    """Is our cue the gold cue? None when the gold attribution has no cue."""
    if not gold.cue:
        return None
    if not pred.cue:
        return False
    cue = pred.cue.lower()
    if cue in gold.cue_lemmas:
        return True
    return " " in cue and cue in gold.cue_text.lower()


def exact_match(gold: GoldAttribution, pred: Predicted, text: str) -> bool:
    """Do the two spans cover (nearly) the same letters and digits?"""
    gold_chars = {i for s, e in gold.content for i in range(s, e) if text[i].isalnum()}
    pred_chars = {i for i in range(pred.start, pred.end) if text[i].isalnum()}
    union = gold_chars | pred_chars
    return bool(union) and len(gold_chars & pred_chars) >= EXACT_SHARE * len(union)


@dataclass
class Pair:
    """A gold attribution and the prediction matched to it."""

    gold: GoldAttribution
    pred: Predicted
    speaker: bool | None
    cue: bool | None
    exact: bool


@dataclass
class KindScore:
    """Matching of one kind (direct or indirect) in one article."""

    kind: Kind
    pairs: list[Pair] = field(default_factory=list)
    missed: list[GoldAttribution] = field(default_factory=list)
    spurious: list[Predicted] = field(default_factory=list)  # overlaps no gold content
    excused: list[Predicted] = field(default_factory=list)  # overlaps gold matched otherwise


def score_kind(
    kind: Kind, golds: Sequence[GoldAttribution], preds: Sequence[Predicted], text: str
) -> KindScore:
    """Match one kind's predictions to the gold of that kind and judge each pair."""
    same_gold = [g for g in golds if g.kind == kind]
    same_pred = [p for p in preds if p.kind == kind]
    pairs = match_one_to_one(same_gold, same_pred, content_overlap)
    score = KindScore(kind)
    matched_gold = {gi for gi, _ in pairs}
    matched_pred = {pi for _, pi in pairs}
    for gi, pi in pairs:
        gold, pred = same_gold[gi], same_pred[pi]
        score.pairs.append(
            Pair(
                gold,
                pred,
                speaker_correct(gold, pred),
                cue_correct(gold, pred),
                exact_match(gold, pred, text),
            )
        )
    score.missed = [g for gi, g in enumerate(same_gold) if gi not in matched_gold]
    for pi, pred in enumerate(same_pred):
        if pi in matched_pred:
            continue
        if any(content_overlap(g, pred) for g in golds):
            score.excused.append(pred)
        else:
            score.spurious.append(pred)
    return score


def source_prf(golds: Sequence[GoldAttribution], preds: Sequence[Predicted]) -> PRF:
    """Gold source spans against our speaker mentions, one-to-one by overlap."""
    sources = sorted({span for g in golds for span in g.source})
    mentions = sorted({p.speaker_span for p in preds if p.speaker_span is not None})
    pairs = match_one_to_one(sources, mentions, overlap_length)
    return PRF(len(pairs), len(mentions) - len(pairs), len(sources) - len(pairs))


# --- data -----------------------------------------------------------------------------------------


@dataclass
class Article:
    """One PolNeAR article with the attributions of one annotator."""

    name: str
    text: str
    published: str | None
    annotator: str
    attributions: list[GoldAttribution]


class DataError(Exception):
    """The PolNeAR folder is missing or incomplete."""


def split_dir(root: Path, split: str) -> Path:
    directory = root / "data" / split
    if not (directory / "text").is_dir() or not (directory / "attributions").is_dir():
        raise DataError(
            f"{root}: no PolNeAR {split} split (expected {directory}/text and "
            f"{directory}/attributions; pass the folder that holds README.md and data/)"
        )
    return directory


def load_split(root: Path, split: str, limit: int | None = None) -> list[Article]:
    """The articles of one split, each with its first annotator's attributions."""
    directory = split_dir(root, split)
    annotations: dict[str, list[Path]] = {}
    for path in sorted((directory / "attributions").glob("*.ann")):
        name = path.stem.rpartition("_")[0]
        annotations.setdefault(name, []).append(path)
    articles = []
    for text_path in sorted((directory / "text").glob("*.txt")):
        paths = annotations.get(text_path.stem)
        if not paths:
            continue
        ann = paths[0]
        text = text_path.read_text(encoding="utf-8")
        gold = classified(parse_brat(ann.read_text(encoding="utf-8")), text)
        articles.append(
            Article(
                name=text_path.stem,
                text=text,
                published=_date_in_name(text_path.stem),
                annotator=ann.stem.rpartition("_")[2],
                attributions=gold,
            )
        )
        if limit is not None and len(articles) >= limit:
            break
    if not articles:
        raise DataError(f"{directory}: no annotated articles")
    return articles


def _date_in_name(name: str) -> str | None:
    match = re.search(r"_(\d{4}-\d{2}-\d{2})_", name)
    return match.group(1) if match else None


def with_cue_lemmas(attributions: Iterable[GoldAttribution], doc: object) -> list[GoldAttribution]:
    """Fill ``cue_lemmas`` from the parsed article (lemmas and words of the cue tokens)."""
    out = []
    for gold in attributions:
        words: set[str] = set()
        for start, end in gold.cue:
            span = doc.char_span(start, end, alignment_mode="expand")  # type: ignore[attr-defined]
            for token in span if span is not None else ():
                words.update({token.lemma_.lower(), token.lower_})
        words.update(w.lower() for w in re.findall(r"[\w-]+|:", gold.cue_text))
        if re.search(DASHES, gold.cue_text):
            words.add("-")  # any dash ("―", "—", "–") is the cue fogofwar calls "-"
        out.append(replace(gold, cue_lemmas=frozenset(words)))
    return out


# --- running fogofwar -----------------------------------------------------------------------------


@dataclass
class ArticleRun:
    """An article, its gold (with cue lemmas) and our predictions."""

    article: Article
    gold: list[GoldAttribution]
    preds: list[Predicted]


def run_fogofwar(articles: Sequence[Article], profile: str = DEFAULT_PROFILE) -> list[ArticleRun]:
    """Analyse the articles (one spaCy pass) and keep the quotes as predictions."""
    from fogofwar.pipeline import Analyzer, Document

    analyzer = Analyzer(profile)
    pairs = ((a.text, a) for a in articles)
    runs = []
    for doc, article in analyzer.nlp.pipe(pairs, as_tuples=True, batch_size=8):
        analysis = analyzer.analyze_doc(doc, Document(article.text, published=article.published))
        runs.append(
            ArticleRun(
                article,
                with_cue_lemmas(article.attributions, doc),
                [from_quote(q) for q in analysis.quotes],
            )
        )
    return runs


# --- aggregation ----------------------------------------------------------------------------------


@dataclass
class KindTotals:
    """One kind over a split."""

    kind: Kind
    gold: int = 0
    gold_speech: int = 0
    matched_speech: int = 0
    pairs: list[tuple[str, Pair]] = field(default_factory=list)  # (article name, pair)
    missed: list[tuple[str, GoldAttribution]] = field(default_factory=list)
    spurious: list[tuple[str, Predicted]] = field(default_factory=list)
    excused: int = 0
    other_kind: set[tuple[str, str]] = field(default_factory=set)  # missed, found as other kind

    @property
    def prf(self) -> PRF:
        return PRF(len(self.pairs), len(self.spurious), len(self.missed))

    def share(self, attribute: str) -> tuple[float, int]:
        judged = [getattr(p, attribute) for _, p in self.pairs if getattr(p, attribute) is not None]
        return safe_ratio(sum(judged), len(judged)), len(judged)

    @property
    def speech_recall(self) -> float:
        return safe_ratio(self.matched_speech, self.gold_speech)


@dataclass
class SplitScore:
    split: str
    articles: int
    kinds: dict[str, KindTotals]
    source: PRF
    texts: dict[str, str]  # article name -> text, for examples


def score_runs(split: str, runs: Sequence[ArticleRun]) -> SplitScore:
    """Match every article and add up per kind."""
    kinds = {kind: KindTotals(kind) for kind in KINDS}
    tp = fp = fn = 0
    for run in runs:
        name, text = run.article.name, run.article.text
        for kind in KINDS:
            score = score_kind(kind, run.gold, run.preds, text)
            totals = kinds[kind]
            golds = [g for g in run.gold if g.kind == kind]
            totals.gold += len(golds)
            totals.gold_speech += sum(is_speech(g) for g in golds)
            totals.matched_speech += sum(is_speech(p.gold) for p in score.pairs)
            totals.pairs += [(name, p) for p in score.pairs]
            totals.missed += [(name, g) for g in score.missed]
            totals.other_kind |= {
                (name, g.id)
                for g in score.missed
                if any(p.kind != kind and content_overlap(g, p) for p in run.preds)
            }
            totals.spurious += [(name, p) for p in score.spurious]
            totals.excused += len(score.excused)
        source = source_prf(run.gold, run.preds)
        tp, fp, fn = tp + source.tp, fp + source.fp, fn + source.fn
    texts = {run.article.name: run.article.text for run in runs}
    return SplitScore(split, len(runs), kinds, PRF(tp, fp, fn), texts)


def split_metrics(score: SplitScore) -> list[Metric]:
    """The figures of one split, direct then indirect."""
    metrics = []
    for kind, totals in score.kinds.items():
        prefix = f"{score.split} {kind}"
        prf = totals.prf
        speaker, n_speaker = totals.share("speaker")
        cue, n_cue = totals.share("cue")
        exact, n_exact = totals.share("exact")
        headline = kind == "direct"
        metrics += [
            Metric(f"{prefix} span precision", prf.precision, prf.tp + prf.fp),
            Metric(f"{prefix} span recall", prf.recall, totals.gold),
            Metric(f"{prefix} span recall, speech cues", totals.speech_recall, totals.gold_speech),
            Metric(f"{prefix} span F1", prf.f1, totals.gold),
            Metric(f"{prefix} exact span share", exact, n_exact),
            Metric(
                f"{prefix} speaker accuracy",
                speaker,
                n_speaker,
                target=TARGET_SPEAKER if headline else None,
                anchor=GGT_ANCHOR if headline else None,
            ),
            Metric(f"{prefix} cue accuracy", cue, n_cue),
        ]
    metrics.append(
        Metric(f"{score.split} source F1 (overlap)", score.source.f1, anchor=CITRON_ANCHOR)
    )
    return metrics


# --- misses ---------------------------------------------------------------------------------------


def _snippet(text: str, start: int, end: int, width: int = 150) -> str:
    piece = " ".join(text[max(0, start - 30) : end + 30].split())
    return piece if len(piece) <= width else piece[: width - 1] + "…"


MISS_EXPLANATIONS = {
    "direct: missed, a name or title in quotation marks": (
        "PolNeAR marks titles and names in quotation marks (“War On Drugs”, “Mostly True”) as "
        "attributions; fogofwar drops capitalised quoted names that no speech verb introduces."
    ),
    "direct: spurious, no speaker (scare quotes, terms)": (
        "Quoted words nobody is reported to say (scare quotes, nicknames, terms): fogofwar keeps "
        "them as quotes with speaker null, PolNeAR does not annotate them."
    ),
    "direct: spurious, with a speaker": (
        "Quotes fogofwar attributes that the annotator did not mark (often quotes inside "
        "quotes, or a second speaker's words in one paragraph)."
    ),
    "direct speaker: none found": (
        "No cue and no earlier speaker: quotes that follow a non-speech verb ('called him', "
        "'labeled'), nested quotation marks, or parser errors around the quote."
    ),
    "direct speaker: pronoun resolved to another person": (
        "'he said'/'she said' resolved to the wrong earlier person (the discourse prefers the "
        "last speaker; an antecedent named only by a description is not found)."
    ),
    "direct speaker: gold source is a pronoun elsewhere": (
        "The annotator marked a pronoun our speaker mention does not cover (our mention is the "
        "name, another cue of the same quote, or an earlier quote the words continue); often "
        "right, but the rule cannot check it."
    ),
    "direct speaker: another name": (
        "The nearest speech verb or the parse gave another subject (a relative clause, a dash "
        "or list confusing the parser, an ad or document as speaker)."
    ),
    "indirect: not speech (belief, intention, evaluation)": (
        "PolNeAR attributions whose cue is no speech verb ('are looking for ways', 'hopes', "
        "'was labeled'): outside what fogofwar extracts."
    ),
}


def miss_category(kind: Kind, gold: GoldAttribution, other_kind: bool) -> str:
    """Why a gold attribution was not found."""
    if kind == "direct":
        if is_title(gold.content_text):
            return "direct: missed, a name or title in quotation marks"
        return "direct: missed"
    if not is_speech(gold):
        return "indirect: not speech (belief, intention, evaluation)"
    if other_kind:
        return "indirect speech: found as a direct quote only (paraphrase with partial quotes)"
    if "according" in gold.cue_lemmas:
        return "indirect speech: missed 'according to' (source no person or organisation)"
    return "indirect speech: missed (cue with a noun phrase, participle or loose clause)"


def is_title(words: str) -> bool:
    """Every word capitalised and at most eight words: a name or title, not speech."""
    tokens = re.findall(r"[^\W\d_][\w'’-]*", words)
    small = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by"}
    content = [t for t in tokens if t.lower() not in small]
    return 0 < len(tokens) <= 8 and bool(content) and all(t[0].isupper() for t in content)


PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}


def speaker_category(pair: Pair, text: str) -> str:
    """Why our speaker is not the gold source."""
    pred, kind = pair.pred, pair.gold.kind
    if not pred.speaker:
        return f"{kind} speaker: none found"
    mention = text[slice(*pred.speaker_span)].lower() if pred.speaker_span else ""
    if mention in PRONOUNS:
        return f"{kind} speaker: pronoun resolved to another person"
    if not name_tokens(pair.gold.source_text):
        return f"{kind} speaker: gold source is a pronoun elsewhere"
    if not is_speech(pair.gold):
        return f"{kind} speaker: another name, gold cue no speech verb"
    return f"{kind} speaker: another name"


def spurious_category(kind: Kind, pred: Predicted) -> str:
    if kind == "indirect":
        return "indirect: spurious (no gold content there)"
    return (
        "direct: spurious, with a speaker"
        if pred.speaker
        else ("direct: spurious, no speaker (scare quotes, terms)")
    )


def misses(score: SplitScore) -> list[MissCategory]:
    """Misses of one split by category, with short examples."""
    examples: dict[str, list[str]] = {}
    counts: list[str] = []
    texts = score.texts

    def add(category: str, example: str) -> None:
        counts.append(category)
        examples.setdefault(category, []).append(example)

    for kind, totals in score.kinds.items():
        for name, gold in totals.missed:
            category = miss_category(kind, gold, (name, gold.id) in totals.other_kind)
            add(category, f"{name}: {_snippet(texts[name], gold.start, gold.end)}")
        for name, pred in totals.spurious:
            add(
                spurious_category(kind, pred),
                f"{name}: {_snippet(texts[name], pred.start, pred.end)}",
            )
        for name, pair in totals.pairs:
            if pair.speaker is False:
                add(
                    speaker_category(pair, texts[name]),
                    f"{name}: ours {pair.pred.speaker!r}, gold {pair.gold.source_text!r}: "
                    f"{_snippet(texts[name], pair.gold.start, pair.gold.end, 110)}",
                )
    return [
        MissCategory(
            f"{score.split} {category}",
            count,
            examples[category][:EXAMPLES_PER_MISS],
            MISS_EXPLANATIONS.get(category, ""),
        )
        for category, count in count_categories(counts)
    ]


# --- plot -----------------------------------------------------------------------------------------

PLOT_FIGURES = [
    ("span precision", "span P"),
    ("span recall", "span R"),
    ("span recall, speech cues", "span R\nspeech cues"),
    ("span F1", "span F1"),
    ("speaker accuracy", "speaker acc."),
    ("cue accuracy", "cue acc."),
]


def plot(result: TaskResult, splits: Sequence[str], path: Path) -> None:
    """Bars per split: span P/R/F1, speaker and cue accuracy, direct vs indirect; target and
    anchors as lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(splits), figsize=(5.5 * len(splits), 4), squeeze=False)
    width = 0.38
    for ax, split in zip(axes[0], splits, strict=True):
        for offset, kind in ((-width / 2, "direct"), (width / 2, "indirect")):
            values = [result.metric(f"{split} {kind} {name}").value for name, _ in PLOT_FIGURES]
            xs = [i + offset for i in range(len(PLOT_FIGURES))]
            bars = ax.bar(xs, values, width, label=kind)
            ax.bar_label(bars, fmt="%.2f", fontsize=7)
        ax.axhline(TARGET_SPEAKER, color="black", linestyle="--", linewidth=1, label="target 0.90")
        ax.axhline(0.865, color="tab:red", linestyle=":", linewidth=1, label="GGT speaker 0.865")
        ax.axhline(
            0.85, color="tab:green", linestyle="-.", linewidth=1, label="Citron source F1 0.85"
        )
        ax.set_xticks(range(len(PLOT_FIGURES)), [label for _, label in PLOT_FIGURES], fontsize=8)
        ax.set_ylim(0, 1.08)
        ax.set_title(f"PolNeAR {split}")
    axes[0][0].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


# --- command line ---------------------------------------------------------------------------------


def evaluate(
    root: Path, splits: Sequence[str], limit: int | None, profile: str = DEFAULT_PROFILE
) -> tuple[TaskResult, list[SplitScore]]:
    """Run fogofwar on the splits and score them."""
    started = time.perf_counter()
    loaded = {split: load_split(root, split, limit) for split in splits}
    scores = [score_runs(split, run_fogofwar(loaded[split], profile)) for split in splits]
    described = ", ".join(
        f"{s.split}: {s.articles} articles, "
        f"{sum(t.gold for t in s.kinds.values())} attributions "
        f"({s.kinds['direct'].gold} direct)"
        for s in scores
    )
    result = TaskResult(
        task="polnear",
        title="Quote attribution on PolNeAR (2016 US election news)",
        data=f"PolNeAR v1.0.0 {described}; fogofwar profile {profile}",
    )
    for score in scores:
        result.metrics += split_metrics(score)
        result.misses += misses(score)
    result.sections.append(_counts_section(scores))
    result.seconds = time.perf_counter() - started
    return result, scores


def _counts_section(scores: Sequence[SplitScore]) -> str:
    rows = [
        "| split | kind | gold | speech-cue gold | matched | spurious | partial/fragment |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for score in scores:
        for kind, t in score.kinds.items():
            rows.append(
                f"| {score.split} | {kind} | {t.gold} | {t.gold_speech} | {len(t.pairs)} | "
                f"{len(t.spurious)} | {t.excused} |"
            )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Quote attribution (spans, speakers, cues) on PolNeAR.",
        epilog="example: .venv/bin/python -m evaluation.polnear ../shared/eval/polnear --limit 5",
    )
    parser.add_argument("path", type=Path, help="the PolNeAR folder (holds README.md and data/)")
    parser.add_argument("--split", choices=["test", "dev", "both"], default="both")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS, help="JSON folder")
    parser.add_argument("--plots", type=Path, default=DEFAULT_PLOTS, help="plot folder")
    parser.add_argument("--limit", type=int, default=None, help="first N articles per split")
    parser.add_argument(
        "--profile",
        default=DEFAULT_PROFILE,
        help=f"fogofwar conflict profile (default {DEFAULT_PROFILE}; speakers are named from the "
        "text whatever the profile, it only adds sides)",
    )
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "both" else (args.split,)
    try:
        for split in splits:
            split_dir(args.path, split)
        result, _ = evaluate(args.path, splits, args.limit, args.profile)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    plot_path = args.plots / "polnear.png"
    plot(result, splits, plot_path)
    result.plots.append("img/polnear.png")
    print_result(result)
    save(result, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
