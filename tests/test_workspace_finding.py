"""Which workspace a command works on, and which of its files ``check FILE…``
reports: the cases are data (tests/cases/workspace/finding.yaml), each run in a
fresh tree with a repository, two workspaces and folders around them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CASES, EXAMPLES, invoke

CASE_LIST = yaml.safe_load((CASES / "workspace" / "finding.yaml").read_text("utf-8"))["cases"]


def _tree(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "good", tmp_path / "maps")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    maps = repo / "maps"
    shutil.copytree(EXAMPLES / "bad", maps)
    (maps / "journeys").mkdir()
    for name in ("journey.yaml", "second-journey.yaml"):
        (maps / name).rename(maps / "journeys" / name)
    (maps / "notes.txt").write_text("Not a map.\n", "utf-8")
    shutil.copytree(EXAMPLES / "good", repo / "team")
    (repo / "team" / "journeycode.yaml").write_text("rules: {}\n", "utf-8")
    (repo / "loose").mkdir()
    shutil.copy(EXAMPLES / "good" / "journey.yaml", repo / "loose")
    (repo / "docs" / "guide").mkdir(parents=True)
    return repo


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_the_workspace_is_found(case: dict[str, Any], tmp_path: Path) -> None:
    repo = _tree(tmp_path)
    for name in case.get("remove", []):
        shutil.rmtree(repo / name)
    result = invoke(repo / case.get("cwd", "."), *case["args"])
    assert result.exit_code == case["exit"], result.output
    if "paths" in case:
        problems = json.loads(result.stdout)["problems"]
        assert sorted({p["path"] for p in problems}) == case["paths"]
    for expected in case.get("stdout", []):
        assert expected.replace("{repo}", str(repo)) in result.stdout
    for expected in case.get("stderr", []):
        assert expected.replace("{repo}", str(repo)) in result.stderr
    for unexpected in case.get("absent", []):
        assert unexpected not in result.stdout
    assert "Traceback" not in result.output


def test_the_language_server_finds_the_workspace_as_a_command_does(tmp_path: Path) -> None:
    """An editor's project folder is where the server looks from: a sub-folder
    of the maps finds them, and the search stops at the repository's top."""
    from journeycode.lsp.server import _maps_folder

    repo = _tree(tmp_path)
    assert _maps_folder(repo / "maps" / "journeys", None) == ((repo / "maps").resolve(), None)
    assert _maps_folder(repo / "docs" / "guide", None)[0] == (repo / "maps").resolve()
    assert _maps_folder(repo / "team", None)[0] == (repo / "team").resolve()
    shutil.rmtree(repo / "maps")
    assert _maps_folder(repo / "docs", None)[0] == (repo / "docs").resolve()
