"""Upcoming dates: the week's future date expressions on or after the reference day.

Reads every article's dates; adds the chronological :class:`~briefgen.doc.Upcoming` list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from briefgen.doc import DateExpr, Upcoming
from briefgen.timex import day_span
from briefgen.week import without_gc


@without_gc
def upcoming(found: Iterable[DateExpr], as_of: dt.date | None) -> list[Upcoming]:
    """Future dates on or after ``as_of``, chronological; vague windows sort by their end."""
    items: list[tuple[str, Upcoming]] = []
    seen: set[tuple[str, str]] = set()
    # A week of 100,000 articles has 800,000 dates and a few hundred distinct values.
    spans: dict[str, tuple[str, dt.date] | None] = {}
    for d in found:
        if d.type not in {"DATE", "TIME"} or d.relation != "future":
            continue
        key_value = d.window_end or d.value
        if key_value not in spans:
            span = day_span(key_value)
            spans[key_value] = (span[0].isoformat(), span[1]) if span else None
        known = spans[key_value]
        if known is None or (as_of and known[1] < as_of):
            continue
        if (d.value, d.event) in seen:
            continue
        seen.add((d.value, d.event))
        items.append(
            (
                known[0],
                Upcoming(
                    value=d.value,
                    text=d.text,
                    event=d.event,
                    article=d.article,
                    start=d.start,
                    end=d.end,
                    deadline=d.deadline,
                    window_end=d.window_end,
                    actor=d.actor,
                ),
            )
        )
    items.sort(key=lambda kv: (kv[0], kv[1].article, kv[1].start))
    return [u for _, u in items]
