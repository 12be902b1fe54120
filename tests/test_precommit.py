"""The project's pre-commit hooks, run by the real pre-commit from PyPI.

``pre-commit try-repo`` installs this checkout's hooks (``.pre-commit-hooks.yaml``,
``language: python``: journeycode is pip-installed into pre-commit's own
environment) and runs them on a temporary repository's staged files, as a
commit would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's environments, shared by the tests here (one install of journeycode)."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _try(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), hook],
        cwd=repo,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    _git(folder, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "maps", folder / "maps")
    _git(folder, "add", "-A")
    return folder


def test_the_hooks_are_declared_for_the_whole_workspace() -> None:
    assert [hook["id"] for hook in HOOKS] == ["journeycode-check", "journeycode-check-strict"]
    for hook in HOOKS:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        # The settings and the measurement files break maps as much as maps do.
        assert hook["files"] == r"\.(ya?ml|csv|json)$" and "--errors-first" in hook["entry"]


def test_a_good_map_passes_and_a_broken_one_is_blocked(repo: Path, home: Path) -> None:
    good = _try(repo, home, "journeycode-check")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "journeycode check" in good.stdout and "Passed" in good.stdout
    _git(repo, "commit", "-qm", "Good maps")

    path = repo / "maps" / "journeys" / "billing-dispute.yaml"
    path.write_text(path.read_text("utf-8").replace("channel: webchat", "channel: web-chat", 1))
    _git(repo, "add", "-A")
    broken = _try(repo, home, "journeycode-check")
    assert broken.returncode == 1
    assert "Failed" in broken.stdout
    assert "error: unknown channel 'web-chat' [unknown-reference]" in broken.stdout
    # --errors-first: the sample maps' warnings and info are counted, not printed.
    assert ": info: " not in broken.stdout and ": warning: " not in broken.stdout
    summary = r"^1 error in 13 files; and \d+ warnings, \d+ info: journeycode check shows them\.$"
    assert re.search(summary, broken.stdout, re.M), broken.stdout


def test_a_commit_that_breaks_only_a_measurement_file_is_blocked(repo: Path, home: Path) -> None:
    _git(repo, "commit", "-qm", "Good maps")
    dashboard = repo / "maps" / "measurements" / "cx-dashboard-2026.csv"
    dashboard.write_text(dashboard.read_text("utf-8").replace("aht,", "ahtt,", 1), "utf-8")
    _git(repo, "add", "-A")
    broken = _try(repo, home, "journeycode-check")
    assert broken.returncode == 1, broken.stdout
    assert "error: unknown KPI 'ahtt' [measurement-code]" in broken.stdout


def test_the_strict_hook_blocks_warnings_too(repo: Path, home: Path) -> None:
    run = _try(repo, home, "journeycode-check-strict")
    assert run.returncode == 1, run.stdout
    assert ": warning: " in run.stdout and ": error: " not in run.stdout
