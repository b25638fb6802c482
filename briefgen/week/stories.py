"""Stories: the week's articles that report the same event, grouped, with one summary each.

Grouping stays near-linear in the number of articles (sparse nearest neighbours): each article
is reduced to its few most distinctive terms (tf-idf) and the people, bodies and places it names,
an inverted index over those yields the pairs worth comparing, and only those are compared
(tf-idf cosine of the words, blended with that of the named actors, discounted gently by the
days between them), then joined by average-link clustering. A developing story is reported
days apart and in other words, but by the same people: the shared names carry it.

A story's title is a headline: its lead article's title, or, when the article had none (the
title is then its first line), one made from its lead sentence without the dateline. A story's
summary walks its articles' summaries, lead article first, and skips any sentence that mostly
repeats what was said.

``briefgen eval summaries --bench-grouping N`` times grouping on N synthetic articles.
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import functools
import itertools
import math
import operator
import os
import queue
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt

from briefgen.doc import Actor, Analysis, Article, Story, SummarySentence
from briefgen.ingest.headline import headline
from briefgen.week import arrays, in_two_threads, without_gc
from briefgen.words import (
    STOPWORDS,
    STORY_REPEAT,
    TEXT_END,
    known_stems,
    learn_stems,
    lowered_words,
    stem,
    words_all,
    words_of,
)

KEYWORDS = 24  # distinctive terms per article that go into the inverted index
MIN_SHARED = 2  # candidate pairs share at least this many of them
SIMILARITY = 0.35  # mean affinity at which articles report the same event
NAMES_SHARE = 0.5  # the named actors' part of the affinity (the words' is the rest)
# Two groups join through their closest pair (at least SIMILARITY) when all their pairs are on
# average at least this share of it alike: a developing story brings in new people and words
# (a vote on repair money after the cracks in the dam), so its later reports are less alike
# to its first than to the one before, yet the group as a whole stays together.
COHESION = 0.6
MAX_DAYS = 14  # a story's dated articles span at most this many days
DAY_SCALE = 14  # affinity halves at this many days between two articles
UNDATED_GAP = 1  # days assumed between two articles when either has no date
MAX_POSTING = 200  # a term in this many articles names no single story
SUMMARY_SENTENCES = 4


def _terms(text: str) -> list[str]:
    return list(_term_counts(text).elements())


# A word's term ("" for none), worked out once per word: a week's summaries repeat their words.
_TERM_OF: dict[str, str] = {}


def _term_set(text: str) -> set[str]:
    """The distinct terms of ``text`` (``set(_terms(text))`` without counting them)."""
    words = words_of(text.lower())
    try:  # a week's summaries repeat their words: nearly every word's term is known
        terms = set(map(_TERM_OF.__getitem__, words))
    except KeyError:
        for low in set(words).difference(_TERM_OF):
            _TERM_OF[low] = (
                stem(low) if len(low) > 2 and low not in STOPWORDS and not low.isdigit() else ""
            )
        terms = set(map(_TERM_OF.__getitem__, words))
    terms.discard("")
    return terms


def _term_counts(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for low, k in Counter(words_of(text.lower())).items():
        if len(low) > 2 and low not in STOPWORDS and not low.isdigit():
            out[stem(low)] += k
    return out


@dataclass(frozen=True, slots=True)
class _Vectors:
    """Unit-length tf-idf vectors, one row per article, held as arrays (compressed sparse rows):
    row ``i`` is ``terms[bounds[i]:bounds[i + 1]]`` with ``weights`` alike, its terms in the order
    the article first uses them, which is the order a cosine sums them in (the same floats as
    one dict per article, at a tenth of the memory)."""

    bounds: npt.NDArray[np.int64]
    terms: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float64]
    keywords: npt.NDArray[np.int64]  # each row's most distinctive terms, padded with -1
    width: int  # number of distinct terms

    def row(self, i: int) -> dict[int, float]:
        s, e = int(self.bounds[i]), int(self.bounds[i + 1])
        return dict(zip(self.terms[s:e].tolist(), self.weights[s:e].tolist(), strict=True))


def _vectors(articles: Sequence[Article]) -> _Vectors:
    return _text_vectors((f"{a.title}\n{a.text}" for a in articles), len(articles))


@without_gc
def _text_vectors(texts: Iterator[str], n: int) -> _Vectors:
    """The vectors of ``n`` texts (each an article's title and text), read once in order."""
    # A word's term (-1 for none), worked out once per distinct word of the week. A block of
    # texts is split at once, its words looked up in C (a map over the dict) and the words
    # that share a term summed in arrays, not one by one in Python (30 million words at
    # 100,000 articles).
    term_of: dict[str, int] = {TEXT_END: _END}
    vocabulary: dict[str, int] = {}
    lengths: list[int] = []
    terms = array.array("i")
    counts = array.array("i")
    rest = iter(texts)
    while block := list(itertools.islice(rest, _BLOCK)):
        words = words_all(block, lowered_words)
        ids = np.fromiter(map(term_of.get, words, itertools.repeat(_NEW)), np.int64, len(words))
        new = np.flatnonzero(ids == _NEW).tolist()
        for low in (words[i] for i in new):  # in order of first use, so term ids are too
            if low not in term_of:
                t = -1
                if len(low) > 2 and low not in STOPWORDS and not low.isdigit():
                    t = vocabulary.setdefault(stem(low), len(vocabulary))
                term_of[low] = t
        ids[new] = [term_of[words[i]] for i in new]
        del words
        sizes, block_terms, block_counts = _rows(ids, len(block), len(vocabulary))
        lengths += sizes
        terms.frombytes(block_terms.astype(np.int32).tobytes())
        counts.frombytes(block_counts.astype(np.int32).tobytes())
    return _tfidf(lengths, terms, counts, vocabulary)


_END = -2  # the term of TEXT_END, which ends each text's words
_NEW = -3  # a word not looked up before


def _rows(
    ids: npt.NDArray[np.int64], texts: int, width: int
) -> tuple[list[int], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each text's terms in order of first use, with the number of its words that have each
    (as a dict per text would), from the terms of its words (``-1``: no term), each text's
    followed by ``_END``: the number of each text's terms, then its terms and counts, flat."""
    kept = np.flatnonzero(ids >= 0)
    # Each kept word's text: each text's kept words are those before its end.
    per_text = np.diff(np.searchsorted(kept, np.flatnonzero(ids == _END)), prepend=0)
    term, row = ids[kept], np.repeat(np.arange(texts, dtype=np.int64), per_text)
    # One sort of (text, term, place) keys packed in an int64 (a stable sort by text and term,
    # at a fraction of its cost): each run is a text's words of one term, the first first.
    bits = len(term).bit_length()
    if not len(term) or (texts * max(width, 1)) << bits >= 1 << 63:
        return _stable_rows(row, term, texts, width)
    packed = ((row * width + term) << bits) | np.arange(len(term))
    packed.sort()
    starts, sizes = arrays.runs(packed >> bits)
    # Each run's first word's place and the run's length, packed, sorted by place: the
    # texts' terms in order of first use, with their counts.
    low = (1 << bits) - 1
    firsts = ((packed[starts] & low) << bits) | sizes
    firsts.sort()
    at = firsts >> bits
    return np.bincount(row[at], minlength=texts).tolist(), term[at], firsts & low


def _stable_rows(
    row: npt.NDArray[np.int64], term: npt.NDArray[np.int64], texts: int, width: int
) -> tuple[list[int], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """:func:`_rows`' answer from each word's text and term, by a stable sort: for keys too
    wide to pack with their places."""
    key = row * max(width, 1) + term
    order = np.argsort(key, kind="stable")
    starts, sizes = arrays.runs(key[order])
    summed = np.zeros(len(term), dtype=np.int64)
    summed[order[starts]] = sizes
    first = summed > 0
    return np.bincount(row[first], minlength=texts).tolist(), term[first], summed[first]


def _name_vectors(names: Sequence[Collection[str]]) -> _Vectors:
    """Each article's named actors, weighted by how few articles name them."""
    # Numbered in order of first use, each row in its set's order: in C, over millions of names.
    rows = list(map(set, names))
    flat = list(itertools.chain.from_iterable(rows))
    vocabulary = {w: k for k, w in enumerate(dict.fromkeys(flat))}
    terms = array.array("i", map(vocabulary.__getitem__, flat))
    lengths = list(map(len, rows))
    return _tfidf(lengths, terms, array.array("i", [1]) * len(terms), vocabulary)


def _int32(values: array.array[int]) -> npt.NDArray[np.int32]:
    return np.frombuffer(values, dtype=np.int32) if len(values) else np.zeros(0, dtype=np.int32)


_BLOCK = 512  # texts whose words are split, looked up and summed at once (kept in the caches)
# Rows whose keywords are sorted at once: the worker's memory peaks beside the merge's.
_KEYWORD_ROWS = 4096


def _tfidf(
    lengths: list[int],
    row_terms: array.array[int],
    counts: array.array[int],
    vocabulary: dict[str, int],
) -> _Vectors:
    """Rows of term ids (flat, ``lengths`` long each, with their counts) as unit-length tf-idf
    vectors and keywords.

    Every float is the one a term-by-term loop gives: the factors are worked out in Python once
    per term and per count, multiplied and divided elementwise (IEEE, as Python does), and
    each norm summed in order.
    """
    n = len(lengths)
    sizes = np.array(lengths, dtype=np.int64)
    bounds = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    terms = _int32(row_terms)
    width = len(vocabulary)
    df = np.bincount(terms, minlength=width).tolist()
    # Smoothed idf: in a small week the terms a story shares are in many of its articles.
    idf = np.array([math.log((1 + n) / (1 + k)) + 1 for k in df], dtype=np.float64)
    top = int(_int32(counts).max(initial=0))
    tf = np.array([0.0, *(1 + math.log(k) for k in range(1, top + 1))], dtype=np.float64)
    raw = tf[_int32(counts)] * idf[terms]
    ends = bounds.tolist()
    # Each norm is math.sqrt(sum(x * x for x in row)) or 1.0: bincount adds in order as sum
    # does, and the square root is correctly rounded in both.
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n), sizes), raw * raw, minlength=n))
    norms[norms == 0.0] = 1.0
    weights = raw / np.repeat(norms, sizes)
    # Keywords: the highest weights of each row, ties by the term's text.
    alphabetical = np.empty(width, dtype=np.int64)
    alphabetical[[vocabulary[t] for t in sorted(vocabulary)]] = np.arange(width)
    keywords = np.full((n, KEYWORDS), -1, dtype=np.int64)
    count = _int32(counts)
    table = _weight_table(tf, idf, count)
    for first in range(0, n, _KEYWORD_ROWS):
        last = min(first + _KEYWORD_ROWS, n)
        s, e = ends[first], ends[last]
        row_of = np.repeat(np.arange(first, last), sizes[first:last])
        numbered = None
        if table is not None:
            index, place, places = table
            numbered = place[index[count[s:e]] * width + terms[s:e]], places
        order = s + _best_first(
            row_of - first, raw[s:e], alphabetical[terms[s:e]], last - first, numbered
        )
        rank = np.arange(e - s) - np.repeat(bounds[first:last] - s, sizes[first:last])
        kept = rank < KEYWORDS
        keywords[row_of[kept], rank[kept]] = terms[order[kept]]
    return _Vectors(bounds=bounds, terms=terms, weights=weights, keywords=keywords, width=width)


_TABLE_CELLS = 1 << 22  # (count, term) products numbered at once: 32 MB of floats


def _weight_table(
    tf: npt.NDArray[np.float64], idf: npt.NDArray[np.float64], counts: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], int] | None:
    """Every weight ``tf[c] * idf[t]`` (``c`` a count used, ``t`` any term) numbered as
    :func:`_numbered` numbers weights: the index of each count, the number of each product
    (at ``index[c] * len(idf) + t``) and how many numbers. None when the table would be large.

    A weight is one of these products, the same float: reading its number here costs a
    fraction of sorting every row's weights to number them (20 million at 100,000 articles).
    """
    if not len(counts):
        return None
    used = np.flatnonzero(np.bincount(counts))
    if len(used) * len(idf) > _TABLE_CELLS:
        return None
    index = np.zeros(len(tf), dtype=np.int64)
    index[used] = np.arange(len(used))
    place, places = _numbered(np.multiply.outer(tf[used], idf).ravel())
    return index, place, places


def _numbered(weight: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int64], int]:
    """Each weight's number, highest first (0, 1, ...; equal weights share one), and how many
    numbers."""
    by_weight = np.argsort(-weight)
    ordered = weight[by_weight]
    place = np.empty(len(weight), dtype=np.int64)
    place[by_weight] = np.cumsum(np.r_[False, ordered[1:] != ordered[:-1]])
    return place, int(place[by_weight[-1]]) + 1


def _best_first(
    row: npt.NDArray[np.int64],
    weight: npt.NDArray[np.float64],
    rank: npt.NDArray[np.int64],
    rows: int,
    numbered: tuple[npt.NDArray[np.int64], int] | None = None,
) -> npt.NDArray[np.int64]:
    """``np.lexsort((rank, -weight, row))``: by row, then highest weight, then ``rank`` (the
    term's place in the alphabet; distinct within a row), as one sort of int64 keys.

    The three sorts of a lexsort cost most of the vectors' time at 100,000 articles. The
    weights are numbered (:func:`_numbered`, or ``numbered`` when given: the weights' numbers
    in that order, from a larger set of weights), and the key row, weight's number, rank
    orders the entries as the lexsort does; every key is distinct, so any sort gives the one
    order. When ``row`` ascends and there is room, each key also carries its entry's place
    in its row, so that a plain sort of the keys, faster than an argsort, gives the order.
    """
    if not len(row):
        return np.zeros(0, dtype=np.int64)
    place, places = numbered if numbered is not None else _numbered(weight)
    width = int(rank.max()) + 1
    if rows * places * width >= 1 << 63:
        return np.lexsort((rank, -weight, row))
    key = (row * places + place) * width + rank
    starts, lengths = arrays.runs(row)
    bits = int(lengths.max()).bit_length()
    if (rows * places * width) << bits >= 1 << 63 or np.any(row[1:] < row[:-1]):
        return np.argsort(key)
    key <<= bits
    key |= np.arange(len(row), dtype=np.int64) - np.repeat(starts, lengths)
    key.sort()
    first = np.zeros(rows, dtype=np.int64)
    first[row[starts]] = starts
    at: npt.NDArray[np.int64] = first[(key >> bits) // (places * width)]
    return at + (key & ((1 << bits) - 1))


_PAIRS_AT_ONCE = 1 << 21  # pairs of articles counted at once (memory: about 50 bytes each)


def _candidates(
    keywords: npt.NDArray[np.int64],
    wanted: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.bool_]] | None = None,
) -> npt.NDArray[np.int64]:
    """Pairs of articles (rows ``i < j``, sorted) that share at least ``MIN_SHARED`` distinctive
    terms.

    An inverted index over each article's few most distinctive terms; a term found in more
    than ``MAX_POSTING`` articles is not distinctive and is left out, which keeps the work
    near-linear in the number of articles. Each article's later partners are listed as arrays
    and counted by sorting, for a block of articles at a time, so memory holds one block's
    pairs, not every pair of the week that shares a single term. ``wanted``, given a block's
    pairs, says which to keep: the rest are dropped before the next block is counted.
    """
    n = keywords.shape[0]
    article = np.repeat(np.arange(n, dtype=np.int64), keywords.shape[1])
    term = keywords.ravel()
    keep = term >= 0
    article, term = article[keep], term[keep]
    # By term, articles ascending within each: a term is once in an article's keys, so each
    # (term, article) is one distinct key, and a plain sort of them is the stable sort by term.
    by_term = np.argsort(term * n + article)
    article, term = article[by_term], term[by_term]
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]]) if len(term) else term
    sizes = np.diff(np.r_[starts, len(term)])
    kept = (sizes > 1) & (sizes <= MAX_POSTING)
    # Each entry's partners: the articles after it in its term's postings.
    end = np.repeat(starts + sizes, sizes)
    entry = np.flatnonzero(np.repeat(kept, sizes))
    entry = entry[np.argsort(article[entry] * len(term) + entry)]  # by article, for blocks
    later = end[entry] - entry - 1
    total = np.cumsum(later)
    blocks = _counted(article, entry, later, n)
    if wanted is not None and len(total) and int(total[-1]) > _PAIRS_AT_ONCE:
        # The next block is counted (sorting, in numpy, without the interpreter's lock) while
        # this one's pairs are weighed.
        blocks = _ahead(blocks)
    found: list[npt.NDArray[np.int64]] = []
    for pairs in blocks:
        found.append(pairs if wanted is None else pairs[wanted(np.stack(np.divmod(pairs, n), 1))])
    codes = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return np.stack([codes // n, codes % n], axis=1)


def _counted(
    article: npt.NDArray[np.int64],
    entry: npt.NDArray[np.int64],
    later: npt.NDArray[np.int64],
    n: int,
) -> Iterator[npt.NDArray[np.int64]]:
    """Each block's pairs (codes ``i * n + j``, sorted) that share at least ``MIN_SHARED``
    terms: ``entry`` lists the postings by article, each with its ``later`` partners."""
    total = np.cumsum(later)
    # A block's pairs are counted as int32 codes from its first article where they fit: the
    # sort, most of the counting, takes half the time of int64 codes, in the same order.
    article32 = article.astype(np.int32)
    first = 0
    while first < len(entry):
        done = int(total[first - 1]) if first else 0
        last = int(np.searchsorted(total, done + _PAIRS_AT_ONCE, side="right"))
        last = max(last, first + 1)
        # whole articles only: a block ends where an article does
        while last < len(entry) and article[entry[last]] == article[entry[last - 1]]:
            last += 1
        block, count = entry[first:last], later[first:last]
        at = arrays.ranges(block + 1, count)
        low = int(article[block[0]])
        if (int(article[block[-1]]) - low + 1) * n < 1 << 31:
            local = np.repeat(article32[block] - np.int32(low), count)
            local *= np.int32(n)
            local += article32[at]
            codes, shared = arrays.counted(local)
            yield codes[shared >= MIN_SHARED].astype(np.int64) + low * n
        else:
            codes, shared = arrays.counted(np.repeat(article[block], count) * n + article[at])
            yield codes[shared >= MIN_SHARED]
        first = last


T = TypeVar("T")


def _ahead(items: Iterator[T]) -> Iterator[T]:
    """``items``, each made in a thread while the one before is used."""
    ready: queue.Queue[tuple[bool, T | BaseException | None]] = queue.Queue(maxsize=1)
    stopped = threading.Event()

    def make() -> None:
        try:
            for item in items:
                if stopped.is_set():
                    return
                ready.put((True, item))
            ready.put((False, None))
        except BaseException as error:  # raised again in the reader's thread
            ready.put((False, error))

    maker = threading.Thread(target=make, daemon=True)
    maker.start()
    try:
        while True:
            more, item = ready.get()
            if not more:
                if isinstance(item, BaseException):
                    raise item
                return
            yield cast(T, item)
    finally:
        stopped.set()  # the reader stopped early: the maker ends at its next item
        while maker.is_alive():
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.1)


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # sum(v * b.get(t, 0.0) for t, v in a.items()): the terms b lacks add exactly 0.0, so the
    # same floats in the same order are the products of the shared terms, summed in C.
    shared = list(filter(b.__contains__, a))
    products: Iterator[float] = map(
        operator.mul, map(a.__getitem__, shared), map(b.__getitem__, shared)
    )
    return sum(products)


def _pair_cosines(v: _Vectors, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """``_cosine(v.row(i), v.row(j))`` of many pairs ``(i, j)``, the same floats.

    :func:`_cosine` walks the shorter row (the first on a tie) in its order and sums the
    products of the terms the other has. Here the pairs are taken by their longer row, a block
    of longer rows spread over a dense array at a time; each pair's shorter row is read against
    it in its order and its products summed by ``bincount``, which adds in order as ``sum``
    does (a term the longer row lacks adds exactly 0.0). One pass of array operations per
    block, not per article: the Python loop per article cost seconds at 100,000 articles.

    Many pairs are shared by two threads, half the blocks each: numpy lets go of the
    interpreter in the gathers and products, so the second core, idle once the story vectors
    are made, does half the work. Each block's pairs are summed by one thread, in the same
    order: the floats do not depend on the split.
    """
    out = np.zeros(len(pairs), dtype=np.float64)
    if not len(pairs):
        return out
    lengths = v.bounds[1:] - v.bounds[:-1]
    first, second = pairs[:, 0], pairs[:, 1]
    swap = lengths[first] > lengths[second]
    short = np.where(swap, second, first)
    long = np.where(swap, first, second)
    by_long = np.argsort(long, kind="stable")
    short, long = short[by_long], long[by_long]
    rows = max(1, min(_DENSE_CELLS // max(v.width, 1), 1024))  # longer rows spread at once
    # Blocks of at most ``rows`` distinct longer rows: cut where the block's count of them runs out.
    distinct = np.cumsum(np.r_[True, long[1:] != long[:-1]]) - 1
    cuts = np.searchsorted(distinct, np.arange(0, int(distinct[-1]) + 1 + rows, rows)).tolist()
    blocks = list(itertools.pairwise(cuts))
    sorted_pairs = (short, long, distinct, by_long)
    if len(pairs) < _THREADED_FROM or len(blocks) < 2:
        _block_cosines(v, sorted_pairs, blocks, rows, out)
        return out
    half = int(np.searchsorted(cuts, len(pairs) // 2))
    in_two_threads(
        lambda part: _block_cosines(v, sorted_pairs, part, rows, out), blocks[:half], blocks[half:]
    )
    return out


_THREADED_FROM = 20_000  # pairs from which two threads share the cosines


def _block_cosines(
    v: _Vectors,
    sorted_pairs: tuple[npt.NDArray[np.int64], ...],
    blocks: list[tuple[int, int]],
    rows: int,
    out: npt.NDArray[np.float64],
) -> None:
    """The cosines of the pairs of ``blocks`` (spans of the pairs sorted by their longer row),
    into ``out`` at their places (see :func:`_pair_cosines`)."""
    short, long, distinct, by_long = sorted_pairs
    width = max(v.width, 1)
    dense = np.zeros(rows * width, dtype=np.float64)  # row r's term t at r * width + t
    for s, e in blocks:
        longs = long[s:e][np.r_[True, long[s + 1 : e] != long[s : e - 1]]]
        at, sizes = _entries(v, longs)
        spread = np.repeat(np.arange(len(longs)) * width, sizes) + v.terms[at]
        dense[spread] = v.weights[at]
        at, sizes = _entries(v, short[s:e])
        base = (distinct[s:e] - distinct[s]) * width
        products = dense[np.repeat(base, sizes) + v.terms[at]]
        products *= v.weights[at]
        which = np.repeat(np.arange(e - s), sizes)
        out[by_long[s:e]] = np.bincount(which, products, minlength=e - s)
        dense[spread] = 0.0


_DENSE_CELLS = 1 << 22  # floats of the dense block of longer rows (32 MB)


def _entries(
    v: _Vectors, rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The positions of ``rows``' entries in ``v`` (each row's in its order, row after row),
    and each row's number of entries."""
    sizes = v.bounds[rows + 1] - v.bounds[rows]
    return arrays.ranges(v.bounds[rows], sizes), sizes


def group(
    articles: Sequence[Article],
    *,
    similarity: float = SIMILARITY,
    names: Sequence[Collection[str]] | None = None,
) -> list[list[int]]:
    """Indices of ``articles`` grouped by event; each group in input order, groups by first member.

    Clustering over the candidate pairs, most similar first: two groups merge through a pair
    at least ``similarity`` alike (tf-idf cosine of the words, blended with that of the actors
    each names when ``names`` gives them, discounted by the days between publications) when
    their articles are on average at least ``COHESION`` of that alike and together span no more
    than ``MAX_DAYS`` days. Every article is in exactly one group (most have one article).
    """
    if not articles:
        return []
    named = _name_vectors(names) if names is not None else None
    return _group(articles, _vectors(articles), named, similarity)


_ROWS_CACHED = 4096


def _group(
    articles: Sequence[Article],
    vectors: _Vectors,
    named: _Vectors | None,
    similarity: float,
) -> list[list[int]]:
    n = len(articles)
    word_row = functools.lru_cache(maxsize=_ROWS_CACHED)(vectors.row)
    name_row = functools.lru_cache(maxsize=_ROWS_CACHED)(named.row) if named else None
    undated = np.iinfo(np.int64).min
    day = np.array(
        [a.published.toordinal() if a.published else undated for a in articles], dtype=np.int64
    )

    def affinity(i: int, j: int) -> float:
        known = near.get(i * n + j)
        if known is not None:
            return known
        words = _cosine(word_row(i), word_row(j)) * _recency(articles[i], articles[j])
        if name_row is None:
            return words
        # Names only add: two reports of one event in the same words need no shared names. The
        # same people days apart are what a developing story is: their part is not discounted.
        who = _cosine(name_row(i), name_row(j))
        return max(words, NAMES_SHARE * who + (1 - NAMES_SHARE) * words)

    keys = vectors.keywords
    if named is not None:
        keys = np.hstack([keys, np.where(named.keywords >= 0, named.keywords + vectors.width, -1)])
    # The affinity of every candidate, a block of them at a time (all at once held gigabytes
    # at 100,000 articles), in arrays that give the floats ``affinity`` gives: only the few
    # alike enough are kept, and the clustering below reads theirs.
    kept: list[npt.NDArray[np.float64]] = []

    def alike(pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        sim = _affinities(day, vectors, named, pairs)
        enough = sim >= similarity
        kept.append(sim[enough])
        return enough

    pairs = _candidates(keys, wanted=alike)
    sims = np.concatenate(kept) if kept else np.zeros(0, dtype=np.float64)
    first, second = pairs[:, 0], pairs[:, 1]
    near: dict[int, float] = dict(zip((first * n + second).tolist(), sims.tolist(), strict=True))
    # Most alike first, ties by the pair.
    order = np.lexsort((second, first, -sims))
    owner = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for i, j in pairs[order].tolist():
        a, b = owner[i], owner[j]
        if a == b:
            continue
        joined = members[a] + members[b]
        if not _within_days(articles, joined):
            continue
        pairs_ab = [(x, y) for x in members[a] for y in members[b]]
        mean = sum(affinity(x, y) for x, y in pairs_ab) / len(pairs_ab)
        if mean < COHESION * similarity:
            continue
        for m in members[b]:
            owner[m] = a
        members[a] = sorted(joined)
        del members[b]
    return sorted(members.values(), key=lambda g: g[0])


def _affinities(
    day: npt.NDArray[np.int64],
    vectors: _Vectors,
    named: _Vectors | None,
    pairs: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """:func:`_group`'s affinity of many pairs at once, the same floats: the same operations,
    elementwise (``day``: each article's ordinal, the int64 minimum when undated)."""
    undated = np.iinfo(np.int64).min
    di, dj = day[pairs[:, 0]], day[pairs[:, 1]]
    gap = np.where((di == undated) | (dj == undated), UNDATED_GAP, np.abs(di - dj))
    words = _pair_cosines(vectors, pairs) * (1.0 / (1.0 + gap / DAY_SCALE))
    if named is None:
        return words
    who = _pair_cosines(named, pairs)
    return np.maximum(words, NAMES_SHARE * who + (1 - NAMES_SHARE) * words)


def _recency(a: Article, b: Article) -> float:
    """Reports of one event come out close together: similarity counts less days apart, but
    gently, since a developing story is reported over a week or two.

    Without both dates the gap is taken as one day, so undated articles need to be closer.
    """
    if a.published is None or b.published is None:
        return 1.0 / (1.0 + UNDATED_GAP / DAY_SCALE)
    return 1.0 / (1.0 + abs((a.published - b.published).days) / DAY_SCALE)


def _within_days(articles: Sequence[Article], group: Sequence[int]) -> bool:
    days = [d for i in group if (d := articles[i].published) is not None]
    return not days or (max(days) - min(days)).days <= MAX_DAYS


# From this many articles the word vectors are made in a worker process while the week's actors
# merge (the two read nothing of each other): on two cores the wait is the longer of the two.
WORKER_FROM = 5_000


class Vectors:
    """The word vectors of a week's articles, started now and read by :func:`build_stories`:
    in a worker process for a large week, else when first read. The worker makes exactly what
    this process would, so the stories are the same.

    The worker is a new interpreter fed the texts through a pipe, not a fork. A forked child
    shares every page of this process until it exits, so each page the merge then writes (a
    reference count is a write) is copied: at 100,000 articles the merge, walking the week's
    analyses beside a forked child, doubled them (2.3 GB). The vectors come back as raw arrays,
    with no pickled copy of them on either side.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = articles
        self.made: _Vectors | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.pipe: Connection | None = None
        self.feeder: threading.Thread | None = None
        if len(articles) >= WORKER_FROM:
            self._start()

    def _start(self) -> None:
        # UTF-8, built up in place: a joined str would take the widest character's width (four
        # bytes a character for one emoji in the week) beside a copy of every text.
        blob = bytearray()
        ends = np.zeros(len(self.articles), dtype=np.int64)
        for k, a in enumerate(self.articles):
            blob += a.title.encode("utf-8", "surrogatepass")
            blob += b"\n"
            blob += a.text.encode("utf-8", "surrogatepass")
            ends[k] = len(blob)
        to_worker, from_here = os.pipe()
        to_here, from_worker = os.pipe()
        root = str(Path(__file__).resolve().parents[2])  # the folder briefgen is imported from
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from briefgen.week.stories import _worker; _worker(int(sys.argv[2]), int(sys.argv[3]))"
        )
        try:
            self.worker = subprocess.Popen(
                [sys.executable, "-c", code, root, str(to_worker), str(from_worker)],
                pass_fds=(to_worker, from_worker),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # a failing worker costs only time: made here
            )
        except OSError:
            for fd in (to_worker, from_here, to_here, from_worker):
                os.close(fd)
            return  # made here when first read
        os.close(to_worker)
        os.close(from_worker)
        self.pipe = Connection(to_here, writable=False)
        given = [(blob, ends)]  # the feeder drops it once sent
        del blob
        self.feeder = threading.Thread(
            target=_feed, args=(Connection(from_here, readable=False), given), daemon=True
        )
        self.feeder.start()

    def get(self) -> _Vectors:
        if self.made is None and self.worker is not None and self.pipe is not None:
            try:
                self.made = _receive(self.pipe)
            except (EOFError, OSError, ValueError):
                self.made = None  # the worker failed: made here instead
            self.pipe.close()
            if self.feeder is not None:
                self.feeder.join()
            if self.worker.wait() != 0:
                self.made = None
            self.worker = None
        if self.made is None:
            self.made = _vectors(self.articles)
        return self.made


def _feed(send: Connection, given: list[tuple[bytearray, npt.NDArray[np.int64]]]) -> None:
    """Send the texts to the worker (in a thread: the pipe holds 64 KB at a time)."""
    blob, ends = given.pop()
    try:
        send.send_bytes(ends.data.cast("B"))
        send.send_bytes(blob)
    except OSError:
        pass  # the worker is gone: the vectors are made here
    finally:
        send.close()


def _worker(read: int, write: int) -> None:
    """The worker process: texts in, vectors out (see :class:`Vectors`)."""
    receive, send = Connection(read, writable=False), Connection(write, readable=False)
    ends = np.frombuffer(receive.recv_bytes(), dtype=np.int64)
    blob = receive.recv_bytes()
    receive.close()

    def texts() -> Iterator[str]:
        nonlocal blob
        start = 0
        for end in ends.tolist():
            yield blob[start:end].decode("utf-8", "surrogatepass")
            start = end
        blob = b""  # read: freed before the arrays are made

    made = _text_vectors(texts(), len(ends))
    # The words stemmed here, so that the story summaries need not stem them again.
    send.send((list(known_stems().items()), made.width))
    for values in (made.bounds, made.terms, made.weights, made.keywords):
        send.send((values.dtype.str, values.shape))
        send.send_bytes(values.data.cast("B"))
    send.close()


def _receive(pipe: Connection) -> _Vectors:
    stems, width = pipe.recv()
    learn_stems(dict(stems))
    columns = []
    for _ in range(4):
        dtype, shape = pipe.recv()
        values = np.empty(shape, dtype=np.dtype(dtype))
        if values.size:
            pipe.recv_bytes_into(values.data.cast("B"))
        else:
            pipe.recv_bytes()
        columns.append(values)
    bounds, terms, weights, keywords = columns
    return _Vectors(bounds=bounds, terms=terms, weights=weights, keywords=keywords, width=width)


@without_gc
def build_stories(
    analyses: Sequence[Analysis],
    *,
    sentences: int = SUMMARY_SENTENCES,
    actors: Sequence[Actor] | None = None,
    vectors: Vectors | None = None,
    mentions: arrays.ActorMentions | None = None,
) -> list[Story]:
    """Stories of the week, most widely reported first; single-article stories included.

    ``actors`` are the week's merged actors, whose ids name who each article names; without
    them the names are read from the articles' mentions. ``vectors``: the articles' word
    vectors, started beforehand (:class:`Vectors`); ``mentions``: the actors' mentions, read.
    """
    articles = [a.article for a in analyses]
    if actors is None:
        names = [named_actors(a) for a in analyses]
    else:
        names = _names_by_article(analyses, actors, mentions)
    words = (vectors or Vectors(articles)).get()
    # After the word vectors, not while they may still come: the worker and its pipe hold
    # their memory until then, and the week's peak is near.
    named = _name_vectors(names)
    groups = _group(articles, words, named, SIMILARITY) if articles else []
    stories: list[tuple[tuple[int, int, int, int], Story]] = []
    for members, lead in zip(groups, _leads(groups, words), strict=True):
        # The lead, then the other reports as the story developed.
        others = [m for m in members if m != lead]
        others.sort(key=lambda m: (articles[m].published or dt.date.max, m))
        ordered = [lead, *others]
        story = Story(
            id=f"story-{articles[lead].id}",
            title=headline(articles[lead]),
            articles=[articles[m].id for m in ordered],
            summary=_story_summary([analyses[m] for m in ordered], sentences=sentences),
        )
        sources = {articles[m].source or articles[m].id for m in members}
        newest = max((d for m in members if (d := articles[m].published)), default=None)
        # Widest coverage first, then more articles, then newest, then input order.
        key = (-len(sources), -len(members), -(newest.toordinal() if newest else 0), members[0])
        stories.append((key, story))
    stories.sort(key=lambda ks: ks[0])
    return [s for _, s in stories]


def _names_by_article(
    analyses: Sequence[Analysis],
    actors: Sequence[Actor],
    mentions: arrays.ActorMentions | None = None,
) -> list[set[str]]:
    """The ids of the named ``actors`` (people, bodies, places) each article names, each set
    filled in the actors' order.

    Millions of mentions, numbered by article through a table (``mentions``, as the merge read
    them, else read here); the (article, actor) pairs are made distinct in arrays, not a dict
    per actor.
    """
    index = {a.article.id: i for i, a in enumerate(analyses)}
    at, who = arrays.numbered_mentions(actors, index, mentions)
    named = np.fromiter((a.type in _NAMED_TYPES for a in actors), bool, len(actors))
    kept = (at >= 0) & named[who]
    width = max(len(actors), 1)
    pairs = arrays.distinct(at[kept] * width + who[kept])  # by article, then actor
    article, actor = np.divmod(pairs, width)
    ids = np.array([a.id for a in actors] or [""], dtype=object)[actor].tolist()
    names: list[set[str]] = [set() for _ in analyses]
    if len(pairs):
        # Each article's run of ids sliced from one list: an array split per article cost
        # more than the sets.
        cuts = [0, *(np.flatnonzero(np.diff(article)) + 1).tolist(), len(ids)]
        for i, s, e in zip(article[cuts[:-1]].tolist(), cuts[:-1], cuts[1:], strict=True):
            names[i] = set(ids[s:e])
    return names


_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


def named_actors(analysis: Analysis) -> set[str]:
    """The people, bodies and places an article names, as the week's actors merge them."""
    from briefgen.week.actors import canonical_key

    return {canonical_key(m) for m in analysis.mentions if m.type in _NAMED_TYPES}


def _leads(groups: Sequence[list[int]], vectors: _Vectors) -> list[int]:
    """Each group's lead: the article most similar to the rest of its story (the sum of its
    cosines with the others, in the order of the group, to 9 places); ties go to the earliest.

    The cosines of every group's pairs come from one array pass, summed in order by
    ``bincount`` as ``sum`` would; a single-article group is its own lead.
    """
    # Every member of a story beside each of the others, in the group's order, as arrays.
    shared = [members for members in groups if len(members) > 1]
    flat = np.fromiter(itertools.chain.from_iterable(shared), dtype=np.int64)
    size = np.array([len(members) for members in shared], dtype=np.int64)
    each = np.repeat(size, size)  # each member's story size
    starts = np.repeat(np.cumsum(size) - size, size)
    first = np.repeat(flat, each)
    second = flat[arrays.ranges(starts, each)]
    pairs = np.stack([first, second], axis=1)[first != second]
    cosines = _pair_cosines(vectors, pairs)
    owner = np.repeat(np.arange(len(flat), dtype=np.int64), each - 1)
    typical = np.bincount(owner, cosines, minlength=len(flat)).tolist()
    leads: list[int] = []
    at = 0
    for members in groups:
        if len(members) == 1:
            leads.append(members[0])
            continue
        scores = typical[at : at + len(members)]
        at += len(members)
        best = max(range(len(members)), key=lambda k: (round(scores[k], 9), -k))
        leads.append(members[best])
    return leads


def _story_summary(
    analyses: Sequence[Analysis], *, sentences: int
) -> list[tuple[str, SummarySentence]]:
    """Across the story's articles: each report's best line, the lead's first, before anyone's
    second, so a story that develops over days is told by each day's news, not by the first
    report's background.

    A sentence is taken only when at most ``STORY_REPEAT`` of its terms were already said.
    """
    depth = max((len(a.summary) for a in analyses), default=0)
    queue = [
        (a.article.id, a.summary[rank])
        for rank in range(depth)
        for a in analyses
        if rank < len(a.summary)
    ]
    chosen: list[tuple[str, SummarySentence]] = []
    said: set[str] = set()
    for article_id, sentence in queue:
        if len(chosen) >= sentences:
            break
        words = _term_set(sentence.text)
        if not words or len(words & said) > STORY_REPEAT * len(words):
            continue
        chosen.append((article_id, sentence))
        said |= words
    return chosen
