"""Fetch and archive benchmark: ``python -m briefgen.evaluate.bench_fetch``.

1. 20 synthetic RSS feeds of 100 articles each (2,000 articles) are served on 127.0.0.1 and
   fetched into a fresh archive by the real fetch run (robots.txt, conditional GET, parsing with
   defusedxml + feedparser, one transaction per feed): articles per second and the process's
   peak memory (``ru_maxrss``).
2. The same run again: every request must be conditional, and every feed answers 304.
3. An archive of 100,000 synthetic articles (about 1,000 a week over two years): selecting one
   ISO week for a build, and a full-text search, each timed (the goal: well under a second).

The per-host delay is set to 0 for the throughput figure (all feeds are on one local host; with
the default 1 s delay a run is paced by the delay, not by briefgen). ``--json FILE`` writes the
figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import itertools
import json
import random
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from briefgen.sources.archive import Archive, Item
from briefgen.sources.config import Settings
from briefgen.sources.fetch import Policy
from briefgen.sources.run import fetch_all

_OUTLETS = ("Northern Ledger", "Harbour Post", "Prairie Standard", "Capital Wire", "Coast Times")


def _words(seed: int, n: int = 6000) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(n)}
    return sorted(out)


class _Text:
    """Synthetic news-like text: Zipf-distributed words in sentences."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = _words(seed)
        self.cumulative = list(itertools.accumulate(1.0 / r for r in range(1, len(self.vocab) + 1)))

    def sentence(self, words: int) -> str:
        chosen = self.rng.choices(self.vocab, cum_weights=self.cumulative, k=words)
        return " ".join(chosen).capitalize() + "."

    def body(self, sentences: int) -> str:
        return " ".join(self.sentence(self.rng.randint(10, 22)) for _ in range(sentences))


def _feed(n: int, per_feed: int, text: _Text, start: dt.date) -> bytes:
    outlet = _OUTLETS[n % len(_OUTLETS)]
    items = []
    for i in range(per_feed):
        day = start + dt.timedelta(days=i % 7)
        stamp = email.utils.format_datetime(
            dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
        )
        items.append(
            f"<item><title>{escape(text.sentence(8))}</title>"
            f"<link>https://news{n}.example/{day:%Y/%m/%d}/story-{i}?utm_source=rss</link>"
            f"<guid>https://news{n}.example/{day:%Y/%m/%d}/story-{i}</guid>"
            f"<pubDate>{stamp}</pubDate>"
            f"<description>{escape(text.body(8))}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{outlet} {n}</title><link>https://news{n}.example/</link>"
        f"<description>synthetic</description>{''.join(items)}</channel></rss>"
    ).encode()


class _Server:
    """The synthetic feeds on 127.0.0.1, with ETag and Last-Modified, counting requests."""

    def __init__(self, feeds: dict[str, bytes]) -> None:
        self.feeds = feeds
        self.requests = 0
        self.conditional = 0
        self.not_modified = 0
        self.bytes_sent = 0
        lock = threading.Lock()
        modified = email.utils.formatdate(1_763_000_000, usegmt=True)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = outer.feeds.get(self.path)
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                conditional = bool(
                    self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
                )
                with lock:
                    outer.requests += 1
                    outer.conditional += conditional
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == etag:
                    with lock:
                        outer.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(body)
                with lock:
                    outer.bytes_sent += len(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reset(self) -> None:
        self.requests = self.conditional = self.not_modified = self.bytes_sent = 0

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def bench_fetch(folder: Path, *, feeds: int, per_feed: int, workers: int) -> dict[str, Any]:
    text = _Text(17)
    start = dt.date(2026, 11, 16)
    served = {f"/feed-{n}.xml": _feed(n, per_feed, text, start) for n in range(feeds)}
    server = _Server(served)
    try:
        settings = Settings(
            file=None,
            feeds=tuple(f"http://127.0.0.1:{server.port}{path}" for path in served),
            policy=Policy(allow_private=True, delay=0.0),
            workers=workers,
            archive=folder / "fetch.sqlite",
        )
        before = _peak_mb()
        began = time.perf_counter()
        with Archive(settings.archive) as archive:
            first = fetch_all(settings, archive, report=lambda line: None)
            stored = archive.count()
        seconds = time.perf_counter() - began
        peak = _peak_mb()
        first_requests = server.requests
        served_mb = server.bytes_sent / 1e6
        server.reset()
        began = time.perf_counter()
        with Archive(settings.archive) as archive:
            second = fetch_all(settings, archive, report=lambda line: None)
        again = time.perf_counter() - began
    finally:
        server.close()
    new = sum(o.counts.new for o in first)
    return {
        "feeds": feeds,
        "articles": new,
        "archived": stored,
        "failed": sum(o.status == "failed" for o in first),
        "seconds": round(seconds, 3),
        "articles_per_second": round(new / seconds, 1),
        "feed_megabytes": round(served_mb, 2),
        "requests": first_requests,
        "peak_rss_mb_before": round(before, 1),
        "peak_rss_mb": round(peak, 1),
        "second_run": {
            "seconds": round(again, 3),
            "requests": server.requests,
            "conditional": server.conditional,
            "not_modified": server.not_modified,
            "unchanged_sources": sum(o.status == "unchanged" for o in second),
        },
    }


def _synthetic_items(n: int, *, start: dt.date, weeks: int) -> Iterator[Item]:
    text = _Text(29)
    days = weeks * 7
    for i in range(n):
        day = start + dt.timedelta(days=i * days // n)
        key = f"https://site{i % 97}.example/{day:%Y/%m/%d}/article-{i}"
        yield Item(
            key=key,
            link=key,
            title=text.sentence(8),
            text=text.body(6),
            outlet=_OUTLETS[i % len(_OUTLETS)],
            published=day,
            origin=f"https://site{i % 97}.example/feed",
        )


def bench_archive(folder: Path, *, articles: int, weeks: int) -> dict[str, Any]:
    start = dt.date(2024, 11, 18)  # a Monday
    path = folder / "big.sqlite"
    began = time.perf_counter()
    with Archive(path) as archive:
        batch: list[Item] = []
        for item in _synthetic_items(articles, start=start, weeks=weeks):
            batch.append(item)
            if len(batch) == 10_000:
                archive.store("synthetic", "feed", batch)
                batch = []
        if batch:
            archive.store("synthetic", "feed", batch)
    filled = time.perf_counter() - began

    week_start = start + dt.timedelta(weeks=weeks // 2)
    week_end = week_start + dt.timedelta(days=6)
    vocab = _Text(29).vocab
    with Archive(path, create=False) as archive:
        timings: dict[str, Any] = {}
        began = time.perf_counter()
        chosen = archive.select(week_start, week_end)
        timings["select_week_seconds"] = round(time.perf_counter() - began, 4)
        timings["select_week_articles"] = len(chosen)
        plan = archive._db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE day >= ? AND day <= ?",
            (week_start.isoformat(), week_end.isoformat()),
        ).fetchall()
        timings["select_week_plan"] = " ".join(str(r[-1]) for r in plan)
        for label, query in (
            ("search_common", vocab[0]),  # the most frequent word: matches most articles
            ("search_two_words", f"{vocab[40]} {vocab[300]}"),
            ("search_rare", vocab[3000]),
        ):
            began = time.perf_counter()
            hits = archive.search(query, limit=20)
            timings[f"{label}_seconds"] = round(time.perf_counter() - began, 4)
            timings[f"{label}_query"] = query
            timings[f"{label}_hits"] = len(hits)
            timings[f"{label}_matches"] = archive._db.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (query,)
            ).fetchone()[0]
        size_mb = path.stat().st_size / 1e6
    return {
        "articles": articles,
        "weeks": weeks,
        "fill_seconds": round(filled, 1),
        "file_megabytes": round(size_mb, 1),
        "week": f"{week_start.isocalendar().year}-W{week_start.isocalendar().week:02d}",
        **timings,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m briefgen.evaluate.bench_fetch", description=__doc__)
    p.add_argument("--feeds", type=int, default=20)
    p.add_argument("--per-feed", type=int, default=100)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--archive-articles", type=int, default=100_000)
    p.add_argument("--weeks", type=int, default=100)
    p.add_argument("--json", type=Path, metavar="FILE")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        fetched = bench_fetch(
            Path(tmp), feeds=args.feeds, per_feed=args.per_feed, workers=args.workers
        )
        s = fetched["second_run"]
        print(
            f"fetch: {fetched['articles']} articles from {fetched['feeds']} feeds "
            f"({fetched['feed_megabytes']} MB) in {fetched['seconds']} s = "
            f"{fetched['articles_per_second']} articles/s; peak RSS {fetched['peak_rss_mb']} MB "
            f"({fetched['peak_rss_mb_before']} MB before the run)"
        )
        print(
            f"second run: {s['requests']} requests, {s['conditional']} conditional, "
            f"{s['not_modified']} answered 304, {s['seconds']} s"
        )
        archived = bench_archive(Path(tmp), articles=args.archive_articles, weeks=args.weeks)
        a = archived
        print(
            f"archive: {a['articles']} articles ({a['file_megabytes']} MB) filled in "
            f"{a['fill_seconds']} s"
        )
        print(
            f"select week {a['week']}: {a['select_week_articles']} articles in "
            f"{a['select_week_seconds']} s ({a['select_week_plan']})"
        )
        for label in ("search_common", "search_two_words", "search_rare"):
            print(
                f"search {a[f'{label}_query']!r}: {a[f'{label}_matches']} matches, "
                f"best {a[f'{label}_hits']} in {a[f'{label}_seconds']} s"
            )
    if args.json:
        args.json.write_text(
            json.dumps({"fetch": fetched, "archive": archived}, indent=2) + "\n", encoding="utf-8"
        )
    ok = (
        fetched["articles"] == args.feeds * args.per_feed
        and s["requests"] == s["conditional"]
        and a["select_week_seconds"] < 1
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
