"""briefgen as a user installs it: a wheel in a fresh virtual environment, no repository near."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_wheel_installs_and_renders_the_seeds_to_pdf(tmp_path: Path) -> None:
    if shutil.which("git") is None and not (ROOT / "pyproject.toml").is_file():
        pytest.skip("no source tree to build a wheel from")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    dist = tmp_path / "dist"
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        dist,
        ROOT,
        cwd=tmp_path,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(dist.glob("briefgen-*.whl"))

    # A fresh environment that sees the dependencies already installed here, but not briefgen:
    # the dependencies' folder is added as a plain path, so its editable-install hook never runs.
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(
        _run(
            python,
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            cwd=tmp_path,
            env=env,
        ).stdout.strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        wheel,
        cwd=tmp_path,
        env=env,
    )
    assert installed.returncode == 0, installed.stderr

    where = _run(python, "-c", "import briefgen; print(briefgen.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout + where.stderr

    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    out = tmp_path / "out"
    result = _run(
        target / "bin" / "briefgen",
        "build",
        seeds,
        "--out",
        out,
        "--format",
        "pdf,json",
        "--no-cache",
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    pdfs = list(out.glob("brief-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")

    theme = tmp_path / "theme"
    init = _run(target / "bin" / "briefgen", "templates", "init", theme, cwd=tmp_path, env=env)
    assert init.returncode == 0, init.stderr
    assert (theme / "brief.html.j2").is_file()
