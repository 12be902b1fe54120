"""Bad input files (tests/cases/load): each gives exactly one clean, located problem,
in the author's words, never libyaml's."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import check
from tests.conftest import CASES

FOLDER = CASES / "load"
EXPECTED: dict[str, Any] = yaml.safe_load((FOLDER / "expected.yaml").read_text(encoding="utf-8"))


# libyaml's words, which name its grammar, not the author's mistake.
LIBYAML = (
    "while parsing",
    "while scanning",
    "did not find expected",
    "could not find expected",
    "mapping values are not allowed",
    "found character",
    "found unexpected",
    "found unknown",
    "block collection",
    "block mapping",
    "block end",
    "simple key",
    "indicator",
    "flow node",
    "invalid YAML",
)


def _generated(spec: dict[str, Any]) -> str:
    return "".join((spec.get("prefix", ""), spec["repeat"] * spec["times"], spec.get("suffix", "")))


def _cases() -> list[Any]:
    cases = [
        pytest.param(name, None, expect, id=name) for name, expect in EXPECTED["files"].items()
    ]
    cases += [
        pytest.param(name, _generated(expect["content"]), expect, id=name)
        for name, expect in EXPECTED["generated"].items()
    ]
    return cases


def _write(workspace: Path, name: str, content: str | None) -> None:
    if content is None:
        shutil.copyfile(FOLDER / name, workspace / name)
    else:
        (workspace / name).write_text(content, encoding="utf-8")


def test_every_case_file_has_an_expectation() -> None:
    on_disk = {p.name for p in FOLDER.iterdir()} - {"expected.yaml"}
    assert on_disk == set(EXPECTED["files"]) | set(EXPECTED["several"])


@pytest.mark.parametrize(("name", "content", "expect"), _cases())
def test_bad_file_gives_one_located_problem(
    name: str, content: str | None, expect: dict[str, str], workspace: Path
) -> None:
    _write(workspace, name, content)

    result = check(workspace, "maps")

    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert problem.location == f"maps/{name}:{expect['at']}"
    assert problem.rule == expect.get("rule", "load")
    assert expect["message"] in problem.message
    assert expect.get("hint", problem.hint) == problem.hint
    said = f"{problem.message} {problem.hint or ''}"
    assert not [words for words in LIBYAML if words in said], said

    run = CliRunner().invoke(main, ["check", str(workspace)])
    assert run.exit_code == 1
    assert run.exception is None or isinstance(run.exception, SystemExit)
    assert "Traceback" not in run.output


@pytest.mark.parametrize(("name", "expect"), EXPECTED["several"].items())
def test_a_load_error_leaves_the_other_sections_checked(
    name: str, expect: list[dict[str, str]], workspace: Path
) -> None:
    _write(workspace, name, None)

    problems = check(workspace, "maps").problems

    said = [
        {"at": p.location.removeprefix(f"maps/{name}:"), "rule": p.rule, "message": p.message}
        for p in problems
    ]
    assert said == expect


def test_a_bad_file_does_not_stop_the_others(workspace: Path) -> None:
    for name in EXPECTED["files"]:
        shutil.copyfile(FOLDER / name, workspace / name)
    (workspace / "zz-journey.yaml").write_text(
        "journey:\n  id: j\n  name: J\n  personas: [nobody]\n  stages: [{id: s, name: S}]\n",
        encoding="utf-8",
    )

    result = check(workspace, "maps")

    located = {p.path.removeprefix("maps/") for p in result.problems}
    assert located == set(EXPECTED["files"]) | {"zz-journey.yaml"}
