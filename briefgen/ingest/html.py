"""Saved web pages: main text, title, date and link, extracted without touching the network.

trafilatura finds the main text and the metadata; when it finds nothing (very short pages), a
plain-text rendering made with the standard library's HTML parser is used instead. Only text
is kept, so scripts, stylesheets, images and frames in the page are dropped, never fetched.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any

# Elements whose content is never text for a reader.
_SKIP = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg math "
    "canvas video audio picture source track map head select button form input textarea".split()
)
_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose end tag may be left out: they do not nest in practice, so they are not counted
# in the depth below.
_OPTIONAL_END = frozenset(
    "p li dt dd tr td th option optgroup thead tbody tfoot colgroup rb rt rp html head body".split()
)
# trafilatura's tree walks are quadratic in the nesting depth (1 MB of unclosed <b> takes 45 s):
# deeper pages get the plain-text reading, which is linear.
MAX_DEPTH = 500
_STRAY_LT = re.compile(r"<(?![A-Za-z/!?])")
# Fallback content inside these is not the page's text, and trafilatura would keep it.
_EMBEDDED = ("iframe", "frameset", "object", "noembed", "noframes", "template")
# htmldate rejects dates after max_date; a fixed bound keeps the result the same on every day.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip: list[str] = []
        # How many of each tag are open in ``_skip``: a stray end tag is then found absent in
        # constant time instead of by a search of the whole stack (quadratic on a page of
        # unclosed tags).
        self._open: dict[str, int] = {}
        self._in_title = False
        self.depth = 0
        self.max_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID and tag not in _OPTIONAL_END:
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        if tag == "title":
            self._in_title = True
        elif tag == "body" and self._open.get("head"):  # </head> left out
            self._close("head")
        elif tag in _SKIP and tag not in _VOID:
            self._skip.append(tag)
            self._open[tag] = self._open.get(tag, 0) + 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and tag not in _OPTIONAL_END and self.depth:
            self.depth -= 1
        if tag == "title":
            self._in_title = False
        elif self._open.get(tag):
            self._close(tag)
        if tag in _BLOCK:
            self.parts.append("\n")

    def _close(self, tag: str) -> None:
        """Close the innermost open ``tag`` and everything opened inside it; the search from
        the top costs what it removes, so the whole page stays linear."""
        while self._skip:
            top = self._skip.pop()
            self._open[top] -= 1
            if top == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str]:
    """Readable text of an HTML fragment or page, and its ``<title>``."""
    text, title, _ = _plain_text(markup)
    return text, title


def _plain_text(markup: str) -> tuple[str, str, int]:
    """Text, title and how deep the elements nest (end tags that may be omitted aside)."""
    parser = _TextParser()
    try:
        # A "<" that opens no tag is text; escaped first, since HTMLParser rescans the rest of
        # its buffer at each one.
        parser.feed(_STRAY_LT.sub("&lt;", markup))
        parser.close()
    except (AssertionError, ValueError):  # HTMLParser gives up on some malformed markup
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text, " ".join("".join(parser.title).split()), parser.max_depth


def read_html(markup: str) -> dict[str, Any]:
    """The record (``title``, ``text``, ``date``, ``url``, ``source``) of a saved page.

    ``text`` is an empty string when the page holds no readable text.
    """
    meta: dict[str, Any] = {}
    markup = _strip_embedded(markup)
    fallback, page_title, depth = _plain_text(markup)
    try:
        meta = _trafilatura(markup) if depth <= MAX_DEPTH else {}
    except Exception:  # a page trafilatura cannot handle still gets the plain-text reading
        meta = {}
    text = (meta.get("text") or "").strip() or fallback
    title = _string(meta.get("title")) or page_title
    lines = text.split("\n", 1)
    if title and len(lines) == 2 and lines[0].strip() == title:
        text = lines[1].lstrip("\n")
    url = _string(meta.get("url"))
    return {
        "title": title or None,
        "text": text,
        "date": _string(meta.get("date")) or None,
        "url": url if url and re.match(r"https?://", url) else None,
        "source": _string(meta.get("sitename")) or _string(meta.get("hostname")) or None,
    }


def _strip_embedded(markup: str) -> str:
    """``markup`` without embedded-content elements; one linear scan per element name."""
    for tag in _EMBEDDED:
        lower = markup.lower()
        kept: list[str] = []
        pos = 0
        search = 0
        while (start := lower.find(f"<{tag}", search)) >= 0:
            search = start + len(tag) + 1
            if lower[search : search + 1] not in {" ", ">", "/", "\t", "\n", "\r", "\f"}:
                continue
            end = lower.find(f"</{tag}", start)
            close = lower.find(">", end) if end >= 0 else -1
            if close < 0:
                break
            kept.append(markup[pos:start] + " ")
            pos = search = close + 1
        markup = "".join(kept) + markup[pos:]
    return markup


def _string(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _trafilatura(markup: str) -> dict[str, Any]:
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    doc = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        favor_recall=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    if doc is None:
        return {}
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return dict(data)
