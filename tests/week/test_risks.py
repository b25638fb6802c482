from __future__ import annotations

import datetime as dt

import pytest

from briefgen.article.mentions import extract_mentions
from briefgen.article.risks import extract_risks
from briefgen.doc import Actor, Article, Mention, Risk, Story
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


def _person(id_: str, name: str, mentions: list[tuple[str, str]], **kw: object) -> Actor:
    said = [Mention(a, 0, len(t), t, "PERSON") for a, t in mentions]
    fields = {"role": None, "aliases": [], "salience": 0.5, **kw}
    return Actor(id_, name, "PERSON", articles=sorted({a for a, _ in mentions}), mentions=said,
                 **fields)  # type: ignore[arg-type]  # fmt: skip


def _said(article: str, holder: str, terms: str, score: float = 0.5) -> Risk:
    return Risk(article, 0, 10, terms, score, ("could",), (holder,), holder=holder,
                terms=tuple(terms.split()))  # fmt: skip


def test_a_party_is_named_as_the_last_actor_that_says_it_in_its_article() -> None:
    first = _person("p1", "Mark Carney", [("a1", "Carney")])
    second = _person("p2", "Mary Carney", [("a1", "Carney"), ("b2", "Carney")])
    elsewhere = _person("p3", "Paul Lee", [("b2", "Lee")])
    risks = [_said("a1", "Carney", "mill quota job"), _said("a1", "Lee", "dam crack flood")]
    holders = {r.terms: r.holder for r in rank_risks(risks, actors=[first, second, elsewhere])}
    assert holders[("mill", "quota", "job")] == "Mary Carney"
    assert holders[("dam", "crack", "flood")] == "Lee"  # not said in a1


def test_the_title_names_the_most_salient_person_with_that_role_in_the_article() -> None:
    minor = _person("p1", "Ann Bell", [("a1", "Bell")], role="deputy president", salience=0.2)
    major = _person("p2", "Don Crane", [("a1", "Crane")], role="President", salience=0.9)
    away = _person("p3", "Eve Dunn", [("b2", "Dunn")], role="president", salience=1.0)
    (risk,) = rank_risks([_said("a1", "the president", "tariff rise")],
                         actors=[minor, major, away])  # fmt: skip
    assert risk.holder == "Don Crane"
    (risk,) = rank_risks([_said("a1", "The minister", "tariff rise")], actors=[minor, major])
    assert risk.holder == "The minister"


def test_a_party_weighs_by_the_most_salient_actor_that_bears_its_name_or_alias() -> None:
    low = _person("p1", "Acme Steel", [("a1", "Acme")], salience=0.2)
    high = _person("p2", "Acme Group", [("b2", "Group")], aliases=["Acme"], salience=0.6)
    (risk,) = rank_risks([_said("a1", "Acme", "mill close")], actors=[low, high])
    assert risk.score == round(0.5 + 0.2 * 0.6, 3)


def test_risks_without_a_story_group_under_their_articles_lead_actor() -> None:
    # b2 names Ann twice and Bo twice at equal salience: the first actor leads. A NORP leads
    # nothing however often it is named; a story's articles group under its title.
    ann = _person("p1", "Ann Bell", [("b2", "Bell"), ("b2", "Ann")])
    bo = _person("p2", "Bo Cole", [("b2", "Cole"), ("b2", "Bo")])
    norp = Actor("n", "Canadian", "NORP", None, [], 1.0, ["c3"], [])
    norp.mentions = [Mention("c3", 0, 8, "Canadian", "NORP") for _ in range(5)]
    story = Story("s1", "Dam repairs", ["a1", "z9"], [])
    ranked = rank_risks(
        [_said("a1", "X", "dam crack"), _said("b2", "Y", "mill close"),
         _said("c3", "Z", "ferry strike")],
        actors=[ann, bo, norp], stories=[story],
    )  # fmt: skip
    assert {r.article: r.group for r in ranked} == {"a1": "Dam repairs", "b2": "Ann Bell",
                                                   "c3": "Other"}  # fmt: skip


def test_the_shared_terms_are_counted_the_same_by_one_thread_or_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import random

    from briefgen import week
    from briefgen.week import risks

    rng = random.Random(9)
    words = [f"w{k}" for k in range(40)]
    found = [
        Risk(
            f"a{k % 50}", k, k + 9, "x", 0.5, (), terms=tuple(rng.sample(words, rng.randint(3, 9)))
        )
        for k in range(400)
    ]
    monkeypatch.setattr(risks, "_CELLS", 500)  # many blocks
    counted: dict[int, object] = {}
    for cores in (1, 2):
        monkeypatch.setattr(week, "CORES", cores)
        counted[cores] = risks._candidates(found)
    assert counted[1] == counted[2]
    assert len(counted[1][0]) > 100  # pairs that may match were found
