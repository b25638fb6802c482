"""A small checker for brief.json, following ../shared/INTERFACE.md."""

from __future__ import annotations

from typing import Any

ACTOR_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "OTHER"}
TIMEX_TYPES = {"DATE", "TIME", "DURATION", "SET"}
RELATIONS = {"past", "present", "future", "unknown"}
STATUSES = {"included", "partial", "skipped", "error"}


def _span(item: dict[str, Any], texts: dict[str, str], where: str) -> None:
    assert isinstance(item["start"], int) and isinstance(item["end"], int), where
    text = texts[item["article"]]
    assert 0 <= item["start"] < item["end"] <= len(text), where
    assert text[item["start"] : item["end"]] == item["text"], (where, item)


def check_brief(data: dict[str, Any], texts: dict[str, str]) -> None:
    """Every field present with its type, and every span equal to the text it points at."""
    assert data["schema"] == "briefgen.brief/1"
    assert set(data["period"]) >= {"from", "to", "as_of"}
    ids = set()
    for a in data["articles"]:
        assert {"id", "title", "source", "url", "published", "summary"} <= set(a)
        ids.add(a["id"])
        for s in a["summary"]:
            _span({**s, "article": a["id"]}, texts, f"summary of {a['id']}")
    for actor in data["actors"]:
        assert actor["type"] in ACTOR_TYPES
        assert isinstance(actor["aliases"], list) and isinstance(actor["salience"], float | int)
        assert set(actor["articles"]) <= ids
        for m in actor["mentions"]:
            _span(m, texts, f"mention of {actor['id']}")
    saliences = [a["salience"] for a in data["actors"]]
    assert saliences == sorted(saliences, reverse=True)
    for d in data["dates"]:
        assert d["type"] in TIMEX_TYPES and d["relation"] in RELATIONS
        assert isinstance(d["value"], str) and isinstance(d["sentence"], str)
        _span(d, texts, "date")
    for u in data["upcoming"]:
        assert {"value", "text", "event", "article", "start", "end"} <= set(u)
        _span(u, texts, "upcoming")
    actor_ids = {a["id"] for a in data["actors"]}
    for r in data["risks"]:
        assert isinstance(r["score"], float | int) and isinstance(r["cues"], list)
        assert set(r["actors"]) <= actor_ids
        _span(r, texts, "risk")
    for s in data["sources"]:
        assert s["status"] in STATUSES
        assert set(s["articles"]) <= ids | set(s["articles"])
    story_articles = [i for story in data.get("stories", []) for i in story["articles"]]
    assert sorted(story_articles) == sorted(ids) if "stories" in data else True
    for story in data.get("stories", []):
        assert {"id", "title", "articles", "also_reported_by", "summary"} <= set(story)
        for s in story["summary"]:
            assert s["article"] in story["articles"]
            _span(s, texts, f"summary of {story['id']}")
