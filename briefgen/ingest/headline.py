"""Headlines for articles that come without one.

A file or record without a title used to be titled by its first line, which in news text is
often a dateline, a byline or a whole lead paragraph cut with "...". A reader wants a headline:
the lead sentence without its dateline or byline, shortened at a clause boundary, never cut
mid-clause. Ingest titles such articles this way; the week's stories title themselves with the
same rule, so an article reads the same in every part of the brief.
"""

from __future__ import annotations

import re

from briefgen.doc import Article
from briefgen.words import DATELINE, STOPWORDS, dateline_end

_BYLINE = re.compile(
    r"^\s*(?:By\s*\.\s*)?(?:[^.]{1,60}\s\.\s+)*(?:PUBLISHED:.*?UPDATED:\s*\.\s*[^.]*\d{4}\s*\.\s*)",
    re.S,
)
HEADLINE_CHARS = 110  # a made headline is cut at a clause boundary before this length
HEADLINE_MAX = 150  # ... or, failing one, the lead is kept whole up to this length
TITLE_LINE_CHARS = 120  # a first line longer than this is a paragraph, not a headline
_CLAUSE = re.compile(r",\s|\s[-–—]+\s|;\s|\s(?:after|as|amid|while|because|but|which)\s")
_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|Lt|Col|No|Jr|Sr))\.$")
_DANGLING = frozenset(
    "a an the to of for and or but with his her their its from by at in on even just".split()
)
# Read this far into a text for its lead: a headline never needs more.
_LEAD_CHARS = 4_000


def headline(article: Article) -> str:
    """The article's title, or, when it has none, a headline made from its lead sentence.

    An article given its first line as a title by an older ingest (a dateline, or a sentence
    cut with "...") is recognised too, and given a made headline instead.
    """
    title = " ".join(article.title.split())
    derived = (
        not title
        or title.endswith("...")
        or _line_starts_with(_first_line(article.text), title.rstrip("."))
    )
    if not derived and not DATELINE.fullmatch(title):
        return title
    return lead_headline(article.text) or title or "Untitled article"


def _first_line(text: str) -> str:
    """``text.strip().split("\n", 1)[0]`` up to whitespace at its end (which the caller drops),
    without copying and splitting the whole text: a week's lead articles are megabytes."""
    text = text.lstrip()
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _line_starts_with(line: str, prefix: str) -> bool:
    """``" ".join(line.lstrip("#").split()).startswith(prefix)``, reading only as much of the
    line as the prefix needs: a text without line breaks is one line of thousands of words.

    A cut line reads as a prefix of the whole line's words (its last word maybe cut short), so
    once it reads at least as long as ``prefix`` it answers for the whole line.
    """
    reach = 2 * len(prefix) + 64
    while True:
        part = line[:reach]
        words = " ".join(part.lstrip("#").split())
        if len(words) >= len(prefix) or len(part) == len(line):
            return words.startswith(prefix)
        reach *= 4


def first_line_title(text: str) -> str:
    """A title for a text that came without one: its first line when that reads as a headline
    (short, no dateline), else a headline made from the lead; "" when the text has no words."""
    for line in text[:_LEAD_CHARS].splitlines():
        line = " ".join(line.strip().lstrip("#").split())
        if not line:
            continue
        if len(line) <= TITLE_LINE_CHARS and not DATELINE.match(line) and not _BYLINE.match(line):
            return line
        return lead_headline(text)
    return ""


def lead_headline(text: str) -> str:
    """The lead sentence without byline or dateline, shortened at a clause boundary."""
    lead = _BYLINE.sub("", " ".join(text[:_LEAD_CHARS].split()), count=1)
    lead = lead[dateline_end(lead) :].lstrip(" .-–—:")
    sentence = _first_sentence(lead).rstrip(".")
    if len(sentence) > HEADLINE_CHARS:
        sentence = _shorten(sentence)
    sentence = sentence.strip(" ,;:-–—")
    return sentence[0].upper() + sentence[1:] if sentence else ""


def _first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence, not an initial ("B.B. King")."""
    for m in _END.finditer(text):
        if not _ABBREVIATION.search(text[: m.start()].rstrip('"”’')):
            return text[: m.start()].strip()
    return text.strip()


def _shorten(sentence: str) -> str:
    """A long lead sentence cut at its last clause boundary in reach, else at a word that can
    end a phrase (no dangling "to an")."""
    for limit in (HEADLINE_CHARS, HEADLINE_MAX):
        cuts = [m.start() for m in _CLAUSE.finditer(sentence) if 30 <= m.start() <= limit]
        if cuts:
            return _without_dangling(sentence[: cuts[-1]].split())
    if len(sentence) <= HEADLINE_MAX:
        return sentence
    return _without_dangling(sentence[: HEADLINE_CHARS + 1].split()[:-1])


def _without_dangling(words: list[str]) -> str:
    """The words up to the last one that can end a phrase: no "to an", no "deadline, even"."""
    while len(words) > 4 and words[-1].lower().rstrip(",;:") in STOPWORDS | _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:")
