"""brief.json: the brief as plain data (see INTERFACE.md), the form every renderer reads."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import operator
from dataclasses import asdict
from json.encoder import encode_basestring
from typing import Any

import numpy as np

from briefgen.doc import Article, Brief, Rank, Ranking, Risk
from briefgen.week import arrays

SCHEMA = "briefgen.brief/1"


# --- brief.json ------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def risk_actor_ids(brief: Brief, mentions: arrays.ActorMentions | None = None) -> list[list[str]]:
    """The ids of the actors each risk names, in the order of ``brief.risks``: the actor with a
    mention of that name in the risk's article (a later actor's, where several have one).

    ``mentions``: the actors' mentions as the merge read them (else read here). At 100,000
    articles 367,000 risks name 630,000 (article, name) pairs, among 3.3 million mentions:
    the mentions are numbered by those articles and names and joined to the pairs in arrays.
    """
    risks, actors = brief.risks, brief.actors
    read = arrays.ActorMentions.of(actors, mentions)
    article_number = {a: k for k, a in enumerate(dict.fromkeys(map(_ARTICLE, risks)))}
    sizes = np.fromiter(map(len, map(_ACTORS, risks)), np.int64, len(risks))
    names = list(itertools.chain.from_iterable(map(_ACTORS, risks)))
    name_number = {n: k for k, n in enumerate(dict.fromkeys(names))}
    where, who = read.numbered(actors, article_number)
    said = read.said(actors, name_number)
    hit = (where >= 0) & (said >= 0)
    width = max(len(name_number), 1)
    # The last mention of each (article, name), actor after actor: a later actor's.
    known, owner = arrays.last_by_key(where[hit] * width + said[hit], who[hit], len(actors))
    # Each risk's (article, name) pairs, in its names' order, looked up among them.
    risk = np.repeat(np.arange(len(risks), dtype=np.int64), sizes)
    articles = np.fromiter(map(article_number.__getitem__, map(_ARTICLE, risks)), np.int64)
    wanted = articles[risk] * width + np.fromiter(map(name_number.__getitem__, names), np.int64)
    named = arrays.lookup(known, owner, wanted)
    found = np.flatnonzero(named >= 0)
    ids = np.array([a.id for a in actors] or [""], dtype=object)[named[found]].tolist()
    out: list[list[str]] = [[] for _ in risks]
    for r, actor_id in zip(risk[found].tolist(), ids, strict=True):
        if actor_id not in out[r]:
            out[r].append(actor_id)
    return out


_ARTICLE = operator.attrgetter("article")
_ACTORS = operator.attrgetter("actors")


def to_data(brief: Brief) -> dict[str, Any]:
    """The brief as the plain data of brief.json (see INTERFACE.md)."""
    risk_actors = risk_actor_ids(brief)
    ranking = brief.ranking or Ranking()
    return {
        "schema": SCHEMA,
        "name": brief.name,
        "issued": _iso(brief.issued),
        "period": {
            "from": _iso(brief.period.start),
            "to": _iso(brief.period.end),
            "as_of": _iso(brief.period.as_of),
        },
        "articles": [
            {
                "id": a.article.id,
                "title": a.article.title,
                "source": a.article.source,
                "url": a.article.url,
                "published": _iso(a.article.published),
                "summary": [{"text": s.text, "start": s.start, "end": s.end} for s in a.summary],
            }
            for a in brief.analyses
        ],
        "actors": [
            {
                "id": actor.id,
                "name": actor.name,
                "type": actor.type,
                "role": actor.role,
                "aliases": actor.aliases,
                "salience": actor.salience,
                "articles": actor.articles,
                "mentions": [
                    {"article": m.article, "start": m.start, "end": m.end, "text": m.text}
                    for m in actor.mentions
                ],
                "affiliation": actor.affiliation,
                "quotes": [
                    {
                        "article": q.article,
                        "start": q.start,
                        "end": q.end,
                        "text": q.text,
                        "speaker": q.speaker,
                        "kind": q.kind,
                    }
                    for q in actor.quotes
                ],
                "part": actor.part,
                "does": None
                if actor.does is None
                else {
                    "article": actor.does.article,
                    "start": actor.does.start,
                    "end": actor.does.end,
                    "text": actor.does.text,
                    "speaker": actor.does.speaker,
                    "kind": actor.does.kind,
                },
                **_rank(ranking.actors.get(actor.id)),
            }
            for actor in brief.actors
        ],
        "dates": [
            {
                "article": d.article,
                "text": d.text,
                "start": d.start,
                "end": d.end,
                "type": d.type,
                "value": d.value,
                "relation": d.relation,
                "sentence": d.sentence,
            }
            for d in brief.dates
        ],
        "upcoming": [
            {
                "value": u.value,
                "text": u.text,
                "event": u.event,
                "article": u.article,
                "start": u.start,
                "end": u.end,
                "deadline": u.deadline,
                "window_end": u.window_end,
                "actor": u.actor,
                **_rank(ranking.upcoming.get((u.article, u.start))),
            }
            for u in brief.upcoming
        ],
        "risks": [
            {
                "article": r.article,
                "text": r.text,
                "start": r.start,
                "end": r.end,
                "score": r.score,
                "cues": list(r.cues),
                "actors": risk_actors[i],
                "kinds": list(r.kinds),
                "holder": r.holder,
                "poser": r.poser,
                "group": r.group,
                "sources": list(dict.fromkeys([r.article, *(a for a, *_ in r.also)])),
                "also_in": [
                    {"article": a, "start": s, "end": e, "text": t} for a, s, e, t in r.also
                ],
                "clause": _clause(r),
                "warns": r.holder,
                "threatened": r.threatened,
                "own_score": r.own_score,
                "why": r.why,
                **_rank(ranking.risks.get((r.article, r.start))),
            }
            for i, r in enumerate(brief.risks)
        ],
        "sources": [
            {"path": s.path, "status": s.status, "reason": s.full_reason(), "articles": s.articles}
            for s in brief.sources
        ],
        "stories": _stories(brief),
        "changes": asdict(brief.changes) if brief.changes else None,
        "watch": list(ranking.watch),
    }


def _rank(rank: Rank | None) -> dict[str, Any]:
    """An item's ``rank`` (1 = most important), ``importance`` and ``reasons``; every item of a
    ranked list has one, and ``stories`` names the stories it belongs to."""
    if rank is None:
        return {"rank": None, "importance": 0.0, "reasons": [], "stories": []}
    return {
        "rank": rank.rank,
        "importance": rank.score,
        "reasons": list(rank.reasons),
        "stories": list(rank.stories),
    }


def _stories(brief: Brief) -> list[dict[str, Any]]:
    """Stories, most important first; ``also_reported_by`` names the other outlets (never ids:
    an article without an outlet is named by its title)."""
    article_of = {a.article.id: a.article for a in brief.analyses}
    ranks = brief.ranking.stories if brief.ranking else {}
    out = []
    for story in brief.stories:
        lead = story.articles[0]
        names = [_outlet(article_of.get(i)) for i in story.articles]
        days = sorted({d for i in story.articles if (d := _published(article_of.get(i)))})
        out.append(
            {
                "id": story.id,
                "title": story.title,
                "articles": story.articles,
                "source": article_of[lead].source if lead in article_of else "",
                "outlets": list(dict.fromkeys(n for n in names)),
                "first": _iso(days[0]) if days else None,
                "last": _iso(days[-1]) if days else None,
                "also_reported_by": [s for s in dict.fromkeys(names[1:]) if s != names[0]],
                "summary": [
                    {"article": article, "text": s.text, "start": s.start, "end": s.end}
                    for article, s in story.summary
                ],
                **_rank(ranks.get(story.id)),
            }
        )
    return out


def _outlet(article: Article | None) -> str:
    if article is None:
        return "untitled article"
    return article.source or article.title or "untitled article"


def _published(article: Article | None) -> dt.date | None:
    return article.published if article else None


def render_json(data: dict[str, Any]) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` and a newline, byte for byte.

    With ``indent`` the standard library encodes in Python through nested generators (a second
    of CPU for the 850-article brief); this writes the same text in one recursive pass, with
    the library's own C string escaping, and leaves any value it does not know to json."""
    out: list[str] = []
    _encode(data, out, "\n")
    out.append("\n")
    return "".join(out)


def _encode(value: Any, out: list[str], newline: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict and all(type(k) is str for k in value):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            out += (sep, encode_basestring(key), ": ")
            _encode(item, out, inner)
            sep = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _encode(item, out, inner)
            sep = "," + inner
        out.append(newline + "]")
    elif value is None or value is True or value is False:
        out.append("null" if value is None else "true" if value else "false")
    elif kind is int or (kind is float and math.isfinite(value)):
        out.append(repr(value))
    else:  # NaN, infinities, subclasses, keys that are not strings: as json writes them
        out.append(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline))


def _clause(r: Risk) -> dict[str, Any]:
    """The clause that states the risk, as offsets into the article and its text; the whole
    sentence when no clause was found. ``before``/``after`` are the rest of the sentence."""
    start, end = r.clause or (r.start, r.end)
    a, b = max(start - r.start, 0), min(end - r.start, len(r.text))
    return {
        "start": r.start + a,
        "end": r.start + b,
        "text": r.text[a:b],
        "before": r.text[:a],
        "after": r.text[b:],
    }
