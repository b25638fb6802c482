from __future__ import annotations

from briefgen.nlp import split_sentences


def test_fast_tagging_gives_what_spacys_own_ruler_and_lemmatizer_give() -> None:
    import numpy as np
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, LEMMA, MORPH, POS, TAG

    from briefgen.doc import Article
    from briefgen.nlp import _with_sentences, load_model, parse
    from briefgen.tagging import fast_tagging

    text = (
        "Something  happened: the ministers couldn't agree, and nobody knows whether they'll\n"
        "meet again. \"It remains to be seen,\" said Dr. Ama Boateng, who's leading the U.N.'s "
        "talks in Accra. Those were the best of times; these are worse.\n\nShe might resign, "
        "but that isn't certain. I'd have gone if I'd known. 'Cause we're gonna win, y'all."
    )
    nlp = load_model()
    assert fast_tagging(nlp) is not None  # the default model's rules are all understood
    fast = parse(Article(id="x", title="", text=text)).doc
    spacy = nlp(_with_sentences(nlp, text, split_sentences(text)))
    attrs = [LEMMA, POS, TAG, DEP, MORPH, ENT_IOB, ENT_TYPE]
    assert np.array_equal(fast.to_array(attrs), spacy.to_array(attrs))
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in spacy]


def test_pipelines_without_those_pipes_keep_spacys_own() -> None:
    import spacy

    from briefgen.tagging import fast_tagging

    assert fast_tagging(spacy.blank("en")) is None
