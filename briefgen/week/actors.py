"""Actors across the week: one actor per person or body, merged from every article's mentions.

Reads each article's mentions (named, linked and unnamed parties), quotes, summary, risks and
dates; adds :class:`~briefgen.doc.Actor` rows with aliases, roles, their part in the news
(actor, setting or subject), what each does or says, and salience: the part each plays in the
main events, the lead, the summary, risks and upcoming dates, quoted as a party or a
commentator.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.article import gazetteer as gz
from briefgen.article.mentions import _INITIALS, _PLACE_TYPES, _WS, _clean
from briefgen.doc import Actor, ActorType, Analysis, Mention, Quote
from briefgen.week import without_gc

# --- across articles ------------------------------------------------------------------------


# A name cleaned once per distinct text: an actor's forms are counted over every mention (3.3
# million at 100,000 articles, a tenth as many texts), each cleaning three substitutions.
_cleaned = functools.lru_cache(maxsize=1 << 18)(_clean)


def _norm(name: str) -> str:
    return _WS.sub(" ", name.lower().replace(".", "").replace("’", "'")).strip()


def canonical_key(mention: Mention) -> str:
    name = _clean(mention.canonical or mention.text)
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


@without_gc
def merge_actors(analyses: Iterable[Analysis]) -> list[Actor]:
    """One actor per real-world entity, most salient first."""
    analyses = list(analyses)
    all_mentions = [m for a in analyses for m in a.mentions]
    keys = _group_keys(all_mentions)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m, key in zip(all_mentions, keys, strict=True):
        groups[key].append(m)
    groups = _merge_named_groups(_merge_unnamed(groups))

    actor_of_start: dict[tuple[str, int], str] = {}
    for key, ms in groups.items():
        for m in ms:
            actor_of_start[(m.article, m.start)] = key
    quotes_of: dict[str, list[Quote]] = defaultdict(list)
    for a in analyses:
        for q in a.quotes:
            if q.speaker_start is not None and (q.article, q.speaker_start) in actor_of_start:
                quotes_of[actor_of_start[(q.article, q.speaker_start)]].append(q)

    context = _Context.of(analyses)
    actors = [_actor(key, ms, quotes_of[key], context) for key, ms in groups.items()]
    _rank_parts(actors)
    actors.sort(key=lambda a: (-a.salience, a.name))
    # A name belongs to one actor: "Ottawa" the dateline's city is not an alias of Canada too.
    names = {_norm(a.name) for a in actors}
    for actor in actors:
        actor.aliases = [f for f in actor.aliases if _norm(f) not in names]
    top = max((a.salience for a in actors), default=1.0) or 1.0
    used: set[str] = set()
    for actor in actors:
        actor.salience = round(actor.salience / top, 4)
        actor.id = _slug(actor.name, used)
    return actors


def _merge_unnamed(groups: dict[str, list[Mention]]) -> dict[str, list[Mention]]:
    """One unnamed party across the articles of one story: the same description ("a senior
    Canadian government official") in articles that share a named person or organisation."""
    anchors: dict[str, set[str]] = defaultdict(set)  # article -> its named people and bodies
    for key, ms in groups.items():
        if key.startswith(("person:", "org:")):
            for m in ms:
                anchors[m.article].add(key)
    merged: dict[str, list[Mention]] = {}
    seen: dict[str, list[tuple[set[str], str]]] = defaultdict(list)  # description -> groups
    for key, ms in groups.items():
        if not key.startswith("anon:"):
            merged[key] = ms
            continue
        description = _norm(_strip_det(max((m.text for m in ms), key=len)))
        named = set().union(*(anchors[m.article] for m in ms))
        # within one article, two parties the article kept apart stay apart
        articles = {m.article for m in ms}
        into = next(
            (
                k
                for known, k in seen[description]
                if known & named and not articles & {m.article for m in merged[k]}
            ),
            None,
        )
        if into is None:
            seen[description].append((named, key))
            merged[key] = ms
        else:
            merged[into] = merged[into] + ms
            for known, k in seen[description]:
                if k == into:
                    known |= named
    return merged


_NAMED_PART = re.compile(
    r"^([A-Z][\w'’&.\-]*(?:\s+(?:(?:of|the|and|for|&)\s+)*[A-Z][\w'’&.\-]*)+)\s+[a-z]"
)


def named_part(description: str) -> str | None:
    """The name a description of a group starts with: "Naqshbandi Order" in "the Naqshbandi
    Order insurgent group" (two capitalised words or more, not a country's)."""
    m = _NAMED_PART.match(_strip_det(description))
    if m is None:
        return None
    name = m.group(1)
    if gz.country(name) or gz.demonym_country(name.split()[0]):
        return None
    return name


def _merge_named_groups(groups: dict[str, list[Mention]]) -> dict[str, list[Mention]]:
    """A group described by a body the article names is that body: "Trussell Trust food banks"
    belong with the "Trussell Trust" of the same article."""
    named = {key.split(":", 1)[1]: key for key in groups if key.startswith(("org:", "person:"))}
    out: dict[str, list[Mention]] = {}
    for key, ms in groups.items():
        into = None
        if key.startswith("anon:"):
            parts = {named_part(m.text) for m in ms} - {None}
            for part in sorted(p for p in parts if p):
                k = named.get(_norm(part))
                if k and {m.article for m in groups[k]} & {m.article for m in ms}:
                    into = k
                    break
        if into is None:
            out.setdefault(key, []).extend(ms)
        else:
            out.setdefault(into, []).extend(ms)
    return out


def _rank_parts(actors: list[Actor]) -> None:
    """Who acts first; then where it happens, then what it is about: each tier's salience is
    scaled below the least salient of the tier before, keeping its own order."""
    floor: float | None = None
    for part in ("actor", "setting", "subject"):
        tier = [a for a in actors if a.part == part and a.salience > 0]
        if not tier:
            continue
        top = max(a.salience for a in tier)
        if floor is not None and top >= floor:
            scale = 0.9 * floor / top
            for a in tier:
                a.salience *= scale
        floor = min(a.salience for a in tier)


def _group_keys(mentions: list[Mention]) -> list[str]:
    """The merge key of every mention: name variants, acronyms and country forms agree."""
    full_person: dict[str, set[str]] = defaultdict(set)  # a word of a name -> full names
    # (article, word) -> the one full name with that word in the article, None when several
    # (a set for each would hold a week's every name word: 1.7 GB at 100,000 articles)
    full_in_article: dict[tuple[str, str], str | None] = {}
    full_articles: dict[str, set[str]] = defaultdict(set)
    org_names: set[str] = set()
    org_first: dict[tuple[str, str], str | None] = {}  # "Brightwell Analytics", as above
    # The key depends on the mention's text alone: worked out once per distinct text (a week
    # of 100,000 articles has 3.3 million mentions, a tenth as many texts).
    key_of: dict[tuple[str | None, str], str] = {}
    for m in mentions:
        if (m.canonical, m.text) not in key_of:
            key_of[(m.canonical, m.text)] = canonical_key(m)
    # A name's words, and the shorter forms of it an article may use, once per name; each
    # article's names once, however often it repeats them (the indexes below keep one name or
    # None, whatever the order they are filled in).
    forms_of: dict[str, tuple[str, ...]] = {}
    article = ""
    done: set[str] = set()
    for m in mentions:
        key = key_of[(m.canonical, m.text)]
        if m.article != article:
            article = m.article
            done = set()
        if m.type == "PERSON":
            if key in done:
                continue
            done.add(key)
            forms = forms_of.get(key)
            if forms is None:
                forms = forms_of[key] = _person_forms(key)
                for w in forms[: len(key.split())] if forms else ():
                    full_person[w].add(key)
            if forms:
                full_articles[key].add(article)
                for w in forms:
                    _only(full_in_article, (article, w), key)
        elif m.type == "ORG":
            clean = _cleaned(m.text)
            if len(clean.split()) >= 2:
                org_names.add(clean)
                _only(org_first, (article, key.split()[0]), key)
    acronyms: dict[str, str] = {}
    # Ties in length are broken by name: set order changes with the hash seed.
    for name in sorted(org_names, key=lambda n: (-len(n), n)):
        initials = acronym_of(name)
        for cand in {initials, initials[1:]}:
            if len(cand) >= 2 and _acronym_matches(cand, name):
                acronyms.setdefault(cand.lower(), _norm(name))

    # Read with .get: a defaultdict would add an empty set for every mention it is asked about.
    ranked_of: dict[str, list[str]] = {}
    single_of = {key: len(key.split()) == 1 for key in key_of.values()}
    is_country = functools.cache(lambda key: bool(gz.country(key)))
    keys: list[str] = []
    # Within an article a mention's key depends on its text and type alone: a name the article
    # repeats is keyed once.
    article = ""
    known: dict[tuple[str | None, str, str], str] = {}
    for m in mentions:
        if m.article != article:
            article = m.article
            known = {}
        if m.type != "OTHER":
            found = known.get((m.canonical, m.text, m.type))
            if found is not None:
                keys.append(found)
                continue
        key = key_of[(m.canonical, m.text)]
        single = single_of[key]
        if m.type == "OTHER":
            key = f"anon:{m.article}:{m.ref}"
        elif m.canonical and m.type == "PERSON" and not single:
            # already the full name it stands for, unless that leaves out a middle name
            longer = full_in_article.get((m.article, key))
            key = "person:" + (longer or key)
        elif (
            (single or m.type == "PERSON")
            and full_in_article.get((m.article, key))
            and m.type != "GPE"
        ):
            # "Trump" is the "Donald Trump" of the same article ...
            key = "person:" + str(full_in_article[(m.article, key)])
        elif (
            single
            and full_person.get(key)
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
        elif m.type in _PLACE_TYPES or is_country(key):
            key = "place:" + key
        elif m.type == "NORP":
            key = "norp:" + key
        elif m.type == "ORG" and single and org_first.get((m.article, key)):
            key = "org:" + str(org_first[(m.article, key)])
        elif single and key in acronyms:
            key = "org:" + acronyms[key]
        else:
            key = "org:" + key
        keys.append(key)
        if m.type != "OTHER":
            known[(m.canonical, m.text, m.type)] = key
    return keys


def _person_forms(key: str) -> tuple[str, ...]:
    """The words of a full name, then the shorter names it goes by in an article that gives it
    in full ("Duncan Smith" of "Iain Duncan Smith", "James Kopp" of "James Charles Kopp");
    none for a one-word name."""
    parts = key.split()
    if len(parts) < 2:
        return ()
    tails = [" ".join(parts[i:]) for i in range(1, len(parts) - 1)]
    return (*parts, *tails, *([f"{parts[0]} {parts[-1]}"] if len(parts) >= 3 else []))


def _only(index: dict[tuple[str, str], str | None], at: tuple[str, str], key: str) -> None:
    """Record ``key`` at ``at``: the one key seen there, or None once two differ."""
    if at not in index:
        index[at] = key
    elif index[at] != key:
        index[at] = None


# Words that make a quoted person a commentator on the news rather than a party to it.
COMMENTATOR_WORDS = frozenset(
    """
    analyst economist professor strategist researcher expert academic lecturer commentator
    historian scientist consultant pollster fellow research observer author
    """.split()
)
_ACADEMIC = re.compile(r"\b(?:University|College|School|Institute|Centre|Center|Think)\b")
# Organisations that report the news: credited as sources ("told CNN"), rarely a party to it.
NEWS_ORGANISATIONS = frozenset(
    """
    cnn nbc abc cbs fox bbc ap reuters afp bloomberg sky itv msnbc npr pbs xinhua tass
    """.split()
)
# Last words of the names of newspapers and broadcasters ("Buffalo News", "Kenya Television"):
# an outlet credited for a report is a source, as the outlets above are.
OUTLET_WORDS = frozenset(
    """
    news times post herald journal gazette tribune telegraph courier chronicle television tv
    radio newspaper magazine press broadcasting
    """.split()
)


_SURNAME_WORDS = frozenset({"post", "press", "times", "herald"})


def news_outlet(name: str) -> bool:
    """A news organisation, known by name or by the last word of a name of two words or more."""
    words = _norm(name).split()
    if _norm(name) in NEWS_ORGANISATIONS:
        return True
    if words[-2:] == ["news", "agency"]:
        return True  # "the official news agency"
    return len(words) >= 2 and (words[-1] in OUTLET_WORDS or words[0] == "daily")


# Last words of names of things the news is about, not who acts in it.
THING_WORDS = frozenset(
    """
    agreement act bill treaty accord pact convention protocol charter directive plan
    programme program strategy election elections referendum summit games cup championship
    marathon station index budget law deal initiative scheme report review inquiry
    """.split()
)
THINGS = frozenset({"cusma", "usmca", "nafta", "north american free trade agreement", "brexit"})
# Faiths and creeds the model tags as organisations: what the news is about, not who acts.
CREEDS = frozenset(
    """
    islam christianity judaism hinduism buddhism sikhism catholicism protestantism communism
    socialism capitalism
    """.split()
)
_PRONOUN_FORMS = frozenset({"he", "she", "him", "her", "they", "them", "it"})
# What a country does as a state: any main event, a subject, a speaker.
_PLACE_PARTS = ("agent", "patient")


@dataclass(frozen=True, slots=True)
class _Context:
    """Spans of the sentences that carry the news: the summary, risks, upcoming dates; each
    article's as the starts and ends of their union, so a mention is placed by one bisection
    (3.3 million mentions at 100,000 articles, each tried against every span before)."""

    summary: dict[str, tuple[list[int], list[int]]]
    watch: dict[str, tuple[list[int], list[int]]]

    @classmethod
    def of(cls, analyses: Iterable[Analysis]) -> _Context:
        summary: dict[str, list[tuple[int, int]]] = defaultdict(list)
        watch: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for a in analyses:
            aid = a.article.id
            summary[aid] += [(s.start, s.end) for s in a.summary]
            watch[aid] += [(r.start, r.end) for r in a.risks]
            for d in a.dates:
                if d.relation == "future" and d.sentence:
                    at = a.article.text.find(d.sentence)
                    if at >= 0:
                        watch[aid].append((at, at + len(d.sentence)))
        return cls(
            {aid: _union(spans) for aid, spans in summary.items()},
            {aid: _union(spans) for aid, spans in watch.items()},
        )

    def weight(self, ms: list[Mention]) -> float:
        """The mentions' part in the news, summed in order: what each does in which sentence.
        One call for an actor's every mention (3.3 million at 100,000 articles)."""
        summary, watch, event = self.summary.get, self.watch.get, _EVENT_WEIGHT.get
        bisect_right = bisect.bisect_right
        total = 0.0
        for m in ms:
            w = 1.0 + 1.5 * m.subject + 2.0 * m.head + 1.0 * m.lead
            w += event(m.event or "", 0.0)
            at = m.start
            if (spans := summary(m.article)) is not None:
                i = bisect_right(spans[0], at) - 1
                if i >= 0 and at < spans[1][i]:
                    w += 1.5
            if (spans := watch(m.article)) is not None:
                i = bisect_right(spans[0], at) - 1
                if i >= 0 and at < spans[1][i]:
                    w += 1.0
            total += w
        return total


_EVENT_WEIGHT = {"agent": 3.0, "patient": 2.0}


def _union(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The half-open spans ``[start, end)`` as the starts and ends of their union, in order."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if starts and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _part(type_: ActorType, name: str, key: str, ms: list[Mention], said: int) -> str:
    """actor, setting (a place or people that do not act) or subject (a thing)."""
    words = _norm(name).split()
    if type_ == "ORG" and (_norm(name) in THINGS or key.split(":", 1)[-1] in THINGS):
        return "subject"
    if _norm(name) in CREEDS:
        return "subject"
    if type_ in {"ORG", "OTHER"} and words and words[-1] in THING_WORDS:
        return "subject"
    # Mostly a vehicle, a case or a platform ("the Zorba cargo ship", "said on Zorba").
    if not said and 2 * sum(m.thing for m in ms) >= len(ms) > 0 and not gz.country(name):
        return "subject"
    if type_ not in _PLACE_TYPES and type_ != "NORP":
        return "actor"
    if said or any(m.event == "agent" for m in ms):
        return "actor"
    # In the headline is not enough: "Fighters flee to Syria" names where, not who.
    state = gz.country(name) or gz.union(name)
    if state and any(m.event in _PLACE_PARTS or m.subject for m in ms):
        return "actor"
    return "setting"


def _commentator(role: str | None, affiliation: str | None, ms: list[Mention]) -> bool:
    """Quoted for an opinion (an analyst, an economist, a professor), not a party."""
    if any(m.head for m in ms):
        return False
    words = set(re.findall(r"[a-z]+", (role or "").lower()))
    return bool(words & COMMENTATOR_WORDS) or bool(
        _ACADEMIC.search(affiliation or "") and role is not None
    )


_BY_PLACE = operator.attrgetter("article", "start")


def _actor(key: str, ms: list[Mention], quotes: list[Quote], context: _Context) -> Actor:
    ms.sort(key=_BY_PLACE)
    # A named body or person absorbs the descriptions linked to it ("its food banks").
    types: Counter[ActorType] = Counter(m.type for m in ms if m.type != "OTHER")
    types = types or Counter(m.type for m in ms)
    type_: ActorType = max(types, key=lambda t: (types[t], t == "PERSON", t))
    forms = Counter(
        _cleaned(m.text)
        for m in ms
        if m.text.lower() not in _PRONOUN_FORMS and (m.canonical is None or m.type != "OTHER")
    )
    forms.update(_cleaned(m.canonical) for m in ms if m.canonical and m.type != "OTHER")
    forms = forms or Counter(_cleaned(m.text) for m in ms)
    if type_ == "OTHER":
        name = _party_name(ms)
        forms.update(_party_forms(ms))
    else:
        name = _canonical_name(key, forms)
    roles = Counter(m.role for m in ms if m.role)
    role = max(roles, key=lambda r: (roles[r], len(r))) if roles else None
    affiliations = Counter(m.affiliation for m in ms if m.affiliation)
    affiliation = affiliations.most_common(1)[0][0] if affiliations else None
    articles = sorted({m.article for m in ms})
    said = sum(q.kind == "said" for q in quotes)
    salience = context.weight(ms) + 3.0 * (len(articles) - 1) + 1.5 * said
    if type_ == "NORP":
        salience *= 0.3  # "Canadian" says less about who acts than "Canada"
    elif type_ == "OTHER" and not any(m.event for m in ms):
        salience *= 0.6  # an unnamed source speaks, but is rarely who the story is about
    # A commentator quoted for an opinion, or a news outlet credited as a source, is not a party.
    commentator = type_ == "PERSON" and _commentator(role, affiliation, ms)
    # The model takes an outlet for a person or a place at times ("Orsova Courier"); "Post" and
    # "Press" are surnames too, so a person's name counts only by the plainer outlet words.
    outlet = news_outlet(name) and (
        type_ != "PERSON" or _norm(name).split()[-1] not in _SURNAME_WORDS
    )
    if commentator or outlet:
        salience *= 0.3
    # Direct quotations first: they say best what the actor said.
    said_q = sorted(
        (q for q in quotes if q.kind == "said"),
        key=lambda q: not re.search(r"[\"“”]", q.text),
    )
    did = [q for q in quotes if q.kind == "did"]
    seen: set[tuple[str, int]] = set()
    ordered = []
    for q in said_q + did:
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
        affiliation=affiliation,
        part=_part(type_, name, key, ms, said),  # type: ignore[arg-type]
        does=_does(ordered),
    )


def _party_name(ms: list[Mention]) -> str:
    """A descriptive name: the fullest description; '(unnamed)' for one person whose name the
    article withholds (a source, an office-holder)."""
    first = next((m for m in ms if m.text.split()[0].lower() in {"a", "an", "one"}), None)
    best = first or max(ms, key=lambda m: (len(_strip_det(m.text).split()), -m.start))
    name = _strip_det(best.text)
    name = name[0].upper() + name[1:]
    if any(m.ref and m.ref.startswith(("anon", "office")) for m in ms):
        return name + " (unnamed)"
    return name


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|a|an|one|his|her|its|their|our)\s+", "", text.strip(), flags=re.I)


def _party_forms(ms: list[Mention]) -> list[str]:
    """Every description as written, and without its determiner."""
    out: list[str] = []
    for m in ms:
        out += [m.text.strip(), _strip_det(m.text)]
        part = named_part(m.text)
        if part:
            out.append(part)
        # and the shorter descriptions inside it: "Cuban exiles" in "Miami's volatile Cuban
        # exiles", "foreign fighters" in "more than 20,000 foreign fighters"
        words = re.split(r"\s(?:of|in|at|from|for|on)\s", _strip_det(m.text))[0].split()
        out += [
            " ".join(words[i:])
            for i in range(1, len(words))
            if words[i][:1].isalpha() and words[i].lower() not in {"and", "or", "&"}
        ]
    return out


def _does(quotes: list[Quote]) -> Quote | None:
    """One short line of what the actor says or does: its own words in quotation marks, else
    what it did, else what it is reported to have said."""
    if not quotes:
        return None

    def rank(q: Quote) -> int:
        quoted = q.kind == "said" and re.search(r"[\"“”]", q.text) is not None
        return 0 if quoted else 1 if q.kind == "did" else 2

    q = min(quotes, key=rank)
    return Quote(
        article=q.article,
        start=q.start,
        end=q.end,
        text=_short(q.text),
        speaker=q.speaker,
        speaker_start=q.speaker_start,
        kind=q.kind,
    )


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


_NAME_JOINERS = frozenset({"of", "the", "and", "for", "&", "de", "du", "da", "al", "van", "von"})
_POSSESSIVES = frozenset({"its", "his", "her", "their", "our", "my", "your"})


def _canonical_name(key: str, forms: Counter[str]) -> str:
    found = gz.country(key.split(":", 1)[-1]) or gz.union(key.split(":", 1)[-1])
    if found:
        return found
    if key.startswith("place:washington") and any(f.lower() == "washington" for f in forms):
        return "Washington"

    def rank(form: str) -> tuple[bool, bool, bool, int, int, str]:
        # A name beats a description ("Its UK director"); written as in running text beats ALL
        # CAPS; full names beat acronyms and surnames.
        shouting = form.isupper() and len(form) > 6
        named = all(w[:1].isupper() or w in _NAME_JOINERS for w in form.split()) and (
            form.split()[0].lower() not in _POSSESSIVES
        )
        return (named, not shouting, not form.isupper(), len(form.split()), forms[form], form)

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
