import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from briefgen.doc import Analysis, Article, DateExpr, Mention, Quote, Risk, SummarySentence
from briefgen.engine.cache import (
    AnalysisCache,
    analysis_from_json,
    analysis_to_json,
    cache_dir,
    pipeline_version,
)

if TYPE_CHECKING:
    from briefgen.render.pdf import PdfCache

TEXT = "Mayor Ana Ruiz said the bridge may close on Friday. Talks resume next week."


def _article(text: str = TEXT, **kw: object) -> Article:
    fields: dict[str, object] = {
        "id": "a1",
        "title": "Bridge",
        "text": text,
        "published": dt.date(2026, 11, 17),
        "source": "Desk",
        "url": None,
        "path": "in/a1.md",
        "warnings": ("date assumed",),
    }
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


def _analysis(article: Article) -> Analysis:
    return Analysis(
        article=article,
        sentence_count=2,
        summary=[SummarySentence(start=0, end=52, text=article.text[:52], score=0.75)],
        mentions=[Mention("a1", 6, 14, "Ana Ruiz", "PERSON", role="Mayor", subject=True)],
        quotes=[Quote("a1", 0, 52, article.text[:52], speaker="Ana Ruiz")],
        dates=[
            DateExpr(
                "a1", 43, 52, "on Friday", "DATE", "2026-11-20", "future", "s", window_end=None
            )
        ],
        risks=[
            Risk(
                "a1",
                0,
                52,
                article.text[:52],
                1.5,
                ("may",),
                actors=("Ana Ruiz",),
                also=(("a2", 10, 30, "the bridge may close"),),
                clause=(0, 52),
            )
        ],
    )


def test_analysis_round_trips_through_json() -> None:
    analysis = _analysis(_article())
    data = json.loads(json.dumps(analysis_to_json(analysis)))
    back = analysis_from_json(data)
    assert back == analysis
    assert isinstance(back.article.published, dt.date)
    assert back.risks[0].cues == ("may",) and back.article.warnings == ("date assumed",)


def test_a_fixed_length_tuple_reads_back_place_by_place(tmp_path: Path) -> None:
    # Risk.also is tuple[str, int, int, str]: an entry holding one once never read back, so
    # every article with a risk said twice was analysed again on each warm build.
    cache = AnalysisCache(version="v1", root=tmp_path)
    analysis = _analysis(_article())
    cache.put(analysis)
    back = cache.get(analysis.article)
    assert back is not None and back.risks[0].also == (("a2", 10, 30, "the bridge may close"),)
    with pytest.raises(ValueError):
        analysis_from_json({**analysis_to_json(analysis), "risks": [{"also": [["a2", 10]]}]})


@pytest.mark.parametrize(
    "bad",
    [
        {"article": "nope"},
        [],
        {"sentence_count": 1},
    ],
)
def test_malformed_data_is_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError, KeyError)):
        analysis_from_json(bad)


def test_put_then_get_and_misses(tmp_path: Path) -> None:
    cache = AnalysisCache(version="v1", root=tmp_path)
    article = _article()
    assert cache.get(article) is None
    cache.put(_analysis(article))
    assert cache.get(article) == _analysis(article)
    assert cache.get(_article(TEXT + " More.")) is None  # content changed
    assert cache.get(_article(published=dt.date(2026, 11, 18))) is None  # metadata changed
    assert AnalysisCache(version="v2", root=tmp_path).get(article) is None  # code changed


def test_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = AnalysisCache(version="v1", root=tmp_path)
    article = _article()
    cache.put(_analysis(article))
    cache.path(article).write_text("{not json")
    assert cache.get(article) is None
    cache.path(article).write_text(json.dumps({"article": 1}))
    assert cache.get(article) is None


def test_entry_for_another_article_is_a_miss(tmp_path: Path) -> None:
    cache = AnalysisCache(version="v1", root=tmp_path)
    article, other = _article(), _article(id="b2")
    cache.put(_analysis(other))
    cache.path(article).parent.mkdir(parents=True, exist_ok=True)
    cache.path(article).write_text(cache.path(other).read_text())
    assert cache.get(article) is None


def test_version_depends_on_settings_and_model() -> None:
    a = pipeline_version(model=None, settings={"summary_sentences": 3})
    assert a == pipeline_version(model=None, settings={"summary_sentences": 3})
    assert a != pipeline_version(model=None, settings={"summary_sentences": 4})
    assert a != pipeline_version(model="en_core_web_md", settings={"summary_sentences": 3})


def test_cache_dir_honours_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "briefgen"


def test_prune_keeps_recent_versions(tmp_path: Path) -> None:
    for i in range(6):
        c = AnalysisCache(version=f"v{i}", root=tmp_path)
        c.put(_analysis(_article()))
        c.prune(keep=3)
    left = sorted(p.name for p in (tmp_path / "analysis").iterdir())
    assert len(left) == 3 and "v5" in left


def test_pdf_is_rendered_once_per_html(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from briefgen.render import pdf as pdf_module
    from briefgen.render.options import RenderOptions
    from briefgen.render.pdf import PdfCache

    calls: list[str] = []

    def fake(html: str, *, options: object = None) -> bytes:
        calls.append(html)
        return _pdf(html)

    monkeypatch.setattr(pdf_module, "render_pdf", fake)
    pdfs = PdfCache(root=tmp_path, keep=2)
    assert pdfs.render("<p>a</p>") == _pdf("<p>a</p>")
    assert pdfs.render("<p>a</p>") == _pdf("<p>a</p>")
    assert calls == ["<p>a</p>"]
    pdfs.render("<p>b</p>")
    pdfs.render("<p>c</p>")
    assert len(list((tmp_path / "pdf").glob("*.pdf"))) == 2
    templates = tmp_path / "theme"
    templates.mkdir()
    (templates / "brief.css").write_text("p { color: red }")
    pdfs.render("<p>c</p>", options=RenderOptions(templates=templates))
    assert calls[-1] == "<p>c</p>" and len(calls) == 4  # other templates, other PDF


def _pdf(title: str) -> bytes:
    """A small, whole PDF (one blank page) whose metadata says ``title``."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _cached_pdf(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple["PdfCache", list[str], bytes, Path]:
    """A PDF cache whose renderer counts its calls, with one PDF rendered and stored."""
    from briefgen.render import pdf as pdf_module
    from briefgen.render.pdf import PdfCache

    calls: list[str] = []

    def fake(html: str, *, options: object = None) -> bytes:
        calls.append(html)
        return _pdf(html)

    monkeypatch.setattr(pdf_module, "render_pdf", fake)
    pdfs = PdfCache(root=tmp_path)
    good = pdfs.render("<p>a</p>")
    [entry] = (tmp_path / "pdf").glob("*.pdf")
    return pdfs, calls, good, entry


def test_a_bad_cached_pdf_is_removed_and_rendered_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefgen.render.options import RenderOptions

    pdfs, calls, good, entry = _cached_pdf(monkeypatch, tmp_path)
    for bad in (good[: len(good) // 2], good[:-40] + b"\n%%EOF\n", b"%PDF-1.7\n%%EOF"):
        entry.write_bytes(bad)
        assert pdfs.render("<p>a</p>") == good  # rendered again, not served truncated
        assert entry.read_bytes() == good
    assert len(calls) == 4
    assert pdfs.key("<p>a</p>", RenderOptions()) == entry.stem


def test_a_cached_pdf_is_served_only_as_it_was_stored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pdfs, calls, good, entry = _cached_pdf(monkeypatch, tmp_path)
    digest = entry.with_suffix(".sha256")
    assert digest.exists()
    # Still a whole PDF to pypdf, but not the one stored: a byte of its title changed.
    changed = good.replace(b"\\076a\\074", b"\\076b\\074")
    assert changed != good
    entry.write_bytes(changed)
    assert pdfs.render("<p>a</p>") == good and len(calls) == 2
    # An entry stored without a digest (an older briefgen) is checked by reading it instead,
    # and served; its digest is written then.
    digest.unlink()
    assert pdfs.render("<p>a</p>") == good and len(calls) == 2
    assert digest.exists()
    for bad in ("", "not hex", "\udcff"):
        digest.write_text(bad, errors="surrogateescape")
        assert pdfs.render("<p>a</p>") == good
    assert len(calls) == 4  # an empty or foreign digest: rendered again, not served unchecked


def test_a_nested_or_foreign_analysis_entry_is_a_miss_and_removed(tmp_path: Path) -> None:
    article = Article(id="a", title="A", text="Some text.")
    cache = AnalysisCache(version="v1", root=tmp_path)
    path = cache.path(article)
    path.parent.mkdir(parents=True)
    for bad in ("[" * 100_000 + "]" * 100_000, '{"article": ' * 5_000, "\x00\xff", "{}"):
        path.write_text(bad, encoding="utf-8", errors="surrogateescape")
        assert cache.get(article) is None
        assert not path.exists()


def test_a_file_name_of_any_bytes_has_a_cache_key() -> None:
    from briefgen.engine.cache import article_key

    article = Article(id="a", title="caf\udce9", text="x\udce9", path="/in/caf\udce9.txt")
    assert len(article_key(article, "v1")) == 64


def test_the_compiled_reader_gives_what_the_generic_one_gives() -> None:
    from briefgen.engine.cache import _dataclass_reader

    data = json.loads(json.dumps(analysis_to_json(_analysis(_article()))))
    fast, slow = analysis_from_json(data), _dataclass_reader(Analysis)(data)
    assert fast == slow
    assert type(fast.risks[0].cues) is tuple and type(fast.summary) is list
    # A whole-number score is a float either way; a default left out is filled in either way.
    data["summary"][0]["score"] = 1
    del data["mentions"][0]["thing"]
    back = analysis_from_json(data)
    assert back.summary[0].score == 1.0 and type(back.summary[0].score) is float
    assert back.mentions[0].thing is False


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("sentence_count", True),  # a bool is not an int
        ("sentence_count", "2"),
        ("mentions", {"a": 1}),
        ("summary", [{"start": 0, "end": 1, "text": "x", "score": "high"}]),
    ],
)
def test_the_compiled_reader_refuses_what_the_generic_one_refuses(
    where: str, value: object
) -> None:
    data = json.loads(json.dumps(analysis_to_json(_analysis(_article()))))
    data[where] = value
    with pytest.raises(ValueError):
        analysis_from_json(data)
    data = json.loads(json.dumps(analysis_to_json(_analysis(_article()))))
    data["mentions"][0]["type"] = "PLANET"  # not an ActorType
    with pytest.raises(ValueError):
        analysis_from_json(data)
    data["mentions"][0] = {**data["mentions"][0], "type": "ORG", "colour": "red"}
    with pytest.raises(ValueError):
        analysis_from_json(data)


def _package(root: Path) -> Path:
    (root / "article").mkdir(parents=True)
    (root / "article" / "__init__.py").write_text("from briefgen.stage import x\n")
    (root / "stage.py").write_text("x = 1\n")
    (root / "render.py").write_text("y = 1\n")
    return root


def test_the_source_hash_follows_the_stages_and_not_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefgen.engine import cache

    package = _package(tmp_path / "briefgen")
    monkeypatch.setattr(cache, "_PACKAGE", package)

    def fresh() -> str:
        cache.source_hash.cache_clear()
        return cache.source_hash()

    try:
        first = fresh()
        assert (cache.cache_dir() / cache.SOURCE_MEMO).exists()
        assert fresh() == first  # from the memo
        (package / "render.py").write_text("y = 2\n")
        assert fresh() == first  # a renderer: the analyses stand
        (package / "stage.py").write_text("x = 2\n")
        second = fresh()
        assert second != first  # a stage: they do not
        (package / "stage.py").write_text("x = 1\n")
        assert fresh() == first
    finally:
        cache.source_hash.cache_clear()


def test_a_memo_that_does_not_fit_is_walked_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefgen.engine import cache

    monkeypatch.setattr(cache, "_PACKAGE", _package(tmp_path / "briefgen"))
    memo = cache.cache_dir() / cache.SOURCE_MEMO
    try:
        cache.source_hash.cache_clear()
        right = cache.source_hash()
        assert json.loads(memo.read_text())["analysis"] == right
        for bad in ("{", "[]", json.dumps({"package": "x", "analysis": "0" * 64}), "\x00"):
            memo.write_text(bad)
            cache.source_hash.cache_clear()
            assert cache.source_hash() == right
        memo.write_text(json.dumps({**json.loads(memo.read_text()), "analysis": "zz"}))
        cache.source_hash.cache_clear()
        assert cache.source_hash() == right
    finally:
        cache.source_hash.cache_clear()


def test_an_entry_is_the_key_and_the_findings_without_the_article(tmp_path: Path) -> None:
    cache = AnalysisCache(version="v1", root=tmp_path)
    article = _article()
    cache.put(_analysis(article))
    entry = json.loads(cache.path(article).read_text())
    assert entry[0] == cache.path(article).stem and TEXT not in json.dumps(entry)
    back = cache.get(article)
    assert back == _analysis(article) and back is not None and back.article is article
    assert type(back.risks[0].also[0]) is tuple and type(back.summary[0].score) is float


@pytest.mark.parametrize(
    "spoil",
    [
        lambda rows: rows[2][0].__setitem__(1, "6"),  # a mention's start as text
        lambda rows: rows[2][0].append(None),  # a field too many
        lambda rows: rows[2][0].pop(),  # a field too few
        lambda rows: rows[2].__setitem__(0, {"start": 6}),  # an object, not a row
        lambda rows: rows[5][0].__setitem__(13, [0]),  # a clause of one offset
        lambda rows: rows.pop(),  # a stage too few
    ],
)
def test_a_row_that_does_not_fit_is_a_miss_and_removed(
    tmp_path: Path, spoil: Callable[[list[Any]], None]
) -> None:
    cache = AnalysisCache(version="v1", root=tmp_path)
    article = _article()
    cache.put(_analysis(article))
    path = cache.path(article)
    key, rows = json.loads(path.read_text())
    spoil(rows)
    path.write_text(json.dumps([key, rows]))
    assert cache.get(article) is None
    assert not path.exists()


def test_stems_are_kept_between_builds_and_a_bad_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen import words
    from briefgen.engine.cache import StemCache

    monkeypatch.setattr(words, "_STEMS", {})
    first = StemCache(root=tmp_path)
    first.load()  # nothing there yet
    assert words.stem("warnings") == "warn"
    first.save()
    assert json.loads(first.path.read_text(encoding="utf-8")) == {"warnings": "warn"}

    # The next build takes the stems from the file, not from the stemmer.
    monkeypatch.setattr(words, "_STEMS", {})
    monkeypatch.setattr(words, "_stemmer", lambda: pytest.fail("stemmed again"))
    StemCache(root=tmp_path).load()
    assert words.stem("warnings") == "warn"

    for bad in (b"{not json", b'{"warnings": 3}', b"[]", b"\xff\xfe"):
        first.path.write_bytes(bad)
        monkeypatch.setattr(words, "_STEMS", {})
        StemCache(root=tmp_path).load()
        assert words.known_stems() == {}
