"""Read input files into articles, and account for every file in ``sources``.

A bad file never stops the build: it is recorded with a plain reason and the rest go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .doc import Article, SourceRecord

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES
DEFAULT_MAX_BYTES = 5_000_000

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


class InputError(ValueError):
    """A file or record that cannot be used, with a reason fit for the user."""


@dataclass(slots=True)
class Ingested:
    articles: list[Article] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)


def discover(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the readable files below folders named, in a stable order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and not _hidden(child.relative_to(path))
                    and child.suffix.lower() in SUFFIXES
                    and child.name.lower() != "readme.md"
                ):
                    yield child
        else:
            yield path


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def ingest(inputs: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Ingested:
    result = Ingested()
    seen_ids: set[str] = set()
    for path in discover(inputs):
        record = SourceRecord(path=str(path), status="included", reason=None)
        result.sources.append(record)
        try:
            articles, problems = read_file(path, max_bytes=max_bytes)
        except InputError as exc:
            record.status, record.reason = "skipped", str(exc)
            continue
        except OSError as exc:
            record.status, record.reason = "error", f"cannot read file: {exc.strerror or exc}"
            continue
        for article in articles:
            if article.id in seen_ids:
                problems.append(f"duplicate id {article.id!r} (first one kept)")
                continue
            seen_ids.add(article.id)
            result.articles.append(article)
            record.articles.append(article.id)
        if problems:
            reason = "; ".join(problems)
            if record.articles:
                record.status, record.reason = "partial", reason
            else:
                record.status, record.reason = "skipped", reason
        elif not record.articles:
            record.status, record.reason = "skipped", "no articles found"
    return result


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[Article], list[str]]:
    """Articles in one file, and the problems met with records that were left out."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'!r}")
    raw = path.read_bytes()
    problems: list[str] = []
    if not raw.strip():
        raise InputError("empty file")
    if len(raw) > max_bytes:
        raw = raw[:max_bytes]
        problems.append(f"cut at {max_bytes} bytes")
    text = decode(raw)
    if suffix in TEXT_SUFFIXES:
        return [parse_text_file(text, path)], problems
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
        items = data if isinstance(data, list) else [data]
        return _records(items, path, problems, label="item")
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: invalid JSON ({exc.msg})")
    return _records(items, path, problems, label="line", numbered=True)


def _records(
    items: list[Any], path: Path, problems: list[str], *, label: str, numbered: bool = False
) -> tuple[list[Article], list[str]]:
    articles = []
    for i, item in enumerate(items, start=1):
        n, obj = item if numbered else (i, item)
        try:
            articles.append(article_from_record(obj, path=path, position=n))
        except InputError as exc:
            problems.append(f"{label} {n}: {exc}")
    return articles, problems


def decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary file")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(codec).lstrip("\ufeff")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_text_file(text: str, path: Path) -> Article:
    meta: dict[str, Any] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    warnings: list[str] = []
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            loaded = None
            warnings.append("front matter is not valid YAML; ignored")
        if isinstance(loaded, dict):
            meta = loaded
        elif loaded is not None:
            warnings.append("front matter is not a mapping; ignored")
        body = text[match.end() :]
    meta.setdefault("text", body)
    if "title" not in meta:
        meta["title"] = _first_line_title(body, path)
    return article_from_record(meta, path=path, warnings=warnings)


def _first_line_title(body: str, path: Path) -> str:
    for line in body.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120] if len(line) <= 120 else line[:117].rstrip() + "..."
    return path.stem


def article_from_record(
    obj: object, *, path: Path, position: int | None = None, warnings: list[str] | None = None
) -> Article:
    if not isinstance(obj, dict):
        raise InputError("not an object")
    warnings = list(warnings or [])
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("missing text" if text is None else "text is not a string")
    if not text.strip():
        raise InputError("empty text")
    fields: dict[str, str | None] = {}
    for name in ("id", "title", "source", "url"):
        value = obj.get(name)
        if value is None or isinstance(value, str):
            fields[name] = value.strip() if isinstance(value, str) else None
        elif isinstance(value, int | float) and not isinstance(value, bool) and name == "id":
            fields[name] = str(value)
        else:
            raise InputError(f"{name} is not a string")
    published, problem = parse_published(obj.get("date", obj.get("published")))
    if problem:
        warnings.append(problem)
    article_id = fields["id"] or _default_id(path, text, position)
    return Article(
        id=article_id,
        title=fields["title"] or _first_line_title(text, path),
        text=text,
        published=published,
        source=fields["source"] or "",
        url=fields["url"] or None,
        path=str(path),
        warnings=tuple(warnings),
    )


def _default_id(path: Path, text: str, position: int | None) -> str:
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9]+", "-", path.stem).strip("-").lower() or "article"
    return f"{stem}-{position}-{digest}" if position is not None else f"{stem}-{digest}"


def parse_published(value: object) -> tuple[dt.date | None, str | None]:
    """A publication date from metadata, or None with a reason when it is unusable."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if not isinstance(value, str):
        return None, "date is not a string; article left undated"
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10]), None
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date(), None
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date(), None
    except (TypeError, ValueError, IndexError):
        return None, f"invalid date {text[:40]!r}; article left undated"
