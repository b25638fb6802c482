import datetime as dt

from briefgen.article.dates import extract_dates
from briefgen.timex import normalise

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


def test_relative_expressions_follow_the_publication_date() -> None:
    assert normalise("yesterday", published=PUB, relation="past")[1] == "2025-09-15"
    assert normalise("last year", published=PUB, relation="past")[1] == "2024"
    assert normalise("this month", published=PUB, relation="unknown")[1] == "2025-09"
    assert normalise("two weeks ago", published=PUB, relation="past")[1] == "2025-W36"
    assert normalise("next month", published=PUB, relation="future")[1] == "2025-10"


def test_quarters_halves_and_seasons() -> None:
    # Publication in Q3: a fourth quarter spoken of in the past is last year's.
    assert normalise("the fourth quarter", published=PUB, relation="past")[1] == "2024-Q4"
    assert normalise("third-quarter", published=PUB, relation="unknown")[1] == "2025-Q3"
    assert normalise("the first half of 2026", published=PUB, relation="future")[1] == "2026-H1"
    # In mid-September the summer just gone is "last summer"; in May it is the year before's.
    assert normalise("last summer", published=PUB, relation="past")[1] == "2025-SU"
    may = dt.date(2025, 5, 10)
    assert normalise("last summer", published=may, relation="past")[1] == "2024-SU"


def test_anaphoric_year_earlier_moves_the_reference() -> None:
    got = normalise("a year earlier", published=PUB, relation="past", reference="2025-Q2")
    assert got[1] == "2024-Q2"
    assert normalise("a year ago", published=PUB, relation="past")[1] == "2024"


def test_month_day_without_year_is_closest_to_publication() -> None:
    # A past tense does not push a near future date back a year ...
    assert normalise("Sept. 30", published=PUB, relation="past")[1] == "2025-09-30"
    # ... but a date far ahead is read as last year's in a past clause.
    assert normalise("March 3", published=PUB, relation="past")[1] == "2025-03-03"
    assert normalise("Jan. 15", published=PUB, relation="future")[1] == "2026-01-15"
    # The weekday written with a date picks its year.
    assert normalise("Friday, Sept. 18", published=PUB, relation="past")[1] == "2026-09-18"


def test_durations_sets_and_refs() -> None:
    assert normalise("for three years", published=PUB, relation="unknown")[:2] == (
        "DURATION",
        "P3Y",
    )
    assert normalise("weeks", published=PUB, relation="unknown")[:2] == ("DURATION", "PXW")
    assert normalise("the past five months", published=PUB, relation="past")[1] == "P5M"
    assert normalise("daily", published=PUB, relation="unknown")[:2] == ("SET", "P1D")
    assert normalise("now", published=PUB, relation="present")[1] == "PRESENT_REF"
    assert normalise("recently", published=PUB, relation="past")[1] == "PAST_REF"
    assert normalise("3 p.m.", published=PUB, relation="unknown")[:2] == (
        "TIME",
        "2025-09-16T15:00",
    )


def test_grammar_finds_what_the_model_misses_and_drops_ages(make_parsed) -> None:
    text = "\n  The 44-year-old minister said now is the time. He meets them each Thursday.\n"
    parsed = make_parsed(text)
    found = extract_dates(parsed)
    assert all(text[d.start : d.end] == d.text for d in found)
    by_text = {d.text: d for d in found}
    assert "44-year-old" not in by_text
    assert by_text["now"].value == "PRESENT_REF"
    assert by_text["each Thursday"].type == "SET"


def test_windows_deadlines_and_actors(make_parsed) -> None:
    parsed = make_parsed(
        "Maria Lopez will decide in the coming weeks. The agency expects to finish later this "
        "month. Ottawa set a November 30 deadline for the bids."
    )
    found = {d.text: d for d in extract_dates(parsed)}
    weeks = found["the coming weeks"]
    assert (weeks.type, weeks.relation, weeks.window_end) == ("DATE", "future", "2025-10-21")
    assert weeks.actor == "Maria Lopez"
    month = found["later this month"]
    assert (month.value, month.window_end) == ("2025-09", "2025-09-30")
    assert found["November 30"].deadline and found["November 30"].value == "2025-11-30"


def test_split_quarter_and_its_end_date(make_parsed) -> None:
    parsed = make_parsed("Profit rose in the quarter ended Aug. 26, the company said.")
    found = {d.text: d.value for d in extract_dates(parsed)}
    assert found.get("Aug. 26") == "2025-08-26"
    assert "the quarter" in found


def test_holidays_fixed_and_movable() -> None:
    assert normalise("Thanksgiving", published=PUB, relation="future")[1] == "2025-11-27"
    assert normalise("last Christmas", published=PUB, relation="past")[1] == "2024-12-25"
    assert normalise("Labor Day", published=PUB, relation="past")[1] == "2025-09-01"
    assert normalise("Election Day", published=PUB, relation="future")[1] == "2025-11-04"


def test_duration_values_in_timex3_units() -> None:
    assert normalise("2 1/2 years", published=PUB, relation="unknown")[1] == "P2Y6M"
    assert normalise("5 1/2 hours", published=PUB, relation="unknown")[1] == "PT5H30M"
    assert normalise("two decades", published=PUB, relation="unknown")[1] == "P20Y"
    assert normalise("at least 72 hours", published=PUB, relation="unknown")[1] == "PT72H"
    assert normalise("two to three weeks", published=PUB, relation="unknown")[1] == "P2W"


def test_undated_article_keeps_spans_and_relates_nothing(make_parsed) -> None:
    text = "\n\n  The vote is on Friday,\tand the talks last three years.  \n"
    parsed = make_parsed(text, published=None)
    found = extract_dates(parsed)
    assert found
    for d in found:
        assert text[d.start : d.end] == d.text == d.text.strip()
        assert d.relation == "unknown"


def test_lists_of_years_split_but_full_dates_stay_whole(make_parsed) -> None:
    parsed = make_parsed(
        "The deal closed on Sept. 30, 1989, after talks in 1994, 1995 and 1997 failed. "
        "Officials met over the weekend."
    )
    found = {d.text: d.value for d in extract_dates(parsed)}
    assert found["Sept. 30, 1989"] == "1989-09-30"
    assert {"1994", "1995", "1997"} <= set(found)
    assert found["the weekend"] == "2025-W37-WE"  # published on a Tuesday: the one just gone


def test_unnamed_actor_gives_way_to_a_name_or_to_none(make_parsed) -> None:
    parsed = make_parsed(
        "A lawyer for Maria Lopez will file the appeal by December 4. The bank wanted to see growth figures, due on November 27, Anika Solberg "
        "said. Workers could strike after their union served notice on Tuesday, setting a "
        "deadline of Monday, November 23."
    )
    found = {d.text: d.actor for d in extract_dates(parsed)}
    assert found["December 4"] == "Maria Lopez"  # the name inside the subject's phrase
    assert found["November 27"] == "Anika Solberg"  # the one name of the sentence
    assert found["Monday, November 23"] is None  # "their union": better blank than vague


# --- dates an analyst trusts: weeks ahead, counted windows, deadlines moved in the past tense ---


def _dates(make_parsed, text: str, published: str = "2025-09-16") -> dict[str, object]:
    return {d.text: d for d in extract_dates(make_parsed(text, published=published))}


def test_weeks_ahead_are_future_and_early_next_week_is_a_window(make_parsed) -> None:
    found = _dates(
        make_parsed,
        "The ministers will meet next week in Brussels. Talks on fishing quotas resume "
        "early next week. A vote on the budget is expected later this week. "
        "The ferry company cut routes last week.",
    )
    nxt, early, later, last = (
        found[k] for k in ("next week", "early next week", "later this week", "last week")
    )
    assert (nxt.value, nxt.relation) == ("2025-W39", "future")
    # Monday to Wednesday of next week, shown as a window.
    assert (early.value, early.relation, early.window_end) == ("2025-W39", "future", "2025-09-24")
    assert (later.relation, later.window_end) == ("future", "2025-09-21")
    assert last.relation == "past"


def test_later_this_week_is_no_window_once_the_week_is_over(make_parsed) -> None:
    sunday = _dates(make_parsed, "A vote is expected later this week.", published="2025-09-21")
    assert sunday["later this week"].window_end is None
    assert sunday["later this week"].relation != "future"


def test_counted_spans_ahead_are_windows_from_tomorrow(make_parsed) -> None:
    found = _dates(
        make_parsed,
        "The regulator said a ruling would come within the next two weeks. "
        "Bidders must file their offers in the next 30 days. "
        "Both sides hope to meet over the coming weeks.",
    )
    two, thirty, coming = (
        found[k] for k in ("the next two weeks", "the next 30 days", "the coming weeks")
    )
    assert (two.type, two.value, two.window_end) == ("DATE", "2025-09-17", "2025-09-30")
    assert two.relation == "future" and two.timex == "P2W"  # TimeML's reading, kept
    assert (thirty.value, thirty.window_end, thirty.timex) == ("2025-09-17", "2025-10-16", "P30D")
    assert (coming.value, coming.relation, coming.timex) == ("2025-09-17", "future", "FUTURE_REF")


def test_deadline_moved_in_a_past_tense_clause_points_ahead(make_parsed) -> None:
    # Published on a Monday: "Tuesday" is tomorrow when a deadline is extended to it.
    found = _dates(
        make_parsed,
        "The owners refused to sign the lease through two days of talks, and the council "
        "extended its deadline until 9 a.m. EST Tuesday.",
        published="2025-09-15",
    )
    (when,) = [d for d in found.values() if "Tuesday" in d.text]
    assert when.text == "9 a.m. EST Tuesday"  # one expression, not also "Tuesday" inside it
    assert when.value == "2025-09-16T09:00" and when.relation == "future" and when.deadline


def test_by_until_and_to_follow_the_clause_unless_it_moves_a_deadline(make_parsed) -> None:
    text = (
        "By Tuesday, the number of flights cancelled had risen to 50. "
        "The mayor was held in custody until Friday. "
        "The council vote was postponed to Thursday. "
        "Comments are due by Friday."
    )
    wednesday = make_parsed(text, published="2025-09-17")
    got = [(d.text, d.value, d.relation) for d in extract_dates(wednesday)]
    assert got == [
        ("Tuesday", "2025-09-16", "past"),
        ("Friday", "2025-09-12", "past"),
        ("Thursday", "2025-09-18", "future"),
        ("Friday", "2025-09-19", "future"),
    ]


def test_week_quarter_and_half_values_compare_at_their_own_grain(make_parsed) -> None:
    found = _dates(
        make_parsed,
        "Profit fell in the second quarter. The firm expects fourth-quarter sales to rise.",
    )
    assert found["the second quarter"].relation == "past"
    assert found["fourth-quarter"].relation == "future"


def test_spans_counted_from_now_are_dates_ahead(make_parsed) -> None:
    found = _dates(
        make_parsed,
        "Fares will rise in two weeks. The audit is due two weeks from now. "
        "A ruling is expected within 30 days. The buyer expects to close within weeks. "
        "Within weeks, the outbreak had spread to the coast. "
        "The merger should close in the first quarter of next year.",
    )
    in_two = next(d for d in found.values() if d.text == "two weeks" and d.start < 30)
    assert (in_two.value, in_two.relation, in_two.timex) == ("2025-W40", "future", "P2W")
    assert found["two weeks from now"].value == "2025-W40"
    assert (found["30 days"].value, found["30 days"].window_end) == ("2025-09-17", "2025-10-16")
    weeks = [d for d in extract_dates(make_parsed("The buyer expects to close within weeks."))]
    assert weeks[0].relation == "future" and weeks[0].window_end == "2025-10-21"
    past = make_parsed("Within weeks, the outbreak had spread to the coast.")
    assert extract_dates(past)[0].type == "DURATION"  # looking back: no window
    assert found["the first quarter of next year"].value == "2026-Q1"


def test_a_plan_in_the_past_perfect_is_overtaken(make_parsed) -> None:
    text = "The offer had been due to expire Friday. The new offer is due to expire Friday."
    got = [(d.value, d.relation) for d in extract_dates(make_parsed(text))]
    assert got == [("2025-09-12", "past"), ("2025-09-19", "future")]


def test_a_counted_window_in_tens_is_that_many_days(make_parsed) -> None:
    found = _dates(make_parsed, "The agency has the next ninety days to decide on the merger.")
    ninety = found["the next ninety days"]
    assert (ninety.value, ninety.window_end) == ("2025-09-17", "2025-12-15")
