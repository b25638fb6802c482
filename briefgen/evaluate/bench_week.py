"""The week stage at scale: everything after the per-article map, on synthetic analyses.

``python -m briefgen.evaluate.bench_week --articles 100000`` invents the analyses of N articles (no
spaCy) shaped like a real week's, then times :func:`briefgen.pipeline.week` on them: actors merged
across articles, stories, ranked risks, upcoming dates, the ranking by importance and the
changes since a previous brief. It prints each step, the total and the peak memory of the
process (``ru_maxrss``) and of the process tree (this process and the worker that makes the
story vectors, sampled: see :class:`TreePeak`). The goal is 100,000 articles in at most 60 s
and 4 GB on 2 cores.

The shapes follow the analyses of the 850 news articles of the summarization evaluation: about
470 words, 3 summary sentences, 33 entity mentions, 6 quotes, 8 dates and 5 risk sentences of
about 8 content terms an article (the commonest term in 8% of the risks).
Names, words and risk terms are drawn from pools with a long tail (a few actors and terms in
thousands of articles, most in a handful), and articles come in events of 1 to 5 reports that
share words, actors and risks, so stories and merged risks form as they do in real news.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import glob
import itertools
import json
import os
import random
import resource
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from briefgen.doc import (
    Analysis,
    Article,
    Brief,
    DateExpr,
    Mention,
    Period,
    Quote,
    Risk,
    SummarySentence,
)
from briefgen.timing import Timings

START = dt.date(2026, 11, 16)  # a Monday: the synthetic week
WORDS_PER_SENTENCE = 18
SENTENCES = 25
MENTIONS = 33
QUOTES = 6
DATES = 8
RISKS = 5


class _Pool:
    """Items drawn with Zipf-like weights: the k-th most common has weight 1 / k**s."""

    def __init__(self, items: Sequence[str], rng: random.Random, s: float = 1.0) -> None:
        self.items = list(items)
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(len(items))))

    def draw(self) -> str:
        x = self.rng.random() * self.cum[-1]
        return self.items[bisect.bisect_right(self.cum, x)]

    def sample(self, k: int) -> list[str]:
        return [self.draw() for _ in range(k)]


def _words(rng: random.Random, n: int, syllables: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def synthetic_analyses(n: int, *, seed: int = 11) -> list[Analysis]:
    """The analyses of ``n`` invented articles (see the module docstring for their shape)."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or")]
    vocab = _Pool(_words(rng, 30_000, syllables), rng, s=1.05)
    firsts = [w.capitalize() for w in _words(rng, 2_000, syllables)]
    lasts = [w.capitalize() for w in _words(rng, 6_000, syllables)]
    people = _Pool([f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(30_000)], rng)
    org_words = [w.capitalize() for w in _words(rng, 3_000, syllables)]
    kinds = ["Council", "Authority", "Union", "Bank", "Agency", "Group", "Ministry", "Board"]
    orgs = _Pool([f"{rng.choice(org_words)} {rng.choice(kinds)}" for _ in range(8_000)], rng)
    places = _Pool([w.capitalize() for w in _words(rng, 1_500, syllables)], rng, s=1.1)
    norps = _Pool([w.capitalize() + "n" for w in _words(rng, 150, syllables)], rng, s=1.2)
    risk_terms = _Pool(_words(rng, 20_000, syllables), rng, s=0.65)
    roles = ["minister", "chief executive", "spokesperson", "mayor", "analyst", "governor"]
    cues = ["could", "may", "warned", "might", "risk", "if", "fear", "threaten"]
    outlets = [f"Outlet {k}" for k in range(60)]

    out: list[Analysis] = []
    event = 0
    while len(out) < n:
        topic = [vocab.draw() for _ in range(30)]
        cast = [*people.sample(4), *orgs.sample(3), *places.sample(2)]
        event_risks = [sorted({*rng.sample(topic, 3), *risk_terms.sample(5)}) for _ in range(RISKS)]
        day = START + dt.timedelta(days=rng.randint(0, 6))
        for k in range(min(rng.randint(1, 5), n - len(out))):
            aid = f"e{event}-a{k}"
            out.append(
                _analysis(
                    aid,
                    day=day,
                    outlet=rng.choice(outlets),
                    rng=rng,
                    topic=topic,
                    vocab=vocab,
                    cast=cast,
                    pools=(people, orgs, places, norps),
                    event_risks=event_risks,
                    risk_terms=risk_terms,
                    roles=roles,
                    cues=cues,
                )
            )
        event += 1
    return out


def _analysis(
    aid: str,
    *,
    day: dt.date,
    outlet: str,
    rng: random.Random,
    topic: list[str],
    vocab: _Pool,
    cast: list[str],
    pools: tuple[_Pool, _Pool, _Pool, _Pool],
    event_risks: list[list[str]],
    risk_terms: _Pool,
    roles: list[str],
    cues: list[str],
) -> Analysis:
    people, orgs, places, norps = pools
    sentences: list[str] = []
    for _ in range(SENTENCES):
        words = [
            rng.choice(topic) if rng.random() < 0.3 else vocab.draw()
            for _ in range(WORDS_PER_SENTENCE)
        ]
        sentences.append(" ".join(words).capitalize() + ".")
    spans: list[tuple[int, int]] = []
    pos = 0
    for sentence in sentences:
        spans.append((pos, pos + len(sentence)))
        pos += len(sentence) + 1
    text = " ".join(sentences)
    article = Article(
        id=aid,
        title=" ".join(rng.sample(topic, 7)).capitalize(),
        text=text,
        published=day,
        source=outlet,
        url=f"https://example.com/{aid}",
        path=f"week/{outlet.replace(' ', '-').lower()}.jsonl",
    )
    summary = [
        SummarySentence(spans[i][0], spans[i][1], sentences[i], round(rng.random(), 4))
        for i in sorted(rng.sample(range(SENTENCES), 3))
    ]
    mentions: list[Mention] = []
    for j in range(MENTIONS):
        r = rng.random()
        if r < 0.45:  # the event's own actors, often by surname after the first mention
            name = rng.choice(cast)
            type_ = "PERSON" if name in cast[:4] else "ORG"
            if type_ == "ORG" and " " not in name:
                type_ = "GPE"
        elif r < 0.65:
            name, type_ = people.draw(), "PERSON"
        elif r < 0.8:
            name, type_ = orgs.draw(), "ORG"
        elif r < 0.93:
            name, type_ = places.draw(), "GPE"
        else:
            name, type_ = norps.draw(), "NORP"
        if type_ == "PERSON" and j > 2 and rng.random() < 0.5:
            name = name.split()[-1]
        elif type_ == "ORG" and rng.random() < 0.15:
            name = "".join(w[0] for w in name.split()).upper()
        start = spans[j % SENTENCES][0] + 3 * (j // SENTENCES)
        mentions.append(
            Mention(
                article=aid,
                start=start,
                end=start + len(name),
                text=name,
                type=type_,  # type: ignore[arg-type]
                role=rng.choice(roles) if type_ == "PERSON" and rng.random() < 0.3 else None,
                head=j < 2,
                subject=rng.random() < 0.3,
            )
        )
    speakers = [m for m in mentions if m.type == "PERSON"] or mentions
    quotes = []
    for q in range(QUOTES):
        speaker = rng.choice(speakers)
        s, e = spans[(q * 7 + 3) % SENTENCES]
        quotes.append(
            Quote(aid, s, e, text[s:e], speaker.text, speaker_start=speaker.start, kind="said")
        )
    dates = []
    for d in range(DATES):
        when = day + dt.timedelta(days=rng.randint(-30, 60))
        s, e = spans[(d * 4 + 1) % SENTENCES]
        future = when > day
        dates.append(
            DateExpr(
                article=aid,
                start=s,
                end=s + 10,
                text=f"{when:%B} {when.day}",
                type="DATE",
                value=when.isoformat() if rng.random() < 0.8 else when.isoformat()[:7],
                relation="future" if future else "past",
                sentence=text[s:e],
                event=" ".join(rng.sample(topic, 4)),
                deadline=future and rng.random() < 0.2,
                actor=rng.choice(mentions).text if rng.random() < 0.5 else None,
            )
        )
    risks = []
    for k in range(RISKS):
        s, e = spans[(k * 5 + 2) % SENTENCES]
        base = rng.choice(event_risks) if rng.random() < 0.6 else risk_terms.sample(6)
        terms = sorted({*base[: rng.randint(4, len(base))], *risk_terms.sample(2)})
        named = tuple(rng.sample([m.text for m in mentions], 2))
        risks.append(
            Risk(
                article=aid,
                start=s,
                end=e,
                text=text[s:e],
                score=round(0.3 + 0.7 * rng.random(), 3),
                cues=tuple(rng.sample(cues, 2)),
                actors=named,
                kinds=("warning",),
                holder=named[0],
                poser=named[1] if rng.random() < 0.5 else None,
                terms=tuple(terms),
            )
        )
    return Analysis(
        article=article,
        sentence_count=SENTENCES,
        summary=summary,
        mentions=mentions,
        quotes=quotes,
        dates=dates,
        risks=risks,
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreePeak:
    """The peak memory of this process and its children (the story vectors' worker), sampled
    every ``interval`` seconds in a thread: the sum of their proportional set sizes (PSS,
    /proc/PID/smaps_rollup), in which a page two processes share counts half in each, so the
    sum is the memory the tree holds. ``ru_maxrss`` cannot say it: a child's counts the pages
    it shares with this process in full, and a child started by fork and exec reports this
    process's size. 0 where /proc has no smaps_rollup (not Linux)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_kb = 0
        self.stage_kb = 0  # since the stage began (see _StagePeaks)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak_kb / 1024

    def now_kb(self) -> int:
        return sum(map(_pss_kb, _tree(os.getpid())))

    def _sample(self) -> None:
        while True:
            now = self.now_kb()
            self.peak_kb = max(self.peak_kb, now)
            self.stage_kb = max(self.stage_kb, now)
            if self._stop.wait(self.interval):
                return


class _StagePeaks(Timings):
    """Timings that also keep the process tree's peak in each stage (MB)."""

    def __init__(self, tree: TreePeak) -> None:
        super().__init__()
        self.tree = tree
        self.peaks: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.tree.stage_kb = self.tree.now_kb()
        with super().stage(name):
            yield
        self.tree.stage_kb = max(self.tree.stage_kb, self.tree.now_kb())
        self.peaks[name] = max(self.peaks.get(name, 0.0), self.tree.stage_kb / 1024)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (children as /proc lists them, thread by thread)."""
    found, i = [pid], 0
    while i < len(found):
        for task in glob.glob(f"/proc/{found[i]}/task/*/children"):
            try:
                with open(task) as f:
                    found += [int(c) for c in f.read().split()]
            except OSError:
                pass  # the task or process has ended
        i += 1
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # ended, or no such file here
    return 0


def run(n: int, *, seed: int = 11) -> dict[str, float]:
    """Invent ``n`` analyses and time the week stage on them; seconds per step, peak MB."""
    from briefgen.pipeline import week
    from briefgen.week import changes, importance

    t0 = time.perf_counter()
    analyses = synthetic_analyses(n, seed=seed)
    made = time.perf_counter() - t0
    before = _peak_mb()
    generated_mb = sum(map(_pss_kb, _tree(os.getpid()))) / 1024
    with TreePeak() as tree:
        timings = _StagePeaks(tree)
        t0, c0, w0 = time.perf_counter(), time.process_time(), _worker_cpu()
        found = week(analyses, as_of=START + dt.timedelta(days=7), timings=timings)
        with timings.stage("importance"):
            importance.rank(
                analyses,
                found.stories,
                found.actors,
                found.upcoming,
                found.risks,
                watch=(),
                previous=None,
                mentions=found.mentions,
            )
        with timings.stage("changes"):
            # Against a previous brief that shares half of this one's risks and dates: every other
            # one of each, the rest this week's (the model read as brief.json, then compared).
            period = Period(START, START + dt.timedelta(days=6), START + dt.timedelta(days=7))
            brief = Brief("bench", period, list(analyses), found.actors, found.dates,
                          found.upcoming, found.risks, [], found.stories)  # fmt: skip
            now = changes.view(brief, mentions=found.mentions)
            half = {"risks": now["risks"][::2], "upcoming": now["upcoming"][::2]}
            last = {**now, "risks": now["risks"][1::2], "upcoming": now["upcoming"][1::2]}
            changes.compare(last, {**now, **half})
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
        worker_cpu = _worker_cpu() - w0
    return {
        "articles": float(n),
        "generate (s)": made,
        "peak memory after generating (MB)": before,
        **{f"{k} (s)": v for k, v in timings.seconds.items()},
        "week stage (s)": total,
        "week stage (CPU-s)": cpu,
        "week stage, worker process (CPU-s)": worker_cpu,
        "peak memory (MB)": _peak_mb(),
        "memory after generating, PSS (MB)": generated_mb,
        "peak memory of the process tree, PSS (MB)": tree.mb,
        **{f"  in {k}, PSS (MB)": v for k, v in timings.peaks.items()},
        "actors": float(len(found.actors)),
        "stories": float(len(found.stories)),
        "risks": float(len(found.risks)),
        "upcoming": float(len(found.upcoming)),
        "mentions": float(sum(len(a.mentions) for a in analyses)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefgen.evaluate.bench_week")
    parser.add_argument("--articles", type=int, default=100_000, metavar="N")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args.articles, seed=args.seed)
    if args.json:
        print(json.dumps(figures))
        return 0
    for name, value in figures.items():
        print(f"  {name:<44} {value:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
