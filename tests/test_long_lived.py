"""A long-lived process (the language server, ``mkdocs serve``) compiles the
same folder again and again: nothing of a compile may outlive it there.

``gc.freeze`` is for one-shot commands only: a cycle among frozen objects is
never collected, so freezing on every compile leaked each compile's cycles
(1,000 recompiles of a workspace with a schema error left 19,241 objects).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from journeycode import compiler
from tests.conftest import write_files

# A schema error (an unknown key): its explanation is where cycles were made.
BROKEN = """
journey:
  id: order-status
  name: Check an order
  colour: blue
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat, channel: webchat}
"""


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Nothing frozen before the test (one-shot commands run in this process
    too), and nothing left frozen after it."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def _objects() -> int:
    """The objects the collector knows of, frozen or not, after a collection."""
    gc.collect()
    return len(gc.get_objects()) + gc.get_freeze_count()


@pytest.mark.parametrize("kept", [False, True], ids=["fresh", "with caches"])
def test_recompiles_freeze_nothing_and_leave_nothing_behind(
    kept: bool, tmp_path: Path, unfrozen: None
) -> None:
    root = write_files(tmp_path, {"j.yaml": BROKEN})
    caches = compiler.Caches(stamps={}) if kept else None

    def recompiled(times: int) -> int:
        for _ in range(times):
            result = compiler.compile_workspace(root, caches=caches).result
            assert [p.rule for p in result.problems][:1] == ["schema"]
        return _objects()

    before = recompiled(10)
    after = recompiled(200)
    assert gc.get_freeze_count() == 0
    assert after - before < 200, after - before


def test_a_one_shot_compile_freezes_what_it_made(tmp_path: Path, unfrozen: None) -> None:
    """A command's result lives until the process ends: frozen, later
    collections do not scan it again."""
    root = write_files(tmp_path, {"j.yaml": BROKEN})
    compiler.compile_workspace(root, one_shot=True)
    assert gc.get_freeze_count() > 0
