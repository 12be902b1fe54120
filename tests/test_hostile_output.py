"""No map text starts an output line: every command and format, over a
workspace with hostile text in every name and in its file names.

GitHub Actions runs any line of a job's output that starts with ``::`` (after
white space) as a workflow command, and one that holds ``##[command]``
anywhere as an older one. journeycode writes such lines only as
annotations, in the ``github`` formats; anywhere else, a line that starts
with ``::`` came from the maps. Lines are split as the runner splits them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import COMMENT_TAGS, ROOT, comment_html, comment_tags

# Every command and format as a real process, with the output the runner reads.
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
ENV = {**os.environ, "JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
# Each breaks a line its own way (with what a map may hold: YAML refuses most
# control characters), then tries a command, a mention and a reference.
PAYLOADS = [
    "a\n::error::from a name",
    "::error::at the start",
    "b\n  ::notice::indented @someone",
    "c\u2028::error::line separator\u2029::error::paragraph separator @org/team #123",
    "the runner's older commands, anywhere in a line: ##[add-mask]secret ##[stop-commands]x",
    "\ufeff::error::after a byte order mark",
    "\u200b\u2060::error::after zero-width characters",
    "bare links: www.evil.example/login http://evil.example a@b.co mailto:x@evil.example",
]
# File names may hold any character but / and NUL.
FILE_NAMES = ["d\r::warning file=x::carriage return", "e\r\n  ::notice::crlf", "f\x1b[2K::error::"]
# What a reader may skip at the start of a line: white space, characters that
# show nothing, a byte order mark.
_SKIPPED = re.compile("^[\\s\u00ad\u200b-\u200f\u2060-\u2064\ufeff]*")
ANNOTATION = re.compile(
    r"::(error|warning|notice) (file=[^,:]*,line=\d+,col=\d+,)?title=[^:]*::[^\n\r]*\Z"
)


def _hostile(node: Any, counter: list[int]) -> None:
    """Every name, description and pain point's text becomes a payload."""
    if isinstance(node, dict):
        for key in ("name", "text", "description", "hours"):
            if isinstance(node.get(key), str):
                node[key] = PAYLOADS[counter[0] % len(PAYLOADS)]
                counter[0] += 1
        for value in node.values():
            _hostile(value, counter)
    elif isinstance(node, list):
        for item in node:
            _hostile(item, counter)


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``clean`` (the sample maps) and ``hostile`` beside it, in one folder."""
    top = tmp_path_factory.mktemp("hostile-output")
    shutil.copytree(ROOT / "maps", top / "clean")
    counter = [0]
    for source in sorted((ROOT / "maps").rglob("*.yaml")):
        data = yaml.safe_load(source.read_text("utf-8"))
        _hostile(data, counter)
        target = top / "hostile" / source.relative_to(ROOT / "maps")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    hostile = top / "hostile"
    # File names that break a line, or start one with a command.
    for name in [*FILE_NAMES, PAYLOADS[0]]:
        (hostile / f"{name}.yaml").write_text("owners:\n  - {id: x, nme: y}\n", "utf-8")
    (hostile / "::error::start.yaml").write_text("owners: [1]\n", "utf-8")
    measurements = hostile / "measurements"
    measurements.mkdir(exist_ok=True)
    (measurements / "a\n::error::csv file.csv").write_text(
        'kpi,period_end,value\n"x\n::error::csv cell",2026-01-31,1\n'
        '"::error::kpi",2026-01-31,1\naht,"2026\n::error::date",1\n',
        "utf-8",
    )
    (top / "mkdocs.yml").write_text(
        "site_name: hostile\nplugins: [{journeycode: {maps: hostile}}]\n", "utf-8"
    )
    (top / "docs").mkdir()
    (top / "docs" / "index.md").write_text("# Home\n", "utf-8")
    return top


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    program, *rest = args
    return subprocess.run(
        [str(BIN / program), *rest], cwd=cwd, env=ENV, capture_output=True, text=True, check=False
    )


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def _no_command_from_the_maps(run: subprocess.CompletedProcess[str], annotations: bool) -> None:
    assert run.returncode in (0, 1, 2), (run.args, run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr
    for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        assert "##[" not in text, (run.args, stream, text[text.index("##[") - 200 :][:400])
        for line in _lines(text):
            if not _SKIPPED.sub("", line, count=1).startswith("::"):
                continue
            assert annotations and stream == "stdout", (run.args, stream, line)
            assert ANNOTATION.match(line), (run.args, line)


CHECK = [["--format", f] for f in ("text", "json", "github", "sarif", "junit")]
COMMANDS: list[tuple[list[str], bool]] = [
    *((["journeycode", "check", "hostile", *f], f[1] == "github") for f in CHECK),
    *((["journeycode", "check", "hostile", "--strict", *f], f[1] == "github") for f in CHECK),
    (["journeycode", "check", "hostile", "--new-since", "clean"], False),
    *(
        (["journeycode", "coverage", "hostile", "--format", f], False)
        for f in ("text", "json", "markdown")
    ),
    *(
        (["journeycode", "export", "hostile", "--format", f], False)
        for f in ("json", "csv", "mermaid")
    ),
    *(
        (["journeycode", "diff", "clean", "hostile", "--format", f], f == "github")
        for f in ("text", "json", "markdown", "github")
    ),
    *(
        (["journeycode", "diff", "hostile", "clean", "--format", f], f == "github")
        for f in ("text", "json", "markdown", "github")
    ),
    (["journeycode", "render", "hostile", "--out", "diagrams", "--view", "journey"], False),
    (["journeycode", "docs", "hostile", "--out", "pages"], False),
    (["mkdocs", "build", "--strict"], False),
]


@pytest.mark.parametrize(
    ("command", "annotations"), COMMANDS, ids=[" ".join(c[1:]) for c, _ in COMMANDS]
)
def test_no_output_line_starts_with_map_text(
    workspaces: Path, command: list[str], annotations: bool
) -> None:
    _no_command_from_the_maps(_run(workspaces, *command), annotations)


def test_file_names_at_the_top_of_the_workspace_start_no_command(workspaces: Path) -> None:
    """``check .`` names files without a folder in front."""
    for output_format in ("text", "junit"):
        run = _run(workspaces / "hostile", "journeycode", "check", ".", "--format", output_format)
        assert "start.yaml" in run.stdout
        _no_command_from_the_maps(run, annotations=False)


def test_the_plugin_fails_the_build_with_the_problems_on_their_lines(workspaces: Path) -> None:
    run = _run(workspaces, "mkdocs", "build", "--strict")
    assert run.returncode == 1
    assert "journeycode: the maps have problems" in run.stderr
    assert "::error::csv cell" in run.stderr  # shown, escaped: x\n::error::csv cell
    _no_command_from_the_maps(run, annotations=False)


def test_a_bad_setting_is_named_on_one_line(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    (maps / "journeycode.yaml").write_text('rules: {"x\\n::error::setting": off}\n', "utf-8")
    run = _run(tmp_path, "journeycode", "check", "maps")
    assert run.returncode == 2
    assert "unknown rule 'x\\n::error::setting'" in run.stderr
    _no_command_from_the_maps(run, annotations=False)


def test_mentions_and_references_in_the_review_comment_notify_no_one(workspaces: Path) -> None:
    run = _run(workspaces, "journeycode", "diff", "clean", "hostile", "--format", "markdown")
    # GitHub links nothing in a code block, where the pictures' colours
    # (#9e9e9e) are; the map text in them is neutralised all the same.
    charts = "".join(re.findall(r"^```mermaid\n.*?^```$", run.stdout, re.M | re.S))
    # (An e-mail address there mentions no one.)
    assert "@\u2060someone" in charts and not re.search(r"(?<![\w.+-])@[\w/]", charts)
    comment = re.sub(r"^```mermaid\n.*?^```$", "", run.stdout, flags=re.M | re.S)
    assert "someone" in comment and "org/team" in comment
    assert not re.search(r"@[\w/]", comment), "a mention GitHub would notify"
    assert "#\u2060123" in comment or "&#35;\u2060123" in comment
    assert not re.search(r"(?<!&)#\d|&#35;\d", comment), "an issue reference GitHub would link"


@pytest.mark.parametrize("sides", [("clean", "hostile"), ("hostile", "clean")])
def test_the_review_comment_renders_to_no_markup_of_the_maps(
    workspaces: Path, sides: tuple[str, str]
) -> None:
    """As GitHub renders it: only the comment's own elements, no link, every
    <details> closed, the pictures' text inside their code blocks."""
    run = _run(workspaces, "journeycode", "diff", *sides, "--format", "markdown")
    assert run.returncode in (0, 1), run.stderr
    html = comment_html(run.stdout)
    assert comment_tags(run.stdout) <= COMMENT_TAGS, html
    assert "href" not in html and "<img" not in html and "<script" not in html
    assert html.count("<details") == html.count("</details>") > 1
    assert run.stdout.count("```mermaid\n") == html.count('<pre lang="mermaid">') > 0


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(tmp_path: Path) -> None:
    """Before, every format of check ended in exit 3 (a lone surrogate could
    not be written out)."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    (maps / os.fsdecode(b"bad\xff.yaml")).write_text("owners: [1]\n", "utf-8")
    for output_format in ("text", "json", "github", "sarif", "junit"):
        run = _run(tmp_path, "journeycode", "check", "maps", "--format", output_format)
        assert run.returncode == 1, (output_format, run.stderr)
        # As written, JSON-escaped, or percent-encoded (SARIF's URIs).
        shown = ("bad\\xff.yaml", "bad\\\\xff.yaml", "bad%5Cxff.yaml")
        assert any(name in run.stdout for name in shown), output_format


def test_a_revision_s_hostile_text_starts_no_line_either(workspaces: Path, tmp_path: Path) -> None:
    """The sides of a diff read from git (the base is the sample maps, the head
    the hostile commit)."""
    repo = tmp_path / "repo"
    shutil.copytree(workspaces / "clean", repo / "maps")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "clean"], cwd=repo, check=True)
    shutil.rmtree(repo / "maps")
    shutil.copytree(workspaces / "hostile", repo / "maps")
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "hostile"], cwd=repo, check=True)
    for args, annotated in (
        (["diff", "main~1", "main", "maps", "--format", "text"], False),
        (["diff", "main~1", "main", "maps", "--format", "markdown"], False),
        (["diff", "main~1", "main", "maps", "--format", "github"], True),
        (["diff", "main", "main~1", "maps", "--format", "text"], False),
        (["check", "maps", "--new-since", "main~1"], False),
    ):
        run = _run(repo, "journeycode", *args)
        assert run.returncode in (0, 1), (args, run.stderr)
        _no_command_from_the_maps(run, annotated)
