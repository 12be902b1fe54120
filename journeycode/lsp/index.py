"""Where every id of a compiled workspace is defined and where it is used.

Built from the model by the entity-kinds table (:mod:`journeycode.kinds`), so
a new reference field is indexed the day it is added there; the rows of the
measurement exports count as uses of their KPI. Ids of catalog
kinds and journeys are shared by the workspace; the ids of stages,
touchpoints, pain points and opportunities are local to their journey, so
their key carries the journey's id as its scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeycode import kinds
from journeycode.model import Entity, Workspace

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
    definition: bool
    field: str = "id"

    def covers(self, path: Path, line: int, col: int) -> bool:
        return path == self.path and line == self.line and self.col <= col <= self.col + self.length


@dataclass
class Index:
    definitions: dict[Key, list[Site]]
    references: dict[Key, list[Site]]
    entities: dict[Key, Entity]
    by_file: dict[Path, list[Site]]

    def at(self, path: Path, line: int, col: int) -> Site | None:
        """The id at a 1-based position, defined or referred to there."""
        return next((s for s in self.by_file.get(path, ()) if s.covers(path, line, col)), None)

    def sites(self, key: Key) -> list[Site]:
        return [*self.definitions.get(key, ()), *self.references.get(key, ())]

    def ids(self, kind: str, scope: str = "") -> dict[str, Entity]:
        """The entities of a kind (within a journey, for a local kind), by id."""
        return {
            key[2]: entity
            for key, entity in self.entities.items()
            if key[0] == kind and key[1] == scope
        }


def scope_of(kind: str, journey: str) -> str:
    return "" if kinds.KINDS[kind].shared else journey


def build(workspace: Workspace, text_of: Callable[[Path], str | None]) -> Index:
    """The index of ``workspace``; ``text_of`` gives a file's text (None when it
    cannot), to place an id exactly when it is quoted."""
    split: dict[Path, list[str]] = {}

    def lines_of(path: Path) -> list[str]:
        if path not in split:
            split[path] = (text_of(path) or "").splitlines()
        return split[path]

    definitions: dict[Key, list[Site]] = defaultdict(list)
    references: dict[Key, list[Site]] = defaultdict(list)
    entities: dict[Key, Entity] = {}
    by_file: dict[Path, list[Site]] = defaultdict(list)
    journey_of = {j.src.file.path: j.id for j in workspace.journeys}
    for entity in kinds.walk(workspace):
        kind = kinds.of(entity)
        file = entity.src.file
        journey = journey_of.get(file.path, "")
        key = (kind.name, scope_of(kind.name, journey), entity.id)
        entities.setdefault(key, entity)
        lines = lines_of(file.path)
        site = _site(file.path, lines, file.locate((*entity.src.pointer, "id")), entity.id, key)
        definitions[key].append(site)
        by_file[file.path].append(site)
        for reference, index, ident in kinds.references(entity):
            pointer = (*entity.src.pointer, reference.field)
            if index is not None:
                pointer = (*pointer, index)
            target = (reference.target, scope_of(reference.target, journey), ident)
            used = _site(file.path, lines, file.locate(pointer), ident, target, reference.field)
            references[target].append(used)
            by_file[file.path].append(used)
    for kpi in workspace.kpis:
        key = ("kpi", "", kpi.id)
        for measured in (*kpi.measurements, *kpi.breakdown):
            if measured.row is None or measured.kpi_col is None:
                continue
            display, line = measured.row.rsplit(":", 1)
            path = Path(display)
            if path.is_absolute():  # the server names files by their full path
                position = (int(line), measured.kpi_col)
                used = _site(path, lines_of(path), position, kpi.id, key, "kpi")
                references[key].append(used)
                by_file[path].append(used)
    return Index(dict(definitions), dict(references), entities, dict(by_file))


def _site(
    path: Path,
    lines: list[str],
    position: tuple[int, int],
    ident: str,
    key: Key,
    field: str = "id",
) -> Site:
    line, col = position
    if 0 < line <= len(lines) and lines[line - 1][col - 1 : col] in ("'", '"'):
        col += 1  # inside the quotes
    return Site(path, line, col, len(ident), key, field == "id", field)
