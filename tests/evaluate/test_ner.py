import json
from pathlib import Path

from briefgen.article.mentions import DEFAULT_OPTIONS
from briefgen.evaluate import ner as eval_ner
from briefgen.nlp import parse_many


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_pud_news_documents_join_sentences_with_one_space(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "pud.jsonl",
        [
            {
                "id": "s1",
                "doc_id": "n001",
                "text": "Ada Lovelace wrote.",
                "entities": [{"start": 0, "end": 12, "text": "Ada Lovelace", "label": "PER"}],
            },
            {
                "id": "s2",
                "doc_id": "n001",
                "text": "She lived in London.",
                "entities": [{"start": 13, "end": 19, "text": "London", "label": "LOC"}],
            },
            {"id": "s3", "doc_id": "w001", "text": "Wiki text.", "entities": []},
        ],
    )
    data = eval_ner.load_pud_news(path)
    assert [a.id for a in data.articles] == ["n001"]
    text = data.articles[0].text
    assert text == "Ada Lovelace wrote. She lived in London."
    spans = {text[s:e]: label for _, s, e, label in data.gold}
    assert spans == {"Ada Lovelace": "PER", "London": "LOC"}


def test_conll_keeps_non_sports_documents_and_drops_misc(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "conll.jsonl",
        [
            {
                "id": "d1",
                "sports": False,
                "text": "German officials met in Bonn.",
                "entities": [
                    {"start": 0, "end": 6, "text": "German", "label": "MISC"},
                    {"start": 24, "end": 28, "text": "Bonn", "label": "LOC"},
                ],
            },
            {"id": "d2", "sports": True, "text": "SOCCER - A beat B.", "entities": []},
        ],
    )
    data = eval_ner.load_conll_nonsports(path)
    assert [a.id for a in data.articles] == ["d1"]
    assert data.gold == {("d1", 24, 28, "LOC")}


def test_exact_span_micro_f1() -> None:
    gold = {("d", 0, 5, "PER"), ("d", 10, 15, "LOC")}
    pred = {("d", 0, 5, "PER"), ("d", 10, 14, "LOC"), ("d", 20, 25, "ORG")}
    scores = eval_ner.score(pred, gold)
    assert (scores["micro"].tp, scores["micro"].fp, scores["micro"].fn) == (1, 2, 1)
    assert round(scores["micro"].f1, 1) == 40.0
    assert scores["PER"].f1 == 100.0


def test_briefgen_spans_come_from_actor_mentions_with_mapped_types() -> None:
    article = eval_ner._article(
        "x1", "The United States and Canada's Prime Minister Mark Carney met.", Path("x")
    )
    parsed = list(parse_many([article]))
    spans = eval_ner.briefgen_spans(parsed, DEFAULT_OPTIONS)
    labelled = {article.text[s:e]: label for _, s, e, label in spans}
    assert labelled.get("United States") == "LOC"
    assert labelled.get("Canada") == "LOC"
    assert labelled.get("Mark Carney") == "PER"


def test_each_improvement_has_an_ablation() -> None:
    names = set(eval_ner.ablations())
    assert names == {
        "without boundaries",
        "without gazetteer",
        "without consistency",
        "without datelines",
    }
