"""Headlines for articles that came without one."""

from __future__ import annotations

from pathlib import Path

from briefgen.doc import Article
from briefgen.ingest import read_file
from briefgen.ingest.headline import first_line_title, headline


def test_a_headline_is_the_title_or_the_lead_without_its_dateline() -> None:
    titled = Article(id="a", title="Inspectors find cracks in dam", text="ORSOVA -- Text.")
    assert headline(titled) == "Inspectors find cracks in dam"
    lead = (
        "HAVANA (AP) -- Cuba's government said on Friday it would free the boy's relatives, "
        "after weeks of talks with officials in Washington and Miami over the future of the case."
    )
    for title in ("HAVANA (AP) --", lead[:117] + "..."):
        made = headline(Article(id="b", title=title, text=lead))
        assert made == "Cuba's government said on Friday it would free the boy's relatives"
    cnn = "(CNN)Deputies rushed the man from court Thursday. He was later charged."
    assert headline(Article(id="c", title=cnn[:60], text=cnn)) == (
        "Deputies rushed the man from court Thursday"
    )
    initials = "Blues legend B.B. King was taken to hospital. He is well."
    assert headline(Article(id="d", title=initials, text=initials)).endswith(
        "B.B. King was taken to hospital"
    )


def test_a_first_line_that_reads_as_a_headline_is_the_title() -> None:
    assert first_line_title("# Dam repairs start\n\nCrews arrived on Monday.") == (
        "Dam repairs start"
    )


def test_a_dateline_paragraph_is_not_a_title_its_lead_makes_one() -> None:
    text = (
        "WASHINGTON, D.C. — Recent trade negotiations between Canada and the United States "
        "have seen little progress, as attention shifts toward Mexico. Officials met twice."
    )
    made = first_line_title(text)
    assert made == (
        "Recent trade negotiations between Canada and the United States have seen little progress"
    )
    assert not made.endswith(("...", "…"))
    byline = "By . Jane Doe . PUBLISHED: . 12:01, 3 May 2014 . | . UPDATED: . 13:00, 3 May 2014 . "
    assert first_line_title(byline + "The mayor resigned on Friday. More later.") == (
        "The mayor resigned on Friday"
    )
    assert first_line_title("  \n\n") == ""


def test_a_text_file_without_a_title_is_given_a_headline(tmp_path: Path) -> None:
    (tmp_path / "wire.txt").write_text(
        "OTTAWA — Canada's steelmakers warned on Wednesday that Ottawa could end up with a bad "
        "bargain if it rushes to meet Washington's deadline, even as they urged a deal.\n",
        encoding="utf-8",
    )
    (article,), _ = read_file(tmp_path / "wire.txt")
    assert article.title == (
        "Canada's steelmakers warned on Wednesday that Ottawa could end up with a bad bargain if it "
        "rushes to meet Washington's deadline"
    )


def test_the_first_line_is_read_as_the_whole_text_split_would_read_it() -> None:
    from briefgen.ingest.headline import _first_line

    for text in [
        "",
        "\n\n",
        "  One line  ",
        "\n  # Head \nbody\n",
        "Head  \n\n",
        "##\n",
        "a\tb\r\nc",
    ]:
        expected = " ".join(text.strip().split("\n", 1)[0].lstrip("#").split())
        assert " ".join(_first_line(text).lstrip("#").split()) == expected


def test_a_line_starts_with_a_title_as_its_whole_words_would() -> None:
    from briefgen.ingest.headline import _line_starts_with

    long_line = "# Dam  repairs\tstart " + "word " * 500
    for line in [long_line, "", "##", "#" * 300 + " Dam repairs", "Dam", "Dam repairs start"]:
        for prefix in ["", "Dam", "Dam repairs start", "Dam repairs start word word", "Da"]:
            expected = " ".join(line.lstrip("#").split()).startswith(prefix)
            assert _line_starts_with(line, prefix) == expected, (line[:40], prefix)
