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
is told to stop before its next page (:meth:`Child.before`). A page that
warned is not cached, so MkDocs converts it again and warns itself; a child
that fails or hangs only costs time.
"""

from __future__ import annotations

import contextlib
import os
import select
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mkdocs.commands import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from journeycode import halves


@dataclass
class Child:
    child: halves.Forked = field(default_factory=halves.Forked)
    pages: frozenset[str] = field(default_factory=frozenset)
    """The source paths of the pages it converts."""
    tell: int | None = None
    """The end of its pipe that is closed to tell it to stop before its next page."""

    def before(self, page: Page, cached: bool) -> None:
        """Tell the child to stop where the parent meets it: at ``page``, one
        of the child's, ``cached`` (by the child: it was not when it began)."""
        if cached and page.file.src_uri in self.pages:
            self._tell()

    def end(self, *, stop: bool = False) -> None:
        """Tell the child to stop after the page it converts (this process has
        done the rest) and wait for it, or ``stop`` it at once, mid-page."""
        self._tell()
        self.child.end(stop=stop)

    def _tell(self) -> None:
        if self.tell is not None:
            os.close(self.tell)
            self.tell = None


def start(
    pages: Sequence[Page],
    config: MkDocsConfig,
    files: Files,
    settle: Callable[[], None] = lambda: None,
) -> Child:
    """A child converting ``pages`` from the last (in MkDocs' order), or one
    that converts nothing where there are few or no fork. ``settle`` runs
    just before the fork, which would refuse to leave a thread behind."""
    if len(pages) < halves.FROM:
        return Child()
    settle()
    told, tell = os.pipe()

    def convert() -> None:
        os.close(tell)
        for page in reversed(pages):
            if select.select([told], [], [], 0)[0]:
                return  # the parent closed its end: it has done the rest
            # MkDocs' own reading of a page (mkdocs.commands.build, 1.6): the
            # same events, so the same HTML as the parent's would be.
            with contextlib.suppress(Exception):
                build._populate_page(page, config, files)

    child = halves.fork(convert, quiet=True)
    os.close(told)
    if child.pid is None:
        os.close(tell)
        return Child()
    return Child(child, frozenset(p.file.src_uri for p in pages), tell)
