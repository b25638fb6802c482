"""Render benchmark: a synthetic brief of N articles (no spaCy) through JSON, HTML and PDF.

``python -m briefgen.evaluate.bench_render --articles 200`` prints wall and CPU seconds per
step; the goal is 200 articles in at most 10 s. It measures rendering only, so it stays
separate from ``briefgen bench``, which times the whole pipeline.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from briefgen.doc import (
    Actor,
    Analysis,
    Article,
    Brief,
    DateExpr,
    Mention,
    Period,
    Quote,
    Risk,
    SourceRecord,
    Story,
    SummarySentence,
    Upcoming,
)
from briefgen.render.data import to_data
from briefgen.render.files import write_atomic
from briefgen.render.html import render_html
from briefgen.render.pdf import render_pdf

_OUTLETS = ("Northern Ledger", "Harbourfront Herald", "Prairie Standard", "Capital Desk Wire")
_PEOPLE = ("Ana Ortiz", "Ben Okoye", "Chen Wei", "Dara Singh", "Eli Novak", "Farah Haddad")
_ORGS = ("Harbour Authority", "Metals Council", "Transit Union", "Data Agency", "Port Board")


def synthetic_brief(*, articles: int, seed: int = 7) -> Brief:
    """An invented brief of ``articles`` articles built from the data model alone (no spaCy),
    shaped like a real week: summaries, actors with quotes, upcoming dates, risks, sources."""
    import random

    rng = random.Random(seed)
    start = dt.date(2026, 11, 16)
    names = [*_PEOPLE, *_ORGS]
    analyses: list[Analysis] = []
    upcoming: list[Upcoming] = []
    risks: list[Risk] = []
    mentions: dict[str, list[Mention]] = {n: [] for n in names}
    quotes: dict[str, list[Quote]] = {n: [] for n in names}
    for i in range(articles):
        who, org = rng.choice(_PEOPLE), rng.choice(_ORGS)
        day = start + dt.timedelta(days=i % 7)
        due = day + dt.timedelta(days=rng.randint(8, 60))
        sentences = [
            f"{who} of the {org} said on {day:%A} that talks on item {i} would resume.",
            f"The {org} warned that costs could rise if no agreement is reached by {due:%B} "
            f"{due.day}.",
            f'"We will not be rushed," {who} told reporters after a meeting that ran late.',
            f"Officials expect a decision on {due:%B} {due.day}, when the board meets again.",
            "Analysts said the outcome was uncertain and that markets might react sharply.",
            "Local businesses described the week as difficult but said orders held steady.",
        ]
        text = " ".join(sentences)
        offsets, pos = [], 0
        for s in sentences:
            offsets.append((pos, pos + len(s)))
            pos += len(s) + 1
        aid = f"syn-{i:05d}"
        art = Article(
            id=aid,
            title=f"{org} and {who.split()[0]} at odds over item {i} as deadline nears",
            text=text,
            published=day,
            source=_OUTLETS[i % len(_OUTLETS)],
            url=f"https://example.com/news/{aid}",
        )
        summary = [SummarySentence(*offsets[k], sentences[k]) for k in (0, 1, 3)]
        ms = [
            Mention(aid, 0, len(who), who, "PERSON", subject=True),
            Mention(aid, text.index(org), text.index(org) + len(org), org, "ORG"),
        ]
        for m in ms:
            mentions[m.text].append(m)
        q0, q1 = offsets[2]
        quotes[who].append(Quote(aid, q0, q1, sentences[2], who))
        when = text.index(f"{due:%B} {due.day}", offsets[3][0])
        date = DateExpr(
            aid, when, when + len(f"{due:%B} {due.day}"), f"{due:%B} {due.day}", "DATE",
            due.isoformat(), "future", sentences[3], event=sentences[3],
        )  # fmt: skip
        upcoming.append(
            Upcoming(
                date.value, date.text, date.event, aid, date.start, date.end, deadline=i % 5 == 0
            )
        )
        r0, r1 = offsets[1]
        risks.append(Risk(aid, r0, r1, sentences[1], round(rng.uniform(0.5, 2.0), 1), ("warned",)))
        analyses.append(Analysis(art, len(sentences), summary, ms, [quotes[who][-1]], [date], []))
    actors = [
        Actor(
            id=f"a{k}",
            name=n,
            type="PERSON" if n in _PEOPLE else "ORG",
            role="spokesperson" if n in _PEOPLE else None,
            aliases=[],
            salience=float(len(mentions[n])),
            articles=list(dict.fromkeys(m.article for m in mentions[n])),
            mentions=mentions[n],
            quotes=quotes[n],
        )
        for k, n in enumerate(names)
        if mentions[n]
    ]
    upcoming.sort(key=lambda u: (u.value, u.article))
    by_org: dict[str, list[Analysis]] = {}
    for a in analyses:
        by_org.setdefault(a.article.title.split(" and ")[0], []).append(a)
    stories = [
        Story(
            id=f"story-{k}",
            title=group[0].article.title,
            articles=[a.article.id for a in group],
            summary=[(a.article.id, a.summary[j]) for j, a in enumerate(group[:2])],
        )
        for k, group in enumerate(sorted(by_org.values(), key=len, reverse=True))
    ]
    return Brief(
        name="brief-2026-W47",
        period=Period(start, start + dt.timedelta(days=6), start + dt.timedelta(days=7)),
        analyses=analyses,
        actors=sorted(actors, key=lambda a: -a.salience),
        dates=[d for a in analyses for d in a.dates],
        upcoming=upcoming,
        risks=sorted(risks, key=lambda r: (-r.score, r.article)),
        sources=[
            SourceRecord(f"in/{a.article.id}.md", "included", None, [a.article.id])
            for a in analyses
        ],
        stories=stories,
        issued=start + dt.timedelta(days=7),
    )


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the PDF's layout workers)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bench(
    *,
    articles: int = 200,
    out: Path | None = None,
    jobs: int | None = None,
    appendix: str = "titles",
) -> dict[str, float]:
    """Wall and CPU seconds to render a synthetic brief of ``articles`` articles, per step.

    ``jobs``: the processes the PDF may be laid out on (default: as a build decides)."""
    from io import BytesIO

    from pypdf import PdfReader  # only to count pages

    from briefgen.render import pdfparts
    from briefgen.render.options import RenderOptions

    brief = synthetic_brief(articles=articles)
    times: dict[str, float] = {}
    wall, cpu = time.perf_counter(), _cpu()
    data = to_data(brief)
    html = render_html(brief, data, options=RenderOptions(appendix=appendix))
    times["html_wall"], times["html_cpu"] = time.perf_counter() - wall, _cpu() - cpu
    pdf = render_pdf(html, jobs=jobs)
    times["total_wall"], times["total_cpu"] = time.perf_counter() - wall, _cpu() - cpu
    times["pdf_wall"] = times["total_wall"] - times["html_wall"]
    times["pdf_cpu"] = times["total_cpu"] - times["html_cpu"]
    times["pages"] = len(PdfReader(BytesIO(pdf)).pages)
    cut = pdfparts.split(html)
    times["parts"] = len(cut.parts) if cut else 1
    if out is not None:
        write_atomic(out, pdf)
    return times


def main(argv: list[str] | None = None) -> int:
    import argparse
    import os

    parser = argparse.ArgumentParser(
        prog="python -m briefgen.evaluate.bench_render",
        description="Time rendering a synthetic brief.",
    )
    parser.add_argument("--articles", type=int, default=200, metavar="N", help="default 200")
    parser.add_argument("--out", type=Path, help="also write the benchmark PDF here")
    parser.add_argument("--goal", type=float, default=10.0, help="seconds allowed (default 10)")
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="processes for the PDF (default: as a build decides)"
    )
    parser.add_argument("--appendix", choices=("full", "titles", "none"), default="titles")
    args = parser.parse_args(argv)
    t = bench(articles=args.articles, out=args.out, jobs=args.jobs, appendix=args.appendix)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"render benchmark: {args.articles} synthetic articles, {int(t['pages'])} PDF pages, "
        f"{int(t['parts'])} part(s) marked, --appendix {args.appendix}"
    )
    print(f"  JSON+HTML   wall {t['html_wall']:6.2f} s   cpu {t['html_cpu']:6.2f} s")
    print(f"  PDF         wall {t['pdf_wall']:6.2f} s   cpu {t['pdf_cpu']:6.2f} s")
    print(f"  total       wall {t['total_wall']:6.2f} s   cpu {t['total_cpu']:6.2f} s")
    met = "met" if t["total_wall"] <= args.goal else "NOT met"
    print(
        f"goal: total <= {args.goal:g} s wall: {met} "
        f"(load average {load:.1f}; cpu time is the figure without other jobs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
