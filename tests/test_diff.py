"""`journeycode diff` and `check --new-since` on real git repositories.

Scenarios are data (tests/cases/diff/scenarios.yaml): the sample maps are
committed on main, edited on a branch, and compared by meaning.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeycode.compiler import compile_workspace
from journeycode.render.graphviz import Cache
from journeycode.review.changes import KINDS
from journeycode.site.generator import build_site
from tests.conftest import CASES, ROOT, compare_golden, on_a_terminal

SCENARIOS = yaml.safe_load((CASES / "diff" / "scenarios.yaml").read_text("utf-8"))["scenarios"]
SCRIPT = Path(sys.executable).with_name("journeycode")
GOLDEN = ROOT / "tests" / "golden" / "diff"
ENV = {**os.environ, "JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}


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


def _journeycode(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], cwd=repo, env=ENV, capture_output=True, text=True, check=False
    )


def _apply(repo: Path, scenario: dict[str, Any]) -> None:
    for name, content in scenario.get("head_files", {}).items():
        if content is None:
            _git(repo, "rm", "-q", f"maps/{name}")
        else:
            (repo / "maps" / name).write_text(content, "utf-8")
    for source, target in scenario.get("moves", {}).items():
        (repo / "maps" / target).parent.mkdir(parents=True, exist_ok=True)
        _git(repo, "mv", f"maps/{source}", f"maps/{target}")
    for edit in scenario.get("edits", []):
        path = repo / "maps" / edit["file"]
        text = path.read_text("utf-8")
        assert text.count(edit["old"]) == 1, edit["old"]
        path.write_text(text.replace(edit["old"], edit["new"]), "utf-8")
    if scenario.get("commit"):
        _git(repo, "commit", "-qam", "Edit")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s["name"])
def test_scenario(scenario: dict[str, Any], tmp_path: Path) -> None:
    repo = _repository(tmp_path, scenario.get("base_files"))
    _apply(repo, scenario)
    status = _git(repo, "status", "--porcelain")
    run = _journeycode(repo, "diff", "main", "--format", "json")
    assert run.returncode == scenario["exit"], run.stderr
    document = json.loads(run.stdout)
    said = [f"{c['level']} {c['kind']}: {c['message']}" for c in document["changes"]]
    assert said == scenario["expect"]
    # Reading the base touched neither the working tree nor the index.
    assert _git(repo, "status", "--porcelain") == status


def test_every_change_kind_has_a_scenario() -> None:
    seen = {line.split()[1].rstrip(":") for s in SCENARIOS for line in s["expect"]}
    assert sorted(KINDS.keys() - seen) == []


def test_every_change_kind_is_listed_with_its_level() -> None:
    run = subprocess.run(
        [str(SCRIPT), "diff", "--list-kinds"], capture_output=True, text=True, check=True
    )
    lines = run.stdout.splitlines()
    assert len(lines) == len(KINDS)
    for line in lines:
        ident, level, *_ = line.split()
        assert KINDS[ident].level.name.lower() == level


def test_the_site_documents_every_change_kind_and_the_levels_in_force(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"journeycode.yaml": "diff: {waiver-added: notable}\n"})
    compiled = compile_workspace(repo / "maps", "maps")
    page = build_site(compiled, cache=Cache(None), history=None).pages["changes.md"]
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == sorted(KINDS, key=lambda k: (-KINDS[k].level, k))
    for row in rows:
        ident = row.split("`")[1]
        default = str(KINDS[ident].level)
        level = "notable" if ident == "waiver-added" else default
        assert row.startswith(f"| `{ident}` | {default} | {level} | {KINDS[ident].summary}")
    assert "These maps change 1 of them" in page


def test_check_new_since_reports_only_problems_the_base_did_not_have(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    before = _journeycode(repo, "check", "maps", "--new-since", "main", "--format", "json")
    assert json.loads(before.stdout)["problems"] == []
    path = repo / "maps" / "journeys" / "billing-dispute.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("channel: webchat", "channel: web-chat", 1), "utf-8")
    after = _journeycode(repo, "check", "maps", "--new-since", "main", "--format", "json")
    assert after.returncode == 1
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
    run = _journeycode(shallow, "diff", "HEAD~1")
    assert run.returncode == 2
    assert "git fetch --unshallow origin" in run.stderr
    assert "Traceback" not in run.stderr


HOSTILE = [
    "</details><img src=x onerror=alert(1)>",
    "| forged | cells |",
    "[click](javascript:alert(1)) <!-- hidden",
    "</summary>**bold** `tick` ```",
]


def _hostile_branch(tmp_path: Path) -> Path:
    """Hostile text in every field a change shows: a new touchpoint's name, a
    journey renamed (table, heading, message; with a line break), a waiver's
    reason, a channel's hours (a version must be semantic: no room for any)."""
    repo = _repository(tmp_path)
    journey = repo / "maps" / "journeys" / "cancel-retention.yaml"
    channels = repo / "maps" / "catalog" / "channels.yaml"
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
    return repo


def test_hostile_text_in_every_changed_field_stays_text(tmp_path: Path) -> None:
    repo = _hostile_branch(tmp_path)
    run = _journeycode(
        repo, "diff", "main", "--format", "markdown", "--fail-on", "never", "--diagrams", "d"
    )
    assert run.returncode == 0, run.stderr
    comment = run.stdout
    for tag in ("<details>", "</details>", "<summary>", "</summary>"):
        comment = comment.replace(tag, "")
    assert "<" not in comment and "](" not in comment and "`tick`" not in comment
    assert run.stdout.count("<details>") == run.stdout.count("</details>") == 2
    rows = [line for line in run.stdout.splitlines() if line.startswith("|")]
    assert len(rows) == 4 and all(row.count("|") == 5 for row in rows), rows
    assert "forged" in run.stdout and "javascript" in run.stdout  # shown, as text
    json_run = _journeycode(repo, "diff", "main", "--format", "json", "--fail-on", "never")
    messages = " ".join(c["message"] for c in json.loads(json_run.stdout)["changes"])
    assert all(h in messages for h in HOSTILE[1:3])
    svg = (repo / "d" / "cancel-retention.change.svg").read_text("utf-8")
    assert "<img" not in svg and "&lt;/details&gt;&lt;img src=x" in svg


def test_a_base_with_schema_errors_is_still_compared_and_says_so(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"broken.yaml": "owners:\n  - {id: x, name: X, colour: red}\n"})
    (repo / "maps" / "broken.yaml").write_text("owners:\n  - {id: x, name: X}\n", "utf-8")
    run = _journeycode(repo, "diff", "main")
    assert run.returncode == 0, run.stderr
    assert "note: main (" in run.stdout and "has 1 load or schema error(s)" in run.stdout
    assert "1 info change(s) in the catalog\n" in run.stdout
    assert "info      catalog-added  maps/broken.yaml:2:10" in run.stdout
    assert "  - maps/broken.yaml:2:22: error: unknown key 'colour'" in run.stdout


def test_levels_can_be_changed_in_the_settings(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"journeycode.yaml": "diff: {kpi-target-loosened: info}\n"})
    path = repo / "maps" / "catalog" / "kpis.yaml"
    path.write_text(path.read_text("utf-8").replace("target: 420\n", "target: 480\n"), "utf-8")
    run = _journeycode(repo, "diff", "main", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert [c["level"] for c in json.loads(run.stdout)["changes"]] == ["info"]
    strict = _journeycode(repo, "diff", "main", "--fail-on", "notable")
    assert strict.returncode == 0
    (repo / "maps" / "journeycode.yaml").write_text("diff: {kpi-target-loosend: info}\n", "utf-8")
    wrong = _journeycode(repo, "diff", "main")
    assert wrong.returncode == 2
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
    run = _journeycode(repo, "diff", "main")
    assert run.returncode == 1
    sha = _git(repo, "rev-parse", "--short=7", "main").strip()
    assert run.stdout.replace(sha, "66b22a5").splitlines() == shown


def test_the_pull_request_comment_matches_its_golden_file(tmp_path: Path) -> None:
    repo = _readme_branch(tmp_path)
    run = _journeycode(repo, "diff", "main", "--format", "markdown")
    assert run.returncode == 1, run.stderr
    sha = _git(repo, "rev-parse", "--short=7", "main").strip()
    compare_golden(run.stdout.replace(sha, "0000000"), GOLDEN / "comment.md")


def test_github_annotates_breaking_and_notable_changes_on_their_lines(tmp_path: Path) -> None:
    repo = _readme_branch(tmp_path)
    run = _journeycode(repo, "diff", "main", "--format", "github")
    assert run.returncode == 1, run.stderr
    sha = _git(repo, "rev-parse", "--short=7", "main").strip()
    sides = f"main ({sha}) → working tree"
    journey = "maps/journeys/cancel-retention.yaml"
    assert run.stdout.splitlines() == [
        "::error file=maps/catalog/kpis.yaml,line=14,col=13,title=journeycode diff%3A "
        "kpi-target-loosened::KPI 'aht': target loosened, 7 min → 8 min (lower is better) "
        f"(breaking; {sides})",
        f"::error file={journey},line=23,col=15,title=journeycode diff%3A way-out-lost::"
        f"touchpoint 'cancel-faq' on help-centre no longer reaches a human (breaking; {sides})",
        f"::warning file={journey},line=11,col=12,title=journeycode diff%3A version-not-bumped::"
        "journey 'cancel-retention' changed but its version is still 1.2.0: a patch bump would "
        f"be 1.2.1 (notable; {sides})",
        f"::warning file={journey},line=23,col=15,title=journeycode diff%3A escalation-changed::"
        f"touchpoint 'cancel-faq' escalations: -cancel-chat (notable; {sides})",
    ]


def test_github_keeps_a_hostile_message_on_one_line(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    path = repo / "maps" / "journeys" / "cancel-retention.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "          escalates_to: [cancel-chat]\n",
            '          waive: {escalation-path: "a\\n::error::forged, 100%"}\n',
            1,
        ),
        "utf-8",
    )
    run = _journeycode(repo, "diff", "main", "--format", "github")
    lines = run.stdout.splitlines()
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines), lines
    assert any("a%0A::error::forged, 100%25" in line for line in lines)


def test_text_is_coloured_on_a_terminal_only(tmp_path: Path) -> None:
    repo = _readme_branch(tmp_path)
    env = {k: v for k, v in ENV.items() if k != "NO_COLOR"}
    shown = on_a_terminal([str(SCRIPT), "diff", "main"], repo, env)
    assert "\x1b[31mbreaking\x1b[0m" in shown and "\x1b[33mnotable \x1b[0m" in shown
    assert "\x1b[" not in on_a_terminal([str(SCRIPT), "diff", "main"], repo, ENV)
    assert "\x1b[" not in _journeycode(repo, "diff", "main").stdout


def _scenario_branch(tmp_path: Path, name: str) -> Path:
    scenario = next(s for s in SCENARIOS if s["name"] == name)
    repo = _repository(tmp_path, scenario.get("base_files"))
    _apply(repo, scenario)
    return repo


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
    repo = _scenario_branch(tmp_path, scenario)
    run = _journeycode(repo, "diff", "main", "--diagrams", "pictures", "--format", "markdown")
    assert run.returncode == 1, run.stderr
    assert f"Diagrams of the change: `pictures/{journey}.change.svg`\n" in run.stdout
    assert sorted(p.name for p in (repo / "pictures").iterdir()) == [f"{journey}.change.svg"]
    svg = (repo / "pictures" / f"{journey}.change.svg").read_text("utf-8")
    compare_golden(svg, GOLDEN / f"{journey}.change.svg")


def test_diagrams_of_the_change_are_the_same_on_every_run(tmp_path: Path) -> None:
    repo = _scenario_branch(
        tmp_path, "stages and touchpoints added, removed, moved, reordered and reassigned"
    )
    pictures = []
    for seed in ("1", "31337"):
        out = tmp_path / f"out{seed}"
        run = subprocess.run(
            [str(SCRIPT), "diff", "main", "--diagrams", str(out), "--diagram-format", "png"],
            cwd=repo,
            env={**ENV, "PYTHONHASHSEED": seed, "JOURNEYCODE_CACHE_DIR": str(out / "cache")},
            capture_output=True,
            check=False,
        )
        assert run.returncode == 1, run.stderr
        pictures.append((out / "zz.change.png").read_bytes())
    assert pictures[0] == pictures[1] and pictures[0].startswith(b"\x89PNG")


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
    run = _journeycode(ROOT, "diff", "HEAD~3", "--fail-on", "never")
    if shallow and not has_base:
        # A CI checkout with too little history: the answer is how to fetch it.
        assert run.returncode == 2 and "git fetch" in run.stderr, run.stderr
        return
    assert run.returncode == 0, run.stderr
    sha = _git(ROOT, "rev-parse", "--short=7", "HEAD~3").strip()
    assert run.stdout.startswith(f"journeycode diff: HEAD~3 ({sha}) → working tree\n")
    assert "\nCoverage\n  portfolio: " in run.stdout


def test_two_folders_are_compared_and_named_as_in_the_head_folder(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "maps", tmp_path / "before")
    shutil.copytree(ROOT / "maps", tmp_path / "after")
    kpis = tmp_path / "after" / "catalog" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8").replace("target: 420\n", "target: 400\n"), "utf-8")
    run = _journeycode(tmp_path, "diff", "before", "after")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[:6] == [
        "journeycode diff: before → after",
        "1 notable change(s) in the catalog",
        "",
        "Catalog",
        "  notable   kpi-target-tightened  after/catalog/kpis.yaml:14:13",
        "      KPI 'aht': target tightened, 7 min → 6 min 40 s (lower is better)",
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
    run = _journeycode(repo, "diff", "--format", "json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["base"] == f"merge-base with main ({fork})"
    assert [c["kind"] for c in document["changes"]] == ["kpi-target-tightened"]


def test_rev_path_compares_maps_that_moved_to_another_folder(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    _git(repo, "mv", "maps", "cx-maps")
    _git(repo, "commit", "-qm", "The maps move")
    run = _journeycode(repo, "diff", "main:maps", "HEAD", "cx-maps")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1] == "no changes"
    head_run = _journeycode(
        repo, "diff", "main:maps", "HEAD:cx-maps", "cx-maps", "--format", "json"
    )
    assert json.loads(head_run.stdout)["changes"] == []
