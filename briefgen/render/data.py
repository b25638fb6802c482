"""brief.json: the brief as plain data (see INTERFACE.md), the form every renderer reads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from briefgen.doc import Brief

SCHEMA = "briefgen.brief/1"


# --- brief.json ------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def to_data(brief: Brief) -> dict[str, Any]:
    """The brief as the plain data of brief.json (see INTERFACE.md)."""
    actor_of = {}
    for actor in brief.actors:
        for m in actor.mentions:
            actor_of[(m.article, m.text)] = actor.id
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
                "actors": list(
                    dict.fromkeys(
                        actor_of[(r.article, name)]
                        for name in r.actors
                        if (r.article, name) in actor_of
                    )
                ),
                "kinds": list(r.kinds),
                "holder": r.holder,
                "poser": r.poser,
                "group": r.group,
                "sources": list(dict.fromkeys([r.article, *(a for a, *_ in r.also)])),
                "also_in": [
                    {"article": a, "start": s, "end": e, "text": t} for a, s, e, t in r.also
                ],
            }
            for r in brief.risks
        ],
        "sources": [
            {"path": s.path, "status": s.status, "reason": s.full_reason(), "articles": s.articles}
            for s in brief.sources
        ],
        "stories": _stories(brief),
        "changes": brief.extra.get("changes"),
    }


def _stories(brief: Brief) -> list[dict[str, Any]]:
    """Stories, most widely reported first; ``also_reported_by`` names the other outlets."""
    source_of = {a.article.id: a.article.source for a in brief.analyses}
    out = []
    for story in brief.stories:
        lead = story.articles[0]
        others = [source_of.get(i) or i for i in story.articles[1:]]
        lead_source = source_of.get(lead) or lead
        out.append(
            {
                "id": story.id,
                "title": story.title,
                "articles": story.articles,
                "source": source_of.get(lead, ""),
                "also_reported_by": [s for s in dict.fromkeys(others) if s != lead_source],
                "summary": [
                    {"article": article, "text": s.text, "start": s.start, "end": s.end}
                    for article, s in story.summary
                ],
            }
        )
    return out


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
