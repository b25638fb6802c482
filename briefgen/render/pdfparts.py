"""A long brief's PDF laid out in parts on several cores, then joined into one document.

WeasyPrint lays out a document on one core, and a brief of hundreds of articles runs to hundreds
of pages. The entry template marks where the document may be cut: ``<!-- briefgen:pdf-part -->``
just before an element that always starts a new page (the built-in theme: At a glance, which
follows the cover, Articles, and in a long appendix every ``titles_per_part`` titles, where the
list goes on from a new page), and ``<!-- briefgen:pdf-end -->`` where the last part ends.
What comes before the first mark is the *front* (head, cover, contents).

Each part is laid out in its own process as ``front + part`` (so running strings such as the
title and the issue date, set on the cover, are there as in the whole document) and its front
pages are left out of its PDF. The pages are the same as in a single layout because every part
starts on a new page either way. What crosses parts is made exact:

* ``counter(page)`` and ``counter(pages)`` in page margins: once every part is paginated, each
  worker learns how many pages come before its part and how many there are in all, and only then
  lays out its margin boxes (see :func:`_count_from`);
* links to an element of another part: each part document carries empty stand-ins for the ids
  of the other parts, so WeasyPrint keeps the links; the joined PDF's named destinations point
  each id at the page of the part that really holds it;
* the contents' ``target-counter(..., page)``: the front is laid out last, with each id it links
  to placed on a page numbered as in the joined document;
* bookmarks are copied from each part with their pages renumbered, metadata from the front.

Documents without the marks, documents with too few parts to pay for the processes
(:func:`worth_splitting`), PDF/UA (its structure tree spans the document) and machines with one
core use the single-process render.
"""

from __future__ import annotations

import contextlib
import gc
import html as htmllib
import importlib.util
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from multiprocessing.connection import Connection, wait
from typing import Any, cast

PART = "<!-- briefgen:pdf-part -->"
END = "<!-- briefgen:pdf-end -->"
WAIT_SECONDS = 600.0  # a worker silent this long is given up, and the PDF made in one process
MIN_CHARS = 400_000  # a document this long is worth splitting even at its two coarse marks
MIN_PARTS = 3  # the template cuts a long list into parts only when it is worth several cores
# Titles per part of the appendix list (the built-in theme's `titles_per_part`): about seven
# pages, some 3 s of layout, well over what a part costs (its process, its copy of the front,
# the join); a list of up to this many stays in one part.
TITLES_PER_PART = 500
ARTICLES_PER_PART = 150  # the same for the full appendix (`articles_per_part`): ~40 pages
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SENTINEL = "briefgen-front-end"
_HREF = re.compile(r"""\shref\s*=\s*(?:"#([^"]*)"|'#([^']*)')""")


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects alive now left out of garbage collections until the block ends.

    WeasyPrint makes millions of objects, and each full collection walks every object of the
    process: in a build, the whole brief, again and again. A worker forked inside the block
    keeps them frozen for good, so its collections do not walk them either (nor copy every page
    they sit on into the worker)."""
    outermost = not gc.get_freeze_count()  # else inside such a block, or a build's freeze
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


class NotSplittable(Exception):
    """The document cannot be laid out in parts; render it in one process."""


@dataclass(frozen=True, slots=True)
class Split:
    """A document cut at its part marks: ``front + parts[k] + tail`` is laid out for part k."""

    front: str
    parts: list[str]
    tail: str


def split(html: str) -> Split | None:
    """The document's front, parts and tail, or None without at least two parts."""
    first = html.find(PART)
    end = html.find(END, first)
    if first < 0 or end < 0:
        return None
    parts = [p for p in html[first + len(PART) : end].split(PART) if p.strip()]
    tail = html[end + len(END) :]
    if len(parts) < 2 or re.sub(r"<[^>]*>", "", tail).strip():
        return None  # anything shown after the end mark would repeat after every part
    return Split(html[:first], parts, tail)


def worth_splitting(html: str) -> bool:
    """Whether laying the document out in parts pays for the processes and the join.

    The work decides, not the characters: the built-in theme cuts a long appendix into parts
    of a few pages each, so three or more parts mean layout enough to share; a document with
    only the two coarse marks (the brief, the appendix) is split only when very long."""
    return html.count(PART) >= MIN_PARTS or len(html) >= MIN_CHARS


def ids(fragment: str) -> list[str]:
    """The ``id`` attributes of a piece of HTML, unescaped, in order of appearance."""
    return list(dict.fromkeys(htmllib.unescape(a or b) for a, b in _ID.findall(fragment)))


def _links(fragment: str) -> list[str]:
    return list(dict.fromkeys(htmllib.unescape(a or b) for a, b in _HREF.findall(fragment)))


def _stand_ins(names: list[str]) -> str:
    """Empty, invisible elements carrying ``names`` as ids, so links to them are kept.

    Inline, so that a theme's rules for those ids (``#articles { break-before: page }``) that
    only apply to blocks do not apply to them."""
    inner = "".join(f'<span id="{htmllib.escape(n)}"></span>' for n in names)
    return f'<div style="height:0;margin:0;padding:0;border:0;overflow:hidden">{inner}</div>'


def _paged_stand_ins(pages: dict[str, int]) -> str:
    """Stand-ins placed on pages whose page counter reads as given: ``{id: page number}``."""
    by_page: dict[int, list[str]] = {}
    for name, number in pages.items():
        by_page.setdefault(number, []).append(name)
    rules = "".join(f"@page briefgen-p{n} {{ counter-reset: page {n}; }}" for n in sorted(by_page))
    blocks = "".join(
        f'<div style="page: briefgen-p{n}">{_stand_ins(names)}</div>'
        for n, names in sorted(by_page.items())
    )
    return f"<style>{rules}</style>{blocks}"


# --- one part, in a worker process -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Laid:
    pages: int  # pages of the part document, its front included
    anchors: dict[str, int]  # id -> 0-based page of the part document


def _count_from(conn: Connection) -> list[int]:
    """Make WeasyPrint number margin boxes as the joined document will.

    WeasyPrint lays out margin boxes only after the whole document is paginated; at the first one
    this worker reports its page count and waits for the number of pages before its own (to add
    to ``page``), the total (``pages``) and how many leading pages to leave out of its PDF (the
    front's, drawn once by the front's own worker). Patches WeasyPrint for good: call it only in
    a worker process. Returns the list the three numbers arrive in.
    """
    import weasyprint.layout as layout

    original = layout.make_margin_boxes
    shift: list[int] = []

    def make_margin_boxes(context: Any, page: Any, state: Any) -> Iterator[Any]:
        if not shift:
            conn.send(("paged", len(context.page_maker) - 1))
            shift.extend(conn.recv())
        before, total, _ = shift
        counters = dict(state[1])
        counters["page"] = [n + before for n in counters.get("page", [0])]
        counters["pages"] = [total]
        return original(context, page, (state[0], counters, *state[2:]))  # type: ignore[no-any-return]

    layout.make_margin_boxes = make_margin_boxes
    return shift


def _lay_out(html: str, base_url: str, roots: list[str], conn: Connection, write: bool) -> None:
    """Worker: lay out ``html`` with margins numbered by the parent, send back the PDF."""
    try:
        import logging
        from pathlib import Path

        from weasyprint import HTML

        from briefgen.render.fetcher import safe_fetcher

        logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
        shift = _count_from(conn)
        fetcher = safe_fetcher([Path(r) for r in roots])
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
        anchors: dict[str, int] = {}
        for i, page in enumerate(document.pages):
            for name in page.anchors:
                anchors.setdefault(name, i)
        conn.send(("laid", _Laid(len(document.pages), anchors)))  # the parent goes on meanwhile
        if write:
            drop = shift[2] if shift else 0
            kept = document.copy(document.pages[drop:]) if drop else document
            conn.send(("done", kept.write_pdf()))
    except BaseException as exc:  # reported to the parent, which falls back to one process
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class _Worker:
    def __init__(self, html: str, base_url: str, roots: list[str], *, write: bool = True) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_lay_out, args=(html, base_url, roots, child, write), daemon=True
        )
        self.process.start()  # inside render_pdf's frozen_heap: the worker keeps it frozen
        child.close()

    def expect(self, kind: str) -> Any:
        if not self.conn.poll(WAIT_SECONDS):
            raise NotSplittable(f"no word from a layout worker in {WAIT_SECONDS:g} s")
        try:
            got, value = self.conn.recv()
        except EOFError:
            raise NotSplittable(f"a layout worker died ({self.process.exitcode})") from None
        if got != kind:
            raise NotSplittable(f"layout worker: {value}")
        return value

    def close(self) -> None:
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


# --- the whole document ----------------------------------------------------------------------


def render(html: str, *, base_url: str, roots: list[str], jobs: int) -> bytes:
    """The PDF of ``html`` laid out in parts on up to ``jobs`` processes at once.

    Raises :class:`NotSplittable` when the document has no part marks or anything fails, so the
    caller can render it in one process.
    """
    try:
        return _render(html, base_url=base_url, roots=roots, jobs=jobs)
    except NotSplittable:
        raise
    except Exception as exc:  # the single-process render is the reference; never worse than it
        raise NotSplittable(f"{type(exc).__name__}: {exc}") from exc


def _render(html: str, *, base_url: str, roots: list[str], jobs: int) -> bytes:
    cut = split(html)
    if cut is None:
        raise NotSplittable("no part marks")
    if jobs < 2:
        raise NotSplittable("one core")
    if importlib.util.find_spec("pypdf") is None:
        raise NotSplittable("pypdf, which joins the parts, is not installed")
    part_ids = [ids(p) for p in cut.parts]
    everywhere = set(ids(cut.front)) | set(ids(cut.tail))
    shared_links = set(_links(cut.front)) | set(_links(cut.tail))
    docs = []
    for k, part in enumerate(cut.parts):
        # Stand-ins only for the ids this part's document links to: a long appendix has
        # hundreds of ids that no other part needs, and each stand-in is an element to lay out.
        linked_here = shared_links | set(_links(part))
        others = [n for j, names in enumerate(part_ids) if j != k for n in names]
        others = [
            n for n in others if n in linked_here and n not in everywhere and n not in part_ids[k]
        ]
        docs.append(cut.front + part + _stand_ins(others) + cut.tail)
    linked = [n for n in _links(cut.front) if n not in everywhere]
    # The front alone, then the ids it links to on pages of their own: the first of those pages
    # (the sentinel's) tells how long the front is.
    probe = cut.front + _paged_stand_ins(dict.fromkeys([_SENTINEL, *linked], 1)) + cut.tail

    workers: list[_Worker] = []
    started: list[_Worker] = []  # every worker, closed at the end whatever happens
    try:
        workers = [_Worker(doc, base_url, roots) for doc in docs]
        started += workers
        # The probe is needed only once every part is paginated: run it when the first part is,
        # on the core that part leaves idle while it waits for the others.
        wait([w.conn for w in workers], timeout=WAIT_SECONDS)
        front_worker = _Worker(probe, base_url, roots, write=False)
        started.append(front_worker)
        front_worker.expect("paged")
        front_worker.conn.send((0, 0, 0))
        front_pages = front_worker.expect("laid").anchors[_SENTINEL]
        sizes = [w.expect("paged") - front_pages for w in workers]
        total = front_pages + sum(sizes)
        before = front_pages
        starts = []
        for worker, size in zip(workers, sizes, strict=True):
            worker.conn.send((before - front_pages, total, front_pages))
            starts.append(before)
            before += size
        laid: list[_Laid] = [w.expect("laid") for w in workers]
        # The front again, its links now numbered as in the joined document, while the parts
        # are written.
        where: dict[str, int] = {}
        for k, (result, start) in enumerate(zip(laid, starts, strict=True)):
            for name in part_ids[k]:
                if name in result.anchors and result.anchors[name] >= front_pages:
                    where[name] = result.anchors[name] - front_pages + start + 1
        numbered = {_SENTINEL: 0, **{n: where[n] for n in linked if n in where}}
        final = _Worker(cut.front + _paged_stand_ins(numbered) + cut.tail, base_url, roots)
        started.append(final)
        final.expect("paged")
        final.conn.send((0, total, 0))
        if final.expect("laid").anchors.get(_SENTINEL) != front_pages:
            raise NotSplittable("the front changed length once numbered")

        def pieces() -> Iterator[tuple[bytes, int, int, set[str]]]:
            # each taken when join is ready for it: the first ones join while the last writes
            yield final.expect("done"), 0, front_pages, set(ids(cut.front))
            for k, (worker, result) in enumerate(zip(workers, laid, strict=True)):
                own = set(part_ids[k]) | everywhere
                yield worker.expect("done"), 0, result.pages - front_pages, own

        return join(pieces(), total=total)
    finally:
        for w in started:
            w.close()


def join(pieces: Iterable[tuple[bytes, int, int, set[str]]], *, total: int) -> bytes:
    """One PDF from page ranges ``[first, last)`` of several, with named destinations, outline
    and metadata; a piece's named destinations count only for the ids in its set."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Destination, Fit, NameObject, TextStringObject

    writer = PdfWriter()
    dests: dict[str, tuple[int, Destination]] = {}
    outline: list[tuple[int, Any, int]] = []  # (depth, destination, joined page)
    for n, (pdf, first, last, own) in enumerate(pieces):
        reader = PdfReader(BytesIO(pdf))
        offset = len(writer.pages) - first
        if n == 0:
            writer.add_metadata({k: v for k, v in (reader.metadata or {}).items()})
            lang = cast(Any, reader.trailer["/Root"]).get("/Lang")
            if lang is not None:
                writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang))
        for i in range(first, last):
            writer.add_page(reader.pages[i])
        for name, dest in reader.named_destinations.items():
            page = reader.get_destination_page_number(dest)
            if page is not None and name in own and first <= page < last and name not in dests:
                dests[name] = (page + offset, dest)
        for depth, dest in _walk(reader.outline):
            page = reader.get_destination_page_number(dest)
            if page is not None and first <= page < last:
                outline.append((depth, dest, page + offset))
    if len(writer.pages) != total:
        raise NotSplittable(f"joined {len(writer.pages)} pages, expected {total}")
    for name in sorted(dests):
        page, dest = dests[name]
        fit = Fit.xyz(dest.left, dest.top, dest.zoom)
        writer.add_named_destination_object(
            Destination(name, cast(Any, writer.pages[page].indirect_reference), fit)
        )
    parents: list[Any] = []
    for depth, dest, page in outline:
        del parents[depth:]
        parent = parents[-1] if parents else None
        fit = Fit.xyz(dest.left, dest.top, dest.zoom)
        parents.append(
            writer.add_outline_item(title=dest.title, page_number=page, parent=parent, fit=fit)
        )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _walk(items: list[Any], depth: int = 0) -> Iterator[tuple[int, Any]]:
    """pypdf's nested outline list as (depth, destination) in reading order."""
    for item in items:
        if isinstance(item, list):
            yield from _walk(item, depth + 1)
        else:
            yield depth, item
