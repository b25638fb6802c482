import datetime as dt

from briefgen.actors import extract_mentions, extract_quotes, merge_actors
from briefgen.doc import Analysis, Article
from briefgen.nlp import parse

TEXT = (
    "U.S. President Donald Trump spoke to Canadian Trade Minister Dominic LeBlanc on Monday. "
    "Trump said the talks were productive. "
    "Jamie Tronnes, executive director of the Center for North American Prosperity, "
    "called it a positive sign. "
    '"We are hopeful," LeBlanc said.'
)


def _analysis(text: str, article_id: str = "a1") -> Analysis:
    parsed = parse(
        Article(id=article_id, title="Trade talks", text=text, published=dt.date(2025, 9, 16))
    )
    mentions = extract_mentions(parsed)
    return Analysis(
        parsed.article,
        len(parsed.sentences),
        [],
        mentions,
        extract_quotes(parsed, mentions),
        [],
        [],
    )


def test_name_variants_merge_into_one_actor() -> None:
    actors = merge_actors([_analysis(TEXT)])
    trump = [a for a in actors if "Trump" in a.name]
    assert len(trump) == 1
    assert trump[0].name == "Donald Trump"
    assert len(trump[0].mentions) == 2


def test_roles_from_titles_and_appositions() -> None:
    actors = {a.name: a for a in merge_actors([_analysis(TEXT)])}
    assert actors["Dominic LeBlanc"].role == "Canadian Trade Minister"
    assert actors["Donald Trump"].role == "U.S. President"
    assert actors["Jamie Tronnes"].role is not None
    assert "executive director" in actors["Jamie Tronnes"].role


def test_country_forms_merge_across_articles() -> None:
    a = _analysis("The United States imposed tariffs on steel.", "a1")
    b = _analysis("Officials in the U.S. said the tariffs would stay.", "a2")
    actors = merge_actors([a, b])
    us = [x for x in actors if x.name == "United States"]
    assert len(us) == 1 and us[0].articles == ["a1", "a2"]


def test_mentions_carry_exact_offsets() -> None:
    analysis = _analysis(TEXT)
    for m in analysis.mentions:
        assert TEXT[m.start : m.end] == m.text


def test_quotes_are_attributed_to_speakers() -> None:
    analysis = _analysis(TEXT)
    speakers = {q.speaker for q in analysis.quotes}
    assert "LeBlanc" in speakers
