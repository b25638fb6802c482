"""Key actors: entity mentions per article, merged into actors across the week."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from .doc import Actor, ActorType, Analysis, Mention, Parsed, Quote

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ACTOR_LABELS: dict[str, ActorType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "FAC",
    "NORP": "NORP",
}
TITLE_WORDS = frozenset(
    """
        president minister secretary chancellor premier governor senator representative
        ambassador chair chairman chairwoman chairperson ceo director chief spokesperson
        spokesman spokeswoman commissioner mayor king queen prince princess pope judge
        justice general admiral officer official leader head deputy vice attorney treasurer
        economist analyst professor founder executive manager negotiator envoy lawmaker
        speaker adviser advisor councillor councilor inspector superintendent sheriff
        commander counsel
        """.split()
)
SPEECH_VERBS = frozenset(
    """
        say tell note add state warn caution argue claim insist explain remark reply respond
        announce declare predict suggest acknowledge admit confirm deny write emphasize
        emphasise stress indicate describe urge ask
        """.split()
)
COUNTRY_ALIASES = {
    "u.s.": "United States",
    "us": "United States",
    "u.s.a.": "United States",
    "usa": "United States",
    "united states": "United States",
    "the united states": "United States",
    "america": "United States",
    "united states of america": "United States",
    "u.k.": "United Kingdom",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "the united kingdom": "United Kingdom",
    "eu": "European Union",
    "e.u.": "European Union",
    "european union": "European Union",
    "the european union": "European Union",
}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _clean(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,.;:")


def _trim_span(ent: Span) -> tuple[int, int, str]:
    """Character span of an entity without a leading article or a trailing possessive."""
    start, end = ent.start_char, ent.end_char
    text = ent.text
    if ent[0].lower_ == "the" and len(ent) > 1:
        start = ent[1].idx
    m = _POSSESSIVE.search(text)
    if m and ent.label_ in {"PERSON", "ORG", "GPE"}:
        end -= len(m.group())
    doc_text = ent.doc.text
    while end > start and doc_text[end - 1] in " ,.;:":
        if doc_text[end - 1] == "." and re.search(
            r"\b[A-Z]\.$|\b[A-Z]\.[A-Z]\.$", doc_text[start:end]
        ):
            break
        end -= 1
    return start, end, doc_text[start:end]


def _role_before(ent: Span) -> str | None:
    """Titles written before a name: 'Trade Minister Dominic LeBlanc', 'U.S. President X'."""
    doc = ent.doc
    i = ent.start - 1
    first = None
    while i >= 0:
        tok = doc[i]
        if tok.is_title or tok.is_upper or tok.text in {"of", "for", "-"}:
            if tok.text in {"of", "for", "-"} and (first is None):
                break
            first = i
            i -= 1
            continue
        break
    if first is None:
        return None
    while first < ent.start and doc[first].lower_ in {"of", "for", "-"}:
        first += 1
    words = doc[first : ent.start]
    if not any(t.lower_ in TITLE_WORDS for t in words):
        return None
    return words.text.strip() or None


def _role_apposition(ent: Span) -> str | None:
    """'Jamie Tronnes, executive director of the Center ...,' gives the apposition."""
    doc = ent.doc
    if ent.end >= len(doc) or doc[ent.end].text != ",":
        return None
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i > ent.end:
            span = doc[child.left_edge.i : child.right_edge.i + 1]
            if any(t.lower_ in TITLE_WORDS for t in span) and len(span) <= 16:
                return span.text.strip(" ,")
    return None


def _is_subject(ent: Span) -> bool:
    return ent.root.dep_ in {"nsubj", "nsubjpass"} or (
        ent.root.dep_ == "compound" and ent.root.head.dep_ in {"nsubj", "nsubjpass"}
    )


def extract_mentions(parsed: Parsed) -> list[Mention]:
    """Mentions of people, organisations and places, with roles where the text gives one."""
    article = parsed.article
    title_lower = article.title.lower()
    mentions: list[Mention] = []
    for ent in parsed.doc.ents:
        label = ACTOR_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end, text = _trim_span(ent)
        if end <= start or not any(c.isalpha() for c in text):
            continue
        role = None
        if label == "PERSON":
            role = _role_before(ent) or _role_apposition(ent)
        mentions.append(
            Mention(
                article=article.id,
                start=start,
                end=end,
                text=text,
                type=label,
                role=role,
                head=_clean(text).lower() in title_lower,
                subject=_is_subject(ent),
            )
        )
    return _consistent_types(mentions)


def _consistent_types(mentions: list[Mention]) -> list[Mention]:
    """A name tagged as a person once is a person throughout the article."""
    person_tokens: set[str] = set()
    for m in mentions:
        if m.type == "PERSON":
            person_tokens.update(_clean(m.text).split())
    out = []
    for m in mentions:
        if m.type in {"ORG", "GPE", "NORP"} and _clean(m.text) in person_tokens:
            m = Mention(m.article, m.start, m.end, m.text, "PERSON", m.role, m.head, m.subject)
        out.append(m)
    return out


def extract_quotes(parsed: Parsed, mentions: list[Mention]) -> list[Quote]:
    """Sentences where a named actor is the subject of a speech verb."""
    by_start = {m.start: m for m in mentions if m.type in {"PERSON", "ORG"}}
    quotes: list[Quote] = []
    for sent in parsed.doc.sents:
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            speaker = _speaker(tok, by_start)
            if speaker is None:
                continue
            text = sent.text.strip()
            quotes.append(
                Quote(
                    article=parsed.article.id,
                    start=sent.start_char,
                    end=sent.start_char + len(text),
                    text=text,
                    speaker=speaker,
                )
            )
            break
    return quotes


def _speaker(verb: Token, by_start: dict[int, Mention]) -> str | None:
    for child in verb.children:
        if child.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        for tok in child.subtree:
            m = by_start.get(tok.idx)
            if m is not None:
                return m.text
        # Anonymous sources ("a senior government official") speak for themselves.
        if child.lower_ in {"official", "source", "spokesperson", "spokesman", "spokeswoman"}:
            return " ".join(t.text for t in child.subtree if not t.is_punct)
    return None


# --- across articles -------------------------------------------------------------------------


def canonical_key(mention: Mention) -> str:
    name = _clean(mention.text)
    alias = COUNTRY_ALIASES.get(name.lower()) or COUNTRY_ALIASES.get(mention.text.strip().lower())
    return (alias or name).lower()


def merge_actors(analyses: Iterable[Analysis]) -> list[Actor]:
    """One actor per real-world entity, most salient first."""
    analyses = list(analyses)
    groups: dict[str, list[Mention]] = defaultdict(list)
    full_names: dict[str, str] = {}  # surname -> full person key
    all_mentions = [m for a in analyses for m in a.mentions]
    for m in all_mentions:
        if m.type == "PERSON":
            parts = canonical_key(m).split()
            if len(parts) >= 2:
                full_names.setdefault(parts[-1], " ".join(parts))
    for m in all_mentions:
        key = canonical_key(m)
        if m.type == "PERSON" and len(key.split()) == 1 and key in full_names:
            key = full_names[key]
        if m.type in {"GPE", "LOC", "FAC"}:
            key = "place:" + key
        elif m.type == "NORP":
            key = "norp:" + key
        groups[key].append(m)

    quotes_by_article: dict[str, list[Quote]] = defaultdict(list)
    for a in analyses:
        quotes_by_article[a.article.id].extend(a.quotes)

    actors: list[Actor] = []
    for ms in groups.values():
        ms.sort(key=lambda m: (m.article, m.start))
        names = sorted({_clean(m.text) for m in ms}, key=lambda n: (-len(n), n))
        alias = COUNTRY_ALIASES.get(names[0].lower()) if names else None
        name = alias or names[0]
        types: dict[str, int] = defaultdict(int)
        for m in ms:
            types[m.type] += 1
        type_ = cast(ActorType, max(types, key=lambda t: (types[t], t)))
        roles = [m.role for m in ms if m.role]
        articles = sorted({m.article for m in ms})
        salience = (
            len(ms)
            + 1.5 * sum(m.subject for m in ms)
            + 2.0 * sum(m.head for m in ms)
            + 3.0 * (len(articles) - 1)
        )
        surface = {m.text for m in ms}
        quotes = [
            q
            for art in articles
            for q in quotes_by_article[art]
            if q.speaker in surface or _clean(q.speaker) in names
        ]
        actors.append(
            Actor(
                id="",
                name=name,
                type=type_,
                role=max(set(roles), key=roles.count) if roles else None,
                aliases=[n for n in names if n != name],
                salience=salience,
                articles=articles,
                mentions=ms,
                quotes=quotes,
            )
        )
    actors.sort(key=lambda a: (-a.salience, a.name))
    top = max((a.salience for a in actors), default=1.0) or 1.0
    used: set[str] = set()
    for actor in actors:
        actor.salience = round(actor.salience / top, 4)
        actor.id = _slug(actor.name, used)
    return actors


def _slug(name: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "actor"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug
