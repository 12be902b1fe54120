"""Mutated copies of the sample maps and measurement files through `check` in
every report format, `coverage` and `export`.

Seeded and bounded: the same mutations on every run, about half a minute in
the default run; ``make fuzz`` runs the same tests with a larger budget
(``JOURNEYCODE_FUZZ_EXAMPLES`` mutations each) and prints what they found.
Whatever the mutation, every run exits 0, 1 or 2, never with a traceback and
never past a deadline, and every output is valid for what reads it: JSON
parses, SARIF against its schema (where shared/ is beside the checkout),
JUnit XML against the strict JUnit.xsd, the annotations are one per line, and
no other line starts with a workflow command.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import jsonschema
import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from journeycode.cli import main
from journeycode.report import FORMATS
from tests.conftest import ROOT, SHARED

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


class _Hang(BaseException):
    """A run past the deadline: a BaseException, so that neither the CLI's
    guard for internal errors nor the test runner's invoke takes it for one."""


def _deadline(signum: int, frame: FrameType | None) -> None:
    raise _Hang


KINDS = ("mutations", "runs", "exits outside 0, 1, 2", "hangs", "invalid outputs")


@pytest.fixture(scope="module", autouse=True)
def counts() -> Iterator[None]:
    """What the mutations did, written for ``make fuzz`` to print (every count,
    the zeros too), when it asked for a budget."""
    yield
    if os.environ.get("JOURNEYCODE_FUZZ_EXAMPLES"):
        REPORT.parent.mkdir(exist_ok=True)
        shown = {**dict.fromkeys(KINDS, 0), **COUNTS}
        REPORT.write_text("".join(f"{name}: {count}\n" for name, count in shown.items()), "utf-8")


# Every format of check, and the other commands that read the whole workspace.
RUNS = [
    *((["check", "--format", name], name) for name in FORMATS),
    (["coverage", "--format", "json"], "json"),
    (["export", "--format", "json"], "json"),
    (["export", "--format", "csv"], "csv"),
]


def _check_every_format(folder: Path) -> None:
    runner = CliRunner(env={"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"})
    COUNTS["mutations"] += 1
    for (command, *options), output_format in RUNS:
        COUNTS["runs"] += 1
        previous = signal.signal(signal.SIGALRM, _deadline)
        signal.alarm(DEADLINE_SECONDS)
        try:
            run = runner.invoke(main, [command, str(folder), *options])
        except _Hang:
            COUNTS["hangs"] += 1
            raise
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        if run.exc_info is not None:
            # The runner keeps the exit's traceback, whose frames hold the
            # compiled workspace: each example's would stay for the whole run.
            traceback.clear_frames(run.exc_info[2])
        COUNTS[f"exit {run.exit_code}"] += 1
        ok = run.exception is None or isinstance(run.exception, SystemExit)
        if run.exit_code not in (0, 1, 2) or not ok:
            COUNTS["exits outside 0, 1, 2"] += 1
        assert ok, run.exception
        assert run.exit_code in (0, 1, 2), (command, options, run.exit_code, run.stderr)
        assert "Traceback" not in run.output
        try:
            _valid(output_format, run.stdout)
        except Exception:
            COUNTS["invalid outputs"] += 1
            raise


_ANNOTATION = re.compile(r"::(error|warning|notice) [^\r\n]*\Z")
_SARIF_SCHEMA = SHARED / "vendor" / "sarif-schema-2.1.0.json"
# Where shared/ is beside the checkout (CI, make fuzz in the team's checkouts),
# SARIF is checked against its schema too.
SARIF = (
    jsonschema.Draft4Validator(json.loads(_SARIF_SCHEMA.read_text("utf-8")))
    if _SARIF_SCHEMA.is_file()
    else None
)


def _valid(output_format: str, out: str) -> None:
    lines = re.split(r"\r\n|\r|\n", out.removesuffix("\n"))
    assert "##[" not in out
    if output_format == "github":
        assert all(_ANNOTATION.match(line) for line in lines if line), out
        return
    assert not [line for line in lines if line.lstrip().startswith("::")], out
    if output_format in ("json", "sarif"):
        document = json.loads(out)
        if output_format == "sarif" and SARIF is not None:
            SARIF.validate(document)
    elif output_format == "junit":
        JUNIT.validate(out)
    elif output_format == "csv":
        list(csv.reader(io.StringIO(out)))


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
