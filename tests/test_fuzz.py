"""Mutated copies of the sample maps and measurement files through `check` in
every report format.

Seeded and bounded: the same mutations on every run, about twenty seconds in
the default run; ``make fuzz`` runs the same tests with a larger budget
(``JOURNEYCODE_FUZZ_EXAMPLES`` mutations each) and prints what they found.
Whatever the mutation, `check` exits 0, 1 or 2, never with a traceback and
never past a deadline, and every report is valid for what reads it: JSON and
SARIF parse, JUnit XML is valid against the strict JUnit.xsd, the annotations
are one per line, and no other line starts with a workflow command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from journeycode.cli import main
from journeycode.report import REPORTERS
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

SAMPLES = sorted((ROOT / "maps").rglob("*.yaml"))
TEXTS = {path: path.read_text(encoding="utf-8") for path in SAMPLES}
CSVS = sorted((ROOT / "maps" / "measurements").glob("*.csv"))
CSV_TEXTS = {path: path.read_text(encoding="utf-8") for path in CSVS}
BUDGET = int(os.environ.get("JOURNEYCODE_FUZZ_EXAMPLES") or 100)
DEADLINE_SECONDS = 60
JUNIT = xmlschema.XMLSchema(Path(__file__).resolve().parent / "xsd" / "JUnit.xsd")
COUNTS: Counter[str] = Counter()
REPORT = ROOT / "build" / "fuzz-counts.txt"

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


# Cells and bytes that once broke, or could break, a measurement file.
CSV_NASTY = [
    "\x00",
    '"',
    '"unclosed',
    "x" * 200_000,
    "\r",
    "\r\n",
    "\n\n",
    ",,,,,,",
    '"a\nb"',
    "::error::x",
    "1e999",
    "nan",
    "-0",
    "2026-02-30",
    "\ufeff",
    "kpi",
    "value",
    "\u2028",
]


@st.composite
def mutated_csv(draw: st.DrawFn) -> tuple[Path, str]:
    path = draw(st.sampled_from(CSVS))
    text = CSV_TEXTS[path]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "line-endings", "text"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(CSV_NASTY)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif action == "line-endings":
            text = text.replace("\n", draw(st.sampled_from(["\r", "\r\n", "\n\r", "\x00\n"])))
        else:
            text = text[:at] + draw(st.text(max_size=12)) + text[at:]
    return path, text


class _Hang(Exception):
    """A check that ran past the deadline."""


def _deadline(signum: int, frame: FrameType | None) -> None:
    raise _Hang


@pytest.fixture(scope="module", autouse=True)
def counts() -> Iterator[None]:
    """What the mutations did, written for ``make fuzz`` to print."""
    yield
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(
        "".join(f"{name}: {count}\n" for name, count in sorted(COUNTS.items())), "utf-8"
    )


def _check_every_format(folder: Path) -> None:
    runner = CliRunner(env={"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"})
    COUNTS["mutations"] += 1
    for output_format in REPORTERS:
        previous = signal.signal(signal.SIGALRM, _deadline)
        signal.alarm(DEADLINE_SECONDS)
        try:
            run = runner.invoke(main, ["check", str(folder), "--format", output_format])
        except _Hang:
            COUNTS["hangs"] += 1
            raise
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        COUNTS[f"exit {run.exit_code}"] += 1
        if isinstance(run.exception, _Hang):
            COUNTS["hangs"] += 1
        ok = run.exception is None or isinstance(run.exception, SystemExit)
        if run.exit_code not in (0, 1, 2) or not ok:
            COUNTS["exits outside 0, 1, 2"] += 1
        assert ok, run.exception
        assert run.exit_code in (0, 1, 2), (output_format, run.exit_code, run.stderr)
        assert "Traceback" not in run.output
        try:
            _valid(output_format, run.stdout)
        except Exception:
            COUNTS["invalid outputs"] += 1
            raise


_ANNOTATION = re.compile(r"::(error|warning|notice) [^\r\n]*\Z")


def _valid(output_format: str, out: str) -> None:
    lines = re.split(r"\r\n|\r|\n", out.removesuffix("\n"))
    if output_format == "github":
        assert all(_ANNOTATION.match(line) for line in lines if line), out
        return
    assert not [line for line in lines if line.lstrip().startswith("::")], out
    if output_format in ("json", "sarif"):
        json.loads(out)
    elif output_format == "junit":
        JUNIT.validate(out)


@seed(20261124)
@settings(
    max_examples=BUDGET,
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


@seed(20261201)
@settings(
    max_examples=BUDGET,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutation=mutated_csv())
def test_mutated_measurement_files_never_crash_check(mutation: tuple[Path, str]) -> None:
    path, text = mutation
    with tempfile.TemporaryDirectory() as folder:
        maps = Path(folder) / "maps"
        shutil.copytree(ROOT / "maps", maps)
        (maps / path.relative_to(ROOT / "maps")).write_bytes(text.encode("utf-8", "surrogatepass"))
        _check_every_format(maps)
