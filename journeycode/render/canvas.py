"""The canvas: the journey map on one page, the way a CX team presents it.

Stages are columns; the rows are the customer's goal, their actions, the
touchpoints by channel with their owner, the emotion curve, the pain points,
the opportunities that address them and the stage's KPIs with their status.

Every cell is a fixed-size node pinned where it belongs (Graphviz's neato
engine keeps pinned nodes where they are told), so the grid lines up exactly
and the emotion curve is drawn over its row with Graphviz's own lines. The same
DOT source gives the SVG and the PNG. Cell heights are estimated from the
wrapped text, generously, so text never spills out of its cell.

Sized for print: a journey of up to six stages fits A3 landscape with its
smallest text at 7 pt or more (``tests/test_canvas.py`` measures it).
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import Any

import pydot

from journeycode import naming, values
from journeycode.i18n import N_, _
from journeycode.model import Channel, Journey, Kpi, Opportunity, Owner, Persona, Stage, Workspace
from journeycode.queries import emotion_for, owner_of
from journeycode.quoting import display_width, html, wrap
from journeycode.render.emotion import PALETTE
from journeycode.render.views import FONT, MODE_BORDERS, MODE_COLORS, PAIN_COLOR, UNKNOWN_COLOR
from journeycode.words import listed, word

HEADER_WIDTH = 132.0  # points: the column of row names
PAGE_WIDTH = 1250.0  # points: stage columns share this, within the limits below
COLUMN_RANGE = (200.0, 290.0)
EMOTION_HEIGHT = 116.0
MIN_ROW = 30.0
PAD = 4  # the cell's padding
ITEM_PAD = 2  # an item's padding inside the cell
SPACING = 2  # between items
EM = 0.6  # a generous average advance, in ems, for wrapping
# Line height, in ems: Graphviz's is 1.2, graphviz-pure's nearer 1.0 in these
# labels. Items have this fixed height, so a longer line height only eats into
# their padding.
LINE = 1.1
GRID = "#c8c8c8"
HEADER_FILL = "#f1f1f1"
SEVERITY_COLORS = {"high": PAIN_COLOR, "medium": "#c0620e", "low": "#6b6b6b"}
STATUS_COLORS = {
    "done": "#2e7d32",
    "in-progress": "#1f5fa8",
    "planned": "#8a6d1f",
    "idea": "#777777",
}
HEALTH = {  # status: (text colour, fill); the label is the status's word
    values.Status.ON: ("#2e7d32", "#e3f2e4"),
    values.Status.OFF: ("#b03a2e", "#fbe4e1"),
    None: ("#6b6b6b", "#f4f4f4"),
}
NO_DATA = N_("no data")


class Row(enum.Enum):
    """A row of the canvas, top to bottom: how a row is drawn keys on it, never
    on its label."""

    STAGE = enum.auto()
    GOAL = enum.auto()
    ACTIONS = enum.auto()
    TOUCHPOINTS = enum.auto()
    EMOTION = enum.auto()
    PAIN_POINTS = enum.auto()
    OPPORTUNITIES = enum.auto()
    JOURNEY_WIDE = enum.auto()
    """Opportunities that address no pain point of the map, under every stage."""
    KPIS = enum.auto()
    LEGEND = enum.auto()


LABELS: dict[Row, str] = {
    Row.STAGE: N_("Stage"),
    Row.GOAL: N_("Customer goal"),
    Row.ACTIONS: N_("Customer actions"),
    Row.TOUCHPOINTS: N_("Touchpoints"),
    Row.EMOTION: N_("Emotion"),
    Row.PAIN_POINTS: N_("Pain points"),
    Row.OPPORTUNITIES: N_("Opportunities"),
    Row.JOURNEY_WIDE: N_("Journey-wide"),
    Row.KPIS: N_("KPIs"),
    Row.LEGEND: N_("Legend"),
}
"""Each row's name in the column of row names (translated where it is drawn)."""


@dataclass(frozen=True)
class Text:
    """One run of text in a cell: wrapped to the cell, escaped when drawn."""

    text: str
    size: float = 10
    bold: bool = False
    color: str | None = None

    def lines(self, width: float) -> list[str]:
        return list(_wrapped(self.text, max(int(width / (self.size * EM)), 8)))

    def html(self, width: float) -> str:
        body = "<BR/>".join(html(line) for line in self.lines(width)) or "&#160;"
        if self.bold:
            body = f"<B>{body}</B>"
        color = f' COLOR="{self.color}"' if self.color else ""
        return f'<FONT POINT-SIZE="{self.size:g}"{color}>{body}</FONT>'

    def height(self, width: float) -> float:
        return len(self.lines(width)) * self.size * LINE


@functools.lru_cache(maxsize=65536)
def _wrapped(text: str, columns: int) -> tuple[str, ...]:
    """A text's lines at a width: a cell's layout asks for them several times."""
    return tuple(wrap(text, columns)) or ("",)


def _item_height(item: Item, text_width: float) -> float:
    return sum(t.height(text_width) for t in item.texts) + 2 * ITEM_PAD + 2


@dataclass(frozen=True)
class Item:
    """A block of a cell (a touchpoint, a KPI, a pain point), with its own fill."""

    texts: tuple[Text, ...]
    fill: str | None = None
    border: str | None = None


def _text_width(cell_width: float) -> float:
    return cell_width - 2 * (PAD + ITEM_PAD + SPACING + 1)


def _height(items: list[Item], cell_width: float) -> float:
    width = _text_width(cell_width)
    return sum(_item_height(item, width) + SPACING for item in items) + 2 * PAD + SPACING


def _items(items: list[Item], width: float) -> str:
    """An HTML label: the items stacked, each as wide as the cell allows."""
    if not items:
        return '""'
    text_width = _text_width(width)
    rows = []
    for item in items:
        attrs = f' BGCOLOR="{item.fill}"' if item.fill else ""
        if item.border:
            attrs += f' BORDER="1" COLOR="{item.border}"'
        body = "<BR/>".join(t.html(text_width) for t in item.texts)
        rows.append(
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="{text_width + 2 * ITEM_PAD:.0f}" '
            f'HEIGHT="{_item_height(item, text_width):.0f}" ALIGN="LEFT" BALIGN="LEFT"{attrs}>'
            f"{body}</TD></TR>"
        )
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="{SPACING}" CELLPADDING="{ITEM_PAD}">'
        + "".join(rows)
        + "</TABLE>>"
    )


def _pos(x: float, y: float) -> str:
    """A pinned position; y grows downwards here and upwards in Graphviz."""
    return f'"{x:.1f},{-y:.1f}!"'


class _Canvas:
    def __init__(self, workspace: Workspace, journey: Journey):
        self.workspace = workspace
        self.journey = journey
        self.graph = pydot.Dot(
            # The graph's name is the SVG's title, which a browser shows for the file.
            _("canvas"),
            graph_type="graph",
            strict=False,
            layout="neato",
            inputscale="72",
            splines="false",
            outputorder="edgesfirst",
            pad="0.25",
            fontname=FONT,
        )
        self.graph.set_node_defaults(shape="plain", fontname=FONT, fontsize="10")
        self.graph.set_edge_defaults(fontname=FONT)
        self.count = 0
        stages = max(len(journey.stages), 1)
        low, high = COLUMN_RANGE
        self.column = max(low, min(high, (PAGE_WIDTH - HEADER_WIDTH) / stages))
        self.width = HEADER_WIDTH + stages * self.column

    def _id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def node(self, x: float, y: float, label: str, **attributes: Any) -> str:
        """A node pinned with its centre at (x, y)."""
        name = self._id("c")
        self.graph.add_node(pydot.Node(name, label=label, pos=_pos(x, y), **attributes))
        return name

    def cell(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        label: str,
        fill: str | None = None,
        border: str = GRID,
        labelloc: str = "t",
    ) -> None:
        """A box of the grid, its label at the top; without ``fill`` it is see-through."""
        style = {"style": "filled", "fillcolor": fill} if fill else {}
        if border == "none":
            style["penwidth"] = "0"
        self.node(
            x + width / 2,
            y + height / 2,
            label,
            shape="box",
            fixedsize="true",
            width=f"{width / 72:.4f}",
            height=f"{height / 72:.4f}",
            labelloc=labelloc,
            color=border,
            **style,
        )

    def text(self, x: float, y: float, text: Text) -> float:
        """One line of text starting at x, centred on y; where it ends."""
        width = _advance(text)
        label = (
            f'<<TABLE BORDER="0" CELLPADDING="0"><TR><TD WIDTH="{width:.0f}" ALIGN="LEFT">'
            f"{text.html(width + 100)}</TD></TR></TABLE>>"
        )
        self.node(x + width / 2, y, label)
        return x + width

    def point(self, x: float, y: float, **attributes: Any) -> str:
        name = self._id("p")
        defaults = {"shape": "point", "width": "0", "style": "invis", "label": '""'}
        self.graph.add_node(pydot.Node(name, pos=_pos(x, y), **{**defaults, **attributes}))
        return name

    def dot(self, x: float, y: float, color: str, inches: float) -> str:
        """A filled circle, its centre at (x, y)."""
        return self.point(
            x,
            y,
            shape="circle",
            width=f"{inches:g}",
            fixedsize="true",
            style="filled",
            fillcolor=color,
            color="white",
        )

    def line(self, start: str, end: str, **attributes: Any) -> None:
        self.graph.add_edge(pydot.Edge(start, end, **attributes))


def canvas(workspace: Workspace, journey: Journey) -> pydot.Dot:
    """The journey map one-pager (see the module's docstring)."""
    page = _Canvas(workspace, journey)
    stages = journey.stages or (Stage(id="", src=journey.src, name=_("(no stages)")),)
    placed = {p.id for _, tp in journey.touchpoints() for p in tp.pain_points}
    elsewhere = [_opportunity(o) for o in journey.opportunities if not placed & set(o.addresses)]
    rows: list[tuple[Row, list[list[Item]]]] = [
        (Row.STAGE, [_stage_items(workspace, index, s) for index, s in enumerate(stages)]),
        (Row.GOAL, [[Item((Text(s.goal or "—"),))] for s in stages]),
        (Row.ACTIONS, [_actions(s) for s in stages]),
        (Row.TOUCHPOINTS, [_touchpoints(workspace, s) for s in stages]),
        (Row.EMOTION, []),
        (Row.PAIN_POINTS, [_pain_points(s) for s in stages]),
        (Row.OPPORTUNITIES, [_opportunities(journey, s) for s in stages]),
        *([(Row.JOURNEY_WIDE, [elsewhere])] if elsewhere else []),
        (Row.KPIS, [_kpis(workspace, s) for s in stages]),
    ]
    title = [_title(workspace, journey)]
    top = _height(title, page.width)
    page.cell(0, 0, page.width, top, _items(title, page.width))
    for row, cells in rows:
        if row is Row.EMOTION:
            _emotion_row(page, stages, top)
            top += EMOTION_HEIGHT
            continue
        if row is Row.JOURNEY_WIDE:
            wide = page.width - HEADER_WIDTH
            height = max(_height(elsewhere, wide), _header_height(row))
            _row_header(page, row, top, height)
            page.cell(HEADER_WIDTH, top, wide, height, _items(elsewhere, wide))
            top += height
            continue
        height = max(
            max((_height(items, page.column) for items in cells), default=0), _header_height(row)
        )
        _row_header(page, row, top, height)
        for index, items in enumerate(cells):
            x = HEADER_WIDTH + index * page.column
            fill = HEADER_FILL if row is Row.STAGE else None
            shown = items or [Item((Text("—", color="#aaaaaa"),))]
            page.cell(x, top, page.column, height, _items(shown, page.column), fill)
        top += height
    _legend(page, top)
    return page.graph


def _header(row: Row) -> list[Item]:
    return [Item((Text(_(LABELS[row]), size=11, bold=True),))]


def _header_height(row: Row) -> float:
    return max(_height(_header(row), HEADER_WIDTH), MIN_ROW)


def _row_header(page: _Canvas, row: Row, top: float, height: float) -> None:
    page.cell(0, top, HEADER_WIDTH, height, _items(_header(row), HEADER_WIDTH), HEADER_FILL)


def _title(workspace: Workspace, journey: Journey) -> Item:
    personas = [naming.name(workspace.by_id(Persona), p) for p in journey.personas]
    meta = " · ".join(
        part
        for part in (
            journey.id,
            journey.version and f"v{journey.version}",
            journey.status and word(journey.status),
            journey.owner and naming.name(workspace.by_id(Owner), journey.owner),
            personas and _("for {personas}").format(personas=listed(personas)),
        )
        if part
    )
    return Item((Text(journey.name, size=18, bold=True), Text(meta, size=10, color="#555555")))


def _stage_items(workspace: Workspace, index: int, stage: Stage) -> list[Item]:
    texts = [Text(f"{index + 1}. {stage.name}", size=13, bold=True)]
    if stage.owner:
        texts.append(
            Text(naming.name(workspace.by_id(Owner), stage.owner), size=9, color="#555555")
        )
    return [Item(tuple(texts))]


def _actions(stage: Stage) -> list[Item]:
    return [Item((Text(f"· {tp.action}"),)) for tp in stage.touchpoints if tp.action]


def _touchpoints(workspace: Workspace, stage: Stage) -> list[Item]:
    items = []
    for tp in stage.touchpoints:
        channel = workspace.by_id(Channel).get(tp.channel)
        owner = owner_of(stage, tp)
        details = " · ".join(
            x
            for x in (
                naming.name(workspace.by_id(Channel), tp.channel),
                owner and naming.name(workspace.by_id(Owner), owner),
            )
            if x
        )
        texts = [Text(tp.name, bold=True), Text(details, size=9, color="#444444")]
        if tp.moment_of_truth:
            texts.append(Text(_("♦ moment of truth"), size=9, color="#7d3c98"))
        mode = channel.mode if channel else ""
        items.append(
            Item(tuple(texts), MODE_COLORS.get(mode, UNKNOWN_COLOR), MODE_BORDERS.get(mode, GRID))
        )
    return items


def _pain_points(stage: Stage) -> list[Item]:
    order = {"high": 0, "medium": 1, "low": 2}
    pains = sorted(
        (p for tp in stage.touchpoints for p in tp.pain_points), key=lambda p: order[p.severity]
    )
    return [
        Item(
            (
                Text(
                    f"▲ {word(pain.severity)}",
                    size=9,
                    bold=True,
                    color=SEVERITY_COLORS[pain.severity],
                ),
                Text(pain.text),
            )
        )
        for pain in pains
    ]


def _opportunities(journey: Journey, stage: Stage) -> list[Item]:
    here = {p.id for tp in stage.touchpoints for p in tp.pain_points}
    return [_opportunity(o) for o in journey.opportunities if here.intersection(o.addresses)]


def _opportunity(opportunity: Opportunity) -> Item:
    status = word(opportunity.status) if opportunity.status else _("no status")
    color = STATUS_COLORS.get(opportunity.status or "", "#777777")
    return Item((Text(f"→ {opportunity.name}", bold=True), Text(status, size=9, color=color)))


def _kpis(workspace: Workspace, stage: Stage) -> list[Item]:
    return [_kpi(workspace.by_id(Kpi)[k]) for k in stage.kpis if k in workspace.by_id(Kpi)]


def _kpi(kpi: Kpi) -> Item:
    last = values.latest(kpi)
    target = values.target(kpi)
    shown = values.value(last.value, kpi) if last else _("no measurement")
    if target:
        shown = _("{value} vs {target}").format(value=shown, target=target)
    status = values.status(kpi)
    label = str(status) if status else _(NO_DATA)
    color, fill = HEALTH[status]
    return Item(
        (
            Text(kpi.name, bold=True),
            Text(shown, size=9),
            Text(label.upper(), size=9, bold=True, color=color),
        ),
        fill,
    )


# --- the emotion row -------------------------------------------------------------------

SCALE = ((2, N_("+2 delighted")), (0, N_("0 neutral")), (-2, N_("-2 frustrated")))
SCALE_WIDTH = 70


def _emotion_y(top: float, value: float) -> float:
    return top + 16 + (2 - value) / 4 * (EMOTION_HEIGHT - 30)


def _emotion_row(page: _Canvas, stages: tuple[Stage, ...], top: float) -> None:
    """Per persona and stage, one point: the mean of the touchpoints the persona
    uses there (they are alternatives, not steps), with a bar from the lowest
    to the highest; lines join consecutive stages, with a gap where the persona
    does not pass a stage or gives no emotion there."""
    _row_header(page, Row.EMOTION, top, EMOTION_HEIGHT)
    for value, text in SCALE:
        shown = _(text)
        if display_width(shown) > len(shown):
            # Graphviz cannot measure Chinese to align it right: it is placed by our measure.
            words = Text(shown, size=9, color="#555555")
            page.text(HEADER_WIDTH - 6 - _advance(words), _emotion_y(top, value), words)
            continue
        label = (
            f'<<TABLE BORDER="0" CELLPADDING="0"><TR><TD WIDTH="{SCALE_WIDTH}" ALIGN="RIGHT">'
            f'<FONT POINT-SIZE="9" COLOR="#555555">{html(shown)}</FONT></TD></TR></TABLE>>'
        )
        page.node(HEADER_WIDTH - 6 - SCALE_WIDTH / 2, _emotion_y(top, value), label)
    for index in range(len(stages)):
        page.cell(HEADER_WIDTH + index * page.column, top, page.column, EMOTION_HEIGHT, '""')
    left, right = HEADER_WIDTH + 2, page.width - 2
    for value, _words in SCALE:
        y = _emotion_y(top, value)
        style = "dashed" if value == 0 else "dotted"
        page.line(page.point(left, y), page.point(right, y), color="#b8b8b8", style=style)
    personas = page.journey.personas
    for number, persona in enumerate(personas):
        color = PALETTE[number % len(PALETTE)]
        offset = (number - (len(personas) - 1) / 2) * 7  # side by side, not on top
        previous: str | None = None
        for index, stage in enumerate(stages):
            felt = [
                e
                for tp in stage.touchpoints
                if persona in page.journey.personas_at(tp)
                for e in (emotion_for(tp, persona),)
                if e is not None
            ]
            if not felt:
                previous = None
                continue
            x = HEADER_WIDTH + (index + 0.5) * page.column + offset
            low, high = min(felt), max(felt)
            if low != high:
                page.line(
                    page.point(x, _emotion_y(top, high)),
                    page.point(x, _emotion_y(top, low)),
                    color=color + "55",
                    penwidth="5",
                )
            dot = page.dot(x, _emotion_y(top, sum(felt) / len(felt)), color, 0.11)
            if previous is not None:
                page.line(previous, dot, color=color, penwidth="2.5")
            previous = dot


def _legend(page: _Canvas, top: float) -> None:
    """Channel modes, the personas' colours, and how to read the rows."""
    left, width = HEADER_WIDTH + PAD + ITEM_PAD, page.width - HEADER_WIDTH
    line = 9 * LINE + 2 * ITEM_PAD
    y = top + PAD + line / 2
    x = page.text(left, y, Text(_("Channel modes"), size=9, bold=True)) + 8
    modes = [Text(word(mode), size=9) for mode in MODE_COLORS]
    # As wide as the longest word needs: a mode's word is never wrapped out of its swatch.
    swatch = max(SWATCH, *(_advance(mode) + 2 * PAD for mode in modes))
    for mode, shown in zip(MODE_COLORS, modes, strict=True):
        label = f"<{shown.html(swatch)}>"
        page.cell(x, y - line / 2, swatch, line, label, MODE_COLORS[mode], MODE_BORDERS[mode], "c")
        x += swatch + 6
    x = page.text(x + 18, y, Text(_("Personas"), size=9, bold=True)) + 8
    for number, persona in enumerate(page.journey.personas):
        color = PALETTE[number % len(PALETTE)]
        shown = Text(
            naming.name(page.workspace.by_id(Persona), persona), size=9, bold=True, color=color
        )
        if x + 30 + _advance(shown) > page.width - PAD:
            x, y = left, y + line
        page.line(page.point(x, y), page.point(x + 22, y), color=color, penwidth="2.5")
        page.dot(x + 11, y, color, 0.09)
        x = page.text(x + 28, y, shown) + 14
    note = Text(
        _(
            "Emotion: per persona, the mean of the touchpoints used in a stage (they are "
            "alternatives, not steps), the bar from the lowest to the highest. KPIs: the latest "
            "measurement against the target."
        ),
        size=9,
        color="#555555",
    )
    y += line / 2 + 2
    height = y - top + _height([Item((note,))], width)
    _row_header(page, Row.LEGEND, top, height)
    page.cell(HEADER_WIDTH, top, width, height, '""')
    page.cell(
        HEADER_WIDTH, y, width, top + height - y, _items([Item((note,))], width), border="none"
    )


SWATCH = 86.0


def _advance(text: Text) -> float:
    """A generous width of one line of text, in points."""
    return display_width(text.text) * text.size * EM
