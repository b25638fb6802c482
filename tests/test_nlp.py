from briefgen.nlp import split_sentences, token_strings


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
        "OTTAWA —",
        "Negotiators met on Monday.",
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


def test_token_strings_are_each_tokens_own(make_parsed) -> None:
    first = make_parsed("The Ministers warned that talks could collapse. Officials said so.").doc
    second = make_parsed("Prices rose.").doc
    for doc in (first, second, first):  # kept per doc: asking of another doc reads that one
        words = token_strings(doc)
        assert words.lower == [t.lower_ for t in doc]
        assert words.lemma == [t.lemma_.lower() for t in doc]
        assert words.pos == [t.pos_ for t in doc]
        assert words.tag == [t.tag_ for t in doc]
        assert words.dep == [t.dep_ for t in doc]
