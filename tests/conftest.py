from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pty
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from journeycode.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
EXAMPLES = Path(__file__).resolve().parent / "examples"

# Set to rewrite golden files instead of comparing: JOURNEYCODE_UPDATE_GOLDEN=1 make test
UPDATE_GOLDEN = os.environ.get("JOURNEYCODE_UPDATE_GOLDEN") == "1"

# The commands' caches (parsed maps, diagrams) go to a folder of this run, not
# the developer's own, removed when the run ends; a test that needs a cache of
# its own sets it.
if "JOURNEYCODE_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="journeycode-tests-")
    os.environ["JOURNEYCODE_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


# What the commands read from the environment, pinned: stale-review compares
# with today, so outputs do not age, and colour is off.
ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}


def invoke(cwd: Path, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """``journeycode ARGS`` run in ``cwd`` in this process (``env`` over :data:`ENV`,
    None unsets). A test that is about the real process (a terminal, hash seeds,
    a closed stream) spawns the console script instead."""
    try:
        with contextlib.chdir(cwd):
            return CliRunner(env={**ENV, **(env or {})}).invoke(main, list(args))
    finally:
        # A one-shot command freezes the heap for its process's end, which here
        # is the test run's: what it made must stay collectable.
        gc.unfreeze()


# What only the full suite may start: a test that spawns one of these is end
# to end and is marked ``slow``, so that ``make test-fast`` stays fast.
_END_TO_END = frozenset({"journeycode", "mkdocs", "pre-commit", "pip", "npm", "node", "chromium"})


def _end_to_end(args: object) -> str | None:
    """The end-to-end program a command line starts (also as ``python -m``), or None."""
    if isinstance(args, str | bytes | os.PathLike):
        argv = os.fsdecode(args).split()
    else:
        argv = [os.fsdecode(a) for a in args]  # type: ignore[attr-defined]
    if not argv:
        return None
    name = Path(argv[0]).name
    if name.startswith("python") and argv[1:2] == ["-m"] and len(argv) > 2:
        name = argv[2].split(".")[0]
    return name if name in _END_TO_END else None


@pytest.fixture(autouse=True)
def _fast_lane_stays_in_process(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside ``slow``, a test that starts journeycode, MkDocs, an installer or
    a browser fails and says to mark it."""
    if request.node.get_closest_marker("slow"):
        return
    real = subprocess.Popen

    class InProcessOnly(real):  # type: ignore[valid-type,misc]
        def __init__(self, args: object, *rest: object, **options: object) -> None:
            program = _end_to_end(args)
            if program is not None:
                raise AssertionError(
                    f"this test starts {program}: run it in this process (conftest.invoke) "
                    "or mark it @pytest.mark.slow (end to end, not in make test-fast)"
                )
            super().__init__(args, *rest, **options)

    monkeypatch.setattr(subprocess, "Popen", InProcessOnly)


SHARED = ROOT.parent / "shared"


def shared_file(relative: str) -> Path:
    """A file of shared/, which sits beside every checkout in CI. A lone clone
    has no shared/: there the test skips with the reason; under CI=true it fails."""
    path = SHARED / relative
    if not path.is_file():
        message = f"{path} is missing: shared/ sits beside the checkout in CI"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def apply_edit(maps: Path, edit: tuple[str, str, str | None]) -> None:
    """One edit of a map below ``maps``: (file, text, what replaces it); an
    empty text appends, None as the replacement deletes the file."""
    name, old, new = edit
    path = maps / name
    if new is None:
        path.unlink()
    elif not old:
        path.write_text((path.read_text("utf-8") if path.exists() else "") + new, "utf-8")
    else:
        text = path.read_text("utf-8")
        assert old in text, f"{name} has no {old!r}"
        path.write_text(text.replace(old, new, 1), "utf-8")


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


# The tags a review comment writes itself: every other tag in its HTML came from map text.
COMMENT_TAGS = frozenset(
    {"p", "ul", "ol", "li", "code", "strong", "em", "h3", "table", "thead", "tbody"}
    | {"tr", "th", "td", "details", "summary", "blockquote", "pre", "hr", "h4", "br"}
)


def comment_html(markdown: str) -> str:
    """A pull-request comment as GitHub renders it (cmark-gfm with its
    extensions), raw HTML let through: GitHub sanitises it afterwards, so what
    must not be there must not be there before."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    html: str = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE
    )
    return html


def comment_tags(markdown: str) -> set[str]:
    """The names of the HTML elements the comment renders to."""
    import re

    return set(re.findall(r"<([A-Za-z][A-Za-z0-9-]*)", comment_html(markdown)))


def compare_golden(actual: str, golden: Path) -> None:
    if UPDATE_GOLDEN:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with JOURNEYCODE_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    return folder


def on_a_terminal(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    """What ``command`` writes when its standard output is a terminal (a pty)."""
    leader, follower = pty.openpty()
    subprocess.run(command, cwd=cwd, env=env, stdout=follower, check=False)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower is closed: everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode()
