"""--engine dask on a real 2-worker LocalCluster (processes): same brief as the local engine,
and a failing article or a dying worker costs only what it must."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="dask and distributed are not installed")

import cloudpickle
import dask
from distributed import Client, LocalCluster

from briefgen import cli
from briefgen.article import analyse_each
from briefgen.doc import Article
from briefgen.engine import dask as engine
from briefgen.pipeline import build
from tests.conftest import ROOT

# The functions below run inside the worker processes, which cannot import this test module:
# ship them by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

FAIL_ID = "d3"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=50,
        ) as local,
        Client(local, set_as_default=False) as client,
    ):
        yield client


def _articles(n: int) -> list[Article]:
    return [
        Article(
            id=f"d{k}",
            title=f"Report {k}",
            text=f"Mayor Ana Ruiz{k} said the Kelbrook bridge may close next week. "
            f"The union warned talks could fail by November {k + 1}.",
            published=dt.date(2026, 11, 17),
            path=f"wire-{k}.jsonl",
        )
        for k in range(n)
    ]


def _write(tmp_path: Path, articles: list[Article]) -> list[Path]:
    import json

    paths = []
    for a in articles:
        path = tmp_path / a.path
        record = {"id": a.id, "title": a.title, "text": a.text, "date": str(a.published)}
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _patch_summarize(behaviour: str) -> None:
    """On a worker: make the summary of article FAIL_ID raise, or kill the worker."""
    from briefgen.article import summarize

    real = getattr(summarize, "_real_summarize", summarize.summarize)
    summarize._real_summarize = real  # type: ignore[attr-defined]

    def patched(parsed: Any, **kw: Any) -> Any:
        if parsed.article.id == FAIL_ID:
            if behaviour == "die":
                os._exit(3)
            raise ValueError("boom")
        return real(parsed, **kw)

    summarize.summarize = patched  # type: ignore[assignment]


def _unpatch_summarize() -> None:
    from briefgen.article import summarize

    real = getattr(summarize, "_real_summarize", None)
    if real is not None:
        summarize.summarize = real  # type: ignore[assignment]


def test_the_brief_is_the_same_on_either_engine(cluster: Client, tmp_path: Path) -> None:
    out: dict[str, Path] = {}
    for name, extra in {
        "local": [],
        "dask": ["--engine", "dask", "--scheduler", cluster.scheduler.address],
    }.items():
        out[name] = tmp_path / name
        args = [str(ROOT / "seeds"), "--out", str(out[name]), "--format", "json,html"]
        assert cli.main(["build", *args, "--issued", "2026-11-25", "--no-cache", *extra]) == 0
    files = sorted(p.name for p in out["local"].iterdir())
    assert files and files == sorted(p.name for p in out["dask"].iterdir())
    for name in files:
        assert (out["dask"] / name).read_bytes() == (out["local"] / name).read_bytes(), name


def test_a_failing_article_on_a_worker_is_reported_not_fatal(
    cluster: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _articles(10)
    inputs = _write(tmp_path, articles)
    analyser: Callable[..., Any] = partial(
        engine.analyse_all, scheduler=cluster.scheduler.address, progress=False
    )
    cluster.run(_patch_summarize, "raise")
    try:
        on_dask = build(inputs, analyse_all=analyser)
    finally:
        cluster.run(_unpatch_summarize)
    # The local engine, with the same stage failing in this process.
    _patch_summarize("raise")
    try:
        local = build(inputs, analyse_all=lambda arts: analyse_each(arts))
    finally:
        _unpatch_summarize()
    assert [a.article.id for a in on_dask.analyses] == [f"d{k}" for k in range(10) if k != 3]
    assert on_dask.sources == local.sources
    (record,) = [s for s in on_dask.sources if s.path.endswith("wire-3.jsonl")]
    assert record.status == "error"
    assert record.full_reason() == "d3: analysis failed (ValueError: boom)"
    assert on_dask.analyses == local.analyses


def test_a_dying_worker_costs_only_its_chunk(cluster: Client) -> None:
    articles = _articles(12)
    cluster.run(_patch_summarize, "die")
    try:
        got, failed = engine.analyse_all(
            articles, scheduler=cluster.scheduler.address, progress=False
        )
    finally:
        cluster.run(_unpatch_summarize)  # the replaced workers were never patched
    assert FAIL_ID in failed and failed[FAIL_ID].startswith("worker lost")
    assert 1 <= len(failed) <= 4  # the chunk of the article that kills its worker
    assert len(got) == len(articles) - len(failed)
    assert [a.article.id for a in got] == [a.id for a in articles if a.id not in failed]
    assert all(a.article.text for a in got)  # the client put the text back


def _settings(dask_worker: Any) -> tuple[bool, str | None, str]:
    sampler = "profile" in dask_worker.periodic_callbacks
    return sampler, os.environ.get("MALLOC_TRIM_THRESHOLD_"), engine.CONNECT_TIMEOUT


def test_the_local_cluster_workers_are_forked_and_skip_the_sampler_and_the_trim_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The stack sampler's 10 ms samples cost a parse about 7% CPU, and nothing here reads them;
    # the nanny's 64 KB trim threshold cost a parse twenty times the page faults. A nanny also
    # leaves its spawn environment in this process (the module's cluster did): cleared here.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", "31s")
    with engine._connect(None, 1) as client:
        # A forked worker (quick to start and stop) sees this process's state as it was at
        # the fork; a spawned one would import the module afresh.
        assert list(client.run(_settings).values()) == [(False, None, "31s")]
