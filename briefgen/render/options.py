"""How a brief is rendered, and the one error a template can raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; the message names the file and line."""


def _builtin_templates() -> Path:
    """The built-in theme: inside the installed package, or ``templates/`` of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "templates"
    return shipped if shipped.is_dir() else package.parent / "templates"


BUILTIN_TEMPLATES = _builtin_templates()
ENTRY = "brief.html.j2"  # the template a theme starts from
PAPERS = {"a4": "A4", "letter": "letter"}
APPENDIX = ("full", "titles", "none")  # after the brief: per-article summaries, a list, nothing


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a brief is rendered; every field can come from the command line or a config file."""

    templates: Path | None = None  # user folder searched before the built-in theme
    paper: str = "a4"  # a key of PAPERS
    author: str = ""  # PDF/HTML author metadata; empty: none
    lang: str = "en"  # document language (BCP 47)
    pdf_ua: bool = False  # tagged PDF/UA-1
    # Processes laying out a long PDF (None: all cores). Not part of repr, which keys the PDF
    # cache: the pages are the same however many processes lay them out.
    jobs: int | None = field(default=None, repr=False, compare=False)
    pages: int = 10  # page budget of the brief before its appendix
    appendix: str = "titles"  # a value of APPENDIX

    def __post_init__(self) -> None:
        if self.paper.lower() not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {self.paper!r}")
        if self.appendix not in APPENDIX:
            choices = ", ".join(APPENDIX)
            raise ValueError(f"appendix must be one of {choices}, not {self.appendix!r}")
        if not isinstance(self.pages, int) or self.pages < 1:
            raise ValueError(f"pages must be a positive whole number, not {self.pages!r}")
