import numpy as np

from briefgen.week.arrays import distinct, tally


def test_distinct_and_tally_are_numpys_unique() -> None:
    rng = np.random.default_rng(5)
    for size in (0, 1, 7, 300):
        values = rng.integers(0, 40, size)
        assert distinct(values).tolist() == np.unique(values).tolist()
        expected = np.unique(values, return_index=True, return_counts=True)
        assert [x.tolist() for x in tally(values)] == [x.tolist() for x in expected]
