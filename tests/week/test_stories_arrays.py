"""The array forms of the stories' steps give what the plain forms give, to the bit."""

import numpy as np
import pytest

from briefgen.evaluate.grouping import synthetic_articles
from briefgen.week import stories
from briefgen.week.stories import _ahead, _best_first, _candidates, _pair_cosines, _vectors


def test_best_first_orders_as_the_lexsort_does_ties_by_rank() -> None:
    rng = np.random.default_rng(3)
    row = np.sort(rng.integers(0, 40, 2_000))
    weight = rng.choice([1.0, 1.5, 2.25, 3.0, 1.0 + 1e-15], size=len(row))
    rank = np.empty(len(row), dtype=np.int64)
    for r in np.unique(row):  # distinct within a row, as a term's place in the alphabet is
        at = np.flatnonzero(row == r)
        rank[at] = rng.permutation(len(at) * 3)[: len(at)]
    expected = np.lexsort((rank, -weight, row))
    assert np.array_equal(_best_first(row, weight, rank, 40), expected)
    assert len(_best_first(row[:0], weight[:0], rank[:0], 0)) == 0


def test_threads_give_the_same_cosines_and_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors = _vectors(synthetic_articles(300))
    pairs = _candidates(vectors.keywords)
    alone = _pair_cosines(vectors, pairs)
    monkeypatch.setattr(stories, "_THREADED_FROM", 1)
    monkeypatch.setattr(stories, "CORES", 2)
    monkeypatch.setattr(stories, "_DENSE_CELLS", max(vectors.width, 1) * 4)  # many blocks
    assert np.array_equal(_pair_cosines(vectors, pairs), alone)
    kept: list[int] = []

    def wanted(block: np.ndarray) -> np.ndarray:
        kept.append(len(block))
        return _pair_cosines(vectors, block) >= 0.2

    monkeypatch.setattr(stories, "_PAIRS_AT_ONCE", 64)  # many blocks, counted ahead
    ahead = _candidates(vectors.keywords, wanted=wanted)
    assert len(kept) > 2
    assert np.array_equal(ahead, pairs[alone >= 0.2])


def test_made_ahead_items_come_in_order_and_errors_reach_the_reader() -> None:
    assert list(_ahead(iter(range(5)))) == [0, 1, 2, 3, 4]

    def failing():  # type: ignore[no-untyped-def]
        yield 1
        raise ValueError("bad block")

    with pytest.raises(ValueError, match="bad block"):
        list(_ahead(failing()))
    early = _ahead(iter(range(100)))
    assert next(early) == 0
    early.close()  # the maker stops at its next item
