"""Stories: the week's articles that report the same event, grouped, with one summary each.

Grouping stays near-linear in the number of articles (sparse nearest neighbours): each article
is reduced to its few most distinctive terms (tf-idf), an inverted index over those terms yields
the pairs worth comparing, and only those are compared (tf-idf cosine, publication dates
close), then joined by average-link clustering. A story's summary walks its articles'
summaries, lead article first, and skips any sentence that mostly repeats what was said.

``briefgen eval summaries --bench-grouping N`` (or ``python -m briefgen.stories --bench N``)
times grouping on N synthetic articles.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from numpy.typing import NDArray

from .doc import Analysis, Article, Story, SummarySentence
from .summarize import _WORD, STOPWORDS, _stem

KEYWORDS = 24  # distinctive terms per article that go into the inverted index
MIN_SHARED = 2  # candidate pairs share at least this many of them
SIMILARITY = 0.35  # mean tf-idf cosine at which articles report the same event
MAX_DAYS = 3  # a story's dated articles span at most this many days
UNDATED_GAP = 1  # days assumed between two articles when either has no date
MAX_POSTING = 200  # a term in this many articles names no single story
SUMMARY_SENTENCES = 4
REPEAT_OVERLAP = 0.5


def _terms(text: str) -> list[str]:
    return list(_term_counts(text).elements())


def _term_counts(text: str) -> Counter[str]:
    """Stemmed content terms of ``text`` with their counts, in order of first occurrence."""
    words = _WORD.findall(text.lower())
    term_of = _TERM_OF
    new = set(words).difference(term_of)
    if len(term_of) + len(new) > _TERM_CACHE:
        term_of.clear()
        new = set(words)
    for low in new:
        term_of[low] = _term_of(low)
    # Every word is known now: map and count in C (keys in order of first occurrence, as a
    # loop over the words would give them).
    counts: Counter[str | None] = Counter(map(term_of.__getitem__, words))
    counts.pop(None, None)
    return cast("Counter[str]", counts)


def _term_of(low: str) -> str | None:
    """The stemmed term a lower-case word counts as, None for a stopword, number or short word."""
    if len(low) > 2 and low not in STOPWORDS and not low.isdigit():
        return _stem(low)
    return None


# A word's term, looked up once (one dict look-up a word instead of three tests and a call).
_TERM_OF: dict[str, str | None] = {}
_TERM_CACHE = 1 << 20


@dataclass(frozen=True, slots=True)
class _Vectors:
    """Unit-length tf-idf vector per article, as arrays rather than dicts (a third of the memory:
    1.5 GB of dicts at 100,000 articles); the same floats as ``{term: weight}`` dicts held."""

    terms: list[str]  # term of each id
    ids: list[NDArray[np.int32]]  # an article's term ids, in order of first occurrence
    values: list[NDArray[np.float64]]  # their weights, in that order
    sorted_ids: list[NDArray[np.int32]]  # the same ids sorted, to look terms up
    sorted_values: list[NDArray[np.float64]]
    keywords: list[list[str]]

    def weights(self, i: int) -> dict[str, float]:
        """Article ``i``'s vector as ``{term: weight}``, in order of first occurrence."""
        names = [self.terms[t] for t in self.ids[i].tolist()]
        return dict(zip(names, self.values[i].tolist(), strict=True))


def _vectors(articles: Sequence[Article]) -> _Vectors:
    id_of: dict[str, int] = {}
    terms: list[str] = []
    df: list[int] = []
    counted: list[tuple[list[int], list[int]]] = []
    for a in articles:
        c = _term_counts(f"{a.title}\n{a.text}")
        ids: list[int] = []
        for t in c:
            k = id_of.get(t)
            if k is None:
                k = id_of[t] = len(terms)
                terms.append(t)
                df.append(0)
            df[k] += 1
            ids.append(k)
        counted.append((ids, list(c.values())))
    n = len(articles)
    # Smoothed idf: in a small week the terms a story shares are in many of its articles. Both
    # factors are worked out once per term and per count (the same floats as term by term).
    idf = [math.log((1 + n) / (1 + k)) + 1 for k in df]
    top = max((max(ks, default=0) for _, ks in counted), default=0)
    tf = [0.0, *(1 + math.log(k) for k in range(1, top + 1))]
    vectors = _Vectors(terms, [], [], [], [], [])
    for k, (ids, ks) in enumerate(counted):
        vec = [tf[c] * idf[t] for t, c in zip(ids, ks, strict=True)]
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        order = sorted(range(len(ids)), key=lambda x: (-vec[x], terms[ids[x]]))
        vectors.keywords.append([terms[ids[x]] for x in order[:KEYWORDS]])
        id_array = np.array(ids, dtype=np.int32)
        values = np.array([v / norm for v in vec], dtype=np.float64)
        by_id = np.argsort(id_array, kind="stable")
        vectors.ids.append(id_array)
        vectors.values.append(values)
        vectors.sorted_ids.append(id_array[by_id])
        vectors.sorted_values.append(values[by_id])
        counted[k] = ([], [])  # free as we go
    return vectors


def _candidates(keywords: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """Pairs of articles that share at least ``MIN_SHARED`` distinctive terms.

    An inverted index over each article's few most distinctive terms; a term found in more
    than ``MAX_POSTING`` articles is not distinctive and is left out, which keeps the work
    near-linear in the number of articles.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(keywords):
        for w in words:
            postings[w].append(i)
    kept = {w: members for w, members in postings.items() if 1 < len(members) <= MAX_POSTING}
    # Counted one article at a time (its later partners only), so memory holds one article's
    # partners, not every pair of the week that shares a single term.
    pairs: list[tuple[int, int]] = []
    for i, words in enumerate(keywords):
        shared: Counter[int] = Counter()
        for w in words:
            members = kept.get(w)
            if members is not None:
                shared.update(members[bisect.bisect_right(members, i) :])
        pairs.extend((i, j) for j, k in shared.items() if k >= MIN_SHARED)
    pairs.sort()
    return pairs


def _cosine(vectors: _Vectors, i: int, j: int) -> float:
    """Cosine of articles ``i`` and ``j``: the products of the shorter vector's weights with the
    other's, summed in the shorter one's order (terms the other lacks add nothing), so the same
    float as summing over a dict."""
    if len(vectors.ids[i]) > len(vectors.ids[j]):
        i, j = j, i
    a_ids, b_ids = vectors.ids[i], vectors.sorted_ids[j]
    if len(a_ids) == 0 or len(b_ids) == 0:
        return 0.0
    pos = np.searchsorted(b_ids, a_ids)
    np.minimum(pos, len(b_ids) - 1, out=pos)
    hit = b_ids[pos] == a_ids
    products: list[float] = (vectors.values[i][hit] * vectors.sorted_values[j][pos[hit]]).tolist()
    return sum(products)


def group(
    articles: Sequence[Article], *, similarity: float = SIMILARITY, vectors: _Vectors | None = None
) -> list[list[int]]:
    """Indices of ``articles`` grouped by event; each group in input order, groups by first member.

    Average-link clustering over the candidate pairs, most similar first: two groups merge when
    their articles are on average at least ``similarity`` alike (tf-idf cosine, discounted by
    the days between publications) and together span no more than ``MAX_DAYS`` days. Every
    article is in exactly one group (most groups have one article).
    """
    n = len(articles)
    if n == 0:
        return []
    vectors = vectors if vectors is not None else _vectors(articles)

    def affinity(i: int, j: int) -> float:
        return _cosine(vectors, i, j) * _recency(articles[i], articles[j])

    scored = []
    for i, j in _candidates(vectors.keywords):
        sim = affinity(i, j)
        if sim >= similarity:
            scored.append((-sim, i, j))
    scored.sort()
    owner = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _, i, j in scored:
        a, b = owner[i], owner[j]
        if a == b:
            continue
        joined = members[a] + members[b]
        if not _within_days(articles, joined):
            continue
        pairs = [(x, y) for x in members[a] for y in members[b]]
        mean = sum(affinity(x, y) for x, y in pairs) / len(pairs)
        if mean < similarity:
            continue
        for m in members[b]:
            owner[m] = a
        members[a] = sorted(joined)
        del members[b]
    return sorted(members.values(), key=lambda g: g[0])


def _recency(a: Article, b: Article) -> float:
    """Reports of one event come out close together: similarity counts less days apart.

    Without both dates the gap is taken as one day, so undated articles need to be closer.
    """
    if a.published is None or b.published is None:
        return 1.0 / (1.0 + UNDATED_GAP / 2)
    return 1.0 / (1.0 + abs((a.published - b.published).days) / 2)


def _within_days(articles: Sequence[Article], group: Sequence[int]) -> bool:
    days = [d for i in group if (d := articles[i].published) is not None]
    return not days or (max(days) - min(days)).days <= MAX_DAYS


def build_stories(
    analyses: Sequence[Analysis], *, sentences: int = SUMMARY_SENTENCES
) -> list[Story]:
    """Stories of the week, most widely reported first; single-article stories included."""
    articles = [a.article for a in analyses]
    # Computed once for grouping and for each story's lead (at 100,000 articles, 40% of the
    # stage went into computing them twice).
    vectors = _vectors(articles)
    groups = group(articles, vectors=vectors)
    stories: list[tuple[tuple[int, int, int, int], Story]] = []
    for members in groups:
        lead = _lead(members, articles, vectors)
        ordered = [lead, *(m for m in members if m != lead)]
        story = Story(
            id=f"story-{articles[lead].id}",
            title=articles[lead].title,
            articles=[articles[m].id for m in ordered],
            summary=_story_summary([analyses[m] for m in ordered], sentences=sentences),
        )
        sources = {articles[m].source or articles[m].id for m in members}
        newest = max((d for m in members if (d := articles[m].published)), default=None)
        # Widest coverage first, then more articles, then newest, then input order.
        key = (-len(sources), -len(members), -(newest.toordinal() if newest else 0), members[0])
        stories.append((key, story))
    stories.sort(key=lambda ks: ks[0])
    return [s for _, s in stories]


def _lead(members: list[int], articles: Sequence[Article], vectors: _Vectors) -> int:
    """The article most similar to the rest of its story; ties go to the earliest."""
    if len(members) == 1:
        return members[0]

    def typicality(m: int) -> float:
        return sum(_cosine(vectors, m, o) for o in members if o != m)

    return max(members, key=lambda m: (round(typicality(m), 9), -members.index(m)))


def _story_summary(
    analyses: Sequence[Analysis], *, sentences: int
) -> list[tuple[str, SummarySentence]]:
    """The lead article's summary, then what the other reports add that is not said yet.

    A sentence is taken only when at most ``REPEAT_OVERLAP`` of its terms were already said.
    """
    lead, others = analyses[0], analyses[1:]
    queue = [(lead.article.id, s) for s in lead.summary]
    # The other reports by rank: every outlet's best line before anyone's second.
    depth = max((len(a.summary) for a in others), default=0)
    queue += [
        (a.article.id, a.summary[rank])
        for rank in range(depth)
        for a in others
        if rank < len(a.summary)
    ]
    chosen: list[tuple[str, SummarySentence]] = []
    said: set[str] = set()
    for article_id, sentence in queue:
        if len(chosen) >= sentences:
            break
        words = set(_terms(sentence.text))
        if not words or len(words & said) > REPEAT_OVERLAP * len(words):
            continue
        chosen.append((article_id, sentence))
        said |= words
    return chosen


# --- benchmark -------------------------------------------------------------------------------


def synthetic_articles(n: int, *, seed: int = 7, per_event: int = 3) -> list[Article]:
    """``n`` invented articles, about ``per_event`` per event, each event with its own words."""
    import datetime as dt

    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or")]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    common = [word() for _ in range(400)]
    out: list[Article] = []
    event = 0
    while len(out) < n:
        topic = [word() for _ in range(30)]
        day = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randint(0, 6))
        for k in range(min(rng.randint(1, 2 * per_event - 1), n - len(out))):
            words = [rng.choice(topic if rng.random() < 0.35 else common) for _ in range(300)]
            sentences = [" ".join(words[i : i + 15]).capitalize() + "." for i in range(0, 300, 15)]
            out.append(
                Article(
                    id=f"e{event}-a{k}",
                    title=" ".join(rng.sample(topic, 6)).capitalize(),
                    text=" ".join(sentences),
                    published=day,
                    source=f"outlet{k}",
                )
            )
        event += 1
    return out


def bench_grouping(n: int) -> dict[str, float]:
    """Group ``n`` synthetic articles; print and return the time and how well events came back."""
    articles = synthetic_articles(n)
    t0, c0 = time.perf_counter(), time.process_time()
    groups = group(articles)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    events = Counter(a.id.split("-")[0] for a in articles)
    exact = sum(
        1
        for g in groups
        if len({articles[i].id.split("-")[0] for i in g}) == 1
        and len(g) == events[articles[g[0]].id.split("-")[0]]
    )
    result = {
        "articles": float(n),
        "seconds": secs,
        "cpu_seconds": cpu,
        "events": float(len(events)),
        "groups": float(len(groups)),
        "events_recovered_exactly": exact / max(len(events), 1),
    }
    print(
        f"grouped {n} synthetic articles in {secs:.2f} s ({cpu:.2f} s CPU): "
        f"{len(groups)} groups for {len(events)} events, "
        f"{100 * result['events_recovered_exactly']:.1f}% recovered exactly"
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefgen.stories")
    parser.add_argument("--bench", type=int, metavar="N", default=5000)
    args = parser.parse_args(argv)
    bench_grouping(args.bench)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
