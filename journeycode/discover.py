"""Which files make up a workspace."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "journeycode.yaml"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Found:
    """A candidate map file: its path, how problems name it, and whether it is a symlink."""

    path: Path
    display: str
    symlink: bool


def map_files(root: Path, display_root: str) -> list[Found]:
    """Every ``*.yaml``/``*.yml`` below ``root`` in sorted path order.

    Hidden folders (``.git``) are skipped and the settings file at the top is not
    a map. Symlinks are reported rather than followed, so nothing outside the
    workspace is ever read.
    """
    found: list[Found] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        rel_folder = here.relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                found.append(_found(root, display_root, rel_folder / name, symlink=True))
        for name in filenames:
            if not name.endswith(SUFFIXES) or name.startswith("."):
                continue
            if rel_folder == Path() and name == SETTINGS_FILE:
                continue
            found.append(
                _found(root, display_root, rel_folder / name, symlink=(here / name).is_symlink())
            )
    return sorted(found, key=lambda f: f.display)


def _found(root: Path, display_root: str, rel: Path, *, symlink: bool) -> Found:
    display = (Path(display_root) / rel).as_posix() if display_root else rel.as_posix()
    return Found(root / rel, display, symlink)
