"""Display words are only words: reworded, as a translation will reword them,
they change what is shown and no behaviour — badge classes, colours, order,
how the canvas draws its rows, what an export holds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journeycode import values
from journeycode.compiler import compile_workspace
from journeycode.export import manifest
from journeycode.model import Journey, Workspace
from journeycode.render import canvas
from journeycode.render.graphviz import Cache
from journeycode.site.generator import build_site
from tests.conftest import ROOT, write_files

SAMPLE = compile_workspace(ROOT / "maps", "maps")
# As long as the words they replace, so that no text wraps differently.
WORDS = {values.Status.ON: "erreicht", values.Status.OFF: "verfehlt"}
_BADGE = re.compile(r'class="jc-badge jc-(on|off)">([^<]*)</span>')
_KPI_LINK = re.compile(r"\]\((kpis/[^)]+)\)")


def _reworded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "WORDS", WORDS)
    monkeypatch.setattr(canvas, "LABELS", {r: w.upper() for r, w in canvas.LABELS.items()})


def _wide(folder: Path) -> Workspace:
    """A journey with an opportunity for no pain point: the canvas's journey-wide row."""
    root = write_files(
        folder,
        {
            "j.yaml": "personas: [{id: p, name: P}]\n"
            "channels: [{id: c, name: C, type: voice, mode: assisted}]\n"
            "journey:\n  id: wide\n  name: W\n  personas: [p]\n"
            "  stages: [{id: a, name: A, touchpoints: [{id: a1, name: A1, channel: c}]}]\n"
            "  opportunities: [{id: o, name: Call back, status: idea}]\n"
        },
    )
    return compile_workspace(root).workspace


def _canvases(workspaces: tuple[Workspace, ...]) -> dict[str, str]:
    return {
        j.id: canvas.canvas(workspace, j).to_string()
        for workspace in workspaces
        for j in workspace.entities(Journey)
    }


def test_the_canvas_draws_the_same_rows_and_colours_in_other_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    workspaces = (SAMPLE.workspace, _wide(tmp_path))
    before = _canvases(workspaces)
    labels = dict(canvas.LABELS)
    _reworded(monkeypatch)
    after = _canvases(workspaces)
    replaced = {
        **{f"<B>{w}</B>": f"<B>{w.upper()}</B>" for w in labels.values()},
        "<B>ON TARGET</B>": "<B>ERREICHT</B>",
        "<B>OFF TARGET</B>": "<B>VERFEHLT</B>",
    }
    for ident, dot in before.items():
        for old, new in replaced.items():
            dot = dot.replace(old, new)
        assert after[ident] == dot
    drawn = "".join(after.values())
    assert {"<B>JOURNEY-WIDE</B>", "<B>ERREICHT</B>", "<B>VERFEHLT</B>"} <= set(
        re.findall(r"<B>[^<]*</B>", drawn)
    )


def test_the_site_keeps_its_badges_and_order_in_other_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = build_site(SAMPLE, cache=Cache(None), history=None).pages
    _reworded(monkeypatch)
    after = build_site(SAMPLE, cache=Cache(None), history=None).pages
    assert after.keys() == before.keys()
    words = {str(status.value): word for status, word in WORDS.items()}
    for path, page in before.items():
        badges = _BADGE.findall(page)
        assert _BADGE.findall(after[path]) == [(kind, words[word]) for kind, word in badges]
    assert {kind for page in before.values() for kind, _ in _BADGE.findall(page)} == {"on", "off"}
    # Off target first, then on target, then without data.
    assert _KPI_LINK.findall(after["scorecard.md"]) == _KPI_LINK.findall(before["scorecard.md"])


def test_an_export_holds_the_status_not_its_words(monkeypatch: pytest.MonkeyPatch) -> None:
    _reworded(monkeypatch)
    statuses = {k["id"]: k["status"] for k in json.loads(manifest(SAMPLE))["kpis"]}
    assert statuses["aht"] == "off target"
    assert set(statuses.values()) <= {"on target", "off target", None}
