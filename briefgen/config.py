"""Settings from ``briefgen.toml``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CONFIG_NAME = "briefgen.toml"


def read_config(path: Path | None = None) -> tuple[Path | None, dict[str, Any]]:
    """The whole parsed config file, and where it was found (``None, {}`` when there is none).

    Without ``path``: ``briefgen/config.toml`` in the user config folder, else nothing. A
    ``briefgen.toml`` in the working folder is never read unless named (``--config``): the
    working folder may be an unpacked archive or a shared checkout, and its config could point
    the theme at any folder, the archive or the mail settings.
    """
    import tomllib

    if path is None:
        from platformdirs import user_config_dir

        path = Path(user_config_dir("briefgen")) / "config.toml"
        if not path.is_file():
            return None, {}
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [{name}] must be a table")
    return table


def load_desk(path: Path | None = None) -> list[str]:
    """The desk's watch terms: ``watch = [...]`` of the ``[desk]`` table (found as for
    :func:`read_config`): people, organisations, places, topics or phrases."""
    path, data = read_config(path)
    if path is None:
        return []
    table = _table(path, data, "desk")
    unknown = sorted(set(table) - {"watch"})
    if unknown:
        raise ValueError(f"{path}: unknown [desk] setting {unknown[0]!r}")
    watch = table.get("watch", [])
    if isinstance(watch, str):
        watch = [watch]
    if not isinstance(watch, list) or not all(isinstance(w, str) for w in watch):
        raise ValueError(f"{path}: [desk] watch must be a list of strings")
    return [w for w in watch if w.strip()]


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The ``[render]`` table of a TOML config file (see :func:`read_config`), with
    ``templates`` made absolute. Unknown keys are an error so typos do not pass silently.
    """
    # Here, not at the top: the renderers read cache_dir from this module.
    from briefgen.render.options import PAPERS, RenderOptions

    path, data = read_config(path)
    if path is None:
        return {}
    table = _table(path, data, "render")
    known = {f for f in RenderOptions.__dataclass_fields__}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ValueError(f"{path}: unknown [render] setting {unknown[0]!r}")
    settings = dict(table)
    if "templates" in settings:
        settings["templates"] = (path.parent / str(settings["templates"])).resolve()
    if "paper" in settings and str(settings["paper"]).lower() not in PAPERS:
        raise ValueError(f"{path}: paper must be one of {', '.join(PAPERS)}")
    return settings


def cache_dir() -> Path:
    """Where analyses and rendered PDFs are cached: ``$XDG_CACHE_HOME/briefgen`` or the like."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefgen", appauthor=False))


def default_jobs() -> int:
    """The cores this process may run on: the default for --jobs and for a long PDF's parts."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
