"""Reproducible and atomic outputs: same inputs, same bytes; an interrupted build keeps the old brief."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import render as render_module
from briefgen.cli import main
from briefgen.pipeline import build
from briefgen.render import write
from briefgen.render.files import write_all_atomic, write_atomic

from .conftest import ROOT

HOSTILE = Path(__file__).resolve().parent / "hostile"


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "seeds", folder)
    for name in ["feed.rss", "page-with-scripts.html", "good-wire.jsonl", "legacy-encoding.txt"]:
        shutil.copy(HOSTILE / name, folder / name)
    return folder


def _build_in_subprocess(folder: Path, out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1795000000"}
    cmd = [sys.executable, "-m", "briefgen", "build", str(folder), "--out", str(out)]
    cmd += ["--format", "json,html,pdf,md,ics", "--name", "b", "--as-of", "2026-11-23", "--all"]
    cmd += ["--no-cache"]  # the second build must recompute, not read the first one's analyses
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def _without_pdf_dates(pdf: bytes) -> bytes:
    return re.sub(rb"/(CreationDate|ModDate) *\([^)]*\)", b"", pdf)


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    folder = _inputs(tmp_path)
    # Different hash seeds: set and dict orders keyed by strings must not reach the output.
    _build_in_subprocess(folder, tmp_path / "one", "1")
    _build_in_subprocess(folder, tmp_path / "two", "2")
    for ext in ["json", "html", "md", "ics"]:
        one = (tmp_path / "one" / f"b.{ext}").read_bytes()
        two = (tmp_path / "two" / f"b.{ext}").read_bytes()
        assert one == two, ext
    one_pdf = (tmp_path / "one" / "b.pdf").read_bytes()
    two_pdf = (tmp_path / "two" / "b.pdf").read_bytes()
    assert _without_pdf_dates(one_pdf) == _without_pdf_dates(two_pdf)
    # SOURCE_DATE_EPOCH 1795000000 is 2026-11-18 (UTC): the issue date, not today.
    assert '"issued": "2026-11-18"' in (tmp_path / "one" / "b.json").read_text()


def test_issue_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.pipeline import issue_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert issue_date() == dt.date(1970, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert issue_date() == dt.date.today()


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_a_renderer_failing_midway_leaves_the_previous_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _inputs(tmp_path)
    out = tmp_path / "out"
    old = build([folder], issued=dt.date(2026, 11, 23))
    write(old, out=out, formats=["json", "html", "md"], name="b")
    before = _snapshot(out)

    (folder / "extra.md").write_text(
        "---\ndate: 2026-11-20\n---\nA new article changes the brief.\n"
    )
    new = build([folder], issued=dt.date(2026, 11, 24))

    def boom(data: object) -> str:
        raise RuntimeError("renderer died")

    monkeypatch.setitem(render_module.FORMATS, "md", render_module.Format(render=boom))
    with pytest.raises(RuntimeError, match="renderer died"):
        write(new, out=out, formats=["json", "html", "md"], name="b")
    assert _snapshot(out) == before


def test_an_interrupted_write_leaves_whole_files_and_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_atomic(out / "b.json", "old json")
    write_atomic(out / "b.html", "old html")
    real_replace = os.replace
    calls: list[str] = []

    def interrupted(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    write_atomic(out / "b.json", "new json")
    with pytest.raises(KeyboardInterrupt):
        write_atomic(out / "b.html", "new html")
    assert _snapshot(out) == {"b.html": b"old html", "b.json": b"new json"}


def test_an_interrupted_write_of_the_whole_brief_changes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_all_atomic({out / "b.json": "old json", out / "b.html": "old html"})
    real_fdopen = os.fdopen
    opened: list[int] = []

    def interrupted(fd: int, *args: object, **kwargs: object) -> object:
        opened.append(fd)
        if len(opened) == 2:  # while staging the second file
            os.close(fd)
            raise KeyboardInterrupt
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic({out / "b.json": "new json", out / "b.html": "new html"})
    assert _snapshot(out) == {"b.html": b"old html", "b.json": b"old json"}


def test_an_interrupted_cli_build_keeps_the_old_brief(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _inputs(tmp_path)
    out = tmp_path / "out"
    args = ["build", str(folder), "--out", str(out), "--format", "json,html", "--name", "b"]
    assert main([*args, "--issued", "2026-11-23"]) == 0
    before = _snapshot(out)

    def interrupt(*a: object, **k: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(render_module, "render_html", interrupt)
    monkeypatch.setattr(render_module, "render_web", interrupt)  # the HTML as a web page
    assert main([*args, "--issued", "2026-11-24"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "briefgen: interrupted"
    assert _snapshot(out) == before
