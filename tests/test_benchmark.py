"""A tiny run of the benchmark, so it cannot rot; it asserts no timing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import portfolio, scaling
from journeycode.compiler import check
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_generated_portfolio_is_valid_and_errors_can_be_planted(tmp_path: Path) -> None:
    portfolio.write(tmp_path / "valid", journeys=5, touchpoints=12)
    assert not [p for p in check(tmp_path / "valid").problems if p.level == "error"]
    portfolio.write(tmp_path / "planted", journeys=5, touchpoints=12, errors=2)
    rules = {p.rule for p in check(tmp_path / "planted").problems if p.level == "error"}
    assert {"unknown-reference", "load"} <= rules


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = portfolio.write(tmp_path / "a", journeys=3, touchpoints=8)
    second = portfolio.write(tmp_path / "b", journeys=3, touchpoints=8)
    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]


def test_benchmark_smoke_run() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "check/floor" in run.stdout
    assert "scaling: check time" in run.stdout
    assert "rebuild after editing one touchpoint" in run.stdout
    assert "speed-up" in run.stdout
    assert "diff/check" in run.stdout
    assert "1,000 rows read and checked in" in run.stdout
    assert "sources/floor" in run.stdout
    assert "3 flows read and checked in" in run.stdout and "flows/floor" in run.stdout
    assert re.search(r"µs per action, growth \d+\.\d\d \((?:linear|NOT LINEAR)", run.stdout)
    assert re.search(
        r"start-up: journeycode check of one journey imports for [1-9]\d* ms", run.stdout
    )
    assert "check again:" in run.stdout
    assert "first diagnostics after a check (its cache)" in run.stdout
    assert re.search(r"edit to diagnostics, 8 edits of 4 kinds: median \d+ ms", run.stdout)
    assert "rebuild with nothing changed" in run.stdout
    assert re.search(r"MkDocs alone on these pages, HTML given +\d+\.\d\d s", run.stdout)
    # One row per shape; its verdict is a timing, which a smoke run on a busy machine
    # must not assert (make bench is where the verdicts are read).
    rows = re.findall(r"ratio \d+\.\d\d (?:linear|NOT LINEAR)\n", run.stdout)
    assert len(rows) == len(scaling.SHAPES), run.stdout
