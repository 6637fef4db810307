"""Glue between the gold scorer (``evaluate``) and the pipeline: which profile a gold article
belongs to, and profile/gazetteer-aware identity of sources and places."""

from __future__ import annotations

from typing import Any

from .evaluate import GoldDoc, Matcher, default_matcher
from .places import get_gazetteer
from .profile import Profile, available_profiles, load_profile

DEFAULT_PROFILE = "russia-ukraine"


def profile_for(doc: GoldDoc) -> str:
    """The bundled profile whose sides are the gold article's sides (default Russia–Ukraine)."""
    if doc.sides:
        for name in available_profiles():
            if set(load_profile(name).sides) == set(doc.sides):
                return name
    return DEFAULT_PROFILE


def analyze_gold(doc: GoldDoc) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the pipeline on a gold article; claim and quote dicts for the scorer."""
    from .pipeline import analyze

    analysis = analyze(
        doc.text, published=doc.published, url=doc.url, outlet=doc.outlet, profile=profile_for(doc)
    )
    data = analysis.to_dict()
    return data["claims"], data["quotes"]


STOP_WORDS = {"the", "a", "an", "of", "from", "in", "for", "'s", "’s", "and", "at", "on"}


def _content_words(name: str, profiles: list[Profile]) -> set[str]:
    """Words of a name without function words and without side names ("Ukraine's")."""
    words = set()
    for raw in name.replace("’", "'").split():
        word = raw.casefold().strip(",.")
        word = word[:-2] if word.endswith("'s") else word
        if word in STOP_WORDS or any(p.side_of_word(word) for p in profiles):
            continue
        words.add(word)
    return words


def matcher_for(docs: list[GoldDoc]) -> Matcher:
    """A matcher that knows every alias of the profiles used by these gold articles, and
    resolves place names through the gazetteer (Kiev ≡ Kyiv)."""
    profiles: list[Profile] = [load_profile(n) for n in sorted({profile_for(d) for d in docs})]

    def alias_keys(name: str) -> set[str]:
        keys: set[str] = set()
        words = name.split()
        if words and words[-1].islower() and words[-1].endswith("s") and len(words) <= 2:
            # unnamed plural sources: "officials" ≡ "Ukrainian officials", "prosecutors" ≡ ...
            keys.add("generic:" + words[-1].casefold())
        for profile in profiles:
            keys |= {k for k in profile.entity_keys(name) if k.startswith("entity:")}
        content = _content_words(name, profiles)
        if len(content) >= 3:
            # a described group in any word order: "72nd Mechanized Brigade soldiers" ≡
            # "Soldiers from Ukraine's 72nd Mechanized Brigade"
            keys.add("words:" + " ".join(sorted(content)))
        return keys

    priors = tuple(c for p in profiles for c in p.country_priors)
    gazetteer = get_gazetteer(priors)

    def place_keys(name: str) -> set[str]:
        geo = gazetteer.lookup(name)
        if geo is None:
            return set()
        return {f"geo:{geo.name}:{round(geo.lat, 1)}:{round(geo.lon, 1)}"}

    return default_matcher(alias_keys=alias_keys, place_keys=place_keys)
