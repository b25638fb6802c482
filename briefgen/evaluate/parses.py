"""Parses of an evaluation's articles, kept on disk between runs (``--cache DIR``).

The evaluations parse thousands of sentences the same way every run; a spaCy ``DocBin`` keyed
by the model and the articles' ids and texts saves the parse, and the sentences are split again
(Punkt is cheap), so each ``Parsed`` is what :func:`briefgen.nlp.parse_many` would give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from briefgen.doc import Article, Parsed, Sentence
from briefgen.nlp import load_model, model_name, parse_many, split_sentences


def parses(
    articles: Sequence[Article], *, model: str | None, cache: Path | None, name: str
) -> list[Parsed]:
    """One parse per article, from ``cache`` when an earlier run stored it there."""
    if cache is None:
        return list(parse_many(articles, model=model))
    from spacy.tokens import DocBin

    model = model or model_name()
    key = hashlib.sha256(
        "\0".join([model, *(a.id + "\0" + a.text for a in articles)]).encode()
    ).hexdigest()[:16]
    file = cache / f"{name}-{key}.spacy"
    if file.exists():
        nlp = load_model(model)
        docs = list(DocBin().from_disk(file).get_docs(nlp.vocab))
        return [Parsed(a, _sentences(a), d) for a, d in zip(articles, docs, strict=True)]
    parsed = list(parse_many(articles, model=model))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=[p.doc for p in parsed], store_user_data=True).to_disk(file)
    return parsed


def _sentences(article: Article) -> list[Sentence]:
    return [
        Sentence(index=i, start=s, end=e, text=article.text[s:e])
        for i, (s, e) in enumerate(split_sentences(article.text))
    ]
