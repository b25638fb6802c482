"""Hostile inputs: the brief is still written, every bad file is listed, nothing is fetched."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.ingest import ingest
from briefgen.pipeline import NothingToBrief, Selection, build
from briefgen.render import write
from briefgen.render.data import to_data
from briefgen.render.fetcher import safe_fetcher
from briefgen.render.html import render_html
from briefgen.render.options import BUILTIN_TEMPLATES
from briefgen.render.pdf import render_pdf

from .schema import check_brief

HOSTILE = Path(__file__).resolve().parent / "hostile"
MARKER = "SECRET-MARKER-5b7e"


class Server:
    """A local HTTP server that records every request made to it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = b"<!ENTITY x 'fetched'>" if self.path.endswith(".dtd") else b"fetched"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


def test_the_server_counts_requests(server: Server) -> None:
    from urllib.request import urlopen

    with urlopen(f"{server.url}/probe") as response:
        assert response.read() == b"fetched"
    assert server.requests == ["/probe"]


def _hostile_folder(target: Path, server_url: str, secret: Path) -> Path:
    """tests/hostile with its placeholders filled in, plus the inputs too big to commit."""
    folder = target / "inputs"
    shutil.copytree(HOSTILE, folder)
    for path in folder.iterdir():
        raw = path.read_bytes()
        raw = raw.replace(b"@@SERVER@@", server_url.encode()).replace(
            b"@@SECRET@@", str(secret).encode()
        )
        path.write_bytes(raw)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "archive.md").write_bytes(gzip.compress(b"compressed text " * 100, mtime=0))
    (folder / "control-chars.txt").write_bytes(bytes(range(1, 9)) * 200 + b"some text")
    sentence = "The water board said on Monday that the reservoir works could run late. "
    (folder / "huge.txt").write_text("Huge file\n" + sentence * 5000)  # ~360 KB, cut at 20 KB
    (folder / "single-line.txt").write_text(
        " ".join(f"Clause {i} of the long line says the ferry may be late." for i in range(300))
    )
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    laughs = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    (folder / "billion-laughs.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{laughs}]>'
        "<rss><channel><item><title>&lol9;</title><description>&lol9;</description>"
        "</item></channel></rss>"
    )
    (folder / "quadratic.rss").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]>'
        f"<rss><channel><item><description>{'&a;' * 2_000}</description></item></channel></rss>"
    )
    return folder


EXPECTED = {
    "good-article.md": ("included", None),
    "good-wire.jsonl": ("partial", "line 3: invalid JSON"),
    "page-with-scripts.html": ("included", None),
    "feed.rss": ("included", None),
    "feed-external-entity.xml": ("skipped", "refused"),
    "feed-parameter-entity.atom": ("skipped", "refused"),
    "billion-laughs.xml": ("skipped", "refused"),
    "quadratic.rss": ("skipped", "refused"),
    "not-a-feed.xml": ("skipped", "not an RSS or Atom feed"),
    "empty.txt": ("skipped", "empty file"),
    "blank.md": ("skipped", "empty file"),
    "broken-front-matter.md": ("included", "front matter is not valid YAML"),
    "unclosed-front-matter.md": ("included", "front matter is not closed"),
    "impossible-date.md": ("included", "front matter is not valid YAML"),
    "broken.json": ("skipped", "invalid JSON"),
    "deep.json": ("skipped", "nested too deeply"),
    "injection.json": ("included", "url is not an http(s) address"),
    "legacy-encoding.txt": ("included", "read as cp1252 (detected)"),
    "utf16-le-bom.txt": ("included", None),
    "utf16-be-bom.md": ("included", None),
    "notes.docx": ("skipped", "unsupported file type '.docx'"),
    "binary.txt": ("skipped", "binary file"),
    "photo.html": ("skipped", "binary file (a PNG image)"),
    "archive.md": ("skipped", "binary file (a gzip archive)"),
    "control-chars.txt": ("skipped", "binary file"),
    "huge.txt": ("partial", "file cut at 20000 bytes"),
    "single-line.txt": ("included", None),
}


class _Attrs(HTMLParser):
    """Every tag and attribute of the rendered brief, and the text of its style elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        self.attrs += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def test_hostile_folder_builds_from_the_good_inputs(
    tmp_path: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(MARKER)
    folder = _hostile_folder(tmp_path, server.url, secret)
    out = tmp_path / "out"
    args = ["build", str(folder), "--out", str(out), "--format", "html,pdf,json"]
    code = main([*args, "--max-bytes", "20000", "--as-of", "2026-03-16", "--issued", "2026-03-16"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert server.requests == []
    assert "Traceback" not in err
    assert all(line.startswith("briefgen: ") for line in err.splitlines()), err

    assert sorted(p.name for p in out.iterdir()) == [
        "brief-2026-W11.html",
        "brief-2026-W11.json",
        "brief-2026-W11.pdf",
        "brief-2026-W11.sources.html",  # the web page's article texts
    ]
    data = json.loads((out / "brief-2026-W11.json").read_text())
    got = {Path(s["path"]).name: s for s in data["sources"]}
    assert sorted(got) == sorted(EXPECTED)
    for name, (status, reason) in EXPECTED.items():
        assert got[name]["status"] == status, (name, got[name])
        if reason:
            assert reason in (got[name]["reason"] or ""), (name, got[name])
        if status != "included":
            assert f"{got[name]['path']}: {status}: " in err
        assert bool(got[name]["articles"]) == (status in {"included", "partial"}), name

    wire = got["good-wire.jsonl"]["reason"]
    for part in [
        "line 4: missing text",
        "title is not a string",
        "invalid date 'the thirty-second of Smarch'",
        "duplicate id 'wire-1'",
        "date is not a string",
        "line 9: invalid JSON",
    ]:
        assert part in wire
    assert got["good-wire.jsonl"]["articles"] == ["wire-1", "wire-2", "wire-5", "wire-6", "wire-7"]

    texts = {a.id: a.text for a in ingest([folder], max_bytes=20_000).articles}
    check_brief(data, texts)
    articles = {a["id"]: a for a in data["articles"]}
    assert {"good-article", "wire-1", "gazette-bridge", "inject-1"} <= set(articles)
    assert articles["inject-1"]["url"] is None
    assert articles["inject-1"]["title"] == "</title><script>alert('title')</script>{{ 7*7 }}"
    page = next(a for a in articles.values() if a["title"].startswith("Ferry operator"))
    assert page["published"] == "2026-03-13"
    page_text = next(t for t in texts.values() if "Northsound" in t)
    assert "fetch(" not in page_text and "tracker" not in page_text
    assert "{{ brief.sources }}" in page_text

    for name in ("brief-2026-W11.html", "brief-2026-W11.sources.html"):
        html = (out / name).read_text()
        parsed = _Attrs()
        parsed.feed(html)
        # the one script is the page's own, inline (filters, search; highlighting a source)
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert parsed.tags.count("script") == len(scripts) == 1
        assert "alert(" not in scripts[0] and "{{" not in scripts[0]
        assert "iframe" not in parsed.tags and "img" not in parsed.tags
        for tag, attr, value in parsed.attrs:
            assert server.url not in value and "javascript:" not in value, (tag, attr, value)
            assert not value.startswith("file:"), (tag, attr, value)
        assert not any(server.url in css or "@import" in css for css in parsed.styles)
        assert "&lt;/title&gt;&lt;script&gt;" in html
        assert MARKER not in html
    assert "{{ 7*7 }}" in (out / "brief-2026-W11.html").read_text()
    assert MARKER not in json.dumps(data)

    pdf_text = " ".join(page.extract_text() for page in PdfReader(out / "brief-2026-W11.pdf").pages)
    assert MARKER not in pdf_text
    assert "Sources" in pdf_text


def test_pdf_renderer_fetches_nothing_outside_the_templates(tmp_path: Path, server: Server) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + MARKER.encode())
    html = f"""<html><head>
    <link rel="stylesheet" href="{server.url}/a.css">
    <link rel="stylesheet" href="brief.css">
    <style>@import url("{server.url}/b.css"); body {{ background: url("{server.url}/c.png") }}
    @font-face {{ font-family: X; src: url("{server.url}/font.woff2") }}</style></head>
    <body><img src="{server.url}/d.png"><img src="file://{secret}"><img src="../../../etc/hosts">
    <iframe src="{server.url}/e"></iframe><object data="{server.url}/f"></object>
    <p style="background: url('{server.url}/g.png')">text</p></body></html>"""
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert server.requests == []


def test_safe_fetcher_serves_only_the_template_folders(tmp_path: Path) -> None:
    fetch = safe_fetcher([BUILTIN_TEMPLATES])
    css = BUILTIN_TEMPLATES / "brief.css"
    served = fetch(css.as_uri())
    body = served["string"] if isinstance(served, dict) else served.read()
    assert body == css.read_bytes()
    outside = tmp_path / "x.css"
    outside.write_text("p {}")
    escape = f"file://{BUILTIN_TEMPLATES}/../README.md"
    for url in [
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.css",
        "ftp://example.org/x",
        outside.as_uri(),
        escape,
        "file:///etc/passwd",
        f"file://{BUILTIN_TEMPLATES}",
    ]:
        with pytest.raises(ValueError):
            fetch(url)


def test_template_syntax_in_articles_stays_literal(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        json.dumps(
            {
                "id": "t",
                "title": "{{ brief.sources }} {% raw %}",
                "source": "{{ 7 * 7 }}",
                "date": "2026-03-12",
                "text": "Agents wrote {{ ''.__class__.__mro__ }} and {% include 'brief.css' %}."
                " The board will meet on Friday.",
            }
        )
    )
    brief = build([tmp_path], summary_sentences=3, issued=None)
    data = to_data(brief)
    html = render_html(brief, data)
    assert "{{ brief.sources }} {% raw %}" in html
    assert "{{ 7 * 7 }}" in html
    assert "{{ &#39;&#39;.__class__.__mro__ }}" in html
    assert html.count("--accent") == (BUILTIN_TEMPLATES / "brief.css").read_text().count("--accent")


def test_one_failing_article_costs_only_that_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import article

    (tmp_path / "good.md").write_text("---\ndate: 2026-03-12\n---\nThe council met on Monday.\n")
    (tmp_path / "weird.md").write_text("---\ndate: 2026-03-12\n---\nKABOOM text in here.\n")
    real = article.summarize.summarize

    def flaky(parsed, **kwargs):  # type: ignore[no-untyped-def]
        if "KABOOM" in parsed.article.text:
            raise IndexError("list index out of range")
        return real(parsed, **kwargs)

    monkeypatch.setattr(article.summarize, "summarize", flaky)
    result = build([tmp_path])
    assert [a.article.path for a in result.analyses] == [str(tmp_path / "good.md")]
    weird = next(s for s in result.sources if s.path.endswith("weird.md"))
    assert weird.status == "error" and weird.articles == []
    assert "analysis failed (IndexError: list index out of range)" in (weird.full_reason() or "")

    monkeypatch.setattr(article.summarize, "summarize", lambda *a, **k: 1 / 0)
    with pytest.raises(NothingToBrief, match="no article could be analysed"):
        build([tmp_path])


def test_parse_failure_falls_back_to_one_article_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import article as stages

    for i in range(3):
        (tmp_path / f"a{i}.md").write_text(f"---\ndate: 2026-03-12\n---\nArticle {i} text.\n")

    def broken_stream(articles, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("batch failed")
        yield  # pragma: no cover

    real_parse = stages.parse

    def picky(article, **kwargs):  # type: ignore[no-untyped-def]
        if "Article 1" in article.text:
            raise ValueError("[E088] Text of length 2000000 exceeds maximum")
        return real_parse(article, **kwargs)

    monkeypatch.setattr(stages, "parse_many", broken_stream)
    monkeypatch.setattr(stages, "parse", picky)
    result = build([tmp_path])
    assert [Path(a.article.path).name for a in result.analyses] == ["a0.md", "a2.md"]
    bad = next(s for s in result.sources if s.path.endswith("a1.md"))
    assert bad.status == "error" and "parsing failed (ValueError: [E088]" in (
        bad.full_reason() or ""
    )


# --- the whole pipeline over arbitrary text and metadata ----------------------------------

_odd_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "{{ 7*7 }}",
            "{% include 'x' %}",
            "<script>alert(1)</script>",
            "</li></ul><h1>",
            "\u2028\u0085\x0c",
            "\ud800",
            "  \n\n ",
            "On March 3, 2026, officials warned the deal may collapse.",
            'Mr. A. B. Smith Jr. said: "No."',
        ]
    ),
)
_records = st.lists(
    st.fixed_dictionaries(
        {"text": st.lists(_odd_text, min_size=1, max_size=4).map(" ".join)},
        optional={
            "id": st.one_of(st.text(max_size=20), st.integers(), st.none()),
            "title": st.one_of(_odd_text, st.integers(), st.lists(st.text(max_size=3))),
            "source": _odd_text,
            "url": st.one_of(
                st.text(max_size=30),
                st.text(max_size=30).map(lambda s: "https://example.org/" + s),
                st.just("javascript:alert(1)"),
            ),
            "date": st.one_of(st.dates().map(str), st.text(max_size=12), st.integers(), st.none()),
        },
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(records=_records)
def test_pipeline_survives_arbitrary_records(records: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "records.json").write_text(json.dumps(records), encoding="utf-8")
        (folder / "a.md").write_text(
            "---\ntitle: {{ x }}\n---\n" + str(records[0]["text"]),
            encoding="utf-8",
            errors="replace",
        )
        try:
            result = build([folder], selection=Selection(all=True), summary_sentences=2)
        except NothingToBrief:
            event("nothing to brief")
            return
        event("brief written")
        formats = ["json", "html", "md", "ics", "pdf"]
        written = write(result, out=Path(tmp) / "out", formats=formats, name="b")
        assert [p.name for p in written] == [f"b.{f}" for f in formats] + ["b.sources.html"]
        data = json.loads((Path(tmp) / "out" / "b.json").read_text(encoding="utf-8"))
        texts = {a.id: a.text for a in ingest([folder]).articles}
        check_brief(data, texts)
        assert len(data["sources"]) == 2
        html = (Path(tmp) / "out" / "b.html").read_text(encoding="utf-8")
        parsed = _Attrs()
        parsed.feed(html)
        assert parsed.tags.count("script") == html.count("<script>") == 1  # the page's own
        assert not any("javascript:" in value for _, _, value in parsed.attrs)
