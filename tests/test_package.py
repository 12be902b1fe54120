"""The package as a user installs it: the sdist and the wheel built from it,
the wheel installed into a fresh virtual environment, every command run there.

This catches what only a checkout has: package data left out of the wheel
(the schema, the page templates, the starter maps), a file found through the
source tree rather than the installed package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from journeycode import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), f"{command}: {run.returncode}\n{run.stdout}\n{run.stderr}"
    return run.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the fresh environment's bin folder, the folder the distributions were built in)."""
    work = tmp_path_factory.mktemp("package")
    # Built from a copy, so nothing the checkout has beside its tracked files leaks in.
    source = work / "source"
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    environment = work / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    bin_dir = environment / "bin"
    wheel = dist / f"journeycode-{__version__}-py3-none-any.whl"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    return bin_dir, dist


def test_the_sdist_and_the_wheel_carry_the_package_data(installed: tuple[Path, Path]) -> None:
    _, dist = installed
    wheel = zipfile.ZipFile(dist / f"journeycode-{__version__}-py3-none-any.whl").namelist()
    for needed in (
        "journeycode/journeycode.schema.json",
        "journeycode/site/templates/journey.md.j2",
        "journeycode/starter/maps/journeys/billing-question.yaml",
        # The compiled catalogs: without them every other language reads as English.
        "journeycode/locale/ru/LC_MESSAGES/journeycode.mo",
        "journeycode/locale/zh_Hans/LC_MESSAGES/journeycode.mo",
        "journeycode/locale/zh_Hant/LC_MESSAGES/journeycode.mo",
    ):
        assert needed in wheel
    with tarfile.open(dist / f"journeycode-{__version__}.tar.gz") as sdist:
        names = sdist.getnames()
    assert f"journeycode-{__version__}/schema/journeycode.schema.json" in names


def test_every_command_works_from_the_installed_wheel(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    bin_dir, dist = installed
    # Nothing of the checkout on the path: only what the wheel installed.
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
        "NO_MKDOCS_2_WARNING": "1",
        "NO_COLOR": "1",
    }
    journeycode = str(bin_dir / "journeycode")
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    assert "47 problems (0 errors, 22 warnings, 25 info) in 13 files." in _run(
        [journeycode, "check", "maps"], tmp_path, env
    )
    assert "47 замечаний (0 ошибок, 22 предупреждения, 25 сведений) в 13 файлах." in _run(
        [journeycode, "check", "--language", "ru", "maps"], tmp_path, env
    )
    assert _run([journeycode, "render", "maps", "--out", "d"], tmp_path, env).startswith("17 ")
    assert (tmp_path / "d" / "portfolio.svg").read_bytes().startswith(b"<?xml")
    _run([journeycode, "docs", "maps", "--out", "pages"], tmp_path, env)
    assert (tmp_path / "pages" / "rules.md").is_file()

    # By default the workflow takes the action from the repository the wheel's metadata names.
    _run([journeycode, "init", str(tmp_path / "default")], tmp_path, env)
    workflow = (tmp_path / "default" / ".github" / "workflows" / "journeys.yml").read_text()
    assert f"- uses: journeycode/journeycode@v{__version__}  # where" in workflow

    team = tmp_path / "team"
    wheel = dist / f"journeycode-{__version__}-py3-none-any.whl"
    _run([journeycode, "init", str(team), "--source", str(wheel)], tmp_path, env)
    assert _run([journeycode, "check", "maps"], team, env) == "No problems in 6 files.\n"
    _run([str(bin_dir / "mkdocs"), "build", "--strict"], team, env)
    assert (team / "site" / "journeys" / "billing-question" / "index.html").is_file()
    schema = _run([journeycode, "schema"], team, env)
    assert schema == (ROOT / "schema" / "journeycode.schema.json").read_text("utf-8")

    # The hook init wrote installs this very wheel into pre-commit's own environment.
    config = (team / ".pre-commit-config.yaml").read_text("utf-8")
    assert f"journeycode @ {wheel.as_uri()}" in config
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=team, check=True)
    subprocess.run(["git", "add", "-A"], cwd=team, check=True)
    hooks = {**env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    pre_commit = str(Path(sys.executable).with_name("pre-commit"))
    run = subprocess.run(
        [pre_commit, "run", "--all-files"], cwd=team, env=hooks, capture_output=True, text=True
    )
    assert run.returncode == 0 and "journeycode check....." in run.stdout, run.stdout
