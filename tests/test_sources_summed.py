"""A wide export summed as it is read (``_File.summed``) gives what reading
its rows one by one gives: the same values, from the same rows, and the same
problems; a file it cannot take it leaves to that reading, untouched.

Each case is read twice, with the summing reader and without it, and the two
compared whole."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journeycode import sources
from journeycode.compiler import compile_workspace
from journeycode.model import Kpi
from tests.conftest import write_files

TODAY = datetime.date(2026, 7, 10)
KPIS = """\
kpis:
  - {id: aht, name: AHT, kind: operational, unit: seconds, direction: lower, target: 300}
  - {id: service-level, name: SL, kind: operational, unit: percent, range: [0, 100], target: 80}
  - {id: abandonment, name: Ab, kind: operational, unit: percent, range: [0, 100], target: 5}
  - {id: asa, name: ASA, kind: operational, unit: seconds, direction: lower, target: 20}
"""
SETTINGS = """\
measurements:
  sources:
    - files: exports
      shape: wide
      period: {column: interval%(form)s}
      columns: {segment: queue}%(extra)s
  kpis:
    aht: {sum: handle_time, per: handled}
    service-level: {sum: in_sla, per: offered}
    abandonment: {sum: abandoned, per: offered}
    asa: {sum: wait, weight: offered}
"""
HEADER = "interval,queue,offered,handled,handle_time,in_sla,abandoned,wait"


def _rows(days: int = 40, queues: int = 3, per_day: int = 6) -> list[str]:
    """Intervals over two months, in order, a row per interval and queue."""
    pick = random.Random(7)
    start = datetime.datetime(2026, 5, 20)
    rows = []
    for n in range(days * per_day):
        at = (start + datetime.timedelta(hours=4 * n)).isoformat()
        for q in range(queues):
            offered = pick.randint(0, 40)
            handled = pick.randint(0, offered)
            rows.append(
                f"{at},queue-{q},{offered},{handled},{pick.randint(0, 4000) / 4},"
                f"{pick.randint(0, handled)},{offered - handled},{pick.randint(0, 400) / 4}"
            )
    return rows


def _replace(index: int, old: str, new: str) -> Callable[[list[str]], None]:
    def change(rows: list[str]) -> None:
        rows[index] = rows[index].replace(old, new, 1)

    return change


def _insert(index: int, line: str) -> Callable[[list[str]], None]:
    return lambda rows: rows.insert(index, line)


def _far_down(figure: str) -> Callable[[list[str]], None]:
    """The rows three times over (beyond the first bytes looked at), the last
    one's offered count then ``figure``."""

    def change(rows: list[str]) -> None:
        rows[:] = rows * 3
        cells = rows[-1].split(",")
        rows[-1] = ",".join([*cells[:2], figure, *cells[3:]])

    return change


def _period_last_short_row(rows: list[str]) -> None:
    rows[:] = [",".join([*r.split(",")[1:], r.split(",")[0]]) for r in rows]
    rows[8] = rows[8].rsplit(",", 1)[0]


# (case, a change to the data rows, settings, the header, summed as read)
CASES: list[tuple[str, Callable[[list[str]], None] | None, dict[str, str], str, bool]] = [
    ("plain", None, {}, HEADER, True),
    (
        "instants in UTC",
        lambda rows: rows.__setitem__(slice(None), [r.replace(",", "Z,", 1) for r in rows]),
        {},
        HEADER,
        True,
    ),
    (
        "dates",
        lambda rows: rows.__setitem__(slice(None), [r[:10] + r[19:] for r in rows]),
        {"form": ", form: date"},
        HEADER,
        True,
    ),
    ("told the form", None, {"form": ", form: interval"}, HEADER, True),
    ("milliseconds", None, {"extra": "\n      units: {handle_time: ms}"}, HEADER, True),
    ("part cells with spaces", _replace(5, "queue-2", " queue-2 "), {}, HEADER, True),
    ("an empty part", _replace(4, "queue-1", ""), {}, HEADER, True),
    (
        "line ends CRLF",
        lambda rows: rows.__setitem__(slice(None), [r + "\r" for r in rows]),
        {},
        HEADER,
        True,
    ),
    # Whole figures in the first rows read as integers; a later one that is
    # not (past the rows looked at first) makes the file read again as floats.
    ("a fraction far down", _far_down("7.5"), {}, HEADER, True),
    ("a large figure far down", _far_down("5000000000"), {}, HEADER, True),
    ("a blank line", _insert(9, ""), {}, HEADER, False),
    (
        "an empty metric",
        _replace(
            3,
            ",",
            ",,",
        ),
        {},
        HEADER,
        False,
    ),
    ("a cell not a number", lambda rows: rows.__setitem__(6, rows[6] + "x"), {}, HEADER, False),
    (
        "nan",
        lambda rows: rows.__setitem__(
            7, ",".join([*rows[7].split(",")[:2], "nan", *rows[7].split(",")[3:]])
        ),
        {},
        HEADER,
        False,
    ),
    ("a leap second", _replace(8, ":00,", ":60,"), {}, HEADER, False),
    (
        "a padded hour",
        _replace(
            8,
            "T",
            "T ",
        ),
        {},
        HEADER,
        False,
    ),
    (
        "a hour of one digit",
        _replace(
            8,
            "T0",
            "T",
        ),
        {},
        HEADER,
        False,
    ),
    ("a no-break space", _replace(8, "T0", "T\u00a0"), {}, HEADER, False),
    # Polars knows digits this Python's re does not (Unicode 16 against 14).
    ("a digit of Unicode 16 in the hour", _replace(8, "T08", "T0\U00010d44"), {}, HEADER, False),
    ("an Arabic-Indic digit in the hour", _replace(8, "T08", "T0\u0668"), {}, HEADER, False),
    ("the last day there is", _replace(8, "2026-05-20", "9999-12-31"), {}, HEADER, True),
    ("a year of five digits", _replace(8, "2026-0", "02026-"), {}, HEADER, False),
    ("a day that is not", _replace(8, "2026-05-2", "2026-02-3"), {}, HEADER, False),
    ("a date among instants", _replace(3, "T04:00:00", ""), {}, HEADER, False),
    ("a space before the period", _replace(8, "2026", " 2026"), {}, HEADER, False),
    ("a quote in a part", _replace(8, "queue-", 'que"ue-'), {}, HEADER, False),
    ("a quoted part", _replace(8, "queue-2", '"queue-2"'), {}, HEADER, False),
    ("a lone carriage return", _replace(8, "queue-", "que\rue-"), {}, HEADER, False),
    ("a NUL", _replace(8, "queue-", "que\0ue-"), {}, HEADER, False),
    ("not UTF-8 in a part", _replace(8, "queue-", "que\udcffue-"), {}, HEADER, False),
    (
        "not UTF-8 in a metric",
        lambda rows: rows.__setitem__(6, rows[6] + "\udcff"),
        {},
        HEADER,
        False,
    ),
    ("too many cells", lambda rows: rows.__setitem__(8, rows[8] + ",9"), {}, HEADER, False),
    (
        "too few cells",
        lambda rows: rows.__setitem__(8, rows[8].rsplit(",", 1)[0]),
        {},
        HEADER,
        False,
    ),
    (
        "a short row without its period, the last column",
        _period_last_short_row,
        {},
        HEADER.replace("interval,", "") + ",interval",
        False,
    ),
    (
        "a column not read",
        lambda rows: rows.__setitem__(slice(None), [r + ",x" for r in rows]),
        {},
        HEADER + ",note",
        False,
    ),
    ("a header twice", None, {}, HEADER.replace("abandoned", "offered"), False),
    ("no period column", None, {}, HEADER.replace("interval", "start"), False),
    (
        "a KPI's own column",
        None,
        {"extra": "\n      codes: {abandoned: abandonment}"},
        HEADER,
        False,
    ),
    (
        "decimal commas",
        None,
        {"extra": '\n      delimiter: ","\n      decimal: ","'},
        HEADER,
        False,
    ),
]


def _workspace(tmp_path: Path, change: Any, settings: dict[str, str], header: str) -> Path:
    rows = _rows()
    if change is not None:
        change(rows)
    text = "\n".join([header, *rows]) + "\n"
    return write_files(
        tmp_path,
        {
            "kpis.yaml": KPIS,
            "journeycode.yaml": SETTINGS % {"form": "", "extra": "", **settings},
            # (A lone surrogate stands for a byte that is not UTF-8.)
            "exports/intervals.csv": text.encode("utf-8", "surrogateescape"),
        },
    )


def _read(root: Path) -> tuple[dict[str, list[tuple[Any, ...]]], list[tuple[Any, ...]]]:
    compiled = compile_workspace(root, "", today=TODAY)
    values = {
        kpi.id: sorted(
            (m.date, m.segment or "", m.value, m.row, m.kpi_col)
            for m in (*kpi.measurements, *kpi.breakdown)
        )
        for kpi in compiled.workspace.entities(Kpi)
    }
    problems = sorted(
        (p.location, p.rule, p.message, p.hint or "") for p in compiled.result.problems
    )
    return values, problems


@pytest.mark.parametrize(
    ("change", "settings", "header", "summed"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_file_summed_as_read_reads_as_its_rows_one_by_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Any,
    settings: dict[str, str],
    header: str,
    summed: bool,
) -> None:
    root = _workspace(tmp_path, change, settings, header)
    taken: list[bool] = []
    reader = sources._File.summed

    def counted(self: Any, fd: int, data: str | bytes) -> bool:
        taken.append(reader(self, fd, data))
        return taken[-1]

    monkeypatch.setattr(sources._File, "summed", counted)
    fast = _read(root)
    assert taken == [summed]
    monkeypatch.setattr(sources._File, "summed", lambda self, fd, data: False)
    rows = _read(root)
    # Figures in other units are not quarters: summed by day first, they may
    # differ in their last bit.
    assert {
        k: [(*m[:2], pytest.approx(m[2], rel=1e-12), *m[3:]) for m in v] for k, v in fast[0].items()
    } == rows[0]
    assert fast[1] == rows[1]
    values, problems = fast
    assert sum(map(len, values.values())) > 0 or problems


def test_where_the_system_names_no_open_file_its_bytes_are_summed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without /proc/self/fd (macOS, say), the file's bytes go to Polars."""
    root = _workspace(tmp_path, None, {}, HEADER)
    named = _read(root)
    monkeypatch.setattr(sources, "_BY_FD", str(tmp_path / "no-proc" / "{fd}"))
    given: list[str | bytes] = []
    reader = sources._File.summed

    def counted(self: Any, fd: int, data: str | bytes) -> bool:
        given.append(data)
        return reader(self, fd, data)

    monkeypatch.setattr(sources._File, "summed", counted)
    assert _read(root) == named
    assert [type(d) for d in given] == [bytes]


@pytest.mark.parametrize("shape", ["wide", "long"])
def test_a_column_read_as_two_things_is_a_problem_at_its_header(tmp_path: Path, shape: str) -> None:
    """The period's column named as a part too: said at the header, the file not read."""
    settings = SETTINGS % {"form": "", "extra": ""}
    settings = settings.replace("columns: {segment: queue}", "columns: {segment: interval}")
    settings = settings.replace("shape: wide", f"shape: {shape}")
    text = "\n".join([HEADER, *_rows(days=3)]) + "\n"
    if shape == "long":
        text = "kpi,value,interval\naht,300,2026-05-20T04:00:00\n"
    root = write_files(
        tmp_path,
        {"kpis.yaml": KPIS, "journeycode.yaml": settings, "exports/intervals.csv": text},
    )
    values, problems = _read(root)
    assert not any(values.values())  # nothing read from the file
    said = [p for p in problems if p[0].startswith("exports/intervals.csv")]
    assert said == [
        (
            f"exports/intervals.csv:1:{text.index('interval') + 1}",
            "measurements",
            "column 'interval' is named twice in its source's settings: "
            "as 'period' and as 'segment'",
            "name a column of its own for each",
        )
    ]
