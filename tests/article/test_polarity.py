from __future__ import annotations

from collections.abc import Callable

from briefgen.article import polarity
from briefgen.doc import Parsed

MakeParsed = Callable[..., Parsed]


def stake(make_parsed: MakeParsed, text: str) -> polarity.Stake:
    return polarity.stake(make_parsed(text).doc[:])


def test_negation_turns_a_bad_outcome_into_a_reassurance(make_parsed: MakeParsed) -> None:
    assert stake(make_parsed, "The fire is a danger to the crew.").bad
    calm = stake(make_parsed, "There is no danger to the crew.")
    assert not calm.bad and calm.reassured


def test_a_good_outcome_lacking_or_failed_is_bad(make_parsed: MakeParsed) -> None:
    assert stake(make_parsed, "The talks have seen little progress.").bad
    assert stake(make_parsed, "They failed to reach a deal.").bad
    assert not stake(make_parsed, "The talks have made progress.").bad


def test_what_a_measure_measures_is_a_label(make_parsed: MakeParsed) -> None:
    assert not stake(make_parsed, "Jobless figures are below historical highs.").bad
    assert stake(make_parsed, "Jobless figures are expected to rise.").bad
    assert not stake(make_parsed, "The jobless rate fell in May.").bad
    assert stake(make_parsed, "Unemployment rose in May.").bad


def test_a_bad_thing_falling_is_good_news(make_parsed: MakeParsed) -> None:
    assert not stake(make_parsed, "The deficit is expected to fall.").bad
    assert stake(make_parsed, "Sales are expected to fall.").bad


def test_targeted_at_is_aimed_not_attacked(make_parsed: MakeParsed) -> None:
    assert not stake(make_parsed, "Our action will be targeted at that area.").bad
    assert stake(make_parsed, "Innocent people would be targeted.").bad


def test_undoing_a_good_thing_is_bad(make_parsed: MakeParsed) -> None:
    assert stake(make_parsed, "It could undo the progress.").bad
    assert not stake(make_parsed, "It could build on the progress.").bad


def test_what_a_remedy_acts_against_and_a_row_dying_down(make_parsed: MakeParsed) -> None:
    assert not stake(make_parsed, "It will be remembered as the debt relief summit.").bad
    assert stake(make_parsed, "Its debt will cripple the country.").bad
    assert not stake(make_parsed, "The row will die down soon.").bad
    assert stake(make_parsed, "Two million children will die.").bad


def test_block_is_bad_as_a_verb_only(make_parsed: MakeParsed) -> None:
    assert stake(make_parsed, "They vowed to block the sale.").bad
    assert not stake(make_parsed, "Volunteers can take the time in a block.").bad
