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
from journeycode import i18n
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
from journeycode.render.graphviz import Graphviz
converted, handed, drawn = [], [], []
render, start, run = Page.render, prerender.start, Graphviz.run
def layout(self, *args):
    drawn.append(1)  # in this process: a child's are its own
    return run(self, *args)
Graphviz.run = layout
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
print(json.dumps({"converted": converted, "handed": handed, "drawn": len(drawn)}))
"""


def _project(
    tmp_path: Path, journeys: int, touchpoints: int, extra: dict[str, str] | None = None
) -> None:
    """A project in ``tmp_path / "project"``: a generated portfolio, and ``extra`` files."""
    portfolio.write(tmp_path / "project" / "maps", journeys, touchpoints)
    write_files(
        tmp_path / "project",
        {
            "docs/index.md": "# Home\n",
            "mkdocs.yml": "site_name: test\ntheme: {name: mkdocs}\n"
            "plugins:\n  - journeycode: {maps: maps, fail_on: never}\n",
            **(extra or {}),
        },
    )


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
    _project(tmp_path, 30, 6)
    two, here = _built(tmp_path, "two", "two")
    # Built again, every page is in the cache: no child is even offered one.
    again, warm = _built(tmp_path, "two", "two")
    assert warm == {"converted": [], "handed": [0], "drawn": 0}
    assert again == two
    one, alone = _built(tmp_path, "one", "one")
    ours = set(alone["converted"])
    assert len(ours) >= 40
    # The child took a real share, and nothing was converted twice here.
    mine = set(here["converted"])
    assert 0.2 * len(ours) < len(ours - mine) < 0.8 * len(ours)
    assert len(here["converted"]) == len(mine)
    # Every diagram was drawn by a child of the two-core build, none in it.
    assert here["drawn"] == 0 and alone["drawn"] >= 90
    assert two.keys() == one.keys()
    for path, html in one.items():
        assert two[path] == html, path


@pytest.mark.slow
def test_graphviz_failing_in_the_drawing_child_fails_the_build_plainly(tmp_path: Path) -> None:
    """The child that draws a cold build's diagrams says nothing: its failure
    is the parent's, which draws what the cache lacks itself and says why it
    cannot, as a build drawing on a thread does."""
    _project(
        tmp_path, 30, 6, {"broken-dot": "#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 3\n"}
    )
    (tmp_path / "project" / "broken-dot").chmod(0o755)
    env = {
        **os.environ,
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
        "JOURNEYCODE_DOT": str(tmp_path / "project" / "broken-dot"),
        "NO_MKDOCS_2_WARNING": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=tmp_path / "project",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "journeycode: " in run.stderr and "failed (exit 3): syntax error in line 1" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.slow
def test_the_drawing_child_draws_in_the_site_language(tmp_path: Path) -> None:
    """The child draws in the language the site is written in, and the parent
    finds its drawings under that language's keys: it draws none itself."""
    _project(tmp_path, 12, 4, {"maps/journeycode.yaml": "language: ru\n"})
    _, said = _built(tmp_path, "ru", "two")
    assert said["drawn"] == 0
    with i18n.using("ru"):
        lane = i18n._("Customer actions").encode()
    blueprints = list((tmp_path / "ru" / "journeys" / "diagrams").glob("*.blueprint.svg"))
    assert len(blueprints) == 12 and all(lane in p.read_bytes() for p in blueprints)


# A hook that takes a while over each of our pages, and says in a log of its
# process's own when it begins and when it ends one.
HOOK = """
import os, time
def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("journeys/"):
        with open(os.path.join(os.environ["PAGE_LOG"], str(os.getpid())), "a") as log:
            log.write("begin\\n")
            log.flush()
            time.sleep(0.02)
            log.write("end\\n")
    return html
"""


@pytest.mark.slow
def test_the_markdown_child_stops_between_pages(tmp_path: Path) -> None:
    """Where the two processes meet, the child is told to stop and stops
    before its next page: never killed in the middle of another plugin's
    page events."""
    _project(tmp_path, 30, 6, {"hook.py": HOOK})
    config = tmp_path / "project" / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "hooks: [hook.py]\n", "utf-8")
    logs = tmp_path / "logs"
    logs.mkdir()
    os.environ["PAGE_LOG"] = str(logs)
    try:
        _, said = _built(tmp_path, "site", "two")
    finally:
        del os.environ["PAGE_LOG"]
    assert said["handed"] and said["handed"][0] >= 40
    by_process = {log.name: log.read_text("utf-8").split() for log in logs.iterdir()}
    assert len(by_process) == 2  # the parent's and the child's
    for words in by_process.values():
        assert words.count("begin") == words.count("end"), words[-3:]


def test_a_drawing_on_a_thread_is_waited_for_only_where_the_child_is_forked() -> None:
    """Too few pages for a child: a drawing on a thread goes on beside
    MkDocs' reading; enough: it is settled first (a fork would refuse it)."""
    from types import SimpleNamespace

    from journeycode import halves
    from journeycode.site import prerender

    settled: list[int] = []
    pages: Any = [SimpleNamespace(file=SimpleNamespace(src_uri=f"j/{n}.md")) for n in range(99)]
    few, enough = pages[: halves.FROM - 1], pages[: halves.FROM]
    unread: Any = None  # the child reads no page of these: each fails, and is passed over
    prerender.start(few, unread, unread, lambda: settled.append(len(few))).end()
    assert settled == []
    prerender.start(enough, unread, unread, lambda: settled.append(len(enough))).end(stop=True)
    assert settled == [halves.FROM]


LOADED_BEFORE_THE_THREAD = """
import sys
from journeycode import i18n
from journeycode.site import aside
babel = ("babel.numbers", "babel.units", "babel.dates", "babel.lists")
with i18n.using(sys.argv[1]):
    seen = aside.on_a_thread(lambda: [m in sys.modules for m in babel])()
print(seen)
"""


@pytest.mark.parametrize(("language", "loaded"), [("ru", True), ("en", False)])
def test_a_drawing_thread_finds_babel_imported_in_a_language_that_uses_it(
    language: str, loaded: bool
) -> None:
    """Two threads importing Babel at once fail ('partially initialized
    module'): the drawing thread begins after the language's formats are in."""
    run = subprocess.run(
        [sys.executable, "-c", LOADED_BEFORE_THE_THREAD, language],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == str([loaded] * 4)
