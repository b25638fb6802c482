"""A fetch run: the configured feeds, pages and folders into the archive, one line per source.

Feeds and pages are grouped by host; up to ``[fetch] workers`` hosts are fetched at the same
time, each host's sources one after the other (so the per-host delay holds). Worker threads
only fetch and parse; the calling thread writes each source's result into the archive as one
transaction as soon as it arrives, and reports it.

Feeds are parsed from the fetched bytes by :func:`briefgen.feeds.read_feed` (defusedxml first,
then feedparser on bytes, never on a URL); pages by :func:`briefgen.htmlinput.read_html`
(trafilatura), exactly as saved files are. A feed entry with a link but little text (less
than :data:`MIN_FEED_TEXT` characters) has its page fetched too, the first time it is seen, at
most :data:`MAX_ENTRY_PAGES` per feed and run. Folders are read with
:func:`briefgen.ingest.ingest`, as ``briefgen build`` reads them.
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import threading
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from briefgen.ingest import InputError, decode_file, ingest, parse_published
from briefgen.ingest.feeds import FeedRefused, read_feed
from briefgen.ingest.html import read_html
from briefgen.sources.archive import Archive, Counts, Item, canonical_url
from briefgen.sources.config import Settings
from briefgen.sources.fetch import FEED_ACCEPT, PAGE_ACCEPT, Fetcher, FetchError, Response

MIN_FEED_TEXT = 600
MAX_ENTRY_PAGES = 100


@dataclass(slots=True)
class Outcome:
    """What became of one source in a run."""

    source: str
    kind: str  # feed, page, folder
    status: str  # stored, unchanged, failed
    counts: Counts = field(default_factory=Counts)
    reason: str | None = None
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        head = f"{self.kind} {self.source}: "
        if self.status == "failed":
            return head + f"failed ({self.reason})"
        if self.status == "unchanged":
            return head + "unchanged"
        c = self.counts
        text = f"new {c.new}"
        if c.updated:
            text += f", updated {c.updated}"
        if c.known:
            text += f", already archived {c.known}"
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return head + text


@dataclass(slots=True)
class _Fetched:
    source: str
    kind: str
    items: list[Item] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def fetch_all(
    settings: Settings,
    archive: Archive,
    *,
    report: Callable[[str], None] = print,
    fetcher: Fetcher | None = None,
) -> list[Outcome]:
    """Fetch every configured source into ``archive``; ``report`` gets one line per source."""
    fetcher = fetcher or Fetcher(settings.policy, robots=archive.robots())
    outcomes: list[Outcome] = []
    jobs = [(u, "feed") for u in settings.feeds] + [(u, "page") for u in settings.pages]
    with contextlib.closing(_fetched(jobs, settings, archive, fetcher)) as stream:
        for got in stream:
            outcome = _write(archive, got, fetcher)
            outcomes.append(outcome)
            report(outcome.line())
    for folder in settings.folders:
        outcome = _read_folder(folder, archive)
        outcomes.append(outcome)
        report(outcome.line())
    leftover = fetcher.take_robots_updates()
    if leftover:
        archive.keep_robots(leftover)
    return outcomes


def _fetched(
    jobs: list[tuple[str, str]], settings: Settings, archive: Archive, fetcher: Fetcher
) -> Generator[_Fetched, None, None]:
    """Each source fetched and parsed, in the order they finish; one thread per host at most."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for url, kind in jobs:
        groups.setdefault((urlsplit(url).hostname or "").lower(), []).append((url, kind))
    validators = {url: archive.validators(url) for url, _ in jobs}
    results: queue.Queue[_Fetched] = queue.Queue()
    stop = threading.Event()

    def work(group: list[tuple[str, str]]) -> None:
        knows = _Known(archive.path)
        try:
            for url, kind in group:
                if stop.is_set():
                    return
                try:
                    got = collect(fetcher, url, kind, validators[url], knows)
                except Exception as exc:  # a parser bug must cost one source, not the run
                    got = _Fetched(url, kind, error=f"{type(exc).__name__}: {exc}"[:200])
                results.put(got)
        finally:
            knows.close()

    workers = max(1, min(settings.workers, len(groups)))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="briefgen-fetch")
    futures = [pool.submit(work, group) for group in groups.values()]
    try:
        left = len(jobs)
        while left:
            try:
                got = results.get(timeout=0.2)
            except queue.Empty:
                if all(f.done() for f in futures) and results.empty():
                    return  # a worker stopped early; nothing more will come
                continue
            left -= 1
            yield got
    finally:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)


class _Known:
    """Whether the archive already holds an article: a worker thread's own read connection."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._archive: Archive | None = None

    def __call__(self, key: str) -> bool:
        try:
            if self._archive is None:
                self._archive = Archive(self._path, create=False)
            return self._archive.knows(key)
        except Exception:  # unreadable: fetch the page, the write decides
            return False

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()


def collect(
    fetcher: Fetcher,
    url: str,
    kind: str,
    validators: tuple[str | None, str | None],
    knows: Callable[[str], bool],
) -> _Fetched:
    """Fetch one feed or page and turn it into archive items (no writes)."""
    etag, last_modified = validators
    try:
        response = fetcher.get(
            url,
            etag=etag,
            last_modified=last_modified,
            accept=FEED_ACCEPT if kind == "feed" else PAGE_ACCEPT,
        )
    except FetchError as exc:
        return _Fetched(url, kind, error=str(exc))
    if response.not_modified:
        return _Fetched(url, kind, not_modified=True)
    got = _Fetched(url, kind, etag=response.etag, last_modified=response.last_modified)
    try:
        if kind == "feed":
            got.items, got.notes = _feed_items(url, response, fetcher, knows)
        else:
            got.items = [page_item(response)]
    except (InputError, FeedRefused) as exc:
        return _Fetched(url, kind, error=str(exc))
    return got


def page_item(response: Response, *, key: str | None = None) -> Item:
    """The article in a fetched page, read as a saved ``.html`` file is."""
    text, _ = decode_file(response.body, declared=True)
    record = read_html(text)
    if not record["text"].strip():
        raise InputError("no readable text in the page")
    key = key or canonical_url(response.url)
    published, _ = parse_published(record["date"])
    return Item(
        key=key,
        link=response.url,
        title=record["title"] or "",
        text=record["text"],
        outlet=record["source"] or (urlsplit(response.url).hostname or ""),
        published=published,
        origin=key,
    )


def _feed_items(
    feed: str, response: Response, fetcher: Fetcher, knows: Callable[[str], bool]
) -> tuple[list[Item], list[str]]:
    text, _ = decode_file(response.body, declared=True)
    records, notes = read_feed(text)
    items: list[Item] = []
    empty = 0
    pages = 0
    page_failures: list[str] = []
    host = urlsplit(response.url).hostname or ""
    for record in records:
        link = urljoin(response.url, record["url"]) if record["url"] else None
        if link and urlsplit(link).scheme not in ("http", "https"):
            link = None
        key = canonical_url(link) if link else _entry_key(feed, record)
        body = (record["text"] or "").strip()
        title = record["title"] or ""
        outlet = record["source"] or host
        published, _ = parse_published(record["date"])
        if link and len(body) < MIN_FEED_TEXT:
            if knows(key):  # seen before: its text is archived already
                items.append(Item(key, link, title, None, outlet, published, origin=feed))
                continue
            if pages < MAX_ENTRY_PAGES:
                pages += 1
                try:
                    page = page_item(fetcher.get(link, accept=PAGE_ACCEPT), key=key)
                except (FetchError, InputError) as exc:
                    page_failures.append(f"{link}: {exc}")
                else:
                    if len(page.text or "") > len(body):
                        items.append(
                            Item(
                                key=key,
                                link=link,
                                title=title or page.title,
                                text=page.text,
                                outlet=outlet,
                                published=published or page.published,
                                origin=key,
                            )
                        )
                        continue
        if not body:
            empty += 1
            continue
        items.append(Item(key, link, title, body, outlet, published, origin=feed))
    if page_failures:
        n = len(page_failures)
        notes.append(
            f"{n} entr{'y' if n == 1 else 'ies'} kept with the feed's text only "
            f"(page not fetched: {page_failures[0]}{', ...' if n > 1 else ''})"
        )
    if empty:
        notes.append(f"{empty} entr{'y' if empty == 1 else 'ies'} without text skipped")
    return items, notes


def _entry_key(feed: str, record: dict[str, object]) -> str:
    ident = str(record.get("id") or record.get("title") or record.get("text") or "")
    digest = hashlib.sha256(f"{feed}\n{ident}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"urn:briefgen:entry:{digest[:32]}"


def _write(archive: Archive, got: _Fetched, fetcher: Fetcher) -> Outcome:
    robots = fetcher.take_robots_updates()
    if got.error is not None:
        reason = " ".join(got.error.split())
        archive.failed(got.source, got.kind, reason, robots=robots)
        return Outcome(got.source, got.kind, "failed", reason=reason)
    if got.not_modified:
        archive.not_modified(got.source, got.kind, robots=robots)
        return Outcome(got.source, got.kind, "unchanged")
    counts = archive.store(
        got.source,
        got.kind,
        got.items,
        etag=got.etag,
        last_modified=got.last_modified,
        robots=robots,
    )
    return Outcome(got.source, got.kind, "stored", counts=counts, notes=got.notes)


def _read_folder(folder: Path, archive: Archive) -> Outcome:
    source = str(folder)
    if not folder.is_dir():
        reason = "not a folder" if folder.exists() else "folder not found"
        archive.failed(source, "folder", reason)
        return Outcome(source, "folder", "failed", reason=reason)
    got = ingest([folder])
    items = []
    for a in got.articles:
        key = canonical_url(a.url) if a.url else _file_key(a.path, a.id)
        items.append(Item(key, a.url, a.title, a.text, a.source, a.published, origin=source))
    counts = archive.store(source, "folder", items)
    bad = [s for s in got.sources if s.status in ("skipped", "error")]
    notes = []
    if bad:
        first = f"{Path(bad[0].path).name}: {bad[0].reason}"
        notes.append(f"{len(bad)} file{'s' if len(bad) != 1 else ''} skipped ({first})")
    return Outcome(source, "folder", "stored", counts=counts, notes=notes)


def _file_key(path: str, article_id: str) -> str:
    with contextlib.suppress(OSError):
        path = str(Path(path).resolve())
    digest = hashlib.sha256(f"{path}\n{article_id}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"urn:briefgen:file:{digest[:32]}"
