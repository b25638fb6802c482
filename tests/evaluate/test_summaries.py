from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from briefgen.evaluate import summaries as eval_summaries

TEXT = (
    "Dock workers in Harwick walked out on Monday over a pay offer, halting the container port. "
    "Mr. Dale Okoro, who leads the dock workers union, said the strike at the port would go on. "
    "The port handles a third of the region's container traffic and most of its grain exports. "
    "A ferry line said its timetable was not affected by the strike at the container port."
)
RECORD = {
    "id": "x1",
    "title": None,
    "text": TEXT,
    "summary": "Dock workers in Harwick walked out over pay.\nThe strike halted the container port.",
}


def _data(tmp_path: Path) -> Path:
    for name in eval_summaries.SETS:
        (tmp_path / f"{name}.jsonl").write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    return tmp_path


def test_baseline_splitter_keeps_titles_and_initials() -> None:
    text = 'Mr. Smith met J. Doe in the U.S. on Monday. "We agreed," he said. Then they left.'
    assert eval_summaries.regex_sentences(text) == [
        "Mr. Smith met J. Doe in the U.S. on Monday.",
        '"We agreed," he said.',
        "Then they left.",
    ]


def test_sumy_runs_with_the_regex_tokenizer_without_nltk_data() -> None:
    for kind in ("lexrank", "textrank"):
        summary = eval_summaries.systems([kind])[kind](TEXT, "")
        assert 1 <= len(summary) <= 3
        assert all(s in TEXT for s in summary)


def test_briefgen_row_uses_the_real_summarizer_with_exact_sentences() -> None:
    summary = eval_summaries.briefgen_summary(TEXT)
    assert summary[0].startswith("Dock workers")
    assert all(s in TEXT for s in summary)


def test_command_prints_every_system_and_the_goal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    eval_summaries.add_arguments(parser)
    args = parser.parse_args(["--data", str(_data(tmp_path))])
    assert eval_summaries.run(args) == 0
    out = capsys.readouterr().out
    for name in ("briefgen", "lead3", "lexrank", "textrank", "cnndm (n=1)", "bbc (n=1)"):
        assert name in out
    assert "all goals met with one configuration:" in out


def test_missing_data_is_reported(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    eval_summaries.add_arguments(parser)
    args = parser.parse_args(["--data", str(tmp_path / "absent")])
    assert eval_summaries.run(args) == 2


def test_unknown_system_is_refused() -> None:
    with pytest.raises(SystemExit):
        eval_summaries.systems(["gpt"])


def test_grouping_benchmark_is_reachable_from_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = argparse.ArgumentParser()
    eval_summaries.add_arguments(parser)
    assert eval_summaries.run(parser.parse_args(["--bench-grouping", "30"])) == 0
    assert "grouped 30 synthetic articles" in capsys.readouterr().out
