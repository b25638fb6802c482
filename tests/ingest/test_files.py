import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.ingest import SUFFIXES, decode_file, ingest


def test_markdown_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Steel talks\ndate: 2025-09-16\nsource: Ledger\nid: x1\n---\nBody text here.\n"
    )
    got = ingest([tmp_path])
    [a] = got.articles
    assert (a.id, a.title, a.source, a.published.isoformat()) == (
        "x1",
        "Steel talks",
        "Ledger",
        "2025-09-16",
    )
    assert a.text == "Body text here.\n"


def test_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "1", "title": "One", "text": "Hello world.", "date": "2025-09-15"}),
        "{not json",
        json.dumps({"id": "2", "title": "Two"}),
        json.dumps({"id": "3", "text": "Third text.", "date": "not a date"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    got = ingest([tmp_path / "feed.jsonl"])
    assert [a.id for a in got.articles] == ["1", "3"]
    [src] = got.sources
    assert src.status == "partial"
    assert "line 2" in src.reason and "line 3: missing text" in src.reason
    assert got.articles[1].published is None


def test_json_text_is_verbatim(tmp_path: Path) -> None:
    text = "  Leading spaces\r\nand CRLF — kept.  "
    (tmp_path / "a.json").write_text(json.dumps([{"id": "j", "text": text}]))
    [a] = ingest([tmp_path]).articles
    assert a.text == text


def test_bad_files_are_listed_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "good.txt").write_text("A title\nSome body text.")
    got = ingest([tmp_path])
    status = {Path(s.path).name: s.status for s in got.sources}
    assert status == {"empty.txt": "skipped", "bin.txt": "skipped", "good.txt": "included"}
    assert len(got.articles) == 1


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        json.dumps([{"id": "d", "text": "one"}, {"id": "d", "text": "two"}])
    )
    got = ingest([tmp_path])
    assert [a.text for a in got.articles] == ["one"]
    assert "duplicate id" in got.sources[0].reason


# --- formats ---------------------------------------------------------------------------------


def test_html_main_text_title_and_date_without_scripts(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Dam repairs start | Valley Times</title>"
        '<meta property="article:published_time" content="2026-03-10T08:00:00Z">'
        '<link rel="canonical" href="https://times.example/dam">'
        "<script>var tracker = 1;</script><style>p { color: red }</style></head><body>"
        "<nav>Home | News | Sport</nav><article><h1>Dam repairs start</h1>"
        "<p>Engineers began repairs on the Harrow dam on Tuesday, the water board said.</p>"
        "<p>The work is expected to last until June &amp; may close the towpath.</p>"
        "</article><footer>Copyright</footer></body></html>"
    )
    [a] = ingest([tmp_path]).articles
    assert a.title == "Dam repairs start"
    assert a.published is not None and a.published.isoformat() == "2026-03-10"
    assert a.url == "https://times.example/dam"
    assert "Engineers began repairs" in a.text and "June & may" in a.text
    assert "tracker" not in a.text and "color" not in a.text


def test_tiny_html_page_falls_back_to_plain_text(tmp_path: Path) -> None:
    (tmp_path / "tiny.htm").write_text(
        "<title>Tiny</title><p>One line.<script>bad()</script></p><iframe>frame</iframe>"
    )
    [a] = ingest([tmp_path]).articles
    assert (a.title, a.text) == ("Tiny", "One line.")


def test_html_without_text_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><head><script>x()</script></head></html>")
    [src] = ingest([tmp_path]).sources
    assert (src.status, src.reason) == ("skipped", "no readable text in the HTML page")


RSS = """<?xml version="1.0" encoding="{enc}"?>{doctype}
<rss version="2.0"><channel><title>Valley Gazette</title>
<item><title>Bridge closed</title><link>https://gazette.example/b</link><guid>g-1</guid>
<pubDate>Fri, 13 Mar 2026 09:30:00 GMT</pubDate>
<description>&lt;p&gt;The bridge in Ashf{o}rd is closed.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description></item>
<item><title>Second</title><pubDate>sometime soon</pubDate><description>Plain text two.</description></item>
<item><title>No body</title></item>
</channel></rss>"""


def test_rss_entries_are_articles_with_dates_and_links(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(RSS.format(enc="utf-8", doctype="", o="o"))
    got = ingest([tmp_path])
    first, second = got.articles
    assert (first.id, first.title, first.source, first.url) == (
        "g-1",
        "Bridge closed",
        "Valley Gazette",
        "https://gazette.example/b",
    )
    assert first.published is not None and first.published.isoformat() == "2026-03-13"
    assert first.text == "The bridge in Ashford is closed."
    assert second.published is None
    assert "invalid date 'sometime soon'" in second.warnings[0]
    [src] = got.sources
    assert src.status == "partial" and src.reason == "entry 3: missing text"


def test_legacy_encoded_feed_with_a_bare_doctype_is_read(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    text = RSS.format(enc="windows-1252", doctype=doctype, o="\u00f6")
    (tmp_path / "f.xml").write_bytes(text.encode("cp1252"))
    [first, _] = ingest([tmp_path]).articles
    assert first.text == "The bridge in Ashf\u00f6rd is closed."


def test_atom_entry(tmp_path: Path) -> None:
    (tmp_path / "f.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>tag:a,1</id>'
        '<title type="html">&lt;b&gt;Bold&lt;/b&gt; title</title><updated>2026-03-15T00:00:00Z</updated>'
        '<link href="https://e.example/1"/><content type="html">&lt;p&gt;One.&lt;/p&gt;&lt;p&gt;Two.&lt;/p&gt;</content></entry></feed>'
    )
    [a] = ingest([tmp_path]).articles
    assert (a.id, a.title, a.text, a.url) == (
        "tag:a,1",
        "Bold title",
        "One.\nTwo.",
        "https://e.example/1",
    )


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/rss.dtd" [<!ELEMENT rss ANY>]>',
    ],
)
def test_feeds_with_dtds_or_entities_are_refused(tmp_path: Path, prolog: str) -> None:
    (tmp_path / "f.xml").write_text(
        f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><item><title>&x;</title>'
        "<description>text</description></item></channel></rss>"
    )
    [src] = ingest([tmp_path]).sources
    assert src.status == "skipped" and src.reason is not None
    assert src.reason.startswith("refused:")


def test_malformed_feed_without_dtd_is_read_leniently(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(
        '<rss version="2.0"><channel><title>T</title><item><title>Caf&eacute; reopens</title>'
        "<description>The caf&eacute; reopened &nbsp;on Monday.</description></item></channel>"
    )
    got = ingest([tmp_path])
    [a] = got.articles
    assert "reopened" in a.text
    assert any("read leniently" in w for w in a.warnings)


# --- encodings and binaries ------------------------------------------------------------------

TEXT = "Zürich café — naïve façade\nThe council met on Monday.\n"


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        (TEXT.encode("utf-8"), None),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), None),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), None),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), None),
        (TEXT.replace("—", "-").encode("cp1252"), "not UTF-8, read as cp1252 (detected)"),
    ],
)
def test_encodings(raw: bytes, note: str | None) -> None:
    text, got_note = decode_file(raw)
    assert text == (TEXT if note is None else TEXT.replace("—", "-"))
    assert got_note == note


def test_legacy_html_uses_its_declared_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-7"><title>Αθήνα</title></head><body><p>Η βουλή συνεδρίασε.</p></body></html>'
    (tmp_path / "p.html").write_bytes(page.encode("iso-8859-7"))
    [a] = ingest([tmp_path]).articles
    assert a.title == "Αθήνα" and a.warnings == ()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"%PDF-1.7\n%binary", "binary file (a PDF document)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (a PNG image)"),
        (b"PK\x03\x04rest", "binary file (a ZIP archive or Office document)"),
        (b"text\x00with nul", "binary file"),
        (bytes(range(1, 9)) * 50, "binary file"),
    ],
)
def test_binary_files_are_skipped(tmp_path: Path, raw: bytes, reason: str) -> None:
    (tmp_path / "x.txt").write_bytes(raw)
    [src] = ingest([tmp_path]).sources
    assert (src.status, src.reason) == ("skipped", reason)


def test_oversized_file_is_cut_on_a_character_boundary(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("é" * 1000)  # two bytes each
    got = ingest([tmp_path], max_bytes=101)
    [a] = got.articles
    assert a.text == "é" * 50
    [src] = got.sources
    assert (src.status, src.reason) == ("partial", "file cut at 101 bytes (--max-bytes)")


def test_long_article_text_is_cut_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "text": "word " * 100}))
    [a] = ingest([tmp_path], max_chars=50).articles
    assert a.text == ("word " * 100)[:50]
    assert a.warnings == ("text cut at 50 characters",)


# --- records ---------------------------------------------------------------------------------


def test_fields_with_wrong_types_get_clear_reasons(tmp_path: Path) -> None:
    records = [
        {
            "id": 7,
            "title": ["x"],
            "source": {"a": 1},
            "url": "javascript:alert(1)",
            "date": 5,
            "text": "A.",
        },
        {"id": "b", "text": "B.", "date": "9999-12-31"},
        {"id": "c", "text": "C.", "date": "2026-02-30"},
        {"id": "d", "text": 42},
        {"id": "e", "text": "   "},
        ["not", "an", "object"],
    ]
    (tmp_path / "r.json").write_text(json.dumps(records))
    got = ingest([tmp_path])
    a, b, c = got.articles
    assert a.id == "7" and a.url is None and a.source == ""
    assert a.warnings == (
        "title is not a string, ignored",
        "source is not a string, ignored",
        "url is not an http(s) address, ignored",
        "date is not a string, article left undated",
    )
    assert b.warnings == ("implausible date '9999-12-31', article left undated",)
    assert c.warnings == ("invalid date '2026-02-30', article left undated",)
    assert got.sources[0].reason == (
        "item 4: text is not a string; item 5: empty text; item 6: not an object"
    )


def test_jsonl_lines_split_only_at_newlines(tmp_path: Path) -> None:
    text = "Line\u2028separator and\x85next line inside one string."
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False))
    [a] = ingest([tmp_path]).articles
    assert a.text == text


def test_lone_surrogates_are_replaced_keeping_offsets(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"id": "a", "text": "bad \\ud800 char", "title": "t\\udc00"}')
    [a] = ingest([tmp_path]).articles
    assert a.text == "bad \ufffd char" and a.title == "t\ufffd"


def test_broken_front_matter_keeps_the_text(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: [unclosed\n---\nBody stays.\n")
    (tmp_path / "b.md").write_text("---\ndate: 2026-02-30\n---\nImpossible date.\n")
    (tmp_path / "c.md").write_text("---\ntitle: never closed\nBody.\n")
    a, b, c = ingest([tmp_path]).articles
    assert (a.text, a.warnings) == ("Body stays.\n", ("front matter is not valid YAML, ignored",))
    assert b.text == "Impossible date.\n" and b.published is None
    assert c.warnings == ("front matter is not closed with '---', read as text",)


def test_every_file_is_listed_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("hidden")
    got = ingest([tmp_path, tmp_path / "a.txt"])
    assert [(Path(s.path).name, s.status, s.reason) for s in got.sources] == [
        ("a.txt", "included", None),
        ("picture.png", "skipped", "unsupported file type '.png'"),
    ]


def test_deeply_nested_json_is_reported(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 50_000 + "]" * 50_000)
    [src] = ingest([tmp_path]).sources
    assert (src.status, src.reason) == ("skipped", "invalid JSON: nested too deeply")


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    bom=st.sampled_from([b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]),
    raw=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")),
    suffix=st.sampled_from([*sorted(SUFFIXES), ".bin"]),
)
def test_any_bytes_are_accounted_for(bom: bytes, raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(bom + raw)
        got = ingest([tmp], max_bytes=300)
        [src] = got.sources
        assert src.status in {"included", "partial", "skipped"}
        assert (src.reason is None) == (src.status == "included" and bool(src.articles))
        assert [a.id for a in got.articles] == src.articles
        assert len(set(src.articles)) == len(src.articles)
        for a in got.articles:
            a.text.encode("utf-8")
            a.title.encode("utf-8")
            assert a.text.strip() and a.title


_value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30))


@settings(max_examples=60, deadline=None)
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(["id", "title", "text", "date", "source", "url", "other"]),
            _value | st.lists(_value, max_size=2),
        ),
        max_size=5,
    )
)
def test_jsonl_text_is_kept_verbatim_or_the_line_is_explained(
    records: list[dict[str, object]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
        got = ingest([path])
        [src] = got.sources
        texts = [a.text for a in got.articles]
        usable = [
            r["text"] for r in records if isinstance(r.get("text"), str) and r["text"].strip()
        ]
        assert len(texts) + (src.reason or "").count("duplicate id") == len(usable)
        assert all(t in usable for t in texts)
        if len(usable) < len(records):
            assert src.reason


def test_duplicate_ids_across_files_name_the_first_file(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"id": "d", "text": "one"}))
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "d", "text": "two"}) + "\n" + json.dumps({"id": "e", "text": "three"})
    )
    got = ingest([tmp_path])
    assert [a.text for a in got.articles] == ["one", "three"]
    assert got.sources[1].status == "partial"
    assert got.sources[1].reason == "duplicate id 'd', already in a.json (first one kept)"


@settings(max_examples=60, deadline=None)
@given(
    meta=st.dictionaries(
        st.sampled_from(["id", "title", "date", "source", "url", "text", "extra"]),
        _value
        | st.dates()
        | st.lists(_value, max_size=2)
        | st.dictionaries(st.text(max_size=3), _value, max_size=2),
    ),
    body=st.text(max_size=200),
)
def test_front_matter_with_any_metadata(meta: dict[str, object], body: str) -> None:
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.md"
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
        path.write_text(text, encoding="utf-8", errors="replace")
        got = ingest([path])
        [src] = got.sources
        for a in got.articles:
            assert isinstance(a.title, str) and a.title
            assert a.url is None or a.url.startswith(("http://", "https://"))
            assert a.published is None or 1800 <= a.published.year <= 2200
        assert (src.status == "included") == bool(got.articles)


def test_entities_in_html_pages_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X &xxe;</title></head><body>'
        "<article><p>Secret: &xxe; and &b; in a sentence long enough to be the main text.</p>"
        "</article></body></html>"
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.xhtml").write_text(page)
    [a] = ingest([tmp_path / "in"]).articles
    assert "TOPSECRET" not in a.text + a.title
    assert "aaaaaaaaaa" not in a.text
