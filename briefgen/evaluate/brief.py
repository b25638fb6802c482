"""`briefgen eval brief`: whole briefs scored against an analyst's labels.

Each labelled article is briefed on its own, as a user would: written to a one-record JSON file
(``text`` verbatim, so offsets match), built with :func:`briefgen.build` with ``--all`` and its
publication date as ``as_of`` (no date when the label has none), and turned into brief.json data.
That data is scored as ``../shared/eval/brief/README.md`` ("How a brief is scored") says:

- must-actor recall: a gold must actor is found when some brief actor matches it; top-5 actor
  precision: each of the first five brief actors is right when it matches any gold actor. Two
  actors match when a name or alias of one equals a name or alias of the other after
  :func:`normalise_name` (case-folded, punctuation dropped, a leading "the" dropped).
- upcoming recall (must items): a date the brief calls future (in ``dates``, or an entry of
  ``upcoming``) overlaps the gold span and its day span overlaps the gold value's.
- past-as-future rate: share of the gold past dates overlapped by a date the brief calls future.
  A brief date that is a correct hit for a gold upcoming item at the same place is not counted.
- risk recall (must risks), risk precision (every brief risk) and top-3 risk precision (the three
  highest scores): a brief risk and a gold risk sentence match when their spans overlap. For
  recall a risk's sentences merged into it from the same article (``also_in``) count too: the
  risk lists them as its sources; precision judges the sentence the risk is shown by.
- summary-sentence recall: gold summary sentences overlapped by the article's summary.

Every figure is micro-averaged over a gold file (hits summed over items summed). A metric whose
labels are absent from every record of a file is shown as "–", not 0.

Gold comes in two formats. The shared one (``dev_gold.jsonl``) quotes the text verbatim and names
it by ``source_file`` (relative to the shared folder; a plain text file, or a JSONL whose record
with the same ``id`` holds the text); verbatim strings are located with :func:`locate`. A date
text found several times (``Friday``, ``now``) is simply taken at every occurrence: an upcoming
item is hit when any occurrence is, a past date is wrong when any occurrence is called future.
Our own labels (``briefgen/evaluate/labels/*.jsonl``) give character offsets instead, so no
third-party text is shipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.pipeline import NothingToBrief, Selection, build
from briefgen.render.data import to_data
from briefgen.timex import day_span

DEFAULT_SHARED = Path("../shared")
DEV_GOLD = Path("eval/brief/dev_gold.jsonl")  # inside the shared folder
LABELS = Path(__file__).resolve().parent / "labels"
_REPO_SHARED = Path(__file__).resolve().parent.parent.parent.parent / "shared"


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    label: str
    goal: float
    at_most: bool = False  # the goal is an upper bound (a rate of errors)

    @property
    def goal_text(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.goal:g}"

    def met(self, percent: float) -> bool:
        return percent <= self.goal if self.at_most else percent >= self.goal


METRICS = (
    Metric("must_actor_recall", "must-actor recall", 95),
    Metric("top5_actor_precision", "top-5 actor precision", 90),
    Metric("upcoming_recall", "upcoming recall", 90),
    Metric("past_as_future", "past-as-future rate", 2, at_most=True),
    Metric("risk_recall", "risk recall", 85),
    Metric("risk_precision", "risk precision", 70),
    Metric("top3_risk_precision", "top-3 risk precision", 85),
    Metric("summary_recall", "summary-sentence recall", 75),
)

Span = tuple[int, int]
DaySpan = tuple[dt.date, dt.date]


# --- gold --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldActor:
    names: tuple[str, ...]  # canonical name first, then the aliases
    must: bool
    rank: int | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class GoldItem:
    """A labelled span: a risk or summary sentence, an upcoming or past date (every occurrence)."""

    text: str
    spans: tuple[Span, ...]
    must: bool = True
    value: str | None = None


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    title: str | None = None
    dct: dt.date | None = None
    # None: not labelled (the metric is not scored); [] labelled, nothing there
    actors: list[GoldActor] | None = None
    upcoming: list[GoldItem] | None = None
    past_dates: list[GoldItem] | None = None
    risks: list[GoldItem] | None = None
    summary: list[GoldItem] | None = None
    unlocated: list[str] = field(default_factory=list)  # verbatim strings not found in the text


@dataclass(slots=True)
class GoldFile:
    path: Path
    articles: list[GoldArticle]
    skipped: list[str]  # records that could not be used, with why


def _edge_bounded(needle: str) -> str:
    pattern = re.escape(needle)
    if needle[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if needle[-1:].isalnum():
        pattern += r"(?!\w)"
    return pattern


def locate(text: str, needle: str) -> list[Span]:
    """Every occurrence of ``needle`` in ``text``: as a whole word where it is one, else anywhere,
    else with any run of whitespace matching any other (gold copied across a line break)."""
    needle = needle.strip()
    if not needle:
        return []
    for pattern in (
        _edge_bounded(needle),
        re.escape(needle),
        r"\s+".join(re.escape(w) for w in needle.split()),
    ):
        found = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
        if found:
            return found
    return []


def shared_candidates(gold_path: Path, shared: Path | None = None) -> list[Path]:
    """Where a gold file's ``source_file`` may be relative to, most specific first: ``--shared``,
    the gold file's grandparent's parent (…/shared/eval/brief/x.jsonl), then ../shared."""
    out = [] if shared is None else [shared]
    out += [gold_path.resolve().parent.parent.parent, DEFAULT_SHARED, _REPO_SHARED]
    return list(dict.fromkeys(out))


class _Sources:
    """Article texts by ``source_file`` (and ``id`` for JSONL), each file read once."""

    def __init__(self) -> None:
        self._jsonl: dict[Path, dict[str, dict[str, Any]]] = {}

    def find(
        self, source_file: str, record_id: str, roots: Sequence[Path]
    ) -> tuple[str, dict[str, Any]]:
        """The text and its source record; raises LookupError saying why it was not found."""
        for root in roots:
            path = root / source_file
            if path.is_file():
                break
        else:
            raise LookupError(
                f"source file {source_file} not found under {', '.join(map(str, roots))}"
            )
        if path.suffix.lower() != ".jsonl":
            return path.read_text(encoding="utf-8"), {}
        key = path.resolve()
        if key not in self._jsonl:
            records: dict[str, dict[str, Any]] = {}
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        row = json.loads(line)
                        if isinstance(row, dict) and "id" in row:
                            records.setdefault(str(row["id"]), row)
            self._jsonl[key] = records
        row = self._jsonl[key].get(record_id)
        if row is None or not isinstance(row.get("text"), str):
            raise LookupError(f"no record {record_id!r} with a text in {path}")
        return row["text"], row


def _date_or_none(value: object) -> dt.date | None:
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _is_offsets(record: dict[str, Any]) -> bool:
    """Our own labels (character offsets) rather than the shared verbatim format."""
    actors = record.get("actors") or []
    risks = record.get("risks") or []
    summary = record.get("summary_sentences") or []
    return (
        any(isinstance(a, dict) and "spans" in a for a in actors)
        or any(isinstance(r, dict) and "start" in r for r in risks)
        or any(isinstance(s, list) for s in summary)
    )


def _span_text(text: str, start: int, end: int) -> str:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} outside the text ({len(text)} characters)")
    return text[start:end]


def _from_offsets(record: dict[str, Any], article: GoldArticle) -> None:
    text = article.text
    if "actors" in record:
        article.actors = []
        for a in record["actors"]:
            names = tuple(_span_text(text, s, e) for s, e in a["spans"])
            article.actors.append(
                GoldActor(
                    names=names, must=bool(a.get("must")), rank=a.get("rank"), type=a.get("type")
                )
            )

    def items(key: str, *, must_default: bool) -> list[GoldItem] | None:
        if key not in record:
            return None
        return [
            GoldItem(
                text=_span_text(text, r["start"], r["end"]),
                spans=((r["start"], r["end"]),),
                must=bool(r.get("must", must_default)),
                value=r.get("value"),
            )
            for r in record[key]
        ]

    article.upcoming = items("upcoming", must_default=True)
    article.past_dates = items("past_dates", must_default=True)
    article.risks = items("risks", must_default=True)
    if "summary_sentences" in record:
        article.summary = [
            GoldItem(text=_span_text(text, s, e), spans=((s, e),))
            for s, e in record["summary_sentences"]
        ]


def _from_verbatim(record: dict[str, Any], article: GoldArticle) -> None:
    text = article.text

    def spans(needle: str, what: str, *, first_only: bool) -> tuple[Span, ...]:
        found = locate(text, needle)
        if not found:
            article.unlocated.append(f"{what} not in the text: {_cut(needle)!r}")
        return tuple(found[:1] if first_only else found)

    if "actors" in record:
        article.actors = [
            GoldActor(
                names=(a["name"], *a.get("aliases", [])),
                must=bool(a.get("must")),
                rank=a.get("rank"),
                type=a.get("type"),
            )
            for a in record["actors"]
        ]
    if "upcoming" in record:
        article.upcoming = [
            GoldItem(
                text=u["text"],
                spans=spans(u["text"], "upcoming date", first_only=False),
                must=bool(u.get("must")),
                value=u.get("value"),
            )
            for u in record["upcoming"]
        ]
    if "past_dates" in record:
        article.past_dates = [
            GoldItem(
                text=p["text"],
                spans=spans(p["text"], "past date", first_only=False),
                value=p.get("value"),
            )
            for p in record["past_dates"]
        ]
    if "risks" in record:
        article.risks = [
            GoldItem(
                text=r["sentence"],
                spans=spans(r["sentence"], "risk sentence", first_only=True),
                must=bool(r.get("must")),
            )
            for r in record["risks"]
        ]
    if "summary_sentences" in record:
        article.summary = [
            GoldItem(text=s, spans=spans(s, "summary sentence", first_only=True))
            for s in record["summary_sentences"]
        ]
    # Items that cannot be located cannot be scored: they are reported and left out.
    for name in ("upcoming", "past_dates", "risks", "summary"):
        got: list[GoldItem] | None = getattr(article, name)
        if got is not None:
            setattr(article, name, [g for g in got if g.spans])


def load_gold(
    path: Path, *, shared: Path | None = None, sources: _Sources | None = None
) -> GoldFile:
    """A gold file in either format; records whose text cannot be found are skipped, with why."""
    sources = sources or _Sources()
    roots = shared_candidates(path, shared)
    articles: list[GoldArticle] = []
    skipped: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            record_id = "?"
            try:
                record = json.loads(line)
                record_id = str(record["id"])
                text, source = sources.find(str(record["source_file"]), record_id, roots)
                dct = record.get("dct", source.get("dct", source.get("date")))
                article = GoldArticle(
                    id=record_id,
                    text=text,
                    title=record.get("title") or source.get("title") or None,
                    dct=_date_or_none(dct),
                )
                if _is_offsets(record):
                    _from_offsets(record, article)
                else:
                    _from_verbatim(record, article)
            except (LookupError, ValueError, TypeError, OSError) as exc:
                skipped.append(f"line {n} ({record_id}): {exc}")
                continue
            articles.append(article)
    return GoldFile(path=path, articles=articles, skipped=skipped)


# --- matching rules ----------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """Case-folded, punctuation dropped (dashes become spaces), a leading "the" dropped."""
    out = []
    for ch in unicodedata.normalize("NFKC", name).casefold():
        category = unicodedata.category(ch)
        if category == "Pd":
            out.append(" ")
        elif not category.startswith("P"):
            out.append(ch)
    words = "".join(out).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def names_match(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """Whether any name of one actor equals any name of the other, normalised."""
    mine = {normalise_name(n) for n in ours} - {""}
    return any(normalise_name(n) in mine for n in theirs)


def overlaps(a: Span, b: Span) -> bool:
    """Half-open character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def value_span(value: str | None, window_end: str | None = None) -> DaySpan | None:
    """The days a date value covers: a day, ISO week, month or year, or a window ``a/b``
    (gold), or a value running to ``window_end`` (a vague window in the brief)."""
    if not value:
        return None
    first, _, last = value.partition("/")
    start, end = day_span(first.strip()), day_span((last or window_end or first).strip())
    if start is None or end is None or end[1] < start[0]:
        return None
    return start[0], end[1]


def compatible(gold: str | None, value: str | None, window_end: str | None = None) -> bool:
    """Whether a brief date value can mean the gold one: their day spans overlap."""
    a, b = value_span(gold), value_span(value, window_end)
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def top_scored(risks: Sequence[dict[str, Any]], n: int = 3) -> list[dict[str, Any]]:
    """The ``n`` highest-scored risks; ties keep the brief's order."""
    return sorted(risks, key=lambda r: -float(r.get("score") or 0.0))[:n]


@dataclass(frozen=True, slots=True)
class FutureDate:
    start: int
    end: int
    text: str
    value: str
    window_end: str | None = None


def future_dates(data: dict[str, Any], article: str) -> list[FutureDate]:
    """The article's dates the brief calls future: ``dates`` with relation future, and every
    ``upcoming`` entry (which carries a vague window's end)."""
    ends = {
        (u["start"], u["end"]): u.get("window_end")
        for u in data.get("upcoming", [])
        if u.get("article") == article
    }
    found: dict[tuple[int, int, str], FutureDate] = {}
    for d in data.get("dates", []):
        if d.get("article") == article and d.get("relation") == "future":
            key = (d["start"], d["end"], d["value"])
            found[key] = FutureDate(
                d["start"], d["end"], d["text"], d["value"], ends.get((d["start"], d["end"]))
            )
    for u in data.get("upcoming", []):
        if u.get("article") == article:
            key = (u["start"], u["end"], u["value"])
            found.setdefault(
                key, FutureDate(u["start"], u["end"], u["text"], u["value"], u.get("window_end"))
            )
    return list(found.values())


# --- scoring -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Count:
    hits: int = 0
    total: int = 0

    def add(self, hits: int, total: int) -> None:
        self.hits += hits
        self.total += total

    @property
    def percent(self) -> float | None:
        return 100.0 * self.hits / self.total if self.total else None


@dataclass(slots=True)
class ArticleScore:
    id: str
    counts: dict[str, Count] = field(default_factory=dict)  # only the metrics labelled
    notes: list[str] = field(default_factory=list)  # misses and false positives, for --verbose


def _cut(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score_article(gold: GoldArticle, data: dict[str, Any]) -> ArticleScore:
    """One article's brief.json data against its gold labels."""
    out = ArticleScore(id=gold.id)
    if gold.actors is not None:
        _score_actors(gold.actors, data, out)
    if gold.upcoming is not None or gold.past_dates is not None:
        _score_dates(gold, future_dates(data, gold.id), out)
    if gold.risks is not None:
        risks = [r for r in data.get("risks", []) if r.get("article") == gold.id]
        _score_risks(gold.risks, risks, out)
    if gold.summary is not None:
        summary: list[dict[str, Any]] = next(
            (a.get("summary", []) for a in data.get("articles", []) if a.get("id") == gold.id), []
        )
        _score_summary(gold.summary, summary, out)
    return out


def _score_actors(gold: list[GoldActor], data: dict[str, Any], out: ArticleScore) -> None:
    brief = [(str(a["name"]), *map(str, a.get("aliases", []))) for a in data.get("actors", [])]
    musts = [g for g in gold if g.must]
    found = [g for g in musts if any(names_match(b, g.names) for b in brief)]
    out.counts["must_actor_recall"] = Count(len(found), len(musts))
    out.notes += [f"missed must actor: {g.names[0]}" for g in musts if g not in found]
    top5 = brief[:5]
    right = [any(names_match(b, g.names) for g in gold) for b in top5]
    out.counts["top5_actor_precision"] = Count(sum(right), len(top5))
    out.notes += [
        f"top-5 actor not in gold: {b[0]}" for b, ok in zip(top5, right, strict=True) if not ok
    ]


def _hits(item: GoldItem, date: FutureDate) -> bool:
    """A future date in the brief is right for a gold upcoming item."""
    return any(overlaps((date.start, date.end), s) for s in item.spans) and compatible(
        item.value, date.value, date.window_end
    )


def _score_dates(gold: GoldArticle, future: list[FutureDate], out: ArticleScore) -> None:
    def said(item: GoldItem) -> list[FutureDate]:
        return [f for f in future if any(overlaps((f.start, f.end), s) for s in item.spans)]

    upcoming = gold.upcoming or []
    if gold.upcoming is not None:
        musts = [u for u in upcoming if u.must]
        found = [u for u in musts if any(_hits(u, f) for f in future)]
        out.counts["upcoming_recall"] = Count(len(found), len(musts))
        for u in musts:
            if u not in found:
                there = ", ".join(f"{f.text!r}={f.value}" for f in said(u))
                why = f"the brief has {there}" if there else "not called future"
                out.notes.append(f"missed upcoming: {u.text!r} ({u.value}); {why}")
    if gold.past_dates is not None:
        wrong = 0
        for p in gold.past_dates:
            # a future date that is right for a gold upcoming item at the same place is no error
            culprits = [f for f in said(p) if not any(_hits(u, f) for u in upcoming)]
            if culprits:
                wrong += 1
                there = ", ".join(f"{f.text!r}={f.value}" for f in culprits)
                out.notes.append(f"past date called future: {p.text!r} ({p.value}) as {there}")
        out.counts["past_as_future"] = Count(wrong, len(gold.past_dates))


def _score_risks(gold: list[GoldItem], risks: list[dict[str, Any]], out: ArticleScore) -> None:
    spans = [s for g in gold for s in g.spans]

    def right(r: dict[str, Any]) -> bool:
        return any(overlaps((r["start"], r["end"]), s) for s in spans)

    musts = [g for g in gold if g.must]
    # One risk stated in several sentences is listed once with the others as its sources
    # (``also_in``): each of its sentences in this article states it, so each finds a must risk.
    stated = [
        (int(s["start"]), int(s["end"]))
        for r in risks
        for s in [r, *(a for a in r.get("also_in", []) if a.get("article") == r.get("article"))]
    ]
    found = [g for g in musts if any(overlaps(t, s) for t in stated for s in g.spans)]
    top3 = top_scored(risks)
    out.counts["risk_recall"] = Count(len(found), len(musts))
    out.counts["risk_precision"] = Count(sum(map(right, risks)), len(risks))
    out.counts["top3_risk_precision"] = Count(sum(map(right, top3)), len(top3))
    out.notes += [f"missed must risk: {_cut(g.text)}" for g in musts if g not in found]
    for r in risks:
        if not right(r):
            top = " (top 3)" if any(r is t for t in top3) else ""
            score = float(r.get("score") or 0.0)
            out.notes.append(f"risk not in gold{top}, score {score:.2f}: {_cut(r['text'])}")


def _score_summary(gold: list[GoldItem], summary: list[dict[str, Any]], out: ArticleScore) -> None:
    spans = [(int(s["start"]), int(s["end"])) for s in summary]
    found = [g for g in gold if any(overlaps(s, t) for s in spans for t in g.spans)]
    out.counts["summary_recall"] = Count(len(found), len(gold))
    out.notes += [f"missed summary sentence: {_cut(g.text)}" for g in gold if g not in found]
    for s, span in zip(summary, spans, strict=True):
        if not any(overlaps(span, t) for g in gold for t in g.spans):
            out.notes.append(f"summary sentence not in gold: {_cut(s['text'])}")


# --- briefing ----------------------------------------------------------------------------------


def brief_data(
    gold: GoldArticle, folder: Path, *, model: str | None = None, index: int = 0
) -> dict[str, Any]:
    """The brief.json data of the article briefed on its own, through the public API."""
    path = folder / f"article-{index:04d}.json"
    record = {
        "id": gold.id,
        "title": gold.title,
        "text": gold.text,
        "date": gold.dct.isoformat() if gold.dct else None,
    }
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    brief = build(
        [path],
        selection=Selection(all=True, as_of=gold.dct),
        model=model,
        issued=gold.dct or dt.date(2000, 1, 1),  # fixed: the issue date is not scored
    )
    return to_data(brief)


@dataclass(slots=True)
class FileResult:
    name: str
    path: Path
    articles: list[ArticleScore]
    skipped: list[str]

    def count(self, key: str) -> Count | None:
        """The metric summed over the articles that label it; None when none does."""
        got = [a.counts[key] for a in self.articles if key in a.counts]
        if not got:
            return None
        total = Count()
        for c in got:
            total.add(c.hits, c.total)
        return total


def score_file(
    gold: GoldFile, *, name: str, model: str | None = None, verbose: bool = False
) -> FileResult:
    result = FileResult(name=name, path=gold.path, articles=[], skipped=list(gold.skipped))
    with tempfile.TemporaryDirectory(prefix="briefgen-eval-brief-") as tmp:
        for i, article in enumerate(gold.articles):
            try:
                data = brief_data(article, Path(tmp), model=model, index=i)
            except NothingToBrief as exc:
                result.skipped.append(f"{article.id}: no brief ({exc})")
                print(f"briefgen: {gold.path}: skipped {result.skipped[-1]}", file=sys.stderr)
                continue
            scored = score_article(article, data)
            result.articles.append(scored)
            if verbose:
                print(f"\n[{name}] {article.id}")
                for line in [*(f"unscored gold: {u}" for u in article.unlocated), *scored.notes]:
                    print(f"  {line}")
                if not article.unlocated and not scored.notes:
                    print("  (no misses)")
    return result


# --- the command -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gold",
        type=Path,
        action="append",
        metavar="FILE",
        help="gold JSONL (repeatable); default: the shared dev_gold.jsonl and our own labels",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        metavar="DIR",
        help="folder the gold's source_file paths are relative to "
        "(default: the gold file's …/shared, then ../shared)",
    )
    parser.add_argument("--model", default=None, help="spaCy model (default: the setting)")
    parser.add_argument(
        "--verbose", action="store_true", help="per article: misses and false positives"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")


def default_gold(shared: Path | None) -> list[Path]:
    """The shared dev set (when present) and our own labels (when any)."""
    dev = (shared or DEFAULT_SHARED) / DEV_GOLD
    found = [dev] if dev.is_file() else []
    if not found:
        print(f"briefgen: {dev} not found; scoring our own labels only", file=sys.stderr)
    return found + (sorted(LABELS.glob("*.jsonl")) if LABELS.is_dir() else [])


def _column_names(paths: Sequence[Path]) -> list[str]:
    """Each file's stem; its folder too when stems repeat, and a number if that still does."""
    stems = [p.stem for p in paths]
    names = [f"{p.parent.name}/{p.stem}" if stems.count(p.stem) > 1 else p.stem for p in paths]
    return [f"{n}#{i + 1}" if names.count(n) > 1 else n for i, n in enumerate(names)]


def cell(count: Count | None) -> str:
    if count is None:
        return "–"
    percent = count.percent
    shown = "–" if percent is None else f"{percent:.0f}%"
    return f"{shown} ({count.hits}/{count.total})"


def table(results: Sequence[FileResult]) -> str:
    head = ["metric", *(r.name for r in results), "goal"]
    rows = [["articles", *(str(len(r.articles)) for r in results), ""]]
    for m in METRICS:
        rows.append([m.label, *(cell(r.count(m.key)) for r in results), m.goal_text])
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = []
    for row in [head, *rows]:
        figures = zip(row[1:-1], widths[1:-1], strict=True)
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in figures), row[-1]]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def figures(results: Sequence[FileResult]) -> dict[str, Any]:
    """The figures as plain data (``--json``)."""

    def counted(c: Count | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {"hits": c.hits, "total": c.total, "percent": c.percent}

    def met(m: Metric, c: Count | None) -> bool | None:
        return None if c is None or c.percent is None else m.met(c.percent)

    return {
        "goals": {m.key: {"goal": m.goal, "at_most": m.at_most, "label": m.label} for m in METRICS},
        "files": {
            r.name: {
                "path": str(r.path),
                "articles": len(r.articles),
                "skipped": r.skipped,
                "metrics": {m.key: counted(r.count(m.key)) for m in METRICS},
                "goals_met": {m.key: met(m, r.count(m.key)) for m in METRICS},
                "per_article": {
                    a.id: {k: [c.hits, c.total] for k, c in a.counts.items()} for a in r.articles
                },
            }
            for r in results
        },
    }


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = list(args.gold or [])
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"briefgen: gold file not found: {missing[0]}", file=sys.stderr)
        return 2
    if not paths:
        paths = default_gold(args.shared)
        if not paths:
            print("briefgen: no gold to score (give --gold FILE or --shared DIR)", file=sys.stderr)
            return 2
    sources = _Sources()
    results: list[FileResult] = []
    for path, name in zip(paths, _column_names(paths), strict=True):
        gold = load_gold(path, shared=args.shared, sources=sources)
        for problem in gold.skipped:
            print(f"briefgen: {path}: skipped {problem}", file=sys.stderr)
        for article in gold.articles:
            for problem in article.unlocated:
                print(f"briefgen: {path}: {article.id}: {problem}; not scored", file=sys.stderr)
        results.append(score_file(gold, name=name, model=args.model, verbose=args.verbose))
    if args.verbose:
        print()
    print("Whole briefs against analyst labels (each article briefed on its own), micro-averaged")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(figures(results), indent=2) + "\n", encoding="utf-8")
    return 0 if any(r.articles for r in results) else 1
