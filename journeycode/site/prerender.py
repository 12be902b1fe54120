"""Half of a cold build's Markdown on a second core.

MkDocs converts its pages one after another, and in a build of a large
portfolio with few pages in the page cache that conversion is most of the
build. :func:`start`, called once the pages exist and before MkDocs reads
them (``on_nav``), forks a child that populates the second half of the
generated pages the cache lacks exactly as MkDocs does (its own steps, every
plugin's page events), so that each lands in the page cache
(:mod:`journeycode.site.pagecache`), says nothing and exits. MkDocs then
populates every page itself as always; at the first page of the child's half
the plugin waits for the child (:meth:`Child.before`), and those pages come
from the cache. A page that warned is not cached, so MkDocs converts it again
and warns itself; a child that fails or hangs only costs time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from mkdocs.commands import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from journeycode import halves


@dataclass
class Child:
    pid: int | None = None
    pages: frozenset[str] = field(default_factory=frozenset)
    """The source paths of the pages it converts."""
    started: float = 0.0

    def before(self, page: Page) -> None:
        """Wait for the child before its first page is read from the cache."""
        if page.file.src_uri in self.pages:
            self.end()

    def end(self, *, stop: bool = False) -> None:
        """Wait for the child (:func:`journeycode.halves.reap`), or ``stop`` it."""
        if self.pid is not None:
            halves.reap(self.pid, self.started, stop=stop)
            self.pid = None


def start(pages: Sequence[Page], config: MkDocsConfig, files: Files) -> Child:
    """A child converting the second half of ``pages`` (in MkDocs' order, by
    the size of their Markdown), or one that converts nothing where there are
    few or no fork."""
    if len(pages) < halves.FROM:
        return Child()
    # Halves of the Markdown, not of the pages: a persona's page may be ten journeys'.
    sizes = [len(p.file.content_string) for p in pages]
    total = sum(sizes)
    half = pages[next(i for i, upto in enumerate(accumulate(sizes), 1) if 2 * upto >= total) :]

    def convert() -> None:
        for page in half:
            # MkDocs' own reading of a page (mkdocs.commands.build, 1.6): the
            # same events, so the same HTML as the parent's would be.
            with contextlib.suppress(Exception):
                build._populate_page(page, config, files)

    started = time.monotonic()
    pid = halves.forked(convert, quiet=True)
    return Child(pid, frozenset(p.file.src_uri for p in half) if pid else frozenset(), started)
