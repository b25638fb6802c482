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
