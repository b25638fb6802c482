"""User templates: lookup order, block overrides, ``templates init``, sandbox and error messages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.doc import Brief
from briefgen.evaluate.bench_render import synthetic_brief
from briefgen.render.data import to_data
from briefgen.render.html import render_html
from briefgen.render.markdown import render_markdown
from briefgen.render.options import BUILTIN_TEMPLATES, RenderOptions, TemplateFailure


def _brief() -> Brief:
    return synthetic_brief(articles=3)


def _html(brief: Brief, templates: Path | None = None) -> str:
    options = RenderOptions(templates=templates, appendix="full")
    return render_html(brief, to_data(brief), options=options)


def test_builtin_theme_has_every_section_block() -> None:
    html = _html(_brief())
    for section in ["glance", "actors", "upcoming", "risks", "articles", "sources"]:
        assert f'id="{section}"' in html
    assert "<title>Weekly brief: 16–22 November 2026</title>" in html
    assert ">Week 47 · 2026</p>" in html


def test_override_by_file(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text(
        "<h1>{{ brief.articles | length }} stories</h1>{% for a in brief.articles %}"
        "<p>{{ a.title }}</p>{% endfor %}"
    )
    html = _html(_brief(), tmp_path)
    assert html.startswith("<h1>3 stories</h1>")
    assert 'id="actors"' not in html


def test_override_an_included_file_only(tmp_path: Path) -> None:
    (tmp_path / "brief.css").write_text("body { color: rebeccapurple; }")
    html = _html(_brief(), tmp_path)
    assert "rebeccapurple" in html
    assert "bookmark-level" not in html  # the built-in stylesheet is replaced, not added to
    assert 'id="risks"' in html  # the built-in layout is still used


def test_override_by_block(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}\n'
        "{% block title %}Steel desk: {{ brief.period['from'] | longdate }}{% endblock %}\n"
        '{% block risks %}<section id="risks"><h2>Watch list</h2>'
        "{% for r in brief.risks[:2] %}<p>{{ r.text }} {{ m.cite(r.article) }}</p>{% endfor %}"
        "</section>{% endblock %}\n"
    )
    html = _html(_brief(), tmp_path)
    assert "<title>Steel desk: 16 November 2026</title>" in html
    assert ">Steel desk: 16 November 2026</h1>" in html  # the cover shows the same title
    assert "<h2>Watch list</h2>" in html and "<h2>Open risks</h2>" not in html
    assert 'id="actors"' in html and 'id="upcoming"' in html  # other blocks untouched


def test_builtin_templates_are_strict(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}{% block glance %}{{ brief.nonsense }}{% endblock %}'
    )
    with pytest.raises(TemplateFailure, match=r"brief\.html\.j2:1: .*nonsense"):
        _html(_brief(), tmp_path)


def test_templates_init_copies_the_theme_and_keeps_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "theme"
    assert main(["templates", "init", str(target)]) == 0
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted(p.name for p in BUILTIN_TEMPLATES.iterdir() if p.is_file())
    assert "brief.html.j2" in names and "brief.css" in names
    (target / "brief.css").write_text("/* mine */")
    assert main(["templates", "init", str(target)]) == 0
    assert (target / "brief.css").read_text() == "/* mine */"
    assert "kept existing" in capsys.readouterr().err
    assert "/* mine */" in _html(_brief(), target)


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "brief.__class__",
        "brief.articles.__class__.__subclasses__()",
        "cycler.__init__.__globals__",
        "source_url.__globals__",
        "brief.articles.append(1)",
        "brief.period.update({'from': 'x'})",
        "'x' * 100000000",
        "2 ** 100000",
    ],
)
def test_sandbox_refuses_python_internals(tmp_path: Path, expression: str) -> None:
    (tmp_path / "brief.html.j2").write_text("ok\n{{ " + expression + " }}\n")
    with pytest.raises(TemplateFailure) as failure:
        _html(_brief(), tmp_path)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'brief.html.j2'}:2: ") or message.startswith(
        "brief.html.j2:2: "
    ), message


def _hostile() -> Brief:
    brief = _brief()
    first = brief.analyses[0]
    first.article = dataclasses.replace(
        first.article,
        title="<script>alert('t')</script> & {{ 7*7 }}",
        source="<b>Outlet</b>",
        url="javascript:alert(1)",
    )
    first.summary[0] = dataclasses.replace(first.summary[0], text="<img src=x onerror=alert(1)>")
    return brief


def test_markup_in_titles_and_text_stays_text() -> None:
    html = _html(_hostile())
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Outlet" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; {{ 7*7 }}" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html  # only http(s) links reach the brief


def test_markup_stays_text_in_markdown() -> None:
    md = render_markdown(to_data(_hostile()))
    assert "<script>" not in md and "\\<script\\>" in md
    assert "javascript:" not in md


def _build(tmp_path: Path, *extra: str) -> int:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    return main(
        ["build", str(seeds / "wire-2026-11-19.jsonl"), "--out", str(tmp_path / "out"), *extra]
    )


@pytest.mark.parametrize(
    ("body", "line", "what"),
    [
        ("<p>\n{% for a in brief.articles %}\n{{ a.title }\n{% endfor %}", 3, "syntax error"),
        ("<p>\n\n\n{{ brief.missing_field }}", 4, "missing_field"),
        ("<p>\n{{ 1 / 0 }}", 2, "division by zero"),
        (
            '{% extends "default:brief.html.j2" %}\n{% block toc %}{% include "nope.j2" %}{% endblock %}',
            2,
            "nope.j2",
        ),
        ("<p>\n{{ ''.__class__.__mro__ }}", 2, "unsafe"),
    ],
)
def test_broken_template_fails_the_build_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, what: str
) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "brief.html.j2").write_text(body)
    assert _build(tmp_path, "--templates", str(theme), "--format", "html,json") != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"briefgen: {theme / 'brief.html.j2'}:{line}: "), err[0]
    assert what in err[0]
    assert "Traceback" not in err[0]
    assert not (tmp_path / "out" / "brief-2026-W47.html").exists()


def test_config_file_sets_templates_paper_and_author(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "brief.html.j2").write_text(
        '{% extends "default:brief.html.j2" %}{% block kicker %}Desk{% endblock %}'
    )
    config = tmp_path / "briefgen.toml"
    config.write_text('[render]\ntemplates = "theme"\npaper = "letter"\nauthor = "Desk A"\n')
    assert _build(tmp_path, "--config", str(config), "--format", "html") == 0
    html = (tmp_path / "out" / "brief-2026-W47.html").read_text()
    assert ">Desk</p>" in html
    assert "size: letter" in html
    assert '<meta name="author" content="Desk A">' in html
    assert _build(tmp_path, "--config", str(config), "--format", "html", "--paper", "a4") == 0
    assert "size: A4" in (tmp_path / "out" / "brief-2026-W47.html").read_text()


def test_config_file_typo_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "briefgen.toml"
    config.write_text('[render]\npapper = "letter"\n')
    assert _build(tmp_path, "--config", str(config), "--format", "html") == 2
    assert "unknown [render] setting 'papper'" in capsys.readouterr().err


def test_example_theme_overrides_blocks_and_keeps_the_rest() -> None:
    theme = Path(__file__).resolve().parents[2] / "examples" / "minimal-theme"
    html = _html(_brief(), theme)
    assert "<title>Trade desk weekly · 16–22 November 2026</title>" in html
    assert 'class="desk-risks"' in html and "#17463a" in html
    assert 'id="actors"' in html and "bookmark-level" in html  # built-in blocks and CSS remain


def test_endless_template_is_stopped(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text(
        "<p>\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    brief = _brief()
    with pytest.raises(TemplateFailure, match=r"brief\.html\.j2:2: template still running"):
        render_html(brief, to_data(brief), templates=tmp_path, time_limit=0.5)


def test_self_extending_template_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "brief.html.j2").write_text('{% extends "brief.html.j2" %}')
    with pytest.raises(TemplateFailure, match="endless recursion"):
        _html(_brief(), tmp_path)
