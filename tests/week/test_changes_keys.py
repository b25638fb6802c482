"""The changes' array paths: risks' actor ids from the model, the same-actor keys, dates one
way."""

import datetime as dt
from typing import Any

from briefgen.doc import Actor, Brief, Mention, Period, Risk
from briefgen.render.data import risk_actor_ids
from briefgen.week import changes


def _mention(article: str, text: str) -> Mention:
    return Mention(article, 0, len(text), text, "PERSON")


def _actor(i: str, *mentions: Mention) -> Actor:
    return Actor(i, mentions[0].text, "PERSON", None, [], 1.0, [], list(mentions))


def _risk(article: str, *names: str) -> Risk:
    return Risk(article, 0, 10, "A risk.", 1.0, ("may",), names)


def _brief(actors: list[Actor], risks: list[Risk]) -> Brief:
    day = dt.date(2026, 11, 16)
    return Brief("b", Period(day, day, day), [], actors, [], [], risks, [])


def test_risk_actor_ids_later_actor_wins_each_once_in_order() -> None:
    actors = [
        _actor("a1", _mention("x", "Ruiz"), _mention("y", "Ruiz")),
        _actor("a2", _mention("x", "Ruiz"), _mention("x", "Ana Ruiz")),
        _actor("b", _mention("x", "Bank")),
    ]
    risks = [
        _risk("x", "Bank", "Ruiz", "Ana Ruiz"),  # Ruiz in x is a2's (the later actor)
        _risk("y", "Ruiz", "Bank"),  # no Bank in y
        _risk("z", "Ruiz"),
        _risk("x"),
    ]
    assert risk_actor_ids(_brief(actors, risks)) == [["b", "a2"], ["a1"], [], []]


def test_risk_actor_ids_without_actors_or_names() -> None:
    assert risk_actor_ids(_brief([], [_risk("x", "Ruiz")])) == [[]]
    assert risk_actor_ids(_brief([_actor("a", _mention("x", "Ruiz"))], [_risk("x")])) == [[]]
    assert risk_actor_ids(_brief([], [])) == []


def _data(actors: list[dict[str, Any]], risks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"actors": actors, "risks": risks, "upcoming": [], "articles": []}


def test_same_actor_matches_at_the_smaller_share_by_name_or_alias() -> None:
    text = "Ruiz may close the Kelbrook bridge over the winter months"
    other = "Ruiz could close ports along the northern coast this winter"
    before = _data(
        [{"id": "p", "name": "Ana Ruiz", "aliases": ["Ruiz"]}],
        [{"text": other, "actors": ["p", "unknown"]}],
    )
    now = _data(
        [{"id": "q", "name": "Ruiz"}, {"id": "r", "name": "Bank"}],
        [{"text": text, "actors": ["q"]}, {"text": text, "actors": ["r"]}, {"text": text}],
    )
    assert changes._risk_matches(now, before) == ([True, False, False], [True])


def test_dates_one_way_match_the_current_side_only() -> None:
    before = {"upcoming": [{"value": "2026-11-18", "event": "ministers meet in Veltmouth"}]}
    now = {
        "articles": [],
        "upcoming": [
            {"value": "2026-11-18", "event": "ministers meet in Veltmouth"},
            {"value": "2026-11-18", "event": "Veltmouth ministers meet again"},
            {"value": "2026-11-19", "event": "ministers meet in Veltmouth"},
        ],
    }
    added = changes.dates_added(before, now)
    assert [(d["value"], d["event"]) for d in added] == [
        ("2026-11-19", "ministers meet in Veltmouth")
    ]


def test_risk_actor_ids_from_the_merges_read_as_from_a_fresh_read() -> None:
    from briefgen.evaluate.bench_week import START, synthetic_analyses
    from briefgen.pipeline import week

    analyses = synthetic_analyses(300, seed=6)
    found = week(analyses, as_of=START + dt.timedelta(days=7))
    brief = _brief(found.actors, found.risks)
    assert found.mentions is not None
    ids = risk_actor_ids(brief, found.mentions)
    assert ids == risk_actor_ids(brief)
    assert sum(map(len, ids)) > 100  # the risks name actors
