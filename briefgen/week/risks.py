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
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from briefgen.doc import Actor, Risk, Story
from briefgen.week import without_gc
from briefgen.week.arrays import counted, distinct, ranges
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
    the terms are counted first, the actors only when the terms leave it open. The week's
    candidate pairs take the same tests in arrays (:func:`_candidates`): keep the two alike."""
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
    earlier, bounds, sure = _candidates(ordered)
    clusters: list[list[Risk]] = []
    articles: list[set[str]] = []
    started = [-1] * len(ordered)  # the cluster a risk started
    for r, risk in enumerate(ordered):
        # Earlier risks in order: the clusters they started are in cluster order too.
        for at in range(bounds[r], bounds[r + 1]):
            i = started[earlier[at]]
            if i < 0 or risk.article in articles[i]:
                continue
            if sure[at] or _same_actor(clusters[i][0], risk):
                clusters[i].append(risk)
                articles[i].add(risk.article)
                break
        else:
            started[r] = len(clusters)
            clusters.append([risk])
            articles.append({risk.article})
    return clusters


def _same_actor(a: Risk, b: Risk) -> bool:
    """The last test of :func:`_same`, for two risks whose terms leave it open."""
    return bool(set(a.actors) & set(b.actors)) or (a.poser is not None and a.poser == b.poser)


def _candidates(ordered: list[Risk]) -> tuple[list[int], list[int], list[bool]]:
    """For each risk ``r``, the earlier risks its terms may match (:func:`_same`), ascending:
    ``earlier[bounds[r]:bounds[r + 1]]``; and for each, whether the terms alone match (else
    the actors decide).

    The candidates sharing a prefix pair grow faster than the week (4.5 million at 100,000
    articles): their terms are compared here all at once, and only those that may match are
    tried in order by :func:`_cluster`, in Python."""
    n = len(ordered)
    later, earlier, ids, start, m = _earlier(ordered, _FEWEST)
    if not len(later):
        return [], [0] * (n + 1), []
    # Each risk's distinct term ids in a row, padded on each side with a value the other
    # side never holds: the shared terms of a pair are its equal cells.
    top = int(m.max())
    row = np.repeat(np.arange(n), m)
    table = np.full((n, top), -1, dtype=np.int64)
    table[row, np.arange(len(ids)) - start[row]] = ids
    other = np.where(table < 0, -2, table)
    del row
    common = np.empty(len(later), dtype=np.int64)
    step = max(1, (1 << 24) // (top * top))  # pairs a block: a few dozen MB of cells
    for b in range(0, len(later), step):
        e, c = earlier[b : b + step], later[b : b + step]
        common[b : b + step] = (table[e][:, :, None] == other[c][:, None, :]).sum(axis=(1, 2))
    del table, other
    # _same's tests, in the same order, on the same floats.
    share = common / np.maximum(np.minimum(m[earlier], m[later]), 1)
    may = common >= _FEWEST
    sure = may & (common >= max(SAME_RISK.shared, 1)) & (share >= SAME_RISK.share)
    may &= sure | (
        (common >= max(SAME_RISK_SAME_ACTOR.shared, 1)) & (share >= SAME_RISK_SAME_ACTOR.share)
    )
    del common, share
    later, earlier, sure = later[may], earlier[may], sure[may]
    bounds = np.concatenate(([0], np.cumsum(np.bincount(later, minlength=n))))
    return earlier.tolist(), bounds.tolist(), sure.tolist()


def _earlier(ordered: list[Risk], k: int) -> tuple[_Ints, _Ints, _Ints, _Ints, _Ints]:
    """The pairs of a risk and an earlier one that share a prefix pair of terms (see
    :func:`_cluster`), ordered by the later then the earlier; and each risk's distinct terms
    by rank, rarest first (``ids[start[r]:start[r] + m[r]]``), with their number ``m``."""
    n = len(ordered)
    # Each term numbered by where it first appears (one dict pass, no set per risk), then
    # ranked by how many risks hold it, rarest first, ties by the term.
    sizes = np.fromiter(map(len, map(_TERMS, ordered)), np.int64, n)
    total = int(sizes.sum())
    terms = itertools.chain.from_iterable(map(_TERMS, ordered))
    first_at: dict[str, int] = {}
    flat = np.fromiter(map(first_at.setdefault, terms, itertools.count()), np.int64, total)
    span = max(total, 1)
    owner, at = np.divmod(distinct(np.repeat(np.arange(n), sizes) * span + flat), span)
    del sizes, flat
    at_, df = counted(at)  # in order of first appearance, as ``first_at`` is
    order = list(zip(df.tolist(), first_at, strict=True))
    by_rank = sorted(range(len(order)), key=order.__getitem__)
    rank = np.empty(span, dtype=np.int64)
    rank[at_[by_rank]] = np.arange(len(order))
    width = max(len(order), 1)
    del at_, df, order, by_rank, first_at
    # Each risk's distinct terms by rank, rarest first: ``ids[start[r]:start[r] + m[r]]``.
    owner, ids = np.divmod(np.sort(owner * width + rank[at]), width)
    del at, rank
    m = np.bincount(owner, minlength=n)
    start = np.cumsum(m) - m
    del owner
    empty = np.zeros(0, np.int64)
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
        return empty, empty, ids, start, m
    key, holder = np.concatenate(keys), np.concatenate(holders)
    del keys, holders
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
    at = ranges(run_start, before)
    pairs = distinct(later * n + holder[at])
    del key, first, run_start, before, later, at
    later, earlier = np.divmod(pairs, max(n, 1))
    return later, earlier, ids, start, m


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
    ordered = _best_first(found)
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
    asked_names = {n for _, n in asked}
    for actor in actors:
        # Looked up in the parties, not made a set: most of an actor's mentions name none.
        hits = parties.intersection(map(_TEXT, actor.mentions))
        for name in hits.union(parties.intersection((actor.name, *actor.aliases))):
            salience[name] = max(salience.get(name, 0.0), actor.salience)
        if not asked_names.isdisjoint(hits):
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
    get = salience.get
    for cluster in clusters:
        best = cluster[0]
        sal = max([get(n, 0.0) for r in cluster for n in _parties(r)], default=0.0)
        # A cluster's risks are of different articles (see _cluster).
        own = (best.own_score or best.score) + 0.2 * sal + 0.15 * min(len(cluster) - 1, 3)
        also = [*best.also]
        for r in cluster[1:]:
            also += [(r.article, r.start, r.end, r.text), *r.also]
        # One copy of the risk, not two, unless ``weight`` reads its own score first.
        own_score = round(own, 3)
        factor = weight(replace(best, own_score=own_score)) if weight is not None else 1.0
        # The merged risk made from the best one's fields, as :func:`dataclasses.replace` would
        # without its checks of every field (367,000 clusters at 100,000 articles).
        values = list(_RISK_VALUES(best))
        values[_OWN_SCORE] = own_score
        values[_SCORE] = round(own * factor, 3)
        values[_ALSO] = tuple(also) if len(cluster) > 1 else best.also
        values[_GROUP] = _group(cluster, story_of, lead_of)
        for party in _PARTY_FIELDS:
            if values[party] is not None:
                values[party] = _resolve(best.article, values[party], named, with_role)
        merged.append(Risk(*values))
    return _best_first(merged)


_PLACE = operator.attrgetter("article", "start")
_SCORE_OF = operator.attrgetter("score")


def _best_first(risks: Iterable[Risk]) -> list[Risk]:
    """Sorted by ``(-score, article, start)``: by place, then by score alone (a stable sort,
    stable in reverse too), with keys read in C rather than a tuple made per risk."""
    out = sorted(risks, key=_PLACE)
    out.sort(key=_SCORE_OF, reverse=True)
    return out


_RISK_FIELDS = tuple(f.name for f in fields(Risk))
_RISK_VALUES = operator.attrgetter(*_RISK_FIELDS)


_AT = {name: i for i, name in enumerate(_RISK_FIELDS)}
assert all(f.init and not f.kw_only for f in fields(Risk))  # each one positional, in order
_OWN_SCORE, _SCORE, _ALSO, _GROUP = _AT["own_score"], _AT["score"], _AT["also"], _AT["group"]
_PARTY_FIELDS = (_AT["holder"], _AT["poser"], _AT["threatened"])


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
        ids = map(_ARTICLE, actor.mentions)
        # Only the articles asked about are counted.
        counts = Counter(ids if articles is None else filter(articles.__contains__, ids))
        for article in counts:
            n = counts[article]
            weight = n * (1.0 + actor.salience) * (1.0 + 0.2 * (len(actor.articles) - 1))
            if weight > best.get(article, (0.0, ""))[0]:
                best[article] = (weight, actor.name)
    return {article: name for article, (_, name) in best.items()}
