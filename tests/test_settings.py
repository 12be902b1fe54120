"""The settings file: levels, options, off; and clear exit-2 errors when it is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from journeycode import config, runner
from journeycode.cli import main
from journeycode.problems import ExitCode, Fix
from tests.conftest import CASES, EXAMPLES, write_files

CASES_FILE = CASES / "settings" / "cases.yaml"
ENV = {"JOURNEYCODE_TODAY": "2026-11-01"}


def _workspace(tmp_path: Path, settings: str) -> Path:
    maps = tmp_path / "maps"
    shutil.copytree(EXAMPLES / "bad", maps)
    (maps / "journeycode.yaml").write_text(settings, encoding="utf-8")
    return maps


@pytest.mark.parametrize(
    "case",
    yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"],
    ids=lambda case: case["name"],
)
@pytest.mark.parametrize("command", ["check", "coverage"])
def test_bad_settings_exit_2_with_a_location(
    case: dict[str, Any], command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path, case["settings"])
    monkeypatch.chdir(tmp_path)
    run = CliRunner(env=ENV).invoke(main, [command, "maps"])
    assert run.exit_code == ExitCode.FAILURE
    expected = f"journeycode: {case['error']}\n"
    if "hint" in case:
        expected += f"    hint: {case['hint']}\n"
    assert run.stderr == expected
    assert run.stdout == ""


def _levels(tmp_path: Path, settings: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    _workspace(tmp_path, settings)
    monkeypatch.chdir(tmp_path)
    run = CliRunner(env=ENV).invoke(main, ["check", "maps", "--format", "json"])
    levels: dict[str, set[str]] = {}
    for problem in yaml.safe_load(run.stdout)["problems"]:
        levels.setdefault(problem["rule"], set()).add(problem["level"])
    return levels


def test_levels_and_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = _levels(tmp_path / "a", "rules: {}\n", monkeypatch)
    assert default["stale-review"] == {"warning"}
    assert default["emotion-coverage"] == {"info"}

    settings = (
        "rules:\n  stale-review: {level: error}\n  emotion-coverage: off\n  feedback-loop: info\n"
    )
    changed = _levels(tmp_path / "b", settings, monkeypatch)
    assert changed["stale-review"] == {"error"}
    assert "emotion-coverage" not in changed
    assert changed["feedback-loop"] == {"info"}
    assert changed.keys() == default.keys() - {"emotion-coverage"}


@pytest.mark.parametrize("kind", ["symlink", "folder"])
def test_a_settings_file_that_is_not_a_file_is_an_error(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(EXAMPLES / "good", maps)
    if kind == "symlink":
        (tmp_path / "elsewhere.yaml").write_text("rules: {}\n", encoding="utf-8")
        (maps / "journeycode.yaml").symlink_to(tmp_path / "elsewhere.yaml")
        message = "the settings file is a symlink, and symlinks are not followed"
    else:
        (maps / "journeycode.yaml").mkdir()
        message = "not a regular file (a folder); it is not read"
    monkeypatch.chdir(tmp_path)
    run = CliRunner(env=ENV).invoke(main, ["check", "maps"])
    assert run.exit_code == ExitCode.FAILURE
    assert run.stderr.startswith(f"journeycode: maps/journeycode.yaml:1:1: {message}\n")


def test_a_measurements_path_through_a_symlink_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, ``.link/data`` with ``.link`` pointing out of the workspace read
    the CSVs there and echoed their first column in errors."""
    outside = tmp_path / "outside" / "data"
    outside.mkdir(parents=True)
    (outside / "secret.csv").write_text("kpi,period_end,value\ntop-secret,2026-01-01,1\n", "utf-8")
    maps = _workspace(tmp_path, "measurements:\n  path: .link/data\n")
    (maps / ".link").symlink_to(tmp_path / "outside")
    monkeypatch.chdir(tmp_path)
    run = CliRunner(env=ENV).invoke(main, ["check", "maps"])
    assert run.exit_code == ExitCode.FAILURE
    assert run.stderr == (
        "journeycode: maps/journeycode.yaml:2:9: path: '.link' is a symlink, and symlinks "
        "are not followed\n    hint: name a folder inside the workspace\n"
    )
    assert "top-secret" not in run.stdout + run.stderr


def test_a_measurements_path_too_long_to_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, a 300-letter folder name was exit 3."""
    _workspace(tmp_path, f"measurements:\n  path: {'a' * 300}\n")
    monkeypatch.chdir(tmp_path)
    run = CliRunner(env=ENV).invoke(main, ["check", "maps"])
    assert run.exit_code == ExitCode.FAILURE
    assert run.stderr == (
        "journeycode: maps/journeycode.yaml:2:9: path: cannot be read: File name too long\n"
    )


@pytest.mark.parametrize(
    ("settings", "fix"),
    [
        ("rules:\n  stale-reveiw: off\n", Fix("stale-reveiw", "stale-review")),
        ("rules:\n  after-hours: warnign\n", Fix("warnign", "warning")),
        ("rule:\n  after-hours: off\n", Fix("rule", "rules")),
    ],
    ids=["unknown rule", "unknown level", "unknown setting"],
)
def test_a_settings_error_that_suggests_carries_its_fix(
    tmp_path: Path, settings: str, fix: Fix
) -> None:
    maps = _workspace(tmp_path, settings)
    with pytest.raises(config.ConfigError) as raised:
        config.load(maps, "maps", runner.DEFAULTS)
    assert (raised.value.suggestion, raised.value.fix) == (fix.new, fix)
    assert raised.value.hint == f"did you mean '{fix.new}'?"


def test_a_flow_the_settings_name_that_no_file_holds_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flow ids are known once the flows are read: an unknown one under
    ``flows: files:`` or as an alias's flow is a problem of ``check`` (exit 1,
    the other problems still found), not a settings error that stops it."""
    maps = _workspace(
        tmp_path,
        "flows:\n  aliases:\n    arn:flow/billing: biling-ivr\n  files:\n    bot: {}\n",
    )
    write_files(
        maps,
        {
            "flows/billing-ivr.json": '{"initial_state": "Menu", "states": [{"name": "Menu", '
            '"type": "say-play", "transitions": [{"event": "audioComplete"}]}]}'
        },
    )
    monkeypatch.chdir(tmp_path)
    run = CliRunner(env=ENV).invoke(main, ["check", "maps", "--format", "json"])
    assert run.exit_code == ExitCode.PROBLEMS
    found = [p for p in yaml.safe_load(run.stdout)["problems"] if p["rule"] == "flows"]
    assert [(p["line"], p["col"], p["message"], p.get("hint")) for p in found] == [
        (3, 23, "unknown flow 'biling-ivr'", "did you mean 'billing-ivr'?"),
        (5, 5, "unknown flow 'bot'", "flows are the *.json files below the flows folder"),
    ]
