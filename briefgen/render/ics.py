"""Upcoming dates as an iCalendar file whose events cite their source."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from briefgen.words import UNPRINTABLE as _UNPRINTABLE

# Not allowed in iCalendar text (controls), or misleading in it (separators, bidi overrides).


def _plain(text: str) -> str:
    return " ".join(_UNPRINTABLE.sub(" ", text).split())


def render_ics(data: dict[str, Any]) -> str:
    """The upcoming dates as an iCalendar file: all-day events (spans for months, weeks and
    vague windows), each with its source article's title, outlet, link and sentence."""

    from icalendar import Calendar, Event

    from briefgen.timex import first_day

    cal = Calendar()
    cal.add("prodid", "-//briefgen//brief//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _plain(f"briefgen {data['name']}"))
    articles = {a["id"]: a for a in data["articles"]}
    issued = data.get("issued") or data["period"].get("as_of")
    stamp = dt.datetime.combine(
        dt.date.fromisoformat(issued) if issued else dt.date(1970, 1, 1), dt.time(), dt.UTC
    )
    as_of = first_day(data["period"].get("as_of"))
    for u in data["upcoming"]:
        try:
            start, end = _ics_span(u["value"], u.get("window_end"), as_of)
        except (OverflowError, ValueError):  # a last day of 9999-12-31 has no day after it
            continue
        if start is None or end is None:
            continue
        article = articles.get(u["article"], {})
        key = f"{u['article']}:{u['start']}:{u['value']}".encode()
        event = Event()
        event.add("uid", f"{hashlib.sha1(key).hexdigest()[:16]}@briefgen")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        prefix = "Deadline: " if u["deadline"] else "Window: " if u.get("window_end") else ""
        actor = u.get("actor") or ""
        who = f"{actor}: " if actor and actor.lower() not in u["event"].lower() else ""
        event.add("summary", _plain(prefix + who + u["event"])[:200])
        source = ", ".join(x for x in (article.get("source"), article.get("published")) if x)
        lines = [
            f"When: {u['text']} ({u['value']})",
            f"What: {u['event']}",
            f"Source: {article.get('title', '')}" + (f" ({source})" if source else ""),
            f"Offsets: {u['article']} [{u['start']}:{u['end']}]",
        ]
        if article.get("url"):
            lines.append(f"Link: {article['url']}")
            event.add("url", article["url"])
        event.add("description", "\n".join(_plain(line) for line in lines))
        event.add("categories", ["deadline"] if u["deadline"] else ["briefgen"])
        cal.add_component(event)
    return str(cal.to_ical().decode("utf-8"))


def _ics_span(
    value: str, window_end: str | None, as_of: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """First day and the day after the last, for an all-day event."""
    from briefgen.timex import day_span, first_day

    if window_end:
        last = first_day(window_end)
        first = first_day(value) or as_of or last
        if first is None or last is None:
            return None, None
        if as_of and first < as_of:
            first = as_of
        return first, max(last, first) + dt.timedelta(days=1)
    span = day_span(value)
    if span is None:
        return None, None
    return span[0], span[1] + dt.timedelta(days=1)
