"""spaCy's entity recogniser, decoded for a whole batch at once with the same model and rules.

spaCy's greedy NER walks each doc token by token in compiled code, but the wheels for this
Python are built with Cython profiling: each of the many small state calls inside that walk
takes and drops the GIL, and the walk cost about half of the whole parse. The network is
cheap; the walk is not. Here the same network runs through thinc as spaCy runs it (the
recogniser's own tok2vec, then its precomputed first layer). A state with no entity open
depends on its token alone, so those choices are made for all tokens with array operations;
only the few steps inside an entity are walked one by one. The transition rules are spaCy's
(BILUO, no entity across a sentence start, none starting on whitespace) and so is the
arithmetic, in the same order, so the entities are the ones spaCy would set.

Only a pipeline whose recogniser has exactly this shape is taken over (greedy, three state
features, an output layer, no pre-set entities on the docs); anything else runs spaCy's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

NAME = "ner"

# Move types, as BiluoPushDown names its classes ("B-ORG", ..., "U-", "O").
_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)
_MOVES = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}


@dataclass(frozen=True, slots=True)
class _FastEntities:
    """The recogniser's layers and its classes as arrays: per class, its move and label."""

    names: tuple[str, ...]  # the pipe replaced
    tok2vec: Any
    lower: Any
    upper_w: Any  # (classes, hidden)
    upper_b: Any  # (classes,)
    move: Any  # (classes,) move type
    label: Any  # (classes,) label hash, 0 for none
    gemm: Any
    inside: dict[int, int]  # label -> its I class
    last: dict[int, int]  # label -> its L class
    spacy_pipe: Any  # for docs that arrive with entities already set

    def __call__(self, docs: Sequence[Doc]) -> None:
        """Set each doc's entities (and every other token to O), as spaCy's ``ner`` would."""
        import numpy as np
        from spacy.attrs import IS_SPACE, SENT_START

        docs = list(docs)
        if any(d.has_annotation("ENT_IOB") for d in docs):
            for _ in self.spacy_pipe.pipe(docs, batch_size=len(docs)):
                pass
            return
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        if not lengths.any():
            for doc in docs:
                _set(doc, [])
            return
        tokvecs = self.tok2vec(docs, is_train=False)[0]
        cached = self.lower(tokvecs, is_train=False)[0]  # (1 + tokens, features, hidden, pieces)
        bias = self.lower.get_param("b")  # (hidden, pieces)
        n_feats, hidden, pieces = cached.shape[1:]
        rows = cached.reshape(cached.shape[0], n_feats, hidden * pieces)
        flat_bias = bias.reshape(hidden * pieces)
        columns = [d.to_array([SENT_START, IS_SPACE]) for d in docs if len(d)]
        table = np.concatenate(columns).astype(np.int64)
        sent_start, is_space = table[:, 0], table[:, 1].astype(bool)
        # Where a doc's token t sits in the batch: spaCy numbers states' tokens the same way.
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        # A token followed, in its own doc, by one that does not start a sentence.
        total = int(lengths.sum())
        nxt = np.zeros(total, dtype=bool)
        nxt[:-1] = sent_start[1:] != 1
        ends = offsets + lengths - 1
        nxt[ends[lengths > 0]] = False

        move, label = self.move, self.label
        # A state with no entity open sees token t and two padding features, whatever came
        # before it, and which moves are valid there depends on t alone: so those states'
        # choices are made for every token at once. Each row of the product comes out the
        # same whatever the number of rows (checked in the tests).
        unmaxed = rows[1:, 0] + rows[0, 1]
        unmaxed += rows[0, 2]
        unmaxed += flat_bias
        scores = self.gemm(_maxout(unmaxed, pieces), self.upper_w, trans2=True)
        scores += self.upper_b
        may_start = ~is_space
        labelled = label != 0
        valid = (
            ((move == _BEGIN) & labelled)[None, :] & (nxt & may_start)[:, None]
            | ((move == _UNIT) & labelled)[None, :] & may_start[:, None]
            | (move == _OUT)[None, :]
        )
        chosen = np.where(valid, scores, np.float32(-np.inf)).argmax(axis=1)
        moves = move[chosen]
        starts = np.flatnonzero((moves == _BEGIN) | (moves == _UNIT)).tolist()
        moves_l, labels_l, go_on = moves.tolist(), label[chosen].tolist(), nxt.tolist()
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        doc_of = np.repeat(np.arange(len(docs)), lengths).tolist()
        free = 0  # the first token not inside an entity found so far
        for e in starts:
            if e < free:
                continue
            d, o = doc_of[e], int(offsets[doc_of[e]])
            lab = labels_l[e]
            if moves_l[e] == _UNIT:
                found[d].append((e - o, e - o + 1, lab))
                free = e + 1
                continue
            # An entity is open from token e: at each later token u the only valid moves are
            # I (if the entity may go on) and L, both with its label.
            i_cls, l_cls = self.inside[lab], self.last[lab]
            u = e + 1
            while True:
                step = rows[u + 1, 0] + rows[e + 1, 1]
                step += rows[u, 2]
                step += flat_bias
                row = self.gemm(_maxout(step.reshape(1, -1), pieces), self.upper_w, trans2=True)
                row += self.upper_b
                si, sl = row[0, i_cls], row[0, l_cls]
                # First best in class order wins a tie, as spaCy's arg max does.
                if go_on[u] and (si > sl or (si == sl and i_cls < l_cls)):
                    u += 1
                    continue
                found[d].append((e - o, u - o + 1, lab))
                free = u + 1
                break
        for doc, ents in zip(docs, found, strict=True):
            _set(doc, ents)


def _maxout(unmaxed: Any, pieces: int) -> Any:
    """Each hidden unit's largest piece: (rows, hidden * pieces) -> (rows, hidden). An
    element-wise maximum of strided views, several times faster than ``max`` over a last axis
    of two; the values are the same."""
    import numpy as np

    best = np.ascontiguousarray(unmaxed[:, 0::pieces])
    for p in range(1, pieces):
        np.maximum(best, unmaxed[:, p::pieces], out=best)
    return best


def _set(doc: Doc, ents: list[tuple[int, int, int]]) -> None:
    """As BiluoPushDown.set_annotations: the entities, then every other token O."""
    from spacy.tokens import Span

    doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in ents], default="outside")


@lru_cache(maxsize=4)
def fast_entities(nlp: Language) -> _FastEntities | None:
    """The batch decoder for ``nlp``'s ``ner``, or None to keep spaCy's."""
    import numpy as np
    from spacy.pipeline import EntityRecognizer

    if NAME not in nlp.pipe_names:
        return None
    ner = nlp.get_pipe(NAME)
    if not isinstance(ner, EntityRecognizer) or type(ner) is not EntityRecognizer:
        return None
    if ner.cfg.get("beam_width") != 1:
        return None
    model = ner.model
    if not model.attrs.get("has_upper") or model.attrs.get("unseen_classes"):
        return None
    if len(model.layers) != 3 or ner.postprocesses:
        return None
    tok2vec, lower, upper = model.layers
    if lower.maybe_get_dim("nF") != 3 or upper.maybe_get_dim("nO") != ner.moves.n_moves:
        return None
    moves, labels = [], []
    for i in range(ner.moves.n_moves):
        name = ner.moves.get_class_name(i)
        kind, _, text = name.partition("-")
        if kind not in _MOVES or (kind == "O") != (name == "O"):
            return None
        moves.append(_MOVES[kind])
        labels.append(nlp.vocab.strings.add(text) if text else 0)
    return _FastEntities(
        names=(NAME,),
        tok2vec=tok2vec,
        lower=lower,
        upper_w=upper.get_param("W"),
        upper_b=upper.get_param("b"),
        move=np.array(moves, dtype=np.int64),
        label=np.array(labels, dtype=np.uint64),
        gemm=model.ops.gemm,
        inside={lab: i for i, (m, lab) in enumerate(zip(moves, labels, strict=True)) if m == _IN},
        last={lab: i for i, (m, lab) in enumerate(zip(moves, labels, strict=True)) if m == _LAST},
        spacy_pipe=ner,
    )
