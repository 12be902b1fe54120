"""The composite GitHub Action (action.yml), run without GitHub.

``tests.github_runner`` runs its steps as the runner does, with a recording
``gh`` first on the PATH (one that answers 403 to writes, as a read-only token
gets, when asked) and a runner Python that is new enough, or one that is not,
which setup-python then replaces. The install step makes its environment from
this checkout in the runner's temporary folder, which is kept for the module
(emptied of all else), so journeycode's dependencies are installed once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, invoke
from tests.github_runner import ACTION, Job, run_action, run_workflow

pytestmark = pytest.mark.slow

# A gh that records its calls, lists a comment once one was posted, and answers nothing else;
# with GH_READ_ONLY set, writes get what a fork's pull request gets.
FAKE_GH = """#!/usr/bin/env bash
echo "gh $*" >> "$GH_LOG"
if [[ -n ${GH_READ_ONLY:-} && ( " $* " == *" --method "[A-Z]*" "* || $1 == pr ) ]]; then
  echo "gh: Resource not accessible by integration (HTTP 403)" >&2
  exit 1
elif [[ " $* " == *" --method POST "* ]]; then
  for a in "$@"; do [[ $a == body=@* ]] && cp "${a#body=@}" "$GH_STATE.body"; done
  echo 42 > "$GH_STATE"
elif [[ " $* " == *" --method PATCH "* ]]; then
  for a in "$@"; do [[ $a == body=@* ]] && cp "${a#body=@}" "$GH_STATE.body"; done
elif [[ -f $GH_STATE ]]; then
  cat "$GH_STATE"
fi
"""
# The python3 of an ubuntu-22.04 runner, as far as the action asks it.
OLD_PYTHON = """#!/bin/sh
case "$1" in --version) echo "Python 3.10.12" ;; *) echo "Python 3.10 here" >&2; exit 1 ;; esac
"""


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runner's tools: a Python, the recording gh, an old python3, and the
    environment every run's install step fills."""
    tools = tmp_path_factory.mktemp("runner")
    venv.EnvBuilder(with_pip=True).create(tools / "python")
    for name, text in {"fake/gh": FAKE_GH, "old/python3": OLD_PYTHON}.items():
        (tools / name).parent.mkdir(exist_ok=True)
        (tools / name).write_text(text, "utf-8")
        (tools / name).chmod(0o755)
    (tools / "runner-temp").mkdir()
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


def job(repo: Path, runner: Path, tmp_path: Path, *, old_python: bool = False, **env: str) -> Job:
    """A pull request's job on a runner whose python3 is new enough, or ``old_python``."""
    summary = tmp_path / "summary.md"
    summary.touch()
    # A job's temporary folder starts empty but for the environment kept for the module.
    temp = runner / "runner-temp"
    for entry in temp.iterdir():
        if entry.name != "journeycode-venv":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    python = runner / ("old" if old_python else "python/bin")
    base = {
        "PATH": f"{runner / 'fake'}:{python}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PIP_CACHE_DIR": str(runner / "pip-cache"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_BASE_REF": "main",
        "GITHUB_REPOSITORY": "team/journeys",
        "GITHUB_EVENT_NAME": "pull_request",
        "RUNNER_TEMP": str(temp),
        "GH_LOG": str(tmp_path / "gh.log"),
        "GH_STATE": str(tmp_path / "gh.state"),
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
        "JOURNEYCODE_TODAY": "2026-11-01",
        "NO_MKDOCS_2_WARNING": "1",
        **env,
    }
    github = {
        "github.event.pull_request.number": "7",
        "github.token": "secret-token",
        "github.base_ref": "main",
        "github.event_name": "pull_request",
    }
    return Job(repo, base, tmp_path, runner / "python" / "bin", github)


def _run_action(repo: Path, runner: Path, tmp_path: Path, **given: str) -> Job:
    return run_action(
        job(repo, runner, tmp_path), {name.replace("_", "-"): v for name, v in given.items()}
    )


def test_the_action_declares_its_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert list(ACTION["inputs"]) == [
        "path",
        "base",
        "fail-on",
        "comment",
        "sarif",
        "diagrams",
        "site",
    ]


def test_a_breaking_change_fails_and_is_reviewed_in_one_comment(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    first = _run_action(pull_request, runner, tmp_path, comment="true")
    assert first.code == 1 and first.failed_at == ACTION["runs"]["steps"][-1]["name"]
    assert "journeycode: the change is at or above fail-on" in first.stdout
    assert "::error" not in first.stdout  # no new problem: nothing to annotate
    assert first.summary.startswith("### journeycode: 1 breaking change in the catalog")
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


def test_python_is_set_up_only_where_the_runner_has_none_new_enough(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    present = _run_action(pull_request, runner, tmp_path, fail_on="never")
    assert present.code == 0, present.stdout
    assert "actions/setup-python@v5" not in present.ran
    old = run_action(job(pull_request, runner, tmp_path, old_python=True), {"fail-on": "never"})
    assert old.code == 0, old.stdout
    assert old.ran[:3] == [
        "Look for Python 3.11 or later",
        "actions/setup-python@v5",
        "Install journeycode",
    ]
    assert "setting up Python 3.12" in old.stdout


def test_a_failing_check_still_gets_its_review_and_comment_and_fails_at_the_end(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    path = pull_request / "maps" / "journeys" / "billing-dispute.yaml"
    path.write_text(path.read_text("utf-8").replace("channel: webchat", "channel: web-chat", 1))
    run = _run_action(pull_request, runner, tmp_path, comment="true")
    assert run.code == 1
    assert run.ran[-3:] == [
        "Comment on the pull request",
        "Build the site",
        "Fail on new errors, changes at fail-on or a broken site",
    ]
    assert "journeycode: the maps have new problems" in run.stdout
    assert "journeycode: the change is at or above fail-on" in run.stdout
    assert "`kpi-target-loosened`" in run.summary
    assert "POST repos/team/journeys/issues/7/comments" in (tmp_path / "gh.log").read_text("utf-8")


def test_a_read_only_token_leaves_the_review_on_the_summary_with_a_notice(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    """A pull request from a fork: the comment cannot be written, and that
    fails nothing."""
    readonly = job(pull_request, runner, tmp_path, GH_READ_ONLY="1")
    run = run_action(readonly, {"comment": "true", "fail-on": "never"})
    assert run.code == 0, run.stdout
    calls = (tmp_path / "gh.log").read_text("utf-8").splitlines()
    assert calls[-1].startswith("gh api --method POST repos/team/journeys/issues/7/comments")
    (notice,) = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert notice.startswith("::notice title=journeycode::The review is on the job summary")
    assert "Resource not accessible by integration (HTTP 403)" in notice
    assert "`kpi-target-loosened`" in run.summary
    assert run.summary.rstrip().endswith("it is here only.")


def test_the_site_is_built_with_the_theme_its_configuration_names(
    pull_request: Path, runner: Path, tmp_path: Path
) -> None:
    (pull_request / "docs").mkdir()
    (pull_request / "docs" / "index.md").write_text("# Journeys\n", "utf-8")
    (pull_request / "mkdocs.yml").write_text(
        "site_name: Journeys\ntheme: {name: material}\n"
        "plugins: [search, journeycode: {maps: maps, path: journeys}]\n",
        "utf-8",
    )
    run = _run_action(pull_request, runner, tmp_path, fail_on="never", site="mkdocs.yml")
    assert run.code == 0, run.stdout
    requirements = Path(run.env["RUNNER_TEMP"]) / "site-requirements.txt"
    assert requirements.read_text("utf-8") == "mkdocs-material\n"
    page = (pull_request / "site" / "index.html").read_text("utf-8")
    assert "material" in page and (pull_request / "site" / "journeys" / "index.html").is_file()

    # A site that does not build fails the job, at its end.
    (pull_request / "mkdocs.yml").write_text("site_name: Journeys\nnav: [missing.md]\n")
    broken = _run_action(pull_request, runner, tmp_path, fail_on="never", site="mkdocs.yml")
    assert broken.code == 1 and "journeycode: the site does not build" in broken.stdout

    # A theme journeycode cannot install fails the site alone: the check, the
    # review and the comment are done before it.
    (pull_request / "mkdocs.yml").write_text("site_name: Journeys\ntheme: {name: foo}\n")
    unknown = _run_action(pull_request, runner, tmp_path, comment="true", site="mkdocs.yml")
    assert unknown.code == 1 and "journeycode: the site does not build" in unknown.stdout
    assert unknown.ran[-3:] == [
        "Comment on the pull request",
        "Build the site",
        "Fail on new errors, changes at fail-on or a broken site",
    ]
    assert "`kpi-target-loosened`" in unknown.summary


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A repository made by init, whose pull request loosens a KPI target and
    breaks a map: the check fails, and the rest must still be done."""
    seed = tmp_path / "seed"
    seed.mkdir()
    _git(seed, "init", "-q", "-b", "main")
    assert invoke(seed, "init", "--source", str(ROOT)).exit_code == 0
    _git(seed, "add", "-A")
    _git(seed, "commit", "-qm", "journeycode init")
    _git(tmp_path, "clone", "-q", "--bare", str(seed), str(tmp_path / "origin.git"))
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(clone))
    _git(clone, "checkout", "-q", "-b", "change")
    kpis = clone / "maps" / "catalog" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8").replace("target: 75\n", "target: 70\n", 1), "utf-8")
    journey = clone / "maps" / "journeys" / "billing-question.yaml"
    journey.write_text(journey.read_text("utf-8").replace("channel: phone\n", "channel: fone\n"))
    _git(clone, "commit", "-qam", "FCR target 75 → 70, and a typo")
    return clone


def _workflow(repo: Path, source: str | None) -> dict[str, object]:
    """The workflow init writes, with ``--source`` or without."""
    folder = repo.parent / f"init-{source is None}"
    folder.mkdir()
    args = ["init"] if source is None else ["init", "--source", source]
    assert invoke(folder, *args).exit_code == 0
    workflow: dict[str, object] = yaml.safe_load(
        (folder / ".github" / "workflows" / "journeys.yml").read_text("utf-8")
    )
    return workflow


@pytest.mark.parametrize("source", [None, str(ROOT)], ids=["the action", "run steps"])
def test_the_workflow_init_writes_does_everything_then_fails_at_its_end(
    team: Path, runner: Path, tmp_path: Path, source: str | None
) -> None:
    """Run as a fork's pull request runs it: old Python, read-only token."""
    workflow = _workflow(team, source)
    fork = job(team, runner, tmp_path, old_python=True, GH_READ_ONLY="1")
    run = run_workflow(fork, workflow)
    assert run.code == 1
    assert "actions/setup-python@v5" in run.ran
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::error")]
    assert len(annotations) == 1 and "unknown channel 'fone'" in annotations[0]
    assert "`kpi-target-loosened`" in run.summary  # the review, after the failed check
    calls = (tmp_path / "gh.log").read_text("utf-8")
    assert "comment" in calls  # tried, refused, and that failed nothing
    notices = [line for line in run.stdout.splitlines() if line.startswith("::notice")]
    assert len(notices) == 1 and "The review is on the job summary" in notices[0]
    assert "journeycode: the maps have new problems" in run.stdout
    # The site was tried (the plugin refuses maps with errors), the artifacts uploaded.
    assert "journeycode: the site does not build" in run.stdout
    assert set(run.uploaded) == {"change-diagrams", "journey-site"}
    assert run.failed_at is not None and run.failed_at.startswith("Fail on new errors")
