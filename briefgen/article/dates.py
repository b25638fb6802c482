"""Date expressions in one article, normalised to TIMEX3 against its publication date.

Reads the parse (entities, tense and dependencies around each expression); adds
:class:`~briefgen.doc.DateExpr` spans with their relation to the publication date, the event
they belong to, deadlines and vague windows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.doc import DateExpr, Parsed, Relation
from briefgen.timex import (
    _MONTH_RE,
    _PARTS,
    _TRAIL,
    _UNITS,
    WEEKDAYS,
    _add_months,
    _clean,
    _number,
    _quarter,
    day_span,
    normalise,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_AGE = re.compile(r"\d+[\s-]+(?:years?|months?)[\s-]+old|\byear[\s-]old\b|\baged?\b", re.I)
_LEAD = re.compile(
    r"^(?:(?:about|around|approximately|roughly|nearly|almost|some|only|just|since|until|"
    r"till|from|through|during|within|by|in|on|at(?!\s+(?:least|most)\b)|for|of|as of|"
    r"as early as|as late as|between|both|barely|sometime|some time|an?(?=\s+(?:"
    rf"{_MONTH_RE}(?![a-z])|\d)))\s+)+",
    re.I,
)
_TEMPORAL = re.compile(
    rf"\b(?:{_MONTH_RE}|{'|'.join(WEEKDAYS)}|(?:{_UNITS})s?|today|tonight|yesterday|tomorrow|"
    r"now|noon|midnight|morning|afternoon|evening|night|weekends?|spring|summer|fall|autumn|"
    r"winter|season|recent(?:ly)?|past|future|present|currently|soon|daily|weekly|monthly|"
    r"thanksgiving|christmas|halloween|new year's|eve|"
    r"annually|yearly|nightly|hourly|year-end|year-earlier|year-ago|\d{4}s?|'\d\ds?|"
    r"\d{1,2}:\d\d|[ap]\.?m\.?|o'clock|time|term|period|era|age|\w+-?(?:day|year|month|week)s?)"
    r"(?![\w'])",
    re.I,
)
_SPLIT = re.compile(
    rf"(?:\s+(?:ended|ending|of|through|to|and)\s+|(?<=\d{{4}}),\s+(?=\d{{4}}\b))"
    rf"(?=(?:{_MONTH_RE}\b|\d{{4}}\b|"
    rf"(?:{'|'.join(WEEKDAYS)})\b|yesterday\b|today\b|tomorrow\b|the year\b))",
    re.I,
)
_RIGHT_ANCHOR = re.compile(
    rf"\s*,?\s+((?:{'|'.join(WEEKDAYS)})|yesterday|today|tomorrow|morning|afternoon|evening|"
    r"night|(?:" + _MONTH_RE + r")\s+\d{1,2}(?!\d))\b",
    re.I,
)
_FUTURE_WORDS = re.compile(
    r"\b(?:will|'ll|’ll|shall|going to|set to|due|scheduled|expected to|expects? to|plans? to|"
    r"planned|upcoming|next|coming|later|tomorrow|aims? to|intends? to|hopes? to|would|"
    r"is to|are to|slated|poised to|wants? to|seeks? to)\b",
    re.I,
)
# Words whose infinitive complement lies ahead: "set to resume Monday", "ready to leave Tuesday".
_AIMING = {
    "set", "plan", "schedule", "expect", "hope", "aim", "intend", "want", "seek", "prepare",
    "agree", "promise", "decide", "vow", "threaten", "be", "go", "due", "likely", "ready",
    "able", "need", "try", "poise", "slate", "wish", "plans", "scheduled", "expected", "begin",
    "start", "ask", "urge", "order", "call", "allow", "propose", "pledge", "offer", "move",
}  # fmt: skip
_DEADLINE = re.compile(r"\b(?:by|before|no later than|deadline(?: of| is)?|until|due)\s*$", re.I)
# Verbs that set, extend or move a deadline or an event (by lemma), and the nouns that name one.
_RESCHEDULE = {
    "extend", "postpone", "delay", "push", "move", "adjourn", "defer", "reschedule", "set",
    "give", "grant", "recess", "suspend", "shift", "bring", "put", "stay", "extended",
}  # fmt: skip
_DEADLINE_NOUN = re.compile(r"\b(?:deadline|cut-?off|ultimatum|grace period|extension)\b", re.I)
_FROM_NOW = re.compile(r"\s+(?:from now|from today|hence)\b", re.I)
# Vague future windows: how many days ahead of the publication date they reach.
_WINDOWS: dict[str, int] = {
    "the coming days": 10, "the next few days": 10, "the days ahead": 10,
    "the coming weeks": 35, "the next few weeks": 35, "the weeks ahead": 35,
    "the coming months": 120, "the next few months": 120, "the months ahead": 120,
    "the near future": 90, "soon": 30, "the near term": 90, "the short term": 90,
}  # fmt: skip
# "the next two weeks", "the coming 30 days", "the next few months": a span that starts now.
_NEXT_SPAN = re.compile(
    r"^the (?:next|coming) (?:(?P<n>\d{1,3}|a few|few|several|couple of|a couple of|a|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|ninety) )?(?P<unit>day|week|month)s?$",
    re.I,
)
_EARLY_NEXT_WEEK = re.compile(r"^(?:early|earlier|the start of|the beginning of) next week$", re.I)
_LATER_THIS = re.compile(
    r"^(?:(?:later|early|earlier|late)\s+)?(?:(?:in|by)\s+)?(?:the\s+)?(?:end\s+of\s+)?"
    r"(?:this|the)\s+(?P<unit>week|month|year)$|^(?:by\s+)?year[\s-]end$|^(?:the\s+)?end\s+of\s+"
    r"(?:this|the)\s+(?P<unit2>week|month|year)$",
    re.I,
)
# Things the model tags DATE/TIME that TimeML does not: adjectives of frequency, bare parts of
# a day without an anchor.
_DROP = {
    "quarterly", "annual", "night", "the night", "the day", "that day", "this day", "morning",
    "evening", "the night of", "seasonally", "overnight", "the years", "age", "the age",
}  # fmt: skip

# The grammar: patterns over raw text for expressions the model often misses.
_GRAMMAR = re.compile(
    r"(?<![\w-])(?:"
    r"(?:[Ee]very|[Ee]ach)\s+(?:(?:other|single)\s+)?(?:[A-Z][a-z]+day|day|week|month|year|"
    r"quarter|morning|night|evening|weekend|spring|summer|fall|winter)"
    r"|[Rr]ight now|[Nn]ow(?!\s+that)|[Cc]urrently|[Nn]owadays|[Aa]t present|these days"
    r"|(?:[Ll]ast |[Nn]ext |[Tt]his )?(?:(?:Thanksgiving|Christmas)(?: Day| Eve)?|Halloween"
    r"|(?:New Year's|Labor|Memorial|Election|Independence|Valentine's|Veterans|Boxing|Canada"
    r"|Victoria) Day|New Year's Eve)"
    r"|[Rr]ecently|[Rr]ecent\s+(?:years|months|weeks|days)"
    r"|the (?:near |distant )?(?:past|future)(?!\s+(?:tense|perfect))"
    r"|the (?:near|short|long) term|the (?:coming|next few) (?:days|weeks|months)"
    r"|the (?:days|weeks|months) ahead"
    r"|[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow"
    r"|(?:[Ll]ast|[Nn]ext|[Tt]his)\s+(?:week|month|year|weekend|quarter)"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?(?:\s+(?:morning|afternoon|evening|night)s?)?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?(?:,\s+\d{4})?(?!\d)"
    r")(?![\w-])"
)
_YEAR_BACK = re.compile(r"\b(?:a|one) year (?:ago|earlier|before)\b|\byear-(?:ago|earlier)\b", re.I)
_ANAPHORIC = re.compile(
    r"\b(?:ago|earlier|before|later|after|year-ago|year-earlier|latest|same)\b", re.I
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    label: str  # DATE, TIME or GRAMMAR


# --- the sentence around an expression ---------------------------------------------------------


def _governor(token: Token) -> Token:
    head = token
    for _ in range(5):
        if head.pos_ in {"VERB", "AUX"} or head.head is head:
            break
        head = head.head
    return head


@dataclass(slots=True)
class _Index:
    """Sentences and entities of a doc, looked up by token (``Token.sent`` is slow)."""

    sents: list[Span]
    starts: list[int]
    ents: list[Span]
    ent_at: dict[int, Span]
    text: str  # the doc's text (``Doc.text`` rebuilds it token by token on every call)

    @classmethod
    def of(cls, doc: Doc, text: str) -> _Index:
        sents = list(doc.sents)
        ents = list(doc.ents)
        return cls(
            text=text,
            sents=sents,
            starts=[s.start for s in sents],
            ents=ents,
            ent_at={i: e for e in ents for i in range(e.start, e.end)},
        )

    def sent(self, i: int) -> Span:
        return self.sents[max(bisect.bisect_right(self.starts, i) - 1, 0)]


def _past_clause(head: Token) -> bool:
    """The verb is a simple past or past perfect, with no modal or infinitive that looks ahead."""
    aux = [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    if any(c.tag_ in {"MD", "TO"} for c in aux):
        return False
    if head.tag_ == "VBN" and not aux and head.dep_ == "conj":
        return head.head.tag_ == "VBD"  # "started in December and peaked by the end of year"
    return "VBD" in {head.tag_, *(c.tag_ for c in aux)}


def _sets_deadline(head: Token, before: str) -> bool:
    """The clause sets, extends or moves a deadline: what it points to is still ahead."""
    return (
        head.lemma_.lower() in _RESCHEDULE
        or head.lower_ in _RESCHEDULE
        or bool(_DEADLINE_NOUN.search(before))
    )


def _tense(anchor: Token, text: str, index: _Index, start: int | None = None) -> Relation:
    """Whether the clause around ``anchor`` speaks of the past or the future.

    Cues in order: the expression itself ("next", "ago"), a possessive ("Wednesday's ruling"),
    a preposition of aim just before the expression (``start``: "by", "until", "as soon as"),
    then the verb that governs it: a modal or an infinitive ("set to resume Monday") is future,
    a past tense past, a present tense (other than "says") present. A preposition of aim in a
    past-tense clause looks ahead only when the clause sets or moves a deadline ("extended its
    deadline until 9 a.m. Tuesday"); otherwise ("by Tuesday the toll had risen") the tense wins.
    """
    low = text.lower()
    if re.search(r"\b(?:next|coming|upcoming|following)\b", low) or low.startswith(
        ("by ", "until ")
    ):
        return "future"
    if re.search(r"\b(?:last|past|ago|previous|earlier|recent|since)\b", low):
        return "past"
    doc = anchor.doc
    end = doc[anchor.i + 1] if anchor.i + 1 < len(doc) else None
    if end is not None and end.tag_ == "POS":
        return "past"
    at = anchor.idx if start is None else start
    before = index.text[max(0, at - 24) : at]
    head = _governor(anchor)
    context = index.text[max(0, at - 60, index.sent(anchor.i).start_char) : at]
    if _DEADLINE.search(before) or re.search(r"\b(?:as soon as|as early as)\s*$", before, re.I):
        if not _past_clause(head) or _sets_deadline(head, context):
            return "future"
    elif re.search(r"\b(?:to|for|till)\s*$", before, re.I) and _sets_deadline(head, context):
        return "future"  # "moved the vote to Thursday", "set the hearing for Friday"
    aux = [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    if any(c.lower_ in {"will", "'ll", "’ll", "shall", "wo"} for c in aux):
        return "future"
    if head.tag_ == "VB" and any(c.tag_ == "TO" for c in aux):
        if head.head.lemma_ in _AIMING or head.head.lower_ in _AIMING:
            if re.search(
                r"\bhad\s+(?:been\s+)?\w+\s+to\b", doc[index.sent(head.i).start : head.i].text
            ):
                return "past"  # "it had been due to expire Friday": a plan now overtaken
            return "future"
        head = head.head  # "extended their offers to acquire ... Friday": the main verb's time
        aux = [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    lo = max(head.left_edge.i, head.i - 8, index.sent(anchor.i).start)
    if _FUTURE_WORDS.search(doc[lo : head.i + 1].text):
        return "future"
    tags = {head.tag_, *(c.tag_ for c in aux)}
    if head.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ in {"VBZ", "VBP"} for c in aux):
        tags -= {"VBN"}  # "a ruling is expected within 30 days": a present passive
    if tags & {"VBD", "VBN"}:
        return "past"
    if tags & {"VBZ", "VBP"} and head.lemma_ not in {"say", "tell", "report", "announce"}:
        return "present"
    return "unknown"


def _relation(value: str, published: dt.date | None, tense: Relation) -> Relation:
    if published is None:
        return "unknown"
    if value == "FUTURE_REF":
        return "future"
    if value == "PAST_REF":
        return "past"
    if value == "PRESENT_REF":
        return "present"
    # A year, month or day (with or without a time of day); "2025-W39" and "2025-Q4" are
    # compared below, at their own grain, not by their year.
    m = re.match(r"(\d{4}(?:-\d\d(?:-\d\d)?)?)(?=$|T)", value)
    if m:
        v = m.group(1)
        p = published.isoformat()[: len(v)]
        return "future" if v > p else "past" if v < p else "present"
    m = re.match(r"(\d{4})-([QHW])(\d+)", value)
    if m:
        y, kind, n = int(m.group(1)), m.group(2), int(m.group(3))
        cur = {
            "Q": _quarter(published),
            "H": 1 if published.month <= 6 else 2,
            "W": published.isocalendar()[1],
        }[kind]
        py = published.isocalendar()[0] if kind == "W" else published.year
        return "future" if (y, n) > (py, cur) else "past" if (y, n) < (py, cur) else "present"
    m = re.match(r"(\d{4})-(SP|SU|FA|WI)", value)
    if m and int(m.group(1)) != published.year:
        return "future" if int(m.group(1)) > published.year else "past"
    m = re.fullmatch(r"(\d{2,3})", value)
    if m:
        p = str(published.year)[: len(value)]
        return "future" if value > p else "past" if value < p else "present"
    return tense if tense != "present" else "unknown"


def _event(sent: Span, first: Token, last: Token, index: _Index) -> str:
    """The clause a date belongs to, shortened to fit a line."""
    text = index.text[sent.start_char : sent.end_char].strip()
    if len(text) <= 110:
        return text
    head = _governor(first)
    while head.dep_ not in {"ROOT", "ccomp", "advcl", "relcl", "conj"} and head.head is not head:
        head = head.head
    lo, hi = head.left_edge.i, head.right_edge.i
    lo, hi = max(min(lo, first.i), sent.start), min(max(hi, last.i), sent.end - 1)
    clause = index.text[sent.doc[lo].idx : sent.doc[hi].idx + len(sent.doc[hi])].strip()
    clause = re.sub(
        r"^(?:where|which|who|when|while|and|but|as|that|so)\s+", "", clause, flags=re.I
    )
    clause = clause.strip(" ,;:-—")
    if len(clause) < 25:
        clause = text
    if len(clause) > 160:
        clause = clause[:157].rsplit(" ", 1)[0] + "..."
    return clause[:1].upper() + clause[1:]


_ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
# Unnamed subjects that are actors ("their union served notice"), by lemma.
_AGENT_NOUNS = {
    "union", "council", "bank", "official", "spokesperson", "spokesman", "spokeswoman",
    "economist", "lawyer", "government", "company", "court", "judge", "committee", "board",
    "ministry", "agency", "minister", "authority", "police", "parliament", "regulator",
    "investor", "analyst", "source", "leader", "president", "party", "administration",
    "department", "commission", "senate", "congress", "lawmaker", "legislature", "cabinet",
    "prosecutor", "team", "group", "firm", "insurer", "lender", "employer", "worker",
    "operator", "negotiator", "delegation", "mayor", "governor", "chancellor", "premier",
    "secretary", "director", "chair", "chairman", "chairwoman", "ceo", "executive", "manager",
    "owner", "shareholder", "creditor", "state", "city", "province", "country", "army",
    "military", "navy", "watchdog", "inspector", "auditor", "hospital", "school",
    "university", "airline", "carrier", "utility", "producer", "manufacturer", "retailer",
}  # fmt: skip


def _actor(anchor: Token, index: _Index) -> str | None:
    """The subject of the clause a date belongs to, as a named entity where there is one.

    A personal pronoun ("he is set to meet ...") stands for the nearest person named before it
    in the same or the previous sentence.
    """
    head = _governor(anchor)
    pronoun: Token | None = None
    for _ in range(6):
        for s in (c for c in head.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}):
            if s.dep_ == "agent":
                s = next((c for c in s.children if c.dep_ == "pobj"), s)
            ent = index.ent_at.get(s.i)
            if ent is None:
                inside = (index.ent_at.get(i) for i in range(s.left_edge.i, s.i + 1))
                ent = next((e for e in inside if e is not None and e.end <= s.i + 1), None)
            if ent is not None and ent.label_ in _ACTOR_LABELS:
                return str(ent.text)
            if s.pos_ == "PROPN":
                return str(s.text)
            if s.lower_ in {"he", "she", "him", "her"} and pronoun is None:
                pronoun = s
            elif s.pos_ == "NOUN" and pronoun is None and s.lemma_.lower() in _AGENT_NOUNS:
                # "their union served notice ...": the nearest subject that acts, even unnamed,
                # beats a name further up the tree (which may be someone else). A common noun
                # ("the bank", "a spokesperson") tells a reader little, so it gives way to the
                # name it carries or the one name of the sentence, else no actor at all.
                return _named_for(s, index)
        if head.head is head:
            break
        head = head.head
    if pronoun is not None:
        lo = index.sent(pronoun.i).start
        if lo > 0:
            lo = index.sent(lo - 1).start
        people = [e for e in index.ents if e.label_ == "PERSON" and lo <= e.start < pronoun.i]
        if people:
            return str(people[-1].text)
    return None


_NAMED_LABELS = {"PERSON"}


def _named_for(subject: Token, index: _Index) -> str | None:
    """A name for an unnamed subject: one inside its phrase ("a spokesperson for Okafor"),
    else the only person who is a subject in its sentence ("..., Solberg
    said"); a name merely mentioned (the object of a preposition) is not an actor."""
    inside = [
        e
        for e in index.ents
        if subject.left_edge.i <= e.start
        and e.end <= subject.right_edge.i + 1
        and e.label_ in _ACTOR_LABELS - {"NORP"}
    ]
    if inside:
        return str(inside[0].text)
    sent = index.sent(subject.i)
    names = {
        e.text
        for e in index.ents
        if sent.start <= e.start < sent.end
        and e.label_ in _NAMED_LABELS
        and e.root.dep_ in {"nsubj", "nsubjpass"}
    }
    return str(names.pop()) if len(names) == 1 else None


# --- candidates --------------------------------------------------------------------------------


def _candidates(doc: Doc, text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        start, end = ent.start_char, ent.end_char
        if ent.start > 0 and doc[ent.start - 1].lower_ in {"each", "every", "this", "last", "next"}:
            start = doc[ent.start - 1].idx
        # "noon Thursday", "5 p.m. EST Nov. 9": one expression.
        if ent.label_ == "TIME":
            zone = re.compile(r"\s+[A-Z]{3}\b").match(text, end)
            right = _RIGHT_ANCHOR.match(text, zone.end() if zone else end)
            if right is not None and right.group(1).lower() not in _PARTS:
                end = right.end()
        ahead = _FROM_NOW.match(text, end)
        if ahead is not None:  # "two weeks from now": one expression, a date
            end = ahead.end()
        for s, e in _split(text, start, end):
            found.append(_Candidate(s, e, ent.label_))
    taken = [(c.start, c.end) for c in found]
    for m in _GRAMMAR.finditer(text):
        s, e = m.start(), m.end()
        if any(s < te and ts < e for ts, te in taken):
            continue
        found.append(_Candidate(s, e, "GRAMMAR"))
    found.sort(key=lambda c: (c.start, -c.end))
    # "9 a.m. EST Tuesday" took in the model's own "Tuesday": one expression, not two.
    kept: list[_Candidate] = []
    for c in found:
        if not _keep(text[c.start : c.end]) or (kept and c.end <= kept[-1].end):
            continue
        kept.append(c)
    return kept


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trim quantifiers and punctuation; split "the quarter ended Sept. 30" in two."""
    span = text[start:end]
    lead = _LEAD.match(span)
    if lead and lead.end() < len(span):
        start += lead.end()
        span = text[start:end]
    trail = _TRAIL.search(span)
    if trail and trail.start() > 0:
        end = start + trail.start()
        span = text[start:end]
    m = _SPLIT.search(span)
    # "the first nine months of 1997" is two expressions, "the third quarter of 1990" one.
    if m and m.group().strip().lower() == "of" and not re.search(r"s$", span[: m.start()]):
        m = None
    if m and m.start() > 0 and _TEMPORAL.search(span[: m.start()]):
        left = (start, start + m.start())
        return [left, *_split(text, start + m.end(), end)]
    return [(start, end)] if end > start else []


def _keep(span: str) -> bool:
    t = _clean(span)
    if not t or t in _DROP or _AGE.search(t):
        return False
    if re.fullmatch(r"[\d.,\s/-]+", t) and not re.fullmatch(r"(?:1[5-9]|20)\d\d(?:s)?", t):
        return False
    return bool(_TEMPORAL.search(t))


def extract_dates(parsed: Parsed) -> list[DateExpr]:
    """Every date, time, duration and set in the article, in text order."""
    article = parsed.article
    published = article.published
    doc = parsed.doc
    text = article.text  # the doc's text, without rebuilding it from the tokens
    found: list[DateExpr] = []
    reference: str | None = None
    quarter: str | None = None  # the last quarter named: what "a year ago" compares with
    index = _Index.of(doc, text)
    for cand in _candidates(doc, text):
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        surface = text[cand.start : cand.end]
        tense = _tense(span.root, surface, index, cand.start)
        ref = reference
        if quarter and _YEAR_BACK.search(surface):
            ref = quarter
        type_, value, _ = normalise(surface, published=published, relation=tense, reference=ref)
        if cand.label == "TIME" and type_ == "DATE" and value.startswith("XXXX") and published:
            type_, value = "TIME", f"{published.isoformat()}TXX:XX"
        if (
            type_ == "DATE"
            and re.fullmatch(r"\d{4}(?:-Q\d|-\d\d(?:-\d\d)?)?", value)
            and not _ANAPHORIC.search(surface)
        ):
            reference = value
            quarter = value if "-Q" in value else quarter
        before = text[max(0, cand.start - 24) : cand.start]
        low = _clean(surface)
        after = text[cand.end : cand.end + 12]
        deadline = (
            bool(_DEADLINE.search(before))
            or bool(
                re.search(
                    r"\b[Dd]eadline\b(?:(?!\.\s+[A-Z])[^;!?]){0,30}$",
                    text[max(0, cand.start - 48) : cand.start],
                )
            )
            or low.startswith(("by ", "before "))
            or bool(re.match(r"(?:'s|’s)?\s*(?:deadline|cut-?off)\b", after, re.I))
        )
        window = _window(low, published, after)
        timex: str | None = None
        if window is None and type_ == "DURATION" and published and tense != "past":
            if re.search(r"\bwithin\s*$", before, re.I):
                counted = re.match(r"\d|a |an |one |two |three |four |five |six |ten ", low)
                window = _window(f"the {'next' if counted else 'coming'} {low}", published)
            elif re.search(r"\bin\s*$", before, re.I) and tense == "future":
                # "will rise in two weeks": the date two weeks on; TimeML's P2W kept beside it
                shifted = normalise(f"{low} from now", published=published, relation=tense)
                if shifted[0] == "DATE" and day_span(shifted[1]) is not None:
                    timex, type_, value = value, "DATE", shifted[1]
        window_end = window[1] if window else None
        if window and window[0] and day_span(value) is None:
            # "within the next two weeks": TimeML's DURATION P2W, to a reader the days from
            # tomorrow to the end of the span; the TIMEX3 value is kept beside the window.
            timex, type_, value = value, "DATE", window[0]
        if type_ in {"DATE", "TIME"}:
            relation = _relation(value, published, tense)
            if window_end is not None:
                relation = "future"
        else:
            relation = "unknown"
        sent = index.sent(span.start)
        found.append(
            DateExpr(
                article=article.id,
                start=cand.start,
                end=cand.end,
                text=surface,
                type=type_,
                value=value,
                relation=relation,
                sentence=text[sent.start_char : sent.end_char].strip(),
                event=_event(sent, span[0], span[-1], index),
                deadline=deadline,
                window_end=window_end,
                actor=_actor(span.root, index),
                timex=timex,
            )
        )
    return found


def _window(low: str, published: dt.date | None, after: str = "") -> tuple[str | None, str] | None:
    """The first and last day of a window ahead of the publication date, ISO; the first is None
    when the expression's own value starts it ("later this week": its week).

    Vague windows ("in the coming weeks", "soon") reach a set number of days ahead; a counted
    one ("within the next two weeks", "in the next 30 days") runs from the day after publication
    to the end of its span; "early next week" is Monday to Wednesday of next week; "later this
    week" runs to the end of the week, and is no window once the week is over.
    """
    if published is None:
        return None
    tomorrow = (published + dt.timedelta(days=1)).isoformat()
    low = re.sub(r"^(?:in|within|over|during|by) ", "", low)
    if low in _WINDOWS:
        if low == "soon" and re.match(r"\s*(?:after|afterwards?|thereafter)\b", after, re.I):
            return None  # "soon after the crash": a time relative to an event, not ahead
        return tomorrow, (published + dt.timedelta(days=_WINDOWS[low])).isoformat()
    m = _NEXT_SPAN.match(low)
    if m:
        n = _count(m.group("n"))
        unit = m.group("unit")
        if n is None:
            last = published + dt.timedelta(days=_WINDOWS[f"the coming {unit}s"])
        elif unit == "month":
            last = _add_months(published, n) + dt.timedelta(days=published.day - 1)
        else:
            last = published + dt.timedelta(days=n * (7 if unit == "week" else 1))
        return tomorrow, last.isoformat()
    if _EARLY_NEXT_WEEK.match(low):
        monday = published + dt.timedelta(days=7 - published.weekday())
        return None, (monday + dt.timedelta(days=2)).isoformat()
    m = _LATER_THIS.match(low)
    if m and (low.startswith(("later", "by", "the end", "end")) or "end" in low):
        unit = m.group("unit") or m.group("unit2") or "year"
        if unit == "week":
            last = published + dt.timedelta(days=6 - published.weekday())
        elif unit == "month":
            last = _add_months(published, 1) - dt.timedelta(days=1)
        else:
            last = dt.date(published.year, 12, 31)
        return (None, last.isoformat()) if last > published else None
    return None


def _count(word: str | None) -> int | None:
    """The number of a counted window ("two", "30"), None when vague ("few")."""
    if word is not None and word.lower() in {"a", "an"}:
        return None
    n = _number(word)
    return int(n) if n is not None and n >= 1 else None
