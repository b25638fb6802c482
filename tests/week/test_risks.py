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


def test_terms_that_leave_it_open_merge_only_risks_of_one_actor() -> None:
    def risk(article: str, score: float, terms: str, actor: str) -> Risk:
        return Risk(article, 0, 10, terms, score, ("could",), (actor,), terms=tuple(terms.split()))

    # Three terms shared of ten: too few alone (share 0.3 < 0.4), enough with the same actor.
    first = risk("a1", 0.9, "mill quota job a b c d e f g", "Acme")
    same_actor = risk("b2", 0.8, "mill quota job h i j k l m n", "Acme")
    other_actor = risk("c3", 0.7, "mill quota job o p q r s t u", "Zenith")
    ranked = rank_risks([other_actor, same_actor, first])
    assert [(r.article, [o[0] for o in r.also]) for r in ranked] == [
        ("a1", ["b2"]),
        ("c3", []),
    ]


def test_equal_scores_are_ranked_by_place() -> None:
    risks = [
        Risk(a, s, s + 5, "x", 0.5, ("could",), terms=(a + str(s),))
        for a, s in (("b", 3), ("a", 9), ("b", 1), ("a", 2))
    ]
    ranked = [(r.article, r.start) for r in rank_risks(risks)]
    assert ranked == [("a", 2), ("a", 9), ("b", 1), ("b", 3)]
