"""What a theme may load while the PDF is laid out: its own files, and nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast


def safe_fetcher(roots: Iterable[Path]) -> Callable[..., Any]:
    """A WeasyPrint URL fetcher that serves files under ``roots`` and nothing else."""
    allowed = [r.resolve() for r in roots]

    def serve(url: str) -> tuple[bytes, str]:
        from urllib.parse import unquote, urlparse

        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                return path.read_bytes(), _mime(path)
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
