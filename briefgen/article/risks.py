"""Open risks in one article: warnings, threats, hedged or conditional bad outcomes.

Reads the parse (dependencies, lemmas) and the article's mentions; adds
:class:`~briefgen.doc.Risk` spans with cues, score, holder and poser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from briefgen.article import polarity
from briefgen.doc import Mention, Parsed, Risk
from briefgen.nlp import token_strings
from briefgen.words import CONCERN_VERBS, SAME_RISK_IN_ARTICLE
from briefgen.words import SPEECH_VERBS as WORDS_SPEECH

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


CueKind = Literal[
    "warning", "threat", "hedge", "belief", "condition", "question", "outcome", "problem"
]

# Epistemic modals and how strongly they mark a possibility.
MODALS = {"might": 0.8, "may": 0.7, "could": 0.7, "would": 0.45, "should": 0.4}
FUTURE_MODALS = frozenset({"will", "'ll", "wo", "shall"})

# Risk words: lemma -> strength. Kept in whatever their tense, since a warning or a fear
# reported in the past still points at something that has not happened.
WARNINGS = {
    "warn": 1.0, "warning": 1.0, "caution": 0.9, "fear": 0.95, "worry": 0.9, "concern": 0.8,
    "alarm": 0.7, "threat": 1.0, "threaten": 1.0, "risk": 1.0, "danger": 1.0, "jeopardy": 1.0,
    "jeopardize": 1.0, "jeopardise": 1.0, "imperil": 1.0, "vulnerable": 0.7,
    "peril": 0.9, "menace": 0.8, "worrying": 0.8, "alarming": 0.7, "scared": 0.8,
    "afraid": 0.8,
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
        damage punish undermine jeopardize poison overshadow layoff stall close
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
# Who voices a risk: the verbs that attribute speech, and those that voice a concern.
SPEECH_VERBS = WORDS_SPEECH | CONCERN_VERBS
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


def _told_as_past(verb: Token) -> bool:
    """The verb, or the clause it is joined to ("was so well planned and so callously
    planned"), is told in the past."""
    cur = verb
    for _ in range(4):
        if _past(cur):
            return True
        if cur.dep_ not in {"conj", "acomp"} or cur.head is cur:
            return False
        cur = cur.head
    return False


def _settled_would(tok: Token, head: Token) -> bool:
    """'would' of a deal's terms, a relative clause, a past counterfactual, or 'would-be'."""
    if any(c.lower_ == "have" and c.dep_ == "aux" for c in head.children):
        return True  # "would have received": a counterfactual about the past
    if head.dep_ == "relcl":
        return True
    if _purpose(head) and _told_as_past(head.head):
        return True  # "it was so callously planned so that civilians would die": its purpose
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
    if lemma == "clear" and tok.tag_ == "JJR":
        return None  # "could not be clearer": certainty
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
    if lemma == "concern" and tok.tag_ == "VBG" and tok.dep_ in {"prep", "acl", "amod"}:
        return None  # "issues concerning the facts": about
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
    return tok.dep_ in {"nsubj", "attr"} and tok.head.lemma_ == "be" and tok.lemma_ == "concern"


def _taken_risk(tok: Token) -> bool:
    if tok.dep_ == "compound" and tok.head.lemma_ in {"taking", "taker", "management"}:
        return True  # "risk taking", "risk management"
    if tok.pos_ == "NOUN" and tok.head.lemma_ in {"take", "spread", "share", "carry", "manage"}:
        # "take the risk of pushing Cyprus out of the euro zone": a named gamble stays a risk
        return not (
            tok.head.lemma_ == "take"
            and any(
                c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pcomp" for g in c.children)
                for c in tok.children
            )
        )
    return any(c.lemma_ in {"take", "taking"} for c in tok.children)


def _past_fact_clause(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        verb = tok
        if any(c.dep_ in {"xcomp", "dobj"} for c in tok.children):
            return False  # "threatened to walk out", "threatened legal action": still ahead
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
    doc = sent.doc
    words = token_strings(doc)
    for i in range(sent.start, sent.end):
        if i in taken:
            continue
        if (
            words.lower[i] not in _CUE_WORDS
            and words.lemma[i] not in _CUE_WORDS
            and words.tag[i] != "MD"
        ):
            continue
        tok = doc[i]
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
            if tok.lemma_.lower() == "rule" and any(c.dep_ == "nsubjpass" for c in tok.children):
                poser = poser or _subject(tok)  # "a Greek exit could not be ruled out"
            elif cue.kind == "threat" and _under_way(tok) is not None:
                poser = poser or _subject(tok)  # "the extremist group is advancing"
            elif tok.pos_ in {"VERB", "AUX"} and any(c.dep_ == "nsubjpass" for c in tok.children):
                # "2,000 jobs are threatened", "is widely believed to have": the subject is what
                # is threatened or believed of, not who says so; "threatened by X": X poses it
                poser = poser or _agent(tok)
            elif tok.pos_ in {"VERB", "AUX"}:
                if tok.lemma_.lower() in THREAT_LEMMAS or (
                    comp is not None and comp.dep_ == "xcomp"
                ):
                    poser = poser or _subject(tok)
                else:
                    holder = holder or _subject(tok)
            elif tok.head.lemma_.lower() in _WORRY_HEADS | SPEECH_VERBS:
                holder = holder or _subject(tok.head)  # "X expressed concerns that ..."
            if comp is not None and comp.dep_ != "xcomp":
                poser = poser or _subject(comp)
        elif cue.kind == "condition":
            # "in case CUSMA fails": the condition's own subject, never the main clause's
            if not _question_if(tok):
                poser = poser or _condition_subject(tok)
            holder = holder or _speaker_of(_verb_of(tok))
        elif cue.kind == "problem":
            holder = holder or _speaker_of(_verb_of(tok))
        else:
            verb = _verb_of(tok)
            poser = poser or _subject(verb)
            holder = holder or _speaker_of(verb)
        if holder is not None and poser is not None:
            break
    if holder is None:
        for tok in sent:
            passive = any(c.dep_ == "nsubjpass" for c in tok.children)
            if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB" and not passive:
                holder = _subject(tok)
                if holder is not None:
                    break
    return holder, poser


def _agent(verb: Token) -> Token | None:
    """The agent of a passive verb: "threatened by the closures" -> "the closures"."""
    for c in verb.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _condition_subject(tok: Token) -> Token | None:
    """The subject of the clause a condition cue opens ("if X fails", "in case X fails")."""
    if tok.lower_ == "in":  # "in case": the clause hangs from "case"
        case = tok.doc[tok.i + 1]
        verbs = [c for c in case.children if c.pos_ in {"VERB", "AUX"}] or [
            t for t in tok.doc[case.i + 1 : case.sent.end] if t.pos_ in {"VERB", "AUX"}
        ][:1]
        subject = _subject(verbs[0]) if verbs else None
        # the parser may read "case CUSMA" as one noun phrase, the subject of "fails"
        if subject is not None and subject.i == case.i:
            after = tok.doc[case.i + 1]
            return after if after.pos_ in {"PROPN", "NOUN"} else None
        return subject
    verb = tok.head if tok.dep_ == "mark" else None
    return _subject(verb) if verb is not None else None


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
    words = token_strings(sent.doc)
    for i in range(sent.start, sent.end):
        if words.pos[i] == "VERB" and words.lemma[i] in _ATTRIBUTION:
            for child in sent.doc[i].children:
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


def uncertain_sentences(parsed: Parsed, mentions: list[Mention] | None = None) -> list[Risk]:
    """The uncertainty detector: every sentence of ``parsed`` with a hedge, a belief, a
    condition, an open question, a warning or a forward-told bad outcome.

    :func:`extract_risks` builds the risk list on top of it; ``briefgen eval risk`` scores it
    on its own against FactBank's uncertainty labels.
    """
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


# --- the risk list: open risks, on top of the uncertainty detector ------------------------------

# Nouns of the things whose absence is an open problem: "little progress", "no meetings".
_AWAITED = frozenset(
    """
    progress contact meeting talk talks agreement deal breakthrough solution decision response
    answer consensus date plan funding money sign date timetable replacement verdict
    detail information clue explanation arrest
    """.split()
)
# Settled facts and labels: an accusation or a belief about the past states no open risk.
_FACT_CUES = frozenset("accuse allege".split())
# Verbs that act against a threat: "powers needed to counter terror threats" is a remedy.
_COUNTER = polarity.REMEDIES | {"meet"}
_STILL = frozenset("still yet".split())
_PENDING = frozenset("pending unresolved fugitive large stuck stranded outstanding".split())
_RESOLVED = frozenset("resolve resolved allay allayed dispel dispelled ease eased settle".split())
_ASK = frozenset("ask wonder know see question".split())
# Verbs that report what someone said or conceded: a state under them is told in the past
# only by the sequence of tenses.
_REPORTED_BY = SPEECH_VERBS | _REPORTING | {"concede", "admit", "acknowledge", "find", "show"}
# "set to close", "poised to vote against", "due to", "about to", "likely to", "threaten to".
_FORWARD_HEADS = frozenset("set poise due about likely go threaten expect".split())
# Verbs of having or getting what is awaited: "does not have the money", "has not reached a deal".
_GETTING = frozenset("have get receive find reach secure raise obtain win hold".split())
# Verbs of an intent: with a bad outcome as their object, a threat ("want chaos").
_INTENT = frozenset("want seek plan intend aim vow".split())
# "cast doubt on", "drew a question mark over", "raises questions about".
_CASTING = frozenset("cast throw raise draw put hang leave pose".split())
# A dispute still open when told in the present: "Turkey denies this history".
_DISPUTING = frozenset("deny dispute contest challenge".split())
# Legal proceedings still open once opened: "has launched an investigation".
_PROCEEDINGS = frozenset("investigation inquiry probe lawsuit proceedings prosecution".split())
_ONGOING = frozenset("ongoing continuing pending current".split())
_OPENING = frozenset("launch open initiate begin start file bring".split())
# Words that say a state holds now: "is now spinning out of control".
_NOW = frozenset("now currently moment present increasingly".split())


def _past(verb: Token) -> bool:
    """A verb told as over: simple past with no modal or future word around it."""
    aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ == "MD" for a in aux):
        return False
    tags = {verb.tag_, *(a.tag_ for a in aux)}
    return "VBD" in tags and not tags & {"VBZ", "VBP"}


def _backshifted(verb: Token) -> bool:
    """A state told in the past only because it is reported: "admitted his country did not
    have the money", "warned it was dangerous", "said the government was planning to" (the
    state still holds when it is reported)."""
    progressive = verb.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lower_ in {"was", "were"} for c in verb.children
    )
    if verb.lemma_.lower() not in {"be", "have", "remain"} and not progressive:
        return False
    if any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return False  # "had been": over before it was reported
    cur = verb
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    return cur.dep_ == "ccomp" and cur.head.lemma_.lower() in _REPORTED_BY and not _quoted(cur)


_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’", "``", "`", "''"})


def _quoted(clause: Token) -> bool:
    """The clause is the speaker's own words ("saying, "There was abuse here""): its tenses
    are the speaker's, not shifted back by the report."""
    doc = clause.doc
    i = clause.left_edge.i
    return any(doc[j].text in _QUOTES for j in range(max(i - 2, 0), i + 1))


def _present(verb: Token) -> bool:
    """A verb told as holding now: present tense, present perfect or progressive, no modal."""
    aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ == "MD" or a.lower_ in {"to"} for a in aux):
        return False
    tags = {verb.tag_, *(a.tag_ for a in aux)}
    return bool(tags & {"VBZ", "VBP"}) and "VBD" not in tags


# The dependents of a verb that say what it states (not when, why or what else was said, nor
# what a relative clause tells of one of its nouns).
_NOT_STATED = frozenset("advcl relcl acl ccomp parataxis conj cc mark punct dep appos".split())


def _concessive(tok: Token) -> bool:
    """ "Despite the rise in unemployment, ...": what the clause grants, not what it states."""
    return tok.dep_ == "prep" and tok.lower_ in {"despite", "notwithstanding"}


def _stated(verb: Token) -> list[Token]:
    """What the verb's clause says of its subject: the verb, its objects and complements."""

    def said(c: Token) -> bool:
        # "protracted and damaging": one complement; "and will close": another clause
        return (c.dep_ not in _NOT_STATED and not _concessive(c)) or (
            c.dep_ in {"conj", "cc"} and c.pos_ not in {"VERB", "AUX"}
        )

    out = [verb]
    todo = [c for c in verb.children if said(c) and c.dep_ not in _SUBJECTS]
    while todo:
        tok = todo.pop()
        out.append(tok)
        todo.extend(c for c in tok.children if said(c))
    return out


def _wish(verb: Token) -> bool:
    """ "would like to express our condolences": a wish politely put, not a forecast."""
    return verb.lemma_.lower() in {"like", "love"} and any(
        c.lower_ in {"would", "'d"} for c in verb.children if c.dep_ == "aux"
    )


def _told_forward(verb: Token) -> bool:
    """The verb tells something still to come: "will destroy", "would open the floodgates"
    (reported), "is poised to vote against", "set to close"."""
    aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    for a in aux:
        lower = a.lower_.replace("’", "'")
        if lower in FUTURE_MODALS:
            return True
        if lower == "would" and verb.dep_ != "relcl" and not _settled_would(a, verb):
            return not _wish(verb)
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _FORWARD_HEADS


def _forecast_cue(tok: Token) -> Cue | None:
    """A grave bad outcome told as still to come, hedged or not: "will destroy the regiments",
    "said innocent Muslims would be targeted", "poised to vote against the plans"."""
    if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"aux", "auxpass", "amod"}:
        return None
    if not _told_forward(tok) or _in_condition(tok) or _purpose(tok):
        return None
    if polarity.stake(_stated(tok)).negative >= 0.7:
        return Cue(tok.i, tok.i + 1, tok.text, "outcome", 0.5)
    return None


_COPULAS = frozenset("be remain stay".split())


def _nested_label(tok: Token) -> bool:
    """An adjective or noun modifier inside a noun's own of-phrase: "terrorist" in "the leader
    of a terrorist organization"."""
    if tok.dep_ not in {"amod", "compound"} or tok.head.dep_ != "pobj":
        return False
    return tok.head.head.head.pos_ in {"NOUN", "PROPN"}


def _state_cue(tok: Token) -> Cue | None:
    """A grave bad state that holds now: "the ship is now spinning out of control", "it is a
    legitimisation for a backlash", "said it was in a life-threatening situation" (reported).
    An event told in the perfect ("has died") is over, and so is a description of the past."""
    if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ not in {"ROOT", "ccomp", "conj"}:
        return None
    lemma = tok.lemma_.lower()
    wish = _wish(tok)
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" for c in tok.children)
    now = any(
        c.lower_ in _NOW or (c.lower_ == "at" and any(g.lower_ in _NOW for g in c.children))
        for c in tok.children
        if c.dep_ in {"advmod", "npadvmod", "prep"}
    )
    if not wish and (
        perfect
        or (not now and lemma not in _INTENT and lemma not in _COPULAS)
        or not (_present(tok) or _backshifted(tok))
    ):
        return None  # the same None as below, decided before the costlier sentence checks
    if tok.sent.text.rstrip().endswith("?") or _in_condition(tok):
        return None
    if wish:
        # what they would like to do, or to do to something: "would like to strike", "would
        # love to see the deal collapse"; not whom it is done for ("condolences to the victims")
        done = [c for c in tok.children if c.dep_ in {"xcomp", "ccomp", "dobj"}]
        acts = [t for c in done for t in (c, *(g for g in c.children if g.dep_ == "dobj"))]
        if polarity.stake(acts).negative >= 0.7:
            return Cue(tok.i, tok.i + 1, tok.text, "threat", 0.6)
        return None
    if lemma in _INTENT:
        if polarity.stake(_stated(tok)).negative >= 0.7:
            return Cue(tok.i, tok.i + 1, tok.text, "threat", 0.6)  # "want chaos", "plan to seize"
        return None
    if not now and lemma not in _COPULAS:
        return None
    # "is the leader of a terrorist organization": a bad word describing a noun that in turn
    # describes another says who someone is, not a state that holds ("is in a life-threatening
    # situation", "is a legitimisation for a backlash" do)
    said = [t for t in _stated(tok) if not _nested_label(t)]
    if polarity.stake(said).negative >= (0.6 if now else 0.8):
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    return None


def _not_ruled_out(tok: Token) -> Cue | None:
    """ "A Greek exit could no longer be ruled out", "refused to rule out strikes": a possibility
    someone will not exclude, which is said of what they would rather not see."""
    if tok.lemma_.lower() != "rule" or not any(c.lower_ == "out" for c in tok.children):
        return None
    refused = tok.dep_ == "xcomp" and tok.head.lemma_.lower() in {"refuse", "decline"}
    if refused or polarity.negated(tok) or _negated(tok):
        return Cue(tok.i, tok.i + 1, tok.text, "warning", 0.8)
    return None


# People held in a bad state that lasts: "passengers stranded on a cruise ship".
_HELD = frozenset("strand trap maroon".split())


def _stranded(tok: Token) -> Cue | None:
    """People stranded or trapped, told in a clause that is not over: "the holiday has turned
    into hell for 2,500 passengers stranded on a cruise ship"; not "were stranded overnight"."""
    if tok.lemma_.lower() not in _HELD and tok.lower_ not in {"stranded", "trapped"}:
        return None
    if tok.tag_ not in {"VBN", "JJ"} or tok.dep_ not in {"acl", "amod", "acomp", "ROOT", "ccomp"}:
        return None
    cur = tok
    for _ in range(6):  # the clause it is told in: its own verb, or the one its noun is in
        if cur.pos_ in {"VERB", "AUX"} and cur.dep_ not in {"acl", "amod", "acomp", "oprd"}:
            break
        if cur.head is cur:
            break
        cur = cur.head
    if _past(cur) and not _backshifted(cur):
        return None
    if any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in tok.children):
        return None
    return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)


# Who acts as a threat by what they are: "the extremist group is advancing".
_HOSTILE = frozenset("extremist militant terrorist jihadist jihadi insurgent gunman rebel".split())
# A contest fought in the present is not settled: "is fighting in the courts to keep the boy".
_CONTESTS = frozenset("fight battle".split())


def _ongoing_now(verb: Token) -> bool:
    """Told as going on now: the present progressive ("is advancing"), or the simple present
    with "now" or "currently"."""
    if verb.tag_ == "VBG" and any(
        a.dep_ == "aux" and a.tag_ in {"VBZ", "VBP"} for a in verb.children
    ):
        return True
    return _present(verb) and any(c.lower_ in _NOW for c in verb.children if c.dep_ == "advmod")


def _contested(fight: Token) -> bool:
    """A fight over something or someone ("fighting the ruling", "fighting over property",
    "fighting in the courts", "fighting for his life"); not a race ("Manor are fighting")."""
    for c in fight.children:
        if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in {"over", "against", "for"}):
            return True
        if c.dep_ == "prep" and any(g.lemma_.lower() == "court" for g in c.children):
            return True
    return False


def _under_way(tok: Token) -> Cue | None:
    """A hostile actor acting now ("the extremist group ... is also advancing in Iraq") or a
    contest still being fought ("is fighting in the courts to keep the boy in Miami")."""
    if tok.pos_ != "VERB" or not _ongoing_now(tok) or _negated(tok):
        return None  # the rarer condition first: most verbs are not told as going on now
    lemma = tok.lemma_.lower()
    if lemma in _CONTESTS and _contested(tok):
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    if lemma in SPEECH_VERBS or lemma in _COPULAS:
        return None  # "militants say", "rebels are angry": what they say or are, not do
    subject = _subject(tok)
    if subject is not None and any(
        t.lemma_.lower() in _HOSTILE for t in subject.subtree if t.i <= subject.i
    ):
        return Cue(tok.i, tok.i + 1, tok.text, "threat", 0.6)
    return None


# Bad states, as against events: once revealed they hold until remedied.
_STATES = frozenset(
    """
    racism discrimination corruption abuse fraud failing failure flaw weakness vulnerability
    shortage backlog deficit insolvency
    """.split()
)
_REVEALING = frozenset("expose reveal uncover highlight".split())


def _revealed(tok: Token) -> Cue | None:
    """A bad state brought to light, whenever that was: "it exposed racism at the heart of the
    asylum policy", "the audit revealed a backlog of claims"."""
    if tok.lemma_.lower() not in _REVEALING or tok.pos_ != "VERB" or _negated(tok):
        return None
    if tok.dep_ in {"relcl", "acl"}:
        return None  # "the politician who exposed the abuse": who someone is, not what holds
    for c in tok.children:
        if c.dep_ == "dobj" and c.lemma_.lower() in _STATES and not polarity.negated(c):
            return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    return None


_MONEY_WORDS = frozenset(
    "euro dollar pound yen money cash fund funding financing capital bailout loan".split()
)


def _funding_need(tok: Token) -> Cue | None:
    """Money still needed: "it needs almost 30m euros until the end of June if it is to pay
    its bills", "needs to raise £2bn"; not "did not need the loan"."""
    if tok.lemma_.lower() != "need" or tok.pos_ != "VERB" or tok.tag_ not in {"VBZ", "VBP"}:
        return None
    if _negated(tok):
        return None
    wanted = [c for c in tok.children if c.dep_ in {"dobj", "xcomp"}]
    money = any(
        t.tag_ == "$" or t.lemma_.lower() in _MONEY_WORDS or t.lower_ in _MONEY_WORDS
        for c in wanted
        for t in c.subtree
    )
    return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6) if money else None


def _doubt_cue(tok: Token) -> Cue | None:
    """Doubt cast on something, whatever it is: "casting doubt on the recovery", "drew a
    question mark over the futures of the regiments", "raises questions about the deal"."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or lemma not in {"doubt", "question", "mark"}:
        return None
    if lemma == "mark" and not any(c.lemma_ == "question" for c in tok.children):
        return None
    if lemma == "question" and any(c.lower_ == "mark" for c in tok.doc[tok.i + 1 : tok.i + 2]):
        return None  # the cue is at "mark"
    over = any(
        c.dep_ == "prep" and c.lower_ in {"on", "over", "about"}
        for c in (*tok.children, *tok.head.children)
    )  # "cast doubt on X": the parser hangs "on X" from either
    if over and tok.head.lemma_.lower() in _CASTING:
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.7)  # a doubt stays cast
    return None


def _dispute_cue(tok: Token) -> Cue | None:
    """A dispute or a case still open: "Turkey denies this history", "GM disputes the claim",
    "has launched a criminal investigation", "is under investigation"."""
    lemma = tok.lemma_.lower()
    present = tok.pos_ == "VERB" and tok.tag_ in {"VBZ", "VBP"} and not _negated(tok)
    if lemma in _DISPUTING and present and any(c.dep_ == "dobj" for c in tok.children):
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    if lemma in _PROCEEDINGS and tok.pos_ == "NOUN" and not polarity.negated(tok):
        head = tok.head
        opened = (
            tok.dep_ == "dobj"
            and head.lemma_.lower() in _OPENING
            and any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children)
            and not _past(head)
        )
        under = (
            tok.dep_ == "pobj"
            and head.lower_ == "under"
            and head.head.lemma_.lower() in {"be", "remain", "stay", "come", "fall"}
            and not _past(head.head)
        )  # "remains under investigation"; not "officials charged under the inquiry"
        if opened or under:
            return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    return None


def _perfect_infinitive(verb: Token) -> bool:
    """'is thought to have failed to get finance': a past told through a perfect infinitive."""
    cur = verb
    for _ in range(3):
        aux = {c.lower_ for c in cur.children if c.dep_ == "aux"}
        if {"to", "have"} <= aux:
            return True
        if cur.dep_ != "xcomp":
            return False
        cur = cur.head
    return False


def _ongoing(tok: Token) -> bool:
    """Proceedings said to be still running: "an ongoing inquiry", "an investigation
    stretching back months"."""
    return (
        tok.lemma_.lower() in _PROCEEDINGS
        and tok.pos_ == "NOUN"
        and not polarity.negated(tok)
        and any(c.lower_ in _ONGOING or (c.dep_ == "acl" and c.tag_ == "VBG") for c in tok.children)
    )


def _chance_cue(tok: Token) -> Cue | None:
    """'the chance of a person becoming a victim is growing': the odds of a bad outcome (a risk
    cue only; ``chance`` is no hedge to the uncertainty detector)."""
    if tok.lemma_.lower() not in {"chance", "odds"} or tok.pos_ != "NOUN":
        return None
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return Cue(tok.i, tok.i + 1, tok.text, "hedge", 0.6)
    return None


# Every lemma a rule of :func:`_problem_cue` (with :func:`_dispute_cue` and
# :func:`_chance_cue`) starts from; it runs on every token, so the others leave at once.
_PROBLEM_WORDS = (
    _DISPUTING
    | _PROCEEDINGS
    | _AWAITED
    | {"chance", "odds", "stall", "deadlock", "remain", "continue", "face"}
    | {"wary", "misgiving", "scepticism", "skepticism", "loom"}
)


def _problem_cue(tok: Token) -> Cue | None:
    """An unresolved problem still open: "have seen little progress", "there are no scheduled
    meetings", "the case is still pending", "have yet to agree", "talks have stalled"."""
    lemma = tok.lemma_.lower()
    if _ongoing(tok):  # open whatever the tense of the clause it is told in
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    if lemma not in _PROBLEM_WORDS and tok.lower_ not in {"yet", "still"}:
        return None  # no rule below reads this word: skip finding its verb and tense
    verb = _verb_of(tok)
    if (_past(verb) and not _backshifted(verb)) or _perfect_infinitive(verb):
        return None
    cue = _dispute_cue(tok) or _chance_cue(tok)
    if cue is not None:
        return cue
    if (
        lemma in _AWAITED
        and tok.dep_ == "dobj"
        and verb.lemma_.lower() in _GETTING
        and polarity.negated(tok)
    ):
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.7)  # "did not have the money"
    if lemma in _AWAITED and tok.pos_ == "NOUN" and polarity.lacking(tok):
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.7)
    if (
        lemma in _AWAITED
        and tok.pos_ == "NOUN"
        and any(c.lower_ == "no" and c.dep_ == "det" for c in tok.children)
        and verb.lemma_.lower() in {"be", "have", "see", "make", "reach", "hold"}
    ):
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.7)
    if tok.lower_ == "yet" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return Cue(tok.i, tok.i + 2, "yet to", "problem", 0.6)
    if tok.lower_ == "still" and tok.dep_ == "advmod":
        head = tok.head
        span = [head, *(c for c in head.children if c.dep_ in {"acomp", "attr", "dobj", "prep"})]
        granted = {t.i for c in head.children if _concessive(c) for t in c.subtree}
        said = [t for t in head.subtree if t.i not in granted]
        if any(t.lower_ in _PENDING for t in span) or polarity.stake(said).bad:
            return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    if lemma in {"stall", "deadlock"} and tok.pos_ in {"VERB", "ADJ", "NOUN"}:
        return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.7)
    if lemma in {"remain", "continue"} and tok.pos_ in {"VERB", "AUX"}:
        deps = {"acomp", "attr", "oprd"} if lemma == "remain" else {"xcomp", "nsubj"}
        said = [
            t
            for c in tok.children
            if c.dep_ in deps or (c.dep_ == "prep" and c.lower_ in {"in", "under"})
            for t in c.subtree
        ]  # "remains stuck", "remains in deficit"; not "the focus remains on cutting debt"
        if polarity.stake(said).negative >= 0.6:
            return Cue(tok.i, tok.i + 1, tok.text, "problem", 0.6)
    if lemma in {"wary", "misgiving", "scepticism", "skepticism", "loom"}:
        return Cue(tok.i, tok.i + 1, tok.text, "warning", 0.7)
    if (
        lemma == "face"
        and tok.pos_ == "VERB"
        and tok.tag_ in {"VBZ", "VBP", "VB"}
        and not _told_in_past(tok)
    ):
        obj = [c for c in tok.children if c.dep_ == "dobj"]
        if obj and polarity.stake(list(obj[0].subtree)).bad:
            return Cue(tok.i, tok.i + 1, tok.text, "threat", 0.7)
    return None


@dataclass(frozen=True, slots=True)
class Judged:
    """A candidate sentence, its cues and what was decided: ``why`` says it either way."""

    sent: Span
    cues: tuple[Cue, ...]
    stake: polarity.Stake
    keep: bool
    why: str
    uncertain: bool  # the uncertainty detector flags it too


def _question_if(tok: Token) -> bool:
    """'asked if Carney is pursuing ...': an indirect question, not a condition."""
    return (
        tok.lower_ in {"if", "whether"}
        and tok.head.dep_ in {"ccomp", "advcl", "xcomp"}
        and (tok.head.head.lemma_.lower() in _ASK)
    )


def _forward(tok: Token) -> bool:
    """Something in ``tok``'s clause is still to come: a modal, "will", "to" + verb, a
    future word."""
    return any(
        t.tag_ == "MD" or t.lower_ in _FUTURE_WORDS or (t.lower_ == "to" and t.dep_ == "aux")
        for t in _own_clause(tok)
    )


def _own_clause(tok: Token) -> list[Token]:
    """``tok``'s subtree without the past participles that describe its nouns ("grenades used
    to disorient suspects"): they tell what the thing is for, not when the clause is; nor the
    infinitive of a compared rate ("were 400 times more likely to be stopped"): a finding."""
    out: list[Token] = []
    todo = [tok]
    while todo:
        cur = todo.pop()
        out.append(cur)
        todo.extend(
            c
            for c in cur.children
            if not (c.dep_ == "acl" and c.tag_ == "VBN")
            and not (c.dep_ == "xcomp" and _compared_odds(cur))
        )
    return out


def _compared_odds(tok: Token) -> bool:
    return tok.lemma_.lower() == "likely" and any(
        c.lower_ in {"more", "less", "times"} for t in (tok, *tok.children) for c in t.subtree
    )


_THOUGHT = frozenset("think believe expect assume imagine suppose".split())


def _retrospective(tok: Token) -> bool:
    """The speaker tells what they used to think ("we thought that's where it would stop"):
    a view looked back on, which the story has since overtaken."""
    return (
        tok.lemma_.lower() in _THOUGHT
        and tok.tag_ == "VBD"
        and any(c.dep_ == "nsubj" and c.lower_ in {"i", "we"} for c in tok.children)
    )


def _under_retrospective(verb: Token) -> bool:
    cur = verb
    for _ in range(4):
        if cur.head is cur or cur.dep_ not in {"ccomp", "advcl", "xcomp", "conj"}:
            return False
        cur = cur.head
        if _retrospective(cur):
            return True
    return False


def _alternative(tok: Token) -> bool:
    """The risk of the course not taken ("to do anything else would risk disenfranchising
    them"): a reason given for a choice, not a danger ahead."""
    verb = _verb_of(tok)
    return any(
        t.lower_ in {"else", "otherwise"} or t.lemma_.lower() == "alternative"
        for c in verb.children
        if c.dep_ in {"csubj", "nsubj"}
        for t in c.subtree
    )


def _settled(cue: Cue, doc: Doc) -> bool:
    """The cue speaks of something already over: "apparently organized the journey", "may have
    caused the illnesses", "through fear that ...", "at a time of concern", "even if Russia
    hadn't lost contact"."""
    tok = doc[cue.start]
    if cue.kind == "problem" or _finding(tok):
        return False
    if _retrospective(tok) or (tok.tag_ == "MD" and _under_retrospective(tok.head)):
        return True
    if tok.tag_ == "MD":
        return any(c.lower_ == "have" and c.dep_ == "aux" for c in tok.head.children)
    if cue.kind == "condition":
        clause = tok.head if tok.dep_ == "mark" else _verb_of(tok)
        return _past(clause) or any(c.lower_ == "had" for c in clause.children)
    if cue.kind in {"warning", "threat", "belief"} and tok.pos_ in {"VERB", "AUX"}:
        comp = _complement(tok) or next(
            (c for c in tok.children if c.dep_ in {"ccomp", "xcomp"}), None
        )
        if comp is not None:
            if tok.lemma_.lower() in {"seem", "appear"} and _past(tok):
                # "e-mails that appeared to detail a plan": past evidence, unless it told a future
                return not any(t.tag_ == "MD" or t.lower_ in _FUTURE_WORDS for t in comp.subtree)
            return _past(comp) and not _forward(comp)
    verb = _verb_of(tok)
    perfect = any(c.lemma_ == "have" and c.dep_ == "aux" for c in verb.children)
    if cue.kind == "hedge" and tok.pos_ == "ADV" and (perfect or _past(verb)):
        return not _forward(verb)  # "reportedly been killed", "apparently organized"
    return _past(verb) and not _forward(verb) and verb.dep_ != "xcomp"


_JUDGED = frozenset("consider think believe regard see view describe know".split())


def _characterised(tok: Token) -> bool:
    """A settled characterisation of someone or something ("he is considered a mastermind for
    the group", "is thought to be a member of the gang"): a label held of it, not an outcome;
    unless the label is itself a danger ("is considered a threat")."""
    if tok.lemma_.lower() not in _JUDGED or tok.tag_ != "VBN":
        return False
    if not any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children):
        return False
    label = [c for c in tok.children if c.dep_ in {"oprd", "attr"}]
    for c in tok.children:
        if c.dep_ == "xcomp" and c.lemma_ == "be":  # "is thought to be a member"
            label += [g for g in c.children if g.dep_ == "attr"]
    return bool(label) and all(
        t.pos_ in {"NOUN", "PROPN"} and t.lemma_.lower() not in WARNINGS for t in label
    )


def _live(cue: Cue, doc: Doc) -> bool:
    """A cue that makes what is at stake open: not an accusation, an indirect question, a
    deontic "should", a comparison of odds ("more likely than"), or something settled."""
    tok = doc[cue.start]
    lemma = tok.lemma_.lower()
    if cue.kind == "belief" and (lemma in _FACT_CUES or _characterised(tok)):
        return False
    if _question_if(tok):
        return False
    if tok.lower_ == "should" and not any(
        c.dep_ in _SUBJECTS and c.i > tok.i for c in tok.head.children
    ):
        return False  # "should" advises; only "should talks fail" states a condition
    if _compared_odds(tok):
        return False
    if tok.tag_ == "MD" and _wish(tok.head):
        return False
    return not _settled(cue, doc)


def _scope(cue: Cue, sent: Span) -> set[int]:
    """The tokens a bad outcome must be among for ``cue`` to make it a risk."""
    tok = sent.doc[cue.start]
    if cue.kind == "condition" and tok.lower_ == "until" and tok.dep_ == "mark":
        # "would live there until the case is resolved": what lasts until then must be bad;
        # the event that ends it is not the risk
        main = tok.head.head
        return {t.i for t in main.subtree} - {t.i for t in tok.head.subtree}
    if cue.kind in {"condition", "question", "problem"}:
        return set(range(sent.start, sent.end))
    if cue.kind == "belief" and tok.pos_ in {"VERB", "AUX"}:
        scope = {t.i for t in tok.subtree}
    else:
        verb = tok.head if tok.tag_ == "MD" else _verb_of(tok)
        scope = {t.i for t in verb.subtree}
        said = _stated(verb)
        told = polarity.stake(said)
        if tok.pos_ != "NOUN" and told.positive and not told.bad:
            # "pressure may push the firms to reach a compromise": the outcome is good, however
            # bad what drives it
            scope = {t.i for t in said}
    doc = sent.doc
    if any(doc[i].lower_ in _ELLIPTIC and not list(doc[i].children) for i in scope):
        # "it's possible there will be more": more of what the sentence has named
        return set(range(sent.start, sent.end))
    return scope


_ELLIPTIC = frozenset("more another others".split())


def _countered(tok: Token) -> bool:
    """A threat named as what a measure acts against ("powers to counter terror threats")."""
    return (
        tok.pos_ == "NOUN"
        and tok.dep_ in {"dobj", "pobj"}
        and (tok.head.lemma_.lower() in _COUNTER or tok.head.head.lemma_.lower() in _COUNTER)
    )


def _feared_kind_avoided(tok: Token) -> bool:
    """A fear that only describes a thing ("the kind of renationalisation which many fear") in
    a clause that says it will not be done ("keen not to make the review look like ...")."""
    if tok.dep_ != "relcl":
        return False
    cur = tok.head
    for _ in range(8):
        if cur.pos_ in {"VERB", "AUX"} and any(c.dep_ == "neg" for c in cur.children):
            return True
        if cur.head is cur or cur.lemma_.lower() in SPEECH_VERBS:
            return False
        cur = cur.head
    return False


def _in_condition(tok: Token) -> bool:
    """The cue sits inside an "if" clause: a hypothetical, not a warning."""
    cur = tok
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in cur.children):
            return True
        if cur.head is cur:
            return False
        cur = cur.head
    return False


def _finding(tok: Token) -> bool:
    """An alarm that qualifies a finding: "an alarming report found", "worrying figures show";
    what the finding says still holds when it is reported."""
    return tok.dep_ == "amod" and tok.head.lemma_.lower() in _FINDINGS


_FINDINGS = frozenset("report study survey figure data review audit analysis research".split())


def _told_in_past(tok: Token) -> bool:
    """An infinitive whose clause is told as over: "was ruled unfit to face charges"."""
    if tok.tag_ != "VB" or any(c.tag_ == "MD" for c in tok.children):
        return False
    cur = tok
    for _ in range(4):
        if cur.dep_ not in {"xcomp", "acomp", "oprd", "advcl", "acl"} or cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX"} and cur.tag_ != "VB":
            return _past(cur)
    return False


def _conduct(tok: Token) -> bool:
    """'threatening' that describes how a party behaves ("the bullying and threatening firms",
    "extort money by threatening people"), not a threat of something to come; "life-threatening"
    still threatens."""
    if tok.lemma_.lower() not in {"threaten", "threatening"} or tok.tag_ not in {"VBG", "JJ"}:
        return False
    if tok.i > 0 and tok.doc[tok.i - 1].text == "-":
        return False
    return tok.dep_ in {"pcomp", "amod", "conj", "acomp"} and tok.head.lower_ != "life"


def _is_year(tok: Token) -> bool:
    return (
        tok.like_num and len(tok.text) == 4 and tok.text.isdigit() and 1800 < int(tok.text) < 2100
    )


def _dated_past(sent: Span) -> bool:
    """The sentence tells the past and dates it: "It was first coined in a 1944 speech, when
    he said ...", "left the pact in tatters in November 2003 when they put the threat on hold".
    A year that dates only a clause inside it ("who stood down in 1997") does not count."""
    root = sent.root
    if not _past(root):
        return False
    for tok in sent:
        if not _is_year(tok):
            continue
        cur = tok
        while cur.i != root.i and cur.dep_ in _DATING:
            cur = cur.head
        if cur.i == root.i:
            return True
    return False


# The dependencies through which a year dates the verb it hangs from.
_DATING = frozenset("nummod npadvmod pobj prep compound amod appos".split())
_ADVICE = frozenset({"should", "must", "ought"})


def _advice(cue: Cue, doc: Doc) -> bool:
    """A belief about what ought to be done: "believe the minister should allow ..."."""
    tok = doc[cue.start]
    if cue.kind != "belief":
        return False
    return any(t.lower_ in _ADVICE and t.tag_ == "MD" for t in tok.subtree)


_HOPE = frozenset("hope hopes hoped hoping".split())


def _hoped(sent: Span) -> set[int]:
    """What someone hopes for ("he hoped the concerns would be taken into account", "hoping the
    new leadership will bring a fresh approach to a failing organisation"): an outcome wished
    for, whatever bad it sets out to mend; a negated hope ("did not hope") is no wish."""
    out: set[int] = set()
    for tok in sent:
        # the tagger's lemma of "hoped" is sometimes "hop"
        if tok.lower_ in _HOPE and tok.pos_ == "VERB" and not _negated(tok):
            for c in tok.children:
                if c.dep_ in {"ccomp", "xcomp"}:
                    out.update(t.i for t in c.subtree)
    return out


def judge(sent: Span, cues: Sequence[Cue]) -> Judged:
    """Keep the sentence when what it puts at stake is bad for someone and still open."""
    doc = sent.doc
    at_stake = polarity.stake(sent)
    kinds = {c.kind for c in cues}
    uncertain = bool(kinds - {"problem"})

    def out(keep: bool, why: str) -> Judged:
        return Judged(sent, tuple(cues), at_stake, keep, why, uncertain)

    if any(t.lemma_.lower() in _RESOLVED and t.tag_ in {"VBD", "VBN"} for t in sent) and any(
        t.lemma_.lower() in {"concern", "worry", "fear", "dispute", "problem"} for t in sent
    ):
        return out(False, "dropped: resolved concern")
    if _dated_past(sent):
        return out(False, "dropped: dated past narrative")
    warnings = [c for c in cues if c.kind in {"warning", "threat"}]
    strong = [
        c
        for c in warnings
        # "could not be ruled out": the negation is the cue's own
        if not (polarity.negated(doc[c.start]) and doc[c.start].lemma_.lower() != "rule")
        and not _countered(doc[c.start])
        and not _in_condition(doc[c.start])
        and not (
            doc[c.start].dep_ == "amod"
            and doc[c.start].lemma_.lower() != "threatening"
            and not _finding(doc[c.start])
        )
        and not _conduct(doc[c.start])
        and not _feared_kind_avoided(doc[c.start])
        and not _alternative(doc[c.start])
        and _live(c, doc)
    ]
    if "problem" in kinds:
        return out(True, "open problem")
    cue_words = {i for c in warnings for i in range(c.start, c.end)}
    negated_only = bool(warnings) and not strong and not set(at_stake.words) - cue_words
    if negated_only and any(polarity.negated(doc[c.start]) for c in warnings):
        return out(False, "dropped: reassurance (negated threat)")
    if strong:
        if at_stake.reassured and at_stake.positive > at_stake.negative:
            return out(False, "dropped: reassurance")
        if all(doc[c.start].lemma_.lower() == "rule" for c in strong) and (
            at_stake.positive and not at_stake.bad
        ):
            return out(False, "dropped: positive expectation")  # "a recovery can't be ruled out"
        return out(True, strong[0].kind)
    if at_stake.reassured and not at_stake.bad:
        return out(False, "dropped: reassurance")
    live = [
        c
        for c in cues
        if c.kind not in {"warning", "threat"} and _live(c, doc) and not _alternative(doc[c.start])
    ]
    if not live:
        return out(False, "dropped: settled fact, accusation or advice")
    bad = set(at_stake.words) - {i for c in cues for i in range(c.start, c.end)}
    for c in live:
        if c.kind == "belief" and polarity.negated(doc[c.start]):
            bad -= {t.i for t in doc[c.start].subtree}  # "I don't think conditions worsened"
    live = [c for c in live if not _advice(c, doc)]
    hoped = _hoped(sent)
    wished = any(c.start in hoped for c in live)
    bad -= hoped
    live = [c for c in live if c.start not in hoped]
    scoped = [c for c in live if c.kind == "outcome" or bad & _scope(c, sent)]
    if not scoped:
        if wished:
            return out(False, "dropped: hoped-for outcome")
        if any(c.kind == "question" and c.text.lower() != "whether" for c in live):
            return out(True, "open question")
        if at_stake.positive and not at_stake.bad:
            return out(False, "dropped: positive expectation")
        return out(False, "dropped: nothing bad at stake")
    kind = scoped[0].kind
    return out(True, {"hedge": "bad outcome, hedged", "belief": "bad outcome, expected",
                      "condition": "bad outcome, conditional", "question": "open question",
                      "outcome": "bad outcome, forecast"}.get(kind, kind))  # fmt: skip


# The words (lemma or form) the cue functions of :func:`judge_sentences` other than those of
# verbs start from: any other token that is no verb yields no cue, so its parse is not read.
_TOKEN_CUE_WORDS = (
    _PROBLEM_WORDS
    | {"yet", "still", "doubt", "question", "mark", "rule", "need", "stranded", "trapped"}
    | _HELD
    | _REVEALING
)


def judge_sentences(parsed: Parsed) -> list[Judged]:
    """Every sentence with a cue (uncertainty or open problem), judged."""
    out: list[Judged] = []
    doc = parsed.doc
    words = token_strings(doc)
    for sent in doc.sents:
        # doubt cast on something stays cast ("cast doubt on the recovery" in the past tense)
        cues = [_doubt_cue(sent.doc[c.start]) or c for c in sentence_cues(sent)]
        taken = {i for c in cues for i in range(c.start, c.end)}
        for i in range(sent.start, sent.end):
            if i not in taken and (
                words.pos[i] in {"VERB", "AUX"}
                or words.lemma[i] in _TOKEN_CUE_WORDS
                or words.lower[i] in _TOKEN_CUE_WORDS
            ):
                tok = doc[i]
                cue = (
                    _problem_cue(tok)
                    or _doubt_cue(tok)
                    or _forecast_cue(tok)
                    or _state_cue(tok)
                    or _not_ruled_out(tok)
                    or _stranded(tok)
                    or _under_way(tok)
                    or _revealed(tok)
                    or _funding_need(tok)
                )
                if cue is not None:
                    cues.append(cue)
                    taken.update(range(cue.start, cue.end))
        if cues:
            cues.sort(key=lambda c: c.start)
            out.append(judge(sent, cues))
    return out


_OPENNESS = {
    "problem": 1.0, "warning": 1.0, "threat": 1.0, "outcome": 0.9, "hedge": 0.8,
    "condition": 0.7, "question": 0.7, "belief": 0.6,
}  # fmt: skip


def own_score(judged: Judged, holder: str | None, *, lead: bool = False) -> float:
    """Severity of what is at stake, how open and how likely it is, who says so, and where the
    article says it: a risk in its lead (the first quarter of its text: news puts what
    matters first) counts more, one told in a past frame ("was ruled", "said last year") less."""
    cues = judged.cues
    severity = max(
        judged.stake.negative, 0.7 if {"warning", "threat"} & {c.kind for c in cues} else 0.0
    )
    open_likely = max(_OPENNESS.get(c.kind, 0.5) * c.strength for c in cues)
    future = _future_oriented(judged.sent, cues)
    score = 0.5 * severity + 0.35 * open_likely + 0.1 * future + 0.1 * (holder is not None)
    score += 0.15 * lead - 0.1 * _past(judged.sent.root) - 0.1 * _aside(judged)
    return round(score + 0.03 * min(len(cues) - 1, 2), 3)


def _aside(judged: Judged) -> bool:
    """Every cue sits in what describes a noun ("Only Ireland, still struggling to recover,
    has a higher debt ratio"): the sentence mentions the risk in passing, it does not state it."""
    doc = judged.sent.doc

    def described(tok: Token) -> bool:
        cur = tok
        for _ in range(8):
            if cur.dep_ in {"acl", "appos"} and cur.head.pos_ in {"NOUN", "PROPN"}:
                return True
            if cur.head is cur:
                return False
            cur = cur.head
        return False

    return all(described(doc[c.start]) for c in judged.cues)


def _clause(sent: Span, judged: Judged) -> tuple[int, int]:
    """The clause that states the risk: the subtree of the verb the first bad word or cue
    belongs to, or the clause a warning introduces ("warned that X"); at most the sentence."""
    doc = sent.doc
    anchor = judged.stake.words[0] if judged.stake.words else judged.cues[0].start
    first = doc[judged.cues[0].start]
    comp = _complement(first) if first.lemma_.lower() in WARNINGS else None
    verb = comp if comp is not None else _verb_of(doc[anchor])
    tokens = [t for t in verb.subtree if sent.start <= t.i < sent.end]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in {"mark", "cc"}):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return sent.start_char, sent.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


_NOT_HARMING = _REVEALING | {"need"}


def _threatened(sent: Span, judged: Judged) -> Token | None:
    """Who or what would suffer it: "threaten X", "put X at risk", "X are threatened",
    "a threat to X", "damage X"."""
    doc = sent.doc
    for i in (*judged.stake.words, *(c.start for c in judged.cues)):
        tok = doc[i]
        if tok.lemma_.lower() in _NOT_HARMING:
            continue  # what is needed or revealed is not what suffers
        if tok.pos_ in {"VERB", "AUX"}:
            for c in tok.children:
                if c.dep_ in {"dobj", "nsubjpass"}:
                    return c
        if tok.pos_ == "NOUN":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in {"to", "for", "on"}:
                    objs = [o for o in c.children if o.dep_ == "pobj"]
                    if objs:
                        return objs[0]
            if tok.dep_ == "pobj" and tok.head.lower_ == "at":  # "put X at risk"
                objs = [o for o in tok.head.head.children if o.dep_ == "dobj"]
                if objs:
                    return objs[0]
    return None


def extract_risks(parsed: Parsed, mentions: list[Mention] | None = None) -> list[Risk]:
    """The open risks of ``parsed``: the sentences :func:`judge_sentences` keeps, each with the
    clause that states it, who warns, who or what is threatened and who poses it; the same risk
    stated in several sentences once, with the others in ``also``."""
    doc = parsed.doc
    judged = {j.sent.start: j for j in judge_sentences(parsed)}
    people = sorted((m for m in mentions or [] if m.type == "PERSON"), key=lambda m: m.start)
    risks: list[Risk] = []
    last_holder: str | None = None
    for sent in doc.sents:
        j = judged.get(sent.start)
        if j is None or not j.keep:
            last_holder = _speaker(sent, mentions or []) or last_holder
            continue
        text = sent.text.strip()
        holder, poser = _holder_and_poser(sent, j.cues)
        in_sent = [m for m in mentions or [] if sent.start_char <= m.start < sent.end_char]
        holder_name = _name(holder, in_sent)
        if holder is not None and holder_name is None:
            holder_name = _pronoun(holder, people, last_holder)
        holder_name = holder_name or _speaker(sent, in_sent)
        last_holder = holder_name or last_holder
        poser_name = _name(poser, in_sent)
        if poser is not None and poser_name is None:
            poser_name = _pronoun(poser, people, last_holder)
        score = own_score(j, holder_name, lead=sent.start < len(doc) / 4)
        risks.append(
            Risk(
                article=parsed.article.id,
                start=sent.start_char,
                end=sent.start_char + len(text),
                text=text,
                score=score,
                cues=tuple(dict.fromkeys(doc[c.start : c.end].text for c in j.cues)),
                actors=tuple(dict.fromkeys(m.text for m in in_sent)),
                kinds=tuple(dict.fromkeys(c.kind for c in j.cues)),
                holder=holder_name,
                poser=poser_name,
                terms=_terms(sent),
                clause=_clause(sent, j),
                threatened=_name(_threatened(sent, j), in_sent),
                own_score=score,
                why=j.why,
            )
        )
    return merge_repeats(risks)


def merge_repeats(risks: list[Risk]) -> list[Risk]:
    """One risk once within an article: a sentence that restates an earlier, higher-scored
    risk (content lemmas, :data:`~briefgen.words.SAME_RISK_IN_ARTICLE`) joins it in ``also``."""
    kept: list[Risk] = []
    for risk in sorted(risks, key=lambda r: (-r.score, r.start)):
        for n, other in enumerate(kept):
            if SAME_RISK_IN_ARTICLE(set(risk.terms), set(other.terms)):
                kept[n] = replace(
                    other, also=(*other.also, (risk.article, risk.start, risk.end, risk.text))
                )
                break
        else:
            kept.append(risk)
    return sorted(kept, key=lambda r: r.start)
