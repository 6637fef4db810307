"""Readable terminal output: claims grouped by source (rich)."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table

from .models import Analysis, Claim

SIDE_STYLE = {"UA": "blue", "RU": "red", "THIRD": "green", "UNKNOWN": "dim", "CIVILIAN": "magenta"}


def _source_label(claim: Claim) -> str:
    source = claim.source
    if source.name is None:
        return "narration (the outlet)"
    faction = f", {source.faction}" if source.faction else ""
    return f"{source.name} [{source.side}{faction}]"


def print_analysis(analysis: Analysis, console: Console) -> None:
    """Print an article's claims grouped by source, then a one-line summary."""
    article = analysis.article
    header = article.title or article.path or "article"
    console.print(
        f"[bold]{header}[/]  published {article.published or 'unknown'}  profile {article.profile}"
    )
    claims = sorted(
        analysis.claims,
        key=lambda c: (c.source.name is None, c.source.name or "", c.evidence.start),
    )
    for label, group in groupby(claims, key=_source_label):
        table = Table(title=label, title_justify="left", show_lines=False, expand=True)
        for column in (
            "event",
            "actor",
            "place",
            "time",
            "amount",
            "polarity",
            "modality",
            "interest",
            "evidence",
        ):
            table.add_column(column, overflow="fold", ratio=4 if column == "evidence" else 1)
        for claim in group:
            style = SIDE_STYLE.get(claim.actor_side, "")
            place = claim.place.name if claim.place else "—"
            if claim.place and claim.place.relation:
                place = f"{claim.place.relation} {place}"
            amount = ""
            if claim.magnitude:
                m = claim.magnitude
                amount = f"{m.qualifier.replace('_', ' ')} {m.value:g} {m.unit}"
            table.add_row(
                claim.event,
                f"[{style}]{claim.actor_side}[/]",
                place,
                claim.time.date if claim.time else "",
                amount,
                claim.polarity,
                claim.modality,
                claim.interest,
                claim.evidence.text.strip(),
            )
        console.print(table)
    console.print(
        f"{len(analysis.claims)} claims, {len(analysis.quotes)} quotes "
        f"({sum(q.kind == 'direct' for q in analysis.quotes)} direct)"
    )
