import datetime as dt
import json
from pathlib import Path

from briefgen.doc import DateExpr
from briefgen.evaluate.timex import Doc, Span, _timeml, load, score


def test_load_reads_gold_spans(tmp_path: Path) -> None:
    text = "\n\nTalks resume on Friday.\n"
    rec = {
        "id": "d1",
        "dct": "2025-09-16",
        "text": text,
        "timexes": [
            {"start": 18, "end": 24, "text": "Friday", "type": "DATE", "value": "2025-09-19"}
        ],
    }
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(rec) + "\n\n")
    (doc,) = load(path)
    assert doc.dct == dt.date(2025, 9, 16)
    assert [text[g.start : g.end] for g in doc.gold] == ["Friday"]


def test_relaxed_strict_type_value_and_full_dates() -> None:
    gold = [
        Span(0, 6, "DATE", "2025-09-19"),  # after the DCT
        Span(10, 20, "DURATION", "P3Y"),
        Span(30, 35, "DATE", "2025-09-01"),  # before, missed
    ]
    doc = Doc("d", dt.date(2025, 9, 16), "x" * 40, gold)
    pred = [
        Span(0, 6, "DATE", "2025-09-19"),  # exact
        Span(12, 20, "DATE", "2028"),  # overlaps, wrong type and value
        Span(25, 28, "DATE", "2025"),  # spurious
    ]
    s = score([doc], [pred])
    p, r, f = s.relaxed
    assert (round(p, 3), round(r, 3)) == (0.667, 0.667)
    assert round(s.strict, 3) == round(2 * (1 / 3) * (1 / 3) / (2 / 3), 3)
    assert s.type_accuracy == 0.5 and s.value_accuracy == 0.5
    assert round(s.value_f1, 3) == round(f * 0.5, 3)
    assert s.full == {"before": [0, 1], "on": [0, 0], "after": [1, 1]}


def test_a_window_read_as_days_is_scored_as_timeml_reads_it() -> None:
    window = DateExpr(
        article="a",
        start=3,
        end=21,
        text="the next two weeks",
        type="DATE",
        value="2025-09-17",
        relation="future",
        sentence="s",
        window_end="2025-09-30",
        timex="P2W",
    )
    assert _timeml(window) == Span(3, 21, "DURATION", "P2W")
    coming = DateExpr(
        article="a", start=0, end=4, text="t", type="DATE", value="2025-09-17",
        relation="future", sentence="s", timex="FUTURE_REF",
    )  # fmt: skip
    assert _timeml(coming).type == "DATE" and _timeml(coming).value == "FUTURE_REF"
    plain = DateExpr(
        article="a", start=0, end=6, text="Friday", type="DATE", value="2025-09-19",
        relation="future", sentence="s",
    )  # fmt: skip
    assert _timeml(plain) == Span(0, 6, "DATE", "2025-09-19")
