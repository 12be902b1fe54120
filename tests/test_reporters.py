"""Every reporter, on the bad example: the formats CI systems read."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import check
from journeycode.problems import ExitCode, Level, Problem, Result
from journeycode.report import REPORTERS
from tests.conftest import EXAMPLES, on_a_terminal, shared_file

ENV = {"JOURNEYCODE_TODAY": "2026-11-01"}


@pytest.fixture(scope="module")
def result() -> Result:
    return check(EXAMPLES / "bad", "bad", today=datetime.date(2026, 11, 1))


def test_github_prints_one_annotation_per_problem(result: Result) -> None:
    lines = REPORTERS["github"](result).splitlines()
    assert len(lines) == len(result.problems)
    pattern = re.compile(
        r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+$"
    )
    assert all(pattern.match(line) for line in lines), lines
    first = result.problems[0]
    assert lines[0].startswith(f"::error file={first.path},line={first.line},col={first.col},")


def test_github_escapes_what_would_break_a_command() -> None:
    problem = Problem("a,b:c.yaml", 1, 2, "schema", Level.WARNING, "50% bad\nreally", "fix: it")
    line = REPORTERS["github"](Result.of([problem], ["a,b:c.yaml"]))
    assert (
        line
        == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=schema::50%25 bad%0Areally%0Afix: it\n"
    )


def test_sarif_validates_against_the_sarif_2_1_0_schema(result: Result) -> None:
    document = json.loads(REPORTERS["sarif"](result))
    # Vendored in shared/, never copied into the project.
    schema_file = shared_file("vendor/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator(json.loads(schema_file.read_text("utf-8"))).validate(document)


def test_sarif_rules_and_levels(result: Result) -> None:
    document = json.loads(REPORTERS["sarif"](result))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(result.problems)
    for sarif_result in run["results"]:
        assert rules[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"]
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}


def test_junit_has_a_testcase_per_file_and_a_failure_per_problem(result: Result) -> None:
    root = ET.fromstring(REPORTERS["junit"](result))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert sorted(c.get("name") or "" for c in cases) == sorted(result.files)
    failures = [f for c in cases for f in c.findall("failure")]
    assert len(failures) == len(result.problems)
    assert suite.get("failures") == str(sum(1 for c in cases if c.findall("failure")))


def test_output_file_is_written_whole_and_alone(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "check.sarif"
    runner = CliRunner(env=ENV)
    written = runner.invoke(
        main, ["check", str(EXAMPLES / "bad"), "--format", "sarif", "-o", str(target)]
    )
    printed = runner.invoke(main, ["check", str(EXAMPLES / "bad"), "--format", "sarif"])
    assert written.exit_code == printed.exit_code == ExitCode.PROBLEMS
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == printed.stdout
    assert [p.name for p in target.parent.iterdir()] == ["check.sarif"]


def test_unwritable_output_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    run = CliRunner(env=ENV).invoke(
        main, ["check", str(EXAMPLES / "good"), "-o", str(blocker / "sub" / "out.txt")]
    )
    assert run.exit_code == ExitCode.FAILURE
    assert "cannot write" in run.stderr


def _environment(**extra: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return {**inherited, **ENV, **extra}


def _on_a_terminal(env: dict[str, str]) -> str:
    return on_a_terminal([sys.executable, "-m", "journeycode", "check", "bad"], EXAMPLES, env)


def test_colour_on_a_terminal_unless_no_color() -> None:
    assert "\x1b[31merror\x1b[0m" in _on_a_terminal(_environment())
    assert "\x1b[" not in _on_a_terminal(_environment(NO_COLOR="1"))


def test_no_colour_when_piped() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "journeycode", "check", "bad"],
        cwd=EXAMPLES,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert "\x1b[" not in run.stdout
