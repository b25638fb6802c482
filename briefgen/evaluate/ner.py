"""`briefgen eval ner`: exact-span PER/ORG/LOC micro F1 of the actors' mentions.

The predictions are what brief.json carries: every mention of every actor, labelled by its
actor's type, after the real pipeline (ingest-like articles, one parse each, mention extraction,
merging into actors). They are compared with the spaCy model's own entities on the same parse.

Data (see the README in the data folder): Universal NER English-PUD news documents (doc ids
starting with "n", the sentences of a document joined by one space) and the CoNLL-2003 test
documents that are not sports. Only PER, ORG and LOC are scored.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefgen.article.mentions import DEFAULT_OPTIONS, MentionOptions, extract_mentions
from briefgen.doc import Analysis, Article, Parsed
from briefgen.evaluate.parses import parses
from briefgen.ingest import article_from_record
from briefgen.nlp import model_name
from briefgen.week.actors import merge_actors

LABELS = ("PER", "ORG", "LOC")
TO_EVAL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
GOALS = {"pud-news": 62.0, "conll-nonsports": 72.0}
PUD_FILE = "uner_en_pud_test.sentences.jsonl"
CONLL_FILE = "conll2003_test.docs.jsonl"

Span = tuple[str, int, int, str]  # (document id, start, end, label)


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    articles: list[Article]
    gold: set[Span]


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 100.0 * 2 * self.tp / denom if denom else 0.0

    @property
    def precision(self) -> float:
        return 100.0 * self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return 100.0 * self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/ner"))
    parser.add_argument("--model", metavar="NAME", help="spaCy model (default: the pinned one)")
    parser.add_argument(
        "--ablate",
        action="store_true",
        help="also score briefgen with each improvement switched off, one at a time",
    )
    parser.add_argument(
        "--parse-cache",
        type=Path,
        metavar="DIR",
        help="keep the spaCy parses in DIR, so repeated runs skip parsing",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="first N documents of each set")


def _read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _gold(doc_id: str, entities: object, shift: int = 0) -> Iterator[Span]:
    assert isinstance(entities, list)
    for e in entities:
        if e["label"] in LABELS:
            yield (doc_id, int(e["start"]) + shift, int(e["end"]) + shift, str(e["label"]))


def load_pud_news(path: Path, *, limit: int | None = None) -> Dataset:
    """PUD news documents: the sentences of one ``doc_id`` joined by one space."""
    sentences: dict[str, list[dict[str, object]]] = defaultdict(list)
    for rec in _read_jsonl(path):
        doc_id = str(rec["doc_id"])
        if doc_id.startswith("n"):
            sentences[doc_id].append(rec)
    articles: list[Article] = []
    gold: set[Span] = set()
    for doc_id, recs in list(sentences.items())[:limit]:
        parts: list[str] = []
        offset = 0
        for rec in recs:
            text = str(rec["text"])
            gold.update(_gold(doc_id, rec["entities"], offset))
            parts.append(text)
            offset += len(text) + 1
        articles.append(_article(doc_id, " ".join(parts), path))
    return Dataset("pud-news", articles, gold)


def load_conll_nonsports(path: Path, *, limit: int | None = None) -> Dataset:
    articles: list[Article] = []
    gold: set[Span] = set()
    for rec in _read_jsonl(path):
        if rec.get("sports"):
            continue
        doc_id = str(rec["id"])
        articles.append(_article(doc_id, str(rec["text"]), path))
        gold.update(_gold(doc_id, rec["entities"]))
        if limit is not None and len(articles) >= limit:
            break
    return Dataset("conll-nonsports", articles, gold)


def _article(doc_id: str, text: str, path: Path) -> Article:
    """An article as ingest makes it from a record with an id and a text (title: first line)."""
    return article_from_record({"id": doc_id, "text": text}, path=path)


def briefgen_spans(parsed: Iterable[Parsed], options: MentionOptions) -> set[Span]:
    """brief.json's actor mentions, labelled by their actor's type."""
    analyses = [
        Analysis(p.article, len(p.sentences), [], extract_mentions(p, options=options), [], [], [])
        for p in parsed
    ]
    spans: set[Span] = set()
    for actor in merge_actors(analyses):
        label = TO_EVAL.get(actor.type)
        if label is None:
            continue
        for m in actor.mentions:
            start, end = _strip(m.text, m.start, m.end)
            spans.add((m.article, start, end, label))
    return spans


def spacy_spans(parsed: Iterable[Parsed]) -> set[Span]:
    spans: set[Span] = set()
    for p in parsed:
        for ent in p.doc.ents:
            label = TO_EVAL.get(ent.label_)
            if label is not None:
                start, end = _strip(ent.text, ent.start_char, ent.end_char)
                spans.add((p.article.id, start, end, label))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    return start + len(text) - len(text.lstrip()), end - (len(text) - len(text.rstrip()))


def score(pred: set[Span], gold: set[Span]) -> dict[str, Score]:
    out = {label: Score() for label in (*LABELS, "micro")}
    for span in pred:
        hit = span in gold
        for key in (span[3], "micro"):
            if hit:
                out[key].tp += 1
            else:
                out[key].fp += 1
    for span in gold - pred:
        out[span[3]].fn += 1
        out["micro"].fn += 1
    return out


def ablations() -> dict[str, MentionOptions]:
    """briefgen with each improvement switched off in turn."""
    return {
        f"without {f.name}": dataclasses.replace(DEFAULT_OPTIONS, **{f.name: False})
        for f in dataclasses.fields(MentionOptions)
        if getattr(DEFAULT_OPTIONS, f.name) is True
    }


def _line(name: str, s: dict[str, Score]) -> str:
    m = s["micro"]
    per_label = "  ".join(f"{label} {s[label].f1:5.1f}" for label in LABELS)
    return f"  {name:<34} F1 {m.f1:5.1f}  (P {m.precision:5.1f} R {m.recall:5.1f})  {per_label}"


def run(args: argparse.Namespace) -> int:
    data: Path = args.data
    if not data.is_dir():
        raise SystemExit(f"briefgen: evaluation data not found: {data}")
    model = args.model or model_name()
    print(f"NER: exact-span PER/ORG/LOC micro F1 of brief.json actor mentions; model {model}")
    met_all = True
    for dataset in (
        load_pud_news(data / PUD_FILE, limit=args.limit),
        load_conll_nonsports(data / CONLL_FILE, limit=args.limit),
    ):
        parsed = parses(
            dataset.articles, model=args.model, cache=args.parse_cache, name=dataset.name
        )
        print(f"{dataset.name}: {len(dataset.articles)} documents, {len(dataset.gold)} entities")
        print(_line("spaCy model alone", score(spacy_spans(parsed), dataset.gold)))
        ours = score(briefgen_spans(parsed, DEFAULT_OPTIONS), dataset.gold)
        print(_line("briefgen", ours))
        if args.ablate:
            for name, options in ablations().items():
                print(
                    _line(f"briefgen {name}", score(briefgen_spans(parsed, options), dataset.gold))
                )
        goal = GOALS[dataset.name]
        met = ours["micro"].f1 >= goal
        met_all &= met
        print(f"  goal F1 >= {goal:.0f}: {'met' if met else 'NOT met'} ({ours['micro'].f1:.1f})")
    print(f"all goals {'met' if met_all else 'NOT met'}")
    return 0
