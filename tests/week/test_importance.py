import datetime as dt

from briefgen.doc import Actor, Analysis, Article, Mention, Risk, Story, Upcoming
from briefgen.week.importance import Watch, rank

DAY = dt.date(2026, 3, 2)


def _analysis(id_: str, text: str, *, day: int = 0, source: str = "Wire") -> Analysis:
    article = Article(
        id=id_, title=text.split(".")[0], text=text, published=DAY + dt.timedelta(days=day),
        source=source,
    )  # fmt: skip
    return Analysis(article, 1, [], [], [], [], [])


def _actor(id_: str, name: str, articles: list[str], *, salience: float = 0.5,
           aliases: list[str] | None = None) -> Actor:  # fmt: skip
    mentions = [
        Mention(article=a, start=0, end=len(name), text=name, type="PERSON") for a in articles
    ]
    return Actor(id_, name, "PERSON", None, aliases or [], salience, articles, mentions)


def _story(id_: str, articles: list[str]) -> Story:
    return Story(id=id_, title=id_.title(), articles=articles, summary=[])


# A dam story over four days and three outlets; a one-off football report; a budget report
# that names the week's most mentioned actor, Ana Ruiz, who is in many one-off stories too.
ANALYSES = [
    _analysis("dam-1", "Cracks were found in the Halvard Dam.", day=1, source="Meridian Wire"),
    _analysis("dam-2", "The reservoir behind the dam is lowered.", day=2, source="Courier"),
    _analysis("dam-3", "Orsova plans an evacuation.", day=4, source="Northline"),
    _analysis("match", "Kelbrook won the cup final.", day=3),
    _analysis("budget", "Ana Ruiz presented the budget.", day=3),
    *(_analysis(f"ruiz-{i}", f"Ana Ruiz spoke at event {i}.", day=i % 5) for i in range(4)),
]
STORIES = [
    _story("match", ["match"]),
    _story("budget", ["budget"]),
    *(_story(f"ruiz-{i}", [f"ruiz-{i}"]) for i in range(4)),
    _story("dam", ["dam-1", "dam-2", "dam-3"]),
]
ACTORS = [
    _actor("ruiz", "Ana Ruiz", ["budget", *(f"ruiz-{i}" for i in range(4))], salience=1.0),
    _actor("castell", "Mira Castell", ["dam-1", "dam-2", "dam-3"], salience=0.3),
    _actor("kelbrook", "Kelbrook Rovers", ["match"], salience=0.2, aliases=["Kelbrook"]),
]
UPCOMING = [
    Upcoming(value="2026-03-16", text="March 16", event="final report", article="dam-1", start=5,
             end=13, deadline=True),
    Upcoming(value="2026-03-12", text="Thursday", event="budget vote", article="budget", start=1,
             end=9),
]  # fmt: skip
RISKS = [
    Risk(article="match", start=0, end=5, text="The final could be replayed.", score=1.2, cues=()),
    Risk(article="dam-3", start=0, end=5, text="The dam could fail.", score=1.0, cues=()),
]


def _rank(**kwargs: object):  # type: ignore[no-untyped-def]
    return rank(ANALYSES, STORIES, ACTORS, UPCOMING, RISKS, **kwargs)  # type: ignore[arg-type]


def test_a_story_over_several_days_and_outlets_ranks_first_with_its_reasons() -> None:
    order, ranking = _rank()
    assert order[0].id == "dam"
    assert ranking.stories["dam"].rank == 1
    assert "3 articles, 3 outlets, 3 days" in ranking.stories["dam"].reasons


def test_actors_dates_and_risks_rank_by_their_story_not_by_counts() -> None:
    _, ranking = _rank()
    # Ana Ruiz is in five articles, Mira Castell in three, but hers is the week's story.
    assert ranking.actors["castell"].rank < ranking.actors["ruiz"].rank
    assert ranking.actors["castell"].stories == ("dam",)
    assert ranking.upcoming[("dam-1", 5)].rank == 1
    assert "deadline" in ranking.upcoming[("dam-1", 5)].reasons
    # The football risk scores higher on its own; the dam's story makes it matter more.
    assert ranking.risks[("dam-3", 0)].rank == 1
    assert ranking.risks[("dam-3", 0)].reasons[0].startswith("story #1: ")


def test_a_watch_term_ranks_what_touches_it_first() -> None:
    order, ranking = _rank(watch=["kelbrook"])
    assert order[0].id == "match"
    assert ranking.stories["match"].reasons[0] == "watch: kelbrook"
    assert ranking.actors["kelbrook"].rank == 1
    assert ranking.watch == ("kelbrook",)


def test_a_watch_term_matches_through_an_actor_alias() -> None:
    # "Castell" is not in the dam articles' text, only an actor's name.
    order, ranking = _rank(watch=["Castell"])
    assert order[0].id == "dam" and "watch: Castell" in ranking.stories["dam"].reasons
    assert ranking.actors["castell"].reasons[0] == "watch: Castell"


def test_new_and_continuing_stories_since_the_previous_brief() -> None:
    previous = {"articles": [{"id": "dam-1"}], "stories": [{"title": "Kelbrook cup final"}]}
    _, ranking = _rank(previous=previous)
    assert "developing since the last brief" in ranking.stories["dam"].reasons
    assert "new since the last brief" in ranking.stories["budget"].reasons


def test_watch_terms_match_whole_words_and_phrases() -> None:
    w = Watch.of("Halvard  dam")
    assert w.in_text("cracks in the HALVARD Dam.") and not w.in_text("Halvard Damsel")


def test_desk_watch_terms_come_from_the_config_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from briefgen.config import load_config, load_desk

    config = tmp_path / "briefgen.toml"
    config.write_text('[render]\npaper = "letter"\n[desk]\nwatch = ["Halvard Dam", "Castell"]\n')
    assert load_desk(config) == ["Halvard Dam", "Castell"]
    assert load_config(config) == {"paper": "letter"}
    config.write_text("[desk]\nwatch = [1]\n")
    with pytest.raises(ValueError, match="watch must be a list"):
        load_desk(config)


def test_a_story_without_actors_ranks() -> None:
    article = Article(id="quiet", title="Rain", text="It rained all day.", published=None)
    analysis = Analysis(article, 1, [], [], [], [], [])
    story = Story(id="story-quiet", title="Rain", articles=["quiet"], summary=[])
    actor = Actor("someone", "Someone", "PERSON", None, [], 1.0, [], [])
    order, ranking = rank([analysis], [story], [actor], [], [])
    assert [s.id for s in order] == ["story-quiet"]
    assert ranking.actors["someone"].stories == ()


def test_ranks_are_by_score_best_first_ties_in_order() -> None:
    from briefgen.doc import Rank
    from briefgen.week.importance import _ranked

    scores = [1.0, 3.00049, 1.0, 0.0]
    keys = [("a", 1), ("b", 2), ("c", 3), ("d", 4)]
    reasons = [("x",), (), ("x",), ("y", "z")]
    stories = [("s",), (), ("s",), ("t",)]
    ranked = _ranked(scores, keys, reasons, stories)
    assert ranked == {
        ("b", 2): Rank(1, 3.0, (), ()),
        ("a", 1): Rank(2, 1.0, ("x",), ("s",)),
        ("c", 3): Rank(3, 1.0, ("x",), ("s",)),
        ("d", 4): Rank(4, 0.0, ("y", "z"), ("t",)),
    }
    assert list(ranked) == [keys[1], keys[0], keys[2], keys[3]]
    assert _ranked([2.0], [("a", 1)], [()], [()]) == {("a", 1): Rank(1, 2.0, (), ())}
    assert _ranked([], [], [], []) == {}


def test_an_actor_leads_from_its_best_part_ties_to_the_higher_story() -> None:
    # Bo is named as often as anyone in both one-article stories: equal parts, and an equal
    # part goes to the story ranked higher (the dam's, three articles).
    analyses = [*ANALYSES[:3], _analysis("ferry", "Bo Cole spoke.", day=1)]
    stories = [_story("ferry", ["ferry"]), _story("dam", ["dam-1", "dam-2", "dam-3"])]
    bo = _actor("bo", "Bo Cole", ["ferry", "dam-1"])
    castell = _actor("castell", "Mira Castell", ["dam-1", "dam-2", "dam-3"])
    _, ranking = rank(analyses, stories, [bo, castell], [], [])
    assert ranking.actors["bo"].stories == ("dam", "ferry")
    assert ranking.actors["bo"].reasons[0] == "story #1: Dam"
    assert ranking.actors["bo"].reasons[-1] == "in 2 stories, 2 articles"


def test_a_storys_leading_actors_by_mentions_ties_in_the_actors_order() -> None:
    norp = Actor("n", "Orsovan", "NORP", None, [], 1.0, ["dam-1"],
                 [Mention("dam-1", 0, 7, "Orsovan", "NORP")] * 5)  # fmt: skip
    actors = [
        norp,
        _actor("z", "Zed Ray", ["dam-1", "dam-2"]),
        _actor("a", "Al Moe", ["dam-2", "dam-3"]),
        _actor("c", "Cy Lu", ["dam-1"]),
        _actor("d", "Di Wu", ["dam-3", "dam-1", "dam-2"]),
    ]
    _, ranking = rank(ANALYSES[:3], [_story("dam", ["dam-1", "dam-2", "dam-3"])], actors, [], [])
    assert "actors: Di Wu, Zed Ray, Al Moe" in ranking.stories["dam"].reasons


def test_a_risk_reported_by_several_articles_counts_in_each_of_their_stories() -> None:
    stories = [_story("dam", ["dam-1", "dam-2", "dam-3"]), _story("match", ["match"])]
    shared = Risk("dam-1", 0, 5, "The dam could fail.", 2.0, (),
                  also=(("match", 0, 5, "The dam could fail."),))  # fmt: skip
    alone = Risk("match", 9, 12, "The final could be replayed.", 0.5, ())
    _, ranking = rank(ANALYSES, stories, [], [], [shared, alone])
    assert "2 open risks" in ranking.stories["match"].reasons
    assert "1 open risk" in ranking.stories["dam"].reasons
    assert ranking.risks[("dam-1", 0)].reasons[-1] == "reported by 2 articles"
    assert ranking.risks[("dam-1", 0)].stories == ("dam", "match")
