"""A cache of the HTML MkDocs makes from each generated page, and the
journeys' names put into it.

MkDocs converts every page's Markdown on every build, and for a large
portfolio that conversion is most of the build. A generated page whose
Markdown, URL and site (the set of files, the Markdown extensions) are what
they were last time converts to the same HTML: the plugin hands MkDocs an
empty page to convert (``on_page_markdown``) and gives back the HTML
(``on_page_content``), with the table of contents and anchors MkDocs made
before put back in the page's public ``toc``, ``present_anchor_ids`` and
``links_to_anchors``; the title is the page's front matter, which MkDocs
reads before either event. Pages whose conversion logged a warning are never
cached, so a cached build warns (and fails under --strict) like a fresh one:
a build counts MkDocs' warnings from :meth:`PageCache.start_build` to
:meth:`PageCache.end_build`.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import meta

from journeycode import atomic, cachedir, digest
from journeycode.quoting import html_text, named

VERSION = "2"  # of the entry layout below


_LOGGER = "mkdocs"  # where MkDocs logs a page's warnings


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class PageCache:
    folder: Path | None
    site: str = ""

    def __post_init__(self) -> None:
        if self.folder is not None and not cachedir.usable(self.folder, self.folder.parent):
            self.folder = None  # what the cache trusts: cachedir
        if self.folder is not None:
            atomic.sweep(self.folder)
        self._warnings = _Counter()
        self._pending: dict[str, tuple[str, int]] = {}  # src_uri -> (key, warnings before)
        self._hits: dict[str, dict[str, Any]] = {}
        self._keys: dict[str, tuple[str, str]] = {}  # src_uri -> (Markdown, key)

    def start_build(self, files: Iterable[str], settings: Any) -> None:
        """What every page's HTML depends on besides its own Markdown and URL;
        MkDocs' warnings are counted from here on."""
        self.site = digest.of(sorted(files), settings, digest.code(), _converters())
        self._pending.clear()
        self._hits.clear()
        self._keys.clear()
        logging.getLogger(_LOGGER).addHandler(self._warnings)

    def end_build(self) -> None:
        """The build is over (or failed): warnings are no longer counted."""
        logging.getLogger(_LOGGER).removeHandler(self._warnings)

    def _key(self, page: Page, markdown: str) -> str:
        known = self._keys.get(page.file.src_uri)
        if known is not None and known[0] == markdown:
            return known[1]  # (a page's digest is worth keeping: it may be 200 KB)
        key = digest.of(VERSION, self.site, page.url, markdown)
        self._keys[page.file.src_uri] = markdown, key
        return key

    def missing(self, page: Page) -> bool:
        """Whether the page's Markdown, as written, has no entry yet: a page
        worth converting beforehand on another core (:mod:`journeycode.site.prerender`),
        whose entry this build then finds. Never without a cache folder,
        which is the only way such a page's HTML would reach this build."""
        if self.folder is None:
            return False
        markdown, _ = meta.get_data(page.file.content_string)  # as Page.read_source reads it
        return not (self.folder / self._key(page, markdown)).is_file()

    def hit(self, page: Page) -> bool:
        """Whether :meth:`before` found the page in the cache."""
        return page.file.src_uri in self._hits

    def before(self, page: Page, markdown: str) -> str:
        """The Markdown MkDocs should convert: the page's own, or nothing when cached."""
        key = self._key(page, markdown)
        entry = self._read(key)
        if entry is not None:
            self._hits[page.file.src_uri] = entry
            return ""
        self._pending[page.file.src_uri] = (key, self._warnings.count)
        return markdown

    def after(self, page: Page, html: str, files: Files) -> str:
        """The page's HTML, restored from the cache or stored into it."""
        entry = self._hits.pop(page.file.src_uri, None)
        if entry is not None:
            page.toc = get_toc(entry["toc"])
            page.present_anchor_ids = set(entry["anchors"])
            if entry["links"] is not None:
                found = {files.get_file_from_path(uri): v for uri, v in entry["links"].items()}
                page.links_to_anchors = {f: v for f, v in found.items() if f is not None}
            html_text: str = entry["html"]
            return html_text
        key, warnings = self._pending.pop(page.file.src_uri, ("", -1))
        if key and warnings == self._warnings.count and self.folder is not None:
            links = page.links_to_anchors
            entry = {
                "html": html,
                "toc": [_token(item) for item in page.toc],
                "anchors": sorted(page.present_anchor_ids or ()),
                "links": None if links is None else {f.src_uri: v for f, v in links.items()},
            }
            cachedir.write(self.folder / key, json.dumps(entry).encode("utf-8"))
        return html

    def _read(self, key: str) -> dict[str, Any] | None:
        raw = None if self.folder is None else cachedir.read(self.folder / key)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
        except ValueError:
            return None
        return entry if _is_entry(entry) else None


def named_page(page: Page, html: str, names: Mapping[str, str]) -> str:
    """The page's HTML and table of contents with the journeys' names put in
    (see :attr:`journeycode.site.generator.Site.names`)."""
    for item in _walk(page.toc):
        item.title = named(item.title, names, html_text)
    return named(html, names, html_text)


def _walk(items: Iterable[AnchorLink]) -> Iterator[AnchorLink]:
    for item in items:
        yield item
        yield from _walk(item.children)


@functools.cache
def _converters() -> list[str]:
    """The versions of what turns a page's Markdown into HTML."""
    return [metadata.version(name) for name in ("mkdocs", "markdown")]


def _is_entry(entry: Any) -> bool:
    """Whether a cached entry has the shape :meth:`PageCache.after` reads."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("html"), str)
        and isinstance(entry.get("anchors"), list)
        and all(isinstance(a, str) for a in entry["anchors"])
        and isinstance(entry.get("links"), (dict, type(None)))
        and isinstance(entry.get("toc"), list)
        and all(_is_token(item) for item in entry["toc"])
    )


def _is_token(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("level"), int)
        and isinstance(item.get("id"), str)
        and isinstance(item.get("name"), str)
        and isinstance(item.get("children"), list)
        and all(_is_token(child) for child in item["children"])
    )


def _token(item: AnchorLink) -> dict[str, Any]:
    return {
        "level": item.level,
        "id": item.id,
        "name": item.title,
        "children": [_token(child) for child in item.children],
    }
