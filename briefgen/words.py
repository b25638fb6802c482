"""Words: the one word pattern, stop-word list, stemmer and "same text" rule every stage uses.

The thresholds at which two texts count as saying the same thing differ by what is compared
(a summary against itself, a story's reports, a risk across articles or across weeks, events of
one day), so each is named here, beside the others, rather than inside its stage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# ASCII characters that end a word (all but letters, digits and the apostrophe), as spaces.
_ASCII_BREAKS = {c: " " for c in range(128) if not chr(c).isalnum() and chr(c) != "'"}


def words_of(text: str) -> list[str]:
    """``WORD.findall(text)``: the same words in the same order.

    The pattern costs most of what a week stage spends on words (30 million words at 100,000
    articles); an ASCII text is split at its breaks in C at a third of the cost, when no
    apostrophe stands at a word's edge (there the pattern drops it: "workers' pay", "'tis").
    Other texts take the pattern.
    """
    if text.isascii():
        spaced = text.translate(_ASCII_BREAKS)
        if not (
            "' " in spaced
            or " '" in spaced
            or "''" in spaced
            or spaced.startswith("'")
            or spaced.endswith("'")
        ):
            return spaced.split()
    return WORD.findall(text)


# What must never reach an output raw: control characters, line and paragraph separators and
# bidi overrides (a file name or a title could reorder or inject what a reader sees).
_INVISIBLE = "\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
UNPRINTABLE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")  # in a name or any one-line field
UNPRINTABLE_IN_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")  # text keeps tabs, newlines

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

# Verbs that attribute what follows to a speaker ("officials said", "she warned").
SPEECH_VERBS = frozenset(
    """
    say tell note add state warn caution argue claim insist explain remark reply respond
    announce declare predict suggest acknowledge admit confirm deny write emphasize emphasise
    stress indicate describe urge ask mention express believe observe point recall concede
    complain contend estimate maintain promise pledge vow threaten signal tweet post
    """.split()
)
# Verbs that voice a concern; with SPEECH_VERBS they say who holds a risk.
CONCERN_VERBS = frozenset("fear worry raise voice fret report".split())


# Stemming is a pure function of the word and costs more than the rest of a summary: each word
# is stemmed once per process, and a build keeps the stems between builds (engine.cache.StemCache).
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        found = _STEMS[word] = str(_stemmer().stem(word))
    return found


def known_stems() -> dict[str, str]:
    """Every word stemmed so far in this process (or given to :func:`learn_stems`), and its stem."""
    return _STEMS


def learn_stems(stems: dict[str, str]) -> None:
    """Take stems worked out before (by this NLTK) instead of stemming those words again."""
    _STEMS.update(stems)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    """NLTK's Snowball stemmer, imported on first use: importing nltk costs a quarter second,
    which a brief whose stages all come from the cache need not pay before it stems."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# A dateline: where, and through which agency, a story was filed, glued to its first sentence.
# "OTTAWA — ", "WASHINGTON, D.C. -- ", "MIAMI _ ", "HAVANA (AP) -- ", "(CNN)", "Boston (CNN)",
# "JOHANNESBURG, August 7 (Xinhua) --", "ORSOVA, Tarsland (Meridian Wire) --". The place is in
# capitals unless a known agency follows it (else "The United Nations (UN) Security Council"
# would read as one); the sentence after it opens like one. A dash inside a sentence ("NATO —
# the alliance — met") is no dateline.
_CAPS_PLACE = (
    r"[A-Z][A-Z.'’-]{2,}(?: [A-Z][A-Z.'’-]+)*(?:, ?[A-Z][\w.'’-]*(?: [A-Z0-9][\w.'’-]*){0,2})?"
)
_AGENCY = r"\((?:CNN|AP|AFP|UPI|AAP|PA|dpa|CNBC|Reuters|Bloomberg|Xinhua)\)"
DATELINE = re.compile(
    rf"(?:(?:[A-Z][\w.'’-]*(?:,? [A-Z][\w.'’-]*){{0,4}} ?)?{_AGENCY}"
    rf"|{_CAPS_PLACE} ?\([A-Z][\w.&'’ -]{{0,38}}\)"
    rf"|{_CAPS_PLACE}(?= ?(?:--|[—–_])))"
    r" ?(?:(?:--|[—–_-]) ?)?(?=[A-Z0-9\"“‘']|\s*$)"
)


def dateline_end(text: str, start: int = 0, end: int | None = None) -> int:
    """Where the sentence at ``start`` begins after a dateline glued to it ("OTTAWA — Talks":
    at "Talks"); ``start`` when it has none, or when too little would be left to be a
    sentence ("OTTAWA — Yes.")."""
    stop = len(text) if end is None else end
    m = DATELINE.match(text, start, stop)
    if m is None or m.end() == start or len(WORD.findall(text, m.end(), stop)) < 3:
        return start
    return m.end()


@dataclass(frozen=True, slots=True)
class SameText:
    """Two term sets say the same thing when they share ``shared`` terms or more, making up
    at least ``share`` of the smaller set."""

    share: float
    shared: int = 0

    def __call__(self, a: set[str], b: set[str]) -> bool:
        common = len(a & b)
        return common >= max(self.shared, 1) and common / min(len(a), len(b)) >= self.share


# --- the "same text" thresholds, each named for what it compares ------------------------------
NEWS_DAYS = 7  # a sentence dated within this many days before publication reports the news
BACKGROUND_DAYS = 30  # a main event dated more than this many days before it is background
SUMMARY_REPEAT = 0.7  # a summary sentence repeats a chosen one (share of the smaller's stems)
STORY_REPEAT = 0.5  # a story's sentence mostly says what its summary said (share of its own)
SAME_RISK = SameText(share=0.4, shared=3)  # one risk in two articles (content lemmas)
SAME_RISK_SAME_ACTOR = SameText(share=0.25, shared=3)  # ... when both name the same actor
SAME_RISK_IN_ARTICLE = SameText(share=0.5, shared=4)  # one risk restated in one article
SAME_RISK_LAST_WEEK = 0.6  # a risk of this brief and of the previous one (words of the text)
SAME_RISK_LAST_WEEK_SAME_ACTOR = 0.3  # ... when both name the same actor
SAME_EVENT_LAST_WEEK = 0.5  # an upcoming event of this brief and of the previous one
SAME_EVENT_ONE_DAY = SameText(share=0.6, shared=3)  # two events drawn on the same day


def lowered_words(text: str) -> list[str]:
    """The words of ``text`` lowered (``WORD.findall(text.lower())``), in order, repeats kept.

    Unlike :func:`folded_words`, a non-ASCII text is lowered before it is split: "STRASSE"
    and "Straße" stay two words."""
    return words_of(text.lower())


def folded_words(text: str) -> list[str]:
    """The case-folded words of ``text``, in order, repeats kept."""
    # ASCII text folds by lowering, which keeps every word whole: the text is lowered once.
    if text.isascii():
        return lowered_words(text)
    return [t.casefold() for t in WORD.findall(text)]


# Follows each text's words in :func:`folded_words_all`; no word holds it (it breaks words).
TEXT_END = "\x00"
_RUN_BREAKS = {c: b for c, b in _ASCII_BREAKS.items() if chr(c) != TEXT_END}


def folded_words_all(texts: Iterable[str]) -> list[str]:
    """:func:`folded_words` of each of ``texts``, in one list, each text's followed by
    ``TEXT_END`` (see :func:`words_all`)."""
    return words_all(texts, folded_words)


def words_all(texts: Iterable[str], words_of_text: Callable[[str], list[str]]) -> list[str]:
    """``words_of_text`` of each of ``texts``, in one list, each text's followed by
    ``TEXT_END``; ``words_of_text`` must give an ASCII text's words as :func:`lowered_words`
    does (as :func:`folded_words` and :func:`lowered_words` both do).

    For the words of many texts at once (870,000 at 100,000 articles): a run of ASCII texts
    without apostrophes is lowered, broken and split as one string, which costs half as much
    as text by text; any other text takes ``words_of_text``.
    """
    found: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            found.extend(f" {TEXT_END} ".join(run).lower().translate(_RUN_BREAKS).split())
            found.append(TEXT_END)
            run.clear()

    for text in texts:
        if text.isascii() and "'" not in text and TEXT_END not in text:
            run.append(text)
        else:
            end_run()
            found.extend(words_of_text(text))
            found.append(TEXT_END)
    end_run()
    return found


def content_words(text: str, *, drop: Iterable[str] = (), min_length: int = 3) -> set[str]:
    """Case-folded words of ``text`` that carry content: no stop word, nothing shorter than
    ``min_length``, nothing in ``drop``."""
    kept = set(folded_words(text)).difference(drop)
    return {w for w in kept if is_content_word(w, min_length=min_length)}


def is_content_word(word: str, *, min_length: int = 3) -> bool:
    """Whether a folded word is one :func:`content_words` keeps (with nothing dropped)."""
    return len(word) >= min_length and word not in STOPWORDS
