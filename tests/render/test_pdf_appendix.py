"""A long list of article titles is cut into parts the PDF lays out on several cores."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from briefgen.doc import Brief
from briefgen.evaluate.bench_render import synthetic_brief
from briefgen.render import pdfparts
from briefgen.render.data import to_data
from briefgen.render.html import render_html, render_web
from briefgen.render.options import RenderOptions
from briefgen.render.pdf import render_pdf


@pytest.fixture(scope="module")
def brief() -> Brief:
    return synthetic_brief(articles=25)


def _titles(html: str) -> list[list[str]]:
    """The article numbers of each titles list, in order."""
    lists = re.findall(r'<ol class="titles">(.*?)</ol>', html, re.S)
    return [re.findall(r'<span class="n">(\d+)</span>', ol) for ol in lists]


def test_a_long_list_is_cut_into_balanced_parts_each_from_a_new_page(
    brief: Brief, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfparts, "TITLES_PER_PART", 10)
    html = render_html(brief, to_data(brief))
    lists = _titles(html)
    assert [len(ol) for ol in lists] == [9, 8, 8]  # 25 titles, at most 10 a part, balanced
    assert [n for ol in lists for n in ol] == [str(n) for n in range(1, 26)]  # each once
    assert html.count(pdfparts.PART) == 4  # At a glance, Articles, and one before each cut
    cut = pdfparts.split(html)
    assert cut is not None and len(cut.parts) == 4
    # a part after a cut starts on a new page and carries the running header's section name
    for part in cut.parts[2:]:
        assert part.lstrip().startswith('<section class="section article-list continued">')
        assert '<p class="continues" aria-hidden="true">Articles</p>' in part
    assert 'id="articles"' in cut.parts[1] and html.count('id="articles"') == 1
    assert pdfparts.worth_splitting(html)


def test_a_short_list_stays_in_one_part(brief: Brief, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfparts, "TITLES_PER_PART", 25)
    html = render_html(brief, to_data(brief))
    assert [len(ol) for ol in _titles(html)] == [25]
    assert html.count(pdfparts.PART) == 2 and "article-list continued" not in html
    assert not pdfparts.worth_splitting(html)  # two coarse parts of a small brief: one process


def test_the_web_page_keeps_one_list(brief: Brief, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfparts, "TITLES_PER_PART", 10)
    page, _ = render_web(brief, to_data(brief), page="b.html", sources_page="b.sources.html")
    assert len(_titles(page)) <= 1 and "article-list continued" not in page


def test_the_full_appendix_is_cut_the_same_way(
    brief: Brief, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdfparts, "ARTICLES_PER_PART", 10)
    html = render_html(brief, to_data(brief), options=RenderOptions(appendix="full"))
    cut = pdfparts.split(html)
    assert cut is not None and len(cut.parts) == 4
    firsts = [re.search(r'<article id="([^"]+)"', part) for part in cut.parts[1:]]
    assert [m.group(1) for m in firsts if m] == [
        "article-syn-00000",
        "article-syn-00009",
        "article-syn-00017",
    ]
    assert all(p.lstrip().startswith('<section class="section continued">') for p in cut.parts[2:])
    none = render_html(brief, to_data(brief), options=RenderOptions(appendix="none"))
    assert none.count(pdfparts.PART) == 2 and "continued" not in none.split("</style>")[-1]


def test_worth_splitting_counts_parts_not_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    two = f"<p>front</p>{pdfparts.PART}<p>a</p>{pdfparts.PART}<p>b</p>{pdfparts.END}"
    three = two.replace(pdfparts.END, f"{pdfparts.PART}<p>c</p>{pdfparts.END}")
    assert not pdfparts.worth_splitting(two) and pdfparts.worth_splitting(three)
    monkeypatch.setattr(pdfparts, "MIN_CHARS", len(two))
    assert pdfparts.worth_splitting(two)  # a very long document splits at its coarse marks


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]


@pytest.mark.parametrize("appendix", ["titles", "full"])
def test_cut_appendix_pdf_in_parts_matches_one_process(
    brief: Brief, monkeypatch: pytest.MonkeyPatch, appendix: str
) -> None:
    monkeypatch.setattr(pdfparts, "TITLES_PER_PART", 10)
    monkeypatch.setattr(pdfparts, "ARTICLES_PER_PART", 10)
    html = render_html(brief, to_data(brief), options=RenderOptions(appendix=appendix))
    one, two = render_pdf(html, jobs=1), render_pdf(html, jobs=2)
    pages = _pages(one)
    assert _pages(two) == pages
    one_reader, two_reader = PdfReader(BytesIO(one)), PdfReader(BytesIO(two))
    assert sorted(one_reader.named_destinations) == sorted(two_reader.named_destinations)
    for name, dest in one_reader.named_destinations.items():
        other = two_reader.named_destinations[name]
        assert one_reader.get_destination_page_number(
            dest
        ) == two_reader.get_destination_page_number(other), name
    # each cut starts a page, headed like the rest of the appendix, numbered in sequence
    page_of = {
        name: one_reader.get_destination_page_number(dest)
        for name, dest in one_reader.named_destinations.items()
    }
    for last, first in (
        ("article-syn-00008", "article-syn-00009"),
        ("article-syn-00016", "article-syn-00017"),
    ):
        i = page_of[first]
        assert page_of[last] == i - 1
        assert "ARTICLES" in pages[i] and f"Page {i + 1} of {len(pages)}" in pages[i]
        assert "Articles" not in pages[i]  # the hidden name that sets the header is not drawn
