"""Which touchpoints reach a human: one pass per journey, the same answers as
following ``escalates_to`` from each touchpoint on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import scaling
from journeycode import coverage, queries
from journeycode.compiler import compile_workspace
from journeycode.loader import SourceFile
from journeycode.model import Channel, Journey, Mode, Src, Stage, Touchpoint, Workspace
from journeycode.queries import is_assisted, reaches_a_human
from journeycode.rules import escalation_path

SRC = Src(cast(SourceFile, None), ())
MODES: dict[str, Mode] = {"agent": "assisted", "bot": "self-service", "ivr": "automated"}
WORKSPACE = Workspace(
    Path(), (), {Channel: tuple(Channel(c, SRC, mode=m) for c, m in MODES.items())}
)


def _search(workspace: Workspace, journey: Journey, start: Touchpoint) -> bool:
    """The search from one touchpoint that the per-journey pass replaced: kept
    as the specification of what reaching a human means."""
    by_id = journey.touchpoint_by_id
    seen = {start.id}
    frontier = list(start.escalates_to)
    while frontier:
        current = frontier.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        tp = by_id[current]
        if is_assisted(workspace, tp):
            return True
        frontier.extend(tp.escalates_to)
    return False


IDS = [f"t{i}" for i in range(8)]
_TOUCHPOINTS = st.lists(
    st.tuples(
        # An unknown channel is not assisted, and is passed through like self-service.
        st.sampled_from([*MODES, "unknown"]),
        # Targets include the touchpoint itself and ids the journey does not have.
        st.lists(st.sampled_from([*IDS, "elsewhere"]), max_size=3),
    ),
    min_size=1,
    max_size=len(IDS),
)


def _journey(touchpoints: list[tuple[str, list[str]]]) -> Journey:
    tps = tuple(
        Touchpoint(IDS[i], SRC, channel=channel, escalates_to=tuple(targets))
        for i, (channel, targets) in enumerate(touchpoints)
    )
    return Journey("j", SRC, stages=(Stage("s", SRC, touchpoints=tps),))


@settings(max_examples=500, deadline=None)
@given(touchpoints=_TOUCHPOINTS)
def test_same_answer_as_a_search_from_each_touchpoint(
    touchpoints: list[tuple[str, list[str]]],
) -> None:
    journey = _journey(touchpoints)
    for _, tp in journey.touchpoints():
        assert reaches_a_human(WORKSPACE, journey, tp) == _search(WORKSPACE, journey, tp), tp


def test_an_assisted_touchpoint_that_only_leads_back_to_itself_reaches_no_other_human() -> None:
    journey = _journey([("agent", ["t1"]), ("bot", ["t0"]), ("agent", ["t3"]), ("bot", ["t0"])])
    assert [reaches_a_human(WORKSPACE, journey, tp) for _, tp in journey.touchpoints()] == [
        False,
        True,
        True,
        True,
    ]


def test_the_answer_follows_the_workspace_channel_modes() -> None:
    """The same journey object asked about under two workspaces (a diff asks
    about the base and the head in turn) is answered for each."""
    journey = _journey([("bot", ["t1"]), ("agent", [])])
    bot = journey.touchpoint_by_id["t0"]
    demoted = Workspace(Path(), (), {Channel: (Channel("agent", SRC, mode="self-service"),)})
    assert reaches_a_human(WORKSPACE, journey, bot)
    assert not reaches_a_human(demoted, journey, bot)
    assert reaches_a_human(WORKSPACE, journey, bot)


def test_a_second_touchpoint_with_the_same_id_is_judged_by_its_own_escalations() -> None:
    """A duplicate id is a duplicate-id error; the second touchpoint still gets
    an answer of its own, each id it escalates to meaning the first touchpoint
    with that id."""
    first = Touchpoint("t0", SRC, channel="bot", escalates_to=("t1",))
    human = Touchpoint("t1", SRC, channel="agent")
    dead_end = Touchpoint("t0", SRC, channel="bot")
    journey = Journey("j", SRC, stages=(Stage("s", SRC, touchpoints=(first, human, dead_end)),))
    assert reaches_a_human(WORKSPACE, journey, first)
    assert not reaches_a_human(WORKSPACE, journey, dead_end)


def _chain(folder: Path, n: int) -> Path:
    return scaling.write(folder, scaling.escalation_chain(n))


def test_one_pass_per_journey(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """check (the rule) and coverage look at each touchpoint of a journey a
    bounded number of times: a search from every touchpoint of a chain on its
    own looked at n²/2 of them."""
    n = 2_000
    looked = 0

    def counted(workspace: Workspace, tp: Touchpoint) -> bool:
        nonlocal looked
        looked += 1
        return is_assisted(workspace, tp)

    monkeypatch.setattr(queries, "is_assisted", counted)
    compiled = compile_workspace(_chain(tmp_path / "maps", n))
    assert not [p for p in compiled.result.problems if p.rule == escalation_path.ID]
    assert coverage.coverage(compiled.workspace).shares["escalation_paths"].covered == n - 1
    assert looked <= 3 * n


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", [["check"], ["coverage", "--format", "json"], ["export", "--format", "json"]]
)
def test_a_journey_of_20000_touchpoints_in_one_escalation_chain(
    command: list[str], tmp_path: Path
) -> None:
    """Each took more than 120 s when every touchpoint searched the chain on its
    own; the timeout only stops a hang, the growth is measured by ``make bench``
    (benchmarks/scaling.py's escalation chain), not by a clock here."""
    maps = _chain(tmp_path / "maps", 20_000)
    env = {**os.environ, "JOURNEYCODE_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run(
        [sys.executable, "-m", "journeycode", command[0], str(maps), *command[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    assert "has no way out to a human" not in run.stdout


def test_a_long_transfer_chain_is_named_by_its_first_steps(tmp_path: Path) -> None:
    """Before, the whole chain was written out, once per way into it: a 545 KB
    map made 160 MB of report."""
    folder = scaling.write(tmp_path / "maps", scaling.escalation_chain(2_000))
    result = compile_workspace(folder, "maps").result
    (chain,) = [p for p in result.problems if p.rule == "transfer-chain"]
    assert chain.message == (
        "customers can be handed over 1999 times from 't0': "
        "t0 → t1 → t2 → t3 → t4 → t5 → t6 → … (1993 more) (at most 2)"
    )
