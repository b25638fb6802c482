"""The week's stages: what the analyses of all the period's articles add up to.

Each reads the per-article :class:`~briefgen.doc.Analysis` list (never a parse): actors merged
across articles, stories, risks said once and ranked, upcoming dates, changes since last week.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import functools
import gc
import itertools
import os
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

# The cores this process may run on: stages that share work between threads use two at most.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")
T = TypeVar("T")


def without_gc(stage: Callable[P, R]) -> Callable[P, R]:
    """Run ``stage`` with the cyclic garbage collector paused.

    A week stage builds millions of small records (keys, tuples, dicts) over millions of
    analysis objects, none of them in reference cycles: each full collection the allocations
    set off walks every object of the heap (a seventh of the stage's CPU at 20,000 articles,
    more at 100,000 where the heap is five times larger) and frees nothing. What the stage
    drops is freed by reference counting as before; the collector resumes after it.
    """

    @functools.wraps(stage)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return stage(*args, **kwargs)
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            gc.enable()

    return run


def in_two_threads(work: Callable[[S], None], first: S, second: S) -> None:
    """``work(first)`` here and ``work(second)`` in a second thread, at once (one after the
    other on one core): for numpy work that lets go of the interpreter, each part writing its
    own cells. The second part's error, if any, is raised here."""
    if CORES < 2:
        work(first)
        work(second)
        return
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        there = pool.submit(work, second)
        work(first)
        there.result()


def records(cls: type[T], columns: Sequence[Sequence[Any]]) -> list[T]:
    """``list(map(cls, *columns))`` for a slotted dataclass whose ``__init__`` only sets its
    fields, given a column for each field, in order.

    A week makes hundreds of thousands of frozen records (ranks, risks); a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, a Python call per field. Here
    each record is allocated and each slot set by its descriptor, in C (``map``): the same
    records at half the cost.
    """
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    count = len(columns[0]) if columns else 0
    if (
        len(columns) != len(names)
        or any(len(c) != count for c in columns)
        or hasattr(cls, "__post_init__")
        or not hasattr(cls, "__slots__")
    ):
        raise ValueError(f"records: {len(columns)} columns for {cls.__name__}'s fields {names}")
    made: list[T] = list(map(object.__new__, itertools.repeat(cls, count)))
    for name, column in zip(names, columns, strict=True):
        collections.deque(map(getattr(cls, name).__set__, made, column), maxlen=0)
    return made
