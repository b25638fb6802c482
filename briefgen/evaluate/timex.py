"""`briefgen eval timex`: temporal tagging against TempEval-3 platinum and TimeBank + AQUAINT.

Runs the real pipeline (Punkt sentences, one spaCy parse, the date stage) on every text and
scores it next to dateparser's ``search_dates`` (``languages=['en']``, relative base = DCT 12:00).
Span matching is by character overlap without one-to-one alignment, as in the data's README;
value F1 is relaxed F1 x value accuracy on relaxed matches (TempEval-3 style).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefgen.doc import DateExpr

GOALS = {"relaxed_f1": 90.3, "value_f1": 77.6, "after_dct": 80.0, "cost": 15.0}
_FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str
    value: str


@dataclass(slots=True)
class Doc:
    id: str
    dct: dt.date
    text: str
    gold: list[Span]


@dataclass(slots=True)
class Scores:
    gold: int = 0
    predicted: int = 0
    tp_gold_relaxed: int = 0
    tp_pred_relaxed: int = 0
    tp_strict: int = 0
    type_ok: int = 0
    value_ok: int = 0
    full: dict[str, list[int]] = field(
        default_factory=lambda: {"before": [0, 0], "on": [0, 0], "after": [0, 0]}
    )

    def f1(self, tp_p: int, tp_g: int) -> tuple[float, float, float]:
        p = tp_p / self.predicted if self.predicted else 0.0
        r = tp_g / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def relaxed(self) -> tuple[float, float, float]:
        return self.f1(self.tp_pred_relaxed, self.tp_gold_relaxed)

    @property
    def strict(self) -> float:
        return self.f1(self.tp_strict, self.tp_strict)[2]

    @property
    def type_accuracy(self) -> float:
        return self.type_ok / self.tp_gold_relaxed if self.tp_gold_relaxed else 0.0

    @property
    def value_accuracy(self) -> float:
        return self.value_ok / self.tp_gold_relaxed if self.tp_gold_relaxed else 0.0

    @property
    def value_f1(self) -> float:
        return self.relaxed[2] * self.value_accuracy


def load(path: Path) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            gold = [Span(t["start"], t["end"], t["type"], t["value"]) for t in rec["timexes"]]
            docs.append(Doc(rec["id"], dt.date.fromisoformat(rec["dct"]), rec["text"], gold))
    return docs


def score(docs: Sequence[Doc], predictions: Sequence[Sequence[Span]]) -> Scores:
    s = Scores()
    for doc, pred in zip(docs, predictions, strict=True):
        s.gold += len(doc.gold)
        s.predicted += len(pred)
        s.tp_pred_relaxed += sum(any(_overlap(p, g) for g in doc.gold) for p in pred)
        exact = {(p.start, p.end) for p in pred}
        s.tp_strict += sum((g.start, g.end) in exact for g in doc.gold)
        for g in doc.gold:
            match = next((p for p in pred if _overlap(p, g)), None)
            if match is not None:
                s.tp_gold_relaxed += 1
                s.type_ok += match.type == g.type
                s.value_ok += match.value == g.value
            if g.type == "DATE" and _FULL_DATE.fullmatch(g.value):
                dct = doc.dct.isoformat()
                when = "after" if g.value > dct else "on" if g.value == dct else "before"
                s.full[when][1] += 1
                s.full[when][0] += match is not None and match.value == g.value
    return s


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def briefgen_predict(
    docs: Sequence[Doc], *, model: str | None = None
) -> tuple[list[list[Span]], float, float]:
    """Predictions of the real pipeline, and the seconds spent parsing and in the date stage."""
    from briefgen.article.dates import extract_dates
    from briefgen.doc import Article
    from briefgen.nlp import load_model, parse_many

    load_model(model)
    articles = [Article(id=d.id, title="", text=d.text, published=d.dct) for d in docs]
    t0 = time.perf_counter()
    parsed = list(parse_many(articles, model=model))
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = [extract_dates(p) for p in parsed]
    stage_s = time.perf_counter() - t0
    preds = [[_timeml(x) for x in f] for f in found]
    return preds, parse_s, stage_s


def _timeml(x: DateExpr) -> Span:
    """A date as TimeML annotates it: a window the brief reads as days ("within the next two
    weeks") keeps its TIMEX3 reading (DURATION P2W) in ``timex``."""
    if x.timex:
        return Span(x.start, x.end, "DURATION" if x.timex.startswith("P") else "DATE", x.timex)
    return Span(x.start, x.end, x.type, x.value)


def dateparser_predict(docs: Iterable[Doc]) -> list[list[Span]]:
    import warnings

    from dateparser.search import search_dates

    out: list[list[Span]] = []
    for doc in docs:
        base = dt.datetime.combine(doc.dct, dt.time(12))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(doc.text, languages=["en"], settings={"RELATIVE_BASE": base})
        spans: list[Span] = []
        pos = 0
        for sub, when in found or []:
            i = doc.text.find(sub, pos)
            if i < 0:
                i = doc.text.find(sub)
                if i < 0:
                    continue
            else:
                pos = i + len(sub)
            spans.append(Span(i, i + len(sub), "DATE", when.date().isoformat()))
        out.append(spans)
    return out


def _row(name: str, s: Scores) -> str:
    p, r, f = s.relaxed
    return (
        f"  {name:<22} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f} {100 * s.strict:7.1f}"
        f" {100 * s.type_accuracy:6.1f} {100 * s.value_f1:7.1f}"
    )


def _full(s: Scores) -> str:
    parts = [f"{k} {v[0]}/{v[1]}" for k, v in s.full.items()]
    return ", ".join(parts)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/timex"))
    parser.add_argument("--model", metavar="NAME", help="spaCy model (default: the pinned one)")
    parser.add_argument(
        "--no-dateparser", action="store_true", help="skip the dateparser baseline (slow)"
    )


def run(args: argparse.Namespace) -> int:
    data: Path = args.data
    sets = {name: data / f"{name}.jsonl" for name in ("te3_platinum", "timebank", "aquaint")}
    missing = [str(p) for p in sets.values() if not p.is_file()]
    if missing:
        raise SystemExit(f"briefgen: eval data not found: {', '.join(missing)}")
    docs = {name: load(path) for name, path in sets.items()}
    every = [d for ds in docs.values() for d in ds]
    preds, parse_s, stage_s = briefgen_predict(every, model=args.model)
    by_set: dict[str, dict[str, Scores]] = {}
    i = 0
    dp: dict[str, list[list[Span]]] = {}
    if not args.no_dateparser:
        dp = {name: dateparser_predict(ds) for name, ds in docs.items()}
    for name, ds in docs.items():
        by_set[name] = {"briefgen": score(ds, preds[i : i + len(ds)])}
        if dp:
            by_set[name]["dateparser search_dates"] = score(ds, dp[name])
        i += len(ds)

    header = (
        f"  {'system':<22} {'P':>6} {'R':>6} {'F1':>6} {'strict':>7} {'type':>6} {'valueF1':>7}"
    )
    for name, systems in by_set.items():
        role = "test set" if name == "te3_platinum" else "development"
        n_gold = sum(len(d.gold) for d in docs[name])
        print(f"{name} ({len(docs[name])} docs, {n_gold} timexes; {role})")
        print(header)
        for system, s in systems.items():
            print(_row(system, s))
        for system, s in systems.items():
            print(f"  full dates right ({system}): {_full(s)}")
        print()

    plat = by_set["te3_platinum"]["briefgen"]
    after = [0, 0]
    after_dp = [0, 0]
    for name in ("timebank", "aquaint"):
        for k in range(2):
            after[k] += by_set[name]["briefgen"].full["after"][k]
            if dp:
                after_dp[k] += by_set[name]["dateparser search_dates"].full["after"][k]
    after_pct = 100 * after[0] / after[1] if after[1] else 0.0
    cost = 100 * stage_s / parse_s if parse_s else 0.0
    print("TimeBank + AQUAINT: full-date DATE values after the DCT exactly right")
    print(f"  briefgen: {after[0]}/{after[1]} = {after_pct:.1f}%")
    if dp:
        print(f"  dateparser search_dates: {after_dp[0]}/{after_dp[1]}")
    print()
    print(f"cost: spaCy parse {parse_s:.2f} s, date stage {stage_s:.2f} s = {cost:.1f}% of parse")
    print()
    print("goals")
    checks: list[tuple[str, float, float, bool]] = [
        ("platinum relaxed F1", 100 * plat.relaxed[2], GOALS["relaxed_f1"], True),
        ("platinum value F1", 100 * plat.value_f1, GOALS["value_f1"], True),
        ("after-DCT full dates %", after_pct, GOALS["after_dct"], True),
        ("date stage % of parse", cost, GOALS["cost"], False),
    ]
    for label, got, goal, higher in checks:
        ok = got >= goal if higher else got <= goal
        sign = ">=" if higher else "<="
        print(f"  {label:<24} {got:6.1f} (goal {sign} {goal}): {_met(ok)}")
    return 0
