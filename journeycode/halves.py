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

import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# Below this many items a second process costs more than it saves.
FROM = 40


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

    pid = forked(rest)
    if pid is None:
        return
    try:
        for item in items[:half]:
            do(item)
    finally:
        os.waitpid(pid, 0)


def forked(work: Callable[[], object], *, quiet: bool = False) -> int | None:
    """The process id of a forked child that does ``work`` and exits, or
    None where there is no fork, or other threads (a fork can leave another
    thread's lock held in the child). A ``quiet`` child's standard output
    and error go nowhere: what it would say, the caller says itself."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
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
