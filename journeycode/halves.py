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
    are few items, no fork, or threads (a fork can leave another thread's
    lock held in the child), for the caller's own loop then does it all."""
    if len(items) < FROM or not hasattr(os, "fork") or threading.active_count() > 1:
        return
    # The child also writes what it did: it takes a little less.
    half = len(items) * 11 // 20
    pid = os.fork()
    if pid == 0:
        try:
            for item in items[half:]:
                do(item)
            persist()
        finally:
            os._exit(0)
    try:
        for item in items[:half]:
            do(item)
    finally:
        os.waitpid(pid, 0)
