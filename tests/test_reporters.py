"""Every reporter, on the bad example: the formats CI systems read."""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import check
from journeycode.problems import ExitCode, Level, Problem, Result
from journeycode.report import github, junit, sarif
from journeycode.report.formats import Options
from tests.conftest import EXAMPLES, ROOT, on_a_terminal, shared_file

ENV = {"JOURNEYCODE_TODAY": "2026-11-01"}


@pytest.fixture(scope="module")
def result() -> Result:
    return check(EXAMPLES / "bad", "bad", today=datetime.date(2026, 11, 1))


def test_github_prints_one_annotation_per_problem(result: Result) -> None:
    lines = github.report(result).splitlines()
    assert len(lines) == len(result.problems)
    pattern = re.compile(
        r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+$"
    )
    assert all(pattern.match(line) for line in lines), lines
    first = result.problems[0]
    assert lines[0].startswith(f"::error file={first.path},line={first.line},col={first.col},")


def test_github_escapes_what_would_break_a_command() -> None:
    problem = Problem("a,b:c.yaml", 1, 2, "schema", Level.WARNING, "50% bad\nreally", "fix: it")
    line = github.report(Result.of([problem], ["a,b:c.yaml"]))
    assert (
        line
        == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=schema::50%25 bad%0Areally%0Afix: it\n"
    )


# File names a workspace may hold: spaces, non-ASCII, characters a URI
# reserves, one that would read as a scheme, and an absolute path.
HOSTILE_PATHS = (
    "maps/Billing dispute é #1.yaml",
    "maps/a:b.yaml",
    "maps/50% [draft]?.yaml",
    "../other maps/x.yaml",
    "/home/cx team/maps/y.yaml",
)


def _hostile_result() -> Result:
    problems = [
        Problem(path, 3, 7, "unknown-reference", Level.ERROR, f"unknown channel 'c{i}'")
        for i, path in enumerate(HOSTILE_PATHS)
    ]
    return Result.of(problems, HOSTILE_PATHS)


def _sarif_validator() -> jsonschema.Draft4Validator:
    # Vendored in shared/, never copied into the project.
    schema_file = shared_file("vendor/sarif-schema-2.1.0.json")
    # The draft-04 checker knows no uri-reference; FormatChecker() has every
    # format, and checks uri and uri-reference (rfc3986-validator is installed).
    return jsonschema.Draft4Validator(
        json.loads(schema_file.read_text("utf-8")), format_checker=jsonschema.FormatChecker()
    )


def test_sarif_validates_against_the_sarif_2_1_0_schema_with_formats(result: Result) -> None:
    validator = _sarif_validator()
    for checked in (result, _hostile_result()):
        validator.validate(json.loads(sarif.report(checked)))


def test_the_sarif_format_check_rejects_an_unencoded_uri(result: Result) -> None:
    document = json.loads(sarif.report(result))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "maps/Billing dispute é #1.yaml"
    with pytest.raises(jsonschema.ValidationError, match="is not a 'uri-reference'"):
        _sarif_validator().validate(document)


def test_sarif_uris_are_percent_encoded_against_srcroot() -> None:
    run = json.loads(sarif.report(_hostile_result()))["runs"][0]
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    by_path = {
        urllib.parse.unquote(urllib.parse.urlsplit(loc["uri"]).path): loc for loc in locations
    }
    assert sorted(by_path) == sorted(HOSTILE_PATHS)
    assert by_path["maps/Billing dispute é #1.yaml"] == {
        "uri": "maps/Billing%20dispute%20%C3%A9%20%231.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert by_path["maps/a:b.yaml"]["uri"] == "maps/a%3Ab.yaml"
    assert by_path["/home/cx team/maps/y.yaml"] == {"uri": "file:///home/cx%20team/maps/y.yaml"}
    assert [a["location"] for a in run["artifacts"]] == [by_path[p] for p in HOSTILE_PATHS]


def test_sarif_declares_columns_invocation_and_automation(result: Result) -> None:
    run = json.loads(sarif.report(result))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["automationDetails"]["id"] == "journeycode/check/"
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["exitCode"] == result.exit_code() == ExitCode.PROBLEMS
    warnings_only = Result.of([p for p in result.problems if p.level != Level.ERROR], result.files)
    for strict, code in ((False, ExitCode.OK), (True, ExitCode.PROBLEMS)):
        [invocation] = json.loads(sarif.report(warnings_only, Options(strict=strict)))["runs"][0][
            "invocations"
        ]
        assert invocation["exitCode"] == code
    hidden = json.loads(sarif.report(result.at_least(Level.ERROR)))["runs"][0]
    [notification] = hidden["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"].startswith(
        f"{result.counts()[Level.INFO] + result.counts()[Level.WARNING]} problem(s)"
    )


def test_sarif_rules_carry_a_help_uri_and_markdown_help(result: Result) -> None:
    rules = json.loads(sarif.report(result))["runs"][0]["tool"]["driver"]["rules"]
    for rule in rules:
        assert rule["helpUri"] == f"https://journeycode.dev/journeys/rules/#{rule['id']}"
        assert rule["help"]["markdown"].startswith(f"**{rule['id']}** (default level: ")
        assert f"]({rule['helpUri']})" in rule["help"]["markdown"]
        assert "```" not in rule["help"]["text"]
    context = next(r for r in rules if r["id"] == "context-handoff")
    assert "```yaml" in context["help"]["markdown"]
    assert "`rules: {context-handoff: {level: error}}`" in context["help"]["markdown"]
    assert "`rules: {context-handoff: off}`" in context["help"]["markdown"]
    assert "each escalates_to step" in context["help"]["text"]


def _fingerprints(document: str) -> dict[str, tuple[str, str, int]]:
    found = {}
    for r in json.loads(document)["runs"][0]["results"]:
        [fingerprint] = r["partialFingerprints"].values()
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        found[fingerprint] = (r["ruleId"], r["message"]["text"], line)
    return found


def test_sarif_fingerprints_stay_when_a_block_moves(tmp_path: Path) -> None:
    maps = tmp_path / "bad"
    shutil.copytree(EXAMPLES / "bad", maps)
    today = datetime.date(2026, 11, 1)
    before = _fingerprints(sarif.report(check(maps, "bad", today=today)))
    assert len(before) == len(check(maps, "bad", today=today).problems)
    # The two touchpoints swap places, and a comment pushes the catalog down.
    journey = maps / "journey.yaml"
    lines = journey.read_text("utf-8").splitlines(keepends=True)
    lines[10], lines[11] = lines[11], lines[10]
    journey.write_text("".join(lines), "utf-8")
    catalog = maps / "catalog.yaml"
    catalog.write_text("# moved down\n\n" + catalog.read_text("utf-8"), "utf-8")
    after = _fingerprints(sarif.report(check(maps, "bad", today=today)))
    assert before.keys() == after.keys()
    moved = [f for f in before if before[f][2] != after[f][2]]
    assert len(moved) >= 4, moved
    assert all(before[f][:2] == after[f][:2] for f in before)


def test_sarif_fingerprints_tell_alike_problems_apart() -> None:
    alike = [Problem("a.yaml", line, 1, "schema", Level.ERROR, "same") for line in (1, 9)]
    other = Problem("b.yaml", 1, 1, "schema", Level.ERROR, "same")
    found = list(_fingerprints(sarif.report(Result.of([*alike, other], ["a.yaml"]))))
    assert len(set(found)) == 3
    assert found[0].endswith(":1") and found[1].endswith(":2")
    assert found[0].split(":")[0] == found[1].split(":")[0] != found[2].split(":")[0]


@pytest.mark.slow
def test_sarif_tools_lists_every_problem(result: Result, tmp_path: Path) -> None:
    """Microsoft's sarif-tools reads the log: its CSV has a row per problem."""
    log = tmp_path / "check.sarif"
    log.write_text(sarif.report(result), "utf-8")
    table = tmp_path / "check.csv"
    subprocess.run(
        [sys.executable, "-m", "sarif", "csv", "--output", str(table), str(log)],
        check=True,
        capture_output=True,
    )
    with table.open(encoding="utf-8", newline="") as rows:
        listed = sorted(
            (row["Location"], int(row["Line"]), row["Code"], row["Severity"])
            for row in csv.DictReader(rows)
        )
    levels = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}
    assert listed == sorted(
        (urllib.parse.quote(p.path), p.line, p.rule, levels[p.level]) for p in result.problems
    )
    summary = subprocess.run(
        [sys.executable, "-m", "sarif", "summary", str(log)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counts = result.counts()
    for level, name in levels.items():
        assert f"{name}: {counts[level]}" in summary


def test_sarif_rules_and_levels(result: Result) -> None:
    document = json.loads(sarif.report(result))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(result.problems)
    for sarif_result in run["results"]:
        assert rules[sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"]
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}


XSD = Path(__file__).resolve().parent / "xsd"
# Jenkins' schema, and the stricter one of Apache Ant's format (one failure
# per test case at most): tests/xsd/README.md says where they come from.
JUNIT_SCHEMAS = ("junit-10.xsd", "JUnit.xsd")

# Map text that would start a line of the report, and characters XML 1.0 forbids.
HOSTILE_TEXT = Problem(
    "maps/a\n::error::path.yaml",
    4,
    2,
    "schema",
    Level.ERROR,
    "bad\n::error file=x::pwned\r::warning::again\t<&\"'> \x00\x07\x1b[31m\ufffe",
    "\n::notice::hint",
)


def _suite(document: str) -> ET.Element:
    root = ET.fromstring(document)
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    return suite


def _failing(suite: ET.Element) -> dict[str, list[ET.Element]]:
    return {
        c.get("name") or "": c.findall("failure")
        for c in suite.findall("testcase")
        if c.findall("failure")
    }


def test_junit_fails_a_file_once_for_what_fails_the_check(result: Result) -> None:
    suite = _suite(junit.report(result))
    cases = suite.findall("testcase")
    assert sorted(c.get("name") or "" for c in cases) == sorted(result.files)
    failing = _failing(suite)
    with_errors = {p.path for p in result.problems if p.level == Level.ERROR}
    assert failing.keys() == with_errors
    assert all(len(failures) == 1 for failures in failing.values())
    assert suite.get("failures") == str(len(with_errors))
    for path, [failure] in failing.items():
        errors = [p for p in result.problems if p.path == path and p.level == Level.ERROR]
        lines = (failure.text or "").splitlines()
        assert sum(line.startswith(f"{path}:") for line in lines) == len(errors)
        for p in errors:
            assert f"{p.location}: error: {p.message} [{p.rule}]" in (failure.text or "")
            assert f"{p.message} [{p.rule}]" in (failure.get("message") or "")
    # What does not fail the check is shown, not failed.
    out = suite.findtext("system-out") or ""
    for p in result.problems:
        assert (f"{p.location}: {p.level}: {p.message} [{p.rule}]" in out) == (
            p.level != Level.ERROR
        )
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {
        "errors": "5",
        "warnings": "5",
        "info": "4",
        "hidden": "0",
        "strict": "false",
    }


def test_junit_warnings_fail_only_under_strict(result: Result) -> None:
    passing = Result.of([p for p in result.problems if p.level != Level.ERROR], result.files)
    assert passing.exit_code() == ExitCode.OK
    assert _failing(_suite(junit.report(passing))) == {}
    strict = _failing(_suite(junit.report(passing, Options(strict=True))))
    assert strict.keys() == {p.path for p in passing.problems if p.level == Level.WARNING}
    assert {f.get("type") for [f] in strict.values()} == {"warning"}


@pytest.mark.parametrize("xsd", JUNIT_SCHEMAS)
def test_junit_validates_against_the_junit_schemas(result: Result, xsd: str) -> None:
    schema = xmlschema.XMLSchema(XSD / xsd)
    for document in (
        junit.report(result),
        junit.report(result, Options(strict=True)),
        junit.report(result.at_least(Level.ERROR)),
        junit.report(Result.of([HOSTILE_TEXT], ["maps/ok.yaml"])),
        junit.report(Result.of([], [])),
    ):
        schema.validate(document)


def test_junit_map_text_starts_no_line_and_stays_xml_1_0() -> None:
    document = junit.report(Result.of([HOSTILE_TEXT], [HOSTILE_TEXT.path]))
    # GitHub Actions runs a line of the output that starts with :: as a command.
    for line in document.splitlines():
        assert line.lstrip().startswith("<"), line
    assert "\r" not in document
    [failure] = _failing(_suite(document))[HOSTILE_TEXT.path]
    visible = (
        "bad\n::error file=x::pwned\r::warning::again\t<&\"'> \\u0000\\u0007\\u001b[31m\\ufffe"
    )
    assert failure.get("message") == f"error: {visible} [schema]"
    assert failure.text == (
        f"{HOSTILE_TEXT.location}: error: {visible} [schema]\n    hint: \n::notice::hint"
    )


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


@pytest.mark.slow
def test_colour_on_a_terminal_unless_no_color() -> None:
    assert "\x1b[31merror\x1b[0m" in _on_a_terminal(_environment())
    assert "\x1b[" not in _on_a_terminal(_environment(NO_COLOR="1"))


@pytest.mark.slow
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


def test_check_strict_reaches_the_reporters_that_say_what_fails() -> None:
    """``check --strict`` fails the test cases of files with warnings, and
    SARIF's invocation gives the exit code the check exits with (the sample
    maps have warnings and no error)."""
    runner = CliRunner(env={"JOURNEYCODE_TODAY": "2026-11-01"})
    maps = str(ROOT / "maps")
    plain = runner.invoke(main, ["check", maps, "--format", "junit"])
    strict = runner.invoke(main, ["check", maps, "--format", "junit", "--strict"])
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    assert "<failure " not in plain.stdout
    assert 'type="warning"' in strict.stdout
    hidden = runner.invoke(
        main, ["check", maps, "--format", "junit", "--strict", "--min-level", "error"]
    )
    assert hidden.exit_code == 1
    assert hidden.stdout.count("<failure ") == strict.stdout.count("<failure ") > 0
    sarif_runs = (
        (["--format", "sarif"], 0),
        (["--format", "sarif", "--strict"], 1),
        (["--format", "sarif", "--strict", "--min-level", "error"], 1),
    )
    for args, code in sarif_runs:
        run = runner.invoke(main, ["check", maps, *args])
        (invocation,) = json.loads(run.stdout)["runs"][0]["invocations"]
        assert invocation["exitCode"] == run.exit_code == code
