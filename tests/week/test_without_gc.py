"""The week stages run with the cyclic collector paused, and leave it as they found it."""

import gc

import pytest

from briefgen.week import without_gc


@without_gc
def _enabled_inside(fail: bool = False) -> bool:
    if fail:
        raise ValueError("stage failed")
    return gc.isenabled()


def test_the_collector_is_paused_inside_and_resumed_after() -> None:
    assert gc.isenabled()
    assert _enabled_inside() is False
    assert gc.isenabled()


def test_the_collector_resumes_when_the_stage_fails() -> None:
    with pytest.raises(ValueError):
        _enabled_inside(fail=True)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        assert _enabled_inside() is False
        assert not gc.isenabled()
    finally:
        gc.enable()
