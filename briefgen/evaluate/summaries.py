"""`briefgen eval summaries`: ROUGE of briefgen's summaries against Lead-3, LexRank and TextRank.

Every system picks 3 sentences; the candidate is its sentences one per line, scored with
rouge-score (stemming on) against the reference highlights, which are one per line too. The
briefgen row runs the real path: ``nlp.split_sentences`` (Punkt) and ``summarize``, without the
spaCy pass, which the summarizer does not need.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from briefgen.article.summarize import summarize_sentences
from briefgen.doc import Article, Sentence
from briefgen.nlp import split_sentences
from briefgen.words import WORD

SETS = ("cnndm", "bbc")
METRICS = ("rouge1", "rouge2", "rougeLsum")
# One configuration must reach every goal: (R2, RLsum) minimums per set.
GOALS = {"cnndm": (19.5, 38.0), "bbc": (54.5, 58.9)}
SENTENCES = 3

# The baselines' splitter: after .?! (and closing quotes) when whitespace and an upper-case
# letter, digit or opening quote follow, except after a short abbreviation or an initial.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_NO_SPLIT_AFTER = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sr|Jr|Gen|Gov|Sen|Rep|U\.S|U\.K|No)|\b[A-Z])\.$"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/summarization"))
    parser.add_argument("--limit", type=int, default=0, help="first N articles of each set")
    parser.add_argument(
        "--systems",
        default="briefgen,lead3,lexrank,textrank",
        help="comma list of briefgen,lead3,lexrank,textrank",
    )
    parser.add_argument(
        "--bench-grouping",
        type=int,
        metavar="N",
        default=0,
        help="instead: time story grouping on N synthetic articles",
    )


def regex_sentences(text: str) -> list[str]:
    """The simple splitter the published baselines were measured with."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        start = 0
        for m in _BOUNDARY.finditer(paragraph):
            if _NO_SPLIT_AFTER.search(paragraph[start : m.start()].rstrip("\"'”’)")):
                continue
            piece = paragraph[start : m.start() + len(m.group().rstrip())].strip()
            if piece:
                out.append(piece)
            start = m.end()
        tail = paragraph[start:].strip()
        if tail:
            out.append(tail)
    return out


class RegexTokenizer:
    """A sumy tokenizer that needs no NLTK download."""

    language = "english"

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(regex_sentences(text))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(WORD.findall(sentence))


def briefgen_summary(text: str, title: str = "") -> list[str]:
    sentences = [
        Sentence(index=i, start=s, end=e, text=text[s:e])
        for i, (s, e) in enumerate(split_sentences(text))
    ]
    article = Article(id="eval", title=title, text=text)
    return [s.text for s in summarize_sentences(article, sentences, sentences=SENTENCES)]


def lead_summary(text: str, title: str = "") -> list[str]:
    return regex_sentences(text)[:SENTENCES]


def _sumy(kind: str) -> Callable[[str, str], list[str]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(
        Stemmer("english")
    )
    summarizer.stop_words = get_stop_words("english")
    tokenizer = RegexTokenizer()

    def run(text: str, title: str = "") -> list[str]:
        document = PlaintextParser.from_string(text, tokenizer).document
        return [str(s) for s in summarizer(document, SENTENCES)]

    return run


def systems(names: Iterable[str]) -> dict[str, Callable[[str, str], list[str]]]:
    table: dict[str, Callable[[], Callable[[str, str], list[str]]]] = {
        "briefgen": lambda: briefgen_summary,
        "lead3": lambda: lead_summary,
        "lexrank": lambda: _sumy("lexrank"),
        "textrank": lambda: _sumy("textrank"),
    }
    unknown = [n for n in names if n not in table]
    if unknown:
        raise SystemExit(f"briefgen: unknown system {unknown[0]!r}; choose from {', '.join(table)}")
    return {n: table[n]() for n in names}


def load(path: Path, limit: int = 0) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
                if limit and len(records) >= limit:
                    break
    return records


def score(
    records: list[dict[str, Any]], summarize_fn: Callable[[str, str], list[str]]
) -> dict[str, float]:
    """Mean F1 x 100 per metric."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals = dict.fromkeys(METRICS, 0.0)
    for r in records:
        candidate = "\n".join(summarize_fn(r["text"], r.get("title") or ""))
        result = scorer.score(r["summary"], candidate)
        for m in METRICS:
            totals[m] += result[m].fmeasure
    n = max(len(records), 1)
    return {m: 100 * v / n for m, v in totals.items()}


def run(args: argparse.Namespace) -> int:
    if args.bench_grouping:
        from briefgen.evaluate.grouping import bench_grouping

        bench_grouping(args.bench_grouping)
        return 0
    if not args.data.is_dir():
        print(f"briefgen: evaluation data not found: {args.data}", file=sys.stderr)
        return 2
    chosen = systems([s.strip() for s in args.systems.split(",") if s.strip()])
    met = True
    print(f"ROUGE F1 x 100 (rouge-score, stemming on), {SENTENCES} sentences per summary")
    for name in SETS:
        path = args.data / f"{name}.jsonl"
        if not path.exists():
            print(f"briefgen: {path} is missing", file=sys.stderr)
            return 2
        records = load(path, args.limit)
        print(f"\n{name} (n={len(records)})")
        print(f"{'system':<10} {'R1':>6} {'R2':>6} {'RLsum':>6} {'secs':>6}")
        for system, fn in chosen.items():
            t0 = time.perf_counter()
            s = score(records, fn)
            secs = time.perf_counter() - t0
            print(
                f"{system:<10} {s['rouge1']:6.2f} {s['rouge2']:6.2f} {s['rougeLsum']:6.2f}"
                f" {secs:6.1f}"
            )
            if system == "briefgen":
                r2, rl = GOALS[name]
                ok = s["rouge2"] >= r2 and s["rougeLsum"] >= rl
                met &= ok
                print(f"  goal R2 >= {r2} and RLsum >= {rl}: {'met' if ok else 'NOT met'}")
    if "briefgen" in chosen:
        print(f"\nall goals met with one configuration: {'yes' if met else 'no'}")
    return 0
