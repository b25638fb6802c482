"""`briefgen bench`: speed and memory of a full brief, against the floor any spaCy pipeline pays.

One run prints:

* end to end, as a user runs it (a fresh ``briefgen build`` process writing json+html+pdf): cold
  (empty cache folder), then warm (same inputs, cache filled), and cold on a quarter of the
  articles, to see how time and peak memory grow with the article count;
* the spaCy floor: the default pipeline's ``nlp.pipe`` over the same texts, in one process,
  measured before and after the cold build (the goal compares the cold build with their mean);
* a naive composition of peers: spaCy (the floor) + sumy LexRank + dateparser ``search_dates``,
  the last two timed on a sample and extrapolated to every article;
* the time of each stage: the build's own timings (ingest, parse, analyse, render), then each
  per-article stage timed separately on the sample, and each renderer on the whole brief;
* peak memory of the build's whole process tree (the sum of its processes' RSS, sampled), and of
  its largest single process.

Timings are wall-clock and depend on the load of the machine; the load average is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.doc import Article, Parsed
from briefgen.timing import Timings
from briefgen.words import WORD

# The summarization data carries no publication dates; giving every article one makes the dates
# stage normalise against it, as it does on a real week of news.
BENCH_DATE = dt.date(2005, 6, 1)
# Issue 18: the cold json+html+pdf brief in at most 0.6x the spaCy floor, a warm re-run in at
# most a tenth of the cold one, and the whole process tree within 1.5 GB.
GOAL_FLOOR = 0.6
GOAL_WARM = 0.10
GOAL_MEMORY_MB = 1536


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/summarization"))
    parser.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="worker processes (default: all)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=80,
        metavar="N",
        help="articles on which peers and single stages are timed, then extrapolated",
    )
    parser.add_argument(
        "--limit", type=int, default=None, metavar="N", help="use only the first N articles"
    )
    parser.add_argument(
        "--no-scaling", action="store_true", help="skip the cold run on a quarter of the articles"
    )
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="skip timing spaCy variants (lemmatizer off, n_process) on the sample",
    )
    parser.add_argument(
        "--only",
        type=_parts,
        default=PARTS,
        metavar="LIST",
        help=f"comma list of the parts to run, of {','.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--week-articles",
        type=int,
        default=100_000,
        metavar="N",
        help="synthetic analyses the week stage is timed on (default 100,000)",
    )


# brief: the end-to-end builds against the spaCy floor; engines: the per-article stage on
# --engine local and dask; week: the week stage on synthetic analyses.
PARTS = ("brief", "engines", "week")
GOAL_DASK_SCALING = 1.7
GOAL_DASK_OVERHEAD = 0.15
GOAL_WEEK_SECONDS = 60.0
GOAL_WEEK_MB = 4096


def _parts(text: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    bad = [p for p in parts if p not in PARTS]
    if bad or not parts:
        raise argparse.ArgumentTypeError(f"unknown part {bad[0] if bad else text!r}")
    return parts


# --- measuring -------------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the whole process tree
    tree_peak_mb: float  # sampled sum of RSS over the process tree
    largest_mb: float  # peak RSS of the largest single process (getrusage)
    timings: dict[str, float]
    files: list[str]


def _page_mb() -> float:
    return os.sysconf("SC_PAGE_SIZE") / 2**20


def _tree_rss_mb(root: int) -> float:
    """Sum of the RSS of ``root`` and all its descendants (Linux /proc; 0 elsewhere)."""
    parents: dict[int, int] = {}
    rss: dict[int, float] = {}
    page = _page_mb()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            pid = int(entry)
            parents[pid] = int(stat[1])
            rss[pid] = int(stat[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0.0) for pid in tree)


def run_build(
    inputs: Sequence[Path],
    *,
    out: Path,
    cache_home: Path,
    jobs: int | None,
    extra: Sequence[str],
    formats: str = "json,html,pdf",
) -> Run:
    """One ``briefgen build`` in a fresh process, with its peak memory sampled."""
    timings_file = out / "timings.json"
    cmd = [sys.executable, "-m", "briefgen", "build", *map(str, inputs), "--out", str(out)]
    cmd += ["--format", formats, "--timings", str(timings_file), *extra]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path.cwd()
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    timings = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    return Run(
        seconds=seconds,
        cpu=cpu,
        tree_peak_mb=peak,
        largest_mb=max(before, after) / 1024,
        timings=timings,
        files=stdout.decode().split(),
    )


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# --- data ------------------------------------------------------------------------------------


def data_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise SystemExit(f"briefgen: no .jsonl files in {folder}")
    return files


def read_records(files: Sequence[Path]) -> list[tuple[Path, dict[str, Any]]]:
    return [
        (path, json.loads(line))
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def write_subset(
    records: Sequence[tuple[Path, dict[str, Any]]], folder: Path, *, every: int = 1, n: int
) -> list[Path]:
    """The first ``n`` records (every ``every``-th), as .jsonl files named like their sources."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = list(records[::every])[:n]
    written: dict[Path, list[str]] = {}
    for path, record in chosen:
        written.setdefault(folder / path.name, []).append(json.dumps(record, ensure_ascii=False))
    for path, lines in written.items():
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(written)


# --- peers -----------------------------------------------------------------------------------


class _Tokenizer:
    """sumy's tokenizer interface over briefgen's Punkt (sumy's own needs downloaded NLTK data)."""

    def to_sentences(self, text: str) -> list[str]:
        from briefgen.nlp import split_sentences

        return [text[s:e] for s, e in split_sentences(text)]

    def to_words(self, sentence: str) -> list[str]:
        return WORD.findall(sentence)


def time_lexrank(texts: Sequence[str]) -> float:
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    summarizer = LexRankSummarizer()
    tokenizer = _Tokenizer()
    start = time.perf_counter()
    for text in texts:
        summarizer(PlaintextParser.from_string(text, tokenizer).document, 3)
    return time.perf_counter() - start


def time_search_dates(texts: Sequence[str]) -> float:
    from dateparser.search import search_dates

    base = dt.datetime.combine(BENCH_DATE, dt.time(12))
    search_dates("warm up on 1 June 2005", languages=["en"])
    start = time.perf_counter()
    for text in texts:
        search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base})
    return time.perf_counter() - start


def time_spacy(
    texts: Sequence[str], *, disable: Sequence[str] = (), n_process: int = 1
) -> tuple[float, float]:
    """Wall and CPU seconds of ``nlp.pipe`` over ``texts``."""
    from briefgen.nlp import load_model, model_name

    nlp = load_model(model_name())
    start, cpu = time.perf_counter(), time.process_time()
    with nlp.select_pipes(disable=list(disable)):
        for _ in nlp.pipe(texts, batch_size=16, n_process=n_process):
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def timefast_tagging(texts: Sequence[str], *, entities: bool = False) -> float | None:
    """Wall seconds of ``nlp.pipe`` with the attribute ruler and lemmatizer (and, with
    ``entities``, the recogniser's decoding) done as in :func:`briefgen.nlp.parse_many` (same
    annotations), or None if the model has no such pipes."""
    from briefgen.ner import fast_entities
    from briefgen.nlp import load_model, model_name, pipe
    from briefgen.tagging import fast_tagging

    nlp = load_model(model_name())
    fast = fast_tagging(nlp)
    if fast is None or (entities and fast_entities(nlp) is None):
        return None
    start = time.perf_counter()
    if entities:
        for _ in pipe(nlp, texts, batch_size=16):
            pass
    else:
        for doc in nlp.pipe(texts, batch_size=16, disable=list(fast.names)):
            fast(doc)
    return time.perf_counter() - start


# --- per-stage, in process --------------------------------------------------------------------


def stage_times(articles: Sequence[Article], *, summary_sentences: int = 3) -> dict[str, float]:
    """Seconds of each per-article stage over ``articles`` (parse included)."""
    from briefgen.article import dates, mentions, quotes, risks, summarize
    from briefgen.nlp import load_model, parse_many

    load_model(None)
    t = Timings()
    parsed: list[Parsed] = []
    stream = iter(parse_many(articles))
    while True:
        with t.stage("parse (Punkt + spaCy)"):
            p = next(stream, None)
        if p is None:
            break
        parsed.append(p)
    for p in parsed:
        with t.stage("summarize"):
            summarize.summarize(p, sentences=summary_sentences)
        with t.stage("actors: mentions"):
            found = mentions.extract_mentions(p)
        with t.stage("actors: quotes"):
            quotes.extract_quotes(p, found)
        with t.stage("dates"):
            dates.extract_dates(p)
        with t.stage("risks"):
            risks.extract_risks(p, found)
    return t.seconds


# --- report ----------------------------------------------------------------------------------


def _line(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<44} {value:>12}  {note}".rstrip())


def _s(seconds: float) -> str:
    return f"{seconds:8.2f} s"


def _load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


@dataclass(slots=True)
class Workdir:
    root: Path

    def sub(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def run(args: argparse.Namespace) -> int:
    folder: Path = args.data
    if not folder.is_dir():
        print(f"briefgen: benchmark data not found: {folder}", file=sys.stderr)
        return 2
    records = read_records(data_files(folder))
    if args.limit:
        records = records[: args.limit]
    texts = [r["text"] for _, r in records]
    words = sum(len(t.split()) for t in texts)
    from briefgen.config import default_jobs

    jobs = args.jobs or default_jobs()
    parts: tuple[str, ...] = getattr(args, "only", PARTS)
    print(f"briefgen bench: {len(records)} articles, {words:,} words, from {folder}")
    print(f"  load average at start: {_load()}; --jobs {jobs}")
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        work = Workdir(Path(tmp))
        if "brief" in parts:
            _bench_brief(args, records, texts, words, jobs, work)
        if "engines" in parts:
            _bench_engines(records, work, jobs)
    if "week" in parts and getattr(args, "week_articles", 0) > 0:
        _bench_week(args.week_articles)
    return 0


def _bench_brief(
    args: argparse.Namespace,
    records: list[tuple[Path, dict[str, Any]]],
    texts: list[str],
    words: int,
    jobs: int,
    work: Workdir,
) -> None:
    extra = ["--default-date", BENCH_DATE.isoformat(), "--all"]
    n_all = len(records)
    inputs = write_subset(records, work.sub("data"), n=n_all)
    cache_home = work.sub("xdg-cache")

    print("\nspaCy floor: nlp.pipe, default pipeline, one process, the same texts")
    load_s, _ = _timed(lambda: _load_model())
    floor, floor_cpu = time_spacy(texts)
    _line("model load", _s(load_s))
    _line(
        "nlp.pipe over every text",
        _s(floor),
        f"{words / floor:,.0f} words/s; {floor_cpu:.1f} CPU-s",
    )

    print("\nEnd to end: `briefgen build --format json,html,pdf`, one fresh process each")
    cold = run_build(inputs, out=work.sub("out"), cache_home=cache_home, jobs=jobs, extra=extra)
    _line(
        "cold (empty cache)",
        _s(cold.seconds),
        f"{len(records) / cold.seconds:.1f} art/s; {cold.cpu:.1f} CPU-s",
    )
    # This shared machine's speed drifts by a fifth within minutes (the same floor measured
    # 92 s and 112 s ten minutes apart, idle both times), so the floor is taken on either side
    # of the cold build and the ratio uses their mean.
    after, after_cpu = time_spacy(texts)
    _line(
        "spaCy floor again, right after the cold build",
        _s(after),
        f"{after_cpu:.1f} CPU-s; mean of the two {(floor + after) / 2:.2f} s",
    )
    floor, floor_cpu = (floor + after) / 2, (floor_cpu + after_cpu) / 2
    warm = run_build(inputs, out=work.sub("out"), cache_home=cache_home, jobs=jobs, extra=extra)
    ratio = warm.seconds / cold.seconds
    _line(
        "warm (same inputs, cache filled)",
        _s(warm.seconds),
        # CPU-s as well: on a shared machine the two runs rarely see the same load.
        f"{ratio:.1%} of cold; {warm.cpu:.1f} CPU-s, {warm.cpu / cold.cpu:.1%} of cold's",
    )
    # The realistic re-runs: one article revised, everything else unchanged; at its end (its
    # summary stays, so the PDF cache holds), then at its start (the brief's HTML changes).
    path, record = records[0]
    revisions = {
        "one article revised at its end": record["text"] + " (Updated.)",
        "one article revised at its start": "UPDATED: " + record["text"],
    }
    revised_runs: list[Run] = []
    for label, text in revisions.items():
        write_subset([(path, {**record, "text": text}), *records[1:]], work.sub("data"), n=n_all)
        run_ = run_build(inputs, out=work.sub("out"), cache_home=cache_home, jobs=jobs, extra=extra)
        revised_runs.append(run_)
        _line(label, _s(run_.seconds), f"{run_.seconds / cold.seconds:.1%} of cold")
    one = revised_runs[-1]
    _line("peak memory, cold: process tree (RSS sum)", f"{cold.tree_peak_mb:7.0f} MB")
    _line("peak memory, cold: largest process", f"{cold.largest_mb:7.0f} MB")
    _line("peak memory, warm: process tree (RSS sum)", f"{warm.tree_peak_mb:7.0f} MB")
    quarter: Run | None = None
    if not args.no_scaling and len(records) >= 8:
        n = len(records) // 4
        small = write_subset(records, work.sub("quarter"), every=4, n=n)
        quarter = run_build(
            small, out=work.sub("out-q"), cache_home=work.sub("xdg-q"), jobs=jobs, extra=extra
        )
        _line(
            f"cold on a quarter ({n} articles)",
            _s(quarter.seconds),
            f"peak tree {quarter.tree_peak_mb:.0f} MB",
        )

    print("\nStages of each build (from its --timings)")
    print(f"  {'':<44} {'cold':>12} {'warm':>12} {'1 revised':>12}  (at its start)")
    for name in dict.fromkeys([*cold.timings, *warm.timings, *one.timings]):
        values = [run.timings.get(name) for run in (cold, warm, one)]
        fmt = "{:12.0f}" if name.startswith("articles") else "{:10.2f} s"
        cells = " ".join(" " * 12 if v is None else fmt.format(v) for v in values)
        print(f"  {name:<44} {cells}")
    print("  (worker-s: summed over worker processes; wall time is lower with --jobs > 1)")

    rng = random.Random(9)
    picked = sorted(rng.sample(range(len(records)), min(args.sample, len(records))))
    sample_texts = [texts[i] for i in picked]
    scale = len(records) / len(picked)
    print(f"\nPer stage, in process, on a sample of {len(picked)} articles (x{scale:.1f})")
    from briefgen.ingest import article_from_record

    sample_articles = [
        _dated(article_from_record(records[i][1], path=records[i][0], position=i)) for i in picked
    ]
    stages = stage_times(sample_articles)
    for name, value in stages.items():
        _line(name, _s(value), f"-> {value * scale:7.2f} s for all")
    _render_times(inputs, cache_home=cache_home, jobs=jobs)

    if not args.no_variants:
        print(f"\nspaCy variants on the sample ({len(picked)} articles)")
        base, _ = time_spacy(sample_texts)
        _line("default pipeline", _s(base))
        no_lemma, _ = time_spacy(sample_texts, disable=["lemmatizer"])
        _line("lemmatizer off (risks, quotes need lemmas)", _s(no_lemma))
        no_pos, _ = time_spacy(sample_texts, disable=["attribute_ruler", "lemmatizer"])
        _line("attribute_ruler + lemmatizer off (need pos_)", _s(no_pos))
        fast = timefast_tagging(sample_texts)
        if fast is not None:
            _line("... done by briefgen's rule arrays instead", _s(fast))
        both = timefast_tagging(sample_texts, entities=True)
        if both is not None:
            _line("... and the entities decoded in batch", _s(both), "what build runs")
        if jobs > 1:
            n_proc, _ = time_spacy(sample_texts, n_process=jobs)
            _line(f"nlp.pipe(n_process={jobs})", _s(n_proc), "includes worker start-up")

    print(f"\nNaive composition of peers (LexRank and search_dates on the sample, x{scale:.1f})")
    lex = time_lexrank(sample_texts) * scale
    found = time_search_dates(sample_texts) * scale
    _line("spaCy (the floor above, mean of two)", _s(floor))
    _line("sumy LexRank, 3 sentences (extrapolated)", _s(lex))
    _line("dateparser search_dates (extrapolated)", _s(found))
    _line("total, one process", _s(floor + lex + found))

    print("\nGoals (timings are wall clock on a shared machine; see the load average)")
    print(f"  load average at end: {_load()}")
    _goal(
        f"cold full brief <= {GOAL_FLOOR}x the spaCy floor (mean of the two)",
        cold.seconds <= floor * GOAL_FLOOR,
        cold.seconds,
        floor * GOAL_FLOOR,
    )
    print(
        f"  (x{cold.seconds / floor:.2f} of the floor; less load-dependent: cold CPU-s / {jobs}"
        f" cores = {cold.cpu / jobs:.1f} s vs floor {floor_cpu:.1f} CPU-s,"
        f" x{cold.cpu / jobs / floor_cpu:.2f}; a lower bound: start-up and the reduce run on one"
        " core)"
    )
    _goal(
        f"warm re-run <= {GOAL_WARM:.0%} of the cold time",
        ratio <= GOAL_WARM,
        warm.seconds,
        cold.seconds * GOAL_WARM,
    )
    print(
        f"  peak memory <= {GOAL_MEMORY_MB} MB: "
        f"{'met' if cold.tree_peak_mb <= GOAL_MEMORY_MB else 'NOT met'} "
        f"({cold.tree_peak_mb:.0f} MB)"
    )
    if quarter is not None:
        growth = cold.tree_peak_mb / quarter.tree_peak_mb if quarter.tree_peak_mb else 0.0
        count = len(records) / (len(records) // 4)
        verdict = "met" if growth < count else "NOT met"
        print(
            f"  memory grows slower than articles: {verdict} "
            f"(x{count:.1f} articles -> x{growth:.2f} peak memory)"
        )


def _bench_engines(records: list[tuple[Path, dict[str, Any]]], work: Workdir, jobs: int) -> None:
    """The per-article stage on each engine, side by side: fresh processes, no cache, JSON only
    (so the stage is what differs); the stage's wall time includes starting the workers."""
    import importlib.util

    inputs = write_subset(records, work.sub("engines-data"), n=len(records))
    extra = ["--default-date", BENCH_DATE.isoformat(), "--all", "--no-cache"]
    extra += ["--issued", BENCH_DATE.isoformat()]
    runs: dict[str, Run] = {}
    labels = {
        f"local, {jobs} processes": ("local", jobs),
        "dask LocalCluster, 1 worker": ("dask", 1),
        f"dask LocalCluster, {jobs} workers": ("dask", jobs),
    }
    if importlib.util.find_spec("distributed") is None:
        print("\nEngines: dask is not installed; skipped")
        return
    print(f"\nPer-article stage by engine ({len(records)} articles, no cache, json only)")
    print(f"  {'':<36} {'stage wall':>11} {'worker-s':>9} {'start-up':>9} {'build':>9} {'peak':>8}")
    for label, (engine, n) in labels.items():
        out = work.sub(f"engines-{engine}-{n}")
        run_ = run_build(
            inputs,
            out=out,
            cache_home=work.sub(f"xdg-engines-{engine}-{n}"),
            jobs=n,
            extra=[*extra, "--engine", engine],
            formats="json",
        )
        runs[label] = run_
        t = run_.timings
        worker_s = t.get("parse + analyse + cache write (worker-s)") or t.get(
            "parse + analyse (worker-s)", 0.0
        )
        start_up = t.get("dask: start or connect, load the model", 0.0)
        print(
            f"  {label:<36} {t.get('per-article stage (wall)', 0.0):9.2f} s"
            f" {worker_s:7.1f} s {start_up:7.2f} s {run_.seconds:7.2f} s"
            f" {run_.tree_peak_mb:5.0f} MB"
        )
    local, one, many = (runs[k].timings.get("per-article stage (wall)", 0.0) for k in labels)
    same = [(runs[k].files, k) for k in labels]
    identical = len(
        {Path(f).read_bytes() for files, _ in same for f in files if f.endswith(".json")}
    )
    if one and many:
        _goal(
            f"dask {jobs} workers >= {GOAL_DASK_SCALING}x faster than 1 worker",
            one / many >= GOAL_DASK_SCALING,
            many,
            one / GOAL_DASK_SCALING,
        )
        print(f"  (speed-up x{one / many:.2f})")
    if local and many:
        overhead = many / local - 1
        _goal(
            f"dask overhead vs local on {jobs} cores <= {GOAL_DASK_OVERHEAD:.0%}",
            overhead <= GOAL_DASK_OVERHEAD,
            many,
            local * (1 + GOAL_DASK_OVERHEAD),
        )
        print(f"  (overhead {overhead:+.1%})")
    print(f"  brief.json identical across engines: {'yes' if identical == 1 else 'NO'}")


def _bench_week(n: int) -> None:
    """The week stage on ``n`` synthetic analyses, in a fresh process (its own peak memory)."""
    print(f"\nWeek stage on {n:,} synthetic analyses (python -m briefgen.evaluate.bench_week)")
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen.evaluate.bench_week", "--articles", str(n), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        print(f"  failed: {proc.stderr.strip()[-500:]}")
        return
    figures: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    for name, value in figures.items():
        fmt = "{:8.2f} s" if name.endswith(("(s)", "(CPU-s)")) else "{:10.0f}"
        _line(name, fmt.format(value))
    seconds, peak = figures["week stage (s)"], figures["peak memory (MB)"]
    _goal(
        f"week stage <= {GOAL_WEEK_SECONDS:.0f} s",
        seconds <= GOAL_WEEK_SECONDS,
        seconds,
        GOAL_WEEK_SECONDS,
    )
    print(
        f"  peak memory <= {GOAL_WEEK_MB} MB: {'met' if peak <= GOAL_WEEK_MB else 'NOT met'}"
        f" ({peak:.0f} MB, the analyses included)"
    )


def _goal(label: str, ok: bool, measured: float, bound: float) -> None:
    print(f"  {label}: {'met' if ok else 'NOT met'} ({measured:.2f} s vs {bound:.2f} s)")


def _load_model() -> None:
    from briefgen.nlp import load_model, model_name

    load_model(model_name())


def _dated(article: Article) -> Article:
    from dataclasses import replace

    return article if article.published else replace(article, published=BENCH_DATE)


def _render_times(inputs: Sequence[Path], *, cache_home: Path, jobs: int) -> None:
    """Each renderer on the whole brief, rebuilt in process from the warm cache."""
    from functools import partial

    from briefgen.engine.cache import AnalysisCache, pipeline_version
    from briefgen.engine.local import analyse_all
    from briefgen.pipeline import Selection, build
    from briefgen.render.data import render_json, to_data
    from briefgen.render.html import render_html
    from briefgen.render.pdf import render_pdf

    cache = AnalysisCache(
        version=pipeline_version(model=None, settings={"summary_sentences": 3}),
        root=cache_home / "briefgen",
    )
    brief = build(
        inputs,
        selection=Selection(all=True),
        default_date=BENCH_DATE,
        analyse_all=partial(analyse_all, jobs=jobs, cache=cache, progress=False),
    )
    to_data_s, data = _timed(lambda: to_data(brief))
    json_s, _ = _timed(lambda: render_json(data))
    html_s, html = _timed(lambda: render_html(brief, data))
    pdf_s, pdf = _timed(lambda: render_pdf(html))
    print(f"\nRenderers on the whole brief ({len(brief.analyses)} articles)")
    _line("brief.json data (to_data)", _s(to_data_s))
    _line("JSON text", _s(json_s))
    _line("HTML (Jinja)", _s(html_s), f"{len(html) / 2**20:.1f} MB")
    _line("PDF (WeasyPrint)", _s(pdf_s), f"{len(pdf) / 2**20:.1f} MB")
