"""The document model: articles, their parse, and what each stage finds in them.

Every finding carries ``start``/``end`` character offsets into its article's ``text``, so any
line of the brief can be traced back to the sentence it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc

ActorType = Literal["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "OTHER"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Relation = Literal["past", "present", "future", "unknown"]
SourceStatus = Literal["included", "partial", "skipped", "error"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from an input file."""

    id: str
    title: str
    text: str
    published: dt.date | None = None
    source: str = ""
    url: str | None = None
    path: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Parsed:
    """An article parsed once: sentences (Punkt) and the spaCy ``Doc`` aligned to them."""

    article: Article
    sentences: list[Sentence]
    doc: Doc

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence that contains character ``offset`` (the last one before it otherwise)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]


@dataclass(frozen=True, slots=True)
class SummarySentence:
    start: int
    end: int
    text: str
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity mention in one article."""

    article: str
    start: int
    end: int
    text: str
    type: ActorType
    role: str | None = None
    head: bool = False  # the mention is in the article's title
    subject: bool = False  # grammatical subject of its clause
    affiliation: str | None = None  # the country or organisation the person speaks for
    ref: str | None = None  # within-article coreference key (anonymous sources)
    # the actor this mention stands for when its words do not name it: a title for its holder
    # ("the president" -> "Donald Trump"), a capital for its state, a shared surname, a party
    canonical: str | None = None
    event: Literal["agent", "patient"] | None = None  # does or suffers a main event
    lead: bool = False  # in the article's first sentences
    # the name stands for a thing here, not who acts: "the Zorba cargo ship", "said on Zorba"
    thing: bool = False


@dataclass(frozen=True, slots=True)
class Quote:
    """What an actor said or did, attributed in one sentence."""

    article: str
    start: int
    end: int
    text: str
    speaker: str  # surface text of the speaker as written
    speaker_start: int | None = None  # offset of the speaker's mention, when one was found
    kind: Literal["said", "did"] = "said"


@dataclass(frozen=True, slots=True)
class DateExpr:
    article: str
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    relation: Relation
    sentence: str
    event: str = ""
    deadline: bool = False
    window_end: str | None = None  # for vague windows ("in the coming weeks"): last day, ISO
    actor: str | None = None  # subject of the clause the date belongs to, as written
    # A window read as days (value = its first day) keeps the TIMEX3 value TimeML gives it:
    # "P2W" for "within the next two weeks", "FUTURE_REF" for "in the coming weeks".
    timex: str | None = None


@dataclass(frozen=True, slots=True)
class Risk:
    article: str
    start: int
    end: int
    text: str
    score: float
    cues: tuple[str, ...]
    actors: tuple[str, ...] = ()  # surface names; resolved to actor ids in the brief
    kinds: tuple[str, ...] = ()  # warning, threat, hedge, belief, condition, question, outcome
    holder: str | None = None  # who voices it ("officials warned ...")
    poser: str | None = None  # who or what would bring it about ("the U.S. might ...")
    terms: tuple[str, ...] = ()  # content lemmas, to match the same risk across articles
    # the same risk in other articles: (article, start, end, text)
    also: tuple[tuple[str, int, int, str], ...] = ()
    group: str | None = None  # the story, or the actor, it belongs to
    clause: tuple[int, int] | None = None  # character span of the clause that states the risk
    threatened: str | None = None  # who or what would suffer it ("the crew", "jobs")
    own_score: float = 0.0  # severity, openness, likelihood and voice; no story weight
    why: str = ""  # why it is a risk: "warning", "open problem", "bad outcome, hedged", ...


@dataclass(slots=True)
class Analysis:
    """Everything the per-article stages found in one article. Cached by content hash."""

    article: Article
    sentence_count: int
    summary: list[SummarySentence]
    mentions: list[Mention]
    quotes: list[Quote]
    dates: list[DateExpr]
    risks: list[Risk]


@dataclass(slots=True)
class Actor:
    id: str
    name: str
    type: ActorType
    role: str | None
    aliases: list[str]
    salience: float
    articles: list[str]
    mentions: list[Mention]
    quotes: list[Quote] = field(default_factory=list)
    affiliation: str | None = None
    # actor: acts or is acted upon; setting: a place or people the news happens in or about;
    # subject: a thing (an agreement, a law, a product) the news is about
    part: Literal["actor", "setting", "subject"] = "actor"
    does: Quote | None = None  # one short line of what it does or says, from its article


@dataclass(frozen=True, slots=True)
class Upcoming:
    value: str
    text: str
    event: str
    article: str
    start: int
    end: int
    deadline: bool = False
    window_end: str | None = None
    actor: str | None = None


# Per-article notes said in full in a source's ``reason``; the rest are counted. The Sources
# table condenses them further (one line per distinct note).
MAX_REASON_NOTES = 200


@dataclass(slots=True)
class SourceRecord:
    """What became of one input file. ``reason`` is about the file (set by ingest); ``notes``
    are about its articles, ``(article id, note)``, added by the pipeline."""

    path: str
    status: SourceStatus
    reason: str | None
    articles: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def full_reason(self, limit: int = MAX_REASON_NOTES) -> str | None:
        """The reason of brief.json: the file's reason, then ``id: note`` for each note (the
        first ``limit``, then how many more)."""
        parts = [f"{i}: {note}" for i, note in self.notes[:limit]]
        if len(self.notes) > limit:
            parts.append(f"and {len(self.notes) - limit:,} more")
        return "; ".join(filter(None, [self.reason, *parts])) or None


@dataclass(slots=True)
class Story:
    """Articles that report the same event."""

    id: str
    title: str
    articles: list[str]
    summary: list[tuple[str, SummarySentence]]  # (article id, sentence)


@dataclass(slots=True)
class Period:
    start: dt.date | None
    end: dt.date | None
    as_of: dt.date | None


@dataclass(frozen=True, slots=True)
class Rank:
    """Where one item of the brief stands: 1 is the most important, and why."""

    rank: int
    score: float
    reasons: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()  # ids of the stories the item belongs to, most important first


@dataclass(slots=True)
class Ranking:
    """The week's items by importance to the desk (see :mod:`briefgen.week.importance`).

    Upcoming dates and risks are keyed by ``(article, start)``, stories and actors by id.
    """

    stories: dict[str, Rank] = field(default_factory=dict)
    actors: dict[str, Rank] = field(default_factory=dict)
    upcoming: dict[tuple[str, int], Rank] = field(default_factory=dict)
    risks: dict[tuple[str, int], Rank] = field(default_factory=dict)
    watch: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the previous brief; brief.json's ``changes`` (see docs/brief-json.md).

    ``previous`` names the brief compared with (``name``, ``from``, ``to``, ``issued``); the
    lists hold brief.json items.
    """

    previous: dict[str, str | None]
    new_actors: list[dict[str, Any]]
    new_risks: list[dict[str, Any]]
    dropped_risks: list[dict[str, Any]]
    dates_added: list[dict[str, Any]]
    dates_passed: list[dict[str, Any]]


@dataclass(slots=True)
class Brief:
    name: str
    period: Period
    analyses: list[Analysis]
    actors: list[Actor]
    dates: list[DateExpr]
    upcoming: list[Upcoming]
    risks: list[Risk]
    sources: list[SourceRecord]
    stories: list[Story] = field(default_factory=list)
    issued: dt.date | None = None
    changes: Changes | None = None
    ranking: Ranking | None = None
