"""An inline SVG timeline of the upcoming dates, for the HTML and PDF brief.

Built here rather than in the template so every piece of text is escaped in one place; the
template receives it as markup. Days are dots, deadlines diamonds, vague windows bars that run
from the as-of day to the window's end. Labels go into as many rows as it takes not to overlap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

WIDTH = 680
MARGIN = 16
ROW = 30
AXIS_Y = 28
LABEL_CHARS = 26
CHAR_W = 5.8  # average width of a label character at 9.5px, to keep labels apart


@dataclass(slots=True)
class _Item:
    start: dt.date
    end: dt.date
    texts: list[str]
    titles: list[str]
    href: str
    deadline: bool
    window: bool

    @property
    def label(self) -> str:
        when = f"{self.end.day} {self.end:%b}"
        what = "window" if self.window else "deadline" if self.deadline else self.texts[0]
        if (
            not self.window
            and not self.deadline
            and what.lower().startswith(
                (self.end.strftime("%b").lower(), self.end.strftime("%B").lower())
            )
        ):
            what = ""
        more = f" +{len(self.titles) - 1}" if len(self.titles) > 1 else ""
        label = f"{'until ' if self.window else ''}{when} {what}".strip()
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1].rstrip() + "…"
        return label + more


def first_day(value: str | None) -> dt.date | None:
    """The first day of a TIMEX3 value (day, month, ISO week or year), if it has one."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
        if len(value) == 7 and value[4] == "-":
            return dt.date(int(value[:4]), int(value[5:7]), 1)
        if len(value) == 8 and value[4:6] == "-W":
            return dt.date.fromisocalendar(int(value[:4]), int(value[6:8]), 1)
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def _items(upcoming: Sequence[Mapping[str, Any]], as_of: dt.date | None) -> list[_Item]:
    """One item per day (or per window end), the events of that day gathered in it."""
    groups: dict[tuple[dt.date, dt.date, bool], _Item] = {}
    for u in upcoming:
        first = first_day(u.get("value"))
        end = first_day(u.get("window_end"))
        window = end is not None
        if first is None and end is None:
            continue
        start = (as_of or first or end) if window else first
        assert start is not None
        if window and first is not None and first > start:
            start = first
        stop = max(end or start, start)
        text = str(u.get("text", ""))
        title = ("Deadline: " if u.get("deadline") else "") + str(u.get("event") or text)
        key = (start if window else stop, stop, window)
        item = groups.get(key)
        if item is None:
            groups[key] = _Item(
                start=start,
                end=stop,
                texts=[text],
                titles=[title],
                href=f"#article-{u.get('article', '')}",
                deadline=bool(u.get("deadline")),
                window=window,
            )
        else:
            item.texts.append(text)
            item.titles.append(title)
            item.deadline = item.deadline or bool(u.get("deadline"))
    return sorted(groups.values(), key=lambda i: (i.end, i.start))


def timeline_svg(
    upcoming: Sequence[Mapping[str, Any]], *, as_of: str | None = None, width: int = WIDTH
) -> Markup:
    """The timeline as SVG markup ("" when there is nothing dated to draw).

    The scale is the square root of days from the start, so the next few days, where most
    items fall, get room, and a date a year out still fits.
    """
    start_day = first_day(as_of)
    items = _items(upcoming, start_day)
    if not items:
        return Markup("")
    lo = min([i.start for i in items] + ([start_day] if start_day else []))
    hi = max(i.end for i in items)
    span = math.sqrt(max((hi - lo).days, 7))
    inner = width - 2 * MARGIN - 60

    def x(day: dt.date) -> float:
        return round(MARGIN + inner * math.sqrt(max((day - lo).days, 0)) / span, 1)

    # Greedy rows: a label goes in the first row where it does not overlap the previous one.
    rows: list[float] = []
    placed: list[tuple[_Item, int, float]] = []
    for item in items:
        anchor = x(item.end)
        w = len(item.label) * CHAR_W
        left = min(anchor - 3, width - w - 2)
        row = next((r for r, edge in enumerate(rows) if edge < left), None)
        if row is None:
            rows.append(left + w + 8)
            row = len(rows) - 1
        else:
            rows[row] = left + w + 8
        placed.append((item, row, left))
    height = AXIS_Y + 16 + ROW * len(rows)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="9.5">',
        "<title>Timeline of upcoming dates</title>",
        f'<line x1="{MARGIN}" y1="{AXIS_Y}" x2="{width - MARGIN}" y2="{AXIS_Y}" '
        f'stroke="#888" stroke-width="1"/>',
    ]
    last_tick = -100.0
    for tick in _ticks(lo, hi):
        tx = x(tick)
        if tx - last_tick < 34:
            continue
        last_tick = tx
        label = tick.strftime("%b %Y") if tick.day == 1 else f"{tick.day} {tick:%b}"
        parts.append(
            f'<line x1="{tx}" y1="{AXIS_Y - 4}" x2="{tx}" y2="{AXIS_Y + 4}" stroke="#888"/>'
            f'<text x="{tx}" y="{AXIS_Y - 8}" fill="#555" font-size="8" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    if start_day:
        sx = x(start_day)
        parts.append(
            f'<line x1="{sx}" y1="{AXIS_Y - 10}" x2="{sx}" y2="{height}" stroke="#c33" '
            f'stroke-dasharray="2,2"/>'
        )
    labels = []
    for item, row, left in placed:
        y = AXIS_Y + 16 + ROW * row
        x0, x1 = x(item.start), x(item.end)
        colour = "#c33" if item.deadline else "#1f5f99"
        if item.window:
            shape = (
                f'<rect x="{x0}" y="{AXIS_Y - 3}" width="{max(x1 - x0, 2)}" height="6" '
                f'fill="{colour}" fill-opacity="0.3"/>'
            )
        elif item.deadline:
            shape = f'<path d="M{x1},{AXIS_Y - 5} l5,5 l-5,5 l-5,-5 z" fill="{colour}"/>'
        else:
            shape = f'<circle cx="{x1}" cy="{AXIS_Y}" r="4" fill="{colour}"/>'
        title = f"<title>{escape(' | '.join(item.titles))}</title>"
        parts.append(
            f"<a href={quoteattr(item.href)}><g>{title}{shape}"
            f'<line x1="{x1}" y1="{AXIS_Y + 5}" x2="{x1}" y2="{y - 9}" stroke="{colour}" '
            f'stroke-width="0.6"/></g></a>'
        )
        # Labels go on top of every connector, on a white ground, so lines never cross text.
        w = len(item.label) * CHAR_W
        labels.append(
            f"<a href={quoteattr(item.href)}><g>{title}"
            f'<rect x="{max(left, 0) - 2}" y="{y - 10}" width="{w + 4}" height="13" '
            f'fill="#fff"/>'
            f'<line x1="{x1}" y1="{y - 10}" x2="{x1}" y2="{y - 8}" stroke="{colour}"/>'
            f'<text x="{max(left, 0)}" y="{y}" fill="#222">{escape(item.label)}</text></g></a>'
        )
    parts.extend(labels)
    parts.append("</svg>")
    return Markup("".join(parts))


def _ticks(lo: dt.date, hi: dt.date) -> list[dt.date]:
    """First days of months between ``lo`` and ``hi``; weekly ticks when the span is short."""
    if (hi - lo).days <= 45:
        first = lo + dt.timedelta(days=(7 - lo.weekday()) % 7)
        return [first + dt.timedelta(weeks=k) for k in range(0, (hi - first).days // 7 + 1)]
    ticks = []
    day = dt.date(lo.year + (lo.month == 12), lo.month % 12 + 1, 1)
    step = max(1, ((hi - lo).days // 30) // 8)
    while day <= hi:
        ticks.append(day)
        m = day.month - 1 + step
        day = dt.date(day.year + m // 12, m % 12 + 1, 1)
    return ticks
