"""Parsed and validated map files kept on disk between runs of a command.

One file per workspace folder, below the cache folder's ``parsed``: every map
file's data, its line and column marks and its schema problems, by the digest
of the file's name and bytes (the compiler's :data:`~journeycode.compiler.FileCache`
key). A second ``journeycode check`` parses and validates only the files that
changed. Written with :mod:`marshal` (plain values only: it runs no code when
read), stamped with journeycode's version and the cache layout; a cache that
cannot be read is ignored and one that cannot be written only costs time.
"""

from __future__ import annotations

import contextlib
import marshal
from array import array
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from journeycode import __version__, atomic, digest
from journeycode.loader import Positions, SourceFile
from journeycode.problems import Level, Problem
from journeycode.schema import Validation

LAYOUT = 1
Entry = tuple[SourceFile, Validation]


class DiskCache(MutableMapping[str, Entry]):
    """The compiler's file cache, read from and saved to one file."""

    def __init__(self, folder: Path, workspace: Path):
        self.path = folder / "parsed" / digest.of(str(workspace.resolve()))
        self.stored: dict[str, Any] = {}
        self.entries: dict[str, Entry] = {}
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            stamp, stored = marshal.loads(self.path.read_bytes())
            if stamp == (__version__, LAYOUT) and isinstance(stored, dict):
                self.stored = stored

    def __getitem__(self, key: str) -> Entry:
        if key not in self.entries:
            try:
                self.entries[key] = _entry(self.stored[key])
            except (TypeError, ValueError):  # an entry of another shape: not ours
                raise KeyError(key) from None
        return self.entries[key]

    def __setitem__(self, key: str, value: Entry) -> None:
        self.entries[key] = value

    def __delitem__(self, key: str) -> None:
        del self.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def save(self) -> None:
        """Keep what this run used: the entries of files since deleted go."""
        kept = {k: self.stored.get(k) or _stored(v) for k, v in self.entries.items()}
        if kept.keys() == self.stored.keys():
            return
        with contextlib.suppress(OSError, ValueError):
            atomic.write_bytes(self.path, marshal.dumps(((__version__, LAYOUT), kept)))


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
        [
            (p.path, p.line, p.col, p.rule, p.level.value, p.message, p.hint)
            for p in validation.problems
        ],
        validation.faults,
    )


def _entry(stored: tuple[Any, ...]) -> Entry:
    path, display, data, line_type, lines, column_type, columns, problems, faults = stored
    positions = Positions(data, array(line_type, lines), array(column_type, columns))
    found = [
        Problem(where, line, col, rule, Level(level), message, hint)
        for where, line, col, rule, level, message, hint in problems
    ]
    return SourceFile(Path(path), display, data, positions), Validation(found, list(faults))
