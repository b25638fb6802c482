"""Date and time expressions: found in the parse, normalised to TIMEX3 against the publication date.

Candidates come from spaCy's DATE/TIME entities; dateparser only normalises what was found, with
the direction (past or future) decided from the sentence rather than a global preference.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import dateparser

from .doc import DateExpr, Parsed, Relation, TimexType

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 0, "few": 0,
    "a few": 0, "couple": 2, "a couple of": 2,
}  # fmt: skip
_UNIT = {"year": "Y", "month": "M", "week": "W", "day": "D", "decade": "DE", "quarter": "Q",
         "hour": "H", "minute": "M", "second": "S", "century": "CE"}  # fmt: skip
_SET = re.compile(r"^(?:every|each)\b|\b(?:daily|weekly|monthly|annually|yearly|nightly)\b", re.I)
_DURATION = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:past|last|next|first|coming|previous|following)\s+)?"
    r"(?P<n>\d+(?:\.\d+)?|a few|a couple of|several|few|couple|a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve)?[\s-]*"
    r"(?P<unit>year|month|week|day|decade|quarter|hour|minute|second|century)s?(?:-long)?$",
    re.I,
)
_FUTURE_WORDS = re.compile(
    r"\b(?:will|'ll|shall|going to|set to|due|scheduled|expected to|plans? to|planned|"
    r"upcoming|next|coming|later|tomorrow|would|aims? to|intends? to)\b",
    re.I,
)
_DEADLINE = re.compile(r"\b(?:by|before|no later than|deadline|until|due)\s*$", re.I)
_VAGUE_FUTURE = {
    "in the coming weeks": ("FUTURE_REF", 35),
    "the coming weeks": ("FUTURE_REF", 35),
    "in the coming days": ("FUTURE_REF", 10),
    "the coming days": ("FUTURE_REF", 10),
    "in the coming months": ("FUTURE_REF", 120),
    "the coming months": ("FUTURE_REF", 120),
    "soon": ("FUTURE_REF", 30),
}


def _tense(anchor: Token) -> Relation:
    """Whether the clause around ``anchor`` speaks of the past or the future."""
    head = anchor
    for _ in range(4):
        if head.pos_ in {"VERB", "AUX"} or head.head is head:
            break
        head = head.head
    left = anchor.doc[max(head.left_edge.i, head.i - 6) : head.i + 1].text
    if _FUTURE_WORDS.search(left):
        return "future"
    tags = {
        t.tag_ for t in [head, *head.children] if t.dep_ in {"aux", "auxpass", "ROOT"} or t is head
    }
    if tags & {"VBD", "VBN"} and not any(
        c.lower_ in {"will", "'ll", "would"} for c in head.children
    ):
        return "past"
    if tags & {"MD"}:
        return "future"
    return "present"


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _duration_value(m: re.Match[str]) -> str:
    raw = (m.group("n") or "1").lower()
    n = _NUMBER_WORDS.get(raw)
    if n is None:
        n = int(float(raw)) if raw.replace(".", "", 1).isdigit() else 1
    unit = m.group("unit").lower()
    if unit in {"hour", "minute", "second"}:
        return f"PT{n or 'X'}{_UNIT[unit]}"
    return f"P{n or 'X'}{_UNIT[unit]}"


def normalise(
    text: str, *, published: dt.date | None, relation: Relation
) -> tuple[TimexType, str, dt.date | None]:
    """TIMEX3 type and value of an expression, and the day it resolves to when it is one day."""
    t = re.sub(r"\s+", " ", text.strip()).lower()
    t = re.sub(r"^(?:on|in|at|by|since|from|until|during) ", "", t)
    if _SET.search(t):
        day = next((i for i, w in enumerate(WEEKDAYS) if w in t), None)
        if day is not None:
            return "SET", f"XXXX-WXX-{day + 1}", None
        unit = next((u for u in _UNIT if u in t or (u + "ly") in t), "week")
        return "SET", f"P1{_UNIT.get(unit, 'W')}", None
    m = _DURATION.match(t)
    if (m and not t.startswith(("next ", "last ", "this ", "past "))) or (
        m and re.match(r"^(?:the )?(?:past|last|next|coming) \S+ \S+", t)
    ):
        return "DURATION", _duration_value(m), None
    if published is None:
        return "DATE", "XXXX-XX-XX", None
    if t in {"today", "now", "currently"}:
        return "DATE", published.isoformat(), published
    if t == "yesterday":
        d = published - dt.timedelta(days=1)
        return "DATE", d.isoformat(), d
    if t == "tomorrow":
        d = published + dt.timedelta(days=1)
        return "DATE", d.isoformat(), d
    if t in {"this week", "the week"}:
        return "DATE", _week(published), None
    if t == "next week":
        return "DATE", _week(published + dt.timedelta(days=7)), None
    if t == "last week":
        return "DATE", _week(published - dt.timedelta(days=7)), None
    if t in {"this month"}:
        return "DATE", published.strftime("%Y-%m"), None
    if t in {"this year"}:
        return "DATE", str(published.year), None
    if t in {"next year"}:
        return "DATE", str(published.year + 1), None
    if t in {"last year"}:
        return "DATE", str(published.year - 1), None
    if t in _VAGUE_FUTURE:
        return "DATE", _VAGUE_FUTURE[t][0], None
    if re.fullmatch(r"(?:19|20)\d\d", t):
        return "DATE", t, None
    for i, w in enumerate(WEEKDAYS):
        if re.fullmatch(rf"(?:(?:this|next|last) )?{w}", t):
            delta = (i - published.weekday()) % 7
            if t.startswith("last ") or (relation == "past" and not t.startswith("next ")):
                d = published - dt.timedelta(days=(published.weekday() - i) % 7 or 7)
            else:
                d = published + dt.timedelta(days=delta or 7)
                if t.startswith("next ") and delta:
                    d = published + dt.timedelta(days=delta)
            return "DATE", d.isoformat(), d
    for i, mo in enumerate(MONTHS, start=1):
        if t == mo or re.fullmatch(rf"(?:early|mid|late|mid-)\s?{mo}", t):
            year = published.year
            if relation == "future" and i < published.month:
                year += 1
            elif relation == "past" and i > published.month:
                year -= 1
            return "DATE", f"{year:04d}-{i:02d}", None
    prefer = (
        "future" if relation == "future" else "past" if relation == "past" else "current_period"
    )
    base = dt.datetime.combine(published, dt.time(12))
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["month"],
        },
    )
    if parsed is None:
        return "DATE", "XXXX-XX-XX", None
    if re.search(r"\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2},", t) or any(w in t for w in WEEKDAYS):
        d = parsed.date()
        return "DATE", d.isoformat(), d
    return "DATE", parsed.strftime("%Y-%m"), None


def _relation(value: str, published: dt.date | None, tense: Relation) -> Relation:
    if published is None:
        return "unknown"
    if value in {"FUTURE_REF"}:
        return "future"
    if value in {"PAST_REF"}:
        return "past"
    if value in {"PRESENT_REF"}:
        return "present"
    pub = published.isoformat()
    for length in (10, 7, 4):
        if re.fullmatch(r"\d{4}(?:-\d\d){0,2}", value) and len(value) == length:
            p = pub[:length]
            return "future" if value > p else "past" if value < p else "present"
    if re.fullmatch(r"\d{4}-W\d\d", value):
        p = _week(published)
        return "future" if value > p else "past" if value < p else "present"
    return tense if tense != "present" else "unknown"


def _event(sent: Span, ent: Span) -> str:
    """The clause a date belongs to, shortened to fit a line."""
    text = sent.text.strip()
    if len(text) <= 160:
        return text
    head = ent.root.head
    while head.dep_ not in {"ROOT", "ccomp", "advcl", "relcl", "conj"} and head.head is not head:
        head = head.head
    clause = sent.doc[head.left_edge.i : head.right_edge.i + 1].text.strip()
    if len(clause) > 160:
        clause = clause[:157].rsplit(" ", 1)[0] + "..."
    return clause


def extract_dates(parsed: Parsed) -> list[DateExpr]:
    article = parsed.article
    published = article.published
    found: list[DateExpr] = []
    for ent in parsed.doc.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        text = ent.text.strip()
        if not any(c.isalnum() for c in text):
            continue
        tense = _tense(ent.root)
        if ent.label_ == "TIME":
            type_: TimexType = "TIME"
            value = published.isoformat() + "TXX:XX" if published else "XXXX-XX-XXTXX:XX"
            day = None
        else:
            type_, value, day = normalise(text, published=published, relation=tense)
        before = parsed.doc.text[max(0, ent.start_char - 20) : ent.start_char]
        deadline = bool(_DEADLINE.search(before)) or text.lower().startswith("by ")
        relation = _relation(value, published, tense) if type_ in {"DATE", "TIME"} else "unknown"
        if type_ == "TIME" and published:
            relation = tense if tense != "present" else "unknown"
        window_end = None
        vague = _VAGUE_FUTURE.get(text.lower())
        if vague and published:
            window_end = (published + dt.timedelta(days=vague[1])).isoformat()
        sent = ent.sent
        found.append(
            DateExpr(
                article=article.id,
                start=ent.start_char,
                end=ent.start_char + len(ent.text.rstrip()),
                text=text,
                type=type_,
                value=value,
                relation=relation,
                sentence=sent.text.strip(),
                event=_event(sent, ent),
                deadline=deadline,
                window_end=window_end,
            )
        )
        del day
    return found
