"""The analysis pipeline: text → quotes → actors → events/claims → places → time, amounts →
interest. ``analyze`` handles one article, ``analyze_many`` streams many through ``nlp.pipe``."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from . import assess
from .actors import ActorResolver, Discourse
from .claims import EventExtractor, Trigger
from .magnitudes import find_magnitudes
from .models import UNKNOWN, Actor, Analysis, Article, Claim, Geo, Place, Span
from .nlp import check_length, doc_text, get_nlp, phrase_without
from .places import PlaceMention, find_places, get_gazetteer, place_relation
from .profile import Profile, load_profile
from .quotes import QuoteFinder, QuoteIndex
from .timex import find_times

NARRATION = Actor(name=None, side=UNKNOWN, kind="narration")
TITLE_MAX_WORDS = 25
DISTANCE_EVENTS = {"ADVANCE", "WITHDRAW"}
COUNT_EVENTS = {"INTERCEPT", "CASUALTIES", "AIR_STRIKE", "ASSAULT", "SHELLING"}
PLACE_NOUNS = {"city", "town", "village", "area", "region", "settlement", "territory"}
HOLDING_PREPOSITIONS = {"in", "of", "over"}  # "remain in X", "in control of X"


@dataclass
class _ArticleContext:
    """What every sentence of one article is analysed against."""

    doc: Doc
    index: QuoteIndex
    discourse: Discourse
    places: list[Place]
    focus: Place | None
    published: dt.date | None


@dataclass
class Document:
    """One article to analyse."""

    text: str
    published: str | dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    path: str | None = None


class Analyzer:
    """A configured pipeline for one conflict profile; reusable across many articles."""

    def __init__(self, profile: str | Profile = "russia-ukraine") -> None:
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self.nlp = get_nlp()
        self.gazetteer = get_gazetteer(tuple(self.profile.country_priors))
        self.resolver = ActorResolver(self.profile, locate=self.gazetteer.lookup)
        self.quotes = QuoteFinder(self.resolver)
        self.events = EventExtractor(self.nlp.vocab, self.profile, self.resolver)

    def analyze(
        self,
        text: str,
        *,
        published: str | dt.date | None = None,
        url: str | None = None,
        outlet: str | None = None,
        title: str | None = None,
        path: str | None = None,
    ) -> Analysis:
        """Analyse one article (raises ``ArticleTooLongError`` past ``MAX_ARTICLE_CHARS``)."""
        check_length(text)
        document = Document(text, published, url, outlet, title, path)
        return self.analyze_doc(self.nlp(text), document)

    def analyze_many(
        self, documents: Iterable[Document], *, batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Analysis]:
        """Analyse many articles, streaming them through ``nlp.pipe``."""
        pairs = ((_checked(d.text), d) for d in documents)
        for doc, document in self.nlp.pipe(
            pairs, as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            yield self.analyze_doc(doc, document)

    # --- one document -----------------------------------------------------------------------
    def analyze_doc(self, doc: Doc, document: Document) -> Analysis:
        published = _iso_date(document.published)
        article = Article(
            text=doc_text(doc),
            title=document.title or _title_line(doc_text(doc)),
            published=published,
            url=document.url,
            outlet=document.outlet,
            path=document.path,
            profile=self.profile.name,
        )
        discourse = Discourse()
        index = self.quotes.find(doc, discourse)
        places = [self._place(doc, m) for m in find_places(doc, self.gazetteer)]
        places += self._territories(doc)
        places.sort(key=lambda p: p.span.start if p.span else 0)
        context = _ArticleContext(
            doc=doc,
            index=index,
            discourse=discourse,
            places=places,
            focus=_focus_place(doc, places),
            published=dt.date.fromisoformat(published) if published else None,
        )
        claims = assess.score_interest(self._claims(context), self.profile)
        return Analysis(article=article, quotes=index.quotes, claims=claims, places=places)

    def _claims(self, context: _ArticleContext) -> list[Claim]:
        """Claims sentence by sentence, from the body (not the headline). An "according to X"
        attribution carries on to the following sentences of its paragraph."""
        doc, index = context.doc, context.index
        text = doc_text(doc)
        body_start = _body_start(text)
        paragraph_starts = [0, *(m.end() for m in re.finditer(r"\n\s*", text))]
        triggers_by_sentence: dict[int, list[Trigger]] = {}
        for trigger in self.events.triggers(doc):
            triggers_by_sentence.setdefault(trigger.token.sent.start, []).append(trigger)
        claims: list[Claim] = []
        seen: set[tuple] = set()
        carried: list[Actor] | None = None
        carried_paragraph = -1
        for sent in doc.sents:
            paragraph = bisect.bisect_right(paragraph_starts, sent.start_char)
            if paragraph != carried_paragraph:
                carried = None
            triggers = triggers_by_sentence.get(sent.start, [])
            if triggers and sent.start_char >= body_start:
                paragraph_start = paragraph_starts[paragraph - 1]
                fallback = self._paragraph_place(context, paragraph_start, sent.start_char)
                for claim in self._sentence_claims(context, sent, triggers, carried, fallback):
                    key = (
                        claim.source.name,
                        claim.event,
                        claim.actor_side,
                        claim.place.name if claim.place else None,
                        claim.polarity,
                        sent.start,
                    )
                    if key not in seen:
                        seen.add(key)
                        claims.append(claim)
            if sent.start in index.carries_on:
                carried, carried_paragraph = index.according_to[sent.start], paragraph
        return claims

    def _sentence_claims(
        self,
        context: _ArticleContext,
        sent: SpacySpan,
        triggers: list[Trigger],
        carried: list[Actor] | None,
        fallback: Place | None,
    ) -> Iterator[Claim]:
        """The claims one sentence carries: one per trigger and source."""
        text = doc_text(context.doc)
        evidence = _trimmed_span(text, sent.start_char, sent.end_char)
        sent_places = [
            p
            for p in context.places
            if p.span
            and sent.start_char <= p.span.start < sent.end_char
            and not _is_dateline(text, p.span)  # "KYIV, Aug 20 (Reuters) -": where the reporter is
        ]
        sent_places += self._city_references(sent, context.focus)
        times = find_times(evidence.text, context.published, sent.start_char)
        amounts = find_magnitudes(evidence.text, sent.start_char)
        for trigger in triggers:
            if self._describes_a_speaker(trigger.token) or _failed_attempt(trigger):
                continue
            attributed = self.events.attribute(trigger, context.index, carried)
            if attributed.unasserted:
                continue
            places = self._claim_places(trigger, sent_places, context.focus, fallback)
            if trigger.event == "CAPTURE" and not places:
                continue  # control of no place is no claim ("seized 20 vehicles")
            polarity = self.events.polarity(trigger, attributed)
            modality = self.events.modality(trigger)
            magnitude = self._magnitude(trigger, amounts)
            time = _nearest(times, trigger.token.idx)
            for place, source in itertools.product(
                places or [None], attributed.sources or [NARRATION]
            ):
                actor_side, actor = self.events.actor_side(
                    trigger,
                    source,
                    context.discourse,
                    admitted=attributed.admitted,
                    exclude=context.index.source_spans,
                )
                if actor_side == UNKNOWN or actor is None:
                    actor_side = self._liberator(trigger, place) or actor_side
                if actor_side == UNKNOWN:
                    continue  # the text names no acting side: nothing to record
                yield Claim(
                    source=source if source.name else NARRATION,
                    event=trigger.event,
                    actor_side=actor_side,
                    actor=actor,
                    evidence=evidence,
                    trigger=_token_span(context.doc, trigger),
                    place=_copy(place) if place else None,
                    time=time,
                    magnitude=magnitude,
                    weapon=trigger.weapon,
                    polarity=polarity,  # type: ignore[arg-type]
                    modality=modality,  # type: ignore[arg-type]
                    quote=attributed.quote if source.name else "none",  # type: ignore[arg-type]
                )

    # --- places -----------------------------------------------------------------------------
    def _place(self, doc: Doc, mention: PlaceMention) -> Place:
        return Place(
            name=mention.name,
            span=Span(mention.start, mention.end, mention.name),
            relation=place_relation(doc, mention),
            geo=mention.geo,
            reason=mention.reason if mention.geo is None else None,
        )

    def _claim_places(
        self,
        trigger: Trigger,
        sent_places: list[Place],
        focus: Place | None,
        fallback: Place | None = None,
    ) -> list[Place]:
        """Where an event happened (a capture may take several places): attached to the trigger
        first ("shot down over X"), then in its phrase, then the nearest in the sentence (which
        includes "the city"), then the paragraph's or the article's place. Places that name the
        actor or the speaker ("Russia attacked ...", "Kyiv Mayor ...") are not where it
        happened."""
        token = trigger.token
        excluded = self._actor_ranges(trigger)
        candidates = [
            p
            for p in sent_places
            if p.span and not any(lo <= p.span.start < hi for lo, hi in excluded)
        ]
        if trigger.event == "CAPTURE":
            # the place taken is never the actor, even when it is the subject ("X fell to Y")
            taken = self._capture_places(trigger, sent_places, focus)
            if taken:
                return taken
            if trigger.spec.needs_place:
                return []  # "took the initiative", "hold talks": no place taken
        attached = [c for c in token.children if c.dep_ in {"prep", "advmod", "npadvmod", "agent"}]
        for group in (attached, [token]):
            core = {t.idx for c in group for t in _core_phrase(c)}
            inside = [p for p in candidates if p.span.start in core]
            if inside:
                return [_copy(_most_specific(inside, token.idx))]
        if candidates:
            nearest = min(candidates, key=lambda p: abs(p.span.start - token.idx))
            if focus is not None and nearest.geo is not None and nearest.geo.precision == "country":
                nearest = focus  # "... commander of Russian forces in Ukraine" is no event place
            place = _copy(nearest)
            if nearest is focus:
                place.span, place.relation = None, None
            return [place]
        default = fallback or focus
        if default is not None and trigger.event != "CAPTURE":
            place = _copy(default)
            place.relation = None
            place.span = None
            return [place]
        return []

    def _paragraph_place(
        self, context: _ArticleContext, paragraph_start: int, sentence_start: int
    ) -> Place | None:
        """The last place named earlier in the paragraph: a sentence that names none is about
        it ("... near Bakhmut. 92 Russians were killed.")."""
        text = doc_text(context.doc)
        earlier = [
            p
            for p in context.places
            if p.span
            and paragraph_start <= p.span.start < sentence_start
            and p.geo is not None
            and p.geo.precision != "country"
            and not _metonymic(context.doc, p.span)
            and not _is_dateline(text, p.span)
        ]
        if not earlier:
            return None
        last = context.doc.char_span(
            earlier[-1].span.start, earlier[-1].span.end, alignment_mode="expand"
        )
        sentence_start = last.sent.start_char if last is not None else earlier[-1].span.start
        in_that_sentence = [p for p in earlier if p.span.start >= sentence_start]
        return _most_specific(in_that_sentence, in_that_sentence[0].span.start)

    def _describes_a_speaker(self, token: Token) -> bool:
        """ "The head of the Wagner Group, which is leading the Russian assault on Bakhmut,
        said ...": a clause that tells who the speaker is, not what anybody reports."""
        clause = next((a for a in token.ancestors if a.dep_ in {"relcl", "acl"}), None)
        if token.dep_ in {"relcl", "acl"}:
            clause = token
        if clause is None:
            return False
        for noun in [clause.head, *clause.head.ancestors]:
            if noun.dep_ in {"nsubj", "nsubjpass"} and noun.head.lemma_.lower() in (
                self.quotes.lexicon.speech_verbs
            ):
                return True
            if noun.dep_ not in {"pobj", "prep", "compound", "appos"}:
                break
        return False

    def _liberator(self, trigger: Trigger, place: Place | None) -> str | None:
        """A place is liberated by the side whose country it is."""
        if trigger.token.lemma_.lower() not in {"liberate", "liberation"} or place is None:
            return None
        if place.geo is None or place.geo.country is None:
            return None
        return self.profile.home_countries.get(place.geo.country)

    def _territories(self, doc: Doc) -> list[Place]:
        """ "Russian territory", "Ukrainian soil": the side's home country."""
        out = []
        for match in re.finditer(r"\b([A-Z][a-z]+)\s+(territory|soil)\b", doc_text(doc)):
            side = self.profile.side_of_word(match.group(1))
            country = next((c for c, s in self.profile.home_countries.items() if s == side), None)
            if side is None or country is None:
                continue
            geo = self.gazetteer.lookup(self.profile.sides[side])
            out.append(
                Place(
                    name=match.group(0),
                    span=Span(match.start(), match.end(), match.group(0)),
                    geo=geo,
                    reason=None if geo else "country not in the gazetteer",
                )
            )
        return out

    def _actor_ranges(self, trigger: Trigger) -> list[tuple[int, int]]:
        """Character ranges of the agents of a trigger and of the speakers in its sentence."""
        token = trigger.token
        heads = list(self.events.roles(trigger)[0])
        if token.pos_ not in {"VERB", "AUX"} and token.dep_ in {"dobj", "pobj"}:
            verb = token.head if token.dep_ == "dobj" else token.head.head
            heads.extend(c for c in verb.children if c.dep_ == "nsubj")
        for t in token.sent:
            if t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in self.quotes.lexicon.speech_verbs:
                heads.extend(c for c in t.children if c.dep_ in {"nsubj", "agent"})
        ranges = [
            # an agent whose phrase holds the trigger ("a house that came under fire near X")
            # covers only its own words
            (h.idx, h.idx + len(h.text)) if any(a.i == h.i for a in token.ancestors) else _range(h)
            for h in heads
            if h.i != token.i
        ]
        # a place that is itself the subject or the "by X" of any verb acts; it is not where
        # things happen ("... drones launched by Russia", "Moscow attacked ...")
        for t in token.sent:
            if t.dep_ == "nsubj" or (t.dep_ == "pobj" and t.head.dep_ == "agent"):
                ranges.append((t.idx, t.idx + len(t.text)))
        return ranges

    def _city_references(self, sent, focus: Place | None) -> list[Place]:
        """ "The city", "the devastated eastern city": the city the article is about."""
        if focus is None:
            return []
        out = []
        for t in sent:
            if (
                t.lemma_.lower() in {"city", "town"}
                and t.pos_ == "NOUN"
                and any(c.lower_ in {"the", "this"} or c.dep_ == "poss" for c in t.children)
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children)
            ):
                place = _copy(focus)
                place.span = Span(t.idx, t.idx + len(t.text), t.text)
                place.relation = None
                out.append(place)
        return out

    def _capture_places(
        self, trigger: Trigger, sent_places: list[Place], focus: Place | None
    ) -> list[Place]:
        """The places taken or held: the object ("took Bakhmut"; each of "the villages of A
        and B"), the subject of "X fell to", or the noun the clause describes ("the first area
        to fall"); "the city" → focus."""
        token = trigger.token
        patients = self.events.patients(token)
        if trigger.spec.inverse:
            patients += self.events.agents(token)
        if not patients:  # "troops remain in Bakhmut", "are in control of Melitopol"
            patients = [
                obj
                for prep in token.children
                if prep.dep_ == "prep" and prep.lower_ in HOLDING_PREPOSITIONS
                for obj in prep.children
                if obj.dep_ == "pobj"
            ]
        if token.dep_ in {"relcl", "acl"}:
            described = token.head  # "the first town to fall": the town, or what "is" it
            patients.append(described)
            if described.dep_ == "attr":
                patients += [c for c in described.head.children if c.dep_ == "nsubj"]
        for patient in patients:
            words = list(patient.subtree)
            if any(a.i == patient.i for a in token.ancestors):
                # the trigger's clause hangs on this noun: look at the noun phrase only
                words = [
                    w
                    for w in words
                    if w.i != token.i and not any(a.i == token.i for a in w.ancestors)
                ]
            lo, hi = words[0].idx, words[-1].idx + len(words[-1].text)
            inside = [p for p in sent_places if p.span and lo <= p.span.start < hi]
            if inside:
                return [_copy(p) for p in _finest(inside)]
            if focus is not None and any(
                w.lemma_.lower() in PLACE_NOUNS and w.pos_ == "NOUN" for w in words
            ):
                place = _copy(focus)
                place.span = None
                return [place]
        return []

    def _counts(self, trigger: Trigger, noun: str | None) -> bool:
        """Does a count of ``noun`` measure this event? People for casualties, weapons for
        strikes and interceptions ("killed five people" is no count of missiles)."""
        if noun is None or trigger.event not in COUNT_EVENTS:
            return True
        lexicon = self.events.events
        word = noun.lower()
        is_people = (
            word in lexicon.people_nouns
            or word in lexicon.civilian_nouns
            or (
                self.profile.side_of_word(word) is not None  # "92 Russians"
            )
        )
        if trigger.event == "CASUALTIES":
            return is_people
        return not is_people

    def _magnitude(self, trigger: Trigger, amounts):
        if not amounts:
            return None
        wanted = (
            {"m"}
            if trigger.event in DISTANCE_EVENTS
            else {"count"}
            if trigger.event in COUNT_EVENTS
            else {"km2", "percent", "m"}
        )
        candidates = [
            a for a in amounts if a.magnitude.unit in wanted and self._counts(trigger, a.noun)
        ]
        if not candidates:
            return None
        token = trigger.token
        subtree = list(token.subtree)
        lo, hi = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
        close = [
            a
            for a in candidates
            if lo <= a.start < hi
            # a bare number ("and wounded 20") only counts inside the trigger's own phrase
            or (abs(a.start - token.idx) < 60 and (a.noun or trigger.event == "CASUALTIES"))
        ]
        if token.dep_ in {"dobj", "nsubjpass", "nsubj"}:
            head_sub = list(token.head.subtree)
            hlo, hhi = head_sub[0].idx, head_sub[-1].idx + len(head_sub[-1].text)
            close += [a for a in candidates if hlo <= a.start < hhi and a.noun]
        if not close:
            return None
        counted = [a for a in close if a.noun]  # "five people were killed and 31 injured"
        return min(counted or close, key=lambda a: abs(a.start - token.idx)).magnitude


PRECISION_RANK = {"settlement": 0, "feature": 1, "admin1": 2, "country": 3}


def _most_specific(places: list[Place], position: int) -> Place:
    """Of places in one phrase ("in Ukraine's southern Kherson region"), the finest, then the
    nearest."""
    return min(
        places,
        key=lambda p: (
            PRECISION_RANK.get(p.geo.precision, 1) if p.geo else 1,
            abs(p.span.start - position) if p.span else 0,
        ),
    )


def _core_phrase(head: Token) -> list[Token]:
    """A phrase without the clauses that describe its nouns ("over the Yakovlevsky district,
    which lies north of Belgorod": the district, not Belgorod)."""
    return phrase_without(head)


ATTEMPT_WORDS = {"attempt", "effort", "bid", "try"}
FOILING_VERBS = {"repel", "repulse", "foil", "thwart", "rebuff", "crush", "stop", "halt", "prevent"}


def _failed_attempt(trigger: Trigger) -> bool:
    """ "Foiled attempts by enemy groups to break through": the advance did not happen (the
    repelling is its own claim)."""
    if trigger.event not in {"ADVANCE", "CAPTURE", "ASSAULT"}:
        return False
    for ancestor in trigger.token.ancestors:
        if ancestor.lemma_.lower() in ATTEMPT_WORDS:
            governor = ancestor.head
            return governor.lemma_.lower() in FOILING_VERBS and ancestor.dep_ in {
                "dobj",
                "nsubjpass",
            }
    return False


def _trimmed_span(text: str, start: int, end: int) -> Span:
    """A span without the spaces and line breaks around it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def _checked(text: str) -> str:
    check_length(text)
    return text


def _finest(places: list[Place]) -> list[Place]:
    """The places of the finest precision among those named together ("the villages of A and
    B in the Kursk region": A and B)."""
    best = min(PRECISION_RANK.get(p.geo.precision, 1) if p.geo else 1 for p in places)
    return [p for p in places if (PRECISION_RANK.get(p.geo.precision, 1) if p.geo else 1) == best]


def _range(token: Token) -> tuple[int, int]:
    words = list(token.subtree)
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _copy(place: Place) -> Place:
    return Place(
        name=place.name,
        span=place.span,
        relation=place.relation,
        geo=place.geo,
        reason=place.reason,
    )


def _generic_relation(token: Token) -> str | None:
    return None


def _token_span(doc: Doc, trigger: Trigger) -> Span:
    start = doc[trigger.start].idx
    last = doc[trigger.end - 1]
    end = last.idx + len(last.text)
    return Span(start, end, doc_text(doc)[start:end])


def _nearest(times, position: int):
    if not times:
        return None
    return min(times, key=lambda pair: abs(pair[0].start - position))[1]


def _iso_date(value: str | dt.date | None) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value)[:10]).isoformat()


def _title_line(text: str) -> str | None:
    first = text.lstrip().split("\n", 1)[0].strip()
    if (
        first
        and len(first.split()) <= TITLE_MAX_WORDS
        and not first.endswith((".", "!", "?", ":"))
        and "\n" in text.strip()
    ):
        return first
    return None


def _body_start(text: str) -> int:
    """Where the body starts: after a headline line (claims are read from the body, where they
    are attributed; a headline restates them without attribution)."""
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    first, sep, _rest = stripped.partition("\n")
    if sep and _title_line(stripped):
        return lead + len(first) + 1
    return 0


def _focus_place(doc: Doc, places: list[Place]) -> Place | None:
    """The place the article is about: a settlement or region named in the lead (title or first
    paragraph), the most often named one. Datelines ("MOSCOW:") and names used for a government
    ("Moscow began ...", "Kyiv's forces") do not count."""
    text = doc_text(doc)
    candidates = [
        p
        for p in places
        if p.geo is not None
        and p.geo.precision in {"settlement", "admin1"}
        and p.span is not None
        and not _metonymic(doc, p.span)
    ]
    if not candidates:
        return None
    lead_end = _lead_end(text)
    counts = Counter(_base_name(p.name) for p in candidates)
    in_lead = [p for p in candidates if p.span and p.span.start < lead_end]
    if not in_lead:
        return None
    best = max(
        in_lead,
        key=lambda p: (counts[_base_name(p.name)], p.geo.precision == "settlement", -p.span.start),
    )
    return best


def _base_name(name: str) -> str:
    return re.sub(r"\s+(region|oblast|province|state|district|city)$", "", name.strip().lower())


DATELINE_AFTER = re.compile(r"\s*(,|\(|[-–—:])")


def _is_dateline(text: str, span: Span) -> bool:
    """An upper-case place name opening a paragraph: "KYIV, Aug 20 (Reuters) -", "MOSCOW:"."""
    if not (span.text.isupper() and len(span.text) > 2):
        return False
    line_start = text.rfind("\n", 0, span.start) + 1
    return not text[line_start : span.start].strip() and bool(DATELINE_AFTER.match(text, span.end))


def _metonymic(doc: Doc, span: Span) -> bool:
    """A dateline or a place name standing for its government."""
    if _is_dateline(doc_text(doc), span):
        return True
    chunk = doc.char_span(span.start, span.end, alignment_mode="expand")
    if chunk is None:
        return False
    root = chunk.root
    if root.dep_ in {"nsubj", "poss"}:
        return True
    return root.i + 1 < len(doc) and doc[root.i + 1].tag_ == "POS"


def _lead_end(text: str) -> int:
    paragraphs = [m.end() for m in re.finditer(r"\S[^\n]*(\n|$)", text)]
    title = _title_line(text)
    index = 1 if title else 0
    if len(paragraphs) > index:
        return paragraphs[index]
    return len(text)


def _geo_key(geo: Geo | None) -> tuple:
    return (geo.name, round(geo.lat, 2), round(geo.lon, 2)) if geo else ()


_ANALYZERS: dict[str, Analyzer] = {}


def get_analyzer(profile: str = "russia-ukraine") -> Analyzer:
    """A cached analyzer per profile."""
    if profile not in _ANALYZERS:
        _ANALYZERS[profile] = Analyzer(profile)
    return _ANALYZERS[profile]


def analyze(
    text: str,
    *,
    published: str | dt.date | None = None,
    url: str | None = None,
    outlet: str | None = None,
    profile: str = "russia-ukraine",
    title: str | None = None,
) -> Analysis:
    """Analyse one article: its quotes and its claims, sourced, geocoded and scored."""
    return get_analyzer(profile).analyze(
        text, published=published, url=url, outlet=outlet, title=title
    )


def analyze_many(
    documents: Iterable[Document],
    *,
    profile: str = "russia-ukraine",
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[Analysis]:
    """Analyse many articles, streamed through ``nlp.pipe``."""
    return get_analyzer(profile).analyze_many(documents, batch_size=batch_size, n_process=n_process)
