"""The HTML as a web page: lines link to their span on the sources page; no browser needed."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from briefgen.doc import Article, Brief
from briefgen.evaluate.bench_render import synthetic_brief
from briefgen.render import write
from briefgen.render.data import to_data
from briefgen.render.html import marked_text, render_html, render_web, source_slug


@pytest.fixture(scope="module")
def brief() -> Brief:
    return synthetic_brief(articles=6)


@pytest.fixture(scope="module")
def pages(brief: Brief) -> tuple[str, str]:
    return render_web(brief, to_data(brief), page="b.html", sources_page="b.sources.html")


def test_spans_nest_and_a_crossing_span_gets_an_anchor() -> None:
    text = "Alpha beta <gamma> delta."
    html = marked_text(text, [(0, 10), (6, 10), (6, 18), (11, 18), (99, 120)], "src-a")
    assert str(html) == (
        '<span class="cited" id="src-a-0-10">Alpha <span class="cited-at" id="src-a-6-18"></span>'
        '<span class="cited" id="src-a-6-10">beta</span></span> '
        '<span class="cited" id="src-a-11-18">&lt;gamma&gt;</span> delta.'
    )
    # whatever the nesting, the text reads verbatim once the tags are gone
    assert unescape(re.sub(r"<[^>]+>", "", str(html))) == text
    assert 'id="src-a-6-18"' in html and 'id="src-a-99-120"' not in html


def test_every_line_links_to_a_target_on_the_sources_page(pages: tuple[str, str]) -> None:
    html, sources = pages
    links = re.findall(r'href="b\.sources\.html#(src-[^"]+)"', html)
    assert links
    ids = set(re.findall(r'id="([^"]+)"', sources))
    assert all(target in ids for target in links)
    for section in ("risks", "upcoming", "actors", "glance", "articles"):
        part = html.split(f'id="{section}"')[1].split("</section>")[0]
        assert "b.sources.html#src-" in part, section
    # each risk's text is itself a link to its span
    risks = html.split('id="risks"')[1].split("</section>")[0]
    assert risks.count('<span class="text"><a class="from-source"') == risks.count("<li")


def test_the_sources_page_shows_the_ingested_text_escaped_with_its_metadata(
    pages: tuple[str, str], brief: Brief
) -> None:
    _, sources = pages
    for a in brief.analyses:
        body = sources.split(f'id="{source_slug(a.article.id)}-text">')[1].split("</div>")[0]
        assert unescape(re.sub(r"<[^>]+>", "", body)) == a.article.text
        assert a.article.title in sources and f"https://example.com/news/{a.article.id}" in sources
    assert '<a href="b.html#article-' in sources


def test_only_cited_articles_are_on_the_sources_page(brief: Brief) -> None:
    from dataclasses import replace

    extra = replace(
        brief.analyses[0], article=Article(id="uncited", title="U", text="Never cited.")
    )
    bigger = replace(brief, analyses=[*brief.analyses, extra])
    data = to_data(bigger)
    data["articles"] = [a for a in data["articles"] if a["id"] != "uncited"]
    _, sources = render_web(bigger, data, page="b.html", sources_page="b.sources.html")
    assert "Never cited." not in sources


def test_the_print_html_keeps_its_links_inside_the_document(brief: Brief) -> None:
    html = render_html(brief, to_data(brief))
    assert "sources.html" not in html and "<script" not in html and 'class="finder"' not in html


def test_write_puts_the_sources_page_beside_the_brief(brief: Brief, tmp_path: Path) -> None:
    written = write(brief, out=tmp_path, formats=["html"], name="w")
    assert [p.name for p in written] == ["w.html", "w.sources.html"]
    page = (tmp_path / "w.html").read_text()
    assert 'href="w.sources.html#src-' in page and '<main id="main"' in page
    assert '<a class="skip" href="#main">' in page


def test_watch_terms_select_the_articles_that_name_them(brief: Brief) -> None:
    data = {**to_data(brief), "watch": ["zzz-none", {"term": brief.analyses[0].article.title}]}
    html, _ = render_web(brief, data, page="b.html", sources_page="b.sources.html")
    assert 'id="find-watch"' in html
    assert f'data-articles="article-{brief.analyses[0].article.id}' in html


def test_the_web_page_lists_the_cited_articles_not_the_whole_week() -> None:
    """The page follows the page budget: its appendix of titles holds the articles the brief
    cites and counts the rest; the PDF's appendix still lists them all."""
    brief = synthetic_brief(articles=300)
    data = to_data(brief)
    html, sources = render_web(brief, data, page="b.html", sources_page="b.sources.html")
    listed = html.split('id="articles"')[1].split("</section>")[0]
    shown = listed.count("<li ")
    assert 0 < shown < 300
    assert f"{300 - shown} more articles in brief.json" in listed
    # the companion page holds exactly the articles listed: those the brief cites
    assert len(re.findall(r'id="src-[^"]*-text"', sources)) == shown
    printed = render_html(brief, data).split('id="articles"')[1].split("</section>")[0]
    assert printed.count("<li ") == 300
