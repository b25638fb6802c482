"""Issue 20, class by class: no input, file or fault loses the brief; every cost is bounded,
nothing local leaks, and nothing ends in a traceback. Fixtures are generated in tmp_path."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.doc import Analysis, Article, SourceRecord
from briefgen.ingest import MAX_NOTES, ingest
from briefgen.pipeline import build

GOOD = "---\ntitle: Good\ndate: 2026-03-10\nsource: Ledger\n---\nThe council met on Monday.\n"


def _stub(articles: list[Article]) -> tuple[list[Analysis], dict[str, str]]:
    """The per-article stage without spaCy: an empty analysis per article."""
    return [Analysis(a, 1, [], [], [], [], []) for a in articles], {}


def _run(*args: str) -> tuple[int, str]:
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


# --- a brief lost to one bad name or value -----------------------------------------------------


def test_file_names_of_any_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD)
    latin1 = os.fsdecode(b"caf\xe9.txt")
    Path(folder, latin1).write_text("Caf\u00e9 article\nThe board met on Monday.\n")
    Path(folder, os.fsdecode(b"skip\xff.docx")).write_bytes(b"x")
    got = ingest([folder])
    paths = [s.path for s in got.sources]
    assert len(paths) == 3
    for path in paths:
        path.encode("utf-8")  # shown with a replacement character, never a lone surrogate
    assert any("caf\ufffd.txt" in p for p in paths)
    brief = build([folder], analyse_all=_stub)
    from briefgen.engine.cache import AnalysisCache

    cache = AnalysisCache(version="v", root=tmp_path / "cache")
    for analysis in brief.analyses:
        cache.put(analysis)
        assert cache.get(analysis.article) == analysis


def test_huge_json_number_costs_its_line_only(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Good text one.", "date": "2026-03-10"}),
        '{"id": "b", "text": "Bad.", "n": ' + "9" * 5000 + "}",
        '{"id": ' + "7" * 5000 + ', "text": "Huge id."}',
        json.dumps({"id": "c", "text": "Good text two.", "date": "2026-03-10"}),
    ]
    (tmp_path / "wire.jsonl").write_text("\n".join(lines))
    (tmp_path / "one.json").write_text('{"id": "d", "text": "Whole.", "x": ' + "1" * 5000 + "}")
    got = ingest([tmp_path])
    ids = [a.id for a in got.articles]
    assert {"a", "c", "d"} <= set(ids) and "b" in ids


@pytest.mark.parametrize(
    "args",
    [
        ["--default-date", "9999-12-31"],
        ["--week", "9999-W52"],
        ["--as-of", "9999-12-31"],
        ["--from", "0001-01-01"],
    ],
)
def test_far_dates_on_the_command_line_are_one_line_errors(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    with pytest.raises(SystemExit) as exit_:
        _run("build", str(tmp_path), "--out", str(tmp_path / "out"), *args)
    assert exit_.value.code == 2


@pytest.mark.parametrize("epoch", ["1700000000000", "garbage", "99999999999999999999", "-5"])
def test_bad_source_date_epoch_is_reported_and_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    from briefgen.pipeline import issue_date, source_date_problem

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert issue_date() is not None
    assert "SOURCE_DATE_EPOCH" in (source_date_problem() or "")


def test_far_future_dates_do_not_break_ics_or_timeline() -> None:
    from briefgen.render.ics import render_ics
    from briefgen.render.timeline import timeline_svg

    upcoming = [
        {"value": v, "text": "x", "event": "It ends.", "article": "a", "start": 0, "end": 1}
        | {"deadline": False, "window_end": w, "actor": None}
        for v, w in [("9999-12-31", None), ("9999", None), ("9999-12", None), ("2026-03", "9999")]
    ]
    data = {
        "name": "b",
        "issued": "2026-03-16",
        "period": {"from": "2026-03-09", "to": "2026-03-15", "as_of": "2026-03-16"},
        "articles": [{"id": "a", "title": "A", "source": "", "url": None, "published": None}],
        "upcoming": upcoming,
    }
    assert "BEGIN:VCALENDAR" in render_ics(data)
    timeline_svg(upcoming, as_of="2026-03-16")


# --- output and memory bounded -----------------------------------------------------------------


def test_every_field_is_capped_and_the_cut_reported(tmp_path: Path) -> None:
    record = {
        "id": "i" * 2_000_000,
        "title": "t" * 100_000,
        "source": "s" * 100_000,
        "url": "https://example.com/" + "u" * 100_000,
        "text": "Some text.",
    }
    (tmp_path / "big.json").write_text(json.dumps(record))
    [article] = ingest([tmp_path]).articles
    assert len(article.id) <= 200 and len(article.title) <= 300 and len(article.source) <= 200
    assert article.url is None
    notes = " ".join(article.warnings)
    assert "id cut" in notes and "source cut" in notes and "url longer" in notes


def test_junk_items_give_a_counted_note(tmp_path: Path) -> None:
    items = [{"id": "g", "text": "Good."}] + [1] * 200_000
    (tmp_path / "junk.json").write_text(json.dumps(items))
    [src] = ingest([tmp_path]).sources
    assert src.status == "partial"
    assert src.reason is not None and len(src.reason) < 5_000
    assert "and 199,950 more" in src.reason
    assert src.reason.count("not an object") == MAX_NOTES


def test_totals_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "MAX_RECORDS_PER_FILE", 10)
    lines = [json.dumps({"id": str(i), "text": f"Text {i}."}) for i in range(25)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines))
    for i in range(5):
        (tmp_path / f"f{i}.txt").write_text(f"Title {i}\nBody {i}.")
    got = ingest([tmp_path], max_files=4, max_articles=12)
    assert len(got.articles) == 12
    first = got.sources[0]
    assert "15 more records not read" in (first.reason or "")
    assert any("not read" in (s.reason or "") for s in got.sources[1:])
    assert len(got.articles) == sum(len(s.articles) for s in got.sources)


def test_many_notes_are_capped_in_json_and_condensed_in_the_table() -> None:
    from briefgen.render.html import condense

    record = SourceRecord(path="a.jsonl", status="included", reason=None)
    record.notes = [(f"a{i}", "date assumed") for i in range(200_000)]
    record.notes += [(f"b{i}", f"note {i}") for i in range(100)]
    reason = record.full_reason() or ""
    assert reason.endswith("and 199,900 more") and len(reason) < 10_000
    table = condense(record)
    assert table.startswith("date assumed: 200,000 articles (a0, a1, a2 and 199,997 more)")
    assert table.endswith("and 81 other notes") and len(table) < 2_000
    ordinary = SourceRecord(path="b.md", status="partial", reason="file cut")
    ordinary.notes = [("x", "date assumed"), ("y", "url is not an http(s) address, ignored")]
    assert ordinary.full_reason() == (
        "file cut; x: date assumed; y: url is not an http(s) address, ignored"
    )


def test_a_date_does_not_repeat_a_huge_sentence(tmp_path: Path) -> None:
    from dataclasses import replace

    from briefgen.doc import DateExpr
    from briefgen.pipeline import MAX_SENTENCE_CHARS

    (tmp_path / "a.md").write_text(GOOD)
    sentence = "word " * 200_000

    def with_dates(articles: list[Article]) -> tuple[list[Analysis], dict[str, str]]:
        analyses, failed = _stub(articles)
        date = DateExpr("x", 0, 3, "Mon", "DATE", "2026-03-09", "past", sentence, event=sentence)
        for a in analyses:
            a.dates = [replace(date, article=a.article.id)] * 50
        return analyses, failed

    brief = build([tmp_path], analyse_all=with_dates)
    assert all(len(d.sentence) <= MAX_SENTENCE_CHARS for d in brief.dates)
    assert all(len(d.event) <= MAX_SENTENCE_CHARS for d in brief.dates)
    assert "date sentences cut" in (brief.sources[0].full_reason() or "")


def test_pages_of_unclosed_and_stray_tags_give_their_text() -> None:
    from briefgen.ingest.html import read_html

    # Speed is measured by evaluate/bench_hostile.py; here, that such pages still give text.
    stray = "<select>" + "</b>" * 20_000 + "</select>" + "<p>Text.</p>" + "<div>" * 20_000
    assert read_html(stray)["text"] == "Text."
    assert read_html("<p>a<b>" * 20_000)["text"].startswith("a")
    assert read_html("<" * 200_000)["text"] == "<" * 200_000


# --- local files must not leak -----------------------------------------------------------------


def test_links_out_and_special_files_are_listed_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(secret)
    (folder / "inside.md").symlink_to(folder / "good.md")  # a second name: read once
    (folder / "dangling.txt").symlink_to(folder / "nothing")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder link back up the tree
    (folder / "urandom.txt").symlink_to("/dev/urandom")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    with contextlib.suppress(OSError):
        sock.bind(str(folder / "sock.txt"))
    got = ingest([folder])
    reasons = {Path(s.path).name: (s.status, s.reason or "") for s in got.sources}
    assert reasons["good.md"][0] == "included"
    assert "out of the input folder" in reasons["passwd.txt"][1]
    assert "out of the input folder" in reasons["secret.txt"][1]
    assert "dangling" in reasons["dangling.txt"][1]
    assert "loops" in reasons["loop.txt"][1]
    assert "FIFO" in reasons["pipe.txt"][1]
    assert "out of the input folder" in reasons["urandom.txt"][1]
    if (folder / "sock.txt").exists():
        assert "socket" in reasons["sock.txt"][1]
    assert all("SECRET" not in a.text and "root:" not in a.text for a in got.articles)
    sock.close()
    followed = ingest([folder], follow_links=True)
    assert any("SECRET-MARKER" in a.text for a in followed.articles)
    assert "device" in {Path(s.path).name: s.reason or "" for s in followed.sources}["urandom.txt"]


def test_theme_cannot_read_outside_its_folder(tmp_path: Path) -> None:
    from briefgen.evaluate.bench_render import synthetic_brief
    from briefgen.render.data import to_data
    from briefgen.render.html import render_html
    from briefgen.render.options import RenderOptions, TemplateFailure

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-MARKER")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "brief.css").symlink_to(secret)
    brief = synthetic_brief(articles=2)
    html = render_html(brief, to_data(brief), options=RenderOptions(templates=theme))
    assert "SECRET-MARKER" not in html  # the link is ignored: the built-in brief.css is used
    (theme / "brief.css").unlink()
    for include in ["/etc/passwd", "../secret.txt", str(secret)]:
        (theme / "brief.html.j2").write_text(f'{{% include "{include}" %}}')
        with pytest.raises(TemplateFailure):
            render_html(brief, to_data(brief), options=RenderOptions(templates=theme))
    from briefgen.render.fetcher import safe_fetcher

    (theme / "logo.png").symlink_to(secret)
    fetch = safe_fetcher([theme])
    with pytest.raises(ValueError):
        getattr(fetch, "fetch", fetch)((theme / "logo.png").as_uri())


@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' | center(2200000000) }}",
        "{{ 'x' | indent(2200000000) }}",
        "{{ 'x y' | wordwrap(2200000000) }}",
        "{{ '%2200000000s' | format('x') }}",
        "{{ '%2200000000s' % 'x' }}",
        "{{ '{:>2200000000}'.format('x') }}",
        "{{ ('x' * 999999) | replace('x', 'yyyyyyyyyy') }}",
        "{{ 'x'.center(2200000000) }}",
    ],
)
def test_theme_filters_cannot_allocate_gigabytes(tmp_path: Path, body: str) -> None:
    from briefgen.evaluate.bench_render import synthetic_brief
    from briefgen.render.data import to_data
    from briefgen.render.html import render_html
    from briefgen.render.options import RenderOptions, TemplateFailure

    (tmp_path / "brief.html.j2").write_text(body)
    brief = synthetic_brief(articles=1)
    with pytest.raises(TemplateFailure, match="too large"):
        render_html(brief, to_data(brief), options=RenderOptions(templates=tmp_path))


def test_briefgen_toml_in_the_working_folder_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.config import load_config

    (tmp_path / "briefgen.toml").write_text('[render]\ntemplates = "/"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config() == {}
    assert load_config(Path("briefgen.toml"))["templates"] == Path("/")


# --- --out and the cache read defensively ------------------------------------------------------


def test_previous_brief_is_read_defensively(tmp_path: Path) -> None:
    from briefgen.week.changes import find_previous, load

    out = tmp_path / "out"
    out.mkdir()
    good = {
        "schema": "briefgen.brief/1",
        "name": "brief-2026-W10",
        "issued": "2026-03-09",
        "period": {"from": "2026-03-02", "to": "2026-03-08", "as_of": "2026-03-09"},
        "articles": [],
        "actors": [],
        "upcoming": [],
        "risks": [],
    }
    (out / "data.json").write_text("[" * 100_000 + "]" * 100_000)
    (out / "brief-2026-W01.json").write_text("[" * 100_000 + "]" * 100_000)
    (out / "brief-2026-W02.json").write_text(json.dumps({**good, "actors": [{"id": 1}]}))
    (out / "brief-2026-W03.json").write_text("{not json")
    os.mkfifo(out / "brief-2026-W04.json")
    (out / "brief-2026-W05.json").symlink_to("/dev/zero")
    outside = tmp_path / "brief-2026-W06.json"
    outside.write_text(json.dumps(good))
    (out / "brief-2026-W06.json").symlink_to(outside)
    current = {"period": {"from": "2026-03-09"}}
    assert find_previous(out, current=current) is None
    (out / "brief-2026-W10.json").write_text(json.dumps(good))
    assert find_previous(out, current=current) == out / "brief-2026-W10.json"
    assert load(out / "brief-2026-W04.json") is None  # a FIFO does not hang
    assert load(out / "brief-2026-W05.json") is None  # nor does /dev/zero fill memory


def test_name_is_a_name_not_a_path(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    for name in ["../../x", "/tmp/x", "a/b", "..", ".hidden", "a\nb", "a\x1b[31m", ""]:
        with pytest.raises(SystemExit) as exit_:
            _run("build", str(tmp_path), "--out", str(tmp_path / "out"), "--name", name)
        assert exit_.value.code == 2, name


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    from briefgen.render.files import remove_stale_temporaries, write_atomic

    old = tmp_path / ".brief-2026-W11.json.abcd1234"
    old.write_text("partial")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    dead = tmp_path / f".brief-2026-W11.pdf.{2**22 + 12345}.x1y2z3w4"  # no such process
    dead.write_text("partial")
    fresh = tmp_path / ".brief-2026-W11.html.abcd1234"  # maybe a build running now
    fresh.write_text("partial")
    mine = tmp_path / f".brief-2026-W11.md.{os.getpid()}.abcd1234"
    mine.write_text("partial")
    other = tmp_path / ".notes.txt.abcd1234"
    other.write_text("not ours")
    os.utime(other, (0, 0))
    assert sorted(p.name for p in remove_stale_temporaries(tmp_path)) == sorted(
        [old.name, dead.name]
    )
    assert fresh.exists() and mine.exists() and other.exists()
    write_atomic(tmp_path / "x.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".x.json")) == []


# --- control characters never reach an output raw ----------------------------------------------


def test_control_and_bidi_characters_are_kept_out(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    evil = "\n# Injected\n<script>x</script>\u202eevil\u2028\x1b[31m"
    (folder / f"name{evil.replace('/', '')}.md").write_text(
        '---\ntitle: "T\\u202eitle\\x1b[2J\\u2028two"\ndate: 2026-03-10\nsource: "S\\x07rc"\n'
        "---\nThe council met on Monday.\u2028The\u202e vote\x1b[0m is on Friday.\n"
    )
    out = tmp_path / "out"
    code, err = _run(
        "build", str(folder), "--out", str(out), "--format", "md,ics,html,json", "--no-cache"
    )
    assert code == 0, err
    bad = ("\x1b", "\u202e", "\u2028", "\x07")
    for path in out.iterdir():
        text = path.read_text()
        if path.suffix != ".json":  # brief.json keeps the article text verbatim (offsets)
            assert not any(ch in text for ch in bad), path.name
    md = next(out.glob("*.md")).read_text()
    assert "\n# Injected" not in md and "<script>" not in md
    assert not any(ch in err for ch in bad)
    data = json.loads(next(out.glob("*.json")).read_text())
    assert data["articles"][0]["title"] == "T itle [2J two"  # the escape itself is gone
    assert data["articles"][0]["source"] == "S rc"


def test_max_articles_bounds_the_total_and_says_what_it_left(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    records = [
        {"id": f"r{i}", "title": f"Item {i}", "date": "2026-03-10", "text": "The council met."}
        for i in range(5)
    ]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "out"
    code, err = _run(
        "build",
        str(folder),
        "--out",
        str(out),
        "--format",
        "json",
        "--no-cache",
        "--max-articles",
        "3",
    )
    assert code == 0, err
    data = json.loads(next(out.glob("*.json")).read_text())
    assert len(data["articles"]) == 3
    (source,) = data["sources"]
    assert "2 articles not read: 3 in all" in (source["reason"] or "")
