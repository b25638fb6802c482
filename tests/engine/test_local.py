import datetime as dt
from pathlib import Path

import pytest

from briefgen.article import analyse
from briefgen.doc import Article
from briefgen.engine import local as parallel
from briefgen.engine.cache import AnalysisCache
from briefgen.nlp import parse_many
from briefgen.timing import Timings

ARTICLES = [
    Article(
        id="p1",
        title="Port strike",
        text="Dock workers in Veltmouth will strike on Monday. The union warned talks could fail.",
        published=dt.date(2026, 11, 17),
    ),
    Article(
        id="p2",
        title="Rate decision",
        text="The Bank of Ostria raised rates on Thursday. Governor Lena Brix said inflation may persist.",
        published=dt.date(2026, 11, 19),
    ),
    Article(
        id="p3",
        title="Bridge",
        text="Mayor Ana Ruiz said the Kelbrook bridge may close next week if repairs are delayed.",
        published=dt.date(2026, 11, 20),
    ),
]


def test_plan_uses_one_process_for_few_articles() -> None:
    assert parallel.plan(3, 2)[0] == 1
    workers, chunk = parallel.plan(850, 2)
    assert workers == 2 and parallel.MIN_CHUNK <= chunk <= parallel.MAX_CHUNK
    assert parallel.plan(850, 1)[0] == 1


def test_pool_gives_the_same_analyses_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)
    expected = [analyse(p) for p in parse_many(ARTICLES)]
    timings = Timings()
    got, failed = parallel.analyse_all(ARTICLES, jobs=2, progress=False, timings=timings)
    assert got == expected and failed == {}
    assert timings.seconds["articles analysed"] == 3


def test_cache_is_filled_then_used(tmp_path: Path) -> None:
    cache = AnalysisCache(version="test", root=tmp_path)
    first, _ = parallel.analyse_all(ARTICLES, jobs=1, cache=cache, progress=False)
    timings = Timings()
    again, _ = parallel.analyse_all(ARTICLES, jobs=2, cache=cache, progress=False, timings=timings)
    assert again == first
    assert timings.seconds["articles from cache"] == 3
    assert timings.seconds["articles analysed"] == 0


def test_only_misses_are_analysed(tmp_path: Path) -> None:
    cache = AnalysisCache(version="test", root=tmp_path)
    parallel.analyse_all(ARTICLES[:2], jobs=1, cache=cache, progress=False)
    timings = Timings()
    got, _ = parallel.analyse_all(ARTICLES, jobs=1, cache=cache, progress=False, timings=timings)
    assert [a.article.id for a in got] == ["p1", "p2", "p3"]
    assert timings.seconds["articles analysed"] == 1


def test_quiet_when_not_asked(capsys: pytest.CaptureFixture[str]) -> None:
    parallel.analyse_all(ARTICLES[:1], jobs=1, progress=False)
    assert capsys.readouterr().err == ""


def test_a_failing_article_costs_only_that_article(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefgen.article import summarize

    real = summarize.summarize

    def flaky(parsed, **kw):  # type: ignore[no-untyped-def]
        if parsed.article.id == "p2":
            raise ValueError("boom")
        return real(parsed, **kw)

    monkeypatch.setattr(summarize, "summarize", flaky)
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)
    cache = AnalysisCache(version="test", root=tmp_path)
    got, failed = parallel.analyse_all(ARTICLES, jobs=2, cache=cache, progress=False)
    assert [a.article.id for a in got] == ["p1", "p3"]
    assert set(failed) == {"p2"} and "boom" in failed["p2"]
    assert cache.get(ARTICLES[1]) is None  # a failure is not cached


def test_split_covers_everything_in_order_with_shrinking_chunks() -> None:
    todo = list(range(850))
    chunks = parallel.split(todo, workers=2, size=32)
    assert [i for c in chunks for i in c] == todo
    sizes = [len(c) for c in chunks]
    assert max(sizes) == 32 and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] <= parallel.MIN_CHUNK
    assert parallel.split([], workers=2, size=32) == []
    assert parallel.split([7], workers=1, size=4) == [[7]]


def test_pool_takes_the_longest_articles_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)
    seen: list[list[str]] = []
    real = parallel._pool

    def spy(articles, chunks, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.extend([[articles[i].id for i in c] for c in chunks])
        return real(articles, chunks, *args, **kwargs)

    monkeypatch.setattr(parallel, "_pool", spy)
    got, _ = parallel.analyse_all(ARTICLES, jobs=2, progress=False)
    assert [i for c in seen for i in c] == ["p2", "p1", "p3"]  # longest first, ties in order
    assert [a.article.id for a in got] == ["p1", "p2", "p3"]  # results keep the input order
