import numpy as np

from briefgen.week.arrays import counted, distinct, ranges, tally


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


def test_by_mention_numbers_each_mention_of_each_actor_in_order() -> None:
    from briefgen.doc import Actor, Mention
    from briefgen.week.arrays import by_mention

    def actor(i: str, *articles: str) -> Actor:
        mentions = [Mention(a, 0, 3, "Ana", "PERSON") for a in articles]
        return Actor(i, "Ana", "PERSON", None, [], 1.0, list(articles), mentions)

    at, who = by_mention([actor("x", "a2", "a9"), actor("y"), actor("z", "a1")], {"a1": 0, "a2": 5})
    assert at.tolist() == [5, -1, 0]
    assert who.tolist() == [0, 0, 2]


def test_actor_mentions_read_once_number_as_by_mention_does() -> None:
    import random

    from briefgen.doc import Actor, Mention
    from briefgen.week.arrays import ActorMentions, by_mention, numbered_mentions

    rng = random.Random(3)
    actors = [
        Actor(
            f"x{k}",
            "Ana",
            "PERSON",
            None,
            [],
            1.0,
            [],
            [
                Mention(f"a{rng.randrange(9)}", 0, 3, "Ana", "PERSON")
                for _ in range(rng.randrange(5))
            ],
        )
        for k in range(40)
    ]
    read = ActorMentions.of(actors)
    assert read.at.dtype == read.who.dtype == read.text.dtype == np.int32  # kept narrow
    assert all(x.dtype == np.int64 for x in read.numbered(actors, {"a1": 0}))  # given out wide
    for number in ({}, {"a1": 0, "a2": 5, "a7": 1, "zz": 3}, {f"a{k}": 8 - k for k in range(9)}):
        expected = [x.tolist() for x in by_mention(actors, number)]
        assert [x.tolist() for x in read.numbered(actors, number)] == expected
        assert ActorMentions.of(actors, read) is read
        for given in (read, None):
            assert [x.tolist() for x in numbered_mentions(actors, number, given)] == expected
        said = [number.get(m.text, -1) for a in actors for m in a.mentions]
        assert read.said(actors, number).tolist() == said
        # Other actors than those read are read afresh, not numbered from the wrong arrays.
        fewer = actors[5:]
        assert [x.tolist() for x in read.numbered(fewer, number)] == [
            x.tolist() for x in by_mention(fewer, number)
        ]
        fewer_said = [number.get(m.text, -1) for a in fewer for m in a.mentions]
        assert read.said(fewer, number).tolist() == fewer_said
    assert ActorMentions.of([]).numbered([], {"a1": 0})[0].tolist() == []


def test_ranges_lists_each_range_after_the_last() -> None:
    starts, counts = np.array([5, 0, 9, 2]), np.array([3, 0, 1, 2])
    assert ranges(starts, counts).tolist() == [5, 6, 7, 9, 2, 3]
    assert ranges(starts[:0], counts[:0]).tolist() == []


def test_runs_places_and_stable_order() -> None:
    from briefgen.week.arrays import places, runs, stable_order

    ordered = np.array([2, 2, 5, 7, 7, 7], dtype=np.int64)
    starts, lengths = runs(ordered)
    assert starts.tolist() == [0, 2, 3] and lengths.tolist() == [2, 1, 3]
    assert places(ordered).tolist() == [0, 1, 0, 0, 1, 2]
    assert places(ordered[:0]).tolist() == [] and runs(ordered[:0])[1].tolist() == []
    rng = np.random.default_rng(2)
    for values in (rng.integers(0, 9, 500), rng.integers(-5, 5, 500), np.zeros(0, np.int64)):
        values = values.astype(np.int64)
        assert stable_order(values).tolist() == np.argsort(values, kind="stable").tolist()


def test_rarest_first_ranks_by_count_then_name() -> None:
    from briefgen.week.arrays import rarest_first

    assert rarest_first([3, 1, 1, 2], ["a", "c", "b", "d"]).tolist() == [3, 1, 0, 2]
    assert rarest_first([], []).tolist() == []


def test_lookup_gives_the_value_at_each_slot_and_minus_one_elsewhere() -> None:
    from briefgen.week.arrays import lookup

    slots, values = np.array([2, 5, 9]), np.array([7, 0, 3])
    assert lookup(slots, values, np.array([9, 1, 5, 10, 2])).tolist() == [3, -1, 0, -1, 7]
    assert lookup(slots[:0], values[:0], np.array([1, 2])).tolist() == [-1, -1]


def test_last_by_key_keeps_the_greatest_of_each_key() -> None:
    from briefgen.week.arrays import last_by_key

    keys, who = np.array([4, 1, 4, 1, 8]), np.array([0, 1, 2, 3, 3])
    for width in (4, 1 << 61):  # packed into one sort, or sorted stably when too wide
        found, last = last_by_key(keys, who, width)
        assert (found.tolist(), last.tolist()) == ([1, 4, 8], [3, 2, 3])
