"""Polarity from the parse: is what a sentence puts at stake bad for someone?

Reads a parsed sentence (lemmas, dependencies); says which words carry a bad outcome, which a
good one, and flips either under negation in its scope: "no danger to the crew" and "will not
put the crew at risk" reassure, "failed to reach a deal" and "little progress" are problems,
"might not survive" is a risk. The lexicon is our own, written for news from general English
usage; it weighs each word by how grave the outcome is (1.0: lives, war, ruin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def _weighted(table: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in table.strip().splitlines():
        weight, words = line.split(":", 1)
        out.update(dict.fromkeys(words.split(), float(weight)))
    return out


# Bad outcomes, by lemma, weighed by severity.
NEGATIVE = _weighted(
    """
    1.0: kill death die dead war attack bomb bombing terror terrorism terrorist massacre
    1.0: collapse catastrophe catastrophic disaster devastate devastating genocide famine
    1.0: bankruptcy bankrupt insolvency insolvent default cripple ruin destroy destruction
    0.9: threat threaten danger dangerous risk jeopardy jeopardize jeopardise imperil peril
    0.9: crisis recession depression violence violent conflict invade invasion execution
    0.9: injure injury wound casualty victim outbreak epidemic pandemic disease illness
    0.9: hunger starve starvation poverty homeless evict eviction shortage famine
    0.8: fail failure loss lose layoff redundancy unemployment jobless closure shutdown
    0.8: sanction tariff retaliate retaliation escalate escalation punish punishment penalty
    0.8: fine lawsuit sue prosecute prosecution convict conviction prison jail imprison
    0.8: internment martyr backlash racism racist discriminate discrimination abuse fraud
    0.8: corruption scandal hack breach leak strike walkout stoppage shut deteriorate worsen
    0.8: damage harm hurt undermine weaken erode exploit vulnerable vulnerability expel
    0.8: expulsion renege fugitive trap strand stranded stuck deficit debt downturn slump
    0.7: fear worry concern warn warning alarm alarming worrying worried scary misgiving
    0.7: problem trouble difficult difficulty struggle stall deadlock impasse standstill
    0.7: delay suspend suspension veto reject oppose opposition protest dispute
    0.7: clash tension hostile hostility disrupt disruption chaos turmoil unrest instability
    0.7: unstable volatile volatility shock panic decline plunge slide slump shrink fall
    0.7: drop cut lower tricky hurdle obstacle setback barrier blow inflation illegal
    0.7: charge accuse allege arrest investigate investigation trial guilty unlawful
    0.6: scepticism skepticism doubt uncertainty uncertain unclear pressure tough severe
    0.6: worse worst bad poor weak costly expensive burden infringe miscarriage onslaught
    0.6: pending unresolved unrecoverable outstanding dissatisfied angry anger furious
    0.6: condemn criticise criticize criticism complain complaint grievance unsafe toxic
    0.6: sick ill critical stop halt cancel withdraw withdrawal divide isolate isolation
    0.7: battle broke disciplinary rile scared afraid frightened extremist jihadi jihadist
    0.7: militant shooting gunman postpone insecure shortfall overrun miss
    0.7: troubled breakup floodgate renationalise renationalize expropriate confiscate
    0.6: fate unscrupulous
    0.8: damaging harmful disastrous ruinous crippling
    """
)
# Bad outcomes only as verbs: "could cost motorists millions", "would be targeted", "vowed to
# block the sale"; the nouns ("the cost of", "a sales target", "in a block") are neutral.
NEGATIVE_VERBS = {"cost": 0.6, "target": 0.7, "block": 0.7}
# Bad outcomes only as nouns or verbs: "a £85 fine", "was fined"; not "it was fine".
_NOT_AS_ADJECTIVE = frozenset("fine".split())
# Verbs after which "against" opposes: "poised to vote against the plans".
_OPPOSING = frozenset("vote campaign rebel turn side rule speak lobby march".split())
# Good outcomes: a negation or a lack turns them into a problem ("little progress").
POSITIVE = _weighted(
    """
    0.8: agreement deal accord treaty partnership pact progress breakthrough solution
    0.8: survive recover recovery resolve resolution settle settlement peace ceasefire
    0.7: agree reach succeed success win gain growth grow improve improvement benefit
    0.7: beneficial strengthen enhance boost protect protection safe safety secure security
    0.7: stable stability support cooperate cooperation contact meeting talk talks meet
    0.6: help welcome encourage encouraging reassure reassuring positive hope hopeful
    0.6: opportunity confidence confident optimism optimistic good better best healthy
    0.6: effective fund funding pay repay afford profit profitable
    """
)
# Words that say the outcome is good news: a sentence led by them reassures.
REASSURING = frozenset(
    """
    reassure reassuring reassurance encouraging encourage positive optimistic optimism hopeful
    welcome welcoming comfort relieve relief promising upbeat confident
    """.split()
)
# Verbs that act against what they take as object: a bad thing there is being dealt with.
REMEDIES = frozenset(
    """
    counter combat tackle fight prevent address curb reduce lower minimise minimize limit
    avert avoid eliminate halve ease alleviate mitigate cure treat correct offset
    escape evade dodge survive withstand
    """.split()
)
# Nouns that act against the bad thing that names them: "debt relief", "crime prevention".
REMEDY_NOUNS = frozenset("relief reduction prevention protection insurance control".split())
# Verbs of decrease: bad when what falls is good ("sales fell"), good when it is bad ("the
# deficit fell") and no outcome at all with an object ("dropping its claim", "lower prices").
DECREASES = frozenset("fall drop decline plunge slide shrink ease lower dip sink".split())
# Increases: bad when what grows is bad ("unemployment figures rose", "debt is set to climb").
INCREASES = frozenset("rise increase climb soar grow jump surge mount swell double".split())
# Nouns that measure: a bad word naming what they measure ("jobless figures", "the inflation
# rate") is a label, neither good nor bad; the outcome is how the measure moves.
MEASURES = frozenset("figure rate level number count total index statistic data".split())
# Words that negate what they govern or modify: "no", "not", "never", "without".
_NEGATORS = frozenset("not n't no never neither nor without none nothing nobody".split())
# Quantities that say a good thing is lacking: "little progress", "minimal contact".
_LACK = frozenset("little minimal few limited scant scarce insufficient lack absence zero".split())
# Verbs whose complement did or will not happen, or is undone: "failed to reach", "unable to
# agree", "could undo the progress".
_INVERTING = frozenset(
    "fail refuse decline unable lack miss struggle cease stop undo reverse derail wreck erase "
    "scupper torpedo".split()
)
# The dependencies a negation reaches down through, from a verb to what it says.
_SCOPE = frozenset(
    """
    dobj attr acomp pobj prep xcomp oprd amod compound npadvmod advmod
    """.split()
)


@dataclass(frozen=True, slots=True)
class Stake:
    """What a sentence (or clause) puts at stake.

    ``negative``: the graver bad outcome found (0 when none), after negation;
    ``positive``: the stronger good outcome; ``reassured``: a bad outcome that is negated
    ("no danger") or a reassuring word; ``words``: the tokens that carry ``negative``.
    """

    negative: float
    positive: float
    reassured: bool
    words: tuple[int, ...] = ()

    @property
    def bad(self) -> bool:
        return self.negative > 0.0


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def negated(tok: Token) -> bool:
    """A negation in ``tok``'s scope: on itself ("not survive"), its determiner ("no danger"),
    or a head it hangs from as object or complement ("does not present any danger",
    "will not put the crew at risk"), up to the clause's verb."""
    cur = tok
    for _ in range(6):
        if any(c.lower_ in _NEGATORS and c.dep_ in {"neg", "det", "advmod"} for c in cur.children):
            return True
        if any(
            c.dep_ == "advmod" and any(g.lower_ in _NEGATORS for g in c.children)
            for c in cur.children
        ):
            return True  # "never again will become": the parser may hang "never" from "again"
        if (cur.i > 0 and cur.doc[cur.i - 1].lower_ in {"non", "non-"}) or any(
            c.lower_ == "non" for c in cur.children
        ):
            return True  # "non-life threatening injuries"
        if cur.dep_ == "pobj" and cur.head.lower_ == "without":
            return True
        if cur.dep_ not in _SCOPE or cur.head is cur:
            return False
        if cur.pos_ in {"VERB", "AUX"} and cur.dep_ not in {"xcomp", "acomp"}:
            return False  # the negation of a higher verb does not reach into this clause
        cur = cur.head
    return False


def _bad_subject(tok: Token) -> bool:
    """A bad thing, or a measure of one ("jobless figures")."""
    if NEGATIVE.get(_lemma(tok), 0.0) >= 0.6:
        return True
    return _lemma(tok) in MEASURES and any(
        c.dep_ in {"amod", "compound"} and NEGATIVE.get(_lemma(c), 0.0) >= 0.6 for c in tok.children
    )


def _label(tok: Token) -> bool:
    """A word that names what a measure measures ("jobless" in "jobless figures"), or what a
    remedy acts against ("debt relief", "crime prevention", "flood protection")."""
    if tok.dep_ not in {"amod", "compound"}:
        return False
    return _lemma(tok.head) in MEASURES or (
        tok.dep_ == "compound" and _lemma(tok.head) in REMEDY_NOUNS
    )


def _of_bad(verb: Token) -> bool:
    """A change whose subject is a bad thing: "the deficit to fall", "unemployment dropped",
    "jobless figures rose"."""
    # "is expected to fall", "expects the deficit to fall to fall to 2.9%" (a repeated verb
    # parsed as a clause of the first), "while France's is forecast to drop" (France's deficit)
    cur = verb
    for _ in range(4):
        subjects = [c for c in cur.children if c.dep_ in {"nsubj", "nsubjpass"}]
        elliptic = all(any(g.dep_ == "case" for g in c.children) for c in subjects)
        if subjects and not elliptic:
            return any(_bad_subject(c) for c in subjects)
        if cur.dep_ not in {"xcomp", "advcl", "conj"} or cur.head is cur:
            return False
        cur = cur.head
    return False


def remedied(tok: Token) -> bool:
    """A bad thing named as what an action works against: "reducing costs and debt",
    "combats food poverty", "powers to counter terror threats", "reduce the possibility of";
    or said to shrink: "the deficit is expected to fall"."""
    if tok.dep_ in {"nsubj", "nsubjpass"} and (
        _lemma(tok.head) in DECREASES
        or any(c.dep_ == "xcomp" and _lemma(c) in DECREASES for c in tok.head.children)
    ):
        return True
    cur = tok
    for _ in range(4):
        if cur.dep_ in {"conj", "compound", "amod", "pobj", "prep"} and cur.head.i != cur.i:
            if cur.dep_ == "prep" and cur.lower_ != "of":
                return False
            cur = cur.head
            continue
        return cur.dep_ in {"dobj", "pobj", "nsubjpass"} and _lemma(cur.head) in REMEDIES
    return False


def lacking(tok: Token) -> bool:
    """A good thing said to be missing or not done: "little progress", "failed to agree",
    "there are no scheduled meetings"."""
    if any(
        _lemma(c) in _LACK and c.dep_ in {"amod", "det", "advmod", "nummod"} for c in tok.children
    ):
        return True
    before = tok.doc[tok.i - 1] if tok.i > 0 else None
    if before is not None and _lemma(before) in _LACK and before.pos_ in {"ADJ", "DET"}:
        return True  # "- little detail has been given": the parser may hang "little" elsewhere
    cur = tok
    for _ in range(3):
        if cur.dep_ in {"xcomp", "dobj", "pobj", "prep"} and _lemma(cur.head) in _INVERTING:
            return True
        if (
            cur.dep_ == "pobj"
            and cur.head.lower_ == "of"
            and _lemma(cur.head.head) in {"lack", "absence"}
        ):
            return True
        if cur.head is cur:
            break
        cur = cur.head
    return False


def stake(tokens: Span | list[Token]) -> Stake:
    """Weigh the bad and good outcomes among ``tokens``, each after negation in its scope."""
    negative = positive = 0.0
    reassured = False
    words: list[int] = []
    for tok in tokens:
        bad = _phrase(tok)
        if bad:
            negative = max(negative, bad)
            words.append(tok.i)
            continue
        if tok.pos_ not in {"NOUN", "VERB", "ADJ", "ADV", "AUX"}:
            continue
        lemma = _lemma(tok)
        lower = tok.lower_
        if not _weighed(tok, lemma, lower):
            continue  # nothing below would count it: skip reading its parse
        if remedied(tok) or _label(tok) or _eased(tok):
            continue
        bad = NEGATIVE.get(lemma, NEGATIVE.get(lower, 0.0))
        if tok.pos_ == "VERB":
            bad = max(bad, NEGATIVE_VERBS.get(lemma, 0.0))
            if lemma == "target" and any(c.lower_ == "at" for c in tok.children):
                bad = 0.0  # "our action will be targeted at that area": aimed, not attacked
            if lemma in DECREASES and (_of_bad(tok) or any(c.dep_ == "dobj" for c in tok.children)):
                bad = 0.0  # "the deficit is expected to fall", "dropping its claim"
            elif lemma in INCREASES and _of_bad(tok):
                bad = 0.7  # "unemployment figures rose", "debt is set to climb"
        elif tok.pos_ in {"ADJ", "ADV"} and lemma in _NOT_AS_ADJECTIVE:
            bad = 0.0  # "the weather was fine"
        good = POSITIVE.get(lemma, POSITIVE.get(lower, 0.0))
        if lemma in REASSURING or lower in REASSURING:
            reassured = reassured or not negated(tok)
        if bad:
            if negated(tok):
                reassured = True
                continue
            negative = max(negative, bad)
            words.append(tok.i)
        elif good:
            if negated(tok) or lacking(tok):
                negative = max(negative, 0.7)
                words.append(tok.i)
            else:
                positive = max(positive, good)
    return Stake(negative=negative, positive=positive, reassured=reassured, words=tuple(words))


def _weighed(tok: Token, lemma: str, lower: str) -> bool:
    """The word has a weight :func:`stake` reads (bad, good, reassuring, or a rise that may be
    of a bad thing); most words have none, and then their parse need not be looked at."""
    return bool(
        NEGATIVE.get(lemma, NEGATIVE.get(lower, 0.0))
        or POSITIVE.get(lemma, POSITIVE.get(lower, 0.0))
        or lemma in REASSURING
        or lower in REASSURING
        or (tok.pos_ == "VERB" and (NEGATIVE_VERBS.get(lemma, 0.0) or lemma in INCREASES))
    )


def _phrase(tok: Token) -> float:
    """Bad outcomes that are phrases, weighed at their head: "out of control", "break up",
    "way short of its costs", "vote against"."""
    lemma = _lemma(tok)
    if lemma == "control" and tok.head.lower_ == "of" and tok.head.head.lower_ == "out":
        return 0.8
    if lemma == "break" and any(c.lower_ == "up" and c.dep_ == "prt" for c in tok.children):
        return 0.8
    if tok.lower_ == "up" and tok.i > 0 and tok.doc[tok.i - 1].lemma_ == "break":
        return 0.8  # "the break up of the firm", parsed as a noun and a particle
    if lemma == "short" and any(c.lower_ == "of" for c in tok.children) and not negated(tok):
        return 0.6
    if tok.lower_ == "against" and _lemma(tok.head) in _OPPOSING and not negated(tok.head):
        return 0.7
    return 0.0


def _eased(tok: Token) -> bool:
    """A bad verb made mild by its particle: "the row will die down", "fears died away"."""
    return _lemma(tok) == "die" and any(
        c.dep_ == "prt" and c.lower_ in {"down", "away"} for c in tok.children
    )
