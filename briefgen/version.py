"""briefgen's version, read by the package, the renderers and the fetcher's User-Agent."""

__version__ = "0.1.0"
