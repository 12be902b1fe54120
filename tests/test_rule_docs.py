"""The rule docstrings are the rules' documentation: their examples must be true.

Each example is checked beside the rule cases' catalog: the passing one adds no
problem of its rule to what the catalog alone gives, the failing one adds one.
An example of a contact-flow rule follows its map with the flow file it runs
(a ``json`` block under the file's path in backticks). Each language's
translation of an example holds too (its names are translated, its ids and
keys are not).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeycode import i18n
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


Example = tuple[str, tuple[str, str]]
"""A map, and the flow file it runs (its path and text; empty for most rules)."""


def _examples(rule: str) -> tuple[Example, Example]:
    examples = EXAMPLE.findall(REGISTRY[rule].__doc__ or "")
    assert [kind for kind, *_ in examples] == ["Passing", "Failing"], rule
    (passing, failing) = ((text, (path, flow)) for _, text, path, flow in examples)
    return passing, failing


def _hold(root: Path, rule: str, passing: Example, failing: Example) -> None:
    baseline = _problems(root / "baseline", rule, None)

    assert _problems(root / "passing", rule, *passing) <= baseline
    assert _problems(root / "failing", rule, *failing) - baseline


@pytest.mark.parametrize("rule", sorted(REGISTRY))
def test_docstring_examples_hold(rule: str, tmp_path: Path) -> None:
    _hold(tmp_path, rule, *_examples(rule))


def _said(text: str, fence: str) -> str:
    """An example map as the catalog translates it (the whole block is its msgid);
    the flow it runs is the platform's export, not translated."""
    block = f"```{fence}\n{text}```"
    return i18n.gettext(block).removeprefix(f"```{fence}\n").removesuffix("```")


TRANSLATED = [language.tag for language in i18n.LANGUAGES.values() if not language.english]


@pytest.mark.parametrize("tag", TRANSLATED)
@pytest.mark.parametrize("rule", sorted(REGISTRY))
def test_translated_examples_hold(rule: str, tag: str, tmp_path: Path) -> None:
    english = _examples(rule)
    with i18n.using(tag):
        said = [(_said(text, "yaml"), (path, flow)) for text, (path, flow) in english]
    assert [text for text, _ in said] != [text for text, _ in english], (rule, tag)
    _hold(tmp_path, rule, *said)


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


def test_rules_command_speaks_the_language() -> None:
    listed = CliRunner().invoke(main, ["rules", "--language", "ru"])
    one = CliRunner().invoke(main, ["rules", "stale-review", "--language", "zh-CN"])
    assert listed.exit_code == one.exit_code == 0
    line = next(line for line in listed.output.splitlines() if line.startswith("escalation-path "))
    with i18n.using("ru"):
        assert line.split(None, 2)[2] == DOCS["escalation-path"].said_summary
    with i18n.using("zh-Hans"):
        assert one.output.strip() == (
            i18n.gettext("{rule} (default level: {level})").format(
                rule="stale-review", level="warning"
            )
            + "\n\n"
            + DOCS["stale-review"].said.strip()
        )
    assert "A journey map" not in one.output
