"""Writing outputs atomically: a build that is interrupted leaves the previous brief whole."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

# Our temporaries: ".NAME.PID.XXXXXXXX" (and ".NAME.XXXXXXXX" from before the pid was added),
# NAME being an output file of ours. A build killed between writing and renaming leaves one.
_TEMP = re.compile(
    r"\.(?P<name>.+\.(?:html|pdf|json|md|ics))\.(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\Z", re.S
)
STALE_SECONDS = 600  # an old-style temporary without a pid is stale after this long

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
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", dir=path.parent)
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


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove what killed builds left in ``folder``: only our own temporaries, and only those
    whose build is gone (its process no longer runs, or, without a pid, after STALE_SECONDS)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            pid = match["pid"]
            alive = _running(int(pid)) if pid else now - entry.stat().st_mtime < STALE_SECONDS
            if not alive:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except (OSError, ValueError):
            continue
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0  # exists, someone else's
    except OSError:
        return False
    return True
