import datetime as dt

from briefgen.dates import extract_dates, normalise

PUB = dt.date(2025, 9, 16)  # a Tuesday


def test_weekday_in_future_clause_is_next_occurrence() -> None:
    assert normalise("Thursday", published=PUB, relation="future")[1] == "2025-09-18"


def test_weekday_in_past_clause_is_previous_occurrence() -> None:
    assert normalise("Monday", published=PUB, relation="past")[1] == "2025-09-15"


def test_durations_and_sets_are_not_dates() -> None:
    assert normalise("three years", published=PUB, relation="unknown")[:2] == ("DURATION", "P3Y")
    assert normalise("every week", published=PUB, relation="unknown")[0] == "SET"
    assert normalise("every Monday", published=PUB, relation="unknown")[:2] == ("SET", "XXXX-WXX-1")


def test_explicit_dates_and_weeks() -> None:
    assert normalise("November 1", published=PUB, relation="future")[1] == "2025-11-01"
    assert normalise("next week", published=PUB, relation="future")[1] == "2025-W39"


def test_past_month_is_not_upcoming(make_parsed) -> None:
    parsed = make_parsed(
        "During his visit to Canada in May, the king opened Parliament. "
        "Comments are due by November 1, and the leaders will meet on Thursday."
    )
    found = {d.text: d for d in extract_dates(parsed)}
    assert found["May"].relation == "past"
    assert found["November 1"].relation == "future" and found["November 1"].deadline
    assert found["Thursday"].value == "2025-09-18"
    for d in found.values():
        assert parsed.article.text[d.start : d.end] == d.text
