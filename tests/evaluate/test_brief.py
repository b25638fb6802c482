"""`briefgen eval brief` on an invented article: matching rules, both gold formats, the command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from briefgen import cli
from briefgen.evaluate import brief as ev

from ..conftest import shared_path

# Invented for these tests: no third-party text.
TEXT = (
    "VALMORA — The Valmora Harbour Authority warned on Tuesday that a strike by dock workers "
    "could shut the port of Valmora for weeks. Union leader Maria Lopez said the workers would "
    "walk out on March 14 unless the authority raised their wages. Talks have seen little "
    "progress, and no meetings are scheduled. The authority's chair, Tomas Brandt, said in "
    "January that the port was in good shape. Lopez said the union might also block the ferry "
    "terminal. The strike vote will be held on Friday. Shipping firms fear that a long strike "
    "may disrupt deliveries across the region."
)
DCT = "2026-03-03"  # a Tuesday
SENTENCES = [
    "The Valmora Harbour Authority warned on Tuesday that a strike by dock workers could shut "
    "the port of Valmora for weeks.",
    "Union leader Maria Lopez said the workers would walk out on March 14 unless the authority "
    "raised their wages.",
    "Talks have seen little progress, and no meetings are scheduled.",
    "Shipping firms fear that a long strike may disrupt deliveries across the region.",
]
VERBATIM: dict[str, Any] = {
    "id": "valmora-1",
    "dct": DCT,
    "source_file": "eval/texts/articles.jsonl",
    "actors": [
        {
            "name": "Maria Lopez",
            "aliases": ["Lopez"],
            "type": "PERSON",
            "role": "Union leader",
            "rank": 1,
            "must": True,
        },
        {
            "name": "Valmora Harbour Authority",
            "aliases": ["the authority"],
            "type": "ORG",
            "role": None,
            "rank": 2,
            "must": True,
        },
        {
            "name": "Tomas Brandt",
            "aliases": [],
            "type": "PERSON",
            "role": "chair",
            "rank": 3,
            "must": False,
        },
    ],
    "upcoming": [
        {"text": "March 14", "value": "2026-03-14", "event": "walk-out", "must": True},
        {"text": "Friday", "value": "2026-03-06", "event": "strike vote", "must": True},
    ],
    "past_dates": [
        {"text": "Tuesday", "value": "2026-03-03"},
        {"text": "January", "value": "2026-01"},
    ],
    "risks": [
        {"sentence": SENTENCES[0], "risk": "port shut", "actor": None, "must": True},
        {"sentence": SENTENCES[2], "risk": "talks stalled", "actor": None, "must": True},
        {"sentence": SENTENCES[3], "risk": "deliveries", "actor": None, "must": False},
    ],
    "summary_sentences": [SENTENCES[0], SENTENCES[1], SENTENCES[2]],
}


def _span(needle: str, length: int | None = None) -> list[int]:
    """Where ``needle`` first is in TEXT (its first ``length`` characters)."""
    start = TEXT.index(needle)
    return [start, start + (len(needle) if length is None else length)]


def _offsets_record() -> dict[str, Any]:
    """The same labels as VERBATIM, in our own format (character offsets)."""
    return {
        "id": "valmora-1",
        "source_file": "eval/texts/articles.jsonl",
        "dct": DCT,
        "actors": [
            {
                "spans": [_span("Maria Lopez"), _span("Lopez said the union", 5)],
                "type": "PERSON",
                "rank": 1,
                "must": True,
            },
            {
                "spans": [_span("Valmora Harbour Authority"), _span("the authority")],
                "type": "ORG",
                "rank": 2,
                "must": True,
            },
            {"spans": [_span("Tomas Brandt")], "type": "PERSON", "rank": 3, "must": False},
        ],
        "upcoming": [
            {
                "start": _span("March 14")[0],
                "end": _span("March 14")[1],
                "value": "2026-03-14",
                "must": True,
            },
            {
                "start": _span("Friday")[0],
                "end": _span("Friday")[1],
                "value": "2026-03-06",
                "must": True,
            },
        ],
        "past_dates": [
            {"start": _span("Tuesday")[0], "end": _span("Tuesday")[1], "value": "2026-03-03"},
            {"start": _span("January")[0], "end": _span("January")[1], "value": "2026-01"},
        ],
        "risks": [
            {"start": _span(SENTENCES[0])[0], "end": _span(SENTENCES[0])[1], "must": True},
            {"start": _span(SENTENCES[2])[0], "end": _span(SENTENCES[2])[1], "must": True},
            {"start": _span(SENTENCES[3])[0], "end": _span(SENTENCES[3])[1], "must": False},
        ],
        "summary_sentences": [_span(s) for s in SENTENCES[:3]],
    }


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A miniature shared folder: the article as a JSONL record and as a plain text file."""
    root = tmp_path / "shared"
    (root / "eval" / "texts").mkdir(parents=True)
    (root / "eval" / "brief").mkdir(parents=True)
    record = {"id": "valmora-1", "dct": DCT, "text": TEXT}
    (root / "eval" / "texts" / "articles.jsonl").write_text(json.dumps(record) + "\n")
    (root / "eval" / "texts" / "valmora.txt").write_text(TEXT)
    return root


def _write_gold(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


# --- matching rules, no parsing ----------------------------------------------------------------


def test_names_are_normalised() -> None:
    assert ev.normalise_name("The U.S.") == "us"
    assert ev.normalise_name("“The president”") == "president"
    assert ev.normalise_name("  Marc-André   Blanchard ") == "marc andré blanchard"
    assert ev.normalise_name("Theresa May") == "theresa may"  # only a whole leading "the"
    assert ev.names_match(["Washington", "United States"], ["U.S.", "the United States"])
    assert ev.names_match(["the Americans"], ["Americans"])
    assert not ev.names_match(["Canada"], ["Canadian"])
    assert not ev.names_match(["The"], ["the"])  # nothing left to compare


def test_spans_overlap_only_when_they_share_a_character() -> None:
    assert ev.overlaps((0, 5), (4, 9))
    assert ev.overlaps((2, 3), (0, 10))
    assert not ev.overlaps((0, 5), (5, 9))


def test_compatible_values_share_a_day() -> None:
    assert ev.compatible("2025-09-18", "2025-09-18")
    assert ev.compatible("2025-09-18", "2025-W38")  # the week contains the day
    assert ev.compatible("2025-11", "2025-11-01")
    assert ev.compatible("2025-09-15/2025-09-21", "2025-09-18T10:00")
    assert not ev.compatible("2025-05", "2026-05")
    assert not ev.compatible("2025-09-17/2025-10-14", "2025-09-16")
    # a vague window in the brief reaches its window_end
    assert ev.compatible("2025-09-17/2025-10-14", "2025-09-16", "2025-09-30")
    assert not ev.compatible("2025-09-18", "PRESENT_REF")
    assert not ev.compatible(None, "2025-09-18")
    assert ev.value_span("1957-01-01/1958-12-31") == (dt.date(1957, 1, 1), dt.date(1958, 12, 31))


def test_top_three_risks_by_score_ties_in_brief_order() -> None:
    risks = [{"id": i, "score": s} for i, s in enumerate([0.2, 0.9, 0.5, 0.9, 0.1])]
    assert [r["id"] for r in ev.top_scored(risks)] == [1, 3, 2]
    assert ev.top_scored(risks[:2]) == [risks[1], risks[0]]


def test_locate_whole_words_every_occurrence_and_across_line_breaks() -> None:
    text = "I know it now. Now and now.\nThe talks\n  stalled."
    assert ev.locate(text, "now") == [(10, 13), (23, 26)]  # not inside "know"
    assert ev.locate(text, "talks stalled.") == [(32, 48)]
    assert ev.locate(text, "absent") == []


def _brief(spans: dict[str, Any]) -> dict[str, Any]:
    """A hand-made brief.json for the invented article."""
    return {"articles": [{"id": "valmora-1", "summary": spans["summary"]}], **spans["rest"]}


def _at(needle: str) -> dict[str, Any]:
    start, end = _span(needle)
    return {"article": "valmora-1", "start": start, "end": end, "text": needle}


def test_score_article_on_a_hand_made_brief(shared: Path) -> None:
    gold_path = _write_gold(shared / "eval" / "brief" / "gold.jsonl", [VERBATIM])
    gold = ev.load_gold(gold_path).articles[0]
    data = _brief(
        {
            "summary": [_at(SENTENCES[0]), _at(SENTENCES[3])],
            "rest": {
                "actors": [
                    {"name": "Lopez", "aliases": []},
                    {"name": "Valmora", "aliases": []},  # not a gold actor
                    {"name": "Harbour Authority", "aliases": ["The Valmora Harbour Authority"]},
                ],
                "dates": [
                    {**_at("March 14"), "value": "2026-03-14", "relation": "future"},
                    {**_at("Friday"), "value": "2026-03-13", "relation": "future"},  # wrong week
                    {**_at("January"), "value": "2027-01", "relation": "future"},
                    {**_at("Tuesday"), "value": "2026-03-03", "relation": "present"},
                ],
                "upcoming": [],
                "risks": [
                    {**_at(SENTENCES[3]), "score": 0.2},
                    {
                        **_at("Lopez said the union might also block the ferry terminal."),
                        "score": 0.9,
                    },
                    {**_at(SENTENCES[0]), "score": 0.5},
                    {**_at("The strike vote will be held on Friday."), "score": 0.1},
                ],
            },
        }
    )
    got = {k: (c.hits, c.total) for k, c in ev.score_article(gold, data).counts.items()}
    assert got == {
        "must_actor_recall": (2, 2),
        "top5_actor_precision": (2, 3),
        "upcoming_recall": (1, 2),
        "past_as_future": (1, 2),
        "risk_recall": (1, 2),
        "risk_precision": (2, 4),
        "top3_risk_precision": (2, 3),
        "summary_recall": (1, 3),
    }
    notes = "\n".join(ev.score_article(gold, data).notes)
    assert "top-5 actor not in gold: Valmora" in notes
    assert "missed upcoming: 'Friday' (2026-03-06); the brief has 'Friday'=2026-03-13" in notes
    assert "past date called future: 'January'" in notes
    assert "missed must risk: Talks have seen little progress" in notes


def test_an_upcoming_entry_counts_and_a_right_date_is_not_past_as_future() -> None:
    text = "The vote is on Friday. Last Friday the board met."
    first, second = ev.locate(text, "Friday")
    gold = ev.GoldArticle(
        id="a",
        text=text,
        upcoming=[ev.GoldItem("Friday", (first, second), value="2026-03-06")],
        past_dates=[ev.GoldItem("Friday", (first, second), value="2026-02-27")],
    )
    data = {
        "dates": [],
        "upcoming": [
            {
                "article": "a",
                "start": first[0],
                "end": first[1],
                "text": "Friday",
                "value": "2026-03-06",
                "window_end": None,
            },
        ],
    }
    got = ev.score_article(gold, data).counts
    assert (got["upcoming_recall"].hits, got["upcoming_recall"].total) == (1, 1)
    assert (got["past_as_future"].hits, got["past_as_future"].total) == (0, 1)


def test_both_formats_load_to_the_same_gold(shared: Path) -> None:
    verbatim = ev.load_gold(_write_gold(shared / "eval" / "brief" / "v.jsonl", [VERBATIM]))
    offsets = ev.load_gold(
        _write_gold(shared / "labels" / "o.jsonl", [_offsets_record()]), shared=shared
    )
    a, b = verbatim.articles[0], offsets.articles[0]
    assert a.text == b.text == TEXT and a.dct == b.dct == dt.date(2026, 3, 3)
    assert [g.names for g in a.actors or []] == [g.names for g in b.actors or []]
    assert [g.must for g in a.actors or []] == [g.must for g in b.actors or []]
    for field in ("risks", "summary", "upcoming", "past_dates"):
        assert [(g.spans, g.must, g.value) for g in getattr(a, field)] == [
            (g.spans, g.must, g.value) for g in getattr(b, field)
        ], field


def test_plain_text_sources_missing_texts_and_absent_labels(shared: Path) -> None:
    records = [
        {
            "id": "from-text-file",
            "dct": DCT,
            "source_file": "eval/texts/valmora.txt",
            "summary_sentences": [SENTENCES[1], "A sentence the article does not have."],
        },
        {"id": "nowhere", "dct": DCT, "source_file": "eval/texts/missing.jsonl", "actors": []},
        {"id": "not-in-file", "dct": DCT, "source_file": "eval/texts/articles.jsonl"},
    ]
    gold = ev.load_gold(_write_gold(shared / "eval" / "brief" / "g.jsonl", records))
    assert [a.id for a in gold.articles] == ["from-text-file"]
    assert len(gold.skipped) == 2 and "missing.jsonl" in gold.skipped[0]
    article = gold.articles[0]
    assert article.actors is None and article.risks is None  # not labelled, not scored
    assert [g.text for g in article.summary or []] == [SENTENCES[1]]
    assert article.unlocated and "does not have" in article.unlocated[0]


def test_the_table_shows_absent_labels_as_a_dash() -> None:
    scored = ev.ArticleScore(id="a", counts={"summary_recall": ev.Count(2, 3)})
    result = ev.FileResult(name="mine", path=Path("mine.jsonl"), articles=[scored], skipped=[])
    rows = {line.split("  ")[0].strip(): line.split() for line in ev.table([result]).splitlines()}
    assert rows["metric"] == ["metric", "mine", "goal"]
    assert rows["summary-sentence recall"][-4:] == ["67%", "(2/3)", "≥", "75"]
    assert rows["risk recall"] == ["risk", "recall", "–", "≥", "85"]
    assert rows["past-as-future rate"][-2:] == ["≤", "2"]
    assert ev.cell(ev.Count(0, 0)) == "– (0/0)"


# --- the command, end to end -------------------------------------------------------------------


def _args(*argv: str) -> Any:
    return cli.parser().parse_args(["eval", "brief", *argv])


def test_run_scores_both_formats_alike(
    shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verbatim = _write_gold(shared / "eval" / "brief" / "verbatim.jsonl", [VERBATIM])
    undated = {**_offsets_record(), "id": "valmora-1", "dct": None}
    del undated["upcoming"]
    offsets = _write_gold(tmp_path / "labels" / "offsets.jsonl", [_offsets_record()])
    nodate = _write_gold(tmp_path / "labels" / "undated.jsonl", [undated])
    out = tmp_path / "figures.json"
    args = _args(
        "--gold",
        str(verbatim),
        "--gold",
        str(offsets),
        "--gold",
        str(nodate),
        "--shared",
        str(shared),
        "--json",
        str(out),
        "--verbose",
    )
    assert ev.run(args) == 0
    printed = capsys.readouterr().out
    assert "[verbatim] valmora-1" in printed
    header = next(line for line in printed.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "verbatim", "offsets", "undated", "goal"]
    figures = json.loads(out.read_text())
    files = figures["files"]
    assert files["verbatim"]["metrics"] == files["offsets"]["metrics"]
    metrics = files["verbatim"]["metrics"]
    assert {k: v["total"] for k, v in metrics.items() if k.endswith("recall")} == {
        "must_actor_recall": 2,
        "upcoming_recall": 2,
        "risk_recall": 2,
        "summary_recall": 3,
    }
    assert metrics["past_as_future"]["total"] == 2
    for value in metrics.values():
        assert 0 <= value["hits"] <= value["total"]
    # The union leader is named three times and the walk-out date is explicit: found today,
    # and worth a look if they ever go missing.
    assert metrics["must_actor_recall"]["hits"] >= 1
    assert files["verbatim"]["per_article"]["valmora-1"]["upcoming_recall"][0] >= 1
    # Without a date nothing is future; without upcoming labels the metric is not scored.
    assert files["undated"]["metrics"]["upcoming_recall"] is None
    assert files["undated"]["goals_met"]["upcoming_recall"] is None
    assert files["verbatim"]["goals_met"]["past_as_future"] is (
        metrics["past_as_future"]["hits"] == 0
    )
    assert files["undated"]["metrics"]["past_as_future"]["hits"] == 0
    assert figures["goals"]["past_as_future"] == {
        "goal": 2,
        "at_most": True,
        "label": "past-as-future rate",
    }


def test_run_reports_a_missing_gold_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ev.run(_args("--gold", str(tmp_path / "nope.jsonl"))) == 2
    assert "gold file not found" in capsys.readouterr().err


@pytest.mark.eval
def test_dev_gold_is_scored_whole(tmp_path: Path) -> None:
    dev = shared_path("eval", "brief", "dev_gold.jsonl")
    out = tmp_path / "figures.json"
    assert ev.run(_args("--gold", str(dev), "--json", str(out))) == 0
    result = json.loads(out.read_text())["files"]["dev_gold"]
    assert result["skipped"] == []
    assert result["articles"] == sum(1 for line in dev.open() if line.strip())


def test_column_names_come_from_the_stems_and_stay_unique() -> None:
    paths = [Path("a/dev_gold.jsonl"), Path("b/test.jsonl"), Path("c/test.jsonl")]
    assert ev._column_names(paths) == ["dev_gold", "b/test", "c/test"]
    assert ev._column_names([Path("a/x.jsonl"), Path("a/x.jsonl")]) == ["a/x#1", "a/x#2"]


def test_a_risk_merged_from_another_sentence_of_the_article_finds_its_must_risk(
    shared: Path,
) -> None:
    gold_path = _write_gold(shared / "eval" / "brief" / "gold.jsonl", [VERBATIM])
    gold = ev.load_gold(gold_path).articles[0]
    merged = {**_at(SENTENCES[0]), "score": 0.9, "also_in": [_at(SENTENCES[2])]}
    elsewhere = {**_at(SENTENCES[0]), "score": 0.9}
    elsewhere["also_in"] = [{**_at(SENTENCES[2]), "article": "another-article"}]
    for risk, recall in ((merged, (2, 2)), (elsewhere, (1, 2))):
        data = _brief({"summary": [], "rest": {"risks": [risk]}})
        got = {k: (c.hits, c.total) for k, c in ev.score_article(gold, data).counts.items()}
        assert got["risk_recall"] == recall  # only a source in the same article counts
        assert got["risk_precision"] == (1, 1)  # judged by the sentence it is shown by
