"""What changed since the last brief: new actors, new and no longer reported risks, dates added
and dates passed, from the previous and the current brief.json data.

Briefs are archived by name in the output folder (``brief-2026-W47.json``, ``brief-2026-W48.json``
...), so the previous brief is the one there whose period ends last before the current one
starts. Only brief.json data is read from the previous brief, so a brief from an older
briefgen still works; the current brief is read from the model, as the pipeline builds it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from briefgen.doc import Brief, Changes
from briefgen.render.data import SCHEMA, risk_actor_ids
from briefgen.timex import last_day
from briefgen.week import without_gc
from briefgen.week.arrays import (
    ActorMentions,
    counted,
    distinct,
    lookup,
    places,
    ranges,
    rarest_first,
    runs,
)
from briefgen.words import (
    SAME_EVENT_LAST_WEEK,
    SAME_RISK_LAST_WEEK,
    SAME_RISK_LAST_WEEK_SAME_ACTOR,
    TEXT_END,
    folded_words_all,
    is_content_word,
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


def changes_since(
    previous: dict[str, Any], brief: Brief, *, mentions: ActorMentions | None = None
) -> Changes:
    """What changed from the ``previous`` brief.json data to ``brief`` (``mentions``: its
    actors' mentions, as the merge read them)."""
    return Changes(**compare(previous, view(brief, mentions=mentions)))


@without_gc
def view(brief: Brief, *, mentions: ActorMentions | None = None) -> dict[str, Any]:
    """The few brief.json fields :func:`compare` reads, straight from the model."""

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    actor_ids = risk_actor_ids(brief, mentions)
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

    Only dates of the same value can match: the date's value is the key of :func:`_join`, not
    compared pair by pair (800,000 dates a week at 100,000 articles).
    """
    now, before = current.get("upcoming", []), previous.get("upcoming", [])
    sets = _Sets([u.get("event", "") for u in now], [p.get("event", "") for p in before])
    # Values and events as ints, a date as both: the same value and event is a match.
    value, event = _numbered(now, before, "value"), _numbered(now, before, "event")
    width = max(int(event[0].max(initial=0)), int(event[1].max(initial=0))) + 1
    listed = distinct(value[1] * width + event[1])
    sets.matched[0][lookup(listed, listed, value[0] * width + event[0]) >= 0] = True
    sets.one_way = True  # only whether a current date is matched is read
    _join(sets, SAME_EVENT_LAST_WEEK, *value)
    titles = _titles(current)
    added = sets.matched[0].tolist()
    return [_date_item(u, titles) for u, found in zip(now, added, strict=True) if not found]


def _numbered(
    now: list[dict[str, Any]], before: list[dict[str, Any]], field: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``field`` of the items of both sides as ints, equal where the values are."""
    got = ([u.get(field) for u in now], [p.get(field) for p in before])
    number = {v: i for i, v in enumerate(dict.fromkeys(itertools.chain(*got)))}
    return (
        np.fromiter(map(number.__getitem__, got[0]), np.int64, len(got[0])),
        np.fromiter(map(number.__getitem__, got[1]), np.int64, len(got[1])),
    )


def dates_passed(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Upcoming dates of ``previous`` that are over by the current reference day."""
    period = current.get("period") or {}
    ref = _day(period.get("as_of")) or _day(period.get("from"))
    if ref is None:
        return []
    titles = _titles(previous)
    over: dict[str, bool] = {}  # by value: a week has a few hundred values for 500,000 dates
    passed = []
    for u in previous.get("upcoming", []):
        value = u.get("window_end") or u.get("value") or ""
        if value not in over:
            last = last_day(value)
            over[value] = last is not None and last < ref
        if over[value]:
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


def _unmatched(data: dict[str, Any], matched: list[bool]) -> list[dict[str, Any]]:
    return [r for r, found in zip(data.get("risks", []), matched, strict=True) if not found]


def _risk_actor_names(data: dict[str, Any]) -> dict[str, set[str]]:
    return {a["id"]: _names(a) for a in data.get("actors", [])}


def _risk_names(
    data: dict[str, Any], number: dict[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The names (:func:`_names`) of the actors each risk names, as ints of ``number`` (which
    gains those it lacks): each (name, risk) once, sorted by name, as two arrays. A set of
    names per risk, for 367,000 risks at 100,000 articles, was 0.5 s of Python."""
    row_of: dict[str, int] = {}
    rows: list[list[int]] = []
    for actor, names in _risk_actor_names(data).items():
        row_of[actor] = len(rows)
        rows.append([number.setdefault(n, len(number)) for n in names])
    named = _Rows.of(rows)
    listed = [r.get("actors", []) for r in data.get("risks", [])]
    counts = np.fromiter(map(len, listed), np.int64, len(listed))
    ids = itertools.chain.from_iterable(listed)
    row = np.fromiter(map(row_of.get, ids, itertools.repeat(-1)), np.int64, int(counts.sum()))
    risk = np.repeat(np.arange(len(listed), dtype=np.int64), counts)
    known = row >= 0
    name, at = named.expand(row[known])
    pairs = distinct(name * max(len(listed), 1) + risk[known][at])
    return pairs // max(len(listed), 1), pairs % max(len(listed), 1)


def _risk_matches(these: dict[str, Any], others: dict[str, Any]) -> tuple[list[bool], list[bool]]:
    """For each risk of ``these``, and of ``others``, whether a risk of the other reports it.

    Two risks match when they share a share of the smaller's words, a smaller share when they
    name the same actor. Matching is symmetric, so one pass answers both ways (new risks and
    dropped ones). Comparing every pair grew with the square of the week; instead the pairs are
    found through the words they must share, with the actor's names as keys at the smaller share
    (:func:`_join`).
    """

    texts = ([r.get("text", "") for r in data.get("risks", [])] for data in (these, others))
    sets = _Sets(*texts)
    _join(sets, SAME_RISK_LAST_WEEK)
    number: dict[str, int] = {}
    first, second = (_risk_names(data, number) for data in (these, others))
    _same_key(sets, first, second, SAME_RISK_LAST_WEEK_SAME_ACTOR)
    return sets.matched[0].tolist(), sets.matched[1].tolist()


def _need(share: float, size: int) -> int:
    """Fewest shared words that make ``share`` of a set of ``size`` words, divided as
    :func:`briefgen.words.overlap` divides, so no rounding lets a match slip."""
    return next(c for c in range(1, size + 1) if c / size >= share)


@functools.lru_cache(maxsize=64)
def _needs(share: float, largest: int) -> npt.NDArray[np.int64]:
    """:func:`_need` for every size up to ``largest``; an empty set needs more than it has."""
    return np.array([1 << 30, *(_need(share, m) for m in range(1, largest + 1))], dtype=np.int64)


_COMMON = 64  # the commonest words, one bit each: a count of shared ones is one AND
_CHUNK = 1 << 18  # pairs verified at once: bounds the arrays' memory
_PROBES = 1 << 14  # sets probing an index at once, likewise


class _Rows:
    """Rows of ints (each set's word ids, or its keys) as one flat array with bounds."""

    def __init__(self, flat: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]) -> None:
        self.flat, self.sizes = flat, sizes
        self.bounds = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(sizes)))

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]]) -> _Rows:
        sizes = np.fromiter(map(len, rows), np.int64, len(rows))
        flat = np.fromiter(itertools.chain.from_iterable(rows), np.int64, int(sizes.sum()))
        return cls(flat, sizes)

    def sums(self, each: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Each row's sum of ``each`` (one number per value, in order): differences of one
        running sum (an unsigned sum wraps modulo 2**64, exact for a sum that fits)."""
        total = np.concatenate((np.zeros(1, dtype=each.dtype), np.cumsum(each, dtype=each.dtype)))
        return total[self.bounds[1:]] - total[self.bounds[:-1]]  # type: ignore[no-any-return]

    def owners(self) -> npt.NDArray[np.int64]:
        """The row of each value."""
        return np.repeat(np.arange(len(self.sizes), dtype=np.int64), self.sizes)

    def expand(
        self, rows: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The values of the given rows, in order, and for each the index into ``rows``."""
        sizes = self.sizes[rows]
        at = ranges(self.bounds[rows], sizes)
        return self.flat[at], np.repeat(np.arange(len(rows), dtype=np.int64), sizes)


class _Sets:
    """The content words of the texts of two sides, as sets of word ids (rarest word of both
    sides first, each set's words in that order), with the matches found so far.

    Each set is also kept as the bits of the ``_COMMON`` commonest words it holds (a count of
    those shared is one AND) and the rest of its words, the rarer ones; those of the first
    side's sets also as codes ``set * width + word``, to look pairs up. Words are ids in
    arrays from the start: a Python set of strings per text took a gigabyte at 100,000
    articles."""

    def __init__(self, first: Sequence[str], second: Sequence[str]) -> None:
        vocabulary: dict[str, int] = {}  # a word's provisional id; -1 for a word that is no content
        vocab: list[str] = []  # the content words, by provisional id
        sides = [_word_ids(texts, vocabulary, vocab) for texts in (first, second)]
        del vocabulary
        # Ids by how many sets hold the word, then the word: rarest first.
        df = np.bincount(np.concatenate([flat for flat, _ in sides]), minlength=len(vocab))
        rank = rarest_first(df.tolist(), vocab)
        self.width = max(len(vocab), 1)
        rows = []
        for flat, sizes in sides:
            owners = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
            # Sorting set * width + word orders each set's words and keeps the sets in order.
            flat = np.sort(owners * self.width + rank[flat]) - owners * self.width
            rows.append(_Rows(flat, sizes))
        self.rows = (rows[0], rows[1])
        self.sizes = (rows[0].sizes, rows[1].sizes)
        self.largest = max((int(s.max()) for s in self.sizes if len(s)), default=0)
        self.matched = tuple(np.zeros(len(s), dtype=bool) for s in self.sizes)
        # Whether only the first side's matches are wanted: a pair whose first set is matched
        # is then settled, and a matched first set neither probes nor is looked up any more.
        self.one_way = False
        common = max(self.width - _COMMON, 0)  # ids are rarest first: the last are commonest
        self.bits = tuple(_bits(r, common) for r in self.rows)
        self.rare = tuple(_rare(r, common) for r in self.rows)
        self.buckets = tuple(_Buckets(r) for r in self.rare)
        # Ascending, since sets come in order and each set's words sorted.
        self.codes = self.rare[0].owners() * self.width + self.rare[0].flat

    def unsettled(
        self, side: int, rows: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """``lengths`` (of the prefixes of sets ``rows`` of ``side``) with 0 for a set whose
        pairs are all settled: a matched set of the first side, one way."""
        if not self.one_way or side != 0:
            return lengths
        return np.where(self.matched[0][rows], 0, lengths)

    def verify(self, share: float, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> None:
        """Mark the pairs ``(x[i], y[i])``, sorted by ``x``, that share ``share`` of the smaller
        set.

        A set needs one match, not all: each set's first pair is verified first, then its
        second, then the next two, four and so on, and before each round the pairs whose two
        sets are both matched by now are dropped (most, where most sets have a match).
        """
        if not len(x):
            return
        rank = places(x)  # each pair's place among its set's
        low = 0
        while low <= int(rank.max()):
            high = 2 * low + 1
            now = (rank >= low) & (rank < high)
            self._verify(share, x[now], y[now])
            low = high

    def _verify(self, share: float, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> None:
        open_ = ~self.matched[0][x]
        if not self.one_way:
            open_ |= ~self.matched[1][y]
        x, y = x[open_], y[open_]
        if not len(x):
            return
        need = _needs(share, self.largest)[np.minimum(self.sizes[0][x], self.sizes[1][y])]
        # Common words shared settle most pairs: enough already, or too few for the rarer
        # words left to make up. Only the rest look their rarer words up.
        shared = np.bitwise_count(self.bits[0][x] & self.bits[1][y]).astype(np.int64)
        done = shared >= need
        most = shared + self.buckets[0].most(self.buckets[1], x, y)
        rest = np.flatnonzero(~done & (most >= need))
        for s in range(0, len(rest), _CHUNK):
            at = rest[s : s + _CHUNK]
            # Each rarer word of ``y`` as the code of ``(x, word)``: pairs sorted by ``x`` walk
            # the codes forward (in random order the lookups cost many times more).
            words, pair = self.rare[1].expand(y[at])
            wanted = x[at][pair] * self.width + words
            found = np.minimum(np.searchsorted(self.codes, wanted), len(self.codes) - 1)
            rare = np.bincount(pair[self.codes[found] == wanted], minlength=len(at))
            done[at] = shared[at] + rare >= need[at]
        self.matched[0][x[done]] = True
        self.matched[1][y[done]] = True


_TEXTS = 1 << 15  # texts whose words are looked up at once: bounds the word lists' memory
_END = -3  # the id of TEXT_END


def _word_ids(
    texts: Sequence[str], vocabulary: dict[str, int], vocab: list[str]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each text's content words (:func:`~briefgen.words.content_words`) as distinct ids of
    ``vocabulary``, which gains the words it lacks (-1 for a word that is no content word; the
    others also join ``vocab``, the words by id): the ids of all texts in one flat array, and
    the number of each text's.

    The words of 870,000 texts at 100,000 articles: each word is looked up in C
    (``map(vocabulary.get, ...)``), and only a word not seen before takes a Python step."""
    vocabulary.setdefault(TEXT_END, _END)
    flats, sizes = [], []
    for start in range(0, len(texts), _TEXTS):
        words = folded_words_all(texts[start : start + _TEXTS])
        ids = np.fromiter(map(vocabulary.get, words, itertools.repeat(-2)), np.int64, len(words))
        new = np.flatnonzero(ids == -2).tolist()
        for w in (words[i] for i in new):
            if w not in vocabulary:
                if is_content_word(w):
                    vocabulary[w] = len(vocab)
                    vocab.append(w)
                else:
                    vocabulary[w] = -1
        ids[new] = [vocabulary[words[i]] for i in new]
        del words
        ends = ids == _END
        owners = np.cumsum(ends) - ends  # the text of each word: how many texts ended before
        keep = ids >= 0
        codes = distinct((owners[keep] << 32) | ids[keep])  # one id per word of a text
        flats.append(codes & 0xFFFFFFFF)
        sizes.append(np.bincount(codes >> 32, minlength=int(ends.sum())))
    if not flats:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(flats), np.concatenate(sizes).astype(np.int64)


def _bits(rows: _Rows, common: int) -> npt.NDArray[np.uint64]:
    """For each row, a bit for each of its words from ``common`` on (at most 64 of them)."""
    flat = rows.flat
    bit = np.where(
        flat >= common,
        np.left_shift(np.uint64(1), (flat - common).clip(0).astype(np.uint64)),
        np.uint64(0),
    )
    # A row's words are distinct, so the OR of their bits is their sum.
    return rows.sums(bit)


class _Buckets:
    """Each row's values in 64 buckets (by value modulo 64), as planes of bits: plane ``k``
    has the buckets holding more than ``k`` of the row's values.

    Two rows share at most, bucket by bucket, the smaller of their numbers of values there; the
    ANDs of their planes add up to that. Of the 12 million pairs at 100,000 articles whose
    common words left them open, this bound settles all but half a million without looking a
    word up. Planes stop at ``_PLANES``; the values past them count as shared, up to the
    fewer of the two rows'.
    """

    def __init__(self, rows: _Rows) -> None:
        code = np.sort(rows.owners() * 64 + rows.flat % 64)  # row by row, as ``rows`` is
        depth = places(code)  # each value's place in its bucket
        bit = np.left_shift(np.uint64(1), (code % 64).astype(np.uint64))
        zero = np.uint64(0)
        self.planes = [
            rows.sums(np.where(depth == k, bit, zero))
            for k in range(min(int(depth.max(initial=-1)) + 1, _PLANES))
        ]
        self.past: npt.NDArray[np.int64] = rows.sums((depth >= _PLANES).astype(np.int64))

    def most(
        self, other: _Buckets, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """For each pair of rows ``(x[i], y[i])`` of this and ``other``: at most how many
        values they share."""
        most: npt.NDArray[np.int64] = np.minimum(self.past[x], other.past[y])
        for mine, theirs in zip(self.planes, other.planes, strict=False):
            most += np.bitwise_count(mine[x] & theirs[y])
        return most


_PLANES = 8  # buckets' planes kept: a row with more values in one bucket is rare


def _rare(rows: _Rows, common: int) -> _Rows:
    """Each row's values below ``common``."""
    keep = rows.flat < common
    return _Rows(rows.flat[keep], np.bincount(rows.owners()[keep], minlength=len(rows.sizes)))


def _keys(
    first: npt.NDArray[np.int64] | None,
    second: npt.NDArray[np.int64] | None,
    sets: _Sets,
) -> tuple[tuple[_Rows, _Rows], int]:
    """Each set's key as a row, and how many keys there are; without keys, the one key 0."""
    if first is None or second is None:
        first, second = (np.zeros(len(sizes), dtype=np.int64) for sizes in sets.sizes)
    count = max(int(first.max(initial=0)), int(second.max(initial=0))) + 1
    rows = tuple(_Rows(keys, np.ones(len(keys), dtype=np.int64)) for keys in (first, second))
    return (rows[0], rows[1]), count


def _join(
    sets: _Sets,
    share: float,
    first: npt.NDArray[np.int64] | None = None,
    second: npt.NDArray[np.int64] | None = None,
) -> None:
    """Mark the pairs of the two sides that share ``share`` of the smaller set and, given a key
    (an int) for each set of each side (``first``, ``second``: a date's value), the key.

    Prefix filtering: with each set's words ordered rarest first, two sets that must share
    ``k`` words (``k`` from the smaller) share their rarest shared word among the first
    ``m - k + 1`` words of each, and, when ``k`` is two or more, the pair of their two rarest
    shared words among the first ``m - k + 2``. So where one shared word is enough (small
    sets), a shared (key, word) is a match. Otherwise each set is indexed by its own prefix's
    word pairs (for its own ``k``), with each of its keys; each set probes the other side's
    index with the pairs its prefix holds for the ``k`` of the smallest set it could meet, and
    keeps what a set no larger than itself answers where the pair lies within its prefix for
    that set's ``k``. The few pairs left are verified. Arrays, joined by sorting, hold it all:
    comparing every pair with a key in common grew with the square of the week (2 billion
    pairs at 100,000 articles), and a Python index of every word pair would not fit in memory.
    """
    if not sets.largest:
        return
    need = _needs(share, sets.largest)
    ones = int(np.count_nonzero(need[1:] == 1))  # sets up to this size match on one word
    keys, count = _keys(first, second, sets)
    for side in (0, 1):
        other = 1 - side
        sizes, other_sizes = sets.sizes[side], sets.sizes[other]
        if not len(sizes) or not len(other_sizes):
            return
        # Pairs whose smaller set needs one word: a set and a small set of the other side.
        small = np.flatnonzero((other_sizes >= 1) & (other_sizes <= ones))
        if len(small):
            lengths = sets.unsettled(other, small, other_sizes[small])
            found = _prefix_codes(sets, other, small, lengths, keys[other], 1)
            index = _Index(*found[:3], sets.width, count)
            for chunk in _chunks(len(sizes)):
                lengths = sets.unsettled(side, chunk, sizes[chunk])
                codes, keyed, owner, _ = _prefix_codes(sets, side, chunk, lengths, keys[side], 1)
                e, at = index.lookup(codes, keyed)
                sets.matched[side][owner[e]] = True
                sets.matched[other][index.owner[at]] = True
        larger = other_sizes[other_sizes > ones]
        if not len(larger):
            continue
        least = int(larger.min())  # the smallest set a set could meet, with the longest prefix
        lengths = np.where(other_sizes > ones, other_sizes - need[other_sizes] + 2, 0)
        every = np.arange(len(other_sizes), dtype=np.int64)
        lengths = sets.unsettled(other, every, lengths)
        found = _prefix_codes(sets, other, every, lengths, keys[other], 2)
        # Each signature with its set's size, so that a probe asks only for the sizes it can
        # meet where it lies: a set no larger than the prober (ties once, from the first side),
        # whose k leaves the signature within the prober's prefix. (Filtered after the join,
        # four hits in five were dropped.)
        span = sets.largest + 1
        signed = found[0] * span + other_sizes[found[2]]
        index = _Index(signed, found[1], found[2], sets.width**2 * span, count, granule=span)
        del found, signed
        # reach[n]: the largest size whose k is at most n.
        reach = np.searchsorted(need[1:], np.arange(sets.largest + 3), side="right")
        probe = np.where((sizes > ones) & (sizes >= least), sizes - int(need[least]) + 2, 0)
        for chunk in _chunks(len(sizes)):
            lengths = sets.unsettled(side, chunk, probe[chunk])
            codes, keyed, owner, last = _prefix_codes(sets, side, chunk, lengths, keys[side], 2)
            sx = sizes[owner]
            top = np.minimum(sx if side == 0 else sx - 1, reach[sx - last + 1])
            e, at = index.lookup(codes * span, keyed, upto=codes * span + top)
            x, y = owner[e], index.owner[at]
            # A chunk's probers are its own, so its candidates are verified at once: holding
            # every chunk's (20 million dates at 100,000 articles) took a gigabyte.
            n_second = len(sets.sizes[1])
            candidates = distinct(x * n_second + y if side == 0 else y * n_second + x)
            sets.verify(share, candidates // n_second, candidates % n_second)


class _Index:
    """Entries ``(key, code, owner)`` sorted by key and code, to look codes up with their key.

    Key and code make one int64; should they not fit (keys times codes past 2**62, far beyond
    a real week), the keys are taken in batches that do. A probe asks for one code or a range
    of codes within one ``granule`` (codes of one signature with the sizes of its sets).

    Most probes find nothing (four in five at 100,000 articles): a table of the granules
    present, hashed, turns most of them away before the probes are sorted and searched."""

    def __init__(
        self,
        codes: npt.NDArray[np.int64],
        keys: npt.NDArray[np.int64],
        owner: npt.NDArray[np.int64],
        base: int,
        count: int,
        *,
        granule: int = 1,
    ) -> None:
        self.base = base
        self.span = max((1 << 62) // base, 1)  # keys per batch
        self.parts = -(-count // self.span)
        batch, combined = np.divmod(keys, self.span)
        combined = combined * base + codes
        order = np.argsort(combined) if self.parts == 1 else np.lexsort((combined, batch))
        self.codes, self.owner = combined[order], owner[order]
        self.bounds = np.searchsorted(batch[order], np.arange(self.parts + 1)).tolist()
        self.present = _Seen(self.codes, granule)

    def lookup(
        self,
        codes: npt.NDArray[np.int64],
        keys: npt.NDArray[np.int64],
        *,
        upto: npt.NDArray[np.int64] | None = None,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Each match of a probe ``(keys[i], codes[i])`` in the index, or of any code from
        ``codes[i]`` to ``upto[i]``: ``i`` and the entry."""
        batch, combined = np.divmod(keys, self.span)
        combined = combined * self.base
        probes, entries = [], []
        for part in range(self.parts):
            lo, hi = self.bounds[part], self.bounds[part + 1]
            mine = np.flatnonzero(batch == part) if self.parts > 1 else np.arange(len(codes))
            first = combined[mine] + codes[mine]
            held = self.present.holds(first)
            first, mine = first[held], mine[held]
            # Probes in order walk the index forward: in random order they cost many times more.
            order = np.argsort(first)
            first, order = first[order], mine[order]
            index = self.codes[lo:hi]
            start = np.searchsorted(index, first, side="left")
            last = first if upto is None else combined[order] + upto[order]
            hits = np.searchsorted(index, last, side="right") - start
            probes.append(np.repeat(order, hits))
            entries.append(lo + ranges(start, hits))
        return np.concatenate(probes), np.concatenate(entries)


class _Seen:
    """Which granules (``value // granule``) some of the given values fall in, as a table of
    hashed bits, 16 to a granule: :meth:`holds` is True for every value in one of them, and
    for about one in sixteen others. Taken in blocks, it holds 16 MB at most for the 5 million
    signatures of 100,000 articles, and its work arrays little more."""

    def __init__(self, values: npt.NDArray[np.int64], granule: int) -> None:
        self.granule = granule
        self.bits = min(max((len(values) * 16).bit_length(), 12), 28)
        self.table = np.zeros(1 << (self.bits - 6), dtype=np.uint64)
        for s in range(0, len(values), _CHUNK):
            spot = self._hashed(values[s : s + _CHUNK])
            bit = np.left_shift(np.uint64(1), spot & np.uint64(63))
            np.bitwise_or.at(self.table, spot >> np.uint64(6), bit)

    def holds(self, values: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        held = np.empty(len(values), dtype=bool)
        for s in range(0, len(values), _CHUNK):
            spot = self._hashed(values[s : s + _CHUNK])
            word = self.table[spot >> np.uint64(6)]
            held[s : s + _CHUNK] = (word >> (spot & np.uint64(63))) & np.uint64(1)
        return held

    def _hashed(self, values: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        # Fibonacci hashing: multiply by 2**64 over the golden ratio, keep the top bits.
        spread = (values // self.granule).view(np.uint64)
        spread *= np.uint64(0x9E3779B97F4A7C15)
        spread >>= np.uint64(64 - self.bits)
        return spread


def _prefix_codes(
    sets: _Sets,
    side: int,
    rows: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    keys: _Rows,
    words: int,
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    """Each word (``words`` 1) or pair of words (2) among the first ``lengths[i]`` words of set
    ``rows[i]``, as one int, with each of the set's keys: the signatures, their keys, their
    sets, and the position of each signature's last word."""
    flat, bounds, width = sets.rows[side].flat, sets.rows[side].bounds, sets.width
    codes, owners, lasts = [], [], []
    for n in sorted(set(lengths.tolist())):
        if n < words:
            continue
        members = rows[lengths == n]
        head = flat[bounds[members][:, None] + np.arange(n)]
        if words == 1:
            a = b = np.arange(n)
            codes.append(head.ravel())
        else:
            a, b = np.triu_indices(n, 1)
            codes.append((head[:, a] * width + head[:, b]).ravel())
        owners.append(np.repeat(members, len(a)))
        lasts.append(np.tile(b.astype(np.int64), len(members)))
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    owner = np.concatenate(owners)
    if len(keys.flat) == len(keys.sizes) and bool((keys.sizes == 1).all()):
        # One key a set (risks have none, so 0; a date has its value): nothing to repeat.
        return np.concatenate(codes), keys.flat[owner], owner, np.concatenate(lasts)
    keyed, at = keys.expand(owner)
    return np.concatenate(codes)[at], keyed, owner[at], np.concatenate(lasts)[at]


def _chunks(n: int) -> Iterator[npt.NDArray[np.int64]]:
    for start in range(0, n, _PROBES):
        yield np.arange(start, min(start + _PROBES, n), dtype=np.int64)


_FEW = 4096  # pairs of a key verified with the other small keys' rather than counted in blocks
_BLOCK = 1 << 22  # pairs counted at once


def _same_key(
    sets: _Sets,
    first: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    second: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]],
    share: float,
) -> None:
    """Mark the pairs of the two sides that have a key in common (an actor's name) and share
    ``share`` of the smaller set; each side's keys as (key, set) pairs sorted by key.

    At a low share few words are rare enough to filter on: two sentences share a few common
    words by chance, and single words with the key beside them let through more pairs than
    there are (290 million hits at 100,000 articles). So every pair with a key in common is
    counted: a large key's at once, in blocks (the words shared among the commonest ones by a
    bit AND, the rarer ones by joining their postings, exactly); the pairs of all the small
    keys together, verified. Pairs already matched are skipped."""
    (kx, sx), (ky, sy) = first, second
    if not len(kx) or not len(ky):
        return
    starts_x, lengths_x = runs(kx)
    starts_y, lengths_y = runs(ky)
    # The keys of both sides: each first-side key's run on the second side.
    at = np.minimum(np.searchsorted(ky[starts_y], kx[starts_x]), len(starts_y) - 1)
    both = np.flatnonzero(ky[starts_y][at] == kx[starts_x])
    bx, nx = starts_x[both], lengths_x[both]
    by, ny = starts_y[at[both]], lengths_y[at[both]]
    n_second = len(sets.sizes[1])
    few = nx * ny <= _FEW
    # The small keys' pairs all at once: pair ``o`` of a key is (o // ny, o % ny) of its sets.
    cells = nx[few] * ny[few]
    if len(cells):
        o = ranges(np.zeros(len(cells), dtype=np.int64), cells)
        wide = np.repeat(ny[few], cells)
        x = sx[np.repeat(bx[few], cells) + o // wide]
        y = sy[np.repeat(by[few], cells) + o % wide]
        pairs = distinct(x * n_second + y)
        del o, wide, x, y
    counts = _Counts(sets, share)
    large = np.flatnonzero(~few).tolist()
    for k in large:  # any order: a match is a match
        x = sx[bx[k] : bx[k] + nx[k]]
        y = sy[by[k] : by[k] + ny[k]]
        done_x = sets.matched[0][x]
        # The first side's not matched yet against all; then, for the second side's still not
        # matched, the rest.
        counts.mark(x[~done_x], y)
        counts.mark(x[done_x], y[~sets.matched[1][y]])
    if len(cells):
        sets.verify(share, pairs // n_second, pairs % n_second)


class _Counts:
    """Shared words of many pairs at once: common words as bits, rarer ones as postings."""

    def __init__(self, sets: _Sets, share: float) -> None:
        self.sets = sets
        need = _needs(share, sets.largest)
        # What a pair needs is what its smaller set needs (needs grow with the size).
        self.need = [need[sizes].astype(np.int32) for sizes in sets.sizes]
        # The needs as bytes, to compare with counts of common words (at most 64) without a
        # cast: a need past 255 is met by none of them either way.
        self.low = [np.minimum(n, 255).astype(np.uint8) for n in self.need]

    def mark(self, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]) -> None:
        if not len(x) or not len(y):
            return
        sets = self.sets
        # The second side's part is the same for every block: its bits, its needs, its rarer
        # words sorted to be joined.
        ys = _Side(sets.bits[1][y], self.need[1][y], self.low[1][y], *sets.rare[1].expand(y))
        order = np.argsort(ys.words)
        ys.words, ys.rows = ys.words[order], ys.rows[order]
        step = max(_BLOCK // len(y), 1)
        for s in range(0, len(x), step):
            self._block(x[s : s + step], y, ys)

    def _block(self, x: npt.NDArray[np.int64], y: npt.NDArray[np.int64], ys: _Side) -> None:
        sets = self.sets
        shared = np.bitwise_count(sets.bits[0][x][:, None] & ys.bits[None, :])
        need = self.need[0][x]
        # A pair needs what its smaller set needs: at least one of the two needs is met.
        hit = shared >= self.low[0][x][:, None]
        hit |= shared >= ys.low[None, :]
        # The rarer words add to the few cells that share one: postings joined by sorting.
        wx, rx = sets.rare[0].expand(x)
        lo = np.searchsorted(ys.words, wx, side="left")
        hits = np.searchsorted(ys.words, wx, side="right") - lo
        if hits.any():
            at = ranges(lo, hits)
            cell, rare = counted(np.repeat(rx, hits) * len(y) + ys.rows[at])
            least = np.minimum(need[cell // len(y)], ys.need[cell % len(y)])
            hit.ravel()[cell[shared.ravel()[cell] + rare >= least]] = True
        sets.matched[0][x[hit.any(axis=1)]] = True
        sets.matched[1][y[hit.any(axis=0)]] = True


class _Side:
    """The second side's sets of a block: their common words' bits, their needs, and their
    rarer words with the row of each."""

    def __init__(
        self,
        bits: npt.NDArray[np.uint64],
        need: npt.NDArray[np.int32],
        low: npt.NDArray[np.uint8],
        words: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int64],
    ) -> None:
        self.bits, self.need, self.low, self.words, self.rows = bits, need, low, words, rows


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
