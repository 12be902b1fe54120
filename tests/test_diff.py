"""`journeycode diff` and `check --new-since`, run in this process.

Scenarios are data (tests/cases/diff/scenarios.yaml): the sample maps, and a
copy of them edited, compared by meaning as two folders. A real git repository
is made where git is what is tested (the working tree untouched, merge-bases,
shallow clones, REV:PATH) or the output names the revision; a real process
where the terminal or the hash seed is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from journeycode.compiler import compile_workspace
from journeycode.render.graphviz import Cache
from journeycode.review.changes import KINDS
from journeycode.site.generator import build_site
from tests.conftest import (
    CASES,
    COMMENT_TAGS,
    ENV,
    ROOT,
    comment_html,
    comment_tags,
    compare_golden,
    invoke,
    on_a_terminal,
    write_files,
)

SCENARIOS = yaml.safe_load((CASES / "diff" / "scenarios.yaml").read_text("utf-8"))["scenarios"]
SCRIPT = Path(sys.executable).with_name("journeycode")
GOLDEN = ROOT / "tests" / "golden" / "diff"
PROCESS_ENV = {**os.environ, **ENV}


def _git(cwd: Path, *args: str) -> str:
    run = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def _repository(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A repository with the sample maps (and ``files`` in maps/) on main, on a new branch."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "maps", repo / "maps")
    for name, content in (files or {}).items():
        (repo / "maps" / name).write_text(content, "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "The sample maps")
    _git(repo, "checkout", "-q", "-b", "change")
    return repo


def _folders(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """The sample maps (and ``files``) in base/, and a copy of them in maps/ to
    edit: ``journeycode diff base maps`` in ``tmp_path`` names files as
    ``journeycode diff main`` does in a repository."""
    base = tmp_path / "base"
    shutil.copytree(ROOT / "maps", base)
    for name, content in (files or {}).items():
        (base / name).write_text(content, "utf-8")
    shutil.copytree(base, tmp_path / "maps")
    return tmp_path


def _diff(folders: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    """``journeycode diff base maps ARGS`` on the folders of :func:`_folders`."""
    return invoke(folders, "diff", "base", "maps", *args, env=env)


def _apply(maps: Path, scenario: dict[str, Any]) -> None:
    for name, content in scenario.get("head_files", {}).items():
        if content is None:
            (maps / name).unlink()
        else:
            (maps / name).write_text(content, "utf-8")
    for source, target in scenario.get("moves", {}).items():
        (maps / target).parent.mkdir(parents=True, exist_ok=True)
        (maps / source).rename(maps / target)
    for edit in scenario.get("edits", []):
        path = maps / edit["file"]
        text = path.read_text("utf-8")
        # An edit with `all: true` is made wherever its text is (an id renamed in a file).
        assert text.count(edit["old"]) >= 1 if edit.get("all") else text.count(edit["old"]) == 1
        path.write_text(text.replace(edit["old"], edit["new"]), "utf-8")


def _said(scenario: dict[str, Any], run: Result) -> None:
    """The run reported the scenario's changes and exited as it expects."""
    assert run.exit_code == scenario["exit"], run.stderr
    document = json.loads(run.stdout)
    said = [f"{c['level']} {c['kind']}: {c['message']}" for c in document["changes"]]
    assert said == scenario["expect"]
    if "problems" in scenario:
        problems = document["problems"]
        matched = {
            "new": [f"{p['rule']}: {p['message']}" for p in problems["introduced"]],
            "fixed": [f"{p['rule']}: {p['message']}" for p in problems["fixed"]],
            "changed": [
                f"{p['head']['rule']}: {p['base']['message']} → {p['head']['message']}"
                for p in problems["changed"]
            ],
        }
        assert matched == scenario["problems"]
        # Both sides of a changed problem are named: BASE's from BASE's maps.
        assert all(p["base"]["subject"] == p["head"]["subject"] for p in problems["changed"])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s["name"])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    folders = _folders(tmp_path, scenario.get("base_files"))
    _apply(folders / "maps", scenario)
    _said(scenario, _diff(folders, "--format", "json"))


@pytest.mark.parametrize(
    "name",
    [
        "a journey moved to another file is no change",
        "the catalog - KPIs added, removed and measured, entries removed",
    ],
)
def test_a_scenario_against_a_revision_reads_it_from_git_alone(name: str, tmp_path: Path) -> None:
    """As on two folders, and the working tree and the index are left as they were."""
    scenario = next(s for s in SCENARIOS if s["name"] == name)
    repo = _repository(tmp_path, scenario.get("base_files"))
    _apply(repo / "maps", scenario)
    status = _git(repo, "status", "--porcelain")
    _said(scenario, invoke(repo, "diff", "main", "--format", "json"))
    assert _git(repo, "status", "--porcelain") == status


def test_every_change_kind_has_a_scenario() -> None:
    seen = {line.split()[1].rstrip(":") for s in SCENARIOS for line in s["expect"]}
    assert sorted(KINDS.keys() - seen) == []


def test_every_change_kind_is_listed_with_its_level(tmp_path: Path) -> None:
    run = invoke(tmp_path, "diff", "--list-kinds")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == len(KINDS)
    for line in lines:
        ident, level, *_ = line.split()
        assert KINDS[ident].level.name.lower() == level


def test_the_site_documents_every_change_kind_and_the_levels_in_force(tmp_path: Path) -> None:
    folders = _folders(tmp_path, {"journeycode.yaml": "diff: {waiver-added: notable}\n"})
    compiled = compile_workspace(folders / "base", "maps")
    page = build_site(compiled, cache=Cache(None), history=None).pages["changes.md"]
    rows = re.findall(r"^\| <code>([a-z-]+)</code> (.*)$", page, re.M)
    assert [ident for ident, _ in rows] == sorted(KINDS, key=lambda k: (-KINDS[k].level, k))
    for ident, row in rows:
        default = str(KINDS[ident].level)
        level = "notable" if ident == "waiver-added" else default
        assert row.startswith(f"| {default} | {level} | {KINDS[ident].summary}")
    assert "These maps change 1 of them" in page


def test_check_new_since_reports_only_problems_the_base_did_not_have(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    before = invoke(repo, "check", "maps", "--new-since", "main", "--format", "json")
    assert json.loads(before.stdout)["problems"] == []
    path = repo / "maps" / "journeys" / "billing-dispute.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("channel: webchat", "channel: web-chat", 1), "utf-8")
    after = invoke(repo, "check", "maps", "--new-since", "main", "--format", "json")
    assert after.exit_code == 1
    problems = json.loads(after.stdout)["problems"]
    assert [p["message"] for p in problems] == ["unknown channel 'web-chat'"]


def test_a_shallow_clone_without_the_base_says_how_to_fetch_it(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    _git(repo, "checkout", "-q", "main")
    (repo / "maps" / "extra.yaml").write_text("owners: [{id: x, name: X}]\n", "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Second")
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    run = invoke(shallow, "diff", "HEAD~1")
    assert run.exit_code == 2
    assert "git fetch --unshallow origin" in run.stderr
    assert "Traceback" not in run.stderr


HOSTILE = [
    "</details><img src=x onerror=alert(1)>",
    "| forged | cells |",
    "[click](javascript:alert(1)) <!-- hidden",
    "</summary>**bold** `tick` ```",
]


def _hostile_folders(tmp_path: Path) -> Path:
    """Hostile text in every field a change shows: a new touchpoint's name, a
    journey renamed (table, heading, message; with a line break), a waiver's
    reason, a channel's hours (a version must be semantic: no room for any)."""
    folders = _folders(tmp_path)
    journey = folders / "maps" / "journeys" / "cancel-retention.yaml"
    channels = folders / "maps" / "catalog" / "channels.yaml"
    edits = [
        (
            journey,
            "        - id: contract-end-letter\n",
            f"        - {{id: evil, name: {json.dumps(HOSTILE[0])}, channel: callback}}\n"
            "        - id: contract-end-letter\n",
        ),
        (
            journey,
            "  name: Leave, or be given a reason to stay\n",
            f"  name: {json.dumps(HOSTILE[1] + chr(10) + HOSTILE[3])}\n",
        ),
        (
            journey,
            "          escalates_to: [cancel-chat]\n",
            "          escalates_to: [cancel-chat]\n"
            f"          waive: {{context-handoff: {json.dumps(HOSTILE[2])}}}\n",
        ),
        (channels, '    hours: "Posted daily"\n', f"    hours: {json.dumps(HOSTILE[2])}\n"),
    ]
    for path, old, replacement in edits:
        text = path.read_text("utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, replacement), "utf-8")
    return folders


def test_hostile_text_in_every_changed_field_stays_text(tmp_path: Path) -> None:
    folders = _hostile_folders(tmp_path)
    run = _diff(folders, "--format", "markdown", "--fail-on", "never", "--diagrams", "d")
    assert run.exit_code == 0, run.stderr
    comment = comment_html(run.stdout)
    assert comment_tags(run.stdout) <= COMMENT_TAGS, comment
    assert "href" not in comment and "<code>tick</code>" not in comment
    assert comment.count("<details") == comment.count("</details>") == 3
    rows = [line for line in run.stdout.splitlines() if line.startswith("|")]
    assert len(rows) == 4 and all(row.replace("\\|", "").count("|") == 5 for row in rows), rows
    assert "forged" in run.stdout and "javascript" in run.stdout  # shown, as text
    json_run = _diff(folders, "--format", "json", "--fail-on", "never")
    messages = " ".join(c["message"] for c in json.loads(json_run.stdout)["changes"])
    assert all(h in messages for h in HOSTILE[1:3])
    svg = (folders / "d" / "cancel-retention.change.svg").read_text("utf-8")
    assert "<img" not in svg and "&lt;/details&gt;&lt;img src=x" in svg


def test_a_base_with_schema_errors_is_still_compared_and_says_so(tmp_path: Path) -> None:
    folders = _folders(tmp_path, {"broken.yaml": "owners:\n  - {id: x, name: X, colour: red}\n"})
    (folders / "maps" / "broken.yaml").write_text("owners:\n  - {id: x, name: X}\n", "utf-8")
    run = _diff(folders)
    assert run.exit_code == 0, run.stderr
    assert "note: base has" in run.stdout and "has 1 load or schema error(s)" in run.stdout
    assert "1 info change in the catalog\n" in run.stdout
    assert "info      catalog-added  maps/broken.yaml:2:10" in run.stdout
    assert "  - maps/broken.yaml:2:22: error: unknown key 'colour'" in run.stdout


def test_levels_can_be_changed_in_the_settings(tmp_path: Path) -> None:
    folders = _folders(tmp_path, {"journeycode.yaml": "diff: {kpi-target-loosened: info}\n"})
    path = folders / "maps" / "catalog" / "kpis.yaml"
    path.write_text(path.read_text("utf-8").replace("target: 420\n", "target: 480\n"), "utf-8")
    run = _diff(folders, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert [c["level"] for c in json.loads(run.stdout)["changes"]] == ["info"]
    strict = _diff(folders, "--fail-on", "notable")
    assert strict.exit_code == 0
    settings = folders / "maps" / "journeycode.yaml"
    settings.write_text("diff: {kpi-target-loosend: info}\n", "utf-8")
    wrong = _diff(folders)
    assert wrong.exit_code == 2
    assert "did you mean 'kpi-target-loosened'?" in wrong.stderr


def _readme_branch(tmp_path: Path) -> Path:
    """The README's example: the AHT target loosened, the cancel FAQ's escalation dropped."""
    repo = _repository(tmp_path)
    kpis = repo / "maps" / "catalog" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8").replace("target: 420\n", "target: 480\n"), "utf-8")
    journey = repo / "maps" / "journeys" / "cancel-retention.yaml"
    journey.write_text(
        journey.read_text("utf-8").replace("          escalates_to: [cancel-chat]\n", "", 1),
        "utf-8",
    )
    return repo


def test_the_readme_example_prints_what_it_shows(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Reviewing a change") :]
    block = section[section.index("```console\n") + 11 : section.index("```\n", 20)]
    command, *shown = block.splitlines()
    assert command == "$ .venv/bin/journeycode diff main"
    repo = _readme_branch(tmp_path)
    run = invoke(repo, "diff", "main")
    assert run.exit_code == 1
    sha = _git(repo, "rev-parse", "--short=7", "main").strip()
    assert run.stdout.replace(sha, "66b22a5").splitlines() == shown


def test_the_pull_request_comment_matches_its_golden_file(tmp_path: Path) -> None:
    repo = _readme_branch(tmp_path)
    run = invoke(repo, "diff", "main", "--format", "markdown")
    assert run.exit_code == 1, run.stderr
    sha = _git(repo, "rev-parse", "--short=7", "main").strip()
    compare_golden(run.stdout.replace(sha, "0000000"), GOLDEN / "comment.md")


def test_github_annotates_breaking_and_notable_changes_on_their_lines(tmp_path: Path) -> None:
    repo = _readme_branch(tmp_path)
    run = invoke(repo, "diff", "main", "--format", "github")
    assert run.exit_code == 1, run.stderr
    sha = _git(repo, "rev-parse", "--short=7", "main").strip()
    sides = f"main ({sha}) → working tree"
    journey = "maps/journeys/cancel-retention.yaml"
    faq = '«"How do I cancel?" article» (cancel-faq)'
    assert run.stdout.splitlines() == [
        "::error file=maps/catalog/kpis.yaml,line=14,col=13,title=journeycode diff%3A "
        "kpi-target-loosened::KPI «Average handle time» (aht): target loosened, "
        f"7 min → 8 min (lower is better) (breaking; {sides})",
        f"::error file={journey},line=23,col=15,title=journeycode diff%3A way-out-lost::"
        f"touchpoint {faq} on «Help centre (FAQ and knowledge base)» (help-centre) "
        f"no longer reaches a human (breaking; {sides})",
        f"::warning file={journey},line=11,col=12,title=journeycode diff%3A version-not-bumped::"
        "journey «Leave, or be given a reason to stay» (cancel-retention) changed but its "
        f"version is still 1.2.0: a patch bump would be 1.2.1 (notable; {sides})",
        f"::warning file={journey},line=23,col=15,title=journeycode diff%3A escalation-changed::"
        f"touchpoint {faq} escalations: removed «Cancellation chat» (cancel-chat) "
        f"(notable; {sides})",
    ]


def test_github_keeps_a_hostile_message_on_one_line(tmp_path: Path) -> None:
    folders = _folders(tmp_path)
    path = folders / "maps" / "journeys" / "cancel-retention.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "          escalates_to: [cancel-chat]\n",
            '          waive: {escalation-path: "a\\n::error::forged, 100%"}\n',
            1,
        ),
        "utf-8",
    )
    run = _diff(folders, "--format", "github")
    lines = run.stdout.splitlines()
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines), lines
    assert any("a%0A::error::forged, 100%25" in line for line in lines)


@pytest.mark.slow
def test_text_is_coloured_on_a_terminal_only(tmp_path: Path) -> None:
    """The console script on a real terminal, against a real revision."""
    repo = _readme_branch(tmp_path)
    env = {k: v for k, v in PROCESS_ENV.items() if k != "NO_COLOR"}
    shown = on_a_terminal([str(SCRIPT), "diff", "main"], repo, env)
    assert "\x1b[31mbreaking\x1b[0m" in shown and "\x1b[33mnotable \x1b[0m" in shown
    assert "\x1b[" not in on_a_terminal([str(SCRIPT), "diff", "main"], repo, PROCESS_ENV)
    assert "\x1b[" not in invoke(repo, "diff", "main", env={"NO_COLOR": None}).stdout


def _scenario_folders(tmp_path: Path, name: str) -> Path:
    scenario = next(s for s in SCENARIOS if s["name"] == name)
    folders = _folders(tmp_path, scenario.get("base_files"))
    _apply(folders / "maps", scenario)
    return folders


@pytest.mark.parametrize(
    ("scenario", "journey"),
    [
        ("stages and touchpoints added, removed, moved, reordered and reassigned", "zz"),
        (
            "a self-service step loses its way to a human, hidden by a new waiver",
            "cancel-retention",
        ),
    ],
)
def test_diagrams_of_the_change_match_their_golden_files(
    scenario: str, journey: str, tmp_path: Path
) -> None:
    """Added in green, changed in amber, removed as dashed grey ghosts where they were."""
    folders = _scenario_folders(tmp_path, scenario)
    run = _diff(folders, "--diagrams", "pictures", "--format", "markdown")
    assert run.exit_code == 1, run.stderr
    assert f"Diagrams of the change (artifacts): `pictures/{journey}.change.svg`\n" in run.stdout
    assert sorted(p.name for p in (folders / "pictures").iterdir()) == [f"{journey}.change.svg"]
    svg = (folders / "pictures" / f"{journey}.change.svg").read_text("utf-8")
    compare_golden(svg, GOLDEN / f"{journey}.change.svg")


@pytest.mark.slow
def test_diagrams_of_the_change_are_the_same_on_every_run(tmp_path: Path) -> None:
    """Real processes, two hash seeds."""
    folders = _scenario_folders(
        tmp_path, "stages and touchpoints added, removed, moved, reordered and reassigned"
    )
    pictures = []
    for seed in ("1", "31337"):
        out = tmp_path / f"out{seed}"
        command = ["diff", "base", "maps", "--diagrams", str(out), "--diagram-format", "png"]
        run = subprocess.run(
            [str(SCRIPT), *command],
            cwd=folders,
            env={**PROCESS_ENV, "PYTHONHASHSEED": seed, "JOURNEYCODE_CACHE_DIR": f"{out}/cache"},
            capture_output=True,
            check=False,
        )
        assert run.returncode == 1, run.stderr
        pictures.append((out / "zz.change.png").read_bytes())
    assert pictures[0] == pictures[1] and pictures[0].startswith(b"\x89PNG")


FLOW_SCENARIO = "contact flows changed, added and removed"
FLOW_PICTURES = [
    "flow_billing-ivr.change.svg",
    "flow_new-bot.change.svg",
    "flow_old-ivr.change.svg",
]


def test_diagrams_of_a_flow_change_match_their_golden_files(tmp_path: Path) -> None:
    """The billing IVR's menu loses option 5 (dashed grey), its timeout now
    hangs up (the path to the disconnect red, the disconnect saying it reaches
    no one), its queue changes (both said on the step); one flow added in
    green, one removed in grey. The comment draws the changed part in Mermaid."""
    folders = _scenario_folders(tmp_path, FLOW_SCENARIO)
    run = _diff(folders, "--diagrams", "pictures", "--format", "markdown")
    assert run.exit_code == 1, run.stderr
    assert sorted(p.name for p in (folders / "pictures").iterdir()) == FLOW_PICTURES
    listed = ", ".join(f"`pictures/{name}`" for name in FLOW_PICTURES)
    assert f"Diagrams of the change (artifacts): {listed}\n" in run.stdout
    svg = (folders / "pictures" / FLOW_PICTURES[0]).read_text("utf-8")
    compare_golden(svg, GOLDEN / FLOW_PICTURES[0])
    assert "no longer reaches a person" in svg and "queue: billing → billing&#45;general" in svg
    compare_golden(run.stdout, GOLDEN / "flows-comment.md")
    document = json.loads(_diff(folders, "--format", "json").stdout)
    assert {c["flow"] for c in document["changes"]} == {"billing-ivr", "new-bot", "old-ivr"}
    text = _diff(folders, "--diagrams", "again")
    assert "Diagrams of the change\n  again/flow_billing-ivr.change.svg\n" in text.stdout


def test_a_flow_of_250_steps_is_drawn_as_its_changed_part(tmp_path: Path) -> None:
    """Amazon Connect's largest flow, its 150th menu's timeout now hanging up:
    the picture draws the new dead end, the menu and the path's last steps,
    60 steps at most, and says how many of the 251 it draws."""
    from benchmarks.run import contact_flow

    flow = contact_flow(0, 250, 1)
    folders = _folders(tmp_path, {"flows/big.json": json.dumps(flow, indent=1)})
    actions: list[dict[str, Any]] = flow["Actions"]  # type: ignore[assignment]
    menu = next(a for a in actions if a["Identifier"] == "a151")
    menu["Transitions"]["Errors"][0]["NextAction"] = "hangup"
    actions.append({"Identifier": "hangup", "Type": "DisconnectParticipant", "Transitions": {}})
    (folders / "maps" / "flows" / "big.json").write_text(json.dumps(flow, indent=1), "utf-8")
    run = _diff(folders, "--diagrams", "pictures", "--format", "markdown")
    assert run.exit_code == 1, run.stderr
    assert "a path now ends with nobody" in run.stdout
    svg = (folders / "pictures" / "flow_big.change.svg").read_text("utf-8")
    steps = re.findall(r'<g id="node\d+" class="node">\s*<title>(s\d+)</title>', svg)
    assert 10 <= len(steps) <= 60, len(steps)
    assert f"{len(steps)} of 251 steps drawn: the changed ones and their neighbours" in svg
    assert ">hangup<" in svg and ">a151<" in svg and ">a150<" in svg
    assert "no longer reaches a person" in svg and "steps not drawn" in svg
    chart = run.stdout[run.stdout.index("```mermaid\n") + 11 :]
    chart = chart[: chart.index("```\n")]
    assert 10 <= chart.count('"]') - 1 <= 60 and "hangup" in chart


FLOW_HOSTILE = [
    "</text><script>alert(1)</script>",
    '"]; x -> y [label="pwned',
    "</details><img src=x onerror=alert(1)>",
    "```\n@everyone #1 &amp; `tick`",
]


def _hostile_flow(states: list[tuple[str, str, str | None]]) -> str:
    """A Studio flow of (name, type, next) states, the first the start."""
    return json.dumps(
        {
            "initial_state": states[0][0],
            "states": [
                {
                    "name": name,
                    "type": kind,
                    "properties": {"workflow": name} if kind == "send-to-flex" else {},
                    "transitions": [{"event": "next", **({"next": to} if to else {})}],
                }
                for name, kind, to in states
            ],
        }
    )


def test_hostile_step_names_stay_text_in_the_flow_pictures(tmp_path: Path) -> None:
    """Step names and a flow's file name that would close an SVG text, a DOT
    string, a comment's <details> or a Markdown fence, or ping someone: the
    picture and the comment show them as text."""
    a, b, c, d = FLOW_HOSTILE
    name = "flows/<b onclick=x>ivr &amp;.json"
    folders = _folders(
        tmp_path, {name: _hostile_flow([(a, "say-play", b), (b, "send-to-flex", None)])}
    )
    (folders / "maps" / name).write_text(
        _hostile_flow([(a, "say-play", c), (c, "say-play", d), (d, "say-play", None)]), "utf-8"
    )
    run = _diff(folders, "--diagrams", "pictures", "--format", "markdown")
    assert run.exit_code == 1, run.stderr
    assert "a path now ends with nobody" in run.stdout
    (picture,) = (folders / "pictures").iterdir()
    svg = picture.read_text("utf-8")
    assert picture.name.startswith("flow_") and "<" not in picture.name
    assert "<script" not in svg and "<img" not in svg and 'pwned"' not in svg
    assert "&lt;/text&gt;&lt;script&gt;" in svg and "&lt;img src=x" in svg
    assert "&quot;]; x &#45;&gt; y [label=&quot;pwned" in svg and "@everyone #1 &amp;amp;" in svg
    assert svg.count('class="node"') == 1 + 4 + 2 + 1  # start, 4 steps, 2 ends, the legend
    assert comment_tags(run.stdout) <= COMMENT_TAGS
    comment = comment_html(run.stdout)
    assert "<img" not in comment and "<script" not in comment and "<b onclick" not in comment
    chart = run.stdout[run.stdout.index("```mermaid\n") + 11 :]
    chart = chart[: chart.index("```\n")]
    assert "@everyone" not in chart and "<script" not in chart and '"]; x' not in chart
    assert len(chart.splitlines()) > 5 and "`" not in chart


def test_a_way_out_lost_in_a_sub_flow_is_drawn_on_the_step_that_runs_it(tmp_path: Path) -> None:
    """The helper flow the main one runs hangs up where it transferred: the
    main flow's picture marks its sub-flow step, naming the flow the path ends in."""

    def main(helper_ends: bool) -> dict[str, str]:
        runs = {"flow_sid": "helper"}
        states = [
            {"name": "Hello", "type": "say-play", "transitions": [{"event": "x", "next": "Run"}]},
            {"name": "Run", "type": "run-subflow", "properties": runs, "transitions": []},
        ]
        helper: list[dict[str, Any]] = [
            {"name": "Agent", "type": "send-to-flex", "properties": {"workflow": "w"}}
        ]
        if helper_ends:
            helper = [{"name": "Agent", "type": "say-play", "transitions": [{"event": "x"}]}]
        return {
            "flows/main.json": json.dumps({"initial_state": "Hello", "states": states}),
            "flows/helper.json": json.dumps({"initial_state": "Agent", "states": helper}),
        }

    folders = _folders(tmp_path, main(helper_ends=False))
    write_files(folders / "maps", main(helper_ends=True))
    run = _diff(folders, "--diagrams", "pictures", "--format", "json")
    assert run.exit_code == 1, run.stderr
    lost = [c for c in json.loads(run.stdout)["changes"] if c["kind"] == "flow-way-out-lost"]
    assert [c["flow"] for c in lost] == ["main"], lost
    svg = (folders / "pictures" / "flow_main.change.svg").read_text("utf-8")
    assert "✖ no longer reaches a person (in</text>" in svg and ">flow helper)</text>" in svg
    # The helper's own change (its queue gone) is drawn in its own picture.
    assert (folders / "pictures" / "flow_helper.change.svg").is_file()


def test_diff_runs_on_the_projects_own_history() -> None:
    """``journeycode diff HEAD~3`` in this very checkout, as the README's done-when asks."""
    shallow = _git(ROOT, "rev-parse", "--is-shallow-repository").strip() == "true"
    has_base = (
        subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD~3^{commit}"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    run = invoke(ROOT, "diff", "HEAD~3", "--fail-on", "never")
    if shallow and not has_base:
        # A CI checkout with too little history: the answer is how to fetch it.
        assert run.exit_code == 2 and "git fetch" in run.stderr, run.stderr
        return
    assert run.exit_code == 0, run.stderr
    sha = _git(ROOT, "rev-parse", "--short=7", "HEAD~3").strip()
    assert run.stdout.startswith(f"journeycode diff: HEAD~3 ({sha}) → working tree\n")
    assert "\nCoverage\n  portfolio: " in run.stdout


def test_two_folders_are_compared_and_named_as_in_the_head_folder(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "before")
    shutil.copytree(ROOT / "maps", tmp_path / "after")
    kpis = tmp_path / "after" / "catalog" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8").replace("target: 420\n", "target: 400\n"), "utf-8")
    run = invoke(tmp_path, "diff", "before", "after")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[:6] == [
        "journeycode diff: before → after",
        "1 notable change in the catalog",
        "",
        "Catalog",
        "  notable   kpi-target-tightened  after/catalog/kpis.yaml:14:13",
        "      KPI «Average handle time» (aht): target tightened, 7 min → 6 min 40 s "
        "(lower is better)",
    ]


def test_the_default_base_is_the_merge_base_with_the_default_branch(tmp_path: Path) -> None:
    """Changes main made after the branch started are not the branch's."""
    repo = _repository(tmp_path)
    fork = _git(repo, "rev-parse", "--short=7", "HEAD").strip()
    kpis = repo / "maps" / "catalog" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8").replace("target: 420\n", "target: 400\n"), "utf-8")
    _git(repo, "commit", "-qam", "On the branch: AHT 420 → 400")
    _git(repo, "checkout", "-q", "main")
    channels = repo / "maps" / "catalog" / "channels.yaml"
    text = channels.read_text("utf-8")
    channels.write_text(text.replace('hours: "Posted daily"', 'hours: "Mon-Fri"'), "utf-8")
    _git(repo, "commit", "-qam", "On main, later: letter hours")
    _git(repo, "checkout", "-q", "change")
    run = invoke(repo, "diff", "--format", "json")
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["base"] == f"merge-base with main ({fork})"
    assert [c["kind"] for c in document["changes"]] == ["kpi-target-tightened"]


def test_rev_path_compares_maps_that_moved_to_another_folder(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    _git(repo, "mv", "maps", "cx-maps")
    _git(repo, "commit", "-qm", "The maps move")
    run = invoke(repo, "diff", "main:maps", "HEAD", "cx-maps")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[1] == "no changes"
    head_run = invoke(repo, "diff", "main:maps", "HEAD:cx-maps", "cx-maps", "--format", "json")
    assert json.loads(head_run.stdout)["changes"] == []


def test_from_a_sub_folder_the_workspace_is_found(tmp_path: Path) -> None:
    """With no PATH, diff compares the workspace found going up from where it
    runs, and names its files from there."""
    repo = _readme_branch(tmp_path)
    at_top = invoke(repo, "diff", "main", "--format", "json")
    below = invoke(repo / "maps" / "journeys", "diff", "main", "--format", "json")
    assert below.exit_code == at_top.exit_code == 1, below.stderr
    assert '"../journeys/cancel-retention.yaml"' in below.stdout
    assert below.stdout.replace('"../', '"maps/') == at_top.stdout


def test_the_comment_for_no_change_is_one_short_line(tmp_path: Path) -> None:
    run = _diff(_folders(tmp_path), "--format", "markdown")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "### journeycode: no changes\n\nbase → maps: the maps mean the same.\n"


def test_the_comment_puts_breaking_changes_first_with_why_they_matter(tmp_path: Path) -> None:
    run = invoke(_readme_branch(tmp_path), "diff", "main", "--format", "markdown")
    first, *_ = run.stdout.split("<details")
    assert "#### Breaking changes (2)" in first
    assert "why it matters: A KPI target now asks for less (direction-aware)." in first
    assert "why it matters: rule `escalation-path`: A self-service or automated step" in first
    # The rest is folded away: the notable changes, and the problems open when new.
    html = comment_html(run.stdout)
    assert html.count("<details") == 2 and "<details open><summary>Problems: 1 new" in html
    assert "version-not-bumped" not in first and "```mermaid\nflowchart LR\n" in run.stdout


def _many_changes(tmp_path: Path) -> Path:
    """Forty new journeys of twenty-five touchpoints each, with long names."""
    folders = _folders(tmp_path)
    for j in range(40):
        touchpoints = [
            {
                "id": f"t{n}",
                "name": f"Step {n} of journey {j}, " + "long " * 12,
                "channel": "webchat",
            }
            for n in range(25)
        ]
        journey = {
            "id": f"big-{j:02}",
            "name": f"Big journey {j}",
            "personas": ["busy-parent"],
            "stages": [{"id": "s", "name": "S", "owner": "cx-design", "touchpoints": touchpoints}],
        }
        path = folders / "maps" / "journeys" / f"big-{j:02}.yaml"
        path.write_text(yaml.safe_dump({"journeycode": 1, "journey": journey}), "utf-8")
    return folders


def test_a_cut_comment_keeps_what_fits_in_order_breaking_changes_and_problems_first(
    tmp_path: Path,
) -> None:
    """Three breaking changes, forty-one journeys' sections and 1,162 problems: at
    any limit, the headline, every breaking change under its heading, and as
    many problems as fit, in their closed section; a later part that fits is
    kept after one that does not, and the note counts only what is cut."""
    folders = _many_changes(tmp_path)
    edits = [
        {"file": "catalog/kpis.yaml", "old": "    target: 420\n", "new": "    target: 480\n"},
        {
            "file": "journeys/cancel-retention.yaml",
            "old": "          escalates_to: [cancel-chat]\n",
            "new": "          waive: {escalation-path: Chat is replaced by callback in Q1}\n",
        },
    ]
    _apply(folders / "maps", {"edits": edits})
    whole = _diff(folders, "--format", "markdown", "--max-chars", "10000000").stdout
    problems = re.findall(r"^- (?:new|fixed): .*", whole, re.M)
    journeys = re.findall(r"^<details><summary>(.*)</summary>$", whole, re.M)
    assert len(problems) == 1162 and len(journeys) == 41
    gaps = 0
    for limit in (6_000, 12_000, 30_000, 65_535):
        cut = _diff(folders, "--format", "markdown", "--max-chars", str(limit)).stdout
        assert len(cut) <= limit - 256
        assert cut.count("why it matters") == 3 and "#### Breaking changes (3)\n\n- **" in cut
        html = comment_html(cut)
        assert html.count("<details") == html.count("</details>") == 1, limit
        assert "<summary>Problems: 1160 new" in cut and "\n</details>\n" in cut
        kept = re.findall(r"^- (?:new|fixed): .*", cut, re.M)
        assert kept and _in_order(kept, problems), limit
        gaps += kept != problems[: len(kept)]
        shown = re.findall(r"^<details><summary>(.*)</summary>$", cut, re.M)
        said = re.search(r"^_(\d+) more part\(s\) of the review are cut", cut, re.M)
        assert said and int(said[1]) == len(problems) - len(kept) + len(journeys) - len(shown)
    assert gaps > 0, "a smaller problem after one that did not fit"


def _charts(comment: str) -> list[str]:
    return re.findall(r"^```mermaid\n.*?^```$", comment, re.M | re.S)


def _in_order(some: list[str], every: list[str]) -> bool:
    """Whether ``some`` are items of ``every`` in its order."""
    rest = iter(every)
    return all(item in rest for item in some)


def test_the_summary_url_is_an_http_url_percent_encoded_in_its_link(tmp_path: Path) -> None:
    folders = _many_changes(tmp_path)
    url = "https://h.example/o/r/runs/7 (retry)"
    cut = _diff(folders, "--format", "markdown", "--summary-url", url)
    assert cut.exit_code == 0, cut.output
    assert "[the job summary](https://h.example/o/r/runs/7%20%28retry%29)" in cut.stdout
    # The notes of the pictures and of the parts left out link to it, and nothing else does.
    targets = re.findall(r'href="([^"]*)"', comment_html(cut.stdout))
    assert targets == ["https://h.example/o/r/runs/7%20%28retry%29"] * 2
    for wrong in ("javascript:alert(1)", "h.example/runs/7", "mailto:a@b.co"):
        refused = _diff(folders, "--format", "markdown", "--summary-url", wrong)
        assert refused.exit_code == 2 and refused.stdout == ""
        assert f"--summary-url '{wrong}' is not an http(s) URL" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_a_long_comment_drops_its_pictures_then_whole_sections_with_a_link(
    tmp_path: Path,
) -> None:
    folders = _many_changes(tmp_path)
    url = "https://github.example/o/r/actions/runs/7"
    env: dict[str, str | None] = {
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_RUN_ID": None,
    }
    whole = _diff(folders, "--format", "markdown", "--max-chars", "10000000", env=env)
    assert whole.stdout.count("```mermaid") == 40 and "cut" not in whole.stdout
    assert len(whole.stdout) > 200_000
    # No run id: no link, the CLI is named instead.
    cut = _diff(folders, "--format", "markdown", env=env)
    assert len(cut.stdout) <= 65_535 - 256 and "```mermaid" not in cut.stdout
    assert "_The pictures of the change are left out" in cut.stdout
    assert "cut to keep it under 65,535 characters, GitHub's limit: " in cut.stdout
    assert "`journeycode diff` prints the whole review" in cut.stdout
    summary = tmp_path / "summary.md"
    linked = _diff(
        folders,
        "--format",
        "markdown",
        "--summary",
        str(summary),
        env={**env, "GITHUB_RUN_ID": "7"},
    )
    assert f"the whole review is in [the job summary]({url})" in linked.stdout
    # The job summary the link points to is the whole review, not a copy of the cut one.
    assert summary.read_text("utf-8") == whole.stdout, len(whole.stdout)
    html = comment_html(linked.stdout)
    # The problems' section, cut item by item, before the journeys' sections.
    assert html.count("<details") == html.count("</details>") == 1
    assert "<summary>Problems: " in html
    # Pictures alone over the limit: the sections stay, the pictures that
    # fit stay, in the review's order, and the note counts the others.
    some = _diff(folders, "--format", "markdown", "--max-chars", str(len(whole.stdout) - 1000))
    assert len(some.stdout) <= len(whole.stdout) - 1000 - 256
    assert "more part(s)" not in some.stdout
    kept = some.stdout.count("```mermaid")
    assert 0 < kept < 40
    assert f"_Of the 40 pictures of the change, {40 - kept} " in some.stdout
    assert _in_order(_charts(some.stdout), _charts(whole.stdout))
