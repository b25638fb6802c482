import dataclasses
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from briefgen.doc import Story
from briefgen.evaluate.bench_render import synthetic_brief
from briefgen.render.budget import allocate, select
from briefgen.render.data import to_data
from briefgen.render.html import render_html
from briefgen.render.options import RenderOptions
from briefgen.render.pdf import render_pdf


def test_allocation_grows_with_the_page_budget() -> None:
    small, large = allocate(4), allocate(20)
    for field in ("actors", "dates", "risks", "stories"):
        assert 0 < getattr(small, field) < getattr(large, field)


def test_sections_show_the_best_ranked_and_count_the_rest() -> None:
    data = to_data(synthetic_brief(articles=60))
    for i, a in enumerate(reversed(data["actors"]), 1):
        a["rank"] = i
    chosen = select(data, 4)
    shown = chosen["actors"]
    assert [a["rank"] for a in shown] == sorted(a["rank"] for a in shown)
    listed = {a["name"].casefold() for a in data["actors"] if a["type"] != "NORP"}
    assert len(shown) + chosen["actors_more"] == len(listed)
    assert len(chosen["dates"]) + chosen["dates_more"] == len(data["upcoming"])


@pytest.mark.parametrize("pages", [4, 10])
def test_the_pdf_keeps_to_its_page_budget_whatever_the_volume(pages: int) -> None:
    brief = synthetic_brief(articles=300)
    options = RenderOptions(pages=pages, appendix="none")
    html = render_html(brief, to_data(brief), options=options)
    assert len(PdfReader(BytesIO(render_pdf(html, options=options))).pages) <= pages


def test_other_reports_are_named_by_outlet_or_title_never_by_id() -> None:
    brief = synthetic_brief(articles=3)
    _, b, c = brief.analyses
    b.article = dataclasses.replace(b.article, source="")
    c.article = dataclasses.replace(c.article, source="", title="")
    ids = [x.article.id for x in brief.analyses]
    brief.stories = [Story(id="story-x", title="A story", articles=ids, summary=[])]
    story = to_data(brief)["stories"][0]
    assert story["also_reported_by"] == [b.article.title, "untitled article"]
    html = render_html(brief, to_data(brief))
    glance = html.split('id="glance"')[1].split("</section>")[0]
    shown = re.sub(r"<[^>]*>", " ", glance)  # what a reader sees, not the filter's attributes
    assert b.article.id not in shown and "untitled article" in shown
