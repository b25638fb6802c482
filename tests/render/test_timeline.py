import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from briefgen.render.timeline import (
    NARROW,
    first_day,
    text_width,
    timeline_svg,
    upcoming_days,
)
from briefgen.words import SAME_EVENT_ONE_DAY

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


def test_days_group_events_in_date_order_with_kinds() -> None:
    items = [
        _item("2025-11", "November"),
        _item("2025-09-18", "Thursday", actor="Maria Lopez"),
        _item("FUTURE_REF", "the coming weeks", window_end="2025-09-18"),
        _item("2025-09-18", "September 18", event="A different thing", deadline=True),
        _item("2026", "next year"),
        _item("2026-03-02", "March 2"),
        _item("FUTURE_REF", "soon"),
        _item("2025-11-01", "November 1"),
    ]
    days = upcoming_days(items, as_of="2025-09-16")
    assert [d["key"] for d in days] == [
        "2025-09-18",
        "by-2025-09-18",
        "2025-11-01",
        "2025-11",
        "2026-03-02",
        "2026",  # the whole year after its dated days
        "open",
    ]
    assert [d["number"] for d in days] == [1, 2, 3, 4, 5, 6, 7]
    first = days[0]
    assert first["label"] == "Thu 18 Sep" and first["sub"] == "in 2 days"
    assert first["anchor"] == "when-2025-09-18" and first["deadline"]
    assert [e["who"] for e in first["events"]] == ["Maria Lopez", None]
    assert [e["deadline"] for e in first["events"]] == [False, True]
    assert days[1]["label"] == "By Thu 18 Sep" and days[1]["events"][0]["window"]
    assert days[3]["label"] == "November 2025" and days[3]["sub"] == "day not yet set"
    assert days[4]["label"] == "Mon 2 Mar 2026"  # another year than the as-of day's
    assert days[5]["label"] == "2026" and days[6]["label"] == "Date not set"


def test_same_event_from_several_outlets_is_one_line_with_every_source() -> None:
    items = [
        _item(
            "2025-12-03",
            "Dec. 3",
            event="Economy Secretary Rodrigo Almaraz Vega will host both ministers in "
            "Mexico City on Dec. 3",
            article="a1",
            start=10,
            end=16,
        ),
        _item(
            "2025-12-03",
            "December 3",
            event="Rodrigo Almaraz Vega will host Marchetti and Okafor in Mexico City on "
            "December 3.",
            article="a2",
            start=50,
            end=60,
            actor="Rodrigo Almaraz Vega",
            deadline=True,
        ),
        _item("2025-12-03", "Dec. 3", event="The central bank meets on Dec. 3", article="a3"),
    ]
    (day,) = upcoming_days(items, as_of="2025-09-16")
    merged, other = day["events"]
    assert [s["article"] for s in merged["sources"]] == ["a1", "a2"]
    assert [(s["start"], s["end"]) for s in merged["sources"]] == [(10, 16), (50, 60)]
    assert merged["who"] == "Rodrigo Almaraz Vega" and merged["deadline"]
    assert [s["article"] for s in other["sources"]] == ["a3"]


def test_word_overlap_needs_three_shared_words_and_most_of_the_shorter() -> None:
    assert SAME_EVENT_ONE_DAY({"host", "ministers", "mexico", "city"}, {"host", "mexico", "city"})
    assert not SAME_EVENT_ONE_DAY({"canada", "offer"}, {"canada", "offer", "quotas"})
    assert not SAME_EVENT_ONE_DAY({"a", "b", "c", "d", "e", "f"}, {"a", "b", "c", "x", "y", "z"})


def test_svg_is_well_formed_and_escapes_text() -> None:
    items = [
        _item("2025-09-18", "Thursday <b>&", event="Talks <b>resume</b> & end"),
        _item("2025-11-01", "November 1", deadline=True),
        _item("FUTURE_REF", "the coming weeks", window_end="2025-10-21"),
        _item("2025-09-18", "Thursday", event="second event"),
    ]
    svg = str(timeline_svg(items, as_of="2025-09-16"))
    outer = ET.fromstring(svg)  # raises if the markup is not well formed
    assert outer.tag == "div"
    root = outer[0]
    assert root.tag == f"{SVG}svg"
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "Thu 18" in texts and "2 items" in texts  # two events on one day share a stop
    assert "Sat 1" in texts and "by 21" in texts and "window" in texts
    assert {"Sep 2025", "Oct", "Nov"} <= set(texts)  # month names over the line
    assert [t for t in texts if t.isdigit()] == ["1", "2", "3"]  # numbered stops, in order
    # Links sit over the stops as HTML anchors (WeasyPrint drops links inside SVG).
    assert not list(root.iter(f"{SVG}a"))
    links = outer.findall("a")
    assert [a.get("href") for a in links] == [
        "#when-2025-09-18",
        "#when-by-2025-10-21",
        "#when-2025-11-01",
    ]
    assert "Talks <b>resume</b> & end" in (links[0].get("title") or "")  # escaped, then parsed
    for a in links:
        box = dict(part.split(": ") for part in (a.get("style") or "").split("; "))
        assert box["position"] == "absolute"
        assert all(0 <= float(box[k].rstrip("%")) <= 100 for k in ("left", "top", "width"))
    # The deadline's diamond, and one in the legend.
    assert len(list(root.iter(f"{SVG}path"))) == 2
    # Over two weeks pass between the window's end and the deadline: a dashed stretch.
    assert any(line.get("stroke-dasharray") for line in root.iter(f"{SVG}line"))


def test_stop_labels_never_overlap_and_wrap_onto_rows() -> None:
    start = dt.date(2025, 9, 17)
    items = [
        _item((start + dt.timedelta(days=3 * k)).isoformat(), f"day {k}", deadline=k % 3 == 0)
        for k in range(40)
    ]
    for width in (680, NARROW):
        root = ET.fromstring(str(timeline_svg(items, as_of="2025-09-16", width=width)))[0]
        assert float(root.get("width", 0)) == width
        rows: dict[str, list[tuple[float, float]]] = {}
        for text in root.iter(f"{SVG}text"):
            if text.get("text-anchor") != "middle":
                continue
            size, bold = float(text.get("font-size", 9.5)), text.get("font-weight") == "bold"
            x, w = float(text.get("x", 0)), text_width(text.text or "", size=size, bold=bold)
            assert x - w / 2 >= 0 and x + w / 2 <= width
            rows.setdefault(text.get("y", ""), []).append((x - w / 2, x + w / 2))
        assert len({y for y in rows if float(y) > 84}) > 1  # forty stops take several rows
        for spans in rows.values():
            spans.sort()
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
