import numpy as np

from briefgen.week.arrays import counted, distinct, tally


def test_distinct_counted_and_tally_are_numpys_unique() -> None:
    rng = np.random.default_rng(5)
    for size in (0, 1, 7, 300):
        values = rng.integers(0, 40, size)
        assert distinct(values).tolist() == np.unique(values).tolist()
        found, counts = counted(values)
        assert (found.tolist(), counts.tolist()) == tuple(
            x.tolist() for x in np.unique(values, return_counts=True)
        )
        expected = np.unique(values, return_index=True, return_counts=True)
        assert [x.tolist() for x in tally(values)] == [x.tolist() for x in expected]
