"""The per-article map on a Dask cluster: ``briefgen build --engine dask [--scheduler ADDRESS]``.

The same contract as the local pool (:func:`briefgen.engine.local.analyse_all`): the analyses in
article order, and why each article that failed did so. What runs where:

* **client** (the ``briefgen build`` process): ingest, the cache look-up, then only the misses
  are sent, in chunks; each analysis that comes back is written to the cache here, so workers
  need no access to the cache folder. Then the week's brief and the rendering, as always.
* **workers**: a :class:`ModelLoader` plugin loads the spaCy model once per worker; each task
  parses and analyses one chunk of articles with :func:`briefgen.article.analyse_each` (one
  failing article costs only itself, with the same reason text as the local engine) and returns
  the analyses without the article text, which the client already holds. No spaCy ``Doc``
  crosses the network.

Without a scheduler address (``--scheduler`` or ``BRIEFGEN_DASK_SCHEDULER``) a
``LocalCluster`` of one single-threaded worker process per core runs the map. A worker that
dies costs its chunk only: the scheduler retries it elsewhere once (on a LocalCluster; a
cluster's own scheduler decides by its ``allowed-failures``), then its articles are reported
as lost, and the brief is built from the rest. Only one chunk is in flight per worker thread,
so no chunk waits in a worker's queue to die with it.

dask is imported only here, and this module only for ``--engine dask``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

try:
    import dask
    from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed
    from distributed.scheduler import KilledWorker
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise RuntimeError(
        "--engine dask needs dask and distributed (make setup, or pip install 'briefgen[dask]')"
    ) from exc

from briefgen.config import default_jobs
from briefgen.doc import Analysis, Article
from briefgen.engine.local import _bar, from_cache, plan, split
from briefgen.timing import Timings

if TYPE_CHECKING:
    from distributed import Worker

    from briefgen.engine.cache import AnalysisCache

SCHEDULER_ENV = "BRIEFGEN_DASK_SCHEDULER"
CONNECT_TIMEOUT = "30s"
WORKER_WAIT = 60.0  # seconds to wait for a first worker on a cluster's scheduler
LOCAL_ALLOWED_FAILURES = 1  # a chunk may outlive one dead worker on a LocalCluster

# A chunk's analyses (in order, failures left out), why each failure failed, seconds spent.
_Result = tuple[list[Analysis], dict[str, str], float]


class VersionMismatch(RuntimeError):
    """A worker runs another briefgen, spaCy or model than the client."""


class ModelLoader(WorkerPlugin):
    """Loads the spaCy model once per worker, when the worker joins (off its event loop)."""

    name = "briefgen-model"

    def __init__(self, model: str | None) -> None:
        self.model = model

    async def setup(self, worker: Worker) -> None:
        from briefgen.nlp import load_model

        await asyncio.to_thread(load_model, self.model)


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: the flag, else ``BRIEFGEN_DASK_SCHEDULER``, else none (local)."""
    return given or os.environ.get(SCHEDULER_ENV, "").strip() or None


def analyse_all(
    articles: Sequence[Article],
    *,
    scheduler: str | None = None,
    jobs: int | None = None,
    model: str | None = None,
    summary_sentences: int = 3,
    cache: AnalysisCache | None = None,
    progress: bool | None = None,
    timings: Timings | None = None,
) -> tuple[list[Analysis], dict[str, str]]:
    """The analysis of every article, in order, from the cache or computed on a Dask cluster
    (``scheduler``'s, else a LocalCluster of ``jobs`` workers); and why each article that failed
    did so (as :func:`briefgen.article.analyse_each`)."""
    timings = timings if timings is not None else Timings()
    results, todo = from_cache(articles, cache, timings)
    failed: dict[str, str] = {}
    if not todo:
        return [r for r in results if r is not None], failed
    version = _version(model, summary_sentences)
    with timings.stage("per-article stage (wall)"):
        with timings.stage("dask: start or connect, load the model"):
            local_workers, _ = plan(len(todo), jobs or default_jobs())
            connection = _connect(scheduler_address(scheduler), local_workers)
            client = connection.__enter__()
        try:
            with timings.stage("dask: start or connect, load the model"):
                client.register_plugin(ModelLoader(model), name=ModelLoader.name)
                threads = max(1, sum(client.nthreads().values()))
            _, size = plan(len(todo), threads)
            if threads > 1:
                # Longest first, chunks shrinking towards the end, as the local pool does.
                todo.sort(key=lambda i: -len(articles[i].text))
            chunks = split(todo, workers=threads, size=size)
            run = uuid.uuid4().hex[:8]
            queue = iter(enumerate(chunks))
            futures: dict[Future[_Result], list[int]] = {}
            running = as_completed(loop=client.loop)

            def submit_next() -> None:
                # One chunk in flight per worker thread: a worker that dies takes down only the
                # chunk it was running, never chunks queued behind it.
                for k, chunk in queue:
                    future = client.submit(
                        _run_chunk,
                        [articles[i] for i in chunk],
                        model,
                        summary_sentences,
                        version,
                        key=f"briefgen-chunk-{run}-{k}",
                        pure=False,
                        retries=0,
                    )
                    futures[future] = chunk
                    running.add(future)
                    return

            for _ in range(threads):
                submit_next()
            bar = _bar(len(todo), progress)
            for future in running:
                submit_next()
                chunk = futures.pop(future)
                got, lost, seconds = _outcome(future, [articles[i] for i in chunk])
                timings.add("parse + analyse (worker-s)", seconds)
                analyses = iter(got)
                with timings.stage("cache write (client)"):
                    for i in chunk:
                        article = articles[i]
                        if article.id in lost:
                            failed[article.id] = lost[article.id]
                            continue
                        analysis = next(analyses)
                        analysis.article = article  # the worker sent it back without its text
                        results[i] = analysis
                        if cache is not None:
                            cache.put(analysis)
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
        finally:
            with timings.stage("dask: shut down"):
                connection.__exit__(None, None, None)
    return [r for r in results if r is not None], failed


def _outcome(future: Future[_Result], chunk: list[Article]) -> _Result:
    """The chunk's result; a chunk whose workers died is reported lost, article by article."""
    try:
        result: _Result = future.result()
    except KilledWorker as exc:
        reason = f"worker lost ({_one_line(exc)})"
        return [], {a.id: reason for a in chunk}, 0.0
    except VersionMismatch:
        raise
    except Exception as exc:
        # Only the environment makes a whole chunk fail (a missing model, say): every worker
        # would fail the same way, so the build stops with the worker's message.
        raise RuntimeError(f"a dask worker failed: {_one_line(exc)}") from None
    return result


def _one_line(exc: BaseException) -> str:
    from briefgen.article import one_line

    return one_line(exc)


@contextmanager
def _connect(address: str | None, workers: int) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a LocalCluster of ``workers`` processes."""
    if address:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except OSError as exc:  # TimeoutError included
            raise RuntimeError(
                f"cannot reach the dask scheduler at {address} ({_one_line(exc)})"
            ) from None
        with client:
            try:
                client.wait_for_workers(1, timeout=WORKER_WAIT)
            except TimeoutError:
                raise RuntimeError(
                    f"no dask worker joined the scheduler at {address} within {WORKER_WAIT:.0f} s"
                ) from None
            yield client
        return
    settings: dict[str, Any] = {
        "distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES,
        # A worker samples the stack of its running task every 10 ms for the dashboard, which
        # a LocalCluster here does not serve: that costs about 7% of a parse's CPU.
        "distributed.worker.profile.enabled": False,
        # Its event loop also wakes every 20 ms (to warn that it was blocked) and every 100 ms
        # (memory): each wake-up takes the GIL from the parse. At these intervals the parsing
        # thread was switched out a quarter as often and waited for the GIL a tenth as often.
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.tick.limit": "60s",
        "distributed.worker.memory.monitor-interval": "1s",
        # The nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, so a thread's malloc arena
        # hands freed memory back at once and faults it in again: 1.8 million page faults for
        # 320 articles against 85,000 without it. The rest of its environment is kept.
        # Spawned workers import everything afresh (about 3 s before the first parse) and
        # take about as long to shut down; forked from this process they start in a fraction
        # of a second, as the local engine's pool does. Where fork is missing, dask's default.
        **(
            {"distributed.worker.multiprocessing-method": "fork"}
            if "fork" in multiprocessing.get_all_start_methods()
            else {}
        ),
        "distributed.nanny.pre-spawn-environ": {
            k: v
            for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
            if k != "MALLOC_TRIM_THRESHOLD_"
        },
    }
    with (
        dask.config.set(settings),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def _version(model: str | None, summary_sentences: int) -> str:
    from briefgen.engine.cache import pipeline_version

    return pipeline_version(model=model, settings={"summary_sentences": summary_sentences})


@lru_cache(maxsize=4)
def _worker_version(model: str | None, summary_sentences: int) -> str:
    return _version(model, summary_sentences)


def _run_chunk(
    articles: list[Article], model: str | None, summary_sentences: int, version: str
) -> _Result:
    """On a worker: parse and analyse one chunk, each article on its own; the analyses come
    back without the article text (the client holds it)."""
    from dataclasses import replace

    from briefgen.article import analyse_each

    start = time.perf_counter()
    if _worker_version(model, summary_sentences) != version:
        raise VersionMismatch(
            "a dask worker runs another briefgen, spaCy or model than this client "
            "(install the same requirements.lock and briefgen on every machine)"
        )
    analyses, failed = analyse_each(articles, summary_sentences=summary_sentences, model=model)
    for analysis in analyses:
        analysis.article = replace(analysis.article, text="")
    return analyses, failed, time.perf_counter() - start
