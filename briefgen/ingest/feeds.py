"""RSS and Atom feeds from local files: each entry an article with its date and link.

The bytes are checked with defusedxml before feedparser sees them: a feed that declares a DTD
with an internal subset, entities or external references is refused, so no XML input can read
local files, reach the network or expand without bound. A bare ``<!DOCTYPE ...>`` line (RSS
0.91 feeds carry one) is removed first, since it only names a DTD that is never loaded.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from xml.etree.ElementTree import ParseError

from briefgen.ingest.html import html_to_text

_XML_DECL = re.compile(r"\A(\s*<\?xml[^>]*?)\s+encoding\s*=\s*([\"'])[^\"']*\2", re.I)
# A DOCTYPE with only a public/system identifier and no internal subset.
_BARE_DOCTYPE = re.compile(r"<!DOCTYPE\s+[^\[>]*>", re.I)
_DANGER = re.compile(r"<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.I)


class FeedRefused(ValueError):
    """The feed is not safe to parse or holds no entries; the message says why."""


def safe_bytes(text: str) -> tuple[bytes, list[str]]:
    """UTF-8 bytes of the decoded feed, checked safe, and notes about what was changed."""
    import defusedxml
    import defusedxml.ElementTree as DET

    notes: list[str] = []
    # The text is already decoded: drop the declared encoding so parsers read UTF-8.
    text = _XML_DECL.sub(r"\1", text, count=1)
    if _BARE_DOCTYPE.search(text):
        text = _BARE_DOCTYPE.sub("", text, count=1)
    data = text.encode("utf-8", "replace")
    try:
        DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise FeedRefused("refused: the feed declares a DTD") from None
    except defusedxml.EntitiesForbidden:
        raise FeedRefused("refused: the feed declares XML entities") from None
    except defusedxml.ExternalReferenceForbidden:
        raise FeedRefused("refused: the feed refers to external XML resources") from None
    except ParseError as exc:
        # Not well-formed: the DTD check may not have been reached, so look for one directly.
        if _DANGER.search(text):
            raise FeedRefused("refused: the feed declares a DTD or entities") from None
        notes.append(f"not well-formed XML ({exc}); read leniently")
    return data, notes


def read_feed(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """One record per entry (``id``, ``title``, ``text``, ``date``, ``url``, ``source``)."""
    import feedparser

    data, notes = safe_bytes(text)
    # A stream, never a str: feedparser would take a str for a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if not parsed.get("version"):
        problem = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        raise FeedRefused(f"not an RSS or Atom feed{problem}")
    if not parsed.entries:
        raise FeedRefused("the feed has no entries")
    source = _plain(parsed.feed.get("title_detail")) or None
    records = [_record(entry, source) for entry in parsed.entries]
    return records, notes


def _record(entry: Any, source: str | None) -> dict[str, Any]:
    text = ""
    for detail in [*(entry.get("content") or []), entry.get("summary_detail")]:
        text = _plain(detail)
        if text:
            break
    link = entry.get("link")
    return {
        "id": entry.get("id") or link or None,
        "title": _plain(entry.get("title_detail")) or None,
        "text": text or None,
        "date": _date(entry),
        "url": link if isinstance(link, str) else None,
        "source": source,
    }


def _plain(detail: Any) -> str:
    if not detail or not isinstance(detail.get("value"), str):
        return ""
    value: str = detail["value"]
    if "html" in str(detail.get("type", "")):
        return html_to_text(value)[0]
    return value.strip()


def _date(entry: Any) -> dt.date | str | None:
    for key in ("published", "updated", "created"):
        stamp = entry.get(f"{key}_parsed")
        if stamp:
            try:
                return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except ValueError:
                pass
        raw = entry.get(key)
        if raw:
            return str(raw)  # unparseable: ingest reports it as an invalid date
    return None
