"""The command line, end to end, on the example folders and the sample maps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from journeycode.problems import ExitCode
from tests.conftest import ENV, EXAMPLES, ROOT, compare_golden, invoke


def _run(*args: str, cwd: Path = EXAMPLES) -> tuple[int, str, str]:
    result = invoke(cwd, *args)
    return result.exit_code, result.stdout, result.stderr


def test_good_example_is_clean() -> None:
    code, out, _ = _run("check", "good")
    assert code == ExitCode.OK
    assert out == "No problems in 2 files.\n"


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_bad_example_matches_golden_output(output_format: str) -> None:
    code, out, _ = _run("check", "bad", "--format", output_format)
    assert code == ExitCode.PROBLEMS
    compare_golden(out, EXAMPLES / f"bad.{output_format}")


def test_json_output_is_a_stable_document() -> None:
    _, out, _ = _run("check", "bad", "--format", "json")
    document = json.loads(out)
    assert document["version"] == 1
    levels = [p["level"] for p in document["problems"]]
    assert document["summary"] == {
        level: levels.count(level) for level in ("error", "warning", "info")
    }
    assert set(document["problems"][0]) == {
        "path",
        "line",
        "col",
        "level",
        "rule",
        "message",
        "hint",
    }


def test_sample_maps_have_no_errors() -> None:
    code, out, _ = _run("check", "maps", "--format", "json", cwd=ROOT)
    assert code == ExitCode.OK, out
    assert json.loads(out)["summary"]["error"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "no-such-folder"], "no-such-folder: no such file or folder"),
        (["check", "good/journey.yaml"], "good/journey.yaml is in no workspace"),
        (["check", "good", "--format", "yaml"], "Invalid value for '--format'"),
        (["chekc"], "No such command 'chekc'"),
    ],
)
def test_usage_and_io_failures_exit_2(args: list[str], message: str) -> None:
    code, _, err = _run(*args)
    assert code == ExitCode.FAILURE
    assert message in err


def test_schema_command_prints_the_schema() -> None:
    code, out, _ = _run("schema")
    assert code == ExitCode.OK
    printed = json.loads(out)
    assert printed == json.loads((ROOT / "schema" / "journeycode.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(printed)


def test_schema_command_writes_the_schema_where_a_workspace_wants_it(tmp_path: Path) -> None:
    target = tmp_path / ".vscode" / "journeycode.schema.json"
    run = invoke(tmp_path, "schema", "--output", str(target))
    assert run.exit_code == ExitCode.OK and run.stdout == ""
    assert json.loads(target.read_text("utf-8")) == json.loads(_run("schema")[1])


@pytest.mark.slow
def test_python_dash_m_and_console_script_agree() -> None:
    """Real processes, two hash seeds: the output is byte-identical."""
    outputs = set()
    for seed in ("1", "4242"):
        env = {**os.environ, **ENV, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "journeycode", "check", "bad"],
            cwd=EXAMPLES,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == ExitCode.PROBLEMS
        assert "Traceback" not in run.stderr
        outputs.add(run.stdout)
    script = Path(sys.executable).with_name("journeycode")
    run = subprocess.run(
        [script, "check", "bad"],
        cwd=EXAMPLES,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    outputs.add(run.stdout)
    assert len(outputs) == 1


def test_a_folder_without_maps_is_a_failure_not_a_pass(tmp_path: Path) -> None:
    code, out, err = _run("check", str(tmp_path))
    assert code == ExitCode.FAILURE
    assert out == ""
    assert f"journeycode: no map files (*.yaml, *.yml) below {tmp_path}\n" in err


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        (">/dev/full", "journeycode: cannot write to standard output: No space left on device\n"),
        (">&-", "journeycode: standard output is closed, so the report cannot be written\n"),
    ],
    ids=["full-disk", "closed"],
)
@pytest.mark.slow
def test_a_report_that_cannot_be_written_exits_2(redirect: str, message: str) -> None:
    script = Path(sys.executable).with_name("journeycode")
    run = subprocess.run(
        ["bash", "-c", f'"$0" check bad {redirect}', str(script)],
        cwd=EXAMPLES,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == ExitCode.FAILURE, run.stderr
    assert run.stderr.startswith(message)
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr


def test_an_internal_error_exits_3_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from journeycode import compiler

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("no such thing")

    # A bug stands in for every bug: the core raising what nobody expected.
    monkeypatch.setattr(compiler, "compile_workspace", broken)
    code, out, err = _run("check", "good")
    assert code == ExitCode.BUG
    assert int(ExitCode.BUG) == 3
    assert out == ""
    assert err == (
        "journeycode: internal error (KeyError: 'no such thing'); this is a bug: please report "
        "it with the command you ran (--debug shows the traceback)\n"
    )
    code, _, err = _run("--debug", "check", "good")
    assert code == ExitCode.BUG
    assert err.startswith("Traceback (most recent call last):\n")
    assert "raise KeyError" in err


@pytest.mark.parametrize(
    ("args", "shown", "code"),
    [
        (
            ["--min-level", "error"],
            "No problems shown in 13 files (47 below --min-level not shown).",
            0,
        ),
        (
            ["--min-level", "warning"],
            "22 problems (0 errors, 22 warnings, 0 info) in 13 files "
            "(25 below --min-level not shown).",
            0,
        ),
        (
            ["--min-level", "warning", "--strict"],
            "22 problems (0 errors, 22 warnings, 0 info) in 13 files "
            "(25 below --min-level not shown).",
            1,
        ),
        (
            ["--min-level", "error", "--strict"],
            "No problems shown in 13 files (47 below --min-level not shown).",
            1,
        ),
    ],
)
def test_min_level_filters_the_report_not_the_exit_code(
    args: list[str], shown: str, code: int
) -> None:
    run = invoke(ROOT, "check", "maps", *args)
    assert run.exit_code == code, run.output
    assert run.stdout.splitlines()[-1] == shown
    levels = {
        line.split(": ")[1]
        for line in run.stdout.splitlines()
        if ": " in line and not line.startswith(" ")
    }
    assert levels <= {"error", "warning"}


def test_a_measurement_file_is_named_by_its_full_path_under_an_absolute_folder(
    tmp_path: Path,
) -> None:
    """Its rows' problems name it as the maps' are named: below the folder as given."""
    maps = tmp_path / "maps"
    (maps / "measurements").mkdir(parents=True)
    (maps / "kpis.yaml").write_text(
        "kpis:\n  - {id: aht, name: AHT, kind: operational, unit: seconds}\n", "utf-8"
    )
    (maps / "measurements" / "x.csv").write_text("kpi,period_end,value\nath,2026-10-31,1\n")
    run = invoke(tmp_path, "check", str(maps))
    assert f"{maps}/measurements/x.csv:2:1: error: unknown KPI 'ath'" in run.output
