"""A cold build converts half of the generated pages' Markdown in a forked
child (:mod:`journeycode.site.prerender`): the parent converts only the rest,
takes the child's from the page cache, and the site is byte for byte the site
one process builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import portfolio
from tests.conftest import write_files

# Each build in a process of its own (a test process may hold a library's
# threads, beside which nothing is forked): it says which of the section's
# pages its own process converted (a page from the cache converts nothing)
# and how many pages the child was offered.
BUILD = """
import json, sys
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page
from journeycode import halves
from journeycode.site import prerender
converted, handed = [], []
render, start = Page.render, prerender.start
def counted(page, config, files):
    if page.markdown and page.file.src_uri.startswith("journeys/"):
        converted.append(page.file.src_uri)
    render(page, config, files)
def offered(pages, *rest):
    handed.append(len(pages))
    return start(pages, *rest)
Page.render, prerender.start = counted, offered
if sys.argv[3] == "one":
    halves.FROM = 10**9
build.build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(json.dumps({"converted": converted, "handed": handed}))
"""


def _built(tmp_path: Path, name: str, cores: str) -> tuple[dict[Path, bytes], dict[str, Any]]:
    """The HTML of the journeys section of a build into ``name`` with the
    cache of that name, and what its process said."""
    env = {**os.environ, "JOURNEYCODE_CACHE_DIR": str(tmp_path / f"cache-{name}")}
    config, site = str(tmp_path / "project" / "mkdocs.yml"), tmp_path / name
    run = subprocess.run(
        [sys.executable, "-c", BUILD, config, str(site), cores],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    pages = site / "journeys"
    html = {p.relative_to(pages): p.read_bytes() for p in pages.rglob("*.html")}
    return html, json.loads(run.stdout.splitlines()[-1])


@pytest.mark.slow
def test_a_cold_build_on_two_cores_makes_the_site_one_core_makes(tmp_path: Path) -> None:
    portfolio.write(tmp_path / "project" / "maps", 30, 6)
    write_files(
        tmp_path / "project",
        {
            "docs/index.md": "# Home\n",
            "mkdocs.yml": "site_name: test\ntheme: {name: mkdocs}\n"
            "plugins:\n  - journeycode: {maps: maps, fail_on: never}\n",
        },
    )
    two, here = _built(tmp_path, "two", "two")
    # Built again, every page is in the cache: no child is even offered one.
    again, warm = _built(tmp_path, "two", "two")
    assert warm == {"converted": [], "handed": [0]}
    assert again == two
    one, alone = _built(tmp_path, "one", "one")
    ours = set(alone["converted"])
    assert len(ours) >= 40
    # The child took a real share, and nothing was converted twice here.
    mine = set(here["converted"])
    assert 0.2 * len(ours) < len(ours - mine) < 0.8 * len(ours)
    assert len(here["converted"]) == len(mine)
    assert two.keys() == one.keys()
    for path, html in one.items():
        assert two[path] == html, path
