"""Tests for the ingest stage: files, encodings, HTML extraction, stdin and URLs."""

from __future__ import annotations

import io
import os
import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from fogofwar.ingest import (
    MAX_BYTES,
    InputError,
    article_from_html,
    decode_bytes,
    fetch_url,
    load_source,
)

REPORT = (
    "Bakhmut assaults repelled\n"
    "\n"
    "Ukrainian forces repelled 20 Russian assaults near Bakhmut, the General Staff said.\n"
    "\n"
    "Russia's defence ministry said its troops had advanced 500 metres.\n"
)

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ukrainian forces repel assaults near Bakhmut | Kyiv Ledger</title>
  <meta property="og:site_name" content="Kyiv Ledger">
  <meta property="og:title" content="Ukrainian forces repel assaults near Bakhmut">
  <meta property="article:published_time" content="2023-05-12T10:00:00Z">
  <link rel="stylesheet" href="/static/site.css">
  <script>window.dataLayer = [];</script>
</head>
<body>
  <nav class="site-nav">
    <ul>
      <li><a href="/">Home</a></li>
      <li><a href="/world">World</a></li>
      <li><a href="/subscribe">Subscribe to our newsletter</a></li>
    </ul>
  </nav>
  <main>
    <article>
      <h1>Ukrainian forces repel assaults near Bakhmut</h1>
      <p class="byline">By Olena Petrenko</p>
      <p>Ukrainian forces repelled more than 20 Russian assaults near Bakhmut over the past
      day, the General Staff of Ukraine's armed forces said on Friday.</p>
      <p>“The enemy continues to concentrate its main efforts on the Bakhmut direction,” the
      General Staff said in a morning update, adding that heavy fighting continued in the
      city's western districts.</p>
      <p>Russia's defence ministry said its troops had advanced 500 metres in the northern part
      of the city and had destroyed two ammunition depots near Chasiv Yar. The claim could not
      be independently verified.</p>
      <p>Yevgeny Prigozhin, the head of the Wagner group, said his fighters controlled about 95%
      of the city — a claim Kyiv denied.</p>
    </article>
  </main>
  <footer>
    <p>© 2023 Kyiv Ledger. All rights reserved. <a href="/privacy">Privacy policy</a></p>
  </footer>
</body>
</html>
"""

MALFORMED_PAGE = (
    "<html><head><title>Drone strike on Odesa</title><body><div class='story'>"
    "<p>Russian drones struck the port of Odesa overnight, the regional governor said."
    "<p>Air defences shot down 12 of 15 drones, the air force said <b>on Tuesday."
    "<p>No casualties were reported, officials said.</div>"
)

NO_BODY_PAGE = """<!DOCTYPE html>
<html><head><title>Kyiv Ledger</title></head>
<body>
  <header><nav><ul>
    <li><a href="/">Home</a></li>
    <li><a href="/world">World news</a></li>
    <li><a href="/subscribe">Subscribe to our newsletter</a></li>
    <li><a href="/about">About us</a></li>
  </ul></nav></header>
  <main></main>
  <footer><p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookies</a></p></footer>
</body></html>
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def input_error(source: str, **kwargs: object) -> str:
    """Load ``source`` expecting an InputError; return its (single-line) message."""
    with pytest.raises(InputError) as caught:
        load_source(source, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- encodings

CURLY = "“Kyiv’s forces advanced,” he said — a €5m loss. Café in Kherson.\nSecond line here.\n"
CURLY_NORMALISED = CURLY.rstrip()


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(CURLY.encode("utf-8"), id="utf-8"),
        pytest.param(CURLY.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(b"\xff\xfe" + CURLY.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(b"\xfe\xff" + CURLY.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(CURLY.encode("utf-16-le"), id="utf-16-le-no-bom"),
        pytest.param(CURLY.encode("utf-16-be"), id="utf-16-be-no-bom"),
        pytest.param(CURLY.encode("cp1252"), id="cp1252"),
    ],
)
def test_encodings_decode_to_same_text(tmp_path: Path, encoded: bytes) -> None:
    path = write(tmp_path, "report.txt", encoded)
    article = load_source(str(path))
    assert article.text == CURLY_NORMALISED
    assert article.path == str(path)
    assert not article.text.startswith("\ufeff")


def test_cp1252_is_not_valid_utf8() -> None:
    data = CURLY.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_bytes(data, "x.txt") == CURLY_NORMALISED


def test_cp1252_unassigned_bytes_do_not_fail() -> None:
    text = decode_bytes(b"Shelling near Izium \x81 continued \x93all day\x94 officials said.", "x")
    assert "\u201call day\u201d" in text


def test_cyrillic_single_byte_encoding_is_guessed() -> None:
    russian = "Российские войска обстреляли Херсон в понедельник, сообщили местные власти.\n" * 3
    assert decode_bytes(russian.encode("cp1251"), "ru.txt") == russian.rstrip()


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_are_normalised(tmp_path: Path, newline: str) -> None:
    path = write(tmp_path, "report.txt", REPORT.replace("\n", newline) + "  \t" + newline)
    article = load_source(str(path))
    assert article.text == REPORT.rstrip()
    assert "\r" not in article.text


def test_quotes_and_dashes_are_left_alone() -> None:
    text = "He said \u201cwe advanced\u201d \u2014 and \u2018held\u2019 the line\u2026 at Kupiansk"
    assert decode_bytes(text.encode("utf-8"), "x") == text


# --------------------------------------------------------------------------- plain text


def test_plain_text_keeps_title_line_in_text(tmp_path: Path) -> None:
    article = load_source(str(write(tmp_path, "report.txt", REPORT)))
    assert article.text.startswith("Bakhmut assaults repelled\n\nUkrainian forces")
    assert article.title == "Bakhmut assaults repelled"
    assert article.published is None
    assert article.url is None


def test_plain_text_without_title_line(tmp_path: Path) -> None:
    text = "Ukrainian forces repelled 20 Russian assaults near Bakhmut, the General Staff said.\n"
    article = load_source(str(write(tmp_path, "report.txt", text)))
    assert article.title is None
    assert article.text == text.rstrip()


def test_markdown_file(tmp_path: Path) -> None:
    text = "# Fighting in Bakhmut\n\nWagner said it *advanced* 400 metres.\n\n- one\n- two\n"
    article = load_source(str(write(tmp_path, "notes.md", text)))
    assert article.text == text.rstrip()
    assert article.title == "Fighting in Bakhmut"


def test_unknown_extension_that_is_text(tmp_path: Path) -> None:
    article = load_source(str(write(tmp_path, "report.article", REPORT)))
    assert article.text == REPORT.rstrip()


def test_example_article_loads() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "seed-bakhmut.txt"
    if not example.exists():
        pytest.skip("example article not present")
    article = load_source(str(example))
    assert article.title and "Bakhmut" in article.title
    assert "Wagner" in article.text


# --------------------------------------------------------------------------- HTML


def test_html_news_page(tmp_path: Path) -> None:
    article = load_source(str(write(tmp_path, "page.html", NEWS_PAGE)))
    assert article.title == "Ukrainian forces repel assaults near Bakhmut"
    assert article.published == "2023-05-12"
    assert article.outlet == "Kyiv Ledger"
    assert "repelled more than 20 Russian assaults near Bakhmut" in article.text
    assert "“The enemy continues to concentrate" in article.text
    assert "95%" in article.text
    for boilerplate in ("Subscribe to our newsletter", "Privacy policy", "dataLayer"):
        assert boilerplate not in article.text
    assert "\n\n" in article.text  # paragraphs separated by blank lines


def test_html_paragraphs_are_separated_by_blank_lines() -> None:
    article = article_from_html(NEWS_PAGE, "page.html")
    paragraphs = article.text.split("\n\n")
    assert any(p.startswith("Russia's defence ministry said") for p in paragraphs)
    assert any(p.startswith("Yevgeny Prigozhin") for p in paragraphs)


def test_article_from_html_keeps_given_url() -> None:
    url = "https://ledger.example/2023/05/12/bakhmut"
    assert article_from_html(NEWS_PAGE, url, url=url).url == url


@pytest.mark.parametrize("name", ["page.txt.download", "page", "page.dat"])
def test_html_is_sniffed_without_html_extension(tmp_path: Path, name: str) -> None:
    article = load_source(str(write(tmp_path, name, NEWS_PAGE)))
    assert article.outlet == "Kyiv Ledger"
    assert "<p>" not in article.text


def test_html_with_bom_and_meta_charset(tmp_path: Path) -> None:
    page = NEWS_PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    article = load_source(str(write(tmp_path, "page.htm", page.encode("cp1252"))))
    assert "“The enemy continues" in article.text
    bom = load_source(str(write(tmp_path, "bom.html", NEWS_PAGE.encode("utf-8-sig"))))
    assert bom.title == "Ukrainian forces repel assaults near Bakhmut"


def test_xhtml_with_xml_declaration(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + NEWS_PAGE.replace("<!DOCTYPE html>", "")
    article = load_source(str(write(tmp_path, "page.xhtml", page)))
    assert "Chasiv Yar" in article.text


def test_malformed_html_still_extracts(tmp_path: Path) -> None:
    article = load_source(str(write(tmp_path, "broken.html", MALFORMED_PAGE)))
    assert article.title == "Drone strike on Odesa"
    assert "Russian drones struck the port of Odesa" in article.text
    assert "No casualties were reported" in article.text


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(NO_BODY_PAGE, id="navigation-only"),
        pytest.param("<!doctype html><html><head><title>T</title></head></html>", id="empty"),
    ],
)
def test_html_without_article_text(tmp_path: Path, page: str) -> None:
    path = write(tmp_path, "empty.html", page)
    message = input_error(str(path))
    assert "empty.html" in message
    assert "no article text found" in message


# --------------------------------------------------------------------------- bad input


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(2000)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        pytest.param("empty.txt", b"", "empty", id="empty"),
        pytest.param("blank.txt", b" \n\t\r\n  \n", "whitespace", id="whitespace-only"),
        pytest.param("image.txt", png_bytes(), "looks binary", id="png"),
        pytest.param("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks binary", id="pdf"),
        pytest.param("a.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "looks binary", id="zip"),
        pytest.param(
            "nul.txt", b"Kyiv said\x00\x01\x02 it \x00\x00 held", "looks binary", id="nul"
        ),
        pytest.param("short.txt", b"Bakhmut fell", "too short", id="two-words"),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = write(tmp_path, name, data)
    message = input_error(str(path))
    assert name in message
    assert problem in message


def test_random_bytes_look_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "noise.bin", random.Random(1).randbytes(4096))
    assert "looks binary" in input_error(str(path))


def test_oversized_file(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "Shelling continued near Avdiivka. " * 100)
    message = input_error(str(path), max_bytes=1000)
    assert "big.txt" in message
    assert "too large" in message
    assert "3.3 KB" in message  # the size
    assert "1000 bytes" in message  # the limit


def test_default_limit_is_20_mib() -> None:
    assert MAX_BYTES == 20 * 1024 * 1024


def test_missing_file(tmp_path: Path) -> None:
    message = input_error(str(tmp_path / "nope.txt"))
    assert "nope.txt" in message
    assert "no such file" in message


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    message = input_error(str(folder))
    assert "articles" in message
    assert "directory" in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", REPORT)
    path.chmod(0)
    try:
        message = input_error(str(path))
    finally:
        path.chmod(0o600)
    assert "secret.txt" in message
    assert "permission denied" in message


@pytest.mark.parametrize("source", ["", "  "])
def test_blank_source(source: str) -> None:
    assert "no file, URL or - given" in input_error(source)


def test_unsupported_url_scheme() -> None:
    assert "unsupported URL scheme" in input_error("ftp://files.example/report.txt")


# --------------------------------------------------------------------------- stdin


def test_stdin_text() -> None:
    article = load_source("-", stdin=io.BytesIO(REPORT.encode("utf-8")))
    assert article.text == REPORT.rstrip()
    assert article.path is None


def test_stdin_html_is_sniffed() -> None:
    article = load_source("-", stdin=io.BytesIO(NEWS_PAGE.encode("utf-8")))
    assert article.published == "2023-05-12"
    assert "Chasiv Yar" in article.text


@pytest.mark.parametrize(
    ("data", "kwargs", "problem"),
    [
        (b"", {}, "empty"),
        (png_bytes(), {}, "looks binary"),
        (REPORT.encode(), {"max_bytes": 50}, "too large"),
    ],
)
def test_stdin_errors_name_stdin(data: bytes, kwargs: dict[str, int], problem: str) -> None:
    message = input_error("-", stdin=io.BytesIO(data), **kwargs)
    assert message.startswith("<stdin>: ")
    assert problem in message


# --------------------------------------------------------------------------- URLs


class Handler(BaseHTTPRequestHandler):
    """Serves a few fixed pages for the URL tests."""

    protocol_version = "HTTP/1.0"
    user_agents: list[str] = []  # noqa: RUF012 - shared record of requests

    def do_GET(self) -> None:
        Handler.user_agents.append(self.headers.get("User-Agent", ""))
        routes = {
            "/article.html": (200, "text/html; charset=utf-8", NEWS_PAGE.encode()),
            "/note.txt": (200, "text/plain; charset=utf-8", REPORT.encode()),
            "/latin.txt": (200, "text/plain; charset=windows-1252", CURLY.encode("cp1252")),
            "/image.png": (200, "image/png", png_bytes()),
            "/empty.html": (200, "text/html", NO_BODY_PAGE.encode()),
        }
        if self.path in routes:
            status, content_type, body = routes[self.path]
            self.send(status, content_type, body)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article.html")
            self.end_headers()
        elif self.path == "/big":
            self.send(200, "text/plain", b"Heavy shelling reported. " * 4000)
        elif self.path == "/big-stream":
            self.stream_without_length()
        else:
            self.send(404, "text/html", b"<html><body><h1>Not found</h1></body></html>")

    def send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream_without_length(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"Heavy shelling reported. " * 400)
        except OSError:
            pass  # the client hung up once it had enough, as it should

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_html(server: str) -> None:
    url = f"{server}/article.html"
    article = load_source(url, timeout=5)
    assert article.url == url
    assert article.title == "Ukrainian forces repel assaults near Bakhmut"
    assert article.published == "2023-05-12"
    assert article.outlet == "Kyiv Ledger"
    assert "Chasiv Yar" in article.text
    assert article.path is None
    assert Handler.user_agents[-1].startswith("fogofwar/0.1")


def test_fetch_text(server: str) -> None:
    article = fetch_url(f"{server}/note.txt", timeout=5)
    assert article.text == REPORT.rstrip()
    assert article.url == f"{server}/note.txt"


def test_fetch_uses_header_charset(server: str) -> None:
    assert load_source(f"{server}/latin.txt", timeout=5).text == CURLY_NORMALISED


def test_fetch_follows_redirects(server: str) -> None:
    article = load_source(f"{server}/moved", timeout=5)
    assert article.url == f"{server}/article.html"
    assert "Chasiv Yar" in article.text


@pytest.mark.parametrize(
    ("route", "problem"),
    [
        ("/missing", "HTTP 404"),
        ("/image.png", "unsupported content type image/png"),
        ("/empty.html", "no article text found"),
    ],
)
def test_fetch_errors(server: str, route: str, problem: str) -> None:
    url = f"{server}{route}"
    message = input_error(url, timeout=5)
    assert message.startswith(f"{url}: ")
    assert problem in message


@pytest.mark.parametrize("route", ["/big", "/big-stream"])
def test_fetch_oversized(server: str, route: str) -> None:
    message = input_error(f"{server}{route}", timeout=5, max_bytes=10_000)
    assert "too large" in message
    assert "9.8 KB" in message


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://127.0.0.1:9/x", id="connection-refused"),
        pytest.param("https://fogofwar-test.invalid/article", id="dns-failure"),
    ],
)
def test_unreachable_url(url: str) -> None:
    started = time.monotonic()
    message = input_error(url, timeout=2)
    assert message.startswith(f"{url}: cannot fetch (offline or unreachable: ")
    assert time.monotonic() - started < 10
