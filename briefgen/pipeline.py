"""The pipeline: ingest, parse once, run every per-article stage, then build the week's brief."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.doc import (
    Actor,
    Analysis,
    Article,
    Brief,
    DateExpr,
    Period,
    Risk,
    SourceRecord,
    Story,
    Upcoming,
)
from briefgen.ingest import DEFAULT_MAX_BYTES, MAX_ARTICLES, Ingested, ingest
from briefgen.timex import iso_week
from briefgen.timing import Timings
from briefgen.week import actors, changes, importance, risks, stories
from briefgen.week.arrays import ActorMentions
from briefgen.week.upcoming import upcoming


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


# Dates a brief can be about: publication dates outside are typos (ingest leaves them undated),
# and week arithmetic near year 9999 would overflow.
MIN_YEAR, MAX_YEAR = 1800, 2200


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    try:
        year, w = week.upper().split("-W")
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise ValueError
        monday = dt.date.fromisocalendar(int(year), int(w), 1)
    except ValueError:
        raise ValueError(
            f"invalid ISO week {week!r}; expected YYYY-Www from {MIN_YEAR} to {MAX_YEAR}, "
            "e.g. 2025-W38"
        ) from None
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
    as_of = selection.as_of or (_day_after(end) if end else None)
    return chosen, Period(start=start, end=end, as_of=as_of), left_out


def _day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1) if day < dt.date.max else day


def brief_name(period: Period) -> str:
    if period.start and period.end:
        if iso_week(period.start) == iso_week(period.end):
            return f"brief-{iso_week(period.end)}"
        return f"brief-{period.start.isoformat()}-to-{period.end.isoformat()}"
    return "brief-undated"


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
    max_articles: int = MAX_ARTICLES,
    extra: Ingested | None = None,
    watch: Sequence[str] = (),
    previous: str | Path | None = None,
    follow_links: bool = False,
) -> Brief:
    """Build the brief for ``inputs``. Raises :class:`NothingToBrief` when nothing is usable.

    ``analyse_all`` replaces :func:`analyse_each` (same contract: the analyses in article order,
    and why each article that failed did so), e.g. with a cached, parallel map. ``watch`` are
    the desk's watch terms: what touches them ranks first. ``previous`` is the previous
    brief.json, or a folder (the output folder) in which to find the latest one before this
    brief's period; it gives the brief its ``changes`` and the stories that are new. ``extra``:
    articles read elsewhere (the archive), with their ``sources`` entries, beside the inputs'.
    """
    selection = selection or Selection()
    got = ingest(inputs, max_bytes=max_bytes, follow_links=follow_links, max_articles=max_articles)
    if extra is not None:
        got.articles += extra.articles
        got.sources += extra.sources
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
        from briefgen.article import analyse_each  # the parse: not needed when all is cached

        analyses, failed = analyse_each(chosen, summary_sentences=summary_sentences, model=model)
    else:
        analyses, failed = analyse_all(chosen)
    _record_failures(got.sources, failed)
    analyses = _bounded(analyses, got.sources)
    if not analyses:
        raise NothingToBrief(f"no article could be analysed ({next(iter(failed.values()))})")

    found = week(analyses, as_of=period.as_of)
    brief = Brief(
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
    before = previous_brief(previous, brief)
    if before is not None:
        brief.changes = changes.changes_since(before, brief, mentions=found.mentions)
    brief.stories, brief.ranking = importance.rank(
        analyses,
        brief.stories,
        brief.actors,
        brief.upcoming,
        brief.risks,
        watch=watch,
        previous=before,
        mentions=found.mentions,
    )
    return brief


@dataclass(slots=True)
class Week:
    """What the week's stages make of the period's analyses."""

    actors: list[Actor]
    dates: list[DateExpr]
    stories: list[Story]
    risks: list[Risk]
    upcoming: list[Upcoming]
    mentions: ActorMentions | None = None  # the actors' mentions, read once for the stages


def week(
    analyses: Sequence[Analysis], *, as_of: dt.date | None, timings: Timings | None = None
) -> Week:
    """The week's stages over the analyses: actors merged across articles, stories, the same
    risk said once and ranked, upcoming dates. Ranking by importance follows in :func:`build`."""
    timings = timings if timings is not None else Timings()
    with timings.stage("merge actors"):
        vectors = stories.Vectors([a.article for a in analyses])  # beside the merge
        # The actors' mentions, read by the merge, for stories, risks and importance.
        all_actors, mentions = actors.merged_actors(analyses)
    all_dates = [d for a in analyses for d in a.dates]
    # Upcoming dates read no story: they go first, while the story vectors may still be coming.
    with timings.stage("upcoming"):
        dates_ahead = upcoming(all_dates, as_of)
    with timings.stage("stories"):
        all_stories = stories.build_stories(
            analyses, actors=all_actors, vectors=vectors, mentions=mentions
        )
    with timings.stage("risks"):
        all_risks = risks.rank_risks(
            [r for a in analyses for r in a.risks],
            actors=all_actors,
            stories=[s for s in all_stories if len(s.articles) > 1],
            mentions=mentions,
        )
    return Week(all_actors, all_dates, all_stories, all_risks, dates_ahead, mentions)


def previous_brief(previous: str | Path | None, brief: Brief) -> dict[str, Any] | None:
    """The previous brief's data: ``previous`` itself, or the latest earlier brief in that
    folder; None when there is none or it is not a brief.json."""
    if previous is None:
        return None
    path = Path(previous)
    if path.is_dir():
        found = changes.find_previous(path, current=brief)
        if found is None:
            return None
        path = found
    return changes.load(path)


def issue_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set, for reproducible builds (a value
    that is not seconds since 1970 in MIN_YEAR..MAX_YEAR is ignored; see
    :func:`source_date_problem`)."""
    day = _epoch_day()
    return day if day is not None else dt.date.today()


def _epoch_day() -> dt.date | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isascii() or not epoch.isdigit() or len(epoch) > 12:
        return None
    try:
        day = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def source_date_problem() -> str | None:
    """Why ``SOURCE_DATE_EPOCH`` is ignored, when it is set but unusable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip() or _epoch_day() is not None:
        return None
    shown = " ".join(epoch.split())[:30]
    return (
        f"SOURCE_DATE_EPOCH={shown!r} ignored: expected seconds since 1970 "
        f"(a year from {MIN_YEAR} to {MAX_YEAR}); the brief is issued today"
    )


def _record_failures(sources: list[SourceRecord], failed: dict[str, str]) -> None:
    for record in sources:
        lost = [i for i in record.articles if i in failed]
        if not lost:
            continue
        record.articles = [i for i in record.articles if i not in failed]
        record.notes += [(i, failed[i]) for i in lost]
        record.status = "partial" if record.articles else "error"


# A date repeats its sentence and its clause: a sentence of megabytes (no full stop in a whole
# file) would be copied once per date. Longer ones are cut, and the cut is reported.
MAX_SENTENCE_CHARS = 1_000


def _bounded(analyses: list[Analysis], sources: list[SourceRecord]) -> list[Analysis]:
    """``analyses`` with each date's ``sentence`` and ``event`` cut at MAX_SENTENCE_CHARS."""
    from dataclasses import replace

    cut: set[str] = set()
    for analysis in analyses:
        dates = analysis.dates
        if any(
            len(d.sentence) > MAX_SENTENCE_CHARS or len(d.event) > MAX_SENTENCE_CHARS for d in dates
        ):
            analysis.dates = [
                replace(d, sentence=_cut(d.sentence), event=_cut(d.event)) for d in dates
            ]
            cut.add(analysis.article.id)
    if cut:
        note = f"date sentences cut at {MAX_SENTENCE_CHARS:,} characters"
        for record in sources:
            record.notes += [(i, note) for i in record.articles if i in cut]
    return analyses


def _cut(text: str) -> str:
    return text if len(text) <= MAX_SENTENCE_CHARS else text[: MAX_SENTENCE_CHARS - 1] + "…"


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
        notes = [(i, left_out[i]) for i in record.articles if i in left_out]
        notes += [(i, w) for i in kept for w in by_id[i].warnings] if kept else []
        record.articles = kept
        if notes:
            record.notes += notes
            if not kept and record.status == "included":
                record.status = "skipped"
