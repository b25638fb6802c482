"""HTML through sandboxed, autoescaping Jinja templates: user themes first, ``default:`` ours."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
import jinja2.filters
import jinja2.runtime
import jinja2.utils
import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markupsafe import Markup, escape

from briefgen.doc import Brief, SourceRecord
from briefgen.render.fetcher import inside, read_theme_file, theme_files
from briefgen.render.formatting import (
    anchor,
    daterange,
    longdate,
    shortdate,
    text_fragment,
    web_url,
)
from briefgen.render.options import BUILTIN_TEMPLATES, ENTRY, PAPERS, RenderOptions, TemplateFailure
from briefgen.words import UNPRINTABLE_IN_TEXT as _UNPRINTABLE

_TEMPLATE_SUFFIXES = (
    ".j2",
    ".jinja",
    ".jinja2",
    ".html",
    ".htm",
    ".css",
    ".js",
    ".md",
    ".txt",
    ".svg",
)
SOURCES_ENTRY = "sources.html.j2"  # the companion page of article texts
_MAX_REPEAT = 1_000_000  # longest string or list a template may build with ``*``
# Widths and counts a template may ask of a filter (center, indent, wordwrap, slice, format,
# replace): a theme must not allocate gigabytes with ``center(2200000000)``.
MAX_WIDTH = 10_000
# What never reaches the HTML raw: C0/C1 controls but tab and newline, line and paragraph
# separators, and bidi overrides, which reorder what a reader sees.
RENDER_SECONDS = 60.0  # a template running longer than this fails the build


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which also refuses to build gigantic values with ``*``/``**``."""

    intercepted_binops = frozenset({"*", "**", "%"})

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
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)

    def call(
        __self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        # "{:>999999999}".format(x) allocates as much as center() would.
        # The sandbox hands out str.format wrapped; the wrapper keeps the method in __wrapped__.
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") in {
            "format",
            "format_map",
            "center",
            "ljust",
            "rjust",
            "zfill",
            "expandtabs",
            "replace",
        }:
            _check_format(owner)
            for value in (*args, *kwargs.values()):
                _check_size(value)
        return super().call(__context, __obj, *args, **kwargs)


_WIDTH = re.compile(r"(\d{5,})")


def _check_format(text: str) -> None:
    """Refuse a format string that asks for a width or precision beyond MAX_WIDTH."""
    if any(int(n) > MAX_WIDTH for n in _WIDTH.findall(text) if len(n) < 50) or re.search(
        r"\d{50}", text
    ):
        raise SecurityError("width too large in template")


def _check_size(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
        raise SecurityError("width or count too large in template")


def _capped(name: str, *positions: int) -> Any:
    """Jinja's ``name`` filter, refusing integer arguments beyond MAX_WIDTH."""
    original = jinja2.filters.FILTERS[name]

    def capped(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            _check_size(value)
        return original(*args, **kwargs)

    capped.__name__ = name
    for attr in ("jinja_pass_arg",):
        if hasattr(original, attr):
            setattr(capped, attr, getattr(original, attr))
    return capped


def _capped_format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_format(str(value))
    result: str = jinja2.filters.do_format(value, *args, **kwargs)
    return result


def _capped_replace(eval_ctx: Any, s: str, old: str, new: str, count: int | None = None) -> Any:
    # Each replacement may grow the text: bound the result before building it.
    text, old_s, new_s = str(s), str(old), str(new)
    grows = len(new_s) - len(old_s)
    times = text.count(old_s) if old_s else len(text) + 1
    if count is not None:
        times = min(times, max(count, 0))
    if grows > 0 and len(text) + grows * times > max(_MAX_REPEAT, len(text)):
        raise SecurityError("replacement too large in template")
    return jinja2.filters.do_replace(eval_ctx, s, old, new, count)


_capped_replace.jinja_pass_arg = jinja2.utils._PassArg.eval_context  # type: ignore[attr-defined]


def _finalize(value: Any) -> Any:
    """Every value a template prints, without control or bidi characters (Markup untouched:
    it is the theme's own markup, already safe)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return _UNPRINTABLE.sub("", value)
    return value


class ThemeLoader(jinja2.BaseLoader):
    """Templates from one folder and nothing else: no absolute names, no ``..``, no symbolic
    link out of the folder, regular files only, size-capped."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = inside(self.folder, template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        data = read_theme_file(path)
        if data is None:
            raise jinja2.TemplateNotFound(template)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise jinja2.TemplateNotFound(f"{template} (not UTF-8 text)") from None
        mtime = _mtime(path)
        return source, str(path), lambda: _mtime(path) == mtime

    def list_templates(self) -> list[str]:
        return sorted(
            path.relative_to(self.folder.resolve()).as_posix()
            for path, _ in theme_files(self.folder, read=False)
        )


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


_SHARED: ContextVar[dict[str, SandboxedEnvironment] | None] = ContextVar(
    "briefgen_environments", default=None
)


@contextlib.contextmanager
def one_environment() -> Iterator[None]:
    """Within the block, the pages of a brief that use the same templates share one Jinja
    environment, and so compile each template once (the entry template takes a tenth of a
    second) instead of once per page. Outside it every page gets a fresh environment, so an
    edited template is always read anew."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _environment_for(user_dir: str | Path | None) -> SandboxedEnvironment:
    shared = _SHARED.get()
    if shared is None:
        return environment(user_dir)
    key = "" if user_dir is None else f"user:{user_dir}"
    if key not in shared:
        shared[key] = environment(user_dir)
    return shared[key]


def environment(user_dir: str | Path | None = None) -> SandboxedEnvironment:
    """Sandboxed, autoescaping Jinja environment: user templates first, then the built-in ones.

    ``default:NAME`` always reaches the built-in template, so a user template can extend it.
    Templates may read the context but not modify it, nor reach Python internals.
    """
    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(ThemeLoader(user_dir))
    loaders += [jinja2.PrefixLoader({"default": builtin}, delimiter=":"), builtin]
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    for name in ("center", "indent", "wordwrap", "slice"):
        env.filters[name] = _capped(name)
    env.filters["format"] = _capped_format
    env.filters["replace"] = _capped_replace
    env.filters["longdate"] = longdate
    env.filters["shortdate"] = shortdate
    env.filters["daterange"] = daterange
    env.filters["anchor"] = anchor
    env.filters["notes"] = condense_notes
    env.globals["anchor"] = anchor
    return env


_NOTE = re.compile(r"(?P<id>[^\s:;]+): (?P<note>[^;]+)")


def condense_notes(reason: str | None, *, shown: int = 3) -> str:
    """The ``notes`` filter, for themes written before sources had a ``condensed`` field: a
    brief.json reason read back into notes and condensed as :func:`condense` does."""
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


def source_slug(article_id: str) -> str:
    """The id of an article's text on the sources page: ``src-`` and the article's safe slug."""
    return "src-" + anchor(article_id).removeprefix("article-")


class Citations:
    """The spans a brief links to, recorded as the brief is rendered, so that the sources page
    carries a target for each of them and only the articles the brief cites."""

    def __init__(self, page: str | None, anchors: dict[str, str]) -> None:
        self.page = page  # the sources page's file name; None: link to the article in the brief
        self.anchors = anchors  # article id -> its anchor in the brief
        self.spans: dict[str, set[tuple[int, int]]] = {}

    def href(self, article_id: str, start: int | None = None, end: int | None = None) -> str:
        """Where a line of the brief opens its source: the span in the article's text."""
        if self.page is None or article_id not in self.anchors:
            return "#" + self.anchors.get(article_id, "")
        spans = self.spans.setdefault(article_id, set())
        target = source_slug(article_id)
        if start is not None and end is not None and 0 <= int(start) < int(end):
            spans.add((int(start), int(end)))
            target += f"-{int(start)}-{int(end)}"
        return f"{quote(self.page)}#{target}"


def marked_text(text: str, spans: Iterable[tuple[int, int]], slug: str) -> Markup:
    """``text`` escaped, each cited span wrapped in an element whose id a link targets.

    Spans nest as elements; one that crosses an open span gets an empty anchor at its start
    instead (the page's script still highlights it exactly, by offsets)."""
    out: list[str] = []
    pos = 0
    open_ends: list[int] = []  # ends of the open spans, innermost last

    def upto(end: int) -> None:
        nonlocal pos
        # One character for one, so the page's offsets still meet the cited spans.
        out.append(str(escape(_UNPRINTABLE.sub("\ufffd", text[pos:end]))))
        pos = end

    for start, end in sorted(set(spans), key=lambda se: (se[0], -se[1])):
        if not 0 <= start < end <= len(text):
            continue
        while open_ends and open_ends[-1] <= start:
            upto(open_ends.pop())
            out.append("</span>")
        upto(start)
        if open_ends and end > open_ends[-1]:
            out.append(f'<span class="cited-at" id="{slug}-{start}-{end}"></span>')
            continue
        out.append(f'<span class="cited" id="{slug}-{start}-{end}">')
        open_ends.append(end)
    while open_ends:
        upto(open_ends.pop())
        out.append("</span>")
    upto(len(text))
    return Markup("".join(out))


def _article_refs(items: Any, by_id: dict[str, dict[str, Any]]) -> str:
    """The anchors of the articles ``items`` name, once each, space-separated: what the web
    page's filters match an item of the brief by. Items are article ids, records with an
    ``article`` (or ``articles``) field, or lists of either."""
    seen: dict[str, None] = {}

    def visit(item: Any) -> None:
        if isinstance(item, str):
            if item in by_id:
                seen[by_id[item]["anchor"]] = None
        elif isinstance(item, dict):
            for key in ("article", "articles", "sources"):
                if key in item:
                    visit(item[key])
        elif isinstance(item, list | tuple):
            for each in item:
                visit(each)

    visit(items)
    return " ".join(seen)


def _watch_terms(data: dict[str, Any], brief: Brief) -> list[dict[str, Any]]:
    """The desk's watch terms (brief.json ``watch``, when the build has them), each with the
    anchors of the articles whose title or text names it: what the brief's filter selects."""
    terms: list[str] = []
    for item in data.get("watch") or []:
        term = item.get("term") if isinstance(item, dict) else item
        if isinstance(term, str) and term.strip():
            terms.append(term.strip())
    out = []
    for term in dict.fromkeys(terms):
        pattern = re.compile(r"\b" + re.escape(term) + r"\b", re.IGNORECASE)
        hits = [
            anchor(a.article.id)
            for a in brief.analyses
            if pattern.search(a.article.title) or pattern.search(a.article.text)
        ]
        out.append({"term": term, "articles": hits})
    return out


MAX_NOTE_GROUPS = 20  # distinct notes shown per source in the Sources table
MAX_SOURCE_ROWS = 200  # past this many files, files alike are counted, not listed


def condense(record: SourceRecord, *, shown: int = 3, groups: int = MAX_NOTE_GROUPS) -> str:
    """A source's reason and notes with a note shared by many articles said once, with a count.

    ``a: date assumed``, ``b: date assumed`` ... become ``date assumed: 430 articles (a, b, c and
    427 more)``, so a file of hundreds of undated articles is one line of the Sources table, not
    pages of it; brief.json keeps the notes (up to its own cap).
    """
    by_note: dict[str, list[str]] = {}
    for article_id, note in record.notes:
        by_note.setdefault(note, []).append(article_id)
    out = [record.reason] if record.reason else []
    for note, ids in list(by_note.items())[:groups]:
        if len(ids) <= shown + 1:
            out.extend(f"{i}: {note}" for i in ids)
        else:
            more = len(ids) - shown
            out.append(
                f"{note}: {len(ids):,} articles ({', '.join(ids[:shown])} and {more:,} more)"
            )
    if len(by_note) > groups:
        out.append(f"and {len(by_note) - groups:,} other notes")
    return "; ".join(out)


def _source_rows(data: dict[str, Any], brief: Brief) -> list[dict[str, Any]]:
    """The Sources table: one row per file with its condensed notes; past MAX_SOURCE_ROWS
    files, those alike (same status and note) after the first three are one counted row."""
    records: list[SourceRecord | None] = list(brief.sources)
    if len(records) != len(data["sources"]):
        records = [None] * len(data["sources"])
    rows = [
        {**s, "condensed": condense(r) if r is not None else condense_notes(s["reason"])}
        for s, r in zip(data["sources"], records, strict=True)
    ]
    if len(rows) <= MAX_SOURCE_ROWS:
        return rows
    alike: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        alike.setdefault((row["status"], row["condensed"]), []).append(row)
    out: list[dict[str, Any]] = []
    for (status, note), same in alike.items():
        out += same[:3]
        if len(same) > 3:
            more = f"and {len(same) - 3:,} more files"
            out.append(
                {"path": more, "status": status, "reason": note, "articles": [], "condensed": note}
            )
    return out


def _context(
    data: dict[str, Any],
    brief: Brief,
    options: RenderOptions,
    citations: Citations | None = None,
) -> dict[str, Any]:
    """What templates see; docs/templates.md documents every field."""
    articles = [
        {**a, "url": web_url(a["url"]), "anchor": anchor(a["id"]), "number": i}
        for i, a in enumerate(data["articles"], 1)
    ]
    view = {**data, "articles": articles, "sources": _source_rows(data, brief)}
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
    from briefgen.render.budget import select
    from briefgen.render.pdfparts import ARTICLES_PER_PART, TITLES_PER_PART
    from briefgen.render.timeline import NARROW, timeline_svg, upcoming_days
    from briefgen.version import __version__

    citations = citations or Citations(None, {a["id"]: a["anchor"] for a in articles})

    # The page budget picks the most important dates; the timeline and table show those.
    budget = select(data, options.pages)
    dates = budget["dates"]
    return {
        "brief": view,
        "budget": budget,
        "appendix": options.appendix,
        "titles_per_part": TITLES_PER_PART,
        "articles_per_part": ARTICLES_PER_PART,
        "timeline": timeline_svg(dates, as_of=data["period"]["as_of"]),
        "timeline_narrow": timeline_svg(dates, as_of=data["period"]["as_of"], width=NARROW),
        "upcoming_days": upcoming_days(dates, as_of=data["period"]["as_of"]),
        "articles_by_id": by_id,
        "actors_by_id": {a["id"]: a for a in data["actors"]},
        "source_url": source_url,
        "source_link": citations.href,
        # On the web page, the articles cited so far: its appendix lists those, so the page
        # grows with the budget, not with the week (brief.json keeps every article).
        "cited_articles": (lambda: set(citations.spans)) if citations.page else (lambda: None),
        "article_refs": lambda *items: _article_refs(items, by_id),
        "watch_terms": _watch_terms(data, brief) if citations.page else [],
        "document": {
            "title": f"Weekly brief: {daterange(start, end)}" if start else "Brief",
            "author": options.author,
            "lang": options.lang,
            "paper": PAPERS[options.paper.lower()],
            "week": week,
            "pdf_ua": options.pdf_ua,
            # the HTML to read on screen (filters, search, links to the sources page), or the
            # HTML the PDF is laid out from (today's print look, links inside the document)
            "web": citations.page is not None,
            "sources": citations.page,
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
    citations: Citations | None = None,
) -> str:
    """The brief through the entry template; raises :class:`TemplateFailure` on any error,
    including a template still running after ``time_limit`` seconds (an endless loop).

    Without ``citations`` this is the HTML the PDF is laid out from; with them, the web page,
    whose links go to ``citations.page`` and are recorded in ``citations``."""
    options = options or RenderOptions(templates=Path(templates) if templates else None)
    return _render(ENTRY, lambda: _context(data, brief, options, citations), options, time_limit)


def render_web(
    brief: Brief,
    data: dict[str, Any],
    *,
    page: str,
    sources_page: str,
    options: RenderOptions | None = None,
    time_limit: float = RENDER_SECONDS,
) -> tuple[str, str]:
    """The brief as a web page named ``page``, and its companion ``sources_page``: the ingested
    text of every article the brief cites, each cited span a link target.

    The companion keeps the brief's own size to its page budget however many articles it
    cites; a reader opens it only by following a line to its source."""
    options = options or RenderOptions()
    citations = Citations(
        sources_page, {a.article.id: anchor(a.article.id) for a in brief.analyses}
    )
    html = render_html(brief, data, options=options, time_limit=time_limit, citations=citations)
    number = {a["id"]: i for i, a in enumerate(data["articles"], 1)}
    cited = [
        {
            "id": a.article.id,
            "slug": source_slug(a.article.id),
            "anchor": anchor(a.article.id),
            "number": number.get(a.article.id),
            "title": a.article.title,
            "source": a.article.source,
            "published": a.article.published.isoformat() if a.article.published else None,
            "url": web_url(a.article.url),
            "text": marked_text(
                a.article.text, citations.spans[a.article.id], source_slug(a.article.id)
            ),
        }
        for a in brief.analyses
        if a.article.id in citations.spans
    ]

    def context() -> dict[str, Any]:
        base = _context(data, brief, options, Citations(sources_page, {}))
        return {**base, "brief_page": quote(page), "cited_articles": cited}

    return html, _render(SOURCES_ENTRY, context, options, time_limit)


def _render(
    entry: str, context: Any, options: RenderOptions, time_limit: float = RENDER_SECONDS
) -> str:
    """``entry`` rendered with ``context()``; any failure as a :class:`TemplateFailure`."""
    env = _environment_for(options.templates)
    roots = [BUILTIN_TEMPLATES, *([options.templates] if options.templates else [])]
    try:
        template = env.get_template(entry)
        with _time_limit(time_limit):
            return template.render(context())
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(exc.filename or exc.name or entry)
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
