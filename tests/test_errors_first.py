"""``check --errors-first``: what fails the check in full, the rest counted in
the last line with the command that lists it (the pre-commit hooks' output)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, invoke


@pytest.fixture
def maps(tmp_path: Path) -> Path:
    """The sample maps (warnings and info, no error) with one error added."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    path = tmp_path / "maps" / "journeys" / "billing-dispute.yaml"
    path.write_text(path.read_text("utf-8").replace("channel: webchat", "channel: web-chat", 1))
    return tmp_path


def _levels(cwd: Path, *args: str) -> Counter[str]:
    report = json.loads(invoke(cwd, "check", "maps", "--format", "json", *args).stdout)
    return Counter(problem["level"] for problem in report["problems"])


def test_errors_are_listed_and_the_rest_counted(maps: Path) -> None:
    every = _levels(maps)
    assert every["error"] == 1 and every["warning"] and every["info"]
    run = invoke(maps, "check", "maps", "--errors-first")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0].endswith("error: unknown channel 'web-chat' [unknown-reference]")
    assert lines[1:] == [
        "    hint: did you mean 'webchat'?",
        f"1 error in 13 files; and {every['warning']} warnings, {every['info']} info: "
        "journeycode check maps shows them.",
    ]


def test_strict_lists_the_warnings_errors_first(maps: Path) -> None:
    every = _levels(maps)
    run = invoke(maps, "check", "maps", "--errors-first", "--strict")
    levels = [line.split(": ")[1] for line in run.stdout.splitlines() if ": " in line[:80]]
    levels = [level for level in levels if level in {"error", "warning", "info"}]
    assert levels == ["error"] + ["warning"] * every["warning"]
    assert run.stdout.splitlines()[-1] == (
        f"1 error, {every['warning']} warnings in 13 files; and {every['info']} info: "
        "journeycode check maps shows them."
    )


def test_min_level_still_chooses_what_is_listed(maps: Path) -> None:
    run = invoke(maps, "check", "maps", "--errors-first", "--min-level", "warning")
    assert run.exit_code == 1
    first = [line for line in run.stdout.splitlines() if not line.startswith("    ")]
    assert ": error: " in first[0] and ": warning: " in first[1]
    assert ": info: " not in run.stdout and run.stdout.rstrip().endswith("shows them.")


def test_a_clean_check_says_so_and_counts_the_rest(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "my maps")
    run = invoke(tmp_path, "check", "my maps", "--errors-first")
    assert run.exit_code == 0
    (line,) = run.stdout.splitlines()
    assert line.startswith("No errors in 13 files; ")
    assert line.endswith(" info: journeycode check 'my maps' shows them.")
