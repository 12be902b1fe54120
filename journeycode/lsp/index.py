"""Where every id of a compiled workspace is defined and where it is used.

Built from the model by the entity-kinds table (:mod:`journeycode.kinds`), so
a new reference field is indexed the day it is added there; the rows of the
measurement exports count as uses of their KPI. Ids of catalog kinds and
journeys are shared by the workspace; the ids of stages, touchpoints, pain
points and opportunities are local to their journey, so their key carries the
journey's id as its scope.

Building it walks the model only. A use is placed in its file (line and
column) when a request needs it: the uses of one file for the id under a
cursor, the uses of one id for its references or a rename. Placing all of a
large portfolio's ids after every edit would cost more than the compile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeycode import kinds
from journeycode.compiler import gc_paused
from journeycode.loader import Pointer, SourceFile
from journeycode.model import Entity, Journey, Kpi, Workspace

Key = tuple[str, str, str]
"""(kind, scope, id): scope is "" for shared kinds, the journey's id for local ones."""


@dataclass(frozen=True)
class Site:
    """An id written in a file: 1-based line and column of its first
    character (inside the quotes, if it is quoted), and its length."""

    path: Path
    line: int
    col: int
    length: int
    key: Key

    def covers(self, path: Path, line: int, col: int) -> bool:
        return path == self.path and line == self.line and self.col <= col <= self.col + self.length


_Use = tuple[Path, Key, SourceFile | None, Pointer, tuple[int, int]]
"""An id written somewhere, not placed yet: (file path, key, and the map file
and pointer, or a known position: a measurement file's row). Plain
tuples: a large portfolio has a hundred thousand of them."""
_SHARED = {kind.name: kind.shared for kind in kinds.KINDS.values()}


class Index:
    def __init__(self, workspace: Workspace, text_of: Callable[[Path], str | None]):
        self._text_of = text_of
        self._lines: dict[Path, list[str]] = {}
        self._placed: dict[_Use, Site] = {}
        self._files: dict[Path, list[Site]] = {}
        self.entities: dict[Key, Entity] = {}
        self._defined: dict[Key, list[_Use]] = defaultdict(list)
        self._used: dict[Key, list[_Use]] = defaultdict(list)
        self._by_file: dict[Path, list[_Use]] = defaultdict(list)
        with gc_paused():  # a hundred thousand small tuples, and no cycle among them
            self._walk(workspace)

    def _walk(self, workspace: Workspace) -> None:
        defined, used, by_file = self._defined, self._used, self._by_file
        journey_of = {j.src.file.path: j.id for j in workspace.entities(Journey)}
        nowhere = (1, 1)
        for entity in kinds.walk(workspace):
            kind = kinds.of(entity).name
            file = entity.src.file
            path, at = file.path, entity.src.pointer
            journey = journey_of.get(path, "")
            key = (kind, "" if _SHARED[kind] else journey, entity.id)
            self.entities.setdefault(key, entity)
            use: _Use = (path, key, file, (*at, "id"), nowhere)
            defined[key].append(use)
            by_file[path].append(use)
            for reference, index, ident in kinds.references(entity):
                name, target = reference.field, reference.target
                pointer = (*at, name) if index is None else (*at, name, index)
                key = (target, "" if _SHARED[target] else journey, ident)
                use = (path, key, file, pointer, nowhere)
                used[key].append(use)
                by_file[path].append(use)
        for kpi in workspace.entities(Kpi):
            key = ("kpi", "", kpi.id)
            for measured in (*kpi.measurements, *kpi.breakdown):
                if measured.row is None or measured.kpi_col is None:
                    continue
                display, line = measured.row.rsplit(":", 1)
                path = Path(display)
                if path.is_absolute():  # the server names files by their full path
                    use = (path, key, None, (), (int(line), measured.kpi_col))
                    used[key].append(use)
                    by_file[path].append(use)

    # --- questions -------------------------------------------------------------------

    def defines(self, key: Key) -> bool:
        return key in self._defined

    def uses(self, key: Key) -> int:
        """How many times the id is referred to."""
        return len(self._used.get(key, ()))

    def definitions(self, key: Key) -> list[Site]:
        return [self._place(u) for u in self._defined.get(key, ())]

    def references(self, key: Key, most: int | None = None) -> list[Site]:
        return [self._place(u) for u in self._used.get(key, ())[:most]]

    def sites(self, key: Key) -> list[Site]:
        return [*self.definitions(key), *self.references(key)]

    def at(self, path: Path, line: int, col: int) -> Site | None:
        """The id at a 1-based position, defined or referred to there."""
        if path not in self._files:
            self._files[path] = [self._place(u) for u in self._by_file.get(path, ())]
        return next((s for s in self._files[path] if s.covers(path, line, col)), None)

    def ids(self, kind: str, scope: str = "") -> dict[str, Entity]:
        """The entities of a kind (within a journey, for a local kind), by id."""
        return {
            key[2]: entity
            for key, entity in self.entities.items()
            if key[0] == kind and key[1] == scope
        }

    # --- placing ---------------------------------------------------------------------

    def _place(self, use: _Use) -> Site:
        placed = self._placed.get(use)
        if placed is None:
            path, key, file, pointer, position = use
            line, col = file.locate(pointer) if file is not None else position
            lines = self._lines_of(path)
            if 0 < line <= len(lines) and lines[line - 1][col - 1 : col] in ("'", '"'):
                col += 1  # inside the quotes
            placed = Site(path, line, col, len(key[2]), key)
            self._placed[use] = placed
        return placed

    def _lines_of(self, path: Path) -> list[str]:
        if path not in self._lines:
            self._lines[path] = (self._text_of(path) or "").splitlines()
        return self._lines[path]


def scope_of(kind: str, journey: str) -> str:
    return "" if _SHARED[kind] else journey
