"""A one-shot check reads new files and checks new journeys on two cores:
the forked half's results come back through the disk cache, and the check
says exactly what a check on one core says."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks import portfolio
from journeycode import halves
from journeycode.cli import main

ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}


# In a process of its own: a test process may hold a library's threads (a
# Polars pool, say), beside which nothing is forked.
IN_TWO = """
import sys
from pathlib import Path
from journeycode import halves
done = []
written = Path(sys.argv[1])
halves.in_two(list(range(100)), done.append, lambda: written.write_text(",".join(map(str, done))))
print(",".join(map(str, done)))
"""


def test_the_second_half_is_done_in_a_child_that_persists_it(tmp_path: Path) -> None:
    written = tmp_path / "persisted"
    run = subprocess.run(
        [sys.executable, "-c", IN_TWO, str(written)], capture_output=True, text=True, check=True
    )
    # Here, the first half; the child's own list (the second half) only on disk.
    assert run.stdout.strip() == ",".join(map(str, range(55)))
    assert written.read_text("utf-8") == ",".join(map(str, range(55, 100)))


NATIVE_THREADS = """
import polars as pl
from journeycode import halves
pl.DataFrame({"a": range(10**5), "b": [1] * 10**5}).group_by("b").agg(pl.col("a").sum())
print(halves.forked(lambda: None))
"""


def test_nothing_is_forked_beside_a_librarys_own_threads() -> None:
    """Polars' pool is no thread of Python's, and may hold a lock in the child."""
    run = subprocess.run(
        [sys.executable, "-c", NATIVE_THREADS], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "None"


def test_a_child_that_hangs_is_killed_and_costs_only_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(halves, "PATIENCE", 0.2)
    pid = os.fork()
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    halves.reap(pid, time.monotonic())
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more


# A child that runs a program and hangs waiting for it; its parent stops it
# and says whether that program still runs.
RUNS_A_PROGRAM = """
import os, subprocess, sys, time
from journeycode import halves
read, write = os.pipe()
def work():
    program = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    os.write(write, str(program.pid).encode())
    program.wait()
pid = halves.forked(work)
program = int(os.read(read, 20))
halves.reap(pid, time.monotonic(), stop=True)
time.sleep(0.2)
try:  # gone, or dead and not yet reaped by its new parent
    state = open(f"/proc/{program}/stat").read().rsplit(")", 1)[1].split()[0]
    print("gone" if state in "ZX" else "still runs")
except FileNotFoundError:
    print("gone")
"""


def test_a_stopped_child_takes_the_programs_it_runs_with_it() -> None:
    """A drawing child's Graphviz does not run on once the child is stopped."""
    run = subprocess.run(
        [sys.executable, "-c", RUNS_A_PROGRAM], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "gone"


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
