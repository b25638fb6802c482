"""Rendering: date wording, links to sources, Markdown, and what the PDF carries."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.doc import Brief
from briefgen.evaluate.bench_render import synthetic_brief
from briefgen.render import write
from briefgen.render.data import to_data
from briefgen.render.formatting import anchor, daterange, shortdate, text_fragment, web_url
from briefgen.render.html import render_html
from briefgen.render.markdown import render_markdown
from briefgen.render.options import RenderOptions
from briefgen.render.pdf import render_pdf
from tests.conftest import SECTIONS


@pytest.fixture(scope="module")
def brief() -> Brief:
    return synthetic_brief(articles=4)


@pytest.fixture(scope="module")
def html(brief: Brief) -> str:
    return render_html(brief, to_data(brief), options=RenderOptions(appendix="full"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-03", "Thu 3 Dec"),
        ("2026-12-03T14:30", "Thu 3 Dec, 14:30"),
        ("2026-12", "December 2026"),
        ("2026-W48", "week of 23 Nov"),
        ("2027", "2027"),
        ("XXXX-WXX-1", "XXXX-WXX-1"),
        (None, "—"),
    ],
)
def test_shortdate_says_timex_values_as_a_reader_would(value: str | None, expected: str) -> None:
    assert shortdate(value) == expected


def test_daterange_is_compact() -> None:
    assert daterange("2026-11-16", "2026-11-22") == "16–22 November 2026"
    assert daterange("2026-11-30", "2026-12-06") == "30 November – 6 December 2026"
    assert daterange("2026-12-28", "2027-01-03") == "28 December 2026 – 3 January 2027"
    assert daterange(None, None) == "undated"


def test_anchor_is_url_safe_and_distinct() -> None:
    assert anchor("nl-2026-11-16-steel") == "article-nl-2026-11-16-steel"
    odd = {anchor("a b"), anchor("a/b"), anchor("a-b")}
    assert len(odd) == 3
    assert all(re.fullmatch(r"article-[A-Za-z0-9_.-]+", a) for a in odd)


def test_text_fragment_links_to_the_sentence() -> None:
    url = text_fragment("https://x.org/a", "Talks resume on Monday.")
    assert url == "https://x.org/a#:~:text=Talks%20resume%20on%20Monday."
    long = text_fragment("https://x.org/a#top", "one two three four five six seven eight-nine ten")
    assert (
        long
        == "https://x.org/a#top:~:text=one%20two%20three%20four,six%20seven%20eight%2Dnine%20ten"
    )


def test_only_web_urls_are_links() -> None:
    assert web_url("https://example.com/a") == "https://example.com/a"
    for bad in ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "example.com", ""]:
        assert web_url(bad) is None


def test_every_summary_actor_date_and_risk_links_to_its_article(brief: Brief, html: str) -> None:
    anchors = {a.article.id: anchor(a.article.id) for a in brief.analyses}
    for aid, target in anchors.items():
        assert f'id="{target}"' in html
        assert f"https://example.com/news/{aid}" in html
    risks = html.split('id="risks"')[1].split("</section>")[0]
    upcoming = html.split('id="upcoming"')[1].split("</section>")[0]
    actors = html.split('id="actors"')[1].split("</section>")[0]
    glance = html.split('id="glance"')[1].split("</section>")[0]
    for section in (risks, upcoming, actors, glance):
        assert 'href="#article-' in section and 'href="https://example.com/news/' in section
    # One line per distinct risk (the synthetic risks say the same), each citing its article.
    assert 0 < risks.count("<li") == risks.count('class="to-article"') <= len(brief.risks)
    # Events are grouped by day and near-identical ones merged; every event row still cites,
    # and every article an upcoming date came from is linked.
    events = upcoming.count("</tr>") - 1
    assert 0 < events <= len(brief.upcoming)
    assert upcoming.count('class="to-article"') >= events
    for u in brief.upcoming:
        assert f'class="to-article" href="#{anchor(u.article)}"' in upcoming
    rows = actors.count('<tr id="actor-')
    assert rows and actors.count("First mention in the original article") == rows
    articles = html.split('id="articles"')[1].split("</section>")[0]
    summaries = sum(len(a.summary) for a in brief.analyses)
    assert articles.count("#:~:text=") == summaries  # each summary sentence links to the page


def test_offsets_are_kept_on_cited_findings(brief: Brief, html: str) -> None:
    r = brief.risks[0]
    assert f'data-start="{r.start}" data-end="{r.end}"' in html


def test_paper_and_metadata_reach_the_html(brief: Brief) -> None:
    options = RenderOptions(paper="letter", author="Desk <A>", lang="en-CA")
    html = render_html(brief, to_data(brief), options=options)
    assert '<html lang="en-CA">' in html
    assert "@page { size: letter; }" in html
    assert '<meta name="author" content="Desk &lt;A&gt;">' in html


def test_markdown_has_every_section_and_reference_links(brief: Brief) -> None:
    md = render_markdown(to_data(brief))
    assert md.startswith("# Weekly brief: 16–22 November 2026\n")
    for heading in SECTIONS:
        assert f"\n## {heading}\n" in md
    for i, a in enumerate(brief.analyses, 1):
        assert f"\n[{i}]: https://example.com/news/{a.article.id}" in md
        assert f"### {i}. [" in md
    risk_lines = [line for line in md.splitlines() if re.match(r"\d+\. ", line)]
    assert risk_lines and all(re.search(r"\(.+ \[\d+\]\)$", line) for line in risk_lines)


@pytest.fixture(scope="module")
def pdf(html: str) -> PdfReader:
    return PdfReader(BytesIO(render_pdf(html)))


def test_pdf_has_metadata_bookmarks_and_page_numbers(pdf: PdfReader) -> None:
    assert pdf.metadata is not None
    assert pdf.metadata.title == "Weekly brief: 16–22 November 2026"
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    titles = [o.title for o in pdf.outline if not isinstance(o, list)]
    assert titles == list(SECTIONS)
    cover = " ".join(pdf.pages[0].extract_text().split())
    assert re.search(r"Key actors\W*\d", cover)  # the contents give page numbers
    assert "16–22 November 2026" in cover
    n = len(pdf.pages)
    assert f"Page 2 of {n}" in pdf.pages[1].extract_text()


def test_pdf_embeds_its_fonts(pdf: PdfReader) -> None:
    fonts = []
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts.append(
                    any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                )
    assert fonts and all(fonts)


def test_letter_paper_and_tagged_pdf(brief: Brief) -> None:
    options = RenderOptions(paper="letter", pdf_ua=True, author="Desk")
    html = render_html(brief, to_data(brief), options=options)
    pdf = PdfReader(BytesIO(render_pdf(html, options=options)))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert pdf.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    assert pdf.metadata is not None and pdf.metadata.author == "Desk"


def test_write_renders_every_format(brief: Brief, tmp_path: Path) -> None:
    written = write(brief, out=tmp_path, formats=["md", "html", "json"], name="b")
    assert [p.name for p in written] == ["b.md", "b.html", "b.json", "b.sources.html"]


def test_condense_notes_says_a_shared_note_once() -> None:
    from briefgen.render.html import condense_notes

    many = "; ".join(f"a{i}: date assumed" for i in range(10))
    assert condense_notes(many) == "date assumed: 10 articles (a0, a1, a2 and 7 more)"
    mixed = "odd header; x: too short; y: date assumed; z: date assumed"
    assert condense_notes(mixed) == mixed
    assert condense_notes(None) == ""
    assert condense_notes("b: too short; " + many).startswith("b: too short; date assumed: 10")
