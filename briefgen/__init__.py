"""briefgen: a week of news articles in, a traceable briefing document out.

One visible pipeline (:mod:`briefgen.pipeline`): :mod:`briefgen.ingest` reads the inputs,
:mod:`briefgen.nlp` parses each article once, the per-article stages in :mod:`briefgen.article`
(summary, mentions, quotes, dates, risks) read that parse, the week's stages in
:mod:`briefgen.week` (actors, stories, risks, upcoming dates, changes) read the analyses, and
:mod:`briefgen.render` writes brief.json, HTML, PDF, Markdown and iCalendar. :mod:`briefgen.doc`
is the model they all share.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from briefgen.version import __version__

if TYPE_CHECKING:
    from briefgen.article import analyse
    from briefgen.doc import Article, Brief
    from briefgen.pipeline import NothingToBrief, Selection, build
    from briefgen.render import write

__all__ = [
    "Article",
    "Brief",
    "NothingToBrief",
    "Selection",
    "__version__",
    "analyse",
    "build",
    "write",
]

# Imported on first use, not with the package: ``python -m briefgen`` and every submodule import
# start here, and a warm build needs neither the parse nor the per-article stages.
_WHERE = {
    "analyse": "briefgen.article",
    "Article": "briefgen.doc",
    "Brief": "briefgen.doc",
    "NothingToBrief": "briefgen.pipeline",
    "Selection": "briefgen.pipeline",
    "build": "briefgen.pipeline",
    "write": "briefgen.render",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
