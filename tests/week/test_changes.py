import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from briefgen.cli import main
from briefgen.week import changes
from tests.conftest import ROOT


def _brief(
    name: str, start: str, end: str, *, actors: list[Any], risks: list[Any], upcoming: list[Any]
) -> dict[str, Any]:
    as_of = (dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat()
    return {
        "schema": "briefgen.brief/1",
        "name": name,
        "issued": as_of,
        "period": {"from": start, "to": end, "as_of": as_of},
        "articles": [{"id": "x", "title": "An article"}],
        "actors": actors,
        "dates": [],
        "upcoming": upcoming,
        "risks": risks,
        "sources": [],
    }


def _actor(i: str, name: str, aliases: list[str] | None = None) -> dict[str, Any]:
    return {"id": i, "name": name, "type": "PERSON", "role": None, "aliases": aliases or []}


def _risk(text: str, actors: list[str] | None = None) -> dict[str, Any]:
    return {"article": "x", "text": text, "start": 0, "end": len(text), "score": 1.0,
            "cues": ["may"], "actors": actors or []}  # fmt: skip


def _date(value: str, event: str) -> dict[str, Any]:
    return {"value": value, "text": value, "event": event, "article": "x", "start": 0, "end": 1}


PREVIOUS = _brief(
    "brief-2026-W46",
    "2026-11-09",
    "2026-11-15",
    actors=[_actor("ruiz", "Ana Ruiz", ["Ruiz"]), _actor("bank", "Bank of Ostria")],
    risks=[
        _risk("The Kelbrook bridge may close if repairs are delayed.", ["ruiz"]),
        _risk("Dock workers could strike over pensions."),
    ],
    upcoming=[
        _date("2026-11-18", "ministers meet in Veltmouth"),
        _date("2026-12-03", "ministerial meeting on the review"),
        _date("2026-W46", "budget vote"),
        _date("2026-11", "a vote later this month"),
    ],
)
CURRENT = _brief(
    "brief-2026-W47",
    "2026-11-16",
    "2026-11-22",
    actors=[_actor("ruiz", "Mayor Ruiz", ["Ruiz"]), _actor("brix", "Lena Brix")],
    risks=[
        _risk("Repairs are delayed, so the Kelbrook bridge may close by spring.", ["ruiz"]),
        _risk("Inflation may persist into next year, Brix warned.", ["brix"]),
    ],
    upcoming=[
        _date("2026-12-03", "ministerial meeting on the review"),
        _date("2026-12-10", "rate decision"),
    ],
)


def test_new_actors_match_by_name_or_alias() -> None:
    got = changes.new_actors(PREVIOUS, CURRENT)
    assert [a["name"] for a in got] == ["Lena Brix"]


def test_new_and_dropped_risks() -> None:
    c = changes.compare(PREVIOUS, CURRENT)
    assert [r["text"] for r in c["new_risks"]] == [
        "Inflation may persist into next year, Brix warned."
    ]
    assert [r["text"] for r in c["dropped_risks"]] == ["Dock workers could strike over pensions."]
    assert c["dropped_risks"][0]["title"] == "An article"


def test_dates_added_and_passed() -> None:
    c = changes.compare(PREVIOUS, CURRENT)
    assert [d["value"] for d in c["dates_added"]] == ["2026-12-10"]
    # as_of of the current brief is 2026-11-23: the 18th and week 46 are over, November is not.
    assert [d["value"] for d in c["dates_passed"]] == ["2026-11-18", "2026-W46"]
    assert c["previous"]["name"] == "brief-2026-W46"


def test_no_change_against_itself() -> None:
    c = changes.compare(CURRENT, copy.deepcopy(CURRENT))
    assert c["new_actors"] == c["new_risks"] == c["dropped_risks"] == c["dates_added"] == []


def test_last_day_of_timex_values() -> None:
    assert changes.last_day("2026-11-18") == dt.date(2026, 11, 18)
    assert changes.last_day("2026-W47") == dt.date(2026, 11, 22)
    assert changes.last_day("2026-02") == dt.date(2026, 2, 28)
    assert changes.last_day("2026") == dt.date(2026, 12, 31)
    assert changes.last_day("FUTURE_REF") is None


def test_find_previous_takes_the_latest_earlier_brief(tmp_path: Path) -> None:
    older = _brief("brief-2026-W45", "2026-11-02", "2026-11-08", actors=[], risks=[], upcoming=[])
    for data in (older, PREVIOUS, CURRENT):
        (tmp_path / f"{data['name']}.json").write_text(json.dumps(data))
    (tmp_path / "notes.json").write_text('{"schema": "other"}')
    (tmp_path / "broken.json").write_text("{")
    found = changes.find_previous(tmp_path, current=CURRENT)
    assert found == tmp_path / "brief-2026-W46.json"
    assert changes.find_previous(tmp_path, current=older) is None


def test_build_adds_the_section_when_a_previous_brief_is_there(tmp_path: Path) -> None:
    seeds = str(ROOT / "seeds")
    assert main(["build", seeds, "--out", str(tmp_path), "--format", "json", "--no-cache"]) == 0
    first = json.loads((tmp_path / "brief-2026-W47.json").read_text())
    assert first["changes"] is None
    # Make it last week's brief, with one actor fewer and a date that is over by now.
    previous = copy.deepcopy(first)
    previous.update(name="brief-2026-W46", actors=first["actors"][1:])
    previous["period"] = {"from": "2026-11-09", "to": "2026-11-15", "as_of": "2026-11-16"}
    previous["upcoming"] = [*first["upcoming"], _date("2026-11-12", "old hearing")]
    previous["upcoming"][-1]["article"] = first["articles"][0]["id"]
    (tmp_path / "brief-2026-W46.json").write_text(json.dumps(previous))

    code = main(["build", seeds, "--out", str(tmp_path), "--format", "json,html", "--no-cache"])
    assert code == 0
    data = json.loads((tmp_path / "brief-2026-W47.json").read_text())
    c = data["changes"]
    assert c["previous"]["name"] == "brief-2026-W46"
    assert first["actors"][0]["name"] in [a["name"] for a in c["new_actors"]]
    assert [d["event"] for d in c["dates_passed"]] == ["old hearing"]
    assert c["dates_added"] == [] and c["new_risks"] == [] and c["dropped_risks"] == []
    html = (tmp_path / "brief-2026-W47.html").read_text()
    assert "What changed since the last brief" in html and "old hearing" in html
    # The library builds the same brief as the command line: changes are part of the model,
    # and each story says whether it is new since the previous brief.
    from briefgen.pipeline import build
    from briefgen.render.data import to_data

    brief = build([seeds], previous=tmp_path)
    assert brief.changes is not None
    assert to_data(brief)["changes"] == c
    assert any("developing since the last brief" in s["reasons"] for s in to_data(brief)["stories"])


def test_find_previous_passes_over_briefs_of_this_week_or_later_without_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.render.data import render_json

    this_week = {**CURRENT, "name": 'brief "now"', "issued": None}
    (tmp_path / "brief-now.json").write_text(render_json(this_week), encoding="utf-8")
    loaded: list[str] = []
    real = changes.load
    monkeypatch.setattr(changes, "load", lambda p, **k: loaded.append(p.name) or real(p, **k))
    assert changes.find_previous(tmp_path, current=CURRENT) is None
    assert loaded == []
    # A brief.json laid out otherwise (its period first, here) is still read in full.
    other = {"period": this_week["period"], **this_week}
    (tmp_path / "brief-other.json").write_text(json.dumps(other), encoding="utf-8")
    assert changes.find_previous(tmp_path, current=CURRENT) is None
    assert loaded == ["brief-other.json"]
