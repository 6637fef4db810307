"""Geocoding: place names as reported → coordinates, against UCDP GED and CIR "Eyes on Russia".

``python -m evaluation.geocoding --ucdp DIR --cir DIR --baseline DIR [--results DIR]``

What is measured. Each gold event names a place in words and gives hand-checked coordinates:

* UCDP GED (Ukraine, 2022–2023): ``where_description`` is the coder's English text ("village of
  Pravdyne, the #Kherson region", "Krasnoliman direction: areas of the settlements of A, B and
  C of the Luhansk People's Republic"); ``where_prec`` 1 is the exact place, 2 within 25 km.
  The description is parsed (here, the same way for every system) into settlement toponyms,
  each with the region phrase that goes with it and the other names around it. When several
  settlements are named (the same description often backs several events), the toponym
  compared with the event is the one whose consonant skeleton is closest to UCDP's own name
  for the place (``where_coordinates``), so no system is judged on UCDP's choice among them.
* CIR: the ``town/city`` and ``province`` columns of events in Ukraine; coordinates are street
  level, so a right town can still be a few km off. Scored per event and per distinct
  (town, province), whose gold point is the median of its events.

*Resolvable*: the gold point has settlement precision (UCDP ``where_prec`` 1 or 2 and a village,
town or city as UCDP's place; CIR: a town given), and the text names a settlement, not only a
direction, front or district ("Kherson direction" is not resolvable).

Systems, given the same toponym:

* **ours** — ``Gazetteer.lookup(toponym, region=..., near=...)`` of fogofwar's places stage with
  the profile's country priors (UA, RU): the region phrase of the text (UCDP) or the province
  column (CIR) as a region hint, the other names of the description as places to be near.
  UCDP's ``adm_1`` column is not used: it was coded from the gold point. A place the
  gazetteer lacks in the hinted region counts as unresolved, not as its namesake elsewhere.
* **baseline** — GeoNames cities1000 rows for Ukraine, plain case-insensitive lookup of the
  exact name (ASCII-folded, apostrophes ignored), first row wins; no hints.
* **ours, places found in the text** (UCDP only, no target) — ``find_places`` on the whole
  description, as an article would be read; the geocoded settlement most like UCDP's name.

Figures: *resolved* = share of resolvable places given coordinates; *within 10 km of
resolvable* (the target) = share of all resolvable places geocoded within 10 km of the gold
point (unresolved ones count as misses); *within 10 km of resolved* = the same share among
the resolved; median and 90th-percentile error of the resolved. Tuning was done on UCDP 2022
and CIR events with an even row number; UCDP 2023 and odd CIR rows are held out (CIR places:
split by a hash of the name).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import itertools
import math
import re
import statistics
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.metrics import count_categories, haversine_km, percentile, ratio, share_within
from evaluation.results import (
    DEFAULT_PLOTS,
    DEFAULT_RESULTS,
    Metric,
    MissCategory,
    TaskResult,
    format_value,
    print_result,
    save,
)

UCDP_FILE = "UCDP-Ukraine_2014-2023_utf8.csv"
CIR_FILE = "events.csv"
BASELINE_GLOB = "*.csv"
UCDP_YEARS = ("2022", "2023")
TUNE_UCDP_YEAR = "2022"
WITHIN_KM = 10.0
TARGET_WITHIN = 0.90
TARGET_RESOLVED = 0.90
PLOT_NAME = "geocoding.png"

Point = tuple[float, float]
Geocoder = Callable[["Toponym"], Point | None]

# --- Parsing a place description ---------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Region phrases: "<name> region/oblast", "<name> People's Republic", DPR/LPR.
REGION_WORDS = frozenset({"region", "regions", "oblast", "oblasts", "province"})
REPUBLICS = {"dpr": "Donetsk", "lpr": "Luhansk"}
# After a name: the name is no settlement ("Kupyansk direction", "Kirovsky district of Donetsk").
NOT_SETTLEMENT_WORDS = _words(
    """direction directions front sector axis district districts raion rayon forestry street
    square market colony station river reservoir island mine plant bridgehead penal railway
    base building highway road brigade brigades battalion"""
)
# Capitalised words that start no toponym in these descriptions.
STOP_WORDS = _words(
    """in the near not at on to of and a an area areas city village villages town border centre
    center south north east west southern northern eastern western residential outskirts dirt
    behind between positions two one three geolocated yuzhno russians russian ukrainian
    security service ukraine urban industrial covered park field road vostok battalion hq llc
    recreation nuclear power plant donbass donbas as well also such settlement settlements
    direction district region oblast people's republic pr suburb"""
)
# Oblast names and their common spellings (the parser's own list: a "<name> region" that is
# not an oblast is a settlement's area, "the Lvovo region").
OBLAST_NAMES = _words(
    """vinnytsia vinnitsa volyn dnipropetrovsk dnepropetrovsk donetsk zhytomyr zhitomir
    zakarpattia zaporizhzhia zaporizhia zaporozhye zaporizhzhya zaporizja zaporizka ivano
    kyiv kiev kyivska kirovohrad kirovograd kropyvnytskyi luhansk lugansk luhanska lviv lvov
    mykolaiv mykolayiv nikolaev nikolayev mykolaivska mykolajiw odesa odessa poltava rivne
    rovno sumy ternopil kharkiv kharkov charkov kharkivska kherson khersonska khmelnytskyi
    cherkasy chernivtsi chernihiv chernigov tsjernihiv donetska crimea sevastopol belgorod
    kursk bryansk rostov voronezh krasnodar"""
)
_TOKEN = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*|[,;:.()]|\S+")
_NOISE = [
    (re.compile(r"-?\d+(?:\.\d+)?°?(?:\d+'[\d.]+\"?[NE])?"), " "),  # coordinates, counts
    (re.compile(r"\([^)]*\?[^)]*\)"), " "),  # "(????????)": lost Cyrillic
    (re.compile(r"[#@?<>…]+"), " "),
    (re.compile(r"\s+-\s+"), " , "),  # "Davydov Brod - Belogorka"
]
_TYPE_WORD = re.compile(r"\s+(?:village|town|city|settlement)$", re.IGNORECASE)


@dataclass(frozen=True)
class Toponym:
    """A settlement name as written, with the region phrase and the other names around it."""

    name: str
    region: str | None = None
    context: tuple[str, ...] = ()


@dataclass
class _Phrase:
    words: list[str]
    start: int  # token index
    kind: str = "settlement"  # settlement | region | other
    region: str | None = None


def _clean(text: str) -> str:
    text = text.replace("\n", " ")
    for pattern, repl in _NOISE:
        text = pattern.sub(repl, text)
    return text


def _is_cap(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def fold_name(text: str) -> str:
    """Lowercase ASCII, apostrophes dropped, dashes as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’ʼ`´ʹ]", "", text).replace("-", " ")
    return " ".join(text.lower().split())


def is_oblast_name(name: str) -> bool:
    """Whether a name before "region"/"oblast" names an oblast (not a settlement's area)."""
    words = fold_name(name).split()
    return bool(words) and (words[0] in OBLAST_NAMES or " ".join(words) in OBLAST_NAMES)


def _phrases(tokens: list[str]) -> list[_Phrase]:
    """Maximal runs of capitalised words (stop words dropped at the start)."""
    phrases: list[_Phrase] = []
    i = 0
    while i < len(tokens):
        if not _is_cap(tokens[i]) or tokens[i].lower() in STOP_WORDS:
            i += 1
            continue
        j = i
        while j < len(tokens) and _is_cap(tokens[j]) and tokens[j].lower() not in STOP_WORDS:
            j += 1
        phrases.append(_Phrase(tokens[i:j], i))
        i = j
    return phrases


def _classify(tokens: list[str], phrase: _Phrase) -> None:
    """Region phrase, settlement, or something else, from the words that follow it."""
    end = phrase.start + len(phrase.words)
    following = [t.lower() for t in tokens[end : end + 3]]
    name = " ".join(phrase.words)
    nxt = following[0] if following else ""
    if nxt in {"people's", "peoples", "people’s"} or nxt in REGION_WORDS:
        is_region = nxt not in REGION_WORDS or is_oblast_name(name)
        phrase.kind = "region" if is_region else "settlement"
    elif nxt in NOT_SETTLEMENT_WORDS or (nxt == "(" and following[1:2] == ["znpp"]):
        phrase.kind = "other"
    elif name.lower() in REPUBLICS:
        phrase.kind = "region"
        phrase.words = [REPUBLICS[name.lower()]]


def _trailing_regions(tokens: list[str], phrases: list[_Phrase]) -> None:
    """ "Pasika, Kharkiv" / "Kremennaya Luhansk region": an oblast name after a settlement,
    alone in its comma clause, is the settlement's region."""
    for left, right in itertools.pairwise(phrases):
        if left.kind != "settlement" or right.kind != "settlement":
            continue
        between = tokens[left.start + len(left.words) : right.start]
        end = right.start + len(right.words)
        closes = end >= len(tokens) or tokens[end] in {",", ".", ";", "(", ")"}
        if between == [","] and closes and is_oblast_name(" ".join(right.words)):
            right.kind = "region"
    for phrase in list(phrases):  # "Kremennaya Luhansk region"
        end = phrase.start + len(phrase.words)
        nxt = tokens[end].lower() if end < len(tokens) else ""
        last = phrase.words[-1]
        split = len(phrase.words) > 1 and is_oblast_name(last)
        if phrase.kind == "settlement" and nxt in REGION_WORDS and split:
            phrases.append(_Phrase([last], end - 1, "region"))
            phrase.words = phrase.words[:-1]
    phrases.sort(key=lambda p: p.start)


def _spread_plural_kinds(tokens: list[str], phrases: list[_Phrase]) -> None:
    """ "Yuzhno-Donetsk and Zaporizhia directions": the plural kind word covers both names."""
    for left, right in zip(reversed(phrases[:-1]), reversed(phrases[1:]), strict=True):
        between = {t.lower() for t in tokens[left.start + len(left.words) : right.start]}
        if right.kind == "other" and between and between <= {",", "and"}:
            end = right.start + len(right.words)
            if end < len(tokens) and tokens[end].lower().endswith("s"):
                left.kind = "other"


def _assign_regions(tokens: list[str], phrases: list[_Phrase]) -> None:
    """Each settlement takes the first region phrase after it in its clause, else the last
    one before it ("Donetsk region: in A, B and C")."""
    regions = [p for p in phrases if p.kind == "region"]
    for phrase in phrases:
        if phrase.kind != "settlement":
            continue
        after = [r for r in regions if r.start > phrase.start]
        before = [r for r in regions if r.start < phrase.start]
        if after and not any(t in {";", ":", "."} for t in tokens[phrase.start : after[0].start]):
            phrase.region = " ".join(after[0].words)
        elif before:
            phrase.region = " ".join(before[-1].words)
        elif after:
            phrase.region = " ".join(after[0].words)


def parse_description(text: str) -> list[Toponym]:
    """Settlement toponyms of a UCDP ``where_description``, in text order."""
    tokens = _TOKEN.findall(_clean(text))
    phrases = _phrases(tokens)
    for phrase in phrases:
        _classify(tokens, phrase)
    _spread_plural_kinds(tokens, phrases)
    _trailing_regions(tokens, phrases)
    _assign_regions(tokens, phrases)
    names = [" ".join(p.words) for p in phrases if p.kind != "region"]
    toponyms = []
    for phrase in phrases:
        if phrase.kind != "settlement":
            continue
        name = " ".join(phrase.words)
        context = tuple(dict.fromkeys(n for n in names if n != name))
        toponyms.append(Toponym(name, phrase.region, context))
    return toponyms


def skeleton(name: str) -> str:
    """Consonant skeleton for comparing transliterations (Russian vs Ukrainian spellings)."""
    text = fold_name(_TYPE_WORD.sub("", name)).replace("g", "h").replace("w", "v")
    text = re.sub(r"[aeiouy\s]+", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def similarity(a: str, b: str) -> float:
    """How alike two place names are, on their consonant skeletons (0..1)."""
    return difflib.SequenceMatcher(None, skeleton(a), skeleton(b)).ratio()


def align(toponyms: Sequence[Toponym], gold_name: str) -> Toponym | None:
    """The toponym that names the gold place: the most similar to its name, first on ties."""
    if not toponyms:
        return None
    return max(toponyms, key=lambda t: similarity(t.name, gold_name))


# --- Gold cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One gold place to geocode."""

    dataset: str  # ucdp | cir | cir-places
    key: str
    gold_name: str
    lat: float
    lon: float
    stratum: str  # UCDP where_prec; "street" for CIR
    tuned: bool  # part of the tuning split
    resolvable: bool
    toponym: Toponym | None
    text: str


def is_settlement_name(gold_name: str) -> bool:
    """UCDP's place is a settlement ("Shpylivka village"), not a field, road or forest."""
    return bool(re.search(r"\b(?:village|town|city|settlement)$", gold_name.strip(), re.I))


def ucdp_resolvable(where_prec: str, gold_name: str, toponyms: Sequence[Toponym]) -> bool:
    """Settlement-level gold (precision 1 or 2, a settlement) and a settlement in the text."""
    return where_prec in {"1", "2"} and is_settlement_name(gold_name) and bool(toponyms)


def ucdp_cases(path: Path, limit: int | None = None) -> list[Case]:
    """UCDP GED events of 2022–2023 (every precision; only 1–2 can be resolvable)."""
    cases = []
    with (path / UCDP_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["year"] not in UCDP_YEARS:
                continue
            toponyms = parse_description(row["where_description"])
            gold_name = row["where_coordinates"]
            resolvable = ucdp_resolvable(row["where_prec"], gold_name, toponyms)
            cases.append(
                Case(
                    "ucdp",
                    row["id"],
                    gold_name,
                    float(row["latitude"]),
                    float(row["longitude"]),
                    row["where_prec"],
                    row["year"] == TUNE_UCDP_YEAR,
                    resolvable,
                    align(toponyms, gold_name) if resolvable else None,
                    " ".join(row["where_description"].split()),
                )
            )
            if limit and len(cases) >= limit:
                break
    return cases


# CIR town names that are streets, roads or features, not settlements.
NOT_A_TOWN = (
    r"\b(?:vulytsya|vul\.|street|shosse|highway|prospekt|sea|island|peninsula|reservoir"
    r"|airport|bridge|dam)\b"
)


def clean_town(town: str) -> str:
    return town.strip().strip(",.;").strip()


def cir_resolvable(country: str, town: str) -> bool:
    """An event in Ukraine whose town column names a place (not a street or a highway)."""
    if country != "Ukraine" or not clean_town(town):
        return False
    return not re.search(NOT_A_TOWN, town, re.I)


def cir_cases(path: Path, limit: int | None = None) -> list[Case]:
    """CIR events in Ukraine (row number parity decides the split)."""
    cases = []
    with (path / CIR_FILE).open(encoding="utf-8", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle)):
            if row["country"] != "Ukraine":
                continue
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError:
                continue
            town, province = clean_town(row["town/city"]), row["province"].strip()
            cases.append(
                Case(
                    "cir",
                    row["entry"],
                    town,
                    lat,
                    lon,
                    "street",
                    row_number % 2 == 0,
                    cir_resolvable(row["country"], town),
                    Toponym(town, province or None) if town else None,
                    f"{town}, {province}",
                )
            )
            if limit and len(cases) >= limit:
                break
    return cases


def distinct_places(cases: Iterable[Case]) -> list[Case]:
    """One case per (town, province): the median point of its events; split by a name hash."""
    groups: dict[tuple[str, str], list[Case]] = {}
    for case in cases:
        if case.toponym is not None:
            groups.setdefault((case.toponym.name, case.toponym.region or ""), []).append(case)
    places = []
    for (town, province), members in sorted(groups.items()):
        first = members[0]
        places.append(
            Case(
                "cir-places",
                f"{town}|{province}",
                town,
                statistics.median(c.lat for c in members),
                statistics.median(c.lon for c in members),
                "street",
                zlib.crc32(town.encode()) % 2 == 0,
                first.resolvable,
                first.toponym,
                first.text,
            )
        )
    return places


# --- Systems -----------------------------------------------------------------------------------


def load_baseline(path: Path) -> dict[str, list[Point]]:
    """Folded name -> points in file order, from the GeoNames cities1000 rows for Ukraine."""
    files = sorted(path.glob(BASELINE_GLOB))
    if not files:
        raise FileNotFoundError(f"{path}: no CSV file")
    table: dict[str, list[Point]] = {}
    with files[0].open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(fold_name(row["name"]), []).append(
                (float(row["lat"]), float(row["lon"]))
            )
    return table


def baseline_geocoder(table: dict[str, list[Point]]) -> Geocoder:
    """Plain lookup: the first row with the exact (folded) name; no hints."""

    def geocode(toponym: Toponym) -> Point | None:
        points = table.get(fold_name(toponym.name))
        return points[0] if points else None

    return geocode


def ours_geocoder(priors: Sequence[str] = ("UA", "RU")) -> Geocoder:
    """fogofwar's gazetteer with the text's region phrase and neighbouring names as hints."""
    from fogofwar.places import get_gazetteer

    gazetteer = get_gazetteer(priors)

    def geocode(toponym: Toponym) -> Point | None:
        geo = gazetteer.lookup(toponym.name, region=toponym.region, near=toponym.context)
        return (geo.lat, geo.lon) if geo is not None else None

    return geocode


def text_outcomes(cases: Iterable[Case], priors: Sequence[str] = ("UA", "RU")) -> list[Outcome]:
    """End to end: the places stage reads the whole description (``find_places`` on the parsed
    text, its own region hints); the geocoded settlement most like UCDP's name is compared."""
    from fogofwar.nlp import get_nlp
    from fogofwar.places import find_places, get_gazetteer

    gazetteer, nlp = get_gazetteer(priors), get_nlp()
    resolvable = [c for c in cases if c.resolvable and c.toponym]
    outcomes = []
    for case, doc in zip(resolvable, nlp.pipe(c.text for c in resolvable), strict=True):
        found = [
            m
            for m in find_places(doc, gazetteer)
            if m.geo is not None and m.geo.precision == "settlement"
        ]
        best = max(found, key=lambda m: similarity(m.name, case.gold_name), default=None)
        outcomes.append(Outcome(case, (best.geo.lat, best.geo.lon) if best else None))
    return outcomes


# --- Scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    case: Case
    point: Point | None

    @property
    def error_km(self) -> float | None:
        if self.point is None:
            return None
        return haversine_km(self.case.lat, self.case.lon, *self.point)


def run(cases: Iterable[Case], geocode: Geocoder) -> list[Outcome]:
    """Geocode every resolvable case."""
    return [Outcome(c, geocode(c.toponym)) for c in cases if c.resolvable and c.toponym]


@dataclass(frozen=True)
class Summary:
    n: int  # resolvable
    resolved: int
    median_km: float
    p90_km: float
    within_of_resolvable: float
    within_of_resolved: float


def summarize(outcomes: Sequence[Outcome], limit_km: float = WITHIN_KM) -> Summary:
    """Share resolved, error quantiles of the resolved, shares within ``limit_km``."""
    errors = [o.error_km for o in outcomes if o.error_km is not None]
    within = sum(e <= limit_km for e in errors)
    return Summary(
        len(outcomes),
        len(errors),
        percentile(errors, 50),
        percentile(errors, 90),
        ratio(within, len(outcomes)),
        share_within(errors, limit_km),
    )


@dataclass
class Slice:
    """A named subset of one dataset, scored for both systems."""

    label: str
    ours: list[Outcome]
    baseline: list[Outcome]
    targeted: bool = False


def _metrics(label: str, system: str, summary: Summary, targeted: bool) -> list[Metric]:
    """All five figures for a whole dataset; resolved, within 10 km and median for a part."""
    name = f"{label} {system}"
    target = system == "ours" and targeted
    metrics = [
        Metric(
            f"{name}: resolved",
            ratio(summary.resolved, summary.n),
            summary.n,
            TARGET_RESOLVED if target else None,
        ),
        Metric(
            f"{name}: within 10 km of resolvable",
            summary.within_of_resolvable,
            summary.n,
            TARGET_WITHIN if target else None,
        ),
        Metric(f"{name}: within 10 km of resolved", summary.within_of_resolved, summary.resolved),
        Metric(
            f"{name}: median error",
            _finite(summary.median_km),
            summary.resolved,
            unit="km",
            higher_is_better=False,
        ),
        Metric(
            f"{name}: p90 error",
            _finite(summary.p90_km),
            summary.resolved,
            unit="km",
            higher_is_better=False,
        ),
    ]
    keep = {"resolved", "within 10 km of resolvable", "median error"}
    return metrics if targeted else [m for m in metrics if m.name.split(": ", 1)[1] in keep]


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def slice_metrics(
    slices: Sequence[Slice], diagnose: Callable[[Outcome], Diagnosis] | None = None
) -> list[Metric]:
    """Figures of every slice, ours then the baseline; for targeted slices also the share
    whose name has a candidate within 10 km of the gold point (what ranking can reach)."""
    metrics = []
    for piece in slices:
        ours = _metrics(piece.label, "ours", summarize(piece.ours), piece.targeted)
        baseline = _metrics(piece.label, "baseline", summarize(piece.baseline), piece.targeted)
        for mine, theirs in zip(ours, baseline, strict=True):
            if mine.target is not None:
                mine.anchor = f"baseline (GeoNames cities1000 lookup): {format_value(theirs)}"
        metrics += ours
        if piece.targeted and diagnose is not None:
            reachable = sum(diagnose(o).near for o in piece.ours)
            metrics.append(
                Metric(
                    f"{piece.label} ours: a candidate of that name within 10 km (ceiling)",
                    ratio(reachable, len(piece.ours)),
                    len(piece.ours),
                )
            )
        metrics += baseline
    return metrics


def text_metrics(outcomes: Sequence[Outcome]) -> list[Metric]:
    """The end-to-end reading of the UCDP descriptions (no target: a different input)."""
    summary = summarize(outcomes)
    label = "UCDP ours, places found in the text"
    return [
        Metric(f"{label}: resolved", ratio(summary.resolved, summary.n), summary.n),
        Metric(f"{label}: within 10 km of resolvable", summary.within_of_resolvable, summary.n),
    ]


def _subset(outcomes: list[Outcome], keep: Callable[[Case], bool]) -> list[Outcome]:
    return [o for o in outcomes if keep(o.case)]


def build_slices(ours: list[Outcome], base: list[Outcome]) -> list[Slice]:
    """Overall (targeted) and per precision / split, for each dataset."""
    slices = []
    for dataset, label in (("ucdp", "UCDP"), ("cir", "CIR events"), ("cir-places", "CIR places")):
        o = _subset(ours, lambda c, d=dataset: c.dataset == d)
        b = _subset(base, lambda c, d=dataset: c.dataset == d)
        if not o:
            continue
        slices.append(Slice(label, o, b, targeted=True))
        if dataset == "ucdp":
            for prec in ("1", "2"):
                keep = lambda c, p=prec: c.stratum == p  # noqa: E731
                slices.append(Slice(f"UCDP prec {prec}", _subset(o, keep), _subset(b, keep)))
        for tuned, part in ((True, "tuning part"), (False, "held-out part")):
            keep = lambda c, t=tuned: c.tuned == t  # noqa: E731
            slices.append(Slice(f"{label} {part}", _subset(o, keep), _subset(b, keep)))
    return slices


# --- Misses ------------------------------------------------------------------------------------

MISS_EXPLANATIONS = {
    "not in gazetteer": "no candidate at all for the name (missing village or unknown spelling)",
    "none in the named region": "namesakes exist, but none in the region the text names",
    "wrong namesake": "a namesake lies within 10 km of the gold point, another was picked",
    "other place": "resolved to a place of a similar name elsewhere; the right one is not known",
    "close (10-25 km)": "mostly the right town, but the event lies 10-25 km from its point "
    "(street-level events in Mariupol, Kharkiv, Donetsk, Kyiv; city districts)",
    "gold place not named": "the description does not name UCDP's place in a recognisable spelling",
}


@dataclass(frozen=True)
class Diagnosis:
    candidates: int  # candidates for the name, whatever the hints
    near: bool  # one of them within 10 km of the gold point


def miss_category(outcome: Outcome, diagnose: Callable[[Outcome], Diagnosis]) -> str:
    """Why a resolvable place was not geocoded within 10 km."""
    case = outcome.case
    if (
        case.dataset == "ucdp"
        and case.toponym
        and similarity(case.toponym.name, case.gold_name) < 0.5
    ):
        return "gold place not named"
    error = outcome.error_km
    diagnosis = diagnose(outcome)
    if error is None:
        return "none in the named region" if diagnosis.candidates else "not in gazetteer"
    if diagnosis.near:
        return "wrong namesake"
    if error <= 25:
        return "close (10-25 km)"
    return "other place"


DATASET_LABELS = {"ucdp": "UCDP", "cir": "CIR events", "cir-places": "CIR places"}


def misses(
    outcomes: Sequence[Outcome], diagnose: Callable[[Outcome], Diagnosis], examples: int = 4
) -> list[MissCategory]:
    """Misses by dataset and category, with a few distinct examples each."""
    failed = [o for o in outcomes if o.error_km is None or o.error_km > WITHIN_KM]
    by_category: dict[str, list[Outcome]] = {}
    for outcome in failed:
        label = f"{DATASET_LABELS[outcome.case.dataset]}: {miss_category(outcome, diagnose)}"
        by_category.setdefault(label, []).append(outcome)
    result = []
    for name, count in count_categories(n for n, group in by_category.items() for _ in group):
        shown: dict[tuple[str, str | None], str] = {}
        for o in by_category[name]:
            toponym = o.case.toponym
            if len(shown) == examples or (toponym.name, toponym.region) in shown:
                continue
            error = "unresolved" if o.error_km is None else f"{o.error_km:.0f} km off"
            region = f" [{toponym.region}]" if toponym.region else ""
            shown[(toponym.name, toponym.region)] = (
                f"'{toponym.name}'{region} → {error}; gold {o.case.gold_name} "
                f"({o.case.key}: {o.case.text[:70]})"
            )
        category = name.split(": ", 1)[1]
        explanation = MISS_EXPLANATIONS.get(category, "")
        result.append(MissCategory(name, count, list(shown.values()), explanation))
    return result


def candidate_checker(priors: Sequence[str] = ("UA", "RU")) -> Callable[[Outcome], Diagnosis]:
    """How many candidates our gazetteer has for the toponym, and whether one is within 10 km
    of the gold point (in any region: the ceiling of choosing among namesakes)."""
    from fogofwar.places import get_gazetteer

    gazetteer = get_gazetteer(priors)
    cache: dict[tuple[str, float, float], Diagnosis] = {}

    def diagnose(outcome: Outcome) -> Diagnosis:
        case = outcome.case
        key = (case.toponym.name, case.lat, case.lon)
        if key not in cache:
            found = gazetteer.candidates(case.toponym.name)
            near = any(haversine_km(case.lat, case.lon, g.lat, g.lon) <= WITHIN_KM for g in found)
            cache[key] = Diagnosis(len(found), near)
        return cache[key]

    return diagnose


# --- Plot --------------------------------------------------------------------------------------


def cdf_points(outcomes: Sequence[Outcome]) -> tuple[list[float], list[float]]:
    """Sorted errors and the share of all resolvable places within each (unresolved: never)."""
    errors = sorted(o.error_km for o in outcomes if o.error_km is not None)
    n = len(outcomes)
    return errors, [(i + 1) / n for i in range(len(errors))]


def plot(slices: Sequence[Slice], path: Path) -> None:
    """Error CDF per dataset, ours vs baseline, with the 10 km line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targeted = [s for s in slices if s.targeted]
    fig, axes = plt.subplots(1, len(targeted), figsize=(4.2 * len(targeted), 3.6), squeeze=False)
    for ax, piece in zip(axes[0], targeted, strict=True):
        for outcomes, label, style in (
            (piece.ours, "fogofwar", "-"),
            (piece.baseline, "baseline", "--"),
        ):
            xs, ys = cdf_points(outcomes)
            ax.step([0.1, *xs], [0.0, *ys], style, where="post", label=label)
        ax.axvline(WITHIN_KM, color="grey", linewidth=0.8)
        ax.axhline(TARGET_WITHIN, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xscale("log")
        ax.set_xlim(0.1, 2000)
        ax.set_ylim(0, 1)
        ax.set_title(f"{piece.label} (n={len(piece.ours)})")
        ax.set_xlabel("error, km (log)")
        ax.legend(loc="lower right")
    axes[0][0].set_ylabel("share of resolvable places")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- Command line ------------------------------------------------------------------------------


def _check_dir(path: Path, name: str, expected: str) -> None:
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such directory ({name})")
    if expected and not (path / expected).is_file():
        raise FileNotFoundError(f"{path}: {expected} not found ({name})")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.geocoding", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--ucdp", type=Path, required=True, help="folder of the UCDP GED CSV")
    parser.add_argument("--cir", type=Path, required=True, help="folder of CIR events.csv")
    parser.add_argument("--baseline", type=Path, required=True, help="folder of the UA cities")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--plots", type=Path, default=DEFAULT_PLOTS)
    parser.add_argument("--limit", type=int, default=None, help="at most N events per dataset")
    return parser.parse_args(argv)


def evaluate(args: argparse.Namespace) -> TaskResult:
    started = time.perf_counter()
    ucdp = ucdp_cases(args.ucdp, args.limit)
    cir = cir_cases(args.cir, args.limit)
    cases = [*ucdp, *cir, *distinct_places(cir)]
    ours = run(cases, ours_geocoder())
    base = run(cases, baseline_geocoder(load_baseline(args.baseline)))
    slices = build_slices(ours, base)
    in_text = text_outcomes(ucdp)
    checker = candidate_checker()
    result = TaskResult(
        task="geocoding",
        title="Geocoding of reported place names",
        data=(
            f"UCDP GED Ukraine 2022–23: {len(ucdp)} events, "
            f"{sum(c.resolvable for c in ucdp)} resolvable (where_prec 1–2, a settlement named); "
            f"CIR: {len(cir)} events in Ukraine, {sum(c.resolvable for c in cir)} resolvable"
        ),
        metrics=slice_metrics(slices, checker) + text_metrics(in_text),
        misses=misses([o for o in ours if o.case.dataset != "cir"], checker),
        plots=[f"img/{PLOT_NAME}"],
    )
    plot(slices, args.plots / PLOT_NAME)
    result.sections += [_method_section(), coverage_section(slices, checker)]
    result.seconds = time.perf_counter() - started
    return result


def coverage_section(slices: Sequence[Slice], diagnose: Callable[[Outcome], Diagnosis]) -> str:
    """A Markdown table: how far ranking can go with the gazetteer as it is."""
    rows = [
        "| data | resolvable | ours within 10 km | a candidate of that name within 10 km "
        "| no candidate of that name at all |",
        "|---|---|---|---|---|",
    ]
    for piece in (s for s in slices if s.targeted):
        n = len(piece.ours)
        diagnoses = [diagnose(o) for o in piece.ours]
        reachable = ratio(sum(d.near for d in diagnoses), n)
        unknown = ratio(sum(d.candidates == 0 for d in diagnoses), n)
        within = summarize(piece.ours).within_of_resolvable
        rows.append(f"| {piece.label} | {n} | {within:.3f} | {reachable:.3f} | {unknown:.3f} |")
    return (
        "What blocks the target. A place can only be geocoded within 10 km if the gazetteer "
        "knows a place of that name (in some spelling) there; the share that does is the "
        "ceiling of any ranking. Most misses are villages GeoNames cities500 lacks (under 500 "
        "inhabitants or no population recorded) — often with namesakes elsewhere, which a "
        "region hint then rightly refuses.\n\n" + "\n".join(rows)
    )


def _method_section() -> str:
    body = __doc__.split("What is measured.", 1)[1]
    return "How it is measured." + body


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        _check_dir(args.ucdp, "--ucdp", UCDP_FILE)
        _check_dir(args.cir, "--cir", CIR_FILE)
        _check_dir(args.baseline, "--baseline", "")
        if not list(args.baseline.glob(BASELINE_GLOB)):
            raise FileNotFoundError(f"{args.baseline}: no CSV file (--baseline)")
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    result = evaluate(args)
    print_result(result)
    for miss in result.misses:
        for example in miss.examples:
            print(f"    {miss.name}: {example}")
    path = save(result, args.results)
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
