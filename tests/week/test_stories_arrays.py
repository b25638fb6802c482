"""The array forms of the stories' steps give what the plain forms give, to the bit."""

import numpy as np
import pytest

from briefgen import week
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
    # Numbered among more weights than the rows hold, as the table of products numbers them.
    more = np.array([0.5, 1.0, 1.0 + 1e-15, 1.2, 1.5, 2.25, 2.5, 3.0, 9.0])
    place, places = stories._numbered(more)
    numbered = place[np.searchsorted(more, weight)], places
    assert np.array_equal(_best_first(row, weight, rank, 40, numbered), expected)
    # Rows out of order: sorted by an argsort of the keys.
    shuffled = rng.permutation(len(row))
    row, weight, rank = row[shuffled], weight[shuffled], rank[shuffled]
    expected = np.lexsort((rank, -weight, row))
    assert np.array_equal(_best_first(row, weight, rank, 40), expected)


def test_weight_table_numbers_each_product_as_the_weights_would_be() -> None:
    rng = np.random.default_rng(6)
    tf = np.array([0.0, 1.0, 1.5, 2.0, 2.0])
    idf = rng.choice([1.0, 1.5, 2.0, 3.0], size=30)
    counts = rng.choice([1, 2, 4], size=500).astype(np.int32)
    terms = rng.integers(0, 30, size=500)
    table = stories._weight_table(tf, idf, counts)
    assert table is not None
    index, place, places = table
    assert places == len(np.unique(tf[1:, None] * idf[None, :]))
    weight = tf[counts] * idf[terms]
    got = place[index[counts] * len(idf) + terms]
    # The same order and the same ties as the weights themselves.
    assert np.array_equal(
        np.sign(got[:, None] - got[None, :]), -np.sign(weight[:, None] - weight[None, :])
    )
    assert stories._weight_table(tf, idf, counts[:0]) is None


def test_threads_give_the_same_cosines_and_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors = _vectors(synthetic_articles(300))
    pairs = _candidates(vectors.keywords)
    alone = _pair_cosines(vectors, pairs)
    monkeypatch.setattr(stories, "_THREADED_FROM", 1)
    monkeypatch.setattr(week, "CORES", 2)
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


def _rows_of_a_dict_per_text(
    texts: list[str],
) -> tuple[list[int], list[int], list[int], dict[str, int]]:
    """The vectors' rows as one dict per text makes them: the text lowered, then split by the
    word pattern; terms numbered in order of first use."""
    from briefgen.words import STOPWORDS, WORD, stem

    vocabulary: dict[str, int] = {}
    lengths, terms, counts = [], [], []
    for text in texts:
        row: dict[int, int] = {}
        for w in WORD.findall(text.lower()):
            if len(w) > 2 and w not in STOPWORDS and not w.isdigit():
                t = vocabulary.setdefault(stem(w), len(vocabulary))
                row[t] = row.get(t, 0) + 1
        lengths.append(len(row))
        terms += row
        counts += row.values()
    return lengths, terms, counts, vocabulary


@pytest.mark.parametrize("block", [1, 7, 2048])
def test_text_vectors_are_those_of_a_dict_per_text(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    import array
    import random

    monkeypatch.setattr(stories, "_BLOCK", block)  # texts split and summed a few at a time
    rng = random.Random(11)
    pieces = ["dam", "Dams", "strike", "STRIKES", "the", "of", "2026", "12", "x9", "rail_way"]
    pieces += ["'", "’", " ", " ", "-", ".", "\n", "\x00", "É", "Straße", "STRASSE", "naïve"]
    pieces += ["workers'", "'tis", "don't", "İstanbul", "ǅ", "\U0001f30a"]
    texts = ["", "\x00", "'", "Workers' pay", "NAÏVE ÉTÉ", "The Minister said so."]
    texts += ["".join(rng.choices(pieces, k=rng.randint(0, 14))) for _ in range(600)]
    texts += [" ".join(rng.choices(pieces[:6], k=rng.randint(0, 20))) for _ in range(600)]
    rng.shuffle(texts)  # runs of plain ASCII texts between others, of every length
    made = stories._text_vectors(iter(texts), len(texts))
    lengths, terms, counts, vocabulary = _rows_of_a_dict_per_text(texts)
    expected = stories._tfidf(
        lengths, array.array("i", terms), array.array("i", counts), vocabulary
    )
    assert made.width == len(vocabulary)
    assert np.array_equal(made.bounds, expected.bounds)
    assert made.terms.tolist() == terms
    assert made.weights.tobytes() == expected.weights.tobytes()
    assert np.array_equal(made.keywords, expected.keywords)


def test_rows_packed_are_rows_by_a_stable_sort() -> None:
    rng = np.random.default_rng(8)
    for texts, width in [(1, 1), (5, 3), (40, 30), (200, 500)]:
        ids = rng.integers(-1, width, rng.integers(0, 3000)).astype(np.int64)
        ends = np.sort(rng.choice(len(ids) + texts, texts - 1, replace=False))
        ids = np.insert(ids, np.minimum(ends, len(ids)), stories._END)
        ids = np.append(ids, stories._END)
        packed = stories._rows(ids, texts, width)
        row = np.cumsum(ids == stories._END)[ids >= 0]
        stable = stories._stable_rows(row, ids[ids >= 0], texts, width)
        assert packed[0] == stable[0]
        assert np.array_equal(packed[1], stable[1])
        assert np.array_equal(packed[2], stable[2])
