"""A cold build converts half of the generated pages' Markdown in a forked
child (:mod:`journeycode.site.prerender`): the parent converts only the rest,
takes the child's from the page cache, and the site is byte for byte the site
one process builds."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page

from benchmarks import portfolio
from journeycode import halves
from journeycode.site import prerender
from tests.conftest import write_files

RENDER = Page.render


def _built(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[Path, bytes], list[str]]:
    """The HTML of the journeys section of a cold build, and the pages whose
    Markdown this process converted (a page from the cache converts nothing)."""
    monkeypatch.setenv("JOURNEYCODE_CACHE_DIR", str(tmp_path / f"cache-{name}"))
    converted: list[str] = []

    def counted(page: Page, config: Any, files: Any) -> None:
        if page.markdown:
            converted.append(page.file.src_uri)
        RENDER(page, config, files)

    monkeypatch.setattr(Page, "render", counted)
    config = load_config(str(tmp_path / "project" / "mkdocs.yml"), site_dir=str(tmp_path / name))
    build.build(config)
    site = tmp_path / name / "journeys"
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}, converted


@pytest.mark.slow
def test_a_cold_build_on_two_cores_makes_the_site_one_core_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fork is refused beside other threads: this test would then show nothing.
    assert threading.active_count() == 1
    portfolio.write(tmp_path / "project" / "maps", 30, 6)
    write_files(
        tmp_path / "project",
        {
            "docs/index.md": "# Home\n",
            "mkdocs.yml": "site_name: test\ntheme: {name: mkdocs}\n"
            "plugins:\n  - journeycode: {maps: maps, fail_on: never}\n",
        },
    )
    handed: list[int] = []
    start = prerender.start

    def counted(pages: list[Page], *rest: Any) -> prerender.Child:
        handed.append(len(pages))
        return start(pages, *rest)

    monkeypatch.setattr(prerender, "start", counted)
    two, here = _built(tmp_path, "two", monkeypatch)
    # Built again, every page is in the cache: no child is even started.
    again, converted = _built(tmp_path, "two", monkeypatch)
    assert [uri for uri in converted if uri.startswith("journeys/")] == []
    assert again == two
    assert handed[1] == 0
    monkeypatch.setattr(halves, "FROM", 10**9)
    one, alone = _built(tmp_path, "one", monkeypatch)
    ours = {uri for uri in alone if uri.startswith("journeys/")}
    assert len(ours) >= 40
    # The child took a real share, and nothing was converted twice here.
    mine = {uri for uri in here if uri.startswith("journeys/")}
    assert 0.2 * len(ours) < len(ours - mine) < 0.8 * len(ours)
    assert len(here) == len(set(here))
    assert two.keys() == one.keys()
    for path, html in one.items():
        assert two[path] == html, path
