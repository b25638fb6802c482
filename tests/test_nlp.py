from briefgen.nlp import split_sentences


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Mr. Smith met Gov. Jones in Washington, D.C. on Jan. 5. The U.S. team left early."
    assert spans(text) == [
        "Mr. Smith met Gov. Jones in Washington, D.C. on Jan. 5.",
        "The U.S. team left early.",
    ]


def test_quotes_stay_with_their_sentence() -> None:
    text = '"It went well," he said. "We will be back." Then she left.'
    assert spans(text) == ['"It went well," he said.', '"We will be back."', "Then she left."]


def test_headline_and_dateline_lines_are_their_own_units() -> None:
    text = "Talks resume\nOTTAWA — Negotiators met on Monday. They agreed.\n\nNew paragraph here."
    assert spans(text) == [
        "Talks resume",
        "OTTAWA — Negotiators met on Monday.",
        "They agreed.",
        "New paragraph here.",
    ]


def test_hard_wrapped_prose_is_joined() -> None:
    text = (
        "The minister said the government would not accept any deal that\n"
        "harmed workers in the steel industry. Talks continue."
    )
    assert spans(text)[0].startswith("The minister said") and spans(text)[0].endswith("industry.")


def test_spacy_sentences_follow_punkt(make_parsed) -> None:
    parsed = make_parsed("Mr. Smith met Gov. Jones on Jan. 5. The U.S. team left.")
    assert [s.text for s in parsed.doc.sents] == [s.text for s in parsed.sentences]
    assert len(parsed.sentences) == 2


def test_wire_datelines_are_their_own_units() -> None:
    assert spans("(CNN)Blues legend B.B. King was unwell. He is fine.") == [
        "(CNN)",
        "Blues legend B.B. King was unwell.",
        "He is fine.",
    ]
    assert spans("Boston (CNN)Guilty across the board. The jury agreed.")[:2] == [
        "Boston (CNN)",
        "Guilty across the board.",
    ]
    assert spans("TOKYO (Reuters) - Shares fell on Monday. Banks led.")[:2] == [
        "TOKYO (Reuters) -",
        "Shares fell on Monday.",
    ]
    assert spans("LONDON, England (Reuters) -- A man was arrested. Police said so.")[:2] == [
        "LONDON, England (Reuters) --",
        "A man was arrested.",
    ]


def test_parenthesised_names_inside_sentences_are_not_datelines() -> None:
    text = "The agency (UN) said so. Its office (WHO) agreed with the plan."
    assert spans(text) == ["The agency (UN) said so.", "Its office (WHO) agreed with the plan."]


def test_initials_and_ranks_do_not_end_sentences() -> None:
    text = "J.K. Rowling met Army Spc. Caleb Barnes. She left."
    assert spans(text) == ["J.K. Rowling met Army Spc. Caleb Barnes.", "She left."]


def test_sentence_offsets_index_the_text_exactly() -> None:
    text = 'Washington (CNN)"We won," she said. Mr. B.B. Smith agreed.\n\nA new paragraph.'
    for s, e in split_sentences(text):
        assert text[s:e] == text[s:e].strip() and e > s
    assert spans(text)[0] == "Washington (CNN)"


def test_fast_tagging_gives_what_spacys_own_ruler_and_lemmatizer_give() -> None:
    import numpy as np
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, LEMMA, MORPH, POS, TAG

    from briefgen.doc import Article
    from briefgen.nlp import _fast_tagging, _with_sentences, load_model, parse

    text = (
        "Something  happened: the ministers couldn't agree, and nobody knows whether they'll\n"
        "meet again. \"It remains to be seen,\" said Dr. Ama Boateng, who's leading the U.N.'s "
        "talks in Accra. Those were the best of times; these are worse.\n\nShe might resign, "
        "but that isn't certain. I'd have gone if I'd known. 'Cause we're gonna win, y'all."
    )
    nlp = load_model()
    assert _fast_tagging(nlp) is not None  # the default model's rules are all understood
    fast = parse(Article(id="x", title="", text=text)).doc
    spacy = nlp(_with_sentences(nlp, text, split_sentences(text)))
    attrs = [LEMMA, POS, TAG, DEP, MORPH, ENT_IOB, ENT_TYPE]
    assert np.array_equal(fast.to_array(attrs), spacy.to_array(attrs))
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in spacy]


def test_pipelines_without_those_pipes_keep_spacys_own() -> None:
    import spacy

    from briefgen.nlp import _fast_tagging

    assert _fast_tagging(spacy.blank("en")) is None
