"""Actors and sides: who a noun phrase names, and which side a force or speaker belongs to.

Resolves names against the conflict profile (aliases, roles, metonyms), strips titles
("Wagner boss Yevgeny Prigozhin") while using them for side and faction, and resolves
pronouns ("he said") and descriptions ("the think tank", "the ministry") against the
people and organisations mentioned before, through a small :class:`Discourse` memory.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from .models import CIVILIAN, THIRD, UNKNOWN, Actor, Geo
from .nlp import doc_text, phrase_without
from .profile import Profile, normalise_name

PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
ORG_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their"}
FIRST_PERSON = {"we", "us", "our", "ours", "i", "me", "my"}
# Clause parts that are not part of a speaker's name.
NAME_STOP_DEPS = {"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "prep_in"}
GENERIC_HEADS = {
    "ministry": "ministry",
    "military": "military",
    "army": "army",
    "think": "analyst",
    "tank": "analyst",
    "unit": "military",
    "group": None,
    "force": "military",
    "forces": "military",
    "agency": None,
    "office": None,
    "command": "military",
    "council": None,
    "service": None,
    "governor": "person",
    "mayor": "person",
    "official": None,
    "spokesman": "person",
    "spokesperson": "person",
    "spokeswoman": "person",
    "commander": "person",
    "general": "person",
    "president": "person",
    "minister": "person",
    "chief": "person",
    "head": "person",
    "administration": None,
    "government": None,
    "authorities": None,
    "brigade": "military",
}
WITNESS_HEADS = {
    "eyewitness",
    "witness",
    "resident",
    "local",
    "volunteer",
    "activist",
    "doctor",
    "survivor",
    "source",
    "medic",
}
PERSON_KIND_HEADS = {
    "official",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "commander",
    "general",
    "governor",
    "mayor",
    "minister",
    "president",
    "adviser",
    "advisor",
    "officer",
    "soldier",
    "analyst",
    "blogger",
    "correspondent",
}


# Title words that end a title and start a name ("... Spokesperson Dmytro Lykhovy").
TITLE_WORDS = {
    "commander", "chief", "general", "gen", "spokesperson", "spokesman", "spokeswoman",
    "minister", "president", "governor", "mayor", "colonel", "col", "brigadier", "major",
    "maj", "lieutenant", "lt", "captain", "capt", "sergeant", "sgt", "secretary", "head",
    "deputy", "adviser", "advisor", "ambassador", "official", "director", "prosecutor",
    "commander-in-chief", "marshal", "admiral", "envoy", "senator", "lawmaker",
}  # fmt: skip


@dataclass
class Mention:
    """An actor mentioned at a position, remembered for later pronouns and descriptions."""

    actor: Actor
    position: int
    speaker: bool


@dataclass
class Discourse:
    """What has been mentioned so far in an article (most recent last)."""

    mentions: list[Mention] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)

    def remember(self, actor: Actor, position: int, speaker: bool) -> None:
        if actor.name:
            self.mentions.append(Mention(actor, position, speaker))

    def note_gender(self, actor: Actor, pronoun: str) -> None:
        gender = PERSON_PRONOUNS.get(pronoun)
        if actor.name and gender:
            self.genders.setdefault(actor.name, gender)

    def last(
        self,
        before: int,
        *,
        person: bool | None,
        gender: str | None = None,
        predicate: Callable[[Actor], bool] | None = None,
    ) -> Actor | None:
        """Most recent actor before a position, preferring speakers."""
        candidates = [m for m in self.mentions if m.position < before]
        if person is not None:
            candidates = [m for m in candidates if (m.actor.kind == "person") == person]
        if gender:
            candidates = [
                m for m in candidates if self.genders.get(m.actor.name or "", gender) == gender
            ]
        if predicate is not None:
            candidates = [m for m in candidates if predicate(m.actor)]
        if not candidates:
            return None
        speakers = [m for m in candidates if m.speaker]
        return (speakers or candidates)[-1].actor


class ActorResolver:
    """Turns noun phrases into actors with sides, using the profile and the discourse."""

    def __init__(self, profile: Profile, locate: Callable[[str], Geo | None] | None = None) -> None:
        self.profile = profile
        self.locate = locate  # gazetteer lookup: "Kharkiv Mayor" is on the side of Kharkiv

    def titled(self, name: str, title: str, kind: str = "person") -> Actor:
        """An actor from a name and its title; a title naming a place of one side's country
        ("Kharkiv Mayor", "Belgorod regional governor") gives that side when nothing else does."""
        actor = self.profile.actor_from_title(name, title, kind)
        if actor.side != UNKNOWN or self.locate is None or not self.profile.home_countries:
            return actor
        words = re.findall(r"\b[A-Z][\w'’-]+", title)
        for word in [*(f"{a} {b}" for a, b in itertools.pairwise(words)), *words]:
            geo = self.locate(word)
            side = self.profile.home_countries.get(geo.country or "") if geo else None
            if side and geo and geo.precision in {"settlement", "admin1"}:
                rule = self.profile.title_rule(title)
                actor.side, actor.reason = side, None
                if rule is not None and rule.faction_suffix and actor.faction is None:
                    actor.faction = self.profile.faction_for(side, rule.faction_suffix)
                break
        return actor

    # --- names ---------------------------------------------------------------------------
    def name_tokens(self, head: Token) -> list[Token]:
        """The tokens of the name phrase headed by ``head``, without clauses and appositions."""
        skip: set[int] = set()
        keep_preps = {"of", "for"}
        if head.pos_ == "NOUN" and head.tag_ == "NNS":
            keep_preps = {
                "of",
                "for",
                "from",
                "in",
            }  # "analysts from DeepState", "volunteers in El Fasher"
        for token in head.subtree:
            if token.i == head.i or token.i in skip:
                continue
            if token.dep_ in {
                "relcl",
                "acl",
                "appos",
                "advcl",
                "punct",
                "cc",
                "conj",
                "parataxis",
            } or (
                token.dep_ == "prep"
                and (token.head.i != head.i or token.lower_ not in keep_preps)
                and token.lower_ not in {"of", "for"}
            ):
                skip.update(t.i for t in token.subtree)
        tokens = [t for t in head.subtree if t.i not in skip]
        while tokens and (tokens[0].is_punct or tokens[0].lower_ in {"the", "a", "an"}):
            tokens.pop(0)
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        return tokens

    def resolve(
        self, head: Token, discourse: Discourse, *, speaker_of: Actor | None = None
    ) -> Actor:
        """The actor a noun phrase (given by its head token) refers to."""
        low = head.lower_
        if low in PERSON_PRONOUNS or low in ORG_PRONOUNS or low in PLURAL_PRONOUNS:
            return self.resolve_pronoun(head, discourse)
        if low in FIRST_PERSON and speaker_of is not None:
            return speaker_of
        if head.ent_type_ in {"GPE", "LOC"}:
            described = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
            if described:  # "the Washington, DC-based think tank": a place modifies the speaker
                return self.resolve(described[0], discourse, speaker_of=speaker_of)
        named = self._appos_name(head)
        if named is not None:
            # "The region's governor, Oleksander Prokudin,": the name, titled by the head phrase.
            actor = self.resolve(named, discourse, speaker_of=speaker_of)
            if actor.canonical is None and actor.side == UNKNOWN and actor.name:
                actor = self.titled(actor.name, _text(self.name_tokens(head)))
            return actor
        tokens = self.name_tokens(head)
        if not tokens:
            return Actor(name=None, side=UNKNOWN, reason="empty speaker phrase")
        phrase = _text(tokens)
        indefinite = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in head.children)
        actor = self.from_phrase(phrase, tokens, roles=not indefinite)
        if actor is None and head.pos_ == "NOUN":
            actor = self._known_inside(head)
        if actor is None:
            actor = self._earlier_full_name(phrase, discourse, head.idx)
        if actor is None:
            actor = self.partial_org(tokens, discourse, head.idx)
        if actor is None:
            actor = self.from_description(tokens, head, discourse)
        if actor is None:
            actor = self._titled_name(head)
        if actor is None:
            actor = self.from_unknown(phrase, tokens, head)
            actor.unnamed = indefinite and not _person_names(tokens)
        appos_side = self._appos_title(head)
        if appos_side is not None and actor.side == UNKNOWN and actor.canonical is None:
            rule_actor = self.titled(actor.name or phrase, appos_side, actor.kind)
            actor = rule_actor
        return actor

    def _titled_name(self, head: Token) -> Actor | None:
        """A name after a title that the parser or NER did not separate ("Ukrainian
        Commander-in-Chief Oleksandr Syrskyi", "Tavriisk Group of Forces Spokesperson Dmytro
        Lykhovy"): the proper nouns after the last title word."""
        words = [t for t in phrase_without(head) if not t.is_punct]
        run: list[Token] = []
        for token in reversed(words):
            if token.pos_ != "PROPN":
                break
            run.insert(0, token)
        titles = [i for i, t in enumerate(run) if t.lower_.rstrip(".") in TITLE_WORDS]
        if not titles or len(run) - titles[-1] - 1 < 2:
            return None
        name_tokens = run[titles[-1] + 1 :]
        name = _text(name_tokens)
        entity = self.profile.find_entity(name)
        if entity is not None:
            return entity.actor()
        title = _text([t for t in words if t.i < name_tokens[0].i]) if words else ""
        return self.titled(name, title, "person")

    def _appos_name(self, head: Token) -> Token | None:
        """A person's name in apposition to a title head ("the head of X, Yevgeny Prigozhin")."""
        if head.pos_ != "NOUN":
            return None
        for child in head.children:
            if child.dep_ == "appos" and any(
                t.ent_type_ == "PERSON" and t.pos_ == "PROPN" for t in child.subtree
            ):
                return child
        return None

    def _known_inside(self, head: Token) -> Actor | None:
        """A known organisation inside a generic phrase ("analysts from the tracking site
        DeepState")."""
        in_preps = [t for c in head.children if c.dep_ in {"prep", "appos"} for t in c.subtree]
        for token in in_preps:
            if token.pos_ == "PROPN" and token.i != head.i:
                entity = self.profile.find_entity(token.text)
                if entity is not None and entity.category == "organisation":
                    return entity.actor()
        return None

    def _earlier_full_name(self, phrase: str, discourse: Discourse, before: int) -> Actor | None:
        """A short form of a name used before ("the Air Force" after "Ukraine's Air Force")."""
        key = normalise_name(phrase)
        if len(key) < 4:
            return None
        for mention in reversed(discourse.mentions):
            if mention.position >= before or not mention.actor.name:
                continue
            name = normalise_name(mention.actor.name)
            if name != key and name.endswith(" " + key):
                return mention.actor
        return None

    def partial_org(self, tokens: list[Token], discourse: Discourse, before: int) -> Actor | None:
        """A profile organisation whose name or alias holds all the words of a generic name
        ("the Ministry of Defence", "the defence ministry", "the Air Force"), on the side in
        context when several fit."""
        words = {normalise_name(t.text) for t in tokens} - {"the", "of", "'s", "a", "an", ""}
        if not words or any(t.ent_type_ == "PERSON" for t in tokens):
            return None
        if any(self.profile.side_of_word(w) for w in words):
            return None
        fits = []
        for entity in self.profile.entities:
            if entity.category != "organisation":
                continue
            for alias in (entity.name, *entity.aliases):
                alias_words = set(normalise_name(alias).replace("'s", " ").split())
                if words <= alias_words and len(alias_words) > len(words):
                    fits.append(entity)
                    break
        if not fits:
            return None
        sides = {e.side for e in fits}
        if len(sides) > 1:
            side = self._context_side(discourse, before)
            fits = [e for e in fits if e.side == side]
        return fits[0].actor() if fits else None

    def from_phrase(self, phrase: str, tokens: list[Token], *, roles: bool = True) -> Actor | None:
        """Known entity named by the phrase, by a proper-name part of it, or by a role."""
        entity = self.profile.find_entity(phrase, roles=roles)
        if entity is not None:
            return entity.actor()
        # A title + name: "Wagner boss Yevgeny Prigozhin", "Deputy Defense Minister Hanna Maliar".
        for start in range(1, len(tokens)):
            entity = self.profile.find_entity(_text(tokens[start:]), roles=roles)
            if entity is not None and entity.category == "person":
                return entity.actor()
        for ent in _person_names(tokens):
            entity = self.profile.find_entity(ent)
            if entity is not None:
                return entity.actor()
        return None

    def from_description(
        self, tokens: list[Token], head: Token, discourse: Discourse
    ) -> Actor | None:
        """'The ministry', 'the think tank', 'the unit': the organisation named before."""
        if head.lemma_.lower() not in GENERIC_HEADS or (
            head.pos_ == "PROPN"
            and len(tokens) > 1
            and tokens[0].pos_ == "PROPN"
            and tokens[0].i != head.i
        ):
            return None
        if tokens and tokens[0].i > 0 and head.doc[tokens[0].i - 1].lower_ in {"a", "an"}:
            return None
        words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
        side_word = next(
            (
                self.profile.side_of_word(t.text)
                for t in tokens
                if self.profile.side_of_word(t.text)
            ),
            None,
        )
        key = head.lemma_.lower()
        wanted_kind = GENERIC_HEADS.get(key)

        def fits(actor: Actor) -> bool:
            name_words = set(normalise_name(actor.name or "").replace("'s", "").split())
            if side_word and actor.side != side_word:
                return False
            if key in name_words or key.rstrip("s") in name_words:
                return True
            if wanted_kind == "analyst":
                return actor.kind == "analyst"
            if wanted_kind == "military":
                return actor.kind in {"military", "armed_group"} and actor.name is not None
            if wanted_kind == "person":
                return False
            return False

        if wanted_kind != "person":
            found = discourse.last(head.idx, person=False, predicate=fits)
            if found is not None:
                return found
        # A profile organisation whose name holds the description, on the side in context.
        context_side = side_word or self._context_side(discourse, head.idx)
        for entity in self.profile.entities:
            if entity.category != "organisation":
                continue
            name_words = set(normalise_name(entity.name).split())
            if words & name_words and key in name_words and entity.side == context_side:
                return entity.actor()
        return None

    def _context_side(self, discourse: Discourse, before: int) -> str | None:
        actor = discourse.last(
            before, person=None, predicate=lambda a: a.side in self.profile.sides
        )
        return actor.side if actor else None

    def from_unknown(self, phrase: str, tokens: list[Token], head: Token) -> Actor:
        """A name or description not in the profile: side from its title or demonyms."""
        names = _person_names(tokens)
        if names:
            name = names[-1]
            title = phrase.replace(name, " ")
            return self.titled(name, title, "person")
        head_lemma = head.lemma_.lower()
        kind = "person" if head_lemma in PERSON_KIND_HEADS else "government"
        if head_lemma in WITNESS_HEADS:
            kind = "witness"
        if head.ent_type_ == "ORG" or any(t.ent_type_ == "ORG" for t in tokens):
            kind = "media" if head.ent_type_ == "ORG" and head.pos_ == "PROPN" else kind
        actor = self.titled(phrase, phrase, kind)
        if head_lemma in WITNESS_HEADS:
            actor.side, actor.kind, actor.reason = UNKNOWN, "witness", None
        return actor

    def _appos_title(self, head: Token) -> str | None:
        """The title in an apposition: "Serhiy Cherevaty, spokesman for the Eastern Group"."""
        for child in head.children:
            if child.dep_ == "appos":
                return _text(list(child.subtree))
        return None

    def resolve_pronoun(self, token: Token, discourse: Discourse) -> Actor:
        low = token.lower_
        if low in PERSON_PRONOUNS:
            found = discourse.last(token.idx, person=True, gender=PERSON_PRONOUNS[low])
            if found is not None:
                discourse.note_gender(found, low)
                return found
        elif low in ORG_PRONOUNS:
            found = discourse.last(token.idx, person=False)
            if found is not None:
                return found
        else:
            found = discourse.last(token.idx, person=None)
            if found is not None:
                return found
        return Actor(name=None, side=UNKNOWN, reason=f"pronoun '{token.text}' has no antecedent")

    # --- sides of forces -------------------------------------------------------------------
    def side_of_phrase(
        self, tokens: list[Token], speaker: Actor | None, discourse: Discourse | None = None
    ) -> str | None:
        """Side of a force named by a phrase: demonyms, known organisations, we/our, enemy,
        civilians."""
        multi = self.profile.side_in_text(_text(tokens))
        if multi:
            return multi
        for token in tokens:
            low = token.lower_
            if low in FIRST_PERSON and speaker is not None and speaker.side in self.profile.sides:
                return speaker.side
            if self.profile.is_enemy_word(low) and speaker is not None:
                opposite = self.profile.opposite(speaker.side)
                if opposite:
                    return opposite
            side = self.profile.side_of_word(token.text)
            if side:
                return side
        phrase_entity = self.profile.find_entity(_text(tokens))
        if phrase_entity is not None and phrase_entity.side in self.profile.sides:
            return phrase_entity.side
        for start in range(len(tokens)):
            for end in range(len(tokens), start, -1):
                if end - start == len(tokens):
                    continue
                entity = self.profile.find_entity(_text(tokens[start:end]))
                if entity is not None and entity.side in self.profile.sides:
                    return entity.side
        return None


def _text(tokens: list[Token] | SpacySpan) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def _person_names(tokens: list[Token]) -> list[str]:
    """Proper-name runs that spaCy tags as PERSON inside a phrase."""
    names: list[str] = []
    run: list[Token] = []
    for token in [*tokens, None]:
        if token is not None and token.ent_type_ == "PERSON" and token.pos_ == "PROPN":
            run.append(token)
            continue
        if run:
            names.append(_text(run))
            run = []
    return names


__all__ = ["CIVILIAN", "THIRD", "UNKNOWN", "ActorResolver", "Discourse", "Mention"]
