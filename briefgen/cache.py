"""Per-article analysis cache: one JSON file per article, keyed by content and pipeline version.

The key hashes every field of the article together with the *pipeline version*: a hash of the
briefgen package's source files, the spaCy model (name and version) and the settings that change
what the stages find (e.g. summary sentences). Editing any stage module, changing the model or a
setting therefore misses the cache instead of serving stale findings.

Entries live under ``platformdirs.user_cache_dir("briefgen")`` (``$XDG_CACHE_HOME/briefgen`` when
that is set), in a folder per pipeline version; only the most recently used versions are kept.
Entries are plain JSON (never pickle), written atomically, so a corrupt or foreign file is a
miss, not a crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import types
import typing
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .doc import Analysis, Article

if TYPE_CHECKING:
    from .render import RenderOptions

FORMAT = 1  # bump when the entry layout changes
KEEP_VERSIONS = 4
KEEP_PDFS = 8
_PACKAGE = Path(__file__).resolve().parent
# Modules that cannot change what the stages find in a given Article (the Article itself is in
# the key): editing them keeps cached analyses valid. Any other module, new ones too, counts.
_NOT_IN_ANALYSIS = frozenset(
    """
    __main__.py bench.py bench_render.py changes.py cli.py ingest.py parallel.py pdfparts.py
    render.py timing.py dask.py bench_week.py
    """.split()
)


def default_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefgen", appauthor=False))


@lru_cache(maxsize=1)
def source_hash() -> str:
    """Hash of the package's source files that can change an analysis (all but the renderers,
    the command line and the evaluations), so a code change is a new version."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if path.name in _NOT_IN_ANALYSIS or path.name.startswith("eval_"):
            continue
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def model_id(model: str | None) -> str:
    """``name==version`` of the spaCy model package named ``model``, without loading it."""
    from importlib import metadata

    from .nlp import model_name

    name = model or model_name()
    for dist in (name, name.replace("_", "-")):
        try:
            return f"{name}=={metadata.version(dist)}"
        except metadata.PackageNotFoundError:
            continue
    return name


def pipeline_version(*, model: str | None, settings: Mapping[str, Any]) -> str:
    """What, besides the article itself, decides its analysis."""
    from importlib import metadata

    payload = {
        "format": FORMAT,
        "source": source_hash(),
        "spacy": metadata.version("spacy"),
        "model": model_id(model),
        "settings": dict(sorted(settings.items())),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# --- JSON round trip of the document model ---------------------------------------------------


def to_json(value: Any) -> Any:
    """Plain JSON data for a document-model value (dataclasses, dates, tuples, lists)."""
    kind: Any = type(value)
    names = _field_names(kind)
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


@cache
def _field_names(kind: Any) -> tuple[str, ...] | None:
    """The fields of a dataclass type (looked up once per type), None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind))


def from_json(kind: Any, data: Any) -> Any:
    """A value of type ``kind`` from :func:`to_json` data; ``ValueError`` if it does not fit."""
    origin = typing.get_origin(kind)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return from_json(option, data)
            except (ValueError, TypeError, KeyError) as exc:
                errors.append(exc)
        raise ValueError(f"no type of {kind} fits {data!r}: {errors}")
    if origin is typing.Literal:
        if data not in typing.get_args(kind):
            raise ValueError(f"{data!r} is not one of {typing.get_args(kind)}")
        return data
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {type(data).__name__}")
        (item, *_) = typing.get_args(kind) or (Any,)
        items = [from_json(item, v) for v in data]
        return items if origin is list else tuple(items)
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {type(data).__name__}")
        _, vt = typing.get_args(kind) or (str, Any)
        return {k: from_json(vt, v) for k, v in data.items()}
    if kind is Any:
        return data
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {kind.__name__}")
        hints = _hints(kind)
        fields = {f.name for f in dataclasses.fields(kind)}
        if set(data) - fields:
            raise ValueError(f"unknown fields for {kind.__name__}: {sorted(set(data) - fields)}")
        return kind(**{name: from_json(hints[name], v) for name, v in data.items()})
    if kind is dt.date:
        if not isinstance(data, str):
            raise ValueError("expected an ISO date")
        return dt.date.fromisoformat(data)
    if kind is float and isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    if kind in (str, int, bool) and type(data) is kind:
        return data
    raise ValueError(f"expected {kind}, got {data!r}")


@cache
def _hints(kind: type) -> dict[str, Any]:
    from . import doc

    return typing.get_type_hints(kind, vars(doc))


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    data: dict[str, Any] = to_json(analysis)
    return data


def analysis_from_json(data: Any) -> Analysis:
    result: Analysis = from_json(Analysis, data)
    return result


# --- the cache -------------------------------------------------------------------------------


def article_key(article: Article, version: str) -> str:
    payload = json.dumps([version, to_json(article)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AnalysisCache:
    """Analyses of articles for one pipeline version, one JSON file per article."""

    def __init__(self, *, version: str, root: Path | None = None) -> None:
        self.version = version
        self.root = root or default_dir()
        self.folder = self.root / "analysis" / version[:32]

    def path(self, article: Article) -> Path:
        key = article_key(article, self.version)
        return self.folder / key[:2] / f"{key}.json"

    def get(self, article: Article) -> Analysis | None:
        path = self.path(article)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            analysis = analysis_from_json(data)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        # A hash collision or a hand-edited entry must not put another article in the brief.
        return analysis if analysis.article == article else None

    def put(self, analysis: Analysis) -> None:
        path = self.path(analysis.article)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                # dumps, not dump: json.dump encodes in pure Python, dumps in C; same text.
                fh.write(json.dumps(analysis_to_json(analysis), ensure_ascii=False))
            os.replace(tmp, path)
        except OSError:
            return  # a read-only or full cache only costs speed

    def prune(self, *, keep: int = KEEP_VERSIONS) -> None:
        """Remove the folders of all but the ``keep`` most recently used pipeline versions."""
        base = self.root / "analysis"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)
            folders = sorted(
                (p for p in base.iterdir() if p.is_dir()),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
        except OSError:
            return
        for old in folders[keep:]:
            if old != self.folder:
                shutil.rmtree(old, ignore_errors=True)


# --- rendered PDFs ---------------------------------------------------------------------------


class PdfCache:
    """PDFs by hash of their HTML, the template files and WeasyPrint's version.

    Rendering the PDF is the costliest step after the analysis; a re-run whose brief did not
    change (same inputs, same day) gets the same HTML and so the same PDF.
    """

    def __init__(self, *, root: Path | None = None, keep: int = KEEP_PDFS) -> None:
        self.folder = (root or default_dir()) / "pdf"
        self.keep = keep

    def key(self, html: str, options: RenderOptions) -> str:
        from importlib import metadata

        from .render import BUILTIN_TEMPLATES

        h = hashlib.sha256(metadata.version("weasyprint").encode())
        h.update(repr(options).encode())
        for folder in (BUILTIN_TEMPLATES, *([options.templates] if options.templates else [])):
            for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
        h.update(html.encode("utf-8"))
        return h.hexdigest()

    def render(self, html: str, *, options: RenderOptions | None = None) -> bytes:
        """The PDF of ``html``: from the cache, else rendered (and stored)."""
        from . import render

        options = options or render.RenderOptions()
        path = self.folder / f"{self.key(html, options)}.pdf"
        try:
            pdf = path.read_bytes()
            if pdf.startswith(b"%PDF-"):
                os.utime(path)
                return pdf
        except OSError:
            pass
        pdf = render.render_pdf(html, options=options)
        try:
            render.write_atomic(path, pdf)
            self._prune()
        except OSError:
            pass
        return pdf

    def _prune(self) -> None:
        files = sorted(self.folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[self.keep :]:
            old.unlink(missing_ok=True)
