"""Frozen records made from columns are the records their class makes."""

import dataclasses

import pytest

from briefgen.doc import Rank, Risk
from briefgen.week import records


def test_records_equal_the_class_own_records() -> None:
    columns = [[1, 2, 3], [0.5, 0.25, 0.0], [("a",), (), ("b", "c")], [("s",), ("t",), ()]]
    made = records(Rank, columns)
    assert made == list(map(Rank, *columns))
    assert [hash(r) for r in made] == [hash(r) for r in map(Rank, *columns)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].rank = 9  # type: ignore[misc]
    risk = Risk("a1", 0, 9, "It may fail.", 0.5, ("may",), why="hedge")
    values = [[getattr(risk, f.name)] for f in dataclasses.fields(Risk)]
    assert records(Risk, values) == [risk]
    assert records(Rank, [[], [], [], []]) == []


def test_records_refuse_columns_that_do_not_fit() -> None:
    with pytest.raises(ValueError):
        records(Rank, [[1], [0.5], [()]])  # a field short
    with pytest.raises(ValueError):
        records(Rank, [[1, 2], [0.5], [()], [()]])  # a column short
