"""The site: the generator, real MkDocs builds with both themes, escaping, history, caching."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from markdown import markdown as to_html  # type: ignore[import-untyped]

from benchmarks import portfolio
from journeycode import cachedir, render
from journeycode.cli import main
from journeycode.compiler import compile_workspace
from journeycode.model import Channel, Journey, Kpi, Owner, Persona
from journeycode.render.graphviz import Cache, Graphviz
from journeycode.site import generator, history
from journeycode.site.generator import CSS, RESERVED, build_site
from journeycode.site.pagecache import PageCache
from tests.conftest import ROOT, apply_edit, write_files

pytestmark = pytest.mark.slow

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "a | b | c",
    "{{ 7*7 }}",
    "{% raw %}",
    "**not bold** _not em_ `not code`",
    "\ue000j\ue001 (the token of journey j's name, which no map text may forge)",
]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
        "NO_MKDOCS_2_WARNING": "1",
    }


def _project(tmp_path: Path, theme: str, maps: Path, fail_on: str = "error") -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(maps, project / "maps")
    theme_config = "{name: material, font: false}" if theme == "material" else "{name: mkdocs}"
    write_files(
        project,
        {
            "docs/index.md": "# Home\n\nSee the [journeys](journeys/index.md).\n",
            "mkdocs.yml": f"site_name: test\ntheme: {theme_config}\nplugins:\n"
            f"  - journeycode: {{maps: maps, path: journeys, fail_on: {fail_on}}}\n",
        },
    )
    return project


def _build(
    project: Path, tmp_path: Path, mkdocs: tuple[str, ...] = ("-m", "mkdocs")
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *mkdocs, "build", "--strict"],
        cwd=project,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )


def test_generator_makes_every_page() -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    site = build_site(compiled, cache=Cache(None), history=None)
    workspace = compiled.workspace
    expected = {"index.md", "coverage.md", "scorecard.md", "rules.md", "changes.md", "format.md"}
    expected |= {f"{j.id}.md" for j in workspace.entities(Journey)}
    for kind, entities in (
        ("personas", workspace.entities(Persona)),
        ("channels", workspace.entities(Channel)),
        ("owners", workspace.entities(Owner)),
        ("kpis", workspace.entities(Kpi)),
    ):
        expected |= {f"{kind}/index.md"} | {f"{kind}/{e.id}.md" for e in entities}
    assert workspace.flows is not None
    flows = sorted(workspace.flows.flows)
    assert flows == ["billing-ivr", "fault-bot"]
    expected |= {"flows/index.md"} | {f"flows/{f}.md" for f in flows}
    assert set(site.pages) == expected
    assert len([a for a in site.assets if a.startswith("diagrams/")]) == len(
        render.JOURNEY_VIEWS
    ) * len(workspace.entities(Journey)) + 1 + len(flows)
    page = site.pages["billing-dispute.md"]
    assert "History is not available: the maps are not in a git repository." in page
    assert "[CX design team](owners/cx-design.md)" in page
    assert "(diagrams/billing-dispute.blueprint.svg)" in page
    # The journey shows each flow its touchpoints run, and whether it has a way out.
    assert (
        "| **IVR billing menu** | [billing-ivr](flows/billing-ivr.md) | "
        '<span class="jc-badge jc-flow-ok">every path reaches a person</span> |'
    ) in page
    flow = site.markdown()["flows/billing-ivr.md"]
    assert "[![Contact flow: billing-ivr](../diagrams/flow_billing-ivr.svg)]" in flow
    assert "**Run by:** [Resolve a billing dispute](../billing-dispute.md): IVR billing" in flow
    assert "| MainMenu | menu | GetParticipantInput |" in flow
    assert "offers 7 options &#40;at most 5&#41;" in flow
    drawing = site.assets["diagrams/flow_billing-ivr.svg"].decode()
    assert "MainMenu" in drawing and "Callback" in drawing


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_real_mkdocs_build(theme: str, tmp_path: Path) -> None:
    project = _project(tmp_path, theme, ROOT / "maps")
    run = _build(project, tmp_path)
    assert run.returncode == 0, run.stderr
    site = project / "site" / "journeys"
    page = (site / "billing-dispute" / "index.html").read_text(encoding="utf-8")
    assert 'src="../diagrams/billing-dispute.journey.svg"' in page
    assert (site / "diagrams" / "billing-dispute.journey.svg").read_bytes().startswith(b"<?xml")
    owner = (site / "owners" / "billing-support" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../billing-dispute/"' in owner
    assert "fonts.googleapis.com" not in (project / "site" / "index.html").read_text("utf-8")


def _workspace_with_errors(tmp_path: Path) -> Path:
    maps = tmp_path / "bad-maps"
    shutil.copytree(ROOT / "tests" / "examples" / "bad", maps)
    return maps


@pytest.mark.parametrize(("fail_on", "fails"), [("error", True), ("never", False)])
def test_fail_on(fail_on: str, fails: bool, tmp_path: Path) -> None:
    project = _project(tmp_path, "mkdocs", _workspace_with_errors(tmp_path), fail_on)
    run = _build(project, tmp_path)
    assert (run.returncode != 0) == fails, run.stderr
    if fails:
        assert "the maps have problems" in run.stderr
        assert "unknown channel 'ivrr'" in run.stderr


def test_fail_on_warning(tmp_path: Path) -> None:
    project = _project(tmp_path, "mkdocs", ROOT / "maps", "warning")
    run = _build(project, tmp_path)
    assert run.returncode != 0
    assert "[channel-feedback]" in run.stderr


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _hostile_maps(tmp_path: Path) -> Path:
    maps = tmp_path / "hostile"
    rows = []
    for index, text in enumerate(HOSTILE):
        quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        rows.append((index, quoted))
    q = dict(rows)
    write_files(
        maps,
        {
            "catalog.yaml": f"""\
personas:
  - {{id: p, name: {q[0]}, description: {q[1]}, goals: [{q[2]}], frustrations: [{q[3]}]}}
channels:
  - {{id: c, name: {q[4]}, type: voice, mode: assisted, hours: {q[5]}, description: {q[6]}}}
owners:
  - {{id: o, name: {q[1]}, contact: {q[2]}, description: {q[3]}}}
systems:
  - {{id: s, name: {q[4]}}}
kpis:
  - {{id: k, name: {q[5]}, description: {q[6]}, kind: feedback, unit: score, channels: [c]}}
""",
            "journey.yaml": f"""\
journey:
  id: j
  name: {q[0]}
  description: {q[1]}
  owner: o
  personas: [p]
  stages:
    - id: st
      name: {q[2]}
      goal: {q[3]}
      owner: o
      kpis: [k]
      touchpoints:
        - id: t
          name: {q[4]}
          channel: c
          action: {q[5]}
          frontstage: {q[6]}
          backstage: [{q[0]}]
          systems: [s]
          pain_points: [{{id: pp, text: {q[1]}, severity: low, evidence: {q[2]}}}]
          flow: hostile
          waive: {{after-hours: {q[3]}}}
  opportunities:
    - {{id: op, name: {q[4]}, description: {q[5]}, addresses: [pp]}}
""",
            # Each hostile text as a step of a contact flow, and as what it says.
            "flows/hostile.json": json.dumps(
                {
                    "initial_state": HOSTILE[0],
                    "states": [
                        {
                            "name": text,
                            "type": "say-play",
                            "properties": {"say": text},
                            "transitions": [
                                {"event": "audioComplete", "next": HOSTILE[index + 1]}
                                if index + 1 < len(HOSTILE)
                                else {"event": "audioComplete"}
                            ],
                        }
                        for index, text in enumerate(HOSTILE)
                    ],
                }
            ),
            # Each hostile text as a segment of an export: a series of the KPI's breakdown.
            "measurements/export.csv": "kpi,period_end,segment,value\n"
            + "".join(f'k,2026-10-31,"{t.replace(chr(34), chr(34) * 2)}",3\n' for t in HOSTILE),
        },
    )
    return maps


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hostile_text_is_shown_literally_in_the_built_html(tmp_path: Path) -> None:
    project = _project(tmp_path, "mkdocs", _hostile_maps(tmp_path), fail_on="never")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(
        project,
        "-c",
        "user.name=[a](javascript:alert(2)) {{ 8*8 }}",
        "-c",
        "user.email=x@example.com",
        "commit",
        "-q",
        "-m",
        "<script>alert(3)</script> [x](javascript:alert(3))",
    )
    run = _build(project, tmp_path)
    assert run.returncode == 0, run.stderr
    pages = sorted((project / "site" / "journeys").rglob("*.html"))
    assert len(pages) > 10
    seen = ""
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, name, value in parser.attributes:
            assert not name.startswith("on"), (page, tag, name)
            assert not value.strip().lower().startswith("javascript:"), (page, tag, name)
        assert not any("alert(" in script for script in parser.scripts), page
        seen += " ".join(parser.text)
    for text in HOSTILE:
        assert text in seen, text
    # The segments, in the breakdown's chart (its legend and its points' titles).
    html = (project / "site" / "journeys" / "kpis" / "k" / "index.html").read_text("utf-8")
    chart = _Page()
    chart.feed(html.split('<svg class="jc-chart"')[-1].split("</svg>")[0])
    assert chart.attributes and all(name != "href" for _, name, _ in chart.attributes)
    for text in HOSTILE:
        assert " ".join(chart.text).count(text) == 2, text
    # The commit's author and subject, in the journey's history (git drops < > from names).
    assert "[a](javascript:alert(2)) {{ 8*8 }}" in seen
    assert "<script>alert(3)</script> [x](javascript:alert(3))" in seen


def test_history_from_git_with_versions(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "tests" / "examples" / "good", maps)
    _git(tmp_path, "init", "-q")
    original = (maps / "journey.yaml").read_text(encoding="utf-8")
    for version in ("1.0.0", "1.1.0"):
        text = original.replace("  name: Call us\n", f"  name: Call us\n  version: {version}\n")
        (maps / "journey.yaml").write_text(text, encoding="utf-8")
        _git(tmp_path, "add", "-A")
        commit = ["commit", "-qm", f"Release {version}"]
        _git(tmp_path, "-c", "user.name=Ana", "-c", "user.email=a@x", *commit)
    found = history.history(maps, [maps / "journey.yaml", maps / "catalog.yaml"])
    assert found is not None
    changes = found[maps / "journey.yaml"]
    assert [(c.author, c.subject, c.version) for c in changes] == [
        ("Ana", "Release 1.1.0", "1.1.0"),
        ("Ana", "Release 1.0.0", "1.0.0"),
    ]
    assert [c.subject for c in found[maps / "catalog.yaml"]] == ["Release 1.0.0"]


def test_a_commit_message_makes_no_history_record_of_its_own(tmp_path: Path) -> None:
    """Before, a subject holding the log's separators forged a record (its
    commit, date and author) and a commit that git could not find ended docs
    with exit 3."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "tests" / "examples" / "good", maps)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    forged = "Real\x1e" + "ab c\x1f2001-01-01\x1fForged\x1fforged subject\njourney.yaml"
    _git(tmp_path, "-c", "user.name=Ana", "-c", "user.email=a@x", "commit", "-qm", forged)
    found = history.history(maps, [maps / "journey.yaml"])
    assert found is not None
    (change,) = found[maps / "journey.yaml"]
    assert change.author == "Ana"
    assert change.subject.startswith("Real")


def test_the_largest_numbers_a_map_may_hold_are_drawn(tmp_path: Path) -> None:
    """Before, a KPI measured at -1.7e308 and 1.7e308 ended docs with exit 3
    (their change overflows), and its chart was drawn at y="nan"."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "tests" / "examples" / "good", maps)
    (maps / "huge.yaml").write_text(
        "kpis:\n  - id: huge\n    name: Huge\n    kind: operational\n    unit: seconds\n"
        "    target: 1.7e308\n    measurements:\n      - {date: 2026-01-31, value: -1.7e308}\n"
        "      - {date: 2026-02-28, value: 1.7e308}\n",
        "utf-8",
    )
    out = tmp_path / "pages"
    run = CliRunner(env={"JOURNEYCODE_CACHE_DIR": str(tmp_path / "c")}).invoke(
        main, ["docs", str(maps), "--out", str(out)]
    )
    assert run.exit_code == 0, run.output
    page = (out / "kpis" / "huge.md").read_text("utf-8")
    assert "∞" in page and "nan" not in page


def test_history_outside_git(tmp_path: Path) -> None:
    assert history.history(tmp_path, [tmp_path / "x.yaml"]) is None


def test_docs_command_writes_pages_and_diagrams(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    run = CliRunner(env={"JOURNEYCODE_CACHE_DIR": str(tmp_path / "c")}).invoke(
        main, ["docs", str(ROOT / "maps"), "--out", str(out)]
    )
    assert run.exit_code == 0, run.output
    index = (out / "index.md").read_text(encoding="utf-8")
    assert index.startswith('---\ntitle: "Journey portfolio"\n---\n\n# Journey portfolio\n')
    assert (out / "diagrams" / "portfolio.svg").is_file()
    assert (out / "owners" / "billing-support.md").is_file()


def test_rebuild_after_editing_one_map_renders_only_its_diagrams(tmp_path: Path) -> None:
    real = Graphviz.find().program
    log = tmp_path / "calls.log"
    script = tmp_path / "counting-dot"
    script.write_text(f'#!/bin/sh\necho "$$" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    project = _project(tmp_path, "mkdocs", ROOT / "maps")
    env = {**_env(tmp_path), "JOURNEYCODE_DOT": str(script)}

    def build() -> int:
        before = len(log.read_text().splitlines()) if log.exists() else 0
        run = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build"],
            cwd=project,
            env=env,
            capture_output=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        return len(log.read_text().splitlines()) - before

    assert build() == 4 * 3 + 1 + 2  # and the two contact flows
    assert build() == 0
    journey = project / "maps" / "journeys" / "onboarding.yaml"
    journey.write_text(
        journey.read_text(encoding="utf-8").replace(
            "Self-install and activation check", "Self-install check"
        ),
        encoding="utf-8",
    )
    assert build() == 3  # the onboarding canvas, journey and blueprint; nothing else changed
    # A new value in the measurements export: only the canvas that shows the KPI.
    export = project / "maps" / "measurements" / "cx-dashboard-2026.csv"
    rows = export.read_text(encoding="utf-8").splitlines(keepends=True)
    last = max(i for i, row in enumerate(rows) if row.startswith("save-rate,"))
    rows[last] = rows[last].rsplit(",", 1)[0] + ",12.5\n"
    export.write_text("".join(rows), encoding="utf-8")
    assert build() == 1  # cancel-retention's canvas: save-rate is one of its stages' KPIs
    page = (project / "site" / "journeys" / "cancel-retention" / "index.html").read_text("utf-8")
    assert "12.5 %" in page  # the journey page's health strip too


# (file below maps/, text, what replaces it), one edit a step on top of the others.
PAGE_EDITS: list[tuple[str, str, str | None]] = [
    ("journeys/onboarding.yaml", "name: Join and get connected", "name: Join us"),
    ("journeys/onboarding.yaml", "channel: webchat", "channel: email"),
    ("journeys/billing-dispute.yaml", "emotion: -1\n", "emotion: 1\n"),
    ("catalog/channels.yaml", "name: Live chat (agent)", "name: Web chat"),
    ("catalog/personas.yaml", "name: ", "name: Renamed "),
    ("measurements/cx-dashboard-2026.csv", "aht,2026-05-31,494", "aht,2026-05-31,300"),
    # A persona no journey has yet: its page rests on the catalog alone.
    (
        "catalog/personas.yaml",
        "    preferred_channels: [webchat, sms, email]\n",
        "    preferred_channels: [webchat, sms, email]\n"
        "  - {id: newcomer, name: Newcomer, description: First words}\n",
    ),
    ("catalog/personas.yaml", "First words", "Second words"),
]


# Edits of what journeys show elsewhere, each made anew only on the pages that show it.
JOURNEY_EDITS: list[tuple[str, str, str | None]] = [
    # A touchpoint's action is on its journey's page alone.
    ("journeys/onboarding.yaml", "action: Compares speeds", "action: Weighs speeds"),
    ("journeys/onboarding.yaml", "name: Sales chat", "name: Sales live chat"),
    ("journeys/billing-dispute.yaml", "moment_of_truth: true", "moment_of_truth: false"),
    ("journeys/onboarding.yaml", "severity: high", "severity: low"),
    ("journeys/onboarding.yaml", "kpis: [conversion-rate, csat]", "kpis: [csat]"),
    ("journeys/onboarding.yaml", "personas: [small-business-owner]", "personas: [busy-parent]"),
    ("journeys/onboarding.yaml", "name: Choose a plan", "name: Pick a plan"),
    ("journeys/onboarding.yaml", "name: First-bill preview", "name: A first-bill preview"),
    ("journeys/onboarding.yaml", "owner: sales\n      kpis", "owner: retail\n      kpis"),
]


def _entries(folder: Path) -> dict[Path, bytes | None]:
    return {path: cachedir.read(path) for path in folder.iterdir()}


def test_pages_kept_by_what_they_show_are_the_pages_made_anew(tmp_path: Path) -> None:
    """Journey and catalog pages come from the cache by the digest of what they
    show: edit after edit, every page is the one a build without a cache makes,
    and an edit of a journey makes anew only the pages that show what changed."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    cache = Cache(tmp_path / "diagrams")
    assert cache.folder is not None
    before = build_site(compile_workspace(maps, "maps"), cache=cache, history=None).pages
    made_anew: dict[str, set[str]] = {}
    for edit in [*JOURNEY_EDITS, *PAGE_EDITS]:
        entries = _entries(cache.folder)
        apply_edit(maps, edit)
        compiled = compile_workspace(maps, "maps")
        kept = build_site(compiled, cache=cache, history=None).pages
        fresh = build_site(compiled, cache=Cache(None), history=None).pages
        assert kept.keys() == fresh.keys()
        for page, markdown in fresh.items():
            assert kept[page] == markdown, (edit, page)
        now = _entries(cache.folder)
        new = {content for path, content in now.items() if path not in entries}
        made = {page for page, markdown in kept.items() if markdown.encode() in new}
        cached = {page for page, markdown in kept.items() if markdown.encode() in now.values()}
        changed = {page for page, markdown in kept.items() if before.get(page) != markdown}
        assert changed & cached <= made, edit
        if edit in JOURNEY_EDITS:
            assert made <= changed, edit
        made_anew[edit[2] or ""] = made
        before = kept
    assert made_anew["action: Weighs speeds"] == {"onboarding.md"}
    assert made_anew["name: Sales live chat"] == {
        "onboarding.md",
        "channels/webchat.md",
        "kpis/conversion-rate.md",
        "kpis/csat.md",
        "owners/sales.md",
    }
    # A persona's page has a row a journey, not the touchpoints' names: a
    # touchpoint moved to another persona changes it.
    assert made_anew["personas: [busy-parent]"] >= {
        "personas/busy-parent.md",
        "personas/small-business-owner.md",
    }


def test_a_rebuild_works_out_what_catalog_pages_show_only_of_the_journey_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each catalog page shows of a journey is kept by the journey's
    inputs: a rebuild after an edit of one journey looks at that one alone,
    where no catalog page is made again."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    cache = Cache(tmp_path / "diagrams")
    looked_at: list[str] = []
    real = generator._Context.journey_shows

    def counted(context: Any, catalog: Any, journey: Journey) -> Any:
        looked_at.append(journey.id)
        return real(context, catalog, journey)

    monkeypatch.setattr(generator._Context, "journey_shows", counted)
    build_site(compile_workspace(maps, "maps"), cache=cache, history=None)
    journeys = {j.stem for j in (maps / "journeys").glob("*.yaml")}
    assert set(looked_at) == journeys
    looked_at.clear()
    apply_edit(maps, JOURNEY_EDITS[0])
    build_site(compile_workspace(maps, "maps"), cache=cache, history=None)
    assert set(looked_at) == {"onboarding"}
    # An entry of another shape is worked out again, not trusted.
    for name in cache.names():
        if (cache.get(name) or b"").startswith(b'{"'):
            cache.put(name, b'["not", "digests"]')
    looked_at.clear()
    compiled = compile_workspace(maps, "maps")
    kept = build_site(compiled, cache=cache, history=None).pages
    assert set(looked_at) == journeys
    assert kept == build_site(compiled, cache=Cache(None), history=None).pages


def test_a_rebuild_after_a_touchpoint_edit_is_the_site_a_fresh_build_makes(
    tmp_path: Path,
) -> None:
    """MkDocs' rebuild from both caches after a touchpoint's name and action
    changed is, byte for byte, the site a build without any cache makes, and
    every page that shows the touchpoint shows its new name."""
    project = _project(tmp_path, "mkdocs", ROOT / "maps")

    def build(cache: str) -> dict[Path, bytes]:
        # The pages say when they were built: at one moment, for both builds.
        env = {**_env(tmp_path), "JOURNEYCODE_CACHE_DIR": str(tmp_path / cache)}
        env["SOURCE_DATE_EPOCH"] = "1700000000"
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean"]
        run = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        site = project / "site"
        return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    build("cache")
    for edit in JOURNEY_EDITS[:2]:
        apply_edit(project / "maps", edit)
    rebuilt = build("cache")
    fresh = build("fresh-cache")
    assert rebuilt.keys() == fresh.keys()
    for path, content in fresh.items():
        assert rebuilt[path] == content, path
    showing = {p for p, content in rebuilt.items() if b"Sales live chat" in content}
    assert {Path("journeys/kpis/conversion-rate/index.html")} <= showing
    assert not any(b"Sales chat" in content for content in rebuilt.values())


def test_a_renamed_journey_changes_no_page_but_its_own(tmp_path: Path) -> None:
    """Pages link to a journey by a token that its name replaces after MkDocs
    converts them: after a rename only the journey's own page has new Markdown
    (so only it is converted again), and every page shows the new name."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    before = build_site(compile_workspace(maps, "maps"), cache=Cache(None), history=None)
    journey = maps / "journeys" / "onboarding.yaml"
    text = journey.read_text("utf-8")
    journey.write_text(text.replace("name: Join and get connected", "name: Sign <up> now"), "utf-8")
    after = build_site(compile_workspace(maps, "maps"), cache=Cache(None), history=None)
    changed = {p for p, markdown in after.pages.items() if before.pages[p] != markdown}
    assert changed == {"onboarding.md"}
    assert after.names["onboarding"] == "Sign <up> now"
    listed = after.markdown()["personas/busy-parent.md"]
    assert "[Sign &#60;up&#62; now](../onboarding.md)" in listed
    project = _project(tmp_path, "material", maps)
    assert _build(project, tmp_path).returncode == 0
    html = (project / "site" / "journeys" / "personas" / "busy-parent" / "index.html").read_text()
    assert '<a href="../../onboarding/">Sign &lt;up&gt; now</a>' in html
    assert "\ue000" not in html


def test_the_rebuilds_of_one_serve_reuse_the_compiled_maps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs serve makes a new plugin for every rebuild, in one process: the
    second reads no map file again, and after an edit parses only that one."""
    from mkdocs.config import load_config

    from journeycode import loader
    from journeycode.site.plugin import JourneycodePlugin

    project = _project(tmp_path, "mkdocs", ROOT / "maps")
    settled = 1_700_000_000  # files changed long ago: their stamps are trusted
    for path in (project / "maps").rglob("*.yaml"):
        os.utime(path, (settled, settled))
    parsed: list[str] = []
    read: list[str] = []
    real_parse, real_read = loader.from_bytes, loader.read_bytes

    def counted_parse(path: Path, display: str, raw: bytes, digest: str = "") -> Any:
        parsed.append(path.name)
        return real_parse(path, display, raw, digest)

    def counted_read(path: Path, max_bytes: int) -> bytes:
        read.append(path.name)
        return real_read(path, max_bytes)

    monkeypatch.setattr(loader, "from_bytes", counted_parse)
    monkeypatch.setattr(loader, "read_bytes", counted_read)
    monkeypatch.setenv("JOURNEYCODE_CACHE_DIR", str(tmp_path / "cache"))

    def rebuild() -> JourneycodePlugin:
        parsed.clear()
        read.clear()
        plugin = JourneycodePlugin()
        plugin.load_config({"maps": "maps", "fail_on": "never"})
        plugin.on_config(load_config(str(project / "mkdocs.yml")))
        return plugin

    rebuild()
    assert len(parsed) == len(list((project / "maps").rglob("*.yaml")))
    rebuild()
    assert parsed == [] and [r for r in read if r.endswith(".yaml")] == []
    journey = project / "maps" / "journeys" / "onboarding.yaml"
    text = journey.read_text("utf-8")
    journey.write_text(text.replace("Join and get connected", "Join us"), "utf-8")
    plugin = rebuild()
    assert parsed == ["onboarding.yaml"]
    assert plugin.site is not None and plugin.site.names["onboarding"] == "Join us"


def test_cached_pages_build_the_same_site(tmp_path: Path) -> None:
    """A build that takes every page from the page cache makes the same HTML,
    table of contents and anchors as one that converts them all."""
    project = _project(tmp_path, "material", ROOT / "maps")
    assert _build(project, tmp_path).returncode == 0
    cold = {
        p.relative_to(project / "site"): p.read_bytes()
        for p in (project / "site" / "journeys").rglob("*.html")
    }
    assert len(list((tmp_path / "cache" / "pages").iterdir())) == len(cold)
    run = _build(project, tmp_path)
    assert run.returncode == 0, run.stderr
    for path, html in cold.items():
        assert (project / "site" / path).read_bytes() == html, path


def test_docs_removes_the_pages_of_a_deleted_journey_and_nothing_else(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    out = tmp_path / "pages"
    out.mkdir()
    (out / "README.txt").write_text("not ours\n", encoding="utf-8")
    runner = CliRunner(env={"JOURNEYCODE_CACHE_DIR": str(tmp_path / "c")})
    assert runner.invoke(main, ["docs", str(maps), "--out", str(out)]).exit_code == 0
    assert (out / "onboarding.md").is_file()
    assert (out / "diagrams" / "onboarding.journey.svg").is_file()

    (maps / "journeys" / "onboarding.yaml").unlink()
    run = runner.invoke(main, ["docs", str(maps), "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert not (out / "onboarding.md").exists()
    assert not list((out / "diagrams").glob("onboarding.*"))
    assert (out / "billing-dispute.md").is_file()
    assert (out / "README.txt").read_text(encoding="utf-8") == "not ours\n"


KILLED_WRITER = """
import sys, time
from pathlib import Path
from journeycode import atomic
def stall(self, target):
    print("written", flush=True)  # the temporary file is complete; never renamed
    time.sleep(600)
Path.replace = stall
atomic.write_bytes(Path(sys.argv[1]), b"half")
"""


def test_a_writer_killed_mid_write_leaves_nothing_behind_for_long(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    out.mkdir()
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(out / "index.md")],
        stdout=subprocess.PIPE,
        text=True,
    )
    # Wait for the writer's word rather than a clock: a loaded machine is slow to start Python.
    assert writer.stdout is not None
    assert writer.stdout.readline() == "written\n"
    writer.kill()
    writer.wait()
    writer.stdout.close()
    assert [p.name for p in out.glob(".*.tmp")] != []
    live = out / f".other.md.{os.getpid()}-abc.tmp"  # a writer still at work
    live.write_bytes(b"")
    run = CliRunner(env={"JOURNEYCODE_CACHE_DIR": str(tmp_path / "c")}).invoke(
        main, ["docs", str(ROOT / "maps"), "--out", str(out)]
    )
    assert run.exit_code == 0, run.output
    assert [p.name for p in out.rglob(".*.tmp")] == [live.name]


def _bare_project(tmp_path: Path, docs: dict[str, str]) -> Path:
    """A team's project as a new user writes it: the plugin, no nav, maybe no pages."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "maps", project / "maps")
    (project / "docs").mkdir()
    write_files(project, {"mkdocs.yml": "site_name: Team\nplugins:\n  - journeycode\n", **docs})
    return project


def test_an_empty_docs_folder_gets_the_portfolio_as_its_home(tmp_path: Path) -> None:
    project = _bare_project(tmp_path, {})
    build = _build(project, tmp_path)
    assert build.returncode == 0, build.stderr
    home = (project / "site" / "index.html").read_text("utf-8")
    # The portfolio, its links pointing into the section (--strict checked they resolve).
    assert '<h1 id="journey-portfolio">Journey portfolio</h1>' in home
    assert 'href="journeys/billing-dispute/"' in home and 'href="journeys/coverage/"' in home
    assert 'src="journeys/diagrams/portfolio.svg"' in home
    # Navigation titled by journeycode, not after folder names.
    kpis = (project / "site" / "journeys" / "kpis" / "index.html").read_text("utf-8")
    assert ">KPIs<" in kpis and ">Kpis<" not in kpis


def test_the_teams_own_pages_come_first_and_their_home_is_kept(tmp_path: Path) -> None:
    project = _bare_project(
        tmp_path,
        {"docs/index.md": "# Our service\n", "docs/how-we-map.md": "# How we map\n"},
    )
    build = _build(project, tmp_path)
    assert build.returncode == 0, build.stderr
    home = (project / "site" / "index.html").read_text("utf-8")
    assert "Our service" in home and "Journey portfolio</h1>" not in home
    titles = re.findall(r'class="(?:nav-link|dropdown-item)[^"]*"[^>]*>\s*([^<]+?)\s*<', home)
    assert titles.index("How we map") < titles.index("Overview") < titles.index("KPIs")


def test_the_page_cache_counts_warnings_only_while_a_build_runs() -> None:
    """Importing the plugin leaves MkDocs' logging alone; a build's page
    cache listens for warnings from its start to its end."""
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import logging, journeycode.site.plugin; "
            "print(len(logging.getLogger('mkdocs').handlers))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "0"
    logger = logging.getLogger("mkdocs")
    before = list(logger.handlers)
    cache = PageCache(None)
    cache.start_build(["a.md"], [])
    assert len(logger.handlers) == len(before) + 1
    cache.end_build()
    assert logger.handlers == before


def test_the_page_table_gives_the_reserved_names_the_navigation_and_the_titles() -> None:
    compiled = compile_workspace(ROOT / "maps", "maps")
    site = build_site(compiled, cache=Cache(None), history=None)
    journeys = {f"{j.id}.md" for j in compiled.workspace.entities(Journey)}
    own = {p.split("/")[0] for p in [*site.pages, *site.assets] if p not in journeys and p != CSS}
    assert {name.removesuffix(".md") for name in own} == RESERVED
    titles: dict[str, str] = {}  # path -> its title in the navigation
    for entry in site.nav:
        for title, target in entry.items():
            if isinstance(target, str):
                titles[target] = title
                continue
            listing, *items = target  # a catalog: its listing, titled by the section, and entries
            titles[listing] = title
            titles.update({path: name for item in items for name, path in item.items()})
    assert set(titles) == set(site.pages)
    for path, title in titles.items():
        shown = "Journey portfolio" if path == "index.md" else title
        assert site.pages[path].startswith(f"---\ntitle: {json.dumps(shown, ensure_ascii=False)}")


_ENTERED_FLOW = """{"initial_state": "Language", "states": [
  {"name": "Language", "type": "gather-input-on-call",
   "transitions": [{"event": "keypress", "next": "MainMenu"}, {"event": "timeout", "next": "Bye"}]},
  {"name": "Bye", "type": "say-play", "transitions": [{"event": "audioComplete"}]},
  {"name": "MainMenu", "type": "gather-input-on-call",
   "transitions": [{"event": "keypress", "next": "Agent"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]},
  {"name": "Late", "type": "gather-input-on-call",
   "transitions": [{"event": "keypress", "next": "Agent"}, {"event": "timeout"}]}
]}"""
"""A flow whose start (Language) hangs up on a caller who presses nothing
(Bye), and whose step Late, which nothing leads to, leaves such a caller at
the end of the flow: a touchpoint that links MainMenu reaches neither, one
that links Late reaches its end and no other."""


def _entered_site(tmp_path: Path, entry: str) -> tuple[list[str], Any]:
    """The flow-way-out findings of the flow above, linked at ``entry``, and its site."""
    catalog = (ROOT / "tests" / "cases" / "rules" / "_catalog.yaml").read_text(encoding="utf-8")
    write_files(
        tmp_path,
        {
            "catalog.yaml": catalog,
            "journey.yaml": f"""journey:
  id: call
  name: Call us
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {{id: menu, name: IVR menu, channel: ivr, flow: "ivr#{entry}", escalates_to: [agent]}}
        - {{id: agent, name: Agent, channel: agent-voice}}
""",
            "flows/ivr.json": _ENTERED_FLOW,
        },
    )
    compiled = compile_workspace(tmp_path, "")
    found = [p.message for p in compiled.result.problems if p.rule == "flow-way-out"]
    return found, build_site(compiled, cache=Cache(None), history=None)


def _drawn(svg: str) -> tuple[set[str], set[str], set[str]]:
    """The steps a flow's drawing marks as dead ends, its thick red edges
    (``Language->MainMenu``) and the steps it draws an entry to, by step id."""
    nodes = dict(
        re.findall(r'<g id="node\d+" class="node">\s*<title>(s\d+)</title>(.*?)</g>', svg, re.S)
    )
    names = {
        node: re.findall(r'font-weight="bold"[^>]*>([^<]+)<', body)[0]
        for node, body in nodes.items()
    }
    dead = {names[n] for n, body in nodes.items() if "dead end" in body}
    edges = re.findall(
        r'<g id="edge\d+" class="edge">\s*<title>([^<]+)&#45;&gt;([^<]+)</title>\s*'
        r'<path fill="none" stroke="(#[0-9a-f]+)"',
        svg,
    )
    red = {f"{names[a]}->{names[b]}" for a, b, colour in edges if colour == "#c0392b"}
    entered = {names[b] for a, b, _colour in edges if a.startswith("in")}
    return dead, red, entered


def test_a_flow_page_shows_the_dead_ends_of_where_touchpoints_enter_the_flow(
    tmp_path: Path,
) -> None:
    """The flow page, its drawing and the journey page follow the flow from
    the step a touchpoint links (flow: ivr#STEP), as flow-way-out does."""
    # From MainMenu every path reaches Agent: the start's Bye and the unlinked
    # Late are no dead ends of this touchpoint's callers, for check or the site.
    found, site = _entered_site(tmp_path / "main", "MainMenu")
    assert found == []
    ok = '<span class="jc-badge jc-flow-ok">every path reaches a person</span>'
    assert f"MainMenu](flows/ivr.md) | {ok} |" in site.pages["call.md"]
    page = site.markdown()["flows/ivr.md"]
    assert ok in page and "None: every path reaches a person" in page
    assert ok in site.markdown()["flows/index.md"]
    dead, red, entered = _drawn(site.assets["diagrams/flow_ivr.svg"].decode())
    assert dead == set() and entered == {"MainMenu"}
    assert red == {"MainMenu->Agent"}  # not the start's way to MainMenu: nobody comes that way

    # From Late, a caller who presses nothing is left at the end of the flow,
    # which the start never leads to: check reports it, and so does the site.
    found, site = _entered_site(tmp_path / "late", "Late")
    said = "menu 'Late' → [timeout] → the end of the flow"
    assert found == [f"flow 'ivr' leaves the customer with nobody: {said}"]
    dead_badge = '<span class="jc-badge jc-flow-dead">1 dead end</span>'
    assert f"Late](flows/ivr.md) | {dead_badge} |" in site.pages["call.md"]
    page = site.markdown()["flows/ivr.md"]
    assert dead_badge in page
    assert "1. menu &#39;Late&#39; → &#91;timeout&#93; → the end of the flow" in page
    dead, red, entered = _drawn(site.assets["diagrams/flow_ivr.svg"].decode())
    assert dead == {"Late"} and entered == {"Late"}
    assert red == {"Late->Agent"}


# The process's last words: how many objects the cycle collector was kept from
# scanning once more as it exited. Registered before MkDocs runs, so it runs
# after every exit handler the build registers.
EXITING = """
import atexit, gc, sys
from mkdocs.__main__ import cli
atexit.register(lambda: print("frozen", gc.get_freeze_count()))
cli(sys.argv[1:])
"""


def test_a_build_leaves_the_collector_nothing_to_scan_at_exit(tmp_path: Path) -> None:
    """The interpreter's last collections would scan every object the build
    made only to free it: the plugin moves them out of their sight at exit."""
    project = _project(tmp_path, "mkdocs", ROOT / "maps")
    run = _build(project, tmp_path, ("-c", EXITING))
    assert run.returncode == 0, run.stderr
    frozen = int(run.stdout.split("frozen")[-1])
    assert frozen > 10_000, run.stdout


def test_a_persona_page_has_a_row_a_journey(tmp_path: Path) -> None:
    """A persona's journeys, a row each: the touchpoints it uses, its emotion
    in each stage (the mean of those touchpoints', as the emotion curve draws
    it), where it has no path, and its channels; no touchpoint of its own."""
    write_files(
        tmp_path,
        {
            "catalog.yaml": """\
personas:
  - {id: p, name: Pat}
  - {id: q, name: Quinn}
channels:
  - {id: app, name: App, type: digital, mode: self-service, hours: 24/7}
  - {id: phone, name: Phone, type: voice, mode: assisted, hours: 24/7}
owners:
  - {id: o, name: Ops, contact: ops@example.com}
""",
            "journey.yaml": """\
journey:
  id: j
  name: Join
  owner: o
  personas: [p, q]
  stages:
    - id: a
      name: Ask
      owner: o
      touchpoints:
        - {id: t1, name: Asks in the app, channel: app, action: Asks, emotion: -2}
        - {id: t2, name: Calls, channel: phone, action: Calls, emotion: {p: 1, q: 2}}
        - {id: t3, name: Waits, channel: phone, action: Waits}
    - id: b
      name: Decide
      owner: o
      touchpoints:
        - {id: t4, name: Quinn alone, channel: app, action: Decides, personas: [q], emotion: 2}
    - id: c
      name: Pay
      owner: o
      touchpoints:
        - {id: t5, name: Pays, channel: app, action: Pays}
""",
        },
    )
    site = build_site(compile_workspace(tmp_path, "maps"), cache=Cache(None), history=None)
    pat, quinn = (
        site.pages[f"personas/{p}.md"].replace("\ue000", "").replace("\ue001", "")  # late names
        for p in "pq"
    )
    channels = "[App](../channels/app.md), [Phone](../channels/phone.md)"
    assert f"| [j](../j.md) | 4 | Ask: -0.5; **Decide: no path**; Pay: — | {channels} |" in pat
    assert "Asks in the app" not in pat
    assert "| [j](../j.md) | 5 | Ask: 0; Decide: &#43;2; Pay: — |" in quinn


def test_no_drawing_child_where_the_cache_cannot_keep_its_drawings(tmp_path: Path) -> None:
    """A child's drawings reach the parent through the diagram cache: with
    none, the parent draws them (on a thread) rather than twice."""
    portfolio.write(tmp_path / "maps", 12, 4)
    compiled = compile_workspace(tmp_path / "maps", "maps")
    asked: list[bool] = []

    def draw(work: Callable[[], dict[str, bytes]], many: bool) -> Callable[[], dict[str, bytes]]:
        asked.append(many)
        return work

    for cache in (Cache(None), Cache(tmp_path / "diagrams")):
        build_site(compiled, cache=cache, history=None, draw=draw)
    assert asked == [False, True]


def test_a_journey_flow_and_a_flow_emotion_draw_two_files(tmp_path: Path) -> None:
    """A journey's drawings are ``JOURNEY.VIEW``: a flow named after a view
    must not draw over the emotion curve of a journey named ``flow``."""
    catalog = (ROOT / "tests" / "cases" / "rules" / "_catalog.yaml").read_text(encoding="utf-8")
    journey = """journey:
  id: flow
  name: Flow
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: menu, name: IVR menu, channel: ivr, flow: "emotion#MainMenu", escalates_to: [agent]}
        - {id: agent, name: Agent, channel: agent-voice}
"""
    files = {"catalog.yaml": catalog, "journey.yaml": journey, "flows/emotion.json": _ENTERED_FLOW}
    write_files(tmp_path, files)
    site = build_site(compile_workspace(tmp_path, ""), cache=Cache(None), history=None)
    drawings = [a for a in site.assets if a.startswith("diagrams/")]
    assert len(drawings) == len(set(drawings)) == len(render.JOURNEY_VIEWS) + 2
    assert "Emotion" in site.assets["diagrams/flow.emotion.svg"].decode()
    assert "MainMenu" in site.assets["diagrams/flow_emotion.svg"].decode()
    flow_page = site.markdown()["flows/emotion.md"]
    assert "(../diagrams/flow_emotion.svg)" in flow_page
    assert "(diagrams/flow.emotion.svg)" in site.pages["flow.md"]


def test_no_page_or_drawing_takes_another_ones_name(tmp_path: Path) -> None:
    """A flow named ``index`` keeps the flows' listing; a flow whose name
    would be a digest keeps apart from one named as that digest; a journey
    with a reserved id keeps apart from one named as its page."""
    catalog = (ROOT / "tests" / "cases" / "rules" / "_catalog.yaml").read_text(encoding="utf-8")
    journeys = {
        f"{ident}.yaml": f"""journey:
  id: {ident}
  name: Journey {ident}
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {{id: agent, name: Agent, channel: agent-voice}}
"""
        for ident in ("coverage", "coverage-journey")
    }
    odd = render.flow_name("a b").removeprefix("flow_")
    flows = {f"flows/{name}.json": _ENTERED_FLOW for name in ("index", "a b", odd)}
    write_files(tmp_path, {"catalog.yaml": catalog, **journeys, **flows})
    site = build_site(compile_workspace(tmp_path, ""), cache=Cache(None), history=None)
    names = [*site.pages, *site.assets]
    assert len(names) == len(set(names))
    assert site.pages["flows/index.md"].startswith('---\ntitle: "Contact flows"')
    assert len([p for p in site.pages if p.startswith("flows/")]) == 4
    assert len([a for a in site.assets if a.startswith("diagrams/flow_")]) == 3
    assert "id `coverage`" in site.markdown()["coverage_journey.md"]
    assert "id `coverage-journey`" in site.markdown()["coverage-journey.md"]


def test_code_in_a_table_cell_shows_as_written() -> None:
    """A field's name in the field reference, as the browser shows it."""
    site = build_site(compile_workspace(ROOT / "maps", "maps"), cache=Cache(None), history=None)
    converted = to_html(site.markdown()["format.md"], extensions=["tables"])
    shown = {unescape(c) for c in re.findall(r"<code>(.*?)</code>", converted)}
    assert "moment_of_truth" in shown
