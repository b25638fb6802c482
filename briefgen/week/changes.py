"""What changed since the last brief: new actors, new and no longer reported risks, dates added
and dates passed, from the previous and the current brief.json data.

Briefs are archived by name in the output folder (``brief-2026-W47.json``, ``brief-2026-W48.json``
...), so the previous brief is the one there whose period ends last before the current one
starts. Only brief.json data is read from the previous brief, so a brief from an older
briefgen still works; the current brief is read from the model, as the pipeline builds it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import os
import re
import stat
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from briefgen.doc import Brief, Changes
from briefgen.render.data import SCHEMA, risk_actor_ids
from briefgen.timex import last_day
from briefgen.week import without_gc
from briefgen.words import (
    SAME_EVENT_LAST_WEEK,
    SAME_RISK_LAST_WEEK,
    SAME_RISK_LAST_WEEK_SAME_ACTOR,
    content_words,
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
        if _ends_too_late(path, start):
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


# The head of a brief.json as briefgen writes it, up to its period's end: enough to pass over a
# brief that cannot be the previous one without reading (and parsing) megabytes of it.
_HEAD = re.compile(
    rb'\A\{\s*"schema":\s*"' + re.escape(SCHEMA.encode()) + rb'",\s*"name":\s*"(?:[^"\\]|\\.)*",'
    rb'\s*"issued":\s*(?:"[^"\\]*"|null),\s*"period":\s*\{\s*"from":\s*(?:"[^"\\]*"|null),'
    rb'\s*"to":\s*"([0-9-]{10})"'
)


def _ends_too_late(path: Path, start: str) -> bool:
    """Whether ``path`` starts like a brief whose period ends on or after ``start`` (a brief of
    this week or a later one). Anything else is read in full by :func:`load`."""
    try:
        fh = _open_regular(path)
        if fh is None:
            return False
        with fh:
            head = fh.read(2048)
    except OSError:
        return False
    found = _HEAD.match(head)
    return found is not None and found.group(1).decode() >= start


def _open_regular(path: Path) -> BinaryIO | None:
    """``path`` open for reading if it is a regular file, else None. Opened without blocking (a
    FIFO must not hang the build) and checked once open, so it cannot be swapped in between."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    fh = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        fh.close()
        return None
    return fh


def load(path: Path, *, max_bytes: int = MAX_BRIEF_BYTES) -> dict[str, Any] | None:
    """brief.json data, or None when ``path`` is not a readable brief: not a regular file, too
    big, not JSON, nested too deeply, or not of the brief.json schema."""
    try:
        fh = _open_regular(path)
        if fh is None:
            return None
        with fh:
            if os.fstat(fh.fileno()).st_size > max_bytes:
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


@without_gc
def compare(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The ``changes`` field of brief.json: ``current`` against ``previous``."""
    period = previous.get("period") or {}
    now, before = _risk_matches(current, previous)
    return {
        "previous": {
            "name": previous.get("name"),
            "from": period.get("from"),
            "to": period.get("to"),
            "issued": previous.get("issued"),
        },
        "new_actors": new_actors(previous, current),
        "new_risks": _risk_items(_unmatched(current, now), current),
        "dropped_risks": _risk_items(_unmatched(previous, before), previous),
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
    """Upcoming dates of ``current`` that ``previous`` did not list: none of the same value with
    the same event, or with an event that shares ``SAME_EVENT_LAST_WEEK`` of the smaller's words.

    Only dates of the same value can match: each value's dates are counted against each other
    at once (:func:`_same_key`), not pair by pair (800,000 dates a week at 100,000 articles).
    """
    now, before = current.get("upcoming", []), previous.get("upcoming", [])
    sets = _Sets(
        *_word_sets([u.get("event", "") for u in now], [p.get("event", "") for p in before])
    )
    events: dict[Any, set[Any]] = defaultdict(set)
    for p in before:
        events[p.get("value")].add(p.get("event"))
    for i, u in enumerate(now):
        if u.get("event") in events.get(u.get("value"), ()):
            sets.matched[0][i] = True
    values = ([(u.get("value"),) for u in now], [(p.get("value"),) for p in before])
    _same_key(sets, *values, SAME_EVENT_LAST_WEEK, both=False)
    titles = _titles(current)
    added = sets.matched[0].tolist()
    return [_date_item(u, titles) for u, found in zip(now, added, strict=True) if not found]


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


def _word_sets(*sides: list[str]) -> list[list[frozenset[str]]]:
    """The content words of each text of each side, worked out once per distinct text."""
    words: dict[str, frozenset[str]] = {}
    out = []
    for texts in sides:
        for text in texts:
            if text not in words:
                words[text] = frozenset(content_words(text))
        out.append([words[text] for text in texts])
    return out


def _unmatched(data: dict[str, Any], matched: list[bool]) -> list[dict[str, Any]]:
    return [r for r, found in zip(data.get("risks", []), matched, strict=True) if not found]


def _risk_actor_names(data: dict[str, Any]) -> dict[str, set[str]]:
    return {a["id"]: _names(a) for a in data.get("actors", [])}


def _risk_matches(these: dict[str, Any], others: dict[str, Any]) -> tuple[list[bool], list[bool]]:
    """For each risk of ``these``, and of ``others``, whether a risk of the other reports it.

    Two risks match when they share a share of the smaller's words, a smaller share when they
    name the same actor. Matching is symmetric, so one pass answers both ways (new risks and
    dropped ones). Comparing every pair grew with the square of the week; instead the pairs at
    the larger share are found through the word pairs they must share (:func:`_share_pairs`),
    and those naming one actor are counted per actor, in arrays (:func:`_same_key`).
    """

    def names_of(data: dict[str, Any]) -> list[set[str]]:
        names = _risk_actor_names(data)
        return [
            set().union(*(names.get(i, set()) for i in r.get("actors", [])))
            for r in data.get("risks", [])
        ]

    texts = ([r.get("text", "") for r in data.get("risks", [])] for data in (these, others))
    sets = _Sets(*_word_sets(*texts))
    _share_pairs(sets, SAME_RISK_LAST_WEEK)
    _same_key(sets, names_of(these), names_of(others), SAME_RISK_LAST_WEEK_SAME_ACTOR)
    return sets.matched[0].tolist(), sets.matched[1].tolist()


def _need(share: float, size: int) -> int:
    """Fewest shared words that make ``share`` of a set of ``size`` words, divided as
    :func:`briefgen.words.overlap` divides, so no rounding lets a match slip."""
    return next(c for c in range(1, size + 1) if c / size >= share)


@functools.lru_cache(maxsize=64)
def _needs(share: float, largest: int) -> npt.NDArray[np.int64]:
    """:func:`_need` for every size up to ``largest``; an empty set needs more than it has."""
    return np.array([1 << 30, *(_need(share, m) for m in range(1, largest + 1))], dtype=np.int64)


class _Sets:
    """The word sets of the two sides, as word ids (rarest word of both sides first), with the
    matches found so far."""

    def __init__(self, first: list[frozenset[str]], second: list[frozenset[str]]) -> None:
        df: Counter[str] = Counter(w for words in (*first, *second) for w in words)
        ids = {w: n for n, w in enumerate(sorted(df, key=lambda w: (df[w], w)))}
        self.width = len(ids)
        self.words = (first, second)
        self.ids = tuple([sorted(ids[w] for w in words) for words in side] for side in self.words)
        self.sizes = tuple(np.array([len(w) for w in side], dtype=np.int64) for side in self.words)
        self.matched = tuple(np.zeros(len(side), dtype=bool) for side in self.words)

    def verify(self, share: float, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> None:
        """Mark the pairs ``(x[i], y[i])`` that share ``share`` of the smaller set."""
        # A pair whose two sets both have a match already can add none.
        open_ = ~(self.matched[0][x] & self.matched[1][y])
        x, y = x[open_], y[open_]
        if not len(x):
            return
        first, second = self.words
        sizes = np.minimum(self.sizes[0][x], self.sizes[1][y])
        need = _needs(share, int(sizes.max()))[sizes].tolist()
        hit = np.array(
            [
                len(first[i] & second[j]) >= k
                for i, j, k in zip(x.tolist(), y.tolist(), need, strict=True)
            ],
            dtype=bool,
        )
        self.matched[0][x[hit]] = True
        self.matched[1][y[hit]] = True


def _pair_codes(
    rows: list[list[int]], lengths: list[int], width: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair of words among the first ``lengths[i]`` of row ``i``, as one int each, with
    the row and the position of the pair's second word."""
    codes, owners, seconds = [], [], []
    by_length: dict[int, list[int]] = defaultdict(list)
    for i, n in enumerate(lengths):
        if n >= 2:
            by_length[n].append(i)
    for n, members in sorted(by_length.items()):
        head = np.array([rows[i][:n] for i in members], dtype=np.int64)
        a, b = np.triu_indices(n, 1)
        codes.append((head[:, a] * width + head[:, b]).ravel())
        owners.append(np.repeat(np.array(members, dtype=np.int64), len(a)))
        seconds.append(np.tile(b.astype(np.int64), len(members)))
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(codes), np.concatenate(owners), np.concatenate(seconds)


def _share_pairs(sets: _Sets, share: float) -> None:
    """Mark the pairs of the two sides that share ``share`` of the smaller set.

    Prefix filtering on word pairs: with each set's words ordered rarest first, two sets that
    must share ``k`` words (``k`` from the smaller, at least two) share the pair of their two
    rarest shared words, and that pair lies among the first ``m - k + 2`` words of each. Each
    set is indexed by its own prefix pairs (its own ``k``); each set probes the other side's
    index with the pairs its own prefix holds for the ``k`` of the smallest set it could meet,
    and keeps what a set no larger than itself answers where the pair lies within its prefix
    for that set's ``k``. Pairs are few where words are not: arrays, joined by sorting, hold
    them (an index of every pair of every set cost 0.7 GB at 20,000 articles).
    """
    if share <= 0.5:
        raise ValueError("word pairs filter shares above one half only")  # k >= 2 from 2 words
    largest = max((int(s.max()) for s in sets.sizes if len(s)), default=0)
    need = _needs(share, largest)
    for side in (0, 1):
        other = 1 - side
        # One-word sets: any set holding their word shares all of them.
        ones: dict[int, list[int]] = defaultdict(list)
        for j, row in enumerate(sets.ids[other]):
            if len(row) == 1:
                ones[row[0]].append(j)
        if ones:
            xs, ys = [], []
            for i, row in enumerate(sets.ids[side]):
                for w in row:
                    for j in ones.get(w, ()):
                        xs.append(i)
                        ys.append(j)
            pair = (np.array(xs, dtype=np.int64), np.array(ys, dtype=np.int64))
            sets.verify(share, *(pair if side == 0 else pair[::-1]))
        sizes, other_sizes = sets.sizes[side], sets.sizes[other]
        if not len(sizes) or not len(other_sizes):
            continue
        own_lengths = [m - int(need[m]) + 2 if m >= 2 else 0 for m in other_sizes.tolist()]
        own, owner, _ = _pair_codes(sets.ids[other], own_lengths, sets.width)
        order = np.argsort(own, kind="stable")
        own, owner = own[order], owner[order]
        present = sorted({m for m in other_sizes.tolist() if m >= 2})
        if not present:
            continue
        probe_lengths = []
        for m in sizes.tolist():
            meets = bisect.bisect_right(present, m) > 0  # a set no larger than itself
            probe_lengths.append(m - int(need[present[0]]) + 2 if meets else 0)
        codes, prober, second = _pair_codes(sets.ids[side], probe_lengths, sets.width)
        lo = np.searchsorted(own, codes, side="left")
        hits = np.searchsorted(own, codes, side="right") - lo
        keep = hits > 0
        lo, hits = lo[keep], hits[keep]
        prober, second = prober[keep], second[keep]
        offsets = np.cumsum(hits) - hits
        at = np.repeat(lo - offsets, hits) + np.arange(int(hits.sum()))
        x, y, b = np.repeat(prober, hits), owner[at], np.repeat(second, hits)
        sx, sy = sizes[x], other_sizes[y]
        # A set no larger than the prober (ties once, from the first side), its pair within
        # the prober's prefix for that set's k.
        fits = (sy <= sx) if side == 0 else (sy < sx)
        fits &= b <= sx - need[sy] + 1
        x, y = x[fits], y[fits]
        pairs = np.unique(x * len(other_sizes) + y)
        x, y = pairs // len(other_sizes), pairs % len(other_sizes)
        sets.verify(share, *((x, y) if side == 0 else (y, x)))


_COMMON = 64  # the commonest words, one bit each: a count of shared ones is one AND
_SMALL_BLOCK = 256  # pairs of risks compared one by one rather than in arrays
_BLOCK = 1 << 22  # pairs of risks counted at once


def _same_key(
    sets: _Sets,
    first: Sequence[Iterable[Hashable]],
    second: Sequence[Iterable[Hashable]],
    share: float,
    *,
    both: bool = True,
) -> None:
    """Mark the pairs of the two sides that have a key in common (an actor's name, a date's
    value) and share ``share`` of the smaller set; with ``both`` false, only the first side's.

    At a low share few words are rare enough to filter on, so every pair with a key in common
    is counted, each key's at once: the words shared among the commonest ones by a bit AND,
    the rarer ones by joining their postings, exactly. Pairs already matched are skipped."""
    keys: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for side, keyed in enumerate((first, second)):
        for i, ks in enumerate(keyed):
            for k in ks:
                keys[k][side].append(i)
    if not keys:
        return
    counts = _Counts(sets, share)
    for xs, ys in keys.values():  # any order: a match is a match
        if not xs or not ys:
            continue
        x, y = np.array(xs, dtype=np.int64), np.array(ys, dtype=np.int64)
        done_x = sets.matched[0][x]
        # The first side's not matched yet against all; then, for the second side's still not
        # matched, the rest.
        counts.mark(x[~done_x], y)
        if both:
            counts.mark(x[done_x], y[~sets.matched[1][y]])


class _Counts:
    """Shared words of many pairs at once: common words as bits, rarer ones as postings."""

    def __init__(self, sets: _Sets, share: float) -> None:
        self.sets, self.share = sets, share
        largest = max((int(s.max()) for s in sets.sizes if len(s)), default=0)
        self.need = _needs(share, largest)
        common = max(sets.width - _COMMON, 0)  # ids are rarest first: the last are commonest
        self.bits = []
        self.rare = []
        for rows in sets.ids:
            bits = np.zeros(len(rows), dtype=np.uint64)
            flat, bounds = [], [0]
            for i, row in enumerate(rows):
                b = 0
                for w in row:
                    if w >= common:
                        b |= 1 << (w - common)
                    else:
                        flat.append(w)
                bits[i] = b
                bounds.append(len(flat))
            self.bits.append(bits)
            self.rare.append((np.array(flat, dtype=np.int64), np.array(bounds, dtype=np.int64)))

    def mark(self, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> None:
        if not len(x) or not len(y):
            return
        sets = self.sets
        if len(x) * len(y) <= _SMALL_BLOCK:
            xx, yy = np.repeat(x, len(y)), np.tile(y, len(x))
            sets.verify(self.share, xx, yy)
            return
        step = max(_BLOCK // len(y), 1)
        for s in range(0, len(x), step):
            self._block(x[s : s + step], y)

    def _entries(
        self, side: int, rows: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        flat, bounds = self.rare[side]
        sizes = bounds[rows + 1] - bounds[rows]
        offsets = np.cumsum(sizes) - sizes
        at = np.repeat(bounds[rows] - offsets, sizes) + np.arange(int(sizes.sum()))
        return flat[at], np.repeat(np.arange(len(rows)), sizes)

    def _block(self, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> None:
        sets = self.sets
        shared = np.bitwise_count(self.bits[0][x][:, None] & self.bits[1][y][None, :])
        shared = shared.astype(np.int64).ravel()
        wx, rx = self._entries(0, x)
        wy, ry = self._entries(1, y)
        order = np.argsort(wy, kind="stable")
        wy, ry = wy[order], ry[order]
        lo = np.searchsorted(wy, wx, side="left")
        hits = np.searchsorted(wy, wx, side="right") - lo
        offsets = np.cumsum(hits) - hits
        at = np.repeat(lo - offsets, hits) + np.arange(int(hits.sum()))
        cells = np.repeat(rx, hits) * len(y) + ry[at]
        shared += np.bincount(cells, minlength=len(x) * len(y))
        shared = shared.reshape(len(x), len(y))
        smaller = np.minimum(sets.sizes[0][x][:, None], sets.sizes[1][y][None, :])
        hit = shared >= self.need[smaller]
        sets.matched[0][x[hit.any(axis=1)]] = True
        sets.matched[1][y[hit.any(axis=0)]] = True


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
