"""What each named speaker said or did in one article.

Reads the parse and the article's mentions; adds :class:`~briefgen.doc.Quote` spans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.doc import Mention, Parsed, Quote
from briefgen.nlp import token_strings
from briefgen.words import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# --- what each said or did ------------------------------------------------------------------

# A speech verb inside a phrase or a modifying clause is an aside to the sentence's news, not a
# statement the sentence reports: "talks began, with Washington signalling ...", "a warning
# issued by ...".
_ASIDE = frozenset({"pcomp", "pobj", "acl", "relcl", "amod"})


def extract_quotes(parsed: Parsed, mentions: list[Mention]) -> list[Quote]:
    """Sentences where an actor is the subject of a speech verb ("said"), or of the main verb
    of its sentence ("did"). A pronoun speaker ("she said") is the latest speaker or person
    named in the two sentences before."""
    by_start = {m.start: m for m in mentions if m.type in {"PERSON", "ORG", "OTHER", "GPE"}}
    quotes: list[Quote] = []
    # The latest person ("he", "she") and the latest unnamed source or organisation ("they").
    recent: dict[str, tuple[Mention, int]] = {}
    doc = parsed.doc
    words = token_strings(doc)
    for n, sent in enumerate(doc.sents):
        found: Quote | None = None
        for i in range(sent.start, sent.end):
            if words.pos[i] not in {"VERB", "AUX"} or words.lemma[i] not in SPEECH_VERBS:
                continue
            tok = doc[i]
            if tok.dep_ in _ASIDE:
                continue  # "..., with Washington signalling that ...": the news is elsewhere
            speaker = _speaker(tok, by_start)
            pronoun = _pronoun_subject(tok)
            if speaker is None and pronoun is not None:
                cand = recent.get("they" if pronoun == "they" else "person")
                if cand is not None and n - cand[1] <= 2:
                    speaker = cand[0]
            if speaker is None:
                continue
            found = sentence_quote(parsed, sent, speaker, "said")
            break
        if found is None:
            root = sent.root
            for child in root.children:
                if child.dep_ == "nsubj" and root.pos_ == "VERB":
                    m = _mention_at(child, by_start)
                    if m is not None and m.type != "GPE":
                        found = sentence_quote(parsed, sent, m, "did")
                    break
        if found is not None:
            quotes.append(found)
        for m in mentions:
            if sent.start_char <= m.start < sent.end_char:
                if m.type == "PERSON":
                    recent["person"] = (m, n)
                elif m.type == "OTHER" or (m.type == "ORG" and m.subject):
                    recent["they"] = (m, n)
        if found is not None and found.kind == "said":
            speaker_m = by_start[found.speaker_start or 0]
            recent["person" if speaker_m.type == "PERSON" else "they"] = (speaker_m, n)
    return quotes


def sentence_quote(parsed: Parsed, sent: Span, speaker: Mention, kind: str) -> Quote:
    """The whole sentence ``sent``, stripped, as what ``speaker`` said or did."""
    whole = parsed.article.text[sent.start_char : sent.end_char]  # Span.text rebuilds it
    text = whole.strip()
    start = sent.start_char + (len(whole) - len(whole.lstrip()))
    return Quote(
        article=parsed.article.id,
        start=start,
        end=start + len(text),
        text=text,
        speaker=speaker.text,
        speaker_start=speaker.start,
        kind="said" if kind == "said" else "did",
    )


def _pronoun_subject(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"he", "she", "they"}:
            return c.lower_
    return None


def _mention_at(tok: Token, by_start: dict[int, Mention]) -> Mention | None:
    """The mention that the subject word belongs to ("Trade Minister Dominic LeBlanc")."""
    for m in by_start.values():
        if m.start <= tok.idx < m.end:
            return m
    return None


def _speaker(verb: Token, by_start: dict[int, Mention]) -> Mention | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} or (
            child.dep_ == "prep" and child.lower_ == "according"
        ):
            found = _mention_at(child, by_start)
            if found is not None:
                return found
            # "Priya Raman, executive director of ..., said": the apposition's anchor speaks;
            # "the U.S. trade representative said": the country in the compound does not.
            for t in child.subtree:
                if t.dep_ in {"appos", "pobj"} and t.head.i in {
                    child.i,
                    *(c.i for c in child.children),
                }:
                    m = _mention_at(t, by_start)
                    if m is not None and m.type != "GPE":
                        return m
            return None
    return None
