"""Measurement files too large or too odd to write as cases: each gives located
problems and exit 1, never an internal error (exit 3)."""

from __future__ import annotations

import csv
import shutil
import xml.dom.minidom
from pathlib import Path

from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import check, compile_workspace
from journeycode.model import Kpi
from journeycode.problems import ExitCode
from tests.conftest import ROOT

ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}
KPIS = "kpis:\n  - {id: aht, name: AHT, kind: operational, unit: seconds}\n"


def _maps(tmp_path: Path, content: bytes) -> Path:
    maps = tmp_path / "maps"
    (maps / "measurements").mkdir(parents=True)
    (maps / "kpis.yaml").write_text(KPIS, "utf-8")
    (maps / "measurements" / "m.csv").write_bytes(content)
    return maps


def _check(maps: Path, *options: str) -> tuple[int, str]:
    run = CliRunner(env=ENV).invoke(main, ["check", str(maps), *options])
    return run.exit_code, run.stdout


def test_a_cell_over_the_csv_modules_128_kib_is_read(tmp_path: Path) -> None:
    note = "n" * (200 * 1024)
    maps = _maps(
        tmp_path,
        f'kpi,period_end,value,note\naht,2026-10-31,300,"{note}"\naht,2026-09-30,{note}\n'.encode(),
    )
    limit = csv.field_size_limit()
    result = check(maps, "")
    assert [(p.location, p.message) for p in result.problems if p.rule == "measurements"] == [
        ("measurements/m.csv:3:16", f"'{'n' * 59}…' is not a number")
    ]
    assert csv.field_size_limit() == limit  # raised for the read only


def test_a_file_of_150_mb_of_nuls_is_one_problem_at_its_first_byte(tmp_path: Path) -> None:
    """The file that was reported (under the 200 MB limit): half a second."""
    maps = _maps(tmp_path, bytes(150 * 1_000_000))
    code, out = _check(maps)
    assert code == ExitCode.PROBLEMS
    assert (
        f"{maps}/measurements/m.csv:1:1: error: a NUL character: this is not a text CSV file, "
        "so it is not read [measurements]\n"
    ) in out


def test_a_nul_in_a_cell_never_reaches_the_junit_report(tmp_path: Path) -> None:
    maps = _maps(tmp_path, b"kpi,period_end,value\na\0ht,2026-10-31,300\n")
    code, out = _check(maps, "--format", "junit")
    assert code == ExitCode.PROBLEMS
    xml.dom.minidom.parseString(out)  # well-formed
    assert "\0" not in out
    assert "m.csv:2:2: error: a NUL character" in out


def test_a_rows_kpi_column_is_kept_only_when_the_kpi_is_on_the_rows_first_line(
    tmp_path: Path,
) -> None:
    """The language server renames a KPI at the row's line and this column."""
    maps = _maps(
        tmp_path,
        b'note,kpi,period_end,value\n"one",aht,2026-09-30,300\n"two\nlines",aht,2026-10-31,310\n',
    )
    (aht,) = compile_workspace(maps, "").workspace.entities(Kpi)
    assert [(m.row, m.kpi_col) for m in aht.measurements] == [
        ("measurements/m.csv:2", 7),
        ("measurements/m.csv:3", None),
    ]


def test_a_file_of_broken_rows_is_read_up_to_a_thousand_problems(tmp_path: Path) -> None:
    """Before, a megabyte of broken rows gave 500,000 problems (290 MB); a
    file at the size limit would have given a hundred million."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    (maps / "measurements" / "broken.csv").write_text(
        "kpi,period_end,value\n" + "x,2026-01-31,1\n" * 100_000, "utf-8"
    )
    result = check(maps, "maps")
    mine = [p for p in result.problems if p.path.endswith("broken.csv")]
    assert len(mine) == 1001
    assert mine[-1].message == "more than 1,000 problems in this file: the rest is not read"
    assert (mine[-1].line, mine[-1].col) == (1002, 1)
