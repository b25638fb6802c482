"""`briefgen eval risk`: risk sentences against the Szeged uncertainty labels.

Each document's sentences are joined with blank lines into one :class:`Article` (a blank line
always ends a sentence in :func:`briefgen.nlp.split_sentences`), parsed by the real
:func:`briefgen.nlp.parse_many`, and run through the uncertainty detector
(:func:`briefgen.article.risks.uncertain_sentences`). A gold sentence is predicted uncertain
when a sentence the detector flags starts inside it. The open-risk list is built on top of the
detector; the command also counts which flagged sentences it keeps or drops, and why.

The corpus labels semantic uncertainty, which is not the same as risk. Reported threats and
fears stated as facts are mostly labelled certain ("the jury found the site was a threat"), and so
are forward-told bad outcomes without a hedge ("the flaws will delay shipments"); both are open
risks for the brief and count here as false positives. The other way round, neutral or good
expectations ("analysts expect earnings to rise") are uncertain but hardly risks: the detector
lists them too, with a low score, so that the brief's ranking rather than the filter keeps them
down.

The baseline is a plain hedge-word list (written for this project from general English usage,
not from the corpus): a sentence is flagged if any of its lower-cased words is in the list.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.doc import Article
from briefgen.evaluate.parses import parses
from briefgen.words import WORD

GOAL_F1 = 0.80
FACTBANK = "szeged_factbank_news.jsonl"
WIKI = ("szeged_wikiweasel_dev.jsonl", "szeged_wikiweasel_test.jsonl")
_SEPARATOR = "\n\n"

# The baseline: common English hedges, one word each.
HEDGE_WORDS = frozenset(
    """
        may might could perhaps maybe possibly possible probably likely unlikely apparently
        seemingly presumably allegedly reportedly supposedly potentially potential uncertain
        unclear doubt suggest suggests suggested seem seems seemed appear appears appeared
        believe believes believed think thinks expect expects expected if whether
        """.split()
)


@dataclass(frozen=True, slots=True)
class GoldSentence:
    start: int
    end: int
    text: str
    label: bool


@dataclass(frozen=True, slots=True)
class Scores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        return (
            f"  {name:<26} P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}"
            f"  (tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/risk"))
    parser.add_argument(
        "--split",
        choices=("test", "dev", "all"),
        default="test",
        help="FactBank split to score (default: test, the goal's split)",
    )
    parser.add_argument(
        "--wiki", action="store_true", help="also score the WikiWeasel dev and test files"
    )
    parser.add_argument("--model", default=None, help="spaCy model (default: the setting)")
    parser.add_argument(
        "--cache", type=Path, default=None, help="keep parses in DIR between runs (development)"
    )
    parser.add_argument(
        "--errors", type=Path, default=None, help="write false positives/negatives to this file"
    )


def load(path: Path, split: str) -> list[tuple[Article, list[GoldSentence]]]:
    """One article per source document: the gold sentences joined by blank lines."""
    docs: dict[str, list[tuple[str, bool]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if split != "all" and row.get("split", split) != split:
                continue
            docs.setdefault(row["doc_id"], []).append((row["text"], bool(row["label"])))
    out = []
    for doc_id, rows in docs.items():
        gold: list[GoldSentence] = []
        offset = 0
        for text, label in rows:
            gold.append(GoldSentence(start=offset, end=offset + len(text), text=text, label=label))
            offset += len(text) + len(_SEPARATOR)
        body = _SEPARATOR.join(t for t, _ in rows)
        out.append((Article(id=doc_id, title=doc_id, text=body), gold))
    return out


def predict(
    docs: list[tuple[Article, list[GoldSentence]]],
    *,
    model: str | None = None,
    cache: Path | None = None,
    versus: Counter[str] | None = None,
) -> list[tuple[GoldSentence, bool, list[str]]]:
    """Each gold sentence with the detector's decision and the cues it found there.

    ``versus`` counts how the risk list differs from the detector: each uncertain sentence the
    risk list keeps or drops, by the reason :func:`~briefgen.article.risks.judge` gives, and
    the open problems it adds that are not uncertain.
    """
    from briefgen.article.risks import judge_sentences, uncertain_sentences

    out: list[tuple[GoldSentence, bool, list[str]]] = []
    parsed = parses([a for a, _ in docs], model=model, cache=cache, name="risk")
    for (_, gold), p in zip(docs, parsed, strict=True):
        risks = uncertain_sentences(p)
        if versus is not None:
            for j in judge_sentences(p):
                side = "kept" if j.keep else "dropped"
                versus[f"{side}\t{j.why}" if j.uncertain else f"added\t{j.why}"] += 1
        for g in gold:
            cues = [c for r in risks if g.start <= r.start < g.end for c in r.cues]
            out.append((g, bool(cues) or any(g.start <= r.start < g.end for r in risks), cues))
    return out


def baseline(text: str) -> bool:
    return any(w in HEDGE_WORDS for w in WORD.findall(text.lower()))


def score(pairs: Iterable[tuple[bool, bool]]) -> Scores:
    tp = fp = fn = 0
    for gold, guess in pairs:
        tp += gold and guess
        fp += guess and not gold
        fn += gold and not guess
    return Scores(tp=tp, fp=fp, fn=fn)


def _evaluate(
    name: str, path: Path, split: str, args: argparse.Namespace, errors: list[str]
) -> Scores:
    docs = load(path, split)
    versus: Counter[str] = Counter()
    results = predict(docs, model=args.model, cache=args.cache, versus=versus)
    ours = score((g.label, guess) for g, guess, _ in results)
    base = score((g.label, baseline(g.text)) for g, _, _ in results)
    n, pos = len(results), sum(g.label for g, _, _ in results)
    print(f"{name} ({len(docs)} documents, {n} sentences, {pos} uncertain)")
    print(ours.line("uncertainty detector"))
    print(base.line(f"hedge-word list ({len(HEDGE_WORDS)})"))
    uncertain = sum(n for k, n in versus.items() if not k.startswith("added"))
    kept = sum(n for k, n in versus.items() if k.startswith("kept"))
    print(
        f"  the risk list on top of it: keeps {kept} of the {uncertain} sentences the detector "
        f"flags, adds {sum(n for k, n in versus.items() if k.startswith('added'))} open problems"
    )
    for key, n in sorted(versus.items(), key=lambda kv: (kv[0].split("\t")[0], -kv[1])):
        side, why = key.split("\t")
        print(f"    {side:<8} {n:>5}  {why}")
    for g, guess, cues in results:
        if guess != g.label:
            kind = "FP" if guess else "FN"
            errors.append(f"{name}\t{kind}\t{','.join(cues)}\t{g.text}")
    return ours


def run(args: argparse.Namespace) -> int:
    data: Path = args.data
    factbank = data / FACTBANK
    if not factbank.exists():
        raise SystemExit(f"briefgen: {factbank} not found (give --data DIR)")
    errors: list[str] = []
    ours = _evaluate(f"FactBank news, {args.split}", factbank, args.split, args, errors)
    if args.wiki:
        for name in WIKI:
            if (data / name).exists():
                _evaluate(name.removesuffix(".jsonl"), data / name, "all", args, errors)
    met = ours.f1 >= GOAL_F1
    print(
        f"goal: F1 >= {GOAL_F1:.2f} on FactBank news {args.split} "
        f"(risk words fear/warn/threat kept in): {'met' if met else 'NOT met'} ({ours.f1:.3f})"
    )
    if args.errors:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    return 0
