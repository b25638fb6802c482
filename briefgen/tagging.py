"""spaCy's ``attribute_ruler`` and ``lemmatizer``, computed per distinct token.

spaCy's attribute_ruler runs a Matcher over every token and sets its attributes one match at a
time, and the rule lemmatizer looks each token up in Python: together they cost about a fifth
of the parse. Their rules are small and token-local, so the same annotations come cheaper from
a few array operations per rule and a lemma per distinct (word, POS, morphology). Only patterns
this file fully understands are taken over; any other pipeline runs spaCy's own components.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from thinc.types import Ints2d

# (column, op, value, Python value): op is ==, IN, NOT_IN or REGEX; for REGEX the Python value is
# the regex's bit in its column's key.
_Predicate = tuple[int, str, Any, Any]
# Token attributes a rule may test (read alike by the Matcher and Doc.to_array) and set.
_RULE_COLUMNS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE"})
_TAGGING = frozenset({"TAG", "POS", "DEP", "LEMMA", "MORPH"})


@dataclass(frozen=True, slots=True)
class _Rule:
    tokens: tuple[tuple[_Predicate, ...], ...]
    target: int  # index of the token the attributes go to, within the match
    sets: tuple[tuple[int, int], ...]  # (column of set_attrs, value) as AttributeRuler has them


@dataclass(slots=True)
class _FastTagging:
    """What ``attribute_ruler`` + ``lemmatizer`` set, with their results memoised.

    The ruler applies every match in rule order, later rules overwriting earlier ones. A
    one-token rule's outcome depends only on the token's attributes, and of a word only on
    whether a rule names it (or a regex matches it), so those outcomes are memoised per token
    key; the few multi-token rules run on arrays.
    """

    names: tuple[str, ...]  # the pipes replaced
    match_attrs: tuple[int, ...]  # columns read by the rules
    rules: tuple[_Rule, ...]
    set_attrs: tuple[int, ...]  # columns the rules write
    named: tuple[Any, ...]  # per column: the values rules compare with (None: keep all)
    regexes: tuple[tuple[re.Pattern[str], ...], ...]  # per column: the regexes tested on it
    lemmatize: Callable[[Token], list[str]]
    strings: Any
    regex_memo: dict[tuple[int, int], int] = field(default_factory=dict)
    key_memo: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[tuple[int, int], ...]]] = field(
        default_factory=dict
    )
    lemma_memo: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def __call__(self, doc: Doc) -> None:
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        n = len(doc)
        if n == 0:
            return
        cols = doc.to_array(list(self.match_attrs))
        out = doc.to_array(list(self.set_attrs))
        # Read once per doc: the one-token keys and every multi-token rule's regexes use them.
        regex_bits = self._regex_columns(cols)
        longer: dict[int, list[int]] = {}  # token -> multi-token rules that set it
        for r, rule in enumerate(self.rules):
            width = len(rule.tokens)
            if width == 1 or width > n:
                continue
            match = np.ones(n - width + 1, dtype=bool)
            for k, preds in enumerate(rule.tokens):
                window = slice(k, n - width + 1 + k)
                for pred in preds:
                    match &= self._test(pred, cols[window], regex_bits, window)
            for t in (np.flatnonzero(match) + rule.target).tolist():
                longer.setdefault(t, []).append(r)
        table = out.T.tolist()
        memo = self.key_memo
        for i, key in enumerate(self._keys(cols, regex_bits)):
            found = memo.get(key)
            if found is None:
                found = memo[key] = self._one_token(key)
            hits, sets = found
            if i in longer:
                sets = tuple(s for r in sorted((*hits, *longer[i])) for s in self.rules[r].sets)
            for c, value in sets:
                table[c][i] = value
        tagged = np.array(table, dtype=np.uint64).T
        doc.from_array(list(self.set_attrs), cast("Ints2d", tagged))
        # The lemmatizer reads the POS and morphology the rules set, so it runs after them, on
        # the tokens no rule gave a lemma; a lemma depends on the word, its POS and morphology.
        lemma_memo = self.lemma_memo
        lemmas = tagged[:, self.set_attrs.index(LEMMA)].copy()
        words = doc.to_array([ORTH, POS, MORPH]).tolist()
        for i, lemma in enumerate(lemmas.tolist()):
            if lemma:
                continue
            word = (words[i][0], words[i][1], words[i][2])
            lemma = lemma_memo.get(word)
            if lemma is None:
                lemma = lemma_memo[word] = self.strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], cast("Ints2d", lemmas.reshape(-1, 1)))

    def _regex_columns(self, cols: Any) -> dict[int, Any]:
        """Per column that regexes test: each token's regex bits, looked up per distinct value."""
        import numpy as np

        found = {}
        for c, regexes in enumerate(self.regexes):
            if regexes:
                uniq, inverse = np.unique(cols[:, c], return_inverse=True)
                bits = [self._regex_bits(c, v) for v in uniq.tolist()]
                found[c] = np.array(bits, dtype=np.uint64)[inverse.reshape(-1)]
        return found

    def _keys(self, cols: Any, regex_bits: dict[int, Any]) -> list[tuple[int, ...]]:
        """Per token: each column's value (0 for values no rule names), then regex bits."""
        import numpy as np

        parts = []
        for c, named in enumerate(self.named):
            values = cols[:, c]
            parts.append(values if named is None else np.where(np.isin(values, named), values, 0))
        parts.extend(regex_bits.values())  # in column order, as _one_token reads them
        return list(map(tuple, np.stack(parts, axis=1).tolist()))

    def _regex_bits(self, column: int, value: int) -> int:
        bits = self.regex_memo.get((column, value))
        if bits is None:
            text = self.strings[value]
            bits = sum(1 << j for j, rx in enumerate(self.regexes[column]) if rx.search(text))
            self.regex_memo[(column, value)] = bits
        return bits

    def _one_token(
        self, key: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
        """The one-token rules that hit a token with ``key``, and what they set, in order."""
        hits: list[int] = []
        final: dict[int, int] = {}
        regex_at = len(self.named)
        bit_column = {}
        for c, regexes in enumerate(self.regexes):
            if regexes:
                bit_column[c] = regex_at
                regex_at += 1
        for r, rule in enumerate(self.rules):
            if len(rule.tokens) != 1:
                continue
            for column, op, _, value in rule.tokens[0]:
                v = key[column]
                if op == "==":
                    ok = v == value
                elif op == "IN":
                    ok = v in value
                elif op == "NOT_IN":
                    ok = v not in value
                else:
                    ok = bool(key[bit_column[column]] >> value & 1)
                if not ok:
                    break
            else:
                hits.append(r)
                final.update(rule.sets)
        return tuple(hits), tuple(final.items())

    def _test(self, pred: _Predicate, cols: Any, regex_bits: dict[int, Any], window: slice) -> Any:
        import numpy as np

        column, op, value, bit = pred
        values = cols[:, column]
        if op == "==":
            return values == value
        if op == "IN":
            return np.isin(values, value)
        if op == "NOT_IN":
            return ~np.isin(values, value)
        bits = regex_bits[column][window].astype(np.int64)
        return (bits >> bit & 1) == 1


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


@dataclass(slots=True)
class _LemmaTables:
    """Stands in for the lemmatizer as ``self`` of its own ``rule_lemmatize``."""

    lookups: Any
    is_base_form: Callable[[Token], bool]
    cache: dict[Any, list[str]] = field(default_factory=dict)


def _rule_lemmatizer(lemmatizer: Any) -> Callable[[Token], list[str]]:
    """spaCy's rule lemmatizer over the same tables, its word lists made sets.

    ``rule_lemmatize`` only asks whether a form is in the word list of its POS, and the lists
    (up to 57,000 words) are Python lists: every lemma looked up cost a scan of one.
    """
    from functools import partial

    from spacy.lookups import Lookups

    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lookups.add_table(name)
        for key, value in lemmatizer.lookups.get_table(name).items():
            table[key] = frozenset(value) if name == "lemma_index" else value
    tables = _LemmaTables(lookups=lookups, is_base_form=lemmatizer.is_base_form)
    return partial(type(lemmatizer).rule_lemmatize, tables)


@lru_cache(maxsize=4)
def fast_tagging(nlp: Language) -> _FastTagging | None:
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
    named: dict[int, set[int]] = {}
    regexes: dict[int, list[re.Pattern[str]]] = {}
    patterns: list[tuple[list[list[tuple[int, str, Any]]], int, dict[int, int]]] = []
    for key, attrs in enumerate(ruler.attrs):
        for pattern in ruler.matcher.get(nlp.vocab.strings[str(key)])[1]:
            tokens: list[list[tuple[int, str, Any]]] = []
            for spec in pattern:
                preds: list[tuple[int, str, Any]] = []
                for name, value in spec.items():
                    attr = IDS.get(name.upper()) if isinstance(name, str) else None
                    if attr is None or name.upper() not in _RULE_COLUMNS:
                        return None
                    col = columns.setdefault(attr, len(columns))
                    words = named.setdefault(col, set())
                    if isinstance(value, bool | str):
                        v = int(value) if isinstance(value, bool) else get_string_id(value)
                        preds.append((col, "==", v))
                        words.add(v)
                    elif isinstance(value, dict) and len(value) == 1:
                        ((op, arg),) = value.items()
                        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
                            ids = {get_string_id(v) for v in arg}
                            preds.append((col, op, frozenset(ids)))
                            words.update(ids)
                        elif op == "REGEX" and isinstance(arg, str):
                            regexes.setdefault(col, []).append(re.compile(arg))
                            preds.append((col, op, len(regexes[col]) - 1))
                        else:
                            return None
                    else:
                        return None
                tokens.append(preds)
            index = ruler.indices[key]
            target = index if index >= 0 else len(tokens) + index
            if not 0 <= target < len(tokens):
                return None
            patterns.append((tokens, target, attrs))
    set_attrs = sorted({POS, MORPH, LEMMA}.union(*(attrs for _, _, attrs in patterns)))
    if not set(set_attrs) <= {IDS[name] for name in _TAGGING}:
        return None

    def compiled(pred: tuple[int, str, Any]) -> _Predicate:
        col, op, value = pred
        if op in ("IN", "NOT_IN"):
            return (col, op, np.array(sorted(value), dtype=np.uint64), value)
        return (col, op, value, value)  # ==, and REGEX (its value is the regex's bit)

    rules = tuple(
        _Rule(
            tokens=tuple(tuple(compiled(p) for p in preds) for preds in tokens),
            target=target,
            sets=tuple((set_attrs.index(a), v) for a, v in sorted(attrs.items())),
        )
        for tokens, target, attrs in patterns
    )
    # A word no rule names is keyed as 0, unless 0 is itself a value rules compare with.
    keep = {c: None if 0 in words else np.array(sorted(words), dtype=np.uint64)
            for c, words in named.items()}  # fmt: skip
    return _FastTagging(
        names=names,
        match_attrs=tuple(columns),
        rules=rules,
        set_attrs=tuple(set_attrs),
        named=tuple(keep.get(c) for c in range(len(columns))),
        regexes=tuple(tuple(regexes.get(c, ())) for c in range(len(columns))),
        lemmatize=_rule_lemmatizer(lemmatizer),
        strings=nlp.vocab.strings,
    )
