"""The upcoming dates grouped by day, and an inline SVG timeline of them, for the HTML and PDF.

Built here rather than in the template so the grouping is tested and every piece of text in
the SVG is escaped in one place; the template receives the groups as plain data and the SVG
as markup.

The timeline is a "metro line": each distinct day (or month, or window) gets a numbered stop,
in date order but not to scale, so a busy fortnight and a date eight months out both stay
readable. Month names sit above the line, a dashed stretch means more than two weeks pass
between stops, and the numbers key the stops to the table below it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from briefgen.timex import first_day, last_day
from briefgen.words import SAME_EVENT_ONE_DAY, WORD, content_words

WIDTH = 680
NARROW = 360  # the phone version
MARGIN = 6
SLOT_MIN = 46  # narrowest stop: room for "Mon 30" and a month name
SLOT_MAX = 96
ROW = 84
LEGEND = 34
GAP_DAYS = 14  # a longer wait between stops draws the line dashed

INK, MUTED, ACCENT, RISK, RULE = "#1b2430", "#5d6878", "#1d3c5e", "#a8431b", "#c5ccd5"

# The order of kinds on the same day: exact days, then windows ending that day, then the week
# and month that start on it, then a year ending on it.
_RANK = {"day": 0, "window": 1, "week": 2, "month": 3, "year": 4}

_TIMELINE_STOP = frozenset({"until", "up", "out"})  # beyond STOPWORDS: not an event
_MONTHS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)


def text_width(text: str, *, size: float = 9.5, bold: bool = False) -> float:
    """A generous estimate of the width of ``text`` in DejaVu Sans at ``size`` px, to keep text
    apart (measured averages: 0.6 em a character, 0.68 em in bold)."""
    return len(text) * size * (0.68 if bold else 0.6)


def _kind(value: str | None) -> str:
    v = value or ""
    if len(v) >= 10:
        return "day"
    if len(v) == 8 and "-W" in v:
        return "week"
    if len(v) == 7:
        return "month"
    return "year"


def _words(text: str, date_text: str) -> set[str]:
    """Content words of an event, without the words of its date or any month or weekday."""
    drop = _MONTHS | _TIMELINE_STOP | {w.casefold() for w in WORD.findall(date_text)}
    return {w for w in content_words(text, drop=drop, min_length=1) if not w.isdigit()}


@dataclass(slots=True)
class _Event:
    event: str
    who: str | None
    deadline: bool
    window: bool
    words: set[str]
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class _Day:
    key: str
    kind: str
    first: dt.date
    last: dt.date
    events: list[_Event] = field(default_factory=list)


def _relative(day: dt.date, as_of: dt.date | None) -> str:
    if as_of is None:
        return ""
    n = (day - as_of).days
    if n < 0:
        return ""
    if n <= 1:
        return ("today", "tomorrow")[n]
    if n < 14:
        return f"in {n} days"
    if n < 63:
        return f"in {round(n / 7)} weeks"
    return f"in {round(n / 30.4)} months"


def _label(d: _Day, as_of: dt.date | None) -> str:
    year = "" if as_of is not None and d.first.year == as_of.year else f" {d.first.year}"
    if d.kind == "day":
        return f"{d.first:%a} {d.first.day} {d.first:%b}{year}"
    if d.kind == "window":
        return f"By {d.last:%a} {d.last.day} {d.last:%b}{year}"
    if d.kind == "week":
        return f"Week of {d.first.day} {d.first:%b}{year}"
    if d.kind == "month":
        return f"{d.first:%B %Y}"
    return str(d.first.year)


def _sub(d: _Day, as_of: dt.date | None) -> str:
    if d.kind == "day":
        return _relative(d.first, as_of)
    if d.kind == "window":
        return "window, " + _relative(d.last, as_of) if _relative(d.last, as_of) else "window"
    return "day not yet set"


def upcoming_days(
    upcoming: Sequence[Mapping[str, Any]], *, as_of: str | None = None
) -> list[dict[str, Any]]:
    """The upcoming dates grouped by day (or by window end, week, month, year), in date order.

    Near-identical events of one day (the same deadline reported by several outlets) become one
    event that keeps every source. Dates with nothing to place them by ("soon") are gathered
    in a last group of kind ``open``, which the timeline leaves out.
    """
    start = first_day(as_of)
    days: dict[str, _Day] = {}
    for u in upcoming:
        value, window_end = u.get("value"), u.get("window_end")
        end = first_day(window_end)
        first = first_day(value)
        if end is not None:
            kind, key, first, last = "window", f"by-{window_end}", end, end
        elif first is not None:
            kind = _kind(value)
            key = str(value)[:10]
            last = last_day(value) or first
        else:
            kind, key = "open", "open"
            first = last = dt.date.max
        day = days.setdefault(key, _Day(key=key, kind=kind, first=first, last=last))
        text, event = str(u.get("text") or ""), str(u.get("event") or u.get("text") or "")
        words = _words(event, text)
        source = {
            "article": u.get("article"),
            "start": u.get("start"),
            "end": u.get("end"),
            "event": event,
            "text": text,
        }
        deadline, window = bool(u.get("deadline")), end is not None
        match = next(
            (e for e in day.events if e.window == window and SAME_EVENT_ONE_DAY(e.words, words)),
            None,
        )
        if match is None:
            day.events.append(
                _Event(event, u.get("actor") or None, deadline, window, words, [source])
            )
            continue
        match.deadline = match.deadline or deadline
        match.who = match.who or u.get("actor") or None
        match.words |= words
        if all(s["article"] != source["article"] for s in match.sources):
            match.sources.append(source)
    # A whole year goes after its dated stops ("some time in 2027"), not between 1 and 2 January.
    ordered = sorted(
        days.values(),
        key=lambda d: (d.last if d.kind == "year" else d.first, _RANK.get(d.kind, 9), d.key),
    )
    return [
        {
            "number": n,
            "key": d.key,
            "anchor": f"when-{d.key}",
            "kind": d.kind,
            "label": "Date not set" if d.kind == "open" else _label(d, start),
            "sub": "" if d.kind == "open" else _sub(d, start),
            "first": None if d.kind == "open" else d.first.isoformat(),
            "last": None if d.kind == "open" else d.last.isoformat(),
            "deadline": any(e.deadline for e in d.events),
            "events": [
                {
                    "event": e.event,
                    "who": e.who,
                    "deadline": e.deadline,
                    "window": e.window,
                    "sources": e.sources,
                }
                for e in d.events
            ],
        }
        for n, d in enumerate(ordered, 1)
    ]


# --- the SVG -----------------------------------------------------------------------------------


def _region(d: Mapping[str, Any]) -> tuple[str, str, str]:
    """The month band a stop sits under: (key, long label, short label)."""
    day = dt.date.fromisoformat(d["last"] if d["kind"] == "window" else d["first"])
    if d["kind"] == "year":
        return (str(day.year), str(day.year), str(day.year))
    return (f"{day:%Y-%m}", f"{day:%b %Y}", f"{day:%b}")


def _marker(d: Mapping[str, Any], cx: float, cy: float) -> str:
    colour = RISK if d["deadline"] else ACCENT
    number = escape(str(d["number"]))
    small = ' font-size="8"' if d["number"] >= 100 else ""
    if d["kind"] == "day":
        if d["deadline"]:
            shape = f'<path d="M{cx},{cy - 11} l11,11 l-11,11 l-11,-11 z" fill="{colour}"/>'
        else:
            shape = f'<circle cx="{cx}" cy="{cy}" r="9" fill="{colour}"/>'
        ink = "#fff"
    elif d["kind"] == "window":
        shape = (
            f'<rect x="{cx - 13}" y="{cy - 8}" width="26" height="16" rx="8" fill="#fff" '
            f'stroke="{colour}" stroke-width="1.6"/>'
        )
        ink = colour
    else:
        shape = (
            f'<circle cx="{cx}" cy="{cy}" r="9" fill="#fff" stroke="{colour}" '
            f'stroke-width="1.6" stroke-dasharray="3,2"/>'
        )
        ink = colour
    return (
        f'{shape}<text x="{cx}" y="{cy + 3.3}" fill="{ink}" font-weight="bold" '
        f'text-anchor="middle"{small}>{number}</text>'
    )


def _stop_label(d: Mapping[str, Any]) -> tuple[str, str]:
    """The two short lines under a stop: the day, and a count or what kind of date it is."""
    day = dt.date.fromisoformat(d["last"] if d["kind"] == "window" else d["first"])
    n = len(d["events"])
    count = f"{n} items" if n > 1 else ""
    if d["kind"] == "day":
        return f"{day:%a} {day.day}", count
    if d["kind"] == "window":
        return f"by {day.day}", "window"
    if d["kind"] == "week":
        return f"wk {day.isocalendar()[1]}", "no day set"
    if d["kind"] == "month":
        return f"{day:%b}", "no day set"
    return str(day.year), "no day set"


def _legend(width: int, y: float) -> list[str]:
    entries = [
        ("dot", "date"),
        ("diamond", "deadline"),
        ("pill", "window: by then"),
        ("ring", "month or year, no day"),
        ("dash", "over two weeks pass"),
    ]
    parts, x = [], float(MARGIN)
    for shape, text in entries:
        w = 16 + text_width(text, size=8.5) + 12
        if x + w > width - MARGIN and x > MARGIN:
            x, y = float(MARGIN), y + 14
        cx, cy = x + 6, y - 3
        if shape == "dot":
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="4.5" fill="{ACCENT}"/>')
        elif shape == "diamond":
            diamond = f"M{cx},{cy - 5.5} l5.5,5.5 l-5.5,5.5 l-5.5,-5.5 z"
            parts.append(f'<path d="{diamond}" fill="{RISK}"/>')
        elif shape == "pill":
            parts.append(
                f'<rect x="{cx - 7}" y="{cy - 4.5}" width="14" height="9" rx="4.5" fill="#fff" '
                f'stroke="{ACCENT}" stroke-width="1.3"/>'
            )
        elif shape == "ring":
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="4.5" fill="#fff" stroke="{ACCENT}" '
                f'stroke-width="1.3" stroke-dasharray="2,1.5"/>'
            )
        else:
            parts.append(
                f'<line x1="{cx - 7}" y1="{cy}" x2="{cx + 7}" y2="{cy}" stroke="{MUTED}" '
                f'stroke-width="2" stroke-dasharray="3,2"/>'
            )
        parts.append(
            f'<text x="{x + 16}" y="{y}" fill="{MUTED}" font-size="8.5">{escape(text)}</text>'
        )
        x += w
    return parts


def timeline_svg(
    upcoming: Sequence[Mapping[str, Any]], *, as_of: str | None = None, width: int = WIDTH
) -> Markup:
    """The timeline as SVG markup ("" when there is nothing dated to draw).

    Stops wrap onto further rows when they do not fit ``width`` at a readable size. The SVG
    comes in a positioned ``div`` with a link over each stop to its group in the table
    (``#when-<key>``).
    """
    days = [d for d in upcoming_days(upcoming, as_of=as_of) if d["kind"] != "open"]
    if not days:
        return Markup("")
    inner = width - 2 * MARGIN
    per_row = max(1, int(inner // SLOT_MIN))
    rows = math.ceil(len(days) / per_row)
    per_row = math.ceil(len(days) / rows)
    slot = min(SLOT_MAX, inner / per_row)
    height = ROW * rows + LEGEND
    start = first_day(as_of)
    title = "Timeline of upcoming dates" + (f" from {start:%-d %B %Y}" if start else "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'style="display: block; width: 100%; height: auto" '
        f'font-family="DejaVu Sans, sans-serif" font-size="9.5">',
        f"<title>{escape(title)}</title>",
    ]
    spots: list[str] = []
    for r in range(rows):
        row = days[r * per_row : (r + 1) * per_row]
        top = r * ROW
        line_y = top + 36
        xs = [round(MARGIN + slot * (i + 0.5), 1) for i in range(len(row))]
        # The line: stubs out to the edges where it continues from or onto another row.
        left = MARGIN if r > 0 else xs[0]
        right = round(MARGIN + slot * len(row), 1) if r < rows - 1 else xs[-1]
        if r > 0:
            parts.append(_segment(left, xs[0], line_y, dashed=False))
        for (a, b), (xa, xb) in zip(_pairs(row), _pairs(xs), strict=True):
            gap = (_day_of(b) - _day_of(a)).days > GAP_DAYS
            parts.append(_segment(xa, xb, line_y, dashed=gap))
        if r < rows - 1:
            parts.append(_segment(xs[-1], right, line_y, dashed=False))
        # Month bands: a name over each run of stops in one month, hairlines between runs.
        i = 0
        while i < len(row):
            key, long, short = _region(row[i])
            j = i
            while j + 1 < len(row) and _region(row[j + 1])[0] == key:
                j += 1
            x0, x1 = MARGIN + slot * i, MARGIN + slot * (j + 1)
            prev = _region(days[r * per_row + i - 1]) if r * per_row + i > 0 else None
            new_year = prev is None or prev[0][:4] != key[:4]
            fits = text_width(long, size=9, bold=True) + 4 <= x1 - x0
            text = long if (new_year or i == 0) and fits else short
            parts.append(
                f'<text x="{round((x0 + x1) / 2, 1)}" y="{top + 13}" fill="{ACCENT}" '
                f'font-weight="bold" font-size="9" text-anchor="middle">{escape(text)}</text>'
            )
            if i > 0:
                parts.append(
                    f'<line x1="{round(x0, 1)}" y1="{top + 3}" x2="{round(x0, 1)}" '
                    f'y2="{top + 74}" stroke="{RULE}" stroke-width="0.8"/>'
                )
            i = j + 1
        for d, x in zip(row, xs, strict=True):
            first, second = _stop_label(d)
            tip = " | ".join(
                ("Deadline: " if e["deadline"] else "") + str(e["event"]) for e in d["events"]
            )
            parts.append(
                f"<g>{_marker(d, x, line_y)}"
                f'<text x="{x}" y="{top + 60}" fill="{INK}" font-weight="bold" '
                f'text-anchor="middle">{escape(first)}</text>'
                f'<text x="{x}" y="{top + 71}" fill="{MUTED}" font-size="8" '
                f'text-anchor="middle">{escape(second)}</text></g>'
            )
            box = (x - slot / 2, top + 20, slot, 56.0)
            spots.append(_hotspot(d, f"{d['label']}: {tip}", box, width, height))
    parts.extend(_legend(width, ROW * rows + 14))
    parts.append("</svg>")
    return Markup(
        '<div class="timeline-map" style="position: relative">'
        + "".join(parts)
        + "".join(spots)
        + "</div>"
    )


def _hotspot(
    d: Mapping[str, Any],
    tip: str,
    box: tuple[float, float, float, float],
    width: float,
    height: float,
) -> str:
    """A link laid over a stop. WeasyPrint drops links inside SVG, so the stops link to the
    table through HTML anchors placed over them, in percentages so they scale with the SVG."""
    x, y, w, h = box
    style = (
        f"position: absolute; display: block; left: {100 * x / width:.2f}%; "
        f"top: {100 * y / height:.2f}%; width: {100 * w / width:.2f}%; "
        f"height: {100 * h / height:.2f}%"
    )
    return (
        f'<a class="timeline-stop" href={quoteattr("#" + d["anchor"])} title={quoteattr(tip)} '
        f"aria-label={quoteattr(str(d['number']) + ': ' + d['label'])} "
        f"style={quoteattr(style)}></a>"
    )


def _day_of(d: Mapping[str, Any]) -> dt.date:
    return dt.date.fromisoformat(d["last"] if d["kind"] == "window" else d["first"])


def _pairs(seq: Sequence[Any]) -> list[tuple[Any, Any]]:
    return list(itertools.pairwise(seq))


def _segment(x1: float, x2: float, y: float, *, dashed: bool) -> str:
    dash = ' stroke-dasharray="4,3"' if dashed else ""
    colour = MUTED if dashed else ACCENT
    return (
        f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="2.5"{dash}/>'
    )
