"""Extractive summaries: lead sentences that are also central, in document order, without repeats.

Measured on CNN/DailyMail and BBC (``briefgen eval summaries``): on real news highlights the
lead is by far the strongest signal; centrality (TextRank over stemmed content words) helps
as a veto on lead sentences that are off-topic (captions, asides) rather than as a ranking.
Sentences that are fragments (headlines, datelines, bylines), very short, or open with a
quotation are passed over while enough others remain, and a sentence that mostly repeats one
already chosen is skipped.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Sequence

from briefgen.doc import Article, Parsed, Sentence, SummarySentence
from briefgen.words import STOPWORDS, SUMMARY_REPEAT, WORD, overlap, stem

_OPENING_QUOTE = frozenset("\"“‘'")

MIN_WORDS = 10  # shorter sentences ("He was 88.") carry little on their own
CENTRAL_SHARE = 0.8  # the least central fifth of the sentences is not taken
DAMPING = 0.85


def terms(text: str) -> list[str]:
    return [
        stem(w.lower()) for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1
    ]


def _is_fragment(sentence: Sentence) -> bool:
    words = WORD.findall(sentence.text)
    if len(words) < 5:
        return True
    # Headlines, datelines and bylines carry no closing punctuation.
    return sentence.text.rstrip("\"'”’)]").rstrip()[-1:] not in {".", "!", "?"}


def centrality(bags: Sequence[Sequence[str]], *, damping: float = DAMPING) -> list[float]:
    """TextRank: PageRank over sentences linked by shared terms (normalised by log lengths).

    Scores are scaled so that 1.0 is the average sentence.
    """
    n = len(bags)
    if n == 0:
        return []
    counts = [Counter(b) for b in bags]
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if not bags[i] or not bags[j]:
                continue
            # Terms of i counted with their count in j: the same integer as summing over bags[i].
            small, big = sorted((counts[i], counts[j]), key=len)
            shared = sum(c * big[t] for t, c in small.items() if t in big)
            if shared:
                norm = math.log(len(bags[i])) + math.log(len(bags[j]))
                weights[i][j] = weights[j][i] = shared / norm if norm > 1e-9 else float(shared)
    out_sum = [sum(row) for row in weights]
    # Incoming edges of each sentence and their transition weights, so an iteration costs as
    # much as the graph has edges; summed through map rather than generators (the hot loop).
    sources = [[j for j in range(n) if weights[j][i]] for i in range(n)]
    shares = [[weights[j][i] / out_sum[j] for j in js] for i, js in enumerate(sources)]
    dangling = [j for j in range(n) if not out_sum[j]]
    rank = [1.0 / n] * n
    for _ in range(100):
        # Sentences with no links hand their weight to everyone, as in PageRank.
        base = (1 - damping) / n + damping * sum(rank[j] for j in dangling) / n
        new = [
            base + damping * sum(map(operator.mul, map(rank.__getitem__, js), ws))
            for js, ws in zip(sources, shares, strict=True)
        ]
        delta = sum(map(abs, map(operator.sub, new, rank)))
        rank = new
        if delta < 1e-6:
            break
    return [v * n for v in rank]


def _preference(sents: Sequence[Sentence], central: Sequence[float]) -> list[int]:
    """Sentence indices in the order they should be considered: best candidates first."""
    content = [i for i, s in enumerate(sents) if not _is_fragment(s)]
    by_centrality = sorted(content, key=lambda i: -central[i])
    rank = {i: r for r, i in enumerate(by_centrality)}
    keep = max(3, CENTRAL_SHARE * len(content))

    def tier(i: int) -> int:
        words = len(WORD.findall(sents[i].text))
        quoted = sents[i].text[:1] in _OPENING_QUOTE
        return (rank[i] >= keep) + (words < MIN_WORDS or quoted)

    return sorted(content, key=lambda i: (tier(i), i))


def summarize(
    parsed: Parsed, *, sentences: int = 3, words: int | None = None
) -> list[SummarySentence]:
    """The best ``sentences`` sentences, in document order, skipping near-repeats.

    With ``words``, sentences are also taken only while the summary stays within that many
    words (the first one is always taken).
    """
    return summarize_sentences(parsed.article, parsed.sentences, sentences=sentences, words=words)


def summarize_sentences(
    article: Article,
    sents: Sequence[Sentence],
    *,
    sentences: int = 3,
    words: int | None = None,
) -> list[SummarySentence]:
    """As :func:`summarize`, from the Punkt sentences alone (no spaCy parse needed)."""
    bags = [terms(s.text) for s in sents]
    central = centrality(bags)
    chosen: list[int] = []
    used = 0
    for i in _preference(sents, central):
        if len(chosen) >= sentences:
            break
        if any(overlap(set(bags[i]), set(bags[j])) > SUMMARY_REPEAT for j in chosen):
            continue
        length = len(WORD.findall(sents[i].text))
        if words is not None and chosen and used + length > words:
            continue
        chosen.append(i)
        used += length
    if not chosen and sents:
        chosen = [0]
    return [
        SummarySentence(start=s.start, end=s.end, text=s.text, score=round(central[i], 4))
        for i in sorted(chosen)
        for s in (sents[i],)
    ]
