"""The site's diagrams drawn aside while its pages are made.

Drawing is a build's largest part after the Markdown: Graphviz for every
diagram the cache lacks, and pydot building each source first. By default
(:func:`on_a_thread`) the sources are built on a thread of their own and laid
out by Graphviz on the other cores while the pages are made. A cold build in
a process that may fork (:class:`InAChild`) draws them in a forked child
instead: then nothing but the pages holds the parent's interpreter, the child
keeps every drawing in the diagram cache, and the parent, which lists the
diagrams at once, reads them from there only when MkDocs copies them, after
the Markdown (itself converted on two cores, :mod:`journeycode.site.prerender`).
A child that fails or hangs only costs time: the parent draws what the cache
still lacks itself.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from journeycode import halves, i18n

T = TypeVar("T")


def on_a_thread(work: Callable[[], T], many: bool = False) -> Callable[[], T]:
    """``work`` begun on a thread of its own, in the caller's context (the
    language of the work at hand); the function that waits for what it gives."""
    i18n.load_formats()
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(contextvars.copy_context().run, work)
    pool.shutdown(wait=False)
    return future.result


@dataclass
class InAChild:
    """Draws ``many`` diagrams in a forked child (see the module), else as
    :func:`on_a_thread` does."""

    child: halves.Forked = field(default_factory=halves.Forked)
    on_thread: Callable[[], object] | None = None

    def __call__(self, work: Callable[[], T], many: bool = False) -> Callable[[], T]:
        context = contextvars.copy_context()
        if many:
            self.child = halves.fork(work, quiet=True)
        if self.child.pid is None:
            drawn = on_a_thread(work)
            self.on_thread = drawn
            return drawn

        def done() -> T:
            self.child.end()
            return context.run(work)  # from the cache, in the language it began in

        return done

    def settle(self) -> None:
        """Wait for a drawing on a thread, before a fork that would refuse
        to leave it behind (the Markdown child's); raises its RenderError."""
        if self.on_thread is not None:
            self.on_thread()

    def end(self, *, stop: bool = False) -> None:
        """Wait for the child, or ``stop`` it."""
        self.child.end(stop=stop)
