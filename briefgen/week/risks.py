"""Open risks across the week: the same risk from several articles said once, ranked.

Reads every article's risks, the week's actors and stories; adds the ranked list with
``also`` (the other articles that state it) and ``group`` (its story or lead actor).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefgen.doc import Actor, Risk, Story
from briefgen.week import without_gc
from briefgen.words import SAME_RISK, SAME_RISK_SAME_ACTOR

if TYPE_CHECKING:
    pass


# --- across articles ----------------------------------------------------------------------------


def _similar(a: Risk, b: Risk) -> bool:
    """The same risk in two articles: content words shared (proper names and cue words aside),
    with fewer needed when the two also name the same actor."""
    ta, tb = set(a.terms), set(b.terms)
    if not ta or not tb:
        return False
    shared_actor = bool(set(a.actors) & set(b.actors)) or (
        a.poser is not None and a.poser == b.poser
    )
    return SAME_RISK(ta, tb) or (shared_actor and SAME_RISK_SAME_ACTOR(ta, tb))


def _cluster(ordered: list[Risk]) -> list[list[Risk]]:
    """Each risk joins the first earlier cluster whose first risk is :func:`_similar` and that
    has no risk from its article yet; else it starts a cluster.

    :func:`_similar` needs ``k`` shared terms (three), so only clusters whose first risk shares
    ``k`` terms can match. Those are found through an index of term *pairs* (prefix filtering):
    with every risk's terms ordered rarest first across the week, two risks that share ``k``
    terms share the pair of their two rarest shared terms, and that pair lies among the first
    ``m - k + 2`` terms of each (the first of the two among the first ``m - k + 1``). Such pairs
    are rare, so a look-up costs a few candidates where an index of single terms returned every
    cluster that shares a common word, which grew with the square of the week (196 million
    postings read at 20,000 articles). Candidates are tried in cluster order, as before, so the
    clusters are the same.
    """
    k = max(min(SAME_RISK.shared, SAME_RISK_SAME_ACTOR.shared), 1)
    df = Counter(t for r in ordered for t in set(r.terms))
    rank = {t: n for n, t in enumerate(sorted(df, key=lambda t: (df[t], t)))}
    width = len(rank)
    clusters: list[list[Risk]] = []
    articles: list[set[str]] = []
    # pair -> the clusters whose first risk has it: one cluster (most pairs) or a list of them
    by_pair: dict[int, int | list[int]] = {}
    for risk in ordered:
        ids = sorted({rank[t] for t in risk.terms})
        pairs = _prefix_pairs(ids, k, width)
        found: set[int] = set()
        for pair in pairs:
            hit = by_pair.get(pair)
            if hit is None:
                continue
            if isinstance(hit, int):
                found.add(hit)
            else:
                found.update(hit)
        for i in sorted(found):
            if risk.article not in articles[i] and _similar(clusters[i][0], risk):
                clusters[i].append(risk)
                articles[i].add(risk.article)
                break
        else:
            clusters.append([risk])
            articles.append({risk.article})
            new = len(clusters) - 1
            for pair in pairs:
                hit = by_pair.get(pair)
                if hit is None:
                    by_pair[pair] = new
                elif isinstance(hit, int):
                    by_pair[pair] = [hit, new]
                else:
                    hit.append(new)
    return clusters


def _prefix_pairs(ids: list[int], k: int, width: int) -> list[int]:
    """The pairs of a risk's terms (rarest first, as ``ids``) that two risks sharing ``k``
    terms or more must both hold, each as one int (the terms themselves when one is enough)."""
    m = len(ids)
    if k < 2:
        return ids
    return [ids[i] * width + ids[j] for i in range(m - k + 1) for j in range(i + 1, m - k + 2)]


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
    salience: dict[str, float] = {}
    named: dict[tuple[str, str], str] = {}
    for actor in actors:
        for name in {actor.name, *actor.aliases, *(m.text for m in actor.mentions)}:
            salience[name] = max(salience.get(name, 0.0), actor.salience)
        for m in actor.mentions:
            named[(m.article, m.text)] = actor.name
    ordered = sorted(found, key=lambda r: (-r.score, r.article, r.start))
    clusters = _cluster(ordered)
    story_of = {a: s for s in stories for a in s.articles}
    lead_of = _lead_actors(actors)
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
            replace(
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


def _lead_actors(actors: Sequence[Actor]) -> dict[str, str]:
    """Each article's lead actor: the one it mentions most, weighted by salience across the week.

    Articles that share a lead actor usually follow the same story, so the risks of articles
    with no story are grouped under it.
    """
    best: dict[str, tuple[float, str]] = {}
    for actor in actors:
        if actor.type in {"NORP", "OTHER"}:
            continue  # "Canadian" describes, it does not lead a story
        counts = Counter(m.article for m in actor.mentions)
        for article, n in counts.items():
            weight = n * (1.0 + actor.salience) * (1.0 + 0.2 * (len(actor.articles) - 1))
            if weight > best.get(article, (0.0, ""))[0]:
                best[article] = (weight, actor.name)
    return {article: name for article, (_, name) in best.items()}
