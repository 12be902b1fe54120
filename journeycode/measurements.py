"""Measurements from the contact centre's own exports: CSV files below the
workspace's ``measurements/`` folder (``measurements: {path: …}`` in
``journeycode.yaml`` moves it).

A file has a header row. The columns ``kpi``, ``period_end`` (YYYY-MM-DD) and
``value`` are required; ``journey``, ``stage``, ``channel`` and ``segment``
break a KPI down (such rows go to the KPI's ``breakdown``; the others are its
own measurements, merged with the ones written in the maps). An export whose
headers differ is mapped in the settings:
``measurements: {columns: {kpi: Metric, period_end: Interval End, value: Value}}``.

Lines may end in ``\n``, ``\r\n`` or ``\r``; a quoted cell may hold line
breaks (its row is then located at its first line) and be as long as the file.

Every row is checked like a map, each problem at its ``file:line:col``: an
unknown KPI (with a did-you-mean), a value that is not a number or is outside
the KPI's range, a date that is not a date, the same KPI and period twice.
A row with a problem is left out; the rest are used. A header that names a
column twice is an error naming both (the file is not read when journeycode
reads that column), and a file with a NUL character (a binary file, or UTF-16
read as UTF-8) is not read, the first NUL located.
"""

from __future__ import annotations

import _csv
import contextlib
import csv
import dataclasses
import datetime
import io
import math
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from journeycode import discover, i18n, loader, pipeline_rules, positions, suggest
from journeycode.config import MEASUREMENT_COLUMNS, Measurements
from journeycode.i18n import msg
from journeycode.model import BREAKDOWN, Kpi, Measurement, Workspace
from journeycode.problems import Fix, Level, Problem, Subject
from journeycode.quoting import terminal
from journeycode.suggest import show

MAX_BYTES = 200 * 1024 * 1024
MAX_PROBLEMS = 1000  # of one file
_AS_UTF8 = msg("export the file as UTF-8 CSV")


@dataclass
class Read:
    """What the measurement files gave: rows by KPI, problems, the files read."""

    rows: dict[str, list[Measurement]]
    problems: list[Problem]
    files: list[str]
    sources: dict[str, str] = field(default_factory=dict)
    """Each file's source: the measurements folder, or a source's ``files``."""
    counts: dict[str, int] = field(default_factory=dict)
    """Each file's data rows, read or not."""


@dataclass(frozen=True)
class SourceRead:
    """What one source (or the measurements folder) gave, for
    ``journeycode measurements``: its files and rows, the periods, KPIs and
    parts its values are of, the values (a computed KPI's with the source of
    its first row), and its problems: what was left out, and why."""

    name: str
    where: str | None
    """``file:line:col`` of the source in the settings; None for the folder."""
    files: tuple[str, ...]
    rows: int
    values: tuple[tuple[str, Measurement], ...]
    """(KPI id, value), by KPI, period and part."""
    ignored: tuple[Problem, ...]

    @property
    def periods(self) -> list[str]:
        return sorted({m.date for _, m in self.values})

    @property
    def kpis(self) -> list[str]:
        return sorted({kpi for kpi, _ in self.values})

    @property
    def parts(self) -> list[str]:
        return sorted({part(m) for _, m in self.values} - {""})


@dataclass(frozen=True)
class Shown:
    sources: tuple[SourceRead, ...]
    other: tuple[Problem, ...]
    """The problems of no source's file: the computed KPIs' settings."""


def part(m: Measurement) -> str:
    """A value's breakdown as the problems name it: ``channel phone, segment Retail``."""
    return ", ".join(
        f"{name} {value}"
        for name, value in zip(BREAKDOWN, (m.journey, m.stage, m.channel, m.segment), strict=True)
        if value
    )


def shown(root: Path, display_root: str, settings: Measurements, workspace: Workspace) -> Shown:
    """What the measurement files of a compiled ``workspace`` give, source by
    source: they are read again against the maps' own measurements."""
    kpis = [
        dataclasses.replace(
            kpi,
            measurements=tuple(m for m in kpi.measurements if m.row is None),
            breakdown=tuple(m for m in kpi.breakdown if m.row is None),
        )
        for kpi in workspace.entities(Kpi)
    ]
    written = dataclasses.replace(
        workspace, definitions={**workspace.definitions, Kpi: tuple(kpis)}
    )
    found = read(root, display_root, settings, written)
    names = [settings.path, *(s.files for s in settings.sources)]
    wheres: dict[str, str | None] = {settings.path: None}
    wheres.update((s.files, s.where) for s in settings.sources)
    values: dict[str, list[tuple[str, Measurement]]] = {n: [] for n in names}
    for kpi, rows in found.rows.items():
        for m in rows:
            file = (m.row or "").rsplit(":", 1)[0]
            values[found.sources.get(file, settings.path)].append((kpi, m))
    ignored: dict[str, list[Problem]] = {n: [] for n in names}
    other: list[Problem] = []
    for problem in found.problems:
        source = found.sources.get(problem.path)
        (ignored[source] if source is not None else other).append(problem)
    out = []
    for name in dict.fromkeys(names):
        files = tuple(f for f in found.files if found.sources.get(f) == name)
        if name == settings.path and not files:
            continue  # no folder of exports: only the sources are read
        out.append(
            SourceRead(
                name,
                wheres[name],
                files,
                sum(found.counts.get(f, 0) for f in files),
                tuple(sorted(values[name], key=lambda v: (v[0], v[1].date, part(v[1])))),
                tuple(ignored[name]),
            )
        )
    return Shown(tuple(out), tuple(other))


def measured_twice(
    kpi: str, date: str, parts: Sequence[str | None], first: str
) -> tuple[i18n.Msg, i18n.Msg]:
    """The message and hint of a KPI given twice for one period and part, the
    first time at ``first``; the breakdown named by its column names, as a
    header writes them."""
    named = zip(BREAKDOWN, parts, strict=True)
    return (
        msg(
            "KPI '{kpi}' is measured twice for the period ending {date}{breakdown}",
            kpi=kpi,
            date=date,
            breakdown="".join(f", {n} {p}" for n, p in named if p),
        ),
        msg("first at {place}; keep one", place=first),
    )


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
            if is_measurement_file(path.relative_to(root).parts, settings) and not (
                path.is_symlink()
            ):
                found.append(path)
    return sorted(found)


def is_measurement_file(parts: Sequence[str], settings: Measurements) -> bool:
    """Whether the file at ``parts`` (path components below the workspace) is
    a measurement file: a ``*.csv`` below the measurements folder, in no hidden
    folder under it, or a file of a source. A revision's files are picked by
    this too."""
    from journeycode import sources  # which reads with this module's helpers

    folder = PurePosixPath(settings.path).parts
    inside = parts[len(folder) :]
    return (
        tuple(parts[: len(folder)]) == folder
        and len(inside) > 0
        and inside[-1].lower().endswith(".csv")
        and not any(part.startswith(".") for part in inside[:-1])
    ) or sources.is_source_file(parts, settings)


def read(root: Path, display_root: str, settings: Measurements, workspace: Workspace) -> Read:
    from journeycode import sources  # which reads with this module's helpers

    out = Read({}, [], [])
    seen: dict[tuple[str | None, ...], str] = {}
    for kpi in workspace.entities(Kpi):
        for m in kpi.measurements:
            seen[(kpi.id, m.date, None, None, None, None)] = _where(kpi)
    for path in files(root, settings):
        if settings.sources and sources.is_source_file(path.relative_to(root).parts, settings):
            continue  # read as its source says
        display = discover.display(display_root, path.relative_to(root))
        out.files.append(display)
        out.sources[display] = settings.path
        _File(display, settings, workspace, seen, out).read(path)
    sources.read(root, display_root, settings, workspace, seen, out)
    return out


def merged(workspace: Workspace, rows: Mapping[str, list[Measurement]]) -> Workspace:
    """The workspace with each KPI's file rows added: its own values to its
    measurements, the broken-down ones to its breakdown."""
    if not rows:
        return workspace
    kpis = []
    for kpi in workspace.entities(Kpi):
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
    return dataclasses.replace(workspace, definitions={**workspace.definitions, Kpi: tuple(kpis)})


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
        self.text = ""
        self.lines = _Lines("")
        self.found = 0
        self.keys: Counter[tuple[str, ...]] = Counter()

    def problem(
        self,
        line: int,
        col: int,
        message: str,
        hint: str | None = None,
        *,
        subject: Subject | None = None,
        detail: tuple[str, ...] = ("file",),
        fix: Fix | None = None,
        rule: str = pipeline_rules.MEASUREMENTS,
    ) -> None:
        """A problem of the file; ``detail`` says what it is about, as the
        diff matches it across revisions: the file as a whole by default, a
        header's column, or a row's cell (:meth:`row`)."""
        self.out.problems.append(
            Problem(
                self.display,
                line,
                col,
                rule,
                Level.ERROR,
                message,
                hint,
                subject=subject,
                detail=detail,
                fix=fix,
            )
        )
        self.found += 1

    def read(self, path: Path) -> None:
        try:
            text = loader.read_bytes(path, MAX_BYTES).decode("utf-8-sig")
        except loader.LoadError as error:
            self.problem(1, 1, error.message, error.hint)
            return
        except UnicodeDecodeError:
            self.problem(1, 1, msg("not UTF-8 text"), _AS_UTF8)
            return
        except OSError as error:
            self.problem(1, 1, msg("cannot read the file: {reason}", reason=error.strerror))
            return
        self.text = text
        nul = text.find("\0")
        if nul >= 0:
            # A NUL is no character of a text CSV, and would reach the reports
            # (XML cannot hold one); UTF-16 looks like this when read as UTF-8.
            self.problem(
                *self.locate(1, 0, nul),
                msg("a NUL character: this is not a text CSV file, so it is not read"),
                _AS_UTF8,
            )
            return
        # newline="": a line ends at \n, \r\n or \r, so the reader's only other
        # error, a line break inside an unquoted cell, cannot happen.
        reader = csv.reader(io.StringIO(text, newline=""))
        self.lines = _Lines(text)
        with _field_size_limit(MAX_BYTES):
            self.rows(reader)

    def rows(self, reader: _csv.Reader) -> None:
        from journeycode import sources  # which reads with this module's helpers

        header = next(reader, None)
        if header is None:
            self.problem(
                1, 1, msg("the file is empty"), msg("give a header row: kpi,period_end,value")
            )
            return
        names = [h.strip() for h in header]
        columns: dict[str, int] = {}
        twice = False
        for position, name in enumerate(names):
            first = columns.setdefault(name, position)
            if first != position and name:
                self.problem(
                    *self.cell(1, position),
                    msg(
                        "column {name} is in the header twice: columns {first} and {second}",
                        name=_shown(name),
                        first=first + 1,
                        second=position + 1,
                    ),
                    msg("rename or remove one"),
                    detail=("header", name, str(position)),
                )
                twice = twice or name in self.settings.columns.values()
        if twice:  # which of the two holds the figures is anybody's guess
            return
        wanted = self.settings.columns
        missing = [wanted[n] for n in MEASUREMENT_COLUMNS[:3] if wanted[n] not in columns]
        other = sources.sniff(names[0]) if missing and len(names) == 1 else ","
        if other != ",":
            # A header of one column that another delimiter splits: that is the cause.
            self.problem(
                1,
                1,
                msg(
                    "the header has one column: is the delimiter {delimiter}?",
                    delimiter=sources.shown_delimiter(other),
                ),
                msg(
                    "read it as a source with delimiter: {delimiter} "
                    "(measurements: sources: in journeycode.yaml)",
                    delimiter=sources.shown_delimiter(other),
                ),
                detail=("header",),
            )
            return
        if missing:
            self.problem(
                1,
                1,
                msg(
                    "no column {columns} in the header",
                    columns=", ".join(repr(m) for m in missing),
                ),
                msg(
                    "name them in the header, or map your headers under measurements: columns: "
                    "in journeycode.yaml"
                ),
                detail=("header",),
                rule=pipeline_rules.MEASUREMENT_COLUMN,
            )
            return
        index = {n: columns.get(wanted[n]) for n in MEASUREMENT_COLUMNS}
        width = len(header)
        # A row is where its first line starts: a quoted cell may hold line breaks.
        line = reader.line_num + 1
        for row in reader:
            if not row:  # an empty line, which is one line
                line += 1
                continue
            if self.found >= MAX_PROBLEMS:
                # A file of a million broken rows would make a report of a
                # million lines: the first ones say what is wrong.
                self.problem(
                    line,
                    1,
                    msg(
                        "more than {count} problems in this file: the rest is not read",
                        count=format(MAX_PROBLEMS, ","),
                    ),
                    msg("mend the rows above, or export the file again"),
                    detail=("rest",),
                )
                return
            if "".join(row).strip():
                self.out.counts[self.display] = self.out.counts.get(self.display, 0) + 1
                if len(row) < width:
                    row += [""] * (width - len(row))
                self.row(line, row, index)
            line = reader.line_num + 1

    def cell(self, line: int, cell: int) -> tuple[int, int]:
        """The line and column where cell number ``cell`` of the row that starts
        on ``line`` begins; the end of the row for a cell the row does not have.
        Rows ask in the order they come: the lines are found going forwards."""
        if not cell:
            return line, 1
        text = self.text
        offset = position = self.lines.start(line)
        for _ in range(cell):
            found = _CELL.match(text, position)
            assert found is not None  # it matches an empty cell too
            position = found.end()
            if not text.startswith(",", position):
                break
            position += 1
        return self.locate(line, offset, position)

    def locate(self, line: int, offset: int, position: int) -> tuple[int, int]:
        """The line and column of ``position``, from a ``line`` that starts at ``offset``."""
        return positions.position(self.text, position, start=offset, line=line)

    def row(self, line: int, row: list[str], index: Mapping[str, int | None]) -> None:
        """One data row (padded to the header's width) that starts on ``line``:
        checked, then kept."""
        k, d, v = index["kpi"], index["period_end"], index["value"]
        assert k is not None and d is not None and v is not None
        kpi_id, date, raw = row[k].strip(), row[d].strip(), row[v].strip()
        journey, stage, channel, segment = (
            row[i].strip() or None if i is not None else None for i in self.parts(index)
        )
        parts = (journey, stage, channel, segment)
        # A row's problem is about its KPI, and is told from the others by
        # the row's period and breakdown (and which of the rows so keyed it
        # is) and the column at fault: its line moves when a row is added above.
        subject = Subject("kpi", kpi_id) if kpi_id else None
        cells = (date, *(p or "" for p in parts))
        self.keys[(kpi_id, *cells)] += 1
        cells += (str(self.keys[(kpi_id, *cells)]),)
        kpi = self.workspace.by_id(Kpi).get(kpi_id)
        if kpi is None:
            if not self.workspace.may_define("kpi", kpi_id):
                ids = self.workspace.by_id(Kpi)
                # difflib indexes the whole word: a cell of megabytes would cost
                # seconds, and one over 2⅓ times the longest id is never close enough.
                fits = len(kpi_id) <= 3 * max(map(len, ids), default=0)
                close = suggest.closest(kpi_id, ids) if fits else None
                self.problem(
                    *self.cell(line, k),
                    msg("unknown KPI {id}", id=_shown(kpi_id))
                    if kpi_id
                    else msg("no KPI on this row"),
                    suggest.hint(close),
                    subject=subject,
                    detail=("kpi", *cells),
                    fix=suggest.fix(kpi_id, close),
                    rule=pipeline_rules.MEASUREMENT_CODE,
                )
            return
        if len(date) != 10 or not _is_date(date):
            self.problem(
                *self.cell(line, d),
                msg("period end {date} is not a date (YYYY-MM-DD)", date=_shown(date)),
                subject=subject,
                detail=("period_end", *cells),
            )
            return
        try:
            # No thousands separators: in many exports a comma is the decimal mark.
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.problem(
                *self.cell(line, v),
                msg("{value} is not a number", value=_shown(raw)),
                subject=subject,
                detail=("value", *cells),
            )
            return
        if kpi.range is not None and not kpi.range[0] <= value <= kpi.range[1]:
            low, high = kpi.range
            self.problem(
                *self.cell(line, v),
                msg(
                    "{value} is outside the range of KPI '{kpi}' [{low}, {high}]",
                    value=format(value, "g"),
                    kpi=kpi.id,
                    low=format(low, "g"),
                    high=format(high, "g"),
                ),
                subject=subject,
                detail=("value", *cells),
            )
            return
        key = (kpi.id, date, *parts)
        first = self.seen.get(key)
        if first is not None:
            self.problem(
                line,
                1,
                *measured_twice(kpi.id, date, parts, first),
                subject=subject,
                detail=("twice", *cells),
                rule=pipeline_rules.MEASUREMENT_TWICE,
            )
            return
        self.seen[key] = f"{self.display}:{line}:1"
        kpi_line, kpi_col = self.cell(line, k)
        self.out.rows.setdefault(kpi.id, []).append(
            Measurement(
                date,
                value,
                journey,
                stage,
                channel,
                segment,
                f"{self.display}:{line}",
                # A row names one line; a KPI after a cell's line break is not on it.
                kpi_col if kpi_line == line else None,
            )
        )

    def parts(self, index: Mapping[str, int | None]) -> list[int | None]:
        return [index[name] for name in BREAKDOWN]


class _Lines:
    """Where the lines of a text start (each ended by \\n, \\r\\n or \\r, as the
    CSV reader reads it), found going forwards as the rows ask."""

    def __init__(self, text: str):
        self.text = text
        self.line, self.offset = 1, 0

    def start(self, line: int) -> int:
        """The offset where ``line``, this one or a later one, starts."""
        text = self.text
        while self.line < line:
            at = self.offset
            if not text.startswith(("\n", "\r"), at):
                found = _LINE.match(text, at)
                assert found is not None  # it matches the rest of the text too
                self.offset, self.line = found.end(), self.line + 1
            else:
                ending = "\r\n" if text.startswith("\r\n", at) else text[at]
                # Blank lines all ended alike, in one step: a file of nothing
                # else is skipped in C, not line by line here.
                run = _BLANK_LINES[ending].match(text, at)
                assert run is not None  # it starts with that ending
                count = min((run.end() - at) // len(ending), line - self.line)
                self.offset, self.line = at + count * len(ending), self.line + count
        return self.offset


_LINE = re.compile(r"[^\r\n]*+(?:\r\n|\r|\n)?")
_BLANK_LINES = {
    "\r\n": re.compile(r"(?:\r\n)+"),
    "\n": re.compile(r"\n+"),
    "\r": re.compile(r"(?:\r(?!\n))+"),
}


def cell_pattern(delimiter: str) -> re.Pattern[str]:
    """A cell as the csv module reads it: quoted if it starts with a quote (""
    is a quote inside it, line breaks are in it), then anything up to the
    delimiter or a line break."""
    mark = re.escape(delimiter)
    return re.compile(rf'(?:"(?:[^"]++|"")*+"?)?[^{mark}\r\n]*+')


_CELL = cell_pattern(",")


def _shown(cell: str) -> str:
    """A cell as a message quotes it: short, on one line, its control characters
    escaped in every report, not only in the terminal's."""
    return show(terminal(cell))


@contextlib.contextmanager
def _field_size_limit(limit: int) -> Iterator[None]:
    """The csv module's limit on a cell (128 KiB by default, for the whole
    process) raised for one read: the file's own size limit is the bound."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True
