"""load → validate → model → rules: the pure core behind every command.

Nothing here prints or exits; failures that stop the whole run are raised as
:class:`WorkspaceError`, problems in the maps are returned as data.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import os
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from journeycode import config, discover, loader, measurements, resolve, rules, schema
from journeycode.model import Workspace
from journeycode.problems import Level, Problem, Result, WorkspaceError

LOAD_RULE = "load"

FileCache = MutableMapping[str, "tuple[loader.SourceFile, schema.Validation]"]
"""Parsed and validated files by the digest of their name and bytes: a file
whose bytes did not change is neither parsed nor validated again."""


@dataclass(frozen=True)
class Compiled:
    workspace: Workspace
    settings: config.Config
    result: Result


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The loader makes millions of small containers and no cycles: the cycle
    collector would scan them again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compile_workspace(
    root: Path,
    display: str | None = None,
    *,
    today: datetime.date | None = None,
    max_bytes: int = loader.MAX_BYTES,
    overlay: Mapping[Path, bytes] | None = None,
    cache: FileCache | None = None,
    models: resolve.Models | None = None,
    memo: rules.Memo | None = None,
) -> Compiled:
    """Read, validate and check every map below ``root``.

    ``display`` is how problems name the folder (default: ``root`` as given).
    A file that fails to load is reported and left out; in a file that fails
    validation only the entities at fault are left out of the model.
    ``overlay`` holds files' unsaved text (an editor's), by path, read instead
    of the disk; ``cache`` keeps parsed and validated files between runs, and
    ``models`` what each of them added to the model, and ``memo`` what the
    rules found in each journey (a server keeps all three).
    """
    if not root.exists():
        raise WorkspaceError(f"{root}: no such folder")
    if not root.is_dir():
        raise WorkspaceError(f"{root}: not a folder; give the workspace folder that holds the maps")
    display_root = root.as_posix() if display is None else display
    settings = config.load(root, display_root)
    with gc_paused():
        return _compile(
            root, display_root, settings, today, max_bytes, overlay or {}, cache, models, memo
        )


def _compile(
    root: Path,
    display_root: str,
    settings: config.Config,
    today: datetime.date | None,
    max_bytes: int,
    overlay: Mapping[Path, bytes],
    cache: FileCache | None,
    models: resolve.Models | None,
    memo: rules.Memo | None,
) -> Compiled:
    problems: list[Problem] = []
    loaded: list[tuple[loader.SourceFile, list[loader.Pointer]]] = []
    unparsed: list[bytes | None] = []
    found = discover.map_files(root, display_root)
    if not found:
        raise WorkspaceError(
            f"no map files (*.yaml, *.yml) below {display_root or '.'}",
            "give the folder that holds the maps (default: maps)",
        )
    used: set[str] = set()
    for candidate in found:
        if candidate.refused is not None:
            problems.append(_load_problem(candidate.display, candidate.refused, candidate.hint))
            unparsed.append(None)
            continue
        try:
            file, validation = _read(candidate, overlay, max_bytes, cache, used)
        except loader.LoadError as error:
            problems.append(
                _load_problem(candidate.display, error.message, error.hint, error.line, error.col)
            )
            unparsed.append(error.source)
            continue
        except OSError as error:
            problems.append(
                _load_problem(candidate.display, f"cannot read the file: {error.strerror}")
            )
            unparsed.append(None)
            continue
        problems.extend(validation.problems)
        loaded.append((file, validation.faults))
    if cache is not None:  # the files as they were before an edit go
        for stale in [key for key in cache if key not in used]:
            del cache[stale]
    workspace = resolve.build(root, loaded, unparsed, models)
    exports = measurements.read(root, display_root, settings.measurements, workspace)
    workspace = measurements.merged(workspace, exports.rows)
    problems.extend(exports.problems)
    problems.extend(rules.run(workspace, settings, today or datetime.date.today(), memo))
    files = [*(f.display for f in found), *exports.files]
    return Compiled(workspace, settings, Result.of(problems, files))


def _read(
    candidate: discover.Found,
    overlay: Mapping[Path, bytes],
    max_bytes: int,
    cache: FileCache | None,
    used: set[str],
) -> tuple[loader.SourceFile, schema.Validation]:
    """One file parsed and validated, or taken from the cache by its bytes."""
    raw = overlay.get(candidate.path)
    if raw is None:
        raw = loader.read_bytes(candidate.path, max_bytes)
    elif len(raw) > max_bytes:
        raise loader.LoadError(
            loader.over_limit(len(raw), max_bytes), hint="split it into several files"
        )
    key = ""
    if cache is not None:
        key = hashlib.blake2b(
            b"%s\0%s\0%s" % (str(candidate.path).encode(), candidate.display.encode(), raw),
            digest_size=20,
        ).hexdigest()
        used.add(key)
        found = cache.get(key)
        if found is not None:
            return found
    file = loader.from_bytes(candidate.path, candidate.display, raw)
    done = file, schema.validate(file)
    if cache is not None:
        cache[key] = done
    return done


def pinned_today() -> datetime.date | None:
    """JOURNEYCODE_TODAY pins "today" (stale-review) for reproducible runs."""
    pinned = os.environ.get("JOURNEYCODE_TODAY")
    if not pinned:
        return None
    try:
        return datetime.date.fromisoformat(pinned)
    except ValueError:
        raise WorkspaceError(f"JOURNEYCODE_TODAY={pinned!r} is not a date (YYYY-MM-DD)") from None


def check(root: Path, display: str | None = None, today: datetime.date | None = None) -> Result:
    return compile_workspace(root, display, today=today).result


def _load_problem(
    display: str, message: str, hint: str | None = None, line: int = 1, col: int = 1
) -> Problem:
    return Problem(display, line, col, LOAD_RULE, Level.ERROR, message, hint)
