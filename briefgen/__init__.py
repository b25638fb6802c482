"""briefgen: a week of news articles in, a traceable briefing document out.

The pipeline is one module per stage: :mod:`briefgen.ingest` reads files,
:mod:`briefgen.nlp` parses each article once, :mod:`briefgen.summarize`, :mod:`briefgen.actors`,
:mod:`briefgen.dates` and :mod:`briefgen.risks` analyse it, :mod:`briefgen.brief` assembles the
week and :mod:`briefgen.render` writes JSON, HTML and PDF.
"""

from briefgen.article import analyse
from briefgen.doc import Article, Brief
from briefgen.pipeline import NothingToBrief, Selection, build
from briefgen.render import write

__all__ = ["Article", "Brief", "NothingToBrief", "Selection", "analyse", "build", "write"]
__version__ = "0.1.0"
