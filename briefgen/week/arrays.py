"""Array helpers the week stages share: distinct values of large int arrays by sorting, values
numbered, and the mentions of the week's actors as columns.

numpy 2.4's ``np.unique`` hashes large int arrays first: 37 s for 20 million ints where one
sort takes 0.3 s. The week stages join records through int codes by the million, so they
take distinct values here.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from briefgen.doc import Actor

Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.signedinteger[Any]]  # int32 where the values fit, else int64


def runs(ordered: Ints) -> tuple[Ints, Ints]:
    """Where each run of equal values of ``ordered`` (sorted, or grouped) begins, and its
    length."""
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(new)
    return starts, np.diff(np.append(starts, len(ordered)))


def places(ordered: Ints) -> Ints:
    """Each value's place (0, 1, ...) in its run of equal values of ``ordered`` (sorted, or
    grouped)."""
    starts, lengths = runs(ordered)
    return np.arange(len(ordered), dtype=np.int64) - np.repeat(starts, lengths)


def distinct(values: Ints) -> Ints:
    """The sorted distinct values: ``np.unique(values)``."""
    ordered = np.sort(values)
    return ordered[runs(ordered)[0]]


def rarest_first(counts: Sequence[int], names: Sequence[str]) -> Ints:
    """Each item's rank when ordered by how many hold it, then by its name: the rarest first.
    Prefix filtering (the risks' clusters, the changes' joins) reads terms in this order."""
    rank = np.empty(len(names), dtype=np.int64)
    rank[sorted(range(len(names)), key=lambda i: (counts[i], names[i]))] = np.arange(len(names))
    return rank


def ranges(starts: Ints, counts: Ints) -> Ints:
    """The positions ``starts[i]``, ``starts[i] + 1``, ... of ``counts[i]`` items for every
    ``i``, one range after the other: rows of a flat array, or the matches of a sorted join."""
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()), dtype=np.int64)


def counted(values: Ints) -> tuple[Ints, Ints]:
    """The sorted distinct values and how often each occurs: ``np.unique(values,
    return_counts=True)``."""
    ordered = np.sort(values)
    starts, lengths = runs(ordered)
    return ordered[starts], lengths


def stable_order(keys: Ints) -> Ints:
    """``np.argsort(keys, kind="stable")``: for non-negative keys, each key and its position
    packed in one int64, all distinct, for numpy's plain sort, several times faster on millions
    of ints than its stable argsort."""
    n = len(keys)
    if not n or keys.min() < 0 or int(keys.max()) >= np.iinfo(np.int64).max // n:
        return np.argsort(keys, kind="stable")
    return np.sort(keys * n + np.arange(n)) % n


def tally(values: Ints) -> tuple[Ints, Ints, Ints]:
    """The sorted distinct values, where each first occurs and how often: ``np.unique``'s
    answer with ``return_index`` and ``return_counts``, by one stable sort."""
    order = stable_order(values)
    ordered = values[order]
    starts, lengths = runs(ordered)
    return ordered[starts], order[starts], lengths


def lookup(slots: Ints, values: Ints, asked: Ints) -> Ints:
    """The value at each asked slot of the sorted ``slots``, -1 where there is none."""
    if not len(slots):
        return np.full(len(asked), -1, np.int64)
    i = np.minimum(np.searchsorted(slots, asked), len(slots) - 1)
    return np.where(slots[i] == asked, values[i], -1)


def last_by_key(keys: Ints, who: Ints, width: int) -> tuple[Ints, Ints]:
    """The distinct ``keys``, sorted, and for each the last ``who`` it comes with, where
    ``who`` (below ``width``) never decreases: its greatest."""
    if len(keys) and int(keys.max()) < (1 << 62) // max(width, 1):
        keys, who = np.divmod(np.sort(keys * width + who), width)
    else:
        by_key = np.argsort(keys, kind="stable")
        keys, who = keys[by_key], who[by_key]
    last = np.ones(len(keys), dtype=bool)
    last[:-1] = keys[1:] != keys[:-1]
    return keys[last], who[last]


def by_mention(
    actors: Sequence[Actor], number: Mapping[str, int], attr: str = "article"
) -> tuple[Ints, Ints]:
    """For every mention of every actor, in order: the ``number`` of its article (of its
    ``attr``; -1 where it has none) and the index of its actor. Millions of mentions, each read
    once, in C."""
    mentions = itertools.chain.from_iterable(a.mentions for a in actors)
    at = np.fromiter(
        map(number.get, map(operator.attrgetter(attr), mentions), itertools.repeat(-1)),
        dtype=np.int64,
    )
    who = np.repeat(np.arange(len(actors), dtype=np.int64), [len(a.mentions) for a in actors])
    return at, who


def codes(values: Iterable[Any], count: int) -> tuple[Ints, list[Any]]:
    """Each of ``count`` values as the index of its first appearance, and the distinct values in
    that order: each value hashed once, in C (the row of a value's first appearance, then its
    index by a gather)."""
    first_of: dict[Any, int] = {}
    first = np.fromiter(map(first_of.setdefault, values, itertools.count()), np.int64, count)
    index = np.empty(count, np.int64)
    index[np.fromiter(first_of.values(), np.int64, len(first_of))] = np.arange(len(first_of))
    return index[first], list(first_of)


@dataclass(frozen=True, slots=True)
class ActorMentions:
    """The mentions of the week's ``actors`` as arrays, read once for every stage that numbers
    their articles or texts its own way: stories by article, risks by the risks' articles and
    by party name, importance by story (3.3 million mentions at 100,000 articles, each walk
    most of a second).

    Each mention in order, actor by actor: its article (``at``, an index into ``articles``),
    its actor (``who``, an index into ``actors``) and its text (``text``, an index into
    ``texts``). :meth:`numbered` and :meth:`said` renumber through a table of the articles or
    texts; made by the actors merge from its columns, or by :meth:`of`. The arrays live through
    the week's stages and hold int32 where the values fit; what they give out is int64.
    """

    actors: Sequence[Actor]
    articles: list[str]
    at: Codes
    who: Codes
    text: Codes
    texts: list[str]

    def __post_init__(self) -> None:
        for name in ("at", "who", "text"):
            values = getattr(self, name)
            if len(values) and int(values.max()) < 1 << 31:
                object.__setattr__(self, name, values.astype(np.int32))

    @classmethod
    def of(cls, actors: Sequence[Actor], read: ActorMentions | None = None) -> ActorMentions:
        """``read``, or the ``actors``' mentions read now."""
        if read is not None:
            return read
        sizes = [len(a.mentions) for a in actors]
        every = list(itertools.chain.from_iterable(a.mentions for a in actors))
        at, articles = codes(map(operator.attrgetter("article"), every), len(every))
        text, texts = codes(map(operator.attrgetter("text"), every), len(every))
        who = np.repeat(np.arange(len(actors), dtype=np.int64), sizes)
        return cls(actors, articles, at, who, text, texts)

    def numbered(self, actors: Sequence[Actor], number: Mapping[str, int]) -> tuple[Ints, Ints]:
        """``by_mention(actors, number)``: from the arrays when ``actors`` are the ones read."""
        if actors is not self.actors:
            return by_mention(actors, number)
        return _through(number, self.articles)[self.at], self.who.astype(np.int64)

    def said(self, actors: Sequence[Actor], number: Mapping[str, int]) -> Ints:
        """The ``number`` of each mention's text (-1 where it has none), as :meth:`numbered`
        orders them."""
        if actors is not self.actors:
            return by_mention(actors, number, "text")[0]
        return _through(number, self.texts)[self.text]


def numbered_mentions(
    actors: Sequence[Actor], number: Mapping[str, int], read: ActorMentions | None
) -> tuple[Ints, Ints]:
    """``by_mention(actors, number)``: from ``read`` when given, else in one walk (not
    :meth:`ActorMentions.of`, which also reads the texts)."""
    return by_mention(actors, number) if read is None else read.numbered(actors, number)


def _through(number: Mapping[str, int], values: list[str]) -> Ints:
    return np.fromiter(map(number.get, values, itertools.repeat(-1)), np.int64, len(values))
