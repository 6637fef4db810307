"""Command line: a thin layer over the Python API.

Exit codes: 0 success, 1 internal error, 2 bad input or usage (a one-line message on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import __version__

app = typer.Typer(
    name="fogofwar",
    help="Who claims what happened, where and when: sourced, geocoded, scored claims from "
    "conflict reporting.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error on stderr and return the exit to raise."""
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"fogofwar {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """fogofwar command line."""


@app.command()
def analyze(
    source: Annotated[
        str, typer.Argument(help="A .txt/.md/.html file, an http(s) URL, or - for stdin.")
    ],
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date (YYYY-MM-DD); resolves "
            "'on Thursday'. Defaults to the date in the HTML."
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name, e.g. 'Reuters'.")] = None,
    profile: Annotated[
        str, typer.Option(help="Conflict profile: a bundled name or a YAML path.")
    ] = "russia-ukraine",
    as_json: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON.")] = False,
) -> None:
    """Analyse one article and print its claims, grouped by source.

    Examples:

        fogofwar analyze examples/seed-bakhmut.txt --published 2023-05-12

        fogofwar analyze report.html --json > report.json

        curl -s https://example.org/a | fogofwar analyze - --profile sudan
    """
    from .ingest import InputError, load_source
    from .profile import ProfileError, load_profile

    try:
        load_profile(profile)
    except ProfileError as exc:
        raise fail(str(exc)) from None
    if published is not None:
        try:
            _check_date(published)
        except ValueError:
            raise fail(f"--published {published!r}: not a date (use YYYY-MM-DD)") from None
    try:
        article = load_source(source)
    except InputError as exc:
        raise fail(str(exc)) from None
    from .nlp import ArticleTooLongError
    from .pipeline import analyze as run

    try:
        analysis = run(
            article.text,
            published=published or article.published,
            url=article.url,
            outlet=outlet or article.outlet,
            profile=profile,
            title=article.title,
        )
    except ArticleTooLongError as exc:
        raise fail(f"{article.path or article.url or source}: {exc}") from None
    analysis.article.path = article.path
    if as_json:
        typer.echo(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
        return
    from .render import print_analysis

    print_analysis(analysis, Console())


@app.command("eval")
def evaluate(
    gold_dir: Annotated[
        Path, typer.Argument(help="Folder of gold JSON files (format in the ontology).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List misses and extras.")
    ] = False,
) -> None:
    """Score the pipeline against hand-annotated gold articles: claims P/R/F1 overall and per
    event type, direct-quote recall and speaker accuracy.

    Example:

        fogofwar eval ../shared/gold/dev --verbose
    """
    from .evaluate import EvalError, format_report, load_gold_dir, score_corpus
    from .scoring import analyze_gold, matcher_for

    try:
        docs = load_gold_dir(gold_dir)
    except EvalError as exc:
        raise fail(str(exc)) from None
    pairs = []
    from rich.progress import Progress

    with Progress(
        console=err, transient=True, disable=as_json or not sys.stderr.isatty()
    ) as progress:
        task = progress.add_task("analysing gold articles", total=len(docs))
        for doc in docs:
            pairs.append((doc, analyze_gold(doc)))
            progress.advance(task)
    report = score_corpus(pairs, matcher_for(docs))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report, verbose=verbose))


@app.command()
def profiles(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the bundled conflict profiles and their sides.

    Example:

        fogofwar profiles --json
    """
    from .profile import available_profiles, load_profile

    rows = [
        {"name": n, "sides": load_profile(n).sides, "entities": len(load_profile(n).entities)}
        for n in available_profiles()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        sides = ", ".join(f"{k} ({v})" for k, v in row["sides"].items())
        typer.echo(f"{row['name']}: {sides}; {row['entities']} known actors")


def _check_date(value: str) -> None:
    import datetime as dt

    dt.date.fromisoformat(value)


# Store query commands live in their own module; importing it registers them on ``app``.
from . import cli_queries  # noqa: E402, F401


def main() -> None:
    """Entry point: run the app and turn unexpected crashes into exit code 1."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # python -m fogofwar.cli
    # Run the imported module, not this __main__ copy: commands defined in other modules
    # (cli_queries) register themselves on ``fogofwar.cli.app``.
    from fogofwar.cli import main as run

    run()
