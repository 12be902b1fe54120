"""The site in Russian and Chinese: real `journeycode docs` runs and real MkDocs
builds (both themes) of a workspace whose settings name the language, the
themes' own words in it too, and caches that never serve one language's page
to another."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from journeycode import i18n, render
from journeycode.compiler import compile_workspace
from journeycode.render.graphviz import Cache
from journeycode.site.generator import PAGES, build_site
from tests.conftest import ROOT, write_files

pytestmark = pytest.mark.slow

EXAMPLES = {"ru": ROOT / "examples" / "ru-bank", "zh-Hans": ROOT / "examples" / "zh-telecom"}

# Words journeycode writes on every site, by language: the navigation, a
# heading, a table header, a badge, the coverage measures, the scorecard.
WORDS = {
    "ru": [
        "Пути клиентов",
        "Сводка KPI",
        "Покрытие",
        "Ответственный",
        "Замечания",
        "Справочник полей",
    ],
    "zh-Hans": ["客户旅程", "KPI 记分卡", "覆盖率", "负责人", "问题", "字段参考"],
}
# The themes' own words, from their catalogs: the search box (MkDocs), the
# navigation's label (Material).
THEME_WORDS = {
    ("mkdocs", "ru"): ('lang="ru"', "Поиск"),
    ("mkdocs", "zh-Hans"): ('lang="zh', "搜索"),
    ("material", "ru"): ('lang="ru"', "Навигация"),
    ("material", "zh-Hans"): ('lang="zh"', "导航栏"),
}
ENGLISH_WORDS = [
    "Journey portfolio",
    "KPI scorecard",
    "Touchpoints with an owner",
    "Field reference",
]


def workspace(tmp_path: Path, tag: str) -> Path:
    """The language's example workspace once it is on main; until then the
    sample maps with the language set (their map text stays English)."""
    maps = tmp_path / f"maps-{tag}"
    example = EXAMPLES.get(tag)
    if example is not None and (example / "maps").is_dir():
        shutil.copytree(example / "maps", maps)
        return maps
    shutil.copytree(ROOT / "maps", maps)
    settings = maps / "journeycode.yaml"
    old = settings.read_text("utf-8") if settings.exists() else ""
    settings.write_text(f"language: {tag}\n" + old, "utf-8")
    return maps


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "JOURNEYCODE_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}


def _docs(maps: Path, out: Path, cache: Path, *extra: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "journeycode", "docs", str(maps), "--out", str(out), *extra],
        env=_env(cache),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return "\n".join(p.read_text("utf-8") for p in sorted(out.rglob("*.md")))


def mkdocs_project(tmp_path: Path, maps: Path, theme: str, theme_extra: str = "") -> Path:
    project = tmp_path / f"project-{theme}-{maps.name}"
    project.mkdir()
    shutil.copytree(maps, project / "maps")
    options = "name: material, font: false" if theme == "material" else "name: mkdocs"
    write_files(
        project,
        {
            "docs/index.md": "# Home\n",
            "mkdocs.yml": f"site_name: test\ntheme: {{{options}{theme_extra}}}\nplugins:\n"
            "  - journeycode: {maps: maps, path: journeys}\n",
        },
    )
    return project


def mkdocs_build(project: Path, cache: Path) -> Path:
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=_env(cache),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return project / "site"


@pytest.mark.parametrize("tag", ["ru", "zh-Hans"])
def test_docs_writes_every_word_in_the_language(tag: str, tmp_path: Path) -> None:
    markdown = _docs(workspace(tmp_path, tag), tmp_path / "out", tmp_path / "cache")
    for word in WORDS[tag]:
        assert word in markdown, word
    for word in ENGLISH_WORDS:
        assert word not in markdown, word
    # Mixed-language headings are gone: the sentence is translated whole.
    assert not re.search(r"^## What .* owns$", markdown, re.M)


def test_coverage_dashboard_shows_stage_names_not_ids(tmp_path: Path) -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    site = build_site(compiled, cache=Cache(None), history=None)
    page = site.pages["coverage.md"]
    assert "| Channel | Notice the unexpected charge | Ask for help |" in page
    assert "| notice | seek-help |" not in page
    journey = site.pages["billing-dispute.md"]
    assert "| Persona | Notice the unexpected charge | Ask for help |" in journey


def test_every_page_title_and_navigation_entry_is_translated() -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    with i18n.using("zh-Hans"):
        site = build_site(compiled, cache=Cache(None), history=None)
    titles = [next(iter(entry)) for entry in site.nav if isinstance(entry, dict)]
    assert titles[:1] == ["总览"]
    assert {"客户画像", "渠道", "负责人", "覆盖率", "KPI 记分卡", "规则", "变更类型"} <= set(titles)
    assert len(titles) >= len(PAGES)
    for path, text in site.pages.items():
        title = re.match(r'---\ntitle: "(.*)"\n---\n', text)
        assert title is not None, path
        if "/" not in path and path not in {f"{j}.md" for j in site.names}:
            assert re.search(r"[\u4e00-\u9fff]", title[1]), (path, title[1])


def test_map_text_in_a_translated_sentence_stays_text(tmp_path: Path) -> None:
    """A field of a translated sentence is escaped as map text: a name with a
    format sign, a link or a template cannot become syntax."""
    maps = workspace(tmp_path, "ru")
    owners = maps / "catalog" / "owners.yaml"
    text = owners.read_text("utf-8")
    hostile = "50%(x)s {team} [x](javascript:alert(1))"
    owners.write_text(text.replace("name: CX design team", f'name: "{hostile}"', 1), "utf-8")
    markdown = _docs(maps, tmp_path / "out", tmp_path / "cache")
    heading = next(line for line in markdown.splitlines() if "50%" in line and line[:3] == "## ")
    assert "](javascript" not in heading and "%&#40;x&#41;s" in heading
    assert "&#123;team&#125;" in heading


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
@pytest.mark.parametrize("tag", ["ru", "zh-Hans"])
def test_mkdocs_build_in_the_language(theme: str, tag: str, tmp_path: Path) -> None:
    site = mkdocs_build(mkdocs_project(tmp_path, workspace(tmp_path, tag), theme), tmp_path / "c")
    html = "\n".join(p.read_text("utf-8") for p in sorted(site.rglob("*.html")))
    for word in WORDS[tag]:
        assert word in html, word
    for word in ENGLISH_WORDS:
        assert word not in html, word
    lang, search = THEME_WORDS[theme, tag]
    page = (site / "journeys" / "coverage" / "index.html").read_text("utf-8")
    assert lang in page and search in page


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_a_theme_language_mkdocs_yml_chose_is_kept(theme: str, tmp_path: Path) -> None:
    key = "language" if theme == "material" else "locale"
    project = mkdocs_project(tmp_path, workspace(tmp_path, "ru"), theme, f", {key}: en")
    site = mkdocs_build(project, tmp_path / "c")
    page = (site / "journeys" / "coverage" / "index.html").read_text("utf-8")
    assert 'lang="en"' in page and "Поиск" not in page
    assert "Покрытие" in page  # the workspace's language is still the pages'


def test_caches_never_serve_one_language_to_another(tmp_path: Path) -> None:
    """One cache folder (diagrams, journey and catalog pages, MkDocs' HTML)
    shared by an English, a Russian and again an English build."""
    cache = tmp_path / "shared-cache"
    english = mkdocs_project(tmp_path, ROOT / "maps", "mkdocs")
    russian = mkdocs_project(tmp_path, workspace(tmp_path, "ru"), "mkdocs")
    first = (
        mkdocs_build(english, cache) / "journeys" / "billing-dispute" / "index.html"
    ).read_text("utf-8")
    page = mkdocs_build(russian, cache) / "journeys" / "billing-dispute" / "index.html"
    said = page.read_text("utf-8")
    assert "Этапы" in said and "Touchpoint</th>" not in said
    again = (
        mkdocs_build(english, cache) / "journeys" / "billing-dispute" / "index.html"
    ).read_text("utf-8")
    assert again == first and "Этапы" not in again


def test_the_diagram_cache_keeps_each_language_apart(tmp_path: Path) -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    diagrams = render.diagrams(compiled.workspace)
    cache = Cache(tmp_path / "diagrams")
    render.render(diagrams, "svg", cache)
    kept = len(list((tmp_path / "diagrams").rglob("*")))
    render.render(diagrams, "svg", cache)
    assert len(list((tmp_path / "diagrams").rglob("*"))) == kept  # served from the cache
    with i18n.using("ru"):
        render.render(diagrams, "svg", cache)
    assert len(list((tmp_path / "diagrams").rglob("*"))) > kept  # drawn again, in Russian


def test_the_site_draws_its_diagrams_in_its_language(tmp_path: Path) -> None:
    """The diagrams are drawn on a thread of their own while the pages are
    made: in the site's language, as the pages are."""
    compiled = compile_workspace(ROOT / "maps", "maps")
    with i18n.using("ru"):
        site = build_site(compiled, cache=Cache(tmp_path / "cache"), history=None)
        lane = i18n._("Customer actions")
    assert lane != "Customer actions"
    blueprints = [data for name, data in site.assets.items() if name.endswith(".blueprint.svg")]
    assert blueprints and all(lane.encode() in data for data in blueprints)
