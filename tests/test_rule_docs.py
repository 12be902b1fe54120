"""The rule docstrings are the rules' documentation: their examples must be true.

Each example is checked beside the rule cases' catalog: the passing one adds no
problem of its rule to what the catalog alone gives, the failing one adds one.
An example of a contact-flow rule follows its map with the flow file it runs
(a ``json`` block under the file's path in backticks).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import check
from journeycode.rules import REGISTRY
from journeycode.rules.docs import DOCS
from tests.conftest import CASES, write_files

CATALOG = (CASES / "rules" / "_catalog.yaml").read_text(encoding="utf-8")
EXAMPLE = re.compile(
    r"^(Passing|Failing)[^\n]*:\n\n```yaml\n(.*?)^```\n(?:\n`([^`]+)`:\n\n```json\n(.*?)^```\n)?",
    re.MULTILINE | re.DOTALL,
)
TODAY = datetime.date(2026, 11, 1)


def _problems(
    root: Path, rule: str, example: str | None, flow: tuple[str, str] = ("", "")
) -> set[tuple[str, str]]:
    files = {"catalog.yaml": CATALOG}
    if example is not None:
        files["example.yaml"] = example
    if flow[0]:
        files[flow[0]] = flow[1]
    result = check(write_files(root, files), "", today=TODAY)
    assert not [p for p in result.problems if p.rule in ("load", "schema")], result.problems
    return {(p.location, p.message) for p in result.problems if p.rule == rule}


@pytest.mark.parametrize("rule", sorted(REGISTRY))
def test_docstring_examples_hold(rule: str, tmp_path: Path) -> None:
    examples = EXAMPLE.findall(REGISTRY[rule].__doc__ or "")
    assert [kind for kind, *_ in examples] == ["Passing", "Failing"], rule
    (passing, failing) = ((text, (path, flow)) for _, text, path, flow in examples)
    baseline = _problems(tmp_path / "baseline", rule, None)

    assert _problems(tmp_path / "passing", rule, *passing) <= baseline
    assert _problems(tmp_path / "failing", rule, *failing) - baseline


@pytest.mark.parametrize("rule", sorted(REGISTRY))
def test_docstring_names_every_option(rule: str) -> None:
    doc = REGISTRY[rule].__doc__ or ""
    for option, default in REGISTRY[rule].OPTIONS.items():
        assert f"``{option}`` (default {default})" in doc


def test_rules_command_lists_every_rule() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines()]
    assert listed == list(DOCS)
    line = next(line for line in result.output.splitlines() if line.startswith("escalation-path "))
    assert line.split(None, 2)[1:] == [
        "error",
        "A self-service or automated step has a way out to a human.",
    ]


def test_rules_command_prints_one_rule() -> None:
    result = CliRunner().invoke(main, ["rules", "stale-review"])
    assert result.exit_code == 0
    assert result.output.startswith("stale-review (default level: warning)\n\nA journey map whose")
    assert "max_age_days" in result.output


def test_rules_command_suggests_on_a_typo() -> None:
    result = CliRunner().invoke(main, ["rules", "stale-reviews"])
    assert result.exit_code == 2
    assert "no rule 'stale-reviews'" in result.stderr
    assert "did you mean 'stale-review'?" in result.stderr
