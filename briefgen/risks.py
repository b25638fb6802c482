"""Open risks: warnings, fears, threats, hedged possibilities, conditionals and open questions.

A sentence states an open risk when the parse shows a cue that puts something out of the
realm of settled fact: an epistemic modal (``might``, ``could``), a belief or expectation verb
with a clause or infinitive under it (``is expected to``), a conditional or interrogative
subordinator (``if``, ``unless``, ``whether``), a hedging adverb or adjective, or a risk word
(``warned``, ``fears``, ``threat``). Words alone are not enough: each cue is checked against its
role in the parse (``May`` the month is no modal, ``appeared in court`` is no hedge, ``as
expected`` and ``the parties concerned`` state facts, ``could not be reached`` is a past
inability). Negative outcomes (``collapse``, ``layoffs``) count only when they point forward
(``will``, ``is set to``); told in the past tense they are facts, not open risks.

All word lists here were written for this project.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from .doc import Actor, Mention, Parsed, Risk, Story

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

CueKind = Literal["warning", "threat", "hedge", "belief", "condition", "question", "outcome"]

# Epistemic modals and how strongly they mark a possibility.
MODALS = {"might": 0.8, "may": 0.7, "could": 0.7, "would": 0.45, "should": 0.4}
FUTURE_MODALS = frozenset({"will", "'ll", "wo", "shall"})

# Risk words: lemma -> strength. Kept in whatever their tense, since a warning or a fear
# reported in the past still points at something that has not happened.
WARNINGS = {
    "warn": 1.0, "warning": 1.0, "caution": 0.9, "fear": 0.95, "worry": 0.9, "concern": 0.8,
    "alarm": 0.7, "threat": 1.0, "threaten": 1.0, "risk": 1.0, "danger": 1.0, "jeopardy": 1.0,
    "jeopardize": 1.0, "jeopardise": 1.0, "imperil": 1.0, "vulnerable": 0.7,
    "peril": 0.9, "menace": 0.8,
}  # fmt: skip
THREAT_LEMMAS = frozenset({"threat", "threaten", "danger", "menace", "jeopardize", "jeopardise"})

# Belief and expectation verbs: they hedge only with a clause or an infinitive under them.
BELIEF_VERBS = {
    "expect": 0.6, "believe": 0.6, "think": 0.6, "anticipate": 0.6, "suspect": 0.7,
    "assume": 0.6, "presume": 0.6, "predict": 0.6, "forecast": 0.5, "speculate": 0.8,
    "suppose": 0.6, "doubt": 0.8, "estimate": 0.4, "consider": 0.4, "feel": 0.4,
    "seem": 0.7, "appear": 0.6, "suggest": 0.6, "project": 0.4, "guess": 0.7,
    "hope": 0.4, "imagine": 0.6, "wonder": 0.7, "allege": 0.6, "accuse": 0.5,
}  # fmt: skip
# Hedging adverbs, adjectives and nouns.
HEDGES = {
    "perhaps": 0.8, "maybe": 0.8, "possibly": 0.8, "probably": 0.7, "apparently": 0.7,
    "seemingly": 0.7, "presumably": 0.7, "reportedly": 0.6, "allegedly": 0.7,
    "supposedly": 0.7, "purportedly": 0.7, "tentatively": 0.5, "likely": 0.7,
    "unlikely": 0.7, "possible": 0.7, "possibility": 0.8,
    "likelihood": 0.8, "probability": 0.6, "probable": 0.7, "potential": 0.6,
    "potentially": 0.7, "uncertain": 0.8, "uncertainty": 0.8, "unclear": 0.8,
    "unknown": 0.5, "unsure": 0.8, "doubtful": 0.8, "doubt": 0.7, "questionable": 0.7,
    "speculation": 0.8, "speculative": 0.7, "rumor": 0.6, "rumour": 0.6, "prospect": 0.5,
    "suggestion": 0.5, "alleged": 0.6, "conceivably": 0.8,
    "hypothetical": 0.7, "skeptical": 0.6, "sceptical": 0.6, "suspicion": 0.7,
    "presumption": 0.6, "inevitable": 0.4,
}  # fmt: skip
CONDITIONS = {"if": 0.6, "unless": 0.7, "whether": 0.6}
OPEN_QUESTION_PHRASES = (
    ("remain", "to", "be", "see"),
    ("yet", "to", "be", "see"),
    ("remain", "unclear"),
    ("remain", "uncertain"),
    ("remain", "unresolved"),
)
# Events that are bad news when they are still to come.
# Forward-told events that count as a risk cue on their own ("will collapse", "set to strike").
OUTCOME_CUES = frozenset(
    """
        fail collapse lose default strike breach shut war attack retaliate escalate hurt harm
        damage punish undermine jeopardize poison overshadow layoff stall
        """.split()
)
NEGATIVE_OUTCOMES = frozenset(
    """
        fail failure collapse lose loss cut impose tariff duty sanction strike breach delay
        withdraw suspend default shortage layoff close closure shut shutdown downturn
        recession war attack retaliate retaliation escalate block veto reject break
        bankruptcy crisis disrupt disruption stall stop hurt harm damage penalty fine
        lawsuit slump fall drop decline plunge shrink deficit outage leak phishing
        stoppage walkout poison overshadow punish cancel undermine weaken
        """.split()
)
SPEECH_VERBS = frozenset(
    """
        say tell warn caution fear worry argue claim insist note add state predict suggest
        express raise voice fret write report reply respond remark explain indicate
        """.split()
)
_FACT_AFTER = frozenset({"than", "as"})  # "than expected", "as anticipated": a fact
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


@dataclass(frozen=True, slots=True)
class Cue:
    start: int  # token indices into the doc, end exclusive
    end: int
    text: str
    kind: CueKind
    strength: float


def _has_clause(tok: Token) -> bool:
    return any(c.dep_ in {"ccomp", "xcomp", "oprd", "acomp", "advcl"} for c in tok.children)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or any(
        c.dep_ == "neg" for c in tok.head.children if tok.dep_ == "aux"
    )


_REPORTING = frozenset(
    """
        say tell announce add state vow pledge promise insist report confirm agree decide
        declare indicate disclose explain reply respond write note stress emphasize emphasise
        """.split()
)
_REFUSALS = frozenset("comment say divulge disclose elaborate identify discuss confirm".split())


def _reported_future(verb: Token) -> bool:
    """The verb is the complement of a reporting verb, directly or through a conjunction."""
    cur = verb
    for _ in range(3):
        if cur.dep_ == "conj":
            cur = cur.head
            continue
        if cur.dep_ == "ccomp":
            return cur.head.lemma_.lower() in _REPORTING
        return False
    return False


_NARRATIVE = frozenset("later often usually eventually never soon sometimes always".split())
_TERMS_WORDS = frozenset("terms term proposal agreement accord plan pact deal offer".split())


def _settled_would(tok: Token, head: Token) -> bool:
    """'would' of a deal's terms, a relative clause, a past counterfactual, or 'would-be'."""
    if any(c.lower_ == "have" and c.dep_ == "aux" for c in head.children):
        return True  # "would have received": a counterfactual about the past
    if head.dep_ == "relcl":
        return True
    if any(c.lower_ in _NARRATIVE for c in head.children if c.dep_ == "advmod"):
        return True  # "she would later sell the lands": a past told forward, or a habit
    sent = tok.sent
    return any(
        t.lower_ == "under" and any(c.lower_ in _TERMS_WORDS for c in t.subtree) for t in sent
    )


def _purpose(verb: Token) -> bool:
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if any(m.lower_ in {"before", "until"} for m in marks):
        return True
    return any(m.lower_ == "that" and m.i > 0 and m.doc[m.i - 1].lower_ == "so" for m in marks)


def _modal_cue(tok: Token) -> Cue | None:
    lower = tok.lower_.replace("’", "'")
    if lower not in MODALS:
        return None
    head = tok.head
    if lower == "could" and _negated(tok) and head.lemma_ != "be":
        return None  # "could not find": a past inability, not a possibility
    if lower == "could" and _purpose(head):
        return None  # "so that he could work": a purpose, "before he could answer": a time
    if lower == "could" and head.lemma_ in {"reach", "see", "hear"}:
        return None  # "could not be reached for comment", "could be seen": perception, fact
    if lower == "would" and _reported_future(head):
        return None  # "said it would raise prices": a reported plan, not a hypothesis
    if lower == "would" and _settled_would(tok, head):
        return None
    if lower == "would" and _negated(head) and head.lemma_ in _REFUSALS:
        return None  # "would not comment": a refusal
    return Cue(tok.i, tok.i + 1, tok.text, "hedge", MODALS[lower])


_EXPECT_OBJECT = frozenset({"expect", "anticipate", "predict", "forecast", "allege"})


_SEEN_AS = frozenset({"see", "view", "regard", "consider", "look", "clear"})  # lemmas below


def _seen_as(tok: Token) -> Cue | None:
    """'was seen as inevitable', 'is viewed as a test', 'it looks like': a judgement."""
    lemma = tok.lemma_.lower()
    if lemma not in _SEEN_AS:
        return None
    deps = {(c.dep_, c.lower_) for c in tok.children}
    passive = any(d == "auxpass" for d, _ in deps) or tok.dep_ == "acl"
    judged = ("prep", "as") in deps or (
        lemma == "consider"
        and any(d in {"oprd", "xcomp", "attr", "acomp", "ccomp"} for d, _ in deps)
    )
    if lemma in {"see", "view", "regard", "consider"} and tok.tag_ == "VBN" and passive and judged:
        # "was seen as inevitable", "is widely considered the best": a judgement held by others
        return Cue(tok.i, tok.i + 1, tok.text, "belief", 0.5)
    if lemma == "look" and ("prep", "like") in deps and ("nsubj", "it") in deps:
        return Cue(tok.i, tok.i + 1, tok.text, "belief", 0.5)
    if lemma == "clear" and tok.pos_ == "ADJ" and any(c.dep_ == "neg" for c in tok.head.children):
        return Cue(tok.i, tok.i + 1, tok.text, "question", 0.7)  # "is not clear"
    return None


def _until_cue(tok: Token) -> Cue | None:
    """'will remain until Iraq complies': the end of a state hangs on a condition."""
    if tok.lower_ != "until" or tok.dep_ != "mark":
        return None
    main = tok.head.head
    if any(c.tag_ == "MD" or c.lower_ in FUTURE_MODALS for c in main.children):
        return Cue(tok.i, tok.i + 1, tok.text, "condition", 0.5)
    return None


def _belief_cue(tok: Token) -> Cue | None:
    lemma = tok.lemma_.lower()
    if lemma not in BELIEF_VERBS or tok.pos_ not in {"VERB", "AUX", "ADJ"}:
        return None
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.lower_ in _FACT_AFTER:
        return None
    if lemma in {"seem", "appear"} and not (_has_clause(tok) or tok.dep_ == "ROOT"):
        return None
    if lemma == "appear" and not any(
        c.dep_ in {"ccomp", "xcomp", "acomp", "oprd", "attr"} for c in tok.children
    ):
        return None  # "appeared in court", "appears on television": showing up
    if prev is not None and prev.text == "-" and tok.i > 1 and tok.doc[tok.i - 2].lower_ == "than":
        return None  # "lower-than-expected"
    if lemma == "consider" and not any(c.dep_ in {"ccomp", "oprd"} for c in tok.children):
        return None  # "is considering buying": a plan under way, not a belief
    if lemma == "feel" and not any(c.dep_ == "ccomp" for c in tok.children):
        return None
    if tok.dep_ == "amod":
        return None  # "suspected weapons sites", "expected losses": a label, not a claim
    if lemma in {"hope", "estimate", "project", "suggest"}:
        if not _has_clause(tok):
            return None
    elif lemma in _EXPECT_OBJECT and any(c.dep_ == "dobj" for c in tok.children):
        pass  # "analysts are expecting write-downs"
    elif lemma not in {"seem", "appear"} and not (
        _has_clause(tok) or tok.tag_ == "VBN" or tok.dep_ == "parataxis"
    ):
        return None
    return Cue(tok.i, tok.i + 1, tok.text, "belief", BELIEF_VERBS[lemma])


def _warning_cue(tok: Token) -> Cue | None:
    lemma = tok.lemma_.lower()
    if lemma == "concerned" or (lemma == "concern" and tok.tag_ == "VBN"):
        lemma = "concern"
        # "as far as X is concerned", "the parties concerned"
        if tok.dep_ == "acl" or any(c.lower_ == "far" for c in tok.head.subtree if c.i < tok.i):
            return None
    if lemma not in WARNINGS:
        return None
    if tok.pos_ not in {"VERB", "NOUN", "ADJ", "AUX"}:
        return None
    if (
        lemma == "concern"
        and tok.pos_ == "VERB"
        and tok.tag_ in {"VBZ", "VBP"}
        and not any(c.dep_ == "ccomp" for c in tok.children)
    ):
        return None  # "the case concerns a contract": it is about, not worried
    if lemma == "concern" and tok.pos_ == "NOUN" and not _worry_noun(tok):
        return None  # "a Toronto packaging concern": a company
    if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "without":
        return None  # "without warning", "without risk"
    if lemma == "caution" and tok.pos_ != "VERB":
        return None  # "approaching next year with caution"
    if lemma == "risk" and _taken_risk(tok):
        return None  # "taking risks", "spread the risk": a business as usual
    if lemma in {"threat", "threaten"} and _past_fact_clause(tok):
        return None  # "investigated threats", "threats had become routine": past facts
    kind: CueKind = "threat" if lemma in THREAT_LEMMAS else "warning"
    strength = WARNINGS[lemma]
    if tok.pos_ == "NOUN" and not _noun_with_content(tok):
        strength *= 0.7  # "a national security threat": a label, weaker than "the risk is that"
    return Cue(tok.i, tok.i + 1, tok.text, kind, strength)


def _noun_with_content(tok: Token) -> bool:
    if tok.dep_ in {"nsubj", "attr"} or (tok.dep_ == "pobj" and tok.head.lower_ == "at"):
        return True
    return any(c.dep_ in {"prep", "ccomp", "acl"} for c in tok.children)


_WORRY_HEADS = frozenset(
    "express raise voice cite share ease allay heighten fuel spark reflect deepen grow add".split()
)


def _worry_noun(tok: Token) -> bool:
    if any(c.dep_ in {"prep", "ccomp", "acl"} for c in tok.children):
        return any(c.lower_ != "of" for c in tok.children if c.dep_ == "prep") or any(
            c.dep_ != "prep" for c in tok.children
        )
    if tok.head.lemma_.lower() in _WORRY_HEADS:
        return True
    return tok.dep_ in {"nsubj", "attr"} and tok.head.lemma_ == "be" and tok.lower_ == "concern"


def _taken_risk(tok: Token) -> bool:
    if tok.dep_ == "compound" and tok.head.lemma_ in {"taking", "taker", "management"}:
        return True  # "risk taking", "risk management"
    if tok.pos_ == "NOUN" and tok.head.lemma_ in {"take", "spread", "share", "carry", "manage"}:
        return True
    return any(c.lemma_ in {"take", "taking"} for c in tok.children)


def _past_fact_clause(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        verb = tok
        if any(c.dep_ == "xcomp" for c in tok.children):
            return False  # "threatened to walk out": still ahead
    else:
        verb = _verb_of(tok)
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and bool(aux & {"had", "has", "have"}))


def _feasible(tok: Token) -> bool:
    """'possible' meaning feasible, not perhaps true."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.lower_ in {"as", "every", "all"}:
        return True
    if any(c.tag_ in {"JJS", "RBS"} or c.lower_ == "every" for c in tok.head.children):
        return True
    return tok.head.lemma_ == "make"


def _hedge_cue(tok: Token) -> Cue | None:
    lemma = tok.lemma_.lower()
    lower = tok.lower_
    word = lower if lower in HEDGES else lemma
    if word not in HEDGES or tok.pos_ not in {"ADV", "ADJ", "NOUN"}:
        return None
    if word == "doubt" and any(c.lower_ in {"no", "without", "little"} for c in tok.subtree):
        return None  # "no doubt": certainty
    if word == "unknown" and tok.dep_ not in {"acomp", "attr", "ROOT"}:
        return None  # "an unknown gunman": not a hedge on the statement
    if word == "potential" and tok.pos_ == "NOUN":
        return None  # "growth potential"
    if word == "possible" and _feasible(tok):
        return None  # "the severest possible", "as soon as possible", "made it possible": feasible
    return Cue(tok.i, tok.i + 1, tok.text, "hedge", HEDGES[word])


def _condition_cue(tok: Token) -> Cue | None:
    lower = tok.lower_
    if lower in CONDITIONS and tok.dep_ in {"mark", "advmod", "complm", "prep", "cc"}:
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if lower == "if" and nxt is not None and nxt.lower_ == "not":
            return None  # "dozens if not hundreds"
        if lower == "if" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in {"as", "even"}:
            return Cue(tok.i, tok.i + 1, tok.text, "condition", 0.3)
        return Cue(tok.i, tok.i + 1, tok.text, "question" if lower == "whether" else "condition",
                   CONDITIONS[lower])  # fmt: skip
    if lower == "case" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "in":
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.pos_ != "ADP":  # "in case CUSMA fails", not "in case of"
            return Cue(tok.i - 1, tok.i + 1, "in case", "condition", 0.6)
    return None


_PHRASE_STARTS = frozenset(phrase[0] for phrase in OPEN_QUESTION_PHRASES)


def _phrase_cue(sent: Span, i: int) -> Cue | None:
    doc = sent.doc
    first = doc[i]
    # Most tokens start no phrase: one look before matching any.
    if first.lower_ not in _PHRASE_STARTS and first.lemma_.lower() not in _PHRASE_STARTS:
        return None
    for phrase in OPEN_QUESTION_PHRASES:
        end = i + len(phrase)
        if end <= sent.end and all(
            doc[j].lemma_.lower() == w or doc[j].lower_ == w
            for j, w in zip(range(i, end), phrase, strict=True)
        ):
            return Cue(i, end, doc[i:end].text, "question", 0.8)
    return None


def _outcome_cue(tok: Token) -> Cue | None:
    """A bad outcome told in the future: 'will cut jobs', 'is set to fail', 'going to close'."""
    if tok.pos_ != "VERB":
        return None
    laid_off = tok.lemma_.lower() == "lay" and any(c.lower_ == "off" for c in tok.children)
    if tok.lemma_.lower() not in OUTCOME_CUES and not laid_off:
        return None
    aux = [c for c in tok.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_.replace("’", "'") in FUTURE_MODALS for a in aux) and not _negated(tok):
        return Cue(tok.i, tok.i + 1, tok.text, "outcome", 0.5)
    head = tok.head
    if tok.dep_ == "xcomp" and head.lemma_ in {"set", "go", "poise", "due", "likely"}:
        return Cue(tok.i, tok.i + 1, tok.text, "outcome", 0.5)
    return None


# Every cue but a modal's starts at one of these words or lemmas (each cue function below asks
# for one first), so the other words of a sentence need no look at their parse.
_CUE_WORDS = frozenset(
    {*WARNINGS, "concerned", *BELIEF_VERBS, *HEDGES, *CONDITIONS, "case", "until", *_SEEN_AS}
    | {*OUTCOME_CUES, "lay", *_PHRASE_STARTS}
)


def sentence_cues(sent: Span) -> list[Cue]:
    """Every risk or uncertainty cue in ``sent``, in order, checked against the parse."""
    cues: list[Cue] = []
    taken: set[int] = set()
    for tok in sent:
        if tok.i in taken:
            continue
        if (
            tok.lower_ not in _CUE_WORDS
            and tok.lemma_.lower() not in _CUE_WORDS
            and tok.tag_ != "MD"
        ):
            continue
        cue = _phrase_cue(sent, tok.i)
        if cue is None:
            if tok.tag_ == "MD":
                cue = _modal_cue(tok)
            else:
                cue = (
                    _warning_cue(tok)
                    or _belief_cue(tok)
                    or _hedge_cue(tok)
                    or _condition_cue(tok)
                    or _until_cue(tok)
                    or _seen_as(tok)
                    or _outcome_cue(tok)
                )
        if cue is not None:
            cues.append(cue)
            taken.update(range(cue.start, cue.end))
    return cues


# --- per article -------------------------------------------------------------------------------

_FUTURE_WORDS = frozenset(
    "tomorrow next coming upcoming soon later future deadline ahead week month year".split()
)


def _future_oriented(sent: Span, cues: Sequence[Cue]) -> bool:
    if any(c.kind in {"hedge", "condition", "outcome", "warning", "threat"} for c in cues):
        return True
    for tok in sent:
        if tok.tag_ == "MD" or tok.lower_ in _FUTURE_WORDS:
            return True
        if tok.lower_ in {"to"} and tok.head.lemma_ in {"expect", "set", "plan", "threaten"}:
            return True
    return False


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in _SUBJECTS and c.dep_ != "expl" and not _is_dateline(c):
            return c
    if verb.dep_ in {"xcomp", "conj", "ccomp"} and verb.head is not verb:
        return _subject(verb.head) if verb.dep_ != "ccomp" else None
    return None


def _is_dateline(tok: Token) -> bool:
    """A wire dateline ("KELBROOK — Bus operators could ..."), which the parser may take for
    a second subject: capitals from the start of the sentence, then a dash."""
    sent_start = tok.sent.start
    after = tok.i + 1
    return (
        after < len(tok.doc)
        and tok.doc[after].text in {"—", "–", "--"}
        and all(t.text.isupper() or t.is_punct for t in tok.doc[sent_start : tok.i + 1])
    )


def _verb_of(tok: Token) -> Token:
    """The verb a cue belongs to: itself, or the head it modifies."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in {"VERB", "AUX"} and cur.dep_ not in {"aux", "auxpass"}:
            return cur
        if cur.head is cur:
            return cur
        cur = cur.head
    return cur


def _speaker_of(verb: Token) -> Token | None:
    """The subject of the speech or belief verb that the clause of ``verb`` is reported under."""
    cur = verb
    for _ in range(6):
        for child in cur.children:
            if child.dep_ == "parataxis" and child.lemma_.lower() in SPEECH_VERBS:
                return _subject(child)
        if cur.dep_ not in {"ccomp", "xcomp", "advcl", "conj", "parataxis"} or cur.head is cur:
            return None
        cur = cur.head
        if cur.lemma_.lower() in SPEECH_VERBS or cur.lemma_.lower() in BELIEF_VERBS:
            return _subject(cur)
    return None


def _complement(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ in {"ccomp", "xcomp", "acl"} and child.pos_ in {"VERB", "AUX"}:
            return child
    return None


def _holder_and_poser(sent: Span, cues: Sequence[Cue]) -> tuple[Token | None, Token | None]:
    """Who voices the risk (the subject of 'warned', 'said', 'fears') and who would cause it."""
    doc = sent.doc
    holder: Token | None = None
    poser: Token | None = None
    for cue in cues:
        tok = doc[cue.start]
        if cue.kind in {"warning", "threat", "belief"}:
            comp = _complement(tok)
            if tok.pos_ in {"VERB", "AUX"}:
                if tok.lemma_.lower() == "threaten" or (comp is not None and comp.dep_ == "xcomp"):
                    poser = poser or _subject(tok)
                else:
                    holder = holder or _subject(tok)
            elif tok.head.lemma_.lower() in _WORRY_HEADS | SPEECH_VERBS:
                holder = holder or _subject(tok.head)  # "X expressed concerns that ..."
            if comp is not None and comp.dep_ != "xcomp":
                poser = poser or _subject(comp)
        else:
            verb = _verb_of(tok)
            poser = poser or _subject(verb)
            holder = holder or _speaker_of(verb)
        if holder is not None and poser is not None:
            break
    if holder is None:
        for tok in sent:
            if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB":
                holder = _subject(tok)
                if holder is not None:
                    break
    return holder, poser


def _name(tok: Token | None, mentions: Sequence[Mention]) -> str | None:
    """The actor named by the phrase headed by ``tok``: an entity mention, or the noun phrase."""
    if tok is None or tok.pos_ == "PRON":
        return None
    for m in mentions:
        if m.start <= tok.idx < m.end:
            return m.text
    if tok.dep_ == "csubj":  # a clause: "Cutting too early could undo the progress"
        clause = list(tok.subtree)
        if len(clause) <= 8:
            return tok.doc[clause[0].i : clause[-1].i + 1].text
    words = [
        t
        for t in tok.subtree
        if t.i <= tok.i
        and (t is tok or t.dep_ in {"det", "compound", "amod", "nmod", "poss", "case"})
    ]
    text = tok.doc[words[0].i : tok.i + 1].text  # not Doc.text: it rebuilds the whole text
    return re.sub(r"^(The|An?)\s", lambda m: m.group(1).lower() + " ", text).strip() or None


def _score(cues: Sequence[Cue], sent: Span) -> float:
    strength = max(c.strength for c in cues)
    kinds = {c.kind for c in cues}
    negative = bool(kinds & {"warning", "threat", "outcome"}) or any(
        t.lemma_.lower() in NEGATIVE_OUTCOMES and t.pos_ in {"VERB", "NOUN"} for t in sent
    )
    future = _future_oriented(sent, cues)
    score = 0.5 * strength + 0.25 * negative + 0.15 * future + 0.05 * min(len(cues) - 1, 2)
    return round(score, 3)


_ATTRIBUTION = SPEECH_VERBS | BELIEF_VERBS.keys() | {
    "mention", "emphasize", "emphasise", "stress", "announce", "acknowledge", "confirm", "admit",
}  # fmt: skip


def _speaker(sent: Span, mentions: Sequence[Mention]) -> str | None:
    """The last named subject of a speech or belief verb in ``sent`` ('the source mentioned')."""
    speaker = None
    for tok in sent:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in _ATTRIBUTION:
            for child in tok.children:
                if child.dep_ == "nsubj" and child.pos_ != "PRON":
                    speaker = _name(child, mentions) or speaker
    return speaker


def _pronoun(tok: Token, people: Sequence[Mention], last_holder: str | None) -> str | None:
    """'she warned': the last person named before; 'they cautioned': the last risk's holder."""
    lower = tok.lower_
    if lower in {"he", "she"}:
        before = [m for m in people if m.end <= tok.idx]
        subjects = [m for m in before if m.subject]  # the person acting, not the one addressed
        return (subjects or before)[-1].text if before else None
    if lower == "they":
        return last_holder
    return None


def extract_risks(parsed: Parsed, mentions: list[Mention] | None = None) -> list[Risk]:
    """Every sentence of ``parsed`` that states an open risk or an uncertainty."""
    risks: list[Risk] = []
    doc = parsed.doc
    people = sorted((m for m in mentions or [] if m.type == "PERSON"), key=lambda m: m.start)
    last_holder: str | None = None
    for sent in doc.sents:
        cues = sentence_cues(sent)
        # Past negative facts never get here: outcome words are cues only when told forward.
        if not cues:
            # 'They said ...' later on refers to whoever spoke last, risk or not.
            last_holder = _speaker(sent, mentions or []) or last_holder
            continue
        text = sent.text.strip()
        holder, poser = _holder_and_poser(sent, cues)
        in_sent = [m for m in mentions or [] if sent.start_char <= m.start < sent.end_char]
        holder_name = _name(holder, in_sent)
        if holder is not None and holder_name is None:
            holder_name = _pronoun(holder, people, last_holder)
        last_holder = holder_name or last_holder
        risks.append(
            Risk(
                article=parsed.article.id,
                start=sent.start_char,
                end=sent.start_char + len(text),
                text=text,
                score=_score(cues, sent),
                cues=tuple(dict.fromkeys(doc[c.start : c.end].text for c in cues)),
                actors=tuple(dict.fromkeys(m.text for m in in_sent)),
                kinds=tuple(dict.fromkeys(c.kind for c in cues)),
                holder=holder_name,
                poser=_name(poser, in_sent),
                terms=_terms(sent),
            )
        )
    return risks


_STOP_TERMS = frozenset("say tell be have do make get take go will would could may might".split())


_CUE_LEMMAS = frozenset({*WARNINGS, *BELIEF_VERBS, *HEDGES, "concerned"})


def _terms(sent: Span) -> tuple[str, ...]:
    """Content lemmas of the sentence, used to recognise the same risk in other articles."""
    return tuple(
        sorted(
            {
                t.lemma_.lower()
                for t in sent
                if t.pos_ in {"NOUN", "VERB", "ADJ"}
                and not t.is_stop
                and t.lemma_.lower() not in _STOP_TERMS
                and t.lemma_.lower() not in _CUE_LEMMAS
                and len(t.text) > 2
            }
        )
    )


# --- across articles ----------------------------------------------------------------------------


def _similar(a: Risk, b: Risk) -> bool:
    """The same risk in two articles: content words shared (proper names and cue words aside),
    with fewer needed when the two also name the same actor."""
    ta, tb = set(a.terms), set(b.terms)
    if not ta or not tb:
        return False
    shared = len(ta & tb)
    overlap = shared / min(len(ta), len(tb))
    shared_actor = bool(set(a.actors) & set(b.actors)) or (
        a.poser is not None and a.poser == b.poser
    )
    return (shared >= 3 and overlap >= 0.4) or (shared_actor and shared >= 3 and overlap >= 0.25)


def _cluster(ordered: list[Risk]) -> list[list[Risk]]:
    """Each risk joins the first earlier cluster whose first risk is :func:`_similar` and that
    has no risk from its article yet; else it starts a cluster.

    :func:`_similar` needs three shared terms, so only clusters whose first risk shares three
    terms can match. Those are found through an index of term *pairs* (prefix filtering): with
    every risk's terms ordered rarest first across the week, two risks that share three terms
    share the pair of their two rarest shared terms, and that pair lies among the first ``m - 1``
    terms of each (first of the two among the first ``m - 2``). Such pairs are rare, so a look-up
    costs a few candidates where a single-term index returned every cluster that shares a
    common word: that grew with the square of the week (196 million postings read at 20,000
    articles). Candidates are tried in cluster order, as before, so the clusters are the same.
    """
    df = Counter(t for r in ordered for t in set(r.terms))
    rank = {t: k for k, t in enumerate(sorted(df, key=lambda t: (df[t], t)))}
    width = len(rank)
    clusters: list[list[Risk]] = []
    articles: list[set[str]] = []
    # A pair's clusters: one cluster id (most pairs), or a list of them.
    by_pair: dict[int, int | list[int]] = {}
    for risk in ordered:
        ids = sorted({rank[t] for t in risk.terms})
        m = len(ids)
        pairs = [ids[i] * width + ids[j] for i in range(m - 2) for j in range(i + 1, m - 1)]
        found: set[int] = set()
        for pair in pairs:
            posting = by_pair.get(pair)
            if posting is None:
                continue
            if isinstance(posting, int):
                found.add(posting)
            else:
                found.update(posting)
        candidates = sorted(found)
        for i in candidates:
            if risk.article not in articles[i] and _similar(clusters[i][0], risk):
                clusters[i].append(risk)
                articles[i].add(risk.article)
                break
        else:
            clusters.append([risk])
            articles.append({risk.article})
            index = len(clusters) - 1
            for pair in pairs:
                posting = by_pair.setdefault(pair, index)
                if isinstance(posting, list):
                    posting.append(index)
                elif posting != index:
                    by_pair[pair] = [posting, index]
    return clusters


def rank_risks(
    found: Iterable[Risk],
    *,
    actors: Sequence[Actor] = (),
    stories: Sequence[Story] = (),
) -> list[Risk]:
    """Merge the same risk reported by several articles, score, group and rank them.

    The score adds to each risk's own (cue strength, future orientation) the salience of the
    actors it names and how many articles report it. Each merged risk keeps its best-scoring
    sentence and lists the others in ``also``. Risks are grouped by story when stories are
    known, otherwise by their article's lead actor; the list is ordered best first. A holder or
    poser that is a mention of an actor is named as the actor is ("the source" -> "A senior
    Canadian government official", "Carney" -> "Mark Carney").
    """
    ordered = sorted(found, key=lambda r: (-r.score, r.article, r.start))
    clusters = _cluster(ordered)
    # Only the holders and posers of the kept risks are looked up: a table of every mention of
    # the week would hold millions of entries at 100,000 articles.
    wanted = {(c[0].article, who or "") for c in clusters for who in (c[0].holder, c[0].poser)}
    salience: dict[str, float] = {}
    named: dict[tuple[str, str], str] = {}
    for actor in actors:
        for name in {actor.name, *actor.aliases, *(m.text for m in actor.mentions)}:
            salience[name] = max(salience.get(name, 0.0), actor.salience)
        for m in actor.mentions:
            if (m.article, m.text) in wanted:
                named[(m.article, m.text)] = actor.name
    story_of = {a: s for s in stories for a in s.articles}
    lead_of = _lead_actors(actors)
    merged: list[Risk] = []
    for cluster in clusters:
        best = cluster[0]
        sal = max((salience.get(n, 0.0) for r in cluster for n in r.actors), default=0.0)
        sources = len({r.article for r in cluster})
        score = best.score + 0.2 * sal + 0.15 * min(sources - 1, 3)
        merged.append(
            replace(
                best,
                score=round(score, 3),
                also=tuple((r.article, r.start, r.end, r.text) for r in cluster[1:]),
                group=_group(cluster, story_of, lead_of),
                holder=named.get((best.article, best.holder or ""), best.holder),
                poser=named.get((best.article, best.poser or ""), best.poser),
            )
        )
    merged.sort(key=lambda r: (-r.score, r.article, r.start))
    return merged


def _group(cluster: list[Risk], story_of: dict[str, Story], lead_of: dict[str, str]) -> str:
    for r in cluster:
        story = story_of.get(r.article)
        if story is not None:
            return story.title
    return lead_of.get(cluster[0].article, "Other")


def _lead_actors(actors: Sequence[Actor]) -> dict[str, str]:
    """Each article's lead actor: the one it mentions most, weighted by salience across the week.

    Articles that share a lead actor usually follow the same story, so the risks of articles
    with no story are grouped under it.
    """
    best: dict[str, tuple[float, str]] = {}
    for actor in actors:
        if actor.type in {"NORP", "OTHER"}:
            continue  # "Canadian" describes, it does not lead a story
        counts = Counter(m.article for m in actor.mentions)
        for article, n in counts.items():
            weight = n * (1.0 + actor.salience) * (1.0 + 0.2 * (len(actor.articles) - 1))
            if weight > best.get(article, (0.0, ""))[0]:
                best[article] = (weight, actor.name)
    return {article: name for article, (_, name) in best.items()}
