"""Command line: a thin layer over the Python API.

Exit codes: 0 success, 1 internal error, 2 bad input or usage (a one-line message on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

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


# ================================================================================================
# The claims store, writing: `ingest` and `reanalyze` (fogofwar.corpus).
# The query commands (claims, incidents, contested, control, sources, show) are in cli_queries.
# ================================================================================================

DB_HELP = "The claims store: a SQLite file or a SQLAlchemy URL."


class StoreProgress:
    """Progress bar and one warning per skipped input, on stderr, while a store command runs."""

    def __init__(self, total: int | None, *, quiet: bool, verb: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.quiet = quiet
        self.verb = verb
        self.counts: dict[str, int] = {}
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=quiet or not sys.stderr.isatty(),
        )
        self.task = self.progress.add_task(verb, total=total)

    def __enter__(self) -> StoreProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()

    def __call__(self, outcome) -> None:
        """Count one settled input (an ``on_outcome`` hook of ``fogofwar.corpus``)."""
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        if outcome.status == "skipped" and not self.quiet:
            message = f"skipped {outcome.origin}: {outcome.problem}"
            self.progress.console.print(message, markup=False, highlight=False, soft_wrap=True)
        done = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        self.progress.update(self.task, advance=1, description=f"{self.verb} ({done})")


def interrupt_notice() -> None:
    """Said on the first Ctrl-C (from the signal handler: plain stderr, no rich)."""
    sys.stderr.write("\nstopping after the current article (Ctrl-C again to stop at once)\n")


def print_store_summary(summary, store_url: str, *, as_json: bool, reanalysis: bool) -> None:
    from .corpus import describe

    if as_json:
        typer.echo(json.dumps({**summary.to_dict(), "store": store_url}, indent=2))
    else:
        typer.echo(describe(summary, store_url=store_url, reanalysis=reanalysis))


def open_store_or_fail(db: str, *, create: bool):
    from .store import StoreError, open_store

    try:
        if not create:
            open_store(db, create=False).close()  # a missing store is an error, not a new one
        return open_store(db)
    except StoreError as exc:
        raise fail(str(exc)) from None


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (searched recursively), globs, .jsonl/.csv files, http(s) "
            "URLs of articles or RSS/Atom feeds, or - for stdin.",
            show_default=False,
        ),
    ],
    db: Annotated[str, typer.Option("--db", help=DB_HELP)] = "fogofwar.db",
    profile: Annotated[
        str, typer.Option(help="Conflict profile: a bundled name or a YAML path.")
    ] = "russia-ukraine",
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes analysing in parallel (each loads the language model, ~0.7 GB); "
            "1 analyses in this process.",
        ),
    ] = 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no per-input warnings.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Analyse articles and store their claims: files and folders (.txt, .md, .html), JSONL and
    CSV (a `text` or `html` field, optional `url`, `title`, `published`, `outlet`), article URLs
    and RSS/Atom feeds (each entry's page is fetched).

    Articles already in the store are not analysed again; wire copies (the same story on
    another site, Jaccard >= 0.8) are stored but linked to the first-seen article so they never
    count as independent corroboration. A bad file or row is reported and skipped. Each article
    is one transaction: after a crash or Ctrl-C, run the same command again to continue.

    Examples:

        fogofwar ingest articles/ --db corpus.db

        fogofwar ingest 'downloads/**/*.html' rows.jsonl --workers 2

        fogofwar ingest https://example.org/war/rss.xml --profile sudan --json

    Exit codes: 0 something was ingested or everything was already in the store (bad inputs
    are listed in the summary); 2 bad usage (a missing path, an unknown profile, an unusable
    store) or nothing could be ingested; 130 interrupted by Ctrl-C (committed articles stay:
    run the same command again to continue); 1 an internal error.
    """
    from concurrent.futures.process import BrokenProcessPool

    from .corpus import estimate_count, graceful_interrupt, resolve_inputs
    from .corpus import ingest as run_ingest
    from .ingest import InputError
    from .profile import ProfileError, load_profile

    try:
        load_profile(profile)
    except ProfileError as exc:
        raise fail(str(exc)) from None
    try:
        sources = resolve_inputs(inputs)
    except InputError as exc:
        raise fail(str(exc)) from None
    store = open_store_or_fail(db, create=True)
    try:
        with (
            StoreProgress(estimate_count(sources), quiet=quiet, verb="ingesting") as progress,
            graceful_interrupt(interrupt_notice) as stop,
        ):
            summary = run_ingest(
                store, sources, profile=profile, workers=workers, on_outcome=progress, stop=stop
            )
        assessed = _reassess(store, changed=summary.ingested > 0)
    except BrokenProcessPool as exc:
        raise fail(f"a worker process died ({exc}); run the same command again", 1) from None
    finally:
        store.close()
    print_store_summary(summary, store.url, as_json=as_json, reanalysis=False)
    _print_assessment(assessed, as_json)
    if summary.interrupted:
        raise typer.Exit(130)
    if not (summary.ingested or summary.already):
        found = "every input was skipped" if summary.skipped else "no articles found"
        raise fail(f"nothing ingested: {found}")


def _reassess(store: Any, *, changed: bool) -> Any:
    """Regroup the store's claims into incidents after new claims came in (fogofwar.incidents)."""
    if not changed:
        return None
    from .incidents import refresh

    return refresh(store)


def _print_assessment(assessed: Any, as_json: bool) -> None:
    if assessed is None or as_json:
        return
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(assessed.by_status.items()))
    typer.echo(f"incidents      {assessed.incidents} ({statuses or 'none'})", err=True)


@app.command()
def reanalyze(
    db: Annotated[str, typer.Option("--db", help=DB_HELP)] = "fogofwar.db",
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Re-analyse every article, not only those analysed by another pipeline or "
            "profile version.",
        ),
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option(
            help="Only articles stored under this profile (a bundled name or a YAML path, "
            "needed for profiles that were loaded from a file)."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes analysing in parallel; 1: this process.")
    ] = 1,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no per-input warnings.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Re-run the pipeline on stored articles after an upgrade: those whose pipeline or profile
    version differs from the current one (or all with --all). Their claims and quotes are
    replaced in place; claims that did not change keep their ids.

    Examples:

        fogofwar reanalyze --db corpus.db

        fogofwar reanalyze --all --profile my-war.yaml --workers 2

    Exit codes: 0 done (also when every article was up to date); 2 bad usage (no such store,
    an unknown profile) or every article was skipped; 130 interrupted by Ctrl-C (run the same
    command again to continue); 1 an internal error.
    """
    from concurrent.futures.process import BrokenProcessPool

    from .corpus import count_stale, graceful_interrupt
    from .corpus import reanalyze as run_reanalyze
    from .profile import ProfileError, load_profile

    if profile is not None:
        try:
            load_profile(profile)
        except ProfileError as exc:
            raise fail(str(exc)) from None
    store = open_store_or_fail(db, create=False)
    try:
        total = count_stale(store, everything=everything, profile=profile)
        with (
            StoreProgress(total, quiet=quiet, verb="re-analysing") as progress,
            graceful_interrupt(interrupt_notice) as stop,
        ):
            summary = run_reanalyze(
                store,
                everything=everything,
                profile=profile,
                workers=workers,
                on_outcome=progress,
                stop=stop,
            )
        assessed = _reassess(store, changed=True)
    except BrokenProcessPool as exc:
        raise fail(f"a worker process died ({exc}); run the same command again", 1) from None
    finally:
        store.close()
    print_store_summary(summary, store.url, as_json=as_json, reanalysis=True)
    _print_assessment(assessed, as_json)
    if summary.interrupted:
        raise typer.Exit(130)
    if summary.skipped and not summary.reanalysed:
        raise fail("nothing re-analysed: every article was skipped")


# ================================================================================================
# End of the store-writing commands.
# ================================================================================================


def _check_date(value: str) -> None:
    import datetime as dt

    dt.date.fromisoformat(value)


# Store query commands live in their own module; importing it registers them on ``app``.
from . import cli_queries, cli_serve  # noqa: E402, F401


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
