from icalendar import Calendar

from briefgen.render.ics import render_ics


def _data() -> dict[str, object]:
    up = {"article": "a1", "start": 10, "end": 20, "actor": "USTR", "window_end": None}
    return {
        "name": "brief-2025-W38",
        "issued": "2025-09-21",
        "period": {"from": "2025-09-15", "to": "2025-09-21", "as_of": "2025-09-16"},
        "articles": [
            {
                "id": "a1",
                "title": "Trade talks stall",
                "source": "Example Wire",
                "url": "https://example.org/a1",
                "published": "2025-09-16",
            }
        ],
        "upcoming": [
            up | {"value": "2025-11-01", "text": "November 1", "event": "Comments due",
                  "deadline": True},
            up | {"value": "2025-10", "text": "October", "event": "Talks resume",
                  "deadline": False, "actor": None},
            up | {"value": "FUTURE_REF", "text": "the coming weeks", "event": "A meeting",
                  "deadline": False, "window_end": "2025-10-21"},
            up | {"value": "XXXX-XX-XX", "text": "someday", "event": "Never drawn",
                  "deadline": False},
        ],
    }  # fmt: skip


def test_every_event_carries_its_source_and_spans_its_period() -> None:
    cal = Calendar.from_ical(render_ics(_data()))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3
    by_summary = {str(e["summary"]): e for e in events}
    deadline = by_summary["Deadline: USTR: Comments due"]
    assert str(deadline["url"]) == "https://example.org/a1"
    assert "Trade talks stall (Example Wire, 2025-09-16)" in str(deadline["description"])
    assert deadline["dtstart"].dt.isoformat() == "2025-11-01"
    assert deadline["dtend"].dt.isoformat() == "2025-11-02"
    month = by_summary["Talks resume"]
    assert (month["dtstart"].dt.isoformat(), month["dtend"].dt.isoformat()) == (
        "2025-10-01",
        "2025-11-01",
    )
    window = by_summary["Window: USTR: A meeting"]
    assert (window["dtstart"].dt.isoformat(), window["dtend"].dt.isoformat()) == (
        "2025-09-16",
        "2025-10-22",
    )
    assert len({str(e["uid"]) for e in events}) == 3
