"""The page budget: how much of each section the brief shows, so that it fits ``--pages N``
before its appendix whatever the number of articles.

Reads brief.json data (every item ranked, see :mod:`briefgen.week.importance`); gives the
templates the items to show in each section, most important first, and how many are left out
(brief.json keeps them all). The allocation is per page of A4/letter in the built-in theme:
the cover and contents take one page, At a glance one, and the rest is shared among Key actors,
Upcoming dates, Open risks and the top stories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

# Items a page holds, in the built-in theme (measured on long briefs).
ACTORS_PER_PAGE = 9
DATES_PER_PAGE = 12
RISKS_PER_PAGE = 13
STORIES_PER_PAGE = 2.2
GLANCE = 8  # stories at a glance: one page
# The share of the pages after the cover and At a glance.
SHARES = {"actors": 0.18, "dates": 0.22, "risks": 0.2, "stories": 0.4}
STORY_DATES = 3  # upcoming dates shown under each top story
STORY_RISKS = 2  # risks shown under each top story
ACTOR_STORIES = 2  # stories named beside each key actor
GROUP_RISKS = 6  # risks of one story in Open risks, so that more than one story is heard


@dataclass(frozen=True, slots=True)
class Allocation:
    glance: int
    actors: int
    dates: int
    risks: int
    stories: int


def allocate(pages: int) -> Allocation:
    """How many items of each section fit in ``pages`` pages (at least a few of each)."""
    rest = max(pages - 2, 1)

    def items(section: str, per_page: float, least: int) -> int:
        return max(least, int(rest * SHARES[section] * per_page))

    return Allocation(
        glance=GLANCE if pages >= 3 else 5,
        actors=items("actors", ACTORS_PER_PAGE, 3),
        dates=items("dates", DATES_PER_PAGE, 3),
        risks=items("risks", RISKS_PER_PAGE, 3),
        stories=items("stories", STORIES_PER_PAGE, 1),
    )


def _by_rank(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    big = len(items) + 1
    return sorted(items, key=lambda x: x.get("rank") or big)


def select(data: dict[str, Any], pages: int) -> dict[str, Any]:
    """What each section shows within ``pages``; see docs/templates.md (``budget``)."""
    quota = allocate(pages)
    stories = _by_rank(data.get("stories", []))
    title = {s["id"]: s["title"] for s in stories}
    place = {s["id"]: i for i, s in enumerate(stories, 1)}

    actors = []
    named: set[str] = set()
    for a in _by_rank(data.get("actors", [])):
        # One row per name: a name the merge left as two actors (a place and a body) is one.
        # Places that are only the setting, and what the news is about, are listed apart.
        acts = a.get("part", "actor") == "actor"
        if acts and a["type"] != "NORP" and a["name"].casefold() not in named:
            named.add(a["name"].casefold())
            actors.append(a)
    key_actors = [
        {
            **a,
            "in_stories": [
                {"id": sid, "title": title[sid], "rank": place[sid]}
                for sid in a.get("stories", [])[:ACTOR_STORIES]
                if sid in title
            ],
            "story_count": len(a.get("stories", [])),
        }
        for a in actors[: quota.actors]
    ]

    upcoming = _by_rank(data.get("upcoming", []))
    dates = upcoming[: quota.dates]
    order = {id(u): i for i, u in enumerate(data.get("upcoming", []))}
    dates_chronological = sorted(dates, key=lambda u: order.get(id(u), 0))

    risks = _by_rank(data.get("risks", []))
    shown_risks = _distinct(risks, quota.risks)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in shown_risks:
        sid = (r.get("stories") or [None])[0]
        groups[sid or ""].append(r)
    risk_groups = [
        {"story": sid or None, "title": title.get(sid, r[0].get("group") or "Other"), "risks": r}
        for sid, r in groups.items()
    ]

    dates_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u in upcoming:
        for sid in u.get("stories", []):
            # The same day from several reports is one date of the story.
            known = {d["value"] for d in dates_of[sid]}
            if len(dates_of[sid]) < STORY_DATES and u["value"] not in known:
                dates_of[sid].append(u)
    risks_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in risks:
        for sid in r.get("stories", [])[:1]:
            if len(risks_of[sid]) < STORY_RISKS:
                risks_of[sid].append(r)
    top = [
        {**s, "dates": dates_of.get(s["id"], []), "risks": risks_of.get(s["id"], [])}
        for s in stories[: quota.stories]
    ]
    return {
        "pages": pages,
        "glance": stories[: quota.glance],
        "actors": key_actors,
        "actors_more": len(actors) - len(key_actors),
        "dates": dates_chronological,
        "dates_more": len(upcoming) - len(dates),
        "risk_groups": risk_groups,
        "risks_more": len(risks) - len(shown_risks),
        "stories": top,
        "stories_more": len(stories) - len(top),
        "watch": data.get("watch", []),
    }


def _distinct(risks: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The first ``n`` risks that do not say what one already chosen says, at most
    ``GROUP_RISKS`` of one story."""
    from collections import Counter

    from briefgen.words import content_words, overlap

    chosen: list[dict[str, Any]] = []
    said: list[set[str]] = []
    per_story: Counter[str] = Counter()
    for r in risks:
        if len(chosen) >= n:
            break
        story = (r.get("stories") or [""])[0]
        words = content_words(r.get("text", ""))
        if per_story[story] >= GROUP_RISKS or any(overlap(words, w) >= 0.6 for w in said):
            continue
        per_story[story] += 1
        chosen.append(r)
        said.append(words)
    return chosen
