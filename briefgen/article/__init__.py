"""The per-article stages, each over the one parse of its article.

Every stage reads the :class:`~briefgen.doc.Parsed` article (and, for quotes and risks, the
article's mentions) and adds its findings as character spans; :func:`analyse` runs them all and
returns the :class:`~briefgen.doc.Analysis` that is cached and handed to the week's stages.
"""

from __future__ import annotations

from briefgen.article import dates, mentions, parties, quotes, risks, summarize
from briefgen.doc import Analysis, Article, Parsed, Quote
from briefgen.nlp import load_model, parse, parse_many


def analyse(parsed: Parsed, *, summary_sentences: int = 3) -> Analysis:
    """Every per-article stage over one parse."""
    found = mentions.extract_mentions(parsed)
    when = dates.extract_dates(parsed)
    summary = summarize.summarize(parsed, sentences=summary_sentences, dates=when)
    actors, did = parties.find_parties(parsed, found, summary)
    return Analysis(
        article=parsed.article,
        sentence_count=len(parsed.sentences),
        summary=summary,
        mentions=actors,
        quotes=_with_parties(quotes.extract_quotes(parsed, actors), did),
        dates=when,
        risks=risks.extract_risks(parsed, found),
    )


def _with_parties(found: list[Quote], did: list[Quote]) -> list[Quote]:
    """The parties' main events, where quotes found no line of their own for that sentence."""
    have = {(q.start, q.speaker_start) for q in found}
    return sorted(
        found + [q for q in did if (q.start, q.speaker_start) not in have],
        key=lambda q: (q.start, q.speaker_start or 0),
    )


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
            failed[parsed.article.id] = f"analysis failed ({one_line(exc)})"

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
                failed[article.id] = f"parsing failed ({one_line(exc)})"
                continue
            one(parsed)
    return analyses, failed


def one_line(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
