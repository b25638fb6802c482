"""Build the brief from seeds/ and from the shared seed article, as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.cli import main

from .conftest import ROOT, SECTIONS, shared_path
from .schema import check_brief


def _texts(paths: list[Path]) -> dict[str, str]:
    from briefgen.ingest import ingest

    return {a.id: a.text for a in ingest(paths).articles}


@pytest.fixture(scope="module")
def seed_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert (
        main(["build", str(ROOT / "seeds"), "--out", str(out), "--format", "html,pdf,json,md,ics"])
        == 0
    )
    return out


def test_writes_every_format(seed_brief: Path) -> None:
    names = sorted(p.name for p in seed_brief.iterdir())
    assert names == [
        f"brief-2026-W47.{ext}"
        for ext in sorted(["html", "pdf", "json", "md", "ics", "sources.html"])  # html's companion
    ]


def test_json_matches_schema_and_offsets(seed_brief: Path) -> None:
    data = json.loads((seed_brief / "brief-2026-W47.json").read_text())
    check_brief(data, _texts([ROOT / "seeds"]))
    assert data["period"] == {"from": "2026-11-16", "to": "2026-11-22", "as_of": "2026-11-23"}
    assert len(data["articles"]) == 8


def test_pdf_has_sections_and_a_known_actor_date_and_risk(seed_brief: Path) -> None:
    reader = PdfReader(seed_brief / "brief-2026-W47.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    for section in SECTIONS:
        assert section in text
    assert "Elena Marchetti" in text
    assert "Thu 3 Dec" in text  # the ministerial meeting on December 3
    assert "warned" in text
    assert len(reader.pages) >= 3


def test_shared_seed_article(tmp_path: Path) -> None:
    seeds = shared_path("seeds")
    code = main(
        [
            "build",
            str(seeds),
            "--out",
            str(tmp_path),
            "--format",
            "json",
            "--default-date",
            "2025-09-16",
            "--as-of",
            "2025-09-16",
        ]
    )
    assert code == 0
    data = json.loads((tmp_path / "brief-2025-W38.json").read_text())
    check_brief(data, _texts([seeds]) | {})
    names = {a["name"] for a in data["actors"]}
    for person in [
        "Donald Trump",
        "Mark Carney",
        "Dominic LeBlanc",
        "Howard Lutnick",
        "Claudia Sheinbaum",
    ]:
        assert person in names
    upcoming = {u["value"] for u in data["upcoming"]}
    assert {"2025-09-18", "2025-11-01"} <= upcoming
    assert not any(u["text"] in {"May", "51st State"} for u in data["upcoming"])
    assert not any(d["text"] == "51st State" for d in data["dates"])


def test_nothing_usable_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("")
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("briefgen: no usable articles")


def test_glance_leads_with_stories_and_also_reported_by(seed_brief: Path) -> None:
    data = json.loads((seed_brief / "brief-2026-W47.json").read_text())
    top = data["stories"][0]
    # The steel talks develop over the week: the same-day reports and the days around them.
    assert {"cdw-2026-11-19-ottawa-steel", "mbd-2026-11-19-steel"} <= set(top["articles"])
    assert len({a["published"] for a in data["articles"] if a["id"] in top["articles"]}) > 1
    assert top["also_reported_by"]
    html = (seed_brief / "brief-2026-W47.html").read_text()
    glance = html[html.index('id="glance"') : html.index('id="actors"')]
    assert "Also reported by " + top["also_reported_by"][0] in glance
