"""Readable terminal output: claims grouped by source (rich)."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .models import Analysis, Claim

INTEREST_LABEL = {
    "self_serving": "self-serving",
    "against_interest": "against interest",
    "neutral": "neutral",
}
SIDE_STYLE = {"UA": "blue", "RU": "red", "THIRD": "green", "UNKNOWN": "dim", "CIVILIAN": "magenta"}


def _source_label(claim: Claim) -> str:
    source = claim.source
    if source.name is None:
        return "narration (the outlet)"
    faction = f", {source.faction}" if source.faction else ""
    return f"{source.name} [{source.side}{faction}]"


def _claim_cell(claim: Claim) -> Text:
    """ "WITHDRAW by RU", with denial and modality marked."""
    cell = Text(claim.event)
    cell.append(" by ")
    cell.append(claim.actor_side, style=SIDE_STYLE.get(claim.actor_side, ""))
    if claim.polarity == "denied":
        cell.append(" — denied", style="bold red")
    if claim.modality != "factual":
        cell.append(f" ({claim.modality})", style="italic")
    return cell


def _where_cell(claim: Claim) -> str:
    parts = []
    if claim.place:
        relation = f"{claim.place.relation} " if claim.place.relation else ""
        parts.append(relation + claim.place.name + ("" if claim.place.geo else " (not located)"))
    if claim.time:
        parts.append(claim.time.date)
    if claim.magnitude:
        m = claim.magnitude
        qualifier = "" if m.qualifier == "exact" else m.qualifier.replace("_", " ") + " "
        parts.append(f"{qualifier}{m.value:g} {m.unit}")
    if claim.weapon:
        parts.append(claim.weapon.replace("_", " "))
    return "\n".join(parts) or "—"


def _evidence_cell(claim: Claim) -> Text:
    """The evidence sentence with the trigger in bold."""
    sentence = claim.evidence.text
    text = Text(sentence.strip())
    lead = len(sentence) - len(sentence.lstrip())
    start = claim.trigger.start - claim.evidence.start - lead
    if 0 <= start < len(text.plain):
        text.stylize("bold underline", start, start + len(claim.trigger.text))
    return text


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
        table = Table(title=label, title_justify="left", expand=True)
        table.add_column("claim", ratio=2)
        table.add_column("where / when / how much", ratio=2, overflow="fold")
        table.add_column("interest", width=12, overflow="fold")
        table.add_column("evidence", ratio=5)
        for claim in group:
            table.add_row(
                _claim_cell(claim),
                _where_cell(claim),
                INTEREST_LABEL[claim.interest],
                _evidence_cell(claim),
            )
        console.print(table)
    console.print(
        f"{len(analysis.claims)} claims, {len(analysis.quotes)} quotes "
        f"({sum(q.kind == 'direct' for q in analysis.quotes)} direct)"
    )
