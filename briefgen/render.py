"""Render a brief: brief.json, HTML through sandboxed Jinja templates, PDF through WeasyPrint."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.runtime
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

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


# --- templates -------------------------------------------------------------------------------

PAPERS = {"a4": "A4", "letter": "letter"}
CONFIG_NAME = "briefgen.toml"
_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".css", ".md", ".txt", ".svg")
_MAX_REPEAT = 1_000_000  # longest string or list a template may build with ``*``
RENDER_SECONDS = 60.0  # a template running longer than this fails the build


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a brief is rendered; every field can come from the command line or a config file."""

    templates: Path | None = None  # user folder searched before the built-in theme
    paper: str = "a4"  # a key of PAPERS
    author: str = ""  # PDF/HTML author metadata; empty: none
    lang: str = "en"  # document language (BCP 47)
    pdf_ua: bool = False  # tagged PDF/UA-1
    # Processes laying out a long PDF (None: all cores). Not part of repr, which keys the PDF
    # cache: the pages are the same however many processes lay them out.
    jobs: int | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.paper.lower() not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {self.paper!r}")


def read_config(path: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The whole parsed config file, and where it was found (``None, {}`` when there is none).

    Without ``path``: ``./briefgen.toml`` if present, else ``briefgen/config.toml`` in the user
    config folder, else nothing.
    """
    import tomllib

    if path is None:
        from platformdirs import user_config_dir

        candidates = [Path(CONFIG_NAME), Path(user_config_dir("briefgen")) / "config.toml"]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            return None, {}
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The ``[render]`` table of a TOML config file (see :func:`read_config`), with
    ``templates`` made absolute. Unknown keys are an error so typos do not pass silently.
    """
    path, data = read_config(path)
    if path is None:
        return {}
    table = data.get("render", {})
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [render] must be a table")
    known = {f for f in RenderOptions.__dataclass_fields__}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{path}: unknown [render] setting {unknown[0]!r}")
    settings = dict(table)
    if "templates" in settings:
        settings["templates"] = (path.parent / str(settings["templates"])).resolve()
    if "paper" in settings and str(settings["paper"]).lower() not in PAPERS:
        raise ValueError(f"{path}: paper must be one of {', '.join(PAPERS)}")
    return settings


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also refuses to build gigantic values with ``*``/``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 1000:
            raise SecurityError("exponent too large in template")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(n, int)
                if sized and len(seq) * n > _MAX_REPEAT:
                    raise SecurityError("repetition too large in template")
        return super().call_binop(context, operator, left, right)


def environment(user_dir: str | Path | None = None) -> SandboxedEnvironment:
    """Sandboxed, autoescaping Jinja environment: user templates first, then the built-in ones.

    ``default:NAME`` always reaches the built-in template, so a user template can extend it.
    Templates may read the context but not modify it, nor reach Python internals.
    """
    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders += [jinja2.PrefixLoader({"default": builtin}, delimiter=":"), builtin]
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = _longdate
    env.filters["shortdate"] = _shortdate
    env.filters["daterange"] = _daterange
    env.filters["anchor"] = anchor
    env.filters["notes"] = condense_notes
    env.globals["anchor"] = anchor
    return env


_NOTE = re.compile(r"(?P<id>[^\s:;]+): (?P<note>[^;]+)")


def condense_notes(reason: str | None, *, shown: int = 3) -> str:
    """A source's reason with a note shared by many articles said once, with a count.

    ``"a: date assumed; b: date assumed; ..."`` becomes ``"date assumed: 430 articles (a, b, c
    and 427 more)"``, so a file of hundreds of undated articles is one line of the Sources
    table, not pages of it; brief.json keeps the full list.
    """
    if not reason:
        return ""
    groups: dict[str, list[str]] = {}
    order: list[tuple[str, str]] = []  # ("note", key) or ("text", part), in first-seen order
    for part in reason.split("; "):
        match = _NOTE.fullmatch(part)
        if match is None:
            order.append(("text", part))
            continue
        note = match["note"]
        if note not in groups:
            groups[note] = []
            order.append(("note", note))
        groups[note].append(match["id"])
    out: list[str] = []
    for kind, value in order:
        if kind == "text":
            out.append(value)
            continue
        ids = groups[value]
        if len(ids) <= shown + 1:
            out.extend(f"{i}: {value}" for i in ids)
        else:
            more = len(ids) - shown
            out.append(f"{value}: {len(ids)} articles ({', '.join(ids[:shown])} and {more} more)")
    return "; ".join(out)


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _longdate(value: str | None) -> str:
    if not value:
        return "undated"
    day = _day(value)
    return f"{day.day} {day:%B %Y}" if day else str(value)


def _shortdate(value: str | None) -> str:
    """A TIMEX3 value as a reader says it: ``Thu 3 Dec``, ``Thu 3 Dec, 14:00``, ``December 2026``,
    ``week of 23 Nov``; anything else unchanged."""
    if not value:
        return "—"
    value = str(value)
    day = _day(value)
    if day and len(value) >= 10:
        text = f"{day:%a} {day.day} {day:%b}"
        if len(value) >= 16 and value[10] == "T" and value[11:13].isdigit():
            text += f", {value[11:16]}"
        return text
    if len(value) == 7 and value[4] == "-" and value[5:].isdigit() and 1 <= int(value[5:]) <= 12:
        return f"{dt.date(int(value[:4]), int(value[5:]), 1):%B %Y}"
    if len(value) == 8 and value[4:6] == "-W" and value[6:].isdigit():
        try:
            monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        except ValueError:
            return value
        return f"week of {monday.day} {monday:%b}"
    return value


def _daterange(start: str | None, end: str | None = None) -> str:
    """``16–22 November 2026``, ``28 November – 4 December 2026``, or one date."""
    first, last = _day(start) if start else None, _day(end) if end else None
    if not first or not last:
        return _longdate(start or end)
    if first == last:
        return _longdate(start)
    if first.year != last.year:
        return f"{_longdate(start)} – {_longdate(end)}"
    if first.month != last.month:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day}–{last.day} {last:%B %Y}"


def anchor(article_id: str) -> str:
    """The HTML id of an article in the brief: ``article-`` and the id made safe for a URL."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(article_id)).strip("-")
    if slug != article_id:
        slug += "-" + hashlib.sha1(str(article_id).encode()).hexdigest()[:6]
    return f"article-{slug}"


def _web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None: no javascript: or file: links in a brief."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def text_fragment(url: str, text: str | None) -> str:
    """``url`` with a text fragment (``#:~:text=``) that makes browsers scroll to ``text``."""
    from urllib.parse import quote

    words = (text or "").split()
    if not words:
        return url

    def enc(ws: list[str]) -> str:
        return quote(" ".join(ws), safe="").replace("-", "%2D")

    frag = enc(words) if len(words) <= 8 else f"{enc(words[:4])},{enc(words[-4:])}"
    return f"{url}{':~:' if '#' in url else '#:~:'}text={frag}"


def _context(data: dict[str, Any], brief: Brief, options: RenderOptions) -> dict[str, Any]:
    """What templates see; docs/templates.md documents every field."""
    articles = [
        {**a, "url": _web_url(a["url"]), "anchor": anchor(a["id"]), "number": i}
        for i, a in enumerate(data["articles"], 1)
    ]
    view = {**data, "articles": articles}
    by_id = {a["id"]: a for a in articles}

    def source_url(article_id: str, text: str | None = None) -> str | None:
        url = by_id[article_id]["url"] if article_id in by_id else None
        return text_fragment(url, text) if url else None

    start, end = data["period"]["from"], data["period"]["to"]
    week = None
    first, last = brief.period.start, brief.period.end
    if first and last and first.weekday() == 0 and (last - first).days == 6:
        year, number, _ = first.isocalendar()
        week = f"{year}-W{number:02d}"
    from . import __version__
    from .timeline import NARROW, timeline_svg, upcoming_days

    return {
        "brief": view,
        "timeline": timeline_svg(data["upcoming"], as_of=data["period"]["as_of"]),
        "timeline_narrow": timeline_svg(
            data["upcoming"], as_of=data["period"]["as_of"], width=NARROW
        ),
        "upcoming_days": upcoming_days(data["upcoming"], as_of=data["period"]["as_of"]),
        "articles_by_id": by_id,
        "actors_by_id": {a["id"]: a for a in data["actors"]},
        "source_url": source_url,
        "document": {
            "title": f"Weekly brief: {_daterange(start, end)}" if start else "Brief",
            "author": options.author,
            "lang": options.lang,
            "paper": PAPERS[options.paper.lower()],
            "week": week,
            "pdf_ua": options.pdf_ua,
        },
        "generator": f"briefgen {__version__}",
    }


def render_html(
    brief: Brief,
    data: dict[str, Any],
    *,
    templates: str | Path | None = None,
    options: RenderOptions | None = None,
    time_limit: float = RENDER_SECONDS,
) -> str:
    """The brief through the entry template; raises :class:`TemplateFailure` on any error,
    including a template still running after ``time_limit`` seconds (an endless loop)."""
    options = options or RenderOptions(templates=Path(templates) if templates else None)
    env = environment(options.templates)
    roots = [BUILTIN_TEMPLATES, *([options.templates] if options.templates else [])]
    try:
        template = env.get_template(ENTRY)
        with _time_limit(time_limit):
            return template.render(_context(data, brief, options))
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(exc.filename or exc.name or ENTRY)
        raise TemplateFailure(
            f"{where}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateFailure(f"{_located(exc, roots)}: template not found: {exc.name}") from None
    except RecursionError as exc:
        raise TemplateFailure(
            f"{_located(exc, roots)}: endless recursion (a template includes, extends or calls "
            "itself)"
        ) from None
    except Exception as exc:  # anything a template can raise, reported without a traceback
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise TemplateFailure(f"{_located(exc, roots)}: {message}") from None


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread on POSIX only; elsewhere no limit).

    The sandbox bounds each ``range`` and repetition but not nested loops over them."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _TooSlow(f"template still running after {seconds:g} s (an endless loop?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _shown(filename: str) -> str:
    """A template's file name as a user would type it: relative to the working folder if in it."""
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return filename


def _located(exc: BaseException, roots: Iterable[Path] = ()) -> str:
    """``file:line`` of the innermost template frame in the traceback of a render error."""
    import traceback

    resolved = [Path(r).resolve() for r in roots]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename
        in_root = any(Path(name).resolve().is_relative_to(r) for r in resolved) if name else False
        if in_root or name.endswith(_TEMPLATE_SUFFIXES) or name == "<template>":
            return f"{_shown(name)}:{frame.lineno}"
    return ENTRY


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


def render_pdf(
    html: str,
    *,
    templates: str | Path | None = None,
    options: RenderOptions | None = None,
    jobs: int | None = None,
) -> bytes:
    """The HTML as PDF: fonts embedded (subset), bookmarks from headings, metadata from <head>.

    A long document (:data:`pdfparts.MIN_CHARS` or more) whose template marks its parts is laid
    out on up to ``jobs`` cores (default: ``options.jobs``, else all; see :mod:`briefgen.pdfparts`).
    """
    import logging

    from weasyprint import HTML

    from . import pdfparts
    from .parallel import default_jobs

    options = options or RenderOptions(templates=Path(templates) if templates else None)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    user = options.templates
    roots = [BUILTIN_TEMPLATES] + ([Path(user)] if user else [])
    base = Path(user) if user else BUILTIN_TEMPLATES
    if jobs is None:
        jobs = (options.jobs or default_jobs()) if len(html) >= pdfparts.MIN_CHARS else 1
    if jobs > 1 and not options.pdf_ua:
        with contextlib.suppress(pdfparts.NotSplittable):
            return pdfparts.render(
                html, base_url=str(base) + os.sep, roots=[str(r) for r in roots], jobs=jobs
            )
    document = HTML(string=html, base_url=str(base) + os.sep, url_fetcher=safe_fetcher(roots))
    extra: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True} if options.pdf_ua else {}
    pdf: bytes = document.write_pdf(**extra)
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
    options: RenderOptions | None = None,
    pdf_renderer: Callable[..., bytes] | None = None,
) -> list[Path]:
    """Render ``brief`` in each format into ``out``; returns the files written.

    ``options`` carries the template folder, paper, author and PDF/UA; ``templates`` alone is
    a shorthand for ``RenderOptions(templates=...)``. ``pdf_renderer`` replaces
    :func:`render_pdf` (same arguments), e.g. to serve it from a cache.
    """
    options = options or RenderOptions(templates=Path(templates) if templates else None)
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
        html = render_html(brief, data, options=options)
        if "html" in formats:
            rendered["html"] = html
        if "pdf" in formats:
            rendered["pdf"] = (pdf_renderer or render_pdf)(html, options=options)
    if "md" in formats:
        rendered["md"] = render_markdown(data)
    if "ics" in formats:
        rendered["ics"] = render_ics(data)
    written = [out / f"{base}.{fmt}" for fmt in formats]
    write_all_atomic({path: rendered[fmt] for path, fmt in zip(written, formats, strict=True)})
    return written


def render_markdown(data: dict[str, Any], *, actors: int = 12, risks: int = 10) -> str:
    """The brief as Markdown for email and chat: the same sections, each line citing its source.

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
    period = _daterange(p["from"], p["to"]) if p["from"] else "undated articles"
    lines = [f"# Weekly brief: {period}", ""]
    facts = [f"{len(articles)} article{'s' if len(articles) != 1 else ''}"]
    if data.get("issued"):
        facts.append(f"issued {_longdate(data['issued'])}")
    if p["as_of"]:
        facts.append(f"upcoming from {_longdate(p['as_of'])}")
    lines += ["_" + " · ".join(facts) + "_", ""]

    lines += ["## At a glance", ""]
    for st in (data.get("stories") or [])[:5]:
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
    shown = [a for a in data["actors"] if a["type"] != "NORP"]  # as the HTML: no bare groups
    for actor in shown[:actors]:
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
        lines.append(line)

    lines += ["", "## Upcoming dates", ""]
    for u in data["upcoming"] or []:
        when = (
            f"by {_shortdate(u['window_end'])}" if u.get("window_end") else _shortdate(u["value"])
        )
        tag = " (deadline)" if u.get("deadline") else " (window)" if u.get("window_end") else ""
        actor = u.get("actor") or ""
        who = f"{_md(actor)}: " if actor and actor.lower() not in u["event"].lower() else ""
        lines.append(f"- **{when}**{tag}: {who}{_md(u['event'])} {cite(u['article'])}")
    if not data["upcoming"]:
        lines.append("_No upcoming dates were found._")

    lines += ["", "## Open risks", ""]
    for i, r in enumerate(data["risks"][:risks], 1):
        lines.append(f"{i}. {_md(r['text'])} {cite(r['article'])}")
    if not data["risks"]:
        lines.append("_No open risks were found._")

    lines += ["", "## Articles", ""]
    for a in articles:
        url = _web_url(a["url"])
        title = f"[{_md(a['title'])}][{number[a['id']]}]" if url else _md(a["title"])
        lines.append(f"### {number[a['id']]}. {title}")
        lines.append(f"_{_md(a['source'] or 'Unknown source')} · {_longdate(a['published'])}_")
        lines.append("")
        lines += [f"- {_md(s['text'])}" for s in a["summary"]]
        lines.append("")

    problems = [s for s in data["sources"] if s["status"] != "included"]
    lines += ["## Sources", ""]
    lines.append(f"{len(data['sources'])} input files, {len(problems)} with problems.")
    for s in problems:
        path = s["path"].replace("`", "'")
        lines.append(f"- `{path}`: {s['status']}: {_md(s['reason'] or '')}")
    links = [(number[a["id"]], _web_url(a["url"])) for a in articles]
    if any(url for _, url in links):
        lines.append("")
        lines += [f"[{n}]: {_md_url(url)}" for n, url in links if url]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    """Text that Markdown shows literally: no markup, links or HTML from the articles."""
    text = " ".join(str(text).split())
    for ch in "\\`*_[]<>#|~":
        text = text.replace(ch, "\\" + ch)
    return text


def _md_url(url: str | None) -> str:
    return (url or "").replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def render_ics(data: dict[str, Any]) -> str:
    """The upcoming dates as an iCalendar file: all-day events (spans for months, weeks and
    vague windows), each with its source article's title, outlet, link and sentence."""
    import hashlib

    from icalendar import Calendar, Event

    from .dates import first_day

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
    from .dates import day_span, first_day

    if window_end:
        last = first_day(window_end)
        first = first_day(value) or as_of or last
        if first is None or last is None:
            return None, None
        if as_of and first < as_of:
            first = as_of
        return first, max(last, first) + dt.timedelta(days=1)
    span = day_span(value)
    if span is None:
        return None, None
    return span[0], span[1] + dt.timedelta(days=1)
