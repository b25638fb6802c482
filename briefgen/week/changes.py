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
import os
import re
import stat
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
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

    Two risks match when they share a share of the smaller's words, a smaller share when they
    name the same actor. Only risks that share enough words can, and those are found through
    indexes (prefix filtering: :class:`_Pairs` over every risk, :class:`_Alike` over one
    actor's) instead of comparing every pair, which grew with the square of the week.
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
    sets, every = [w for w, _ in other], [*mine, *(w for w, _ in other)]
    df: Counter[str] = Counter(w for words in every for w in words)
    rank = {w: (n, w) for w, n in df.items()}
    alike = _Pairs(sets, SAME_RISK_LAST_WEEK, rank)
    # At the lower share for risks naming the same actor, a word prefix over all risks lets
    # most through (a common word is enough): each actor's risks get an index of their own,
    # made when a risk naming that actor first asks.
    by_name: dict[str, list[int]] = defaultdict(list)
    for k, (_, names) in enumerate(other):
        for name in names:
            by_name[name].append(k)
    per_name: dict[str, _Alike] = {}

    def same_actor(name: str, words: set[str]) -> list[int]:
        ks = by_name.get(name)
        if not ks:
            return []
        if name not in per_name:
            sets = [other[k][0] for k in ks]
            per_name[name] = _Alike(sets, SAME_RISK_LAST_WEEK_SAME_ACTOR, rank)
        return [ks[i] for i in per_name[name].near(words)]

    unmatched = []
    for r, words in zip(these.get("risks", []), mine, strict=True):
        actors: set[str] = set().union(*(names_here.get(i, set()) for i in r.get("actors", [])))
        if any(overlap(words, other[k][0]) >= SAME_RISK_LAST_WEEK for k in alike.near(words)):
            continue
        if any(
            overlap(words, other[k][0]) >= SAME_RISK_LAST_WEEK_SAME_ACTOR
            for n in sorted(actors)
            for k in same_actor(n, words)
        ):
            continue
        unmatched.append(r)
    return unmatched


def _need(share: float, size: int) -> int:
    """Fewest shared words that make ``share`` of a set of ``size`` words, divided as
    :func:`briefgen.words.overlap` divides, so no rounding lets a match slip."""
    return next(c for c in range(1, size + 1) if c / size >= share)


class _Alike:
    """The word sets that may share at least ``share`` of the smaller set with a given one.

    With every set's words ordered rarest first, the rarest word two sets share is followed,
    in each, by the ``k - 1`` other words they must share. So a set at least as large as the
    query is found through the query's first ``len - k + 1`` words, and read only where the
    word is followed by ``k - 1`` words in it (postings most-followed first); a smaller set,
    through its own first ``len - k + 1`` words (postings smallest first).
    """

    def __init__(
        self, sets: list[set[str]], share: float, rank: dict[str, tuple[int, str]]
    ) -> None:
        self.rank = rank
        self.share = share
        after: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (-words after, set)
        small: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (size, set)
        self.sizes = [len(words) for words in sets]
        for i, words in enumerate(sets):
            ordered = self._ordered(words)
            if not ordered:
                continue  # an empty set matches nothing
            for p, w in enumerate(ordered):
                after[w].append((p - len(ordered) + 1, i))
            for w in ordered[: len(ordered) - _need(self.share, len(ordered)) + 1]:
                small[w].append((len(ordered), i))
        self.after = {w: sorted(v) for w, v in after.items()}
        self.small = {w: sorted(v) for w, v in small.items()}

    def _ordered(self, words: set[str]) -> list[str]:
        return sorted(words, key=lambda w: self.rank.get(w, (0, w)))

    def near(self, words: set[str]) -> list[int]:
        """The sets that may share ``share`` of the smaller set with ``words``, in order."""
        size = len(words)
        if not size:
            return []
        ordered = self._ordered(words)
        k = _need(self.share, size)
        found: set[int] = set()
        for w in ordered[: size - k + 1]:
            for neg, i in self.after.get(w, ()):
                if -neg < k - 1:
                    break
                if self.sizes[i] >= size:
                    found.add(i)
        for w in ordered:
            for n, i in self.small.get(w, ()):
                if n >= size:
                    break
                found.add(i)
        return sorted(found)


class _Pairs:
    """The sets that may share at least ``share`` of the smaller set with a given one, found
    through the *pairs* of words they share (prefix filtering on pairs).

    With every set's words ordered rarest first, two sets that share ``k`` words share the pair
    of their two rarest shared words, and in each set that pair lies among its first
    ``len - k + 2`` words. A pair of words is far rarer than either word, so a look-up reads a
    few sets where single words returned most of a week that repeats its common words. ``k``
    depends on the smaller set: a set at least as large as the query is read through every
    pair it holds, with the words that follow the pair in it (at least ``k - 2``); a smaller
    one, through an index of its own size's prefix pairs. Where ``k`` is 1 a shared word is
    enough, and any set sharing one matches.
    """

    def __init__(
        self, sets: list[set[str]], share: float, rank: dict[str, tuple[int, str]]
    ) -> None:
        self.share = share
        self.ids = {w: n for n, w in enumerate(sorted(rank, key=rank.__getitem__))}
        self.width = len(self.ids) + 1
        self.sizes = [len(words) for words in sets]
        # pair (or word) -> [(-words after it, set)], for sets at least as large as the query
        self.large: dict[int, list[tuple[int, int]]] = defaultdict(list)
        # size -> pair (or word) -> [set], for sets smaller than the query
        self.small: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for i, words in enumerate(sets):
            ordered = self._ordered(words)
            m = len(ordered)
            if not m:
                continue  # an empty set matches nothing
            for a in range(m):
                self.large[ordered[a]].append((a - m + 1, i))
                for b in range(a + 1, m):
                    self.large[self._pair(ordered[a], ordered[b])].append((b - m + 1, i))
            for key in self._prefix(ordered, _need(self.share, m)):
                self.small[m][key].append(i)
        for postings in self.large.values():
            postings.sort()

    def _ordered(self, words: set[str]) -> list[int]:
        return sorted(self.ids[w] for w in words if w in self.ids)

    def _prefix(self, ordered: list[int], k: int) -> list[int]:
        m = len(ordered)
        if k < 2:
            return ordered
        return [
            self._pair(ordered[a], ordered[b])
            for a in range(m - k + 1)
            for b in range(a + 1, m - k + 2)
        ]

    def _pair(self, a: int, b: int) -> int:
        return (a + 1) * self.width + b  # above every word id: words and pairs share a table

    def near(self, words: set[str]) -> Iterator[int]:
        """Every set that may share ``share`` of the smaller set with ``words`` (some twice)."""
        size = len(words)
        if not size:
            return
        ordered = self._ordered(words)
        k = _need(self.share, size)
        for key in self._prefix(ordered, k):
            for neg, i in self.large.get(key, ()):
                if -neg < k - 2:
                    break
                if self.sizes[i] >= size:
                    yield i
        for m, index in self.small.items():
            if m >= size:
                continue
            for key in self._prefix(ordered, _need(self.share, m)):
                yield from index.get(key, ())


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
