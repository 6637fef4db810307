"""Ingest: turn a file, URL or stdin into an `Article` (decoded, normalised text plus metadata).

Every user mistake or unusable input surfaces as `InputError`, whose message is one line that
names the file, URL or ``<stdin>`` and says what is wrong.
"""

from __future__ import annotations

import re
import ssl
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from fogofwar.models import Article

if TYPE_CHECKING:
    from configparser import ConfigParser

    import httpx
    from trafilatura.settings import Document

MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "fogofwar/0.1"
STDIN_NAME = "<stdin>"
MIN_WORDS = 3

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_CONTENT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
# Servers that do not know what they send; the body is sniffed instead.
VAGUE_CONTENT_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

# Leading bytes of common binary formats, with a name for the error message (anything else
# binary is caught by its NUL and control bytes).
MAGIC_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x7fELF", "executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"SQLite format 3\x00", "SQLite database"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control bytes that plain text may legitimately contain: tab, LF, VT, FF, CR, ESC.
TEXT_CONTROL_BYTES = frozenset(b"\t\n\x0b\x0c\r\x1b")
SNIFF_BYTES = 8192
MAX_CONTROL_RATIO = 0.02
UTF16_NUL_RATIO = 0.3
# Share of non-ASCII bytes above which a non-UTF-8 text is probably not in a Latin script
# (e.g. Cyrillic in cp1251 or KOI8-R); charset-normalizer is asked before cp1252 then.
NON_LATIN_RATIO = 0.3
DECLARED_CHARSET_ALIASES = {
    # Browsers (WHATWG) read these labels as windows-1252.
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}
HTML_START = re.compile(
    rb"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>", re.I)
URL_SCHEME = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]*)://")
ERRNO_PREFIX = re.compile(r"^\[(?:Errno [^\]]*|SSL: [^\]]*)\]\s*")
WORD = re.compile(r"\w+")
# HTML extractions shorter than this are double-checked in precision mode (menus, banners).
SMALL_EXTRACTION_WORDS = 40
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 25


class InputError(Exception):
    """A user mistake or unusable input.

    ``str(err)`` is ONE line naming the file/URL (or ``<stdin>``) and the problem.
    """

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = " ".join(problem.split())
        super().__init__(f"{name}: {self.problem}")


# --------------------------------------------------------------------------- entry point


def load_source(
    source: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = 20.0,
    stdin: BinaryIO | None = None,
) -> Article:
    """Load a filesystem path, an http(s) URL, or ``-`` (stdin) as an `Article`."""
    if not source.strip():
        raise InputError(repr(source), "no file, URL or - given")
    if source == "-":
        return load_stdin(stdin, max_bytes=max_bytes)
    scheme = URL_SCHEME.match(source)
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            raise InputError(
                source,
                f"unsupported URL scheme '{scheme.group(1)}' "
                "(give an http(s) URL, a file path, or - for stdin)",
            )
        return fetch_url(source, timeout=timeout, max_bytes=max_bytes)
    return load_file(source, max_bytes=max_bytes)


def load_file(path: str, *, max_bytes: int = MAX_BYTES) -> Article:
    """Read a text, Markdown or HTML file; unknown extensions are sniffed."""
    data = read_file_bytes(path, max_bytes)
    suffix = Path(path).suffix.lower()
    article = article_from_bytes(data, path, is_html=suffix in HTML_SUFFIXES or None)
    article.path = path
    return article


def load_stdin(stdin: BinaryIO | None = None, *, max_bytes: int = MAX_BYTES) -> Article:
    """Read an article from stdin (HTML is recognised by its first tag)."""
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = stream.read(max_bytes + 1)
    except OSError as err:
        raise InputError(STDIN_NAME, f"cannot read ({err.strerror or err})") from err
    check_size(STDIN_NAME, len(data), max_bytes, exact=False)
    return article_from_bytes(data, STDIN_NAME)


def article_from_bytes(data: bytes, name: str, *, is_html: bool | None = None) -> Article:
    """Decode raw bytes and build an `Article`; ``is_html=None`` means sniff the content."""
    if not data:
        raise InputError(name, "is empty")
    if is_html is None:
        is_html = looks_like_html(data)
    if is_html:
        return article_from_html(decode_html_bytes(data, name), name)
    return article_from_text(decode_bytes(data, name), name)


# --------------------------------------------------------------------------- files


def read_file_bytes(path: str, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` from a file, turning OS errors into `InputError`."""
    target = Path(path)
    try:
        if target.is_dir():
            raise InputError(path, "is a directory, not a file")
        check_size(path, target.stat().st_size, max_bytes)
        with target.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as err:
        raise InputError(path, "no such file") from err
    except PermissionError as err:
        raise InputError(path, "permission denied") from err
    except IsADirectoryError as err:
        raise InputError(path, "is a directory, not a file") from err
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror or err})") from err
    # Pipes and special files report no size up front; the bounded read catches them.
    check_size(path, len(data), max_bytes, exact=False)
    return data


def check_size(name: str, size: int, max_bytes: int, *, exact: bool = True) -> None:
    """Raise if ``size`` exceeds ``max_bytes`` (``exact=False``: size is only a lower bound)."""
    if size > max_bytes:
        shown = format_size(size) if exact else f"over {format_size(max_bytes)}"
        raise InputError(name, f"too large ({shown}; the limit is {format_size(max_bytes)})")


def format_size(size: int) -> str:
    """Human-readable byte count: ``512 bytes``, ``3.2 KB``, ``25.0 MB``."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text bytes (BOM, UTF-8, BOM-less UTF-16, charset guess, cp1252) and normalise it.

    Raises `InputError` for empty, binary or whitespace-only input.
    """
    if not data:
        raise InputError(name, "is empty")
    text = normalize_text(decode_raw(data, name))
    if "\x00" in text or control_ratio(text) > MAX_CONTROL_RATIO:
        raise InputError(name, binary_problem(data))
    if not text.strip():
        raise InputError(name, "contains only whitespace")
    return text


def decode_raw(data: bytes, name: str) -> str:
    """Pick an encoding for ``data`` and decode it (no normalisation)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return decode_strict(data[len(bom) :], encoding, name)
    kind = binary_kind(data)
    if kind:
        raise InputError(name, f"looks binary ({kind}), not text or HTML")
    utf16 = sniff_bomless_utf16(data)
    if utf16:
        return decode_strict(data, utf16, name)
    if b"\x00" in data:
        raise InputError(name, binary_problem(data))
    if control_ratio(data[:SNIFF_BYTES]) > MAX_CONTROL_RATIO:
        raise InputError(name, binary_problem(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_8bit(data)


def decode_strict(data: bytes, encoding: str, name: str) -> str:
    """Decode with a known encoding; failure means the bytes are not really text."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(name, f"looks binary (invalid {encoding.upper()} text)") from err


def decode_8bit(data: bytes) -> str:
    """Decode non-UTF-8 8-bit text: charset-normalizer for non-Latin scripts, else cp1252."""
    sample = data[:SNIFF_BYTES]
    high = sum(byte >= 0x80 for byte in sample)
    letters = high + sum(chr(byte).isalpha() for byte in sample if byte < 0x80)
    if letters and high / letters > NON_LATIN_RATIO:
        guess = guess_encoding(data)
        if guess:
            return guess
    return decode_cp1252(data)


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best single-byte decoding of ``data``, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding.replace("_", "-").startswith(("utf-16", "utf-32")):
        return None
    return str(best)


def decode_cp1252(data: bytes) -> str:
    """Windows-1252 as browsers read it: the five unassigned bytes map to U+0081 etc."""
    return data.decode("latin-1").translate(cp1252_table())


@lru_cache(maxsize=1)
def cp1252_table() -> dict[int, str]:
    """Translation from Latin-1 code points to their cp1252 characters."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


def sniff_bomless_utf16(data: bytes) -> str | None:
    """Detect BOM-less UTF-16 from NULs in every other byte (ASCII-heavy text)."""
    sample = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    pairs = len(sample) // 2
    if pairs < 2 or b"\x00" not in sample:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls / pairs >= UTF16_NUL_RATIO and even_nuls <= pairs * 0.02:
        return "utf-16-le"
    if even_nuls / pairs >= UTF16_NUL_RATIO and odd_nuls <= pairs * 0.02:
        return "utf-16-be"
    return None


def binary_kind(data: bytes) -> str | None:
    """Name of a binary format recognised by its leading bytes, or None."""
    for magic, kind in MAGIC_SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def binary_problem(data: bytes) -> str:
    """The error text for data that is not text."""
    kind = binary_kind(data)
    detail = f" ({kind})" if kind else ""
    return f"looks binary{detail}, not text or HTML"


def control_ratio(sample: bytes | str) -> float:
    """Share of control characters other than ordinary whitespace (text should have ~none)."""
    if not sample:
        return 0.0
    codes = sample if isinstance(sample, bytes) else [ord(ch) for ch in sample[:SNIFF_BYTES]]
    bad = sum(
        1 for code in codes if (code < 0x20 or code == 0x7F) and code not in TEXT_CONTROL_BYTES
    )
    return bad / len(codes)


def normalize_text(text: str) -> str:
    """Minimal normalisation: drop a BOM, unify newlines, strip trailing whitespace."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip()


# --------------------------------------------------------------------------- plain text


def article_from_text(text: str, name: str) -> Article:
    """An `Article` from decoded plain text; the title is a short first line, if any."""
    check_words(text, name)
    return Article(text=text, title=guess_title(text))


def check_words(text: str, name: str) -> None:
    """Reject text too short to be an article."""
    words = len(WORD.findall(text))
    if words < MIN_WORDS:
        plural = "" if words == 1 else "s"
        raise InputError(name, f"too short to be an article ({words} word{plural})")


def guess_title(text: str) -> str | None:
    """The first non-empty line when it looks like a headline (short, no final full stop)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    title = lines[0].lstrip("#").strip()
    if not title or len(title) > MAX_TITLE_CHARS or len(title.split()) > MAX_TITLE_WORDS:
        return None
    if title.endswith(".") and not title.endswith(".."):
        return None
    return title


# --------------------------------------------------------------------------- HTML


def looks_like_html(data: bytes) -> bool:
    """True when the content clearly starts as an HTML document."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            head = data[len(bom) : len(bom) + 2048].decode(encoding, errors="ignore")
            return bool(HTML_START.match(head.encode("ascii", errors="ignore")))
    utf16 = sniff_bomless_utf16(data)
    if utf16:
        head = data[:2048].decode(utf16, errors="ignore")
        return bool(HTML_START.match(head.encode("ascii", errors="ignore")))
    return bool(HTML_START.match(data[:2048].lstrip(b"\xef\xbb\xbf")))


def decode_html_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode HTML, honouring the HTTP charset or else the ``<meta charset>`` of the page."""
    return decode_with_charset(data, name, declared or meta_charset(data))


def decode_with_charset(data: bytes, name: str, charset: str | None) -> str:
    """Decode with a declared charset, used only when there is no BOM and the bytes are not UTF-8.

    Declarations are often wrong, so valid UTF-8 wins; otherwise falls back to `decode_bytes`.
    """
    if charset and not has_bom(data) and not sniff_bomless_utf16(data) and not is_utf8(data):
        text = decode_declared(data, charset)
        if text is not None:
            return decode_checked(text, data, name)
    return decode_bytes(data, name)


def has_bom(data: bytes) -> bool:
    """Whether ``data`` starts with a Unicode byte-order mark."""
    return data.startswith(tuple(bom for bom, _ in BOMS))


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_declared(data: bytes, charset: str | None) -> str | None:
    """Decode with a declared charset when it is known and fits, else None."""
    if not charset:
        return None
    label = charset.strip().lower()
    encoding = DECLARED_CHARSET_ALIASES.get(label, label)
    if encoding in ("cp1252", "windows-1252"):
        return decode_cp1252(data)
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_checked(text: str, data: bytes, name: str) -> str:
    """Normalise decoded text and apply the same sanity checks as `decode_bytes`."""
    text = normalize_text(text)
    if "\x00" in text or control_ratio(text) > MAX_CONTROL_RATIO:
        raise InputError(name, binary_problem(data))
    if not text.strip():
        raise InputError(name, "contains only whitespace")
    return text


def meta_charset(data: bytes) -> str | None:
    """The charset named by a ``<meta charset>`` or http-equiv tag near the top."""
    found = META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def article_from_html(html: str, name: str, url: str | None = None) -> Article:
    """Extract the main text (paragraphs separated by blank lines) and metadata with trafilatura."""
    if not html.strip():
        raise InputError(name, "is empty")
    # lxml refuses str input that carries an XML encoding declaration.
    html = XML_DECLARATION.sub("", html, count=1)
    document = extract_document(html, url)
    text = document_text(document) if document is not None else ""
    few_words = len(WORD.findall(text)) < SMALL_EXTRACTION_WORDS
    if document is None or not text or (few_words and not has_precise_body(html)):
        raise InputError(name, "no article text found")
    check_words(text, name)
    return Article(
        text=text,
        title=clean_field(document.title),
        published=iso_date(document.date),
        url=url or clean_field(document.url),
        outlet=clean_field(document.sitename),
    )


def extract_document(html: str, url: str | None, *, precise: bool = False) -> Document | None:
    """Run trafilatura's extraction with metadata; None when it finds nothing."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        favor_precision=precise,
        config=trafilatura_config(),
    )
    return cast("Document | None", document)


def has_precise_body(html: str) -> bool:
    """Whether precision mode also finds text: small extractions are often menus or banners."""
    document = extract_document(html, None, precise=True)
    return document is not None and bool(document_text(document))


@lru_cache(maxsize=1)
def trafilatura_config() -> ConfigParser:
    """trafilatura's defaults, but never refusing a document our own size limit let through."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(10 * MAX_BYTES))
    return config


def document_text(document: Document) -> str:
    """Join the extracted blocks (paragraphs, headings, lists) with blank lines.

    trafilatura's own text output puts only a single newline between paragraphs.
    """
    from trafilatura.xml import xmltotxt

    body = document.body
    blocks: list[str] = []
    if body is not None:
        if body.text and body.text.strip():
            blocks.append(body.text)
        blocks.extend(xmltotxt(child, False) for child in body)
    else:
        blocks = (document.text or "").split("\n")
    paragraphs = [tidy_block(block) for block in blocks]
    return normalize_text("\n\n".join(p for p in paragraphs if p))


def tidy_block(block: str) -> str:
    """Strip a block and the spaces around its internal line breaks."""
    lines = [line.strip() for line in block.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def clean_field(value: object) -> str | None:
    """A metadata string with whitespace collapsed, or None if blank."""
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


def iso_date(value: object) -> str | None:
    """The yyyy-mm-dd part of a metadata date, or None."""
    if not isinstance(value, str):
        return None
    found = re.match(r"\d{4}-\d{2}-\d{2}", value.strip())
    return found.group(0) if found else None


# --------------------------------------------------------------------------- URLs


def fetch_url(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_BYTES) -> Article:
    """GET an http(s) URL (redirects followed, body capped at ``max_bytes``) as an `Article`."""
    import httpx

    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            check_status(url, response)
            data = read_body(url, response, max_bytes)
            final_url = str(response.url) if response.history else url
            content_type = response.headers.get("content-type", "")
    except httpx.TimeoutException as err:
        raise unreachable(url, f"timed out after {timeout:g}s") from err
    except httpx.TooManyRedirects as err:
        raise InputError(url, "cannot fetch (too many redirects)") from err
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as err:
        raise InputError(url, f"invalid URL ({short_reason(err)})") from err
    except httpx.TransportError as err:
        if caused_by(err, ssl.SSLError):
            raise InputError(url, f"cannot fetch (TLS error: {short_reason(err)})") from err
        raise unreachable(url, short_reason(err)) from err
    except httpx.HTTPError as err:
        raise InputError(url, f"cannot fetch ({short_reason(err)})") from err
    return article_from_response(data, url, final_url, content_type)


def check_status(url: str, response: httpx.Response) -> None:
    """Raise for HTTP error statuses."""
    if response.status_code >= 400:
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise InputError(url, f"HTTP {response.status_code}{reason}")


def read_body(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    """Stream the body, aborting as soon as it exceeds ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit():
        check_size(url, int(declared), max_bytes)
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        check_size(url, received, max_bytes, exact=False)
        chunks.append(chunk)
    return b"".join(chunks)


def article_from_response(data: bytes, url: str, final_url: str, content_type: str) -> Article:
    """Build an `Article` from a fetched body according to its content type."""
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    if not data:
        raise InputError(url, "is empty (the server sent no content)")
    if mime in HTML_CONTENT_TYPES or (mime not in TEXT_CONTENT_TYPES and looks_like_html(data)):
        html = decode_html_bytes(data, url, declared=header_charset(params))
        article = article_from_html(html, url, url=final_url)
    elif mime in TEXT_CONTENT_TYPES or mime in VAGUE_CONTENT_TYPES or mime.startswith("text/"):
        text = decode_with_charset(data, url, header_charset(params))
        article = article_from_text(text, url)
    else:
        raise InputError(url, f"unsupported content type {mime} (expected HTML or plain text)")
    article.url = final_url
    return article


def header_charset(params: str) -> str | None:
    """The ``charset=`` parameter of a Content-Type header."""
    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", params, re.I)
    return found.group(1) if found else None


def unreachable(url: str, reason: str) -> InputError:
    """The error for network failures (offline, DNS, refused, timeout)."""
    return InputError(url, f"cannot fetch (offline or unreachable: {reason})")


def caused_by(err: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``err`` or anything in its cause/context chain is a ``kind``."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def short_reason(err: BaseException) -> str:
    """A short one-line description of a network error."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    text = ERRNO_PREFIX.sub("", text)
    if not text:
        return type(err).__name__
    return text if len(text) <= 100 else text[:97] + "..."


__all__ = [
    "MAX_BYTES",
    "InputError",
    "article_from_html",
    "decode_bytes",
    "fetch_url",
    "load_source",
]
