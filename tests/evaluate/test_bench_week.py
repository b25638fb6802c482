import sys

import pytest

from briefgen.evaluate import bench_week
from briefgen.week import stories


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PSS is read from /proc")
def test_the_bench_reports_the_process_trees_peak_in_each_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stories, "WORKER_FROM", 1)  # the vectors' worker is in the tree
    figures = bench_week.run(200)
    assert figures["week stage, worker process (CPU-s)"] > 0
    steps = {k for k in figures if k.startswith("  in ")}
    assert "  in stories, PSS (MB)" in steps and "  in changes, PSS (MB)" in steps
    peak = figures["peak memory of the process tree, PSS (MB)"]
    assert 0 < figures["memory after generating, PSS (MB)"] <= peak
    assert all(0 < figures[k] <= peak for k in steps)
