"""A GitHub Actions job run without GitHub, step by step, as the runner runs it.

Each ``run:`` step's script runs as the runner runs it (``bash -eo pipefail``
for ``shell: bash``, ``bash -e`` by default), with its ``env:`` evaluated (the
job's, the step's: inputs, earlier steps' outputs, the pull request),
``GITHUB_OUTPUT``, ``GITHUB_PATH`` and ``GITHUB_STEP_SUMMARY`` as files, and
``if:`` decided from the steps before (``success()`` unless one failed).
The journeycode action (``action.yml``, composite; ``OWNER/journeycode@…`` in a
workflow) runs its own steps the same way; the other actions a job uses are
played by :data:`ACTIONS`: checkout has been done, setup-python puts the
Python it was given first on the PATH, and upload-artifact records what it
would upload.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][\w.-]*)(\(\))?)")
_SHELLS = {"bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"], None: ["bash", "-e"]}


@dataclass
class Job:
    """One job's state as its steps see it, and what it did."""

    cwd: Path
    env: dict[str, str]
    """The runner's environment: PATH, HOME, GITHUB_* and the fakes' files."""
    tmp: Path
    python: Path
    """The bin folder of the Python ``actions/setup-python`` would set up."""
    github: dict[str, str]
    """The ``github.*`` values the job's expressions may read."""
    added_path: list[str] = field(default_factory=list)
    failed: bool = False
    code: int = 0
    """The exit code of the first step that failed."""
    failed_at: str | None = None
    """That step."""
    printed: list[str] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)
    """Each step that ran, by its name, its ``uses`` or its first line."""
    uploaded: dict[str, Path] = field(default_factory=dict)
    """Artifacts by name: the path upload-artifact was given."""
    counter: int = 0

    @property
    def stdout(self) -> str:
        return "".join(self.printed)

    @property
    def summary(self) -> str:
        return Path(self.env["GITHUB_STEP_SUMMARY"]).read_text("utf-8")

    def lookup(self, name: str, scope: Scope) -> str:
        if name.startswith("inputs."):
            return scope.inputs[name.removeprefix("inputs.")]
        if name.startswith("steps."):
            step, _, output = name.removeprefix("steps.").partition(".outputs.")
            return scope.outputs.get(step, {}).get(output, "")
        assert name in self.github, f"an expression the test does not know: {name}"
        return self.github[name]

    def evaluate(self, text: str, scope: Scope) -> str:
        return EXPRESSION.sub(lambda m: self.lookup(m.group(1), scope), text)

    def condition(self, text: str, scope: Scope) -> bool:
        """An ``if:``, of the few forms a workflow here writes: contexts,
        strings, ``==``, ``!=``, ``!``, ``&&``, ``||`` and the status functions."""
        match = EXPRESSION.fullmatch(text.strip())
        text = match.group(1) if match else text
        status = {"always": True, "success": not self.failed, "failure": self.failed}
        status["cancelled"] = False
        python, at = [], 0
        while at < len(text.rstrip()):
            token = _TOKEN.match(text, at)
            assert token, f"an if: the test cannot read: {text}"
            string, operator, name, call = token.groups()
            if string is not None:
                python.append(repr(string[1:-1].replace("''", "'")))
            elif operator is not None:
                python.append({"&&": " and ", "||": " or ", "!": " not "}.get(operator, operator))
            elif call:
                python.append(repr(status[name]))
            else:
                python.append(repr(self.lookup(name, scope)))
            at = token.end()
        return bool(eval("".join(python), {"__builtins__": {}}))

    def steps(self, steps: list[dict[str, Any]], scope: Scope) -> None:
        """Run ``steps`` in order; one that fails stops those after it that do
        not ask to run anyway (``always()``, ``!cancelled()``, ``failure()``)."""
        for step in steps:
            condition = step.get("if", "success()")
            if not self.condition(str(condition), scope):
                continue
            if "uses" in step:
                self.ran.append(step["uses"])
                given = {k: self.evaluate(_text(v), scope) for k, v in step.get("with", {}).items()}
                name = step["uses"].partition("@")[0]
                play = _journeycode if name.endswith("/journeycode") else ACTIONS[name]
                play(self, given, scope, step)
            else:
                self.ran.append(step.get("name") or step["run"].splitlines()[0])
                self._run(step, scope)

    def _run(self, step: dict[str, Any], scope: Scope) -> None:
        # Inputs only ever reach a script through env: the script itself has no expression.
        assert not EXPRESSION.search(step["run"]), step["run"]
        self.counter += 1
        output = self.tmp / f"output-{self.counter}"
        added = self.tmp / f"path-{self.counter}"
        output.touch()
        added.touch()
        env = {**self.env, **scope.env}
        env.update({k: self.evaluate(str(v), scope) for k, v in step.get("env", {}).items()})
        env["PATH"] = ":".join([*reversed(self.added_path), env["PATH"]])
        env.update(GITHUB_OUTPUT=str(output), GITHUB_PATH=str(added))
        script = self.tmp / f"step-{self.counter}.sh"
        script.write_text(step["run"], "utf-8")
        run = subprocess.run(
            [*_SHELLS[step.get("shell")], str(script)],
            cwd=self.cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        self.printed.append(run.stdout)
        self.added_path += added.read_text("utf-8").splitlines()
        if "id" in step:
            lines = output.read_text("utf-8").splitlines()
            scope.outputs[step["id"]] = dict(line.split("=", 1) for line in lines)
        if run.returncode and not self.failed:
            self.failed, self.code, self.failed_at = True, run.returncode, self.ran[-1]
            self.printed.append(run.stderr)


def _text(value: object) -> str:
    """A ``with:`` value as the action gets it: YAML's ``true`` is the string ``true``."""
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass
class Scope:
    """What a job's or an action's expressions read: inputs, env, step outputs."""

    inputs: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)


def run_action(job: Job, given: dict[str, str]) -> Job:
    """The journeycode action's steps, with ``given`` inputs over the defaults."""
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(inputs)
    assert not unknown, f"inputs the action does not have: {unknown}"
    inputs.update(given)
    job.env["GITHUB_ACTION_PATH"] = str(ROOT)
    outer_failed, job.failed = job.failed, False
    job.steps(ACTION["runs"]["steps"], Scope(inputs))
    job.failed = job.failed or outer_failed
    return job


def run_workflow(job: Job, workflow: dict[str, Any]) -> Job:
    """The one job of ``workflow``, as a pull request runs it."""
    (spec,) = workflow["jobs"].values()
    scope = Scope(env={k: job.evaluate(str(v), Scope()) for k, v in spec.get("env", {}).items()})
    job.steps(spec["steps"], scope)
    return job


def _checkout(job: Job, given: dict[str, str], scope: Scope, step: dict[str, Any]) -> None:
    """The job runs in a clone already."""


def _setup_python(job: Job, given: dict[str, str], scope: Scope, step: dict[str, Any]) -> None:
    assert given["python-version"] == "3.12", given
    job.added_path.append(str(job.python))


def _upload(job: Job, given: dict[str, str], scope: Scope, step: dict[str, Any]) -> None:
    job.uploaded[given["name"]] = job.cwd / given["path"]


def _journeycode(job: Job, given: dict[str, str], scope: Scope, step: dict[str, Any]) -> None:
    run_action(job, given)


ACTIONS: dict[str, Callable[[Job, dict[str, str], Scope, dict[str, Any]], None]] = {
    "actions/checkout": _checkout,
    "actions/setup-python": _setup_python,
    "actions/upload-artifact": _upload,
}
