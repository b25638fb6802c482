"""The archive: canonical keys, history, search, date selection, crash safety, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.sources.archive import Archive, ArchiveError, Item, article_id, canonical_url

from .conftest import ROOT_DIR, LocalServer, Route, body_text, rss


def item(
    n: int,
    *,
    day: str = "2026-11-17",
    origin: str = "feed:a",
    text: str | None = None,
    title: str | None = None,
    outlet: str = "Ledger",
) -> Item:
    key = f"https://example.org/{n}"
    return Item(
        key=key,
        link=key,
        title=title or f"Story {n}",
        text=text if text is not None else body_text(f"Story {n}", 1),
        outlet=outlet,
        published=dt.date.fromisoformat(day),
        origin=origin,
    )


def test_canonical_url() -> None:
    assert canonical_url("HTTPS://Example.ORG:443/a/b?utm_source=x&b=2&a=1&fbclid=z#frag") == (
        "https://example.org/a/b?a=1&b=2"
    )
    assert canonical_url("http://example.org:8080") == "http://example.org:8080/"
    assert canonical_url("http://user:pw@example.org/x") == "http://example.org/x"
    assert canonical_url("http://[::1]:80/x") == "http://[::1]/x"
    assert article_id(canonical_url("https://example.org/s?utm_medium=rss")) == article_id(
        "https://example.org/s"
    )
    assert article_id("https://example.org/s").startswith("web-")


def test_store_once_history_and_origin(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        assert archive.store("feed:a", "feed", [item(1), item(1)]).new == 1
        # Another source carrying the same article does not replace its text.
        c = archive.store("feed:b", "feed", [item(1, origin="feed:b", text="Other text.")])
        assert (c.new, c.updated, c.known) == (0, 0, 1)
        # The source the text came from updates it, and the old text is kept.
        c = archive.store("feed:a", "feed", [item(1, text=body_text("Corrected", 1))])
        assert c.updated == 1
        (article,) = archive.select()
        assert article.text.startswith("Corrected")
        assert article.id == article_id("https://example.org/1")
        db = archive._db
        assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 1
        assert archive.search("corrected")[0].id == article.id
        assert archive.search("other") == []  # the FTS index follows the update
        assert archive.integrity() == "ok"


def test_select_by_period_uses_the_index(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        days = ["2026-11-09", "2026-11-16", "2026-11-22", "2026-11-23"]
        archive.store("s", "feed", [item(i, day=d) for i, d in enumerate(days)])
        got = archive.select(dt.date(2026, 11, 16), dt.date(2026, 11, 22))
        assert [str(a.published) for a in got] == ["2026-11-16", "2026-11-22"]
        assert archive.newest_day() == dt.date(2026, 11, 23)
        plan = " ".join(
            str(r[-1])
            for r in archive._db.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE day >= ? AND day <= ?",
                ("2026-11-16", "2026-11-22"),
            )
        )
        assert "USING INDEX articles_day" in plan


def test_search_best_first_and_any_query(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.sqlite") as archive:
        archive.store(
            "s",
            "feed",
            [
                item(1, title="Budget vote delayed", text=body_text("Parliament", 1)),
                item(2, title="Harbour", text=body_text("The budget was mentioned once.", 1)),
                item(3, title="Weather", text=body_text("Rain", 1), outlet="Budget Weekly"),
            ],
        )
        assert [h.title for h in archive.search("budget")] == [
            "Budget vote delayed",
            "Weather",
            "Harbour",
        ]
        assert [h.title for h in archive.search('budget "unbalanced')] == []
        assert isinstance(archive.search("AND"), list)  # a bare operator is not an error
        assert archive.search("   ") == []


def test_not_an_archive(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="not a usable archive"):
        Archive(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ArchiveError, match="not a briefgen archive"):
        Archive(other)
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive(tmp_path / "missing.sqlite", create=False)


def test_fetch_and_search_commands(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/rss.xml"] = Route(
        rss(
            "Ledger",
            [{"title": "Steel talks", "link": "https://example.org/1", "text": body_text("Steel")}],
        )
    )
    config = tmp_path / "briefgen.toml"
    config.write_text(
        f'[sources]\nfeeds = ["{server.url("/rss.xml")}", "{server.url("/gone.xml")}"]\n'
        '[fetch]\nallow_private = true\ndelay = 0\n[archive]\npath = "store/a.sqlite"\n',
        encoding="utf-8",
    )
    assert main(["fetch", "--config", str(config)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(out) == [
        f"feed {server.url('/gone.xml')}: failed (HTTP 404 Not Found)",
        f"feed {server.url('/rss.xml')}: new 1",
    ]
    assert (tmp_path / "store" / "a.sqlite").is_file()  # [archive] path, from the config's folder
    assert main(["search", "steel", "--config", str(config)]) == 0
    assert capsys.readouterr().out == "2026-11-17  Ledger  Steel talks\n"
    # Unusable configuration or archive: one line, non-zero.
    bad = tmp_path / "bad.toml"
    bad.write_text("[fetch]\nallow_private = 'yes'\n[sources]\nfeeds = ['https://example.org/f']\n")
    assert main(["fetch", "--config", str(bad)]) == 2
    assert (
        capsys.readouterr().err == f"briefgen: {bad}: [fetch] allow_private must be true or false\n"
    )
    (tmp_path / "junk").write_bytes(b"x" * 4096)
    assert main(["fetch", "--config", str(config), "--archive", str(tmp_path / "junk")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a usable archive" in err
    assert main(["search", "x", "--archive", str(tmp_path / "none.sqlite")]) == 1
    password = tmp_path / "pw.toml"
    password.write_text("[mail]\npassword = 'hunter2'\n")
    assert main(["fetch", "--config", str(password)]) == 2
    assert "password_env" in capsys.readouterr().err


def test_build_from_the_archive(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with Archive(db) as archive:
        archive.store(
            "feed:x",
            "feed",
            [
                item(
                    1,
                    day="2026-11-17",
                    title="Port strike ends",
                    text="Dock workers in Kelbrook ended their strike on Tuesday. The union said talks would resume on December 3.",
                ),
                item(
                    2,
                    day="2026-11-18",
                    title="Mill closes",
                    outlet="Harbour Post",
                    text="The Brightwell steel mill will close in March, the company said on Wednesday.",
                ),
                item(3, day="2026-11-03", title="Older", text="An older story from another week."),
            ],
        )
    out = tmp_path / "out"
    code = main(
        [
            "build",
            "--archive",
            str(db),
            "--week",
            "2026-W47",
            "--out",
            str(out),
            "--format",
            "json",
            "--jobs",
            "1",
            "--issued",
            "2026-11-23",
        ]
    )
    assert code == 0
    data = json.loads((out / "brief-2026-W47.json").read_text(encoding="utf-8"))
    got = {a["title"]: a for a in data["articles"]}
    assert set(got) == {"Port strike ends", "Mill closes"}
    mill = got["Mill closes"]
    assert (mill["url"], mill["source"], mill["published"]) == (
        "https://example.org/2",
        "Harbour Post",
        "2026-11-18",
    )
    assert mill["id"] == article_id("https://example.org/2")
    (record,) = data["sources"]
    assert record["path"] == str(db) and record["status"] == "included"
    assert sorted(record["articles"]) == sorted(a["id"] for a in data["articles"])


def test_a_fetch_killed_midway_loses_nothing(server: LocalServer, tmp_path: Path) -> None:
    """SIGKILL while the third feed is being fetched; the rerun finds a sound archive, the first
    two feeds' articles kept (and their validators, so they cost a 304), nothing twice."""
    for n in (1, 2, 3):
        items = [
            {
                "title": f"Feed {n} story {i}",
                "link": f"https://example.org/{n}/{i}",
                "text": body_text(f"F{n}S{i}"),
            }
            for i in range(3)
        ]
        server.routes[f"/f{n}.xml"] = Route(rss(f"Feed {n}", items), etag=f'"f{n}"')
    server.routes["/f3.xml"].delay = 30.0
    config = tmp_path / "briefgen.toml"
    feeds = ", ".join(f'"{server.url(f"/f{n}.xml")}"' for n in (1, 2, 3))
    config.write_text(
        f"[sources]\nfeeds = [{feeds}]\n[fetch]\nallow_private = true\ndelay = 0\ntimeout = 60\n",
        encoding="utf-8",
    )
    db = tmp_path / "a.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "fetch", "--config", str(config), "--archive", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert all(line.endswith(": new 3\n") for line in lines), lines
        deadline = time.monotonic() + 10
        while "/f3.xml" not in server.paths() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "/f3.xml" in server.paths()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    check.close()

    server.routes["/f3.xml"].delay = 0.0
    server.requests.clear()
    assert main(["fetch", "--config", str(config), "--archive", str(db)]) == 0
    assert all(r.conditional for r in server.requests if r.path in ("/f1.xml", "/f2.xml"))
    with Archive(db) as archive:
        assert archive.integrity() == "ok"
        db_ = archive._db
        assert db_.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (
            9,
            9,
        )
        assert db_.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 9
        assert db_.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
        statuses = dict(db_.execute("SELECT url, last_status FROM sources").fetchall())
    assert statuses == {
        server.url("/f1.xml"): "unchanged",
        server.url("/f2.xml"): "unchanged",
        server.url("/f3.xml"): "ok",
    }
