"""Stories: the week's articles that report the same event, grouped, with one summary each.

Grouping stays near-linear in the number of articles (sparse nearest neighbours): each article
is reduced to its few most distinctive terms (tf-idf) and the people, bodies and places it names,
an inverted index over those yields the pairs worth comparing, and only those are compared
(tf-idf cosine of the words, blended with that of the named actors, discounted gently by the
days between them), then joined by average-link clustering. A developing story is reported
days apart and in other words, but by the same people: the shared names carry it.

A story's title is a headline: its lead article's title, or, when the article had none (the
title is then its first line), one made from its lead sentence without the dateline. A story's
summary walks its articles' summaries, lead article first, and skips any sentence that mostly
repeats what was said.

``briefgen eval summaries --bench-grouping N`` times grouping on N synthetic articles.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from briefgen.doc import Actor, Analysis, Article, Story, SummarySentence
from briefgen.words import STOPWORDS, STORY_REPEAT, WORD, stem

KEYWORDS = 24  # distinctive terms per article that go into the inverted index
MIN_SHARED = 2  # candidate pairs share at least this many of them
SIMILARITY = 0.35  # mean affinity at which articles report the same event
NAMES_SHARE = 0.5  # the named actors' part of the affinity (the words' is the rest)
# Two groups join through their closest pair (at least SIMILARITY) when all their pairs are on
# average at least this share of it alike: a developing story brings in new people and words
# (a vote on repair money after the cracks in the dam), so its later reports are less alike
# to its first than to the one before, yet the group as a whole stays together.
COHESION = 0.6
MAX_DAYS = 14  # a story's dated articles span at most this many days
DAY_SCALE = 14  # affinity halves at this many days between two articles
UNDATED_GAP = 1  # days assumed between two articles when either has no date
MAX_POSTING = 200  # a term in this many articles names no single story
SUMMARY_SENTENCES = 4


def _terms(text: str) -> list[str]:
    return list(_term_counts(text).elements())


def _term_counts(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for low, k in Counter(WORD.findall(text.lower())).items():
        if len(low) > 2 and low not in STOPWORDS and not low.isdigit():
            out[stem(low)] += k
    return out


@dataclass(frozen=True, slots=True)
class _Vectors:
    weights: list[dict[str, float]]  # unit-length tf-idf vector per article
    keywords: list[list[str]]


def _vectors(articles: Sequence[Article]) -> _Vectors:
    return _tfidf([_term_counts(f"{a.title}\n{a.text}") for a in articles])


def _name_vectors(names: Sequence[Collection[str]]) -> _Vectors:
    """Each article's named actors, weighted by how few articles name them."""
    return _tfidf([Counter(set(n)) for n in names])


def _tfidf(counts: Sequence[Counter[str]]) -> _Vectors:
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    weights: list[dict[str, float]] = []
    keywords: list[list[str]] = []
    for c in counts:
        # Smoothed idf: in a small week the terms a story shares are in many of its articles.
        vec = {t: (1 + math.log(k)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        weights.append({t: v / norm for t, v in vec.items()})
        keywords.append(sorted(vec, key=lambda t: (-vec[t], t))[:KEYWORDS])
    return _Vectors(weights=weights, keywords=keywords)


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


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def group(
    articles: Sequence[Article],
    *,
    similarity: float = SIMILARITY,
    names: Sequence[Collection[str]] | None = None,
) -> list[list[int]]:
    """Indices of ``articles`` grouped by event; each group in input order, groups by first member.

    Clustering over the candidate pairs, most similar first: two groups merge through a pair
    at least ``similarity`` alike (tf-idf cosine of the words, blended with that of the actors
    each names when ``names`` gives them, discounted by the days between publications) when
    their articles are on average at least ``COHESION`` of that alike and together span no more
    than ``MAX_DAYS`` days. Every article is in exactly one group (most have one article).
    """
    if not articles:
        return []
    return _group(articles, _vectors(articles), names, similarity)


def _group(
    articles: Sequence[Article],
    vectors: _Vectors,
    names: Sequence[Collection[str]] | None,
    similarity: float,
) -> list[list[int]]:
    n = len(articles)
    named = _name_vectors(names) if names is not None else None

    def affinity(i: int, j: int) -> float:
        words = _cosine(vectors.weights[i], vectors.weights[j]) * _recency(articles[i], articles[j])
        if named is None:
            return words
        # Names only add: two reports of one event in the same words need no shared names. The
        # same people days apart are what a developing story is: their part is not discounted.
        who = _cosine(named.weights[i], named.weights[j])
        return max(words, NAMES_SHARE * who + (1 - NAMES_SHARE) * words)

    keys = vectors.keywords
    if named is not None:
        keys = [[*k, *(f"@{w}" for w in m)] for k, m in zip(keys, named.keywords, strict=True)]
    scored = []
    for i, j in _candidates(keys):
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
        if mean < COHESION * similarity:
            continue
        for m in members[b]:
            owner[m] = a
        members[a] = sorted(joined)
        del members[b]
    return sorted(members.values(), key=lambda g: g[0])


def _recency(a: Article, b: Article) -> float:
    """Reports of one event come out close together: similarity counts less days apart, but
    gently, since a developing story is reported over a week or two.

    Without both dates the gap is taken as one day, so undated articles need to be closer.
    """
    if a.published is None or b.published is None:
        return 1.0 / (1.0 + UNDATED_GAP / DAY_SCALE)
    return 1.0 / (1.0 + abs((a.published - b.published).days) / DAY_SCALE)


def _within_days(articles: Sequence[Article], group: Sequence[int]) -> bool:
    days = [d for i in group if (d := articles[i].published) is not None]
    return not days or (max(days) - min(days)).days <= MAX_DAYS


def build_stories(
    analyses: Sequence[Analysis],
    *,
    sentences: int = SUMMARY_SENTENCES,
    actors: Sequence[Actor] | None = None,
) -> list[Story]:
    """Stories of the week, most widely reported first; single-article stories included.

    ``actors`` are the week's merged actors, whose ids name who each article names; without
    them the names are read from the articles' mentions.
    """
    articles = [a.article for a in analyses]
    if actors is None:
        names = [named_actors(a) for a in analyses]
    else:
        index = {a.article.id: i for i, a in enumerate(analyses)}
        names = [set() for _ in analyses]
        for actor in actors:
            if actor.type in _NAMED_TYPES:
                for m in actor.mentions:
                    if m.article in index:
                        names[index[m.article]].add(actor.id)
    vectors = _vectors(articles)
    groups = _group(articles, vectors, names, SIMILARITY) if articles else []
    stories: list[tuple[tuple[int, int, int, int], Story]] = []
    for members in groups:
        lead = _lead(members, articles, vectors)
        # The lead, then the other reports as the story developed.
        others = [m for m in members if m != lead]
        others.sort(key=lambda m: (articles[m].published or dt.date.max, m))
        ordered = [lead, *others]
        story = Story(
            id=f"story-{articles[lead].id}",
            title=headline(articles[lead]),
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


_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


def named_actors(analysis: Analysis) -> set[str]:
    """The people, bodies and places an article names, as the week's actors merge them."""
    from briefgen.week.actors import canonical_key

    return {canonical_key(m) for m in analysis.mentions if m.type in _NAMED_TYPES}


# "HAVANA (AP) --", "ORSOVA, Tarsland (Meridian Wire) --", "(CNN)", "LONDON -", "By . Jane Doe ."
_DATELINE = re.compile(
    r"""^\s*(?:
        (?:[A-Z][A-Z'.\- ]+(?:,\s*[A-Z][\w.' ]+)?\s*)?\([^()]{1,40}\)\s*(?:--|—|–|-|:)?
      | [A-Z][A-Z'.\- ]{2,}(?:,\s*[A-Z][\w.' ]+)?\s*(?:--|—|–)
    )\s*""",
    re.X,
)
_BYLINE = re.compile(
    r"^\s*(?:By\s*\.\s*)?(?:[^.]{1,60}\s\.\s+)*(?:PUBLISHED:.*?UPDATED:\s*\.\s*[^.]*\d{4}\s*\.\s*)",
    re.S,
)
HEADLINE_CHARS = 110  # a made headline is cut at a clause boundary before this length
HEADLINE_MAX = 150  # ... or, failing one, the lead is kept whole up to this length
_CLAUSE = re.compile(r",\s|\s[-–—]+\s|;\s|\s(?:after|as|amid|while|because|but|which)\s")


_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|No|Jr|Sr))\.$")


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence, not an initial ("B.B. King")."""
    for m in _END.finditer(text):
        if not _ABBREVIATION.search(text[: m.start()].rstrip('"”’')):
            return text[: m.start()].strip()
    return text.strip()


def _shorten(sentence: str) -> str:
    """A long lead sentence cut at its last clause boundary in reach, else at a word that can
    end a phrase (no dangling "to an")."""
    for limit in (HEADLINE_CHARS, HEADLINE_MAX):
        cuts = [m.start() for m in _CLAUSE.finditer(sentence) if 30 <= m.start() <= limit]
        if cuts:
            return sentence[: cuts[-1]]
    if len(sentence) <= HEADLINE_MAX:
        return sentence
    words = sentence[: HEADLINE_CHARS + 1].split()[:-1]
    while len(words) > 4 and (words[-1].lower() in STOPWORDS or words[-1].lower() in _DANGLING):
        words.pop()
    return " ".join(words)


_DANGLING = frozenset(
    "a an the to of for and or but with his her their its from by at in on".split()
)


def headline(article: Article) -> str:
    """The article's title, or, when it has none, a headline made from its lead sentence.

    An article without a title is given its first line as one (ingest), often just a
    dateline, or a sentence cut with "...": those are recognised and replaced by the lead
    sentence without its dateline, shortened at a clause boundary, never cut mid-clause.
    """
    title = " ".join(article.title.split())
    first = " ".join(article.text.strip().split("\n", 1)[0].lstrip("#").split())
    derived = not title or title.endswith("...") or first.startswith(title.rstrip("."))
    if not derived and not _DATELINE.fullmatch(title):
        return title
    lead = _BYLINE.sub("", " ".join(article.text.split()), count=1)
    lead = _DATELINE.sub("", lead, count=1).lstrip(" .-–—:")
    sentence = _first_sentence(lead).rstrip(".")
    if len(sentence) > HEADLINE_CHARS:
        sentence = _shorten(sentence)
    sentence = sentence.strip(" ,;:-–—")
    if not sentence:
        return title or "Untitled article"
    return sentence[0].upper() + sentence[1:]


def _lead(members: list[int], articles: Sequence[Article], vectors: _Vectors | None) -> int:
    """The article most similar to the rest of its story; ties go to the earliest."""
    if len(members) == 1 or vectors is None:
        return members[0]

    def typicality(m: int) -> float:
        return sum(_cosine(vectors.weights[m], vectors.weights[o]) for o in members if o != m)

    return max(members, key=lambda m: (round(typicality(m), 9), -members.index(m)))


def _story_summary(
    analyses: Sequence[Analysis], *, sentences: int
) -> list[tuple[str, SummarySentence]]:
    """Across the story's articles: each report's best line, the lead's first, before anyone's
    second, so a story that develops over days is told by each day's news, not by the first
    report's background.

    A sentence is taken only when at most ``STORY_REPEAT`` of its terms were already said.
    """
    depth = max((len(a.summary) for a in analyses), default=0)
    queue = [
        (a.article.id, a.summary[rank])
        for rank in range(depth)
        for a in analyses
        if rank < len(a.summary)
    ]
    chosen: list[tuple[str, SummarySentence]] = []
    said: set[str] = set()
    for article_id, sentence in queue:
        if len(chosen) >= sentences:
            break
        words = set(_terms(sentence.text))
        if not words or len(words & said) > STORY_REPEAT * len(words):
            continue
        chosen.append((article_id, sentence))
        said |= words
    return chosen
