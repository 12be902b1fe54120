"""Digests of what a diagram or a page is made from, for the render caches.

A journey's diagrams and page depend on its own file, on the catalog (every
file's data but its journey, and the KPIs' measurements, which may come from
CSV exports), on the settings and on journeycode's own code. Hashing those
inputs lets a rebuild skip building what has not changed, before any of it is
built. The language they are written in is an input too (a Russian canvas is
not an English one), and so are the catalogs that say its words.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeycode import __version__, i18n
from journeycode.model import Journey, Kpi, Workspace

if TYPE_CHECKING:
    from journeycode.flows.paths import Flows

_PACKAGE = Path(__file__).resolve().parent


def of(*parts: Any) -> str:
    """A digest of JSON-able parts (repr for anything else)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def code() -> str:
    """journeycode's version and every file of the package: any of them (the
    model, the queries, coverage, a template, a translation) can change what is
    drawn or written."""
    return package_digest(_PACKAGE)


def package_digest(package: Path) -> str:
    sources = sorted(
        path
        for path in package.rglob("*")
        if path.suffix in (".py", ".j2", ".json", ".po") and "__pycache__" not in path.parts
    )
    return of(
        __version__,
        [(path.relative_to(package).as_posix(), path.read_text("utf-8")) for path in sources],
    )


def flows(graph: Flows | None) -> str:
    """Every flow file of a workspace, the steps its touchpoints call resolved
    and what names each flow: a flow's dead ends may lie in the flows it runs,
    or end at a resolved step, so each drawing of a flow rests on all of them."""
    if graph is None:
        return of(None)
    return of(
        [(f.id, f.display, f.src.file.data) for _, f in sorted(graph.flows.items())],
        sorted((k, sorted(v)) for k, v in graph.resolved.items()),
        sorted(graph.names),
    )


class Inputs:
    """The digests of one workspace's inputs, in the language of the work at
    hand (:func:`journeycode.i18n.current`)."""

    def __init__(self, workspace: Workspace, settings: Any = None):
        catalog = [{k: v for k, v in f.data.items() if k != "journey"} for f in workspace.files]
        measured = [(k.id, k.measurements, k.breakdown) for k in workspace.entities(Kpi)]
        self.catalog = of(code(), i18n.current().tag, catalog, measured, settings)
        self._files: dict[int, str] = {}

    def journey(self, journey: Journey) -> str:
        """What the journey's diagrams are drawn from: its file and the catalog."""
        file = journey.src.file
        if id(file) not in self._files:
            self._files[id(file)] = of(self.catalog, file.display, file.data)
        return self._files[id(file)]
