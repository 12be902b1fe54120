"""Where journeycode writes: ``-o`` into what is there, and never through a symlink.

Run as root (as CI runs) and, from root, as an ordinary user too: the old
``-o /dev/null`` replaced the device as root and failed as anyone else. What
the process writes into (a device, its own standard output, a FIFO) is tested
on real processes; the refusals, in this one.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, invoke

SCRIPT = Path(sys.executable).with_name("journeycode")
ENV = {**os.environ, "JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}
ROOT = os.geteuid() == 0
USERS = ["this user", "an ordinary user"] if ROOT else ["this user"]


def _run(
    cwd: Path, *args: str, user: str = "this user", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    prefix: list[str] = []
    if user != "this user":
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
        _nobody_can_run(prefix)
    return subprocess.run(
        [*prefix, str(SCRIPT), *args],
        cwd=cwd,
        env=env or ENV,
        capture_output=True,
        text=True,
        check=False,
    )


def _nobody_can_run(prefix: list[str]) -> None:
    """The ordinary user runs this checkout's journeycode, so every folder above
    it must let them in; a clone below a private folder (``mktemp -d`` makes
    one) does not: the case skips saying so, and fails in CI, whose clone is in
    an ordinary folder."""
    reach = subprocess.run([*prefix, "test", "-r", str(SCRIPT)], check=False)
    if reach.returncode != 0:
        message = f"user nobody cannot read {SCRIPT}: a folder above the checkout is private"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The bad example in a folder anyone may read, with a cache folder anyone
    may make their own folders in."""
    shutil.copytree(EXAMPLES / "bad", tmp_path / "bad")
    (tmp_path / "cache").mkdir()
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    # Shared as /tmp is: anyone may write, no one may rename another's folder.
    (tmp_path / "cache").chmod(0o1777)
    return tmp_path


# The workspace's own cache folder, which the ordinary user may write in.
CACHE = {"JOURNEYCODE_CACHE_DIR": "cache"}


def _env(workspace: Path) -> dict[str, str]:
    return {**ENV, **CACHE}


def _device(folder: Path) -> Path:
    """A character device that discards what is written to it: a /dev/null of
    the test's own where it may make one, so that a regression cannot break the
    machine's."""
    if ROOT:
        device = folder / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        device.chmod(0o666)
        return device
    return Path("/dev/null")


@pytest.mark.slow
@pytest.mark.parametrize("user", USERS)
def test_output_to_a_device_writes_into_it(workspace: Path, user: str) -> None:
    device = _device(workspace)
    # Relative: the ordinary user may not pass through pytest's private folders.
    named = device.name if device.parent == workspace else str(device)
    run = _run(workspace, "check", "bad", "-o", named, user=user, env=_env(workspace))
    assert run.returncode == 1, run.stderr
    assert run.stderr == ""
    assert stat.S_ISCHR(device.stat().st_mode)


@pytest.mark.slow
@pytest.mark.parametrize("user", USERS)
def test_output_to_dev_stdout_prints_the_report(workspace: Path, user: str) -> None:
    run = _run(workspace, "check", "bad", "-o", "/dev/stdout", user=user, env=_env(workspace))
    expected = _run(workspace, "check", "bad", env=_env(workspace)).stdout
    assert run.returncode == 1, run.stderr
    assert run.stdout == expected
    assert "problem" in expected


@pytest.mark.slow
def test_output_to_a_fifo_streams_into_it(workspace: Path) -> None:
    fifo = workspace / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = _run(workspace, "check", "bad", "--format", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert run.returncode == 1, run.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith(b"{")


def test_a_regular_output_file_is_still_replaced_atomically(workspace: Path) -> None:
    report = workspace / "report.txt"
    report.write_text("old\n", "utf-8")
    run = invoke(workspace, "check", "bad", "-o", str(report))
    assert run.exit_code == 1, run.stderr
    assert "problem" in report.read_text("utf-8")


@pytest.mark.parametrize("link", ["docs", ".github", ".github/workflows", "maps/journeys"])
@pytest.mark.parametrize("force", [False, True])
def test_init_never_writes_through_a_symlinked_folder(
    tmp_path: Path, link: str, force: bool
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "team"
    (repo / link).parent.mkdir(parents=True)
    (repo / link).symlink_to(outside)
    run = invoke(repo, "init", *(["--force"] if force else []))
    assert run.exit_code == 2, run.stdout
    assert run.stderr.startswith(
        f"journeycode: cannot write to .: {link} is a symlink, and no write follows one\n"
    )
    assert list(outside.iterdir()) == []
    assert not (repo / "mkdocs.yml").exists()  # refused before anything was written


def test_docs_never_writes_through_a_symlinked_sub_folder(workspace: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.md").write_text("theirs\n", "utf-8")
    out = workspace / "pages"
    run = invoke(workspace, "docs", "bad", "--out", str(out), env=CACHE)
    assert run.exit_code == 0, run.stderr
    shutil.rmtree(out / "channels")
    (out / "channels").symlink_to(outside)
    again = invoke(workspace, "docs", "bad", "--out", str(out), env=CACHE)
    assert again.exit_code == 2
    assert f"{out}/channels is a symlink, and no write follows one" in again.stderr
    assert [p.name for p in outside.iterdir()] == ["index.md"]
    assert (outside / "index.md").read_text("utf-8") == "theirs\n"


@pytest.mark.slow  # a real process: a FIFO that blocked it would block this one
@pytest.mark.parametrize("manifest", ["a NUL in a line", "a FIFO"])
def test_a_hostile_manifest_in_the_out_folder_is_ignored(workspace: Path, manifest: str) -> None:
    """Before, a NUL in .journeycode-files ended docs with exit 3, and a FIFO
    there blocked it for ever."""
    out = workspace / "pages"
    out.mkdir()
    listed = out / ".journeycode-files"
    if manifest == "a FIFO":
        os.mkfifo(listed)
    else:
        listed.write_text("index.md\nx\0y.md\n", "utf-8")
    run = subprocess.run(
        [str(SCRIPT), "docs", "bad", "--out", str(out)],
        cwd=workspace,
        env=_env(workspace),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "index.md").is_file()
