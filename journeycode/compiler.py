"""load → validate → model → rules: the pure core behind every command.

Nothing here prints or exits; failures that stop the whole run are raised as
:class:`WorkspaceError`, problems in the maps are returned as data.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeycode import (
    config,
    discover,
    flows,
    halves,
    loader,
    measurements,
    pipeline_rules,
    resolve,
    runner,
    schema,
)
from journeycode.flows.read import Kept as FlowsKept
from journeycode.i18n import msg
from journeycode.model import Workspace
from journeycode.problems import Problem, Result, WorkspaceError

FileCache = MutableMapping[str, "tuple[loader.SourceFile, schema.Validation]"]
"""Parsed and validated files by the digest of their name and bytes: a file
whose bytes did not change is neither parsed nor validated again."""

Stamp = tuple[int, int, int, int]
"""A file's modification and change times, size and inode."""

# A file changed less than this long ago may change again within the same
# tick of the file system's clock, its stamp unchanged: it is read each time.
SETTLED_NS = 1_000_000_000


@dataclass
class Caches:
    """What a caller that compiles the same folder again keeps between compiles:
    parsed and validated files (``files``), what each of them added to the model
    (``models``), what the rules found in each journey (``checked``), and, for a
    long-running caller, each file's stamp (``stamps``), so that a file on disk
    whose stamp did not change is not even read."""

    files: FileCache = field(default_factory=dict)
    models: resolve.Models = field(default_factory=dict)
    checked: runner.Memo = field(default_factory=dict)
    stamps: MutableMapping[tuple[Path, str], tuple[Stamp, str]] | None = None
    flows: FlowsKept = field(default_factory=dict)
    """What each flow file gave, for a caller that compiles the folder again in
    the same process (``stamps`` given)."""
    save_files: Callable[[], object] | None = None
    save_checked: Callable[[], object] | None = None
    """Each writes the new entries of its table where another process can
    read them: then a one-shot compile reads its new files, and checks its
    new journeys, on two cores (:mod:`journeycode.halves`)."""


@dataclass(frozen=True)
class Compiled:
    workspace: Workspace
    settings: config.Config
    result: Result


@contextlib.contextmanager
def gc_paused(*, one_shot: bool = False) -> Iterator[None]:
    """The loader makes millions of small containers and no cycles: the cycle
    collector would scan them again and again for nothing.

    ``one_shot``: the process ends soon after (a command), so what was made
    lives as long as the process; it is moved out of the collector's sight
    (``gc.freeze``), or the first collection after would scan it all once more
    (50 ms for 300 journeys), and every full one after that again. Never in a
    long-lived process (the language server, ``mkdocs serve``): frozen objects
    are freed when nothing refers to them any more, but a cycle among them
    (an error's traceback, say) is never collected, so every compile would
    leave its cycles behind for good."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if one_shot:
                gc.freeze()
            gc.enable()


@functools.cache
def frozen_at_exit() -> None:
    """What the process made moved out of the cycle collector's sight as it
    exits (``gc.freeze`` at exit), for a host whose process may or may not
    end after the work (``mkdocs build`` or ``mkdocs serve``): the
    interpreter's last collections would otherwise scan everything once more
    only to free it (a quarter of a second after a site's build)."""
    atexit.register(gc.freeze)


def compile_workspace(
    root: Path,
    display: str | None = None,
    *,
    today: datetime.date | None = None,
    max_bytes: int = loader.MAX_BYTES,
    overlay: Mapping[Path, bytes] | None = None,
    caches: Caches | None = None,
    one_shot: bool = False,
) -> Compiled:
    """Read, validate and check every map below ``root``.

    ``display`` is how problems name the folder (default: ``root`` as given).
    A file that fails to load is reported and left out; in a file that fails
    validation only the entities at fault are left out of the model.
    ``overlay`` holds files' unsaved text (an editor's), by path, read instead
    of the disk; ``caches`` what is kept between compiles of the folder.
    ``one_shot`` is for a command whose process ends after it (see
    :func:`gc_paused`); a long-lived caller leaves it false.
    """
    if not root.exists():
        raise WorkspaceError(msg("{path}: no such folder", path=str(root)))
    if not root.is_dir():
        raise WorkspaceError(
            msg(
                "{path}: not a folder; give the workspace folder that holds the maps",
                path=str(root),
            )
        )
    display_root = root.as_posix() if display is None else display
    settings = config.load(root, display_root, runner.DEFAULTS)
    with gc_paused(one_shot=one_shot):
        return _compile(
            root, display_root, settings, today, max_bytes, overlay or {}, caches, one_shot
        )


def _compile(
    root: Path,
    display_root: str,
    settings: config.Config,
    today: datetime.date | None,
    max_bytes: int,
    overlay: Mapping[Path, bytes],
    caches: Caches | None,
    one_shot: bool,
) -> Compiled:
    problems: list[Problem] = []
    loaded: list[tuple[loader.SourceFile, list[loader.Pointer]]] = []
    unparsed: list[bytes | None] = []
    validations: list[schema.Validation] = []
    found = discover.map_files(root, display_root)
    if not found:
        raise WorkspaceError(
            msg("no map files (*.yaml, *.yml) below {folder}", folder=display_root or "."),
            msg("give the folder that holds the maps"),
        )
    used: set[str] = set()
    if one_shot and caches is not None and caches.save_files is not None:
        # The bytes it read are not read again.
        overlay = {
            **overlay,
            **_read_in_two(found, overlay, max_bytes, caches.files, caches.save_files),
        }
    for candidate in found:
        if candidate.refused is not None:
            problems.append(_load_problem(candidate.display, candidate.refused, candidate.hint))
            unparsed.append(None)
            continue
        try:
            file, validation = _read(candidate, overlay, max_bytes, caches, used)
        except loader.LoadError as error:
            problems.append(
                _load_problem(candidate.display, error.message, error.hint, error.line, error.col)
            )
            if error.rest is not None:  # the file's other sections, where they can be read
                problems.extend(
                    p
                    for p in schema.validate(error.rest).problems
                    if (p.line, p.col) != (error.line, error.col)
                )
            unparsed.append(error.source)
            continue
        except OSError as error:
            problems.append(
                _load_problem(
                    candidate.display, msg("cannot read the file: {reason}", reason=error.strerror)
                )
            )
            unparsed.append(None)
            continue
        validations.append(validation)
        loaded.append((file, validation.faults))
    if caches is not None:  # the files as they were before an edit go
        _keep_only(caches.files, used)
        if caches.stamps is not None:
            _keep_only(caches.stamps, {(c.path, c.display) for c in found})
    workspace = resolve.build(root, loaded, unparsed, caches.models if caches else None)
    for (file, _), validation in zip(loaded, validations, strict=True):
        problems.extend(schema.named(file, validation, workspace))
    exports = measurements.read(root, display_root, settings.measurements, workspace)
    workspace = measurements.merged(workspace, exports.rows)
    problems.extend(exports.problems)
    kept_flows = caches.flows if caches and caches.stamps is not None else None
    flow_files = flows.attach(root, display_root, settings.flows, workspace, kept_flows)
    workspace = flow_files.workspace
    problems.extend(flow_files.problems)
    checked = caches.checked if caches else None
    save = caches.save_checked if caches and one_shot else None
    day = today or datetime.date.today()
    problems.extend(runner.run(workspace, settings.rules, day, checked, save))
    files = [*(f.display for f in found), *exports.files, *flow_files.files]
    return Compiled(workspace, settings, Result.of(problems, files))


def _read_in_two(
    found: list[discover.Found],
    overlay: Mapping[Path, bytes],
    max_bytes: int,
    files: FileCache,
    persist: Callable[[], object],
) -> dict[Path, bytes]:
    """Parse and validate the files not yet in ``files`` into it, on two
    cores (:func:`halves.in_two`); the bytes of every file read, by path.
    What cannot be read (a mistake) is left for the caller's loop, which
    says why."""
    new: list[tuple[discover.Found, bytes, str]] = []
    read: dict[Path, bytes] = {}
    for candidate in found:
        if candidate.refused is not None or candidate.path in overlay:
            continue
        try:
            raw = loader.read_bytes(candidate.path, max_bytes)
        except (OSError, loader.LoadError):
            continue
        read[candidate.path] = raw
        key = _file_key(candidate, raw)
        if key not in files:
            new.append((candidate, raw, key))

    def parse(item: tuple[discover.Found, bytes, str]) -> None:
        candidate, raw, key = item
        with contextlib.suppress(loader.LoadError):
            file = loader.from_bytes(candidate.path, candidate.display, raw, key)
            files[key] = file, schema.validate(file)

    halves.in_two(new, parse, persist)
    return read


def _file_key(candidate: discover.Found, raw: bytes) -> str:
    """A file cache's key: the digest of the file's path, name and bytes."""
    return hashlib.blake2b(
        b"%s\0%s\0%s" % (os.fsencode(candidate.path), candidate.display.encode(), raw),
        digest_size=20,
    ).hexdigest()


def _keep_only(cache: MutableMapping[Any, Any], used: Collection[Any]) -> None:
    for stale in [key for key in cache if key not in used]:
        del cache[stale]


def _read(
    candidate: discover.Found,
    overlay: Mapping[Path, bytes],
    max_bytes: int,
    caches: Caches | None,
    used: set[str],
) -> tuple[loader.SourceFile, schema.Validation]:
    """One file parsed and validated, or taken from the cache by its bytes
    (or, with stamps, by its unchanged stamp)."""
    raw = overlay.get(candidate.path)
    if raw is not None and len(raw) > max_bytes:
        raise loader.LoadError(loader.over_limit(len(raw), max_bytes), hint=loader.SPLIT)
    if caches is None:
        if raw is None:
            raw = loader.read_bytes(candidate.path, max_bytes)
        file = loader.from_bytes(candidate.path, candidate.display, raw)
        return file, schema.validate(file)
    where = (candidate.path, candidate.display)
    now = None
    if raw is None and caches.stamps is not None:
        now = stamp(candidate.path)
        known = caches.stamps.get(where)
        if known is not None and known[0] == now and known[1] in caches.files:
            used.add(known[1])
            return caches.files[known[1]]
    if raw is None:
        raw = loader.read_bytes(candidate.path, max_bytes)
    key = _file_key(candidate, raw)
    used.add(key)
    if now is not None and caches.stamps is not None and time.time_ns() - now[0] > SETTLED_NS:
        caches.stamps[where] = now, key
    found = caches.files.get(key)
    if found is None:
        file = loader.from_bytes(candidate.path, candidate.display, raw, key)
        found = caches.files[key] = file, schema.validate(file)
    return found


def stamp(path: Path) -> Stamp:
    """A file's stamp: when it changed, its size and its inode."""
    status = path.stat()
    return status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino


def pinned_today() -> datetime.date | None:
    """JOURNEYCODE_TODAY pins "today" (stale-review) for reproducible runs."""
    pinned = os.environ.get("JOURNEYCODE_TODAY")
    if not pinned:
        return None
    try:
        return datetime.date.fromisoformat(pinned)
    except ValueError:
        raise WorkspaceError(
            msg("JOURNEYCODE_TODAY={value} is not a date (YYYY-MM-DD)", value=repr(pinned))
        ) from None


def check(root: Path, display: str | None = None, today: datetime.date | None = None) -> Result:
    return compile_workspace(root, display, today=today).result


def _load_problem(
    display: str, message: str, hint: str | None = None, line: int = 1, col: int = 1
) -> Problem:
    return Problem(display, line, col, pipeline_rules.LOAD, pipeline_rules.LEVEL, message, hint)
