"""The brief as Markdown, for email and chat."""

from __future__ import annotations

from typing import Any

from briefgen.render.budget import select
from briefgen.render.formatting import daterange, longdate, shortdate, web_url
from briefgen.words import UNPRINTABLE as _UNPRINTABLE

# Controls, line/paragraph separators and bidi overrides: never written raw.


def render_markdown(data: dict[str, Any], *, pages: int = 10) -> str:
    """The brief as Markdown for email and chat: the same sections, each line citing its source,
    each as long as the page budget of ``pages`` allows (see :mod:`briefgen.render.budget`).

    Each item cites its outlet and article number, ``(Northern Ledger [1])``; in plain text as
    in rendered Markdown ``[1]`` is a reference link to the article's URL when it is known, and
    the article appears under that number in the Articles section.
    """
    articles = data["articles"]
    number = {a["id"]: i for i, a in enumerate(articles, 1)}
    by_id = {a["id"]: a for a in articles}

    def cite(article_id: str) -> str:
        a = by_id.get(article_id)
        if a is None:
            return ""
        label = _md(a["source"] or a["title"] or article_id)
        return f"({label} [{number[article_id]}])"

    p = data["period"]
    period = daterange(p["from"], p["to"]) if p["from"] else "undated articles"
    lines = [f"# Weekly brief: {period}", ""]
    facts = [f"{len(articles)} article{'s' if len(articles) != 1 else ''}"]
    if data.get("issued"):
        facts.append(f"issued {longdate(data['issued'])}")
    if p["as_of"]:
        facts.append(f"upcoming from {longdate(p['as_of'])}")
    lines += ["_" + " · ".join(facts) + "_", ""]

    budget = select(data, pages)
    if budget["watch"]:
        lines += [f"Watching: {_md(', '.join(budget['watch']))}.", ""]
    lines += ["## At a glance", ""]
    for st in budget["glance"]:
        if not st["summary"]:
            continue
        first = st["summary"][0]
        line = f"- **{_md(st['title'])}**: {_md(first['text'])} {cite(first['article'])}"
        if st["also_reported_by"]:
            line += f" Also reported by {_md(', '.join(st['also_reported_by']))}."
        lines.append(line)
    if not data.get("stories"):
        for a in articles[:5]:
            if a["summary"]:
                lines.append(f"- {_md(a['summary'][0]['text'])} {cite(a['id'])}")
    lines.append(
        f"\n{len(data['actors'])} actors · {len(data['upcoming'])} upcoming dates · "
        f"{len(data['risks'])} open risks"
    )

    lines += ["", "## Key actors", ""]
    for actor in budget["actors"]:
        role = actor["role"] or ""
        affiliation = actor.get("affiliation") or ""
        if affiliation and affiliation not in role:
            role = f"{role}, {affiliation}" if role else affiliation
        n = len(actor["mentions"])
        line = f"- **{_md(actor['name'])}**{', ' + _md(role) if role else ''}"
        line += f" · {n} mention{'s' if n != 1 else ''}"
        if actor.get("quotes"):
            q = actor["quotes"][0]
            line += f": {_md(q['text'])} {cite(q['article'])}"
        elif actor["articles"]:
            line += f" {cite(actor['articles'][0])}"
        if actor["in_stories"]:
            line += f" · in {_md(actor['in_stories'][0]['title'])}"
            if actor["story_count"] > 1:
                line += f" and {actor['story_count'] - 1} more"
        lines.append(line)
    if budget["actors_more"]:
        lines.append(f"\n_{budget['actors_more']} more actors in brief.json._")

    lines += ["", "## Upcoming dates", ""]
    for u in budget["dates"]:
        when = f"by {shortdate(u['window_end'])}" if u.get("window_end") else shortdate(u["value"])
        tag = " (deadline)" if u.get("deadline") else " (window)" if u.get("window_end") else ""
        actor = u.get("actor") or ""
        who = f"{_md(actor)}: " if actor and actor.lower() not in u["event"].lower() else ""
        lines.append(f"- **{when}**{tag}: {who}{_md(u['event'])} {cite(u['article'])}")
    if budget["dates_more"]:
        lines.append(f"\n_{budget['dates_more']} more dates in brief.json._")
    if not data["upcoming"]:
        lines.append("_No upcoming dates were found._")

    lines += ["", "## Open risks", ""]
    for group in budget["risk_groups"]:
        lines += [f"**{_md(group['title'])}**", ""]
        for i, r in enumerate(group["risks"], 1):
            lines.append(f"{i}. {_md(r['text'])} {cite(r['article'])}")
        lines.append("")
    if budget["risks_more"]:
        lines.append(f"_{budget['risks_more']} more risks in brief.json._")
    if not data["risks"]:
        lines.append("_No open risks were found._")

    lines += ["", "## Top stories", ""]
    for st in budget["stories"]:
        lines.append(f"### {st['rank']}. {_md(st['title'])}")
        when = daterange(st["first"], st["last"]) if st.get("first") else "undated"
        reasons = [r for r in st.get("reasons", []) if not r.startswith("actors:")]
        lines.append(f"_{_md(', '.join(st['outlets']))} · {when} · {_md(' · '.join(reasons))}_")
        lines.append("")
        lines += [f"- {_md(s['text'])} {cite(s['article'])}" for s in st["summary"]]
        lines.append("")
    if budget["stories_more"]:
        lines.append(f"_{budget['stories_more']} more stories in brief.json._")

    lines += ["", "## Articles", ""]
    for a in articles:
        url = web_url(a["url"])
        title = f"[{_md(a['title'])}][{number[a['id']]}]" if url else _md(a["title"])
        lines.append(f"### {number[a['id']]}. {title}")
        lines.append(f"_{_md(a['source'] or 'Unknown source')} · {longdate(a['published'])}_")
        lines.append("")
        lines += [f"- {_md(s['text'])}" for s in a["summary"]]
        lines.append("")

    problems = [s for s in data["sources"] if s["status"] != "included"]
    lines += ["## Sources", ""]
    lines.append(f"{len(data['sources'])} input files, {len(problems)} with problems.")
    for s in problems:
        path = _UNPRINTABLE.sub("?", s["path"]).replace("`", "'")
        lines.append(f"- `{path}`: {s['status']}: {_md(s['reason'] or '')}")
    links = [(number[a["id"]], web_url(a["url"])) for a in articles]
    if any(url for _, url in links):
        lines.append("")
        lines += [f"[{n}]: {_md_url(url)}" for n, url in links if url]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Text that Markdown shows literally: no markup, links or HTML from the articles."""
    text = " ".join(_UNPRINTABLE.sub(" ", str(text)).split())
    for ch in "\\`*_[]<>#|~":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_url(url: str | None) -> str:
    return (url or "").replace("(", "%28").replace(")", "%29").replace(" ", "%20")
