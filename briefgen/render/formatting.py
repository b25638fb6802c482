"""Formatting shared by every renderer: dates for readers, article anchors, safe links."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any


def as_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def longdate(value: str | None) -> str:
    if not value:
        return "undated"
    day = as_day(value)
    return f"{day.day} {day:%B %Y}" if day else str(value)


def shortdate(value: str | None) -> str:
    """A TIMEX3 value as a reader says it: ``Thu 3 Dec``, ``Thu 3 Dec, 14:00``, ``December 2026``,
    ``week of 23 Nov``; anything else unchanged."""
    if not value:
        return "—"
    value = str(value)
    day = as_day(value)
    if day and len(value) >= 10:
        text = f"{day:%a} {day.day} {day:%b}"
        if len(value) >= 16 and value[10] == "T" and value[11:13].isdigit():
            text += f", {value[11:16]}"
        return text
    if len(value) == 7 and value[4] == "-" and value[5:].isdigit() and 1 <= int(value[5:]) <= 12:
        return f"{dt.date(int(value[:4]), int(value[5:]), 1):%B %Y}"
    if len(value) == 8 and value[4:6] == "-W" and value[6:].isdigit():
        try:
            monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        except ValueError:
            return value
        return f"week of {monday.day} {monday:%b}"
    return value


def daterange(start: str | None, end: str | None = None) -> str:
    """``16–22 November 2026``, ``28 November – 4 December 2026``, or one date."""
    first, last = as_day(start) if start else None, as_day(end) if end else None
    if not first or not last:
        return longdate(start or end)
    if first == last:
        return longdate(start)
    if first.year != last.year:
        return f"{longdate(start)} – {longdate(end)}"
    if first.month != last.month:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day}–{last.day} {last:%B %Y}"


def anchor(article_id: str) -> str:
    """The HTML id of an article in the brief: ``article-`` and the id made safe for a URL."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(article_id)).strip("-")
    if slug != article_id:
        slug += "-" + hashlib.sha1(str(article_id).encode()).hexdigest()[:6]
    return f"article-{slug}"


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: no javascript: or file: links in a brief."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def text_fragment(url: str, text: str | None) -> str:
    """``url`` with a text fragment (``#:~:text=``) that makes browsers scroll to ``text``."""
    from urllib.parse import quote

    words = (text or "").split()
    if not words:
        return url

    def enc(ws: list[str]) -> str:
        return quote(" ".join(ws), safe="").replace("-", "%2D")

    frag = enc(words) if len(words) <= 8 else f"{enc(words[:4])},{enc(words[-4:])}"
    return f"{url}{':~:' if '#' in url else '#:~:'}text={frag}"
