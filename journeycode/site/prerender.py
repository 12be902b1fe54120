"""A cold build's Markdown on two cores.

MkDocs converts its pages one after another, and in a build of a large
portfolio with few pages in the page cache that conversion is most of the
build. :func:`start`, called once the pages exist and before MkDocs reads
them (``on_nav``), forks a child that populates the generated pages the cache
lacks exactly as MkDocs does (its own steps, every plugin's page events), but
from the last one back, so that each lands in the page cache
(:mod:`journeycode.site.pagecache`), says nothing and exits. MkDocs then
populates every page itself as always, from the first, taking from the cache
what the child has done; the two meet wherever their speeds take them (the
parent also shares its cores with the drawing, :mod:`journeycode.site.aside`).
At the first of the child's pages the parent finds in the cache, every page
after it is there too: the child, now converting pages the parent has done,
is stopped (:meth:`Child.before`). A page that warned is not cached, so
MkDocs converts it again and warns itself; a child that fails or hangs only
costs time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

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

    def before(self, page: Page, cached: bool) -> None:
        """Stop the child where the parent meets it: at ``page``, one of the
        child's, ``cached`` (by the child: it was not when the child began)."""
        if cached and page.file.src_uri in self.pages:
            self.end(stop=True)

    def end(self, *, stop: bool = False) -> None:
        """Wait for the child (:func:`journeycode.halves.reap`), or ``stop`` it."""
        if self.pid is not None:
            halves.reap(self.pid, self.started, stop=stop)
            self.pid = None


def start(pages: Sequence[Page], config: MkDocsConfig, files: Files) -> Child:
    """A child converting ``pages`` from the last (in MkDocs' order), or one
    that converts nothing where there are few or no fork."""
    if len(pages) < halves.FROM:
        return Child()

    def convert() -> None:
        for page in reversed(pages):
            # MkDocs' own reading of a page (mkdocs.commands.build, 1.6): the
            # same events, so the same HTML as the parent's would be.
            with contextlib.suppress(Exception):
                build._populate_page(page, config, files)

    started = time.monotonic()
    pid = halves.forked(convert, quiet=True)
    return Child(pid, frozenset(p.file.src_uri for p in pages) if pid else frozenset(), started)
