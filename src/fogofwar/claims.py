"""Events and claims: trigger words → typed events, with the acting side, polarity, modality,
and the source the sentence attributes them to.

Triggers come from ``data/events.yaml`` (lemmas and lemma sequences, matched with one optional
determiner/adverb/adjective between words: the Matcher patterns they would be, without the
Matcher's per-token cost); everything else is read
off the dependency parse: the agent (subject, "by X", possessor, demonym modifier), the
patient (object, passive subject), negation, hedges, and the speech verb or quotation the
trigger sits in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

from .actors import FIRST_PERSON, ActorResolver, Discourse
from .models import CIVILIAN, UNKNOWN, Actor
from .nlp import doc_text, phrase_without
from .profile import Profile, load_profile
from .quotes import Lexicon, QuoteIndex, is_reported_clause, load_lexicon, subject_tokens

PATIENT_DEPS = {"dobj", "nsubjpass", "attr", "oprd"}
PLACE_NOUNS = {
    "city",
    "town",
    "village",
    "settlement",
    "area",
    "region",
    "territory",
    "position",
    "district",
    "locality",
    "outskirts",
    "bridgehead",
    "hamlet",
    "oblast",
    "province",
    "suburb",
    "neighbourhood",
    "neighborhood",
    "part",
    "edge",
    "centre",
    "center",
}
# Clauses the outlet adds for context ("..., as Kyiv pressed on with its incursion"); temporal
# clauses ("after strengthening its forces") stay part of what the source said.
BACKGROUND_MARKS = {"as", "while", "whereas", "although", "though"}
ADMISSION_VERBS = {"acknowledge", "admit", "concede", "confirm"}
MILITARY_NOUNS = {
    "serviceman",
    "servicemen",
    "soldier",
    "troop",
    "fighter",
    "militant",
    "mercenary",
    "personnel",
    "marine",
    "paratrooper",
    "conscript",
    "military",
}
WEAPON_LOOKBACK = 60  # tokens: about two sentences
ARTILLERY = {"artillery", "rocket_artillery"}
SUFFER_VERBS = {"suffer", "sustain", "incur", "take", "endure"}
AGGRESSION_EVENTS = {"ASSAULT", "SHELLING", "AIR_STRIKE"}
STRIKE_TYPED_EVENTS = {"ASSAULT", "SHELLING", "AIR_STRIKE"}  # typed by the weapon that acts
UNREST_EVENTS = {"ASSAULT", "REPEL"}
DESCRIPTIVE_EVENTS = {"CAPTURE", "ENCIRCLEMENT"}  # "the occupied city", "surrounding villages"
HOLDING_VERBS = {"control", "hold", "occupy"}


@dataclass(frozen=True)
class TriggerSpec:
    """One entry of the trigger lexicon."""

    event: str
    head: int = 0
    needs_object: frozenset[str] = frozenset()
    not_with: frozenset[str] = frozenset()
    as_event: tuple[tuple[str, str], ...] = ()
    inverse: bool = False
    needs_place: bool = False
    agent_prep: str | None = None  # "fell to Russia": the agent is the object of "to"
    weapon_agent: bool = False  # only when a weapon acts: "the missile hit", "hit by a drone"
    length: int = 1


@dataclass(frozen=True)
class EventLexicon:
    specs: dict[str, TriggerSpec]
    phrases: dict[str, list[tuple[str, tuple[str, ...]]]]  # first lemma -> (key, lemmas)
    single: dict[str, list[tuple[str, frozenset[str]]]]
    people_nouns: frozenset[str]
    civilian_nouns: frozenset[str]
    civilian_targets: frozenset[str]
    unrest_nouns: frozenset[str]
    foreign_means: frozenset[str]
    weapons: dict[str, str]


@lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    """The trigger lexicon bundled with fogofwar (data/events.yaml)."""
    raw = yaml.safe_load(
        resources.files("fogofwar").joinpath("data/events.yaml").read_text("utf-8")
    )
    specs: dict[str, TriggerSpec] = {}
    phrases: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    single: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for n, entry in enumerate(raw["triggers"]):
        key = f"T{n}"
        words = tuple(str(w).lower() for w in entry.get("phrase") or [entry["lemma"]])
        pos = entry.get("pos")
        if len(words) == 1:
            single.setdefault(words[0], []).append((key, frozenset(pos or ("VERB", "NOUN"))))
        else:
            phrases.setdefault(words[0], []).append((key, words))
        specs[key] = TriggerSpec(
            event=entry["event"],
            head=int(entry.get("head", 0)),
            needs_object=frozenset(w.lower() for w in entry.get("needs_object", [])),
            not_with=frozenset(w.lower() for w in entry.get("not_with", [])),
            as_event=tuple((k.lower(), v) for k, v in (entry.get("as_event") or {}).items()),
            inverse=bool(entry.get("inverse", False)),
            needs_place=bool(entry.get("needs_place", False)),
            agent_prep=entry.get("agent_prep"),
            weapon_agent=entry.get("needs_agent") == "weapon",
            length=len(words),
        )
    return EventLexicon(
        specs=specs,
        phrases=phrases,
        single=single,
        people_nouns=frozenset(raw.get("people_nouns", [])),
        civilian_nouns=frozenset(raw.get("civilian_nouns", [])),
        civilian_targets=frozenset(raw.get("civilian_targets", [])),
        unrest_nouns=frozenset(raw.get("unrest_nouns", [])),
        foreign_means=frozenset(raw.get("means_outside_ontology", [])),
        weapons={str(k).lower(): v for k, v in raw.get("weapons", {}).items()},
    )


SKIPPABLE = {"DET", "ADV", "PRON", "ADJ"}


def match_phrase(doc: Doc, start: int, words: tuple[str, ...]) -> int | None:
    """End of a lemma sequence starting at ``start`` (its first word already matched), allowing
    one determiner, adverb, pronoun or adjective between words ("take full control",
    "pushed them back"); None when it does not match."""
    i = start + 1
    for word in words[1:]:
        if i < len(doc) and _is_word(doc[i], word):
            i += 1
        elif i + 1 < len(doc) and doc[i].pos_ in SKIPPABLE and _is_word(doc[i + 1], word):
            i += 2
        else:
            return None
    return i


def _is_word(token: Token, word: str) -> bool:
    return token.lemma_.lower() == word or token.lower_ == word


@dataclass
class Trigger:
    """An event trigger found in a sentence."""

    event: str
    token: Token  # the syntactic head of the trigger
    start: int  # token index range in the doc
    end: int
    spec: TriggerSpec
    weapon: str | None = None


@dataclass
class Attributed:
    """Who a trigger is attributed to, and how."""

    sources: list[Actor]
    quote: str  # direct | indirect | none
    denied_by: list[Actor]
    admitted: bool = False  # "acknowledged the attack": the source's own side acted
    unasserted: bool = False  # "did not say whether ...", "asked if ...": no claim at all


@dataclass
class EventReading:
    """What the parse says about one trigger, before places, times and amounts."""

    trigger: Trigger
    source: Actor
    quote: str
    actor_side: str
    actor: str | None
    polarity: str
    modality: str
    weapon: str | None


class EventExtractor:
    """Reads events and their attribution off a parsed document."""

    def __init__(
        self,
        vocab: Vocab,
        profile: Profile,
        resolver: ActorResolver,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.profile = profile
        self.resolver = resolver
        self.words = lexicon or load_lexicon()
        self.events = load_event_lexicon()
        self.light_verbs = self.words.light_verbs
        self.patient_verbs = self.words.patient_verbs

    # --- triggers ----------------------------------------------------------------------------
    def triggers(self, doc: Doc) -> list[Trigger]:
        """Event triggers in the document, longest match per token, filtered by context."""
        found: dict[int, Trigger] = {}
        matches: list[tuple[str, int, int]] = []
        single, phrases = self.events.single, self.events.phrases
        for token in doc:
            lemma = token.lemma_.lower()
            for key, pos in single.get(lemma, ()):
                if token.pos_ in pos:
                    matches.append((key, token.i, token.i + 1))
            for key, words in phrases.get(lemma, ()):
                end = match_phrase(doc, token.i, words)
                if end is not None:
                    matches.append((key, token.i, end))
        for key, start, end in matches:
            spec = self.events.specs[key]
            head_offset = min(spec.head * 2, end - start - 1) if spec.length > 1 else 0
            head = (
                doc[start + head_offset]
                if spec.length == 1
                else self._phrase_head(doc, start, end, spec)
            )
            trigger = Trigger(spec.event, head, start, end, spec)
            if not self._fits(trigger):
                continue
            trigger.event = self._remap(trigger)
            trigger.weapon = self.weapon(trigger)
            if trigger.event == "AIR_STRIKE" and trigger.weapon in ARTILLERY:
                trigger.event = "SHELLING"  # Grad and MLRS fire is shelling (ontology)
            previous = found.get(head.i)
            if previous is None or (previous.end - previous.start) < (end - start):
                found[head.i] = trigger
        # A phrase wins over single-word triggers inside it.
        phrases = [t for t in found.values() if t.end - t.start > 1]
        out = [
            t
            for t in found.values()
            if t.end - t.start > 1
            or not any(p.start <= t.token.i < p.end and p is not t for p in phrases)
        ]
        return sorted(out, key=lambda t: t.token.i)

    def _phrase_head(self, doc: Doc, start: int, end: int, spec: TriggerSpec) -> Token:
        content = [
            t for t in doc[start:end] if t.pos_ not in {"DET", "ADV", "PRON", "ADJ"} or t.i == start
        ]
        index = min(spec.head, len(content) - 1)
        return content[index]

    def _context_words(self, token: Token, span: tuple[int, int] | None = None) -> set[str]:
        words: set[str] = set()
        frontier = [token]
        for _depth in range(4):
            nxt = []
            for t in frontier:
                for c in t.children:
                    words.update((c.lemma_.lower(), c.lower_))
                    nxt.append(c)
            frontier = nxt
        head = token.head
        words.update((head.lemma_.lower(), head.lower_))
        if token.dep_ == "pobj":  # "arrested ... during raids": the verb the phrase hangs on
            words.update((head.head.lemma_.lower(), head.head.lower_))
        if span is not None:
            doc = token.doc
            for t in doc[span[0] : span[1]]:
                words.update((t.lemma_.lower(), t.lower_))
        return words

    def _fits(self, trigger: Trigger) -> bool:
        token, spec = trigger.token, trigger.spec
        if (
            token.ent_type_ in {"ORG", "WORK_OF_ART", "EVENT", "FAC", "PRODUCT"}
            and token.pos_ == "PROPN"
        ):
            return False
        if self._is_imperative(token):
            return False
        if _describes_a_place(trigger) or _duration_of(token):
            return False
        words = self._context_words(token)
        if spec.not_with and words & spec.not_with:
            return False
        if spec.needs_object and not words & spec.needs_object:
            return False
        if trigger.event in UNREST_EVENTS and self._unrest(token, words):
            return False  # "protesters clashed with police": unrest, not a battle
        if trigger.event in AGGRESSION_EVENTS and self._foreign_means(token, words):
            return False  # "a suicide bomber struck", "a grenade attack": no type for these
        if spec.weapon_agent and self._acting_weapon(token) is None:
            return False
        return True

    def _is_imperative(self, token: Token) -> bool:
        """ "Please don't give up the flanks": an appeal, not a claim."""
        if token.tag_ != "VB" or token.dep_ in {"xcomp", "advcl", "relcl", "acl", "pcomp", "aux"}:
            return False
        if any(c.dep_ in {"nsubj", "nsubjpass", "auxpass", "mark"} for c in token.children):
            return False
        auxes = {c.lower_ for c in token.children if c.dep_ == "aux"}
        return auxes <= {"do", "don't", "n't", "dont", "please"} and token.dep_ != "conj"

    def _remap(self, trigger: Trigger) -> str:
        token = trigger.token
        if trigger.spec.as_event:
            mods = {
                c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod", "nmod"}
            }
            mods |= {c.lower_ for c in token.children if c.dep_ in {"compound", "amod", "nmod"}}
            for conj_head in [token.head] if token.dep_ == "conj" else []:
                mods |= {
                    c.lemma_.lower() for c in conj_head.children if c.dep_ in {"compound", "amod"}
                }
            for word, event in trigger.spec.as_event:
                if word in mods:
                    return event
        if trigger.event == "CAPTURE" and self._patient_is_people(token):
            return "CASUALTIES"
        if trigger.event in STRIKE_TYPED_EVENTS:
            # "Russian drones attacked Odesa", "attacked Ukraine with 88 missiles", "raids by
            # helicopters", "the warplanes' bombardment": the weapon that acts makes it a strike
            weapon = self._acting_weapon(token)
            if weapon:
                return "SHELLING" if weapon in ARTILLERY else "AIR_STRIKE"
        return trigger.event

    def _unrest(self, token: Token, words: set[str]) -> bool:
        """Fighting with a crowd (events.yaml ``unrest_nouns``): named around the trigger or, for
        a fighting noun, in its sentence."""
        unrest = self.events.unrest_nouns
        if words & unrest:
            return True
        return token.pos_ == "NOUN" and any(t.lemma_.lower() in unrest for t in token.sent)

    def _foreign_means(self, token: Token, words: set[str]) -> bool:
        """Is an attack carried out with means the ontology has no type for (events.yaml
        ``means_outside_ontology``)? Named around the trigger, in an attack noun's sentence, or
        shortly before "the attack"; never when a weapon of the ontology acts ("a drone dropped a
        grenade")."""
        means = self.events.foreign_means
        own = [c for c in token.children if c.dep_ in {"compound", "amod", "nmod"}]
        if any(c.lemma_.lower() in means for c in own):
            return True  # "a roadside bomb attack"
        if self._acting_weapon(token) or any(self._weapon_class(c) for c in own):
            return False
        if words & means:
            return True
        if token.pos_ in {"VERB", "AUX"}:
            # "a grenade attack rocked the city, hitting ...": the subject it borrows
            subjects = subject_tokens_for_event(token)
            return any(t.lemma_.lower() in means for s in subjects for t in s.subtree)
        if token.pos_ != "NOUN":
            return False
        doc = token.doc
        window = list(token.sent)
        if not own:  # "the attack", "a string of assaults": the one named shortly before
            window += list(doc[max(0, token.sent.start - WEAPON_LOOKBACK) : token.sent.start])
        return any(t.lemma_.lower() in means or t.lower_ in means for t in window)

    def _acting_weapon(self, token: Token) -> str | None:
        """The weapon class of what carries out an event: the subject of a verb, its "by" agent,
        "with X" or "using X", or the possessor of a noun ("the warplanes' raids")."""
        if token.pos_ in {"VERB", "AUX"}:
            heads = [c for c in token.children if c.dep_ == "nsubj"]
        else:
            heads = [c for c in token.children if c.dep_ == "poss"]
        for child in token.children:
            if child.dep_ in {"agent", "prep"} and child.lower_ in {"by", "with"}:
                heads.extend(c for c in child.children if c.dep_ == "pobj")
            if child.dep_ in {"advcl", "xcomp"} and child.lemma_.lower() == "use":
                heads.extend(c for c in child.children if c.dep_ == "dobj")
        for head in heads:
            for t in (head, *(c for c in head.children if c.dep_ == "conj")):
                weapon = self._weapon_class(t)
                if weapon:
                    return weapon
        return None

    def _weapon_class(self, token: Token) -> str | None:
        """The weapon class a noun names ("the air force" is aircraft), unless a means outside the
        ontology makes it something else ("a suicide bomber" is no aircraft)."""
        weapon = self.events.weapons.get(token.lemma_.lower())
        if token.lemma_.lower() == "force" and any(c.lower_ == "air" for c in token.children):
            weapon = "aircraft"  # "the air force struck"
        if weapon and any(
            t.lemma_.lower() in self.events.foreign_means for t in token.subtree if t.i < token.i
        ):
            return None  # "suicide bombers", "slingshots and petrol bombs"
        return weapon

    def _patient_is_people(self, token: Token) -> bool:
        patients = self.patients(token)
        for patient in patients:
            for t in [
                patient,
                *[
                    c
                    for c in patient.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for c in c.children
                ],
            ]:
                if (
                    t.lemma_.lower() in self.events.people_nouns
                    or t.lower_ in self.events.people_nouns
                ):
                    return True
                for grand in t.children:
                    if grand.dep_ == "pobj" and grand.lemma_.lower() in self.events.people_nouns:
                        return True
        return False

    # --- roles -----------------------------------------------------------------------------
    def patients(self, token: Token) -> list[Token]:
        """Objects of a verb trigger, or "of X" of a noun trigger, or the noun an acl modifies."""
        out = [c for c in token.children if c.dep_ in PATIENT_DEPS]
        if token.pos_ in {"VERB", "AUX"}:
            if any(c.dep_ == "auxpass" for c in token.children):
                # "troops ... have been captured" is often parsed with a plain nsubj
                out.extend(c for c in token.children if c.dep_ == "nsubj")
                for clause in (c for c in token.children if c.dep_ == "csubjpass"):
                    # "troops retreating from X have been captured"
                    out.extend(c for c in clause.children if c.dep_ == "nsubj")
            if out and all(t.pos_ == "NUM" for t in out) and token.dep_ == "conj":
                out = self.patients(token.head)  # "92 Russians were killed and 156 wounded"
            if not out and token.dep_ == "conj" and token.head.pos_ in {"VERB", "AUX"}:
                out = [c for c in token.head.children if c.dep_ in {"nsubjpass"}]
            if not out:  # "killed and wounded scores of fighters": the object of the second verb
                for conj in (c for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB"):
                    out.extend(c for c in conj.children if c.dep_ == "dobj")
            for prt in (c for c in token.children if c.dep_ == "prt"):
                out.extend(c for c in prt.children if c.dep_ == "pobj")
            out = [
                o.head.head
                if o.lower_ in {"which", "that", "who"} and o.head.dep_ == "relcl"
                else o
                for o in out
            ]
            if token.dep_ in {"acl", "relcl"} and token.tag_ == "VBN" and not out:
                out.append(token.head)
        else:
            for prep in (
                c for c in token.children if c.dep_ == "prep" and c.lower_ in {"of", "on", "among"}
            ):
                out.extend(c for c in prep.children if c.dep_ == "pobj")
            if token.dep_ in {"dobj", "pobj"}:
                verb = token.head if token.dep_ == "dobj" else token.head.head
                for prep in (
                    c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"on", "among"}
                ):
                    out.extend(c for c in prep.children if c.dep_ == "pobj")
        return out

    def roles(self, trigger: Trigger) -> tuple[list[Token], list[Token]]:
        """Who acts and who undergoes, as the trigger's lexicon entry reads them: "inverse"
        entries take the subject as the one undergoing ("Pokrovsk fell"), "agent_prep" ones
        find the actor after a preposition ("fell to Russia")."""
        token = trigger.token
        agents, patients = self.agents(token), self.patients(token)
        if trigger.spec.inverse:
            agents, patients = [], agents + patients
        if trigger.spec.agent_prep:
            agents = [
                pobj
                for prep in token.children
                if prep.dep_ == "prep" and prep.lower_ == trigger.spec.agent_prep
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            ]
        return agents, patients

    def agents(self, token: Token) -> list[Token]:
        """Who does it: active subject, "by X", possessor, demonym modifier."""
        if token.pos_ in {"VERB", "AUX"}:
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children) or (
                token.dep_ == "conj"
                and any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.head.children)
                and not any(c.dep_ == "nsubj" for c in token.children)
            )
            agents = [
                gc
                for c in token.children
                if c.dep_ == "agent"
                for gc in c.children
                if gc.dep_ == "pobj"
            ]
            if agents:
                return agents
            if passive:
                return []
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            if subjects:
                return self._expand_relative(subjects)
            if token.dep_ in {"acl"} and token.tag_ == "VBG":
                return [token.head]
            return [t for t in subject_tokens_for_event(token) if t is not None]
        out = [c for c in token.children if c.dep_ in {"poss", "amod", "compound", "nmod"}]
        for prep in (
            c for c in token.children if c.dep_ in {"prep", "agent"} and c.lower_ in {"by", "of"}
        ):
            if prep.lower_ == "of" and token.lemma_.lower() not in {
                "withdrawal",
                "advance",
                "retreat",
                "transfer",
                "attack",
                "offensive",
            }:
                continue
            out.extend(c for c in prep.children if c.dep_ == "pobj")
        return out

    def _expand_relative(self, subjects: list[Token]) -> list[Token]:
        out = []
        for s in subjects:
            if s.lower_ in {"who", "which", "that"} and s.head.dep_ == "relcl":
                out.append(s.head.head)
            else:
                out.append(s)
        return out

    def side_of(
        self, tokens: list[Token], speaker: Actor | None, discourse: Discourse
    ) -> str | None:
        """Side named by a set of noun phrases (each given by its head)."""
        for head in tokens:
            phrase = _np_tokens(head)
            for t in phrase:
                low = t.lower_
                if low in {"its", "their", "his", "her", "it", "they", "he", "she"}:
                    actor = self._possessor(t, speaker, discourse)
                    if actor is not None and actor.side in self.profile.sides:
                        return actor.side
            side = self.resolver.side_of_phrase(phrase, speaker, discourse)
            if side:
                return side
            if head.lemma_.lower() in self.events.civilian_nouns or any(
                t.lemma_.lower() in {"civilian"} for t in phrase
            ):
                return CIVILIAN
            side = self._earlier_weapon_side(head)
            if side:
                return side
        return None

    def _earlier_weapon_side(self, head: Token) -> str | None:
        """ "Russian drones attacked Kyiv ... all drones were shot down": a bare weapon noun is
        the one named with its side shortly before."""
        lemma = head.lemma_.lower()
        if lemma not in self.events.weapons:
            return None
        window = head.doc[max(0, head.i - WEAPON_LOOKBACK) : head.i]
        for earlier in reversed(window):
            if earlier.lemma_.lower() != lemma:
                continue
            for modifier in earlier.children:
                if modifier.dep_ in {"amod", "compound", "poss"}:
                    side = self.profile.side_of_word(modifier.text)
                    if side:
                        return side
        return None

    def _possessor(
        self, pronoun: Token, speaker: Actor | None, discourse: Discourse
    ) -> Actor | None:
        """The actor a possessive pronoun stands for: the claimant when it sits in a claim
        ("Russian statements that its forces had taken X"), else the subject of its clause."""
        for ancestor in pronoun.ancestors:
            if ancestor.lemma_.lower() in self.words.claim_nouns:
                owners = [c for c in ancestor.children if c.dep_ in {"amod", "poss", "compound"}]
                side = self.resolver.side_of_phrase(owners, speaker, discourse)
                if side:
                    return Actor(name=None, side=side)
                break
        # the subject of the pronoun's clause, or of the clause that reports it ("soldiers
        # confirmed ..., noting that they had sustained losses")
        clauses = [a for a in pronoun.ancestors if a.pos_ in {"VERB", "AUX"}][:3]
        for clause in clauses:
            for subject in subject_tokens(clause):
                if (
                    subject.i == pronoun.i
                    or subject.lower_ in {"its", "their", "his", "her"}
                    or any(subject.i == a.i for a in pronoun.ancestors)
                ):
                    continue
                if subject.lower_ in FIRST_PERSON:
                    return speaker
                if subject.lower_ in {"it", "they", "he", "she"}:
                    return self.resolver.resolve_pronoun(subject, discourse)
                side = self.resolver.side_of_phrase(_np_tokens(subject), speaker, discourse)
                if side:
                    return Actor(name=subject.text, side=side)
                return self.resolver.resolve(subject, discourse)
        return self.resolver.resolve_pronoun(pronoun, discourse)

    def actor_side(
        self,
        trigger: Trigger,
        source: Actor,
        discourse: Discourse,
        admitted: bool = False,
        exclude: Sequence[tuple[int, int]] = (),
        infer_enemy: bool = True,
    ) -> tuple[str, str | None]:
        """Side that carries out the event (for CASUALTIES and ENCIRCLEMENT: the side it happens
        to), and the surface name of the acting force. ``infer_enemy=False``: casualties whose
        side the text does not name are not taken to be the attacker's enemy."""
        token, event = trigger.token, trigger.event
        speaker = source if source.name else None
        agents, patients = self.roles(trigger)
        if exclude:  # a source named after a dash is no participant ("... - Russian MoD")
            agents = [a for a in agents if not any(lo <= a.idx < hi for lo, hi in exclude)]
            patients = [p for p in patients if not any(lo <= p.idx < hi for lo, hi in exclude)]
        agent_side = self.side_of(agents, speaker, discourse)
        # the acting force as the text names it: a noun phrase, not a pronoun or an adjective
        named = [a for a in agents if a.pos_ in {"NOUN", "PROPN"}]
        actor_name = _phrase_text(named[0]) if named and agent_side else None
        if agent_side is None and token.pos_ not in {"VERB", "AUX"}:
            agent_side = self._governing_verb_side(token, speaker, discourse)
        patient_side = self.side_of(patients, speaker, discourse)
        if event == "CASUALTIES":
            if token.dep_ == "dobj" and token.head.lemma_.lower() in SUFFER_VERBS:
                # "Ukrainian units suffered heavy losses (in raids by X)": the subject is the
                # victim
                side = self.side_of(_grammatical_subjects(token.head), speaker, discourse)
                if side:
                    return side, None
            side = patient_side or (
                self.side_of([token], speaker, discourse) if token.pos_ == "NOUN" else None
            )
            if side is None and token.dep_ == "dobj" and token.head.lemma_.lower() in SUFFER_VERBS:
                return CIVILIAN, None
            if side is None and agent_side in self.profile.sides and infer_enemy:
                side = self.profile.opposite(agent_side)
            if side is None and self._military_victims(patients) and infer_enemy:
                # "Over 120 servicemen lost": a belligerent counts the enemy's dead
                side = self._default_side("ASSAULT", source)
            return (side if side and side != UNKNOWN else CIVILIAN), None
        if event == "ENCIRCLEMENT":
            if patient_side:
                return patient_side, None
            if agent_side:
                return self.profile.opposite(agent_side) or UNKNOWN, None
            return self._default_side(event, source, admitted), None
        if agent_side and agent_side != CIVILIAN:
            return agent_side, actor_name
        if event == "CAPTURE" and not trigger.spec.inverse:
            # "the village was recaptured from the insurgents": the other side took it
            loser = self.side_of(_objects_of(token, "from"), speaker, discourse)
            if loser in self.profile.sides:
                return self.profile.opposite(loser) or UNKNOWN, None
        if (
            patient_side
            and patient_side != CIVILIAN
            and event in {"REPEL", "INTERCEPT"}
            and any(p.pos_ == "NOUN" or p.ent_type_ in {"ORG", "NORP"} for p in patients)
        ):
            return self.profile.opposite(patient_side) or UNKNOWN, None
        if event in AGGRESSION_EVENTS:
            target = self._target_side(token, speaker, discourse)
            if target:
                return self.profile.opposite(target) or UNKNOWN, None
        return self._default_side(event, source, admitted), None

    def _military_victims(self, patients: list[Token]) -> bool:
        """Are the victims soldiers rather than civilians?"""
        return any(
            p.lemma_.lower() in MILITARY_NOUNS
            or any(c.lemma_.lower() in MILITARY_NOUNS for c in p.subtree)
            for p in patients
        )

    def _governing_verb_side(
        self, token: Token, speaker: Actor | None, discourse: Discourse
    ) -> str | None:
        """ "Made gains", "continued its advance": the subject of a light verb acts."""
        verb = None
        if token.dep_ in {"dobj", "nsubjpass"}:
            verb = token.head
        elif token.dep_ == "pobj" and token.head.dep_ == "prep":
            verb = token.head.head
        if verb is None or verb.pos_ not in {"VERB", "AUX"}:
            return None
        lemma = verb.lemma_.lower()
        if lemma in self.patient_verbs or lemma in self.words.speech_verbs:
            if lemma in {"repel", "repulse", "foil", "thwart", "hold", "resist", "withstand"}:
                side = self.side_of(self.agents(verb), speaker, discourse)
                return self.profile.opposite(side) if side else None
            return None
        if lemma not in self.light_verbs and token.dep_ != "dobj":
            return None
        return self.side_of(self.agents(verb), speaker, discourse)

    def target_of(self, trigger: Trigger) -> str:
        """Side an attack or strike is aimed at ("attacked army positions" → the army's side),
        CIVILIAN for people and places of civilian life ("opened fire on a bus", "attacked a
        church", "opened fire inside a mosque"), UNKNOWN when the text does not say or the event
        is no attack. An armed target wins over a civilian one ("a market and a military base")."""
        token = trigger.token
        if trigger.event not in AGGRESSION_EVENTS:
            return UNKNOWN
        targets, places = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}], []
        for prep in (c for c in token.children if c.dep_ == "prep"):
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if prep.lower_ in {"on", "against", "at"}:
                targets.extend(objects)
            elif prep.lower_ in {"in", "inside"}:
                places.extend(objects)  # where it happened: only a civilian place tells
        targets += [c for t in targets for c in t.children if c.dep_ == "conj"]
        sides = {self.side_of([t], None, Discourse()) for t in targets}
        armed = sorted(s for s in sides if s in self.profile.sides)
        if armed:
            return armed[0]
        for target in [*targets, *places]:
            lemmas = {t.lemma_.lower() for t in _np_tokens(target)}
            if lemmas & self.events.civilian_targets or lemmas & self.events.civilian_nouns:
                return CIVILIAN
        return CIVILIAN if CIVILIAN in sides else UNKNOWN

    def _target_side(self, token: Token, speaker: Actor | None, discourse: Discourse) -> str | None:
        targets = [c for c in token.children if c.dep_ == "dobj"]
        for prep in (
            c for c in token.children if c.dep_ == "prep" and c.lower_ in {"on", "against"}
        ):
            targets.extend(c for c in prep.children if c.dep_ == "pobj")
        side = self.side_of(targets, speaker, discourse)
        return side if side in self.profile.sides else None

    def _default_side(self, event: str, source: Actor, admitted: bool = False) -> str:
        """When the text names no side: belligerents report their own advances and the enemy's
        attacks, and acknowledge their own ("Zelensky acknowledged the attack")."""
        if source.side not in self.profile.sides:
            return UNKNOWN
        if event in AGGRESSION_EVENTS and not admitted:
            return self.profile.opposite(source.side) or UNKNOWN
        if event == "CASUALTIES":
            return CIVILIAN
        return source.side

    # --- attribution -----------------------------------------------------------------------
    def attribute(
        self, trigger: Trigger, index: QuoteIndex, carried: list[Actor] | None
    ) -> Attributed:
        token = trigger.token
        for child in token.children:
            # "the small incursion initially reported by Russian border guards"
            if child.dep_ == "acl" and child.i in index.verb_speakers:
                return Attributed(index.verb_speakers[child.i], "indirect", [])
        direct = index.direct_at(token.idx)
        denied_by: list[Actor] = []
        chain_sources: list[Actor] | None = None
        background = False
        child = token
        for ancestor in token.ancestors:
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in child.children
            ):
                background = True
                break  # "..., as the offensive entered a sixth day": the outlet's own context
            if ancestor.i in index.verb_speakers and _reported_relation(child, ancestor):
                if _left_open(child, ancestor):
                    # "He did not say whether forces would withdraw": nobody asserts it
                    return Attributed(
                        index.verb_speakers[ancestor.i], "indirect", [], unasserted=True
                    )
                lemma = ancestor.lemma_.lower()
                if lemma in self.words.deny_verbs:
                    denied_by = index.verb_speakers[ancestor.i]
                    if chain_sources is None:
                        chain_sources = index.verb_speakers[ancestor.i]
                    break
                if chain_sources is None:
                    chain_sources = index.verb_speakers[ancestor.i]
                    if direct is None:
                        # keep looking for a denial above ("denies X's claims that ...")
                        child = ancestor
                        continue
                break
            claim_object = [
                c
                for c in ancestor.children
                if c.dep_ == "dobj" and c.lemma_.lower() in self.words.claim_nouns
            ]
            if claim_object and chain_sources is None and child.dep_ == "prep":
                # "Prigozhin made several claims before about completely capturing Bakhmut"
                owners = [c for c in ancestor.children if c.dep_ == "nsubj"]
                if owners:
                    chain_sources = [self.resolver.resolve(owners[0], Discourse())]
            if ancestor.lemma_.lower() in self.words.claim_nouns and chain_sources is None:
                owners = [c for c in ancestor.children if c.dep_ == "poss"]
                if not owners and ancestor.dep_ == "dobj":
                    owners = [c for c in ancestor.head.children if c.dep_ == "nsubj"]
                if owners:
                    chain_sources = [self.resolver.resolve(owners[0], Discourse())]
            child = ancestor
        if direct is not None and direct.speakers:
            return Attributed(direct.speakers, "direct", denied_by)
        if chain_sources:
            admitted = token.dep_ == "dobj" and token.head.lemma_.lower() in ADMISSION_VERBS
            return Attributed(chain_sources, "indirect", denied_by, admitted)
        if background:
            return Attributed([], "none", [])
        sentence_level = self._sentence_cue(token.sent, index)
        if sentence_level:
            return Attributed(sentence_level, "indirect", [])
        according = index.according_to.get(token.sent.start)
        if according:
            return Attributed(according, "indirect", [])
        if carried:
            return Attributed(carried, "indirect", [])
        return Attributed([], "none", [])

    def _sentence_cue(self, sent: SpacySpan, index: QuoteIndex) -> list[Actor] | None:
        """ "..., a commander has revealed." / "..., officials said.": a speech verb hanging off
        the root after the content attributes the whole sentence."""
        root = sent.root
        if root.i in index.verb_speakers:
            if any(c.dep_ in {"ccomp", "parataxis"} and c.i < root.i for c in root.children):
                return index.verb_speakers[root.i]
            return None
        for child in root.children:
            if (
                child.dep_ in {"ccomp", "parataxis", "advcl", "conj"}
                and child.i > root.i
                and child.i in index.verb_speakers
                and not any(c.dep_ == "ccomp" for c in child.children)
            ):
                return index.verb_speakers[child.i]
        return None

    # --- polarity and modality -----------------------------------------------------------
    def polarity(self, trigger: Trigger, attributed: Attributed) -> str:
        token = trigger.token
        if attributed.denied_by:
            return "denied"
        scopes = [token]
        if token.dep_ in {"xcomp", "pcomp"}:
            scopes.append(token.head)
        if token.dep_ in {"dobj", "nsubjpass", "nsubj", "attr"} and token.pos_ == "NOUN":
            scopes.append(token.head)
        for scope in scopes:
            for child in scope.children:
                if child.dep_ == "neg" or (
                    child.lower_ in {"never", "no"} and child.dep_ in {"det", "neg", "advmod"}
                ):
                    return "denied"
        if any(
            t.lower_ in self.words.deny_words
            for t in token.sent
            if t.head.i == token.i or t.i == token.head.i
        ):
            return "denied"
        if self._claim_called_untrue(token):
            return "denied"
        return "asserted"

    def _claim_called_untrue(self, token: Token) -> bool:
        """ "Claims that Russian forces had captured Bakhmut are untrue": the claim noun the
        trigger hangs on is the subject of a denial word."""
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in self.words.claim_nouns and ancestor.dep_ == "nsubj":
                predicate = ancestor.head
                return any(
                    c.lower_ in self.words.deny_words
                    for c in predicate.subtree
                    if c.dep_ in {"acomp", "attr", "amod", "advmod"}
                )
        return False

    def modality(self, trigger: Trigger) -> str:
        token = trigger.token
        sent = token.sent
        if _is_purpose(token):
            return "prospective"
        for t in _modality_scope(token):
            for child in t.children:
                low = child.lower_
                if (
                    child.dep_ in {"aux", "advmod"}
                    and low in self.words.hedge_auxiliaries | self.words.hedge_adverbs
                ):
                    return "hedged"
                if child.dep_ == "aux" and low in self.words.prospective_auxiliaries:
                    return "prospective"
            if t.i != token.i and t.lemma_.lower() in self.words.hedge_verbs:
                return "hedged"
            if t.i != token.i and t.lemma_.lower() in self.words.prospective_heads:
                return "prospective"
        window = doc_text(sent.doc)[
            max(sent.start_char, token.idx - 40) : token.idx + len(token.text)
        ].lower()
        if any(p in window for p in self.words.hedge_phrases):
            return "hedged"
        return "factual"

    def weapon(self, trigger: Trigger) -> str | None:
        if trigger.event not in {"AIR_STRIKE", "SHELLING", "INTERCEPT"}:
            return None
        token = trigger.token
        doc = token.doc
        near = [*token.subtree, *doc[trigger.start : trigger.end]]
        if token.dep_ in {"nsubjpass", "dobj"}:
            near.extend(token.head.subtree)
        if token.dep_ in {"acl", "relcl"}:  # "30 Shahed drones launched by Russia"
            near.extend(t for t in token.head.subtree if t.i < token.i)
        objects = {t.i for c in token.children if c.dep_ == "dobj" for t in c.subtree}
        # what is fired or dropped first, then the nearest word, later words on a tie
        ordered = sorted(
            {t.i: t for t in near}.values(),
            key=lambda x: (x.i not in objects, abs(x.i - token.i), x.i < token.i),
        )
        for t in ordered:
            weapon = self.events.weapons.get(t.lemma_.lower()) or self.events.weapons.get(t.lower_)
            if weapon == "aircraft" and t.lemma_.lower() == "bomb":
                # "guided bomb", "glide bomb": the class comes from the modifier
                modifiers = (
                    self.events.weapons.get(c.lower_)
                    for c in t.children
                    if c.dep_ in {"amod", "compound"}
                )
                weapon = next((m for m in modifiers if m), weapon)
            if trigger.event == "SHELLING" and t.lemma_.lower() == "rocket":
                weapon = "rocket_artillery"  # "rocket fire", "shelled with rockets"
            if weapon:
                return weapon
        acting = self._acting_weapon(token)  # "the air force struck"
        if acting:
            return acting
        if trigger.event == "SHELLING":
            return "artillery"
        return None


@dataclass(frozen=True)
class EventMention:
    """An event a text mentions, read without a source and whether or not a side is named."""

    event: str
    weapon: str | None
    actor_side: str  # as in a claim: a side of the profile, CIVILIAN (casualties) or UNKNOWN
    actor: str | None
    agent_side: str  # who does it as the text names it (for CASUALTIES: who killed), or UNKNOWN
    target_side: str  # what an attack or strike is aimed at: a side, CIVILIAN or UNKNOWN
    polarity: str
    modality: str
    start: int  # character offsets of the trigger
    end: int
    text: str


NARRATOR = Actor(name=None, side=UNKNOWN, kind="narration")


@lru_cache(maxsize=8)
def _mention_extractor(profile: str) -> EventExtractor:
    loaded = load_profile(profile)
    return EventExtractor(Vocab(), loaded, ActorResolver(loaded))


def event_mentions(doc: Doc, profile: str = "generic") -> list[EventMention]:
    """Every event the trigger lexicon finds in a parsed text, in text order, with its type,
    weapon and, where the text tells, the acting side by ``profile`` (by default ``generic``:
    government forces ``GOV`` against non-state armed groups ``NSA``).

    Unlike the claims of :mod:`fogofwar.pipeline`, a mention needs no source and no side: this is
    the event typing alone, for texts from any war ("Clashes broke out in the north"). Takings
    need a place ("took the town"), as for claims: "took part" takes nothing.
    """
    extractor = _mention_extractor(profile)
    discourse = Discourse()
    out = []
    for trigger in extractor.triggers(doc):
        if trigger.spec.needs_place and not _object_is_place(trigger.token):
            continue
        side, actor = extractor.actor_side(trigger, NARRATOR, discourse, infer_enemy=False)
        agents, _patients = extractor.roles(trigger)
        unattributed = Attributed([], "none", [])
        token_span = doc[trigger.start : trigger.end]
        out.append(
            EventMention(
                event=trigger.event,
                weapon=trigger.weapon,
                actor_side=side,
                actor=actor,
                agent_side=extractor.side_of(agents, None, discourse) or UNKNOWN,
                target_side=extractor.target_of(trigger),
                polarity=extractor.polarity(trigger, unattributed),
                modality=extractor.modality(trigger),
                start=token_span.start_char,
                end=token_span.end_char,
                text=token_span.text,
            )
        )
    return out


PLACE_ENTITIES = {"GPE", "LOC", "FAC"}
PARTITIVE_PLACE_NOUNS = {"part", "edge", "centre", "center"}


def _object_is_place(verb: Token) -> bool:
    """Does a verb take a place ("took the town", "overran Kashma") rather than anything else
    ("took part", "took the wounded to hospital")?"""
    for child in verb.children:
        if child.dep_ not in {"dobj", "nsubjpass"}:
            continue
        lemma = child.lemma_.lower()
        if lemma in PARTITIVE_PLACE_NOUNS:  # "part of the city", not "took part"
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in child.children):
                return True
            continue
        if lemma in PLACE_NOUNS or child.ent_type_ in PLACE_ENTITIES:
            return True
        if child.pos_ == "PROPN" and child.ent_type_ not in {"PERSON", "ORG", "NORP"}:
            return True
    return False


COMPLETED_MARKERS = {"after", "since", "following"}


def _modality_scope(token: Token) -> list[Token]:
    """The trigger and up to three heads whose auxiliaries and verbs set its modality; a clause
    of what came first ends it ("will advance after seizing Dabiq": the seizing happened)."""
    scope = [token]
    for ancestor in token.ancestors:
        last = scope[-1]
        if len(scope) == 4 or any(
            c.dep_ == "mark" and c.lower_ in COMPLETED_MARKERS for c in last.children
        ):
            break
        if last.dep_ in {"pcomp", "pobj"} and ancestor.lower_ in COMPLETED_MARKERS:
            break
        scope.append(ancestor)
    return scope


def _is_purpose(token: Token) -> bool:
    """ "An attack to capture the airbase", "sent troops to retake the town": an infinitive of
    purpose is the goal, not what happened ("managed to retake" is an xcomp: it happened)."""
    return (
        token.tag_ == "VB"
        and token.dep_ in {"acl", "advcl", "relcl"}
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
    )


def _objects_of(token: Token, preposition: str) -> list[Token]:
    """Objects of a preposition hanging on ``token`` ("from X")."""
    return [
        pobj
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ == preposition
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]


def _describes_a_place(trigger: Trigger) -> bool:
    """ "The Israeli-controlled Golan Heights", "the surrounding villages", "areas controlled by
    the rebels", "fighters occupying the town": a participle used as an adjective, or a
    participle of holding that qualifies a noun, describes; it reports no taking or encirclement
    ("the town, captured last week, ..." does)."""
    token = trigger.token
    if trigger.event not in DESCRIPTIVE_EVENTS or trigger.end - trigger.start != 1:
        return False
    if token.dep_ == "amod" and token.tag_ in {"VBN", "VBG"}:
        return True
    return (
        token.dep_ == "acl"
        and token.tag_ in {"VBN", "VBG"}
        and token.lemma_.lower() in HOLDING_VERBS
    )


DURATION_NOUNS = {"hour", "day", "week", "month", "year", "decade"}


def _duration_of(token: Token) -> bool:
    """ "After months of fighting", "two years of shelling": how long the war went on is
    background, not a report of an event ("days of attacks on Kyiv" names a target: it is)."""
    head = token.head
    return (
        token.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.lemma_.lower() in DURATION_NOUNS
        and not any(c.dep_ == "prep" and c.lower_ in {"on", "against"} for c in token.children)
    )


# Verbs whose subject, not object, does what the infinitive says ("promised them to withdraw").
SUBJECT_CONTROL_VERBS = {"promise", "vow", "threaten", "pledge", "swear"}


def subject_tokens_for_event(verb: Token) -> list[Token]:
    """Subject of a verb trigger, borrowed from the verb it hangs on when it has none
    ("continue to hold back", "gaining up to 1 km", "by bringing in")."""
    current = verb
    for _ in range(5):
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects and current.i != verb.i:
            return subjects
        if subjects:
            return subjects
        if current.dep_ == "xcomp" and current.head.pos_ == "VERB":
            # object control: "APU forced Russian troops to withdraw" - the troops withdraw
            objects = [c for c in current.head.children if c.dep_ == "dobj"]
            if objects and current.head.lemma_.lower() not in SUBJECT_CONTROL_VERBS:
                return objects
        if (
            current.dep_ in {"advcl", "xcomp", "conj", "pcomp", "acl", "prep", "pobj"}
            and current.head.i != current.i
        ):
            current = current.head
            if (
                current.dep_ == "prep"
                and current.lower_ == "of"
                and current.head.lemma_.lower() == "accuse"
            ):
                return [c for c in current.head.children if c.dep_ == "dobj"]
            if current.lemma_.lower() == "accuse":
                return [c for c in current.children if c.dep_ == "dobj"]
            continue
        break
    return []


def _grammatical_subjects(verb: Token) -> list[Token]:
    """Subjects of a verb, active or passive, shared along a coordination ("they were forced to
    flee and sustained losses")."""
    while verb.dep_ in {"conj", "xcomp"} and not any(
        c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children
    ):
        verb = verb.head
    return [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]


def _left_open(clause: Token, verb: Token) -> bool:
    """Reported words that assert nothing: a negated speech verb ("did not say that") or an
    open question ("asked whether", "did not say if")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in clause.children)


def _reported_relation(child: Token, verb: Token) -> bool:
    """Is ``child`` (on the path from a trigger) in the reported content of a speech verb?"""
    if child.dep_ in {"nsubj"}:
        return False
    if is_reported_clause(child, verb):
        return True
    if child.dep_ in {"ccomp", "dobj", "xcomp", "nsubjpass", "parataxis", "conj", "acomp", "oprd"}:
        return True
    if child.dep_ == "prep" and child.lower_ in {"of", "about", "on"}:
        return True
    if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i > verb.i:
        return True  # "he accused X of ..., increasing the risk of ..."
    return False


NP_DROPPED_DEPS = frozenset({"relcl", "acl", "appos", "punct", "advcl", "conj", "cc"})


def _np_tokens(head: Token) -> list[Token]:
    """A noun phrase without clauses, appositions and locative prepositions ("attacks on Kiev"
    says nothing about who attacks; "forces of his army", "soldiers from X", "attack by Y" do)."""
    return phrase_without(head, NP_DROPPED_DEPS, keep_preps=frozenset({"of", "from", "by"}))


def _phrase_text(head: Token) -> str:
    tokens = _np_tokens(head)
    if not tokens:
        return head.text
    doc = head.doc
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
