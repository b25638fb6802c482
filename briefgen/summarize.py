"""Extractive summaries: pick whole sentences by position and centrality, without repeats."""

from __future__ import annotations

import math
import re
from collections import Counter

from nltk.stem.snowball import SnowballStemmer

from .doc import Parsed, Sentence, SummarySentence

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STEMMER = SnowballStemmer("english")
STOPWORDS = frozenset(
    """
        a an the and or but if of to in on at by for with from as is are was were be been
        being it its this that these those he she they we you i his her their our your him
        them us me not no so than then there here also has have had do does did will would
        can could may might shall should must which who whom whose what when where why how
        all any each more most other some such only own same very just over into about after
        before said says say
        """.split()
)


def terms(text: str) -> list[str]:
    return [
        _STEMMER.stem(w.lower())
        for w in _WORD.findall(text)
        if w.lower() not in STOPWORDS and len(w) > 1
    ]


def _is_fragment(sentence: Sentence) -> bool:
    words = _WORD.findall(sentence.text)
    if len(words) < 5:
        return True
    # Headlines, datelines and bylines carry no closing punctuation.
    return sentence.text.rstrip("\"'”’)]").rstrip()[-1:] not in {".", "!", "?"}


def score_sentences(parsed: Parsed) -> list[float]:
    """A score per sentence: lead position, plus similarity to the document's centroid."""
    sentences = parsed.sentences
    bags = [Counter(terms(s.text)) for s in sentences]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(sentences)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    centroid: dict[str, float] = {}
    for bag in bags:
        for t, c in bag.items():
            centroid[t] = centroid.get(t, 0.0) + c * idf[t]
    c_norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    scores: list[float] = []
    content_rank = 0
    for sentence, bag in zip(sentences, bags, strict=True):
        if _is_fragment(sentence):
            scores.append(-1.0)
            continue
        vec = {t: c * idf[t] for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        centrality = sum(v * centroid.get(t, 0.0) for t, v in vec.items()) / (norm * c_norm)
        position = 1.0 / (1.0 + 0.5 * content_rank)
        content_rank += 1
        scores.append(0.6 * position + 0.4 * centrality)
    return scores


def summarize(parsed: Parsed, *, sentences: int = 3) -> list[SummarySentence]:
    """The best ``sentences`` sentences, in document order, skipping near-repeats."""
    scores = score_sentences(parsed)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    chosen_terms: list[set[str]] = []
    for i in order:
        if len(chosen) >= sentences or scores[i] < 0:
            break
        words = set(terms(parsed.sentences[i].text))
        if any(_overlap(words, other) > 0.6 for other in chosen_terms):
            continue
        chosen.append(i)
        chosen_terms.append(words)
    if not chosen and parsed.sentences:
        chosen = [0]
    return [
        SummarySentence(start=s.start, end=s.end, text=s.text, score=round(scores[i], 4))
        for i in sorted(chosen)
        for s in (parsed.sentences[i],)
    ]


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
