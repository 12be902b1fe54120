"""The fast lane (``make test-fast``, every test not marked ``slow``) starts no
end-to-end process: conftest refuses one, so a new test that spawns journeycode,
MkDocs, an installer or a browser is marked, or the lane would slow unseen."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "journeycode", "--version"],
        [str(ROOT / ".venv" / "bin" / "journeycode"), "--version"],
        ["mkdocs", "build"],
        f"{sys.executable} -m pip --version",
    ],
    ids=["python -m", "console script", "mkdocs", "a shell line"],
)
def test_an_end_to_end_process_outside_slow_fails_and_says_to_mark_it(
    command: list[str] | str,
) -> None:
    with pytest.raises(AssertionError, match=r"mark it @pytest.mark.slow"):
        subprocess.run(command, capture_output=True, check=False)


def test_git_is_not_end_to_end() -> None:
    run = subprocess.run(["git", "--version"], capture_output=True, text=True, check=True)
    assert run.stdout.startswith("git version")


@pytest.mark.slow
def test_a_slow_test_may_start_journeycode() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "journeycode", "--version"], capture_output=True, text=True
    )
    assert run.returncode == 0 and "journeycode" in run.stdout
