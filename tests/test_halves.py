"""A one-shot check reads new files and checks new journeys on two cores:
the forked half's results come back through the disk cache, and the check
says exactly what a check on one core says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks import portfolio
from journeycode import halves
from journeycode.cli import main

ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}


def test_the_second_half_is_done_in_a_child_that_persists_it(tmp_path: Path) -> None:
    done: list[int] = []
    written = tmp_path / "persisted"

    def persist() -> None:
        written.write_text(",".join(map(str, done)), "utf-8")

    halves.in_two(list(range(100)), done.append, persist)
    # Here, the first half; the child's own list (the second half) only on disk.
    assert done == list(range(55))
    assert written.read_text("utf-8") == ",".join(map(str, range(55, 100)))


def test_few_items_are_left_to_the_caller(tmp_path: Path) -> None:
    done: list[int] = []
    halves.in_two(list(range(halves.FROM - 1)), done.append, lambda: None)
    assert done == []


@pytest.mark.slow
def test_a_cold_check_on_two_cores_says_what_one_core_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    maps = tmp_path / "maps"
    portfolio.write(maps, 90, 12, errors=20)
    # A mistake in the half the child reads: the parent's own loop says it.
    broken = maps / "journeys" / "journey-0080.yaml"
    broken.write_text(broken.read_text("utf-8") + "\n  bad: [\n", "utf-8")
    env = {**os.environ, **ENV, "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "journeycode", "check", str(maps), "--format", "json"]
    two = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert two.returncode == 1, two.stderr
    assert '"line"' in two.stdout and "journey-0080.yaml" in two.stdout
    monkeypatch.setattr(halves, "FROM", 10**9)
    one = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(tmp_path / "one")}).invoke(
        main, ["check", str(maps), "--format", "json"]
    )
    assert one.exit_code == 1
    assert one.output == two.stdout
