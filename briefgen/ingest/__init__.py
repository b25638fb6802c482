"""Read input files into articles, and account for every file in ``sources``.

A bad file never stops the build: it is recorded with a plain reason and the rest go on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.doc import Article, SourceRecord
from briefgen.ingest.headline import first_line_title
from briefgen.words import UNPRINTABLE as _UNPRINTABLE

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
DEFAULT_MAX_BYTES = 5_000_000
# spaCy needs about 1 GB per 100,000 characters; a news article is rarely a tenth of that.
DEFAULT_MAX_CHARS = 100_000
_TITLE_CHARS = 300
# Every field is repeated in each mention, date and risk of its article: long ones are cut.
MAX_ID_CHARS = 200
MAX_SOURCE_CHARS = 200
MAX_URL_CHARS = 2_000
# Totals: a week of news is hundreds of articles; past these the rest is listed, not read.
# A desk that briefs more (a cluster, --engine dask) raises MAX_ARTICLES with --max-articles.
MAX_FILES = 20_000
MAX_RECORDS_PER_FILE = 100_000  # a file is at most --max-bytes, so this bounds tiny records
MAX_ARTICLES = 5_000
# Problems listed per file; the rest are counted ("and 1,999,998 more").
MAX_NOTES = 50
# The per-article stages look at a date's whole sentence for each date in it, so a "sentence"
# of megabytes (no full stop in a whole file) costs hours. No news sentence runs this long
# without a full stop or a line break: the text is cut there, and the cut reported.
MAX_SENTENCE_CHARS = 5_000
_LONG_RUN = re.compile(rf"[^.!?\n]{{{MAX_SENTENCE_CHARS}}}")
# Summaries compare every sentence with every other: a text of 50,000 one-word lines would
# need gigabytes. 100,000 characters of prose are about 1,000 sentences; past this many
# sentence breaks (full stops, line breaks) the text is cut, and the cut reported.
MAX_SENTENCES = 2_000
_BREAK = re.compile(r"[.!?\n]+")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What must never reach a title, a path or a terminal raw: control characters (C0, C1), line and
# paragraph separators, and the bidi controls that reorder what a reader sees.


class InputError(ValueError):
    """A file or record that cannot be used, with a reason fit for the user."""


@dataclass(slots=True)
class Ingested:
    articles: list[Article] = field(default_factory=list)
    sources: list[SourceRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry met in the inputs: a file to read, or why it is not read."""

    path: Path
    problem: str | None = None


def shown(path: str | Path) -> str:
    """A path as text fit for any output: undecodable bytes and control characters replaced."""
    raw = (
        os.fsencode(path)
        if isinstance(path, Path)
        else str(path).encode("utf-8", "surrogateescape")
    )
    return _UNPRINTABLE.sub("?", raw.decode("utf-8", "replace"))


def printable(text: str) -> str:
    """Metadata text on one line: control, separator and bidi characters become spaces."""
    return " ".join(_UNPRINTABLE.sub(" ", _SURROGATE.sub("\ufffd", text)).split())


def discover(inputs: Iterable[str | Path], *, follow_links: bool = False) -> Iterator[Entry]:
    """Every entry of the inputs, in a stable order, each once: files to read, and the others
    (special files, links that leave their folder, dangling or looping links) with the reason
    they are not read. Nothing is opened here.

    Files of other types inside folders are yielded too, so that they are listed as skipped;
    hidden files and README files are not. A symbolic link is followed only when it stays
    inside the folder given (or with ``follow_links``).
    """
    seen: set[tuple[int, int] | str] = set()
    for item in inputs:
        path = Path(item)
        try:
            info = path.stat()
        except (OSError, RuntimeError, ValueError):
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            root = _real(path)
            entries = _walk(path, root, follow_links=follow_links, visited=set())
        else:
            entries = iter([_classify(path, None, follow_links=True)])
        for entry in entries:
            key = _key(entry.path)
            if key in seen:
                continue
            seen.add(key)
            yield entry


def _real(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None


def _key(path: Path) -> tuple[int, int] | str:
    try:
        info = path.stat()
        return (info.st_dev, info.st_ino)
    except (OSError, RuntimeError, ValueError):
        return os.fsdecode(os.path.abspath(path))


def _walk(
    folder: Path, root: Path | None, *, follow_links: bool, visited: set[tuple[int, int]]
) -> Iterator[Entry]:
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in visited:
            return  # a link back up the tree
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as it:
            names = sorted((e.name for e in it), key=os.fsencode)
    except OSError as exc:
        yield Entry(folder, f"cannot read folder: {exc.strerror or exc}")
        return
    for name in names:
        child = folder / name
        if name.startswith(".") or name.lower() in {"readme.md", "readme.txt", "readme"}:
            continue
        entry = _classify(child, root, follow_links=follow_links)
        if entry.problem is None and entry.path.is_dir():
            yield from _walk(child, root, follow_links=follow_links, visited=visited)
        else:
            yield entry


def _classify(path: Path, root: Path | None, *, follow_links: bool) -> Entry:
    """``path`` as an entry: a regular file or folder to go on with, or why it is left out."""
    try:
        own = path.lstat()
    except OSError as exc:
        return Entry(path, f"cannot read: {exc.strerror or exc}")
    if stat.S_ISLNK(own.st_mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return Entry(path, "symbolic link that loops, not followed")
        except OSError:
            return Entry(path, "dangling symbolic link, not followed")
        if not follow_links and root is not None and not target.is_relative_to(root):
            return Entry(
                path, "symbolic link out of the input folder, not followed (--follow-links)"
            )
    try:
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as exc:
        return Entry(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return Entry(path)
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a special file"
    )
    return Entry(path, f"not a regular file ({kind}), not read")


def ingest(
    inputs: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    follow_links: bool = False,
    max_files: int = MAX_FILES,
    max_articles: int = MAX_ARTICLES,
) -> Ingested:
    """Articles from every input, and one ``sources`` record per file saying what became of it.

    Files over ``max_bytes`` and article texts over ``max_chars`` are cut, with a warning; past
    ``max_files`` files or ``max_articles`` articles the rest are listed, not read.
    """
    result = Ingested()
    seen_ids: dict[str, str] = {}
    files = 0
    unread = 0
    for entry in discover(inputs, follow_links=follow_links):
        path = entry.path
        record = SourceRecord(path=shown(path), status="included", reason=None)
        if entry.problem is not None:
            record.status, record.reason = "skipped", entry.problem
            _add(result, record, max_files)
            continue
        files += 1
        if files > max_files or len(result.articles) >= max_articles:
            unread += 1
            if len(result.sources) < max_files:
                record.status = "skipped"
                record.reason = (
                    f"not read: more than {max_files:,} files"
                    if files > max_files
                    else f"not read: {max_articles:,} articles already read"
                )
                result.sources.append(record)
            continue
        result.sources.append(record)
        try:
            articles, problems = read_file(path, max_bytes=max_bytes, max_chars=max_chars)
        except InputError as exc:
            record.status, record.reason = "skipped", str(exc)
            continue
        except OSError as exc:
            record.status, record.reason = "error", f"cannot read file: {exc.strerror or exc}"
            continue
        except Exception as exc:  # a reader bug must cost one file, not the brief
            record.status, record.reason = "error", f"could not read: {_one_line(exc)}"
            continue
        room = max_articles - len(result.articles)
        if len(articles) > room:
            problems.append(f"{len(articles) - room:,} articles not read: {max_articles:,} in all")
            articles = articles[:room]
        for article in articles:
            if article.id in seen_ids:
                first = shown(Path(seen_ids[article.id]).name)
                problems.append(f"duplicate id {article.id!r}, already in {first} (first one kept)")
                continue
            seen_ids[article.id] = article.path
            result.articles.append(article)
            record.articles.append(article.id)
        if problems:
            reason = join_notes(problems)
            if record.articles:
                record.status, record.reason = "partial", reason
            else:
                record.status, record.reason = "skipped", reason
        elif not record.articles:
            record.status, record.reason = "skipped", "no articles found"
    if len(result.sources) >= max_files and unread:
        result.sources.append(
            SourceRecord(path="...", status="skipped", reason=f"{unread:,} more files not read")
        )
    return result


def _add(result: Ingested, record: SourceRecord, max_files: int) -> None:
    if len(result.sources) < 2 * max_files:
        result.sources.append(record)


def join_notes(notes: list[str], limit: int = 2 * MAX_NOTES) -> str:
    """Notes as one reason, the first ``limit`` of them and a count of the rest."""
    shown_notes = list(dict.fromkeys(notes))
    more = len(shown_notes) - limit
    text = "; ".join(shown_notes[:limit])
    return f"{text}; and {more:,} more" if more > 0 else text


def _one_line(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def read_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS
) -> tuple[list[Article], list[str]]:
    """Articles in one file, and the problems met with records that were left out."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {printable(shown(suffix)) or '(none)'!r}")
    # Non-blocking, and checked after opening: a FIFO swapped in meanwhile cannot hang the build.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("not a regular file, not read")
        raw = fh.read(max_bytes + 1)
    problems: list[str] = []
    if not raw.strip():
        raise InputError("empty file")
    cut = len(raw) > max_bytes
    if cut:
        raw = raw[:max_bytes]
        problems.append(f"file cut at {max_bytes} bytes (--max-bytes)")
    declared = suffix in HTML_SUFFIXES or suffix in FEED_SUFFIXES
    text, note = decode_file(raw, cut=cut, declared=declared)
    notes = [note] if note else []
    if suffix in TEXT_SUFFIXES:
        article = parse_text_file(text, path, max_chars=max_chars, notes=notes)
        return [article], problems
    if suffix in HTML_SUFFIXES:
        from briefgen.ingest.html import read_html

        record = read_html(text)
        if not record["text"].strip():
            raise InputError("no readable text in the HTML page")
        return [_article(record, path=path, max_chars=max_chars, warnings=notes)], problems
    if suffix in FEED_SUFFIXES:
        from briefgen.ingest.feeds import FeedRefused, read_feed

        try:
            entries, feed_notes = read_feed(text)
        except FeedRefused as exc:
            raise InputError(str(exc)) from None
        notes += feed_notes
        return _records(entries, path, problems, label="entry", max_chars=max_chars, notes=notes)
    if suffix == ".json":
        try:
            data = json.loads(text, parse_int=_int)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}"
            raise InputError(f"invalid JSON at {where}: {exc.msg}") from None
        except RecursionError:
            raise InputError("invalid JSON: nested too deeply") from None
        except ValueError as exc:
            raise InputError(f"invalid JSON: {_one_line(exc, 120)}") from None
        items = data if isinstance(data, list) else [data]
        return _records(items, path, problems, label="item", max_chars=max_chars, notes=notes)
    numbered = []
    # Only "\n" ends a JSON line: str.splitlines() would also split at U+2028 inside strings.
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            numbered.append((n, json.loads(line, parse_int=_int)))
        except json.JSONDecodeError as exc:
            numbered.append((n, _BadLine(f"invalid JSON ({exc.msg})")))
        except RecursionError:
            numbered.append((n, _BadLine("invalid JSON (nested too deeply)")))
        except ValueError as exc:  # one bad value costs its line only
            numbered.append((n, _BadLine(f"invalid JSON ({_one_line(exc, 80)})")))
    return _records(
        numbered, path, problems, label="line", numbered=True, max_chars=max_chars, notes=notes
    )


def _records(
    items: list[Any],
    path: Path,
    problems: list[str],
    *,
    label: str,
    numbered: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    notes: list[str] | None = None,
) -> tuple[list[Article], list[str]]:
    articles: list[Article] = []
    seen: set[str] = set()
    # Each bad record is one note: past MAX_NOTES they are only counted, so two million junk
    # items cost a counter, not two million notes in every output.
    base = len(problems)
    more = 0

    def problem(note: str) -> None:
        nonlocal more
        if len(problems) - base < MAX_NOTES:
            problems.append(note)
        else:
            more += 1

    left = 0
    for i, item in enumerate(items, start=1):
        n, obj = item if numbered else (i, item)
        if len(articles) >= MAX_RECORDS_PER_FILE:
            left += 1
            continue
        if isinstance(obj, _BadLine):
            problem(f"{label} {n}: {obj.reason}")
            continue
        try:
            article = article_from_record(
                obj, path=path, position=n, max_chars=max_chars, warnings=notes
            )
        except InputError as exc:
            problem(f"{label} {n}: {exc}")
            continue
        if article.id in seen:
            problem(f"{label} {n}: duplicate id {article.id!r} (first one kept)")
            continue
        seen.add(article.id)
        articles.append(article)
    if more:
        problems.append(f"and {more:,} more")
    if left:
        problems.append(f"{left:,} more records not read: at most {MAX_RECORDS_PER_FILE:,} a file")
    return articles, problems


def _int(digits: str) -> int | float:
    # Python refuses to convert integers of more than 4,300 digits (ValueError); such a number
    # is never a usable value, so it is read as a float (inf) and the field is then ignored.
    return int(digits) if len(digits) <= 4000 else float(digits)


@dataclass(frozen=True, slots=True)
class _BadLine:
    reason: str


def decode(raw: bytes) -> str:
    """The text of ``raw``; raises :class:`InputError` for binary data."""
    return decode_file(raw)[0]


def decode_file(raw: bytes, *, cut: bool = False, declared: bool = False) -> tuple[str, str | None]:
    """Text of a file's bytes, and a note when its encoding had to be guessed.

    UTF-8 and UTF-16/32 with a byte-order mark are read as such; otherwise an encoding declared
    in the markup (``declared``), then one detected by charset-normalizer. A file ``cut`` short
    may end inside a character; that partial character is dropped.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return _incremental(raw[len(bom) :], codec, final=not cut), None
            except UnicodeDecodeError:
                text = raw[len(bom) :].decode(codec, errors="replace")
                return text, f"invalid {codec.upper()} bytes replaced"
    head = raw[:8192]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"binary file ({kind})")
    if b"\x00" in head:
        if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            raise InputError("binary file (or UTF-16 text without a byte-order mark)")
        raise InputError("binary file")
    note = None
    try:
        text = _incremental(raw, "utf-8", final=not cut)
    except UnicodeDecodeError:
        text, note = _legacy(raw, declared=declared)
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > len(sample) / 20:
        raise InputError("binary file")
    return text.lstrip("\ufeff"), note


def _incremental(raw: bytes, codec: str, *, final: bool) -> str:
    import codecs

    return codecs.getincrementaldecoder(codec)("strict").decode(raw, final=final)


def _legacy(raw: bytes, *, declared: bool) -> tuple[str, str | None]:
    import codecs

    if declared:
        match = _DECLARED.search(raw[:2048])
        if match:
            name = match.group(1).decode("ascii")
            try:
                codec = codecs.lookup(name).name
                return raw.decode(codec, errors="replace"), None
            except LookupError:
                pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw[:200_000]))
    if not matches:
        raise InputError("binary file or unknown text encoding")
    best = matches[0]
    # Short texts often fit several code pages equally well; Windows-1252 is the likeliest.
    for candidate in matches:
        tied = candidate.chaos <= best.chaos and candidate.coherence >= best.coherence
        if tied and "cp1252" in candidate.could_be_from_charset:
            best = candidate
            break
    encoding = "cp1252" if "cp1252" in best.could_be_from_charset else str(best.encoding)
    return raw.decode(encoding, errors="replace"), f"not UTF-8, read as {encoding} (detected)"


def parse_text_file(
    text: str, path: Path, *, max_chars: int = DEFAULT_MAX_CHARS, notes: list[str] | None = None
) -> Article:
    meta: dict[str, Any] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    warnings: list[str] = list(notes or [])
    if match:
        import yaml  # only text files with front matter need it

        try:
            loaded = yaml.safe_load(match.group(1))
        except Exception:  # YAMLError, and ValueError for impossible dates such as 2025-02-30
            loaded = None
            warnings.append("front matter is not valid YAML, ignored")
        if isinstance(loaded, dict):
            meta = {str(k): v for k, v in loaded.items()}
        elif loaded is not None:
            warnings.append("front matter is not a mapping, ignored")
        body = text[match.end() :]
    elif re.match(r"---[ \t]*\r?\n", text):
        warnings.append("front matter is not closed with '---', read as text")
    if not isinstance(meta.get("text"), str):
        meta["text"] = body
    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        if meta.get("title") is not None:
            warnings.append("title is not a string, first line used")
        meta["title"] = _first_line_title(meta["text"], path)
    return article_from_record(meta, path=path, warnings=warnings, max_chars=max_chars)


def _first_line_title(body: str, path: Path) -> str:
    return printable(first_line_title(body)) or printable(shown(path.stem)) or "untitled"


def article_from_record(
    obj: object,
    *,
    path: Path,
    position: int | None = None,
    warnings: list[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    if not isinstance(obj, dict):
        raise InputError("not an object")
    return _article(obj, path=path, position=position, warnings=warnings, max_chars=max_chars)


def _article(
    obj: dict[str, Any],
    *,
    path: Path,
    position: int | None = None,
    warnings: list[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    warnings = list(warnings or [])
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError("missing text" if text is None else "text is not a string")
    if not text.strip():
        raise InputError("empty text")
    if _SURROGATE.search(text):
        # Lone surrogates cannot be written as UTF-8; one replacement char keeps every offset.
        text = _SURROGATE.sub("\ufffd", text)
        warnings.append("invalid characters in text replaced")
    if len(text) > max_chars:
        text = text[:max_chars]
        warnings.append(f"text cut at {max_chars} characters")
    for breaks, brk in enumerate(_BREAK.finditer(text), start=1):
        if breaks >= MAX_SENTENCES and brk.end() < len(text):
            text = text[: brk.end()]
            warnings.append(
                f"text cut at {brk.end():,} characters: more than {MAX_SENTENCES:,} sentences"
            )
            break
    run = _LONG_RUN.search(text)
    if run is not None and run.end() < len(text):
        text = text[: run.end()]
        warnings.append(
            f"text cut at {run.end():,} characters: a sentence longer than "
            f"{MAX_SENTENCE_CHARS:,} characters"
        )
    fields: dict[str, str | None] = {}
    for name in ("id", "title", "source", "url"):
        value = obj.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool) and name == "id":
            value = str(value) if math.isfinite(value) else value
        if value is not None and not isinstance(value, str):
            warnings.append(f"{name} is not a string, ignored")
            value = None
        if value and len(value) > 4 * MAX_URL_CHARS:
            value = value[: 4 * MAX_URL_CHARS]  # before cleaning, which copies the string
        fields[name] = (printable(value) or None) if value else None
    article_id = fields["id"]
    if article_id and len(article_id) > MAX_ID_CHARS:
        digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]
        article_id = f"{article_id[: MAX_ID_CHARS - 13]}-{digest}"
        warnings.append(f"id cut at {MAX_ID_CHARS} characters")
    source = fields["source"]
    if source and len(source) > MAX_SOURCE_CHARS:
        source = source[: MAX_SOURCE_CHARS - 3].rstrip() + "..."
        warnings.append(f"source cut at {MAX_SOURCE_CHARS} characters")
    url = fields["url"]
    if url and len(url) > MAX_URL_CHARS:
        warnings.append(f"url longer than {MAX_URL_CHARS} characters, ignored")
        url = None
    if url and not re.match(r"https?://[^\s]+$", url, re.I):
        warnings.append("url is not an http(s) address, ignored")
        url = None
    published, problem = parse_published(obj.get("date", obj.get("published")))
    if problem:
        warnings.append(problem)
    article_id = article_id or _default_id(path, text, position)
    title = fields["title"] or _first_line_title(text, path)
    if len(title) > _TITLE_CHARS:
        title = title[: _TITLE_CHARS - 3].rstrip() + "..."
    return Article(
        id=article_id,
        title=title,
        text=text,
        published=published,
        source=source or "",
        url=url,
        path=shown(path),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _default_id(path: Path, text: str, position: int | None) -> str:
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9]+", "-", shown(path.stem)).strip("-").lower()[:60] or "article"
    return f"{stem}-{position}-{digest}" if position is not None else f"{stem}-{digest}"


def parse_published(value: object) -> tuple[dt.date | None, str | None]:
    """A publication date from metadata, or None with a reason when it is unusable."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return _plausible(value.date(), str(value))
    if isinstance(value, dt.date):
        return _plausible(value, str(value))
    if not isinstance(value, str):
        return None, "date is not a string, article left undated"
    text = value.strip()
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        try:
            day = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            from email.utils import parsedate_to_datetime

            with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
                day = parsedate_to_datetime(text).date()
    if day is None:
        return None, f"invalid date {text[:40]!r}, article left undated"
    return _plausible(day, text)


def _plausible(day: dt.date, text: str) -> tuple[dt.date | None, str | None]:
    # Far-off years are typos, and week arithmetic near year 9999 would overflow.
    if not 1800 <= day.year <= 2200:
        return None, f"implausible date {text[:40]!r}, article left undated"
    return day, None
