"""Work split in two parts runs both, on one core or two, and its errors reach the caller."""

import pytest

from briefgen import week


@pytest.mark.parametrize("cores", [1, 2])
def test_both_parts_run_and_the_second_parts_error_is_raised(
    monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    monkeypatch.setattr(week, "CORES", cores)
    done: list[int] = []
    week.in_two_threads(done.extend, [1, 2], [3])
    assert sorted(done) == [1, 2, 3]

    def fail_on_second(part: str) -> None:
        if part == "second":
            raise ValueError("second part failed")

    with pytest.raises(ValueError, match="second part failed"):
        week.in_two_threads(fail_on_second, "first", "second")
