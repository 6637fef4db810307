"""Find magnitudes in text: distances (metres), areas (km2), percentages and counts.

Lexicons live in ``data/magnitudes.yaml``. Decisions worth knowing:

* Distances are converted to whole metres with pint; areas to km2.
* Ranges ("1-2 km", "one to two km", "between 10 and 15 drones") give ``value`` = the upper
  bound and ``min`` = the lower bound.
* "18 of 24 drones" gives value 18 (count, noun "drone"); the "of 24" survives only in
  ``Magnitude.text``.
* Vague plurals followed by "of" ("hundreds of fighters", "dozens of drones", "tens of
  thousands of people") give the smallest value they guarantee (100, 12, 10000) with
  qualifier ``more_than``. "several kilometres", "a few hundred metres" give nothing.
* Never magnitudes: years, dates, clock times, ordinals, model numbers (X-101, Su-25, 9K720),
  calibres (155mm), ages, money, and durations ("224 days", "three weeks").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, cast

import yaml

from fogofwar.models import Magnitude

__all__ = ["MagnitudeMention", "find_magnitudes", "magnitude_near"]

Qualifier = Literal["up_to", "about", "more_than", "at_least", "less_than", "exact"]


@dataclass(frozen=True)
class MagnitudeMention:
    """A magnitude found in text, with its character span and counted noun."""

    magnitude: Magnitude
    start: int
    end: int
    noun: str | None  # lemma of the counted noun for counts; None for other units


@dataclass(frozen=True)
class _NounPhrase:
    """Result of reading the words after a number."""

    end: int  # end of the head noun, or where reading stopped
    head: str | None  # lemma of the head noun
    skip: bool = False  # the number counts time, money, ... and is no magnitude
    plural: bool = False  # the head noun is plural ("drones"), which "one" cannot count


# --------------------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    """The YAML lexicon, loaded once."""
    path = resources.files("fogofwar") / "data" / "magnitudes.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _alt(words: Any) -> str:
    """Regex alternation, longest first, any whitespace between words."""
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _norm(s: str) -> str:
    """Lower-case with single spaces (lexicon lookup key)."""
    return " ".join(s.lower().split())


@dataclass(frozen=True)
class _Lex:
    """Compiled patterns and lookup tables."""

    cheap_words: frozenset[str]  # a sentence without digits needs one of these
    main: re.Pattern[str]
    qual: re.Pattern[str]
    range_: re.Pattern[str]
    unit: re.Pattern[str]
    time_suffix: re.Pattern[str]
    month_before: re.Pattern[str]
    month_after: re.Pattern[str]
    year_cue: re.Pattern[str]
    id_cue: re.Pattern[str]
    of_phrase: re.Pattern[str]
    word: re.Pattern[str]
    numbers: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, int]
    qualifiers: dict[str, Qualifier]
    distance: dict[str, str]
    area: dict[str, str]
    percent: frozenset[str]
    skip_nouns: frozenset[str]
    stop: frozenset[str]
    irregular: dict[str, str]


_DIGIT = re.compile(r"\d")
_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "-–—.,;:!?()[]\"'’“”"})
_OF = re.compile(r"\s+of\b", re.I)
_SUPERLATIVE = re.compile(r"\b(?:most|least|\w{3,}est)\b", re.I)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)|\d+(?:\.\d+)?(?!\d)"
_A_UNITS = r"(?:nautical\s+mile|mile|kilomet(?:re|er)|met(?:re|er)|yard)"
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """Build the compiled patterns from the YAML lexicon."""
    lx = _lexicon()
    numbers = {str(k): int(v) for k, v in lx["number_words"].items()}
    mults = {str(k): int(v) for k, v in lx["multipliers"].items()}
    w = _alt(numbers)
    m = _alt(mults)
    wp = rf"(?:(?:{'|'.join(_TENS)})[\s-]+(?:{'|'.join(_ONES)})\b|(?:{w})\b)"
    rest = rf"(?:\s+(?:{m})\b(?:\s+(?:and\s+)?{wp})?)*"
    num = (
        rf"{_DIGITS}(?:\s+(?:{m})\b)*"
        rf"|{wp}{rest}"
        rf"|an?\s+(?:{m})\b(?:\s+(?:and\s+)?{wp})?{rest}"
        rf"|an?(?=\s+{_A_UNITS})"
    )
    vague = {_norm(k): int(v) for k, v in lx["vague_quantities"].items()}
    qualifiers = {_norm(q): cast(Qualifier, k) for k, qs in lx["qualifiers"].items() for q in qs}
    quals = _alt([*qualifiers, "between"])
    main = rf"(?<![\w.,/$€£₴#:\-–])(?:(?P<vague>{_alt(vague)})(?=\s+of\b)|(?P<num>{num}))"
    cheap = {*numbers, *mults, *(v.split()[0] for v in vague), "mile", "yard"}
    cheap |= {"kilometre", "kilometer", "metre", "meter"}
    units = [*lx["distance_units"], *lx["area_units"], *lx["percent_units"]]
    months = [str(x).capitalize() for x in lx["months"]]
    mon = _alt(months)
    return _Lex(
        cheap_words=frozenset(cheap),
        main=re.compile(main, re.I),
        qual=re.compile(rf"(?<!\w)(?:{quals})\s+$", re.I),
        range_=re.compile(rf"(?:\s*[-–—]\s*|\s+(?P<sep>to|or|and)\s+)(?P<num>{num})", re.I),
        unit=re.compile(rf"(?:\s*|-)(?P<unit>{_alt(units)})(?![\w²])", re.I),
        time_suffix=re.compile(rf"\s*(?:{_alt(lx['time_suffixes'])})(?![\w])|[:/,]\d", re.I),
        month_before=re.compile(rf"\b(?:{mon})\.?\s+$"),
        month_after=re.compile(rf"\s+(?:of\s+)?(?:{mon})\b"),
        year_cue=re.compile(rf"\b(?:{_alt(lx['year_cues'])})[\s-]+$", re.I),
        id_cue=re.compile(rf"(?<!\w)(?:{_alt(lx['id_cues'])})\s*$", re.I),
        of_phrase=re.compile(
            rf"\s+(?:out\s+)?of(?:\s+(?:the|its|their|his|her|our|these|those))?(?:\s+(?:{num}))?",
            re.I,
        ),
        word=re.compile(r"\s+([^\W\d_](?:[\w'’-]*\w)?)"),
        numbers=numbers,
        multipliers=mults,
        vague=vague,
        qualifiers=qualifiers,
        distance={_norm(k): str(v) for k, v in lx["distance_units"].items()},
        area={_norm(k): str(v) for k, v in lx["area_units"].items()},
        percent=frozenset(_norm(p) for p in lx["percent_units"]),
        skip_nouns=frozenset(_norm(s) for s in lx["skip_nouns"]),
        stop=frozenset(_norm(s) for s in lx["stop_words"]),
        irregular={_norm(k): str(v) for k, v in lx["irregular_plurals"].items()},
    )


@lru_cache(maxsize=64)
def _factor(unit: str, target: str) -> float:
    """Conversion factor from a pint unit expression to ``target`` (pint loaded lazily)."""
    return float(_ureg().Quantity(1, unit).to(target).magnitude)


@lru_cache(maxsize=1)
def _ureg() -> Any:
    import pint

    return pint.UnitRegistry()


# --------------------------------------------------------------------------- numbers


def _parse_number(s: str, lex: _Lex) -> float:
    """Value of "1,300", "1.5 million", "twenty-five", "two hundred and fifty", "a dozen"."""
    total, current = 0.0, 0.0
    for tok in re.split(r"[\s-]+", s.lower()):
        if tok in ("and", ""):
            continue
        if tok in ("a", "an"):
            current = 1.0
        elif tok[0].isdigit():
            current = float(tok.replace(",", ""))
        elif tok in lex.numbers:
            current += lex.numbers[tok]
        elif lex.multipliers.get(tok, 0) >= 1000:
            total += (current or 1.0) * lex.multipliers[tok]
            current = 0.0
        else:
            current = (current or 1.0) * lex.multipliers[tok]
    return total + current


def _is_year(s: str) -> bool:
    return len(s) == 4 and s.isdigit() and 1900 <= int(s) <= 2100


def _bad_context(text: str, start: int, end: int, num: str, lex: _Lex) -> bool:
    """True when the number is part of a date, clock time, code, or amount of money."""
    before = text[max(0, start - 14) : start]
    if lex.month_before.search(before) or lex.id_cue.search(before):
        return True
    if re.search(r"[$€£₴]\s*$", before):
        return True
    if re.fullmatch(r"0\d+", num) or lex.time_suffix.match(text, end):
        return True
    return bool(num[0].isdigit() and lex.month_after.match(text, end))


# --------------------------------------------------------------------------- nouns


def _lemma(word: str, lex: _Lex) -> str | None:
    """Singular of a plural-looking word, or None when the word does not look plural."""
    low = word.lower()
    if low in lex.irregular:
        return lex.irregular[low]
    if not word.endswith("s") or len(word) <= 3 or low.endswith(("ss", "us", "is", "'s", "’s")):
        return None
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def _noun_phrase(text: str, pos: int, lex: _Lex) -> _NounPhrase:
    """Read up to five words after ``pos`` and pick the counted noun (head-final NP)."""
    words: list[re.Match[str]] = []
    while len(words) < 5:
        m = lex.word.match(text, pos)
        if not m:
            break
        low = m.group(1).lower()
        if low in lex.stop or low in lex.numbers or low in lex.multipliers:
            break
        if low in lex.skip_nouns or low.split("-")[0] in lex.skip_nouns:
            return _NounPhrase(pos, None, skip=True)
        words.append(m)
        pos = m.end()
        lemma = _lemma(m.group(1), lex)
        if lemma:
            return _NounPhrase(m.end(), lemma, plural=True)
    while words and words[-1].group(1).lower().endswith(("ed", "ing", "ly", "'s", "’s")):
        words.pop()
    if not words:
        return _NounPhrase(pos, None)
    return _NounPhrase(words[-1].end(), words[-1].group(1))


# --------------------------------------------------------------------------- mentions


def _unit_magnitude(
    unit: str, value: float, low: float | None, qual: Qualifier, phrase: str, lex: _Lex
) -> Magnitude:
    """Magnitude for a number followed by a distance, area or percent unit."""
    key = _norm(unit)
    if key in lex.percent:
        return Magnitude(value, "percent", qual, low, phrase)
    if key in lex.area:
        f = _factor(lex.area[key], "kilometer**2")
        area = _area_converter(f)
        return Magnitude(area(value), "km2", qual, None if low is None else area(low), phrase)
    f = _factor(lex.distance[key], "meter")
    low_m = None if low is None else float(round(low * f))
    return Magnitude(float(round(value * f)), "m", qual, low_m, phrase)


def _area_converter(factor: float) -> Callable[[float], float]:
    """km2 stay as written; other areas are converted and kept to 4 significant digits."""
    if factor == 1:
        return lambda x: x
    return lambda x: float(f"{x * factor:.4g}")


def _million_m(text: str, pos: int, lex: _Lex) -> bool:
    """True when an attached "m" means million ("6m refugees"), not metres."""
    m = lex.word.match(text, pos)
    return bool(
        m and m.group(1).islower() and m.group(1) not in lex.stop and _lemma(m.group(1), lex)
    )


def _mention(
    m: re.Match[str], text: str, floor: int, lex: _Lex
) -> tuple[MagnitudeMention | None, int]:
    """Interpret one number match (qualifier looked for back to ``floor``); returns the
    mention (or None) and where it ends."""
    q = lex.qual.search(text, max(floor, m.start() - 30), m.start())
    qual_word = _norm(q.group(0)) if q else ""
    qual = lex.qualifiers.get(qual_word, "exact")
    start = q.start() if q else m.start()
    if m.group("vague"):
        return _vague(m, text, start, lex, qual)
    num, nstart, pos = m.group("num"), m.start("num"), m.end("num")
    if _bad_context(text, nstart, pos, num, lex):
        return None, pos
    value, low = _parse_number(num, lex), None
    rng = lex.range_.match(text, pos)
    if rng and (rng.group("sep") or "").lower() == "and" and qual_word != "between":
        rng = None
    if rng:
        hi = _parse_number(rng.group("num"), lex)
        if hi <= value or _bad_context(text, rng.start("num"), rng.end(), rng.group("num"), lex):
            return None, rng.end()
        value, low, pos = hi, value, rng.end()
    return _after_number(text, start, pos, num, value, low, qual, lex)


def _after_number(
    text: str,
    start: int,
    pos: int,
    num: str,
    value: float,
    low: float | None,
    qual: Qualifier,
    lex: _Lex,
) -> tuple[MagnitudeMention | None, int]:
    """Classify what follows the number: unit, noun phrase, or something to skip."""
    unit = lex.unit.match(text, pos)
    if unit and unit.group("unit") == "m" and _million_m(text, unit.end(), lex):
        value, low = value * 1e6, None if low is None else low * 1e6
        unit, pos = None, unit.end()
    if unit:
        end = unit.end()
        mag = _unit_magnitude(unit.group("unit"), value, low, qual, text[start:end], lex)
        return MagnitudeMention(mag, start, end, None), end
    if re.match(r"[^\W\d_]|-\w", text[pos : pos + 2]):
        return None, pos  # 3rd, 1990s, 9K720, 155mm, 12-year-old, three-day
    of = _of_phrase(text, pos, lex)
    np = of or _noun_phrase(text, pos, lex)
    singular = num.lower() in ("one", "a", "an")
    if np.skip or (singular and (np.head is None or (np.plural and not of))):
        return None, np.end
    if _is_year(num) and low is None and _year_like(text, start, np, lex):
        return None, np.end
    end = np.end if np.head else pos
    mag = Magnitude(value, "count", qual, low, text[start:end])
    return MagnitudeMention(mag, start, end, np.head), end


def _year_like(text: str, start: int, np: _NounPhrase, lex: _Lex) -> bool:
    """A bare 1900-2100 number is a year unless a lowercase plural noun follows."""
    if lex.year_cue.search(text[max(0, start - 12) : start]):
        return True
    return not (np.head and np.head.islower())


def _of_phrase(text: str, pos: int, lex: _Lex) -> _NounPhrase | None:
    """ "18 of 24 drones", "13 of the X-101 missiles": the noun after "of"."""
    m = lex.of_phrase.match(text, pos)
    if not m:
        return None
    np = _noun_phrase(text, m.end(), lex)
    if _SUPERLATIVE.search(text, m.end(), np.end):
        return None  # "one of the largest attacks" is no count
    return np if np.head and not np.skip else None


def _vague(
    m: re.Match[str], text: str, start: int, lex: _Lex, qual: Qualifier
) -> tuple[MagnitudeMention | None, int]:
    """ "hundreds of fighters" -> 100 more_than; "dozens of metres" -> 12 m more_than."""
    value = float(lex.vague[_norm(m.group("vague"))])
    qual = "more_than" if qual == "exact" else qual
    pos = _OF.match(text, m.end("vague")).end()  # type: ignore[union-attr]  # (?=\s+of) held
    unit = lex.unit.match(text, pos)
    if unit and re.match(r"\s", text[pos : pos + 1]):
        mag = _unit_magnitude(unit.group("unit"), value, None, qual, text[start : unit.end()], lex)
        return MagnitudeMention(mag, start, unit.end(), None), unit.end()
    np = _noun_phrase(text, pos, lex)
    if np.skip or not np.head:
        return None, pos
    mag = Magnitude(value, "count", qual, None, text[start : np.end])
    return MagnitudeMention(mag, start, np.end, np.head), np.end


@lru_cache(maxsize=512)
def _find(text: str) -> tuple[MagnitudeMention, ...]:
    lex = _lex()
    if not _DIGIT.search(text) and lex.cheap_words.isdisjoint(
        text.lower().translate(_PUNCT_TO_SPACE).split()
    ):
        return ()
    out: list[MagnitudeMention] = []
    last = 0
    for m in lex.main.finditer(text):
        if m.start() < last:
            continue
        mention, end = _mention(m, text, last, lex)
        if mention:
            out.append(mention)
            last = end
    return tuple(out)


def find_magnitudes(text: str, offset: int = 0) -> list[MagnitudeMention]:
    """All magnitudes in ``text``; spans are shifted by ``offset``."""
    found = _find(text)
    if not offset:
        return list(found)
    return [MagnitudeMention(x.magnitude, x.start + offset, x.end + offset, x.noun) for x in found]


# --------------------------------------------------------------------------- nearest

_CLAUSE_BREAK = re.compile(r"[;:()\[\]—–]|,(?!\d)|\s-\s|\b(?:but|while|whereas)\b")


def _clause_of(bounds: list[int], pos: int) -> int:
    return bisect.bisect_right(bounds, pos)


def magnitude_near(
    text: str, position: int, offset: int = 0, kinds: set[str] | None = None
) -> Magnitude | None:
    """The magnitude closest to ``position`` (same coordinates as the spans, i.e. with
    ``offset``), preferring one in the same clause; ``kinds`` filters by unit
    ("m", "count", "km2", "percent")."""
    found = [x for x in find_magnitudes(text, offset) if kinds is None or x.magnitude.unit in kinds]
    if not found:
        return None
    bounds = [b.start() + offset for b in _CLAUSE_BREAK.finditer(text)]
    here = _clause_of(bounds, position)

    def key(x: MagnitudeMention) -> tuple[bool, int]:
        dist = (
            0
            if x.start <= position < x.end
            else min(abs(x.start - position), abs(x.end - position))
        )
        return (_clause_of(bounds, x.start) != here, dist)

    return min(found, key=key).magnitude
