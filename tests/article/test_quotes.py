from briefgen.article.mentions import extract_mentions
from briefgen.article.quotes import extract_quotes


def test_a_speech_verb_in_an_aside_is_not_the_sentences_statement(make_parsed) -> None:
    parsed = make_parsed(
        "Canadian and American negotiators sat down on Monday for the first round of talks, "
        "with Washington signalling that its patience is limited."
    )
    quotes = extract_quotes(parsed, extract_mentions(parsed))
    assert not any(q.speaker == "Washington" and q.kind == "said" for q in quotes)


def test_the_subject_of_a_speech_verb_said_it(make_parsed) -> None:
    parsed = make_parsed('"We will not back down," Marta Quill said on Tuesday.')
    quotes = extract_quotes(parsed, extract_mentions(parsed))
    assert [(q.speaker, q.kind) for q in quotes] == [("Marta Quill", "said")]
