"""Which workspace a command works on, and which files make it up."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from journeycode.i18n import msg, msgs
from journeycode.problems import WorkspaceError

SETTINGS_FILE = "journeycode.yaml"
MAPS = "maps"
"""The folder of a repository that holds its workspace, by convention."""
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Named:
    """A file or folder of a workspace named on the command line, as problems name it."""

    shown: str
    folder: bool


@dataclass(frozen=True)
class Target:
    """What a command was pointed at: a workspace folder, how problems name it,
    and the files or folders of it the user named, or None for all of it. A
    part is compiled with the whole workspace, since references cross files;
    only what it holds is reported."""

    root: Path
    display: str
    named: tuple[Named, ...] | None = None

    def holds(self, shown: str) -> bool:
        """Whether the file problems name ``shown`` is in what was named."""
        return self.named is None or any(
            shown == name.shown or (name.folder and shown.startswith(f"{name.shown}/"))
            for name in self.named
        )


@dataclass(frozen=True)
class _Search:
    found: Path | None
    start: Path
    stop: Path
    """The last folder looked in: a git repository's top, the file system's
    root, or the last one this user may look into."""
    why: str = msg("its git repository's top")

    def where(self) -> str:
        if self.stop == self.start:
            return msg("in {start} ({why})", start=str(self.start), why=self.why)
        return msg(
            "in {start} and the folders above it up to {stop} ({why})",
            start=str(self.start),
            stop=str(self.stop),
            why=self.why,
        )


def _search(start: Path, holding: Path | None = None) -> _Search:
    """The workspace for ``start``, found the way git finds ``.git``: going up
    from ``start``, the first folder that holds the settings file, or the
    ``maps`` folder of the first that has one (with ``holding``, only one that
    holds that path). It stops at the top of a git repository (a folder with
    ``.git``) and at the file system's root: a command never picks up maps of
    another project above the one it runs in."""
    here = start
    while True:
        try:
            if (_on_disk(here) / SETTINGS_FILE).is_file():
                return _Search(here, start, here)
            maps = here / MAPS
            if _on_disk(maps).is_dir() and (holding is None or holding.is_relative_to(maps)):
                return _Search(maps, start, here)
            if (_on_disk(here) / ".git").exists():
                return _Search(None, start, here)
        except PermissionError:
            return _Search(None, start, here, msg("a folder this user may not look into"))
        if here.parent == here:
            return _Search(None, start, here, msg("the file system's root"))
        here = here.parent


def workspace_above(start: Path) -> Path | None:
    """The workspace a command run in the folder ``start`` with no path works
    on (see :func:`_search`), if there is one."""
    return _search(_absolute(start)).found


def target(paths: Sequence[Path]) -> Target:
    """The workspace the command line's paths name, and the part of it.

    No path: the workspace found going up from the current folder. A folder
    with the settings file, or one no workspace above holds, is a workspace
    itself, named as given. A file, or a folder inside a workspace, is a part
    of the workspace that holds it; problems name its files from the current
    folder (absolutely, when the path was given so). Every path must be of one
    workspace."""
    here = Path.cwd()
    if not paths:
        search = _search(here)
        if search.found is None:
            raise WorkspaceError(
                msg(
                    "no workspace here: no {settings} and no {maps}/ folder {where}",
                    settings=SETTINGS_FILE,
                    maps=MAPS,
                    where=search.where(),
                ),
                msg("run it in the repository that holds the maps, or give the maps' folder"),
            )
        return Target(_on_disk(search.found), _relative(search.found, here))
    wholes: list[Path] = []
    parts: list[tuple[Path, Path, Path, bool]] = []  # as given, absolute, workspace, folder
    for given in paths:
        absolute = _absolute(given)
        try:
            probed = _on_disk(absolute)
            if not probed.exists() and not probed.is_symlink():
                raise WorkspaceError(msg("{path}: no such file or folder", path=str(given)))
            folder = probed.is_dir()
        except PermissionError:
            raise WorkspaceError(
                msg("{path}: this user may not read it", path=str(given))
            ) from None
        search = _search(absolute if folder else absolute.parent, absolute)
        if folder and search.found in (None, absolute):
            wholes.append(given)
        elif search.found is None:
            raise WorkspaceError(
                msg(
                    "{path} is in no workspace: no {settings} and no {maps}/ folder that "
                    "holds it {where}",
                    path=str(given),
                    settings=SETTINGS_FILE,
                    maps=MAPS,
                    where=search.where(),
                ),
                msg("give the folder that holds the maps instead"),
            )
        else:
            parts.append((given, absolute, search.found, folder))
    roots = {_absolute(w) for w in wholes} | {part[2] for part in parts}
    if len(roots) > 1:
        shown = ", ".join(sorted(_relative(root, here) or "." for root in roots))
        raise WorkspaceError(
            msgs(
                "the paths are in {count} workspaces ({shown}); one command checks one",
                "the paths are in {count} workspaces ({shown}); one command checks one",
                len(roots),
                shown=shown,
            ),
            msg("run it once for each workspace"),
        )
    if wholes:
        return Target(Path(wholes[0]), str(wholes[0]).rstrip("/") or ".")
    root = parts[0][2]
    shown_root = str(root) if parts[0][0].is_absolute() else _relative(root, here)
    named = tuple(
        Named(display(shown_root, absolute.relative_to(root)), folder)
        for _, absolute, _, folder in parts
    )
    return Target(_on_disk(root), shown_root, named)


def _absolute(path: Path) -> Path:
    # Not resolve(): a folder reached through a symlink is named as the user
    # sees it, and '..' goes up the way the user's shell went down.
    return Path(os.path.normpath(Path.cwd() / path))


def _on_disk(path: Path) -> Path:
    """An absolute ``path`` as the file system is asked about it: from the
    current folder, so that a folder above it this user may not pass through
    (a private temporary folder) does not hide one below that they may read."""
    return Path(os.path.relpath(path))


def _relative(path: Path, here: Path) -> str:
    """``path`` as seen from ``here`` ("" for ``here`` itself, as problems name
    the files of a workspace that is the current folder)."""
    shown = os.path.relpath(path, here)
    return "" if shown == "." else Path(shown).as_posix()


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
                msg("cannot read the folder: {reason}", reason=error.strerror),
                msg("make it readable, or move it out of the workspace"),
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
        msg("symlinks are not followed"),
        msg("copy the file into the workspace instead"),
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
