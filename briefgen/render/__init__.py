"""Render a brief in each output format; the formats are one table, built-ins and all.

Every renderer reads the same brief.json data (:func:`briefgen.render.data.to_data`, computed
once per build); HTML also reads the brief for its template context, and the PDF is laid out
from the HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.doc import Brief
from briefgen.render.data import render_json, to_data
from briefgen.render.files import remove_stale_temporaries, write_all_atomic
from briefgen.render.html import one_environment, render_html, render_web
from briefgen.render.ics import render_ics
from briefgen.render.markdown import render_markdown
from briefgen.render.options import RenderOptions
from briefgen.render.pdf import render_pdf

__all__ = ["FORMATS", "Format", "RenderOptions", "to_data", "write"]


@dataclass(frozen=True, slots=True)
class Format:
    """An output format: what it renders from. ``from_html`` formats are laid out from the HTML."""

    render: Callable[..., str | bytes] | None
    from_html: bool = False


SOURCES_SUFFIX = "sources.html"  # the HTML's companion: the texts of the articles it cites

FORMATS: dict[str, Format] = {
    "html": Format(render=None, from_html=True),  # the HTML itself
    "pdf": Format(render=None, from_html=True),  # laid out from the HTML (pdf_renderer)
    "json": Format(render=render_json),
    "md": Format(render=render_markdown),
    "ics": Format(render=render_ics),
}


def write(
    brief: Brief,
    *,
    out: Path,
    formats: Iterable[str] = ("html", "pdf", "json"),
    name: str | None = None,
    templates: str | Path | None = None,
    options: RenderOptions | None = None,
    pdf_renderer: Callable[..., bytes] | None = None,
    data: dict[str, Any] | None = None,
) -> list[Path]:
    """Render ``brief`` in each format into ``out``; returns the files written.

    ``options`` carries the template folder, paper, author and PDF/UA; ``templates`` alone is
    a shorthand for ``RenderOptions(templates=...)``. ``pdf_renderer`` replaces
    :func:`~briefgen.render.pdf.render_pdf` (same arguments), e.g. to serve it from a cache.
    ``data`` is the brief's :func:`to_data`, when the caller already has it.
    """
    options = options or RenderOptions(templates=Path(templates) if templates else None)
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    data = data if data is not None else to_data(brief)
    base = name or brief.name
    if base in {"", ".", ".."} or "/" in base or "\\" in base or "\0" in base:
        raise ValueError(f"invalid output name {base!r}: a file name, not a path")
    rendered: dict[str, str | bytes] = {}
    extra: dict[Path, str | bytes] = {}
    with one_environment():
        if "html" in formats:
            # The web page links each line to its span in a companion page of article texts.
            sources = f"{base}.{SOURCES_SUFFIX}"
            rendered["html"], extra[out / sources] = render_web(
                brief, data, page=f"{base}.html", sources_page=sources, options=options
            )
        if "pdf" in formats:
            html = render_html(brief, data, options=options)
            rendered["pdf"] = (pdf_renderer or render_pdf)(html, options=options)
    for fmt in formats:
        renderer = FORMATS[fmt].render
        if renderer is not None:
            rendered[fmt] = renderer(data)
    remove_stale_temporaries(out)
    written = [out / f"{base}.{fmt}" for fmt in formats]
    files = {path: rendered[fmt] for path, fmt in zip(written, formats, strict=True)}
    write_all_atomic({**files, **extra})
    return written + list(extra)
