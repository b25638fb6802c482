"""Render a brief: brief.json, HTML through sandboxed Jinja templates, PDF through WeasyPrint."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .doc import Brief

SCHEMA = "briefgen.brief/1"
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ENTRY = "brief.html.j2"
FORMATS = ("html", "pdf", "json", "md", "ics")


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; the message names the file and line."""


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
            {"path": s.path, "status": s.status, "reason": s.reason, "articles": s.articles}
            for s in brief.sources
        ],
        "stories": _stories(brief),
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


# --- templates -------------------------------------------------------------------------------


def environment(user_dir: str | Path | None = None) -> SandboxedEnvironment:
    """Sandboxed, autoescaping Jinja environment: user templates first, then the built-in ones.

    ``default:NAME`` always reaches the built-in template, so a user template can extend it.
    """
    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders += [jinja2.PrefixLoader({"default": builtin}, delimiter=":"), builtin]
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = _longdate
    env.filters["shortdate"] = _shortdate
    return env


def _longdate(value: str | None) -> str:
    if not value:
        return "undated"
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


def _shortdate(value: str | None) -> str:
    if not value:
        return "—"
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day:%a} {day.day} {day:%b}"


def _context(data: dict[str, Any], brief: Brief) -> dict[str, Any]:
    from .timeline import timeline_svg

    by_id = {a["id"]: a for a in data["articles"]}
    timeline = timeline_svg(data["upcoming"], as_of=data["period"]["as_of"])
    return {"brief": data, "articles_by_id": by_id, "generator": "briefgen", "timeline": timeline}


def render_html(brief: Brief, data: dict[str, Any], *, templates: str | Path | None = None) -> str:
    env = environment(templates)
    try:
        template = env.get_template(ENTRY)
        return template.render(_context(data, brief))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or ENTRY
        raise TemplateFailure(
            f"{where}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateFailure(f"template not found: {exc.name}") from None
    except jinja2.TemplateError as exc:
        raise TemplateFailure(_located(exc)) from None


def _located(exc: BaseException) -> str:
    """'file:line: message' from the innermost template frame of a render error."""
    import traceback

    where = ENTRY
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".j2", ".html", ".jinja", ".css")):
            where = f"{frame.filename}:{frame.lineno}"
            break
    return f"{where}: {type(exc).__name__}: {exc}"


# --- PDF -------------------------------------------------------------------------------------


def safe_fetcher(roots: Iterable[Path]) -> Callable[..., Any]:
    """A WeasyPrint URL fetcher that serves files under ``roots`` and nothing else."""
    allowed = [r.resolve() for r in roots]

    def serve(url: str) -> tuple[bytes, str]:
        from urllib.parse import unquote, urlparse

        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                return path.read_bytes(), _mime(path)
        raise ValueError(f"briefgen does not fetch {url[:80]}")

    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint < 67 takes a function that returns a dict

        def fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            data, mime = serve(url)
            return {"string": data, "mime_type": mime}

        return fetch

    # WeasyPrint >= 67 needs a URLFetcher: with a plain function, a refused URL crashes it.
    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            data, mime = serve(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return cast(Callable[..., Any], SafeFetcher(allowed_protocols=("file",)))


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
    }.get(path.suffix.lower(), "application/octet-stream")


def render_pdf(html: str, *, templates: str | Path | None = None) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    roots = [BUILTIN_TEMPLATES] + ([Path(templates)] if templates else [])
    base = Path(templates) if templates else BUILTIN_TEMPLATES
    document = HTML(string=html, base_url=str(base) + os.sep, url_fetcher=safe_fetcher(roots))
    pdf: bytes = document.write_pdf()
    return pdf


# --- output ----------------------------------------------------------------------------------


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write via a temporary file and a rename, so an interrupted build keeps the old file."""
    write_all_atomic({path: content})


def write_all_atomic(files: dict[Path, str | bytes]) -> None:
    """Write every file to a temporary beside it first, then rename them all.

    An interruption while writing leaves every old file as it was and no temporaries behind;
    only the renames themselves, each atomic, remain between the old brief and the new one.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
        while staged:
            tmp, path = staged[0]
            os.replace(tmp, path)
            staged.pop(0)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def write(
    brief: Brief,
    *,
    out: Path,
    formats: Iterable[str] = ("html", "pdf", "json"),
    name: str | None = None,
    templates: str | Path | None = None,
) -> list[Path]:
    """Render ``brief`` in each format into ``out``; returns the files written."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    data = to_data(brief)
    base = name or brief.name
    rendered: dict[str, str | bytes] = {}
    if "json" in formats:
        rendered["json"] = render_json(data)
    if "html" in formats or "pdf" in formats:
        html = render_html(brief, data, templates=templates)
        if "html" in formats:
            rendered["html"] = html
        if "pdf" in formats:
            rendered["pdf"] = render_pdf(html, templates=templates)
    if "md" in formats:
        rendered["md"] = render_markdown(data)
    if "ics" in formats:
        rendered["ics"] = render_ics(data)
    written = [out / f"{base}.{fmt}" for fmt in formats]
    write_all_atomic({path: rendered[fmt] for path, fmt in zip(written, formats, strict=True)})
    return written


def render_markdown(data: dict[str, Any]) -> str:
    titles = {a["id"]: a["title"] for a in data["articles"]}
    p = data["period"]
    lines = [f"# Weekly brief {p['from'] or ''} – {p['to'] or ''}".rstrip(" –"), ""]
    lines += ["## Key actors", ""]
    for a in data["actors"][:12]:
        role = f", {a['role']}" if a["role"] else ""
        lines.append(
            f"- **{_md(a['name'])}**{_md(role)} ({a['type']}, {len(a['mentions'])} mentions)"
        )
    lines += ["", "## Upcoming dates", ""]
    for u in data["upcoming"]:
        when = f"by {u['window_end']}" if u.get("window_end") else u["value"]
        mark = " (deadline)" if u["deadline"] else ""
        actor = u.get("actor") or ""
        who = f"{_md(actor)}: " if actor and actor.lower() not in u["event"].lower() else ""
        lines.append(
            f"- **{_md(when)}**{mark} — {who}{_md(u['event'])}"
            f" _({_md(titles.get(u['article'], ''))})_"
        )
    lines += ["", "## Open risks", ""]
    for r in data["risks"][:10]:
        lines.append(f"- {_md(r['text'])} _({_md(titles.get(r['article'], ''))})_")
    lines += ["", "## Articles", ""]
    for a in data["articles"]:
        link = f"[{_md(a['title'])}]({a['url']})" if a["url"] else _md(a["title"])
        lines.append(f"### {link}")
        lines.append(f"_{_md(a['source'] or 'unknown source')}, {a['published'] or 'undated'}_")
        lines.append("")
        for s in a["summary"]:
            lines.append(f"- {_md(s['text'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_ics(data: dict[str, Any]) -> str:
    """The upcoming dates as an iCalendar file: all-day events (spans for months, weeks and
    vague windows), each with its source article's title, outlet, link and sentence."""
    import hashlib

    from icalendar import Calendar, Event

    from .timeline import first_day

    cal = Calendar()
    cal.add("prodid", "-//briefgen//brief//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"briefgen {data['name']}")
    articles = {a["id"]: a for a in data["articles"]}
    issued = data.get("issued") or data["period"].get("as_of")
    stamp = dt.datetime.combine(
        dt.date.fromisoformat(issued) if issued else dt.date(1970, 1, 1), dt.time(), dt.UTC
    )
    as_of = first_day(data["period"].get("as_of"))
    for u in data["upcoming"]:
        start, end = _ics_span(u["value"], u.get("window_end"), as_of)
        if start is None or end is None:
            continue
        article = articles.get(u["article"], {})
        key = f"{u['article']}:{u['start']}:{u['value']}".encode()
        event = Event()
        event.add("uid", f"{hashlib.sha1(key).hexdigest()[:16]}@briefgen")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        prefix = "Deadline: " if u["deadline"] else "Window: " if u.get("window_end") else ""
        actor = u.get("actor") or ""
        who = f"{actor}: " if actor and actor.lower() not in u["event"].lower() else ""
        event.add("summary", (prefix + who + u["event"])[:200])
        source = ", ".join(x for x in (article.get("source"), article.get("published")) if x)
        lines = [
            f"When: {u['text']} ({u['value']})",
            f"What: {u['event']}",
            f"Source: {article.get('title', '')}" + (f" ({source})" if source else ""),
            f"Offsets: {u['article']} [{u['start']}:{u['end']}]",
        ]
        if article.get("url"):
            lines.append(f"Link: {article['url']}")
            event.add("url", article["url"])
        event.add("description", "\n".join(lines))
        event.add("categories", ["deadline"] if u["deadline"] else ["briefgen"])
        cal.add_component(event)
    return str(cal.to_ical().decode("utf-8"))


def _ics_span(
    value: str, window_end: str | None, as_of: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """First day and the day after the last, for an all-day event."""
    from .timeline import first_day

    if window_end:
        last = first_day(window_end)
        first = first_day(value) or as_of or last
        if first is None or last is None:
            return None, None
        if as_of and first < as_of:
            first = as_of
        return first, max(last, first) + dt.timedelta(days=1)
    first = first_day(value)
    if first is None:
        return None, None
    if len(value) >= 10:
        return first, first + dt.timedelta(days=1)
    if len(value) == 7:
        nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, nxt
    if "-W" in value:
        return first, first + dt.timedelta(days=7)
    return first, dt.date(first.year + 1, 1, 1)
