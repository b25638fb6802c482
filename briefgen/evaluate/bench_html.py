"""HTML benchmark: how soon the web page of a large brief is usable in a real browser, and its size.

``python -m briefgen.evaluate.bench_html --data ../shared/eval/summarization`` builds the brief
of every article there (850), each given a date in one week chosen by a hash of its id, then
opens it in headless Chromium (Debian's ``chromium`` and ``chromedriver``, driven by
``selenium``) and prints, as the median of ``--runs`` fresh loads:

* domInteractive and DOMContentLoaded of the navigation, and when the page's own script has
  set up its filters (the ``briefgen:ready`` performance mark): the page is interactive;
* one search over the whole brief (the filter's work on every item);
* the same for the sources page, opened at a cited span (the span highlighted);
* the size of the brief's HTML and of its sources page, for each ``--sizes`` article count, to
  see what grows with the number of articles. The goal: interactive in under 2 s.

It is a benchmark, not a test: wall-clock times depend on the machine. The articles are
written to a temporary folder only; no third-party text is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from briefgen.evaluate.bench import data_files, read_records

WEEK = dt.date(2026, 11, 16)  # a Monday: every article falls in this ISO week
GOAL_SECONDS = 2.0
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
# Milliseconds from the start of navigation; the script's mark is absent on a page without it.
_TIMING = """
const nav = performance.getEntriesByType("navigation")[0];
const ready = performance.getEntriesByName("briefgen:ready")[0];
return {interactive: nav.domInteractive, loaded: nav.domContentLoadedEventEnd,
        ready: ready ? ready.startTime : null, load: nav.loadEventEnd};
"""
_SEARCH = """
const form = document.querySelector("form.finder"), box = form.querySelector("input[type=search]");
box.value = arguments[0];
const t = performance.now();
form.dispatchEvent(new Event("submit", {cancelable: true}));
const ms = performance.now() - t;
return [ms, document.querySelectorAll("main [data-articles]:not([hidden])").length,
        document.querySelectorAll("main [data-articles]").length];
"""


def week_day(article_id: str) -> dt.date:
    """A day of the benchmark week for an article, the same on every run."""
    digest = hashlib.sha1(article_id.encode()).digest()
    return WEEK + dt.timedelta(days=digest[0] % 7)


def write_inputs(data: Path, folder: Path, limit: int | None = None) -> int:
    """The summarization records as dated .jsonl inputs in ``folder``; returns how many."""
    records = read_records(data_files(data))[:limit]
    folder.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {}
    for path, rec in records:
        rec = {
            **rec,
            "title": rec.get("title") or rec["text"].split("\n")[0][:80],
            "date": week_day(str(rec["id"])).isoformat(),
            "source": rec.get("source") or path.stem.upper(),
        }
        lines.setdefault(path.name, []).append(json.dumps(rec, ensure_ascii=False))
    for name, body in lines.items():
        (folder / name).write_text("\n".join(body) + "\n", encoding="utf-8")
    return len(records)


def build(inputs: Path, out: Path, jobs: int | None) -> Path:
    """The brief's HTML (and its sources page) through the CLI, as a user builds it."""
    from briefgen.cli import main

    args = ["build", str(inputs), "--out", str(out), "--format", "html", "--name", "brief"]
    args += ["--issued", (WEEK + dt.timedelta(days=7)).isoformat()]
    if jobs:
        args += ["--jobs", str(jobs)]
    if main(args) != 0:
        raise SystemExit("briefgen: the benchmark brief could not be built")
    return out / "brief.html"


def chromium() -> Any:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise SystemExit("briefgen: bench_html needs selenium (pip install selenium)") from None
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        raise SystemExit("briefgen: bench_html needs chromium and chromedriver (apt-get install)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='briefgen-chromium-')}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(1280, 900)
    return driver


def load_times(driver: Any, url: str, runs: int) -> dict[str, float | None]:
    """Median milliseconds of ``runs`` loads of ``url`` (a blank page between, so each is fresh)."""
    samples: list[dict[str, Any]] = []
    for _ in range(runs):
        driver.get("about:blank")
        driver.get(url)
        samples.append(driver.execute_script(_TIMING))
    out: dict[str, float | None] = {}
    for key in samples[0]:
        values = [s[key] for s in samples if s[key] is not None]
        out[key] = statistics.median(values) if values else None
    return out


def _kb(path: Path) -> str:
    return f"{path.stat().st_size / 1024:,.0f} KB"


def run(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-html-"))
    try:
        sizes = sorted({int(n) for n in args.sizes.split(",") if n.strip()})
        pages: dict[int, Path] = {}
        for n in sizes:
            count = write_inputs(Path(args.data), work / f"in-{n}", limit=n)
            pages[count] = build(work / f"in-{n}", work / f"out-{n}", args.jobs)
        print(f"{'articles':>8}  {'brief html':>11}  {'sources page':>12}")
        for count, page in sorted(pages.items()):
            companion = page.with_suffix(".sources.html")
            print(f"{count:>8}  {_kb(page):>11}  {_kb(companion):>12}")
        count, page = max(pages.items())
        driver = chromium()
        try:
            brief = load_times(driver, page.as_uri(), args.runs)
            word = args.search
            search_ms, shown, items = driver.execute_script(_SEARCH, word)
            link = driver.find_element("css selector", "#risks a.from-source, main a.from-source")
            source = load_times(driver, link.get_attribute("href"), args.runs)
        finally:
            driver.quit()
        print(f"\n{count} articles, median of {args.runs} loads in headless Chromium (ms):")
        for label, t in (("brief", brief), ("sources page", source)):
            print(
                f"  {label:<13} domInteractive {t['interactive']:7.0f}  "
                f"DOMContentLoaded {t['loaded']:7.0f}  script ready "
                f"{t['ready'] if t['ready'] is None else round(t['ready']):>7}  "
                f"load {t['load']:7.0f}"
            )
        print(f"  search {word!r}: {search_ms:.0f} ms, {shown} of {items} items shown")
        ready = brief["ready"] or brief["loaded"] or 0.0
        verdict = "ok" if ready / 1000 < GOAL_SECONDS else "OVER"
        print(f"\ngoal: interactive in < {GOAL_SECONDS:g} s: {ready / 1000:.2f} s {verdict}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefgen.evaluate.bench_html")
    parser.add_argument("--data", default="../shared/eval/summarization", help="*.jsonl articles")
    parser.add_argument("--sizes", default="100,850", help="article counts to build (sizes)")
    parser.add_argument("--runs", type=int, default=5, help="loads per page (median)")
    parser.add_argument("--search", default="minister", help="the word to search for")
    parser.add_argument("--jobs", type=int, default=None, help="analysis processes")
    parser.add_argument("--keep", action="store_true", help="keep the built pages")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
