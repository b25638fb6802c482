"""Actors ranked by their part in the news. Fixtures invented for these tests."""

import datetime as dt
import itertools
import random

import numpy as np

from briefgen.article import analyse
from briefgen.doc import Actor, Article
from briefgen.nlp import parse
from briefgen.week.actors import _sorted_rows, _unions, merge_actors


def _actors(text: str, title: str = "News") -> list[Actor]:
    article = Article(id="a1", title=title, text=text, published=dt.date(2025, 9, 16))
    return merge_actors([analyse(parse(article))])


def _named(actors: list[Actor], name: str) -> Actor:
    return next(a for a in actors if a.name == name)


def test_a_country_that_acts_is_an_actor_a_city_where_it_happens_is_the_setting() -> None:
    actors = _actors(
        "MIAMI — Canada imposed tariffs on steel on Monday. "
        "Negotiators met in Miami on Tuesday to discuss the dispute."
    )
    canada, miami = _named(actors, "Canada"), _named(actors, "Miami")
    assert canada.part == "actor" and miami.part == "setting"
    assert actors.index(canada) < actors.index(miami)
    saliences = [a.salience for a in actors]
    assert saliences == sorted(saliences, reverse=True)  # brief.json stays most salient first


def test_a_capital_that_acts_merges_with_its_country() -> None:
    actors = _actors(
        "Ottawa said the tariffs would stay until the United States lifted its own. "
        "Canada has imposed tariffs on steel since March."
    )
    canada = _named(actors, "Canada")
    assert "Ottawa" in canada.aliases
    assert not any(a.name == "Ottawa" for a in actors)


def test_an_agreement_is_a_subject_ranked_after_the_actors() -> None:
    actors = _actors(
        "Canada and Mexico want to keep the CUSMA, the trade agreement between the three "
        "countries. The CUSMA comes up for review in July."
    )
    cusma = _named(actors, "CUSMA")
    assert cusma.part == "subject"
    assert all(a.part == "actor" for a in actors[: actors.index(cusma)])


def test_a_commentator_ranks_below_the_principal() -> None:
    actors = _actors(
        "Finance Minister Ingrid Vasquez announced new bank levies on Monday. "
        "Helen Marsh, an economist at Brightwell Analytics, said the levies would slow lending. "
        "Vasquez said the levies would raise two billion dollars a year."
    )
    names = [a.name for a in actors]
    assert names.index("Ingrid Vasquez") < names.index("Helen Marsh")


def test_an_unnamed_office_holder_is_named_by_the_office() -> None:
    actors = _actors(
        "The mayor of Kelbrook rejected the transit budget on Tuesday. "
        "The mayor of Kelbrook said the city could not afford it."
    )
    mayor = actors[0]
    assert mayor.name == "Mayor of Kelbrook (unnamed)"
    assert "The mayor of Kelbrook" in mayor.aliases
    assert mayor.does is not None and "Kelbrook" in mayor.does.text


def test_a_title_and_a_shared_surname_join_their_holders() -> None:
    actors = _actors(
        "U.S. President Donald Trump met Maria Lopez and her son Tomas Lopez on Monday. "
        "The president said the talks were productive. Tomas waved. "
        "Lopez said she was happy."
    )
    trump, maria = _named(actors, "Donald Trump"), _named(actors, "Maria Lopez")
    assert "president" in trump.aliases
    assert "Lopez" in maria.aliases
    assert not any(a.name == "Lopez" for a in actors)


def test_a_group_that_acts_ranks_with_the_named() -> None:
    actors = _actors(
        "Federal prosecutors charged the Kelbrook Savings Bank with fraud on Monday. "
        "Prosecutors said the bank hid losses from depositors for years."
    )
    assert actors[0].name == "Federal prosecutors"
    assert actors[0].part == "actor" and actors[0].type == "OTHER"


SOURCE = (
    "Canada and Mexico resumed talks on Monday, Trade Minister Dominic LeBlanc said. "
    "A senior Canadian government official said no deal was expected this week. "
    "The official said the talks would go on."
)


def test_an_unnamed_source_merges_across_the_articles_of_one_story() -> None:
    one = Article(id="a1", title="Talks", text=SOURCE, published=dt.date(2025, 9, 16))
    two = Article(id="a2", title="Talks go on", text=SOURCE, published=dt.date(2025, 9, 17))
    other = Article(
        id="a3",
        title="Budget",
        text="Premier Ada Klein tabled the budget on Monday. "
        "A senior Canadian government official said no deal was expected this week.",
        published=dt.date(2025, 9, 17),
    )
    actors = merge_actors([analyse(parse(a)) for a in (one, two, other)])
    sources = [a for a in actors if a.name.startswith("Senior Canadian government official")]
    # the same description in the same story is one source; in another story, another
    assert sorted(a.articles for a in sources) == [["a1", "a2"], ["a3"]]


def test_a_group_described_by_a_named_body_is_that_body() -> None:
    from briefgen.week.actors import named_part

    assert named_part("the Naqshbandi Order insurgent group") == "Naqshbandi Order"
    assert named_part("Trussell Trust food banks") == "Trussell Trust"
    assert named_part("Syrian woman") is None
    assert named_part("foreign fighters") is None


def test_a_news_outlet_ranks_below_the_parties() -> None:
    actors = _actors(
        "The Kelbrook Gazette reported on Monday that the council would close the old bridge. "
        "Ilse Marsh, the mayor, told Kelbrook Television the bridge was unsafe. "
        "The Kelbrook Gazette said repairs would take a year."
    )
    names = [a.name for a in actors]
    assert names.index("Ilse Marsh") < names.index("Kelbrook Gazette")
    assert names.index("Ilse Marsh") < names.index("Kelbrook Television")


def test_a_name_without_its_middle_name_is_the_same_person() -> None:
    actors = _actors(
        "Federal agents arrested James Charles Kopp, 44, in France on Friday. James Kopp had "
        "been on the run for two years. Kopp denied the charge."
    )
    kopp = _named(actors, "James Charles Kopp")
    assert {"James Kopp", "Kopp"} <= set(kopp.aliases)
    assert not any(a.name == "James Kopp" for a in actors)


def test_governments_of_two_countries_stay_apart() -> None:
    actors = _actors(
        "The U.S. government refused the request on Monday. Cuba's government protested on "
        "Tuesday, and the U.S. government answered."
    )
    us = _named(actors, "U.S. government")
    assert "Cuba's government" not in us.aliases


def test_a_faith_is_a_subject_not_an_actor() -> None:
    actors = _actors(
        "Minister Helen Marsh said on Monday that police stops of Muslims would rise. "
        "Islam was not the target, she said, and community leaders welcomed the review."
    )
    islam = [a for a in actors if a.name == "Islam"]
    assert islam and all(a.part == "subject" for a in islam)


def test_mentions_at_one_place_merged_from_two_groups_keep_the_groups_order() -> None:
    from briefgen.doc import Analysis, Mention, Quote

    article = Article(id="a1", title="t", text="x" * 200, published=dt.date(2025, 9, 16))
    mentions = [
        Mention("a1", 40, 54, "Trussell Trust", "ORG"),
        Mention("a1", 10, 36, "the Trussell Trust food banks", "OTHER", ref="g1"),
        Mention("a1", 40, 60, "Trussell Trust food banks", "OTHER", ref="g1"),
    ]
    quote = Quote("a1", 100, 120, "We need help.", "Trussell Trust", speaker_start=40)
    (actor,) = merge_actors([Analysis(article, 1, [], mentions, [quote], [], [])])
    assert [(m.start, m.text) for m in actor.mentions] == [
        (10, "the Trussell Trust food banks"),
        (40, "Trussell Trust"),
        (40, "Trussell Trust food banks"),
    ]
    assert actor.name == "Trussell Trust" and actor.quotes == [quote]


def test_the_union_of_each_articles_spans_holds_what_one_of_its_spans_holds() -> None:
    rng = random.Random(18)
    for _ in range(200):
        spans = [
            (rng.randint(0, 3), s, s + rng.randint(-2, 12))
            for s in rng.choices(range(40), k=rng.randint(0, 12))
        ]
        art, starts, ends = (np.array([x[i] for x in spans], dtype=np.int64) for i in range(3))
        union = list(zip(*(c.tolist() for c in _unions(art, starts, ends)), strict=True))
        assert union == sorted(union)
        for a in range(4):
            mine = [(s, e) for x, s, e in union if x == a]
            # apart: spans that touch or overlap are one
            assert all(e1 < s2 for (_, e1), (s2, _) in itertools.pairwise(mine))
            for at in range(-3, 55):
                expected = any(x == a and s <= at < e for x, s, e in spans)
                assert any(s <= at < e for s, e in mine) == expected


def test_rows_sort_as_a_lexsort_does() -> None:
    rng = np.random.default_rng(18)
    for low, high in ((-5, 5), (0, 3), (-(2**40), 2**40)):
        columns = [rng.integers(low, high, 200) for _ in range(3)]
        order = np.lexsort(columns[::-1])
        for got, column in zip(_sorted_rows(*columns), columns, strict=True):
            assert got.tolist() == column[order].tolist()
