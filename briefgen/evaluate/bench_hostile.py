"""Bounded-resource benchmark: the worst input of each hostile class, each built in a subprocess.

``python -m briefgen.evaluate.bench_hostile`` generates the inputs in a temporary folder (all
invented), builds each beside a good article with ``briefgen build`` in a fresh process, and
prints its exit status, wall time and peak memory (the largest process of the build's tree),
and whether the good article was briefed. The goal (issue 20): every case under 1 GB and 60 s,
the good article in the brief.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GOOD_ID = "good-article"
GOOD = (
    "---\nid: good-article\ntitle: Council sets budget vote\ndate: 2026-03-10\nsource: Ledger\n"
    "---\nThe city council will vote on the budget on March 20, officials said on Monday. "
    "Mayor Ana Ruiz warned that the transit plan could be delayed if the vote fails.\n"
)
LIMIT_MB = 1024
LIMIT_S = 60.0


@dataclass
class Case:
    name: str
    what: str
    make: Callable[[Path], list[str]]  # builds the inputs under a folder; returns extra args
    env: dict[str, str] = field(default_factory=dict)
    expect_brief: bool = True
    prepare: Callable[[Path, list[str]], None] | None = None  # e.g. fill then spoil the cache


def _folder(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.md").write_text(GOOD)
    return folder


def _names_and_values(root: Path) -> list[str]:
    folder = _folder(root)
    for i in range(50):
        name = b"caf\xe9-%d.txt" % i if i % 2 else b"\xff\xfe-%d.docx" % i
        (folder / os.fsdecode(name)).write_bytes(b"Titre\nLe conseil a vote lundi.\n")
    far = "The permit is valid until December 31, 9999, the office said on Monday. " * 20
    (folder / "far.md").write_text(f"---\ndate: 2026-03-10\n---\n{far}\n")
    lines = [
        '{"id": "n1", "text": "A line.", "n": ' + "9" * 5000 + "}",
        '{"id": ' + "7" * 5000 + ', "text": "Huge id."}',
        json.dumps(
            {"id": "ok-line", "text": "The port reopened on Tuesday.", "date": "2026-03-10"}
        ),
    ]
    (folder / "numbers.jsonl").write_text("\n".join(lines))
    return [str(folder), "--format", "html,pdf,json,md,ics"]


def _huge_fields(root: Path) -> list[str]:
    folder = _folder(root)
    big = {
        "id": "i" * 2_400_000,
        "title": "t" * 220_000,
        "source": "s" * 220_000,
        "url": "https://example.com/" + "u" * 220_000,
        "text": "Officials said on Monday that the bridge may close on Friday. " * 50,
        "date": "2026-03-10",
    }
    (folder / "big.json").write_text(json.dumps(big))
    return [str(folder), "--max-bytes", "10000000"]


def _junk_items(root: Path) -> list[str]:
    folder = _folder(root)
    good = json.dumps({"id": "j0", "text": "The port reopened on Tuesday.", "date": "2026-03-10"})
    (folder / "junk.json").write_text("[" + good + ",1" * 2_000_000 + "]")
    return [str(folder)]


def _long_sentence(root: Path) -> list[str]:
    folder = _folder(root)
    clause = "and the board will meet on Friday and the vote is due on March 20 "
    text = "Officials said " + clause * (4_900_000 // len(clause))
    (folder / "sentence.json").write_text(
        json.dumps({"id": "s1", "text": text, "date": "2026-03-10"})
    )
    return [str(folder), "--max-bytes", "6000000"]


def _tiny_records(root: Path) -> list[str]:
    folder = _folder(root)
    with (folder / "tiny.jsonl").open("w") as fh:
        for i in range(200_000):
            fh.write(json.dumps({"id": f"t{i}", "text": f"Item {i} was filed."}) + "\n")
    return [str(folder), "--max-bytes", "10000000", "--all"]


def _html_pages(root: Path) -> list[str]:
    folder = _folder(root)
    # The slowest of the pages tried (unclosed tags, stray end tags, bare "<"): each is one
    # tag callback per 7 bytes in HTMLParser.
    (folder / "unclosed.html").write_text("<p>a<b>" * (5_000_000 // 7))
    return [str(folder), "--all"]


def _local_leaks(root: Path) -> list[str]:
    folder = _folder(root)
    secret = root / "secret.txt"
    secret.write_text("SECRET-MARKER")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(secret)
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "random.md").symlink_to("/dev/urandom")
    (folder / "dangling.txt").symlink_to(folder / "none")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    theme = root / "theme"
    theme.mkdir()
    (theme / "brief.css").symlink_to("/dev/zero")
    (theme / "logo.png").symlink_to("/dev/zero")
    (root / "briefgen.toml").write_text('[render]\ntemplates = "/"\n')  # not read: not named
    return [str(folder), "--templates", str(theme)]


def _hostile_out(root: Path) -> list[str]:
    folder = _folder(root)
    out = root / "out"
    out.mkdir()
    (out / "data.json").write_text("[" * 1_000_000 + "]" * 1_000_000)
    (out / "brief-2026-W01.json").write_text("[" * 1_000_000 + "]" * 1_000_000)
    (out / "brief-2026-W02.json").write_text('{"schema": "briefgen.brief/1", "period": 3')
    os.mkfifo(out / "brief-2026-W03.json")
    (out / "brief-2026-W04.json").symlink_to("/dev/zero")
    (out / ".brief-2026-W11.json.abcd1234").write_text("left by a killed build")
    os.utime(out / ".brief-2026-W11.json.abcd1234", (0, 0))
    return [str(folder)]


def _spoil_cache(root: Path, args: list[str]) -> None:
    """Build once to fill the cache, then truncate its PDFs and nest its analyses deeply."""
    _build(root, args, env={})
    cache = root / "cache" / "briefgen"
    for pdf in cache.rglob("*.pdf"):
        pdf.write_bytes(pdf.read_bytes()[:2000])
    for entry in (cache / "analysis").rglob("*.json"):
        entry.write_text("[" * 1_000_000 + "]" * 1_000_000)


def _spoilt_cache(root: Path) -> list[str]:
    return [str(_folder(root))]


def _theme_filters(root: Path) -> list[str]:
    theme = root / "theme"
    theme.mkdir()
    (theme / "brief.html.j2").write_text("{{ 'x' | center(2200000000) }}{{ '%2200000000s' % 'x' }}")
    return [str(_folder(root)), "--templates", str(theme), "--format", "html"]


CASES = [
    Case(
        "names+values",
        "50 non-UTF-8 names, year 9999, 5,000-digit numbers",
        _names_and_values,
        env={"SOURCE_DATE_EPOCH": "1773100000000"},
    ),
    Case("huge fields", "2.4 MB id, 220 KB title/source/url", _huge_fields),
    Case("junk items", "a JSON list of 2,000,000 junk items", _junk_items),
    Case("long sentence", "4.9 MB sentence without a full stop", _long_sentence),
    Case("tiny records", "200,000 tiny records, with PDF", _tiny_records),
    Case("html page", "a 5 MB page of unclosed tags", _html_pages),
    Case("local leaks", "links to /etc/passwd, /dev/zero; FIFO; theme links", _local_leaks),
    Case("hostile --out", "nested data.json, FIFO and /dev/zero briefs, stale temp", _hostile_out),
    Case(
        "spoilt cache",
        "truncated PDFs, deeply nested analyses",
        _spoilt_cache,
        prepare=_spoil_cache,
    ),
    Case("theme filters", "center(2200000000), '%2200000000s'", _theme_filters, expect_brief=False),
]


def _build(root: Path, args: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    """Run ``briefgen build`` in a fresh measuring process: exit code, seconds, peak MB, stderr."""
    out = root / "out"
    full_env = {
        **os.environ,
        "XDG_CACHE_HOME": str(root / "cache"),
        "XDG_CONFIG_HOME": str(root / "config"),
        **env,
    }
    command = [
        sys.executable,
        "-m",
        "briefgen.evaluate.bench_hostile",
        "--measure",
        "--",
        sys.executable,
        "-m",
        "briefgen",
        "build",
        *args,
        "--out",
        str(out),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, env=full_env, cwd=root, timeout=900
    )
    try:
        code, seconds, peak = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return done.returncode, float("nan"), float("nan"), done.stderr
    return code, seconds, peak, done.stderr


def _measure(command: list[str]) -> int:
    start = time.perf_counter()
    child = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps([child.returncode, seconds, peak_mb]))
    return 0


def _briefed(root: Path) -> bool:
    import stat

    for path in (root / "out").glob("brief-*.json"):
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                continue  # the hostile --out case plants a FIFO and a link to /dev/zero
            data = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):  # the planted, deeply nested ones
            continue
        if any(a["id"] == GOOD_ID for a in data.get("articles", [])):
            return True
    return False


def run(names: list[str] | None = None) -> int:
    rows = []
    worst = 0
    print(
        f"{'case':<15} {'input':<58} {'exit':>4} {'time s':>7} {'peak MB':>8}  good briefed",
        flush=True,
    )
    for case in CASES:
        if names and case.name not in names:
            continue
        with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
            root = Path(tmp)
            args = case.make(root)
            if case.prepare is not None:
                case.prepare(root, args)
            code, seconds, peak, err = _build(root, args, case.env)
            briefed = _briefed(root)
            traceback = "Traceback" in err
        ok = (
            seconds <= LIMIT_S
            and peak <= LIMIT_MB
            and not traceback
            and (briefed if case.expect_brief else code != 0)
        )
        worst |= not ok
        shown = "yes" if briefed else ("no (template refused)" if not case.expect_brief else "NO")
        print(
            f"{case.name:<15} {case.what:<58} {code:>4} {seconds:>7.1f} {peak:>8.0f}  {shown}"
            + ("" if ok else "  << over budget or lost" + (" (traceback)" if traceback else "")),
            flush=True,
        )
        rows.append((case.name, code, seconds, peak, briefed))
    return 1 if worst else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["--measure", "--"]:
        return _measure(argv[2:])
    parser = argparse.ArgumentParser(prog="python -m briefgen.evaluate.bench_hostile")
    parser.add_argument("cases", nargs="*", help="run only these cases (by name)")
    args = parser.parse_args(argv)
    return run(args.cases or None)


if __name__ == "__main__":
    raise SystemExit(main())
