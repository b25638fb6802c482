"""The haystack benchmark: a developing story of our own hidden in a week of real news.

``python -m briefgen.evaluate.haystack --data ../shared/eval/summarization`` (or ``briefgen eval
haystack``) mixes the storyline in ``haystack/*.md`` (five invented articles over eight days on
one developing story, with named people, upcoming dates and open risks) into the 850
summarization articles, each given a publication date spread over ten days by a hash of its id.
It then builds the brief once with the storyline's watch term and once without, and prints where
the storyline lands: its story's rank, its actors', dates' and risks' ranks, the PDF's pages
with ``--appendix none``, and the cold build time next to main's before issue 14.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from briefgen.doc import Analysis, Article

STORYLINE = Path(__file__).with_name("haystack")
FIRST_DAY = dt.date(2026, 3, 2)
DAYS = 10
OUTLETS = {"bbc": "BBC News", "cnn": "CNN", "dm": "Daily Mail"}


def dated(article_id: str) -> dt.date:
    """A day of the ten, the same for an id on every run."""
    h = int.from_bytes(hashlib.sha256(article_id.encode()).digest()[:4], "big")
    return FIRST_DAY + dt.timedelta(days=h % DAYS)


def prepare(data: Path, out: Path) -> list[Path]:
    """The week's inputs in ``out``: the eval articles, dated and attributed, and the storyline."""
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for name in ("bbc.jsonl", "cnndm.jsonl"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            record = {
                "id": row["id"],
                "title": row.get("title"),
                "text": row["text"],
                "date": dated(row["id"]).isoformat(),
                "source": OUTLETS.get(row["id"].split("-")[0], row.get("source") or ""),
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    week = out / "week.jsonl"
    week.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [week, STORYLINE]


WATCH = "Halvard Dam"
STORY_IDS = tuple(f"haystack-halvard-{i}" for i in range(1, 6))
# Main before issue 14 (bb4b675), the same input and machine, one cold run (`briefgen build
# --no-cache --all`, its "build (total)" timing, at a load average of about 9 on 2 cores): the
# goal is to be no slower. Wall-clock times depend on the machine's load; compare with care.
MAIN_COLD_SECONDS = 363.0
MAIN_WEEK_SECONDS = 7.1  # of which ingest and the week's stages (build less the analysis)
PAGES_GOAL = 12


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the storyline lands in one brief."""

    story_rank: int | None
    grouped: int  # storyline articles in that story
    title: str
    actor_ranks: list[tuple[int, str, bool]]  # the top actors: rank, name, in the storyline
    date_rank: int | None  # the storyline's best upcoming date
    risk_rank: int | None
    stories: int
    actors: int
    upcoming: int
    risks: int


def standing(data: dict[str, Any]) -> Standing:
    story = next((s for s in data["stories"] if any(i in STORY_IDS for i in s["articles"])), None)
    sid = story["id"] if story else None

    def best(items: list[dict[str, Any]]) -> int | None:
        ranks = [x["rank"] for x in items if sid in x.get("stories", [])]
        return min(ranks) if ranks else None

    actors, seen = [], set()
    for a in sorted(data["actors"], key=lambda a: a["rank"]):
        # As Key actors shows them: one row per name, no bare groups ("Canadian").
        if a["type"] != "NORP" and a["name"].casefold() not in seen:
            seen.add(a["name"].casefold())
            actors.append(a)
    return Standing(
        story_rank=story["rank"] if story else None,
        grouped=sum(1 for i in story["articles"] if i in STORY_IDS) if story else 0,
        title=story["title"] if story else "",
        actor_ranks=[(a["rank"], a["name"], sid in a.get("stories", [])) for a in actors[:5]],
        date_rank=best(data["upcoming"]),
        risk_rank=best(data["risks"]),
        stories=len(data["stories"]),
        actors=len(data["actors"]),
        upcoming=len(data["upcoming"]),
        risks=len(data["risks"]),
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/summarization"))
    parser.add_argument("--jobs", type=int, default=None, metavar="N")
    parser.add_argument("--watch", default=WATCH, metavar="TERM")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the briefs written here")


def run(args: argparse.Namespace) -> int:
    from briefgen.engine.local import analyse_all
    from briefgen.pipeline import Selection, build
    from briefgen.render import write
    from briefgen.render.data import to_data
    from briefgen.render.options import RenderOptions

    if not (args.data / "bbc.jsonl").is_file():
        print(f"haystack: no bbc.jsonl in {args.data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="briefgen-haystack-") as tmp:
        work = Path(tmp)
        inputs = prepare(args.data, work / "in")
        store: list[Analysis] = []

        def cold(articles: list[Article]) -> tuple[list[Analysis], dict[str, str]]:
            analyses, failed = analyse_all(articles, jobs=args.jobs, cache=None, progress=False)
            store.extend(analyses)
            return analyses, failed

        def replay(articles: list[Article]) -> tuple[list[Analysis], dict[str, str]]:
            return list(store), {}

        everything = Selection(all=True)
        began = time.perf_counter()
        watched = build(inputs, selection=everything, analyse_all=cold, watch=[args.watch])
        seconds = time.perf_counter() - began
        began = time.perf_counter()
        plain = build(inputs, selection=everything, analyse_all=replay)
        week_seconds = time.perf_counter() - began
        out = args.keep or work / "out"
        options = RenderOptions(appendix="none")
        began = time.perf_counter()
        data = to_data(watched)
        written = write(watched, out=out, formats=["pdf", "json"], options=options, data=data)
        render_seconds = time.perf_counter() - began
        pages = len(PdfReader(str(written[0])).pages)
        if args.keep:
            write(plain, out=out, formats=["json"], name=f"{plain.name}-no-watch")
        with_watch, without = standing(data), standing(to_data(plain))

    print(
        f"haystack: {len(watched.analyses)} articles over {DAYS} days, storyline of "
        f"{len(STORY_IDS)} ({with_watch.stories} stories, {with_watch.actors} actors, "
        f"{with_watch.upcoming} upcoming dates, {with_watch.risks} risks)"
    )
    print(
        f"storyline story: {with_watch.title!r}, {with_watch.grouped} of {len(STORY_IDS)} "
        "articles grouped"
    )
    rows = [
        ("story rank", with_watch.story_rank, without.story_rank, "1 / ≤ 5"),
        ("storyline actors in top 5", _in_top(with_watch), _in_top(without), "5 / –"),
        ("best date rank", with_watch.date_rank, without.date_rank, "≤ 5"),
        ("best risk rank", with_watch.risk_rank, without.risk_rank, "≤ 5"),
    ]
    print(f"{'':28}{'watch ' + repr(args.watch):>24}{'no watch':>12}  goal")
    for label, a, b, goal in rows:
        print(f"{label:28}{_shown(a):>24}{_shown(b):>12}  {goal}")
    print(
        "top 5 actors (watch):",
        "; ".join(
            f"{r}. {n}{'' if mine else ' (other story)'}" for r, n, mine in with_watch.actor_ranks
        ),
    )
    print(
        f"PDF pages, --appendix none:  {pages}  (goal ≤ {PAGES_GOAL}; rendered in "
        f"{render_seconds:.0f} s)"
    )
    main = f"{MAIN_COLD_SECONDS:.0f} s" if MAIN_COLD_SECONDS else "not measured"
    print(
        f"cold build (ingest + analysis + week, no cache): {seconds:.0f} s; main before "
        f"issue 14: {main}; load average {os.getloadavg()[0]:.1f}"
    )
    ok = (
        with_watch.story_rank == 1
        and _in_top(with_watch) == 5
        and without.story_rank is not None
        and without.story_rank <= 5
        and pages <= PAGES_GOAL
    )
    print(
        f"ingest + week stages (the analysis replayed): {week_seconds:.1f} s; main: "
        f"{MAIN_WEEK_SECONDS:.1f} s"
    )
    print("goals met" if ok else "goals NOT met")
    return 0 if ok else 1


def _in_top(s: Standing) -> int:
    return sum(mine for _, _, mine in s.actor_ranks)


def _shown(value: int | None) -> str:
    return "–" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefgen.evaluate.haystack")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
