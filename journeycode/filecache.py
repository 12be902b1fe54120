"""What ``journeycode check`` keeps on disk between runs.

A folder per workspace, below the cache folder's ``parsed``, with a file per
entry of two tables: every map file's data, its line and column marks and its
schema problems, by the digest of the file's name and bytes (the compiler's
:data:`~journeycode.compiler.FileCache` key); and what the rules found in each
journey (:data:`~journeycode.runner.Memo`). A second check parses and validates
only the files that changed, and runs the rules' journey parts only on the
journeys that changed; it writes only the new entries and removes those it no
longer used. Written with :mod:`marshal` (plain values only: it runs no code
when read), each entry stamped with journeycode's version and the cache
layout, and read and written as :mod:`journeycode.cachedir` says (what the
cache trusts); an entry that cannot be read is a miss and one that cannot be
written only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import time
from array import array
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from journeycode import __version__, atomic, cachedir, digest, i18n
from journeycode.compiler import SETTLED_NS, Caches, Compiled, Stamp, stamp
from journeycode.discover import Found
from journeycode.loader import Positions, SourceFile
from journeycode.problems import Fix, Level, Problem, Subject, WorkspaceError
from journeycode.runner import Checked
from journeycode.schema import Validation

LAYOUT = 10
STAMP = (__version__, LAYOUT)
Entry = tuple[SourceFile, Validation]
V = TypeVar("V")
C = TypeVar("C")


class Table(MutableMapping[str, V], Generic[V]):
    """One table of the cache: an entry is read from its file only when asked
    for, and written only when new."""

    def __init__(
        self,
        folder: Path | None,
        prefix: str,
        load: Callable[[str, Any], V],
        store: Callable[[V], Any],
    ):
        self.folder, self.prefix = folder, prefix
        self.entries: dict[str, V] = {}
        self.read: set[str] = set()
        """The keys whose entry came from the disk."""
        self.reading = True
        """Whether entries are read from the disk (no more once one misled a compile)."""
        self.load, self.store = load, store

    def name(self, key: str) -> str:
        # A key may hold characters a file name should not: its digest names the file.
        return f"{self.prefix}{hashlib.blake2b(key.encode(), digest_size=16).hexdigest()}"

    def __getitem__(self, key: str) -> V:
        if key not in self.entries:
            if self.folder is None or not self.reading:
                raise KeyError(key)
            raw = cachedir.read(self.folder / self.name(key))
            if raw is None:
                raise KeyError(key)
            try:
                stamp, stored_key, plain = marshal.loads(raw)
                if stamp != STAMP or stored_key != key:
                    raise ValueError("another version's entry")
                self.entries[key] = self.load(key, plain)
            # An entry of another shape than its reader expects is a miss, whatever
            # it fails with: the cache never decides whether a check can run.
            except Exception:
                raise KeyError(key) from None
            self.read.add(key)
        return self.entries[key]

    def __setitem__(self, key: str, value: V) -> None:
        self.entries[key] = value

    def __delitem__(self, key: str) -> None:
        del self.entries[key]
        self.read.discard(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def save(self) -> set[str]:
        """Write the entries that did not come from the disk; the names of
        the files of every entry kept."""
        if self.folder is None:
            return set()
        for key, value in self.entries.items():
            if key not in self.read:
                with contextlib.suppress(ValueError):
                    cachedir.write(
                        self.folder / self.name(key), marshal.dumps((STAMP, key, self.store(value)))
                    )
                    self.read.add(key)
        return {self.name(key) for key in self.entries}


Checked_files = list[tuple[str, Stamp, list[Problem]]]
"""What the last check found, by file: its path, its stamp then, its problems."""


class DiskCache:
    """The compiler's file cache and the rules' memo, in one folder; and what
    the last check found, for the language server to show before it has
    checked anything itself."""

    def __init__(self, folder: Path, workspace: Path):
        self.folder = folder / "parsed" / digest.of(str(workspace.resolve()))
        used = self.folder if cachedir.usable(self.folder, folder) else None
        self.files: Table[Entry] = Table(used, "file-", _entry, _stored)
        self.checked: Table[Checked] = Table(used, "journey-", _checked, _plain_checked)
        self.found: Table[tuple[str | None, Checked_files]] = Table(
            used, "found-", _found, _plain_found
        )

    def remember(self, compiled: Compiled, files: list[Found]) -> None:
        """Keep what a check found, by file, with each file's stamp now:
        a file whose stamp is the same later still holds those problems (but
        what the rules say across files may have changed since)."""
        by_display: dict[str, list[Problem]] = {}
        for problem in compiled.result.problems:
            by_display.setdefault(problem.path, []).append(problem)
        kept: Checked_files = []
        settled = time.time_ns() - SETTLED_NS
        for found in files:
            with contextlib.suppress(OSError):
                now = stamp(found.path)
                # One that changed just now may change again within its stamp's tick.
                if now[0] < settled:
                    kept.append((str(found.path), now, by_display.get(found.display, [])))
        language = compiled.settings.language
        self.found[_FOUND] = None if language is None else language.tag, kept

    def last_found(self) -> tuple[i18n.Language | None, Checked_files] | None:
        """The language and the problems by file of the last check, if one was kept."""
        found = self.found.get(_FOUND)
        if found is None:
            return None
        tag, files = found
        return i18n.LANGUAGES.get(tag) if tag else None, files

    def caches(self, stamps: dict[tuple[Path, str], tuple[Stamp, str]] | None = None) -> Caches:
        """The compiler's caches, with these two tables (and ``stamps``, for a
        caller that compiles again in the same process)."""
        writes = self.files.folder is not None
        return Caches(
            files=self.files,
            checked=self.checked,
            stamps=stamps,
            save_files=self.files.save if writes else None,
            save_checked=self.checked.save if writes else None,
        )

    def discard(self) -> None:
        """Forget every entry and read none from the disk any more; what is
        compiled from now on replaces them when saved."""
        for table in (self.files, self.checked, self.found):
            table.entries.clear()
            table.read.clear()
            table.reading = False

    def save(self) -> None:
        """Write what is new; remove the entries this run did not use (files
        since changed or deleted), and what killed writers left."""
        if self.files.folder is None:
            return
        kept = self.files.save() | self.checked.save() | self.found.save()
        with contextlib.suppress(OSError):
            for entry in self.folder.iterdir():
                if entry.name not in kept and not entry.name.startswith("."):
                    entry.unlink()
            atomic.sweep(self.folder)


# One for the process: `mkdocs serve` makes a new plugin object on every
# rebuild, and a rebuild after an edit should read and check only that file.
_KEPT: dict[tuple[Path, Path], tuple[DiskCache, Caches]] = {}


def kept(folder: Path, workspace: Path) -> tuple[DiskCache, Caches]:
    """A workspace's caches for a command or a site build: on disk, and in
    memory for as long as the process runs (the rebuilds of one ``serve``)."""
    key = folder, workspace.resolve()
    if key not in _KEPT:
        disk = DiskCache(folder, workspace)
        _KEPT[key] = disk, disk.caches(stamps={})
    return _KEPT[key]


def compile_cached(disk: DiskCache, caches: Caches, run: Callable[[Caches], C]) -> C:
    """``run(caches)``. An entry can hold what
    reading it cannot tell is wrong (data of the right shape on the outside,
    of another inside, with no schema problem recorded): where the compile fails
    after taking entries from the disk, those are discarded, said once, and the
    compile runs again on the files alone; a failure without them is a bug."""
    try:
        return run(caches)
    except WorkspaceError:
        raise
    except Exception:
        if not (disk.files.read or disk.checked.read):
            raise
    cachedir.notice(
        f"the cache folder {disk.folder} held entries journeycode could not use; "
        "the maps were read again without them"
    )
    disk.discard()
    fresh = disk.caches(stamps=None if caches.stamps is None else {})
    for key, (kept_disk, _) in list(_KEPT.items()):
        if kept_disk is disk:
            _KEPT[key] = disk, fresh
    return run(fresh)


def _stored(entry: Entry) -> tuple[Any, ...]:
    file, validation = entry
    positions = file.positions
    return (
        str(file.path),
        file.display,
        file.data,
        positions.lines.typecode,
        positions.lines.tobytes(),
        positions.columns.typecode,
        positions.columns.tobytes(),
        [_plain(p) for p in validation.problems],
        validation.faults,
        [(*at, *named) for at, named in validation.names.items()],
    )


def _entry(key: str, stored: tuple[Any, ...]) -> Entry:
    path, display, data, line_type, lines, column_type, columns, problems, faults, names = stored
    _expect(isinstance(path, str) and isinstance(display, str))
    _expect(all(_is_pointer(fault) for fault in faults))
    _expect(
        all(
            len(named) == 4 and all(type(n) is int for n in named[:2]) and _is_pair(named[2:])
            for named in names
        )
    )
    positions = Positions(data, array(line_type, lines), array(column_type, columns))
    found = [_problem(p) for p in problems]
    file = SourceFile(Path(path), display, data, positions, key)
    return file, Validation(found, list(faults), {(n[0], n[1]): (n[2], n[3]) for n in names})


_FOUND = "last check"


def _plain_found(found: tuple[str | None, Checked_files]) -> tuple[Any, ...]:
    language, files = found
    return language, [(path, at, [_plain(p) for p in problems]) for path, at, problems in files]


def _found(key: str, stored: tuple[Any, ...]) -> tuple[str | None, Checked_files]:
    language, files = stored
    _expect(language is None or isinstance(language, str))
    kept: Checked_files = []
    for path, at, problems in files:
        _expect(isinstance(path, str) and isinstance(at, tuple) and len(at) == 4)
        _expect(all(type(number) is int for number in at))
        kept.append((path, at, [_problem(p) for p in problems]))
    return language, kept


def _plain_checked(checked: Checked) -> tuple[Any, ...]:
    problems, silenced = checked
    return [_plain(p) for p in problems], list(silenced)


def _checked(key: str, stored: tuple[Any, ...]) -> Checked:
    problems, silenced = stored
    waived = tuple((display, tuple(pointer), rule) for display, pointer, rule in silenced)
    _expect(all(isinstance(d, str) and _is_pointer(p) and isinstance(r, str) for d, p, r in waived))
    return tuple(_problem(p) for p in problems), waived


def _plain(p: Problem) -> tuple[Any, ...]:
    subject = None if p.subject is None else (p.subject.kind, p.subject.id)
    fix = None if p.fix is None else (p.fix.old, p.fix.new)
    return (
        p.path,
        p.line,
        p.col,
        p.rule,
        p.level.value,
        i18n.stored(p.message),
        i18n.stored(p.hint),
        subject,
        p.detail,
        fix,
    )


def _problem(plain: tuple[Any, ...]) -> Problem:
    where, line, col, rule, level, message, hint, subject, detail, fix = plain
    _expect(isinstance(detail, tuple))
    message, hint = i18n.restored(message), i18n.restored(hint)
    _expect(
        all(isinstance(text, str) for text in (where, rule, message, *detail))
        and all(type(number) is int for number in (line, col))
        and isinstance(hint, str | None)
        and all(_is_pair(pair) for pair in (subject, fix))
    )
    return Problem(
        where,
        line,
        col,
        rule,
        Level(level),
        message,
        hint,
        subject=None if subject is None else Subject(*subject),
        detail=detail,
        fix=None if fix is None else Fix(*fix),
    )


def _is_pair(pair: Any) -> bool:
    """None, or two texts: how a subject and a fix are stored."""
    return pair is None or (
        isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
    )


def _is_pointer(pointer: Any) -> bool:
    return isinstance(pointer, list | tuple) and all(
        isinstance(step, str) or type(step) is int for step in pointer
    )


def _expect(shape: bool) -> None:
    """What the rest of journeycode takes a problem or a pointer to be is
    checked as an entry is read: a wrong one is a miss here, not a crash in a
    reporter later."""
    if not shape:
        raise ValueError("an entry of another shape")
