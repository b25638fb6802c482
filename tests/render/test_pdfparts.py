"""A PDF laid out in parts on several processes is the PDF laid out in one."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from briefgen.evaluate.bench_render import synthetic_brief
from briefgen.render import pdfparts
from briefgen.render.data import to_data
from briefgen.render.html import render_html
from briefgen.render.options import BUILTIN_TEMPLATES, RenderOptions
from briefgen.render.pdf import render_pdf

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Parts</title><style>
@page { size: A6; margin: 15mm 10mm;
  @top-right { content: string(section); }
  @bottom-left { content: string(doctitle); }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
h1 { string-set: doctitle content(); bookmark-level: none; }
h2 { string-set: section content(); }
.front { break-after: page; }
.toc a::after { content: " p. " target-counter(attr(href), page); }
#two { break-before: page; }
</style></head><body>
<div class="front"><h1>Cover title</h1>
<p class="toc"><a href="#one">One</a> <a href="#two">Two</a> <a href="#deep">Deep</a></p></div>
<main>
<!-- briefgen:pdf-part -->
<section id="one"><h2>One</h2>
<p>First part, linking ahead to <a href="#deep">the deep paragraph</a>.</p>
<p style="break-before: page">Still the first part.</p></section>
<!-- briefgen:pdf-part -->
<section id="two"><h2>Two</h2>
<p style="break-after: page">Second part, linking back to <a href="#one">one</a>.</p>
<p id="deep">The deep paragraph.</p></section>
</main>
<!-- briefgen:pdf-end -->
</body></html>"""


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]


def _structure(pdf: bytes) -> dict[str, Any]:
    """Named destinations, outline and links of a PDF, by page number."""
    reader = PdfReader(BytesIO(pdf))

    def outline(items: list[Any], depth: int = 0) -> list[tuple[int, str, int | None]]:
        out = []
        for item in items:
            if isinstance(item, list):
                out += outline(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
        return out

    links = [
        (i, str(a.get_object().get("/Dest")))
        for i, page in enumerate(reader.pages)
        for a in page.get("/Annots", []) or []
    ]
    return {
        "dests": {
            name: (reader.get_destination_page_number(d), round(float(d.top), 1))
            for name, d in reader.named_destinations.items()
        },
        "outline": outline(reader.outline),
        "links": sorted(links),
        "title": (reader.metadata or {}).get("/Title"),
    }


def test_split_needs_two_parts_and_nothing_shown_after_the_end() -> None:
    cut = pdfparts.split(PAGE)
    assert cut is not None and len(cut.parts) == 2
    assert cut.front.rstrip().endswith("<main>")
    assert 'id="two"' in cut.parts[1] and 'id="two"' not in cut.parts[0]
    assert pdfparts.split(PAGE.replace(pdfparts.END, "")) is None
    one_part = PAGE.replace(pdfparts.PART, "", 1)
    assert pdfparts.split(one_part) is None
    shown_after = PAGE.replace(pdfparts.END, pdfparts.END + "<p>colophon</p>")
    assert pdfparts.split(shown_after) is None


def test_ids_are_unescaped() -> None:
    assert pdfparts.ids('<a id="x&amp;y"></a><p class="c" id=\'z\'></p><i data-id="no">') == [
        "x&y",
        "z",
    ]


def test_parts_join_into_the_single_layout() -> None:
    one = render_pdf(PAGE, jobs=1)
    two = render_pdf(PAGE, jobs=2)
    assert _pages(two) == _pages(one)
    assert _structure(two) == _structure(one)
    pages = _pages(two)
    assert len(pages) == 5
    # page numbers, the contents' page references and running strings cross the parts
    assert "One p. 2 Two p. 4 Deep p. 5" in pages[0]
    assert pages[3].startswith("Two Second part") and "Page 4 of 5" in pages[3]
    assert "Cover title" in pages[4] and "Page 5 of 5" in pages[4]
    links = _structure(two)["links"]
    assert (1, "deep") in links and (3, "one") in links  # links into another part survive


def test_a_document_without_marks_renders_in_one_process() -> None:
    html = PAGE.replace(pdfparts.PART, "")
    with pytest.raises(pdfparts.NotSplittable):
        pdfparts.render(html, base_url=str(BUILTIN_TEMPLATES) + "/", roots=[], jobs=2)
    assert _pages(render_pdf(html, jobs=2)) == _pages(render_pdf(html, jobs=1))


def test_builtin_theme_brief_in_parts_matches_one_process() -> None:
    brief = synthetic_brief(articles=40)
    html = render_html(brief, to_data(brief))
    assert pdfparts.split(html) is not None
    one, two = render_pdf(html, jobs=1), render_pdf(html, jobs=2)
    assert _pages(two) == _pages(one)
    assert _structure(two) == _structure(one)


def test_pdf_ua_is_never_split() -> None:
    options = RenderOptions(pdf_ua=True)
    pdf = render_pdf(PAGE, options=options, jobs=2)
    assert "/StructTreeRoot" in str(PdfReader(BytesIO(pdf)).trailer["/Root"].keys())


def test_any_failure_in_parts_falls_back_to_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(html: str, **kwargs: Any) -> bytes:
        raise KeyError("worker lost")

    monkeypatch.setattr(pdfparts, "_render", broken)
    with pytest.raises(pdfparts.NotSplittable, match="worker lost"):
        pdfparts.render(PAGE, base_url="", roots=[], jobs=2)
    assert _pages(render_pdf(PAGE, jobs=2)) == _pages(render_pdf(PAGE, jobs=1))


def test_jobs_option_caps_the_processes_a_long_pdf_is_laid_out_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefgen.render.options import RenderOptions
    from briefgen.render.pdf import render_pdf

    asked: list[int] = []

    def parts(html: str, *, base_url: str, roots: list[str], jobs: int) -> bytes:
        asked.append(jobs)
        raise pdfparts.NotSplittable

    monkeypatch.setattr(pdfparts, "MIN_CHARS", 10)
    monkeypatch.setattr(pdfparts, "render", parts)
    html = "<html><body><p>A long enough brief.</p></body></html>"
    assert render_pdf(html, options=RenderOptions(jobs=1)).startswith(b"%PDF-")
    assert asked == []
    render_pdf(html, options=RenderOptions(jobs=3))
    assert asked == [3]
    # The PDF cache is keyed by repr(options): the same pages whatever the process count.
    assert repr(RenderOptions(jobs=3)) == repr(RenderOptions())
