"""What a theme may load while the PDF is laid out: its own files, and nothing from elsewhere."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

MAX_THEME_FILE_BYTES = 20_000_000  # a template, stylesheet, image or font of a theme


def safe_fetcher(roots: Iterable[Path]) -> Callable[..., Any]:
    """A WeasyPrint URL fetcher that serves files under ``roots`` and nothing else."""
    allowed = [r.resolve() for r in roots]

    def serve(url: str) -> tuple[bytes, str]:
        from urllib.parse import unquote, urlparse

        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in allowed):
                data = read_theme_file(path)  # a regular file, size-capped, never blocking
                if data is not None:
                    return data, _mime(path)
        raise ValueError(f"briefgen does not fetch {url[:80]}")

    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint < 67 takes a function that returns a dict

        def fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            data, mime = serve(url)
            return {"string": data, "mime_type": mime}

        return fetch

    # WeasyPrint >= 67 needs a URLFetcher: with a plain function, a refused URL crashes it.
    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            data, mime = serve(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return cast(Callable[..., Any], SafeFetcher(allowed_protocols=("file",)))


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
    }.get(path.suffix.lower(), "application/octet-stream")


def inside(folder: Path, name: str) -> Path | None:
    """The file ``name`` (a template name or a relative path) in ``folder``, when it resolves
    to a regular file inside it; None otherwise."""
    if not name or "\0" in name or "\\" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        return None
    try:
        root = folder.resolve(strict=True)
        path = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(root):
        return None
    try:
        return path if stat.S_ISREG(path.stat().st_mode) else None
    except OSError:
        return None


def read_theme_file(path: Path) -> bytes | None:
    """A theme file's bytes: a regular file, at most MAX_THEME_FILE_BYTES, never blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = fh.read(MAX_THEME_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_THEME_FILE_BYTES else None


def theme_files(folder: Path, *, read: bool = True) -> list[tuple[Path, bytes]]:
    """Every file a theme may use, in a stable order: regular files inside ``folder`` (links
    only when they stay inside), with their bytes (``read``)."""
    try:
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return []
    found: list[tuple[Path, bytes]] = []
    for current, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            try:
                path = (Path(current) / name).resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if not path.is_relative_to(root):
                continue
            data = read_theme_file(path) if read else b""
            if data is not None:
                found.append((Path(current) / name, data))
    return found
