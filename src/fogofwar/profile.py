"""Conflict profiles: sides, factions, organisations, people and their aliases, as YAML data.

A profile is everything fogofwar knows about one war. Adding a war means adding a YAML file
(see ``data/profiles/``), never code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .models import THIRD, UNKNOWN, Actor

PROFILE_DIR = "data/profiles"
ENTITY_KINDS = {"person", "military", "government", "armed_group", "analyst", "media", "witness"}


class ProfileError(Exception):
    """A profile cannot be found or is malformed (one-line message naming the file)."""


@dataclass(frozen=True)
class Entity:
    """A known speaker or force: a person, an organisation or a metonym for a side."""

    name: str
    side: str
    faction: str | None
    kind: str
    category: str  # person | organisation | metonym
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def actor(self) -> Actor:
        return Actor(
            name=self.name,
            side=self.side,
            faction=self.faction,
            kind=self.kind,  # type: ignore[arg-type]
            canonical=self.name,
        )


@dataclass(frozen=True)
class TitleRule:
    """Title words ("Wagner boss", "governor") that tell the side/faction/kind of a person."""

    words: tuple[str, ...]
    side: str | None = None
    faction: str | None = None
    faction_suffix: str | None = None
    kind: str | None = None


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Case-folded, apostrophe-normalised, whitespace-collapsed name without a leading 'the'."""
    text = _SPACE.sub(" ", text.translate(_APOSTROPHES)).strip().casefold()
    text = re.sub(r"^the\s+", "", text)
    return text.strip(" ,.;:\"'")


@dataclass
class Profile:
    """One war: its sides and who is who."""

    name: str
    sides: dict[str, str]
    entities: list[Entity]
    demonyms: dict[str, str]  # normalised word -> side
    enemy_words: frozenset[str]
    titles: list[TitleRule]
    country_priors: tuple[str, ...] = ()
    faction_prefix: dict[str, str] = field(default_factory=dict)
    home_countries: dict[str, str] = field(default_factory=dict)  # ISO country code -> side
    description: str = ""
    version: int = 1
    path: str = ""
    _index: dict[str, Entity] = field(default_factory=dict, repr=False)
    _roles: dict[str, Entity] = field(default_factory=dict, repr=False)
    _multiword_demonyms: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for entity in self.entities:
            for alias in (entity.name, *entity.aliases):
                self._index.setdefault(normalise_name(alias), entity)
            for role in entity.roles:
                self._roles.setdefault(normalise_name(role), entity)
        self._multiword_demonyms = tuple(w for w in self.demonyms if " " in w)

    # --- lookups -------------------------------------------------------------------------
    def find_entity(self, text: str | None, *, roles: bool = True) -> Entity | None:
        """The entity a name, alias or role refers to ("Russia's defence ministry" → Russian
        Defense Ministry; "the head of the Wagner Group" → Yevgeny Prigozhin), trying the whole
        text, then without a possessive. ``roles=False`` for indefinite descriptions: "an RSF
        commander" is not the RSF's commander."""
        if not text:
            return None
        key = normalise_name(text)
        keys = [key, key[:-2]] if key.endswith("'s") else [key]
        for k in keys:
            hit = self._index.get(k) or (self._roles.get(k) if roles else None)
            if hit is not None:
                return hit
        return None

    def side_of_word(self, word: str) -> str | None:
        """Side marked by a demonym or side name ("Russian" → RU, "Kyiv's" → UA)."""
        key = normalise_name(word)
        if key in self.demonyms:
            return self.demonyms[key]
        if key.endswith("'s") and key[:-2] in self.demonyms:
            return self.demonyms[key[:-2]]
        return None

    def side_in_text(self, text: str) -> str | None:
        """First side marked by a multi-word demonym ("sudanese army") inside a phrase."""
        low = normalise_name(text)
        for phrase in self._multiword_demonyms:
            if re.search(rf"\b{re.escape(phrase)}\b", low):
                return self.demonyms[phrase]
        return None

    def is_enemy_word(self, word: str) -> bool:
        return normalise_name(word) in self.enemy_words

    def opposite(self, side: str | None) -> str | None:
        """The other belligerent in a two-sided profile."""
        if side not in self.sides or len(self.sides) != 2:
            return None
        return next(s for s in self.sides if s != side)

    def entity_keys(self, name: str | None) -> set[str]:
        """Identity keys for a name: the canonical entity when known, else the name itself."""
        if not name:
            return set()
        entity = self.find_entity(name)
        keys = {normalise_name(name)}
        if entity is not None:
            keys.add("entity:" + entity.name.casefold())
        return keys

    def title_rule(self, title: str) -> TitleRule | None:
        """The first title rule whose words occur in a title phrase."""
        low = " " + normalise_name(title) + " "
        for rule in self.titles:
            if any(f" {w} " in low for w in rule.words):
                return rule
        return None

    def faction_for(self, side: str, suffix: str | None) -> str | None:
        prefix = self.faction_prefix.get(side)
        if prefix and suffix:
            return f"{prefix}_{suffix}"
        return None

    def actor_from_title(self, name: str, title: str, kind: str = "person") -> Actor:
        """An actor for a name not in the profile, with side and faction from its title words."""
        side = self.side_of_title(title)
        rule = self.title_rule(title)
        faction = None
        if rule is not None:
            side = rule.side or side
            faction = rule.faction or (
                self.faction_for(side, rule.faction_suffix) if side else None
            )
            kind = rule.kind or kind
        reason = None if side else "side not stated in the speaker's title or the profile"
        return Actor(name=name, side=side or UNKNOWN, faction=faction, kind=kind, reason=reason)  # type: ignore[arg-type]

    def side_of_title(self, title: str) -> str | None:
        """Side marked in a title ("Ukrainian Deputy Defense Minister" → UA)."""
        multi = self.side_in_text(title)
        if multi:
            return multi
        for word in re.findall(r"[\w'’-]+", title):
            side = self.side_of_word(word)
            if side:
                return side
            entity = self.find_entity(word)
            if (
                entity is not None
                and entity.category == "organisation"
                and entity.side in self.sides
            ):
                return entity.side
        return None

    def is_side(self, code: str) -> bool:
        return code in self.sides or code in (THIRD, UNKNOWN)


# --- loading -------------------------------------------------------------------------------


def available_profiles() -> list[str]:
    """Names of the bundled profiles."""
    folder = resources.files("fogofwar").joinpath(PROFILE_DIR)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


@lru_cache(maxsize=16)
def load_profile(name_or_path: str = "russia-ukraine") -> Profile:
    """Load a bundled profile by name ("russia-ukraine", "sudan") or a YAML file by path."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        raw_text, origin = path.read_text(encoding="utf-8"), str(path)
    else:
        resource = resources.files("fogofwar").joinpath(f"{PROFILE_DIR}/{name_or_path}.yaml")
        if not resource.is_file():
            known = ", ".join(available_profiles())
            raise ProfileError(f"{name_or_path}: unknown profile (bundled: {known})")
        raw_text, origin = resource.read_text(encoding="utf-8"), f"{name_or_path}.yaml"
    try:
        data = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{origin}: not valid YAML ({str(exc).splitlines()[0]})") from None
    return profile_from_dict(data, origin)


def profile_from_dict(data: Any, origin: str = "<profile>") -> Profile:
    """Build and validate a profile from parsed YAML."""
    if not isinstance(data, dict) or not isinstance(data.get("sides"), dict) or not data["sides"]:
        raise ProfileError(f"{origin}: a profile needs a 'sides' mapping")
    sides = {str(k): str(v) for k, v in data["sides"].items()}
    valid_sides = set(sides) | {THIRD, UNKNOWN}
    entities = [
        *_entities(data.get("metonyms", []), "metonym", valid_sides, origin),
        *_entities(data.get("organisations", []), "organisation", valid_sides, origin),
        *_entities(data.get("people", []), "person", valid_sides, origin),
    ]
    demonyms: dict[str, str] = {}
    for side, words in (data.get("demonyms") or {}).items():
        if side not in sides:
            raise ProfileError(f"{origin}: demonyms for unknown side {side!r}")
        for word in words:
            demonyms[normalise_name(str(word))] = side
    titles = [_title_rule(t, valid_sides, origin) for t in data.get("titles", [])]
    return Profile(
        name=str(data.get("name", origin)),
        sides=sides,
        entities=entities,
        demonyms=demonyms,
        enemy_words=frozenset(normalise_name(w) for w in data.get("enemy_words", [])),
        titles=titles,
        country_priors=tuple(data.get("country_priors", [])),
        faction_prefix={str(k): str(v) for k, v in (data.get("faction_prefix") or {}).items()},
        home_countries={str(k): str(v) for k, v in (data.get("home_countries") or {}).items()},
        description=str(data.get("description", "")),
        version=int(data.get("version", 1)),
        path=origin,
    )


def _entities(items: list[Any], category: str, sides: set[str], origin: str) -> list[Entity]:
    out = []
    for item in items or []:
        if not isinstance(item, dict) or "name" not in item:
            raise ProfileError(f"{origin}: every {category} entry needs a 'name': {item!r}")
        side = str(item.get("side", UNKNOWN))
        if side not in sides:
            raise ProfileError(f"{origin}: {item['name']!r} has unknown side {side!r}")
        kind = str(item.get("kind", "person" if category == "person" else "government"))
        if kind not in ENTITY_KINDS:
            raise ProfileError(f"{origin}: {item['name']!r} has unknown kind {kind!r}")
        out.append(
            Entity(
                name=str(item["name"]),
                side=side,
                faction=item.get("faction"),
                kind=kind,
                category=category,
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
                roles=tuple(str(r) for r in item.get("roles") or ()),
            )
        )
    return out


def _title_rule(item: Any, sides: set[str], origin: str) -> TitleRule:
    if not isinstance(item, dict) or not item.get("words"):
        raise ProfileError(f"{origin}: every title rule needs 'words': {item!r}")
    side = item.get("side")
    if side is not None and side not in sides:
        raise ProfileError(f"{origin}: title rule {item['words'][0]!r} has unknown side {side!r}")
    return TitleRule(
        words=tuple(normalise_name(str(w)) for w in item["words"]),
        side=side,
        faction=item.get("faction"),
        faction_suffix=item.get("faction_suffix"),
        kind=item.get("kind"),
    )
