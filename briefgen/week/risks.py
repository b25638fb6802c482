"""Open risks across the week: the same risk from several articles said once, ranked.

Reads every article's risks, the week's actors and stories; adds the ranked list with
``also`` (the other articles that state it) and ``group`` (its story or lead actor).
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from briefgen.doc import Actor, Risk, Story
from briefgen.week import without_gc
from briefgen.week.arrays import distinct
from briefgen.words import SAME_RISK, SAME_RISK_SAME_ACTOR

if TYPE_CHECKING:
    pass

_ARTICLE = operator.attrgetter("article")
_TEXT = operator.attrgetter("text")
_TERMS = operator.attrgetter("terms")
_Ints = npt.NDArray[np.int64]


# --- across articles ----------------------------------------------------------------------------


def _similar(a: Risk, b: Risk) -> bool:
    """The same risk in two articles: content words shared (proper names and cue words aside),
    with fewer needed when the two also name the same actor."""
    return _same(a, len(set(a.terms)), b, set(b.terms))


def _same(a: Risk, size: int, b: Risk, tb: set[str]) -> bool:
    """:func:`_similar` for ``a`` with ``size`` distinct terms and ``b`` with the terms ``tb``:
    the terms are counted first, the actors only when the terms leave it open (tried millions
    of times a week, each with a set made once)."""
    if not size or not tb:
        return False
    common = len(tb.intersection(a.terms))
    if common < _FEWEST:
        return False
    share = common / min(size, len(tb))
    if common >= max(SAME_RISK.shared, 1) and share >= SAME_RISK.share:
        return True
    if common < max(SAME_RISK_SAME_ACTOR.shared, 1) or share < SAME_RISK_SAME_ACTOR.share:
        return False
    return bool(set(a.actors) & set(b.actors)) or (a.poser is not None and a.poser == b.poser)


_FEWEST = max(min(SAME_RISK.shared, SAME_RISK_SAME_ACTOR.shared), 1)


def _cluster(ordered: list[Risk]) -> list[list[Risk]]:
    """Each risk joins the first earlier cluster whose first risk is :func:`_similar` and that
    has no risk from its article yet; else it starts a cluster.

    :func:`_similar` needs ``k`` shared terms (three), so only clusters whose first risk shares
    ``k`` terms can match. Those are found through term *pairs* (prefix filtering): with every
    risk's terms ordered rarest first across the week, two risks that share ``k`` terms share
    the pair of their two rarest shared terms, and that pair lies among the first ``m - k + 2``
    terms of each (the first of the two among the first ``m - k + 1``). Such pairs are rare:
    the earlier risks that share one with a risk are a few, where the risks that share a
    common word grew with the square of the week. They are found for every risk at once, in
    arrays (:func:`_earlier`); the clusters are then made in order, each risk trying the
    clusters those earlier risks started, in cluster order, as a loop over every cluster would.
    """
    earlier, bounds, sizes = _earlier(ordered, _FEWEST)
    clusters: list[list[Risk]] = []
    articles: list[set[str]] = []
    started = [-1] * len(ordered)  # the cluster a risk started
    for r, risk in enumerate(ordered):
        terms = set(risk.terms)
        # Earlier risks in order: the clusters they started are in cluster order too.
        for c in earlier[bounds[r] : bounds[r + 1]]:
            i = started[c]
            if i < 0 or risk.article in articles[i]:
                continue
            first = clusters[i][0]
            if _same(first, sizes[c], risk, terms):
                clusters[i].append(risk)
                articles[i].add(risk.article)
                break
        else:
            started[r] = len(clusters)
            clusters.append([risk])
            articles.append({risk.article})
    return clusters


def _earlier(ordered: list[Risk], k: int) -> tuple[list[int], list[int], list[int]]:
    """For each risk, the earlier risks that share a prefix pair of terms with it (see
    :func:`_cluster`), ascending: ``earlier[bounds[r]:bounds[r + 1]]`` for risk ``r``; and
    how many distinct terms each risk has."""
    n = len(ordered)
    df = Counter(itertools.chain.from_iterable(map(set, map(_TERMS, ordered))))
    rank = {t: i for i, t in enumerate(sorted(df, key=lambda t: (df[t], t)))}
    width = max(len(rank), 1)
    # Each risk's distinct terms by rank, rarest first: ``ids[start[r]:start[r] + m[r]]``.
    sizes = np.fromiter(map(len, map(_TERMS, ordered)), np.int64, n)
    terms = itertools.chain.from_iterable(map(_TERMS, ordered))
    flat = np.fromiter(map(rank.__getitem__, terms), np.int64, int(sizes.sum()))
    owner, ids = np.divmod(distinct(np.repeat(np.arange(n), sizes) * width + flat), width)
    m = np.bincount(owner, minlength=n)
    start = np.cumsum(m) - m
    del sizes, flat, owner
    # The pairs (i, j) of term positions of the prefix: i < j < m - k + 2 (and so i < m - k +
    # 1); single terms (i < m - k + 1) when one shared term is enough.
    keys: list[_Ints] = []
    holders: list[_Ints] = []
    top = int(m.max()) if n else 0
    for i in range(max(top - k + 1, 0)):
        if k < 2:
            rows = np.flatnonzero(m >= i + k)
            keys.append(ids[start[rows] + i])
            holders.append(rows)
            continue
        for j in range(i + 1, top - k + 2):
            rows = np.flatnonzero(m >= j + k - 1)
            keys.append(ids[start[rows] + i] * width + ids[start[rows] + j])
            holders.append(rows)
    if not keys:
        return [], [0] * (n + 1), m.tolist()
    key, holder = np.concatenate(keys), np.concatenate(holders)
    del keys, holders, ids
    # Each risk holds a key once: sorting key and holder as one number needs no second sort.
    if width * width * max(n, 1) < 1 << 62:
        key, holder = np.divmod(np.sort(key * n + holder), n)
    else:
        by_key = np.lexsort((holder, key))
        key, holder = key[by_key], holder[by_key]
        del by_key
    # Within each run of one key, every risk with each one before it.
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    run_start = np.flatnonzero(first)[np.cumsum(first) - 1]
    before = np.arange(len(key)) - run_start
    later = np.repeat(holder, before)
    at = (
        np.repeat(run_start, before)
        + np.arange(len(later))
        - np.repeat(np.cumsum(before) - before, before)
    )
    pairs = np.sort(later * n + holder[at])
    if len(pairs):
        pairs = pairs[np.append(True, pairs[1:] != pairs[:-1])]
    del key, first, run_start, before, later, at
    later, earlier = np.divmod(pairs, max(n, 1))
    bounds = np.concatenate(([0], np.cumsum(np.bincount(later, minlength=n))))
    return earlier.tolist(), bounds.tolist(), m.tolist()


@without_gc
def rank_risks(
    found: Iterable[Risk],
    *,
    actors: Sequence[Actor] = (),
    stories: Sequence[Story] = (),
    weight: Callable[[Risk], float] | None = None,
) -> list[Risk]:
    """Merge the same risk reported by several articles, score, group and rank them.

    The score adds to each risk's own (cue strength, future orientation) the salience of the
    actors it names and how many articles report it. Each merged risk keeps its best-scoring
    sentence and lists the others in ``also``. Risks are grouped by story when stories are
    known, otherwise by their article's lead actor; the list is ordered best first. A holder or
    poser that is a mention of an actor is named as the actor is ("the source" -> "A senior
    Canadian government official", "Carney" -> "Mark Carney").

    ``own_score`` stays the risk's own (severity, openness, likelihood, voice, salience and
    sources); ``weight`` (for example its story's importance) multiplies it into ``score``.
    """
    ordered = sorted(found, key=lambda r: (-r.score, r.article, r.start))
    clusters = _cluster(ordered)
    story_of = {a: s for s in stories for a in s.articles}
    # The actors are read for the names and articles the risks ask about only: a week of
    # 100,000 articles has 3.3 million mentions, and few of them name a risk's parties.
    parties = {n for r in ordered for n in _parties(r)}
    asked = {
        (best.article, n)
        for best in (c[0] for c in clusters)
        for n in (best.holder, best.poser, best.threatened)
        if n is not None
    }
    salience: dict[str, float] = {}
    named: dict[tuple[str, str], str] = {}
    for actor in actors:
        names = set(map(_TEXT, actor.mentions))
        names.add(actor.name)
        names.update(actor.aliases)
        for name in parties.intersection(names):
            salience[name] = max(salience.get(name, 0.0), actor.salience)
        if asked:
            places = zip(map(_ARTICLE, actor.mentions), map(_TEXT, actor.mentions), strict=True)
            for at in asked.intersection(places):
                named[at] = actor.name
    lead_of = _lead_actors(
        actors, {c[0].article for c in clusters if not any(r.article in story_of for r in c)}
    )
    # Per article, its people with a role, in the actors' order (a "the president" holder
    # looks among them only, not through every actor of the week).
    with_role: dict[str, list[Actor]] = {}
    for actor in actors:
        if actor.type == "PERSON" and actor.role is not None:
            for article in actor.articles:
                with_role.setdefault(article, []).append(actor)
    merged: list[Risk] = []
    for cluster in clusters:
        best = cluster[0]
        sal = max((salience.get(n, 0.0) for r in cluster for n in _parties(r)), default=0.0)
        sources = len({r.article for r in cluster})
        own = (best.own_score or best.score) + 0.2 * sal + 0.15 * min(sources - 1, 3)
        also = [*best.also]
        for r in cluster[1:]:
            also += [(r.article, r.start, r.end, r.text), *r.also]
        # One copy of the risk, not two, unless ``weight`` reads its own score first.
        own_score = round(own, 3)
        factor = weight(replace(best, own_score=own_score)) if weight is not None else 1.0
        merged.append(
            _replace(
                best,
                own_score=own_score,
                score=round(own * factor, 3),
                also=tuple(also),
                group=_group(cluster, story_of, lead_of),
                holder=_resolve(best.article, best.holder, named, with_role),
                poser=_resolve(best.article, best.poser, named, with_role),
                threatened=_resolve(best.article, best.threatened, named, with_role),
            )
        )
    merged.sort(key=lambda r: (-r.score, r.article, r.start))
    return merged


_RISK_FIELDS = tuple(f.name for f in fields(Risk))
_RISK_VALUES = operator.attrgetter(*_RISK_FIELDS)


_AT = {name: i for i, name in enumerate(_RISK_FIELDS)}
assert all(f.init and not f.kw_only for f in fields(Risk))  # each one positional, in order


def _replace(risk: Risk, **changes: Any) -> Risk:
    """:func:`dataclasses.replace` without its checks of every field, which cost more than the
    rest of the merge of a risk (500,000 risks at 100,000 articles)."""
    values = list(_RISK_VALUES(risk))
    for name, value in changes.items():
        values[_AT[name]] = value
    return Risk(*values)


def _parties(risk: Risk) -> tuple[str, ...]:
    """Who the risk is about: who warns of it, who poses it and who it threatens. An actor the
    sentence only mentions in passing ("said in Washington") does not make it weigh more."""
    return tuple(n for n in (risk.holder, risk.poser, risk.threatened) if n is not None)


def _resolve(
    article: str,
    name: str | None,
    named: dict[tuple[str, str], str],
    with_role: dict[str, list[Actor]],
) -> str | None:
    """The actor a holder, poser or threatened party names: a mention of it ("Carney" ->
    "Mark Carney"), or a role the article gives one person ("the president" -> Donald Trump)."""
    if name is None:
        return None
    if (article, name) in named:
        return named[(article, name)]
    lower = name.lower()
    if not lower.startswith("the "):
        return name
    title = lower.removeprefix("the ")
    holders = [
        a
        for a in with_role.get(article, ())
        if a.role is not None and title in a.role.lower().split()
    ]
    return max(holders, key=lambda a: a.salience).name if holders else name


def _group(cluster: list[Risk], story_of: dict[str, Story], lead_of: dict[str, str]) -> str:
    for r in cluster:
        story = story_of.get(r.article)
        if story is not None:
            return story.title
    return lead_of.get(cluster[0].article, "Other")


def _lead_actors(actors: Sequence[Actor], articles: set[str] | None = None) -> dict[str, str]:
    """Each article's lead actor (of ``articles`` only, when given): the one it mentions most,
    weighted by salience across the week.

    Articles that share a lead actor usually follow the same story, so the risks of articles
    with no story are grouped under it.
    """
    best: dict[str, tuple[float, str]] = {}
    for actor in actors:
        if actor.type in {"NORP", "OTHER"}:
            continue  # "Canadian" describes, it does not lead a story
        if articles is not None and articles.isdisjoint(actor.articles):
            continue
        counts = Counter(map(_ARTICLE, actor.mentions))
        for article in counts.keys() & articles if articles is not None else counts:
            n = counts[article]
            weight = n * (1.0 + actor.salience) * (1.0 + 0.2 * (len(actor.articles) - 1))
            if weight > best.get(article, (0.0, ""))[0]:
                best[article] = (weight, actor.name)
    return {article: name for article, (_, name) in best.items()}
