"""The week's stages: what the analyses of all the period's articles add up to.

Each reads the per-article :class:`~briefgen.doc.Analysis` list (never a parse): actors merged
across articles, stories, risks said once and ranked, upcoming dates, changes since last week.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


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
