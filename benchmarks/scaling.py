"""Shapes that once made ``check`` quadratic, each at two sizes.

A shape is one file (besides a small catalog) that grows in one direction:
many touchpoints in one stage, a large owners file, many keys in one mapping,
touchpoints that all escalate to each other, one long escalation chain. Every
item yields a problem, so each one is located. ``check`` runs twice in a child
process, which times only the second run (no start-up, imports or schema
compilation), and the runner prints the time per 1,000 items at both sizes:
their ratio is about 1 when growth is linear.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

CATALOG: dict[str, Any] = {
    "journeycode": 1,
    "personas": [{"id": "p", "name": "P", "preferred_channels": ["chat"]}],
    "channels": [
        {"id": "chat", "name": "Chat", "type": "messaging", "mode": "assisted", "hours": "24/7"},
        {"id": "bot", "name": "Bot", "type": "messaging", "mode": "self-service", "hours": "24/7"},
    ],
    "owners": [{"id": "o", "name": "O"}],
}

TIMED = """
import sys, time
from pathlib import Path
from journeycode.compiler import compile_workspace
from journeycode.report.text import report
report(compile_workspace(Path(sys.argv[1])).result)  # imports and schema compiled: not timed
start = time.perf_counter()
result = compile_workspace(Path(sys.argv[1])).result
report(result)
print(time.perf_counter() - start, len(result.problems))
"""


def _journey(stages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "journeycode": 1,
        "journey": {"id": "j", "name": "J", "owner": "o", "personas": ["p"], "stages": stages},
    }


def touchpoints_in_one_stage(n: int) -> dict[str, Any]:
    """n touchpoints without an owner in one stage: a touchpoint-owner problem each."""
    tps = [{"id": f"t{i}", "name": f"T {i}", "channel": "chat"} for i in range(n)]
    return _journey([{"id": "s", "name": "S", "touchpoints": tps}])


def owners_file(n: int) -> dict[str, Any]:
    """A valid owners file of n owners that nobody uses: an unused-entity problem each."""
    owners = [
        {"id": f"owner-{i}", "name": f"Owner {i}", "contact": f"o{i}@example.com"} for i in range(n)
    ]
    return {"journeycode": 1, "owners": owners}


def keys_in_one_mapping(n: int) -> dict[str, Any]:
    """n unknown keys in one touchpoint: a schema problem each."""
    tp: dict[str, Any] = {"id": "t", "name": "T", "channel": "chat"}
    tp.update({f"extra-{i}": i for i in range(n)})
    return _journey([{"id": "s", "name": "S", "owner": "o", "touchpoints": [tp]}])


def escalating_to_every_other(n: int) -> dict[str, Any]:
    """n self-service touchpoints, each escalating to every other: n·(n-1) edges."""
    ids = [f"t{i}" for i in range(n)]
    tps = [
        {"id": t, "name": t, "channel": "bot", "escalates_to": [o for o in ids if o != t]}
        for t in ids
    ]
    return _journey([{"id": "s", "name": "S", "owner": "o", "touchpoints": tps}])


def escalation_chain(n: int) -> dict[str, Any]:
    """n - 1 self-service touchpoints without an owner, each escalating to the
    next, then an agent: every step reaches the human at the far end (a search
    from each step walked the rest of the chain), and each is a touchpoint-owner
    problem."""
    tps = [
        {"id": f"t{i}", "name": f"T {i}", "channel": "bot", "escalates_to": [f"t{i + 1}"]}
        for i in range(n - 1)
    ]
    tps.append({"id": f"t{n - 1}", "name": "Agent", "channel": "chat"})
    return _journey([{"id": "s", "name": "S", "touchpoints": tps}])


# name → (builder, the sizes given to it, items at a size)
SHAPES: dict[str, tuple[Callable[[int], dict[str, Any]], tuple[int, int], Callable[[int], int]]] = {
    "touchpoints in one stage": (touchpoints_in_one_stage, (5_000, 20_000), lambda n: n),
    "owners in one file": (owners_file, (5_000, 20_000), lambda n: n),
    "keys in one mapping": (keys_in_one_mapping, (5_000, 20_000), lambda n: n),
    "escalation edges": (escalating_to_every_other, (100, 200), lambda n: n * (n - 1)),
    "escalation chain": (escalation_chain, (5_000, 20_000), lambda n: n),
}


def write(folder: Path, shape: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog.yaml").write_text(yaml.safe_dump(CATALOG), "utf-8")
    (folder / "shape.yaml").write_text(yaml.safe_dump(shape, sort_keys=False), "utf-8")
    return folder


def timed_check(folder: Path) -> tuple[float, int]:
    """Seconds the compile and text report took in a fresh process, and the problem count."""
    run = subprocess.run(
        [sys.executable, "-c", TIMED, str(folder)], capture_output=True, text=True, check=True
    )
    seconds, problems = run.stdout.split()
    return float(seconds), int(problems)


def run(work: Path, scale: float = 1.0, repeat: int = 3) -> list[dict[str, Any]]:
    """One row per shape: items and seconds per 1,000 items at both sizes, and their ratio."""
    rows = []
    for name, (build, sizes, items_at) in SHAPES.items():
        row: dict[str, Any] = {"shape": name, "sizes": []}
        for size in sizes:
            n = max(2, int(size * scale))
            folder = write(work / f"{build.__name__}-{n}", build(n))
            seconds = min(timed_check(folder)[0] for _ in range(repeat))
            row["sizes"].append((items_at(n), 1000 * seconds / items_at(n)))
        row["ratio"] = row["sizes"][1][1] / row["sizes"][0][1]
        rows.append(row)
    return rows


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        print(json.dumps(run(Path(work)), indent=1))
