"""Open risks: warnings, fears, hedged possibilities and conditionals that are still open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Mention, Parsed, Risk

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Cue lemma -> strength. Written for this project.
MODAL_CUES = {"might": 0.8, "may": 0.6, "could": 0.7, "would": 0.3}
LEXICAL_CUES = {
    "risk": 1.0, "threat": 1.0, "threaten": 1.0, "warn": 1.0, "warning": 1.0, "caution": 0.8,
    "fear": 0.9, "concern": 0.8, "worry": 0.9, "danger": 1.0, "jeopardize": 1.0,
    "jeopardise": 1.0, "uncertain": 0.7, "uncertainty": 0.7, "unclear": 0.6, "possible": 0.5,
    "possibly": 0.5, "likely": 0.5, "unlikely": 0.5, "potential": 0.5, "potentially": 0.5,
    "vulnerable": 0.8, "crisis": 0.7, "collapse": 0.7, "fail": 0.6, "failure": 0.6,
    "disrupt": 0.7, "disruption": 0.7, "escalate": 0.7, "retaliate": 0.8, "retaliation": 0.8,
    "surprise": 0.4, "expect": 0.3, "anticipate": 0.3,
}  # fmt: skip
CONDITIONAL_CUES = {"if": 0.6, "unless": 0.7, "in case": 0.6}
NEGATIVE_OUTCOMES = frozenset(
    """
        fail collapse lose loss cut impose tariff sanction divide conquer strike breach
        delay withdraw walk suspend default shortage layoff close shut downturn recession
        war attack retaliate escalate block veto reject break
        """.split()
)


def _cues(sent: Span) -> list[tuple[Token, float]]:
    cues: list[tuple[Token, float]] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        lower = tok.lower_
        if tok.tag_ == "MD" and lower in MODAL_CUES:
            cues.append((tok, MODAL_CUES[lower]))
        elif lemma in LEXICAL_CUES and tok.pos_ in {"VERB", "NOUN", "ADJ", "ADV"}:
            cues.append((tok, LEXICAL_CUES[lemma]))
        elif lower in CONDITIONAL_CUES and tok.dep_ == "mark":
            cues.append((tok, CONDITIONAL_CUES[lower]))
        elif lower == "case" and tok.i > 0 and tok.nbor(-1).lower_ == "in":
            cues.append((tok, CONDITIONAL_CUES["in case"]))
    return cues


def _past_fact(sent: Span, cues: list[tuple[Token, float]]) -> bool:
    """A past negative fact ('the talks failed last year') is not an open risk."""
    if any(t.tag_ == "MD" or t.dep_ == "mark" for t, _ in cues):
        return False
    for tok, _ in cues:
        verb = tok if tok.pos_ == "VERB" else tok.head
        # Warnings and fears keep pointing forward even when reported in the past tense.
        if tok.lemma_.lower() in {
            "warn",
            "caution",
            "fear",
            "concern",
            "worry",
            "threaten",
            "risk",
        }:
            if verb.tag_ == "VBD" and tok.lemma_.lower() in {"threaten"}:
                continue
            return False
        if verb.tag_ in {"VBD"} and not any(c.tag_ == "MD" for c in verb.children):
            continue
        return False
    return True


def extract_risks(parsed: Parsed, mentions: list[Mention] | None = None) -> list[Risk]:
    risks: list[Risk] = []
    by_start = {m.start: m for m in mentions or []}
    for sent in parsed.doc.sents:
        cues = _cues(sent)
        if not cues or _past_fact(sent, cues):
            continue
        negative = any(t.lemma_.lower() in NEGATIVE_OUTCOMES for t in sent)
        strength = max(s for _, s in cues)
        if strength < 0.5 and not negative:
            continue
        score = strength + 0.3 * negative + 0.1 * (len(cues) - 1)
        text = sent.text.strip()
        actors = tuple(
            dict.fromkeys(m.text for t in sent if (m := by_start.get(t.idx)) is not None)
        )
        risks.append(
            Risk(
                article=parsed.article.id,
                start=sent.start_char,
                end=sent.start_char + len(text),
                text=text,
                score=round(min(score, 2.0), 3),
                cues=tuple(dict.fromkeys(t.text for t, _ in cues)),
                actors=actors,
            )
        )
    return risks
