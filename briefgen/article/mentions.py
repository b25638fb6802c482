"""Who is named in one article: entity mentions, their roles, affiliations and unnamed sources.

Reads the parse (entities, POS, dependencies); adds :class:`~briefgen.doc.Mention` spans,
corrected for boundaries, the gazetteer, consistency within the article and datelines.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.article import gazetteer as gz
from briefgen.doc import ActorType, Mention, Parsed
from briefgen.nlp import token_strings
from briefgen.words import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


ACTOR_LABELS: dict[str, ActorType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "FAC",
    "NORP": "NORP",
}
TITLE_WORDS = gz.TITLE_WORDS
# Heads of noun phrases that stand for an unnamed source ("a senior government official").
ANONYMOUS_HEADS = frozenset(
    """
    official source spokesperson spokesman spokeswoman diplomat aide insider negotiator
    officer executive person
    """.split()
)
_COURTESY = frozenset({"mr", "mrs", "ms", "mx", "dr", "sir", "dame", "lord", "lady", "prof"})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_WS = re.compile(r"\s+")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


@dataclass(frozen=True, slots=True)
class MentionOptions:
    """Improvements over the raw spaCy entities; each can be switched off for evaluation."""

    boundaries: bool = True
    gazetteer: bool = True
    consistency: bool = True
    datelines: bool = True


DEFAULT_OPTIONS = MentionOptions()


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    label: ActorType
    dateline: bool = False


# A pure function of the text, asked again by every later step and by the week's merge once
# per mention (3.3 million in a week of 100,000 articles, a tenth as many distinct texts).
@lru_cache(maxsize=1 << 17)
def _clean(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip())
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = _WS.sub(" ", text).strip(" ,;:")
    if text.endswith(".") and not _INITIALS.match(text.split()[-1][:-1]):
        text = text.rstrip(".")
    return text


# --- mentions in one article ----------------------------------------------------------------


def _raw(doc: Doc) -> list[_Cand]:
    return [
        _Cand(e.start_char, e.end_char, ACTOR_LABELS[e.label_])
        for e in doc.ents
        if e.label_ in ACTOR_LABELS
    ]


def _fix_boundaries(text: str, cands: list[_Cand]) -> list[_Cand]:
    out: list[_Cand] = []
    for c in cands:
        # A line break ends a name: headlines, bylines and datelines sit on lines of their own.
        # So do a spaced dash or slash: "Dampier / Kaohsiung" are two ports.
        pieces: list[tuple[int, int]] = []
        pos = c.start
        for m in re.finditer(r"\n|\s+[-/–]\s+", text[c.start : c.end]):
            pieces.append((pos, c.start + m.start()))
            pos = c.start + m.end()
        pieces.append((pos, c.end))
        for s, e in pieces:
            for s2, e2 in _split_parenthesis(text, s, e):
                s2, e2 = _trim_run_on(text, *_trim_tail(text, *_trim(text, s2, e2)))
                # A name has a capital letter: "heifers" or "congress" is not one.
                if e2 > s2 and any(ch.isupper() for ch in text[s2:e2]):
                    out.append(_Cand(s2, e2, c.label))
    return _join_split_names(text, _join_dc(text, out))


_NAME_ABBREVIATIONS = frozenset({"St", "Ste", "Mt", "Ft", "Pt"})
_LOCAL_NUMBER = re.compile(r"\s+\d+\b")


def _join_split_names(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Names the model cut in two: at an abbreviation's full stop ("Sault Ste." + "Marie",
    which it took for a person) or before a union local's number ("Union Local" + "412")."""
    out: list[_Cand] = []
    for c in cands:
        if out:
            prev = out[-1]
            words = text[prev.start : prev.end].split()
            gap = text[prev.end : c.start]
            if (
                words
                and words[-1].rstrip(".") in _NAME_ABBREVIATIONS
                and re.fullmatch(r"\.?[ ]", gap)
                and (gap.startswith(".") or words[-1].endswith("."))
            ):
                out[-1] = _Cand(prev.start, c.end, prev.label)
                continue
        out.append(c)
    for i, c in enumerate(out):
        number = _LOCAL_NUMBER.match(text, c.end)
        if c.label == "ORG" and text[c.start : c.end].endswith(" Local") and number:
            out[i] = _Cand(c.start, number.end(), c.label)
    return out


_TAIL_WORD = re.compile(r"\s+(?:[+\d][\d\-/.:+]*|[a-z][a-z]*)$")


def _trim_tail(text: str, start: int, end: int) -> tuple[int, int]:
    """Numbers and lower-case words after a name: 'SEOUL 1996-12-06', 'Xinhua news agency'."""
    while True:
        m = _TAIL_WORD.search(text[start:end])
        if m is None or m.start() == 0:
            return start, end
        end = start + m.start()


_CREDIT = re.compile(r"^\(?[A-Z][\w.]*\)")  # "(CNN)" glued to the first word of the story
_ARTICLES = frozenset({"a", "an", "the"})


def _trim_run_on(text: str, start: int, end: int) -> tuple[int, int]:
    """Text run together where a caption or headline lost its line break: a news credit before
    the name ("(CNN)An"), or a form of address after it ("Court of Appeal Mr" + "Beavis")."""
    m = _CREDIT.match(text[start:end])
    if m and m.end() < end - start:
        start += m.end()
        if text[start:end].lower() in _ARTICLES:
            return start, start
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > 1 and words[-1].group().rstrip(".").lower() in _COURTESY:
        end = start + words[-2].end()
    return start, end


def _split_parenthesis(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'Real Estate Council of Ontario (RECO' is two names, not one."""
    span = text[start:end]
    i = span.find("(")
    if i <= 0 or ")" in span[i:]:
        return [(start, end)]
    return [(start, start + i), (start + i + 1, end)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"'“”‘’([{-—–,;:"):
        start += 1
    m = re.match(r"(?:the|The|THE)\s+", text[start:end])
    if m and end - start > m.end():
        start += m.end()
    m = _POSSESSIVE.search(text[start:end])
    if m and end - start > len(m.group()):
        end -= len(m.group())
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"'“”‘’)]},;:-—–"):
        end -= 1
    while end > start and text[end - 1] == "." and not _INITIALS.match(text[start : end - 1]):
        if re.search(r"(?:^|[\s.])[A-Z]\.$", text[start:end]):
            break  # "Inc." or a middle initial keeps its period
        end -= 1
    # "U.S" at the end of a sentence: the period belongs to the abbreviation.
    last = text[start:end].split()[-1:] or [""]
    if end < len(text) and text[end] == "." and _INITIALS.match(last[0]):
        end += 1
    return start, end


def _join_dc(text: str, cands: list[_Cand]) -> list[_Cand]:
    """'WASHINGTON, D.C.' is one place: the district is folded into the city."""
    out: list[_Cand] = []
    skip: set[int] = set()
    for i, c in enumerate(cands):
        if i in skip:
            continue
        m = re.match(r",?\s*D\.\s?C\.?", text[c.end : c.end + 8])
        if c.label in _PLACE_TYPES and text[c.start : c.end].lower() == "washington" and m:
            end = c.end + m.end()
            for j in range(i + 1, min(i + 3, len(cands))):
                if cands[j].start < end:
                    skip.add(j)
            out.append(_Cand(c.start, end, c.label))
        elif (
            text[c.start : c.end].rstrip(".").upper() == "D.C"
            and out
            and (
                text[out[-1].start : out[-1].end].lower() == "washington"
                and c.start - out[-1].end <= 3
            )
        ):
            out[-1] = _Cand(out[-1].start, c.end, out[-1].label)
        else:
            out.append(c)
    return out


def _apply_gazetteer(doc: Doc, cands: list[_Cand], text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for c in _split_joined(text, cands):
        found = list(re.finditer(r"\S+", text[c.start : c.end]))
        lower = [w.group().lower() for w in found]
        label = c.label
        if lower and lower[0].rstrip(".") in _COURTESY and len(lower) > 1:
            label = "PERSON"  # "Ms Pugh" is a person whatever the model said
        if label == "PERSON":
            # Honorifics and titles are roles, not part of the name ("Mrs Clinton").
            k = 0
            while k < len(lower) - 1 and (lower[k] in gz.HONORIFICS or lower[k] in gz.PORTFOLIOS):
                k += 1
            if k:
                c = _Cand(c.start + found[k].start(), c.end, label)
                lower = lower[k:]
        if all(w in gz.PORTFOLIOS for w in lower) and _before_title(text, c.end):
            continue  # "Trade" in "Trade Minister Dominic LeBlanc"
        if len(lower) == 1 and lower[0] in gz.GENERIC_NAMES:
            continue
        if label == "PERSON" and all(w in gz.HONORIFICS or w in gz.TITLE_WORDS for w in lower):
            continue
        surface = " ".join(lower)
        if gz.union(surface):
            label = "ORG"
        elif gz.country(surface) or surface in gz.REGIONS:
            if label != "PERSON" or surface not in {"jordan", "chad", "georgia", "israel"}:
                label = "GPE"
        elif gz.demonym_country(surface) and label in {"GPE", "ORG", "PERSON", "LOC"}:
            label = "NORP"
        out.append(_Cand(c.start, c.end, label))
    return _add_countries(doc, out, text)


_TITLE_OF = re.compile(
    r"\b(?:" + "|".join(sorted(gz.TITLE_WORDS)) + r")\s+(?:to|of|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _split_joined(text: str, cands: list[_Cand]) -> list[_Cand]:
    """A title's place and its holder the model read as one name: "Ambassador to the
    [United Nations Samantha Power]" is the United Nations and Samantha Power."""
    out: list[_Cand] = []
    for c in cands:
        words = list(re.finditer(r"\S+", text[c.start : c.end]))
        if len(words) < 3 or not _TITLE_OF.search(text[max(0, c.start - 40) : c.start]):
            out.append(c)
            continue
        for k in range(len(words) - 2, 0, -1):
            place = " ".join(w.group() for w in words[:k])
            holder = [w.group() for w in words[k:]]
            known = gz.country(place) or gz.union(place) or place.lower() in gz.REGIONS
            if known and all(w[:1].isupper() and w.lower() not in gz.TITLE_WORDS for w in holder):
                label: ActorType = "ORG" if gz.union(place) else "GPE"
                out.append(_Cand(c.start, c.start + words[k - 1].end(), label))
                out.append(_Cand(c.start + words[k].start(), c.end, "PERSON"))
                break
        else:
            out.append(c)
    return out


def _before_title(text: str, end: int) -> bool:
    nxt = text[end : end + 30].split()
    return bool(nxt) and nxt[0].lower().strip(",.") in gz.TITLE_WORDS


_Tree = dict[str, "_Tree"]


def _trie(words: Iterable[str]) -> str:
    """An alternation of ``words`` that matches as ``longest|...|shortest`` does, as a prefix
    tree: the regex engine tries a few first letters at each position, not every word (three
    hundred country names, case-insensitive, cost a second on the eval articles).

    Sibling branches start with different characters, so at most one can match the text (under
    IGNORECASE the words must be lower case for that), and a longer word is tried before its
    prefix (on backtracking the next shorter one), as in the alternation sorted by length."""
    tree: _Tree = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def alternation(node: _Tree) -> str:
        branches = [re.escape(char) + alternation(node[char]) for char in sorted(node) if char]
        if "" in node:
            branches.append("")  # the word ends here: after every longer one
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return alternation(tree)


_COUNTRY_FORMS = [f for f in gz.COUNTRY_FORMS if not f.startswith("the ") and len(f) > 2]
assert all(f == f.lower() for f in _COUNTRY_FORMS)  # the tree is case-insensitive through re
_COUNTRY_PATTERN = re.compile(
    r"(?<![\w.])(" + _trie(_COUNTRY_FORMS) + r")(?![\w])",
    re.IGNORECASE,
)


# Unions written in lower case too ("the euro zone"): the model rarely tags them.
_UNION_PATTERN = re.compile(
    r"(?<![\w.\-])("
    + "|".join(re.escape(f) for f in sorted(gz.UNION_FORMS, key=len, reverse=True) if len(f) > 4)
    + r")(?![\w\-])",
    re.IGNORECASE,
)


def _add_countries(doc: Doc, cands: list[_Cand], text: str) -> list[_Cand]:
    """Country names the model left untagged (often in all-capital headlines), and unions."""
    taken = [(c.start, c.end) for c in cands]
    added: list[_Cand] = []
    for m in _UNION_PATTERN.finditer(text):
        s, e = m.span()
        if m.group().lower().startswith("the "):
            s += 4
        if not any(s < b and a < e for a, b in taken) and doc.char_span(s, e) is not None:
            added.append(_Cand(s, e, "ORG"))
            taken.append((s, e))
    for m in _COUNTRY_PATTERN.finditer(text):
        s, e = m.span()
        word = m.group()
        if not word[0].isupper() or any(s < b and a < e for a, b in taken):
            continue
        if not (word.istitle() or word.isupper() or "." in word):
            continue
        span = doc.char_span(s, e)
        if span is None or (text[e : e + 1] == "." and word.endswith(".") is False and "." in word):
            continue
        if e < len(text) and text[e] == "." and _INITIALS.match(word):
            e += 1
        added.append(_Cand(s, e, "GPE"))
    return sorted(cands + added, key=lambda c: c.start)


_DATELINE = re.compile(
    r"^[ \t]*(?P<city>[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3}))?"
    # the day the wire filed it: "JOHANNESBURG, August 7 (Xinhua) --"
    r"(?:,?[ \t]*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2})?"
    r"[ \t]*(?:[—–]|--|_(?=[ \t])|\((?P<credit>[A-Z][\w.&' \-]{0,40})\)|\d{4}-\d\d-\d\d\b)",
    re.MULTILINE,
)


def _apply_datelines(text: str, cands: list[_Cand]) -> list[_Cand]:
    """The place a story was filed from: 'OTTAWA —', 'RANGOON 1996-12-06', 'WASHINGTON, D.C. —'.
    The outlet credited after it ("NAIROBI, Kenya (AP)", "(Orsova Courier)") files the story;
    it is no party to it, so it is not a mention."""
    places: list[tuple[int, int]] = []
    credits: list[tuple[int, int]] = []
    for m in _DATELINE.finditer(text, 0, min(len(text), 400)):
        city_start, city_end = m.span("city")
        if not text[city_start:city_end].isupper() or len(m.group("city")) < 3:
            continue
        if m.group("credit"):
            credits.append(m.span("credit"))
        region = m.group("region")
        if region and region.rstrip(".").upper() == "D.C":
            places.append((city_start, m.end("region")))
            continue
        places.append((city_start, city_end))
        if region:
            places.append(m.span("region"))
    if not places:
        return cands
    taken = places + credits
    kept = [c for c in cands if not any(c.start < e and s < c.end for s, e in taken)]
    return sorted(
        kept + [_Cand(s, e, "GPE", dateline=True) for s, e in places], key=lambda c: c.start
    )


# Prepositions of place: "outside Sydney Harbour", "at the Old Bailey" name where, not who.
_LOCATIVE = frozenset(
    "in at outside inside near off into onto across around within beyond toward towards".split()
)


def _as_place(doc: Doc, text: str, c: _Cand) -> bool:
    """A name the model took for a person that the text treats as a place: after a preposition
    of place, or a name of several words after "the" (a person's full name takes no article)."""
    if text[c.end : c.end + 2] in {"'s", "’s"}:
        return False
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    i = span.start - 1
    the = i >= 0 and doc[i].lower_ == "the"
    i -= the
    if i >= 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in _LOCATIVE:
        i -= 1  # "outside of"
    if i >= 0 and doc[i].lower_ in _LOCATIVE and doc[i].dep_ == "prep":
        return True
    return the and len(span) >= 2 and all(t.is_title for t in span)


def _vote(cands: list[_Cand], names: list[str], weight: list[int]) -> None:
    """One type per name in the article: the majority, persons winning ties."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c, n, w in zip(cands, names, weight, strict=True):
        votes[n.lower()][c.label] += w
    for c, n in zip(cands, names, strict=True):
        counts = votes[n.lower()]
        best = max(counts, key=lambda t: (counts[t], t == "PERSON", t))
        if counts[best] > counts[c.label]:
            c.label = best  # type: ignore[assignment]


def _apply_consistency(doc: Doc, cands: list[_Cand], text: str) -> list[_Cand]:
    cands = _titled_names(doc, cands)
    names = [_clean(text[c.start : c.end]) for c in cands]
    weight = [3 if c.dateline else 1 for c in cands]  # a dateline is surely a place
    for i, c in enumerate(cands):
        if c.label == "PERSON" and _as_place(doc, text, c):
            c.label, weight[i] = "LOC", 2
    _vote(cands, names, weight)
    person_words: set[str] = set()
    for c, n in zip(cands, names, strict=True):
        if c.label == "PERSON" and len(n.split()) >= 2:
            person_words.update(w for w in n.split() if w[:1].isupper())
    # A word of a person's name is that person ("Tarlo" after "Leonie Tarlo").
    for c, n in zip(cands, names, strict=True):
        if c.label != "PERSON" and n in person_words and not gz.country(n):
            c.label = "PERSON"
    _vote(cands, names, weight)
    return _propagate(doc, cands, names, person_words, text)


def _titled_names(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Names the model missed in apposition to a title: "the Shadow Secretary of State for the
    Family, Theresa May, said" (a name that is also a month or a word)."""
    taken = [(c.start, c.end) for c in cands]
    added: list[_Cand] = []
    strings = token_strings(doc)
    for i, dep in enumerate(strings.dep):
        if dep != "appos" or strings.tag[i] != "NNP":
            continue
        tok = doc[i]
        if tok.head.lower_ not in gz.TITLE_WORDS:
            continue
        first = tok.i
        while first > tok.head.i + 1 and doc[first - 1].dep_ == "compound":
            first -= 1
        words = doc[first : tok.i + 1]
        if not 2 <= len(words) <= 3 or doc[first - 1].text != ",":
            continue
        if not all(t.is_title and t.is_alpha and t.ent_type_ in {"", "DATE"} for t in words):
            continue
        s, e = words.start_char, words.end_char
        if not any(s < b and a < e for a, b in taken):
            added.append(_Cand(s, e, "PERSON"))
    return sorted(cands + added, key=lambda c: c.start) if added else cands


def _propagate(
    doc: Doc, cands: list[_Cand], names: list[str], person_words: set[str], text: str
) -> list[_Cand]:
    """Find again, where the model missed them, names it found elsewhere in the article."""
    wanted: dict[str, ActorType] = {}
    for c, n in zip(cands, names, strict=True):
        if len(n) >= 3 and n[:1].isupper() and n.lower() not in gz.GENERIC_NAMES:
            wanted.setdefault(n, c.label)
    for w in person_words:
        if len(w) >= 3 and w.lower() not in gz.HONORIFICS:
            wanted.setdefault(w, "PERSON")
    if not wanted:
        return cands
    taken = sorted((c.start, c.end) for c in cands)
    # Longest name first. A few dozen names, case-sensitive: a plain alternation, which compiles
    # at half the cost of the prefix tree (compiling is most of this search's cost).
    longest_first = "|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w.\-])(" + longest_first + r")(?![\w\-])")
    added: list[_Cand] = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if any(s < b and a < e for a, b in taken):
            continue
        span = doc.char_span(s, e)
        if span is None:
            continue
        # Skip when the word is one part of a longer capitalised name the model did not tag,
        # unless that is a person's full name: "Alison Saunders" before "Mrs Saunders".
        left = doc[span.start - 1] if span.start > 0 else None
        right = doc[span.end] if span.end < len(doc) else None
        if right is not None and right.is_title and right.pos_ == "PROPN":
            continue
        if left is not None and left.is_title and not left.is_sent_start:
            if not (wanted[m.group()] == "PERSON" and _first_name(left)):
                continue
            if any(left.idx < b and a < e for a, b in taken):
                continue
            s = left.idx
        added.append(_Cand(s, e, wanted[m.group()]))
        taken.append((s, e))
    return sorted(cands + added, key=lambda c: c.start)


def _first_name(tok: Token) -> bool:
    """A capitalised proper noun that is no title or form of address: a given name."""
    word = tok.lower_.rstrip(".")
    return (
        tok.tag_ == "NNP"
        and tok.is_title
        and tok.is_alpha
        and not tok.ent_type_
        and word not in gz.TITLE_WORDS
        and word not in gz.HONORIFICS
        and word not in gz.PORTFOLIOS
        and word not in _COURTESY
        and not gz.country(word)
        and not gz.demonym_country(word)
    )


def extract_mentions(parsed: Parsed, *, options: MentionOptions = DEFAULT_OPTIONS) -> list[Mention]:
    """Mentions of people, organisations and places, with roles where the text gives one."""
    doc = parsed.doc
    # The article's text is the doc's; Doc.text rebuilds it token by token on every call.
    text = parsed.article.text
    cands = _raw(doc)
    if options.boundaries:
        cands = _fix_boundaries(text, cands)
    if options.gazetteer:
        cands = _apply_gazetteer(doc, cands, text)
    if options.datelines:
        cands = _apply_datelines(text, cands)
    if options.boundaries:
        cands = _institutions(doc, cands, text)
    if options.consistency:
        cands = _apply_consistency(doc, cands, text)
    article = parsed.article
    title_words = set(re.findall(r"[\w.]+", article.title.lower()))
    mentions: list[Mention] = []
    for c in cands:
        mention_text = text[c.start : c.end]
        if not any(ch.isalpha() for ch in mention_text):
            continue
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        role = affiliation = None
        if c.label == "PERSON" and span is not None:
            role, affiliation = _role(span)
        mentions.append(
            Mention(
                article=article.id,
                start=c.start,
                end=c.end,
                text=mention_text,
                type=c.label,
                role=role,
                head=_in_title(mention_text, c.label, title_words),
                subject=span is not None and _is_subject(span, place=c.label in _PLACE_TYPES),
                affiliation=affiliation,
                thing=span is not None and _as_thing(span, person=c.label == "PERSON"),
            )
        )
    return mentions + _anonymous_sources(parsed, mentions)


# Last words of institutions named after a person: "the Ada Lovelace Institute".
INSTITUTION_WORDS = frozenset(
    """
    museum center centre foundation institute university hospital prize award trust college
    library gallery school fund
    """.split()
)


def _institutions(doc: Doc, cands: list[_Cand], text: str) -> list[_Cand]:
    """A person's name directly followed by an institution's word is that institution's name:
    "the [Ada Lovelace] Institute" is one organisation, not a person and a word."""
    found: list[_Cand] = []
    for c in cands:
        if c.label == "PERSON" and text[c.start : c.end].split()[-1].lower() in INSTITUTION_WORDS:
            c.label = "ORG"  # the model took the whole name for a person's
            continue
        m = re.match(r" (\w+)", text[c.end : c.end + 20])
        if c.label != "PERSON" or m is None or m.group(1).lower() not in INSTITUTION_WORDS:
            continue
        start = c.start
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        # Given names the model left out: "[Ada] Lovelace Institute".
        i = span.start - 1 if span is not None else -1
        while i >= 0 and doc[i].is_title and doc[i].is_alpha and not doc[i].is_sent_start:
            if doc[i].lower_ in _ARTICLES or doc[i].idx + len(doc[i]) + 1 != start:
                break
            start = doc[i].idx
            i -= 1
        found.append(_Cand(start, c.end + m.end(), "ORG"))
    if not found:
        return cands
    kept = [c for c in cands if not any(c.start < f.end and f.start < c.end for f in found)]
    return sorted(kept + found, key=lambda c: c.start)


# Heads that make a name before them a group or its people, not a thing: "the Smith family".
_GROUP_HEADS = frozenset(
    """
    administration government campaign family team camp regime party side presidency cabinet
    office staff aide aides official officials supporter supporters lawyer lawyers spokesman
    spokeswoman spokesperson group force forces army brothers sisters clan dynasty family's
    """.split()
)


def _as_thing(ent: Span, *, person: bool = False) -> bool:
    """A name that stands for a thing rather than who acts: the modifier of a common noun
    with an article ("the Zorba cargo ship", "a new Zorba vessel", "the Quill case"), or the
    medium someone speaks on ("said on Zorba", "On Zorba, she wrote"). A name the model took
    for a person's is a thing too with an article ("the Zorba will not dock": a person's name
    takes none) or a serial number ("Zorba 59")."""
    root = ent.root
    doc = ent.doc
    if person and root.dep_ != "compound":
        before = doc[ent.start - 1] if ent.start > 0 else None
        after = doc[ent.end] if ent.end < len(doc) else None
        if before is not None and before.lower_ in _ARTICLES and before.head.i == root.i:
            return True
        if after is not None and after.like_num:
            return True
    head = root.head
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head  # "the Zorba [resupply] vehicle"
    if root.dep_ == "compound" and head.tag_ in {"NN", "NNS"} and head.i > root.i:
        det = [t for t in head.children if t.dep_ == "det"]
        if det and det[0].lower_ in _ARTICLES and head.lower_ not in _GROUP_HEADS:
            return True
    if root.dep_ == "pobj" and head.lower_ in {"on", "via"}:
        verb = head.head
        return verb.pos_ in {"VERB", "AUX"} and verb.lemma_.lower() in SPEECH_VERBS
    return False


def _in_title(text: str, label: str, title_words: set[str]) -> bool:
    """A person is in the headline by any part of the name ("Carney"), others by all of it."""
    words = set(re.findall(r"[\w.]+", _clean(text).lower()))
    if not words or not title_words:
        return False
    if label == "PERSON":
        return bool(words & title_words - gz.HONORIFICS)
    return words <= title_words


# --- roles ----------------------------------------------------------------------------------


def _role(ent: Span) -> tuple[str | None, str | None]:
    role = _role_before(ent) or _role_apposition(ent)
    if role is None:
        return None, None
    return role, _affiliation(ent.doc, role) or _place_after(ent)


def _place_after(ent: Span) -> str | None:
    """'Gov. Margaret Ellison of Michigan' speaks for Michigan."""
    doc = ent.doc
    if ent.end + 1 < len(doc) and doc[ent.end].lower_ == "of":
        nxt = doc[ent.end + 1]
        if nxt.ent_type_ in {"GPE", "ORG"} and nxt.ent_iob_ == "B":
            place = doc[nxt.i : nxt.i + 1]
            for e in doc.ents:
                if e.start == nxt.i:
                    place = e
            return gz.country(_clean(place.text)) or _clean(place.text)
    return None


def _affiliation(doc: Doc, role: str) -> str | None:
    """Who a person speaks for: the organisation named in the role ('executive director of the
    Center for ...'), else its country ('Canadian Trade Minister', 'Canada's trade minister')."""
    for ent in doc.ents:
        if ent.label_ == "ORG" and ent.text in role:
            name = _clean(ent.text)
            if not all(
                w.lower() in gz.PORTFOLIOS or w.lower() in gz.GENERIC_NAMES for w in name.split()
            ):
                return name
    of = re.search(
        r"\b(?:of|for) (?:the )?([A-Z][\w.&\-]*(?:\s+(?:of|for|and|the|[A-Z][\w.&\-]*))*)", role
    )
    if of and not all(w.lower() in gz.PORTFOLIOS for w in of.group(1).split()):
        return gz.country(_clean(of.group(1))) or _clean(of.group(1))
    for m in re.finditer(r"[A-Z][\w.\-’']*(?:\s+[A-Z][\w.\-]*)*", role):
        words = m.group().split()
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                part = " ".join(words[i : i + n])
                found = gz.country(_clean(part)) or gz.demonym_country(part)
                if found:
                    return found
    return None


def _role_before(ent: Span) -> str | None:
    """Titles written before a name: 'Trade Minister Dominic LeBlanc', 'U.S. President X'."""
    doc = ent.doc
    i = ent.start - 1
    first = None
    while i >= 0:
        tok = doc[i]
        if tok.is_space or "\n" in tok.whitespace_:
            break
        word = tok.lower_.rstrip(".")
        if (
            tok.is_title
            or tok.is_upper
            or tok.text in {"of", "for", "-"}
            or word in TITLE_WORDS
            or (word in gz.PORTFOLIOS and tok.is_alpha)
        ):
            if tok.text in {"of", "for", "-"} and (first is None):
                break
            first = i
            i -= 1
            continue
        break
    if first is None:
        return None
    while first < ent.start and (
        doc[first].lower_ in {"of", "for", "-", "the"}
        or (
            doc[first].is_sent_start is True
            and doc[first].lower_ in {"but", "and", "when", "while", "as", "after"}
        )
    ):
        first += 1
    while first < ent.start and doc[first].lower_.rstrip(".") in _COURTESY:
        first += 1  # "Dr." is a form of address, not a role
    words = doc[first : ent.start]
    if not any(t.lower_.rstrip(".") in TITLE_WORDS for t in words):
        return None
    return words.text.strip() or None


def _role_apposition(ent: Span) -> str | None:
    """'Jamie Tronnes, executive director of the Center ...,' gives the apposition."""
    doc = ent.doc
    if ent.end >= len(doc) or doc[ent.end].text != ",":
        return None
    for child in ent.root.children:
        if child.dep_ == "appos" and child.i > ent.end:
            span = doc[child.left_edge.i : child.right_edge.i + 1]
            if any(t.lower_ in TITLE_WORDS for t in span) and len(span) <= 16:
                role = span.text.strip(" ,")
                return re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.IGNORECASE)
    return None


_COPULAS = frozenset({"be", "become", "remain", "seem"})


def _is_subject(ent: Span, *, place: bool = False) -> bool:
    """The subject of its clause. A place only when it acts as a state: not a modifier of the
    subject ("No U.S. president has ..."), the subject of a copula ("Syria was the biggest
    destination") or of a relative clause."""
    if place:
        # nor in a relative clause: "the cards the U.S. issued" is background
        head = ent.root.head
        return (
            ent.root.dep_ in {"nsubj", "nsubjpass"}
            and head.lemma_ not in _COPULAS
            and head.dep_ != "relcl"
        )
    return ent.root.dep_ in {"nsubj", "nsubjpass"} or (
        ent.root.dep_ == "compound" and ent.root.head.dep_ in {"nsubj", "nsubjpass"}
    )


# --- anonymous sources ----------------------------------------------------------------------


def _chunks_headed_by(doc: Doc, lemmas: frozenset[str]) -> Iterable[Span]:
    """``doc.noun_chunks``, only in the sentences that hold a word with one of ``lemmas``.

    A chunk never crosses a sentence, so this gives the same chunks there as ``doc.noun_chunks``
    does, without walking the whole parse (most articles hold only a few such sentences).
    """
    from spacy.tokens import Span

    chunker = getattr(doc, "noun_chunks_iterator", None)
    if chunker is None:
        yield from doc.noun_chunks  # raises, as doc.noun_chunks does without an iterator
        return
    sentences: dict[int, Span] = {}
    for i, lemma in enumerate(token_strings(doc).lemma):
        if lemma not in lemmas:
            continue
        sent = doc[i].sent
        sentences.setdefault(sent.start, sent)
    for sent in sentences.values():
        for start, end, label in chunker(sent):
            yield Span(doc, start, end, label=label)


def _anonymous_sources(parsed: Parsed, named: list[Mention]) -> list[Mention]:
    """Unnamed sources ('a senior Canadian government official', then 'the source').

    An indefinite description opens a new source; a definite one ("the source", "the
    official") refers back to the latest one opened in the article.
    """
    doc = parsed.doc
    named_spans = [(m.start, m.end) for m in named if m.type in {"PERSON", "ORG"}]
    out: list[Mention] = []
    current: str | None = None
    count = 0
    for chunk in _chunks_headed_by(doc, ANONYMOUS_HEADS):
        root = chunk.root
        if root.lemma_.lower() not in ANONYMOUS_HEADS or root.tag_ in {"NNS", "NNPS"}:
            continue
        if any(s < chunk.end_char and chunk.start_char < e for s, e in named_spans):
            continue
        det = chunk[0].lower_
        if det in {"a", "an", "one", "another"}:
            count += 1
            current = f"anon-{count}"
        elif det not in {"the", "this", "that"} or current is None:
            continue
        words = chunk.text
        role, affiliation = "unnamed source", None
        for w in words.split():
            affiliation = affiliation or gz.demonym_country(w) or gz.country(w)
        out.append(
            Mention(
                article=parsed.article.id,
                start=chunk.start_char,
                end=chunk.end_char,
                text=words,
                type="OTHER",
                role=role,
                subject=root.dep_ in {"nsubj", "nsubjpass"},
                affiliation=affiliation,
                ref=current,
            )
        )
    return out
