"""Measurement sources: the contact-centre platform's own exports, read as
they come, as ``measurements: sources:`` in ``journeycode.yaml`` describes them.

```yaml
measurements:
  sources:
    - files: exports/bank/*.csv
      encoding: cp1251
      delimiter: ";"
      decimal: ","
      period: {column: month, form: month}
      columns: {kpi: metric_code, value: value, segment: queue}
      codes: {AHT: aht}
    - files: exports/connect
      profile: amazon-connect
  kpis:
    aht: {sum: handle_time, per: contacts_handled}
```

A source's file is decoded as its byte-order mark says, else as the source's
``encoding``, else as UTF-8 (a file that is not names the encoding it looks
like). Its delimiter is the source's, else the one its header uses most. A
``long`` file has a row per KPI (or metric code) and period; a ``wide`` one a
row per period (and part: queue, channel …) with a column per metric code.
A code maps to a KPI id (the row's value is the KPI's) or to a metric, which
a computed KPI sums over its period, for each part and for all of them: the
ratio of the sums, never the mean of the rows' averages.

The files are read by Polars (a columnar CSV reader in Rust) as text, the
cells parsed column by column; a cell that cannot be used is reported at its
``file:line:col``, found again in the text only then. A file the fast reader
cannot take as it is (quoted cells, blank lines, lone ``\\r`` line ends,
ragged rows) is read by the csv module instead, with the same result. A wide
export with nothing to report, the common case, is summed by day and part as
Polars reads it, its rows never reaching Python (:meth:`_File.summed`); any
row it cannot vouch for sends the file to the reading above, which says why.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeycode import discover, loader, pipeline_rules, positions, suggest
from journeycode.config import Computed, Measurements, Source
from journeycode.i18n import msg, msgs
from journeycode.measurements import (
    MAX_BYTES,
    MAX_PROBLEMS,
    Read,
    _field_size_limit,
    _shown,
    cell_pattern,
    measured_twice,
)
from journeycode.model import BREAKDOWN, Kpi, Measurement, Workspace
from journeycode.problems import Fix, Level, Problem, Subject

if TYPE_CHECKING:
    import polars as pl

Parts = tuple[str | None, ...]
"""A row's journey, stage, channel and segment (None where the row has none)."""

_DELIMITERS = (",", ";", "\t", "|")
_FEW = 10_000
"""Up to this many cells are found in the text one by one, more in a new read."""
_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0}
_SHARES = {"percent": 0.01, "ratio": 1.0}
_KPI_SECONDS = {"seconds": 1.0, "minutes": 60.0, "hours": 3600.0}
TIME, SHARE = "time", "share"
"""What a metric measures, once converted: seconds, or a share (a ratio)."""


@dataclass
class _Sum:
    """A metric summed over one period and part, and the first row it came from."""

    total: float
    row: str
    source: str


@dataclass
class _Sums:
    """What the sources' rows add up to: by (metric, KPI period, period end,
    parts), each metric's sum; ``weighed`` by (metric, weight, …) the sum of
    the products."""

    sums: dict[tuple[str, str, str, Parts], _Sum] = field(default_factory=dict)
    weighed: dict[tuple[str, str, str, str, Parts], _Sum] = field(default_factory=dict)
    kinds: dict[str, str | None] = field(default_factory=dict)
    """Each metric's kind: :data:`TIME`, :data:`SHARE` or None (a count)."""
    names: set[str] = field(default_factory=set)
    """The metrics the files give, read or not: what a misspelt one may mean."""


def files(root: Path, source: Source) -> list[Path]:
    """The files of a source, in sorted order: below its folder, the ``*.csv``
    ones; for a glob, the ones it matches. Hidden folders and symlinks are
    left alone, as for maps."""
    folder = root / source.files
    if folder.is_dir() and not folder.is_symlink():
        pattern = _glob(f"{source.files}/**/*.csv")
        start = folder
    else:
        pattern = _glob(source.files)
        start = root.joinpath(*_static(source.files))
        if start.is_file() and not start.is_symlink():
            return [start] if pattern.fullmatch(start.relative_to(root).as_posix()) else []
    if not start.is_dir() or start.is_symlink():
        return []
    found = []
    for here, dirnames, filenames in os.walk(start):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(here) / name
            relative = path.relative_to(root).as_posix()
            if pattern.fullmatch(relative) and not path.is_symlink():
                found.append(path)
    return sorted(found)


def is_source_file(parts: Sequence[str], settings: Measurements) -> bool:
    """Whether the file at ``parts`` (below the workspace) belongs to a source."""
    relative = "/".join(parts)
    for source in settings.sources:
        folder = source.files.rstrip("/")
        if relative.startswith(folder + "/"):
            inside = parts[len(folder.split("/")) :]
            if relative.lower().endswith(".csv") and not any(
                p.startswith(".") for p in inside[:-1]
            ):
                return True
        if _glob(source.files).fullmatch(relative):
            return True
    return False


def _static(pattern: str) -> list[str]:
    parts = []
    for part in pattern.split("/"):
        if re.search(r"[*?\[]", part):
            break
        parts.append(part)
    return parts


def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression: ``**/`` any folders, ``*`` and ``?``
    within one name, ``[…]`` a set."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
            continue
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            out.append("[" + re.escape(pattern[i + 1 : end]).replace("\\-", "-") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


def read(
    root: Path,
    display_root: str,
    settings: Measurements,
    workspace: Workspace,
    seen: dict[tuple[str | None, ...], str],
    out: Read,
) -> None:
    """Every source's files into ``out``: the KPIs' values, their problems,
    the files read; then the computed KPIs from the metrics the files summed."""
    if not settings.sources and not settings.computed:
        return
    wanted = _wanted(settings.computed)
    weighed = {(c.sum, c.weight) for c in settings.computed if c.weight is not None}
    sums = _Sums()
    for source in settings.sources:
        for path in files(root, source):
            display = discover.display(display_root, path.relative_to(root))
            out.files.append(display)
            out.sources[display] = source.files
            _File(display, source, workspace, seen, out, wanted, weighed, sums).read(path)
    _compute(settings.computed, workspace, sums, seen, out)


def _wanted(computed: Iterable[Computed]) -> dict[str, set[str]]:
    """The metrics the computed KPIs sum, each with the periods it is summed to."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for c in computed:
        if c.weight is not None:
            wanted[f"{c.sum}*{c.weight}"].add(c.period)
            wanted[f"{c.weight}@{c.sum}"].add(c.period)
            # Metrics of the sources, though summed only weighed.
            wanted.setdefault(c.sum, set())
            wanted.setdefault(c.weight, set())
            continue
        for metric in (c.sum, c.per):
            if metric is not None:
                wanted[metric].add(c.period)
    return wanted


def _problem(
    out: Read,
    where: str,
    message: str,
    hint: str | None = None,
    *,
    subject: Subject | None = None,
    detail: tuple[str, ...] = ("file",),
    fix: Fix | None = None,
    rule: str = pipeline_rules.MEASUREMENTS,
) -> None:
    display, line, col = where.rsplit(":", 2)
    out.problems.append(
        Problem(
            display,
            int(line),
            int(col),
            rule,
            Level.ERROR,
            message,
            hint,
            subject=subject,
            detail=detail,
            fix=fix,
        )
    )


class _File:
    def __init__(
        self,
        display: str,
        source: Source,
        workspace: Workspace,
        seen: dict[tuple[str | None, ...], str],
        out: Read,
        wanted: Mapping[str, set[str]],
        weighed: set[tuple[str, str]],
        sums: _Sums,
    ):
        self.display, self.source, self.workspace = display, source, workspace
        self.seen, self.out, self.wanted, self.sums = seen, out, wanted, sums
        self.weighed = weighed
        self.text = ""
        self.delimiter = source.delimiter or ","
        self.starts: list[int] | None = None
        """Where each line starts, found when a problem is first located."""
        self.raw = b""
        self.typed: set[int] = set()
        """The columns the fast reader parsed as numbers."""
        self.cells = cell_pattern(",")
        self.found = 0
        self.form = "date"
        self.names: list[str] = []
        self.utf8 = True
        self.part_columns: dict[str, str] = {}
        self.row_lines: list[int] | None = None
        """The line of each data row, when the rows are not one a line."""

    # -- problems and where they are

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
    ) -> bool:
        """A problem of the file; False once the file has too many to say more."""
        if self.found >= MAX_PROBLEMS:
            if self.found == MAX_PROBLEMS:
                _problem(
                    self.out,
                    f"{self.display}:{line}:1",
                    msg(
                        "more than {count} problems in this file: the rest is not read",
                        count=format(MAX_PROBLEMS, ","),
                    ),
                    msg("mend the rows above, or export the file again"),
                    detail=("rest",),
                )
                self.found += 1
            return False
        _problem(
            self.out,
            f"{self.display}:{line}:{col}",
            message,
            hint,
            subject=subject,
            detail=detail,
            fix=fix,
            rule=rule,
        )
        self.found += 1
        return True

    def start(self, line: int) -> int:
        """The offset where ``line`` starts (lines end as the csv module ends them)."""
        if self.starts is None:
            self.starts = [0, 0, *(m.end() for m in _ENDS.finditer(self.text))]
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def cell_text(self, line: int, cell: int) -> str:
        """The text of cell number ``cell`` of the row that starts on ``line``
        (a file the fast reader read has no quotes)."""
        position = self.start(line)
        for _ in range(cell):
            found = self.cells.match(self.text, position)
            assert found is not None  # it matches an empty cell too
            position = found.end() + len(self.delimiter)
        found = self.cells.match(self.text, position)
        return found.group(0) if found else ""

    def line_of(self, row: int) -> int:
        """The line where data row number ``row`` (from 0) starts."""
        return self.row_lines[row] if self.row_lines is not None else row + 2

    def cell(self, line: int, cell: int) -> tuple[int, int]:
        """Where cell number ``cell`` of the row that starts on ``line`` begins."""
        if not cell:
            return line, 1
        text = self.text
        offset = position = self.start(line)
        for _ in range(cell):
            found = self.cells.match(text, position)
            assert found is not None  # it matches an empty cell too
            position = found.end()
            if not text.startswith(self.delimiter, position):
                break
            position += 1
        return positions.position(text, position, start=offset, line=line)

    # -- the file

    def read(self, path: Path) -> None:
        try:
            with loader.opened(path, MAX_BYTES) as (fd, size):
                # Polars maps the open file itself where the system names it
                # (no copy, no second look-up of the path), else its bytes.
                data: str | bytes
                if Path(_BY_FD.format(fd="")).is_dir():
                    data = _BY_FD.format(fd=fd)
                else:
                    data = raw = loader.read_opened(fd, size, MAX_BYTES)
                if self.source.shape == "wide" and self.summed(fd, data):
                    return
                if isinstance(data, str):
                    raw = loader.read_opened(fd, size, MAX_BYTES)
        except loader.LoadError as error:
            self.problem(1, 1, error.message, error.hint)
            return
        except OSError as error:
            self.problem(1, 1, msg("cannot read the file: {reason}", reason=error.strerror))
            return
        text = self.decode(raw)
        if text is None:
            return
        self.text = text
        # The fast reader takes the bytes as they are when they are UTF-8.
        self.raw = raw.removeprefix(codecs.BOM_UTF8) if raw.isascii() or self.utf8 else b""
        nul = text.find("\0")
        if nul >= 0:
            self.problem(
                *positions.position(text, nul),
                msg("a NUL character: this is not a text CSV file, so it is not read"),
                msg("is it UTF-16? set encoding: utf-16 on its source")
                if nul < 4
                else msg("export the file as UTF-8 CSV"),
            )
            return
        first = _LINE.match(text)
        header_line = first.group(0) if first else ""
        if self.source.delimiter is None:
            self.delimiter = sniff(header_line)
        self.cells = cell_pattern(self.delimiter)
        with _field_size_limit(MAX_BYTES):
            header = next(csv.reader(io.StringIO(header_line, newline=""), self._dialect()), None)
        if not header or not "".join(header).strip():
            self.problem(1, 1, msg("the file is empty"), msg("give a header row"))
            return
        names = [h.strip() for h in header]
        columns = self.columns(names)
        if columns is None:
            return
        numeric = [i for role, i in columns.items() if role.startswith("code:")]
        self.names = names
        frame = self.frame(text, names, sorted(set(columns.values())), numeric)
        if frame is None:
            return
        self.out.counts[self.display] = frame.height
        if self.source.shape == "long":
            self.long(frame, columns)
        else:
            self.wide(frame, columns, names)

    def summed(self, fd: int, data: str | bytes) -> bool:
        """A wide file summed by day without its rows ever reaching Python:
        True when read so, False (and nothing said or summed) when it is not
        a file of that kind, for the reading above, which then says the same."""
        said, found, names = len(self.out.problems), self.found, set(self.sums.names)
        if self._summed(fd, data):
            return True
        # What the header said, the reading above says again, in its order.
        del self.out.problems[said:]
        self.found = found
        self.sums.names.intersection_update(names)
        return False

    def _summed(self, fd: int, data: str | bytes) -> bool:
        """:meth:`summed` of the open file ``fd``, whose bytes are ``data``
        or at the path ``data`` names, saying what the header says.

        The kind: UTF-8 without a byte-order mark, a decimal point and no
        thousands mark; every column read, each metric a number in every row,
        none a KPI's own value; the periods days or intervals in one form
        (a date, an instant, no space around), checked as the file is read;
        no quote, carriage return or NUL in a part's cells. Such a file's
        cells are what the csv module reads and the period's day is the
        cell's first ten characters, so its sums by day and part, rolled up
        by :meth:`aggregate`, are those of its rows."""
        import polars as pl

        source = self.source
        if (
            (source.encoding is not None and codecs.lookup(source.encoding).name != "utf-8")
            or source.decimal != "."
            or source.thousands is not None
            or source.form not in (None, "date", "interval")
        ):
            return False
        start = os.pread(fd, _HEADER_BYTES, 0)
        end = start.find(b"\n")
        header_bytes = start[: end + 1] if end >= 0 else b""
        if (
            not header_bytes
            or start.startswith(tuple(mark for mark, _ in _BOMS))
            or not header_bytes.isascii()
            or any(b in header_bytes.rstrip(b"\r\n") for b in b'"\0\r')
        ):
            return False
        header_line = header_bytes.decode("ascii")
        delimiter = source.delimiter or sniff(header_line)
        with _field_size_limit(MAX_BYTES):
            header = next(
                csv.reader(io.StringIO(header_line, newline=""), self._dialect(delimiter)), []
            )
        names = [h.strip() for h in header]
        if len(set(names)) < len(names) or not all(names):
            return False
        columns = self.columns(names)
        if columns is None:
            return False
        kpis = self.workspace.by_id(Kpi)
        coded = {role[5:]: i for role, i in columns.items() if role.startswith("code:")}
        parts = self.parts(columns)
        if len(set(columns.values())) < len(names) or any(
            source.codes.get(code, code) in kpis for code in coded
        ):
            return False
        d = columns["period"]
        form = source.form
        instant = form != "date"
        whole = _whole_columns(start[end + 1 : end + 1 + _SAMPLE], delimiter, list(coded.values()))
        cells = pl.col(f"c{d}")
        numbers = [pl.col(f"c{i}") for i in coded.values()]

        # What each metric measures, in the order the query sums them.
        kinds: dict[str, str | None] = {}
        for code in coded:
            kinds[source.codes.get(code, code)] = _unit(source, code)[0]
        weighed = [(m, w) for m, w in sorted(self.weighed) if m in kinds and w in kinds]
        for mean, weight in weighed:
            kinds[f"{mean}*{weight}"] = kinds[f"{weight}@{mean}"] = None

        # The period cells are read as categories of their own: each distinct
        # cell is checked once, after the pass, not once a row (an interval's
        # cell is on a row per queue); the day is cut from the categories too.
        # The empty Series keeps the categories alive once the query is done.
        periods = pl.Categories.random()
        kept = pl.Series(dtype=pl.Categorical(periods))

        def query(whole: set[int]) -> pl.LazyFrame:
            """One pass, as the file is read: its sums by day and part, and
            what tells whether every row is one the reading above reads the
            same. The ``whole`` columns are read as 32-bit integers and summed
            as 64-bit ones: faster than as floats, and exact; no sum of a
            file's cells can overflow (it has fewer than 2**32 rows, at most
            :data:`MAX_BYTES`). The rest, and every product and scaled
            figure, as floats."""
            sums: dict[str, pl.Expr] = {}
            floats: dict[str, pl.Expr] = {}
            for code, position in coded.items():
                name = source.codes.get(code, code)
                value, scale = pl.col(f"c{position}"), _unit(source, code)[1]
                floats[name] = value.cast(pl.Float64) * scale
                exact = value.cast(pl.Int64) if position in whole else value
                sums[name] = exact if scale == 1.0 else floats[name]
            for mean, weight in weighed:
                sums[f"{mean}*{weight}"] = floats[mean] * floats[weight]
                sums[f"{weight}@{mean}"] = sums[weight]
            return (
                pl.scan_csv(
                    data,
                    separator=delimiter,
                    infer_schema=False,
                    new_columns=[f"c{i}" for i in range(len(names))],
                    schema_overrides=[
                        pl.Categorical(periods)
                        if i == d
                        else pl.String
                        if f"c{i}" in parts
                        else pl.Int32
                        if i in whole
                        else pl.Float64
                        for i in range(len(names))
                    ],
                    quote_char=None,
                    empty_string_is_null=False,
                )
                .with_row_index("row")
                .group_by(cells.cat.slice(0, 10).alias("_day"), *parts)
                .agg(
                    pl.col("row").min(),
                    pl.len().alias("_rows"),
                    pl.sum_horizontal(n.null_count() for n in numbers).alias("_empty"),
                    *(sums[name].sum().alias(f"m:{name}") for name in kinds),
                )
            )

        try:
            try:
                by_day = query(whole).collect().sort("row")
            except pl.exceptions.ComputeError:
                if not whole:
                    raise
                # A whole column's later cell that is not (a fraction, a large figure).
                by_day = query(set()).collect().sort("row")
        except (pl.exceptions.PolarsError, ValueError):
            return False
        # Every period cell of the file, once (None for one the query took but
        # did not name: not seen here, so not taken).
        seen = periods.to_series()
        del kept
        if (
            not by_day.height
            or by_day["_empty"].sum()
            or by_day["_day"].null_count()  # a short row, without its period
            or seen.null_count()
            or not seen.str.contains(_FAST_INSTANT if instant else _FAST_DATE).all()
        ):
            return False
        if form is None:
            # As the reading above tells it by the least cell: all dates, or all instants.
            short, long = seen.str.len_bytes().min(), seen.str.len_bytes().max()
            form = "date" if long == 10 else "interval" if short != 10 else None
            if form is None:
                return False
        for part in parts:
            if by_day.get_column(part).str.contains(r"[\"\r\x00]").any():
                return False
        totals = by_day.select(pl.col(f"m:{name}").cast(pl.Float64) for name in kinds)
        if not all(totals.select(pl.all().is_finite().all()).row(0)):
            return False  # a cell that is none of the numbers the reading above takes
        days: dict[str, _Period | None] = {}
        for day in by_day["_day"].unique().to_list():
            days[day] = _parse_period(day, "date")
            if days[day] is None:
                return False
        self.delimiter, self.names, self.form = delimiter, names, form
        self.out.counts[self.display] = int(by_day["_rows"].sum())
        self.aggregate(
            by_day,
            "_day",
            days,
            parts,
            {name: (pl.col(f"m:{name}"), kind) for name, kind in kinds.items()},
        )
        return True

    def _dialect(self, delimiter: str | None = None) -> type[csv.Dialect]:
        delimiter = delimiter or self.delimiter

        class Dialect(csv.excel):
            pass

        Dialect.delimiter = delimiter
        return Dialect

    def decode(self, raw: bytes) -> str | None:
        """The file's text: by its byte-order mark, else its source's encoding,
        else UTF-8; None (and a problem) when it is not text of that encoding."""
        for mark, encoding in _BOMS:
            if raw.startswith(mark):
                self.utf8 = encoding == "utf-8"
                return self._decode(raw[len(mark) :], encoding, raw[: len(mark)])
        encoding = self.source.encoding or "utf-8"
        self.utf8 = codecs.lookup(encoding).name == "utf-8"
        return self._decode(raw, encoding, b"")

    def _decode(self, raw: bytes, encoding: str, bom: bytes) -> str | None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            before = raw[: error.start].decode(encoding, errors="replace")
            line, col = positions.position(before, len(before))
            likely = _likely(raw) if self.source.encoding is None and not bom else None
            if likely is not None:
                self.problem(
                    line,
                    col,
                    msg("not UTF-8 text: it reads as {encoding}", encoding=likely),
                    msg("set encoding: {encoding} on its source", encoding=likely),
                )
            else:
                self.problem(
                    line,
                    col,
                    msg("not {encoding} text", encoding=codecs.lookup(encoding).name),
                    msg("set the source's encoding, or export the file as UTF-8 CSV"),
                )
            return None

    def columns(self, names: list[str]) -> dict[str, int] | None:
        """The columns journeycode reads, by role (``period``, ``kpi`` …, and a
        wide file's codes as ``code:NAME``), or None when the header lacks one."""
        source = self.source
        index: dict[str, int] = {}
        for position, name in enumerate(names):
            first = index.setdefault(name, position)
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
                return None
        wanted = {"period": source.period}
        roles = ("kpi", "value", *BREAKDOWN) if source.shape == "long" else BREAKDOWN
        for role in roles:
            header = source.columns.get(role, role)
            if header in index or role in ("kpi", "value"):
                wanted[role] = header
            elif role in source.columns:
                wanted[role] = header  # named in the settings: it must be there
        missing = [h for h in wanted.values() if h not in index]
        if missing:
            message, hint, rule = self.missing(names, missing)
            self.problem(1, 1, message, hint, detail=("header",), rule=rule)
            return None
        found = {role: index[header] for role, header in wanted.items()}
        role_of: dict[str, str] = {}
        for role, header in wanted.items():
            first_role = role_of.setdefault(header, role)
            if first_role != role:
                self.problem(
                    *self.cell(1, index[header]),
                    msg(
                        "column {name} is named twice in its source's settings: "
                        "as {first} and as {second}",
                        name=_shown(header),
                        first=_shown(first_role),
                        second=_shown(role),
                    ),
                    msg("name a column of its own for each"),
                    detail=("header", header, "roles"),
                )
                return None
        if source.shape == "wide":
            kpis = self.workspace.by_id(Kpi)
            for position, name in enumerate(names):
                metric = source.codes.get(name, name)
                if position not in found.values():
                    self.sums.names.add(metric)
                known = name in source.codes or metric in kpis or metric in self.wanted
                if known and position not in found.values():
                    found[f"code:{name}"] = position
            if not any(role.startswith("code:") for role in found):
                coded = list(source.codes) or list(kpis)
                self.problem(
                    1,
                    1,
                    msg("no column of a metric in the header: a wide file has a column per metric"),
                    msg("its codes: {codes}", codes=", ".join(map(repr, coded[:8])))
                    if coded
                    else msg("map its headers to KPIs or metrics under codes: in its source"),
                    detail=("header",),
                    rule=pipeline_rules.MEASUREMENT_COLUMN,
                )
                return None
        return found

    def missing(self, names: list[str], missing: list[str]) -> tuple[str, str, str]:
        """The message, hint and rule for a header without the columns
        ``missing``: a header of one column is most often another delimiter."""
        if len(names) == 1:
            other = sniff(names[0])
            if other != self.delimiter and other in names[0]:
                return (
                    msg(
                        "the header has one column: is the delimiter {delimiter}?",
                        delimiter=shown_delimiter(other),
                    ),
                    msg(
                        "set delimiter: {delimiter} on its source", delimiter=shown_delimiter(other)
                    ),
                    pipeline_rules.MEASUREMENTS,
                )
        close = suggest.closest(missing[0], names)
        return (
            msg("no column {columns} in the header", columns=", ".join(map(repr, missing))),
            suggest.hint(close)
            or msg("name them in the header, or map your headers under columns: in its source"),
            pipeline_rules.MEASUREMENT_COLUMN,
        )

    def frame(
        self,
        text: str,
        names: list[str],
        used: list[int],
        numeric: Sequence[int] = (),
    ) -> pl.DataFrame | None:
        """The used columns' cells, one row per data row (blank ones left
        out): as text, but the ``numeric`` ones parsed by the fast reader where
        the file lets it (a cell it cannot parse is null, looked at again)."""
        import polars as pl

        data = self.raw or text.encode("utf-8")
        header = _LINE.match(text)
        start = len(header.group(0).encode("utf-8")) if header else 0
        body = start < len(data)
        simple = (
            b'"' not in data
            and (b"\r" not in data or not _LONE_CR.search(data))
            and data.find(b"\n\n", start) < 0
            and (b"\r" not in data or data.find(b"\n\r\n", start) < 0)
            and not data.startswith((b"\n", b"\r"), start)
        )
        if simple and body:
            kinds: dict[str, Any] = {names[i]: pl.String for i in used}
            kinds.update({names[i]: pl.Float64 for i in numeric})
            try:
                project = len(used) * 2 < len(names)  # naming them costs more than a few more
                frame = pl.read_csv(
                    data,
                    separator=self.delimiter,
                    infer_schema=False,
                    columns=used if project else None,
                    schema_overrides=kinds,
                    quote_char=None,
                    empty_string_is_null=False,
                    ignore_errors=True,
                    decimal_comma=self.source.decimal == "," and self.delimiter != ",",
                )
            except (pl.exceptions.PolarsError, ValueError):
                pass
            else:
                # Every line a row: the cells of too short a row are empty, as
                # the csv module pads them; a row of too many cells is the
                # slow reader's, whose rows are those of the legacy files.
                self.typed = set(numeric)
                at = {i: k for k, i in enumerate(used)} if project else {i: i for i in used}
                return frame.select(pl.nth(at[i]).alias(f"c{i}") for i in used).with_columns(
                    pl.col(pl.String).fill_null("")
                )
        rows: list[list[str]] = []
        lines: list[int] = []
        reader = csv.reader(io.StringIO(text, newline=""), self._dialect())
        with _field_size_limit(MAX_BYTES):
            next(reader, None)
            line = reader.line_num + 1
            for row in reader:
                if row and "".join(row).strip():
                    rows.append([row[i] if i < len(row) else "" for i in used])
                    lines.append(line)
                line = reader.line_num + 1
        self.row_lines = lines
        return pl.DataFrame(
            {f"c{i}": [row[k] for row in rows] for k, i in enumerate(used)},
            schema={f"c{i}": pl.String for i in used},
        )

    # -- cells

    def periods(self, frame: pl.DataFrame, column: int) -> dict[str, _Period | None]:
        """Each distinct period cell, parsed (None: not a period of the form)."""
        cells = frame.get_column(f"c{column}").unique().to_list()
        form = self.source.form
        if form is None:
            form = next((_form(c.strip()) for c in sorted(cells) if c.strip()), "date")
        self.form = form
        return {cell: _parse_period(cell.strip(), form) for cell in cells}

    def numbers(
        self, frame: pl.DataFrame, column: int, code: str | None
    ) -> tuple[pl.Series, str | None, list[int]]:
        """A column's cells as numbers, converted by the code's unit (seconds
        for a duration, a ratio for a share), with what they measure and the rows
        whose cell is no number."""
        import polars as pl

        raw = frame.get_column(f"c{column}")
        kind, scale = _unit(self.source, code)
        decimal, thousands = self.source.decimal, self.source.thousands
        if column in self.typed:
            values = raw
            odd = values.is_null() | ~values.is_finite()
        else:
            text = raw.str.replace_all(",", ".", literal=True) if decimal == "," else raw
            values = text.cast(pl.Float64, strict=False)
            odd = values.is_null() | ~values.is_finite()
            odd = odd & (raw.str.strip_chars() != "")
        bad: list[int] = []
        if odd.any():
            rows = odd.arg_true().to_list()
            fixed: dict[int, float | None] = {}
            for row, cell in zip(rows, self.texts(frame, column, rows), strict=True):
                if not cell.strip():
                    fixed[row] = None  # an empty cell: no figure, no problem
                    continue
                parsed = _number(cell, decimal, thousands)
                if parsed is None:
                    bad.append(row)
                    fixed[row] = None
                    continue
                number, mark = parsed
                if mark == TIME:
                    kind, number = TIME, number / scale  # a duration is in seconds as written
                elif mark == SHARE:
                    kind, number = SHARE, number / 100 / scale
                fixed[row] = number
            values = values.scatter(list(fixed), list(fixed.values()))
        if scale != 1.0:
            values = values * scale
        return values, kind, bad

    def texts(self, frame: pl.DataFrame, column: int, rows: list[int]) -> list[str]:
        """The cells of ``column`` on ``rows`` as the file writes them."""
        if column not in self.typed:
            return [str(c) for c in frame.get_column(f"c{column}").gather(rows).to_list()]
        if len(rows) < _FEW:
            return [self.cell_text(self.line_of(row), column) for row in rows]
        import polars as pl

        # Many cells (an export with empty intervals): the column again, as text.
        name = self.names[column]
        cells = pl.read_csv(
            self.raw or self.text.encode("utf-8"),
            separator=self.delimiter,
            columns=[name],
            schema_overrides={name: pl.String},
            infer_schema=False,
            quote_char=None,
            empty_string_is_null=False,
        ).get_column(name)
        return [str(c) for c in cells.fill_null("").gather(rows).to_list()]

    def report_numbers(self, bad: list[int], column: int, frame: pl.DataFrame) -> None:
        for row, cell in zip(bad, self.texts(frame, column, bad[:MAX_PROBLEMS]), strict=False):
            line = self.line_of(row)
            if not self.problem(
                *self.cell(line, column),
                msg("{value} is not a number", value=_shown(cell.strip())),
                self.number_hint(cell),
                detail=("value", str(line)),
            ):
                return

    def number_hint(self, cell: str) -> str | None:
        if self.source.decimal == "." and re.fullmatch(r"\s*-?[\d\s.]*,\d+\s*%?", cell):
            return msg('is the decimal mark a comma? set decimal: "," on its source')
        return None

    def report_periods(
        self, frame: pl.DataFrame, column: int, parsed: Mapping[str, _Period | None]
    ) -> set[int]:
        """Problems at the period cells that are none; the rows they are on."""
        import polars as pl

        wrong = [cell for cell, period in parsed.items() if period is None]
        if not wrong:
            return set()
        rows = frame.get_column(f"c{column}").cast(pl.String).is_in(wrong)
        found = rows.arg_true().to_list()
        for row in found:
            line = self.line_of(row)
            cell = frame.get_column(f"c{column}")[row]
            if not self.problem(
                *self.cell(line, column),
                _PERIOD_WORDS[self.form](_shown(cell.strip())),
                detail=("period_end", str(line)),
            ):
                break
        return set(found)

    def parts(self, columns: Mapping[str, int]) -> list[str]:
        """The columns (``cN``) of the file's parts, in the order of :data:`BREAKDOWN`."""
        self.part_columns = {name: f"c{columns[name]}" for name in BREAKDOWN if name in columns}
        return list(self.part_columns.values())

    # -- long files: a row per KPI or metric and period

    def long(self, frame: pl.DataFrame, columns: Mapping[str, int]) -> None:
        import polars as pl

        k, v, d = columns["kpi"], columns["value"], columns["period"]
        parsed = self.periods(frame, d)
        skip = self.report_periods(frame, d, parsed)
        kpis = self.workspace.by_id(Kpi)
        codes = self.source.codes
        code_cells = frame.get_column(f"c{k}")
        names: dict[str, str] = {}
        unknown: dict[str, int] = {}
        for cell in code_cells.unique().to_list():
            code = cell.strip()
            name = codes.get(code, code)
            self.sums.names.add(name)
            if name in kpis or name in self.wanted:
                names[cell] = name
            elif (code and not self.workspace.may_define("kpi", name)) or not code:
                unknown[cell] = 0
        if unknown:
            counts = (
                frame.filter(pl.col(f"c{k}").is_in(list(unknown)))
                .group_by(f"c{k}")
                .agg(pl.len().alias("n"), pl.int_range(pl.len()).first().alias("_"))
            )
            firsts = (
                frame.with_row_index("row")
                .filter(pl.col(f"c{k}").is_in(list(unknown)))
                .group_by(f"c{k}")
                .agg(pl.col("row").min())
            )
            count = dict(zip(counts[f"c{k}"].to_list(), counts["n"].to_list(), strict=True))
            for cell, row in sorted(
                zip(firsts[f"c{k}"].to_list(), firsts["row"].to_list(), strict=True),
                key=lambda item: item[1],
            ):
                self.unknown_code(cell, self.line_of(row), k, count[cell])
        known = frame.with_row_index("row").filter(pl.col(f"c{k}").is_in(list(names)))
        if known.height == 0:
            return
        parts_columns = self.parts(columns)
        by_code: dict[str, pl.DataFrame] = known.partition_by(
            f"c{k}", as_dict=True, include_key=True
        )  # type: ignore[assignment]
        for key, rows in sorted(by_code.items(), key=lambda item: str(item[0])):
            cell = key[0] if isinstance(key, tuple) else key
            name = names[str(cell)]
            values, kind, bad = self.numbers(rows, v, str(cell).strip())
            if bad:
                self.report_numbers([int(rows["row"][i]) for i in bad], v, frame)
            keep = ~values.is_null()
            if bad:
                keep = keep & ~pl.Series(range(rows.height)).is_in(bad)
            rows = rows.with_columns(values.alias("value")).filter(keep)
            rows = rows.filter(~pl.col("row").is_in(list(skip)))
            if name in kpis:
                self.direct(kpis[name], rows, kind, f"c{d}", parsed, parts_columns, k)
            else:
                self.aggregate(
                    rows, f"c{d}", parsed, parts_columns, {name: (pl.col("value"), kind)}
                )

    def unknown_code(self, cell: str, line: int, column: int, count: int) -> None:
        """One problem for all the rows of a code that names no KPI: the KPI
        it most likely means, as the mapping that reads it."""
        code = cell.strip()
        ids = self.workspace.by_id(Kpi)
        lowered = {kpi.lower(): kpi for kpi in ids}
        close = lowered.get(code.lower()) or (
            suggest.closest(code.lower(), ids) if len(code) < 200 else None
        )
        self.problem(
            *self.cell(line, column),
            msgs(
                "unknown KPI or code {code} ({count} row)",
                "unknown KPI or code {code} ({count} rows)",
                count,
                code=_shown(code),
            )
            if code
            else msg("no KPI on this row"),
            msg(
                "is it KPI '{kpi}'? map it under codes: in its source ({code}: {kpi})",
                kpi=close,
                code=code,
            )
            if close
            else msg("map it to a KPI under codes: in its source ({code}: KPI-ID)", code=code),
            subject=Subject("kpi", code) if code else None,
            detail=("kpi", code),
            rule=pipeline_rules.MEASUREMENT_CODE,
        )

    # -- wide files: a row per period and part, a column per metric

    def wide(self, frame: pl.DataFrame, columns: Mapping[str, int], names: list[str]) -> None:
        import polars as pl

        d = columns["period"]
        parsed = self.periods(frame, d)
        skip = self.report_periods(frame, d, parsed)
        kpis = self.workspace.by_id(Kpi)
        coded = [(role[5:], i) for role, i in columns.items() if role.startswith("code:")]
        series: dict[str, tuple[pl.Series, str | None]] = {}
        bad_rows: set[int] = set(skip)
        for code, position in coded:
            values, kind, bad = self.numbers(frame, position, code)
            if bad:
                self.report_numbers(bad, position, frame)
                bad_rows.update(bad)
            series[code] = (values, kind)
        frame = frame.with_row_index("row")
        for code, (values, _kind) in series.items():
            frame = frame.with_columns(values.alias(f"v:{code}"))
        if bad_rows:
            frame = frame.filter(~pl.col("row").is_in(list(bad_rows)))
        parts_columns = self.parts(columns)
        metrics: dict[str, tuple[pl.Expr, str | None]] = {}
        for code, (_values, kind) in series.items():
            name = self.source.codes.get(code, code)
            if name in kpis:
                rows = frame.select(
                    ["row", f"c{d}", *parts_columns, pl.col(f"v:{code}").alias("value")]
                ).filter(pl.col("value").is_not_null())
                self.direct(kpis[name], rows, kind, f"c{d}", parsed, parts_columns, None)
            else:
                metrics[name] = pl.col(f"v:{code}"), kind
        for mean, weight in sorted(self.weighed):
            if mean in metrics and weight in metrics:
                # The rows that give both: an average without its count weighs nothing.
                a, w = metrics[mean][0], metrics[weight][0]
                both = a.is_not_null() & w.is_not_null()
                metrics[f"{mean}*{weight}"] = pl.when(both).then(a * w), None
                metrics[f"{weight}@{mean}"] = pl.when(both).then(w), None
        self.aggregate(frame, f"c{d}", parsed, parts_columns, metrics)

    # -- values: a KPI's own, or a metric's sums

    def direct(
        self,
        kpi: Kpi,
        rows: pl.DataFrame,
        kind: str | None,
        period: str,
        parsed: Mapping[str, _Period | None],
        parts_columns: list[str],
        kpi_column: int | None,
    ) -> None:
        """Each row a value of the KPI for the row's own period."""
        subject = Subject("kpi", kpi.id)
        for row, cell, *rest in rows.select(["row", period, *parts_columns, "value"]).iter_rows():
            value = _to_kpi(float(rest[-1]), kind, kpi.unit)
            found = parsed.get(cell)
            if found is None:
                continue
            date = found.own_end().isoformat()
            parts = self.named(parts_columns, rest[:-1])
            line = self.line_of(row)
            detail = (date, *(p or "" for p in parts))
            if kpi.range is not None and not kpi.range[0] <= value <= kpi.range[1]:
                low, high = kpi.range
                if not self.problem(
                    line,
                    1,
                    msg(
                        "{value} is outside the range of KPI '{kpi}' [{low}, {high}]",
                        value=format(value, "g"),
                        kpi=kpi.id,
                        low=format(low, "g"),
                        high=format(high, "g"),
                    ),
                    subject=subject,
                    detail=("value", *detail),
                ):
                    return
                continue
            key = (kpi.id, date, *parts)
            first = self.seen.get(key)
            if first is not None:
                if not self.problem(
                    line,
                    1,
                    *measured_twice(kpi.id, date, parts, first),
                    subject=subject,
                    detail=("twice", *detail),
                    rule=pipeline_rules.MEASUREMENT_TWICE,
                ):
                    return
                continue
            self.seen[key] = f"{self.display}:{line}:1"
            col = (
                self.cell(line, kpi_column)[1]
                if kpi_column is not None and self.source.shape == "long"
                else None
            )
            self.out.rows.setdefault(kpi.id, []).append(
                _measurement(date, value, parts, f"{self.display}:{line}", col)
            )

    def aggregate(
        self,
        frame: pl.DataFrame,
        period: str,
        parsed: Mapping[str, _Period | None],
        parts_columns: list[str],
        metrics: Mapping[str, tuple[pl.Expr, str | None]],
    ) -> None:
        """Each metric (an expression over the rows, and what it measures)
        summed to every period its computed KPIs want: in one pass over the
        rows for each period, by part, then over the parts for all of them."""
        import polars as pl

        by_period: dict[str, list[str]] = defaultdict(list)
        for name, (_, kind) in metrics.items():
            if kind is not None or name not in self.sums.kinds:
                self.sums.kinds[name] = kind
            for wanted in self.wanted.get(name, ()):
                by_period[wanted].append(name)
        if not by_period:
            return
        values = frame.select(
            pl.col("row"),
            pl.col(period),
            *(pl.col(c) for c in parts_columns),
            *(metrics[n][0].alias(f"s:{n}") for n in metrics),
        )
        # A count of the cells is needed only where some are empty.
        sparse = {n for n in metrics if values.get_column(f"s:{n}").null_count()}
        for wanted, names in sorted(by_period.items()):
            ends = self.ends(parsed, wanted, names[0])
            if ends is None:
                continue
            end = values.get_column(period).replace_strict(
                ends, default=None, return_dtype=pl.String
            )
            framed = values.with_columns(end.alias("_end"))
            totals = framed.group_by(["_end", *parts_columns]).agg(
                *(pl.col(f"s:{n}").sum() for n in names),
                *(
                    pl.col(f"s:{n}").is_not_null().sum().alias(f"n:{n}")
                    for n in names
                    if n in sparse
                ),
            )
            # The first row of each period: where its figures are said to be from.
            at = end.arg_unique()
            first = dict(
                zip(
                    end.gather(at).to_list(),
                    values.get_column("row").gather(at).to_list(),
                    strict=True,
                )
            )
            overall: dict[tuple[str, str], float] = defaultdict(float)
            for record in totals.iter_rows(named=True):
                day = record["_end"]
                if day is None:
                    continue  # a period cell that is none: reported
                parts = self.named(parts_columns, [record[c] for c in parts_columns])
                for name in names:
                    if name in sparse and not record[f"n:{name}"]:
                        continue  # no row of the period and part gives it
                    total = float(record[f"s:{name}"])
                    overall[(name, day)] += total
                    if any(parts):  # a row of no part counts in the whole only
                        self.add((name, wanted, day, parts), total, first[day])
            for (name, day), total in sorted(overall.items()):
                self.add((name, wanted, day, (None,) * len(BREAKDOWN)), total, first[day])

    def ends(
        self, parsed: Mapping[str, _Period | None], wanted: str, name: str
    ) -> dict[str, str] | None:
        """The end of the ``wanted`` period each period cell falls in; None
        (and a problem) when the file's periods do not fall in one."""
        ends = {}
        for cell, found in parsed.items():
            if found is None:
                continue
            end = found.end(wanted)
            if end is None:
                self.problem(
                    1,
                    1,
                    msg(
                        "the periods of this file (form: {form}) do not each fall in one "
                        "period of its KPIs (period: {period}): metric '{metric}' is left out",
                        form=self.form,
                        period=wanted,
                        metric=name,
                    ),
                    msg("compute the KPIs that sum it by period: {form}", form=found.kind),
                    detail=("period", name, wanted),
                    rule=pipeline_rules.MEASUREMENT_PERIOD,
                )
                return None
            ends[cell] = end.isoformat()
        return ends

    def add(self, key: tuple[str, str, str, Parts], total: float, first: int) -> None:
        found = self.sums.sums.get(key)
        if found is None:
            row = f"{self.display}:{self.line_of(first)}"
            self.sums.sums[key] = _Sum(total, row, self.source.where)
        elif found.source != self.source.where:
            metric, _, end, parts = key
            named = zip(BREAKDOWN, parts, strict=True)
            self.problem(
                self.line_of(first),
                1,
                msg(
                    "metric '{metric}' of the period ending {date}{breakdown} comes from "
                    "two sources",
                    metric=metric.split("*")[0].split("@")[0],
                    date=end,
                    breakdown="".join(f", {n} {p}" for n, p in named if p),
                ),
                msg("first at {place}; read it from one", place=found.row),
                detail=("twice", metric, end, *(p or "" for p in parts)),
                rule=pipeline_rules.MEASUREMENT_TWICE,
            )
        else:
            found.total += total

    def named(self, columns: Sequence[str], cells: Sequence[Any]) -> Parts:
        """The breakdown of a row whose part ``columns`` hold ``cells``."""
        by_column = {
            c: (str(v).strip() or None) if v is not None else None
            for c, v in zip(columns, cells, strict=True)
        }
        return tuple(by_column.get(self.part_columns.get(name, "")) for name in BREAKDOWN)


def _compute(
    computed: Iterable[Computed],
    workspace: Workspace,
    sums: _Sums,
    seen: dict[tuple[str | None, ...], str],
    out: Read,
) -> None:
    """Each computed KPI for every period and part its metrics were summed
    for: the sum over the sum of ``per`` (or the weighed mean), never a mean
    of the rows' own ratios."""
    kpis = workspace.by_id(Kpi)
    ordered: dict[tuple[str, str], list[tuple[str, Parts, _Sum]]] = defaultdict(list)
    for (metric, period, end, parts), found in sorted(sums.sums.items(), key=_order):
        ordered[metric, period].append((end, parts, found))
    for c in computed:
        kpi = kpis.get(c.kpi)
        if kpi is None:
            if not workspace.may_define("kpi", c.kpi):
                close = suggest.closest(c.kpi, kpis)
                _problem(
                    out,
                    c.where,
                    msg("unknown KPI {id}", id=_shown(c.kpi)),
                    suggest.hint(close),
                    subject=Subject("kpi", c.kpi),
                    detail=("computed", c.kpi),
                    fix=suggest.fix(c.kpi, close),
                )
            continue
        top, bottom = (f"{c.sum}*{c.weight}", f"{c.weight}@{c.sum}") if c.weight else (c.sum, c.per)
        kind = sums.kinds.get(c.sum)
        if c.weight is None and c.per is not None:
            kind = kind or SHARE  # a count over a count is a share
        absent = [m for m in (c.sum, c.per or c.weight) if m and m not in sums.kinds]
        if absent:
            known = sorted(sums.names - set(kpis))
            close = suggest.closest(absent[0], known)
            _problem(
                out,
                c.where,
                msg(
                    "KPI '{kpi}' sums metric '{metric}', which no source gives",
                    kpi=kpi.id,
                    metric=absent[0],
                ),
                suggest.hint(close)
                or (msg("the sources give: {names}", names=", ".join(known)) if known else None),
                subject=Subject("kpi", kpi.id),
                detail=("computed", kpi.id, absent[0]),
            )
            continue
        period = c.period
        for end, parts, found in ordered.get((top, period), ()):
            if bottom is None:
                value = found.total
            else:
                under = sums.sums.get((bottom, period, end, parts))
                if under is None or under.total == 0:
                    continue
                value = found.total / under.total
            value = _to_kpi(value, kind, kpi.unit)
            key = (kpi.id, end, *parts)
            first = seen.get(key)
            if first is not None:
                _problem(
                    out,
                    f"{found.row}:1",
                    *measured_twice(kpi.id, end, parts, first),
                    subject=Subject("kpi", kpi.id),
                    detail=("twice", end, *(p or "" for p in parts)),
                    rule=pipeline_rules.MEASUREMENT_TWICE,
                )
                continue
            seen[key] = f"{found.row}:1"
            out.rows.setdefault(kpi.id, []).append(_measurement(end, value, parts, found.row, None))


def _measurement(date: str, value: float, parts: Parts, row: str, col: int | None) -> Measurement:
    journey, stage, channel, segment = parts
    return Measurement(date, value, journey, stage, channel, segment, row, col)


def _order(item: tuple[tuple[str, str, str, Parts], _Sum]) -> tuple[Any, ...]:
    (metric, period, end, parts), _ = item
    return metric, period, end, tuple(p or "" for p in parts)


def _unit(source: Source, code: str | None) -> tuple[str | None, float]:
    """What a metric column measures (:data:`TIME`, :data:`SHARE` or None)
    and the factor its cells are multiplied by (to seconds, or to a ratio)."""
    unit = source.units.get(code or "")
    kind = TIME if unit in _SECONDS else SHARE if unit in _SHARES else None
    return kind, _SECONDS.get(unit or "") or _SHARES.get(unit or "") or 1.0


def _whole_columns(sample: bytes, delimiter: str, columns: Sequence[int]) -> set[int]:
    """The ``columns`` whose cells in ``sample`` (the first bytes of a file's
    data rows) are all whole numbers that fit 32 bits, by far: the columns
    worth reading as integers. A later cell that is not makes the read fail,
    and it is read again as floats."""
    lines = sample.split(b"\n")[:-1]  # the last may be cut short
    whole = set(columns)
    separator = delimiter.encode()
    for line in lines:
        cells = line.rstrip(b"\r").split(separator)
        whole = {c for c in whole if c < len(cells) and _WHOLE.fullmatch(cells[c])}
        if not whole:
            break
    return whole if lines else set()


def _to_kpi(value: float, kind: str | None, unit: str) -> float:
    """A value in seconds (a duration) or as a ratio (a share) in the KPI's unit;
    one of no declared kind is in the KPI's unit already."""
    if kind == TIME:
        return value / _KPI_SECONDS.get(unit, 1.0)
    if kind == SHARE and unit == "percent":
        return value * 100
    return value


# -- numbers as exports write them


_DURATION = re.compile(r"(-)?(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)")


def _number(cell: str, decimal: str, thousands: str | None) -> tuple[float, str | None] | None:
    """A cell as a number and what its form marks it as: ``85%`` a share
    (85), ``00:05:10`` a duration (310 seconds), ``1 234,5`` with a decimal
    comma 1234.5; None when it is none of these."""
    text = cell.strip().replace("\u00a0", " ").replace("\u202f", " ")
    duration = _DURATION.fullmatch(text)
    if duration:
        sign, hours, minutes, seconds = duration.groups()
        total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds.replace(",", "."))
        return (-total if sign else total), TIME
    mark = None
    if text.endswith("%"):
        mark, text = SHARE, text[:-1].rstrip()
    if thousands is not None:
        text = text.replace(thousands, "")
    elif decimal == ",":
        text = re.sub(r"(?<=\d)[ .](?=\d{3}\b)", "", text)
    else:
        text = re.sub(r"(?<=\d) (?=\d{3}\b)", "", text)
    if decimal == ",":
        if "." in text:
            return None
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text):
        return None
    value = float(text)
    return (value, mark) if math.isfinite(value) else None


# -- periods


@dataclass(frozen=True)
class _Period:
    """A period cell: a day, an ISO week (its Monday) or a month (its first day)."""

    kind: str
    """``day``, ``week`` or ``month``."""
    start: datetime.date

    def own_end(self) -> datetime.date:
        """The last day of the period itself."""
        return self.end({"day": "day", "week": "week", "month": "month"}[self.kind]) or self.start

    def end(self, period: str) -> datetime.date | None:
        """The last day of the ``period`` (a KPI's) this one falls in; None when
        it straddles two (a week in two months)."""
        order = ("day", "week", "month", "quarter", "year")
        if self.kind == "week" and period != "week":
            return None
        if self.kind == "month" and order.index(period) < order.index("month"):
            return None
        day = self.start
        if period == "day":
            return day
        if period == "week":
            return day + datetime.timedelta(days=6 - day.weekday())
        if period == "month":
            return _month_end(day.year, day.month)
        if period == "quarter":
            return _month_end(day.year, (day.month - 1) // 3 * 3 + 3)
        return datetime.date(day.year, 12, 31)


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)  # (no day follows 9999-12-31)
    following = datetime.date(year, month + 1, 1)
    return following - datetime.timedelta(days=1)


_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-?W(\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _form(cell: str) -> str:
    """The form of a period cell, for a source that does not say."""
    if _MONTH.fullmatch(cell):
        return "month"
    if _WEEK.fullmatch(cell):
        return "week"
    if _DATE.fullmatch(cell):
        return "date"
    return "interval"


def _parse_period(cell: str, form: str) -> _Period | None:
    try:
        if form == "date":
            if not _DATE.fullmatch(cell):
                return None
            return _Period("day", datetime.date.fromisoformat(cell))
        if form == "month":
            found = _MONTH.fullmatch(cell)
            if not found:
                return None
            return _Period("month", datetime.date(int(found[1]), int(found[2]), 1))
        if form == "week":
            found = _WEEK.fullmatch(cell)
            if not found:
                return None
            return _Period("week", datetime.date.fromisocalendar(int(found[1]), int(found[2]), 1))
        start, _, end = cell.partition("/")
        instant = _INSTANT.fullmatch(end if form == "interval-end" else start)
        if not instant:
            return None
        day = datetime.date.fromisoformat(instant[1])
        if form == "interval-end" and not any(int(t or 0) for t in instant.groups()[1:]):
            day -= datetime.timedelta(
                days=1
            )  # an interval that ends at midnight is the day before's
        for part in instant.groups()[1:]:
            if part is not None and int(part) > 59:
                return None
        if instant[2] is not None and int(instant[2]) > 23:
            return None
        return _Period("day", day)
    except ValueError:
        return None


_PERIOD_WORDS = {
    "date": lambda cell: msg("period {cell} is not a date (YYYY-MM-DD)", cell=cell),
    "month": lambda cell: msg("period {cell} is not a month (YYYY-MM)", cell=cell),
    "week": lambda cell: msg("period {cell} is not an ISO week (YYYY-Www)", cell=cell),
    "interval": lambda cell: msg(
        "period {cell} is not the start of an interval (YYYY-MM-DDTHH:MM)", cell=cell
    ),
    "interval-end": lambda cell: msg(
        "period {cell} is not the end of an interval (YYYY-MM-DDTHH:MM)", cell=cell
    ),
}
# -- encodings and delimiters

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE = re.compile(r"[^\r\n]*+(?:\r\n|\r|\n)?")
_ENDS = re.compile(r"\r\n|\r|\n")
_LONE_CR = re.compile(rb"\r(?!\n)")
_BY_FD = "/proc/self/fd/{fd}"
_HEADER_BYTES = 1 << 16
"""A header longer than this is read the slow way."""
# The period cells :meth:`_File.summed` takes, as :func:`_parse_period` reads
# them but with no space around: a date, or an instant (a time of day in
# range, an offset) whose day is its first ten characters. Digits are ASCII
# ones: Polars' \d knows digits newer than this Python's re does (Unicode 16
# against 14), which the reading above would not take; it reads the others.
_FAST_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_WHOLE = re.compile(rb"[+-]?\d{1,9}")
_SAMPLE = 8192
"""The bytes of data rows :func:`_whole_columns` looks at."""
_FAST_INSTANT = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?$"
)


def _likely(raw: bytes) -> str | None:
    """The encoding a file that is not UTF-8 most likely is, by its bytes."""
    sample = raw[: 1 << 20]
    if sample.count(0) > len(sample) // 4:
        return "utf-16-le" if sample[1::2].count(0) > sample[::2].count(0) else "utf-16-be"
    for encoding, strict in (("gb18030", "gb2312"), ("big5", "big5")):
        try:
            sample.decode(strict)
        except UnicodeDecodeError as error:
            cut = len(raw) > len(sample) and error.start >= len(sample) - 4
            if not cut:  # a character cut at the sample's end is no sign
                continue
        return encoding
    text = sample.decode("cp1251")
    high = [c for c in text if ord(c) > 127]
    if high and sum("\u0400" <= c <= "\u04ff" for c in high) > len(high) * 0.8:
        return "cp1251"
    return None


def sniff(line: str) -> str:
    """The delimiter a header line uses most (outside quotes); a comma when none."""
    outside = re.sub(r'"[^"]*"?', "", line)
    counts = [(outside.count(d), -i, d) for i, d in enumerate(_DELIMITERS)]
    count, _, delimiter = max(counts)
    return delimiter if count else ","


def shown_delimiter(delimiter: str) -> str:
    """A delimiter as a setting writes it."""
    return "tab" if delimiter == "\t" else f"'{delimiter}'"
