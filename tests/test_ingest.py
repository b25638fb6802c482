import json
from pathlib import Path

from briefgen.ingest import ingest


def test_markdown_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Steel talks\ndate: 2025-09-16\nsource: Ledger\nid: x1\n---\nBody text here.\n"
    )
    got = ingest([tmp_path])
    [a] = got.articles
    assert (a.id, a.title, a.source, a.published.isoformat()) == (
        "x1",
        "Steel talks",
        "Ledger",
        "2025-09-16",
    )
    assert a.text == "Body text here.\n"


def test_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "1", "title": "One", "text": "Hello world.", "date": "2025-09-15"}),
        "{not json",
        json.dumps({"id": "2", "title": "Two"}),
        json.dumps({"id": "3", "text": "Third text.", "date": "not a date"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    got = ingest([tmp_path / "feed.jsonl"])
    assert [a.id for a in got.articles] == ["1", "3"]
    [src] = got.sources
    assert src.status == "partial"
    assert "line 2" in src.reason and "line 3: missing text" in src.reason
    assert got.articles[1].published is None


def test_json_text_is_verbatim(tmp_path: Path) -> None:
    text = "  Leading spaces\r\nand CRLF — kept.  "
    (tmp_path / "a.json").write_text(json.dumps([{"id": "j", "text": text}]))
    [a] = ingest([tmp_path]).articles
    assert a.text == text


def test_bad_files_are_listed_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "good.txt").write_text("A title\nSome body text.")
    got = ingest([tmp_path])
    status = {Path(s.path).name: s.status for s in got.sources}
    assert status == {"empty.txt": "skipped", "bin.txt": "skipped", "good.txt": "included"}
    assert len(got.articles) == 1


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        json.dumps([{"id": "d", "text": "one"}, {"id": "d", "text": "two"}])
    )
    got = ingest([tmp_path])
    assert [a.text for a in got.articles] == ["one"]
    assert "duplicate id" in got.sources[0].reason
