"""The render benchmark runs and reports every step (its speed is measured, not tested)."""

from __future__ import annotations

import pytest

from briefgen.evaluate.bench_render import main, synthetic_brief
from briefgen.render.data import to_data


def test_synthetic_brief_is_consistent() -> None:
    brief = synthetic_brief(articles=5)
    texts = {a.article.id: a.article.text for a in brief.analyses}
    data = to_data(brief)
    for item in [*data["risks"], *data["upcoming"]]:
        assert texts[item["article"]][item["start"] : item["end"]] == item["text"]
    for a in data["articles"]:
        for s in a["summary"]:
            assert texts[a["id"]][s["start"] : s["end"]] == s["text"]
    assert all(actor.mentions for actor in brief.actors)


def test_bench_prints_each_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--articles", "3"]) == 0
    out = capsys.readouterr().out
    assert "3 synthetic articles" in out
    for step in ["JSON+HTML", "PDF", "total", "goal: total <= 10 s wall:"]:
        assert step in out
