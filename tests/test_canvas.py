"""The canvas view, the journey map one-pager: its rows, its emotion curve, print size."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeycode import render, values
from journeycode.compiler import compile_workspace
from journeycode.model import Journey, Kpi, Workspace
from journeycode.render.canvas import canvas
from journeycode.render.emotion import PALETTE
from journeycode.render.graphviz import Cache, Graphviz
from tests.conftest import ROOT, write_files

SVG = "{http://www.w3.org/2000/svg}"
# A3 landscape less 10 mm margins, in points.
A3_PRINTABLE = (400 / 25.4 * 72, 277 / 25.4 * 72)
ROWS = [
    "Stage",
    "Customer goal",
    "Customer actions",
    "Touchpoints",
    "Emotion",
    "Pain points",
    "Opportunities",
    "KPIs",
    "Legend",
]
WORKSPACE = compile_workspace(ROOT / "maps", "maps").workspace


@pytest.fixture(scope="module")
def sample_svgs() -> dict[str, bytes]:
    items = render.diagrams(WORKSPACE, ["canvas"])
    return render.render(items, "svg", Cache(None), Graphviz.find()).files


def _texts(svg: bytes) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text element, y growing downwards."""
    root = ET.fromstring(svg)
    return [
        (float(t.get("x", 0)), float(t.get("y", 0)), "".join(t.itertext()))
        for t in root.iter(f"{SVG}text")
    ]


def test_every_sample_canvas_prints_readably_on_a3_landscape(sample_svgs: dict[str, bytes]) -> None:
    """Scaled to fit A3 landscape, the smallest text is still at least 7 pt."""
    assert sorted(sample_svgs) == sorted(f"{j.id}.canvas.svg" for j in WORKSPACE.entities(Journey))
    for name, svg in sample_svgs.items():
        text = svg.decode("utf-8")
        box = re.search(r'viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"', text)
        assert box is not None
        width, height = map(float, box.groups())
        scale = min(1.0, A3_PRINTABLE[0] / width, A3_PRINTABLE[1] / height)
        smallest = min(float(size) for size in re.findall(r'font-size="([\d.]+)"', text))
        assert smallest * scale >= 7, (name, width, height, smallest * scale)


def test_the_canvas_shows_each_stage_with_its_rows(sample_svgs: dict[str, bytes]) -> None:
    journey = WORKSPACE.by_id(Journey)["billing-dispute"]
    texts = _texts(sample_svgs["billing-dispute.canvas.svg"])
    # Wrapped text is split into lines at spaces: join them back.
    shown = " ".join(text for _, _, text in texts)
    # The rows, top to bottom.
    tops = [min(y for x, y, t in texts if t == row and x < 132) for row in ROWS]
    assert tops == sorted(tops)
    # The stages, left to right.
    lefts = [
        min(x for x, _, t in texts if t == f"{n}. {s.name}")
        for n, s in enumerate(journey.stages, 1)
    ]
    assert lefts == sorted(lefts)
    for stage in journey.stages:
        assert stage.goal and stage.goal in shown
        for tp in stage.touchpoints:
            assert tp.name in shown
            assert f"· {tp.action}" in shown
    # A stage's KPIs: the latest value against the target, and whether it is on target.
    aht = WORKSPACE.by_id(Kpi)["aht"]
    last = values.latest(aht)
    assert last is not None
    assert f"{values.value(last.value, aht)} vs {values.target(aht)}" in shown
    assert "OFF TARGET" in shown and "ON TARGET" in shown
    for opportunity in journey.opportunities:
        assert f"→ {opportunity.name}" in shown


def test_an_opportunity_sits_under_the_stage_of_the_pain_point_it_addresses(
    sample_svgs: dict[str, bytes],
) -> None:
    journey = WORKSPACE.by_id(Journey)["billing-dispute"]
    texts = _texts(sample_svgs["billing-dispute.canvas.svg"])
    columns = [
        min(x for x, _, t in texts if t == f"{n}. {s.name}")
        for n, s in enumerate(journey.stages, 1)
    ]
    for opportunity in journey.opportunities:
        x = next(
            x for x, _, t in texts if t.startswith("→ ") and opportunity.name.startswith(t[2:])
        )
        column = max(i for i, left in enumerate(columns) if left <= x + 1)
        stage = journey.stages[column]
        assert set(opportunity.addresses) & {
            p.id for tp in stage.touchpoints for p in tp.pain_points
        }


def _journey(tmp_path: Path, extra: str = "") -> tuple[Workspace, Journey]:
    root = write_files(
        tmp_path,
        {
            "j.yaml": f"""
personas: [{{id: p, name: P}}, {{id: q, name: Q}}]
channels: [{{id: c, name: C, type: voice, mode: assisted}}]
journey:
  id: j
  name: J
  personas: [p, q]
  stages:
    - {{id: a, name: A, touchpoints: [{{id: a1, name: A1, channel: c, emotion: -2}},
                                     {{id: a2, name: A2, channel: c, emotion: 2}}]}}
    - {{id: b, name: B, touchpoints: [{{id: b1, name: B1, channel: c, personas: [q], emotion: 0}}]}}
    - {{id: c, name: C, touchpoints: [{{id: c1, name: C1, channel: c, emotion: 1}}]}}
{extra}
""",
        },
    )
    workspace = compile_workspace(root).workspace
    return workspace, workspace.entities(Journey)[0]


def _pos(node: object) -> tuple[float, float]:
    x, y = node.get("pos").strip('"!').split(",")  # type: ignore[attr-defined]
    return float(x), -float(y)


def test_the_emotion_row_joins_stages_never_alternatives(tmp_path: Path) -> None:
    """As in the emotion view: per persona one point per stage (the mean of its
    touchpoints there), a bar from the lowest to the highest, lines only between
    consecutive stages, and a gap where the persona does not pass."""
    workspace, journey = _journey(tmp_path)
    graph = canvas(workspace, journey)
    nodes = {n.get_name(): n for n in graph.get_nodes()}
    for number, stages in ((0, 2), (1, 3)):  # p skips stage b; q passes all three
        color = PALETTE[number]
        dots = [
            n for n in nodes.values() if n.get("fillcolor") == color and n.get("width") == "0.11"
        ]
        assert len(dots) == stages
        names = {n.get_name() for n in dots}
        lines = [
            e
            for e in graph.get_edges()
            if e.get("color") == color and {e.get_source(), e.get_destination()} <= names
        ]
        assert len(lines) == (0 if number == 0 else 2)  # p's gap at b breaks its line
        bars = [e for e in graph.get_edges() if e.get("color") == color + "55"]
        assert len(bars) == 1  # stage a: -2 and +2
        first = min(dots, key=lambda n: _pos(n)[0])
        top, bottom = (
            _pos(nodes[str(bars[0].get_source())])[1],
            _pos(nodes[str(bars[0].get_destination())])[1],
        )
        assert top < _pos(first)[1] < bottom  # the mean (0) between +2 and -2


def test_opportunities_for_no_pain_point_get_a_row_across_the_journey(tmp_path: Path) -> None:
    workspace, _ = _journey(
        tmp_path,
        "  opportunities:\n    - {id: o, name: Call-back everywhere, status: idea}\n",
    )
    svg = render.render(
        render.diagrams(workspace, ["canvas"]), "svg", Cache(None), Graphviz.find()
    ).files
    shown = {t for _, _, t in _texts(svg["j.canvas.svg"])}
    assert {"Journey-wide", "→ Call-back everywhere", "idea"} <= shown


def test_the_canvas_png_is_drawn_for_print(tmp_path: Path) -> None:
    """The PNG is the SVG rasterised at 150 pixels per inch."""
    items = render.diagrams(WORKSPACE, ["canvas"], ["onboarding"])
    program = Graphviz.find()
    svg = render.render(items, "svg", Cache(None), program).files["onboarding.canvas.svg"]
    png = render.render(items, "png", Cache(None), program).files["onboarding.canvas.png"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width_px = struct.unpack(">I", png[16:20])[0]
    box = re.search(rb'viewBox="0\.00 0\.00 ([\d.]+)', svg)
    assert box is not None
    assert abs(width_px - float(box.group(1)) * 150 / 72) < 4
