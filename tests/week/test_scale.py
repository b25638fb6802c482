"""The week stage's indexes find what comparing everything would, in the same order.

Each index (risk term pairs, story keyword postings, array sums) stands in for a loop over all
pairs; these tests check it against that loop on small random weeks, including the order in
which ties are broken, which decides the brief's output.
"""

import array
import math
import random
from typing import Any

import numpy as np
import pytest

from briefgen.doc import Article, Risk
from briefgen.week import stories
from briefgen.week.changes import _risk_actor_names, _risk_matches, _unmatched
from briefgen.week.risks import _cluster, _similar
from briefgen.week.stories import (
    KEYWORDS,
    MAX_POSTING,
    MIN_SHARED,
    _candidates,
    _cosine,
    _tfidf,
    _vectors,
    group,
)
from briefgen.words import (
    SAME_RISK_LAST_WEEK,
    SAME_RISK_LAST_WEEK_SAME_ACTOR,
    content_words,
    overlap,
)


def _risk(article: str, start: int, terms: list[str]) -> Risk:
    return Risk(
        article=article,
        start=start,
        end=start + 10,
        text=" ".join(terms),
        score=0.5,
        cues=("could",),
        actors=(),
        terms=tuple(terms),
    )


def _reference_clusters(ordered: list[Risk]) -> list[list[Risk]]:
    """Each risk joins the first earlier cluster whose first risk is similar and that has no
    risk from its article yet: every cluster tried, in order."""
    clusters: list[list[Risk]] = []
    for risk in ordered:
        for cluster in clusters:
            if risk.article not in {r.article for r in cluster} and _similar(cluster[0], risk):
                cluster.append(risk)
                break
        else:
            clusters.append([risk])
    return clusters


def test_risk_clusters_match_trying_every_cluster_in_order() -> None:
    rng = random.Random(3)
    vocabulary = [f"w{k}" for k in range(40)]
    for _ in range(20):
        risks = [
            _risk(
                f"a{rng.randrange(30)}",
                k,
                rng.sample(vocabulary[: rng.randint(9, 40)], rng.randint(2, 9)),
            )
            for k in range(150)
        ]
        assert _cluster(risks) == _reference_clusters(risks)


def test_a_risk_like_two_clusters_joins_the_first() -> None:
    first = _risk("a", 0, ["dam", "crack", "flood", "repair"])
    other = _risk("a", 5, ["dam", "crack", "flood", "levy"])  # same article: its own cluster
    both = _risk("c", 0, ["dam", "crack", "flood", "repair", "levy"])
    again = _risk("c", 9, ["dam", "crack", "flood", "levy", "repair"])
    # "both" is like either: it joins the earlier; "again" then goes to the other.
    assert _cluster([first, other, both, again]) == [[first, both], [other, again]]


def test_keywords_break_equal_weights_by_the_term() -> None:
    # Ids given out of alphabetical order: "zeta" is term 0, "alpha" term 1.
    vocabulary = {"zeta": 0, "alpha": 1, "mid": 2, "beta": 3}
    terms = array.array("i", [0, 1, 2, 3, 2, 3])
    vectors = _tfidf([4, 1, 1], terms, array.array("i", [1] * 6), vocabulary)
    # zeta and alpha are in one article (equal weights, the highest), mid and beta in two.
    assert vectors.keywords[0][:4].tolist() == [1, 0, 3, 2]


def test_vectors_are_the_floats_of_a_term_by_term_loop() -> None:
    rng = random.Random(5)
    words = [f"word{k}" for k in range(60)]
    articles = [
        Article(id=f"a{i}", title="", text=" ".join(rng.choices(words, k=rng.randint(1, 80))))
        for i in range(40)
    ]
    vectors = _vectors(articles)
    # The reference: the tf-idf of each article as a dict, term by term.
    counts = []
    for a in articles:
        seen: dict[str, int] = {}
        for w in f"{a.title}\n{a.text}".lower().split():
            seen[w] = seen.get(w, 0) + 1
        counts.append(seen)
    df: dict[str, int] = {}
    for c in counts:
        for t in c:
            df[t] = df.get(t, 0) + 1
    n = len(articles)
    for i, c in enumerate(counts):
        vec = {t: (1 + math.log(k)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        row = vectors.row(i)
        assert list(row.values()) == [v / norm for v in vec.values()]  # same floats, same order
        top = sorted(vec, key=lambda t: (-vec[t], t))[:KEYWORDS]
        assert len(top) == len([k for k in vectors.keywords[i].tolist() if k >= 0])


def test_cosine_sums_the_same_floats() -> None:
    rng = random.Random(9)
    for _ in range(200):
        a = {rng.randrange(50): rng.random() for _ in range(rng.randint(0, 30))}
        b = {rng.randrange(50): rng.random() for _ in range(rng.randint(0, 30))}
        small, large = (b, a) if len(a) > len(b) else (a, b)
        assert _cosine(a, b) == sum(v * large.get(t, 0.0) for t, v in small.items())


def test_candidates_are_the_pairs_sharing_enough_keywords(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(1)
    n = 120
    keywords = np.full((n, 6), -1, dtype=np.int64)
    for i in range(n):
        terms = rng.sample(range(40), rng.randint(0, 6))
        keywords[i, : len(terms)] = terms
    postings: dict[int, list[int]] = {}
    for i in range(n):
        for t in keywords[i].tolist():
            if t >= 0:
                postings.setdefault(t, []).append(i)
    kept = {t for t, ms in postings.items() if 1 < len(ms) <= MAX_POSTING}
    expected = sorted(
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if len(set(keywords[i].tolist()) & set(keywords[j].tolist()) & kept) >= MIN_SHARED
    )
    assert [tuple(p) for p in _candidates(keywords).tolist()] == expected
    monkeypatch.setattr(stories, "_PAIRS_AT_ONCE", 7)  # many blocks, each whole articles
    assert [tuple(p) for p in _candidates(keywords).tolist()] == expected
    even = _candidates(keywords, wanted=lambda pairs: pairs[:, 0] % 2 == 0)  # kept block by block
    assert [tuple(p) for p in even.tolist()] == [p for p in expected if p[0] % 2 == 0]


def test_identical_reports_group_whatever_the_order_of_equal_affinities() -> None:
    text = (
        "The Tessel dam cracked on Tuesday and engineers from Marlow Vale ordered repairs. "
        "Families below the Tessel dam left their homes as the cracks widened overnight."
    )
    other = "The grandmaster Ilse Varga won the Orvieto chess open with a queen sacrifice."
    articles = [
        Article(id="a", title="", text=text),
        Article(id="b", title="", text=other),
        Article(id="c", title="", text=text),
        Article(id="d", title="", text=text),
    ]
    assert group(articles) == [[0, 2, 3], [1]]


def _brute_unmatched(these: dict[str, Any], others: dict[str, Any]) -> list[dict[str, Any]]:
    names_here, names_there = _risk_actor_names(these), _risk_actor_names(others)
    out = []
    for r in these["risks"]:
        words = content_words(r["text"])
        actors = set().union(*(names_here.get(i, set()) for i in r["actors"]))
        if not any(
            overlap(words, content_words(o["text"])) >= SAME_RISK_LAST_WEEK
            or (
                actors & set().union(*(names_there.get(i, set()) for i in o["actors"]))
                and overlap(words, content_words(o["text"])) >= SAME_RISK_LAST_WEEK_SAME_ACTOR
            )
            for o in others["risks"]
        ):
            out.append(r)
    return out


def test_unmatched_risks_are_those_no_pair_matches() -> None:
    rng = random.Random(4)
    vocabulary = [f"word{k}" for k in range(30)]
    actors = [{"id": f"p{k}", "name": f"Person {k}", "aliases": []} for k in range(4)]

    def week() -> dict[str, Any]:
        risks = [
            {
                "text": " ".join(rng.sample(vocabulary, rng.randint(0, 12))),
                "actors": rng.sample([a["id"] for a in actors], rng.randint(0, 2)),
            }
            for _ in range(80)
        ]
        return {"actors": actors, "risks": risks}

    for _ in range(10):
        these, others = week(), week()
        now, before = _risk_matches(these, others)  # both ways in one pass, as compare does
        assert _unmatched(these, now) == _brute_unmatched(these, others)
        assert _unmatched(others, before) == _brute_unmatched(others, these)


@pytest.mark.parametrize("block", [1 << 14, 7])
def test_unmatched_risks_with_common_and_rare_words(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    # More words than the common ones counted as bits, drawn with a long tail, sets of every
    # size from none to thirty; keys verified pair by pair or counted in blocks split in rows,
    # pairs verified and sets probing in chunks of every size: bits, postings and the
    # word-pair index all answer what comparing every pair does.
    from briefgen.week import changes

    for name in ("_PROBES", "_CHUNK", "_BLOCK", "_FEW"):
        monkeypatch.setattr(changes, name, block)
    monkeypatch.setattr(changes, "_PLANES", 1 if block == 7 else 8)  # and the words past them
    rng = random.Random(8)
    vocabulary = [f"word{k}" for k in range(400)]
    weights = [1 / (k + 1) for k in range(len(vocabulary))]
    actors = [{"id": f"p{k}", "name": f"Person {k}", "aliases": [f"P{k % 3}"]} for k in range(6)]

    def week() -> dict[str, Any]:
        risks = []
        for _ in range(150):
            size = rng.choice([0, 1, 1, 2, 3, 5, 8, 12, 15, 20, 30])
            risks.append(
                {
                    "text": " ".join(rng.choices(vocabulary, weights, k=size)),
                    "actors": rng.sample([a["id"] for a in actors], rng.randint(0, 2)),
                }
            )
        return {"actors": actors, "risks": risks}

    for _ in range(6):
        these, others = week(), week()
        others["risks"] += these["risks"][:10]  # some the same, word for word
        now, before = _risk_matches(these, others)  # both ways in one pass, as compare does
        assert _unmatched(these, now) == _brute_unmatched(these, others)
        assert _unmatched(others, before) == _brute_unmatched(others, these)


@pytest.mark.parametrize("planes", [8, 2, 1])
def test_buckets_bound_the_values_two_rows_share(
    monkeypatch: pytest.MonkeyPatch, planes: int
) -> None:
    # The bound that lets most pairs skip looking their rarer words up: never below what two
    # rows share, and exact where no two values of a row fall in one bucket.
    from briefgen.week import changes

    monkeypatch.setattr(changes, "_PLANES", planes)
    rng = random.Random(9)
    rows = [
        [sorted(rng.sample(range(300), rng.choice([0, 1, 3, 10, 40]))) for _ in range(60)]
        for _ in range(2)
    ]
    mine, theirs = (changes._Buckets(changes._Rows.of(r)) for r in rows)
    x, y = (np.repeat(np.arange(60), 60), np.tile(np.arange(60), 60))
    most = mine.most(theirs, x, y).tolist()
    for i, j, bound in zip(x.tolist(), y.tolist(), most, strict=True):
        a, b = rows[0][i], rows[1][j]
        assert bound >= len(set(a) & set(b))
        if len({v % 64 for v in a}) == len(a) and len({v % 64 for v in b}) == len(b):
            assert bound == len({v % 64 for v in a} & {v % 64 for v in b})
        assert bound <= min(len(a), len(b))


def test_a_mention_in_the_union_of_spans_is_in_one_of_them() -> None:
    from briefgen.week.actors import _unions, _within

    rng = random.Random(6)
    at = np.arange(-3, 80, dtype=np.int64)
    for _ in range(300):
        spans = [(s, s + rng.randint(-2, 12)) for s in rng.choices(range(60), k=rng.randint(0, 6))]
        begin = np.array([s for s, _ in spans], dtype=np.int64)
        end = np.array([e for _, e in spans], dtype=np.int64)
        _, starts, ends = _unions(np.zeros(len(spans), dtype=np.int64), begin, end)
        expected = [any(s <= x < e for s, e in spans) for x in at.tolist()]
        assert _within(starts, ends, at).tolist() == expected


def test_dates_added_are_those_no_date_of_the_same_value_matches() -> None:
    from briefgen.week.changes import dates_added
    from briefgen.words import SAME_EVENT_LAST_WEEK

    rng = random.Random(12)
    vocabulary = [f"word{k}" for k in range(150)] + ["the", "of", "a"]
    weights = [1 / (k + 1) for k in range(len(vocabulary))]

    def dates() -> dict[str, Any]:
        return {
            "upcoming": [
                {
                    "value": rng.choice(["2026-12-01", "2026-12-02", "2026-12"]),
                    "event": " ".join(rng.choices(vocabulary, weights, k=rng.randint(0, 7))),
                    "article": f"a{k}",
                }
                for k in range(300)
            ],
            "articles": [],
        }

    for _ in range(5):
        before, now = dates(), dates()
        expected = [
            u["event"]
            for u in now["upcoming"]
            if not any(
                p["value"] == u["value"]
                and (
                    p["event"] == u["event"]
                    or overlap(content_words(p["event"]), content_words(u["event"]))
                    >= SAME_EVENT_LAST_WEEK
                )
                for p in before["upcoming"]
            )
        ]
        assert [d["event"] for d in dates_added(before, now)] == expected
        assert 0 < len(expected) < len(now["upcoming"])


def test_vectors_sum_the_words_of_one_term_in_order_of_first_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefgen.words import STOPWORDS, WORD, stem

    monkeypatch.setattr(stories, "_BLOCK", 3)  # rows merged a few articles at a time
    rng = random.Random(2)
    words = "talk talks talking talked strike strikes the of 2026 12 it's dam dams Dam a rail"
    pool = words.split()
    articles = [
        Article(id=f"a{i}", title="", text=" ".join(rng.choices(pool, k=rng.randint(0, 30))))
        for i in range(25)
    ]
    vectors = stories._vectors(articles)
    vocabulary: dict[str, int] = {}
    for i, a in enumerate(articles):
        row: dict[int, int] = {}  # the dict per article the arrays stand for
        for w in WORD.findall(f"{a.title}\n{a.text}".lower()):
            if len(w) > 2 and w not in STOPWORDS and not w.isdigit():
                t = vocabulary.setdefault(stem(w), len(vocabulary))
                row[t] = row.get(t, 0) + 1
        assert list(vectors.row(i)) == list(row)
    assert vectors.width == len(vocabulary)


def test_stories_are_the_same_with_the_vectors_made_in_a_worker_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from briefgen.evaluate.bench_week import synthetic_analyses
    from briefgen.week.actors import merge_actors

    analyses = synthetic_analyses(60, seed=4)
    # An emoji and a lone surrogate cross the pipe as they are.
    first = analyses[0].article
    analyses[0].article = Article(
        id=first.id, title="Flood \U0001f30a", text=first.text + " \udc80x"
    )
    actors = merge_actors(analyses)
    here = stories.build_stories(analyses, actors=actors)
    monkeypatch.setattr(stories, "WORKER_FROM", 1)
    pending = stories.Vectors([a.article for a in analyses])
    assert pending.worker is not None
    assert stories.build_stories(analyses, actors=actors, vectors=pending) == here
    assert pending.worker is None  # read, and the worker has exited


def test_a_failed_worker_leaves_the_vectors_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = [Article(id=f"a{i}", title="", text=f"dam cracks spread {i}") for i in range(5)]
    monkeypatch.setattr(stories, "WORKER_FROM", 1)
    pending = stories.Vectors(articles)
    assert pending.worker is not None
    pending.worker.kill()
    assert pending.get().row(0) == _vectors(articles).row(0)


@pytest.mark.parametrize("granule", [1, 61])
def test_seen_holds_every_granule_added_and_few_others(
    monkeypatch: pytest.MonkeyPatch, granule: int
) -> None:
    from briefgen.week import changes

    monkeypatch.setattr(changes, "_CHUNK", 1000)  # the table filled and asked in blocks
    rng = np.random.default_rng(4)
    added = rng.integers(0, 1 << 50, 20_000, dtype=np.int64)
    seen = changes._Seen(added, granule)
    same_granule = added // granule * granule + rng.integers(0, granule, len(added))
    assert seen.holds(same_granule).all()  # never a false "no": a probe is never lost
    others = rng.integers(1 << 51, 1 << 52, 20_000, dtype=np.int64)
    assert seen.holds(others).mean() < 0.15
    assert not changes._Seen(added[:0], granule).holds(others).any()


def test_the_merge_reads_the_actors_mentions_as_a_fresh_read_does() -> None:
    from briefgen.evaluate.bench_week import synthetic_analyses
    from briefgen.week.actors import merge_actors, merged_actors
    from briefgen.week.arrays import ActorMentions, by_mention

    analyses = synthetic_analyses(300, seed=8)
    actors, read = merged_actors(analyses)
    assert actors == merge_actors(analyses)
    fresh = ActorMentions.of(actors)
    by_article = {a.article.id: k for k, a in enumerate(analyses)}
    some = {a.article.id: k % 7 for k, a in enumerate(analyses[::3])}
    names = {m.text: k for k, m in enumerate(a.mentions[0] for a in actors[::5])}
    for number in (by_article, some):
        expected = [x.tolist() for x in by_mention(actors, number)]
        assert [x.tolist() for x in read.numbered(actors, number)] == expected
        assert [x.tolist() for x in fresh.numbered(actors, number)] == expected
    assert read.said(actors, names).tolist() == fresh.said(actors, names).tolist()
    assert (read.said(actors, names) >= 0).sum() > len(names)  # names said more than once
