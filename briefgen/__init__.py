"""briefgen: a week of news articles in, a traceable briefing document out.

One visible pipeline (:mod:`briefgen.pipeline`): :mod:`briefgen.ingest` reads the inputs,
:mod:`briefgen.nlp` parses each article once, the per-article stages in :mod:`briefgen.article`
(summary, mentions, quotes, dates, risks) read that parse, the week's stages in
:mod:`briefgen.week` (actors, stories, risks, upcoming dates, changes) read the analyses, and
:mod:`briefgen.render` writes brief.json, HTML, PDF, Markdown and iCalendar. :mod:`briefgen.doc`
is the model they all share.
"""

from briefgen.article import analyse
from briefgen.doc import Article, Brief
from briefgen.pipeline import NothingToBrief, Selection, build
from briefgen.render import write
from briefgen.version import __version__

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
