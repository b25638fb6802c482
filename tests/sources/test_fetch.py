"""The fetcher and the fetch run against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import pytest

from briefgen.sources import fetch as fetch_module
from briefgen.sources.archive import Archive
from briefgen.sources.fetch import Fetcher, FetchError, Policy, Refused
from briefgen.sources.run import Outcome, fetch_all

from .conftest import (
    LocalServer,
    Route,
    atom,
    body_text,
    http_date,
    local_policy,
    page,
    rss,
    settings,
)


def run(tmp_path: Path, **kw: object) -> tuple[list[Outcome], list[str]]:
    config = settings(tmp_path, **kw)  # type: ignore[arg-type]
    lines: list[str] = []
    with Archive(config.archive) as archive:
        outcomes = fetch_all(config, archive, report=lines.append)
    return outcomes, lines


def test_rss_and_atom_feeds_are_archived(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/rss.xml"] = Route(
        rss(
            "Northern Ledger",
            [
                {
                    "title": "Steel talks reopen",
                    "link": "https://example.org/a/1",
                    "text": body_text("Steel"),
                },
                {
                    "title": "Transit strike",
                    "link": "https://example.org/a/2",
                    "text": body_text("Transit"),
                },
            ],
        )
    )
    server.routes["/atom.xml"] = Route(
        atom(
            "Harbour Post",
            [
                {
                    "title": "Data breach",
                    "link": "https://example.net/b/1",
                    "text": body_text("Breach"),
                }
            ],
        )
    )
    _, lines = run(tmp_path, feeds=(server.url("/rss.xml"), server.url("/atom.xml")))
    assert sorted(lines) == [
        f"feed {server.url('/atom.xml')}: new 1",
        f"feed {server.url('/rss.xml')}: new 2",
    ]
    with Archive(tmp_path / "archive.sqlite") as archive:
        articles = {a.title: a for a in archive.select()}
        hits = archive.search("breach")
    assert set(articles) == {"Steel talks reopen", "Transit strike", "Data breach"}
    steel = articles["Steel talks reopen"]
    assert (steel.url, steel.source, str(steel.published)) == (
        "https://example.org/a/1",
        "Northern Ledger",
        "2026-11-17",
    )
    assert steel.text.startswith("Steel Negotiators met")
    assert articles["Data breach"].source == "Harbour Post"
    assert [h.title for h in hits] == ["Data breach"]


def test_page_main_text_and_metadata(server: LocalServer, tmp_path: Path) -> None:
    text = body_text("The port authority approved the expansion.", 3)
    server.routes["/news/expansion.html"] = Route(
        page("Port expansion approved", text), content_type="text/html; charset=utf-8"
    )
    _, lines = run(tmp_path, pages=(server.url("/news/expansion.html"),))
    assert lines == [f"page {server.url('/news/expansion.html')}: new 1"]
    with Archive(tmp_path / "archive.sqlite") as archive:
        (article,) = archive.select()
    assert article.title == "Port expansion approved"
    assert article.text.startswith("The port authority approved the expansion.")
    assert "Copyright" not in article.text and "Home | World" not in article.text
    assert article.source == "Harbour Post"
    assert str(article.published) == "2026-11-18"
    assert article.url == server.url("/news/expansion.html")


def test_short_feed_entry_gets_its_page(server: LocalServer, tmp_path: Path) -> None:
    link = server.url("/story.html")
    server.routes["/rss.xml"] = Route(
        rss("Ledger", [{"title": "Short", "link": link, "text": "Only a teaser."}])
    )
    server.routes["/story.html"] = Route(
        page("Short", body_text("Full story.", 3)), content_type="text/html"
    )
    run(tmp_path, feeds=(server.url("/rss.xml"),))
    with Archive(tmp_path / "archive.sqlite") as archive:
        (article,) = archive.select()
    assert article.text.startswith("Full story.")
    assert article.source == "Ledger"  # the outlet is the feed's
    # A second run does not fetch the page again: the article is archived already.
    server.requests.clear()
    server.routes["/rss.xml"].body += b" "  # the feed changed (no validators on it)
    _, lines = run(tmp_path, feeds=(server.url("/rss.xml"),))
    assert "/story.html" not in server.paths()
    assert lines == [f"feed {server.url('/rss.xml')}: new 0, already archived 1"]


def test_second_run_sends_only_conditional_requests(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/rss.xml"] = Route(
        rss(
            "Ledger", [{"title": "One", "link": "https://example.org/1", "text": body_text("One")}]
        ),
        etag='"v1"',
    )
    server.routes["/atom.xml"] = Route(
        atom("Post", [{"title": "Two", "link": "https://example.org/2", "text": body_text("Two")}]),
        last_modified=http_date(),
    )
    server.routes["/page.html"] = Route(
        page("Three", body_text("Three", 3)), etag='"p1"', last_modified=http_date()
    )
    kw = {
        "feeds": (server.url("/rss.xml"), server.url("/atom.xml")),
        "pages": (server.url("/page.html"),),
    }
    first, _ = run(tmp_path, **kw)
    assert [o.counts.new for o in first] == [1, 1, 1]
    assert "/robots.txt" in server.paths()
    server.requests.clear()
    second, lines = run(tmp_path, **kw)
    assert [o.status for o in second] == ["unchanged"] * 3
    assert all(line.endswith(": unchanged") for line in lines)
    assert sorted(server.paths()) == ["/atom.xml", "/page.html", "/rss.xml"]  # no robots.txt
    assert all(r.conditional for r in server.requests)
    with Archive(tmp_path / "archive.sqlite") as archive:
        assert archive.count() == 3


def test_failures_are_one_line_each_and_kept(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/slow.xml"] = Route(rss("Slow", []), delay=3.0)
    server.routes["/big.xml"] = Route(b"<rss>" + b"x" * 50_000 + b"</rss>")
    server.routes["/big-stream.xml"] = Route(b"<rss>" + b"x" * 50_000 + b"</rss>", length=False)
    server.routes["/bomb.xml"] = Route(b"\0" * 5_000_000, gzip=True)
    server.routes["/loop-a"] = Route(status=302, location="/loop-b")
    server.routes["/loop-b"] = Route(status=302, location="/loop-a")
    for i in range(8):
        server.routes[f"/hop{i}"] = Route(status=301, location=f"/hop{i + 1}")
    names = [
        "/missing.xml",
        "/slow.xml",
        "/big.xml",
        "/big-stream.xml",
        "/bomb.xml",
        "/loop-a",
        "/hop0",
    ]
    started = time.monotonic()
    outcomes, lines = run(
        tmp_path, feeds=tuple(server.url(n) for n in names), timeout=0.5, max_bytes=10_000
    )
    assert time.monotonic() - started < 2.5
    reasons = {o.source.rsplit("/", 1)[1]: o.reason for o in outcomes}
    assert all(o.status == "failed" for o in outcomes)
    assert reasons["missing.xml"] == "HTTP 404 Not Found"
    assert reasons["slow.xml"] == "timed out after 0.5 s"
    assert reasons["big.xml"] == "too large: 50011 bytes, over the 10000-byte limit"
    assert reasons["big-stream.xml"] == "too large: over the 10000-byte limit"
    assert reasons["bomb.xml"] == "too large: over the 10000-byte limit"
    assert reasons["loop-a"] == f"redirect loop at {server.url('/loop-a')}"
    assert reasons["hop0"] == "more than 5 redirects"
    assert all("\n" not in line and ": failed (" in line for line in lines)
    with Archive(tmp_path / "archive.sqlite") as archive:
        db = archive._db
        errors = dict(db.execute("SELECT url, error FROM sources").fetchall())
        assert errors[server.url("/missing.xml")] == "HTTP 404 Not Found"
        assert db.execute("SELECT count(*) FROM errors WHERE at != ''").fetchone()[0] == 7


def test_private_addresses_are_refused_by_default(server: LocalServer) -> None:
    server.routes["/feed.xml"] = Route(rss("x", []))
    fetcher = Fetcher(Policy(delay=0.0, timeout=1.0))
    for url in (server.url("/feed.xml"), f"http://localhost:{server.port}/feed.xml"):
        with pytest.raises(Refused, match="loopback"):
            fetcher.get(url)
    assert server.requests == []  # refused before connecting


def test_redirect_to_a_private_address_is_refused(server: LocalServer) -> None:
    """Only the test server's own address is allowed; a redirect elsewhere inside is refused."""
    try:
        inner = LocalServer(host="127.0.0.2")
    except OSError:
        pytest.skip("no 127.0.0.2 on this machine")
    try:
        inner.routes["/secret"] = Route(b"secret")
        server.routes["/go"] = Route(status=302, location=inner.url("/secret"))
        server.routes["/metadata"] = Route(status=302, location="http://169.254.169.254/latest/")
        policy = Policy(delay=0.0, timeout=1.0, allow_networks=("127.0.0.1/32",))
        fetcher = Fetcher(policy)
        with pytest.raises(Refused, match=r"127\.0\.0\.2, a private, loopback"):
            fetcher.get(server.url("/go"))
        with pytest.raises(Refused, match=r"169\.254\.169\.254"):
            fetcher.get(server.url("/metadata"))
        assert inner.requests == []
        assert "/go" in server.paths()
    finally:
        inner.close()


def test_the_connected_address_is_checked(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS that answers one address to the check and another to the connect is caught: the
    peer of the connected socket is checked too."""
    server.routes["/feed.xml"] = Route(rss("x", []))
    monkeypatch.setattr(fetch_module, "peer_address", lambda sock: "10.0.0.7")
    fetcher = Fetcher(Policy(delay=0.0, allow_networks=("127.0.0.1/32",)))
    with pytest.raises(Refused, match=r"10\.0\.0\.7"):
        fetcher.get(server.url("/feed.xml"))


def test_address_policy() -> None:
    policy = Policy()
    for bad in (
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::1",
        "240.0.0.1",
    ):
        assert not policy.address_allowed(bad), bad
    for good in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"):
        assert policy.address_allowed(good), good
    assert Policy(allow_private=True).address_allowed("127.0.0.1")
    assert Policy(allow_networks=("10.0.0.0/8",)).address_allowed("10.1.2.3")


def test_only_http_and_https() -> None:
    fetcher = Fetcher(local_policy())
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x/"):
        with pytest.raises(Refused, match="only http and https"):
            fetcher.get(url)


def test_tls_is_always_verified() -> None:
    fetcher = Fetcher(Policy())
    assert fetcher._context.verify_mode == ssl.CERT_REQUIRED
    assert fetcher._context.check_hostname


def test_robots_txt_is_respected(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    server.routes["/private/memo.html"] = Route(page("Memo", body_text("Memo")))
    server.routes["/public.html"] = Route(page("Public", body_text("Public")))
    outcomes, _ = run(
        tmp_path, pages=(server.url("/private/memo.html"), server.url("/public.html"))
    )
    assert [(o.status, o.reason) for o in outcomes] == [
        ("failed", "disallowed by robots.txt"),
        ("stored", None),
    ]
    assert server.paths().count("/robots.txt") == 1
    assert "/private/memo.html" not in server.paths()


def test_user_agent_gzip_and_per_host_delay(server: LocalServer) -> None:
    server.routes["/a"] = Route(b"hello " * 100, gzip=True)
    fetcher = Fetcher(local_policy(delay=0.3))
    started = time.monotonic()
    for _ in range(2):
        assert fetcher.get(server.url("/a")).body == b"hello " * 100
    elapsed = time.monotonic() - started
    assert elapsed >= 0.55  # robots.txt, then /a twice: turns at 0, 0.3 and 0.6 s
    assert server.paths() == ["/robots.txt", "/a", "/a"]
    agent = server.requests[1].headers["user-agent"]
    assert agent.startswith("briefgen/") and "robots.txt" in agent


def test_unreachable_robots_txt_refuses_the_host(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Route(b"down", status=503)
    server.routes["/a"] = Route(b"x")
    with pytest.raises(Refused, match=r"robots\.txt unreachable"):
        Fetcher(local_policy()).get(server.url("/a"))
    assert "/a" not in server.paths()


def test_connection_refused_is_a_fetch_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="connect"):
        Fetcher(local_policy()).get(f"http://127.0.0.1:{port}/")


def test_same_article_in_two_feeds_is_stored_once(server: LocalServer, tmp_path: Path) -> None:
    text = body_text("Shared")
    server.routes["/one.xml"] = Route(
        rss(
            "One",
            [
                {
                    "title": "Shared story",
                    "link": "https://Example.org/s?utm_source=one#top",
                    "text": text,
                }
            ],
        )
    )
    server.routes["/two.xml"] = Route(
        rss(
            "Two",
            [
                {
                    "title": "Shared story",
                    "link": "https://example.org/s?utm_medium=rss",
                    "text": text + " Extra.",
                }
            ],
        )
    )
    _, lines = run(tmp_path, feeds=(server.url("/one.xml"), server.url("/two.xml")))
    assert sorted(line.split(": ", 1)[1] for line in lines) == [
        "new 0, already archived 1",
        "new 1",
    ]
    with Archive(tmp_path / "archive.sqlite") as archive:
        assert archive.count() == 1
        db = archive._db
        assert db.execute("SELECT url FROM articles").fetchone()[0] == "https://example.org/s"
        assert db.execute("SELECT count(*) FROM article_sources").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    # Each run again: the article does not flip between the two feeds' texts.
    run(tmp_path, feeds=(server.url("/one.xml"), server.url("/two.xml")))
    with Archive(tmp_path / "archive.sqlite") as archive:
        assert archive._db.execute("SELECT count(*) FROM versions").fetchone()[0] == 0


def test_changed_article_keeps_its_history(server: LocalServer, tmp_path: Path) -> None:
    item = {"title": "Talks", "link": "https://example.org/t", "text": body_text("First")}
    server.routes["/f.xml"] = Route(rss("Ledger", [item]), etag='"1"')
    run(tmp_path, feeds=(server.url("/f.xml"),))
    server.routes["/f.xml"] = Route(
        rss("Ledger", [{**item, "text": body_text("Corrected")}]), etag='"2"'
    )
    _, lines = run(tmp_path, feeds=(server.url("/f.xml"),))
    assert lines == [f"feed {server.url('/f.xml')}: new 0, updated 1"]
    with Archive(tmp_path / "archive.sqlite") as archive:
        (article,) = archive.select()
        assert article.text.startswith("Corrected")
        old = archive._db.execute("SELECT version, text FROM versions").fetchall()
    assert len(old) == 1 and old[0][0] == 1 and old[0][1].startswith("First")


def test_folders_are_archived_too(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Local note\ndate: 2026-11-18\nsource: Desk\n---\n" + body_text("Local"),
        encoding="utf-8",
    )
    (folder / "b.docx").write_bytes(b"PK\x03\x04")
    _, lines = run(tmp_path, folders=(folder,))
    assert lines == [
        f"folder {folder}: new 1; 1 file skipped (b.docx: unsupported file type '.docx')"
    ]
    _, lines = run(tmp_path, folders=(folder,))
    assert lines[0].startswith(f"folder {folder}: new 0, already archived 1")


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    """TLS is verified, with no fallback: a self-signed certificate stops the fetch."""
    import shutil
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        with pytest.raises(FetchError, match="TLS certificate not valid"):
            Fetcher(local_policy()).get(f"https://127.0.0.1:{httpd.server_address[1]}/feed.xml")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert seen == []
