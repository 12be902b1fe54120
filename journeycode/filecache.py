"""What ``journeycode check`` keeps on disk between runs.

One file per workspace folder, below the cache folder's ``parsed``, with two
tables: every map file's data, its line and column marks and its schema
problems, by the digest of the file's name and bytes (the compiler's
:data:`~journeycode.compiler.FileCache` key); and what the rules found in each
journey (:data:`~journeycode.rules.Memo`). A second check parses and validates
only the files that changed, and runs the rules' journey parts only on the
journeys that changed. Written with :mod:`marshal` (plain values only: it runs
no code when read), stamped with journeycode's version and the cache layout; a
cache that cannot be read is ignored and one that cannot be written only costs
time.
"""

from __future__ import annotations

import contextlib
import marshal
from array import array
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from journeycode import __version__, atomic, digest
from journeycode.loader import Positions, SourceFile
from journeycode.problems import Level, Problem
from journeycode.rules import Checked
from journeycode.schema import Validation

LAYOUT = 3
Entry = tuple[SourceFile, Validation]
V = TypeVar("V")


class Table(MutableMapping[str, V], Generic[V]):
    """One table of the cache: each entry stored as its own marshalled bytes,
    so a run that changes one entry writes the others as they were read;
    entries are turned back into values only when asked for, and into plain
    values again only when new."""

    def __init__(
        self,
        stored: Any,
        load: Callable[[str, Any], V],
        store: Callable[[V], Any],
    ):
        self.stored: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self.entries: dict[str, V] = {}
        self.load, self.store = load, store

    def __getitem__(self, key: str) -> V:
        if key not in self.entries:
            try:
                self.entries[key] = self.load(key, marshal.loads(self.stored[key]))
            except (TypeError, ValueError, EOFError):  # an entry of another shape: not ours
                raise KeyError(key) from None
        return self.entries[key]

    def __setitem__(self, key: str, value: V) -> None:
        self.entries[key] = value

    def __delitem__(self, key: str) -> None:
        del self.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def kept(self) -> dict[str, Any]:
        """What this run used, as plain values: the entries of files since
        changed or deleted go."""
        return {
            k: self.stored.get(k) or marshal.dumps(self.store(v)) for k, v in self.entries.items()
        }


class DiskCache:
    """The compiler's file cache and the rules' memo, read from and saved to one file."""

    def __init__(self, folder: Path, workspace: Path):
        self.path = folder / "parsed" / digest.of(str(workspace.resolve()))
        files: Any = None
        checked: Any = None
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            stamp, stored = marshal.loads(self.path.read_bytes())
            if stamp == (__version__, LAYOUT) and isinstance(stored, dict):
                files, checked = stored.get("files"), stored.get("checked")
        self.files: Table[Entry] = Table(files, _entry, _stored)
        self.checked: Table[Checked] = Table(checked, _checked, _plain_checked)

    def save(self) -> None:
        files, checked = self.files.kept(), self.checked.kept()
        unchanged = files.keys() == self.files.stored.keys()
        if unchanged and checked.keys() == self.checked.stored.keys():
            return
        with contextlib.suppress(OSError, ValueError):
            layout = ((__version__, LAYOUT), {"files": files, "checked": checked})
            atomic.write_bytes(self.path, marshal.dumps(layout))


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
    )


def _entry(key: str, stored: tuple[Any, ...]) -> Entry:
    path, display, data, line_type, lines, column_type, columns, problems, faults = stored
    positions = Positions(data, array(line_type, lines), array(column_type, columns))
    found = [_problem(p) for p in problems]
    file = SourceFile(Path(path), display, data, positions, key)
    return file, Validation(found, list(faults))


def _plain_checked(checked: Checked) -> tuple[Any, ...]:
    problems, silenced = checked
    return [_plain(p) for p in problems], list(silenced)


def _checked(key: str, stored: tuple[Any, ...]) -> Checked:
    problems, silenced = stored
    return (
        tuple(_problem(p) for p in problems),
        tuple((display, tuple(pointer), rule) for display, pointer, rule in silenced),
    )


def _plain(p: Problem) -> tuple[Any, ...]:
    return p.path, p.line, p.col, p.rule, p.level.value, p.message, p.hint


def _problem(plain: tuple[Any, ...]) -> Problem:
    where, line, col, rule, level, message, hint = plain
    return Problem(where, line, col, rule, Level(level), message, hint)
