"""PDF through WeasyPrint, fetching nothing but the theme's own files; and the PDF cache."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from briefgen.config import cache_dir, default_jobs
from briefgen.render.fetcher import safe_fetcher, theme_files
from briefgen.render.files import write_atomic
from briefgen.render.options import BUILTIN_TEMPLATES, RenderOptions

# --- PDF -------------------------------------------------------------------------------------


def render_pdf(
    html: str,
    *,
    templates: str | Path | None = None,
    options: RenderOptions | None = None,
    jobs: int | None = None,
) -> bytes:
    """The HTML as PDF: fonts embedded (subset), bookmarks from headings, metadata from <head>.

    A document whose template marks parts enough to be worth it
    (:func:`pdfparts.worth_splitting`) is laid out on up to ``jobs`` cores (default:
    ``options.jobs``, else all; see :mod:`briefgen.render.pdfparts`).
    """
    import logging

    from weasyprint import HTML

    from briefgen.render import pdfparts

    options = options or RenderOptions(templates=Path(templates) if templates else None)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    user = options.templates
    roots = [BUILTIN_TEMPLATES] + ([Path(user)] if user else [])
    base = Path(user) if user else BUILTIN_TEMPLATES
    if jobs is None:
        jobs = (options.jobs or default_jobs()) if pdfparts.worth_splitting(html) else 1
    with pdfparts.frozen_heap():
        if jobs > 1 and not options.pdf_ua:
            with contextlib.suppress(pdfparts.NotSplittable):
                return pdfparts.render(
                    html, base_url=str(base) + os.sep, roots=[str(r) for r in roots], jobs=jobs
                )
        fetcher = safe_fetcher(roots)
        document = HTML(string=html, base_url=str(base) + os.sep, url_fetcher=fetcher)
        extra: dict[str, Any] = (
            {"pdf_variant": "pdf/ua-1", "pdf_tags": True} if options.pdf_ua else {}
        )
        pdf: bytes = document.write_pdf(**extra)
        return pdf


KEEP_PDFS = 8
MAX_PDF_BYTES = 500_000_000


def valid_pdf(pdf: bytes) -> bool:
    """Whether ``pdf`` is a whole PDF: its header, its end marker, and pypdf reads every page."""
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:]:
        return False
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        return len(reader.pages) > 0 and reader.pages[-1] is not None
    except Exception:  # pypdf raises many types on broken files; any of them means "not whole"
        return False


class PdfCache:
    """PDFs by hash of their HTML, the template files and WeasyPrint's version.

    Rendering the PDF is the costliest step after the analysis; a re-run whose brief did not
    change (same inputs, same day) gets the same HTML and so the same PDF.
    """

    def __init__(self, *, root: Path | None = None, keep: int = KEEP_PDFS) -> None:
        self.folder = (root or cache_dir()) / "pdf"
        self.keep = keep

    def key(self, html: str, options: RenderOptions) -> str:
        from importlib import metadata

        from briefgen.render.options import BUILTIN_TEMPLATES

        h = hashlib.sha256(metadata.version("weasyprint").encode())
        h.update(repr(options).encode("utf-8", "surrogatepass"))
        for folder in (BUILTIN_TEMPLATES, *([options.templates] if options.templates else [])):
            # Only what the theme may use: regular files inside it, size-capped; never a link
            # out of it, a pipe or a device (reading /dev/zero would never end).
            for path, data in theme_files(Path(folder)):
                h.update(os.fsencode(path) + b"\0" + data + b"\0")
        h.update(html.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def render(self, html: str, *, options: RenderOptions | None = None) -> bytes:
        """The PDF of ``html``: from the cache, else rendered (and stored)."""
        options = options or RenderOptions()
        path = self.folder / f"{self.key(html, options)}.pdf"
        pdf = self._cached(path)
        if pdf is not None:
            return pdf
        pdf = render_pdf(html, options=options)
        try:
            write_atomic(path, pdf)
            write_atomic(_digest_path(path), hashlib.sha256(pdf).hexdigest())
            self._prune()
        except OSError:
            pass
        return pdf

    def _cached(self, path: Path) -> bytes | None:
        """The cached PDF at ``path`` if it is whole; a bad entry (truncated, foreign, not a
        regular file) is removed and None returned, so the PDF is rendered again.

        Whole means the SHA-256 written beside it when it was stored; an entry without one
        (stored by an older briefgen) is read through pypdf instead, which costs a tenth of a
        second to import, and gets its digest then."""
        try:
            info = path.lstat()
        except OSError:
            return None
        pdf = digest = None
        with contextlib.suppress(OSError):
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_PDF_BYTES:
                pdf = path.read_bytes()
        with contextlib.suppress(OSError, UnicodeDecodeError):
            digest = _digest_path(path).read_bytes()[:64].decode("ascii")
        if pdf is not None and digest is None and valid_pdf(pdf):
            digest = hashlib.sha256(pdf).hexdigest()
            with contextlib.suppress(OSError):
                write_atomic(_digest_path(path), digest)
        if pdf is not None and digest == hashlib.sha256(pdf).hexdigest():
            with contextlib.suppress(OSError):
                os.utime(path)
            return pdf
        for stale in (path, _digest_path(path)):
            with contextlib.suppress(OSError):
                stale.unlink()
        return None

    def _prune(self) -> None:
        files = sorted(self.folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[self.keep :]:
            old.unlink(missing_ok=True)
            _digest_path(old).unlink(missing_ok=True)


def _digest_path(pdf: Path) -> Path:
    return pdf.with_suffix(".sha256")
