import datetime as dt

from briefgen.doc import DateExpr
from briefgen.week.upcoming import upcoming


def _d(value: str, **extra: object) -> DateExpr:
    base: dict[str, object] = {
        "article": "a1",
        "start": 0,
        "end": 4,
        "text": "text",
        "type": "DATE",
        "value": value,
        "relation": "future",
        "sentence": "s",
        "event": f"event {value}",
    }
    return DateExpr(**(base | extra))  # type: ignore[arg-type]


def test_future_dates_from_as_of_in_order_with_actor_and_windows() -> None:
    found = [
        _d("2025-11-01", deadline=True, actor="USTR"),
        _d("2025-09-18", actor="Carney"),
        _d("2025-05", relation="past"),
        _d("2025-09-10"),  # future to its article, but before the as-of day
        _d("FUTURE_REF", window_end="2025-10-21"),
        _d("P3Y", type="DURATION", relation="unknown"),
    ]
    got = upcoming(found, dt.date(2025, 9, 16))
    assert [u.value for u in got] == ["2025-09-18", "FUTURE_REF", "2025-11-01"]
    assert got[0].actor == "Carney"
    assert got[1].window_end == "2025-10-21"
    assert got[2].deadline and got[2].actor == "USTR"


def test_windows_read_as_days_are_upcoming_and_sort_by_their_end() -> None:
    found = [
        _d("2025-09-17", window_end="2025-09-30", timex="P2W"),  # "within the next two weeks"
        _d("2025-W39", window_end="2025-09-24"),  # "early next week"
        _d("2025-10-01"),
    ]
    got = upcoming(found, dt.date(2025, 9, 17))
    assert [(u.value, u.window_end) for u in got] == [
        ("2025-W39", "2025-09-24"),
        ("2025-09-17", "2025-09-30"),
        ("2025-10-01", None),
    ]


def test_upcoming_from_an_article_keeps_what_lies_ahead(make_parsed) -> None:
    from briefgen.article.dates import extract_dates

    parsed = make_parsed(
        "The harbour authority extended its deadline until noon Thursday. "
        "A decision on the new pier is due within the next two weeks. "
        "The pier was first proposed in May.",
        published="2025-09-16",
    )
    got = upcoming(extract_dates(parsed), dt.date(2025, 9, 16))
    assert [u.text for u in got] == ["noon Thursday", "the next two weeks"]
    assert got[0].deadline and got[0].value.startswith("2025-09-18")
