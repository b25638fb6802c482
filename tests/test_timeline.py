import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from briefgen.timeline import first_day, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def _item(value: str, text: str, **extra: object) -> dict[str, object]:
    return {"value": value, "text": text, "event": f"event on {text}", "article": "a1"} | extra


def test_first_day_of_each_kind_of_value() -> None:
    assert first_day("2025-11-01") == dt.date(2025, 11, 1)
    assert first_day("2025-11-01TMO") == dt.date(2025, 11, 1)
    assert first_day("2025-11") == dt.date(2025, 11, 1)
    assert first_day("2025-W39") == dt.date(2025, 9, 22)
    assert first_day("2026") == dt.date(2026, 1, 1)
    assert first_day("FUTURE_REF") is None


def test_nothing_to_draw_is_empty() -> None:
    assert str(timeline_svg([], as_of="2025-09-16")) == ""
    assert str(timeline_svg([_item("FUTURE_REF", "soon")], as_of=None)) == ""


def test_svg_is_well_formed_and_escapes_text() -> None:
    items = [
        _item("2025-09-18", "Thursday <b>&"),
        _item("2025-11-01", "November 1", deadline=True),
        _item("FUTURE_REF", "the coming weeks", window_end="2025-10-21"),
        _item("2025-09-18", "Thursday", event="second event"),
    ]
    svg = str(timeline_svg(items, as_of="2025-09-16"))
    root = ET.fromstring(svg)  # raises if the markup is not well formed
    assert root.tag == f"{SVG}svg"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "18 Sep" in texts and "+1" in texts  # two events on one day share a marker
    assert "1 Nov deadline" in texts
    assert "until 21 Oct window" in texts
    assert len(list(root.iter(f"{SVG}path"))) == 1  # the deadline's diamond
    assert all(a.get("href") == "#article-a1" for a in root.iter(f"{SVG}a"))


def test_labels_do_not_overlap_within_a_row() -> None:
    items = [_item(f"2025-09-{d:02d}", f"event {d}") for d in range(17, 30)]
    root = ET.fromstring(str(timeline_svg(items, as_of="2025-09-16")))
    rows: dict[str, list[tuple[float, float]]] = {}
    for rect in root.iter(f"{SVG}rect"):
        x, w = float(rect.get("x", 0)), float(rect.get("width", 0))
        rows.setdefault(rect.get("y", ""), []).append((x, x + w))
    for spans in rows.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
