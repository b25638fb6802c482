"""spaCy's entity recogniser, decoded for a whole batch at once with the same model and rules.

spaCy's greedy NER walks each doc token by token in compiled code, but the wheels for this
Python are built with Cython profiling: each of the many small state calls inside that walk
takes and drops the GIL, and the walk cost about half of the whole parse. The network is
cheap; the walk is not. Here the same network runs through thinc as spaCy runs it (the
recogniser's own tok2vec, then its precomputed first layer), and the walk is done in lock step
across the batch's docs with array operations, one step per token, applying the same
transition rules (BILUO, no entity across a sentence start, none starting on whitespace) and
the same arithmetic in the same order, so the entities are the ones spaCy would set.

Only a pipeline whose recogniser has exactly this shape is taken over (greedy, three state
features, an output layer, no pre-set entities on the docs); anything else runs spaCy's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
        is_begin, is_in, is_last = move == _BEGIN, move == _IN, move == _LAST
        is_unit, is_out = (move == _UNIT) & (label != 0), move == _OUT
        labelled = label != 0
        is_begin &= labelled
        is_in &= labelled
        is_last &= labelled

        order = np.arange(len(docs))
        active = order[lengths > 0]
        open_ = np.zeros(len(docs), dtype=bool)
        start = np.zeros(len(docs), dtype=np.int64)
        open_label = np.zeros(len(docs), dtype=np.uint64)
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        minus = np.float32(-np.inf)
        t = 0
        while active.size:
            off = offsets[active]
            here = off + t
            is_open = open_[active]
            f0 = rows[here + 1, 0]
            f1 = rows[np.where(is_open, off + start[active] + 1, 0), 1]
            f2 = rows[np.where(is_open, here, 0), 2]
            unmaxed = f0 + f1
            unmaxed += f2
            unmaxed += flat_bias
            hiddens = unmaxed.reshape(-1, hidden, pieces).max(axis=2)
            scores = self.gemm(hiddens, self.upper_w, trans2=True)
            scores += self.upper_b
            may_go_on = nxt[here]
            may_start = ~is_space[here]
            same = label[None, :] == open_label[active][:, None]
            closed = (
                (is_begin[None, :] & (may_go_on & may_start)[:, None])
                | (is_unit[None, :] & may_start[:, None])
                | is_out[None, :]
            )
            inside = same & ((is_in[None, :] & may_go_on[:, None]) | is_last[None, :])
            valid = np.where(is_open[:, None], inside, closed)
            guess = np.where(valid, scores, minus).argmax(axis=1)
            moves = move[guess]
            began = moves == _BEGIN
            if began.any():
                who = active[began]
                open_[who] = True
                start[who] = t
                open_label[who] = label[guess[began]]
            for k in np.flatnonzero((moves == _UNIT) | (moves == _LAST)).tolist():
                d = int(active[k])
                if moves[k] == _UNIT:
                    found[d].append((t, t + 1, int(label[guess[k]])))
                else:
                    found[d].append((int(start[d]), t + 1, int(open_label[d])))
                    open_[d] = False
            t += 1
            active = active[lengths[active] > t]
        for doc, ents in zip(docs, found, strict=True):
            _set(doc, ents)


def _set(doc: Doc, ents: list[tuple[int, int, int]]) -> None:
    """As BiluoPushDown.set_annotations: the entities, then every other token O."""
    from spacy.tokens import Span

    doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in ents], default="outside")


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
        spacy_pipe=ner,
    )
