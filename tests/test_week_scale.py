"""The week stage's faster paths give exactly what the straightforward ones gave.

Each reference below is the code as it was before it was made near-linear (issue 18); they are
compared on a small synthetic week (briefgen.bench_week) whose risks share common terms and
whose stories have several articles, so every branch is taken.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest

from briefgen import actors, risks, stories
from briefgen.bench_week import START, synthetic_analyses
from briefgen.brief import week
from briefgen.doc import Analysis, Article, Mention, Risk
from briefgen.summarize import _WORD, STOPWORDS, _stem


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    return synthetic_analyses(600, seed=5)


def _cluster_reference(ordered: list[Risk]) -> list[list[Risk]]:
    clusters: list[list[Risk]] = []
    articles: list[set[str]] = []
    by_term: dict[str, list[int]] = {}
    for risk in ordered:
        terms = set(risk.terms)
        shared = Counter(i for t in terms for i in by_term.get(t, ()))
        for i in sorted(i for i, n in shared.items() if n >= 3):
            if risk.article not in articles[i] and risks._similar(clusters[i][0], risk):
                clusters[i].append(risk)
                articles[i].add(risk.article)
                break
        else:
            clusters.append([risk])
            articles.append({risk.article})
            for t in terms:
                by_term.setdefault(t, []).append(len(clusters) - 1)
    return clusters


def _term_counts_reference(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for low, k in Counter(_WORD.findall(text.lower())).items():
        if len(low) > 2 and low not in STOPWORDS and not low.isdigit():
            out[_stem(low)] += k
    return out


def _vectors_reference(
    articles: Sequence[Article],
) -> tuple[list[dict[str, float]], list[list[str]]]:
    counts = [_term_counts_reference(f"{a.title}\n{a.text}") for a in articles]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(articles)
    weights, keywords = [], []
    for c in counts:
        vec = {t: (1 + math.log(k)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        weights.append({t: v / norm for t, v in vec.items()})
        keywords.append(sorted(vec, key=lambda t: (-vec[t], t))[: stories.KEYWORDS])
    return weights, keywords


def _candidates_reference(keywords: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(keywords):
        for w in words:
            postings[w].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if 1 < len(members) <= stories.MAX_POSTING:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    shared[(members[x], members[y])] += 1
    return sorted(pair for pair, k in shared.items() if k >= stories.MIN_SHARED)


def test_risk_clusters_are_those_of_the_single_term_index(analyses: list[Analysis]) -> None:
    found = [r for a in analyses for r in a.risks]
    ordered = sorted(found, key=lambda r: (-r.score, r.article, r.start))
    got = risks._cluster(ordered)
    assert got == _cluster_reference(ordered)
    assert sum(len(c) > 1 for c in got) > 50  # the case merges risks, not only keeps them apart


def test_story_vectors_candidates_and_cosines_are_unchanged(analyses: list[Analysis]) -> None:
    articles = [a.article for a in analyses]
    vectors = stories._vectors(articles)
    weights, keywords = _vectors_reference(articles)
    assert [vectors.weights(i) for i in range(len(articles))] == weights  # bit for bit
    assert vectors.keywords == keywords
    pairs = stories._candidates(keywords)
    assert pairs == _candidates_reference(keywords) and len(pairs) > 100
    for i, j in [*pairs[:400], *((j, i) for i, j in pairs[:100]), (0, 1), (5, 300)]:
        a, b = weights[i], weights[j]
        if len(a) > len(b):
            a, b = b, a
        assert stories._cosine(vectors, i, j) == sum(v * b.get(t, 0.0) for t, v in a.items())
    assert stories.group(articles, vectors=vectors) == stories.group(articles)


def test_merge_keys_memoised_per_text_are_the_keys_of_each_mention(
    analyses: list[Analysis],
) -> None:
    mentions: list[Mention] = [m for a in analyses for m in a.mentions]
    keys = actors._group_keys(mentions)
    assert len(keys) == len(mentions)
    # canonical_key depends on the text alone, which is what the memo relies on.
    by_text: dict[str, str] = {}
    for m in mentions:
        assert by_text.setdefault(m.text, actors.canonical_key(m)) == actors.canonical_key(m)


def test_the_week_is_deterministic_and_complete(analyses: list[Analysis]) -> None:
    as_of = START + dt.timedelta(days=7)
    one, two = week(analyses, as_of=as_of), week(analyses, as_of=as_of)
    assert one == two
    assert len(one.dates) == sum(len(a.dates) for a in analyses)
    assert {a for s in one.stories for a in s.articles} == {a.article.id for a in analyses}
