"""fogofwar: who claims what happened, where and when.

>>> import fogofwar
>>> analysis = fogofwar.analyze(text, published="2023-05-12")
>>> analysis.to_dict()["claims"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .models import Analysis
    from .pipeline import Document


def analyze(
    text: str,
    *,
    published: Any = None,
    url: str | None = None,
    outlet: str | None = None,
    profile: str = "russia-ukraine",
    title: str | None = None,
) -> Analysis:
    """Analyse one article: every quote with its speaker and every claim with its source, side,
    event, place, time, amount, polarity, modality, interest and evidence sentence."""
    from .pipeline import analyze as run

    return run(text, published=published, url=url, outlet=outlet, profile=profile, title=title)


def analyze_many(
    documents: Any, *, profile: str = "russia-ukraine", batch_size: int = 16, n_process: int = 1
) -> Any:
    """Analyse many :class:`fogofwar.pipeline.Document` objects, streamed through ``nlp.pipe``."""
    from .pipeline import analyze_many as run

    return run(documents, profile=profile, batch_size=batch_size, n_process=n_process)


def __getattr__(name: str) -> Any:
    if name == "Document":
        from .pipeline import Document

        return Document
    raise AttributeError(name)


__all__ = ["Document", "__version__", "analyze", "analyze_many"]
