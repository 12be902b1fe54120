"""The formats tables of check, coverage, diff and export: what ``--format``
offers and says comes from them, and a format reads colour or ``--strict`` only
when its entry says it takes them."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from journeycode import export
from journeycode.cli import main
from journeycode.compiler import Compiled, compile_workspace
from journeycode.coverage import coverage
from journeycode.problems import ExitCode
from journeycode.report import FORMATS as CHECK_FORMATS
from journeycode.report.coverage_report import FORMATS as COVERAGE_FORMATS
from journeycode.report.formats import PLAIN, Format, Formats, Options
from journeycode.review import report as review_report
from journeycode.review.run import compare
from tests.conftest import EXAMPLES, ROOT

TODAY = datetime.date(2026, 11, 1)
COMMANDS: dict[str, Formats[Any]] = {
    "check": CHECK_FORMATS,
    "coverage": COVERAGE_FORMATS,
    "diff": review_report.FORMATS,
    "export": export.FORMATS,
}


@pytest.fixture(scope="module")
def bad() -> Compiled:
    return compile_workspace(EXAMPLES / "bad", "bad", today=TODAY)


def _format_option(command: str) -> click.Option:
    (option,) = [p for p in main.commands[command].params if p.name == "output_format"]
    assert isinstance(option, click.Option)
    return option


@pytest.mark.parametrize("command", COMMANDS)
def test_format_choices_and_their_help_come_from_the_table(command: str) -> None:
    option = _format_option(command)
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(COMMANDS[command])
    assert option.help == COMMANDS[command].help()


def test_help_gives_each_format_its_words_in_the_tables_order() -> None:
    assert CHECK_FORMATS.help() == (
        "text for people, json for tools, github for workflow annotations, "
        "sarif for code scanning, junit for test dashboards."
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_the_readme_lists_every_format_of_a_command(command: str) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `journeycode {command} ")]
    assert "--format " + "\\|".join(COMMANDS[command]) in row


def test_the_readme_lists_every_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    listed = re.findall(r"^\| `journeycode ([\w-]+)", readme, re.M)
    assert sorted(listed) == sorted(main.commands)


def _reads_only_what_it_takes(formats: Formats[Any], subject: object) -> None:
    for name in formats:
        reporter: Format[Any] = formats[name]
        plain = reporter.render(subject, PLAIN)
        assert (reporter.render(subject, Options(color=True)) != plain) == reporter.color, name
        assert (reporter.render(subject, Options(strict=True)) != plain) == reporter.strict, name


def test_check_formats_read_only_the_options_they_take(bad: Compiled) -> None:
    _reads_only_what_it_takes(CHECK_FORMATS, bad.result)


def test_coverage_and_export_formats_read_only_the_options_they_take(bad: Compiled) -> None:
    _reads_only_what_it_takes(COVERAGE_FORMATS, coverage(bad.workspace))
    _reads_only_what_it_takes(export.FORMATS, bad)


def test_diff_formats_read_only_the_options_they_take() -> None:
    good, bad = str(EXAMPLES / "good"), str(EXAMPLES / "bad")
    comparison = compare(good, bad, EXAMPLES / "bad", "bad", TODAY)
    sides = review_report.Sides(comparison.base_label, comparison.head_label)
    reviewed = review_report.Reviewed(comparison.review, sides)
    assert comparison.review.changes
    _reads_only_what_it_takes(review_report.FORMATS, reviewed)


@pytest.mark.parametrize(
    "args",
    [
        ["render", "{maps}", "--out", "{out}", "--no-cache", "--view", "canvas"],
        ["docs", "{maps}", "--out", "{out}"],
        ["diff", "{good}", "{maps}", "--diagrams", "{out}"],
    ],
    ids=["render", "docs", "diff"],
)
def test_diagrams_and_pages_fail_alike_when_graphviz_fails_or_a_write_does(
    tmp_path: Path, args: list[str]
) -> None:
    """One block turns a Graphviz failure or a failed write into exit 2 and a
    line that says which, for each command that draws."""
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    env = {"JOURNEYCODE_TODAY": "2026-11-01", "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")}
    places = {"maps": str(EXAMPLES / "bad"), "good": str(EXAMPLES / "good")}

    def run(out: Path, **extra: str) -> Result:
        argv = [a.format(out=out, **places) for a in args]
        return CliRunner(env={**env, **extra}).invoke(main, argv)

    no_dot = run(tmp_path / "out", JOURNEYCODE_DOT=str(tmp_path / "no-dot"))
    assert no_dot.exit_code == ExitCode.FAILURE
    assert f"journeycode: JOURNEYCODE_DOT={tmp_path / 'no-dot'} is not" in no_dot.stderr
    unwritable = run(blocker / "sub")
    assert unwritable.exit_code == ExitCode.FAILURE
    assert f"journeycode: cannot write to {blocker / 'sub'}: " in unwritable.stderr
