"""Measurements from the contact centre's own exports: CSV files below the
workspace's ``measurements/`` folder (``measurements: {path: …}`` in
``journeycode.yaml`` moves it).

A file has a header row. The columns ``kpi``, ``period_end`` (YYYY-MM-DD) and
``value`` are required; ``journey``, ``stage``, ``channel`` and ``segment``
break a KPI down (such rows go to the KPI's ``breakdown``; the others are its
own measurements, merged with the ones written in the maps). An export whose
headers differ is mapped in the settings:
``measurements: {columns: {kpi: Metric, period_end: Interval End, value: Value}}``.

Every row is checked like a map, each problem at its ``file:line:col``: an
unknown KPI (with a did-you-mean), a value that is not a number or is outside
the KPI's range, a date that is not a date, the same KPI and period twice.
A row with a problem is left out; the rest are used.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from journeycode import discover, loader
from journeycode.config import MEASUREMENT_COLUMNS, Measurements
from journeycode.model import BREAKDOWN, Kpi, Measurement, Workspace
from journeycode.problems import Level, Problem
from journeycode.suggest import did_you_mean

RULE = "measurements"
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Read:
    """What the measurement files gave: rows by KPI, problems, the files read."""

    rows: dict[str, list[Measurement]]
    problems: list[Problem]
    files: list[str]


def files(root: Path, settings: Measurements) -> list[Path]:
    """The ``*.csv`` files below the measurements folder, in sorted order; hidden
    folders and symlinks are left alone, as for maps."""
    folder = root / settings.path
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for here, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(here) / name
            if name.lower().endswith(".csv") and not path.is_symlink():
                found.append(path)
    return sorted(found)


def read(root: Path, display_root: str, settings: Measurements, workspace: Workspace) -> Read:
    out = Read({}, [], [])
    seen: dict[tuple[str | None, ...], str] = {}
    for kpi in workspace.kpis:
        for m in kpi.measurements:
            seen[(kpi.id, m.date, None, None, None, None)] = _where(kpi)
    for path in files(root, settings):
        display = discover.display(display_root, path.relative_to(root))
        out.files.append(display)
        _File(display, settings, workspace, seen, out).read(path)
    return out


def merged(workspace: Workspace, rows: Mapping[str, list[Measurement]]) -> Workspace:
    """The workspace with each KPI's file rows added: its own values to its
    measurements, the broken-down ones to its breakdown."""
    if not rows:
        return workspace
    kpis = []
    for kpi in workspace.kpis:
        extra = rows.get(kpi.id)
        if extra:
            own: list[Measurement] = []
            parts: list[Measurement] = []
            for m in extra:
                (parts if m.journey or m.stage or m.channel or m.segment else own).append(m)
            kpi = dataclasses.replace(
                kpi,
                measurements=kpi.measurements + tuple(own),
                breakdown=kpi.breakdown + tuple(parts),
            )
        kpis.append(kpi)
    return dataclasses.replace(workspace, kpis=tuple(kpis))


def _where(kpi: Kpi) -> str:
    line, col = kpi.src.file.locate(kpi.src.pointer)
    return f"{kpi.src.file.display}:{line}:{col}"


class _File:
    def __init__(
        self,
        display: str,
        settings: Measurements,
        workspace: Workspace,
        seen: dict[tuple[str | None, ...], str],
        out: Read,
    ):
        self.display, self.settings, self.workspace = display, settings, workspace
        self.seen, self.out = seen, out
        self.lines: list[str] = []

    def problem(self, line: int, col: int, message: str, hint: str | None = None) -> None:
        self.out.problems.append(Problem(self.display, line, col, RULE, Level.ERROR, message, hint))

    def read(self, path: Path) -> None:
        try:
            text = loader.read_bytes(path, MAX_BYTES).decode("utf-8-sig")
        except loader.LoadError as error:
            self.problem(1, 1, error.message, error.hint)
            return
        except UnicodeDecodeError:
            self.problem(1, 1, "not UTF-8 text", "export the file as UTF-8 CSV")
            return
        except OSError as error:
            self.problem(1, 1, f"cannot read the file: {error.strerror}")
            return
        self.lines = text.splitlines()
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header is None:
            self.problem(1, 1, "the file is empty", "give a header row: kpi,period_end,value")
            return
        columns = {name: index for index, name in enumerate(h.strip() for h in header)}
        wanted = self.settings.columns
        missing = [wanted[n] for n in MEASUREMENT_COLUMNS[:3] if wanted[n] not in columns]
        if missing:
            self.problem(
                1,
                1,
                f"no column {', '.join(repr(m) for m in missing)} in the header",
                "name them in the header, or map your headers under measurements: columns: "
                "in journeycode.yaml",
            )
            return
        index = {n: columns.get(wanted[n]) for n in MEASUREMENT_COLUMNS}
        width = len(header)
        for row in reader:
            if not row or not "".join(row).strip():
                continue
            if len(row) < width:
                row += [""] * (width - len(row))
            self.row(reader.line_num, row, index)

    def col(self, line: int, cell: int) -> int:
        """The column where cell number ``cell`` starts on ``line``."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        quoted, current, position = False, 0, 0
        while position < len(text) and current < cell:
            char = text[position]
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                current += 1
            position += 1
        return position + 1

    def row(self, line: int, row: list[str], index: Mapping[str, int | None]) -> None:
        """One data row (padded to the header's width): checked, then kept."""
        k, d, v = index["kpi"], index["period_end"], index["value"]
        assert k is not None and d is not None and v is not None
        kpi_id, date, raw = row[k].strip(), row[d].strip(), row[v].strip()
        kpi = self.workspace.kpi_by_id.get(kpi_id)
        if kpi is None:
            if not self.workspace.may_define("kpi", kpi_id):
                self.problem(
                    line,
                    self.col(line, k),
                    f"unknown KPI '{kpi_id}'" if kpi_id else "no KPI on this row",
                    did_you_mean(kpi_id, self.workspace.kpi_by_id),
                )
            return
        if len(date) != 10 or not _is_date(date):
            self.problem(line, self.col(line, d), f"period end {date!r} is not a date (YYYY-MM-DD)")
            return
        try:
            # No thousands separators: in many exports a comma is the decimal mark.
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.problem(line, self.col(line, v), f"{raw!r} is not a number")
            return
        if kpi.range is not None and not kpi.range[0] <= value <= kpi.range[1]:
            low, high = kpi.range
            self.problem(
                line,
                self.col(line, v),
                f"{value:g} is outside the range of KPI '{kpi.id}' [{low:g}, {high:g}]",
            )
            return
        journey, stage, channel, segment = (
            row[i].strip() or None if i is not None else None for i in self.parts(index)
        )
        parts = (journey, stage, channel, segment)
        key = (kpi.id, date, *parts)
        first = self.seen.get(key)
        if first is not None:
            named = zip(BREAKDOWN, parts, strict=True)
            self.problem(
                line,
                1,
                f"KPI '{kpi.id}' is measured twice for the period ending {date}"
                + "".join(f", {n} {p}" for n, p in named if p),
                f"first at {first}; keep one",
            )
            return
        self.seen[key] = f"{self.display}:{line}:1"
        self.out.rows.setdefault(kpi.id, []).append(
            Measurement(
                date,
                value,
                journey,
                stage,
                channel,
                segment,
                f"{self.display}:{line}",
                self.col(line, k),
            )
        )

    def parts(self, index: Mapping[str, int | None]) -> list[int | None]:
        return [index[name] for name in BREAKDOWN]


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
