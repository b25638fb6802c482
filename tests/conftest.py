from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.doc import Article, Parsed
from briefgen.nlp import parse

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


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
