"""Every example in README.md, CONTRIBUTING.md and docs/*.md is run or checked.

A fenced block says how it is tested:

* ``console``: each ``$ command`` runs (in a copy of the sample maps and of
  ``examples/``, or in an empty folder with ``<!-- test: empty folder -->``),
  and what it prints must match the lines below it; a line ``…`` stands for
  any number of lines.
  ``<!-- test-setup: SHELL -->`` runs first.
* Any other block needs a ``<!-- test: KIND … -->`` line right above it, naming
  how it is checked (the kinds are the ``_KINDS`` below). A block with neither
  fails: a new example cannot go untested.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
import yaml

from journeycode.cli import main
from journeycode.compiler import check
from tests.conftest import ROOT, invoke

DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent
ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
FENCE = re.compile(r"^```(\w*)\s*$")
MARK = re.compile(r"^<!-- (test|test-setup): (.*) -->$")
EXPRESSION = re.compile(r"\$\{\{[^}]*\}\}")


@dataclass(frozen=True)
class Block:
    document: str
    line: int
    language: str
    text: str
    marks: tuple[tuple[str, str], ...]

    @property
    def kind(self) -> str | None:
        return next((value for key, value in self.marks if key == "test"), None)

    def __str__(self) -> str:
        return f"{self.document}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for document in DOCUMENTS:
        lines = document.read_text("utf-8").splitlines()
        index = 0
        while index < len(lines):
            fence = FENCE.match(lines[index])
            if not fence:
                index += 1
                continue
            end = lines.index("```", index + 1)
            marks: list[tuple[str, str]] = []
            above = index - 1
            while above >= 0 and (mark := MARK.match(lines[above])):
                marks.insert(0, (mark.group(1), mark.group(2)))
                above -= 1
            text = "\n".join(lines[index + 1 : end]) + "\n"
            name = document.relative_to(ROOT).as_posix()
            found.append(Block(name, index + 1, fence.group(1), text, tuple(marks)))
            index = end + 1
    return found


BLOCKS = _blocks()


def _sandbox(tmp_path: Path, block: Block) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    if block.kind != "empty folder":
        shutil.copytree(ROOT / "maps", folder / "maps")
        shutil.copytree(ROOT / "examples", folder / "examples")
    for key, value in block.marks:
        if key == "test-setup":
            subprocess.run(["bash", "-c", value], cwd=folder, check=True)
    return folder


def _matches(expected: list[str], actual: list[str]) -> bool:
    """A line ``…`` (indented or not) in ``expected`` stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0].strip() == "…":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


def _console(block: Block, tmp_path: Path) -> None:
    folder = _sandbox(tmp_path, block)
    env = {
        **os.environ,
        **ENV,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache"),
    }
    commands: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            assert commands, f"{block}: output before the first command"
            commands[-1][1].append(line)
    for command, expected in commands:
        argv = shlex.split(command.replace(".venv/bin/", f"{BIN}/"))
        if argv[0] == "cd":  # the reader's shell, which the commands after it run in
            folder = folder / argv[1]
            assert folder.is_dir() and not expected, f"{block}: {command}"
            continue
        run = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True)
        shown = run.stdout.splitlines()
        assert run.returncode in (0, 1), f"{block}: {command}\n{run.stderr}"
        assert _matches(expected, shown), f"{block}: {command} printed\n{run.stdout}"


def _workspace(block: Block, tmp_path: Path) -> None:
    """A complete workspace file: alone (or with the block before it, for
    ``workspace with the previous``), it checks without an error."""
    files = {"example.yaml": block.text}
    if block.kind == "workspace with the previous":
        previous = BLOCKS[BLOCKS.index(block) - 1]
        assert previous.kind and previous.kind.startswith("workspace"), block
        files["catalog.yaml"] = previous.text
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    errors = [p for p in check(tmp_path).problems if p.level == "error"]
    assert errors == [], f"{block}: {errors}"


def _settings(block: Block, tmp_path: Path) -> None:
    """Settings for journeycode.yaml: the sample maps run with them."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    (tmp_path / "maps" / "journeycode.yaml").write_text(block.text, "utf-8")
    run = invoke(tmp_path, "check", "maps")
    assert run.exit_code in (0, 1), f"{block}: {run.stderr}"


def command_parses(argv: list[str], where: object) -> None:
    """``journeycode ARGV`` is a command the real command line accepts."""
    ctx = main.make_context("journeycode", list(argv), resilient_parsing=False)
    name, command, rest = main.resolve_command(ctx, list(argv))
    assert command is not None, f"{where}: no command {argv}"
    try:
        command.make_context(str(name), rest, parent=ctx)
    except click.UsageError as error:
        raise AssertionError(f"{where}: {' '.join(argv)}: {error.format_message()}") from None


def _workflow(block: Block, tmp_path: Path) -> None:
    """A GitHub workflow, or steps of one: every journeycode command in a
    ``run:`` parses with the real command line, and the journeycode action
    gets only inputs it has."""
    document = yaml.safe_load(block.text)
    steps = document if isinstance(document, list) else []
    for job in (document.get("jobs", {}) if isinstance(document, dict) else {}).values():
        steps += job["steps"]
    assert steps, f"{block}: no steps"
    inputs = set(yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))["inputs"])
    for step in steps:
        if "journeycode@" in step.get("uses", ""):
            assert set(step.get("with", {})) <= inputs, f"{block}: {step['with']}"
        # An expression stands for one word: what it is does not matter to the parser.
        script = EXPRESSION.sub("main", step.get("run", "").replace("\\\n", " "))
        for line in script.splitlines():
            words = shlex.split(line.split("#")[0].split("||")[0])
            if words[:1] == ["journeycode"]:
                command_parses(words[1:], block)


def _pre_commit(block: Block, tmp_path: Path) -> None:
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    for repo in yaml.safe_load(block.text)["repos"]:
        assert {h["id"] for h in repo["hooks"]} <= hooks, block


def _mkdocs(block: Block, tmp_path: Path) -> None:
    """A part of mkdocs.yml: a project with it (and a site name) builds strictly."""
    shutil.copytree(ROOT / "maps", tmp_path / "maps")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Example\n" + block.text, "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        env={**os.environ, **ENV, "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, f"{block}: {run.stderr}"


def _make(block: Block, tmp_path: Path) -> None:
    """``make TARGET`` lines: the Makefile has each target (CI runs them for real)."""
    for line in block.text.splitlines():
        words = line.split("#")[0].split()
        assert words[:1] == ["make"], f"{block}: {line}"
        run = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True)
        assert run.returncode == 0, f"{block}: {line}: {run.stderr}"


def _tree(block: Block, tmp_path: Path) -> None:
    """A listing of paths (first word of each line, under the folder of an
    indented line's header): each exists in the project."""
    parent = ""
    for line in block.text.splitlines():
        path = line.split()[0]
        if not line.startswith(" "):
            parent = path if path.endswith("/") and len(line.split()) == 1 else ""
        full = ROOT / (parent + path if line.startswith(" ") else path)
        assert list(ROOT.glob(str(full.relative_to(ROOT)))), f"{block}: {path} does not exist"


def _excerpt(block: Block, tmp_path: Path, path: str) -> None:
    """Lines of a project file, in order (indentation aside, lines between
    may be left out)."""
    have = iter(line.strip() for line in (ROOT / path).read_text("utf-8").splitlines())
    for line in (line.strip() for line in block.text.splitlines() if line.strip()):
        assert line in have, f"{block}: '{line}' is not in {path}, in this order"


def _modeline(block: Block, tmp_path: Path) -> None:
    """The first line of every sample map."""
    for path in (ROOT / "maps").rglob("*.yaml"):
        if path.name != "journeycode.yaml":
            assert path.read_text("utf-8").splitlines()[0] == block.text.strip(), path


def _covered(block: Block, tmp_path: Path, test: str) -> None:
    """Run by a named test elsewhere, which must exist."""
    module, _, function = test.partition("::")
    assert f"def {function}(" in (ROOT / module).read_text("utf-8"), f"{block}: no {test}"


_KINDS: dict[str, Callable[..., None]] = {
    "workspace": _workspace,
    "workspace with the previous": _workspace,
    "settings": _settings,
    "workflow": _workflow,
    "pre-commit": _pre_commit,
    "mkdocs": _mkdocs,
    "make": _make,
    "tree": _tree,
    "modeline": _modeline,
}


# Each block as a test case; one that runs what a reader would type (a
# console session, a MkDocs build) is end to end.
CASES = [
    pytest.param(
        block,
        id=str(block),
        marks=pytest.mark.slow if block.language == "console" or block.kind == "mkdocs" else (),
    )
    for block in BLOCKS
]


@pytest.mark.parametrize("block", CASES)
def test_every_example_works(block: Block, tmp_path: Path) -> None:
    kind = block.kind
    if kind and kind.startswith("covered by "):
        _covered(block, tmp_path, kind.removeprefix("covered by "))
    elif block.language == "console":
        _console(block, tmp_path)
    elif kind and kind.startswith("excerpt of "):
        _excerpt(block, tmp_path, kind.removeprefix("excerpt of "))
    else:
        assert kind in _KINDS, f"{block}: an example with no <!-- test: … --> line above it"
        _KINDS[kind](block, tmp_path)


def test_the_documents_have_examples() -> None:
    assert len(BLOCKS) >= 20
    assert {b.document for b in BLOCKS} == {d.relative_to(ROOT).as_posix() for d in DOCUMENTS}
