"""Per-article analysis cache: one JSON file per article, keyed by content and pipeline version.

The key hashes every field of the article together with the *pipeline version*: a hash of the
briefgen package's source files, the spaCy model (name and version) and the settings that change
what the stages find (e.g. summary sentences). Editing any stage module, changing the model or a
setting therefore misses the cache instead of serving stale findings.

Entries live under ``platformdirs.user_cache_dir("briefgen")`` (``$XDG_CACHE_HOME/briefgen`` when
that is set), in a folder per pipeline version; only the most recently used versions are kept.
Entries are plain JSON (never pickle), written atomically, so a corrupt or foreign file is a
miss, not a crash. An entry is ``[key, rows]``: the article's key, and its analysis without the
article (the reader has it) with each finding as the list of its field values in order.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import tempfile
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.config import cache_dir
from briefgen.doc import Analysis, Article

if TYPE_CHECKING:
    pass

FORMAT = 2  # bump when the entry layout changes
KEEP_VERSIONS = 4
_PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def source_hash() -> str:
    """Hash of the source that decides an analysis: the per-article stages (``briefgen.article``)
    and every briefgen module they import, read from the imports themselves (not a hand-kept
    list), so editing a renderer or a week stage keeps cached analyses and editing a stage or
    the parse does not.

    Reading the imports parses each of those modules, a tenth of a second at every start; so
    the result is kept beside the cache with a hash of the whole package's source, and used
    again while that is unchanged (any edit anywhere in the package walks the imports anew).
    """
    try:
        package = _package_hash()
    except OSError:
        return _walked_source_hash()
    memo = cache_dir() / SOURCE_MEMO
    with contextlib.suppress(OSError, ValueError, UnicodeDecodeError):
        known = json.loads(memo.read_bytes()[:1000])
        if isinstance(known, dict) and known.get("package") == package:
            found = known.get("analysis")
            if isinstance(found, str) and len(found) == 64 and set(found) <= set(_HEX):
                return found
    value = _walked_source_hash()
    from briefgen.render.files import write_atomic  # rarely: the package changed

    with contextlib.suppress(OSError):
        write_atomic(memo, json.dumps({"package": package, "analysis": value}))
    return value


SOURCE_MEMO = "analysis-source.json"
_HEX = "0123456789abcdef"


def _package_hash() -> str:
    """Hash of every Python file in the package, by path and content."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8", "surrogateescape"))
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _walked_source_hash() -> str:
    h = hashlib.sha256()
    for path in analysis_sources():
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def analysis_sources() -> list[Path]:
    """The package's source files that ``briefgen.article`` imports, directly or not."""
    seen: set[Path] = set()
    todo = [_PACKAGE / "article" / "__init__.py"]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        todo.extend(_imported_files(path))
    return sorted(seen)


def _imported_files(path: Path) -> list[Path]:
    found: list[Path] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefgen"):
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("briefgen")]
        else:
            continue
        for name in names:
            parts = name.split(".")[1:]
            base = _PACKAGE.joinpath(*parts)
            found += [p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()]
            if len(parts) > 1:  # a package's own __init__ runs before its module
                found.append(_PACKAGE.joinpath(*parts[:-1], "__init__.py"))
    return found


def model_id(model: str | None) -> str:
    """``name==version`` of the spaCy model package named ``model``, without loading it."""
    from importlib import metadata

    from briefgen.nlp import model_name

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
    return _reader(kind)(data)


_Reader = Callable[[Any], Any]


@cache
def _reader(kind: Any) -> _Reader:
    """The function that reads ``kind`` from JSON data, made once per type.

    Reading a warm brief's 850 analyses is about 800,000 values: looking up each value's type
    annotation again (``get_origin``, ``get_args``, type hints) cost most of the cache look-up.
    """
    origin = typing.get_origin(kind)
    if origin is typing.Union or origin is types.UnionType:
        return _union_reader(kind)
    if origin is typing.Literal:
        allowed = typing.get_args(kind)

        def literal(data: Any) -> Any:
            if data not in allowed:
                raise ValueError(f"{data!r} is not one of {allowed}")
            return data

        return literal
    if origin in (list, tuple):
        return _sequence_reader(origin, typing.get_args(kind))
    if origin is dict:
        _, vt = typing.get_args(kind) or (str, Any)

        def mapping(data: Any) -> Any:
            if not isinstance(data, dict):
                raise ValueError(f"expected an object, got {type(data).__name__}")
            value = _reader(vt)
            return {k: value(v) for k, v in data.items()}

        return mapping
    if kind is Any:
        return _same
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _compiled_reader(kind)
    if kind is dt.date:
        return _date
    if kind is float:
        return _float
    if kind in (str, int, bool):
        return _exactly(kind)
    return _refuse(kind)


def _union_reader(kind: Any) -> _Reader:
    options = typing.get_args(kind)
    optional = type(None) in options
    others = [o for o in options if o is not type(None)]

    def union(data: Any) -> Any:
        if data is None and optional:
            return None
        errors = []
        for option in others:
            try:
                return _reader(option)(data)
            except (ValueError, TypeError, KeyError) as exc:
                errors.append(exc)
        raise ValueError(f"no type of {kind} fits {data!r}: {errors}")

    return union


def _sequence_reader(origin: Any, args: tuple[Any, ...]) -> _Reader:
    if origin is tuple and args and args[-1] is not Ellipsis:
        # A fixed-length tuple (``tuple[str, int, int, str]``) types each place on its own;
        # reading every place as the first type failed, so such entries never read back.
        places: list[_Reader] = []

        def fixed(data: Any) -> Any:
            if not isinstance(data, list):
                raise ValueError(f"expected a list, got {type(data).__name__}")
            if len(data) != len(args):
                raise ValueError(f"expected {len(args)} items, got {len(data)}")
            if not places:
                places.extend(_reader(a) for a in args)
            return tuple(read(v) for read, v in zip(places, data, strict=True))

        return fixed
    (item, *_) = args or (Any,)
    simple = item if item in (str, int, bool) else None
    each: list[_Reader] = []

    def sequence(data: Any) -> Any:
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {type(data).__name__}")
        if simple is not None and all(type(v) is simple for v in data):
            items = list(data)
        else:
            if not each:
                each.append(_reader(item))
            read = each[0]
            items = [read(v) for v in data]
        return items if origin is list else tuple(items)

    return sequence


def _dataclass_reader(kind: type) -> _Reader:
    names = frozenset(f.name for f in dataclasses.fields(kind))
    readers: dict[str, _Reader] = {}  # filled on first use: a field's type may be this one

    def instance(data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {kind.__name__}")
        if not readers:
            hints = _hints(kind)
            readers.update({name: _reader(hints[name]) for name in names})
        try:
            values = {name: readers[name](v) for name, v in data.items()}
        except KeyError:
            unknown = sorted(set(data) - names)
            raise ValueError(f"unknown fields for {kind.__name__}: {unknown}") from None
        return kind(**values)

    return instance


def _compiled_reader(kind: type) -> _Reader:
    """A reader of ``kind`` written out as straight-line Python on first use: one type check
    per field and one constructor call, where the generic reader made a call per value (a warm
    brief reads about 55,000 findings). Whatever the straight line does not expect (a missing or
    unknown field, a value of another type) goes to the generic reader, which gives the same
    value or the same error as before."""

    def instance(data: Any) -> Any:
        return _compiled(kind, False)(data)

    return instance


_SIMPLE = (str, int, bool)
_COMPILING: set[tuple[bool, type]] = set()


@cache
def _compiled(kind: type, rows: bool = False) -> _Reader:
    """The straight-line reader of ``kind`` from an object (``rows``: from the list of its
    field values in order, as cache entries hold them; anything else there is refused)."""
    _COMPILING.add((rows, kind))
    try:
        return _compile(kind, _not_a_row(kind) if rows else _dataclass_reader(kind), rows=rows)
    finally:
        _COMPILING.discard((rows, kind))


def _nested(kind: Any, rows: bool) -> _Reader:
    """The reader of a field's dataclass: written out now, unless it is the one being written
    (a type that holds itself), which its first use will have written."""
    if (rows, kind) in _COMPILING:
        return lambda data: _compiled(kind, rows)(data)
    return _compiled(kind, rows)


def _compile(
    kind: type, slow: _Reader, *, rows: bool = False, given: str = ""
) -> Callable[..., Any]:
    """``given``: a field not in the data but passed beside it (``read(data, value)``)."""
    hints = _hints(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    read = [name for name in names if name != given]
    env: dict[str, Any] = {"_kind": kind, "_slow": slow}
    shape = "list" if rows else "dict"
    # The same number of fields and each one found: the same fields (a KeyError otherwise).
    lines = [
        f"def read(data{', ' + given if given else ''}):",
        f"    if type(data) is not {shape} or len(data) != {len(read)}:",
        "        return _slow(data)",
        "    try:",
    ]
    for i, name in enumerate(names):
        if name == given:
            lines.append(f"        a{i} = {given}")
            continue
        lines.append(f"        v = data[{read.index(name) if rows else repr(name)}]")
        lines += _check(hints[name], f"a{i}", env, "        ", rows)
    lines += ["    except KeyError:", "        return _slow(data)"]
    slots = [kind.__dict__.get(name) for name in names]
    if hasattr(kind, "__post_init__") or not all(
        isinstance(slot, types.MemberDescriptorType) for slot in slots
    ):
        args = ", ".join(f"{name}=a{i}" for i, name in enumerate(names))
        lines.append(f"    return _kind({args})")
    else:
        # Every field given, nothing done after __init__: its slots are set directly, as a
        # frozen dataclass's own __init__ does through object.__setattr__ at thrice the cost.
        env["_new"] = object.__new__
        lines.append("    o = _new(_kind)")
        for i, slot in enumerate(slots):
            env[f"_set{i}"] = slot.__set__  # type: ignore[union-attr]
            lines.append(f"    _set{i}(o, a{i})")
        lines.append("    return o")
    exec("\n".join(lines), env)  # our own code, written from the dataclass fields
    reader: Callable[..., Any] = env["read"]
    return reader


def _check(kind: Any, target: str, env: dict[str, Any], pad: str, rows: bool) -> list[str]:
    """Lines that set ``target`` to ``kind`` read from ``v``, or hand ``data`` to the slow path."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    union = origin is typing.Union or origin is types.UnionType
    if union and len(args) == 2 and type(None) in args:
        other = args[0] if args[1] is type(None) else args[1]
        inner = _check(other, target, env, pad + "    ", rows)
        return [f"{pad}if v is None:", f"{pad}    {target} = None", f"{pad}else:", *inner]
    if kind in _SIMPLE:
        env[kind.__name__] = kind
        return [
            f"{pad}if type(v) is not {kind.__name__}:",
            f"{pad}    return _slow(data)",
            f"{pad}{target} = v",
        ]
    if kind is float:
        return [
            f"{pad}if type(v) is float:",
            f"{pad}    {target} = v",
            f"{pad}elif type(v) is int:",
            f"{pad}    {target} = float(v)",
            f"{pad}else:",
            f"{pad}    return _slow(data)",
        ]
    if origin is typing.Literal:
        env[f"{target}_allowed"] = args
        return [
            f"{pad}if v not in {target}_allowed:",
            f"{pad}    return _slow(data)",
            f"{pad}{target} = v",
        ]
    simple_items = origin in (list, tuple) and (
        (origin is list and len(args) == 1) or (origin is tuple and args[1:] == (Ellipsis,))
    )
    if simple_items and args[0] in _SIMPLE:
        item = args[0].__name__
        env[item] = args[0]
        return [
            f"{pad}if type(v) is not list:",
            f"{pad}    return _slow(data)",
            f"{pad}for x in v:",
            f"{pad}    if type(x) is not {item}:",
            f"{pad}        return _slow(data)",
            f"{pad}{target} = {origin.__name__}(v)",
        ]
    if simple_items:
        item_kind = args[0]
        direct = isinstance(item_kind, type) and dataclasses.is_dataclass(item_kind)
        env[f"{target}_item"] = _nested(item_kind, rows) if direct else _reader(item_kind)
        return [
            f"{pad}if type(v) is not list:",
            f"{pad}    return _slow(data)",
            f"{pad}{target} = {origin.__name__}([{target}_item(x) for x in v])",
        ]
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        env[f"{target}_read"] = _nested(kind, rows)
    else:
        env[f"{target}_read"] = _reader(kind)  # dates, fixed tuples, mappings, other unions
    return [f"{pad}{target} = {target}_read(v)"]


def _same(data: Any) -> Any:
    return data


def _date(data: Any) -> dt.date:
    if not isinstance(data, str):
        raise ValueError("expected an ISO date")
    return dt.date.fromisoformat(data)


def _float(data: Any) -> float:
    if isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    raise ValueError(f"expected {float}, got {data!r}")


def _exactly(kind: type) -> _Reader:
    def exactly(data: Any) -> Any:
        if type(data) is not kind:
            raise ValueError(f"expected {kind}, got {data!r}")
        return data

    return exactly


def _not_a_row(kind: type) -> _Reader:
    def refuse(data: Any) -> Any:
        raise ValueError(f"not a row of {kind.__name__}")

    return refuse


def _refuse(kind: Any) -> _Reader:
    def refuse(data: Any) -> Any:
        raise ValueError(f"expected {kind}, got {data!r}")

    return refuse


@cache
def _hints(kind: type) -> dict[str, Any]:
    from briefgen import doc

    return typing.get_type_hints(kind, vars(doc))


def to_rows(value: Any) -> Any:
    """As :func:`to_json`, but each dataclass as the list of its field values, in order: what a
    cache entry holds. Half the text of objects (no field names), read in half the time."""
    kind: Any = type(value)
    names = _field_names(kind)
    if names is not None:
        return [to_rows(getattr(value, name)) for name in names]
    if isinstance(value, list | tuple):
        return [to_rows(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_rows(v) for k, v in value.items()}
    return to_json(value)


@cache
def _entry_reader() -> Callable[[Any, Article], Analysis]:
    """Reads an analysis from its entry's rows, given its article (which the entry leaves out:
    the caller has it, and the entry's key stands for it)."""
    reader: Callable[[Any, Article], Analysis] = _compile(
        Analysis, _not_a_row(Analysis), rows=True, given="article"
    )
    return reader


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    data: dict[str, Any] = to_json(analysis)
    return data


def analysis_from_json(data: Any) -> Analysis:
    result: Analysis = from_json(Analysis, data)
    return result


# --- the cache -------------------------------------------------------------------------------


def article_key(article: Article, version: str) -> str:
    payload = json.dumps([version, to_json(article)], ensure_ascii=False, sort_keys=True)
    # surrogatepass: a lone surrogate (from a file name or text of any bytes) still hashes.
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


_ARTICLE = [f.name for f in dataclasses.fields(Analysis)].index("article")

# An analysis is a few kilobytes per article; an entry much bigger than its article is foreign.
MAX_ENTRY_BYTES = 50_000_000


class AnalysisCache:
    """Analyses of articles for one pipeline version, one JSON file per article."""

    def __init__(self, *, version: str, root: Path | None = None) -> None:
        self.version = version
        self.root = root or cache_dir()
        self.folder = self.root / "analysis" / version[:32]

    def path(self, article: Article) -> Path:
        return self._path(article_key(article, self.version))

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, article: Article) -> Analysis | None:
        """The cached analysis of ``article``, or None. An entry that cannot be read back
        (truncated, foreign, nested too deeply, too big, not a regular file) is a miss and is
        removed, so it costs one build, not every build."""
        key = article_key(article, self.version)
        path = self._path(key)
        try:
            info = path.lstat()
        except OSError:
            return None
        analysis: Analysis | None = None
        try:
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_ENTRY_BYTES:
                with path.open("rb") as fh:
                    data = json.loads(fh.read(MAX_ENTRY_BYTES + 1).decode("utf-8"))
                # An entry copied from another article's place names that article's key.
                if type(data) is list and len(data) == 2 and data[0] == key:
                    analysis = _entry_reader()(data[1], article)
        except OSError:
            return None
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError):
            analysis = None
        if analysis is None:
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return analysis

    def put(self, analysis: Analysis) -> None:
        key = article_key(analysis.article, self.version)
        path = self._path(key)
        rows = to_rows(analysis)
        del rows[_ARTICLE]  # the reader has the article; the key stands for it
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                # dumps, not dump: json.dump encodes in pure Python, dumps in C; same text.
                fh.write(json.dumps([key, rows], ensure_ascii=False))
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


# --- stems ------------------------------------------------------------------------------------


class StemCache:
    """Every stem a build worked out, kept for the next (a word's stem depends on the word and
    NLTK's version only, which names the file): a warm build then stems nothing, and does not
    import nltk at all. A file that cannot be read back is ignored and replaced."""

    def __init__(self, *, root: Path | None = None) -> None:
        from importlib import metadata

        try:
            version = metadata.version("nltk")
        except metadata.PackageNotFoundError:
            version = "unknown"
        self.path = (root or cache_dir()) / "stems" / f"nltk-{version}.json"
        self._loaded = 0

    def load(self) -> None:
        from briefgen.words import learn_stems

        try:
            info = self.path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                return
            data = json.loads(self.path.read_bytes().decode("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and all(
            type(k) is str and type(v) is str for k, v in data.items()
        ):
            learn_stems(data)
            self._loaded = len(data)

    def save(self) -> None:
        """Write the stems back if this build worked out new ones (best effort: a cache)."""
        from briefgen.words import known_stems

        stems = known_stems()
        if len(stems) <= self._loaded:
            return
        from briefgen.render.files import write_atomic

        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(stems, ensure_ascii=False))
            self._loaded = len(stems)


# --- rendered PDFs ---------------------------------------------------------------------------
