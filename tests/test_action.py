"""The composite GitHub Action (action.yml), run without GitHub.

Each ``run:`` step's script is run as the runner runs it (``bash -eo pipefail``),
with its ``env:`` evaluated (inputs, earlier steps' outputs, the pull request),
``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` as files, and a recording ``gh``
first on the PATH. The first step installs journeycode from this checkout into
a fresh virtual environment, as the runner's Python would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import venv
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
# A gh that records its calls, lists a comment once one was posted, and answers nothing else.
FAKE_GH = """#!/usr/bin/env bash
echo "gh $*" >> "$GH_LOG"
if [[ " $* " == *" --method POST "* ]]; then
  for a in "$@"; do [[ $a == body=@* ]] && cp "${a#body=@}" "$GH_STATE.body"; done
  echo 42 > "$GH_STATE"
elif [[ " $* " == *" --method PATCH "* ]]; then
  for a in "$@"; do [[ $a == body=@* ]] && cp "${a#body=@}" "$GH_STATE.body"; done
elif [[ -f $GH_STATE ]]; then
  cat "$GH_STATE"
fi
"""


@dataclass
class Run:
    code: int
    stdout: str
    summary: str
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runner's tools: a fresh Python (the install step fills it) and the recording gh."""
    tools = tmp_path_factory.mktemp("runner")
    venv.EnvBuilder(with_pip=True).create(tools / "python")
    (tools / "fake").mkdir()
    gh = tools / "fake" / "gh"
    gh.write_text(FAKE_GH, "utf-8")
    gh.chmod(0o755)
    return tools


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone whose origin/main has the sample maps, on a branch that loosens a KPI target."""
    origin = tmp_path / "origin.git"
    seed = tmp_path / "seed"
    seed.mkdir()
    _git(seed, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "maps", seed / "maps")
    _git(seed, "add", "-A")
    _git(seed, "commit", "-qm", "The maps")
    _git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(origin), str(clone))
    _git(clone, "checkout", "-q", "-b", "change")
    kpis = clone / "maps" / "catalog" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8").replace("target: 420\n", "target: 480\n"), "utf-8")
    _git(clone, "commit", "-qam", "AHT target 420 → 480")
    return clone


def _evaluate(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        if expression.startswith("steps."):
            step, _, name = expression.removeprefix("steps.").partition(".outputs.")
            return outputs.get(step, {}).get(name, "")
        known = {"github.event.pull_request.number": "7", "github.token": "secret-token"}
        assert expression in known, f"an expression the test does not know: {expression}"
        return known[expression]

    return EXPRESSION.sub(value, text)


def _run_action(repo: Path, runner: Path, tmp_path: Path, **given: str) -> Run:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in given.items()})
    summary = tmp_path / "summary.md"
    summary.touch()
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    base = {
        "PATH": f"{runner / 'fake'}:{runner / 'python' / 'bin'}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_BASE_REF": "main",
        "GITHUB_REPOSITORY": "team/journeys",
        "RUNNER_TEMP": str(temp),
        "GH_LOG": str(tmp_path / "gh.log"),
        "GH_STATE": str(tmp_path / "gh.state"),
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
        "JOURNEYCODE_TODAY": "2026-11-01",
    }
    outputs: dict[str, dict[str, str]] = {}
    printed = []
    for index, step in enumerate(ACTION["runs"]["steps"]):
        assert step["shell"] == "bash" and "if" not in step
        # Inputs only ever reach a script through env: the script itself has no expression.
        assert not EXPRESSION.search(step["run"]), step["name"]
        output = tmp_path / f"output-{index}"
        output.touch()
        env = {k: _evaluate(str(v), inputs, outputs) for k, v in step.get("env", {}).items()}
        script = tmp_path / f"step-{index}.sh"
        script.write_text(step["run"], "utf-8")
        run = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=repo,
            env={**base, **env, "GITHUB_OUTPUT": str(output)},
            capture_output=True,
            text=True,
            check=False,
        )
        printed.append(run.stdout)
        if "id" in step:
            lines = output.read_text("utf-8").splitlines()
            outputs[step["id"]] = dict(line.split("=", 1) for line in lines)
        if run.returncode:
            return Run(run.returncode, "".join(printed), summary.read_text("utf-8"), outputs)
    return Run(0, "".join(printed), summary.read_text("utf-8"), outputs)


def test_the_action_declares_its_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert list(ACTION["inputs"]) == ["path", "base", "fail-on", "comment", "sarif"]


def test_a_breaking_change_fails_and_is_reviewed_in_one_comment(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    first = _run_action(pull_request, runner, tmp_path, comment="true")
    assert first.code == 1
    assert "journeycode: the change is at or above fail-on" in first.stdout
    assert "::error" not in first.stdout  # no new problem: nothing to annotate
    assert first.summary.startswith("### journeycode: 1 breaking change(s) in the catalog")
    assert "`kpi-target-loosened`" in first.summary
    calls = (tmp_path / "gh.log").read_text("utf-8").splitlines()
    assert calls[-1].startswith("gh api --method POST repos/team/journeys/issues/7/comments")
    body = (tmp_path / "gh.state.body").read_text("utf-8")
    assert body.startswith("<!-- journeycode-review -->\n### journeycode: 1 breaking")

    # The next push updates that comment instead of adding one; fail-on never passes.
    second = _run_action(pull_request, runner, tmp_path, comment="true", fail_on="never")
    assert second.code == 0, second.stdout
    calls = (tmp_path / "gh.log").read_text("utf-8").splitlines()
    assert calls[-1].startswith("gh api --method PATCH repos/team/journeys/issues/comments/42")
    assert not any("POST" in call for call in calls[2:])


def test_new_problems_are_annotated_and_old_ones_are_not(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    path = pull_request / "maps" / "journeys" / "billing-dispute.yaml"
    path.write_text(path.read_text("utf-8").replace("channel: webchat", "channel: web-chat", 1))
    run = _run_action(pull_request, runner, tmp_path, sarif="new.sarif", fail_on="never")
    assert run.code == 1
    assert "journeycode: the maps have new problems" in run.stdout
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "unknown channel 'web-chat'" in annotations[0]
    sarif = json.loads((pull_request / "new.sarif").read_text("utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["unknown-reference"]
    assert not (tmp_path / "gh.log").exists()  # comment: false
