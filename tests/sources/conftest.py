"""A local HTTP server for the fetch tests, and small feed and page builders."""

from __future__ import annotations

import email.utils
import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from briefgen.sources.config import Settings
from briefgen.sources.fetch import Policy


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    etag: str | None = None  # sent, and a matching If-None-Match gets a 304
    last_modified: str | None = None  # sent, and a matching If-Modified-Since gets a 304
    delay: float = 0.0  # seconds before answering
    location: str | None = None  # for redirects
    length: bool = True  # send Content-Length (else the body ends when the connection closes)
    gzip: bool = False


@dataclass
class Seen:
    path: str
    headers: dict[str, str]

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


@dataclass
class LocalServer:
    host: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(
                    Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                fresh = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified
                    and self.headers.get("If-Modified-Since") == route.last_modified
                )
                if fresh:
                    self.send_response(304)
                    if route.etag:
                        self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                body = gzip.compress(route.body) if route.gzip else route.body
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                if route.location:
                    self.send_header("Location", route.location)
                if route.length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients that gave up (timeouts, size caps) are expected here

        self._server = Server((self.host, 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    s = LocalServer()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _private_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test writes into the user's data folder (the default archive)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def local_policy(**overrides: object) -> Policy:
    """The tests' policy: local addresses allowed, no per-host delay, short timeouts."""
    settings: dict[str, object] = {"allow_private": True, "delay": 0.0, "timeout": 2.0}
    settings.update(overrides)
    return Policy(**settings)  # type: ignore[arg-type]


def settings(
    tmp_path: Path,
    *,
    feeds: tuple[str, ...] = (),
    pages: tuple[str, ...] = (),
    folders: tuple[Path, ...] = (),
    **policy: object,
) -> Settings:
    return Settings(
        file=None,
        feeds=feeds,
        pages=pages,
        folders=folders,
        policy=local_policy(**policy),
        archive=tmp_path / "archive.sqlite",
    )


def http_date(day: int = 1) -> str:
    return email.utils.formatdate(1_700_000_000 + day * 86400, usegmt=True)


LONG = (
    "Negotiators met on Monday for the first formal round of talks on tariffs since the "
    "discussions collapsed last year, and both sides described the meeting as frank. "
)


def body_text(topic: str, n: int = 6) -> str:
    """An article body well over the short-entry threshold, about ``topic``."""
    return f"{topic} " + " ".join([LONG] * n)


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>https://example.org/</link>",
        "<description>test feed</description>",
    ]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(it['title'])}</title>")
        if "link" in it:
            parts.append(f"<link>{escape(it['link'])}</link>")
            parts.append(f"<guid>{escape(it['link'])}</guid>")
        parts.append(f"<pubDate>{it.get('date', 'Mon, 17 Nov 2026 09:00:00 GMT')}</pubDate>")
        parts.append(f"<description>{escape(it.get('text', ''))}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def atom(title: str, entries: list[dict[str, str]]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>",
        "<updated>2026-11-18T10:00:00Z</updated>",
    ]
    for e in entries:
        parts.append("<entry>")
        parts.append(f"<title>{escape(e['title'])}</title>")
        parts.append(f'<link rel="alternate" href="{escape(e["link"])}"/>')
        parts.append(f"<id>{escape(e['link'])}</id>")
        parts.append(f"<updated>{e.get('date', '2026-11-18T10:00:00Z')}</updated>")
        parts.append(f'<content type="text">{escape(e["text"])}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def page(title: str, text: str, *, date: str = "2026-11-18") -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title>"
        f"<meta property='article:published_time' content='{date}'>"
        "<meta property='og:site_name' content='Harbour Post'></head>"
        f"<body><nav>Home | World</nav><article><h1>{escape(title)}</h1>{paragraphs}</article>"
        "<footer>Copyright</footer></body></html>"
    ).encode()


ROOT_DIR = Path(__file__).resolve().parent.parent.parent
