from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from briefgen.evaluate import risk as eval_risk


def _write(path: Path, rows: list[tuple[str, str, int, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, (doc, text, label, split) in enumerate(rows):
            record = {"id": f"x{i}", "doc_id": doc, "text": text, "label": label, "split": split}
            fh.write(json.dumps(record) + "\n")


ROWS = [
    ("d1", "The board might reject the offer next week.", 1, "test"),
    ("d1", "Shares closed at $12 on Friday. Volume was light.", 0, "test"),
    ("d1", "Analysts said the merger could collapse if regulators object.", 1, "test"),
    ("d2", "The mayor opened a library on Tuesday.", 0, "test"),
    ("d2", "Officials fear that the river may flood again.", 1, "test"),
    ("d3", "This row is in the other split.", 0, "dev"),
]


def test_documents_are_rebuilt_from_their_sentences(tmp_path: Path) -> None:
    path = tmp_path / "risk.jsonl"
    _write(path, ROWS)
    docs = eval_risk.load(path, "test")
    assert [a.id for a, _ in docs] == ["d1", "d2"]
    for article, gold in docs:
        for g in gold:
            assert article.text[g.start : g.end] == g.text


def test_predictions_map_back_to_gold_sentences(tmp_path: Path) -> None:
    path = tmp_path / "risk.jsonl"
    _write(path, ROWS)
    results = eval_risk.predict(eval_risk.load(path, "test"))
    assert [guess for _, guess, _ in results] == [True, False, True, False, True]
    scores = eval_risk.score((g.label, guess) for g, guess, _ in results)
    assert scores.f1 == 1.0


def test_baseline_and_scores() -> None:
    assert eval_risk.baseline("It may rain.")
    assert not eval_risk.baseline("It rained.")
    s = eval_risk.score([(True, True), (True, False), (False, True), (False, False)])
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert s.precision == s.recall == s.f1 == 0.5


def test_run_prints_figures_and_the_goal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / eval_risk.FACTBANK, ROWS)
    args = argparse.Namespace(
        data=tmp_path, split="test", wiki=False, model=None, cache=tmp_path / "c", errors=None
    )
    assert eval_risk.run(args) == 0
    out = capsys.readouterr().out
    assert "hedge-word list" in out and "goal: F1 >= 0.80" in out and "met" in out
