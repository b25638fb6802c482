"""Actors across the week: one actor per person or body, merged from every article's mentions.

Reads each article's mentions (named, linked and unnamed parties), quotes, summary, risks and
dates; adds :class:`~briefgen.doc.Actor` rows with aliases, roles, their part in the news
(actor, setting or subject), what each does or says, and salience: the part each plays in the
main events, the lead, the summary, risks and upcoming dates, quoted as a party or a
commentator.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from briefgen.article import gazetteer as gz
from briefgen.article.mentions import _INITIALS, _PLACE_TYPES, _WS, _clean
from briefgen.doc import Actor, ActorType, Analysis, Mention, Quote
from briefgen.week import arrays, without_gc

# --- across articles ------------------------------------------------------------------------


# A name cleaned once per distinct text: an actor's forms are counted over every mention (3.3
# million at 100,000 articles, a tenth as many texts), each cleaning three substitutions.
_cleaned = functools.lru_cache(maxsize=1 << 18)(_clean)


def _norm(name: str) -> str:
    return _WS.sub(" ", name.lower().replace(".", "").replace("’", "'")).strip()


def canonical_key(mention: Mention) -> str:
    return _key(mention.canonical, mention.text)


def _key(canonical: str | None, text: str) -> str:
    """The key of a name: what a mention's text (or the name it stands for) cleans to."""
    name = _clean(canonical or text)
    if name.lower().startswith("washington, d"):
        name = "Washington"
    found = gz.country(name) or gz.country(text.strip()) or gz.union(name)
    if found:
        return _norm(found)
    norm = _norm(name)
    return gz.ORG_ALIASES.get(norm, norm)


# What the week reads of a mention but its article and place, its name first (what its key
# reads: see _group_keys).
_KIND_ATTRS = (
    *("canonical", "text", "type", "ref"),
    *("subject", "head", "lead", "thing", "event", "role", "affiliation"),
)
_KIND = operator.attrgetter(*_KIND_ATTRS)
_Name = tuple[str | None, str, str, str | None]


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
    return merged_actors(analyses)[0]


@without_gc
def merged_actors(analyses: Iterable[Analysis]) -> tuple[list[Actor], arrays.ActorMentions]:
    """:func:`merge_actors`, and the actors' mentions as arrays for the stages after (stories,
    risks, importance), read from the merge's own columns."""
    analyses = list(analyses)
    mentions = list(itertools.chain.from_iterable(map(operator.attrgetter("mentions"), analyses)))
    table = _Table(mentions, analyses)
    final = _merge_named_groups(_merge_unnamed(table), table)
    tallies = table.tally(final)
    quotes_of = table.quotes_of(
        list(itertools.chain.from_iterable(map(operator.attrgetter("quotes"), analyses)))
    )
    actors = [
        _actor(key, ms, quotes_of.get(g, []), tally)
        for g, (key, (ms, tally)) in enumerate(zip(final, tallies, strict=True))
    ]
    _rank_parts(actors)
    groups = sorted(range(len(actors)), key=lambda g: (-actors[g].salience, actors[g].name))
    actors = [actors[g] for g in groups]
    # A name belongs to one actor: "Ottawa" the dateline's city is not an alias of Canada too.
    norm = functools.cache(_norm)
    names = {norm(a.name) for a in actors}
    for actor in actors:
        actor.aliases = [f for f in actor.aliases if norm(f) not in names]
    top = max((a.salience for a in actors), default=1.0) or 1.0
    used: set[str] = set()
    for actor in actors:
        actor.salience = round(actor.salience / top, 4)
        actor.id = _slug(actor.name, used)
    return actors, table.read(actors, groups)


_Ints = npt.NDArray[np.int64]
_Spans = tuple[_Ints, _Ints, _Ints]  # half-open spans: their articles (rank), starts and ends
_TYPES: tuple[ActorType, ...] = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "OTHER")
_TYPE_CODE: dict[str, int] = {t: i for i, t in enumerate(_TYPES)}
_OTHER = _TYPE_CODE["OTHER"]
_EVENT_CODE = {None: 0, "agent": 1, "patient": 2}


# Types in the order that breaks a tie in count: a person, then the last by name.
_TIE_RANK = np.array(
    [sorted(_TYPES, key=lambda t: (t == "PERSON", t)).index(t) for t in _TYPES], np.int64
)


def _commonest_type(counts: _Ints) -> _Ints:
    """Each row's commonest type (its code) by its counts of each type: of its named mentions,
    or of all when none is named (a named body or person absorbs the descriptions linked to it,
    "its food banks"); a tie goes to a person, then to the last type by name."""
    score = np.where(counts > 0, counts * len(_TYPES) + _TIE_RANK, -1)
    named = (counts[:, :_OTHER] > 0).any(axis=1)
    score[named, _OTHER] = -1
    return score.argmax(axis=1)  # type: ignore[no-any-return]


def _column(items: list[Mention], attr: str, dtype: type) -> npt.NDArray[Any]:
    return np.fromiter(map(operator.attrgetter(attr), items), dtype, len(items))


@dataclass(slots=True)
class _Tally:
    """What an actor's mentions add up to, counted once for all actors in arrays."""

    type: ActorType  # the commonest type of its named mentions (of all, when none is named)
    forms: Counter[str]
    role: str | None
    affiliation: str | None
    articles: list[str]
    weight: float  # the mentions' part in the news: what each does in which sentence
    head: bool  # one is in a headline
    things: int  # how many stand for a thing
    agent: bool  # one does a main event
    events: bool  # one does or suffers a main event
    party: bool  # one does or suffers a main event, or is a subject


class _Table:
    """The week's mentions as columns: one row per mention, in the order of the analyses.

    A week of 100,000 articles has 3.3 million mentions: what is counted for every actor over
    its mentions (their weight, types, forms, roles, articles) is counted here for all actors
    at once, and Python works once per actor or per distinct name, not once per mention.
    """

    def __init__(self, mentions: list[Mention], analyses: list[Analysis]):
        n = len(mentions)
        self.mentions = mentions
        # Each mention read once for all it says but its article and place, as the number of its
        # kind (see _KIND): millions of mentions, far fewer kinds.
        self.kind, self.kinds = arrays.codes(map(_KIND, mentions), n)
        name, self.names = arrays.codes(
            map(operator.itemgetter(slice(0, 4)), self.kinds), len(self.kinds)
        )
        self.name = name[self.kind]  # its name, numbered: see _group_keys
        article, articles = arrays.codes(map(operator.attrgetter("article"), mentions), n)
        self.article_ids = sorted({a.article.id for a in analyses}.union(articles))
        self.rank = {aid: i for i, aid in enumerate(self.article_ids)}
        self.art = np.array([self.rank[a] for a in articles], np.int64)[article]
        # the merge key of each, numbered
        self.codes, self.keys = _group_keys(self.name, self.names, self.art, self.article_ids)
        self.type = np.array([_TYPE_CODE[t] for _, _, t, _ in self.names], np.int8)[self.name]
        self.start = _column(mentions, "start", np.int64)
        # Each code's mentions in order (a stable sort), for the few groups read one by one.
        self.by_code = arrays.stable_order(self.codes)
        sizes = np.bincount(self.codes, minlength=len(self.keys))
        self.bounds = np.concatenate(([0], np.cumsum(sizes)))
        self.summary, self.watch = _context(analyses, self.rank)
        self._articles: dict[int, set[str]] = {}
        self.lowest, self.width = self._frame()

    def members(self, code: int) -> list[Mention]:
        """The mentions merged under one key, in order."""
        rows = self.by_code[self.bounds[code] : self.bounds[code + 1]]
        return [self.mentions[i] for i in rows.tolist()]

    def articles(self, code: int) -> set[str]:
        if code not in self._articles:
            rows = self.by_code[self.bounds[code] : self.bounds[code + 1]]
            ids = self.article_ids
            self._articles[code] = {ids[i] for i in set(self.art[rows].tolist())}
        return self._articles[code]

    def anchors(self, named: list[int]) -> dict[str, set[str]]:
        """The named people and bodies (``named``: their codes) of each article with an
        unnamed party."""
        arts = self.art[self.type == _OTHER]
        is_named = np.zeros(len(self.keys), dtype=bool)
        is_named[named] = True
        rows = np.isin(self.art, arts) & is_named[self.codes]
        pairs = arrays.distinct(self.art[rows] * len(self.keys) + self.codes[rows])
        out: dict[str, set[str]] = defaultdict(set)
        for art, code in zip(*np.divmod(pairs, len(self.keys)), strict=True):
            out[self.article_ids[int(art)]].add(self.keys[int(code)])
        return out

    def tally(self, final: dict[str, list[int]]) -> list[tuple[list[Mention], _Tally]]:
        """Each merged actor's mentions in order of place (article, start) and their tally."""
        mentions, n, count = self.mentions, len(self.mentions), len(final)
        group = np.zeros(len(self.keys), dtype=np.int64)
        offset = np.zeros(len(self.keys), dtype=np.int64)  # where a merged-in group's rows begin
        merged = False
        for g, codes in enumerate(final.values()):
            group[codes] = g
            if len(codes) > 1:
                merged = True
                offset[codes] = np.cumsum(
                    [0, *(self.bounds[c + 1] - self.bounds[c] for c in codes)]
                )[:-1]
        lo, span = self.lowest, self.width
        place = self.art * span + (self.start - lo)
        if merged:
            # Mentions at one place keep the order of the groups they were merged from.
            within = np.empty(n, dtype=np.int64)
            within[self.by_code] = np.arange(n) - self.bounds[self.codes[self.by_code]]
            by_place = np.lexsort((offset[self.codes] + within, place))
        else:
            by_place = arrays.stable_order(place)
        self._places = (place[by_place], (fc := group[self.codes])[by_place])
        order = by_place[arrays.stable_order(fc[by_place])]
        del by_place, place
        sizes = np.bincount(fc, minlength=count)
        ends = np.cumsum(sizes).tolist()
        ordered = list(map(mentions.__getitem__, order.tolist()))
        self.ordered = (order, sizes)  # for :meth:`read`

        def counts(mask: npt.NDArray[np.bool_]) -> list[int]:
            return np.bincount(fc[mask], minlength=count).tolist()  # type: ignore[no-any-return]

        subject, head = self._of_kind("subject", bool), self._of_kind("head", bool)
        event = self._of_kind("event", np.int64, _EVENT_CODE.__getitem__)
        weight = 1.0 + 1.5 * subject + 2.0 * head + 1.0 * self._of_kind("lead", bool)
        weight += np.array([0.0, 3.0, 2.0])[event]
        weight += 1.5 * self._within(self.summary) + 1.0 * self._within(self.watch)
        # Every weight is a multiple of a half: their sum is exact in any order.
        weights = np.bincount(fc, weights=weight, minlength=count).tolist()
        heads, agents, events = counts(head), counts(event == 1), counts(event > 0)
        parties = counts((event > 0) | subject)
        things = counts(self._of_kind("thing", bool))
        del weight, subject, head, event

        type_code = self.type
        types = np.bincount(fc * len(_TYPES) + type_code, minlength=count * len(_TYPES))
        type_of = _commonest_type(types.reshape(count, len(_TYPES))).tolist()
        del types

        # Articles: each actor's rows are in article order, a new article where the rank changes.
        art, fco = self.art[order], fc[order]
        new = np.ones(n, dtype=bool)
        new[1:] = (art[1:] != art[:-1]) | (fco[1:] != fco[:-1])
        ids = np.array(self.article_ids, dtype=object)[art[new]].tolist()
        article_ends = np.cumsum(np.bincount(fco[new], minlength=count)).tolist()
        del art, new

        forms = self._forms(fc, count)
        place = np.empty(n, dtype=np.int64)
        place[order] = np.arange(n)
        roles = self._most(place, fc, "role", by_length=True)
        affiliations = self._most(place, fc, "affiliation", by_length=False)
        del place
        del fco

        out: list[tuple[list[Mention], _Tally]] = []
        begin = article_begin = 0
        for g in range(count):
            end, article_end = ends[g], article_ends[g]
            ms = ordered[begin:end]
            tally = _Tally(
                type=_TYPES[type_of[g]],
                forms=forms[g] or Counter(_cleaned(m.text) for m in ms),
                role=roles.get(g),
                affiliation=affiliations.get(g),
                articles=ids[article_begin:article_end],
                weight=weights[g],
                head=heads[g] > 0,
                things=things[g],
                agent=agents[g] > 0,
                events=events[g] > 0,
                party=parties[g] > 0,
            )
            out.append((ms, tally))
            begin, article_begin = end, article_end
        return out

    def read(self, actors: list[Actor], groups: list[int]) -> arrays.ActorMentions:
        """The mentions of ``actors`` (made from :meth:`tally`'s groups, ``groups`` each one's)
        as arrays, from the columns: no mention is walked again."""
        order, sizes = self.ordered
        starts = np.cumsum(sizes) - sizes
        rows = order[arrays.ranges(starts[groups], sizes[groups])]
        return arrays.ActorMentions(
            actors,
            self.article_ids,
            self.art[rows],
            np.repeat(np.arange(len(actors), dtype=np.int64), sizes[groups]),
            self.kind[rows],
            list(map(operator.itemgetter(_KIND_ATTRS.index("text")), self.kinds)),
        )

    def _of_kind(
        self, attr: str, dtype: type, code: Callable[[Any], Any] | None = None
    ) -> npt.NDArray[Any]:
        """Each mention's ``attr`` (as ``code`` gives it), read from its kind."""
        values = map(operator.itemgetter(_KIND_ATTRS.index(attr)), self.kinds)
        if code is not None:
            values = map(code, values)
        return np.fromiter(values, dtype, len(self.kinds))[self.kind]

    def _frame(self) -> tuple[int, int]:
        """The lowest offset and the width of one article's band of places: an article's place
        ``p`` is ``rank * width + p - lowest``, so the places of the week sort in one array."""
        lows, highs = [0], [0]
        for _, starts, ends in (self.summary, self.watch, (self.art, self.start, self.start)):
            if len(starts):
                lows.append(int(starts.min()))
                highs.append(max(int(starts.max()), int(ends.max())))
        return min(lows), max(highs) - min(lows) + 1

    def _within(self, spans: _Spans) -> npt.NDArray[np.bool_]:
        """Whether each mention starts in one of its article's spans (their union)."""
        art, starts, ends = spans
        base = art * self.width - self.lowest
        at = self.art * self.width + self.start - self.lowest
        return _within(base + starts, base + ends, at)

    def _forms(self, fc: _Ints, count: int) -> list[Counter[str]]:
        """Each actor's names as written, cleaned, and counted: the texts (not pronouns, nor an
        unnamed party's words for a named one) and the names they stand for."""
        # Read per name (the texts and the names they stand for), numbered in order of first use.
        names = self.names
        text_codes, text_values = arrays.codes((t for _, t, _, _ in names), len(names))
        stand_codes, stand_values = arrays.codes((c or "" for c, _, _, _ in names), len(names))
        pronoun = np.array([t.lower() in _PRONOUN_FORMS for t in text_values], dtype=bool)
        # A name counts by its text unless a pronoun, or an unnamed party's name standing for a
        # named one; and by the name it stands for (given, and not an unnamed party's).
        named = np.array([ty != "OTHER" for _, _, ty, _ in names], dtype=bool)
        absent = np.array([c is None for c, _, _, _ in names], dtype=bool)
        stands = np.array([bool(c) for c, _, _, _ in names], dtype=bool) & named
        out: list[Counter[str]] = [Counter() for _ in range(count)]
        for counts, values, codes in (
            (~pronoun[text_codes] & (absent | named), text_values, text_codes),
            (stands, stand_values, stand_codes),
        ):
            width = max(len(values), 1)
            rows = counts[self.name]
            pairs, tallies = arrays.counted(fc[rows] * width + codes[self.name[rows]])
            for pair, c in zip(pairs.tolist(), tallies.tolist(), strict=True):
                g, code = divmod(pair, width)
                out[g][_cleaned(values[code])] += c
        return out

    def _most(self, place: _Ints, fc: _Ints, attr: str, *, by_length: bool) -> dict[int, str]:
        """Each actor's commonest ``attr`` (then the longest, with ``by_length``), the first
        given in order of place on a tie (``place``: each mention's rank in that order)."""
        of_kind, found = arrays.codes(
            map(operator.itemgetter(_KIND_ATTRS.index(attr)), self.kinds), len(self.kinds)
        )
        given = np.fromiter(map(bool, found), bool, len(found))  # mostly None
        rows = np.flatnonzero(given[of_kind][self.kind])
        width = max(len(found), 1)
        pair = fc[rows] * width + of_kind[self.kind[rows]]
        by_pair = np.argsort(pair)  # any order: each pair's first place is its least
        pair = pair[by_pair]
        new = np.ones(len(pair), dtype=bool)
        new[1:] = pair[1:] != pair[:-1]
        starts = np.flatnonzero(new)
        pairs, tallies = pair[starts], np.diff(np.append(starts, len(pair)))
        first = np.minimum.reduceat(place[rows][by_pair], starts) if len(starts) else starts
        best: dict[int, tuple[int, int, int, str]] = {}
        for pair, at, c in zip(pairs.tolist(), first.tolist(), tallies.tolist(), strict=True):
            g, code = divmod(pair, width)
            value: str = found[code]
            rank = (c, len(value) if by_length else 0, -at, value)
            if g not in best or rank > best[g]:
                best[g] = rank
        return {g: rank[3] for g, rank in best.items()}

    def quotes_of(self, quotes: list[Quote]) -> dict[int, list[Quote]]:
        """Each actor's quotes: those whose speaker is one of its mentions (the last actor's
        when two share a place)."""
        places, groups = self._places
        if not len(places):
            return {}
        lo, span = self.lowest, self.width
        first = np.ones(len(places), dtype=bool)
        first[1:] = places[1:] != places[:-1]
        starts = np.flatnonzero(first)
        unique, last_group = places[starts], np.maximum.reduceat(groups, starts)
        n = len(quotes)
        art = np.fromiter(
            map(self.rank.get, map(operator.attrgetter("article"), quotes), itertools.repeat(-1)),
            np.int64,
            n,
        )
        # None (no speaker) reads as NaN, outside every band.
        speaker = np.array(list(map(operator.attrgetter("speaker_start"), quotes)), dtype=float)
        speaker[np.isnan(speaker)] = lo - 1
        rows = np.flatnonzero((art >= 0) & (speaker >= lo) & (speaker < lo + span))
        asked = art[rows] * span + speaker[rows].astype(np.int64) - lo
        group = arrays.lookup(unique, last_group, asked)  # -1: no mention there (groups >= 0)
        hit = group >= 0
        rows, group = rows[hit], group[hit]
        # Each actor's in the order of the quotes.
        order = arrays.stable_order(group)
        rows, group = rows[order], group[order]
        new = np.ones(len(group), dtype=bool)
        new[1:] = group[1:] != group[:-1]
        bounds = np.append(np.flatnonzero(new), len(group)).tolist()
        said = list(map(quotes.__getitem__, rows.tolist()))
        return {
            g: said[b:e] for g, b, e in zip(group[new].tolist(), bounds, bounds[1:], strict=False)
        }


def _merge_unnamed(table: _Table) -> dict[str, list[int]]:
    """One unnamed party across the articles of one story: the same description ("a senior
    Canadian government official") in articles that share a named person or organisation.

    Each key stands for the codes of the groups merged under it, in order."""
    keys = table.keys
    if not any(k.startswith("anon:") for k in keys):
        return {key: [code] for code, key in enumerate(keys)}
    # article -> its named people and bodies
    anchors = table.anchors([c for c, k in enumerate(keys) if k.startswith(("person:", "org:"))])
    merged: dict[str, list[int]] = {}
    articles_of: dict[str, set[str]] = {}
    seen: dict[str, list[tuple[set[str], str]]] = defaultdict(list)  # description -> groups
    for code, key in enumerate(keys):
        if not key.startswith("anon:"):
            merged[key] = [code]
            continue
        ms = table.members(code)
        description = _norm(_strip_det(max((m.text for m in ms), key=len)))
        named = set().union(*(anchors.get(m.article, set()) for m in ms))
        # within one article, two parties the article kept apart stay apart
        articles = {m.article for m in ms}
        into = next(
            (
                k
                for known, k in seen[description]
                if known & named and not articles & articles_of[k]
            ),
            None,
        )
        if into is None:
            seen[description].append((named, key))
            merged[key] = [code]
            articles_of[key] = articles
        else:
            merged[into] = merged[into] + [code]
            articles_of[into] |= articles
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


def _merge_named_groups(groups: dict[str, list[int]], table: _Table) -> dict[str, list[int]]:
    """A group described by a body the article names is that body: "Trussell Trust food banks"
    belong with the "Trussell Trust" of the same article."""
    named = {key.split(":", 1)[1]: key for key in groups if key.startswith(("org:", "person:"))}
    out: dict[str, list[int]] = {}
    for key, codes in groups.items():
        into = None
        if key.startswith("anon:"):
            ms = [m for c in codes for m in table.members(c)]
            parts = {named_part(m.text) for m in ms} - {None}
            for part in sorted(p for p in parts if p):
                k = named.get(_norm(part))
                if k and set().union(*map(table.articles, groups[k])) & {m.article for m in ms}:
                    into = k
                    break
        out.setdefault(into or key, []).extend(codes)
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


def _group_keys(
    nid: _Ints, names: list[_Name], art: _Ints, article_ids: list[str]
) -> tuple[_Ints, list[str]]:
    """The merge key of every mention, as a number, and the keys in order of first use: name
    variants, acronyms and country forms agree. ``nid`` is each mention's name, its index in
    ``names``; ``art`` its article, its index in ``article_ids``.

    A mention's key depends on its name (its words and type, and the party it refers to when
    it is not named), the article's other names (is "Trump" the "Donald Trump" of the same
    article?) and the week's (the one that dominates the week). Python works once per distinct
    name of the week and once per distinct answer the article's names give; which article holds
    which names is joined in arrays, not looked up once per mention (3.3 million at 100,000
    articles) nor once per name of each article (2.6 million).
    """
    if not len(nid):
        return np.zeros(0, np.int64), []
    # What each name reads of the week: its key; a person's words and the shorter forms of a
    # full name; a body's name of two words or more and its key's first word. Strings are
    # numbered in one vocabulary, ``word``.
    word: dict[str, int] = {}
    key_of: dict[tuple[str | None, str], str] = {}
    forms_of: dict[str, tuple[str, ...]] = {}
    full_person: dict[str, set[str]] = defaultdict(set)  # a word of a name -> full names
    org_clean: dict[str, str | None] = {}
    org_names: set[str] = set()
    key_ids: list[int] = []
    name_forms: list[list[int]] = []
    first_words: list[int] = []  # a body's name: its key's first word (-1: not a body's)
    for canonical, text, type_, _ in names:
        key = key_of.get((canonical, text))
        if key is None:
            key = key_of[(canonical, text)] = _key(canonical, text)
        key_ids.append(word.setdefault(key, len(word)))
        body = -1
        forms: tuple[str, ...] = ()
        if type_ == "PERSON":
            found = forms_of.get(key)
            if found is None:
                found = forms_of[key] = _person_forms(key)
                for w in found[: len(key.split())]:
                    full_person[w].add(key)
            forms = found
        elif type_ == "ORG":
            if text not in org_clean:
                clean = _cleaned(text)
                org_clean[text] = clean if len(clean.split()) >= 2 else None
            if org_clean[text] is not None:
                org_names.add(org_clean[text])  # type: ignore[arg-type]
                body = word.setdefault(key.split()[0], len(word))
        first_words.append(body)
        name_forms.append([word.setdefault(w, len(word)) for w in forms])
    words = list(word)
    name_key, name_org = np.array(key_ids, np.int64), np.array(first_words, np.int64)
    size = np.array([len(f) for f in name_forms], np.int64)
    wide = len(words)

    # A full name's articles (the distinct articles of its key's full names), and in each
    # article the one full name each word or shorter form stands for (-1: none, or several).
    people = size[nid] > 0
    held_by = arrays.distinct(art[people] * len(names) + nid[people])
    del people
    ha, hn = np.divmod(held_by, len(names))
    held = np.bincount(arrays.distinct(ha * wide + name_key[hn]) % wide, minlength=wide).tolist()
    counts = size[hn]
    at = arrays.ranges((np.cumsum(size) - size)[hn], counts)
    flat = np.fromiter(itertools.chain.from_iterable(name_forms), np.int64, int(size.sum()))
    full_slots, full_keys = _only_one(
        np.repeat(ha * wide, counts) + flat[at], np.repeat(name_key[hn], counts)
    )
    del held_by, ha, hn, counts, at, flat
    # ... and the one body whose key's first word each word is ("Brightwell Analytics").
    bodies = name_org[nid] >= 0
    org_slots, org_keys = _only_one(
        art[bodies] * wide + name_org[nid[bodies]], name_key[nid[bodies]]
    )
    del bodies

    acronyms: dict[str, str] = {}
    # Ties in length are broken by name: set order changes with the hash seed.
    for org in sorted(org_names, key=lambda n: (-len(n), n)):
        initials = acronym_of(org)
        for cand in {initials, initials[1:]}:
            if len(cand) >= 2 and _acronym_matches(cand, org):
                acronyms.setdefault(cand.lower(), _norm(org))
    # Only a name whose key is a form of a person's name, or the first word of a body's, can
    # be keyed by the article's other names; any other is keyed once for the week.
    local = {w for forms in forms_of.values() for w in forms}
    local.update(key.split()[0] for (_, text), key in key_of.items() if org_clean.get(text))

    ranked_of: dict[str, list[str]] = {}
    is_country = functools.cache(lambda key: bool(gz.country(key)))

    def decide(name: _Name, longer: str | None, first: str | None) -> str:
        """The key of a name, given the one full name of the article its key is a form of
        (``longer``) and the one body's name of the article it is the first word of."""
        canonical, text, type_, _ = name
        key = key_of[(canonical, text)]
        single = len(key.split()) == 1
        if canonical and type_ == "PERSON" and not single:
            # already the full name it stands for, unless that leaves out a middle name
            return "person:" + (longer or key)
        if (single or type_ == "PERSON") and longer and type_ != "GPE":
            # "Trump" is the "Donald Trump" of the same article ...
            return "person:" + longer
        if (
            single
            and full_person.get(key)
            and (type_ == "PERSON" or (type_ == "ORG" and not key.isupper()))
        ):
            # ... else the one that dominates the week, else a person known by one name.
            if key not in ranked_of:
                ranked_of[key] = sorted(full_person[key], key=lambda k: (-held[word[k]], k))
            ranked = ranked_of[key]
            top = held[word[ranked[0]]]
            if len(ranked) == 1 or top >= 2 * held[word[ranked[1]]]:
                return "person:" + ranked[0]
            return "person:" + key
        if type_ == "PERSON":
            return "person:" + key
        if type_ in _PLACE_TYPES or is_country(key):
            return "place:" + key
        if type_ == "NORP":
            return "norp:" + key
        if type_ == "ORG" and single and first:
            return "org:" + first
        if single and key in acronyms:
            return "org:" + acronyms[key]
        return "org:" + key

    # Every key is numbered here (``number``), then renumbered in order of first use.
    number: dict[str, int] = {}
    kinds: list[int] = []  # 0: keyed for the week, 1: by the article, 2: unnamed
    week: list[int] = []
    for name, k in zip(names, key_ids, strict=True):
        if name[2] == "OTHER":
            kinds.append(2)
        elif words[k] in local:
            kinds.append(1)
        else:
            kinds.append(0)
            week.append(number.setdefault(decide(name, None, None), len(number)))
            continue
        week.append(-1)
    kind = np.array(kinds, np.int8)
    code = np.array(week, np.int64)[nid]
    of_kind = kind[nid]
    rows = np.flatnonzero(of_kind == 1)
    if len(rows):
        pair: _Ints = art[rows] * len(names) + nid[rows]
        pairs = arrays.distinct(pair)
        pa, pn = np.divmod(pairs, len(names))
        slots = pa * wide + name_key[pn]
        longer = arrays.lookup(full_slots, full_keys, slots)
        first = arrays.lookup(org_slots, org_keys, slots)
        # The answers: far fewer than the articles' names.
        answers, which = _combinations(pn, longer, first)
        keyed = [
            number.setdefault(
                decide(names[i], words[lk] if lk >= 0 else None, words[fk] if fk >= 0 else None),
                len(number),
            )
            for i, lk, fk in zip(
                pn[answers].tolist(), longer[answers].tolist(), first[answers].tolist(), strict=True
            )
        ]
        code[rows] = np.array(keyed, np.int64)[which[np.searchsorted(pairs, pair)]]
    rows = np.flatnonzero(of_kind == 2)
    if len(rows):
        pair = art[rows] * len(names) + nid[rows]
        pairs = arrays.distinct(pair)
        keyed = [
            number.setdefault(f"anon:{article_ids[a]}:{names[i][3]}", len(number))
            for a, i in zip(*(x.tolist() for x in np.divmod(pairs, len(names))), strict=True)
        ]
        code[rows] = np.array(keyed, np.int64)[np.searchsorted(pairs, pair)]
    # Keys are numbered in order of first use: the order in which the actors are listed.
    used, first_use, _ = arrays.tally(code)
    order = np.argsort(first_use)
    renumber = np.empty(len(number), np.int64)
    renumber[used[order]] = np.arange(len(used))
    keys = list(number)
    return renumber[code], [keys[k] for k in used[order].tolist()]


def _only_one(slots: _Ints, keys: _Ints) -> tuple[_Ints, _Ints]:
    """The distinct ``slots``, sorted, and the one key given at each (-1 where several are)."""
    order = np.argsort(slots)  # the least and the greatest key of a slot, in any order
    slots, keys = slots[order], keys[order]
    new = np.ones(len(slots), dtype=bool)
    new[1:] = slots[1:] != slots[:-1]
    starts = np.flatnonzero(new)
    if not len(starts):
        return slots, keys
    low, high = np.minimum.reduceat(keys, starts), np.maximum.reduceat(keys, starts)
    return slots[starts], np.where(low == high, low, -1)


def _combinations(*columns: _Ints) -> tuple[_Ints, _Ints]:
    """A row of each distinct combination of the columns' values, and each row's combination
    (its number among them)."""
    order = np.lexsort(columns[::-1])
    new = np.zeros(len(order), dtype=bool)
    new[:1] = True
    for column in columns:
        ordered = column[order]
        new[1:] |= ordered[1:] != ordered[:-1]
    which = np.empty(len(order), np.int64)
    which[order] = np.cumsum(new) - 1
    return order[new], which


def _person_forms(key: str) -> tuple[str, ...]:
    """The words of a full name, then the shorter names it goes by in an article that gives it
    in full ("Duncan Smith" of "Iain Duncan Smith", "James Kopp" of "James Charles Kopp");
    none for a one-word name."""
    parts = key.split()
    if len(parts) < 2:
        return ()
    tails = [" ".join(parts[i:]) for i in range(1, len(parts) - 1)]
    return (*parts, *tails, *([f"{parts[0]} {parts[-1]}"] if len(parts) >= 3 else []))


def _only(index: dict[str, str | None], at: str, key: str) -> None:
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
    norm = _norm(name)
    words = norm.split()
    if norm in NEWS_ORGANISATIONS:
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


def _context(analyses: list[Analysis], rank: dict[str, int]) -> tuple[_Spans, _Spans]:
    """Spans of the sentences that carry the news: the summary; risks and upcoming dates. Each
    as the union of every article's spans (see :func:`_unions`), read in C."""
    arts = np.fromiter(
        map(rank.__getitem__, map(operator.attrgetter("article.id"), analyses)),
        np.int64,
        len(analyses),
    )
    summary = _spans(analyses, arts, "summary")
    risks = _spans(analyses, arts, "risks")
    # Upcoming dates: the sentence of each one ahead, where the article's text has it.
    get_dates = operator.attrgetter("dates")
    dates = list(itertools.chain.from_iterable(map(get_dates, analyses)))
    of = np.repeat(np.arange(len(analyses)), list(map(len, map(get_dates, analyses))))
    sentences = list(map(operator.attrgetter("sentence"), dates))
    relations = map(operator.attrgetter("relation"), dates)
    ahead = np.fromiter(map(operator.eq, relations, itertools.repeat("future")), bool, len(dates))
    ahead &= np.fromiter(map(bool, sentences), bool, len(dates))
    rows = np.flatnonzero(ahead)
    said = [sentences[i] for i in rows.tolist()]
    texts = [analyses[i].article.text for i in of[rows].tolist()]
    at = np.fromiter(map(str.find, texts, said), np.int64, len(said))
    ends = at + np.fromiter(map(len, said), np.int64, len(said))
    found = at >= 0
    watch = (
        np.concatenate((risks[0], arts[of[rows][found]])),
        np.concatenate((risks[1], at[found])),
        np.concatenate((risks[2], ends[found])),
    )
    return _unions(*summary), _unions(*watch)


def _spans(analyses: list[Analysis], arts: _Ints, attr: str) -> _Spans:
    """The article (rank), start and end of every item of each analysis' ``attr``."""
    get = operator.attrgetter(attr)
    items = list(itertools.chain.from_iterable(map(get, analyses)))
    art = np.repeat(arts, list(map(len, map(get, analyses))))
    starts = np.fromiter(map(operator.attrgetter("start"), items), np.int64, len(items))
    ends = np.fromiter(map(operator.attrgetter("end"), items), np.int64, len(items))
    return art, starts, ends


def _sorted_rows(*columns: _Ints) -> tuple[_Ints, ...]:
    """The rows of non-empty int columns in order (by the first column, then the next...):
    packed in one int64 for numpy's plain sort where they fit, several times faster than a
    lexsort."""
    lows = [int(c.min()) for c in columns]
    sizes = [int(c.max()) - low + 1 for c, low in zip(columns, lows, strict=True)]
    if np.prod(np.array(sizes, dtype=float)) >= 2.0**62:
        order = np.lexsort(columns[::-1])
        return tuple(c[order] for c in columns)
    packed = np.zeros(len(columns[0]), np.int64)
    for c, low, size in zip(columns, lows, sizes, strict=True):
        packed = packed * size + (c - low)
    packed.sort()
    out = []
    for low, size in zip(lows[::-1], sizes[::-1], strict=True):
        packed, c = np.divmod(packed, size)
        out.append(c + low)
    return tuple(out[::-1])


def _unions(art: _Ints, starts: _Ints, ends: _Ints) -> _Spans:
    """The half-open spans ``[start, end)`` of each article as the starts and ends of their
    union, in order of article and place. A span that holds nothing (its end not after its
    start) is left out: it adds no place to the union."""
    keep = ends > starts
    art, starts, ends = art[keep], starts[keep], ends[keep]
    if not len(art):
        return art, starts, ends
    art, starts, ends = _sorted_rows(art, starts, ends)
    # The furthest end so far in the article: ends are shifted to be non-negative and each
    # article's raised above the last article's, so one running maximum serves them all.
    low = int(ends.min())
    lift = art * (int(ends.max()) - low + 1)
    reach = np.maximum.accumulate(lift + ends - low) - lift + low
    new = np.ones(len(art), dtype=bool)
    new[1:] = (art[1:] != art[:-1]) | (starts[1:] > reach[:-1])
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(art) - 1)
    return art[first], starts[first], reach[last]


def _within(starts: _Ints, ends: _Ints, at: _Ints) -> npt.NDArray[np.bool_]:
    """Whether each of ``at`` lies in one of the sorted, disjoint half-open spans ``[start,
    end)``: the last span that starts at or before it, found by one bisection each."""
    if not len(starts):
        return np.zeros(len(at), dtype=bool)
    i = np.searchsorted(starts, at, side="right") - 1
    return (i >= 0) & (at < ends[np.maximum(i, 0)])


def _part(
    type_: ActorType, name: str, key: str, ms: list[Mention], said: int, tally: _Tally
) -> str:
    """actor, setting (a place or people that do not act) or subject (a thing)."""
    norm = _norm(name)
    words = norm.split()
    if type_ == "ORG" and (norm in THINGS or key.split(":", 1)[-1] in THINGS):
        return "subject"
    if norm in CREEDS:
        return "subject"
    if type_ in {"ORG", "OTHER"} and words and words[-1] in THING_WORDS:
        return "subject"
    # Mostly a vehicle, a case or a platform ("the Zorba cargo ship", "said on Zorba").
    if not said and 2 * tally.things >= len(ms) > 0 and not gz.country(name):
        return "subject"
    if type_ not in _PLACE_TYPES and type_ != "NORP":
        return "actor"
    if said or tally.agent:
        return "actor"
    # In the headline is not enough: "Fighters flee to Syria" names where, not who.
    state = gz.country(name) or gz.union(name)
    if state and tally.party:
        return "actor"
    return "setting"


def _commentator(role: str | None, affiliation: str | None, head: bool) -> bool:
    """Quoted for an opinion (an analyst, an economist, a professor), not a party; never one
    named in a headline (``head``)."""
    if head:
        return False
    words = set(re.findall(r"[a-z]+", (role or "").lower()))
    return bool(words & COMMENTATOR_WORDS) or bool(
        _ACADEMIC.search(affiliation or "") and role is not None
    )


def _quoted(text: str) -> bool:
    """Whether the text has a quotation mark: its own words, quoted."""
    return '"' in text or "“" in text or "”" in text


def _actor(key: str, ms: list[Mention], quotes: list[Quote], tally: _Tally) -> Actor:
    """The actor of the mentions ``ms`` (in order of place) merged under ``key``."""
    type_ = tally.type
    forms = tally.forms
    if type_ == "OTHER":
        name = _party_name(ms)
        forms.update(_party_forms(ms))
    else:
        name = _canonical_name(key, forms)
    role, affiliation, articles = tally.role, tally.affiliation, tally.articles
    # Direct quotations first: they say best what the actor said.
    quoted: list[Quote] = []
    reported: list[Quote] = []
    did: list[Quote] = []
    for q in quotes:
        if q.kind == "said":
            (quoted if _quoted(q.text) else reported).append(q)
        elif q.kind == "did":
            did.append(q)
    said = len(quoted) + len(reported)
    salience = tally.weight + 3.0 * (len(articles) - 1) + 1.5 * said
    if type_ == "NORP":
        salience *= 0.3  # "Canadian" says less about who acts than "Canada"
    elif type_ == "OTHER" and not tally.events:
        salience *= 0.6  # an unnamed source speaks, but is rarely who the story is about
    # A commentator quoted for an opinion, or a news outlet credited as a source, is not a party.
    commentator = type_ == "PERSON" and _commentator(role, affiliation, tally.head)
    # The model takes an outlet for a person or a place at times ("Orsova Courier"); "Post" and
    # "Press" are surnames too, so a person's name counts only by the plainer outlet words.
    outlet = news_outlet(name) and (
        type_ != "PERSON" or _norm(name).split()[-1] not in _SURNAME_WORDS
    )
    if commentator or outlet:
        salience *= 0.3
    seen: set[tuple[str, int]] = set()
    ordered = []
    does = None  # its own words in quotation marks, else what it did, else what it said
    for q in itertools.chain(quoted, reported, did):
        if (q.article, q.start) not in seen:
            seen.add((q.article, q.start))
            ordered.append(q)
            if does is None and q.kind == "did":
                does = q
    if quoted or (ordered and does is None):
        does = ordered[0]
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
        part=_part(type_, name, key, ms, said, tally),  # type: ignore[arg-type]
        does=_line(does) if does is not None else None,
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


def _line(q: Quote) -> Quote:
    """One short line of what the actor says or does (see :func:`_actor`)."""
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
    bare = key.split(":", 1)[-1]
    found = gz.country(bare) or gz.union(bare)
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

    # Most actors have one form: the best without ranking it.
    best = next(iter(forms)) if len(forms) == 1 else max(forms, key=rank)
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
