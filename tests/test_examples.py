"""The Russian and Chinese sample workspaces under examples/: each checks clean
and builds a site, with `journeycode docs` and with a strict MkDocs build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENV, ROOT, invoke, write_files

# Each workspace, the MkDocs Material language of its site, and a journey with
# its name, to find on the built pages.
EXAMPLES = {
    "ru-bank": ("ru", "card-blocked-abroad", "Карта заблокирована за границей"),
    "zh-telecom": ("zh", "broadband-fault", "宽带故障报修"),
}
BIN = Path(sys.executable).parent


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **ENV,
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
        "NO_MKDOCS_2_WARNING": "1",
    }


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_example_checks_with_no_problem_at_all(name: str) -> None:
    run = invoke(ROOT, "check", f"examples/{name}", "--strict", "--format", "json")
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert report["problems"] == []
    assert len(report["files"]) == 8  # the settings aside, every file of the workspace was read


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_example_covers_everything_it_maps(name: str) -> None:
    run = invoke(ROOT, "coverage", f"examples/{name}", "--format", "json")
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["total"] == 100


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_the_docs_command_writes_the_examples_site(name: str, tmp_path: Path) -> None:
    _, journey, title = EXAMPLES[name]
    out = tmp_path / "pages"
    run = subprocess.run(
        [str(BIN / "journeycode"), "docs", f"examples/{name}", "--out", str(out)],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert f"# {title}" in (out / f"{journey}.md").read_text("utf-8")
    assert title in (out / "diagrams" / f"{journey}.canvas.svg").read_text("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_strict_mkdocs_build_of_the_example(name: str, tmp_path: Path) -> None:
    language, journey, title = EXAMPLES[name]
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples" / name, project / "maps")
    write_files(
        project,
        {
            "docs/index.md": "# Home\n\nSee the [journeys](journeys/index.md).\n",
            "mkdocs.yml": "site_name: test\n"
            f"theme: {{name: material, font: false, language: {language}}}\n"
            "plugins:\n  - journeycode: {maps: maps, path: journeys}\n",
        },
    )
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    page = (project / "site" / "journeys" / journey / "index.html").read_text("utf-8")
    assert title in page
    assert f'<html lang="{language}"' in page
