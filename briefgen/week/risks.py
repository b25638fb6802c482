"""Open risks across the week: the same risk from several articles said once, ranked.

Reads every article's risks, the week's actors and stories; adds the ranked list with
``also`` (the other articles that state it) and ``group`` (its story or lead actor).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from briefgen.doc import Actor, Risk, Story
from briefgen.week import arrays, in_two_threads, records, without_gc
from briefgen.week.arrays import counted, distinct, places, ranges, rarest_first
from briefgen.words import SAME_RISK, SAME_RISK_SAME_ACTOR

_ARTICLE = operator.attrgetter("article")
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
_CELLS = 1 << 23  # the cells of the pairs compared at once, in each of two threads: 8 MB each


def _cluster(ordered: list[Risk]) -> list[list[Risk]]:
    """The clusters of :func:`_clusters`, as the risks themselves."""
    _, articles = _article_codes(ordered)
    members, begins = _clusters(ordered, articles.tolist())
    ends = [*begins.tolist()[1:], len(members)]
    return [[ordered[i] for i in members[b:e]] for b, e in zip(begins.tolist(), ends, strict=True)]


def _clusters(ordered: list[Risk], articles: list[int]) -> tuple[_Ints, _Ints]:
    """Each risk joins the first earlier cluster whose first risk is :func:`_similar` and that
    has no risk from its article (``articles``: a number per article) yet; else it starts a
    cluster. The clusters' risks as positions in ``ordered``, cluster after cluster, and where
    each cluster begins among them.

    :func:`_similar` needs ``k`` shared terms (three), so only clusters whose first risk shares
    ``k`` terms can match. Those are found through term *pairs* (prefix filtering): with every
    risk's terms ordered rarest first across the week, two risks that share ``k`` terms share
    the pair of their two rarest shared terms, and that pair lies among the first ``m - k + 2``
    terms of each (the first of the two among the first ``m - k + 1``). Such pairs are rare:
    the earlier risks that share one with a risk are a few, where the risks that share a
    common word grew with the square of the week. They are found for every risk at once, in
    arrays (:func:`_earlier`); the clusters are then made in order, each risk trying the
    clusters those earlier risks started, in cluster order, as a loop over every cluster would.
    A cluster is named by the risk that starts it: a risk with no earlier candidate starts one
    and needs no step in Python.
    """
    earlier, bounds, sure = _candidates(ordered)
    owner = list(range(len(ordered)))  # the risk that started each one's cluster
    seen: dict[int, set[int]] = {}  # the articles of each cluster of several risks
    for r in np.flatnonzero(np.diff(bounds)).tolist():
        article = articles[r]
        # Earlier risks in order: the clusters they started are in cluster order too.
        for at in range(bounds[r], bounds[r + 1]):
            e = earlier[at]
            if owner[e] != e:
                continue  # it joined a cluster, it started none
            had = seen.get(e)
            if article == articles[e] if had is None else article in had:
                continue
            if sure[at] or _same_actor(ordered[e], ordered[r]):
                owner[r] = e
                if had is None:
                    seen[e] = {articles[e], article}
                else:
                    had.add(article)
                break
    # Clusters in the order they started, each one's risks in order.
    by_owner = np.array(owner, dtype=np.int64)
    members = np.argsort(by_owner, kind="stable")
    first = np.ones(len(members), dtype=bool)
    first[1:] = by_owner[members[1:]] != by_owner[members[:-1]]
    return members, np.flatnonzero(first)


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
    # side never holds: the shared terms of a pair are its equal cells. The narrowest ints
    # that hold the ids, and a count in bytes (a row's terms are distinct: at most ``top``
    # equal cells): the blocks are read and summed a few times faster.
    top = int(m.max())
    terms = int(ids.max()) + 1 if len(ids) else 0
    kind = next(t for t in (np.int16, np.int32, np.int64) if terms < np.iinfo(t).max - 2)
    row = np.repeat(np.arange(n), m)
    table = np.full((n, top), -1, dtype=kind)
    table[row, np.arange(len(ids)) - start[row]] = ids
    other = np.where(table < 0, -2, table).astype(kind)
    del row
    common = np.empty(len(later), dtype=np.int64)
    step = max(1, _CELLS // (top * top))
    # Two threads, a block each in turn: numpy lets go of the interpreter in the gathers and
    # compares, so the second core, idle here, counts half the pairs.
    starts = range(0, len(later), step)
    cells = (table, other, earlier, later, common)
    in_two_threads(functools.partial(_count_shared, cells, step, top), starts[::2], starts[1::2])
    del cells, table, other
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


def _count_shared(
    cells: tuple[npt.NDArray[Any], npt.NDArray[Any], _Ints, _Ints, _Ints],
    step: int,
    top: int,
    starts: range,
) -> None:
    """The equal cells of each pair's rows (the shared terms), for the blocks of ``step``
    pairs that begin at ``starts``, into ``common``."""
    table, other, earlier, later, common = cells
    for b in starts:
        e, c = earlier[b : b + step], later[b : b + step]
        equal = table[e][:, :, None] == other[c][:, None, :]
        if top < 256:
            common[b : b + step] = equal.reshape(len(e), -1).view(np.uint8).sum(1, np.uint8)
        else:
            common[b : b + step] = equal.sum(axis=(1, 2))


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
    # How many risks hold each term, by its number: in order of first appearance, as
    # ``first_at`` is.
    df = np.bincount(at, minlength=span)
    at_ = np.flatnonzero(df)
    rank = np.empty(span, dtype=np.int64)
    rank[at_] = rarest_first(df[at_].tolist(), list(first_at))
    width = max(len(at_), 1)
    del at_, df, first_at
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
    before = places(key)
    later = np.repeat(holder, before)
    at = ranges(np.arange(len(key)) - before, before)
    pairs = distinct(later * n + holder[at])
    del key, before, later, at
    later, earlier = np.divmod(pairs, max(n, 1))
    return later, earlier, ids, start, m


@without_gc
def rank_risks(
    found: Iterable[Risk],
    *,
    actors: Sequence[Actor] = (),
    stories: Sequence[Story] = (),
    weight: Callable[[Risk], float] | None = None,
    mentions: arrays.ActorMentions | None = None,
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
    ``mentions``: the actors' mentions, read (:class:`~briefgen.week.arrays.ActorMentions`).

    A week of 100,000 articles has 500,000 risks in 367,000 clusters, 3.3 million mentions:
    articles, party names and actors are numbered, what a cluster needs is worked out in arrays
    and the merged risks are made in C from columns; Python loops over the clusters of several
    risks and over the parties that say "the ..." only.
    """
    found = list(found)
    article_ids, articles = _article_codes(found)
    by_rank = _best_first_order(found, articles)
    ordered = _take(found, by_rank)
    articles = articles[by_rank]
    members, begins = _clusters(ordered, articles.tolist())
    sizes = np.diff(np.append(begins, len(members)))
    firsts = members[begins].tolist()
    best = _take(ordered, firsts)
    first_article = articles[firsts]

    # Each party name numbered; each risk's parties as numbers (-1: none), a row per field.
    parties = list(itertools.chain.from_iterable(map(_PARTIES, ordered)))  # one read a risk
    party_names: list[str] = list(dict.fromkeys(parties))
    if None in party_names:
        party_names.remove(None)  # type: ignore[arg-type]
    party_number = dict(zip(party_names, itertools.count()))
    count = max(len(party_names), 1)
    party = np.fromiter(map(party_number.get, parties, itertools.repeat(-1)), np.int64)
    party = party.reshape(len(ordered), len(_PARTY_FIELDS)).T
    del parties

    # The actors' mentions and names that are a party's name: its salience is the most of
    # theirs (0 where none), and the last actor with such a mention in a risk's article names
    # that risk's party there.
    read = arrays.ActorMentions.of(actors, mentions)
    said = read.said(actors, party_number)
    where, who = read.numbered(actors, dict(zip(article_ids, itertools.count())))
    own_names = [(actor.name, *actor.aliases) for actor in actors]
    by_name = np.fromiter(
        map(party_number.get, itertools.chain.from_iterable(own_names), itertools.repeat(-1)),
        np.int64,
    )
    name_of = np.repeat(np.arange(len(actors), dtype=np.int64), list(map(len, own_names)))
    actor_salience = np.fromiter(map(_SALIENCE, actors), np.float64, len(actors))
    salience = np.zeros(count)
    hit, own_hit = (said >= 0) & (where >= 0), by_name >= 0
    np.maximum.at(
        salience,
        np.concatenate((said[said >= 0], by_name[own_hit])),
        actor_salience[np.concatenate((who[said >= 0], name_of[own_hit]))],
    )
    keys, named_by = arrays.last_by_key(where[hit] * count + said[hit], who[hit], len(actors))
    del said, hit, by_name, name_of, own_hit, own_names

    # A cluster's salience: the most of its risks' parties' (0 for none).
    of_risk = np.where(party >= 0, salience[np.maximum(party, 0)], 0.0).max(axis=0, initial=0.0)
    sal = np.maximum.reduceat(of_risk[members], begins) if len(members) else np.zeros(0)
    base = [o or s for o, s in map(_OWN_AND_SCORE, best)]
    # A cluster's risks are of different articles (see _clusters).
    own = (np.array(base, np.float64) + 0.2 * sal + 0.15 * np.minimum(sizes - 1, 3)).tolist()
    own_scores = list(map(round, own, itertools.repeat(3)))
    scores = own_scores
    if weight is not None:
        factors = [weight(replace(b, own_score=o)) for b, o in zip(best, own_scores, strict=True)]
        scores = [round(x * f, 3) for x, f in zip(own, factors, strict=True)]

    # Best first, by (-score, article, start) as :func:`_best_first_order`; the best risks'
    # fields read in that order, each record in one pass, and the new ones put in their place.
    starts = np.fromiter(map(_START, best), np.int64, len(best))
    order = np.lexsort((starts, first_article, -np.array(scores, np.float64)))
    at_rank = order.tolist()
    values: list[Sequence[Any]] = list(zip(*map(_RISK_VALUES, _take(best, at_rank)), strict=True))
    if not values:
        return []
    values[_OWN_SCORE], values[_SCORE] = _take(own_scores, at_rank), _take(scores, at_rank)
    also = _also(ordered, members, begins, list(map(_ALSO_OF, best)))
    values[_ALSO] = _take(also, at_rank)
    groups = _groups(
        stories, article_ids, articles[members], begins, first_article, actors, where, who
    )
    values[_GROUP] = _take(groups, at_rank)
    del where, who
    rank_of = np.empty(len(order), dtype=np.int64)
    rank_of[order] = np.arange(len(order))
    the = [n.lower().startswith("the ") for n in party_names]
    with_role: dict[str, list[Actor]] | None = None
    actor_names = np.array([a.name for a in actors] or [""], dtype=object)
    for field, row in zip(_PARTY_FIELDS, party[:, firsts], strict=True):
        names = np.array(values[field], dtype=object)
        # Named by an actor's mention in the risk's article.
        key = first_article * count + row
        named = arrays.lookup(keys, named_by, key)
        known = (row >= 0) & (named >= 0)
        names[rank_of[known]] = actor_names[named[known]]
        # Else a role ("the president"): only names that say "the ..." look for one.
        if any(the):
            for k in np.flatnonzero((row >= 0) & ~known).tolist():
                if the[row[k]]:
                    if with_role is None:
                        with_role = _with_role(actors)
                    names[rank_of[k]] = _by_role(best[k].article, names[rank_of[k]], with_role)
        values[field] = names.tolist()
    return records(Risk, values)


_SCORE_OF = operator.attrgetter("score")
_START = operator.attrgetter("start")
_SALIENCE = operator.attrgetter("salience")
_ALSO_OF = operator.attrgetter("also")
_SAID = operator.attrgetter("article", "start", "end", "text")


def _article_codes(risks: Sequence[Risk]) -> tuple[list[str], _Ints]:
    """The risks' articles, sorted, and each risk's article as its position among them."""
    ids = list(map(_ARTICLE, risks))
    names = sorted(set(ids))
    number = dict(zip(names, itertools.count()))
    return names, np.fromiter(map(number.__getitem__, ids), np.int64, len(ids))


def _best_first_order(risks: Sequence[Risk], articles: _Ints) -> list[int]:
    """The positions of ``risks`` sorted by ``(-score, article, start)``, ties in their order (a
    stable sort); ``articles`` numbers the articles in the order of their ids."""
    n = len(risks)
    starts = np.fromiter(map(_START, risks), np.int64, n)
    scores = np.fromiter(map(_SCORE_OF, risks), np.float64, n)
    order: list[int] = np.lexsort((starts, articles, -scores)).tolist()
    return order


def _also(
    ordered: list[Risk], members: _Ints, begins: _Ints, firsts: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Each cluster's ``also``: its best risk's, then each other risk's place and text and its
    own ``also``. Made in C where no risk has one of its own yet (as from the articles)."""
    rest = np.ones(len(members), dtype=bool)
    rest[begins] = False
    others = members[rest].tolist()
    ends = np.append(begins[1:], len(members))
    several = np.flatnonzero(ends - begins > 1)
    lo = (begins - np.arange(len(begins)))[several].tolist()
    hi = (ends - np.arange(1, len(begins) + 1))[several].tolist()
    also = list(firsts)
    if any(firsts) or any(map(_ALSO_OF, _take(ordered, others))):
        for k, b, e in zip(several.tolist(), lo, hi, strict=True):
            more = [*also[k]]
            for r in others[b:e]:
                risk = ordered[r]
                more += [(risk.article, risk.start, risk.end, risk.text), *risk.also]
            also[k] = tuple(more)
        return also
    said = list(map(_SAID, _take(ordered, others)))
    for k, told in zip(
        several.tolist(), map(tuple, map(said.__getitem__, map(slice, lo, hi))), strict=True
    ):
        also[k] = told
    return also


def _take(values: Sequence[Any], order: Sequence[int]) -> list[Any]:
    """``[values[i] for i in order]``, in C."""
    if len(order) > 1:
        return list(operator.itemgetter(*order)(values))
    return [values[i] for i in order]


_RISK_FIELDS = tuple(f.name for f in fields(Risk))
_RISK_VALUES = operator.attrgetter(*_RISK_FIELDS)
_PARTIES = operator.attrgetter("holder", "poser", "threatened")
_OWN_AND_SCORE = operator.attrgetter("own_score", "score")


_AT = {name: i for i, name in enumerate(_RISK_FIELDS)}
assert all(f.init and not f.kw_only for f in fields(Risk))  # each one positional, in order
_OWN_SCORE, _SCORE, _ALSO, _GROUP = _AT["own_score"], _AT["score"], _AT["also"], _AT["group"]
_PARTY_FIELDS = (_AT["holder"], _AT["poser"], _AT["threatened"])


def _with_role(actors: Sequence[Actor]) -> dict[str, list[Actor]]:
    """Per article, its people with a role, in the actors' order (a "the president" holder
    looks among them only, not through every actor of the week)."""
    with_role: dict[str, list[Actor]] = {}
    for actor in actors:
        if actor.type == "PERSON" and actor.role is not None:
            for article in actor.articles:
                with_role.setdefault(article, []).append(actor)
    return with_role


def _by_role(article: str, name: str, with_role: dict[str, list[Actor]]) -> str:
    """The person a "the ..." party names by a role its article gives them ("the president" ->
    Donald Trump), the most salient of several; else the name itself."""
    title = name.lower().removeprefix("the ")
    holders = [
        a
        for a in with_role.get(article, ())
        if a.role is not None and title in a.role.lower().split()
    ]
    return max(holders, key=lambda a: a.salience).name if holders else name


def _groups(
    stories: Sequence[Story],
    article_ids: list[str],
    articles: _Ints,
    begins: _Ints,
    first_article: _Ints,
    actors: Sequence[Actor],
    where: _Ints,
    who: _Ints,
) -> list[str]:
    """Each cluster's group: the story of its first risk that has one, else its best risk's
    article's lead actor, else "Other". ``articles``: the clusters' risks' articles, cluster
    after cluster, from ``begins``; ``where`` and ``who``: the mentions' articles and actors."""
    story_of = {a: s for s in stories for a in s.articles}
    titles = [story_of[a].title if a in story_of else None for a in article_ids]
    in_story = np.array([t is not None for t in titles], dtype=bool)
    n = len(articles)
    at = np.where(in_story[articles], np.arange(n), n) if n else articles
    first_in = np.minimum.reduceat(at, begins) if n else begins
    alone = first_in == n
    lead_of = _lead_actors(actors, distinct(first_article[alone]), article_ids, where, who)
    in_story_at = np.where(alone, 0, articles[np.minimum(first_in, max(n - 1, 0))]).tolist()
    return [
        lead_of.get(f, "Other") if a else titles[s]
        for a, s, f in zip(alone.tolist(), in_story_at, first_article.tolist(), strict=True)
    ]


def _lead_actors(
    actors: Sequence[Actor], articles: _Ints, article_ids: list[str], where: _Ints, who: _Ints
) -> dict[int, str]:
    """Each article's lead actor (of ``articles``, numbers of ``article_ids``): the one it
    mentions most, weighted by salience across the week; ties to the first actor. ``where``
    and ``who``: every mention's article number (-1 for another article) and actor.

    Articles that share a lead actor usually follow the same story, so the risks of articles
    with no story are grouped under it.
    """
    if not len(articles) or not len(actors):
        return {}
    asked = {article_ids[a] for a in articles.tolist()}
    # "Canadian" describes, it does not lead a story.
    may = np.array(
        [a.type not in {"NORP", "OTHER"} and not asked.isdisjoint(a.articles) for a in actors],
        dtype=bool,
    )
    wanted = np.zeros(len(article_ids) + 1, dtype=bool)  # the last: a mention's -1
    wanted[articles] = True
    kept = wanted[where] & may[who]
    width = len(actors)
    pairs, n = counted(where[kept] * width + who[kept])
    article, actor = np.divmod(pairs, width)
    salience = np.fromiter(map(_SALIENCE, actors), np.float64, width)
    spread = np.fromiter((len(a.articles) for a in actors), np.int64, width)
    weight = n * (1.0 + salience[actor]) * (1.0 + 0.2 * (spread[actor] - 1))
    by_weight = np.lexsort((actor, -weight, article))
    article, actor, weight = article[by_weight], actor[by_weight], weight[by_weight]
    top = np.ones(len(article), dtype=bool)
    top[1:] = article[1:] != article[:-1]
    top &= weight > 0.0
    names = [actors[k].name for k in actor[top].tolist()]
    return dict(zip(article[top].tolist(), names, strict=True))
