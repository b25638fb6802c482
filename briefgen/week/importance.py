"""Importance: what matters to the desk this week, and why.

Reads the week's stories, actors, upcoming dates and risks, the desk's watch terms and the
previous brief's data; adds a :class:`~briefgen.doc.Ranking` (a rank, a score and the reasons
of every story, actor, upcoming date and risk) and orders the stories by it.

A story matters by how many articles and outlets carry it, whether it develops over several
days, whether it is new since the previous brief, the upcoming dates and open risks in it and
the weight of its actors; one that touches a watch term ranks above every one that does not.
Actors, dates and risks then rank by the importance of the stories they belong to, times their
own score (an actor's part in the story and its salience, a date's deadline, a risk's score),
not by raw counts: an actor named in two hundred unrelated articles does not outrank the people
of the week's main story.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from briefgen.doc import Actor, Analysis, Rank, Ranking, Risk, Story, Upcoming
from briefgen.week import arrays, without_gc
from briefgen.words import WORD, content_words, overlap

WATCH = 100.0  # added to what touches a watch term: matches rank first
NEW = 0.5  # a story the previous brief did not have
CONTINUING = 0.25  # a story the previous brief had, still developing
DAY = 0.3  # each further day a story is reported on (up to MAX_DAYS)
MAX_DAYS = 6
DATE = 0.3  # each upcoming date in a story (up to three)
RISK = 0.4  # times the best risk score of a story
ACTORS = 1.0  # times the mean salience of a story's three leading actors
SAME_STORY_LAST_WEEK = 0.5  # title words shared with a story of the previous brief
QUIET_TYPES = {"NORP": 0.3, "OTHER": 0.5}  # descriptions and unnamed sources lead no story
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Watch:
    """A desk's watch term, matched as a whole word or phrase, ignoring case."""

    term: str
    pattern: re.Pattern[str]
    words: tuple[str, ...]

    @classmethod
    def of(cls, term: str) -> Watch:
        term = " ".join(term.split())
        words = r"\s+".join(re.escape(w) for w in term.split())
        return cls(
            term=term,
            pattern=re.compile(rf"(?<!\w){words}(?!\w)", re.I),
            words=_words(term),
        )

    def in_text(self, text: str) -> bool:
        return bool(self.pattern.search(text))

    def _in_name(self, name: str) -> bool:
        return _contains(_words(name), self.words)

    def names(self, actor: Actor) -> bool:
        """The term names the actor: it is in its name or an alias ("Castell" in "Mira
        Castell"), or the name is a phrase of the term ("Halvard" of "Halvard Dam" is not;
        "Elian Gonzalez" of "Elian Gonzalez case" is)."""
        for name in (actor.name, *actor.aliases):
            words = _words(name)
            if _contains(words, self.words) or (len(words) >= 2 and _contains(self.words, words)):
                return True
        return False

    def by(self, mention: str) -> bool:
        """A mention names what the term names: it holds the term ("Mira Castell" for
        "Castell"), it is a phrase of the term ("Halvard Dam" in "Halvard Dam repairs"), or
        an acronym."""
        words = _words(mention)
        return (
            _contains(words, self.words)
            or (len(words) >= 2 and _contains(self.words, words))
            or (len(words) == 1 and len(mention) >= 2 and mention.isupper())
        )


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in WORD.findall(text))


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """``part`` is a run of whole words of ``words``."""
    n = len(part)
    return n > 0 and any(words[i : i + n] == part for i in range(len(words) - n + 1))


def watch_terms(terms: Iterable[str]) -> list[Watch]:
    seen: dict[str, Watch] = {}
    for t in terms:
        if t.strip():
            w = Watch.of(t)
            seen.setdefault(w.term.casefold(), w)
    return list(seen.values())


@without_gc
def rank(
    analyses: Sequence[Analysis],
    stories: Sequence[Story],
    actors: Sequence[Actor],
    upcoming: Sequence[Upcoming],
    risks: Sequence[Risk],
    *,
    watch: Iterable[str] = (),
    previous: dict[str, Any] | None = None,
) -> tuple[list[Story], Ranking]:
    """The stories most important first, and the rank of every story, actor, date and risk."""
    terms = watch_terms(watch)
    story_of = {a: s.id for s in stories for a in s.articles}
    article = {a.article.id: a.article for a in analyses}

    # What each article touches: watch terms in its words or among the actors it names.
    touches: dict[str, set[str]] = defaultdict(set)
    actor_watch: dict[str, list[str]] = {}
    for w in terms:
        for a in analyses:
            if w.in_text(f"{a.article.title}\n{a.article.text}"):
                touches[a.article.id].add(w.term)
    for actor in actors if terms else ():
        hits = [w for w in terms if w.names(actor)]
        if hits:
            actor_watch[actor.id] = [w.term for w in hits]
            # An article touches the term through the actor only where it names the actor by
            # a name that is the term's ("USTR" for the Office of the U.S. Trade
            # Representative), not by a bare word a merge may have linked ("Dam").
            for m in actor.mentions:
                for w in hits:
                    if w.by(m.text):
                        touches[m.article].add(w.term)

    # Each story's actors, by mentions in its articles: millions of mentions, each read once for
    # its story's number; the (story, actor) pairs are counted in arrays, not a dict per actor.
    # A story's actors keep the actors' order (ties in ``most_common`` depend on it).
    per_story: dict[str, Counter[str]] = defaultdict(Counter)
    number = {s.id: k for k, s in enumerate(stories)}
    story_number = {a: number[sid] for a, sid in story_of.items()}
    home_at, who = arrays.by_mention(actors, story_number)
    kept = home_at >= 0
    pairs, tallies = arrays.counted(home_at[kept] * max(len(actors), 1) + who[kept])
    in_story, actor_at = np.divmod(pairs, max(len(actors), 1))
    cuts = np.flatnonzero(np.diff(in_story)) + 1
    ids = [a.id for a in actors]
    for k, names, tally in (
        zip(
            in_story[np.r_[0, cuts]].tolist(),
            np.split(actor_at, cuts),
            np.split(tallies, cuts),
            strict=True,
        )
        if len(pairs)
        else ()
    ):
        per_story[stories[k].id] = Counter(
            dict(zip(map(ids.__getitem__, names.tolist()), tally.tolist(), strict=True))
        )
    by_id = {a.id: a for a in actors}
    dates_in: Counter[str] = Counter(story_of[u.article] for u in upcoming if u.article in story_of)
    risk_in: dict[str, float] = {}
    risks_in: Counter[str] = Counter()
    homes_of = [_stories_of(r, story_of) for r in risks]  # read again below
    for r, where in zip(risks, homes_of, strict=True):
        for sid in where:
            risk_in[sid] = max(risk_in.get(sid, 0.0), r.score)
            risks_in[sid] += 1
    before = _previous_titles(previous)

    story_rank: dict[str, tuple[float, list[str]]] = {}
    for story in stories:
        days = {d for i in story.articles if (d := article[i].published) is not None}
        outlets = {article[i].source or article[i].id for i in story.articles}
        n = len(story.articles)
        score = math.log2(1 + n) + math.log2(len(outlets)) + DAY * min(len(days) - 1, MAX_DAYS)
        reasons: list[str] = []
        touched = sorted({t for i in story.articles for t in touches.get(i, ())})
        if touched:
            share = sum(1 for i in story.articles if touches.get(i)) / n
            score += WATCH * (0.5 + 0.5 * share)
            reasons += [f"watch: {t}" for t in touched]
        reasons.append(_coverage(n, len(outlets), len(days)))
        if before is not None:
            if _continues(story, before, article):
                score += CONTINUING
                reasons.append("developing since the last brief")
            else:
                score += NEW
                reasons.append("new since the last brief")
        if dates_in[story.id]:
            score += DATE * min(dates_in[story.id], 3)
            reasons.append(_plural(dates_in[story.id], "upcoming date"))
        if risks_in[story.id]:
            score += RISK * risk_in[story.id]
            reasons.append(_plural(risks_in[story.id], "open risk"))
        leading = [
            by_id[i]
            for i, _ in per_story[story.id].most_common()
            if by_id[i].type not in QUIET_TYPES
        ][:3]
        if leading:
            score += ACTORS * sum(a.salience for a in leading) / 3
            reasons.append("actors: " + ", ".join(a.name for a in leading))
        story_rank[story.id] = (score, reasons)

    order = sorted(stories, key=lambda s: -story_rank[s.id][0])
    ranking = Ranking(watch=tuple(w.term for w in terms))
    title = {s.id: s.title for s in stories}
    for position, story in enumerate(order, 1):
        value, why = story_rank[story.id]
        ranking.stories[story.id] = Rank(position, round(value, 3), tuple(why), (story.id,))
    place = {story.id: p for p, story in enumerate(order, 1)}

    reason_of: dict[str, str] = {}  # one string per story, not one per date or risk

    def story_reason(sid: str) -> str:
        found = reason_of.get(sid)
        if found is None:
            found = reason_of[sid] = f"story #{place[sid]}: {title[sid]}"
        return found

    stories_of_actor: dict[str, list[str]] = defaultdict(list)
    for sid, counts in per_story.items():
        for aid in counts:
            stories_of_actor[aid].append(sid)
    top_in = {sid: max(counts.values(), default=0) for sid, counts in per_story.items()}
    actor_scores: list[float] = []
    actor_reasons: list[tuple[str, ...]] = []
    actor_stories: list[tuple[str, ...]] = []
    for actor in actors:
        in_stories = sorted(stories_of_actor.get(actor.id, []), key=place.__getitem__)
        best, lead = 0.0, None
        for sid in in_stories:
            top = top_in[sid]
            part = story_rank[sid][0] * per_story[sid][actor.id] / top
            if part > best:
                best, lead = part, sid
        weight = best + 0.25 * math.log2(1 + len(in_stories))
        weight *= (0.5 + 0.5 * actor.salience) * QUIET_TYPES.get(actor.type, 1.0)
        because = [f"watch: {t}" for t in actor_watch.get(actor.id, [])]
        if because:
            weight += WATCH
        if lead is not None:
            because.append(story_reason(lead))
        because.append(
            f"in {_plural(len(in_stories), 'story', 'stories')}, "
            f"{_plural(len(actor.articles), 'article')}"
        )
        actor_scores.append(weight)
        actor_reasons.append(tuple(because))
        actor_stories.append(tuple(in_stories))
    ranking.actors = _ranked(actor_scores, [a.id for a in actors], actor_reasons, actor_stories)

    # Hundreds of thousands of dates and risks, in a few thousand stories: what depends only on
    # the item's story (its score, the reasons, the ids) is made once per story and shared.
    score_of = {sid: value for sid, (value, _) in story_rank.items()}
    # Columns read in C (``map``), each value worked out once per distinct input: a date's own
    # weight has eight possible values, its reasons one per story and deadline.
    get = operator.attrgetter
    date_homes = list(map(story_of.get, map(get("article"), upcoming)))
    deadlines = list(map(bool, map(get("deadline"), upcoming)))
    flags = list(
        zip(
            map(get("deadline"), upcoming),
            map(bool, map(get("actor"), upcoming)),
            map(bool, map(get("window_end"), upcoming)),
            strict=True,
        )
    )
    own_of = {f: 1.0 + 0.3 * f[0] + 0.2 * f[1] - 0.3 * f[2] for f in set(flags)}
    base_of: dict[str | None, float] = {None: 0.0}
    base_of.update(score_of)
    date_scores = list(
        map(operator.mul, map(base_of.__getitem__, date_homes), map(own_of.__getitem__, flags))
    )
    date_why: dict[tuple[str | None, bool], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for home, deadline in set(zip(date_homes, deadlines, strict=True)):
        because = [story_reason(home)] if home else []
        if deadline:
            because.append("deadline")
        date_why[home, deadline] = (tuple(because), _ids(home))
    why_of = list(map(date_why.__getitem__, zip(date_homes, deadlines, strict=True)))
    date_reasons = list(map(operator.itemgetter(0), why_of))
    date_stories = list(map(operator.itemgetter(1), why_of))
    date_keys = list(zip(map(get("article"), upcoming), map(get("start"), upcoming), strict=True))
    ranking.upcoming = _ranked(date_scores, date_keys, date_reasons, date_stories)

    alone: dict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    risk_keys: list[tuple[str, int]] = []
    risk_scores: list[float] = []
    risk_reasons: list[tuple[str, ...]] = []
    risk_stories: list[tuple[str, ...]] = []
    for r, found in zip(risks, homes_of, strict=True):
        if r.also:
            homes = tuple(sorted(found, key=place.__getitem__))
            said = [story_reason(homes[0])] if homes else []
            said.append(f"reported by {len({r.article, *(a for a, *_ in r.also)})} articles")
            risk_why = tuple(said)
        else:  # one article: in its story or none, the reasons that story's
            home = next(iter(found), None)
            shared = alone.get(home)
            if shared is None:
                shared = alone[home] = ((story_reason(home),) if home else (), _ids(home))
            risk_why, homes = shared
        risk_keys.append((r.article, r.start))
        risk_scores.append((score_of[homes[0]] if homes else 0.0) * r.score)
        risk_reasons.append(risk_why)
        risk_stories.append(homes)
    ranking.risks = _ranked(risk_scores, risk_keys, risk_reasons, risk_stories)
    return order, ranking


def _ids(story: str | None) -> tuple[str, ...]:
    return (story,) if story else ()


def _ranked(
    scores: list[float],
    keys: list[K],
    reasons: list[tuple[str, ...]],
    stories: list[tuple[str, ...]],
) -> dict[K, Rank]:
    """Ranks of the items given as columns, by score, best first; ties keep their order (a
    stable sort). The records are made in C (``map``): hundreds of thousands a week."""
    order = sorted(range(len(scores)), key=[-x for x in scores].__getitem__)
    taken = operator.itemgetter(*order) if len(order) > 1 else None

    def column(values: list[Any]) -> list[Any]:
        if taken is None:
            return [values[i] for i in order]
        return list(taken(values))

    ranks = map(
        Rank,
        itertools.count(1),
        map(round, column(scores), itertools.repeat(3)),
        column(reasons),
        column(stories),
    )
    return dict(zip(column(keys), ranks, strict=False))


def _stories_of(risk: Risk, story_of: dict[str, str]) -> set[str]:
    return {story_of[a] for a in (risk.article, *(a for a, *_ in risk.also)) if a in story_of}


def _coverage(articles: int, outlets: int, days: int) -> str:
    parts = [_plural(articles, "article")]
    if outlets > 1:
        parts.append(_plural(outlets, "outlet"))
    if days > 1:
        parts.append(_plural(days, "day"))
    return ", ".join(parts)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _previous_titles(previous: dict[str, Any] | None) -> tuple[set[str], list[set[str]]] | None:
    """The previous brief's article ids and the words of its story titles (None: no brief)."""
    if previous is None:
        return None
    ids = {str(a.get("id")) for a in previous.get("articles", []) if isinstance(a, dict)}
    titles = [
        content_words(str(s.get("title") or ""))
        for s in previous.get("stories", [])
        if isinstance(s, dict)
    ]
    return ids, [t for t in titles if t]


def _continues(story: Story, before: tuple[set[str], list[set[str]]], article: Any) -> bool:
    ids, titles = before
    if any(i in ids for i in story.articles):
        return True
    words = content_words(story.title)
    return bool(words) and any(overlap(words, t) >= SAME_STORY_LAST_WEEK for t in titles)
