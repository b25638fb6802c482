"""The per-article stage as a map: cache look-up, then parse + analyse the misses on a pool.

Each worker process loads the spaCy model once and runs parse + every per-article stage on a
chunk of articles, so a Doc never crosses a process boundary; only the small ``Analysis`` comes
back. Workers write their results to the cache themselves, so serialisation runs in parallel too.
"""

from __future__ import annotations

import math
import multiprocessing
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from briefgen.config import default_jobs
from briefgen.doc import Analysis, Article
from briefgen.engine.cache import AnalysisCache
from briefgen.timing import Timings

MIN_CHUNK = 4
MAX_CHUNK = 32
# Below this many articles per worker, starting a worker (import + model load) costs more than
# it saves.
MIN_PER_WORKER = 12


# A chunk's analyses (in order, failures left out), why each failure failed, and seconds spent.
_Result = tuple[list[Analysis], dict[str, str], float]


@dataclass(frozen=True, slots=True)
class _Job:
    model: str | None
    summary_sentences: int
    cache: AnalysisCache | None


def from_cache(
    articles: Sequence[Article], cache: AnalysisCache | None, timings: Timings
) -> tuple[list[Analysis | None], list[int]]:
    """Each article's cached analysis (None where there is none) and the positions still to
    analyse: the client's part of the map, whichever engine runs the rest."""
    results: list[Analysis | None] = [None] * len(articles)
    if cache is not None:
        with timings.stage("cache look-up"):
            cache.prune()
            for i, article in enumerate(articles):
                results[i] = cache.get(article)
    todo = [i for i, r in enumerate(results) if r is None]
    timings.add("articles analysed", float(len(todo)))
    timings.add("articles from cache", float(len(articles) - len(todo)))
    return results, todo


def plan(misses: int, jobs: int) -> tuple[int, int]:
    """(workers, chunk size) for ``misses`` articles on at most ``jobs`` processes."""
    workers = max(1, min(jobs, misses // MIN_PER_WORKER))
    # About four chunks per worker evens out long and short articles without much overhead.
    chunk = max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(misses / (workers * 4)) or 1))
    return workers, chunk


def split(todo: list[int], *, workers: int, size: int) -> list[list[int]]:
    """``todo`` in chunks of at most ``size``, shrinking towards the end (guided scheduling).

    Workers take chunks in order, so small last chunks keep one core from idling while the
    other finishes a full-size chunk: with 32-article chunks that tail cost about 2 s.
    """
    chunks: list[list[int]] = []
    k = 0
    while k < len(todo):
        n = max(MIN_CHUNK, min(size, math.ceil((len(todo) - k) / (2 * workers))))
        chunks.append(todo[k : k + n])
        k += n
    return chunks


def analyse_all(
    articles: Sequence[Article],
    *,
    jobs: int | None = None,
    model: str | None = None,
    summary_sentences: int = 3,
    cache: AnalysisCache | None = None,
    progress: bool | None = None,
    timings: Timings | None = None,
) -> tuple[list[Analysis], dict[str, str]]:
    """The analysis of every article, in order, from the cache or computed on ``jobs`` cores;
    and why each article that failed did so (as :func:`briefgen.article.analyse_each`)."""
    timings = timings if timings is not None else Timings()
    results, todo = from_cache(articles, cache, timings)
    failed: dict[str, str] = {}
    if todo:
        job = _Job(model=model, summary_sentences=summary_sentences, cache=cache)
        workers, size = plan(len(todo), jobs or default_jobs())
        if workers > 1:
            # Longest first: the chunks shrink towards the end and so do their articles, so the
            # workers finish together instead of one idling while the other parses a long tail.
            todo.sort(key=lambda i: -len(articles[i].text))
        chunks = split(todo, workers=workers, size=size)
        with timings.stage("per-article stage (wall)"):
            if workers == 1:
                _load(model)
                bar = _bar(len(todo), progress)
                for chunk in chunks:
                    got, lost, seconds = _run(job, [articles[i] for i in chunk])
                    _collect(articles, results, failed, chunk, (got, lost, seconds), timings, bar)
            else:
                bar = _pool(articles, chunks, job, workers, (results, failed), timings, progress)
        if bar is not None:
            bar.close()
    return [r for r in results if r is not None], failed


def _pool(
    articles: Sequence[Article],
    chunks: list[list[int]],
    job: _Job,
    workers: int,
    out: tuple[list[Analysis | None], dict[str, str]],
    timings: Timings,
    progress: bool | None,
) -> _Bar | None:
    methods = multiprocessing.get_all_start_methods()
    # fork skips re-importing briefgen in each worker; the model is loaded after the fork, so no
    # spaCy state is shared.
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    lost: list[list[int]] = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_load, initargs=(job.model,)
    ) as pool:
        futures: list[tuple[list[int], Future[_Result]]] = [
            (chunk, pool.submit(_run, job, [articles[i] for i in chunk])) for chunk in chunks
        ]
        # With fork every worker has started by now; the bar's thread must not predate them.
        bar = _bar(sum(len(c) for c in chunks), progress)
        for chunk, future in futures:
            try:
                result = future.result()
            except BrokenProcessPool:  # a worker was killed: every unfinished chunk fails
                lost.append(chunk)
                continue
            _collect(articles, *out, chunk, result, timings, bar)
    if lost:
        _retry(articles, lost, job, workers, context, out, timings, bar)
    return bar


def _retry(
    articles: Sequence[Article],
    chunks: list[list[int]],
    job: _Job,
    workers: int,
    context: Any,
    out: tuple[list[Analysis | None], dict[str, str]],
    timings: Timings,
    bar: _Bar | None,
) -> None:
    """The chunks a killed worker took down, each once more in a process of its own, so the
    chunk that kills its worker again is the only one lost, and reported."""
    results, failed = out
    pools: list[tuple[list[int], ProcessPoolExecutor, Future[_Result]]] = []
    pending = list(chunks)
    while pending or pools:
        while pending and len(pools) < workers:
            chunk = pending.pop(0)
            pool = ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_load, initargs=(job.model,)
            )
            pools.append((chunk, pool, pool.submit(_run, job, [articles[i] for i in chunk])))
        chunk, pool, future = pools.pop(0)
        try:
            _collect(articles, results, failed, chunk, future.result(), timings, bar)
        except BrokenProcessPool:
            for i in chunk:
                failed[articles[i].id] = "analysis lost: its worker process was killed"
        finally:
            pool.shutdown(wait=True)


def _collect(
    articles: Sequence[Article],
    results: list[Analysis | None],
    failed: dict[str, str],
    chunk: list[int],
    result: _Result,
    timings: Timings,
    bar: _Bar | None,
) -> None:
    got, lost, seconds = result
    analyses = iter(got)
    for i in chunk:
        article_id = articles[i].id
        if article_id in lost:
            failed[article_id] = lost[article_id]
        else:
            results[i] = next(analyses)
    timings.add("parse + analyse + cache write (worker-s)", seconds)
    if bar is not None:
        bar.update(len(chunk))


def _load(model: str | None) -> None:
    from briefgen.nlp import load_model

    load_model(model)


def _run(job: _Job, articles: list[Article]) -> _Result:
    """Parse and analyse one chunk, each article on its own (one failure costs that article)."""
    from briefgen.article import analyse_each

    start = time.perf_counter()
    analyses, failed = analyse_each(
        articles, summary_sentences=job.summary_sentences, model=job.model
    )
    if job.cache is not None:
        for analysis in analyses:
            job.cache.put(analysis)
    return analyses, failed, time.perf_counter() - start


class _Bar:
    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="article", file=sys.stderr, leave=False)

    def update(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


def _bar(total: int, progress: bool | None) -> _Bar | None:
    """A progress bar on stderr when it is a terminal (or when asked), nothing otherwise."""
    wanted = sys.stderr.isatty() if progress is None else progress
    return _Bar(total) if wanted and total > 0 else None
