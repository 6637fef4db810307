"""Quotes: direct (inside quotation marks) and indirect ("X said that ...") reported speech,
each with its cue verb and its speaker.

Direct quotes are found on the characters (straight and curly marks, partial quotes, quotes
over several sentences or paragraphs, unbalanced marks); the cue and speaker come from the
dependency parse of the words outside the marks. Indirect quotes are the clausal complements
of speech verbs, "according to X" and "X: ..." sentences.
"""

from __future__ import annotations

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
        out: list[Actor] = []
        subjects = subject_tokens(verb) or self._stranded_speaker(verb)
        for subject in subjects:
            actor = self.resolver.resolve(subject, discourse)
            if actor.name and all(a.name != actor.name for a in out):
                out.append(actor)
        return out

    def _stranded_speaker(self, verb: Token) -> list[Token]:
        """A speech verb the parser left without a subject ("In a video ..., the head of X,
        Yevgeny Prigozhin, said that ...", "..., the Ukrainian General Staff said."): the noun
        right before it, else the nearest person or organisation before it."""
        if verb.tag_ not in {"VBD", "VBZ", "VBP"} or verb.dep_ in {"relcl", "acl", "amod"}:
            return []
        before = [t for t in verb.sent if t.i < verb.i]
        while before and (before[-1].is_punct or before[-1].pos_ in {"AUX", "ADV", "PART"}):
            before.pop()
        if before and before[-1].pos_ in {"NOUN", "PROPN"}:
            return [before[-1]]
        for token in reversed(before):
            if token.ent_type_ in {"PERSON", "ORG"}:
                return [token]
        return []

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
        for sent in doc.sents:
            sent_speakers: list[tuple[Token, list[Actor]]] = []
            for verb in (t for t in sent if self.is_speech_verb(t) and not inside[t.idx]):
                speakers = self.speakers_of(verb, discourse)
                if speakers:
                    index.verb_speakers[verb.i] = speakers
                    sent_speakers.append((verb, speakers))
            for quote_span in direct_by_sentence.get(sent.start, []):
                attribution = self._attribute_direct(
                    sent, quote_span, inside, index, discourse, previous_direct
                )
                index.direct.append(attribution)
                index.quotes.append(_quote(doc, attribution, "direct"))
                previous_direct = attribution if attribution.speakers else previous_direct
            for verb, speakers in sent_speakers:
                for quote in self._indirect(doc, verb, speakers, inside):
                    index.quotes.append(quote)
            according = self._according_to(sent, discourse)
            if according:
                index.according_to[sent.start] = according[0]
                index.carries_on.add(sent.start)
                index.quotes.append(according[1])
            colon = self._colon_quote(sent, discourse) or self._dash_quote(sent, discourse)
            if colon is not None and colon.speaker_span is not None:
                index.source_spans.append((colon.speaker_span.start, colon.speaker_span.end))
            if colon is not None:
                index.according_to.setdefault(sent.start, [colon.speaker] if colon.speaker else [])
                index.quotes.append(colon)
            self._remember(sent, sent_speakers, index, discourse)
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
        cue = self._cue_for(sent, start, end, inside)
        if cue is None:
            following = _next_sentence(sent)
            if (
                following is not None
                and following.start_char - end < 4
                and "\n" not in doc_text(doc)[end : following.start_char]
            ):
                cue = self._cue_for(following, start, end, inside)
        if cue is not None:
            speakers = index.verb_speakers.get(cue.i) or self.speakers_of(cue, discourse)
            if speakers:
                return Attribution(
                    speakers,
                    "direct",
                    start,
                    end,
                    cue=cue.lemma_.lower(),
                    speaker_span=_token_span(subject_tokens(cue)),
                )
        if previous is not None and _continues(doc_text(doc), previous.end, start):
            return Attribution(previous.speakers, "direct", start, end, cue=previous.cue)
        return Attribution([], "direct", start, end)

    def _cue_for(self, sent: SpacySpan, start: int, end: int, inside: list[bool]) -> Token | None:
        """The speech verb outside quotation marks nearest to a quote, or a verb that governs it."""
        outside = [t for t in sent if not inside[t.idx]]
        verbs = [t for t in outside if self.is_speech_verb(t)]
        if verbs:
            return min(verbs, key=lambda t: min(abs(t.idx - end), abs(t.idx - start)))
        quoted = [t for t in sent if start <= t.idx < end]
        for token in quoted:
            head = token
            for _ in range(8):
                if head.head.i == head.i:
                    break
                head = head.head
                outside = head.idx < start or head.idx >= end
                if outside and head.pos_ == "VERB" and subject_tokens(head):
                    subject = subject_tokens(head)[0]
                    if not (start <= subject.idx < end) and _is_speakerish(subject):
                        return head
        return None

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
                speaker_span=_token_span(subject_tokens(verb)),
            )
            out.append(_quote(doc, attribution, "indirect"))
        return out

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
        sent_speakers: list[tuple[Token, list[Actor]]],
        index: QuoteIndex,
        discourse: Discourse,
    ) -> None:
        """Add this sentence's named people/organisations and speakers to the discourse."""
        for ent in sent.ents:
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


def _is_speakerish(token: Token) -> bool:
    return (
        token.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
        or token.lower_ in {"he", "she", "they", "it"}
        or token.pos_ in {"PROPN", "NOUN"}
    )


def _continues(text: str, previous_end: int, start: int) -> bool:
    """A quote with no cue of its own continues the previous speaker's words when nothing but
    that quote's cue stands between them: '“A,” X said. “B.”' or an unclosed quote whose next
    paragraph reopens the marks."""
    gap = text[previous_end:start]
    if gap.count("\n\n") > 1 or text[start - 1] not in OPENING:
        return False
    between = gap.strip(' \n\t"“”,.')
    return len(between) <= 120 and between.count(". ") == 0


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
