"""Work done on two cores by forking: the one-shot commands' cold start.

A cold check spends most of its time on work that is the same for each file
and each journey, and whose results the disk cache already knows how to
write and read. :func:`in_two` does the second half of such work in a forked
child, which writes its results to the cache and exits; the caller then finds
them there as it would those of an earlier run. Nothing else crosses between
the processes, so a child that fails only costs time: what it did not write,
the caller does itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Below this many items a second process costs more than it saves.
FROM = 40
PATIENCE = 10.0
"""The least time a child is waited for (:func:`reap`), in seconds."""


def in_two(items: Sequence[T], do: Callable[[T], object], persist: Callable[[], object]) -> None:
    """``do(item)`` for every item: the first half (a little more) here, the rest in a
    forked child that calls ``persist`` when done. Does nothing where there
    are few items, no fork, or threads (see :func:`forked`), for the caller's
    own loop then does it all."""
    if len(items) < FROM:
        return
    # The child also writes what it did: it takes a little less.
    half = len(items) * 11 // 20

    def rest() -> None:
        for item in items[half:]:
            do(item)
        persist()

    child = fork(rest)
    if child.pid is None:
        return
    try:
        for item in items[:half]:
            do(item)
    finally:
        child.end()


@dataclass
class Forked:
    """A child :func:`fork` began (none: ``pid`` None), waited for or stopped once."""

    pid: int | None = None
    started: float = 0.0

    def end(self, *, stop: bool = False) -> None:
        """Wait for the child (:func:`reap`), or ``stop`` it at once."""
        if self.pid is not None:
            reap(self.pid, self.started, stop=stop)
            self.pid = None


def fork(work: Callable[[], object], *, quiet: bool = False) -> Forked:
    """A child doing ``work`` (see :func:`forked`), and when it began."""
    started = time.monotonic()
    return Forked(forked(work, quiet=quiet), started)


def forked(work: Callable[[], object], *, quiet: bool = False) -> int | None:
    """The process id of a forked child that does ``work`` and exits, or
    None where there is no fork, or other threads, a library's own among
    them (a fork can leave another thread's lock held in the child). A
    ``quiet`` child's standard output and error go nowhere: what it would
    say, the caller says itself."""
    if not hasattr(os, "fork") or _threads() > 1:
        return None
    pid = os.fork()
    if pid == 0:
        try:
            if quiet:
                nowhere = os.open(os.devnull, os.O_WRONLY)
                os.dup2(nowhere, 1)
                os.dup2(nowhere, 2)
            work()
        finally:
            os._exit(0)
    return pid


def reap(pid: int, started: float, *, stop: bool = False) -> None:
    """Wait for the child ``pid``, forked at ``started`` (``time.monotonic``),
    which has about as much to do as its parent did meanwhile: twice that
    long more at most, and at least :data:`PATIENCE` seconds; then (or at once,
    with ``stop``) it is killed, for a child that hangs costs only time."""
    waited = time.monotonic()
    deadline = waited + max(PATIENCE, 2 * (waited - started))
    while not stop and time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.005)
    _kill(pid)


def _kill(pid: int) -> None:
    """Kill the child ``pid`` and the programs it runs (Graphviz, say): held
    first, so that it starts no other, where the system lists a process's
    children; they would otherwise run on, their parent gone."""
    try:
        os.kill(pid, signal.SIGSTOP)
        for child in _children(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _children(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    found: list[int] = []
    for task in tasks:
        with contextlib.suppress(OSError, ValueError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _threads() -> int:
    """This process's threads, native ones too (a library's pool), where the
    system lists them."""
    try:
        return sum(1 for _ in Path("/proc/self/task").iterdir())
    except OSError:
        return threading.active_count()
