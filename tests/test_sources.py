"""Measurement sources (``measurements: sources:``): exports as the platforms
write them, read with settings only, and KPIs computed as ratios of sums."""

from __future__ import annotations

import csv
import datetime
import json
from collections import defaultdict
from pathlib import Path

import pytest

from journeycode import pipeline_rules
from journeycode.compiler import compile_workspace
from journeycode.model import Kpi, Measurement
from journeycode.problems import ExitCode, Level
from journeycode.sources import _number
from tests.conftest import ROOT, invoke, write_files

TODAY = datetime.date(2026, 7, 10)
KPIS = """\
kpis:
  - {id: aht, name: AHT, kind: operational, unit: seconds, direction: lower, target: 300}
  - {id: fcr, name: FCR, kind: operational, unit: percent, range: [0, 100], target: 75}
  - {id: service-level, name: SL, kind: operational, unit: percent, range: [0, 100], target: 80}
"""
# The bank's monthly export: semicolons, decimal commas, months, its own codes, cp1251.
BANK = (
    "metric_code;month;value;queue\r\n"
    "AHT;2026-05;312,4;Карты\r\n"
    "FCR;2026-05;71,5;Карты\r\n"
    "SL;2026-05;82%;Карты\r\n"
    "AHT;2026-06;1 298,7;Кредиты\r\n"
    "SL;2026-06;79,5%;Кредиты\r\n"
).encode("cp1251")
BANK_SOURCE = """\
measurements:
  sources:
    - files: exports
      encoding: cp1251
      decimal: ","
      period: {column: month, form: month}
      columns: {kpi: metric_code, segment: queue}
      codes: {AHT: aht, FCR: fcr, SL: service-level}
"""


def _problems(root: Path) -> list[tuple[str, str, str | None]]:
    result = compile_workspace(root, "", today=TODAY).result
    return [
        (p.location, p.message, p.hint) for p in result.problems if p.rule in pipeline_rules.DOCS
    ]


def _values(root: Path) -> dict[str, list[tuple[str, str | None, float]]]:
    workspace = compile_workspace(root, "", today=TODAY).workspace
    return {
        kpi.id: sorted(
            ((m.date, m.segment, m.value) for m in (*kpi.measurements, *kpi.breakdown)),
            key=lambda row: (row[0], row[1] or ""),
        )
        for kpi in workspace.entities(Kpi)
    }


def _bank(tmp_path: Path, settings: str) -> Path:
    return write_files(
        tmp_path,
        {"kpis.yaml": KPIS, "journeycode.yaml": settings, "exports/bank.csv": BANK},
    )


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            "measurements:\n  sources:\n    - files: exports\n",
            (
                "exports/bank.csv:2:19",
                "not UTF-8 text: it reads as cp1251",
                "set encoding: cp1251 on its source",
            ),
        ),
        (
            "measurements:\n  sources:\n    - {files: exports, encoding: cp1251, delimiter: ','}\n",
            (
                "exports/bank.csv:1:1",
                "the header has one column: is the delimiter ';'?",
                "set delimiter: ';' on its source",
            ),
        ),
        (
            "measurements:\n  sources:\n    - {files: exports, encoding: cp1251,"
            " period: month, columns: {kpi: metric_code}}\n",
            (
                "exports/bank.csv:2:1",
                "unknown KPI or code 'AHT' (2 rows)",
                "is it KPI 'aht'? map it under codes: in its source (AHT: aht)",
            ),
        ),
        (
            BANK_SOURCE.replace('      decimal: ","\n', ""),
            (
                "exports/bank.csv:2:13",
                "'312,4' is not a number",
                'is the decimal mark a comma? set decimal: "," on its source',
            ),
        ),
        (
            BANK_SOURCE.replace("form: month", "form: date"),
            ("exports/bank.csv:2:5", "period '2026-05' is not a date (YYYY-MM-DD)", None),
        ),
    ],
)
def test_a_bank_export_read_without_a_setting_names_it(
    tmp_path: Path, settings: str, expected: tuple[str, str, str | None]
) -> None:
    assert expected in _problems(_bank(tmp_path, settings))


def test_the_bank_export_reads_with_settings_only(tmp_path: Path) -> None:
    root = _bank(tmp_path, BANK_SOURCE)
    assert _problems(root) == []
    assert _values(root) == {
        "aht": [("2026-05-31", "Карты", 312.4), ("2026-06-30", "Кредиты", 1298.7)],
        "fcr": [("2026-05-31", "Карты", 71.5)],
        "service-level": [("2026-05-31", "Карты", 82.0), ("2026-06-30", "Кредиты", 79.5)],
    }


@pytest.mark.parametrize(
    ("cell", "decimal", "thousands", "expected"),
    [
        ("85%", ".", None, (85.0, "share")),
        ("4,31", ",", None, (4.31, None)),
        ("1 234,5", ",", None, (1234.5, None)),
        ("1\u00a0234,5", ",", None, (1234.5, None)),
        ("1.234,5", ",", None, (1234.5, None)),
        ("1,234.5", ".", ",", (1234.5, None)),
        ("00:05:10", ".", None, (310.0, "time")),
        ("1:02:03", ".", None, (3723.0, "time")),
        ("05:10", ".", None, (310.0, "time")),
        ("4.31", ",", None, None),
        ("n/a", ".", None, None),
        ("1e999", ".", None, None),
    ],
)
def test_values_in_the_forms_exports_write(
    cell: str, decimal: str, thousands: str | None, expected: tuple[float, str | None] | None
) -> None:
    assert _number(cell, decimal, thousands) == expected


def test_units_convert_to_the_kpis_unit(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "kpis.yaml": KPIS.replace("unit: seconds", "unit: minutes"),
            "journeycode.yaml": (
                "measurements:\n  sources:\n    - files: exports\n"
                "      units: {aht: ms, service-level: ratio}\n"
            ),
            "exports/m.csv": (
                "kpi,period_end,value\n"
                "aht,2026-05-31,330000\n"
                "service-level,2026-05-31,0.81\n"
                "aht,2026-06-30,00:05:10\n"
                "fcr,2026-06-30,71%\n"
            ),
        },
    )
    assert _problems(root) == []
    assert _values(root) == {
        "aht": [("2026-05-31", None, 5.5), ("2026-06-30", None, 310 / 60)],
        "fcr": [("2026-06-30", None, 71.0)],
        "service-level": [("2026-05-31", None, 81.0)],
    }


# Two intervals of one queue and one of another, in June; and one in July.
INTERVALS = """\
interval_start;queue;handled;handle_time;offered;in_sla
2026-06-01 09:00;billing;1;100;2;1
2026-06-01 09:15;billing;10;3000;12;9
2026-06-30 23:45;cards;4;1400;4;4
2026-07-01 00:00;cards;2;500;3;1
"""
COMPUTED = """\
measurements:
  sources:
    - files: exports
      shape: wide
      period: {column: interval_start, form: interval}
      columns: {segment: queue}
  kpis:
    aht: {sum: handle_time, per: handled}
    service-level: {sum: in_sla, per: offered}
"""


def test_a_kpi_over_a_month_is_the_ratio_of_the_sums_not_the_mean_of_the_averages(
    tmp_path: Path,
) -> None:
    root = write_files(
        tmp_path,
        {"kpis.yaml": KPIS, "journeycode.yaml": COMPUTED, "exports/wfm.csv": INTERVALS},
    )
    assert _problems(root) == []
    values = _values(root)
    # June: (100 + 3000 + 1400) s over (1 + 10 + 4) contacts = 300 s, where the
    # mean of the intervals' averages, (100 + 300 + 350) / 3, would say 250 s.
    assert values["aht"] == [
        ("2026-06-30", None, 300.0),
        ("2026-06-30", "billing", 3100 / 11),
        ("2026-06-30", "cards", 350.0),
        ("2026-07-31", None, 250.0),
        ("2026-07-31", "cards", 250.0),
    ]
    # Service level: (1 + 9 + 4) answered in time of (2 + 12 + 4) offered.
    level = {(day, part): value for day, part, value in values["service-level"]}
    assert level[("2026-06-30", None)] == pytest.approx(100 * 14 / 18)


def test_a_kpi_computed_by_week_sums_the_weeks(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "kpis.yaml": KPIS,
            "journeycode.yaml": COMPUTED.replace("per: handled}", "per: handled, period: week}"),
            "exports/wfm.csv": INTERVALS,
        },
    )
    weeks = [(d, v) for d, s, v in _values(root)["aht"] if s is None]
    # 2026-06-01 is a Monday; 06-30 and 07-01 fall in the week to 07-05.
    assert weeks == [("2026-06-07", 3100 / 11), ("2026-07-05", 1900 / 6)]


def test_a_quoted_file_reads_as_the_plain_one(tmp_path: Path) -> None:
    """The csv module takes what the fast reader does not (quotes, blank lines):
    the values and the places of the problems are the same."""
    quoted = INTERVALS.replace("billing", '"billing"').replace("\n2026-06-30", "\n\n2026-06-30")
    plain = write_files(
        tmp_path / "plain",
        {"kpis.yaml": KPIS, "journeycode.yaml": COMPUTED, "exports/wfm.csv": INTERVALS},
    )
    odd = write_files(
        tmp_path / "odd",
        {"kpis.yaml": KPIS, "journeycode.yaml": COMPUTED, "exports/wfm.csv": quoted},
    )
    assert _values(plain) == {
        k: [(d, s, v) for d, s, v in rows] for k, rows in _values(odd).items()
    }
    bad = write_files(
        tmp_path / "bad",
        {
            "kpis.yaml": KPIS,
            "journeycode.yaml": COMPUTED,
            "exports/wfm.csv": quoted.replace(";3000;", ";3 0x0;"),
        },
    )
    assert _problems(bad) == [("exports/wfm.csv:3:31", "'3 0x0' is not a number", None)]


def test_an_unknown_metric_and_an_unknown_kpi_are_located_in_the_settings(
    tmp_path: Path,
) -> None:
    root = write_files(
        tmp_path,
        {
            "kpis.yaml": KPIS,
            "journeycode.yaml": COMPUTED.replace("per: offered}", "per: ofered}").replace(
                "    aht:", "    ahtt:"
            ),
            "exports/wfm.csv": INTERVALS,
        },
    )
    assert _problems(root) == [
        ("journeycode.yaml:8:5", "unknown KPI 'ahtt'", "did you mean 'aht'?"),
        (
            "journeycode.yaml:9:5",
            "KPI 'service-level' sums metric 'ofered', which no source gives",
            "did you mean 'offered'?",
        ),
    ]


def _by_hand(path: Path, period: str) -> dict[tuple[str, str], dict[str, float]]:
    """The example export summed with the csv module: each column's sum, and
    each column times each other's, per (period end, queue) and for all queues."""
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            day = datetime.date.fromisoformat(row[period][:10])
            end = (
                (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                - datetime.timedelta(days=1)
                if "StartTime" in row
                else day + datetime.timedelta(days=6 - day.weekday())
            )
            for queue in ("", row.get("QUEUE") or row["queueId"]):
                here = sums[(end.isoformat(), queue)]
                for name, cell in row.items():
                    try:
                        here[name] += float(cell)
                    except ValueError:
                        continue
                here["HT*HANDLED"] += float(row.get("HANDLE_TIME", 0)) * float(
                    row.get("CONTACTS_HANDLED", 0)
                )
                here["SL*QUEUED"] += float(row.get("SERVICE_LEVEL", 0)) * float(
                    row.get("CONTACTS_QUEUED", 0)
                )
                here["SL*OFFERED"] += float(row.get("oServiceLevel.ratio", 0)) * float(
                    row.get("nOffered.count", 0)
                )
    return sums


def _computed(example: str) -> dict[str, dict[tuple[str, str], float]]:
    workspace = compile_workspace(ROOT / "examples" / example, "", today=TODAY).workspace
    found: dict[str, dict[tuple[str, str], float]] = {}
    for kpi in workspace.entities(Kpi):
        measured: tuple[Measurement, ...] = (*kpi.measurements, *kpi.breakdown)
        found[kpi.id] = {(m.date, m.segment or ""): m.value for m in measured}
    return found


def test_the_amazon_connect_example_computes_as_by_hand() -> None:
    example = ROOT / "examples" / "amazon-connect"
    (export,) = (example / "exports").glob("*.csv")
    sums = _by_hand(export, "StartTime")
    computed = _computed("amazon-connect")
    assert set(computed["aht"]) == set(sums)
    for key, s in sums.items():
        assert computed["aht"][key] == pytest.approx(s["HT*HANDLED"] / s["CONTACTS_HANDLED"])
        assert computed["abandonment"][key] == pytest.approx(
            100 * s["CONTACTS_ABANDONED"] / s["CONTACTS_QUEUED"]
        )
        assert computed["service-level"][key] == pytest.approx(
            s["SL*QUEUED"] / s["CONTACTS_QUEUED"]
        )
    assert compile_workspace(example, "", today=TODAY).result.counts()[Level.ERROR] == 0


def test_the_genesys_cloud_example_computes_as_by_hand() -> None:
    example = ROOT / "examples" / "genesys-cloud"
    (export,) = (example / "exports").glob("*.csv")
    sums = _by_hand(export, "interval")
    computed = _computed("genesys-cloud")
    assert set(computed["aht"]) == set(sums)
    for key, s in sums.items():
        # Milliseconds to the KPI's minutes, and to the other's seconds.
        assert computed["aht"][key] == pytest.approx(s["tHandle.sum"] / 60000 / s["tHandle.count"])
        assert computed["asa"][key] == pytest.approx(
            s["tAnswered.sum"] / 1000 / s["tAnswered.count"]
        )
        assert computed["abandonment"][key] == pytest.approx(
            100 * s["tAbandon.count"] / s["nOffered.count"]
        )
        assert computed["service-level"][key] == pytest.approx(
            100 * s["SL*OFFERED"] / s["nOffered.count"]
        )
    assert compile_workspace(example, "", today=TODAY).result.counts()[Level.ERROR] == 0


def test_a_wide_cell_the_fast_reader_cannot_parse_is_read_as_written(tmp_path: Path) -> None:
    """Shares, durations and thousands in a wide file are parsed as in a long
    one; an empty cell is no figure; a cell that is no number is located."""
    odd = (
        INTERVALS.replace(";1;100;", ";1;00:01:40;")
        .replace(";10;3000;", ";10;3 000;")
        .replace(";4;1400;4;4", ";4;1400;4;")
        .replace(";2;500;", ";2;n/a;")
    )
    root = write_files(
        tmp_path,
        {"kpis.yaml": KPIS, "journeycode.yaml": COMPUTED, "exports/wfm.csv": odd},
    )
    assert _problems(root) == [("exports/wfm.csv:5:26", "'n/a' is not a number", None)]
    values = _values(root)
    assert ("2026-06-30", None, 300.0) in values["aht"]
    assert all(day != "2026-07-31" for day, _, _ in values["aht"])  # its one row is left out
    level = {(day, part): value for day, part, value in values["service-level"]}
    # The cards row gives no in_sla: the queue has no service level that month.
    assert ("2026-06-30", "cards") not in level
    assert level[("2026-06-30", "billing")] == pytest.approx(100 * 10 / 14)


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("gb18030", "gb18030"), ("big5", "big5"), ("cp1251", "cp1251")],
)
def test_a_file_in_another_encoding_names_it(tmp_path: Path, encoding: str, named: str) -> None:
    queue = {"gb18030": "账单查询", "big5": "帳單查詢", "cp1251": "Карты"}[encoding]
    export = f"kpi,period_end,value,segment\naht,2026-06-30,300,{queue}\n"
    settings = "measurements:\n  sources:\n    - files: exports\n"
    root = write_files(
        tmp_path,
        {"kpis.yaml": KPIS, "journeycode.yaml": settings, "exports/m.csv": export.encode(encoding)},
    )
    assert _problems(root) == [
        (
            "exports/m.csv:2:20",
            f"not UTF-8 text: it reads as {named}",
            f"set encoding: {named} on its source",
        )
    ]
    fixed = settings + f"      encoding: {named}\n"
    (root / "journeycode.yaml").write_text(fixed, "utf-8")
    assert _problems(root) == []
    assert _values(root)["aht"] == [("2026-06-30", queue, 300.0)]


def test_utf16_from_excel_reads_by_its_byte_order_mark(tmp_path: Path) -> None:
    export = "kpi\tperiod_end\tvalue\r\naht\t2026-06-30\t300\r\n"
    root = write_files(
        tmp_path,
        {
            "kpis.yaml": KPIS,
            "journeycode.yaml": "measurements:\n  sources:\n    - files: exports\n",
            "exports/m.csv": export.encode("utf-16"),  # with its BOM, as Excel writes it
        },
    )
    assert _problems(root) == []
    assert _values(root)["aht"] == [("2026-06-30", None, 300.0)]


@pytest.mark.parametrize("example", ["amazon-connect", "genesys-cloud"])
def test_measurements_shows_the_values_each_example_source_gives(example: str) -> None:
    """The command's values are the pipeline's, by KPI, period and queue."""
    result = invoke(ROOT, "measurements", f"examples/{example}", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stdout
    (source,) = json.loads(result.stdout)["sources"]
    assert source["name"] == "exports" and source["ignored"] == []
    shown: dict[str, dict[tuple[str, str], float]] = {}
    for value in source["values"]:
        part = (value["period_end"], value["segment"] or "")
        shown.setdefault(value["kpi"], {})[part] = value["value"]
    assert shown == {kpi: values for kpi, values in _computed(example).items() if values}
    assert source["kpis"] == sorted(shown)
    assert source["periods"] == sorted({d for v in shown.values() for d, _ in v})


def test_measurements_says_what_a_bank_export_left_out_and_why(tmp_path: Path) -> None:
    settings = BANK_SOURCE.replace(
        "codes: {AHT: aht, FCR: fcr, SL: service-level}", "codes: {AHT: aht, SL: service-level}"
    )
    root = _bank(tmp_path, settings)
    result = invoke(root, "measurements")
    assert result.exit_code == ExitCode.PROBLEMS
    assert result.stdout == (
        "exports (journeycode.yaml:3:7)\n"
        "  1 file, 5 rows\n"
        "  periods: 2026-05-31, 2026-06-30\n"
        "  KPIs: aht, service-level\n"
        "  parts: segment Карты, segment Кредиты\n"
        "  left out:\n"
        "    exports/bank.csv:3:1: error: unknown KPI or code 'FCR' (1 row) [measurement-code]\n"
        "      hint: is it KPI 'fcr'? map it under codes: in its source (FCR: fcr)\n"
        "  values:\n"
        "    aht            2026-05-31       312.4  segment Карты\n"
        "    aht            2026-06-30      1298.7  segment Кредиты\n"
        "    service-level  2026-05-31          82  segment Карты\n"
        "    service-level  2026-06-30        79.5  segment Кредиты\n"
    )
    sheet = invoke(root, "measurements", "--format", "csv").stdout.splitlines()
    assert sheet[0] == "source,kpi,period_end,journey,stage,channel,segment,value,row"
    assert sheet[1] == "exports,aht,2026-05-31,,,,Карты,312.4,exports/bank.csv:2"
    said = invoke(root, "measurements", "--language", "ru").stdout
    assert "  пропущено:\n" in said and "  1 файл, 5 строк\n" in said


def test_what_would_lose_figures_has_a_check_of_its_own(tmp_path: Path) -> None:
    """An unmapped code, a missing column, a period in no KPI's period and a
    KPI given twice: each a located problem with its own id."""
    root = write_files(
        tmp_path,
        {
            "kpis.yaml": KPIS,
            "journeycode.yaml": (
                "measurements:\n  sources:\n"
                "    - {files: a, codes: {AHT: aht}}\n"
                "    - {files: b, codes: {AHT: aht}}\n"
                "    - {files: c, columns: {segment: queue}}\n"
                "    - {files: d, codes: {HT: handle_time, N: handled}}\n"
                "  kpis:\n    aht: {sum: handle_time, per: handled}\n"
            ),
            "a/x.csv": "kpi,period_end,value\nAHT,2026-05-31,300\nXYZ,2026-05-31,1\n",
            "b/x.csv": "kpi,period_end,value\nAHT,2026-05-31,310\n",
            "c/x.csv": "kpi,period_end,value\naht,2026-04-30,300\n",
            "d/x.csv": "kpi,period_end,value\nHT,2026-W10,600\nN,2026-W10,2\n",
        },
    )
    problems = compile_workspace(root, "", today=TODAY).result.problems
    assert sorted((p.location, p.rule) for p in problems if p.rule in pipeline_rules.DOCS) == [
        ("a/x.csv:3:1", "measurement-code"),
        ("b/x.csv:2:1", "measurement-twice"),
        ("c/x.csv:1:1", "measurement-column"),
        ("d/x.csv:1:1", "measurement-period"),  # handle_time
        ("d/x.csv:1:1", "measurement-period"),  # and handled
    ]
