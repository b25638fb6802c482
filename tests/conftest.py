from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.doc import Article, Parsed
from briefgen.nlp import parse

ROOT = Path(__file__).resolve().parent.parent
# The built-in theme's sections, in order.
SECTIONS = (
    "At a glance",
    "Key actors",
    "Upcoming dates",
    "Open risks",
    "Top stories",
    "Articles",
    "Sources",
)
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Builds in tests cache under a fresh folder, never in the user's cache, and read no user
    config file, so the suite gives the same result on any desk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))


@pytest.fixture
def make_parsed() -> Callable[..., Parsed]:
    def make(text: str, *, published: str | None = "2025-09-16", title: str = "Test") -> Parsed:
        day = dt.date.fromisoformat(published) if published else None
        return parse(Article(id="t1", title=title, text=text, published=day))

    return make


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared evaluation data sits beside the clone in CI)")
    return path
