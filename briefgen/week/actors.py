"""Actors across the week: one actor per person or body, merged from every article's mentions.

Reads each article's mentions and quotes; adds :class:`~briefgen.doc.Actor` rows with aliases,
roles and salience.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefgen.article import gazetteer as gz
from briefgen.article.mentions import _INITIALS, _PLACE_TYPES, _WS, _clean
from briefgen.doc import Actor, ActorType, Analysis, Mention, Quote

if TYPE_CHECKING:
    pass


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

    actor_of_start: dict[tuple[str, int], str] = {}
    for key, ms in groups.items():
        for m in ms:
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
    for m in mentions:
        key = canonical_key(m)
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
            org_first[(m.article, canonical_key(m).split()[0])].add(canonical_key(m))
    acronyms: dict[str, str] = {}
    # Ties in length are broken by name: set order changes with the hash seed.
    for name in sorted(set(org_names), key=lambda n: (-len(n), n)):
        initials = acronym_of(name)
        for cand in {initials, initials[1:]}:
            if len(cand) >= 2 and _acronym_matches(cand, name):
                acronyms.setdefault(cand.lower(), _norm(name))

    keys: list[str] = []
    for m in mentions:
        key = canonical_key(m)
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
            ranked = sorted(full_person[key], key=lambda k: (-len(full_articles[k]), k))
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
        keys.append(key)
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
