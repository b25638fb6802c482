"""Extractive summaries: lead sentences that are also central, in document order, without repeats.

Measured on CNN/DailyMail and BBC (``briefgen eval summaries``): on real news highlights the
lead is by far the strongest signal; centrality (TextRank over stemmed content words) helps
as a veto on lead sentences that are off-topic (captions, asides) rather than as a ranking.
Sentences that are fragments (headlines, datelines, bylines), very short, or colour (mostly
quotation, picture captions, a feature opening) are passed over while enough others remain, and
a sentence that mostly repeats one already chosen is skipped. A feature opening (a question, the
reader addressed, a scene with no one named) is not the lead: the first sentence of news is.

Analysts brief the news and the other side of it: when a party answers the news with a stance
("But many Russians are wary of ...", "But the exiles vowed to block ..."), that counterpoint
takes the last line. A dateline is never part of a line: the parse splits it off its sentence
(``briefgen.words.DATELINE``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import operator
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.article.gazetteer import TITLE_WORDS
from briefgen.article.parties import GROUP_HEADS
from briefgen.doc import Article, DateExpr, Parsed, Sentence, SummarySentence
from briefgen.timex import day_span
from briefgen.words import (
    BACKGROUND_DAYS,
    NEWS_DAYS,
    STOPWORDS,
    SUMMARY_REPEAT,
    WORD,
    overlap,
    stem,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_OPENING_QUOTE = frozenset("\"“‘'`")
# A sentence that is mostly someone's words: it closes a quotation it did not open
# ('... in the family,'' said Martonyi.'), or quotation marks stand around most of it.
_CLOSING = re.compile(r"[,.!?](?:''|\"|”)(?=\s)")
_OPENING = re.compile(r"``|“|(?:^|(?<=\s))\"(?=\S)")
_QUOTED = re.compile(r"(?:``|\"|“)(.+?)(?:''|\"|”)")
# Single quotation marks (British and tabloid style: said: 'What upset me most ...'): opened
# after a space, colon or bracket before a capital, closed before a space or punctuation, so
# apostrophes ("don't", "the teens' mother") do not open one.
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s(:]))[‘'](?=[A-Z])(.+?)[’'](?=[\s.,;:!?)]|$)")
# Picture captions and page furniture run into the text of web articles.
_CAPTION = re.compile(
    r"\bscroll down for videos?\b|\bclick here\b"
    r"|\((?:pictured|above|below|left|right|centre|center|top|bottom)\)",
    re.I,
)
# A feature opening speaks to the reader ("Imagine ...", "you") or asks a question; without
# those it is still a scene when it names no one, counts nothing and says no "today".
_FEATURE_VERB = re.compile(r"(?:Imagine|Picture|Think|Consider|Remember)\b")
_SECOND_PERSON = re.compile(r"\b(?:you|your|yourself)\b", re.I)
_NEWS_TIME = re.compile(r"\b(?:today|tonight|yesterday|last night|this week|now)\b", re.I)
_DIGIT = re.compile(r"\d")
# Background told in the text itself: a time well before the news ("earlier this year",
# "two years ago", "last year") opening the sentence, or a past perfect main clause opening it.
_BACKGROUND_OPENING = re.compile(
    r"^(?:(?:back |earlier |late |early )?(?:in|during|since|until) (?:(?:early|late|mid)[\s-])?"
    r"(?:(?:19|20)\d\d|last year|the (?:past|1990s|2000s))\b"
    r"|(?:earlier|last|late last|early last) (?:this )?(?:year|month)\b"
    r"|(?:\w+ )?(?:years?|decades?|months) ago\b"
    r"|(?:previously|formerly|historically|originally)\b"
    r"|(?:back then|at the time|at that time|in those days)\b)",
    re.I,
)
# A habit of the past ("they used to punish women"), not "was used to kill" or "is used to
# working".
_USED_TO = re.compile(
    r"(?<!\bis )(?<!\bwas )(?<!\bare )(?<!\bwere )(?<!\bbe )(?<!\bbeen )\bused to\b(?! \w+ing\b)",
    re.I,
)
# The words alone: searching every sentence with _USED_TO's look-behinds at each position cost
# more than the rest of the summary's regexes together, and few sentences have them.
_USED_TO_WORDS = re.compile(r"used to", re.I)

# The other side of the news: a sentence that opens on a contrast ("But", "However", "Yet",
# "Still") with a party as its subject (not a pronoun: "But they said ..." goes on with the same
# source) and states a stance: wariness, a vow, a fight, a warning, a rejection.
_COUNTER_OPENING = re.compile(r"(?:But|However|Yet|Still)\b,?\s+(?P<subject>[\w'’-]+)")
_NOT_A_PARTY = frozenset(
    "it its they them their he him his she her we us our i you your this that these those "
    "there then now so in on at for after as when with by if".split()
)
_STANCE = re.compile(
    r"\b(?:dismiss|condemn|critici[sz]|warn|vow|insist|refus|reject|denie|deny|oppos|wary|"
    r"alarm|sceptic|skeptic|furious|attack|accus|fight|challeng|protest|appeal)\w*",
    re.I,
)
MIN_WORDS = 10  # shorter sentences ("He was 88.") carry little on their own
CENTRAL_SHARE = 0.8  # the least central fifth of the sentences is not taken
DAMPING = 0.85
FEATURE_OPENING = 3  # at most this many opening sentences are passed over as a feature's


@lru_cache(maxsize=4096)
def word_count(text: str) -> int:
    """How many words ``text`` has: asked of each sentence by several tests of one summary."""
    return len(WORD.findall(text))


def terms(text: str) -> list[str]:
    return [
        stem(low)
        for w in WORD.findall(text)
        if (low := w.lower()) not in STOPWORDS and len(w) > 1  # the word's own length
    ]


def _is_fragment(sentence: Sentence) -> bool:
    if word_count(sentence.text) < 5:
        return True
    # Headlines, datelines and bylines carry no closing punctuation.
    return sentence.text.rstrip("\"'”’)]").rstrip()[-1:] not in {".", "!", "?"}


def is_counterpoint(text: str) -> bool:
    """The sentence gives the other side of the news: it opens on a contrast with a party as its
    subject and states a stance ("But Miami's exiles vowed to block any attempt ...")."""
    m = _COUNTER_OPENING.match(text)
    if m is None or m.group("subject").lower() in _NOT_A_PARTY:
        return False
    return _STANCE.search(text, m.end()) is not None and not is_quote(text)


def centrality(bags: Sequence[Sequence[str]], *, damping: float = DAMPING) -> list[float]:
    """TextRank: PageRank over sentences linked by shared terms (normalised by log lengths).

    Scores are scaled so that 1.0 is the average sentence.
    """
    n = len(bags)
    if n == 0:
        return []
    counts = [Counter(b) for b in bags]
    # Most pairs share no term: a set intersection (in C) finds that before any counting.
    kinds = [set(c) for c in counts]
    logs = [math.log(len(b)) if b else 0.0 for b in bags]  # a sentence sharing a term has one
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            common = kinds[i] & kinds[j]
            if not common:
                continue
            # Terms of i counted with their count in j: the same integer as summing over bags[i].
            shared = sum(counts[i][t] * counts[j][t] for t in common)
            if shared:
                norm = logs[i] + logs[j]
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


def is_quote(text: str) -> bool:
    """The sentence is mostly someone's words: colour for a summary, not the news.

    It opens with a quotation mark, or more than half of it lies between quotation marks
    (double or single), counting from its start when it closes a quotation opened in the
    sentence before ('in the family,'' said Martonyi.').
    """
    if text[:1] in _OPENING_QUOTE:
        return True
    close = _CLOSING.search(text)
    opening = _OPENING.search(text)
    if close is not None and (opening is None or opening.start() > close.start()):
        return True  # it starts inside a quotation
    quoted = sum(len(m.group(1)) for m in _QUOTED.finditer(text))
    quoted += sum(len(m.group(1)) for m in _SINGLE_QUOTED.finditer(text))
    return quoted > 0.5 * len(text)


def is_caption(text: str) -> bool:
    """A picture caption or page furniture run into the text ("Scroll down for video",
    "Robert Gentile (pictured)"): colour, whatever else the sentence says."""
    return _CAPTION.search(text) is not None


def is_feature_opening(text: str) -> bool:
    """The sentence opens a feature rather than reporting news: it asks a question, addresses
    the reader, or sets a scene that names no one, has no figure and no "today".

    "In competitions against the clock, some athletes display an ability to seize control."
    is one; "A midwife has today accepted her mistakes ..." is not (it says when).
    """
    stripped = text.strip()
    if stripped.rstrip("\"'”’)").endswith("?") or _FEATURE_VERB.match(stripped):
        return True
    if _SECOND_PERSON.search(stripped) and not is_quote(stripped):
        return True
    named = any(w[0].isupper() and w.lower() not in STOPWORDS for w in WORD.findall(stripped))
    return not named and not _DIGIT.search(stripped) and not _NEWS_TIME.search(stripped)


def _preference(
    sents: Sequence[Sentence], central: Sequence[float], timing: Sequence[int]
) -> list[int]:
    """Sentence indices in the order they should be considered: best candidates first.

    ``timing`` is +1 for a sentence that reports the news of the day or what is ahead, -1 for
    background (its main event dated well before publication), 0 otherwise. The lead is the
    news by convention, so it is never background; after a feature opening the lead is the
    first sentence that is not part of it.
    """
    content = [i for i, s in enumerate(sents) if not _is_fragment(s)]
    by_centrality = sorted(content, key=lambda i: -central[i])
    rank = {i: r for r, i in enumerate(by_centrality)}
    keep = max(3, CENTRAL_SHARE * len(content))
    feature: set[int] = set()
    for i in content[:FEATURE_OPENING]:
        if not is_feature_opening(sents[i].text):
            break
        feature.add(i)
    news = [i for i in content if i not in feature]
    lead = news[0] if news else -1

    def tier(i: int) -> int:
        text = sents[i].text
        colour = is_quote(text) or is_caption(text) or i in feature
        when = max(timing[i], 0) if i == lead else timing[i]
        return (rank[i] >= keep) + (word_count(text) < MIN_WORDS or colour) - when

    return sorted(content, key=lambda i: (tier(i), i))


def background_openings(sents: Sequence[Sentence]) -> list[int]:
    """-1 for sentences that say in their words that they tell the past: they open on a time
    well before the news ("In 2009, ...", "Back then, ...") or tell a habit of the past ("they
    used to ..."); else 0."""
    return [
        -1
        if _BACKGROUND_OPENING.match(s.text)
        or (_USED_TO_WORDS.search(s.text) and _USED_TO.search(s.text))
        else 0
        for s in sents
    ]


def timing(parsed: Parsed, dates: Sequence[DateExpr]) -> list[int]:
    """Per sentence: +1 when its main clause is dated now or ahead (this week's news, what will
    happen), -1 when its main event is dated well before publication (background), else what
    its opening says (``background_openings``).

    A date counts for the sentence's main event when it hangs from the main verb (or a verb
    conjoined with it): "During his visit in May, the King opened Parliament" is background;
    "A man accused of faking his death last summer pleaded guilty" is not.
    """
    sents = parsed.sentences
    out = background_openings(sents)
    published = parsed.article.published
    if published is None or not sents:
        return out
    starts = [s.start for s in sents]
    news: set[int] = set()
    old: set[int] = set()
    for d in dates:
        if d.type not in {"DATE", "TIME"}:
            continue
        i = max(bisect.bisect_right(starts, d.start) - 1, 0)
        if d.relation == "future" or d.window_end:
            if _party_acts(parsed, sents[i]):
                news.add(i)
            continue
        span = day_span(d.value[:10] if d.type == "TIME" else d.value)
        if span is None:
            continue
        first, last = span
        near = last >= published - dt.timedelta(days=NEWS_DAYS) and first <= published
        # A day of this week ("on Thursday") or this week itself, not "last week", "this year".
        if near and (first == last or (d.relation == "present" and (last - first).days < 7)):
            news.add(i)
        elif last < published - dt.timedelta(days=BACKGROUND_DAYS) and _main_event(parsed, d):
            old.add(i)
    for i in old - news:
        out[i] = -1
    for i in news:
        out[i] = 1
    return out


_PARTY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# The story's own next step is news too: "Talks resume on Thursday", "A ministerial meeting on
# December 3 is meant to settle ...". People counted or paired stand for parties ("the two").
_EVENT_HEADS = frozenset(
    """
    talk talks meeting summit hearing vote ballot review trial election strike walkout
    negotiation negotiations session conference visit trip round sentencing inquiry debate
    referendum auction sale launch
    """.split()
)
_PAIR_HEADS = frozenset("pair two three both sides side".split())


def _party_acts(parsed: Parsed, sentence: Sentence) -> bool:
    """The subject of the sentence's main clause is a party ("Carney is set to meet ...", "The
    court will sentence him ...") or an event of the story ("Talks resume on Thursday"), not a
    thing ("A book ... is due to be published in May", "The issue is expected to dominate a
    summit in April"): what a party will do next is news; the date of a thing is detail."""
    span = parsed.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    if span is None:
        return False
    for root in (t for t in span if t.dep_ == "ROOT"):
        for verb in (root, *(c for c in root.children if c.dep_ == "conj")):
            for subject in (c for c in verb.children if c.dep_ in _SUBJECTS):
                if _is_party(subject) or subject.lemma_.lower() in _EVENT_HEADS:
                    return True
    return False


def _is_party(tok: Token) -> bool:
    """A name, a person ("he", "they"), a noun that stands for people or a body ("the court",
    "officials", "the two") or one a party owns ("Marchetti's office"); not a thing ("the
    book", "the issue")."""
    if tok.ent_type_ in _PARTY_TYPES or tok.pos_ == "PROPN":
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ in {"he", "she", "they", "we", "i"}
    lemma = tok.lemma_.lower()
    if lemma in _PAIR_HEADS or tok.lower_ in _PAIR_HEADS:
        return True
    if any(c.dep_ == "poss" and _is_party(c) for c in tok.children):
        return True  # "Marchetti's office", "the union's leaders"
    return lemma in GROUP_HEADS or tok.lower_ in GROUP_HEADS or lemma in TITLE_WORDS


def _main_event(parsed: Parsed, d: DateExpr) -> bool:
    span = parsed.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    head: Token = span.root
    for _ in range(8):  # up to the first verb, through prepositions and nouns
        if head.pos_ in {"VERB", "AUX"} or head.head is head:
            break
        head = head.head
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return head.dep_ == "ROOT"


def summarize(
    parsed: Parsed,
    *,
    sentences: int = 3,
    words: int | None = None,
    dates: Sequence[DateExpr] | None = None,
) -> list[SummarySentence]:
    """The best ``sentences`` sentences, in document order, skipping near-repeats.

    With ``words``, sentences are also taken only while the summary stays within that many
    words (the first one is always taken). With the article's ``dates`` (the date stage), the
    news of the day and what lies ahead are preferred to background dated well before.
    """
    when = timing(parsed, dates) if dates is not None else None
    return summarize_sentences(
        parsed.article, parsed.sentences, sentences=sentences, words=words, timing=when
    )


def summarize_sentences(
    article: Article,
    sents: Sequence[Sentence],
    *,
    sentences: int = 3,
    words: int | None = None,
    timing: Sequence[int] | None = None,
) -> list[SummarySentence]:
    """As :func:`summarize`, from the Punkt sentences alone (no spaCy parse needed): without
    ``timing`` (see :func:`timing`), only a background opening ("In 2009, ...") tells the
    background from the news."""
    bags = [terms(s.text) for s in sents]
    central = centrality(bags)
    when = list(timing) if timing is not None else background_openings(sents)
    order = _preference(sents, central, when)
    chosen: list[int] = []
    used = 0
    for i in _with_counterpoint(sents, order, sentences):
        if len(chosen) >= sentences:
            break
        if any(overlap(set(bags[i]), set(bags[j])) > SUMMARY_REPEAT for j in chosen):
            continue
        length = word_count(sents[i].text)
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


def _with_counterpoint(sents: Sequence[Sentence], order: list[int], sentences: int) -> list[int]:
    """``order`` with the first counterpoint (see :func:`is_counterpoint`) moved up to the
    summary's last line, never before the news it answers: from three lines on, the third."""
    if sentences < 3:
        return order
    slot = sentences - 1
    for i in order[slot:]:
        text = sents[i].text
        if word_count(text) >= MIN_WORDS and is_counterpoint(text) and not is_caption(text):
            return [*order[:slot], i, *(j for j in order[slot:] if j != i)]
    return order
