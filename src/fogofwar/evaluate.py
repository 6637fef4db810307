"""Score predicted claims and quotes against hand-annotated gold articles.

The matching rules follow the "Gold files" section of the ontology: a predicted claim
matches a gold claim of the same article when event, actor side and polarity are equal,
source and place name the same entity, and the predicted evidence sentence contains the
gold evidence. Matching is one-to-one (maximum bipartite matching); optional gold claims
are neither misses when absent nor false positives when found.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from fogofwar.models import EVENT_TYPES

KeyFn = Callable[[str], set[str]]
SameFn = Callable[[str | None, str | None], bool]

CLAIM_FIELDS = ("event", "actor_side", "polarity", "source", "place", "evidence")
RELAXABLE = ("source", "place", "actor_side", "evidence")
QUOTE_KINDS = ("direct", "indirect")
QUOTE_OVERLAP = 0.5
SNIPPET = 80


class EvalError(Exception):
    """A gold file or directory cannot be used."""


# --------------------------------------------------------------------------- gold files


@dataclass
class GoldDoc:
    """One hand-annotated article."""

    id: str
    published: str | None
    outlet: str | None
    url: str | None
    sides: dict[str, str] | None
    text: str
    quotes: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    path: Path | None = None


def load_gold_dir(path: Path) -> list[GoldDoc]:
    """Load every ``*.json`` gold file in ``path``, sorted by file name."""
    path = Path(path)
    if not path.is_dir():
        raise EvalError(f"{path}: not a directory")
    files = sorted(path.glob("*.json"))
    if not files:
        raise EvalError(f"{path}: no *.json gold files")
    return [load_gold_file(f) for f in files]


def load_gold_file(path: Path) -> GoldDoc:
    """Load and validate one gold file; any problem raises a one-line EvalError."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise EvalError(f"{path}: invalid JSON: {exc}") from exc
    try:
        return _gold_from_dict(data, Path(path))
    except (TypeError, ValueError, KeyError) as exc:
        raise EvalError(f"{path}: {exc}") from exc


def _gold_from_dict(data: Any, path: Path) -> GoldDoc:
    if not isinstance(data, dict):
        raise ValueError("top level must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing or empty 'text'")
    sides = data.get("sides")
    if sides is not None and not isinstance(sides, dict):
        raise ValueError("'sides' must be an object")
    claims = _list_of_dicts(data.get("claims", []), "claims")
    quotes = _list_of_dicts(data.get("quotes", []), "quotes")
    for i, claim in enumerate(claims):
        _check_claim(claim, i)
    for i, quote in enumerate(quotes):
        _check_quote(quote, i)
    return GoldDoc(
        id=str(data.get("id") or path.stem),
        published=data.get("published"),
        outlet=data.get("outlet"),
        url=data.get("url"),
        sides=sides,
        text=text,
        quotes=quotes,
        claims=claims,
        path=path,
    )


def _list_of_dicts(value: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"'{name}' must be a list of objects")
    return value


def _check_claim(claim: dict[str, Any], i: int) -> None:
    for key in ("event", "actor_side", "evidence"):
        if not isinstance(claim.get(key), str) or not claim[key].strip():
            raise ValueError(f"claims[{i}]: missing or empty '{key}'")
    if claim["event"] not in EVENT_TYPES:
        raise ValueError(f"claims[{i}]: unknown event {claim['event']!r}")
    if claim.get("polarity", "asserted") not in ("asserted", "denied"):
        raise ValueError(f"claims[{i}]: bad polarity {claim.get('polarity')!r}")
    for key in ("source", "place"):
        if claim.get(key) is not None and not isinstance(claim[key], str):
            raise ValueError(f"claims[{i}]: '{key}' must be a string or null")


def _check_quote(quote: dict[str, Any], i: int) -> None:
    if not isinstance(quote.get("text"), str) or not quote["text"].strip():
        raise ValueError(f"quotes[{i}]: missing or empty 'text'")
    if quote.get("kind") not in QUOTE_KINDS:
        raise ValueError(f"quotes[{i}]: kind must be 'direct' or 'indirect'")


# --------------------------------------------------------------------------- normalisation

_QUOTE_CHARS = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u0060": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
    }
)  # fmt: skip


def normalize_text(text: str) -> str:
    """Unify curly/straight quotes and dashes, collapse whitespace, case-fold."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS)
    return " ".join(text.split()).casefold()


def _fold(name: str) -> str:
    """Case-fold, drop accents and punctuation other than word-internal ' and -."""
    name = unicodedata.normalize("NFKD", normalize_text(name))
    name = "".join(c for c in name if not unicodedata.combining(c))
    name = re.sub(r"[^\w'\- ]+", " ", name)
    return " ".join(name.split())


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PLACE_GENERIC = _words(
    "region regions oblast oblasts province provinces state district districts raion "
    "city town village river the"
)

_ORG_WORDS = _words(
    """ministry army military forces force group command council service services guard
    office officials official government institute troops soldiers brigade battalion
    regiment division corps navy fleet staff headquarters agency police media news
    committee administration authorities department directorate intelligence war state
    front district region oblast mission nations union center centre press kremlin
    fighters units militia prosecutors sources residents witnesses eyewitnesses volunteers
    spokesman spokeswoman spokesperson commander governor mayor president minister bloggers
    milbloggers analysts experts correspondents reporters journalists people citizens
    civilians"""
)
_NAME_BREAKERS = _words("of in for from at on to with by and near")


def source_key(name: str) -> str:
    """Identity key of a source name: folded, without a leading "the"."""
    key = _fold(name)
    return key[4:] if key.startswith("the ") else key


def place_key(name: str) -> str:
    """Identity key of a place name: folded, generic words ("region", "river") stripped."""
    tokens = _fold(name).split()
    core = list(tokens)
    while core and core[0] in _PLACE_GENERIC:
        core.pop(0)
        if core and core[0] == "of":
            core.pop(0)
    while core and core[-1] in _PLACE_GENERIC:
        core.pop()
    return " ".join(core or tokens)


def _surname(name: str) -> str | None:
    """The folded last token if ``name`` looks like a personal name, else None."""
    tokens = re.findall(r"[\w'\u2019\-]+", name)
    if tokens and tokens[0].casefold() == "the":
        tokens = tokens[1:]
    if not tokens or any(t.casefold() in _NAME_BREAKERS for t in tokens):
        return None
    last = tokens[-1]
    if not last[0].isupper() or last.casefold() in _ORG_WORDS:
        return None
    return _fold(last)


def _builtin_same_source(a: str, b: str) -> bool:
    if source_key(a) == source_key(b):
        return True
    long, short = sorted((a, b), key=lambda s: len(s.split()), reverse=True)
    if len(long.split()) < 2:
        return False
    sa, sb = _surname(long), _surname(short)
    return sa is not None and sa == sb


def _blank(name: str | None) -> bool:
    return name is None or not str(name).strip()


def _with_hook(builtin: Callable[[str, str], bool], hook: KeyFn | None) -> SameFn:
    def same(a: str | None, b: str | None) -> bool:
        if _blank(a) or _blank(b):
            return _blank(a) and _blank(b)
        a, b = str(a), str(b)
        return builtin(a, b) or (hook is not None and bool(hook(a) & hook(b)))

    return same


@dataclass
class Matcher:
    """Pluggable identity of sources and places; ``None`` only matches ``None``."""

    same_source: SameFn
    same_place: SameFn


def default_matcher(alias_keys: KeyFn | None = None, place_keys: KeyFn | None = None) -> Matcher:
    """Built-in rules plus optional hooks returning identity keys; shared keys match."""
    return Matcher(
        same_source=_with_hook(_builtin_same_source, alias_keys),
        same_place=_with_hook(lambda a, b: place_key(a) == place_key(b), place_keys),
    )


# --------------------------------------------------------------------------- metrics


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def f1_score(precision: float | None, recall: float | None) -> float | None:
    """Harmonic mean; an undefined side counts as 0 unless both are undefined."""
    if precision is None and recall is None:
        return None
    p, r = precision or 0.0, recall or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return f1_score(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


@dataclass
class QuoteStats:
    """Gold quotes of one kind, how many were found, how many with the right speaker."""

    gold: int = 0
    found: int = 0
    speaker_ok: int = 0

    def add(self, other: QuoteStats) -> None:
        self.gold += other.gold
        self.found += other.found
        self.speaker_ok += other.speaker_ok

    @property
    def recall(self) -> float | None:
        return _ratio(self.found, self.gold)

    @property
    def speaker_accuracy(self) -> float | None:
        return _ratio(self.speaker_ok, self.found)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "found": self.found,
            "speaker_ok": self.speaker_ok,
            "recall": _round(self.recall),
            "speaker_accuracy": _round(self.speaker_accuracy),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --------------------------------------------------------------------------- claim matching


@dataclass
class Miss:
    """A required gold claim no prediction matched, with the components that were off."""

    gold: dict[str, Any]
    near: list[str] = field(default_factory=list)  # e.g. ["source"]: matches if ignored

    def to_dict(self) -> dict[str, Any]:
        return {**_claim_view(self.gold), "near": self.near}


@dataclass
class QuoteIssue:
    """A gold quote that was missed (``predicted is None``) or got the wrong speaker."""

    gold: dict[str, Any]
    predicted: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.gold.get("kind"),
            "text": _snippet(self.gold.get("text")),
            "gold_speaker": self.gold.get("speaker"),
        }
        if self.predicted is not None:
            out["predicted_speaker"] = self.predicted.get("speaker")
        return out


@dataclass
class DocScore:
    """Scores and diagnostics for one gold article."""

    doc_id: str
    path: str | None
    claims: Counts
    per_event: dict[str, Counts]
    optional_found: int
    matches: list[tuple[int, int]]  # (gold index, predicted index), optional ones included
    misses: list[Miss]
    extras: list[dict[str, Any]]
    relaxed: dict[str, int]
    quotes: dict[str, QuoteStats]
    quote_misses: list[QuoteIssue]
    wrong_speakers: list[QuoteIssue]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.doc_id,
            "path": self.path,
            **self.claims.to_dict(),
            "optional_found": self.optional_found,
            "relaxed": dict(self.relaxed),
            "misses": [m.to_dict() for m in self.misses],
            "extras": [_claim_view(c) for c in self.extras],
            "quotes": {k: v.to_dict() for k, v in self.quotes.items()},
            "quote_misses": [q.to_dict() for q in self.quote_misses],
            "wrong_speakers": [q.to_dict() for q in self.wrong_speakers],
        }


def _evidence_text(pred: dict[str, Any], text: str) -> str:
    ev = pred.get("evidence")
    if isinstance(ev, str):
        return ev
    if isinstance(ev, dict):
        if isinstance(ev.get("text"), str):
            return ev["text"]
        start, end = ev.get("start"), ev.get("end")
        if isinstance(start, int) and isinstance(end, int):
            return text[start:end]
    return ""


def _failures(
    pred: dict[str, Any], gold: dict[str, Any], pred_evidence: str, matcher: Matcher
) -> frozenset[str]:
    """Names of the claim components on which ``pred`` and ``gold`` disagree."""
    off = set()
    if pred.get("event") != gold.get("event"):
        off.add("event")
    if pred.get("actor_side") != gold.get("actor_side"):
        off.add("actor_side")
    if pred.get("polarity", "asserted") != gold.get("polarity", "asserted"):
        off.add("polarity")
    if not matcher.same_source(pred.get("source"), gold.get("source")):
        off.add("source")
    if not matcher.same_place(pred.get("place"), gold.get("place")):
        off.add("place")
    if normalize_text(gold.get("evidence") or "") not in normalize_text(pred_evidence):
        off.add("evidence")
    return frozenset(off)


def max_matching(
    left: Iterable[int], n_right: int, ok: Callable[[int, int], bool]
) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn); returns right -> left.

    Left vertices are tried in the given order and stay matched once matched, so
    listing the required gold claims first maximises them before the optional ones.
    """
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in range(n_right):
            if p in seen or not ok(g, p):
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in left:
        augment(g, set())
    return owner


def _is_optional(item: dict[str, Any]) -> bool:
    return bool(item.get("optional"))


@dataclass
class ClaimScore:
    """Result of matching one article's predicted claims against its gold claims."""

    counts: Counts
    per_event: dict[str, Counts]
    optional_found: int
    matches: list[tuple[int, int]]
    misses: list[Miss]
    extras: list[dict[str, Any]]
    relaxed: dict[str, int]


def score_claims(
    pred_claims: list[dict[str, Any]], gold: GoldDoc, text: str, matcher: Matcher
) -> ClaimScore:
    """Match claims one-to-one (required gold first, then optional) and count."""
    golds = gold.claims
    evidence = [_evidence_text(p, text) for p in pred_claims]
    off = [
        [_failures(p, g, evidence[j], matcher) for j, p in enumerate(pred_claims)] for g in golds
    ]
    required = [i for i, g in enumerate(golds) if not _is_optional(g)]
    optional = [i for i, g in enumerate(golds) if _is_optional(g)]
    owner = max_matching(required + optional, len(pred_claims), lambda g, p: not off[g][p])
    matched_gold = set(owner.values())
    tp_preds = {p for p, g in owner.items() if not _is_optional(golds[g])}

    counts = Counts()
    per_event: dict[str, Counts] = {}
    for p, pred in enumerate(pred_claims):
        if p in owner:
            continue
        counts.fp += 1
        per_event.setdefault(str(pred.get("event")), Counts()).fp += 1
    for g in required:
        bucket = per_event.setdefault(golds[g]["event"], Counts())
        if g in matched_gold:
            counts.tp += 1
            bucket.tp += 1
        else:
            counts.fn += 1
            bucket.fn += 1

    missed = [g for g in required if g not in matched_gold]
    free = [p for p in range(len(pred_claims)) if p not in tp_preds]
    relaxed = {
        name: len(max_matching(missed, len(pred_claims), _relaxed_ok(off, free, name)))
        for name in RELAXABLE
    }
    misses = [
        Miss(golds[g], [n for n in RELAXABLE if any(off[g][p] <= {n} for p in free)])
        for g in missed
    ]  # near: components that alone keep a miss from pairing with an unused prediction
    extras = [pred_claims[p] for p in range(len(pred_claims)) if p not in owner]
    matches = sorted((g, p) for p, g in owner.items())
    optional_found = len(owner) - len(tp_preds)
    return ClaimScore(counts, per_event, optional_found, matches, misses, extras, relaxed)


def _relaxed_ok(
    off: list[list[frozenset[str]]], free: list[int], ignored: str
) -> Callable[[int, int], bool]:
    allowed, usable = {ignored}, set(free)
    return lambda g, p: p in usable and off[g][p] <= allowed


# --------------------------------------------------------------------------- quotes


def quote_overlap(gold_text: str, pred_text: str) -> float:
    """1.0 if one normalised text contains the other, else the longest common
    substring as a share of the gold length."""
    g, p = normalize_text(gold_text), normalize_text(pred_text)
    if not g or not p:
        return 0.0
    if g in p or p in g:
        return 1.0
    m = SequenceMatcher(None, g, p, autojunk=False).find_longest_match(0, len(g), 0, len(p))
    return m.size / len(g)


def score_quotes(
    pred_quotes: list[dict[str, Any]], gold: GoldDoc, matcher: Matcher
) -> tuple[dict[str, QuoteStats], list[QuoteIssue], list[QuoteIssue]]:
    """Recall and speaker accuracy of the non-optional gold quotes, per kind."""
    stats = {kind: QuoteStats() for kind in QUOTE_KINDS}
    missed: list[QuoteIssue] = []
    wrong: list[QuoteIssue] = []
    for gq in gold.quotes:
        if _is_optional(gq):
            continue
        stat = stats[gq["kind"]]
        stat.gold += 1
        best, best_key = None, (False, 0.0)
        for pq in pred_quotes:
            score = quote_overlap(gq["text"], str(pq.get("text") or ""))
            key = (pq.get("kind") == gq["kind"], score)
            if score >= QUOTE_OVERLAP and (best is None or key > best_key):
                best, best_key = pq, key
        if best is None:
            missed.append(QuoteIssue(gq))
            continue
        stat.found += 1
        if matcher.same_source(best.get("speaker"), gq.get("speaker")):
            stat.speaker_ok += 1
        else:
            wrong.append(QuoteIssue(gq, best))
    return stats, missed, wrong


# --------------------------------------------------------------------------- documents / corpus


def score_document(
    pred_claims: list[dict[str, Any]],
    pred_quotes: list[dict[str, Any]],
    gold: GoldDoc,
    text: str,
    matcher: Matcher,
) -> DocScore:
    """Score one article's predicted claim and quote dicts against its gold annotation."""
    c = score_claims(pred_claims, gold, text, matcher)
    quotes, quote_misses, wrong = score_quotes(pred_quotes, gold, matcher)
    return DocScore(
        doc_id=gold.id,
        path=str(gold.path) if gold.path else None,
        claims=c.counts,
        per_event=c.per_event,
        optional_found=c.optional_found,
        matches=c.matches,
        misses=c.misses,
        extras=c.extras,
        relaxed=c.relaxed,
        quotes=quotes,
        quote_misses=quote_misses,
        wrong_speakers=wrong,
    )


@dataclass
class EvalReport:
    """Micro-averaged scores over a set of gold articles."""

    documents: list[DocScore] = field(default_factory=list)
    claims: Counts = field(default_factory=Counts)
    per_event: dict[str, Counts] = field(default_factory=dict)
    optional_found: int = 0
    relaxed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RELAXABLE, 0))
    quotes: dict[str, QuoteStats] = field(
        default_factory=lambda: {kind: QuoteStats() for kind in QUOTE_KINDS}
    )

    @classmethod
    def from_documents(cls, documents: Iterable[DocScore]) -> EvalReport:
        report = cls()
        for doc in documents:
            report.documents.append(doc)
            report.claims.add(doc.claims)
            report.optional_found += doc.optional_found
            for event, counts in doc.per_event.items():
                report.per_event.setdefault(event, Counts()).add(counts)
            for name, n in doc.relaxed.items():
                report.relaxed[name] = report.relaxed.get(name, 0) + n
            for kind, stats in doc.quotes.items():
                report.quotes.setdefault(kind, QuoteStats()).add(stats)
        return report

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "claims": {**self.claims.to_dict(), "optional_found": self.optional_found},
            "per_event": {e: self.per_event[e].to_dict() for e in _event_order(self.per_event)},
            "relaxed": {"misses": self.claims.fn, **self.relaxed},
            "quotes": {k: v.to_dict() for k, v in self.quotes.items()},
            "per_document": [d.to_dict() for d in self.documents],
        }


def _event_order(events: Iterable[str]) -> list[str]:
    rank = {e: i for i, e in enumerate(EVENT_TYPES)}
    return sorted(events, key=lambda e: (rank.get(e, len(rank)), e))


Prediction = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def score_corpus(
    pairs: Iterable[tuple[GoldDoc, Prediction]], matcher: Matcher | None = None
) -> EvalReport:
    """Score (gold document, (claim dicts, quote dicts)) pairs and aggregate them."""
    matcher = matcher or default_matcher()
    return EvalReport.from_documents(
        score_document(claims, quotes, gold, gold.text, matcher) for gold, (claims, quotes) in pairs
    )


def run_eval(
    gold_dir: Path, analyze: Callable[[GoldDoc], Prediction], matcher: Matcher | None = None
) -> EvalReport:
    """Load the gold directory, run ``analyze`` on every document and score the output."""
    docs = load_gold_dir(gold_dir)
    return score_corpus(((doc, analyze(doc)) for doc in docs), matcher)


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.3f}"


def _snippet(text: str | None, width: int = SNIPPET) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _claim_view(claim: dict[str, Any]) -> dict[str, Any]:
    ev = claim.get("evidence")
    ev_text = ev.get("text") if isinstance(ev, dict) else ev
    return {
        "event": claim.get("event"),
        "actor_side": claim.get("actor_side"),
        "polarity": claim.get("polarity", "asserted"),
        "source": claim.get("source"),
        "place": claim.get("place"),
        "evidence": _snippet(ev_text),
    }


def _claim_line(claim: dict[str, Any]) -> str:
    v = _claim_view(claim)
    return (
        f"{v['event']} by {v['actor_side']} ({v['polarity']}) source={v['source']!r} "
        f"place={v['place']!r} | {v['evidence']}"
    )


def _counts_row(label: str, c: Counts) -> str:
    return (
        f"  {label:<16}{c.tp:>5}{c.fp:>5}{c.fn:>5}  "
        f"{_fmt(c.precision)}  {_fmt(c.recall)}  {_fmt(c.f1)}"
    )


def format_report(report: EvalReport, verbose: bool = False) -> str:
    """Plain-text report; ``verbose`` adds per-document misses, extras and quote issues."""
    lines = [f"fogofwar eval: {len(report.documents)} gold documents", ""]
    header = f"  {'claims':<16}{'TP':>5}{'FP':>5}{'FN':>5}  {'P':>5}  {'R':>5}  {'F1':>5}"
    lines += [header, _counts_row("all", report.claims)]
    lines += [_counts_row(e, report.per_event[e]) for e in _event_order(report.per_event)]
    lines.append(f"  optional gold claims found (not counted): {report.optional_found}")
    relaxed = ", ".join(f"{k} {v}" for k, v in report.relaxed.items())
    lines.append(f"  of {report.claims.fn} misses, would match ignoring: {relaxed}")
    lines += ["", f"  {'quotes':<16}{'gold':>5}{'found':>7}{'recall':>8}{'speaker':>9}"]
    for kind, q in report.quotes.items():
        lines.append(
            f"  {kind:<16}{q.gold:>5}{q.found:>7}  {_fmt(q.recall)}   {_fmt(q.speaker_accuracy)}"
        )
    lines += ["", f"  {'document':<44}{'TP':>4}{'FP':>4}{'FN':>4}  {'F1':>5}"]
    for d in report.documents:
        c = d.claims
        lines.append(f"  {_snippet(d.doc_id, 44):<44}{c.tp:>4}{c.fp:>4}{c.fn:>4}  {_fmt(c.f1)}")
    if verbose:
        for d in report.documents:
            lines += _verbose_doc(d)
    return "\n".join(lines)


def _verbose_doc(d: DocScore) -> list[str]:
    out = ["", f"== {d.doc_id}"]
    for m in d.misses:
        near = f"  [would match ignoring {', '.join(m.near)}]" if m.near else ""
        out.append(f"  MISS   {_claim_line(m.gold)}{near}")
    out += [f"  EXTRA  {_claim_line(c)}" for c in d.extras]
    for q in d.quote_misses:
        out.append(
            f"  QUOTE MISS ({q.gold['kind']}) {q.gold.get('speaker')!r}: {_snippet(q.gold['text'])}"
        )
    for q in d.wrong_speakers:
        got = q.predicted.get("speaker") if q.predicted else None
        out.append(
            f"  SPEAKER ({q.gold['kind']}) gold={q.gold.get('speaker')!r} "
            f"predicted={got!r}: {_snippet(q.gold['text'])}"
        )
    if len(out) == 2:
        out.append("  (no misses, extras or quote issues)")
    return out
