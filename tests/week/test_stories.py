import datetime as dt

from briefgen.doc import Analysis, Article, SummarySentence
from briefgen.evaluate.grouping import bench_grouping, synthetic_articles
from briefgen.week.stories import build_stories, group

DAY = dt.date(2025, 9, 16)

FLOOD_A = (
    "Flood waters forced the evacuation of 3,000 residents from Marlow Vale on Tuesday after the "
    "river Tessel burst its banks. Emergency crews from Marlow Vale used boats to reach families "
    "trapped by the flood. The Tessel rose two metres overnight, the county flood office said."
)
FLOOD_B = (
    "About 3,000 people left their homes in Marlow Vale on Tuesday as the river Tessel burst its "
    "banks and flood water filled the streets. Boats from the emergency crews reached families "
    "trapped by the rising Tessel, the county flood office said."
)
FLOOD_COPY = FLOOD_A.replace("Tuesday", "Tuesday morning")
CHESS = (
    "The grandmaster Ilse Varga won the Orvieto chess open on Sunday with a queen sacrifice in the "
    "final round. Varga finished a full point ahead of the field in the nine-round tournament."
)
BUDGET = (
    "The city council of Brennick approved a budget that raises spending on schools and libraries "
    "by four percent. Councillors voted seven to two for the plan after a long debate on taxes."
)


def _article(id_: str, text: str, *, day: dt.date | None = DAY, source: str = "") -> Article:
    return Article(id=id_, title=text.split(".")[0][:60], text=text, published=day, source=source)


def _analysis(article: Article) -> Analysis:
    summary = []
    start = 0
    for piece in article.text.split(". "):
        text = piece if piece.endswith(".") else piece + "."
        begin = article.text.index(text, start)
        summary.append(SummarySentence(start=begin, end=begin + len(text), text=text))
        start = begin + len(text)
    return Analysis(
        article=article,
        sentence_count=len(summary),
        summary=summary[:3],
        mentions=[],
        quotes=[],
        dates=[],
        risks=[],
    )


def test_reports_of_one_event_group_and_others_stay_apart() -> None:
    articles = [
        _article("flood-a", FLOOD_A, source="Vale Post"),
        _article("chess", CHESS),
        _article("flood-b", FLOOD_B, source="County Wire"),
        _article("budget", BUDGET),
        _article("flood-copy", FLOOD_COPY, source="Syndicate"),
    ]
    groups = group(articles)
    assert [sorted(articles[i].id for i in g) for g in groups] == [
        ["flood-a", "flood-b", "flood-copy"],
        ["chess"],
        ["budget"],
    ]


def test_every_article_is_in_exactly_one_group() -> None:
    articles = synthetic_articles(300)
    groups = group(articles)
    flat = sorted(i for g in groups for i in g)
    assert flat == list(range(300))
    assert all(g == sorted(g) for g in groups)


def test_synthetic_events_are_recovered_through_the_sparse_index() -> None:
    articles = synthetic_articles(200, seed=3)
    events = {a.id.split("-")[0] for a in articles}
    groups = group(articles)
    assert len(groups) == len(events)
    for g in groups:
        assert len({articles[i].id.split("-")[0] for i in g}) == 1


def test_the_same_text_far_apart_in_time_is_not_one_story() -> None:
    # A developing story is followed for two weeks (MAX_DAYS); three weeks on, it is another.
    later = DAY + dt.timedelta(days=21)
    articles = [_article("a", FLOOD_A), _article("b", FLOOD_COPY, day=later)]
    assert group(articles) == [[0], [1]]


def test_undated_articles_still_group() -> None:
    articles = [_article("a", FLOOD_A, day=None), _article("b", FLOOD_COPY, day=None)]
    assert group(articles) == [[0, 1]]


def test_near_duplicate_collapses_with_also_reported_by_order() -> None:
    analyses = [
        _analysis(_article("chess", CHESS, source="Board Weekly")),
        _analysis(_article("flood-a", FLOOD_A, source="Vale Post")),
        _analysis(_article("flood-copy", FLOOD_COPY, source="Syndicate")),
    ]
    found = build_stories(analyses)
    assert [len(s.articles) for s in found] == [2, 1]
    top = found[0]
    assert set(top.articles) == {"flood-a", "flood-copy"}
    assert top.id == f"story-{top.articles[0]}"


def test_story_summary_does_not_repeat_itself_and_keeps_offsets() -> None:
    analyses = [
        _analysis(_article("flood-a", FLOOD_A, source="Vale Post")),
        _analysis(_article("flood-copy", FLOOD_COPY, source="Syndicate")),
        _analysis(_article("flood-b", FLOOD_B, source="County Wire")),
    ]
    story = build_stories(analyses)[0]
    texts = {a.article.id: a.article.text for a in analyses}
    assert len(story.articles) == 3
    lines = [s.text for _, s in story.summary]
    assert len(lines) == len(set(lines))
    # The copy's sentences are all said already; nothing of it is repeated.
    assert all(article != "flood-copy" for article, _ in story.summary)
    for article, s in story.summary:
        assert texts[article][s.start : s.end] == s.text
    assert story.summary[0][0] == story.articles[0]


def test_new_facts_from_other_reports_are_added() -> None:
    insurers = "Insurers expect claims above ten million euros from the damage in the valley."
    extra = FLOOD_B + " " + insurers
    b = _analysis(_article("flood-b", extra))
    start = extra.index(insurers)
    b.summary = [b.summary[0], SummarySentence(start=start, end=len(extra), text=insurers)]
    a = _analysis(_article("flood-a", FLOOD_A))
    story = build_stories([a, b], sentences=6)[0]
    lines = [s.text for _, s in story.summary]
    assert insurers in lines
    assert story.summary[0][0] == story.articles[0]
    assert len(lines) < len(a.summary) + len(b.summary)


def test_no_articles_no_stories() -> None:
    assert build_stories([]) == []
    assert group([]) == []


def test_bench_grouping_reports_time_and_recovery(capsys) -> None:
    result = bench_grouping(60)
    assert result["articles"] == 60 and result["seconds"] >= 0
    assert result["events_recovered_exactly"] == 1.0
    assert "grouped 60 synthetic articles" in capsys.readouterr().out


def test_a_developing_story_groups_across_days_and_wordings_through_its_names() -> None:
    texts = [
        "Inspectors found cracks in the concrete wall above the river town, Mira Castell of the "
        "safety board said, and Governor Tomas Reyler ordered pumps to be kept ready.",
        "Water behind the barrier will be lowered from Monday, Mira Castell said, as Tomas "
        "Reyler asked the army to stand by with boats.",
        "A vote on repair money is set for next week; Tomas Reyler and Mira Castell will give "
        "evidence to lawmakers, who want to see the earlier warnings.",
    ]
    articles = [
        _article(f"dam-{i}", t, day=DAY + dt.timedelta(days=3 * i)) for i, t in enumerate(texts)
    ]
    articles.append(_article("chess", CHESS))
    names = [{"mira castell", "tomas reyler"}] * 3 + [{"ilse varga"}]
    assert [sorted(g) for g in group(articles, names=names)] == [[0, 1, 2], [3]]
    # Without the names the words alone are too different.
    assert len(group(articles)) > 2


def test_each_article_names_the_actors_it_mentions_in_the_actors_order() -> None:
    from briefgen.doc import Actor, Mention
    from briefgen.week.stories import _names_by_article

    def actor(id_: str, *articles: str) -> Actor:
        mentions = [Mention(a, k, k + 1, id_, "PERSON") for k, a in enumerate(articles)]
        return Actor(id_, id_, "PERSON", None, [], 0.5, list(dict.fromkeys(articles)), mentions)

    analyses = [Analysis(Article(i, i, "text"), 0, [], [], [], [], []) for i in ("a1", "a2", "a3")]
    actors = [actor("z", "a2", "a2", "a1"), actor("y", "a1", "elsewhere"), actor("x", "a2")]
    names = _names_by_article(analyses, actors)
    assert names == [{"z", "y"}, {"z", "x"}, set()]
    assert [list(n) for n in names] == [list({"z", "y"}), list({"z", "x"}), []]
    assert _names_by_article(analyses, []) == [set(), set(), set()]
