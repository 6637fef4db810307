"""Quotes: direct (inside quotation marks) and indirect ("X said that ...") reported speech,
each with its cue verb and its speaker.

Direct quotes are found on the characters (straight and curly marks, partial quotes, quotes
over several sentences or paragraphs, unbalanced marks); the cue and speaker come from the
dependency parse of the words outside the marks. Indirect quotes are the clausal complements
of speech verbs, "according to X" and "X: ..." sentences.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .actors import ActorResolver, Discourse
from .models import Actor, Quote, Span
from .nlp import doc_text

OPENING = {"“": "”", "„": "“", "«": "»", '"': '"'}
CLOSING = {"”", "»", '"'}
MIN_QUOTE_CHARS = 2


@dataclass(frozen=True)
class Lexicon:
    """Attribution words (see data/lexicon.yaml)."""

    speech_verbs: frozenset[str]
    deny_verbs: frozenset[str]
    deny_words: frozenset[str]
    claim_nouns: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_auxiliaries: frozenset[str]
    hedge_verbs: frozenset[str]
    hedge_phrases: tuple[str, ...]
    prospective_auxiliaries: frozenset[str]
    prospective_heads: frozenset[str]
    light_verbs: frozenset[str]
    patient_verbs: frozenset[str]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The attribution lexicon bundled with fogofwar."""
    raw = yaml.safe_load(
        resources.files("fogofwar").joinpath("data/lexicon.yaml").read_text("utf-8")
    )
    sets = {k: frozenset(v) for k, v in raw.items() if k not in {"hedge_phrases", "according_to"}}
    return Lexicon(hedge_phrases=tuple(raw["hedge_phrases"]), **sets)


@dataclass
class Attribution:
    """Who a stretch of text is attributed to."""

    speakers: list[Actor]
    kind: str  # direct | indirect
    start: int
    end: int
    cue: str | None = None
    denial: bool = False
    speaker_span: Span | None = None


@dataclass
class QuoteIndex:
    """All reported speech in a document, for the claims stage to look up."""

    quotes: list[Quote] = field(default_factory=list)
    direct: list[Attribution] = field(default_factory=list)
    verb_speakers: dict[int, list[Actor]] = field(default_factory=dict)  # speech-verb token index
    according_to: dict[int, list[Actor]] = field(default_factory=dict)  # sentence start -> speakers
    carries_on: set[int] = field(default_factory=set)  # sentences whose "according to X" carries on
    according_spans: dict[int, Span] = field(default_factory=dict)  # sentence start -> "X"
    source_spans: list[tuple[int, int]] = field(
        default_factory=list
    )  # "- Russian Defense Ministry"

    def direct_at(self, char: int) -> Attribution | None:
        for attribution in self.direct:
            if attribution.start <= char < attribution.end:
                return attribution
        return None


# --- direct quotes on characters ----------------------------------------------------------


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted words (without the marks). Unbalanced marks end at the
    paragraph break; a paragraph that opens a quote without closing it continues into the next
    paragraph when that one opens with a mark too (the press convention)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"' and i > 0 and text[i - 1] == "=":  # markup: <tweet author="...">
            close = text.find('"', i + 1)
            i = close + 1 if close != -1 else n
            continue
        if ch in OPENING and _opens(text, i):
            close = OPENING[ch]
            j = i + 1
            end = None
            while j < n:
                if text[j] == close or (close == "”" and text[j] == '"' and ch != '"'):
                    end = j
                    break
                if text.startswith("\n\n", j) or (
                    text[j] == "\n" and j + 1 < n and text[j + 1] == "\n"
                ):
                    break
                if ch == '"' and text[j] in "“”":
                    break
                j += 1
            if end is None:
                end = j  # unbalanced: up to the paragraph end
                if end - (i + 1) >= MIN_QUOTE_CHARS:
                    spans.append((i + 1, _rstrip(text, i + 1, end)))
                i = j
                continue
            if end - (i + 1) >= MIN_QUOTE_CHARS:
                spans.append((i + 1, _rstrip(text, i + 1, end)))
            i = end + 1
            continue
        i += 1
    return spans


def _opens(text: str, i: int) -> bool:
    """A straight double quote opens when it is not glued to the end of a word."""
    if text[i] != '"':
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalnum() and not after.isalnum())


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,\n\t":
        end -= 1
    return end


# --- speakers of speech verbs ---------------------------------------------------------------


def is_reported_clause(child: Token, verb: Token) -> bool:
    """Is ``child`` the reported content of the speech verb ``verb``? A complement clause, or
    a clause before a trailing cue that the parser attached loosely ("X happened, a commander
    has revealed.")."""
    if child.dep_ == "ccomp":
        return True
    return (
        child.dep_ in {"advcl", "parataxis"}
        and child.i < verb.i
        and child.pos_ in {"VERB", "AUX"}
        and any(c.dep_ in {"nsubj", "nsubjpass", "csubjpass"} for c in child.children)
        and not any(c.dep_ == "mark" for c in child.children)
        and verb.nbor(-1).dep_ != "mark"
        and any(t.is_punct and t.text == "," for t in verb.doc[child.i : verb.i])
    )


def subject_tokens(verb: Token) -> list[Token]:
    """Subjects of a verb, following conjunctions, relative pronouns, passives and
    participles that borrow the subject of the verb they hang on; an inverted speaker after
    a closing speech verb ("..., reported the Air Force of Ukraine.") counts too."""
    seen = 0
    while verb is not None and seen < 4:
        seen += 1
        subjects = [
            c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ != "there"
        ]
        agent = [
            gc for c in verb.children if c.dep_ == "agent" for gc in c.children if gc.dep_ == "pobj"
        ]
        if agent:
            subjects = agent
        elif any(c.dep_ == "nsubjpass" for c in verb.children):
            subjects = []
        if (
            not subjects
            and seen == 1
            and verb.i > verb.sent.root.i
            and verb.dep_ in {"conj", "ccomp", "parataxis"}
        ):
            inverted = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "PROPN"]
            if inverted and verb.nbor(-1).is_punct:
                return inverted
        if subjects:
            subject = subjects[0]
            if subject.lower_ in {"who", "which", "that"} and verb.dep_ == "relcl":
                subject = verb.head
            return [subject, *[c for c in subject.conjuncts if c.pos_ in {"NOUN", "PROPN"}]]
        if (
            verb.dep_ in {"advcl", "xcomp", "conj", "ccomp", "acl", "pcomp"}
            and verb.head.i != verb.i
        ):
            verb = verb.head
            continue
        break
    return []


class QuoteFinder:
    """Finds quotes and attributions in a parsed article, sentence by sentence."""

    def __init__(self, resolver: ActorResolver, lexicon: Lexicon | None = None) -> None:
        self.resolver = resolver
        self.lexicon = lexicon or load_lexicon()

    def is_speech_verb(self, token: Token) -> bool:
        return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in self.lexicon.speech_verbs

    def speakers_of(self, verb: Token, discourse: Discourse) -> list[Actor]:
        """Resolved speakers of a speech verb (several for "X and Y reported ...")."""
        return self._resolved(self.speaker_tokens(verb), discourse)

    def _resolved(self, tokens: list[Token], discourse: Discourse) -> list[Actor]:
        out: list[Actor] = []
        for subject in tokens:
            actor = self.resolver.resolve(subject, discourse)
            if actor.name and all(a.name != actor.name for a in out):
                out.append(actor)
        return out

    def _surface_speaker(self, verb: Token) -> list[Token]:
        """The speaker of a cue the parser gave no subject, from word order: for a participle
        ("..., telling the crowd, “...”") the last subject before it; else the noun or pronoun
        right before the verb ("a man yelled “...”", "“...,” Jane Doe barked"), or right after
        it when it follows the quote ("“...,” barked Jane Doe")."""
        if verb.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in verb.children):
            return []  # "has been called a “meat grinder”": a passive without agent names nobody
        sent = verb.sent
        before = [t for t in sent if t.i < verb.i and not self._inside(t)]
        if verb.tag_ == "VBG":
            subjects = [t for t in before if t.dep_ == "nsubj" and _is_speakerish(t)]
            return subjects[-1:]
        while before and before[-1].pos_ in {"ADV", "AUX", "PART"}:
            before.pop()
        if before and (before[-1].pos_ in {"NOUN", "PROPN"} or _is_speakerish(before[-1])):
            return [before[-1]] if not before[-1].is_punct else []
        if before and not before[-1].is_punct:
            return []
        for token in sent[verb.i + 1 - sent.start : verb.i + 5 - sent.start]:
            if token.pos_ in {"NOUN", "PROPN"} and not self._inside(token):
                head = token
                while head.dep_ == "compound" and head.head.i > head.i:
                    head = head.head
                return [head]
            if not (token.pos_ in {"DET", "ADJ"} or token.is_punct):
                break
        return []

    def _inverted_colon(
        self, doc: Doc, start: int, discourse: Discourse
    ) -> tuple[Actor, Span] | None:
        """'Said Jane Doe: “...”' (a sentence opening with the verb, the name, a colon)."""
        text = doc_text(doc)
        sentence_end = text.rfind(". ", 0, start)
        line_start = max(
            text.rfind("\n", 0, start) + 1, sentence_end + 2 if sentence_end >= 0 else 0
        )
        match = INVERTED_COLON.match(text[line_start:start].lstrip())
        if match is None:
            return None
        offset = line_start + len(text[line_start:start]) - len(text[line_start:start].lstrip())
        name_start, name_end = offset + match.start("name"), offset + match.end("name")
        tokens = [t for t in doc[_token_at(doc, name_start).i :] if t.idx < name_end]
        actor = self._named(match.group("name"), tokens, name_start, discourse)
        return actor, Span(name_start, name_end, match.group("name"))

    def _named(self, name: str, tokens: list[Token], position: int, discourse: Discourse) -> Actor:
        """The actor a bare name stands for: a known one, else the person mentioned before
        with that surname ("Syrskyi" after "Oleksandr Syrskyi"), else a new person."""
        surname = name.split()[-1:]
        actor = (
            self.resolver.from_phrase(name, tokens)
            or discourse.last(
                position, person=None, predicate=lambda a: (a.name or "").split()[-1:] == surname
            )
            or Actor(name=name, kind="person")
        )
        discourse.remember(actor, position, speaker=True)
        return actor

    def speaker_tokens(self, verb: Token) -> list[Token]:
        """The heads of the phrases naming who speaks: the verb's subjects (a subject inside
        quotation marks is a parse error, not the speaker), else the person a participle
        describes ("footage of Jane Doe asking, ..."), else a stranded speaker."""
        named = self._named_before_participle(verb)
        if named:
            return named
        subjects = [t for t in subject_tokens(verb) if not self._inside(t)]
        if not subjects and verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            # "X ended the speech by saying ...": the subject of the verb the preposition is on
            subjects = [t for t in subject_tokens(verb.head.head) if not self._inside(t)]
        return subjects or self._participle_speaker(verb) or self._stranded_speaker(verb)

    def _named_before_participle(self, verb: Token) -> list[Token]:
        """'footage of Jane Doe saying, “...”': a participle right after a person's name."""
        if verb.tag_ != "VBG" or verb.i == 0:
            return []
        before = verb.doc[verb.i - 1]
        if before.ent_type_ == "PERSON" and not self._inside(before):
            return [before]
        return []

    def _participle_speaker(self, verb: Token) -> list[Token]:
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ == "PROPN":
            return [verb.head]
        return []

    def _stranded_speaker(self, verb: Token) -> list[Token]:
        """A speech verb the parser left without a subject ("In a video ..., the head of X,
        Yevgeny Prigozhin, said that ...", "..., the Ukrainian General Staff said."): the noun
        right before it (not inside quotation marks or parentheses), else the nearest person or
        organisation before it; after a quote, the name right after the verb ('“...,” said
        Jane Doe, a lawyer').'"""
        if verb.tag_ not in {"VBD", "VBZ", "VBP"} or verb.dep_ in {"relcl", "acl", "amod"}:
            return []
        after = self._inverted_speaker(verb)
        if after:
            return after
        before = _outside_parentheses([t for t in verb.sent if t.i < verb.i])
        before = [t for t in before if not self._inside(t)]
        while before and (before[-1].is_punct or before[-1].pos_ in {"AUX", "ADV", "PART"}):
            before.pop()
        if before and before[-1].pos_ in {"NOUN", "PROPN"}:
            return [before[-1]]
        for token in reversed(before):
            if token.ent_type_ in {"PERSON", "ORG"}:
                return [token]
        return []

    def _inverted_speaker(self, verb: Token) -> list[Token]:
        """'“...,” said Jane Doe': the name right after a verb that follows a closing mark."""
        doc = verb.doc
        if verb.i == 0 or not (doc[verb.i - 1].is_punct and self._after_quote(doc[verb.i - 1])):
            return []
        for token in doc[verb.i + 1 : min(verb.i + 4, verb.sent.end)]:
            if token.pos_ == "PROPN" or token.ent_type_ == "PERSON":
                head = token
                while head.dep_ == "compound" and head.head.i > head.i:
                    head = head.head
                return [head]
            if not (token.pos_ in {"DET", "ADJ"} or token.is_punct):
                break
        return []

    def _after_quote(self, token: Token) -> bool:
        """Is this punctuation a closing mark or a comma right after one?"""
        doc = token.doc
        if token.text in CLOSING:
            return True
        return token.i > 0 and doc[token.i - 1].text in CLOSING

    def _speech_cue(self, cue: str | None) -> bool:
        """Does this cue report words (not "appeared on", which governs a show's name)?"""
        return cue is not None and (
            cue in self.lexicon.speech_verbs or cue in DIRECT_CUE_VERBS or not cue.isalpha()
        )

    def _inside(self, token: Token) -> bool:
        spans = token.doc.user_data.get("fogofwar_quote_spans", ())
        return any(start <= token.idx < end for start, end in spans)

    def find(self, doc: Doc, discourse: Discourse) -> QuoteIndex:
        """All quotes of the document; updates the discourse with speakers and mentions."""
        index = QuoteIndex()
        spans = find_quote_spans(doc_text(doc))
        doc.user_data["fogofwar_quote_spans"] = spans
        inside = _char_mask(len(doc_text(doc)), spans)
        direct_by_sentence = _group_by_sentence(doc, spans)
        previous_direct: Attribution | None = None
        entities = _entities_by_sentence(doc)
        for sent in doc.sents:
            sent_speakers: list[tuple[Token, list[Actor]]] = []
            for verb in (t for t in sent if self.is_speech_verb(t) and not inside[t.idx]):
                speakers = self.speakers_of(verb, discourse)
                if speakers:
                    index.verb_speakers[verb.i] = speakers
                    sent_speakers.append((verb, speakers))
            according = self._according_to(sent, discourse)
            if according:
                index.according_to[sent.start] = according[0]
                index.carries_on.add(sent.start)
                if according[1].speaker_span is not None:
                    index.according_spans[sent.start] = according[1].speaker_span
            for quote_span in direct_by_sentence.get(sent.start, []):
                attribution = self._attribute_direct(
                    sent, quote_span, inside, index, discourse, previous_direct
                )
                if _is_title(doc_text(doc)[slice(*quote_span)]) and not self._speech_cue(
                    attribution.cue
                ):
                    continue  # “Fox News Sunday”, “Contract with America”: a name, no speech
                index.direct.append(attribution)
                index.quotes.append(_quote(doc, attribution, "direct"))
                previous_direct = attribution if attribution.speakers else previous_direct
            for verb, speakers in sent_speakers:
                for quote in self._indirect(doc, verb, speakers, inside):
                    index.quotes.append(quote)
            if according and not _mostly_quoted(according[1].span, inside):
                index.quotes.append(according[1])  # else the direct quote carries the speaker
            colon = self._colon_quote(sent, discourse) or self._dash_quote(sent, discourse)
            if colon is not None and colon.speaker_span is not None:
                index.source_spans.append((colon.speaker_span.start, colon.speaker_span.end))
            if colon is not None:
                index.according_to.setdefault(sent.start, [colon.speaker] if colon.speaker else [])
                if not _mostly_quoted(colon.span, inside):  # else the direct quote carries it
                    index.quotes.append(colon)
            self._remember(sent, entities.get(sent.start, []), sent_speakers, index, discourse)
        _name_the_unnamed(discourse, doc)
        index.quotes.sort(key=lambda q: q.span.start)
        return index

    # --- direct ---------------------------------------------------------------------------
    def _attribute_direct(
        self,
        sent: SpacySpan,
        quote_span: tuple[int, int],
        inside: list[bool],
        index: QuoteIndex,
        discourse: Discourse,
        previous: Attribution | None,
    ) -> Attribution:
        start, end = quote_span
        doc = sent.doc
        labelled = self._transcript_label(doc, start, end, discourse)
        if labelled is not None:
            return labelled
        sents = [sent]
        first = _token_at(doc, start)
        if first is not None and first.sent.start != sent.start:
            sents.insert(0, first.sent)  # "X said: “A. B.”": the cue is before the first sentence
        if first is not None and first.sent.start > 0:
            before = doc[first.sent.start - 1].sent
            if before.text.rstrip().endswith(":"):
                sents.insert(0, before)  # "He said:\n\n“A.”"
        inverted = self._inverted_colon(doc, start, discourse)
        if inverted is not None:
            return Attribution(
                [inverted[0]], "direct", start, end, cue=":", speaker_span=inverted[1]
            )
        cue = self._cue_for(sents, start, end, inside)
        if cue is None:
            following = _next_sentence(sent)
            if (
                following is not None
                and following.start_char - end < 4
                and "\n" not in doc_text(doc)[end : following.start_char]
            ):
                cue = self._cue_for([following], start, end, inside)
        if cue is not None:
            tokens = self.speaker_tokens(cue)
            speakers = index.verb_speakers.get(cue.i) or self.speakers_of(cue, discourse)
            if not speakers:  # the parse gave the cue no subject: read the words around it
                tokens = self._surface_speaker(cue)
                speakers = self._resolved(tokens, discourse)
            if speakers:
                return Attribution(
                    speakers,
                    "direct",
                    start,
                    end,
                    cue=cue.lemma_.lower(),
                    speaker_span=_token_span(tokens),
                )
        for candidate in sents:
            if candidate.start in index.according_spans:  # "According to X, “...”"
                return Attribution(
                    index.according_to[candidate.start],
                    "direct",
                    start,
                    end,
                    cue="according to",
                    speaker_span=index.according_spans[candidate.start],
                )
        dashed = self._dash_signature(doc, end, discourse)
        if dashed is not None:
            actor, name_span = dashed
            return Attribution([actor], "direct", start, end, cue="-", speaker_span=name_span)
        narrated = _narration_between(doc_text(doc), previous.end, start) if previous else None
        if previous is not None and narrated == 0:
            return _continued(previous, start, end)
        paraphrased = self._paraphrase_before(doc, (start, end), inside, discourse)
        if paraphrased is not None:
            return paraphrased
        if previous is not None and narrated == 1:
            return _continued(previous, start, end)
        return Attribution([], "direct", start, end)

    def _paraphrase_before(
        self, doc: Doc, quote_span: tuple[int, int], inside: list[bool], discourse: Discourse
    ) -> Attribution | None:
        """A quote with no cue that opens a sentence right after a sentence about a person
        ("Jane Doe criticised the plan. “It will fail.”") supports what that person said."""
        text = doc_text(doc)
        start, end = quote_span
        first = _token_at(doc, start)
        if first is None or first.sent.start == 0 or not _opens_sentence(text, start):
            return None
        before = doc[first.sent.start - 1].sent
        if text[before.end_char : start - 1].count("\n") > 2 or inside[before.root.idx]:
            return None
        subjects = [c for c in before.root.children if c.dep_ == "nsubj" and not inside[c.idx]]
        if not subjects or not _is_speakerish(subjects[0]):
            return None
        actor = self.resolver.resolve(subjects[0], discourse)
        if not actor.name:
            return None
        if actor.kind != "person" and not self._speaks(before.root):
            return None  # an organisation: only after it spoke ("X issued a statement ...")
        return Attribution([actor], "direct", start, end, speaker_span=_token_span(subjects))

    def _speaks(self, verb: Token) -> bool:
        """A speech verb, or a verb whose object is a statement, message, letter ..."""
        return self.is_speech_verb(verb) or any(
            c.dep_ == "dobj" and c.lemma_.lower() in self.lexicon.claim_nouns | SPOKEN_NOUNS
            for c in verb.children
        )

    def _cue_for(
        self, sents: list[SpacySpan], start: int, end: int, inside: list[bool]
    ) -> Token | None:
        """The speech verb outside quotation marks nearest to a quote (a verb that only
        introduces direct speech, "she asked", "he continued:", when right next to it), or a
        verb that governs it."""
        tokens = [t for sent in sents for t in sent]
        outside = [t for t in tokens if not inside[t.idx]]
        verbs = [t for t in outside if self.is_speech_verb(t) or _introduces_quote(t, start, end)]
        quoted = [t for t in tokens if start <= t.idx < end]
        opening = [t for t in verbs if _opens_with_colon(t, start)]
        if opening:  # "X scolded him: “...,” she said": the verb before the colon names X
            reporting = [
                a for a in opening[0].ancestors if self.is_speech_verb(a) and a.i < opening[0].i
            ]
            # "X said Y was acting out of worry: “...”": X said it, not Y
            return (
                reporting[0] if reporting and not self.is_speech_verb(opening[0]) else (opening[0])
            )
        if verbs:
            return _governing(verbs, quoted) or min(
                verbs, key=lambda t: min(abs(t.idx - end), abs(t.idx - start))
            )
        return self._governing_clause(quoted, start, end)

    def _governing_clause(self, quoted: list[Token], start: int, end: int) -> Token | None:
        """A partial quote inside a clause: the nearest verb above it that reports or judges
        words ("X assured reporters that the network takes this “very seriously”"), else the
        nearest verb above it with a speaker-like subject."""
        first: Token | None = None
        for token in quoted:
            head = token
            for _ in range(8):
                if head.head.i == head.i:
                    break
                head = head.head
                outside = head.idx < start or head.idx >= end
                if not (outside and head.pos_ == "VERB" and subject_tokens(head)):
                    continue
                subject = subject_tokens(head)[0]
                if start <= subject.idx < end or not _is_speakerish(subject):
                    continue
                if self.is_speech_verb(head) or head.lemma_.lower() in JUDGING_VERBS:
                    return head
                first = first or head
        return first

    def _dash_signature(
        self, doc: Doc, end: int, discourse: Discourse
    ) -> tuple[Actor, Span] | None:
        """A quote signed with a dash after its closing mark: '“...” ― Jane Doe'."""
        match = DASH_SIGNATURE.match(doc_text(doc), end)
        if match is None:
            return None
        start, stop = match.span("name")
        first = _token_at(doc, start)
        if first is None:
            return None
        tokens = [t for t in doc[first.i : first.i + 8] if t.idx < stop]
        name = match.group("name")
        actor = self.resolver.from_phrase(name, tokens) or self.resolver.from_unknown(
            name, tokens, tokens[-1]
        )
        if not actor.name:
            return None
        discourse.remember(actor, start, speaker=True)
        return actor, Span(start, stop, name)

    def _transcript_label(
        self, doc: Doc, start: int, end: int, discourse: Discourse
    ) -> Attribution | None:
        """A transcript turn inside the marks, '"WALLACE: Let's start ...': the capitalised
        label is the speaker (a surname used before stands for that person)."""
        match = TRANSCRIPT_LABEL.match(doc_text(doc), start, end)
        if match is None or sum(c.isalpha() for c in match.group(1)) < 3:
            return None
        label = match.group(1).title()
        actor = self._named(label, [], start, discourse)
        label_span = Span(match.start(1), match.end(1), match.group(1))
        return Attribution([actor], "direct", match.end(), end, cue=":", speaker_span=label_span)

    # --- indirect ---------------------------------------------------------------------------
    def _indirect(
        self, doc: Doc, verb: Token, speakers: list[Actor], inside: list[bool]
    ) -> list[Quote]:
        out = []
        for child in verb.children:
            if not is_reported_clause(child, verb):
                continue
            tokens = [t for t in child.subtree if not (t.dep_ == "mark" and t.head.i == child.i)]
            tokens = _trim(_after_dateline(tokens))
            if len(tokens) < 3:
                continue
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            quoted = sum(inside[start:end])
            if quoted > 0.6 * (end - start):
                continue
            attribution = Attribution(
                speakers,
                "indirect",
                start,
                end,
                cue=verb.lemma_.lower(),
                speaker_span=_token_span(self.speaker_tokens(verb)),
            )
            out.append(_quote(doc, attribution, "indirect"))
        interjected = self._interjected(doc, verb, speakers, inside)
        if interjected is not None:
            out.append(interjected)
        return out

    def _interjected(
        self, doc: Doc, verb: Token, speakers: list[Actor], inside: list[bool]
    ) -> Quote | None:
        """A cue set off by commas inside the reported clause: "The bridge, the governor said,
        was destroyed overnight." The span covers the clause; the text leaves the cue out."""
        head = verb.head
        if verb.dep_ != "parataxis" or head.pos_ not in {"VERB", "AUX"} or head.i == verb.i:
            return None
        cue = _trim(list(verb.subtree))
        left, right = cue[0].i - 1, cue[-1].i + 1
        if left < 0 or right >= len(doc) or doc[left].text != "," or doc[right].text != ",":
            return None
        cue_ids = {t.i for t in cue} | {left, right}
        tokens = _trim([t for t in head.subtree if t.i not in cue_ids])
        before = [t for t in tokens if t.i < left]
        after = [t for t in tokens if t.i > right]
        if not before or len(after) < 2:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if sum(inside[start:end]) > 0.6 * (end - start):
            return None
        attribution = Attribution(
            speakers,
            "indirect",
            start,
            end,
            cue=verb.lemma_.lower(),
            speaker_span=_token_span(self.speaker_tokens(verb)),
        )
        quote = _quote(doc, attribution, "indirect")
        text = doc_text(doc)
        quote.text = f"{text[start : doc[left].idx]} {text[doc[right].idx + 1 : end].lstrip()}"
        return quote

    def _according_to(
        self, sent: SpacySpan, discourse: Discourse
    ) -> tuple[list[Actor], Quote] | None:
        for token in sent:
            if (
                token.lower_ == "according"
                and token.i + 1 < sent.end
                and token.nbor().lower_ == "to"
            ):
                objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
                if not objects or not _is_source_like(objects[0]) or self._inside(token):
                    continue  # "according to plan", or inside somebody's quoted words
                actor = self.resolver.resolve(objects[0], discourse)
                if not actor.name:
                    continue
                phrase_end = max(t.i for t in objects[0].subtree) + 1
                rest = [t for t in sent if t.i >= phrase_end or t.i < token.i]
                rest = _trim([t for t in rest if not (t.i == phrase_end and t.is_punct)])
                if len(rest) < 3:
                    continue
                attribution = Attribution(
                    [actor],
                    "indirect",
                    rest[0].idx,
                    rest[-1].idx + len(rest[-1].text),
                    cue="according to",
                    speaker_span=_token_span(objects),
                )
                discourse.remember(actor, objects[0].idx, speaker=True)
                return [actor], _quote(sent.doc, attribution, "indirect")
        return None

    def _colon_quote(self, sent: SpacySpan, discourse: Discourse) -> Quote | None:
        match = re.match(
            r"^([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}):\s+(\S.{8,})$", sent.text.strip()
        )
        if not match:
            return None
        name_tokens = [t for t in sent if t.idx < sent.start_char + match.end(1)]
        if not name_tokens or not any(
            t.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} for t in name_tokens
        ):
            return None
        actor = self.resolver.resolve(name_tokens[-1], discourse)
        start = sent.start_char + match.start(2)
        attribution = Attribution([actor], "indirect", start, sent.end_char, cue=":")
        return _quote(sent.doc, attribution, "indirect")

    def _dash_quote(self, sent: SpacySpan, discourse: Discourse) -> Quote | None:
        """Agency style "Over 120 servicemen lost in a day - Russian Defense Ministry": a known
        organisation or a person's name after a closing dash is the source."""
        match = DASH_SOURCE.match(sent.text)
        if not match or any(self.is_speech_verb(t) for t in sent):
            return None  # "... said he spoke with the commander – Gen Syrskyi": an apposition
        start, end = sent.start_char + match.start("name"), sent.start_char + match.end("name")
        name_tokens = [t for t in sent if start <= t.idx < end]
        if not name_tokens:
            return None
        root = sent.doc[name_tokens[0].i : name_tokens[-1].i + 1].root
        actor = self.resolver.from_phrase(
            match.group("name"), name_tokens
        ) or self.resolver.resolve(root, discourse)
        if actor.canonical is None and not any(t.ent_type_ == "PERSON" for t in name_tokens):
            return None
        attribution = Attribution(
            [actor],
            "indirect",
            sent.start_char + match.start("content"),
            sent.start_char + match.end("content"),
            cue="-",
            speaker_span=Span(start, end, doc_text(sent.doc)[start:end]),
        )
        discourse.remember(actor, start, speaker=True)
        return _quote(sent.doc, attribution, "indirect")

    def _remember(
        self,
        sent: SpacySpan,
        entities: list[SpacySpan],
        sent_speakers: list[tuple[Token, list[Actor]]],
        index: QuoteIndex,
        discourse: Discourse,
    ) -> None:
        """Add this sentence's named people/organisations and speakers to the discourse."""
        for ent in entities:
            if ent.label_ in {"PERSON", "ORG"}:
                actor = self.resolver.from_phrase(ent.text, list(ent)) or (
                    self.resolver.from_unknown(ent.text, list(ent), ent.root)
                    if ent.label_ == "PERSON"
                    else None
                )
                if actor is not None:
                    discourse.remember(actor, ent.start_char, speaker=False)
        for verb, speakers in sent_speakers:
            for speaker in speakers:
                discourse.remember(speaker, verb.idx, speaker=True)
                for subject in subject_tokens(verb):
                    discourse.note_gender(speaker, subject.lower_)
        for attribution in index.direct:
            if sent.start_char <= attribution.start < sent.end_char:
                for speaker in attribution.speakers:
                    discourse.remember(speaker, attribution.end, speaker=True)


DASH_SOURCE = re.compile(
    r"^(?P<content>\S.{14,}?)\s+[-–—]\s+(?P<name>[A-Z][\w .'’-]{1,60}?)\.?\s*$"
)

SOURCE_NOUNS = {
    "intelligence",
    "authorities",
    "police",
    "prosecutor",
    "blogger",
    "official",
    "source",
    "ministry",
    "army",
    "military",
    "spokesman",
    "spokesperson",
    "command",
    "staff",
    "agency",
    "witness",
    "resident",
    "governor",
    "mayor",
    "analyst",
    "report",
    "statement",
    "monitor",
    "tank",
    "group",
    "force",
    "service",
    "office",
    # media, documents and counts that say things: "according to the poll", "... the newspaper"
    "newspaper",
    "paper",
    "magazine",
    "website",
    "network",
    "channel",
    "outlet",
    "broadcaster",
    "tweet",
    "post",
    "letter",
    "memo",
    "transcript",
    "poll",
    "survey",
    "study",
    "data",
    "estimate",
    "analysis",
    "assessment",
    "record",
    "document",
    "figure",
    "tally",
    "count",
    "filing",
    "complaint",
    "account",
    "review",
    "investigation",
}


def _is_source_like(token: Token) -> bool:
    """Can this noun phrase be somebody who says things?"""
    return (
        token.pos_ in {"PRON", "PROPN"}
        or token.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}
        or token.lemma_.lower() in SOURCE_NOUNS
    )


def _name_the_unnamed(discourse: Discourse, doc: Doc) -> None:
    """ "..., a Ukrainian military commander has revealed. ... Ukrainian Brigadier-General
    Oleksandr Tarnavskyi wrote": an unnamed speaker who is named in one of the next two
    sentences (a person of the same side and faction, not mentioned before) is that person.
    The actor is updated in place, so every quote and claim that cites it follows."""
    mentions = discourse.mentions
    sentence_starts = [s.start_char for s in doc.sents]
    for i, mention in enumerate(mentions):
        actor = mention.actor
        if not (mention.speaker and actor.unnamed and actor.faction):
            continue
        limit = _nth_sentence_end(sentence_starts, mention.position, 2)
        earlier = {m.actor.name for m in mentions[:i]}
        for later in mentions[i + 1 :]:
            named = later.actor
            if later.position > limit:
                break
            if (
                later.speaker
                and not named.unnamed
                and named.kind == "person"
                and named.name not in earlier
                and named.side == actor.side
                and named.faction == actor.faction
            ):
                actor.name, actor.canonical, actor.unnamed = named.name, named.canonical, False
                break


def _nth_sentence_end(starts: list[int], position: int, n: int) -> int:
    following = [s for s in starts if s > position]
    return following[n] if len(following) > n else 10**9


# Verbs that introduce direct speech when they stand right next to the quote ("“...?” she
# asked", "Vitter demanded", "he continued: “...”"), though they are no speech verbs elsewhere.
DIRECT_CUE_VERBS = frozenset(
    {
        "ask", "demand", "wonder", "continue", "recall", "joke", "quip", "exclaim", "shout",
        "yell", "scream", "cry", "chant", "recount", "muse", "complain", "concede", "predict",
        "promise", "vow", "urge", "plead", "lament", "scoff", "retort", "counter", "interject",
        "observe", "proclaim", "pledge", "caution", "charge", "whisper", "mutter", "laugh",
        "sigh", "quote", "read", "testify", "conclude", "bark", "snap", "thunder", "boom", "roar",
        "growl", "gush", "rail", "fume", "marvel", "tease", "scold", "recite", "sing", "answer",
        "beg", "implore", "greet", "cheer", "summarize", "summarise",
        "describe", "put", "call", "text", "email",
    }
)  # fmt: skip
# Verbs whose subject speaks the partial quote in their clause (with the direct-speech verbs).
JUDGING_VERBS = DIRECT_CUE_VERBS | {
    "assure", "praise", "criticize", "criticise", "blast", "slam", "attack", "mock", "dub",
    "label", "brand", "describe", "term", "hail", "decry", "condemn", "blame", "thank", "vow",
}  # fmt: skip
ADJACENT_CHARS = 40
INVERTED_COLON = re.compile(
    r"(?:Said|Says|Added|Adds|Continued|Stated|Wrote|Asked|Explained|Noted|Replied)\s+"
    r"(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s*:\s*[\"“«]?\s*$"
)
DASH_SIGNATURE = re.compile(
    r"[,.]?[^\S\n]*[”\"»]?[^\S\n]*[―—–][^\S\n]*"
    r"(?P<name>(?:[A-Z][a-z]{0,3}\.|[A-Z][\w'’-]*)(?:[^\S\n](?:[A-Z]\.|[A-Z][\w'’-]*)){0,3})"
    r"(?=\.\s|\.?[^\S\n]*(?:[,“\"\n]|$))"
)
SPOKEN_NOUNS = frozenset({"letter", "tweet", "post", "remark", "comment", "speech", "memo"})
TITLE_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from"}
)
TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’ -]*[A-Z]\.?):\s+(?=\S)")


def _entities_by_sentence(doc: Doc) -> dict[int, list[SpacySpan]]:
    """Named entities keyed by the start token of their sentence (``Span.ents`` scans the
    whole document on every call)."""
    starts = [s.start for s in doc.sents]
    out: dict[int, list[SpacySpan]] = {}
    for ent in doc.ents:
        out.setdefault(starts[bisect.bisect_right(starts, ent.start) - 1], []).append(ent)
    return out


def _mostly_quoted(span: Span, inside: list[bool]) -> bool:
    return sum(inside[span.start : span.end]) > 0.6 * (span.end - span.start)


def _outside_parentheses(tokens: list[Token]) -> list[Token]:
    """The tokens without parenthesised asides ("Jane Doe (D-Md.)")."""
    out, depth = [], 0
    for token in tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(token)
    return out


def _governing(verbs: list[Token], quoted: list[Token]) -> Token | None:
    """The candidate verb closest above the quoted words in the parse ("X told a woman who
    suggested ... that “...”": told, not suggested)."""
    candidates = {v.i for v in verbs}
    best: tuple[int, Token] | None = None
    for token in quoted:
        for depth, ancestor in enumerate(token.ancestors):
            if ancestor.i in candidates:
                if best is None or depth < best[0]:
                    best = (depth, ancestor)
                break
    return best[1] if best else None


def _opens_with_colon(token: Token, start: int) -> bool:
    """Is this verb followed by a colon (and maybe its object, "scolded him:") that opens the
    quote starting at ``start``?"""
    if token.pos_ != "VERB":
        return False
    doc = token.doc
    for following in doc[token.i + 1 : min(token.i + 6, len(doc))]:
        if following.text == ":":
            gap = doc_text(doc)[following.idx + 1 : start]
            return len(gap) <= 6 and not gap.strip(' \n\t"“«„')
        if not _object_word(following, token) or "\n" in following.text:
            return False  # only the verb's object between it and the colon ("made this comment:")
    return False


def _object_word(token: Token, verb: Token) -> bool:
    """Is this word a pronoun, an adverb or part of the verb's direct object?"""
    if token.pos_ in {"PRON", "ADV", "PART"} and token.head.i == verb.i:
        return True
    objects = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    return any(token.i in {t.i for t in o.subtree} for o in objects)


def _introduces_quote(token: Token, start: int, end: int) -> bool:
    """A verb that opens a quote with a colon ("Caddell continued: “...”") or a direct-speech
    verb right before or after the quote ("“...?” she asked")."""
    if token.pos_ != "VERB":
        return False
    if _opens_with_colon(token, start):
        return True
    token_end = token.idx + len(token.text)
    went_on = token.lemma_.lower() == "go" and any(c.lower_ == "on" for c in token.children)
    if token.lemma_.lower() not in DIRECT_CUE_VERBS and not went_on:  # "X went on"
        return False
    return 0 <= token.idx - end <= ADJACENT_CHARS or 0 <= start - token_end <= ADJACENT_CHARS


def _is_speakerish(token: Token) -> bool:
    return (
        token.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
        or token.lower_ in {"he", "she", "they", "it"}
        or token.pos_ in {"PROPN", "NOUN"}
    )


def _is_title(words: str) -> bool:
    """Quoted words that name something rather than report speech: every word capitalised
    (“Fox News Sunday”, “Contract with America”, “Arrogant”), at most eight words."""
    tokens = re.findall(r"[^\W\d_][\w'’-]*", words)
    content = [t for t in tokens if t.lower() not in TITLE_SMALL_WORDS]
    return 0 < len(tokens) <= 8 and bool(content) and all(t[0].isupper() for t in content)


ABBREVIATION = re.compile(r"\b(?:[A-Z][a-z]{0,3}|[A-Z](?:\.[A-Z])*)\.(?=\s)")


def _narration_between(text: str, previous_end: int, start: int) -> int | None:
    """How many sentences of narration stand between a quote with no cue of its own and the
    previous quote, when it may continue that quote's words: 0 when nothing but the previous
    quote's cue does ('“A,” X said. “B.”', '"A," said Jane Doe, a lawyer who ... . "B."', an
    unclosed quote whose next paragraph reopens the marks), 1 for one more sentence before a
    quote that opens a sentence ('“A,” X said after the talks. He gave no details. “B.”');
    None otherwise."""
    gap = text[previous_end:start]
    if gap.count("\n\n") > 1 or text[start - 1] not in OPENING:
        return None
    between = ABBREVIATION.sub("", gap.strip(' \n\t"“”,.'))  # "Mr.", "R.", "U.S."
    sentence_ends = len(re.findall(r"[.!?]\s", between))
    if len(between) > 250 or sentence_ends > (1 if _opens_sentence(text, start) else 0):
        return None
    return sentence_ends


def _opens_sentence(text: str, start: int) -> bool:
    """Does the quote starting at ``start`` (after its opening mark) open a sentence?"""
    return re.search(r"(?:^|[.!?”\"]\s|\n)\s*$", text[: start - 1]) is not None


def _continued(previous: Attribution, start: int, end: int) -> Attribution:
    return Attribution(
        previous.speakers,
        "direct",
        start,
        end,
        cue=previous.cue,
        speaker_span=previous.speaker_span,
    )


def _char_mask(n: int, spans: list[tuple[int, int]]) -> list[bool]:
    mask = [False] * (n + 1)
    for start, end in spans:
        for i in range(max(0, start - 1), min(n, end + 1)):
            mask[i] = True
    return mask


def _group_by_sentence(doc: Doc, spans: list[tuple[int, int]]) -> dict[int, list[tuple[int, int]]]:
    """Quote spans keyed by the start token of the sentence that holds their end."""
    out: dict[int, list[tuple[int, int]]] = {}
    for start, end in spans:
        token = _token_at(doc, max(start, end - 1))
        if token is None:
            continue
        out.setdefault(token.sent.start, []).append((start, end))
    return out


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _next_sentence(sent: SpacySpan) -> SpacySpan | None:
    doc = sent.doc
    return doc[sent.end].sent if sent.end < len(doc) else None


DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:,[^()\n]{0,30})?(?:\([A-Za-z .]+\))?\s*[-–—:]\s")


def _after_dateline(tokens: list[Token]) -> list[Token]:
    """Drop a dateline ("KYIV, March 3 (Reuters) - ") that starts the reported words."""
    if not tokens:
        return tokens
    doc = tokens[0].doc
    start = tokens[0].idx
    match = DATELINE.match(doc_text(doc)[start : start + 80])
    if not match:
        return tokens
    cut = start + match.end()
    return [t for t in tokens if t.idx >= cut]


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _token_span(tokens: list[Token]) -> Span | None:
    if not tokens:
        return None
    first = tokens[0]
    start, end = first.left_edge.idx, first.idx + len(first.text)
    return Span(start, end, doc_text(first.doc)[start:end])


def _quote(doc: Doc, attribution: Attribution, kind: str) -> Quote:
    text = doc_text(doc)[attribution.start : attribution.end]
    speaker = attribution.speakers[0] if attribution.speakers else None
    return Quote(
        text=text.strip(' "“”'),
        span=Span(attribution.start, attribution.end, text),
        kind=kind,  # type: ignore[arg-type]
        speaker=speaker,
        cue=attribution.cue,
        speaker_span=attribution.speaker_span,
        speaker_reason=None if speaker else "no speech verb or speaker found near the quote",
    )
