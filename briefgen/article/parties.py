"""Who does or suffers the article's main events, named or not.

Reads the parse, the summary and the article's named mentions. Marks the mentions that are
agents or patients of a main event (the main verbs of the lead and of the summary), adds
mentions for the unnamed parties there (groups: "the boy's relatives", "federal prosecutors";
office-holders: "the president of Cyprus"), and links mentions whose words do not name their
actor: a title to the holder the article names, a capital to its state, a shared surname to
the right person, a pronoun subject to the person it stands for.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from briefgen.article import gazetteer as gz
from briefgen.article.mentions import ANONYMOUS_HEADS, _clean
from briefgen.article.quotes import sentence_quote
from briefgen.doc import Mention, Parsed, Quote, SummarySentence
from briefgen.nlp import token_strings

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LEAD_SENTENCES = 3
Part = Literal["agent", "patient"]
Holder = tuple[str, str, str]  # (title word, full name, the whole role in lower case)

# Heads of noun phrases that stand for people or bodies; any other common noun is a thing.
GROUP_HEADS = frozenset(
    """
    relative family families exile jury juror prosecutor investor militant fighter rebel
    insurgent soldier troop forces police policeman officer guard suspect gunman attacker
    victim survivor witness resident citizen voter taxpayer motorist driver passenger
    customer client consumer shopper employee worker staff union creditor shareholder
    stockholder depositor lender borrower bank firm company carrier airline operator
    government administration regime authority ministry department agency council
    committee panel board court parliament congress lawmaker legislator senator mp cabinet
    opposition party campaigner activist protester protestor demonstrator critic opponent
    supporter campaign group states countries nations ally member leader official
    controller astronaut crew scientist researcher doctor nurse student teacher parent
    child children baby son daughter wife husband father mother brother sister boy girl
    man men woman women teenager youth people person thief thieves robber reporter
    journalist editor publisher broadcaster regulator watchdog investigator detective
    inspector judge lawyer attorney defendant plaintiff accused owner landlord tenant
    farmer miner manager executive director chief boss negotiator diplomat envoy
    minister president premier chancellor king queen prince mayor governor spokesman
    spokeswoman spokesperson source aide adviser advisor christian muslim jew refugee
    migrant immigrant settler hostage prisoner inmate captor kidnapper smuggler trafficker
    pilot sailor crewman player fan team club coach athlete banker trader broker dealer
    buyer seller producer manufacturer supplier retailer exporter importer developer
    civilian agent organiser organizer economist analyst
    """.split()
)
# Titles whose bare use ("the president", "the minister") can stand for a named holder.
HOLDER_TITLES = frozenset(
    """
    president minister secretary chancellor premier governor senator ambassador chairman
    chairwoman chair ceo director chief commissioner mayor king queen prince pope judge
    leader head spokesman spokeswoman spokesperson prosecutor
    """.split()
)
# Words for a person's tie to another ("his lawyer", "Elian's mother"), which stand for the
# holder the article names in apposition ("Mr. Sarkozy's lawyer, Thierry Herzog").
RELATIONS = frozenset(
    """
    lawyer attorney counsel mother father wife husband son daughter brother sister widow
    boyfriend girlfriend suspect victim boy girl child
    """.split()
)
# One word for one tie: "the man's lawyer" is the "attorney" the article names.
_SAME_TIE = {"lawyer": "attorney", "counsel": "attorney"}
# A capital stands for its state when it acts ("Washington said", "Ottawa's demands").
CAPITALS: dict[str, str] = {
    "washington": "United States",
    "ottawa": "Canada",
    "beijing": "China",
    "moscow": "Russia",
    "kremlin": "Russia",
    "london": "United Kingdom",
    "whitehall": "United Kingdom",
    "downing street": "United Kingdom",
    "paris": "France",
    "berlin": "Germany",
    "tokyo": "Japan",
    "havana": "Cuba",
    "tehran": "Iran",
    "pyongyang": "North Korea",
    "seoul": "South Korea",
    "kyiv": "Ukraine",
    "kiev": "Ukraine",
    "new delhi": "India",
    "damascus": "Syria",
    "baghdad": "Iraq",
    "ankara": "Turkey",
    "mexico city": "Mexico",
    "canberra": "Australia",
    "rome": "Italy",
    "madrid": "Spain",
    "athens": "Greece",
    "nicosia": "Cyprus",
    "taipei": "Taiwan",
    "cairo": "Egypt",
    "riyadh": "Saudi Arabia",
    "islamabad": "Pakistan",
    "kabul": "Afghanistan",
    "caracas": "Venezuela",
    "brasilia": "Brazil",
    "warsaw": "Poland",
    "budapest": "Hungary",
    "prague": "Czech Republic",
    "brussels": "European Union",
}
_AGENT_DEPS = frozenset({"nsubj", "csubj"})
_PATIENT_DEPS = frozenset({"nsubjpass", "dobj", "dative", "attr"})
_PATIENT_PREPS = frozenset({"on", "against", "with", "to", "from", "over", "for"})
_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nummod", "case", "nmod", "quantmod"})
_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "they"}
_INDEFINITE = frozenset({"a", "an", "one", "another", "some"})
_GENERIC_DETERMINERS = frozenset(
    """
    some other many most such all any few several various numerous no this that these those
    """.split()
)
_COUNTS = frozenset(
    "thousand hundred million dozen ten score number group majority crowd lot handful".split()
)
# Heads that say nothing of who is counted: "about 500 people" is a number, "Belfast
# customers" or "foreign fighters" a party.
_COUNTED = frozenset({"people", "person", "country", "nation"})
_SPEECH = frozenset({"say", "tell", "announce", "warn", "add", "confirm", "claim", "report"})


def find_parties(
    parsed: Parsed, named: list[Mention], summary: Iterable[SummarySentence] = ()
) -> tuple[list[Mention], list[Quote]]:
    """The article's mentions, marked and linked, with its unnamed parties added; and a line
    for each unnamed party that acts in a main event (what it did)."""
    doc = parsed.doc
    text = parsed.article.text
    lead_end = _lead_end(parsed)
    main = {s.start for s in summary}
    mentions = [dataclasses.replace(m, lead=m.start < lead_end) for m in named]
    mentions = _link_surnames(mentions, text)
    mentions = _link_capitals(parsed, mentions)
    at = _index(mentions)
    holders = _holders(mentions) + _described(parsed, mentions)
    parties: list[Mention] = []
    quotes: list[Quote] = []
    groups: list[tuple[str, set[str], str]] = []  # (head lemma, modifiers, ref)
    # A party of a main event is an actor; elsewhere, one that acts twice or speaks.
    weight: dict[str, float] = defaultdict(float)
    words = token_strings(doc)
    for sent in doc.sents:
        is_main = sent.start_char < lead_end or any(
            sent.start_char <= s < sent.end_char for s in main
        )
        events = _events(sent)
        others = [doc[i] for i in range(sent.start, sent.end) if words.pos[i] == "VERB"]
        others = [t for t in others if t not in events]
        for verb in events + others:
            in_main = is_main and verb in events
            for arg, role in _arguments(verb):
                i = at.get(arg.idx)
                if i is None:
                    i = _named_in_apposition(arg, at)
                if i is not None:
                    m = mentions[i]
                    if in_main and m.event != "agent":
                        mentions[i] = dataclasses.replace(m, event=role)
                    continue
                party = _pronoun(parsed, arg, role, mentions, lead_end) or _party(
                    parsed, arg, role, groups, holders, lead_end
                )
                if party is None:
                    continue
                if not in_main:
                    party = dataclasses.replace(party, event=None)
                if party.ref:
                    speaks = role == "agent" and verb.lemma_.lower() in _SPEECH
                    does = role == "agent" and verb in events  # the sentence's own news
                    weight[party.ref] += 2.0 if in_main or speaks or does else 1.0
                parties.append(party)
                if role == "agent" and in_main:
                    quotes.append(sentence_quote(parsed, sent, party, "did"))
    parties = [p for p in parties if p.ref is None or weight[p.ref] >= 2.0]
    groups = [g for g in groups if weight[g[2]] >= 2.0]
    quotes = [q for q in quotes if any(p.start == q.speaker_start for p in parties)]
    parties += _more_mentions(parsed, groups, parties, mentions, lead_end)
    parties = _delayed_lead(parsed, parties, mentions)
    titled = _link_titles(parsed, mentions + parties, holders, lead_end)
    titled += _link_countries(parsed, mentions + parties + titled, lead_end)
    out = sorted(mentions + parties + titled, key=lambda m: (m.start, m.end))
    return out, quotes


# --- main events ----------------------------------------------------------------------------


def _lead_end(parsed: Parsed) -> int:
    """Where the lead ends: after the first sentences of the body (a headline line and a
    dateline-only line do not count)."""
    body = [s for s in parsed.sentences if len(s.text.split()) >= 6]
    if not body:
        return len(parsed.article.text)
    return body[min(LEAD_SENTENCES, len(body)) - 1].end


def _events(sent: Span) -> list[Token]:
    """The main verbs of a sentence: its root, the verbs joined to it, and what a speech verb
    reports ("X said Y would do Z": both the saying and the doing)."""
    root = sent.root
    verbs = [root] if root.pos_ in {"VERB", "AUX"} else []
    for v in list(verbs):
        for c in v.children:
            if c.pos_ in {"VERB", "AUX"} and c.dep_ in {"conj", "ccomp", "xcomp"}:
                verbs.append(c)
    return verbs


def _arguments(verb: Token) -> Iterable[tuple[Token, Part]]:
    for c in verb.children:
        role: Part | None = None
        if c.dep_ in _AGENT_DEPS:
            role = "agent"
        elif c.dep_ in _PATIENT_DEPS:
            role = "patient"
        elif c.dep_ == "agent":
            yield from ((p, "agent") for p in c.children if p.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in _PATIENT_PREPS:
            # "on Canada", "against the ruling": acted upon, though less directly; a place
            # there is where it happens ("flew to Syria"), so it stays unmarked
            yield from ((p, "patient") for p in c.children if p.dep_ == "pobj" and not _place(p))
        if role is not None:
            for arg in (c, *c.conjuncts):
                yield _quantified(arg), role


def _place(tok: Token) -> bool:
    return tok.ent_type_ in {"GPE", "LOC", "FAC"}


def _quantified(tok: Token) -> Token:
    """The people counted, not the count: "civil servants" in "thousands of civil servants";
    and the object of a dative "to"."""
    of = [c for c in tok.children if c.dep_ in {"prep", "dative"} and c.pos_ == "ADP"]
    if tok.pos_ == "ADP":
        objects = [c for c in tok.children if c.dep_ == "pobj"]
        return objects[0] if objects else tok
    if tok.lemma_.lower() in _COUNTS and of and of[0].lower_ == "of":
        objects = [c for c in of[0].children if c.dep_ == "pobj"]
        return objects[0] if objects else tok
    return tok


def _index(mentions: list[Mention]) -> dict[int, int]:
    """Character offset of every word start inside a mention -> the mention's index."""
    out: dict[int, int] = {}
    for i, m in enumerate(mentions):
        pos = m.start
        for word in m.text.split():
            pos = m.text.find(word, pos - m.start) + m.start
            out.setdefault(pos, i)
            pos += len(word)
    return out


# --- unnamed parties ------------------------------------------------------------------------


def _is_party_head(tok: Token) -> bool:
    if tok.pos_ != "NOUN":
        return False
    lemma = tok.lemma_.lower()
    return lemma in GROUP_HEADS or tok.lower_ in GROUP_HEADS or lemma in gz.TITLE_WORDS


def _left(tok: Token) -> int:
    """First word of the noun phrase before its head ("Elian's Miami relatives")."""
    i = tok.i
    for c in tok.lefts:
        if c.dep_ in _LEFT_DEPS:
            i = min(i, c.left_edge.i)
    return i


def _right(tok: Token) -> int:
    """End of the noun phrase: the head, and a short "of" phrase ("president of Cyprus")."""
    end = tok.i + 1
    for c in tok.rights:
        short = c.dep_ == "prep" and c.lower_ in {"of", "in"} and c.right_edge.i - tok.i <= 4
        if short and not any(t.dep_ in {"relcl", "acl"} or t.pos_ == "VERB" for t in c.subtree):
            end = max(end, c.right_edge.i + 1)
    return end


def _modifiers(start: int, head: Token, end: int) -> set[str]:
    """The content words that describe the party: 'federal' in 'federal prosecutors', and
    names however written: 'U.S.' in 'the U.S. government' (not Cuba's)."""
    return {
        t.lower_
        for t in head.doc[start:end]
        if t.i != head.i
        and (t.is_alpha or t.pos_ == "PROPN")
        and not t.is_stop
        and t.pos_ not in {"DET", "PUNCT"}
    }


def _party(
    parsed: Parsed,
    tok: Token,
    role: Part,
    groups: list[tuple[str, set[str], str]],
    holders: list[Holder],
    lead_end: int,
) -> Mention | None:
    if not _is_party_head(tok):
        return None
    doc = tok.doc
    start, end = _left(tok), _right(tok)
    words = doc[start:end]
    holder = _holder(tok, end, holders)
    if holder is not None:
        return dataclasses.replace(_titled(parsed, words, holder, lead_end), event=role)
    # "Trade Minister Dominic LeBlanc": the title of a named person is a role, not a party.
    if any(t.ent_type_ == "PERSON" and t.i > tok.i for t in words) or _names_person(tok):
        return None
    if start == tok.i and tok.lemma_.lower() in {"people", "person", "man", "woman", "member"}:
        return None  # a bare "people" acts in every story
    if start == tok.i and tok.tag_ == "NN" and tok.lemma_.lower() not in GROUP_HEADS:
        return None  # a bare singular title is no one: "bring them to justice"
    if tok.lemma_.lower() in _COUNTED and not _modifiers(start, tok, tok.i + 1):
        return None  # "224 people", "more than half the countries": a count, not a party
    if doc[start].lower_ in _GENERIC_DETERMINERS:
        # "some athletes", "other women": people in general, not a party; "this family"
        # points back to one the article has named
        return None
    lemma = tok.lemma_.lower()
    if tok.lower_ in HOLDER_TITLES and tok.tag_ == "NN":
        if end == tok.i + 1 and start >= tok.i - 1:
            return None  # "the head", "the minister": which one, the article must say
        ref = _office(tok, end)
    else:
        ref = _group_ref(groups, lemma, _modifiers(start, tok, end), tok)
    return _mention(parsed, words, ref, role, lead_end)


def _office(tok: Token, end: int) -> str:
    """One unnamed office-holder per office: 'the president of Cyprus' however introduced."""
    return "office-" + " ".join(t.lower_ for t in tok.doc[tok.i : end])


def _names_person(tok: Token) -> bool:
    """The noun is a title before or beside a name ("President Trump", "his son, Jonathan");
    not a group named after one ("the Agnelli family")."""
    for c in tok.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            return True
    return tok.dep_ == "compound" and tok.head.ent_type_ == "PERSON"


def _group_ref(
    groups: list[tuple[str, set[str], str]], lemma: str, mods: set[str], tok: Token
) -> str:
    """The same party when the head agrees and one description contains the other."""
    indefinite = any(c.lower_ in _INDEFINITE for c in tok.children if c.dep_ == "det")
    for head, known, ref in reversed(groups):
        if head == lemma and (mods <= known or known <= mods) and not (indefinite and mods):
            known |= mods
            return ref
    ref = f"party-{len(groups) + 1}"
    groups.append((lemma, set(mods), ref))
    return ref


def _mention(parsed: Parsed, words: Span, ref: str, role: Part | None, lead_end: int) -> Mention:
    text = parsed.article.text[words.start_char : words.end_char]
    head = words.root
    return Mention(
        article=parsed.article.id,
        start=words.start_char,
        end=words.end_char,
        text=text,
        type="OTHER",
        role=head.lemma_.lower() if head.lemma_.lower() in gz.TITLE_WORDS else None,
        subject=head.dep_ in {"nsubj", "nsubjpass"},
        ref=ref,
        event=role,
        lead=words.start_char < lead_end,
    )


def _more_mentions(
    parsed: Parsed,
    groups: list[tuple[str, set[str], str]],
    found: list[Mention],
    named: list[Mention],
    lead_end: int,
) -> list[Mention]:
    """Every other mention of a party found in a main event ("the relatives" again later)."""
    if not groups:
        return []
    taken = [(m.start, m.end) for m in found + named]
    heads = {g[0] for g in groups}
    out: list[Mention] = []
    doc = parsed.doc
    lemmas = token_strings(doc).lemma
    for tok in (doc[i] for i, lemma in enumerate(lemmas) if lemma in heads):
        if not _is_party_head(tok):
            continue
        if any(s <= tok.idx < e for s, e in taken) or _names_person(tok):
            continue
        start, end = _left(tok), _right(tok)
        words = tok.doc[start:end]
        if any(t.ent_type_ == "PERSON" and t.i > tok.i for t in words):
            continue
        mods = _modifiers(start, tok, end)
        lemma = tok.lemma_.lower()
        match = [r for h, known, r in groups if h == lemma and (mods <= known or known <= mods)]
        if not match:
            continue
        out.append(_mention(parsed, words, match[-1], None, lead_end))
        taken.append((words.start_char, words.end_char))
    return out


# --- linking --------------------------------------------------------------------------------


_RANKING = frozenset({"first", "last", "only", "oldest", "youngest"})


def _delayed_lead(parsed: Parsed, parties: list[Mention], named: list[Mention]) -> list[Mention]:
    """A lead that describes its person before naming them: "A 78-year-old Connecticut man
    was arrested on Friday ... Robert Gentile appeared in court", "The last surviving member
    of the team has died ... George Lowe, 89, died". The description is the person who is the
    subject of the next sentence, named there for the first time."""
    body = [s for s in parsed.sentences if len(s.text.split()) >= 6]
    if len(body) < 2:
        return parties
    first, second = body[0], body[1]
    doc = parsed.doc
    described: set[str] = set()
    for p in parties:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if not (p.ref and p.ref.startswith(("party-", "office-"))):
            continue
        if not first.start <= p.start < first.end:
            continue
        if span is None or not _introduces(span):
            continue
        described.add(p.ref)
    if len(described) != 1:
        return parties
    person = None
    for m in named:
        if m.type != "PERSON" or not second.start <= m.start < second.end:
            continue
        if not (m.event and (m.subject or _subject_in_apposition(doc, m))):
            continue
        if m.role:
            break  # an official named with a title, not the one the lead described
        name = m.canonical or _clean(m.text)
        last = name.split()[-1]
        # named for the first time: not by this name, nor by its surname alone, before
        known = any(
            n.type == "PERSON" and n.start < second.start and _clean(n.text) in {name, last}
            for n in named
        )
        if len(name.split()) >= 2 and not known:
            person = name
        break
    if person is None:
        return parties
    ref = described.pop()
    out: list[Mention] = []
    for p in parties:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if p.ref == ref and span is not None and span.root.tag_ == "NN":
            p = dataclasses.replace(p, type="PERSON", canonical=person, ref=None, role=None)
        out.append(p)
    return out


def _subject_in_apposition(doc: Doc, m: Mention) -> bool:
    """'The suspect -- Khalfan Khamis Mohamed -- was scheduled': the name beside a subject."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ == "appos" and root.head.dep_ in {"nsubj", "nsubjpass"}


def _introduces(span: Span) -> bool:
    """'a New York man', 'the last surviving member', 'Elian Gonzalez's father': one person,
    not yet named."""
    root = span.root
    if root.tag_ != "NN" or root.lemma_.lower() in ANONYMOUS_HEADS:
        return False
    words = [t.lower_ for t in span]
    if words[0] in {"a", "an"}:
        return True
    ties = RELATIONS | HOLDER_TITLES  # "Elian Gonzalez's father", "Israel's prime minister"
    if root.lower_ in ties and any(c.dep_ == "poss" for c in root.children):
        return True
    return words[0] == "the" and len(words) > 1 and words[1] in _RANKING


def _link_surnames(mentions: list[Mention], text: str) -> list[Mention]:
    """A surname two people of the article share ("Gonzalez") is the one not otherwise
    called by a first name alone, else the one named last before it."""
    full: dict[str, list[tuple[int, str]]] = {}
    alone: set[str] = set()
    for m in mentions:
        if m.type != "PERSON":
            continue
        words = _clean(m.text).split()
        if len(words) >= 2:
            full.setdefault(words[-1], []).append((m.start, " ".join(words)))
        elif words:
            alone.add(words[0])
    out: list[Mention] = []
    for m in mentions:
        name = _clean(m.text)
        owners = {n for _, n in full.get(name, [])}
        if m.type == "PERSON" and " " not in name and len(owners) >= 2:
            known = [n for n in owners if n.split()[0] not in alone]
            if len(known) == 1:
                m = dataclasses.replace(m, canonical=known[0])
            else:
                before = [(s, n) for s, n in full[name] if s < m.start]
                if before:
                    m = dataclasses.replace(m, canonical=max(before)[1])
        out.append(m)
    return out


def _link_capitals(parsed: Parsed, mentions: list[Mention]) -> list[Mention]:
    """A capital that acts ("Washington said", "Beijing's demands") is its state."""
    doc = parsed.doc
    out: list[Mention] = []
    for m in mentions:
        state = CAPITALS.get(_clean(m.text).lower())
        if state and m.type in {"GPE", "LOC", "FAC", "ORG"} and not m.text.isupper():
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and _acts(span.root):
                m = dataclasses.replace(m, canonical=state)
        out.append(m)
    return out


def _link_countries(parsed: Parsed, mentions: list[Mention], lead_end: int) -> list[Mention]:
    """'the country', 'its nation' is the country named last before it."""
    countries = sorted(
        (m.start, gz.country(_clean(m.text)) or "")
        for m in mentions
        if m.type == "GPE" and gz.country(_clean(m.text))
    )
    out: list[Mention] = []
    doc = parsed.doc
    words = token_strings(doc)
    for i, word in enumerate(words.lower):
        if word not in {"country", "nation"} or words.pos[i] != "NOUN":
            continue
        tok = doc[i]
        dets = [c for c in tok.children if c.dep_ in {"det", "poss"}]
        if not dets or dets[0].lower_ not in {"the", "his", "her", "its", "their", "this"}:
            continue
        if _right(tok) != tok.i + 1 or _left(tok) != dets[0].i:
            continue  # "the country's central bank" is fine; "a euro zone country" is not
        before = [c for s, c in countries if s < tok.idx]
        if not before:
            continue
        start = dets[0].idx
        out.append(
            Mention(
                article=parsed.article.id,
                start=start,
                end=tok.idx + len(tok.text),
                text=parsed.article.text[start : tok.idx + len(tok.text)],
                type="GPE",
                subject=tok.dep_ in {"nsubj", "nsubjpass"},
                canonical=before[-1],
                lead=start < lead_end,
            )
        )
    return out


def _acts(tok: Token) -> bool:
    if tok.dep_ in {"nsubj", "agent"} and tok.head.pos_ in {"VERB", "AUX"}:
        return tok.head.lemma_.lower() != "be"
    if tok.dep_ == "pobj" and tok.head.dep_ == "agent":
        return True
    return tok.dep_ == "poss" and tok.head.dep_ in {"nsubj", "dobj", "nsubjpass", "pobj"}


def _holders(mentions: list[Mention]) -> list[Holder]:
    """Every person the article names with a title, once per title word."""
    holders: list[Holder] = []
    for m in mentions:
        if m.type == "PERSON" and m.role:
            name = m.canonical or _clean(m.text)
            role = " ".join(m.role.lower().split())
            # the title is what comes before "for" or "at": not "attorney" in "spokesperson
            # for the attorney general's office"
            title = re.split(r"\b(?:for|at|with|to)\b|,", role)[0]
            for w in re.findall(r"[a-z\-]+", title):
                if w in HOLDER_TITLES:
                    holders.append((w, name, role))
    return holders


def _title(tok: Token) -> str | None:
    """The title or tie a singular common noun names ("lawyer" is "attorney"), else None."""
    if tok.tag_ != "NN":
        return None
    word = tok.lower_
    if word in HOLDER_TITLES or word in RELATIONS:
        return _SAME_TIE.get(word, word)
    return None


def _described(parsed: Parsed, mentions: list[Mention]) -> list[Holder]:
    """People the article names beside a title or tie: "Mr. Sarkozy's lawyer, Thierry
    Herzog", "The suspect -- Khalfan Khamis Mohamed", "Herzog, his lawyer"."""
    doc = parsed.doc
    out: list[Holder] = []
    for m in mentions:
        if m.type != "PERSON":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        nouns = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            nouns.append(root.head)
        for noun in nouns:
            word = _title(noun) if noun.pos_ == "NOUN" else None
            if word is not None:
                words = doc[_left(noun) : noun.i + 1].text.lower()
                out.append((word, m.canonical or _clean(m.text), words))
    return out


def _named_in_apposition(tok: Token, at: dict[int, int]) -> int | None:
    """The named mention beside a description that does the event: "His attorney, Ryan
    McGuigan, contended" credits McGuigan."""
    for c in tok.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            first = c.left_edge if c.left_edge.ent_type_ == "PERSON" else c
            i = at.get(first.idx)
            if i is not None:
                return i
    return None


def _holders_of(tok: Token, end: int, holders: list[Holder]) -> set[str]:
    """Who holds the title: with its "of" phrase ("the president of Cyprus") only a holder
    whose role says so."""
    office = " ".join(t.lower_ for t in tok.doc[tok.i + 1 : end])
    word = _title(tok)
    return {n for w, n, role in holders if w == word and office in role}


def _definite(tok: Token) -> bool:
    """'the president', 'his lawyer'; a tie also by its possessor ("the man's lawyer")."""
    dets = [c for c in tok.children if c.dep_ in {"det", "poss"}]
    if not dets:
        return False
    if dets[0].lower_ in {"the", "his", "her", "its", "their"}:
        return True
    if tok.lower_ in RELATIONS and dets[0].lower_ == "this":
        return True  # "this little boy"
    return tok.lower_ in RELATIONS and dets[0].dep_ == "poss" and dets[0].pos_ == "NOUN"


def _holder(tok: Token, end: int, holders: list[Holder]) -> str | None:
    """The one person the article names with this title, for a definite title."""
    if _title(tok) is None or not _definite(tok):
        return None
    names = _holders_of(tok, end, holders)
    return next(iter(names)) if len(names) == 1 else None


def _titled(parsed: Parsed, words: Span, holder: str, lead_end: int) -> Mention:
    return Mention(
        article=parsed.article.id,
        start=words.start_char,
        end=words.end_char,
        text=words.text,
        type="PERSON",
        subject=words.root.dep_ in {"nsubj", "nsubjpass"},
        canonical=holder,
        lead=words.start_char < lead_end,
    )


def _pronoun(
    parsed: Parsed, tok: Token, role: Part, mentions: list[Mention], lead_end: int
) -> Mention | None:
    """'he' or 'she' doing a main event is the person named last before it."""
    if tok.pos_ != "PRON" or _PRONOUNS.get(tok.lower_) != "person":
        return None
    # a name that stands for a thing ("said on Zorba") is no one a pronoun can stand for
    before = [m for m in mentions if m.type == "PERSON" and m.end <= tok.idx and not m.thing]
    if not before:
        return None
    last = before[-1]
    return Mention(
        article=parsed.article.id,
        start=tok.idx,
        end=tok.idx + len(tok.text),
        text=tok.text,
        type="PERSON",
        subject=tok.dep_ in {"nsubj", "nsubjpass"},
        canonical=last.canonical or _clean(last.text),
        event=role,
        lead=tok.idx < lead_end,
    )


def _link_titles(
    parsed: Parsed, mentions: list[Mention], holders: list[Holder], lead_end: int
) -> list[Mention]:
    """'the president' is the person the article names as president; 'the president of
    Cyprus' with no holder named is an unnamed office-holder of its own."""
    taken = [(m.start, m.end) for m in mentions]
    out: list[Mention] = []
    doc = parsed.doc
    tags = token_strings(doc).tag
    for tok in (doc[i] for i, tag in enumerate(tags) if tag == "NN"):  # as _title asks
        word = tok.lower_
        if _title(tok) is None or tok.pos_ != "NOUN":
            continue
        if any(s <= tok.idx < e for s, e in taken) or _names_person(tok):
            continue
        if not _definite(tok):
            continue
        start, end = _left(tok), _right(tok)
        words = doc[start:end]
        if any(t.ent_type_ == "PERSON" for t in words):
            continue
        names = _holders_of(tok, end, holders)
        holder = _holder(tok, end, holders)
        if holder is not None:
            out.append(_titled(parsed, words, holder, lead_end))
        elif (
            not names
            and word in HOLDER_TITLES
            and end > tok.i + 1
            and tok.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}
        ):
            # "the president of Cyprus": an office-holder the article does not name
            out.append(
                Mention(
                    article=parsed.article.id,
                    start=words.start_char,
                    end=words.end_char,
                    text=words.text,
                    type="OTHER",
                    role=word,
                    subject=tok.dep_ in {"nsubj", "nsubjpass"},
                    ref=_office(tok, end),
                    lead=words.start_char < lead_end,
                )
            )
        taken.append((words.start_char, words.end_char))
    return out
