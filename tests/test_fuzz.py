"""Mutated copies of the sample maps through `check` in every report format.

Seeded and bounded: the same mutations on every run, about twenty seconds.
Whatever the mutation, `check` exits 0 or 1, never with a traceback, and every
machine-readable report is well-formed (JSON, SARIF, JUnit XML, one annotation
per line).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from journeycode.cli import main
from journeycode.report import REPORTERS
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SAMPLES = sorted((ROOT / "maps").rglob("*.yaml"))
TEXTS = {path: path.read_text(encoding="utf-8") for path in SAMPLES}

# Values that once got past the loader or broke a report.
NASTY = [
    ".nan",
    "-.inf",
    "1e999",
    "9" * 4301,
    "0x" + "f" * 600,
    '"Busy\\x01parent"',
    '"\\ud800"',
    '"<img src=x onerror=alert(1)>"',
    '"]]></failure><x>"',
    "'it''s'",
    '"Why?" help page',
    "a: b: c",
    "{routes calls, and chats}",
    "# only a comment",
    "[unclosed",
    "&anchor x",
    "*alias",
    "!!python/object:os.system x",
    "\t",
    "~",
    "",
    "31/10/2026",
    "2026-02-30",
    "'\u202e\u200b'",
    "留学生",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, str]:
    path = draw(st.sampled_from(SAMPLES))
    lines = TEXTS[path].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        action = draw(st.sampled_from(["value", "delete", "duplicate", "indent", "cut", "insert"]))
        if action == "value" and ": " in line:
            key = line.split(": ", 1)[0]
            lines[at] = f"{key}: {draw(st.sampled_from(NASTY))}\n"
        elif action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, line)
        elif action == "indent":
            lines[at] = " " * draw(st.integers(0, 3)) + line.lstrip(" ")
        elif action == "cut":
            lines[at] = line[: draw(st.integers(0, len(line)))] + "\n"
        else:
            lines.insert(at, draw(st.text(max_size=12)) + "\n")
        if not lines:
            lines = ["\n"]
    return path, "".join(lines)


def _check_every_format(folder: Path) -> None:
    runner = CliRunner(env={"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"})
    for output_format in REPORTERS:
        run = runner.invoke(main, ["check", str(folder), "--format", output_format])
        assert run.exception is None or isinstance(run.exception, SystemExit), run.exception
        assert run.exit_code in (0, 1), (output_format, run.exit_code, run.stderr)
        assert "Traceback" not in run.output
        out = run.stdout
        if output_format in ("json", "sarif"):
            json.loads(out)
        elif output_format == "junit":
            ET.fromstring(out)
        elif output_format == "github":
            assert all(line.startswith("::") for line in out.splitlines())


@seed(20261124)
@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutation=mutated())
def test_mutated_sample_maps_never_crash_check(mutation: tuple[Path, str]) -> None:
    path, text = mutation
    with tempfile.TemporaryDirectory() as folder:
        maps = Path(folder) / "maps"
        shutil.copytree(ROOT / "maps", maps)
        (maps / path.relative_to(ROOT / "maps")).write_text(text, encoding="utf-8")
        _check_every_format(maps)
