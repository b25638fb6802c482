"""Writing outputs atomically: a build that is interrupted leaves the previous brief whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# --- output ----------------------------------------------------------------------------------


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write via a temporary file and a rename, so an interrupted build keeps the old file."""
    write_all_atomic({path: content})


def write_all_atomic(files: dict[Path, str | bytes]) -> None:
    """Write every file to a temporary beside it first, then rename them all.

    An interruption while writing leaves every old file as it was and no temporaries behind;
    only the renames themselves, each atomic, remain between the old brief and the new one.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
        while staged:
            tmp, path = staged[0]
            os.replace(tmp, path)
            staged.pop(0)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
