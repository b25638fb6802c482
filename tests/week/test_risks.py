from __future__ import annotations

import datetime as dt

from briefgen.article.mentions import extract_mentions
from briefgen.article.risks import extract_risks
from briefgen.doc import Article, Risk
from briefgen.nlp import parse
from briefgen.week.risks import rank_risks


def risks_of(article_id: str, text: str) -> list[Risk]:
    parsed = parse(
        Article(id=article_id, title=article_id, text=text, published=dt.date(2026, 11, 18))
    )
    return extract_risks(parsed, extract_mentions(parsed))


def test_one_risk_once_across_articles_with_all_its_sources() -> None:
    a = risks_of(
        "a1",
        "Steel producers warned that the new quotas could force mills to cut thousands of "
        "jobs next year.",
    )
    b = risks_of(
        "b2",
        "Mills may cut thousands of jobs next year because of the new quotas, the producers "
        "warned.",
    )
    (risk,) = rank_risks([*a, *b])
    assert {risk.article, *(o[0] for o in risk.also)} == {"a1", "b2"}


def test_the_story_weight_multiplies_the_own_score() -> None:
    a = risks_of("a1", "Officials warned that the bridge could collapse in the spring floods.")
    b = risks_of("b2", "Doctors fear that a measles outbreak might spread through schools.")
    plain = {r.article: r for r in rank_risks([*a, *b])}
    weighted = {
        r.article: r
        for r in rank_risks([*a, *b], weight=lambda r: 3.0 if r.article == "b2" else 1.0)
    }
    assert weighted["b2"].own_score == plain["b2"].own_score
    assert weighted["b2"].score == round(3.0 * plain["b2"].own_score, 3)
    assert weighted["a1"].score == plain["a1"].score


def test_an_actor_weighs_on_a_risk_it_poses_not_on_one_that_names_it_in_passing() -> None:
    from briefgen.doc import Actor

    key = Actor(
        id="a", name="Acme", type="ORG", role=None, aliases=[], salience=1.0,
        articles=["a1"], mentions=[],
    )  # fmt: skip
    posed = Risk("a1", 0, 10, "Acme could close the mill.", 0.5, ("could",), ("Acme",),
                 poser="Acme", terms=("close", "mill"), own_score=0.5)  # fmt: skip
    passing = Risk("a1", 20, 30, "Floods could hit farms, Acme said in May.", 0.5, ("could",),
                   ("Acme",), terms=("flood", "hit", "farm"), own_score=0.5)  # fmt: skip
    ranked = {r.start: r for r in rank_risks([posed, passing], actors=[key])}
    assert ranked[0].score > ranked[20].score
    assert ranked[20].score == 0.5
