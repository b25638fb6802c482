"""What changed since the last brief: new actors, new and no longer reported risks, dates added
and dates passed, from the previous and the current brief.json data.

Briefs are archived by name in the output folder (``brief-2026-W47.json``, ``brief-2026-W48.json``
...), so the previous brief is the one there whose period ends last before the current one
starts. Only brief.json data is read from the previous brief, so a brief from an older
briefgen still works; the current brief is read from the model, as the pipeline builds it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import stat
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.doc import Brief, Changes
from briefgen.render.data import SCHEMA, risk_actor_ids
from briefgen.timex import last_day
from briefgen.words import (
    SAME_EVENT_LAST_WEEK,
    SAME_RISK_LAST_WEEK,
    SAME_RISK_LAST_WEEK_SAME_ACTOR,
    content_words,
    overlap,
)

# The output folder is read as untrusted: only files named like our briefs, regular files
# inside it, at most this big (a 5,000-article brief.json is about 60 MB), are opened.
MAX_BRIEF_BYTES = 200_000_000
_BRIEF_NAME = re.compile(r"brief-[^/\\]*\.json\Z")


def find_previous(
    out: Path, *, current: dict[str, Any] | Brief, skip: Path | None = None
) -> Path | None:
    """The brief.json in ``out`` whose period ends last before ``current``'s period starts.

    Only regular files named ``brief-*.json`` that :func:`load` accepts are considered; links
    out of ``out``, pipes and devices are never opened."""
    if isinstance(current, Brief):
        start = current.period.start.isoformat() if current.period.start else None
    else:
        start = current["period"].get("from")
    if not start or not out.is_dir():
        return None
    best: tuple[str, str, Path] | None = None
    try:
        folder = out.resolve(strict=True)
        names = sorted(entry.name for entry in os.scandir(out))
    except (OSError, RuntimeError):
        return None
    for name in names:
        if not _BRIEF_NAME.match(name):
            continue
        path = out / name
        try:
            if not path.resolve(strict=True).is_relative_to(folder):
                continue
            if skip is not None and path.resolve() == skip.resolve():
                continue
        except (OSError, RuntimeError):
            continue
        data = load(path)
        if data is None:
            continue
        end = data["period"].get("to")
        if isinstance(end, str) and end < start:
            issued = data.get("issued")
            key = (end, issued if isinstance(issued, str) else "", path)
            if best is None or key > best:
                best = key
    return best[2] if best else None


def load(path: Path, *, max_bytes: int = MAX_BRIEF_BYTES) -> dict[str, Any] | None:
    """brief.json data, or None when ``path`` is not a readable brief: not a regular file, too
    big, not JSON, nested too deeply, or not of the brief.json schema."""
    try:
        # Non-blocking: a FIFO must not hang the build; checked as a regular file once open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
                return None
            raw = fh.read(max_bytes + 1)
        if len(raw) > max_bytes:
            return None
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    return data if valid(data) else None


def valid(data: Any) -> bool:
    """Whether ``data`` has the shape of brief.json as far as :func:`compare` reads it."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return False
    period = data.get("period")
    if not isinstance(period, dict):
        return False
    if any(not isinstance(period.get(k), str | None) for k in ("from", "to", "as_of")):
        return False
    if not isinstance(data.get("issued"), str | None):
        return False
    shapes = {
        "articles": {"id": str},
        "actors": {"id": str, "name": str, "type": str},
        "upcoming": {"value": str, "event": str},
        "risks": {"text": str},
    }
    for key, fields in shapes.items():
        items = data.get(key, [])
        if not isinstance(items, list):
            return False
        for item in items:
            if not isinstance(item, dict):
                return False
            if any(not isinstance(item.get(f), kind) for f, kind in fields.items()):
                return False
    for actor in data.get("actors", []):
        aliases = actor.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            return False
        if not isinstance(actor.get("mentions", []), list):
            return False
        if not isinstance(actor.get("articles", []), list):
            return False
    for item in (*data.get("upcoming", []), *data.get("risks", [])):
        for field in ("event", "window_end", "article"):
            if not isinstance(item.get(field), str | None):
                return False
        if not isinstance(item.get("actors", []), list) or not all(
            isinstance(a, str) for a in item.get("actors", [])
        ):
            return False
    return True


def changes_since(previous: dict[str, Any], brief: Brief) -> Changes:
    """What changed from the ``previous`` brief.json data to ``brief``."""
    return Changes(**compare(previous, view(brief)))


def view(brief: Brief) -> dict[str, Any]:
    """The few brief.json fields :func:`compare` reads, straight from the model."""

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    actor_ids = risk_actor_ids(brief)
    return {
        "period": {
            "from": iso(brief.period.start),
            "to": iso(brief.period.end),
            "as_of": iso(brief.period.as_of),
        },
        "articles": [{"id": a.article.id, "title": a.article.title} for a in brief.analyses],
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "type": a.type,
                "role": a.role,
                "aliases": a.aliases,
                "mentions": a.mentions,
                "articles": a.articles,
            }
            for a in brief.actors
        ],
        "risks": [
            {
                "article": r.article,
                "text": r.text,
                "start": r.start,
                "end": r.end,
                "score": r.score,
                "actors": actor_ids[i],
            }
            for i, r in enumerate(brief.risks)
        ],
        "upcoming": [
            {
                "value": u.value,
                "text": u.text,
                "event": u.event,
                "article": u.article,
                "start": u.start,
                "end": u.end,
                "deadline": u.deadline,
                "window_end": u.window_end,
            }
            for u in brief.upcoming
        ],
    }


def compare(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The ``changes`` field of brief.json: ``current`` against ``previous``."""
    period = previous.get("period") or {}
    return {
        "previous": {
            "name": previous.get("name"),
            "from": period.get("from"),
            "to": period.get("to"),
            "issued": previous.get("issued"),
        },
        "new_actors": new_actors(previous, current),
        "new_risks": _risk_items(_unmatched_risks(current, previous), current),
        "dropped_risks": _risk_items(_unmatched_risks(previous, current), previous),
        "dates_added": dates_added(previous, current),
        "dates_passed": dates_passed(previous, current),
    }


def new_actors(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Actors of ``current`` not known, by name or alias, in ``previous``; most salient first."""
    known = {n for a in previous.get("actors", []) for n in _names(a)}
    return [
        {
            "id": a["id"],
            "name": a["name"],
            "type": a["type"],
            "role": a.get("role"),
            "mentions": len(a.get("mentions", [])),
            "articles": len(a.get("articles", [])),
        }
        for a in current.get("actors", [])
        if not (_names(a) & known)
    ]


def dates_added(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Upcoming dates of ``current`` that ``previous`` did not list."""
    # Only dates of the same value can match: each date is compared with those alone (all
    # pairs grew with the square of the week: 800,000 dates a week at 100,000 articles).
    before: dict[Any, list[tuple[Any, set[str]]]] = defaultdict(list)
    for p in previous.get("upcoming", []):
        before[p.get("value")].append((p.get("event"), content_words(p.get("event", ""))))
    titles = _titles(current)
    added = []
    for u in current.get("upcoming", []):
        words = content_words(u.get("event", ""))
        if not any(
            event == u.get("event") or overlap(words, known) >= SAME_EVENT_LAST_WEEK
            for event, known in before.get(u.get("value"), ())
        ):
            added.append(_date_item(u, titles))
    return added


def dates_passed(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Upcoming dates of ``previous`` that are over by the current reference day."""
    period = current.get("period") or {}
    ref = _day(period.get("as_of")) or _day(period.get("from"))
    if ref is None:
        return []
    titles = _titles(previous)
    passed = []
    for u in previous.get("upcoming", []):
        last = last_day(u.get("window_end") or u.get("value") or "")
        if last is not None and last < ref:
            passed.append(_date_item(u, titles))
    return passed


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _names(actor: dict[str, Any]) -> set[str]:
    names = [actor.get("name") or "", *(actor.get("aliases") or [])]
    return {" ".join(n.casefold().split()) for n in names if n}


def _risk_actor_names(data: dict[str, Any]) -> dict[str, set[str]]:
    return {a["id"]: _names(a) for a in data.get("actors", [])}


def _unmatched_risks(these: dict[str, Any], others: dict[str, Any]) -> list[dict[str, Any]]:
    """Risks of ``these`` that no risk of ``others`` reports.

    Two risks match when they share a share of the smaller's words; only risks that share a
    word can, and those are found through an index of words (prefix filtering): with each
    risk's words ordered rarest first, the rarest shared word is among the first
    ``len - shared + 1`` of the smaller risk, so the smaller risk's prefix is looked up among
    all the words of the larger. All pairs grew with the square of the week.
    """
    names_here, names_there = _risk_actor_names(these), _risk_actor_names(others)
    other = [
        (
            content_words(r.get("text", "")),
            set().union(*(names_there.get(i, set()) for i in r.get("actors", []))),
        )
        for r in others.get("risks", [])
    ]
    mine = [content_words(r.get("text", "")) for r in these.get("risks", [])]
    df: Counter[str] = Counter(w for words in (*mine, *(w for w, _ in other)) for w in words)
    least = min(SAME_RISK_LAST_WEEK, SAME_RISK_LAST_WEEK_SAME_ACTOR)

    def prefix(words: set[str]) -> list[str]:
        # at least this many words shared (one fewer, so rounding can only widen the prefix)
        shared = max(math.ceil(least * len(words)) - 1, 1)
        return sorted(words, key=lambda w: (df[w], w))[: len(words) - shared + 1]

    every: dict[str, list[int]] = defaultdict(list)  # word -> the other risks with it
    first: dict[str, list[int]] = defaultdict(list)  # word -> those with it in their prefix
    for k, (w, _) in enumerate(other):
        for word in w:
            every[word].append(k)
        for word in prefix(w):
            first[word].append(k)
    unmatched = []
    for r, words in zip(these.get("risks", []), mine, strict=True):
        actors: set[str] = set().union(*(names_here.get(i, set()) for i in r.get("actors", [])))
        head = prefix(words)
        near = {k for word in head for k in every.get(word, ()) if len(other[k][0]) >= len(words)}
        near.update(
            k for word in words for k in first.get(word, ()) if len(other[k][0]) < len(words)
        )
        if not any(
            overlap(words, w) >= SAME_RISK_LAST_WEEK
            or (actors & a and overlap(words, w) >= SAME_RISK_LAST_WEEK_SAME_ACTOR)
            for w, a in (other[k] for k in sorted(near))
        ):
            unmatched.append(r)
    return unmatched


def _titles(data: dict[str, Any]) -> dict[str, str | None]:
    return {a["id"]: a.get("title") for a in data.get("articles", [])}


def _risk_items(risks: Iterable[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, Any]]:
    titles = _titles(data)
    return [
        {
            "article": r.get("article"),
            "title": titles.get(str(r.get("article"))),
            "text": r.get("text"),
            "start": r.get("start"),
            "end": r.get("end"),
            "score": r.get("score"),
        }
        for r in risks
    ]


def _date_item(u: dict[str, Any], titles: dict[str, str | None]) -> dict[str, Any]:
    keys = ("value", "text", "event", "article", "start", "end", "deadline", "window_end")
    return {**{k: u.get(k) for k in keys}, "title": titles.get(str(u.get("article")))}
