"""The pipeline: ingest, parse once, run every per-article stage, then build the week's brief."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import actors, dates, risks, stories, summarize
from .dates import iso_week
from .doc import (
    Actor,
    Analysis,
    Article,
    Brief,
    DateExpr,
    Parsed,
    Period,
    Risk,
    SourceRecord,
    Story,
    Upcoming,
)
from .ingest import DEFAULT_MAX_BYTES, ingest
from .nlp import load_model, parse, parse_many
from .timing import Timings


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles go in: an ISO week, a date range, everything, or (default) the newest week."""

    week: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    all: bool = False
    as_of: dt.date | None = None


class NothingToBrief(Exception):
    """No usable article was found; the message says why."""


def analyse(parsed: Parsed, *, summary_sentences: int = 3) -> Analysis:
    """Every per-article stage over one parse."""
    mentions = actors.extract_mentions(parsed)
    return Analysis(
        article=parsed.article,
        sentence_count=len(parsed.sentences),
        summary=summarize.summarize(parsed, sentences=summary_sentences),
        mentions=mentions,
        quotes=actors.extract_quotes(parsed, mentions),
        dates=dates.extract_dates(parsed),
        risks=risks.extract_risks(parsed, mentions),
    )


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    try:
        year, w = week.upper().split("-W")
        monday = dt.date.fromisocalendar(int(year), int(w), 1)
    except ValueError:
        raise ValueError(f"invalid ISO week {week!r}; expected YYYY-Www, e.g. 2025-W38") from None
    return monday, monday + dt.timedelta(days=6)


def select(
    articles: Sequence[Article], selection: Selection
) -> tuple[list[Article], Period, dict[str, str]]:
    """Articles in the period, the period itself, and why each other article was left out."""
    dated = [a.published for a in articles if a.published]
    start, end = selection.start, selection.end
    explicit = bool(selection.week or start or end)
    if selection.week:
        start, end = week_bounds(selection.week)
    elif selection.all:
        start, end = (min(dated), max(dated)) if dated else (None, None)
    elif not explicit and dated:
        start, end = week_bounds(iso_week(max(dated)))
    chosen: list[Article] = []
    left_out: dict[str, str] = {}
    for a in articles:
        if selection.all or (not explicit and a.published is None):
            chosen.append(a)
        elif a.published is None:
            left_out[a.id] = "undated, outside an explicit period (use --all)"
        elif (start and a.published < start) or (end and a.published > end):
            left_out[a.id] = f"published {a.published.isoformat()}, outside the period"
        else:
            chosen.append(a)
    as_of = selection.as_of or (end + dt.timedelta(days=1) if end else None)
    return chosen, Period(start=start, end=end, as_of=as_of), left_out


def brief_name(period: Period) -> str:
    if period.start and period.end:
        if iso_week(period.start) == iso_week(period.end):
            return f"brief-{iso_week(period.end)}"
        return f"brief-{period.start.isoformat()}-to-{period.end.isoformat()}"
    return "brief-undated"


def upcoming(found: Iterable[DateExpr], as_of: dt.date | None) -> list[Upcoming]:
    """Future dates on or after ``as_of``, chronological; vague windows sort by their end."""
    items: list[tuple[str, Upcoming]] = []
    seen: set[tuple[str, str]] = set()
    for d in found:
        if d.type not in {"DATE", "TIME"} or d.relation != "future":
            continue
        key_value = d.window_end or d.value
        span = dates.day_span(key_value)
        if span is None or (as_of and span[1] < as_of):
            continue
        if (d.value, d.event) in seen:
            continue
        seen.add((d.value, d.event))
        items.append(
            (
                span[0].isoformat(),
                Upcoming(
                    value=d.value,
                    text=d.text,
                    event=d.event,
                    article=d.article,
                    start=d.start,
                    end=d.end,
                    deadline=d.deadline,
                    window_end=d.window_end,
                    actor=d.actor,
                ),
            )
        )
    items.sort(key=lambda kv: (kv[0], kv[1].article, kv[1].start))
    return [u for _, u in items]


def build(
    inputs: Iterable[str | Path],
    *,
    selection: Selection | None = None,
    summary_sentences: int = 3,
    model: str | None = None,
    default_date: dt.date | None = None,
    analyse_all: Callable[[list[Article]], tuple[list[Analysis], dict[str, str]]] | None = None,
    issued: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Brief:
    """Build the brief for ``inputs``. Raises :class:`NothingToBrief` when nothing is usable.

    ``analyse_all`` replaces :func:`analyse_each` (same contract: the analyses in article order,
    and why each article that failed did so), e.g. with a cached, parallel map.
    """
    selection = selection or Selection()
    got = ingest(inputs, max_bytes=max_bytes)
    if not got.sources:
        raise NothingToBrief("no input files found")
    articles = got.articles
    if default_date:
        articles = [a if a.published else _replace_date(a, default_date) for a in articles]
    if not articles:
        reasons = "; ".join(f"{Path(s.path).name}: {s.reason}" for s in got.sources[:3])
        raise NothingToBrief(f"no usable articles ({reasons})")
    chosen, period, left_out = select(articles, selection)
    if not chosen:
        raise NothingToBrief("no articles in the selected period")
    _account(got.sources, articles, left_out)

    if analyse_all is None:
        analyses, failed = analyse_each(chosen, summary_sentences=summary_sentences, model=model)
    else:
        analyses, failed = analyse_all(chosen)
    _record_failures(got.sources, failed)
    if not analyses:
        raise NothingToBrief(f"no article could be analysed ({next(iter(failed.values()))})")

    found = week(analyses, as_of=period.as_of)
    return Brief(
        name=brief_name(period),
        period=period,
        analyses=analyses,
        actors=found.actors,
        dates=found.dates,
        upcoming=found.upcoming,
        risks=found.risks,
        sources=got.sources,
        stories=found.stories,
        issued=issued or issue_date(),
    )


@dataclass(frozen=True, slots=True)
class Week:
    """What the week's analyses add up to: the reduce after the per-article map."""

    actors: list[Actor]
    dates: list[DateExpr]
    stories: list[Story]
    risks: list[Risk]
    upcoming: list[Upcoming]


def week(
    analyses: Sequence[Analysis], *, as_of: dt.date | None, timings: Timings | None = None
) -> Week:
    """Actors merged across articles, stories, ranked risks and upcoming dates."""
    timings = timings if timings is not None else Timings()
    with timings.stage("merge actors"):
        all_actors = actors.merge_actors(analyses)
    all_dates = [d for a in analyses for d in a.dates]
    with timings.stage("stories"):
        all_stories = stories.build_stories(analyses)
    with timings.stage("rank risks"):
        all_risks = risks.rank_risks(
            [r for a in analyses for r in a.risks],
            actors=all_actors,
            stories=[s for s in all_stories if len(s.articles) > 1],
        )
    with timings.stage("upcoming"):
        coming = upcoming(all_dates, as_of)
    return Week(
        actors=all_actors, dates=all_dates, stories=all_stories, risks=all_risks, upcoming=coming
    )


def issue_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def analyse_each(
    articles: list[Article], *, summary_sentences: int = 3, model: str | None = None
) -> tuple[list[Analysis], dict[str, str]]:
    """Analyses in article order, and why each article that failed did so.

    One article that breaks a stage costs that article only: its error is kept as a reason.
    """
    load_model(model)  # a missing model stops the build with its own message
    analyses: list[Analysis] = []
    failed: dict[str, str] = {}

    def one(parsed: Parsed) -> None:
        try:
            analyses.append(analyse(parsed, summary_sentences=summary_sentences))
        except Exception as exc:
            failed[parsed.article.id] = f"analysis failed ({_one_line(exc)})"

    done = 0
    try:
        for parsed in parse_many(articles, model=model):
            one(parsed)
            done += 1
    except Exception:  # the batch stream cannot resume: parse the rest one at a time
        for article in articles[done:]:
            try:
                parsed = parse(article, model=model)
            except Exception as exc:
                failed[article.id] = f"parsing failed ({_one_line(exc)})"
                continue
            one(parsed)
    return analyses, failed


def _one_line(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _record_failures(sources: list[SourceRecord], failed: dict[str, str]) -> None:
    for record in sources:
        lost = [i for i in record.articles if i in failed]
        if not lost:
            continue
        record.articles = [i for i in record.articles if i not in failed]
        notes = [f"{i}: {failed[i]}" for i in lost]
        record.reason = "; ".join(filter(None, [record.reason, *notes]))
        record.status = "partial" if record.articles else "error"


def _replace_date(article: Article, day: dt.date) -> Article:
    from dataclasses import replace

    return replace(article, published=day, warnings=(*article.warnings, "date assumed"))


def _account(
    sources: list[SourceRecord], articles: list[Article], left_out: dict[str, str]
) -> None:
    """Record per file which articles went in, and why the others did not."""
    by_id = {a.id: a for a in articles}
    for record in sources:
        kept = [i for i in record.articles if i not in left_out]
        notes = [f"{i}: {left_out[i]}" for i in record.articles if i in left_out]
        notes += [f"{i}: {w}" for i in kept for w in by_id[i].warnings] if kept else []
        record.articles = kept
        if notes:
            record.reason = "; ".join(filter(None, [record.reason, *notes]))
            if not kept and record.status == "included":
                record.status = "skipped"
