"""Write files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _umask()


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place.

    The temporary file's name carries the writer's process id, so a later run
    can tell one left by a killed writer (see :func:`sweep`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp"
    )
    try:
        # mkstemp makes the file private; give it the mode a plain open() would.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temporary).unlink()
        raise


_TEMPORARY = re.compile(r"\..+\.(\d+)-\w+\.tmp\Z")


def sweep(folder: Path, name: str = "*", *, recursive: bool = False) -> int:
    """Remove the temporary files that writers killed mid-write left in
    ``folder`` (and below it, with ``recursive``) for targets matching the glob
    ``name``; those of live writers stay. Returns how many were removed."""
    removed = 0
    pattern = f".{name}.*.tmp"
    for candidate in folder.rglob(pattern) if recursive else folder.glob(pattern):
        found = _TEMPORARY.match(candidate.name)
        if found and not _alive(int(found.group(1))):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's live process, or not a pid we can ask about
    return True
