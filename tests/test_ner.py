from __future__ import annotations

from typing import TYPE_CHECKING

from briefgen.nlp import split_sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Entities at a doc's first and last token, across a line break and a sentence start, beside
# runs of whitespace, and docs of very different lengths decoded in one batch.
TEXTS = [
    "Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the European Union's "
    "budget.\n\nThe talks, held at the Élysée Palace, ended without a deal. Olaf Scholz\n"
    "said Germany would pay $4.5 billion by March 2026.",
    "NATO",
    "",
    "The U.S. Senate voted 52-48.  Senator Elizabeth Warren  opposed it, as did 12 "
    "Republicans from Texas and Ohio. The World Health Organization\nwarned on Tuesday.",
    "Prices rose 3% in the third quarter, the Office for National Statistics said, and the "
    "Bank of England's governor Andrew Bailey spoke in London. Apple and Microsoft fell.",
    "He said so.\n\n\nReuters",
]


def _docs(nlp: Language, texts: list[str]) -> list[Doc]:
    from briefgen.nlp import _with_sentences

    return [_with_sentences(nlp, t, split_sentences(t)) for t in texts]


def _entities(docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]


def test_the_batch_decoder_sets_the_entities_spacys_own_recogniser_sets() -> None:
    import numpy as np
    from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE

    from briefgen.ner import fast_entities
    from briefgen.nlp import load_model

    nlp = load_model()
    fast = fast_entities(nlp)
    assert fast is not None  # the default model's recogniser has the expected shape
    spacy = list(nlp.pipe(_docs(nlp, TEXTS), batch_size=len(TEXTS)))
    ours = list(nlp.pipe(_docs(nlp, TEXTS), batch_size=len(TEXTS), disable=["ner"]))
    fast(ours)
    assert sum(len(doc.ents) for doc in spacy) > 20
    assert _entities(ours) == _entities(spacy)
    attrs = [ENT_IOB, ENT_TYPE, ENT_KB_ID]
    for a, b in zip(ours, spacy, strict=True):
        assert np.array_equal(a.to_array(attrs), b.to_array(attrs))


def test_parse_decodes_entities_as_the_spacy_pipeline_does() -> None:
    from briefgen.doc import Article
    from briefgen.nlp import load_model, parse_many

    nlp = load_model()
    articles = [Article(id=str(i), title="", text=t) for i, t in enumerate(TEXTS)]
    parsed = [p.doc for p in parse_many(articles, batch_size=4)]
    assert _entities(parsed) == _entities(list(nlp.pipe(_docs(nlp, TEXTS), batch_size=4)))


def test_docs_that_arrive_with_entities_go_to_spacys_own_recogniser() -> None:
    from spacy.tokens import Span

    from briefgen.ner import fast_entities
    from briefgen.nlp import load_model

    nlp = load_model()
    fast = fast_entities(nlp)
    assert fast is not None
    docs = list(nlp.pipe(_docs(nlp, TEXTS[:1]), disable=["ner"]))
    # "discuss" as a preset PRODUCT: spaCy's recogniser keeps pre-set entities.
    docs[0].set_ents([Span(docs[0], 10, 11, label="PRODUCT")], default="unmodified")
    fast(docs)
    assert (10, 11, "PRODUCT") in _entities(docs)[0]
    assert any(label == "PERSON" for _, _, label in _entities(docs)[0])


def test_pipelines_without_a_greedy_recogniser_keep_spacys_own() -> None:
    import spacy

    from briefgen.ner import fast_entities

    assert fast_entities(spacy.blank("en")) is None
    beam = spacy.blank("en")
    beam.add_pipe("beam_ner")
    beam.initialize()
    assert fast_entities(beam) is None


def test_each_row_of_the_output_layer_is_the_same_whatever_the_number_of_rows() -> None:
    """The decoder scores all no-entity states in one product and the rest one row at a time,
    where spaCy scores one step's states together: the same only if a row never depends on
    the rows beside it."""
    import numpy as np

    from briefgen.ner import fast_entities
    from briefgen.nlp import load_model

    fast = fast_entities(load_model())
    assert fast is not None
    hidden = np.random.default_rng(7).standard_normal((500, fast.upper_w.shape[1]))
    hidden = hidden.astype(np.float32)
    whole = fast.gemm(hidden, fast.upper_w, trans2=True)
    for size in (1, 2, 5, 16, 33):
        for at in range(0, 200, size):
            part = fast.gemm(
                np.ascontiguousarray(hidden[at : at + size]), fast.upper_w, trans2=True
            )
            assert np.array_equal(part, whole[at : at + size])
