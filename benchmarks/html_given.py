"""MkDocs hooks for the site bench's floor: MkDocs alone on the site's pages,
each page's HTML given, as journeycode's page cache gives it on a rebuild.

The first build (``HTML_GIVEN`` names no file yet) converts the pages and
keeps their HTML there; each build after hands MkDocs empty pages to convert
and gives that HTML back. What is left is MkDocs' own work on any rebuild:
its start-up, its reading of the pages, the theme's templates (the navigation
on every page) and the writes. The tables of contents are not given back: a
little less work than a rebuild's."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

_STORE = Path(os.environ["HTML_GIVEN"])
_HTML: dict[str, str] = json.loads(_STORE.read_text("utf-8")) if _STORE.exists() else {}
_PRIMING = not _HTML


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    return markdown if _PRIMING else ""


def on_page_content(html: str, page: Any, **_: Any) -> str:
    if _PRIMING:
        _HTML[page.file.src_uri] = html
        return html
    return _HTML[page.file.src_uri]


def on_post_build(**_: Any) -> None:
    if _PRIMING:
        _STORE.write_text(json.dumps(_HTML), "utf-8")
