"""Which files make up a workspace."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "journeycode.yaml"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Found:
    """A candidate map file: its path, how problems name it, and why it is
    refused unread (a symlink, a folder that cannot be listed), if it is."""

    path: Path
    display: str
    refused: str | None = None
    hint: str | None = None


def map_files(root: Path, display_root: str) -> list[Found]:
    """Every ``*.yaml``/``*.yml`` below ``root`` in sorted path order.

    Hidden folders (``.git``) are skipped and the settings file at the top is not
    a map. Symlinks are reported rather than followed, so nothing outside the
    workspace is ever read; a folder that cannot be listed is reported too, so
    its maps are never silently left out.
    """
    found: list[Found] = []

    def unreadable(error: OSError) -> None:
        rel = Path(error.filename or root).relative_to(root)
        found.append(
            _found(
                root,
                display_root,
                rel,
                f"cannot read the folder: {error.strerror}",
                "make it readable, or move it out of the workspace",
            )
        )

    for folder, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(folder)
        rel_folder = here.relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                found.append(_symlink(root, display_root, rel_folder / name))
        for name in filenames:
            if not is_map_file((*rel_folder.parts, name)):
                continue
            if (here / name).is_symlink():
                found.append(_symlink(root, display_root, rel_folder / name))
            else:
                found.append(_found(root, display_root, rel_folder / name))
    return sorted(found, key=lambda f: f.display)


def is_map_file(parts: Sequence[str]) -> bool:
    """Whether the file at ``parts`` (path components below the workspace) is
    a map file: a ``*.yaml`` or ``*.yml`` in no hidden folder, not hidden
    itself, and not the settings file at the top. A revision's files are picked
    by this too."""
    return (
        len(parts) > 0
        and parts[-1].endswith(SUFFIXES)
        and not any(part.startswith(".") for part in parts)
        and tuple(parts) != (SETTINGS_FILE,)
    )


def _symlink(root: Path, display_root: str, rel: Path) -> Found:
    return _found(
        root,
        display_root,
        rel,
        "symlinks are not followed",
        "copy the file into the workspace instead",
    )


def _found(
    root: Path, display_root: str, rel: Path, refused: str | None = None, hint: str | None = None
) -> Found:
    return Found(root / rel, display(display_root, rel), refused, hint)


def display(display_root: str, rel: Path) -> str:
    """How problems name the file at ``rel`` below the workspace folder. A
    name that is not UTF-8 (its bytes kept by Python as lone surrogates, which
    no report can write) shows those bytes escaped, as ``\\xff``."""
    shown = (Path(display_root) / rel).as_posix() if display_root else rel.as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
