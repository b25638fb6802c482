"""A worker killed mid-build costs its own chunk only; the rest of the brief goes on."""

import os
import signal

import pytest

from briefgen.engine import local as parallel

from .test_local import ARTICLES


def test_a_killed_worker_loses_only_its_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.article import summarize

    real = summarize.summarize
    parent = os.getpid()

    def killer(parsed, **kw):  # type: ignore[no-untyped-def]
        if parsed.article.id == "p2" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(parsed, **kw)

    monkeypatch.setattr(summarize, "summarize", killer)
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 1)
    got, failed = parallel.analyse_all(ARTICLES, jobs=2, progress=False)
    assert [a.article.id for a in got] == ["p1", "p3"]
    assert set(failed) == {"p2"} and "killed" in failed["p2"]
