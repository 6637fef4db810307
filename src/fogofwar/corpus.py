"""Corpus ingestion: many articles from files, folders, JSONL/CSV, URLs and RSS/Atom feeds into
the claims store (:mod:`fogofwar.store`), and re-analysis of stored articles after an upgrade.

* **Discovery** (:func:`discover`) turns each input into :class:`Item` (an article to analyse),
  :class:`Skip` (a bad file or row, with the reason; the batch goes on) or :class:`Known` (a
  feed entry whose link is already stored). Loading, decoding and HTML extraction are those of
  :mod:`fogofwar.ingest`, with its one-line error messages. Rows of JSONL/CSV files are named
  ``file.jsonl:17`` (the line the row starts on).
* **Already stored** articles (same text and URL, so the same :func:`~fogofwar.store.article_id`)
  are counted before any analysis, so re-running an ingest is cheap and adds nothing.
* **Wire copies.** Each article gets a datasketch MinHash over its 5-word shingles. An article
  whose normalised text equals a stored one, or whose estimated Jaccard similarity with a
  first-seen stored article is at least :data:`NEAR_DUPLICATE_THRESHOLD` (0.8), is stored and
  analysed but linked to that first-seen article (``duplicate_of``, ``similarity``), so its
  claims never count as independent corroboration. Candidates come from LSH band buckets
  (16 bands of 8 rows) kept in an indexed table, so a lookup costs one indexed query however large
  the store; only first-seen articles are indexed (copies are compared with the original).
* **One transaction per article**: a crash or Ctrl-C leaves the store consistent, and running the
  same command again continues where it stopped.
* **Workers**: ``workers=1`` analyses in this process; more start worker processes (each loads
  the model once) while this process discovers inputs and writes to the store, in input order.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import email.utils
import glob
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from . import __version__
from . import ingest as loader
from .ingest import InputError
from .store import (
    ArticleRow,
    ClaimRow,
    MinHashBandRow,
    MinHashRow,
    QuoteRow,
    Store,
    article_id,
    claim_row,
    content_hash,
    normalise_text,
    quote_row,
    save_analysis,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .models import Analysis, Article
    from .pipeline import Analyzer
    from .profile import Profile

# --- near-duplicates ---------------------------------------------------------------------------
SHINGLE_WORDS = 5
NUM_PERM = 128
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"  # datasketch >= 2.0; stored signatures depend on it
LSH_BANDS, LSH_ROWS = 16, 8  # P(candidate) = 1 - (1 - J^8)^16: 0.06 at J=0.5, 0.95 at 0.8
NEAR_DUPLICATE_THRESHOLD = 0.8  # estimated Jaccard of word 5-shingles (sd ~0.035 at 128 perms)

# --- inputs ------------------------------------------------------------------------------------
TABLE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".csv"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
ARTICLE_SUFFIXES = loader.TEXT_SUFFIXES | loader.HTML_SUFFIXES
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
FEED_START = re.compile(
    rb"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S
)
ROW_FIELDS = ("text", "html", "url", "title", "published", "outlet")
GLOB_CHARS = re.compile(r"[*?\[]")
SUPPORTED = ".txt, .md, .html, .jsonl, .csv or an RSS/Atom feed"

# --- running -----------------------------------------------------------------------------------
BATCH_SIZE = 16  # documents per nlp.pipe batch in this process
CHUNK_SIZE = 8  # documents per task sent to a worker process
MAX_EXAMPLES = 5  # origins listed per skip reason in the summary
ID_PAGE = 500  # stored articles fetched per query when re-analysing

Status = Literal["ingested", "duplicate", "already", "skipped", "reanalysed"]


# ------------------------------------------------------------------------------------------------
# What discovery yields
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One article to analyse, with where it came from (path, ``file.jsonl:17``, URL, feed)."""

    text: str
    origin: str
    url: str | None = None
    title: str | None = None
    published: str | dt.date | None = None
    outlet: str | None = None
    stored_id: str | None = None  # set when re-analysing a stored article

    @cached_property
    def article_id(self) -> str:
        return self.stored_id or article_id(self.text, self.url)


@dataclass(frozen=True)
class Skip:
    """An input that cannot be ingested, and why (one line)."""

    origin: str
    problem: str

    @property
    def reason(self) -> str:
        """The problem without its particulars, to group skips by ("malformed JSON")."""
        return re.sub(r"\s*\([^()]*\)", "", self.problem).strip() or self.problem


@dataclass(frozen=True)
class Known:
    """A feed entry whose link is already in the store (not fetched again)."""

    origin: str


Found = Item | Skip | Known


# ------------------------------------------------------------------------------------------------
# Inputs: paths, folders, globs, URLs, stdin
# ------------------------------------------------------------------------------------------------


def is_url(source: str) -> bool:
    return loader.URL_SCHEME.match(source) is not None


def resolve_inputs(inputs: Sequence[str]) -> list[str]:
    """Check every input before anything is read: globs expanded, and an `InputError` for a
    missing path, a glob that matches nothing or a URL that is not http(s)."""
    if not inputs:
        raise InputError("ingest", "no file, folder, URL or - given")
    sources: list[str] = []
    for raw in inputs:
        source = raw.strip()
        if not source:
            raise InputError(repr(raw), "no file, folder, URL or - given")
        scheme = loader.URL_SCHEME.match(source)
        if source == "-":
            sources.append(source)
        elif scheme:
            if scheme.group(1).lower() not in ("http", "https"):
                raise InputError(source, f"unsupported URL scheme '{scheme.group(1)}'")
            sources.append(source)
        elif Path(source).expanduser().exists():
            sources.append(str(Path(source).expanduser()))
        elif GLOB_CHARS.search(source):
            matches = sorted(glob.glob(os.path.expanduser(source), recursive=True))
            if not matches:
                raise InputError(source, "no file matches this pattern")
            sources.extend(matches)
        else:
            raise InputError(source, "no such file or folder")
    return sources


def discover(
    sources: Iterable[str],
    *,
    stored_url: Callable[[str], bool] = lambda _url: False,
    stdin: IO[bytes] | None = None,
) -> Iterator[Found]:
    """Every article, bad input and already-stored feed entry of ``sources`` (from
    :func:`resolve_inputs`), lazily and in order."""
    for source in sources:
        if source == "-":
            yield from _from_stdin(stdin)
        elif is_url(source):
            yield from _from_url(source, stored_url)
        elif Path(source).is_dir():
            for path in walk_folder(Path(source)):
                yield from _from_file(path, stored_url, explicit=False)
        else:
            yield from _from_file(Path(source), stored_url, explicit=True)


def walk_folder(folder: Path) -> Iterator[Path]:
    """Files under ``folder``: its own files, then each subfolder's, sorted by name; hidden files
    and folders are left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _from_stdin(stdin: IO[bytes] | None) -> Iterator[Found]:
    try:
        article = loader.load_stdin(stdin)
    except InputError as error:
        yield Skip(loader.STDIN_NAME, error.problem)
        return
    yield _item(article.text, loader.STDIN_NAME, article, None)


def _from_file(path: Path, stored_url: Callable[[str], bool], *, explicit: bool) -> Iterator[Found]:
    suffix = path.suffix.lower()
    name = str(path)
    if suffix == ".csv":
        yield from rows_from_csv(path)
        return
    if suffix in TABLE_SUFFIXES:
        yield from rows_from_jsonl(path)
        return
    if not (explicit or suffix in ARTICLE_SUFFIXES or suffix in FEED_SUFFIXES or not suffix):
        yield Skip(name, f"unsupported file type '{suffix}' (expected {SUPPORTED})")
        return
    try:
        data = loader.read_file_bytes(name, loader.MAX_BYTES)
        if suffix not in ARTICLE_SUFFIXES and looks_like_feed(data):
            yield from _from_feed(data, name, stored_url)
            return
        is_html = suffix in loader.HTML_SUFFIXES or None
        article = loader.article_from_bytes(data, name, is_html=is_html)
    except InputError as error:
        yield Skip(name, error.problem)
        return
    yield _item(article.text, name, article, None)


def _item(
    text: str, origin: str, article: Article | None, fields: Mapping[str, str | None] | None
) -> Item:
    """An `Item` from loaded text and metadata (row fields win over the document's own)."""
    fields = fields or {}
    return Item(
        text=text,
        origin=origin,
        url=fields.get("url") or (article.url if article else None),
        title=fields.get("title") or (article.title if article else None),
        published=fields.get("published") or (article.published if article else None),
        outlet=fields.get("outlet") or (article.outlet if article else None),
    )


# ------------------------------------------------------------------------------------------------
# JSONL and CSV rows
# ------------------------------------------------------------------------------------------------


def _open_table(path: Path) -> IO[bytes] | Skip:
    """A JSONL or CSV file opened for reading, or why it cannot be read as rows."""
    try:
        handle = path.open("rb")
    except OSError as error:
        return Skip(str(path), f"cannot read ({error.strerror or error})")
    problem = _table_problem(handle.read(loader.SNIFF_BYTES))
    if problem:
        handle.close()
        return Skip(str(path), problem)
    handle.seek(0)
    return handle


def rows_from_jsonl(path: Path) -> Iterator[Found]:
    """One item per JSON object line: ``text`` or ``html``, optional ``url``, ``title``,
    ``published``, ``outlet``. Blank lines are ignored; a bad line is skipped with its reason."""
    name = str(path)
    opened = _open_table(path)
    if isinstance(opened, Skip):
        yield opened
        return
    with opened as handle:
        rows = 0
        for number, raw in _lines(handle, loader.MAX_BYTES):
            origin = f"{name}:{number}"
            if raw is None:
                yield Skip(origin, f"too large (over {loader.format_size(loader.MAX_BYTES)})")
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            rows += 1
            yield _row_from_json(raw, origin)
        if rows == 0:
            yield Skip(name, "is empty (no rows)")


def _row_from_json(raw: bytes, origin: str) -> Found:
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return Skip(origin, "not UTF-8 text")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        message = error.msg.removesuffix(" at")  # "Invalid control character at"
        return Skip(origin, f"malformed JSON ({message} at column {error.colno})")
    if not isinstance(value, dict):
        return Skip(origin, f"not a JSON object (a {type(value).__name__})")
    return item_from_record(value, origin)


def _lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a binary file; None for a line longer than ``limit`` (not kept)."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of the long line
                line = handle.readline(limit + 1)
            yield number, None
            continue
        yield number, line


def _table_problem(head: bytes) -> str | None:
    """Why a JSONL/CSV file cannot be read as UTF-8 rows, from its first bytes."""
    if not head:
        return "is empty"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or loader.sniff_bomless_utf16(head):
        return "is UTF-16 (save JSONL and CSV files as UTF-8)"
    if loader.binary_kind(head) or b"\x00" in head:
        return loader.binary_problem(head)
    return None


def rows_from_csv(path: Path) -> Iterator[Found]:
    """One item per CSV row (UTF-8, header row with a ``text`` or ``html`` column)."""
    name = str(path)
    opened = _open_table(path)
    if isinstance(opened, Skip):
        yield opened
        return
    with opened as handle:
        _raise_csv_field_limit()
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
        yield from _csv_rows(csv.reader(text), name)


def _csv_rows(reader: Any, name: str) -> Iterator[Found]:
    try:
        header = next(reader, None)
    except csv.Error as error:
        yield Skip(name, f"malformed CSV header ({error})")
        return
    columns = [cell.strip().lower() for cell in header or []]
    if not any(columns):
        yield Skip(name, "is empty (no header row)")
        return
    if "text" not in columns and "html" not in columns:
        shown = ", ".join(c for c in columns if c) or "none"
        yield Skip(name, f"no 'text' or 'html' column (columns: {shown})")
        return
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield Skip(f"{name}:{start}", f"malformed CSV ({error})")
            continue
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        origin = f"{name}:{start}"
        if any("\ufffd" in cell for cell in row):
            yield Skip(origin, "not UTF-8 text")
            continue
        record = {column: cell for column, cell in zip(columns, row, strict=False) if column}
        yield item_from_record(record, origin)
    if rows == 0:
        yield Skip(name, "is empty (no rows)")


def _raise_csv_field_limit() -> None:
    """Article texts are longer than the csv module's default field limit (128 KB)."""
    if csv.field_size_limit() < loader.MAX_BYTES:
        csv.field_size_limit(loader.MAX_BYTES)


def item_from_record(record: Mapping[str, Any], origin: str) -> Found:
    """An `Item` from a JSONL object or CSV row, or the `Skip` saying what is wrong with it."""
    fields: dict[str, str | None] = {}
    for key in ROW_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Skip(origin, f"field '{key}' is not a string (a {type(value).__name__})")
        fields[key] = value.strip() if value and value.strip() else None
    if fields["published"]:
        try:
            fields["published"] = parse_date(fields["published"])
        except ValueError:
            return Skip(origin, f"'published' is not a date ({fields['published']!r})")
    text, html = record.get("text"), record.get("html")
    try:
        if fields["text"]:
            body = loader.normalize_text(str(text))
            loader.check_words(body, origin)
            return _item(body, origin, None, fields)
        if fields["html"]:
            article = loader.article_from_html(str(html), origin, url=fields["url"])
            return _item(article.text, origin, article, fields)
    except InputError as error:
        return Skip(origin, error.problem)
    if "text" in record or "html" in record:
        return Skip(origin, "empty text")
    return Skip(origin, "no 'text' or 'html' field")


def parse_date(value: str) -> str:
    """An ISO date from ``2023-05-12``, ``2023-05-12T10:00:00Z`` or an RFC 822 date (RSS)."""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError) as error:
        raise ValueError(value) from error


# ------------------------------------------------------------------------------------------------
# URLs and feeds
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A fetched HTTP body."""

    data: bytes
    final_url: str
    content_type: str


def fetch_body(url: str, *, timeout: float = 20.0, max_bytes: int = loader.MAX_BYTES) -> Body:
    """GET a URL like :func:`fogofwar.ingest.fetch_url` (same limits and error messages), but
    return the raw body so it can be told apart as a feed or an article."""
    import ssl

    import httpx

    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, headers={"User-Agent": loader.USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            loader.check_status(url, response)
            data = loader.read_body(url, response, max_bytes)
            final_url = str(response.url) if response.history else url
            content_type = response.headers.get("content-type", "")
    except httpx.TimeoutException as error:
        raise loader.unreachable(url, f"timed out after {timeout:g}s") from error
    except httpx.TooManyRedirects as error:
        raise InputError(url, "cannot fetch (too many redirects)") from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise InputError(url, f"invalid URL ({loader.short_reason(error)})") from error
    except httpx.TransportError as error:
        if loader.caused_by(error, ssl.SSLError):
            reason = f"cannot fetch (TLS error: {loader.short_reason(error)})"
            raise InputError(url, reason) from error
        raise loader.unreachable(url, loader.short_reason(error)) from error
    except httpx.HTTPError as error:
        raise InputError(url, f"cannot fetch ({loader.short_reason(error)})") from error
    return Body(data, final_url, content_type)


def _from_url(url: str, stored_url: Callable[[str], bool]) -> Iterator[Found]:
    """A URL is a feed when its body parses as RSS/Atom, else an article page."""
    try:
        body = fetch_body(url)
        mime = body.content_type.partition(";")[0].strip().lower()
        if mime in FEED_CONTENT_TYPES or looks_like_feed(body.data):
            entries = list(_from_feed(body.data, url, stored_url))
            if entries:
                yield from entries
                return
        article = loader.article_from_response(body.data, url, body.final_url, body.content_type)
    except InputError as error:
        yield Skip(url, error.problem)
        return
    yield _item(article.text, url, article, None)


def looks_like_feed(data: bytes) -> bool:
    """Whether a body starts like an RSS, Atom or RDF feed."""
    return FEED_START.match(data[:4096].removeprefix(b"\xef\xbb\xbf")) is not None


def _from_feed(data: bytes, origin: str, stored_url: Callable[[str], bool]) -> Iterator[Found]:
    """Each entry's linked article, fetched (entry title and date win over the page's); an
    entry whose link is already stored is not fetched again. Nothing for a non-feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        if origin.startswith(("http://", "https://")):
            return  # not a feed: the caller reads it as an article page
        yield Skip(origin, "not an RSS/Atom feed, nor an article")
        return
    if not parsed.entries:
        yield Skip(origin, "feed has no entries")
        return
    outlet = loader.clean_field(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, 1):
        link = (entry.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            yield Skip(f"{origin}#{number}", "feed entry without an http(s) link")
            continue
        if stored_url(link):
            yield Known(link)
            continue
        yield _feed_entry(entry, link, origin, outlet)


def _feed_entry(entry: Any, link: str, origin: str, outlet: str | None) -> Found:
    try:
        article = loader.fetch_url(link)
    except InputError as error:
        return Skip(link, error.problem)
    fields = {
        "url": article.url or link,
        "title": loader.clean_field(entry.get("title")),
        "published": _entry_date(entry),
        "outlet": article.outlet or outlet,
    }
    return _item(article.text, origin, article, fields)


def _entry_date(entry: Any) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    try:
        return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat()
    except (AttributeError, ValueError):
        return None


def estimate_count(sources: Sequence[str]) -> int | None:
    """Roughly how many articles the inputs hold (for the progress bar); None with URLs or
    stdin, whose size is unknown until fetched."""
    total = 0
    for source in sources:
        if source == "-" or is_url(source):
            return None
        paths = walk_folder(Path(source)) if Path(source).is_dir() else [Path(source)]
        for path in paths:
            total += _rows_in(path) if path.suffix.lower() in TABLE_SUFFIXES else 1
    return total


def _rows_in(path: Path) -> int:
    """Non-blank lines of a JSONL file (CSV: minus the header)."""
    try:
        with path.open("rb") as handle:
            lines = sum(1 for line in handle if line.strip())
    except OSError:
        return 1
    return max(lines - 1, 0) if path.suffix.lower() == ".csv" else lines


# ------------------------------------------------------------------------------------------------
# Near-duplicates: MinHash signatures and LSH band buckets
# ------------------------------------------------------------------------------------------------


def shingles(text: str) -> set[bytes]:
    """Word 5-shingles of the normalised, casefolded text (the whole text when shorter)."""
    words = re.findall(r"\w+", normalise_text(text).casefold())
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> bytes:
    """The MinHash signature of a text (``NUM_PERM`` 32-bit values, little-endian)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (datasketch's estimator)."""
    import numpy as np
    from datasketch import MinHash

    first, second = (
        MinHash(seed=MINHASH_SEED, scheme=MINHASH_SCHEME, hashvalues=np.frombuffer(sig, "<u4"))
        for sig in (a, b)
    )
    return float(first.jaccard(second))


def band_buckets(sig: bytes) -> list[int]:
    """One signed 64-bit bucket per LSH band (band number and its rows, hashed)."""
    width = LSH_ROWS * 4
    buckets = []
    for band in range(LSH_BANDS):
        chunk = bytes([band]) + sig[band * width : (band + 1) * width]
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        buckets.append(int.from_bytes(digest, "little", signed=True))
    return buckets


@dataclass(frozen=True)
class Original:
    """The first-seen article a new one copies, and how similar they are."""

    article_id: str
    similarity: float


def find_original(session: Session, text: str, sig: bytes) -> Original | None:
    """The earliest stored article this text is an exact or near copy of, else None."""
    from sqlalchemy import select

    exact = session.execute(
        select(ArticleRow.id, ArticleRow.duplicate_of, ArticleRow.similarity)
        .where(ArticleRow.content_hash == content_hash(text))
        .order_by(ArticleRow.ingested_at, ArticleRow.id)
        .limit(1)
    ).first()
    if exact is not None:
        if exact.duplicate_of:
            return Original(exact.duplicate_of, exact.similarity or 1.0)
        return Original(exact.id, 1.0)
    candidates = (
        select(MinHashBandRow.article_id)
        .where(MinHashBandRow.bucket.in_(band_buckets(sig)))
        .distinct()
        .scalar_subquery()
    )
    rows = session.execute(
        select(MinHashRow.article_id, MinHashRow.signature)
        .join(ArticleRow, ArticleRow.id == MinHashRow.article_id)
        .where(MinHashRow.article_id.in_(candidates))
        .order_by(ArticleRow.ingested_at, ArticleRow.id)
    )
    for candidate, stored in rows:  # earliest first
        score = similarity(sig, stored)
        if score >= NEAR_DUPLICATE_THRESHOLD:
            return Original(candidate, round(score, 4))
    return None


# ------------------------------------------------------------------------------------------------
# Analysis, in this process or in worker processes
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysed:
    """An item with its analysis (or why it failed) and, when asked for, its signature."""

    item: Item
    analysis: Analysis | None
    error: str | None = None
    signature: bytes | None = None


def analyse_items(
    analyzer: Analyzer, items: Iterable[Item], *, signatures: bool, batch_size: int = BATCH_SIZE
) -> Iterator[Analysed]:
    """Analyse items through ``nlp.pipe``, in order; a failure is reported, not raised."""
    from .nlp import ArticleTooLongError, check_length
    from .pipeline import Document

    pending: deque[tuple[Item, str | None]] = deque()  # items in order, with a refusal

    def documents() -> Iterator[tuple[str, Document]]:
        for item in items:
            try:
                check_length(item.text)
            except ArticleTooLongError as error:
                pending.append((item, str(error)))
                continue
            pending.append((item, None))
            document = Document(
                text=item.text,
                published=item.published,
                url=item.url,
                outlet=item.outlet,
                title=item.title,
                path=item.origin,
            )
            yield item.text, document

    def refused() -> Iterator[Analysed]:
        while pending and pending[0][1] is not None:
            item, problem = pending.popleft()
            yield Analysed(item, None, problem)

    for doc, document in analyzer.nlp.pipe(documents(), as_tuples=True, batch_size=batch_size):
        yield from refused()
        item, _ = pending.popleft()
        sig = signature(item.text) if signatures else None
        try:
            analysis = analyzer.analyze_doc(doc, document)
        except Exception as error:  # one article's failure must not end the batch
            yield Analysed(item, None, f"analysis failed ({type(error).__name__}: {error})", sig)
            continue
        yield Analysed(item, analysis, None, sig)
    yield from refused()


_WORKER_ANALYZER: Analyzer | None = None


def _init_worker(profile: str) -> None:
    """Worker start-up: load the pipeline once; Ctrl-C is the main process's to handle."""
    global _WORKER_ANALYZER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .pipeline import Analyzer

    _WORKER_ANALYZER = Analyzer(profile)


def _analyse_chunk(items: list[Item], signatures: bool) -> list[Analysed]:
    assert _WORKER_ANALYZER is not None, "worker not initialised"
    return list(analyse_items(_WORKER_ANALYZER, items, signatures=signatures))


class InProcess:
    """Analysis in this process (``--workers 1``); the pipeline is loaded for the first item
    (a re-run over stored articles loads nothing)."""

    def __init__(self, profile: str) -> None:
        self.profile = profile

    def analyse(self, items: Iterable[Item], *, signatures: bool) -> Iterator[Analysed]:
        items = iter(items)
        first = next(items, None)
        if first is None:
            return
        from .pipeline import get_analyzer

        analyzer = get_analyzer(self.profile)
        yield from analyse_items(analyzer, itertools.chain([first], items), signatures=signatures)

    def close(self) -> None:
        pass


class WorkerPool:
    """Analysis in ``workers`` processes (started with the first chunk), results in input order,
    a bounded number of chunks in flight (memory stays flat however long the input)."""

    def __init__(self, profile: str, workers: int, chunk_size: int = CHUNK_SIZE) -> None:
        self.profile = profile
        self.workers = workers
        self.chunk_size = chunk_size
        self.executor: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.profile,),
            )
        return self.executor

    def analyse(self, items: Iterable[Item], *, signatures: bool) -> Iterator[Analysed]:
        window: deque[Future[list[Analysed]]] = deque()
        try:
            for chunk in _chunks(items, self.chunk_size):
                window.append(self._start().submit(_analyse_chunk, chunk, signatures))
                while len(window) > 2 * self.workers:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
        finally:
            for future in window:
                future.cancel()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def analyser(profile: str, workers: int) -> Iterator[InProcess | WorkerPool]:
    backend: InProcess | WorkerPool = (
        InProcess(profile) if workers <= 1 else WorkerPool(profile, workers)
    )
    try:
        yield backend
    finally:
        backend.close()


# ------------------------------------------------------------------------------------------------
# Outcomes and the summary
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What happened to one input."""

    status: Status
    origin: str
    article_id: str | None = None
    problem: str | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    claims: int = 0


@dataclass
class SkipGroup:
    """Skipped inputs sharing one reason, with the first few of them."""

    reason: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "count": self.count, "examples": self.examples}


@dataclass
class Summary:
    """The result of an ingest or a re-analysis run."""

    ingested: int = 0  # new articles stored, copies included
    duplicates: int = 0  # of those, exact or near copies linked to an earlier article
    already: int = 0  # already in the store: nothing added
    reanalysed: int = 0
    claims: int = 0  # claims written by this run
    groups: dict[str, SkipGroup] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def skipped(self) -> int:
        return sum(group.count for group in self.groups.values())

    def record(self, outcome: Outcome) -> None:
        if outcome.status in ("ingested", "duplicate"):
            self.ingested += 1
            self.duplicates += outcome.status == "duplicate"
        elif outcome.status == "already":
            self.already += 1
        elif outcome.status == "reanalysed":
            self.reanalysed += 1
        else:
            self.skip(Skip(outcome.origin, outcome.problem or "skipped"))
        self.claims += outcome.claims

    def skip(self, skip: Skip) -> None:
        group = self.groups.setdefault(skip.reason, SkipGroup(skip.reason))
        group.count += 1
        if len(group.examples) < MAX_EXAMPLES:
            group.examples.append(f"{skip.origin}: {skip.problem}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "already_in_store": self.already,
            "reanalysed": self.reanalysed,
            "claims": self.claims,
            "skipped": self.skipped,
            "skipped_by_reason": [g.to_dict() for g in self.groups.values()],
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 2),
        }


OutcomeHook = Callable[[Outcome], None]


# ------------------------------------------------------------------------------------------------
# Ingest
# ------------------------------------------------------------------------------------------------


def is_stored(store: Store, aid: str) -> bool:
    from sqlalchemy import select

    with store.engine.connect() as connection:
        found = connection.execute(select(ArticleRow.id).where(ArticleRow.id == aid)).first()
    return found is not None


def url_stored(store: Store, url: str) -> bool:
    from sqlalchemy import select

    with store.engine.connect() as connection:
        found = connection.execute(select(ArticleRow.id).where(ArticleRow.url == url)).first()
    return found is not None


def ingest(
    store: Store,
    sources: Sequence[str],
    *,
    profile: str = "russia-ukraine",
    workers: int = 1,
    on_outcome: OutcomeHook | None = None,
    stop: threading.Event | None = None,
    stdin: IO[bytes] | None = None,
) -> Summary:
    """Ingest ``sources`` (from :func:`resolve_inputs`) into ``store``.

    ``on_outcome`` is called after each input is settled (article committed, skipped or found
    already stored); an exception it raises ends the run with every committed article kept.
    Setting ``stop`` ends the run cleanly after the current article (``interrupted``)."""
    from .profile import load_profile

    profile_version = load_profile(profile).version
    summary = Summary()
    started = time.perf_counter()
    in_flight: set[str] = set()

    def settle(outcome: Outcome) -> None:
        summary.record(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    def fresh_items() -> Iterator[Item]:
        found_items = discover(sources, stored_url=lambda u: url_stored(store, u), stdin=stdin)
        for found in found_items:
            if stop is not None and stop.is_set():
                return
            if isinstance(found, Skip):
                settle(Outcome("skipped", found.origin, problem=found.problem))
            elif isinstance(found, Known):
                settle(Outcome("already", found.origin))
            elif found.article_id in in_flight or is_stored(store, found.article_id):
                settle(Outcome("already", found.origin, found.article_id))
            else:
                in_flight.add(found.article_id)
                yield found

    try:
        with analyser(profile, workers) as backend:
            for result in backend.analyse(fresh_items(), signatures=True):
                in_flight.discard(result.item.article_id)
                settle(commit(store, result, profile_version))
                if stop is not None and stop.is_set():
                    break
    finally:
        summary.interrupted = stop is not None and stop.is_set()
        summary.seconds = time.perf_counter() - started
    return summary


def ingest_records(
    store: Store,
    records: Sequence[Mapping[str, Any]],
    analyzer: Analyzer,
    *,
    origin: str = "request",
) -> list[Outcome]:
    """Ingest articles given as records (``text`` or ``html``, with optional ``url``, ``title``,
    ``published``, ``outlet``): the web API's ingest. Nothing is read from a path or fetched from
    ``url`` - it is only the article's address. One outcome per record, in order; incidents are
    regrouped when anything was stored."""
    from .incidents import refresh

    profile_version = analyzer.profile.version
    outcomes: list[Outcome] = []
    for number, record in enumerate(records, 1):
        where = f"{origin}:{number}"
        found = item_from_record(record, where) if isinstance(record, Mapping) else None
        if found is None:
            outcomes.append(Outcome("skipped", where, problem="not a JSON object"))
        elif isinstance(found, Skip):
            outcomes.append(Outcome("skipped", where, problem=found.problem))
        elif is_stored(store, found.article_id):
            outcomes.append(Outcome("already", where, found.article_id))
        else:
            for result in analyse_items(analyzer, [found], signatures=True):
                outcomes.append(commit(store, result, profile_version))
    if any(o.status in ("ingested", "duplicate") for o in outcomes):
        refresh(store)
    return outcomes


def commit(store: Store, result: Analysed, profile_version: int) -> Outcome:
    """Write one analysed article, linked to the article it copies, in one transaction."""
    item = result.item
    if result.analysis is None:
        return Outcome("skipped", item.origin, item.article_id, problem=result.error)
    sig = result.signature if result.signature is not None else signature(item.text)
    with store.session() as session:
        if session.get(ArticleRow, item.article_id) is not None:
            return Outcome("already", item.origin, item.article_id)
        original = find_original(session, item.text, sig)
        aid = save_analysis(
            session,
            result.analysis,
            origin=item.origin,
            profile_version=profile_version,
            duplicate_of=original.article_id if original else None,
            similarity=original.similarity if original else None,
        )
        session.add(MinHashRow(article_id=aid, signature=sig))
        if original is None:  # only first-seen articles are candidates for later copies
            session.add_all(
                MinHashBandRow(article_id=aid, band=band, bucket=bucket)
                for band, bucket in enumerate(band_buckets(sig))
            )
    claims = len({claim_key(claim) for claim in result.analysis.claims})
    if original is None:
        return Outcome("ingested", item.origin, aid, claims=claims)
    return Outcome(
        "duplicate",
        item.origin,
        aid,
        duplicate_of=original.article_id,
        similarity=original.similarity,
        claims=claims,
    )


def claim_key(claim: Any) -> tuple:
    """What makes two claims of one article the same row (see ``store.claim_id``)."""
    return (
        claim.evidence.start,
        claim.evidence.end,
        claim.trigger.start,
        claim.event,
        claim.actor_side,
        claim.place.name.casefold() if claim.place else None,
        claim.polarity,
    )


# ------------------------------------------------------------------------------------------------
# Re-analysis
# ------------------------------------------------------------------------------------------------


def stored_profiles(store: Store) -> list[str]:
    from sqlalchemy import select

    with store.engine.connect() as connection:
        return sorted(connection.scalars(select(ArticleRow.profile).distinct()))


def _stale(profile_name: str, profile_version: int, *, everything: bool) -> list[Any]:
    """Filters for the stored articles of one profile that need a new analysis."""
    from sqlalchemy import or_

    clauses: list[Any] = [ArticleRow.profile == profile_name]
    if not everything:
        clauses.append(
            or_(
                ArticleRow.pipeline_version != __version__,
                ArticleRow.profile_version != profile_version,
            )
        )
    return clauses


def _profiles_to_run(store: Store, profile: str | None) -> list[tuple[str, Profile | None]]:
    """(name, loaded profile or None when it cannot be loaded) for a re-analysis."""
    from .profile import ProfileError, load_profile

    out: list[tuple[str, Profile | None]] = []
    for name in [profile] if profile else stored_profiles(store):
        try:
            out.append((name, load_profile(name)))
        except ProfileError:
            out.append((name, None))
    return out


def count_stale(store: Store, *, everything: bool = False, profile: str | None = None) -> int:
    """How many stored articles a re-analysis would process (for the progress bar)."""
    from sqlalchemy import func, select

    total = 0
    with store.engine.connect() as connection:
        for name, loaded in _profiles_to_run(store, profile):
            stored_name = loaded.name if loaded else name
            version = loaded.version if loaded else -1
            clauses = _stale(stored_name, version, everything=everything or loaded is None)
            query = select(func.count()).select_from(ArticleRow).where(*clauses)
            total += connection.execute(query).scalar_one()
    return total


def stale_items(
    store: Store, profile_name: str, profile_version: int, *, everything: bool
) -> Iterator[Item]:
    """Stored articles of one profile analysed by another pipeline or profile version (all of
    them with ``everything``), fetched a page at a time."""
    from sqlalchemy import select

    last = ""
    while True:
        query = (
            select(ArticleRow)
            .where(*_stale(profile_name, profile_version, everything=everything))
            .where(ArticleRow.id > last)
            .order_by(ArticleRow.id)
            .limit(ID_PAGE)
        )
        with store.sessions() as session:
            rows = list(session.scalars(query))
            page = [
                Item(
                    text=row.text,
                    origin=row.origin or row.id,
                    url=row.url,
                    title=row.title,
                    published=row.published,
                    outlet=row.outlet,
                    stored_id=row.id,
                )
                for row in rows
            ]
        if not page:
            return
        yield from page
        last = page[-1].article_id


def reanalyze(
    store: Store,
    *,
    everything: bool = False,
    profile: str | None = None,
    workers: int = 1,
    on_outcome: OutcomeHook | None = None,
    stop: threading.Event | None = None,
) -> Summary:
    """Re-run the pipeline on stored articles whose pipeline or profile version is not the
    current one (every article with ``everything``), replacing their claims and quotes in place.

    ``profile`` (a name or YAML path) limits the run to the articles stored under that profile's
    name; otherwise each stored profile name is loaded as a bundled profile, and articles whose
    profile cannot be loaded are reported as skipped."""
    summary = Summary()
    started = time.perf_counter()

    def settle(outcome: Outcome) -> None:
        summary.record(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    try:
        for name, loaded in _profiles_to_run(store, profile):
            if loaded is None:
                problem = f"profile {name!r} cannot be loaded (pass it with --profile PATH)"
                for item in stale_items(store, name, -1, everything=True):
                    settle(Outcome("skipped", item.origin, item.article_id, problem=problem))
                continue
            items = stale_items(store, loaded.name, loaded.version, everything=everything)
            with analyser(name, workers) as backend:
                for result in backend.analyse(items, signatures=False):
                    settle(replace(store, result, loaded.version))
                    if stop is not None and stop.is_set():
                        return summary
    finally:
        summary.interrupted = stop is not None and stop.is_set()
        summary.seconds = time.perf_counter() - started
    return summary


def replace(store: Store, result: Analysed, profile_version: int) -> Outcome:
    """Replace one article's claims and quotes in one transaction; claims that did not change
    keep their ids and their incident."""
    from sqlalchemy import delete, select

    item = result.item
    aid = item.article_id
    if result.analysis is None:
        return Outcome("skipped", item.origin, aid, problem=result.error)
    analysis = result.analysis
    with store.session() as session:
        row = session.get(ArticleRow, aid)
        if row is None:
            return Outcome("skipped", item.origin, aid, problem="no longer in the store")
        query = select(ClaimRow.id, ClaimRow.incident_id).where(ClaimRow.article_id == aid)
        incidents = {claim: incident for claim, incident in session.execute(query)}
        session.execute(delete(ClaimRow).where(ClaimRow.article_id == aid))
        session.execute(delete(QuoteRow).where(QuoteRow.article_id == aid))
        claims = _new_claims(session, aid, row.published, analysis, incidents)
        _new_quotes(session, aid, analysis)
        row.profile = analysis.article.profile
        row.profile_version = profile_version
        row.pipeline_version = __version__
    return Outcome("reanalysed", item.origin, aid, claims=claims)


def _new_claims(
    session: Session,
    aid: str,
    published: dt.date | None,
    analysis: Analysis,
    incidents: Mapping[str, str | None],
) -> int:
    seen: set[str] = set()
    for claim in analysis.claims:
        row = claim_row(aid, published, claim, session)
        if row.id in seen:
            continue
        seen.add(row.id)
        row.incident_id = incidents.get(row.id)
        session.add(row)
    return len(seen)


def _new_quotes(session: Session, aid: str, analysis: Analysis) -> None:
    seen: set[str] = set()
    for quote in analysis.quotes:
        row = quote_row(aid, quote, session)
        if row.id not in seen:
            seen.add(row.id)
            session.add(row)


# ------------------------------------------------------------------------------------------------
# Ctrl-C
# ------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def graceful_interrupt(on_first: Callable[[], None] | None = None) -> Iterator[threading.Event]:
    """The first Ctrl-C sets the yielded event (stop after the current article); a second one
    interrupts at once. Outside the main thread the event is only set by hand."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        if on_first is not None:
            on_first()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def describe(summary: Summary, *, store_url: str | None = None, reanalysis: bool = False) -> str:
    """The summary as a few plain lines."""
    if reanalysis:
        lines = [f"reanalysed     {summary.reanalysed:,} articles"]
    else:
        copies = ""
        if summary.duplicates:
            kind = "wire copies/near-duplicates"
            if summary.duplicates == 1:
                kind = "wire copy/near-duplicate"
            copies = f" ({summary.duplicates:,} {kind} linked to an earlier article)"
        lines = [
            f"ingested       {summary.ingested:,} articles{copies}",
            f"already there  {summary.already:,}",
        ]
    lines.append(f"claims         {summary.claims:,}")
    lines.append(f"skipped        {summary.skipped:,}")
    for group in summary.groups.values():
        lines.append(f"  {group.reason} ({group.count:,}):")
        lines.extend(f"    {example}" for example in group.examples)
        if group.count > len(group.examples):
            lines.append(f"    ... and {group.count - len(group.examples):,} more")
    done = summary.reanalysed if reanalysis else summary.ingested
    speed = f", {done / summary.seconds:.2f} articles/s" if summary.seconds and done else ""
    where = f"{store_url}   " if store_url else ""
    lines.append(f"store          {where}({summary.seconds:.1f} s{speed})")
    if summary.interrupted:
        lines.append("interrupted    run the same command again to continue")
    return "\n".join(lines)


__all__ = [
    "NEAR_DUPLICATE_THRESHOLD",
    "Item",
    "Known",
    "Outcome",
    "Skip",
    "Summary",
    "discover",
    "estimate_count",
    "find_original",
    "graceful_interrupt",
    "ingest",
    "reanalyze",
    "resolve_inputs",
    "signature",
    "similarity",
]
