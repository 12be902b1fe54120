"""``journeycode init`` in an empty git repository: what it writes works at once."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from journeycode import __version__
from journeycode import init as starter
from journeycode.compiler import compile_workspace
from journeycode.model import Channel, Journey, Kpi, Persona
from journeycode.rules import REGISTRY
from tests.conftest import ROOT, invoke
from tests.test_docs import command_parses

pytestmark = pytest.mark.slow

SCRIPT = Path(sys.executable).with_name("journeycode")
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
ENV = {**os.environ, "JOURNEYCODE_TODAY": "2026-11-24", "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
EVERYTHING = [
    ".github/workflows/journeys.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".vscode/extensions.json",
    ".vscode/journeycode.schema.json",
    ".vscode/settings.json",
    "docs/index.md",
    "maps/catalog/channels.yaml",
    "maps/catalog/kpis.yaml",
    "maps/catalog/owners.yaml",
    "maps/catalog/personas.yaml",
    "maps/catalog/systems.yaml",
    "maps/journeycode.yaml",
    "maps/journeys/billing-question.yaml",
    "mkdocs.yml",
]


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False
    )


def _git(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    git = ("git", "-c", "user.name=T", "-c", "user.email=t@example.com")
    return _run(cwd, *git, *args, env=env)


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    )


@pytest.fixture
def team(tmp_path: Path) -> Path:
    repo = tmp_path / "team"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    run = _run(repo, str(SCRIPT), "init")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Wrote 15 file(s) in .; next:",
        "  journeycode check maps",
        "  mkdocs serve",
        "  pip install pre-commit && pre-commit install",
        "CI and pre-commit get journeycode from its action and hooks at "
        f"v{__version__} (https://github.com/journeycode/journeycode).",
        "  To get it elsewhere, change .pre-commit-config.yaml:5 and "
        ".github/workflows/journeys.yml:18 (or: init --source).",
    ]
    return repo


def test_init_writes_a_repository_whose_maps_have_no_problem_at_all(team: Path) -> None:
    assert _files(team) == EVERYTHING
    check = _run(team, str(SCRIPT), "check", "maps")
    assert (check.returncode, check.stdout) == (0, "No problems in 6 files.\n")
    coverage = _run(team, str(SCRIPT), "coverage", "maps")
    assert "Portfolio (1 journey)  total 100%" in coverage.stdout
    journey = (team / "maps" / "journeys" / "billing-question.yaml").read_text("utf-8")
    assert 'reviewed: "2026-11-24"' in journey


def test_the_starter_journey_shows_every_feature(team: Path) -> None:
    workspace = compile_workspace(team / "maps").workspace
    journey = workspace.entities(Journey)[0]
    touchpoints = [tp for _, tp in journey.touchpoints()]
    modes = {workspace.by_id(Channel)[tp.channel].mode for tp in touchpoints}
    assert modes == {"self-service", "automated", "assisted"}
    assert all(p.preferred_channels for p in workspace.entities(Persona))
    assert all(c.hours for c in workspace.entities(Channel))
    assert all(k.target is not None for k in workspace.entities(Kpi))
    assert any(k.measurements for k in workspace.entities(Kpi))
    assert any(tp.escalates_to for tp in touchpoints) and any(tp.next for tp in touchpoints)
    assert any(tp.moment_of_truth for tp in touchpoints) and any(tp.systems for tp in touchpoints)
    pains = [p.id for tp in touchpoints for p in tp.pain_points]
    assert pains and {a for o in journey.opportunities for a in o.addresses} >= set(pains)
    assert any(tp.waive for tp in touchpoints)  # and, as check is clean, not a stale one


def test_the_settings_write_out_every_rule_at_its_default(team: Path) -> None:
    settings = compile_workspace(team / "maps").settings
    written = yaml.safe_load((team / "maps" / "journeycode.yaml").read_text("utf-8"))
    assert list(written["rules"]) == list(REGISTRY)
    for rule, module in REGISTRY.items():
        effective = settings.rules[rule]
        assert (effective.level, effective.options) == (module.LEVEL, dict(module.OPTIONS))


def test_the_site_builds_strictly_at_once(team: Path, tmp_path: Path) -> None:
    env = {**ENV, "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")}
    build = _run(team, sys.executable, "-m", "mkdocs", "build", "--strict", env=env)
    assert build.returncode == 0, build.stderr
    assert "Billing call" in (
        team / "site" / "journeys" / "billing-question" / "index.html"
    ).read_text("utf-8")


def test_the_editor_reads_the_schema_for_every_map(team: Path) -> None:
    settings = json.loads((team / ".vscode" / "settings.json").read_text("utf-8"))
    assert settings["yaml.schemas"] == {
        "./.vscode/journeycode.schema.json": ["maps/**/*.yaml", "maps/**/*.yml"]
    }
    document = json.loads((team / ".vscode" / "journeycode.schema.json").read_text("utf-8"))
    assert document == json.loads(_run(team, str(SCRIPT), "schema").stdout)
    validator = jsonschema.Draft202012Validator(document)
    for path in (team / "maps").rglob("*.yaml"):
        if path.name != "journeycode.yaml":
            validator.validate(yaml.safe_load(path.read_text("utf-8")))
    recommended = json.loads((team / ".vscode" / "extensions.json").read_text("utf-8"))
    assert recommended == {"recommendations": ["redhat.vscode-yaml"]}


def test_the_workflow_uses_the_action_at_this_release_by_default(team: Path) -> None:
    text = (team / ".github" / "workflows" / "journeys.yml").read_text("utf-8")
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["journeys"]["steps"]
    assert text.splitlines()[17].strip() == (
        f"- uses: journeycode/journeycode@v{__version__}  # where journeycode comes from"
    )
    (action,) = [step for step in steps if step["uses"].startswith("journeycode/")]
    assert action["with"] == {
        "path": "maps",
        "comment": True,
        "diagrams": "change-diagrams",
        "site": "mkdocs.yml",
    }
    # The artifacts are uploaded after the action, even when it failed the job.
    after = steps[steps.index(action) + 1 :]
    assert [s["uses"] for s in after] == ["actions/upload-artifact@v4"] * 2
    assert all(s["if"] == "${{ !cancelled() }}" for s in after)
    assert workflow["permissions"]["pull-requests"] == "write"
    assert "file://" not in text and "file://" not in (team / ".pre-commit-config.yaml").read_text()


@pytest.mark.parametrize(
    ("given", "requirement", "hooks"),
    [
        (
            "git+https://git.example.com/cx/journeycode.git@v1.2",
            "journeycode @ git+https://git.example.com/cx/journeycode.git@v1.2",
            ("https://git.example.com/cx/journeycode.git", "v1.2"),
        ),
        ("1.2.0", "journeycode==1.2.0", ("local", None)),
        ("checkout", "journeycode @ file://", ("local", None)),
    ],
)
def test_source_chooses_how_the_workflow_and_the_hook_install_journeycode(
    tmp_path: Path, given: str, requirement: str, hooks: tuple[str, str | None]
) -> None:
    (tmp_path / "checkout").mkdir()
    run = _run(tmp_path, str(SCRIPT), "init", "--source", given)
    assert run.returncode == 0, run.stderr
    text = (tmp_path / ".github" / "workflows" / "journeys.yml").read_text("utf-8")
    job = yaml.safe_load(text)["jobs"]["journeys"]
    runs = [step.get("run", "") for step in job["steps"]]
    (install,) = [r for r in runs if r.startswith('pip install "journeycode')]
    assert shlex.split(install)[2].startswith(requirement)
    # Where journeycode comes from is the line init names, in both files.
    told = run.stdout.splitlines()[-1]
    for named in told.removeprefix("  To get it elsewhere, change ").split(" (")[0].split(" and "):
        name, line = named.split(":")
        assert (
            "# where journeycode comes from"
            in (tmp_path / name).read_text().splitlines()[int(line) - 1]
        )
    local = given == "checkout"
    assert ("only this machine can install" in run.stdout) == local
    assert ("a folder on this machine" in text) == local
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text("utf-8"))
    (repo,) = config["repos"]
    assert (repo["repo"], repo.get("rev")) == hooks
    (hook,) = repo["hooks"]
    assert hook["files"] == r"^maps/.*\.(ya?ml|csv|json)$"
    if hooks[0] == "local":
        assert hook["additional_dependencies"][0].startswith(requirement)
        assert hook["entry"] == "journeycode check --errors-first maps"
    # No expression is spliced into a script: event values reach them through env.
    assert not any("${{" in run for run in runs)
    for script in runs:
        for line in script.replace("\\\n", " ").splitlines():
            # A bash array ("${since[@]}") stands for options the script chose.
            words = [w for w in shlex.split(line.split("||")[0]) if not w.startswith("${")]
            if words[:1] == ["journeycode"]:
                command_parses(words[1:], "the init workflow")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("https://git.example.com/j.git", "a git URL needs the ref to install"),
        ("no such thing", "is not a git URL at a ref, an existing path or a version"),
    ],
)
def test_a_source_init_cannot_read_writes_nothing(tmp_path: Path, given: str, message: str) -> None:
    run = invoke(tmp_path, "init", "--source", given)
    assert run.exit_code == 2 and message in run.stderr
    assert not list(tmp_path.iterdir())


def test_nothing_is_overwritten_without_force(team: Path) -> None:
    mkdocs = team / "mkdocs.yml"
    mkdocs.write_text("site_name: Ours\n", "utf-8")
    (team / "maps" / "journeys" / "billing-question.yaml").unlink()
    again = _run(team, str(SCRIPT), "init")
    assert again.returncode == 2
    assert "13 file(s) already exist in ." in again.stderr and "--force" in again.stderr
    # Nothing half-written: not even the one file that was missing.
    assert not (team / "maps" / "journeys" / "billing-question.yaml").exists()
    assert mkdocs.read_text("utf-8") == "site_name: Ours\n"
    forced = _run(team, str(SCRIPT), "init", "--force")
    assert forced.returncode == 0, forced.stderr
    assert mkdocs.read_text("utf-8") == starter.MKDOCS
    assert _files(team) == EVERYTHING


def test_minimal_writes_only_the_maps_and_the_next_steps_name_the_folder(tmp_path: Path) -> None:
    run = _run(tmp_path, str(SCRIPT), "init", "my team", "--minimal")
    assert run.returncode == 0, run.stderr
    assert _files(tmp_path / "my team") == [f for f in EVERYTHING if f.startswith("maps/")]
    assert run.stdout.splitlines()[1] == "  cd 'my team' && journeycode check maps"


def test_pre_commit_blocks_a_commit_that_breaks_a_map_or_a_measurement_file(
    tmp_path: Path,
) -> None:
    """The hook init writes, installing journeycode from this checkout
    (``--source``), run by the real pre-commit on real commits."""
    team = tmp_path / "team"
    team.mkdir()
    _git(team, "init", "-q", "-b", "main")
    run = _run(team, str(SCRIPT), "init", "--source", str(ROOT))
    assert run.returncode == 0, run.stderr
    (team / "maps" / "measurements").mkdir()
    dashboard = team / "maps" / "measurements" / "dashboard.csv"
    dashboard.write_text("kpi,period_end,value\ncsat,2026-06-30,4.5\n", "utf-8")
    env = {**ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    _git(team, "add", "-A")
    every = _run(team, str(PRE_COMMIT), "run", "--all-files", env=env)
    assert every.returncode == 0, every.stdout + every.stderr
    assert _run(team, str(PRE_COMMIT), "install", env=env).returncode == 0
    # The hook runs with the same PRE_COMMIT_HOME: pre-commit keeps environments by their
    # dependency string, and a file:// one does not change when the code behind it does.
    assert _git(team, "commit", "-qm", "Start", env=env).returncode == 0

    # A commit that only breaks a measurement file is blocked too.
    dashboard.write_text("kpi,period_end,value\ncsatt,2026-06-30,4.5\n", "utf-8")
    _git(team, "add", "-A")
    blocked = _git(team, "commit", "-m", "Break the dashboard", env=env)
    assert blocked.returncode == 1
    assert "error: unknown KPI 'csatt' [measurement-code]" in blocked.stdout + blocked.stderr
    dashboard.write_text("kpi,period_end,value\ncsat,2026-06-30,4.5\n", "utf-8")

    journey = team / "maps" / "journeys" / "billing-question.yaml"
    journey.write_text(journey.read_text("utf-8").replace("channel: phone\n", "channel: fone\n"))
    _git(team, "add", "-A")
    blocked = _git(team, "commit", "-m", "Break", env=env)
    assert blocked.returncode == 1
    assert "unknown channel 'fone'" in blocked.stdout + blocked.stderr


def test_modelines_point_at_the_schema_from_every_depth(tmp_path: Path) -> None:
    run = _run(tmp_path, str(SCRIPT), "init", "--minimal", "--modeline")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / ".vscode" / "journeycode.schema.json").is_file()
    for path in (tmp_path / "maps").rglob("*.yaml"):
        if path.name == "journeycode.yaml":
            continue
        first = path.read_text("utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert target != first and (path.parent / target).resolve() == (
            tmp_path / ".vscode" / "journeycode.schema.json"
        ), path
    assert _run(tmp_path, str(SCRIPT), "check", "maps").returncode == 0


def test_init_adds_to_a_gitignore_the_repository_has(tmp_path: Path) -> None:
    """Most repositories have one: it is kept, with the site added once, and it
    is no reason to refuse; one that is not UTF-8 is left alone and refused."""
    (tmp_path / ".gitignore").write_text("node_modules/\n*.log", "utf-8")
    run = invoke(tmp_path, "init")
    assert run.exit_code == 0, run.output
    lines = (tmp_path / ".gitignore").read_text("utf-8").splitlines()
    assert lines[:2] == ["node_modules/", "*.log"] and lines.count("site/") == 1
    other = tmp_path / "other"
    other.mkdir()
    (other / ".gitignore").write_bytes(b"\xff\n")
    refused = invoke(other, "init")
    assert refused.exit_code == 2 and ".gitignore" in refused.stderr
    assert (other / ".gitignore").read_bytes() == b"\xff\n"


def test_the_ci_guide_shows_the_workflow_init_writes(team: Path) -> None:
    guide = (ROOT / "docs" / "ci.md").read_text("utf-8")
    shown = guide.split("<!-- tests/test_init.py: what init writes -->\n")[1]
    shown = shown.split("```yaml\n", 1)[1].split("```\n", 1)[0]
    written = (team / ".github" / "workflows" / "journeys.yml").read_text("utf-8")
    assert shown == written.replace(f"@v{__version__}", "@v0.1.0")


def test_a_team_that_works_in_russian_gets_its_settings_and_its_lines_in_russian(
    tmp_path: Path,
) -> None:
    """``init --language``: the settings name the language, their comments and
    init's own lines are in it; the starter maps are English and check clean."""
    run = invoke(tmp_path, "init", "team", "--language", "ru")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "Записано файлов в team: 15; дальше:"
    assert lines[4].startswith(
        "CI и pre-commit берут journeycode отсюда: его action и хуков версии"
    )
    assert " и .github/workflows/journeys.yml:18 (или: init --source)." in lines[5]
    settings = (tmp_path / "team" / "maps" / "journeycode.yaml").read_text("utf-8")
    assert yaml.safe_load(settings)["language"] == "ru"
    assert "# Настройки journeycode." in settings and "Every rule" not in settings
    assert "  # Идентификатор определён дважды.\n  duplicate-id: {level: error}\n" in settings
    compiled = compile_workspace(tmp_path / "team" / "maps", "maps")
    assert compiled.settings.language is not None and compiled.settings.language.tag == "ru"
    assert not compiled.result.problems
    again = invoke(tmp_path, "init", "team", "--language", "ru")
    assert again.exit_code == 2
    assert "journeycode: в team уже есть файлы (14): maps/catalog/channels.yaml, " in again.stderr
    assert "ничего не записано; --force перезапишет их" in again.stderr
