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
from briefgen.week import arrays, records, without_gc
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
    mentions: arrays.ActorMentions | None = None,
) -> tuple[list[Story], Ranking]:
    """The stories most important first, and the rank of every story, actor, date and risk.

    ``mentions``: the actors' mentions, read (:class:`~briefgen.week.arrays.ActorMentions`)."""
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

    # Each story's actors, by mentions in its articles: millions of mentions, numbered by story
    # through a table of the articles (ActorMentions); the (story, actor) pairs are counted in
    # arrays, by story then actor.
    number = {s.id: k for k, s in enumerate(stories)}
    story_number = {a: number[sid] for a, sid in story_of.items()}
    home_at, who = arrays.numbered_mentions(actors, story_number, mentions)
    kept = home_at >= 0
    width = max(len(actors), 1)
    pairs, tallies = arrays.counted(home_at[kept] * width + who[kept])
    in_story, actor_at = np.divmod(pairs, width)
    del home_at, who, kept, pairs
    # A story's leading actors: by mentions, ties in the actors' order (as ``most_common``
    # keeps them), descriptions and unnamed sources left out.
    quiet = np.fromiter((a.type in QUIET_TYPES for a in actors), bool, len(actors))
    loud = np.flatnonzero(~quiet[actor_at])
    by_count = loud[np.lexsort((actor_at[loud], -tallies[loud], in_story[loud]))]
    lead_story = in_story[by_count]
    new_story = np.ones(len(lead_story), dtype=bool)
    new_story[1:] = lead_story[1:] != lead_story[:-1]
    run_start = np.flatnonzero(new_story)
    within = np.arange(len(lead_story)) - run_start[np.cumsum(new_story) - 1]
    top3 = within < 3
    leading_of: dict[int, list[Actor]] = defaultdict(list)
    for k, i in zip(lead_story[top3].tolist(), actor_at[by_count[top3]].tolist(), strict=True):
        leading_of[k].append(actors[i])

    get = operator.attrgetter
    date_fields = get("article", "start", "deadline", "actor", "window_end")
    date_rows = list(zip(*map(date_fields, upcoming), strict=True))
    date_articles, date_starts, date_deadlines, date_actors, date_windows = date_rows or ([],) * 5
    date_homes = list(map(story_of.get, date_articles))
    dates_in: Counter[str | None] = Counter(date_homes)
    # A risk's stories: its article's, unless other articles report it too.
    risk_rows = list(zip(*map(get("article", "start", "score", "also"), risks), strict=True))
    risk_articles, risk_starts, risk_scores, risk_also = risk_rows or ([],) * 4
    risk_home = list(map(story_of.get, risk_articles))
    several = {
        i: _stories_of(risks[i], story_of) for i in itertools.compress(range(len(risks)), risk_also)
    }
    # Each story's best risk score (never below 0) and its number of risks: the last of a
    # story's scores in ascending order is its best.
    by_score = np.argsort(np.array(risk_scores, dtype=np.float64), kind="stable").tolist()
    best_of = dict(zip(_take(risk_home, by_score), _take(risk_scores, by_score), strict=True))
    risk_in = {h: v if v > 0.0 else 0.0 for h, v in best_of.items() if h is not None}
    risks_in: Counter[str | None] = Counter(risk_home)
    for i, where in several.items():
        if (own := risk_home[i]) is not None:
            risks_in[own] -= 1  # counted above as its article's alone
        for sid in where:
            risk_in[sid] = max(risk_in.get(sid, 0.0), risks[i].score)
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
        leading = leading_of.get(number[story.id], [])
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

    # An actor's part in a story: the story's score times its mentions there over the most of
    # any actor there; its lead story the first best part in rank order. In arrays, over the
    # (story, actor) pairs.
    story_ids = [s.id for s in stories]
    story_place = np.fromiter(map(place.__getitem__, story_ids), np.int64, len(stories))
    story_score = np.fromiter((story_rank[sid][0] for sid in story_ids), np.float64, len(stories))
    top = np.zeros(len(stories), dtype=np.int64)
    np.maximum.at(top, in_story, tallies)
    part = story_score[in_story] * tallies / top[in_story]
    by_part = np.lexsort((story_place[in_story], -part, actor_at))
    first = np.ones(len(by_part), dtype=bool)
    first[1:] = actor_at[by_part[1:]] != actor_at[by_part[:-1]]
    led = by_part[first]
    led = led[part[led] > 0.0]
    best = np.zeros(len(actors))
    best[actor_at[led]] = part[led]
    lead = np.full(len(actors), -1, dtype=np.int64)
    lead[actor_at[led]] = in_story[led]
    in_count = np.bincount(actor_at, minlength=len(actors))
    counts = in_count.tolist()
    spread = dict.fromkeys(counts)
    spread = {c: 0.25 * math.log2(1 + c) for c in spread}
    weight = best + np.fromiter(map(spread.__getitem__, counts), np.float64, len(actors))
    salience = np.fromiter(map(get("salience"), actors), np.float64, len(actors))
    quieter = np.fromiter((QUIET_TYPES.get(a.type, 1.0) for a in actors), np.float64, len(actors))
    weight *= (0.5 + 0.5 * salience) * quieter
    watched = [actor_watch.get(a.id, []) for a in actors] if actor_watch else []
    for i, hit in enumerate(watched):
        if hit:
            weight[i] += WATCH
    # Each actor's stories in rank order, as slices of one list.
    by_place = np.lexsort((story_place[in_story], actor_at))
    in_order = _take(story_ids, in_story[by_place].tolist())
    ends = np.cumsum(in_count)
    actor_stories = list(
        map(tuple, map(in_order.__getitem__, map(slice, (ends - in_count).tolist(), ends.tolist())))
    )
    said_in: dict[tuple[int, int], str] = {}
    actor_reasons: list[tuple[str, ...]] = []
    for i, (actor, k, c) in enumerate(zip(actors, lead.tolist(), counts, strict=True)):
        because = [f"watch: {t}" for t in watched[i]] if watched else []
        if k >= 0:
            because.append(story_reason(story_ids[k]))
        key = (c, len(actor.articles))
        line = said_in.get(key)
        if line is None:
            line = said_in[key] = (
                f"in {_plural(c, 'story', 'stories')}, {_plural(key[1], 'article')}"
            )
        because.append(line)
        actor_reasons.append(tuple(because))
    ranking.actors = _ranked(weight.tolist(), [a.id for a in actors], actor_reasons, actor_stories)

    # Hundreds of thousands of dates and risks, in a few thousand stories: what depends only on
    # the item's story (its score, the reasons, the ids) is made once per story and shared.
    score_of = {sid: value for sid, (value, _) in story_rank.items()}
    base_of: dict[str | None, float] = {None: 0.0}
    base_of.update(score_of)
    # A date's score and reasons depend on its story and three flags only: worked out once for
    # each such kind (a few per story), the columns read in C (``map``).
    kinds = list(
        zip(
            date_homes,
            date_deadlines,
            map(bool, date_actors),
            map(bool, date_windows),
            strict=True,
        )
    )
    made: dict[tuple[str | None, bool, bool, bool], tuple[float, tuple[str, ...], tuple[str, ...]]]
    made = {}
    for kind in set(kinds):
        home, deadline, actor_named, window = kind
        own = 1.0 + 0.3 * deadline + 0.2 * actor_named - 0.3 * window
        because = [story_reason(home)] if home else []
        if deadline:
            because.append("deadline")
        made[kind] = (base_of[home] * own, tuple(because), _ids(home))
    dated = list(map(made.__getitem__, kinds))
    date_scores = list(map(operator.itemgetter(0), dated))
    date_reasons = list(map(operator.itemgetter(1), dated))
    date_stories = list(map(operator.itemgetter(2), dated))
    date_keys = list(zip(date_articles, date_starts, strict=True))
    ranking.upcoming = _ranked(date_scores, date_keys, date_reasons, date_stories)

    # A risk of one article: in its story or none, the reasons that story's, shared.
    alone: dict[str | None, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for home in set(risk_home):
        alone[home] = ((story_reason(home),) if home else (), _ids(home))
    shared = list(map(alone.__getitem__, risk_home))
    risk_reasons = list(map(operator.itemgetter(0), shared))
    risk_stories = list(map(operator.itemgetter(1), shared))
    risk_values = list(map(operator.mul, map(base_of.__getitem__, risk_home), risk_scores))
    for i, found in several.items():
        r = risks[i]
        homes = tuple(sorted(found, key=place.__getitem__))
        said = [story_reason(homes[0])] if homes else []
        said.append(f"reported by {len({r.article, *(a for a, *_ in r.also)})} articles")
        risk_reasons[i] = tuple(said)
        risk_stories[i] = homes
        risk_values[i] = (score_of[homes[0]] if homes else 0.0) * r.score
    risk_keys = list(zip(risk_articles, risk_starts, strict=True))
    ranking.risks = _ranked(risk_values, risk_keys, risk_reasons, risk_stories)
    return order, ranking


def _take(values: Sequence[Any], order: Sequence[int]) -> list[Any]:
    """``[values[i] for i in order]``, in C."""
    if len(order) > 1:
        return list(operator.itemgetter(*order)(values))
    return [values[i] for i in order]


def _ids(story: str | None) -> tuple[str, ...]:
    return (story,) if story else ()


def _ranked(
    scores: list[float],
    keys: list[K],
    reasons: list[tuple[str, ...]],
    stories: list[tuple[str, ...]],
) -> dict[K, Rank]:
    """Ranks of the items given as columns, by score, best first; ties keep their order (a
    stable sort). The records are made in C (:func:`~briefgen.week.records`): hundreds of
    thousands a week."""
    order = np.argsort(-np.array(scores, dtype=np.float64), kind="stable").tolist()
    taken = operator.itemgetter(*order) if len(order) > 1 else None

    def column(values: list[Any]) -> list[Any]:
        if taken is None:
            return [values[i] for i in order]
        return list(taken(values))

    ranks = records(
        Rank,
        [
            range(1, len(order) + 1),
            list(map(round, column(scores), itertools.repeat(3))),
            column(reasons),
            column(stories),
        ],
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
