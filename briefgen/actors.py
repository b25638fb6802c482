"""Key actors: entity mentions per article, merged into actors across the week.

Mentions start from spaCy's entities and are then corrected in three steps that can each be
switched off (see :class:`MentionOptions` and ``briefgen eval ner --ablate``):

- boundaries: no leading "the", trailing possessive or punctuation, no span across a line
  break, "U.S" gets its final period back, "Washington, D.C." is one place;
- gazetteer: countries and demonyms, regions and titles written by hand (``gazetteer.py``):
  honorifics leave person spans, "Trade" before "Minister" is no organisation, a country is a
  place whatever the model said, a demonym is not one;
- consistency: one type per name in an article, a word of a person's name is that person, and
  names found once are found again where the model missed them;
- datelines: the place a story was filed from ("OTTAWA —") is a place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from . import gazetteer as gz
from .doc import Actor, ActorType, Analysis, Mention, Parsed, Quote

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
SPEECH_VERBS = frozenset(
    """
    say tell note add state warn caution argue claim insist explain remark reply respond
    announce declare predict suggest acknowledge admit confirm deny write emphasize emphasise
    stress indicate describe urge ask mention express believe observe point recall concede
    complain contend estimate maintain promise pledge vow threaten signal tweet post
    """.split()
)
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


@lru_cache(maxsize=1 << 16)  # a pure function of the text; the week's merge asks per mention
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
                s2, e2 = _trim_tail(text, *_trim(text, s2, e2))
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
    for c in cands:
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


def _before_title(text: str, end: int) -> bool:
    nxt = text[end : end + 30].split()
    return bool(nxt) and nxt[0].lower().strip(",.") in gz.TITLE_WORDS


_COUNTRY_PATTERN = re.compile(
    r"(?<![\w.])("
    + "|".join(
        re.escape(f)
        for f in sorted(
            (f for f in gz.COUNTRY_FORMS if not f.startswith("the ") and len(f) > 2),
            key=len,
            reverse=True,
        )
    )
    + r")(?![\w])",
    re.IGNORECASE,
)


def _add_countries(doc: Doc, cands: list[_Cand], text: str) -> list[_Cand]:
    """Country names the model left untagged (often in all-capital headlines)."""
    taken = [(c.start, c.end) for c in cands]
    added: list[_Cand] = []
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
    r"[ \t]*(?:[—–]|--|\(\w+\)|\d{4}-\d\d-\d\d\b)",
    re.MULTILINE,
)


def _apply_datelines(text: str, cands: list[_Cand]) -> list[_Cand]:
    """The place a story was filed from: 'OTTAWA —', 'RANGOON 1996-12-06', 'WASHINGTON, D.C. —'."""
    places: list[tuple[int, int]] = []
    for m in _DATELINE.finditer(text, 0, min(len(text), 400)):
        city_start, city_end = m.span("city")
        if not text[city_start:city_end].isupper() or len(m.group("city")) < 3:
            continue
        region = m.group("region")
        if region and region.rstrip(".").upper() == "D.C":
            places.append((city_start, m.end("region")))
            continue
        places.append((city_start, city_end))
        if region:
            places.append(m.span("region"))
    if not places:
        return cands
    kept = [c for c in cands if not any(c.start < e and s < c.end for s, e in places)]
    return sorted(
        kept + [_Cand(s, e, "GPE", dateline=True) for s, e in places], key=lambda c: c.start
    )


def _apply_consistency(doc: Doc, cands: list[_Cand], text: str) -> list[_Cand]:
    names = [_clean(text[c.start : c.end]) for c in cands]
    person_words: set[str] = set()
    for c, n in zip(cands, names, strict=True):
        if c.label == "PERSON" and len(n.split()) >= 2:
            person_words.update(w for w in n.split() if w[:1].isupper())
    # A word of a person's name is that person ("Tarlo" after "Leonie Tarlo").
    for c, n in zip(cands, names, strict=True):
        if c.label != "PERSON" and n in person_words and not gz.country(n):
            c.label = "PERSON"
    # One type per name in the article: the majority, persons winning ties.
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c, n in zip(cands, names, strict=True):
        votes[n.lower()][c.label] += 3 if c.dateline else 1  # a dateline is surely a place
    for c, n in zip(cands, names, strict=True):
        counts = votes[n.lower()]
        best = max(counts, key=lambda t: (counts[t], t == "PERSON", t))
        if counts[best] > counts[c.label]:
            c.label = best  # type: ignore[assignment]
    return _propagate(doc, cands, names, person_words, text)


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
    pattern = re.compile(
        r"(?<![\w.\-])("
        + "|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True))
        + r")(?![\w\-])"
    )
    added: list[_Cand] = []
    for m in pattern.finditer(text):
        s, e = m.span()
        if any(s < b and a < e for a, b in taken):
            continue
        span = doc.char_span(s, e)
        if span is None:
            continue
        # Skip when the word is one part of a longer capitalised name the model did not tag.
        left = doc[span.start - 1] if span.start > 0 else None
        right = doc[span.end] if span.end < len(doc) else None
        if (left is not None and left.is_title and not left.is_sent_start) or (
            right is not None and right.is_title and right.pos_ == "PROPN"
        ):
            continue
        added.append(_Cand(s, e, wanted[m.group()]))
        taken.append((s, e))
    return sorted(cands + added, key=lambda c: c.start)


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
                subject=span is not None and _is_subject(span),
                affiliation=affiliation,
            )
        )
    return mentions + _anonymous_sources(parsed, mentions)


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


def _is_subject(ent: Span) -> bool:
    return ent.root.dep_ in {"nsubj", "nsubjpass"} or (
        ent.root.dep_ == "compound" and ent.root.head.dep_ in {"nsubj", "nsubjpass"}
    )


# --- anonymous sources ----------------------------------------------------------------------


def _chunks_headed_by(doc: Doc, lemmas: frozenset[str]) -> Iterable[Span]:
    """``doc.noun_chunks``, only in the sentences that hold a word with one of ``lemmas``.

    A chunk never crosses a sentence, so this gives the same chunks there as ``doc.noun_chunks``
    does, without walking the whole parse (most articles hold only a few such sentences).
    """
    import numpy as np
    from spacy.attrs import LEMMA
    from spacy.tokens import Span

    chunker = getattr(doc, "noun_chunks_iterator", None)
    if chunker is None:
        yield from doc.noun_chunks  # raises, as doc.noun_chunks does without an iterator
        return
    strings = doc.vocab.strings
    column = doc.to_array(LEMMA)
    wanted = [h for h in set(column.tolist()) if strings[h].lower() in lemmas]
    sentences: dict[int, Span] = {}
    for i in np.flatnonzero(np.isin(column, wanted)).tolist():
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


# --- what each said or did ------------------------------------------------------------------


def extract_quotes(parsed: Parsed, mentions: list[Mention]) -> list[Quote]:
    """Sentences where an actor is the subject of a speech verb ("said"), or of the main verb
    of its sentence ("did"). A pronoun speaker ("she said") is the latest speaker or person
    named in the two sentences before."""
    by_start = {m.start: m for m in mentions if m.type in {"PERSON", "ORG", "OTHER", "GPE"}}
    quotes: list[Quote] = []
    # The latest person ("he", "she") and the latest unnamed source or organisation ("they").
    recent: dict[str, tuple[Mention, int]] = {}
    for n, sent in enumerate(parsed.doc.sents):
        found: Quote | None = None
        for tok in sent:
            if tok.pos_ not in {"VERB", "AUX"} or tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            speaker = _speaker(tok, by_start)
            pronoun = _pronoun_subject(tok)
            if speaker is None and pronoun is not None:
                cand = recent.get("they" if pronoun == "they" else "person")
                if cand is not None and n - cand[1] <= 2:
                    speaker = cand[0]
            if speaker is None:
                continue
            found = _quote(parsed, sent, speaker, "said")
            break
        if found is None:
            root = sent.root
            for child in root.children:
                if child.dep_ == "nsubj" and root.pos_ == "VERB":
                    m = _mention_at(child, by_start)
                    if m is not None and m.type != "GPE":
                        found = _quote(parsed, sent, m, "did")
                    break
        if found is not None:
            quotes.append(found)
        for m in mentions:
            if sent.start_char <= m.start < sent.end_char:
                if m.type == "PERSON":
                    recent["person"] = (m, n)
                elif m.type == "OTHER" or (m.type == "ORG" and m.subject):
                    recent["they"] = (m, n)
        if found is not None and found.kind == "said":
            speaker_m = by_start[found.speaker_start or 0]
            recent["person" if speaker_m.type == "PERSON" else "they"] = (speaker_m, n)
    return quotes


def _quote(parsed: Parsed, sent: Span, speaker: Mention, kind: str) -> Quote:
    text = sent.text.strip()
    start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    return Quote(
        article=parsed.article.id,
        start=start,
        end=start + len(text),
        text=text,
        speaker=speaker.text,
        speaker_start=speaker.start,
        kind="said" if kind == "said" else "did",
    )


def _pronoun_subject(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"he", "she", "they"}:
            return c.lower_
    return None


def _mention_at(tok: Token, by_start: dict[int, Mention]) -> Mention | None:
    """The mention that the subject word belongs to ("Trade Minister Dominic LeBlanc")."""
    for m in by_start.values():
        if m.start <= tok.idx < m.end:
            return m
    return None


def _speaker(verb: Token, by_start: dict[int, Mention]) -> Mention | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} or (
            child.dep_ == "prep" and child.lower_ == "according"
        ):
            found = _mention_at(child, by_start)
            if found is not None:
                return found
            # "Priya Raman, executive director of ..., said": the apposition's anchor speaks;
            # "the U.S. trade representative said": the country in the compound does not.
            for t in child.subtree:
                if t.dep_ in {"appos", "pobj"} and t.head.i in {
                    child.i,
                    *(c.i for c in child.children),
                }:
                    m = _mention_at(t, by_start)
                    if m is not None and m.type != "GPE":
                        return m
            return None
    return None


# --- across articles ------------------------------------------------------------------------


def _norm(name: str) -> str:
    return _WS.sub(" ", name.lower().replace(".", "").replace("’", "'")).strip()


def canonical_key(mention: Mention) -> str:
    name = _clean(mention.text)
    if name.lower().startswith("washington, d"):
        name = "Washington"
    found = gz.country(name) or gz.country(mention.text.strip()) or gz.union(name)
    if found:
        return _norm(found)
    norm = _norm(name)
    return gz.ORG_ALIASES.get(norm, norm)


def acronym_of(name: str) -> str:
    """Initials of a name's capitalised words: 'Office of the U.S. Trade Representative' ->
    'OUSTR' (and 'U.S.' gives 'US')."""
    letters: list[str] = []
    for word in re.split(r"[\s\-]+", name):
        if _INITIALS.match(word.rstrip(".")):
            letters.extend(c for c in word if c.isalpha())
        elif word[:1].isupper():
            letters.append(word[0])
    return "".join(letters).upper()


def _acronym_matches(acronym: str, name: str) -> bool:
    """'USTR' for 'Office of the U.S. Trade Representative': all the initials, or all but a
    leading generic word ("Office", "Department")."""
    initials = acronym_of(name)
    acronym = acronym.replace(".", "").upper()
    if len(acronym) < 2 or len(initials) < 2:
        return False
    return acronym == initials or (
        name.split()[0].lower() in {"office", "department", "ministry", "agency"}
        and acronym == initials[1:]
    )


def merge_actors(analyses: Iterable[Analysis]) -> list[Actor]:
    """One actor per real-world entity, most salient first."""
    analyses = list(analyses)
    all_mentions = [m for a in analyses for m in a.mentions]
    keys = _group_keys(all_mentions)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m, key in zip(all_mentions, keys, strict=True):
        groups[key].append(m)

    # Only mentions that speak a quote are looked up (not every mention of the week).
    speaking = {(q.article, q.speaker_start) for a in analyses for q in a.quotes}
    actor_of_start: dict[tuple[str, int], str] = {}
    for key, ms in groups.items():
        for m in ms:
            if (m.article, m.start) in speaking:
                actor_of_start[(m.article, m.start)] = key
    quotes_of: dict[str, list[Quote]] = defaultdict(list)
    for a in analyses:
        for q in a.quotes:
            if q.speaker_start is not None and (q.article, q.speaker_start) in actor_of_start:
                quotes_of[actor_of_start[(q.article, q.speaker_start)]].append(q)

    actors = [_actor(key, ms, quotes_of[key]) for key, ms in groups.items()]
    actors.sort(key=lambda a: (-a.salience, a.name))
    top = max((a.salience for a in actors), default=1.0) or 1.0
    used: set[str] = set()
    for actor in actors:
        actor.salience = round(actor.salience / top, 4)
        actor.id = _slug(actor.name, used)
    return actors


def _group_keys(mentions: list[Mention]) -> list[str]:
    """The merge key of every mention: name variants, acronyms and country forms agree."""
    full_person: dict[str, set[str]] = defaultdict(set)  # a word of a name -> full names
    full_in_article: dict[tuple[str, str], set[str]] = defaultdict(set)
    full_articles: dict[str, set[str]] = defaultdict(set)
    person_keys: set[str] = set()
    org_names: list[str] = []
    org_first: dict[tuple[str, str], set[str]] = defaultdict(set)  # "Brightwell Analytics"
    # The key depends on the mention's text alone: worked out once per distinct text (a week of
    # 100,000 articles has 1.8 million mentions and a tenth as many texts).
    key_of: dict[str, str] = {}
    for m in mentions:
        if m.text not in key_of:
            key_of[m.text] = canonical_key(m)
    for m in mentions:
        key = key_of[m.text]
        if m.type == "PERSON":
            person_keys.add(key)
            parts = key.split()
            if len(parts) >= 2:
                full_articles[key].add(m.article)
                for w in parts:
                    full_person[w].add(key)
                    full_in_article[(m.article, w)].add(key)
        elif m.type == "ORG" and len(_clean(m.text).split()) >= 2:
            org_names.append(_clean(m.text))
            org_first[(m.article, key.split()[0])].add(key)
    acronyms: dict[str, str] = {}
    # Ties in length are broken by name: set order changes with the hash seed.
    for name in sorted(set(org_names), key=lambda n: (-len(n), n)):
        initials = acronym_of(name)
        for cand in {initials, initials[1:]}:
            if len(cand) >= 2 and _acronym_matches(cand, name):
                acronyms.setdefault(cand.lower(), _norm(name))

    ranked_of: dict[str, list[str]] = {}
    same: dict[str, str] = {}
    keys: list[str] = []
    for m in mentions:
        key = key_of[m.text]
        single = len(key.split()) == 1
        if m.type == "OTHER":
            key = f"anon:{m.article}:{m.ref}"
        elif single and len(full_in_article[(m.article, key)]) == 1 and m.type != "GPE":
            # "Trump" is the "Donald Trump" of the same article ...
            key = "person:" + next(iter(full_in_article[(m.article, key)]))
        elif (
            single
            and full_person[key]
            and (m.type == "PERSON" or (m.type == "ORG" and not key.isupper()))
        ):
            # ... else the one that dominates the week, else a person known by one name.
            if key not in ranked_of:
                ranked_of[key] = sorted(full_person[key], key=lambda k: (-len(full_articles[k]), k))
            ranked = ranked_of[key]
            top = len(full_articles[ranked[0]])
            if len(ranked) == 1 or top >= 2 * len(full_articles[ranked[1]]):
                key = "person:" + ranked[0]
            else:
                key = "person:" + key
        elif m.type == "PERSON":
            key = "person:" + key
        elif m.type in _PLACE_TYPES or gz.country(key):
            key = "place:" + key
        elif m.type == "NORP":
            key = "norp:" + key
        elif m.type == "ORG" and single and len(org_first[(m.article, key)]) == 1:
            key = "org:" + next(iter(org_first[(m.article, key)]))
        elif single and key in acronyms:
            key = "org:" + acronyms[key]
        else:
            key = "org:" + key
        keys.append(same.setdefault(key, key))  # one string per key, not one per mention
    return keys


def _actor(key: str, ms: list[Mention], quotes: list[Quote]) -> Actor:
    ms.sort(key=lambda m: (m.article, m.start))
    types = Counter(m.type for m in ms)
    type_: ActorType = max(types, key=lambda t: (types[t], t == "PERSON", t))
    forms = Counter(_clean(m.text) for m in ms)
    if type_ == "OTHER":
        first = next((m for m in ms if m.text.split()[0].lower() in {"a", "an", "one"}), ms[0])
        name = first.text[0].upper() + first.text[1:]
    else:
        name = _canonical_name(key, forms)
    roles = Counter(m.role for m in ms if m.role)
    role = max(roles, key=lambda r: (roles[r], len(r))) if roles else None
    affiliations = Counter(m.affiliation for m in ms if m.affiliation)
    articles = sorted({m.article for m in ms})
    salience = (
        len(ms)
        + 1.5 * sum(m.subject for m in ms)
        + 2.0 * sum(m.head for m in ms)
        + 3.0 * (len(articles) - 1)
        + 1.0 * sum(q.kind == "said" for q in quotes)
    )
    if type_ == "NORP":
        salience *= 0.3  # "Canadian" says less about who acts than "Canada"
    elif type_ == "OTHER":
        salience *= 0.6  # an unnamed source speaks, but is rarely who the story is about
    # Direct quotations first: they say best what the actor said.
    said = sorted(
        (q for q in quotes if q.kind == "said"),
        key=lambda q: not re.search(r"[\"“”]", q.text),
    )
    did = [q for q in quotes if q.kind == "did"]
    seen: set[tuple[str, int]] = set()
    ordered = []
    for q in said + did:
        if (q.article, q.start) not in seen:
            seen.add((q.article, q.start))
            ordered.append(q)
    return Actor(
        id="",
        name=name,
        type=type_,
        role=role,
        aliases=sorted((f for f in forms if f != name), key=lambda f: (-forms[f], f)),
        salience=salience,
        articles=articles,
        mentions=ms,
        quotes=ordered,
        affiliation=affiliations.most_common(1)[0][0] if affiliations else None,
    )


def _canonical_name(key: str, forms: Counter[str]) -> str:
    found = gz.country(key.split(":", 1)[-1]) or gz.union(key.split(":", 1)[-1])
    if found:
        return found
    if key.startswith("place:washington") and any(f.lower() == "washington" for f in forms):
        return "Washington"

    def rank(form: str) -> tuple[bool, bool, int, int, str]:
        # Written as in running text beats ALL CAPS; full names beat acronyms and surnames.
        shouting = form.isupper() and len(form) > 6
        return (not shouting, not form.isupper(), len(form.split()), forms[form], form)

    best = max(forms, key=rank)
    if best.isupper() and len(best) > 6:
        best = best.title()
    return best


def _slug(name: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "actor"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug
