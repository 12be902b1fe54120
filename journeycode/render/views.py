"""The Graphviz views, built with pydot: journey, blueprint and portfolio.

Markers are characters the bundled Graphviz fonts have (♦ ▲ → ·), so PNGs show them too.

Every user string goes through :mod:`journeycode.quoting`; every node
id is generated. Graph, node and edge order follow the maps (which are read in
sorted path order), so the DOT text — and the picture — is the same on every run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Literal, Protocol

import pydot

from journeycode import naming
from journeycode.i18n import N_, _, ngettext
from journeycode.model import (
    Channel,
    Entity,
    Journey,
    Owner,
    Persona,
    Stage,
    System,
    Touchpoint,
    Workspace,
)
from journeycode.queries import owner_of
from journeycode.quoting import display_width, dot_string, html, wrap
from journeycode.words import word

EdgeKind = Literal["next", "escalation"]
FONT = "Arial"
MODE_COLORS = {
    "self-service": "#d9efdc",
    "automated": "#dbe7f6",
    "assisted": "#fce3c8",
}
MODE_BORDERS = {"self-service": "#3f8f4e", "automated": "#3b6fb0", "assisted": "#c07020"}
UNKNOWN_COLOR, UNKNOWN_BORDER = "#eeeeee", "#888888"
ESCALATION_COLOR = "#c0392b"
PAIN_COLOR = "#b03a2e"
LANES = ("Customer actions", "Frontstage", "Backstage", "Support systems")
LANE_WORDS = {
    "Customer actions": N_("Customer actions"),
    "Frontstage": N_("Frontstage"),
    "Backstage": N_("Backstage"),
    "Support systems": N_("Support systems"),
}
"""Each lane's name as drawn (translated there); the lanes are keyed on :data:`LANES`."""
LINE_AFTER = {
    "Customer actions": N_("line of interaction"),
    "Frontstage": N_("line of visibility"),
}
LABEL_WIDTH = 24  # columns per line in node labels
CELL_WIDTH = 22
POINTS_PER_COLUMN = 7.2  # a generous average advance at 12-13 pt, for the minimum widths
SMALL_POINTS = 5.4  # the same at 9 pt


def _graph(name: str, title: str, **attributes: str) -> pydot.Dot:
    graph = pydot.Dot(name, graph_type="digraph", strict=False)
    graph.set_graph_defaults(
        fontname=FONT,
        label=dot_string(title),
        labelloc="t",
        fontsize="18",
        pad="0.3",
        **attributes,
    )
    graph.set_node_defaults(fontname=FONT, fontsize="12")
    graph.set_edge_defaults(fontname=FONT, fontsize="10")
    return graph


def label_lines(text: str, width: int = LABEL_WIDTH) -> str:
    # Graphviz rejects an empty <B></B> or <FONT></FONT>: keep one space in it.
    return "<BR/>".join(html(line) for line in wrap(text, width)).strip() or "&#160;"


def min_width(*texts: str, points: float = POINTS_PER_COLUMN, columns: int = LABEL_WIDTH) -> str:
    """A node width (inches) that holds the widest line of ``texts`` wrapped
    at ``columns``, wide characters included: Graphviz's own metrics have no
    width for CJK glyphs (nor for some symbols, ✖)."""
    widest = max((display_width(line) for t in texts for line in wrap(t, columns)), default=0)
    return f"{widest * points / 72 + 0.3:.2f}"


def _ids(prefix: str, items: Iterable[Entity]) -> dict[Entity, str]:
    return {item: f"{prefix}{index}" for index, item in enumerate(items)}


# --- journey ---------------------------------------------------------------------------


class Paint(Protocol):
    """Restyles the journey view for another purpose (see :mod:`journeycode.review.diagram`)."""

    title: str
    legend: str

    def stage(self, stage: Stage, cluster: pydot.Cluster) -> None: ...

    def touchpoint(self, tp: Touchpoint, node: pydot.Node) -> None: ...

    def edge(
        self, kind: EdgeKind, source: Touchpoint, target: Touchpoint, edge: pydot.Edge
    ) -> None: ...


def journey(workspace: Workspace, journey: Journey, paint: Paint | None = None) -> pydot.Dot:
    """Stages as columns, touchpoints coloured by channel mode, next and
    escalation edges, moments of truth and pain points marked, and a legend.
    ``paint`` restyles stages, touchpoints and edges, and gives the title and legend."""
    graph = _graph(
        # The graph's name is the SVG's title, which a browser shows for the file.
        _("journey"),
        paint.title if paint else f"{journey.name}  ({journey.id})",
        rankdir="LR",
        newrank="true",
        nodesep="0.25",
        ranksep="0.6",
    )
    node_ids = _ids("n", (tp for _, tp in journey.touchpoints()))
    for index, stage in enumerate(journey.stages):
        cluster = _stage_cluster(workspace, index, stage, node_ids, paint)
        graph.add_subgraph(cluster)  # type: ignore[arg-type]  # pydot's stubs omit Cluster
    # Keep the stages in order even where no edge runs forward between them.
    firsts = [
        node_ids[stage.touchpoints[0]] if stage.touchpoints else f"empty{index}"
        for index, stage in enumerate(journey.stages)
    ]
    for left, right in itertools.pairwise(firsts):
        graph.add_edge(pydot.Edge(left, right, style="invis", weight="10"))
    for kind, source, target, edge in _journey_edges(journey, node_ids):
        if paint:
            paint.edge(kind, source, target, edge)
        graph.add_edge(edge)
    legend = pydot.Subgraph("legend_rank", rank="sink")
    label = paint.legend if paint else _journey_legend()
    legend.add_node(pydot.Node("legend", shape="plain", label=label))
    graph.add_subgraph(legend)
    return graph


def _stage_cluster(
    workspace: Workspace,
    index: int,
    stage: Stage,
    node_ids: dict[Entity, str],
    paint: Paint | None,
) -> pydot.Cluster:
    cluster = pydot.Cluster(
        f"stage{index}",
        label=dot_string(f"{index + 1}. {stage.name}"),
        style="rounded,filled",
        fillcolor="#f7f7f7",
        color="#bbbbbb",
        fontsize="14",
    )
    column = pydot.Subgraph(f"column{index}", rank="same")
    # With rankdir=LR, dot stacks a rank's nodes bottom-up in input order.
    for tp in reversed(stage.touchpoints):
        node = _touchpoint_node(workspace, stage, tp, node_ids[tp])
        if paint:
            paint.touchpoint(tp, node)
        column.add_node(node)
    if not stage.touchpoints:
        column.add_node(
            pydot.Node(f"empty{index}", label=dot_string(_("(no touchpoints)")), shape="plain")
        )
    cluster.add_subgraph(column)
    if paint:
        paint.stage(stage, cluster)
    return cluster


def _journey_edges(
    journey: Journey, node_ids: dict[Entity, str]
) -> Iterator[tuple[EdgeKind, Touchpoint, Touchpoint, pydot.Edge]]:
    """Next steps (grey; only forward ones pull the layout) and escalations (dashed red)."""
    stage_of = {
        tp.id: index for index, stage in enumerate(journey.stages) for tp in stage.touchpoints
    }
    by_id = journey.touchpoint_by_id
    for _stage, tp in journey.touchpoints():
        for target in tp.next:
            if target in by_id:
                forward = stage_of[target] > stage_of[tp.id]
                yield (
                    "next",
                    tp,
                    by_id[target],
                    pydot.Edge(
                        node_ids[tp],
                        node_ids[by_id[target]],
                        color="#555555",
                        constraint="true" if forward else "false",
                    ),
                )
        for target in tp.escalates_to:
            if target in by_id:
                yield (
                    "escalation",
                    tp,
                    by_id[target],
                    pydot.Edge(
                        node_ids[tp],
                        node_ids[by_id[target]],
                        color=ESCALATION_COLOR,
                        style="dashed",
                        penwidth="1.4",
                        constraint="false",
                    ),
                )


def _touchpoint_node(
    workspace: Workspace, stage: Stage, tp: Touchpoint, node_id: str
) -> pydot.Node:
    channel = workspace.by_id(Channel).get(tp.channel)
    mode = channel.mode if channel else ""
    owner = owner_of(stage, tp)
    details = [naming.name(workspace.by_id(Channel), tp.channel)]
    if owner:
        details.append(naming.name(workspace.by_id(Owner), owner))
    rows = [
        f"<B>{label_lines(tp.name)}</B>",
        f'<FONT POINT-SIZE="9">{label_lines(" · ".join(details), 30)}</FONT>',
    ]
    badges = []
    if tp.moment_of_truth:
        badges.append(_("♦ moment of truth"))
        rows.append(f'<FONT POINT-SIZE="9" COLOR="#7d3c98">{html(badges[-1])}</FONT>')
    if tp.pain_points:
        high = any(p.severity == "high" for p in tp.pain_points)
        worst = word("high") if high else _("medium/low")
        count = len(tp.pain_points)
        pains = ngettext(
            "▲ {count} pain point ({worst})", "▲ {count} pain points ({worst})", count
        ).format(count=count, worst=worst)
        badges.append(pains)
        rows.append(f'<FONT POINT-SIZE="9" COLOR="{PAIN_COLOR}">{html(pains)}</FONT>')
    # Graphviz sizes the Latin and Cyrillic badges itself; Chinese ones it cannot measure.
    wide = [
        f"{display_width(b) * SMALL_POINTS / 72 + 0.3:.2f}"
        for b in badges
        if display_width(b) > len(b)
    ]
    width = max([min_width(tp.name), *wide], key=float)
    return pydot.Node(
        node_id,
        label="<" + "<BR/>".join(rows) + ">",
        shape="box",
        style="rounded,filled",
        fillcolor=MODE_COLORS.get(mode, UNKNOWN_COLOR),
        color="#7d3c98" if tp.moment_of_truth else MODE_BORDERS.get(mode, UNKNOWN_BORDER),
        penwidth="2.5" if tp.moment_of_truth else "1",
        width=width,
        margin="0.12,0.06",
    )


def _journey_legend() -> str:
    cells = "".join(
        f'<TD BGCOLOR="{MODE_COLORS[mode]}" BORDER="1" COLOR="{MODE_BORDERS[mode]}"'
        f"{_wide_cell(word(mode))}>{html(word(mode))}</TD>"
        for mode in MODE_COLORS
    )
    title, step, escalation, moment, pains = map(
        html,
        (
            _("Legend"),
            _("→ next step (grey)"),
            _("- - → escalation to a human (dashed red)"),
            _("♦ moment of truth (thick border)"),
            _("▲ pain points"),
        ),
    )
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="4">'
        f'<TR><TD COLSPAN="3"><B>{title}</B></TD></TR>'
        f"<TR>{cells}</TR>"
        f'<TR><TD COLSPAN="3" ALIGN="LEFT">{step}</TD></TR>'
        f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{ESCALATION_COLOR}">'
        f"{escalation}</FONT></TD></TR>"
        f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="#7d3c98">{moment}</FONT></TD></TR>'
        f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{PAIN_COLOR}">{pains}</FONT>'
        "</TD></TR>"
        "</TABLE>>"
    )


def _wide_cell(text: str) -> str:
    """A table cell's width for Chinese text, which Graphviz cannot measure
    (it sizes other text itself)."""
    if display_width(text) == len(text):
        return ""
    return f' WIDTH="{display_width(text) * POINTS_PER_COLUMN + 8:.0f}"'


# --- blueprint -------------------------------------------------------------------------


def blueprint(workspace: Workspace, journey: Journey) -> pydot.Dot:
    """Service blueprint: lanes (customer actions, frontstage, backstage, support
    systems) by touchpoints grouped by stage, with the lines of interaction and
    visibility. One HTML table, so lanes and columns line up exactly."""
    title = _("Service blueprint: {journey}  ({id})").format(journey=journey.name, id=journey.id)
    graph = _graph(_("blueprint"), title)
    touchpoints = journey.touchpoints()
    columns = max(len(touchpoints), 1)
    rows = ['<TR><TD BORDER="0"></TD>']
    for stage in journey.stages:
        span = max(len(stage.touchpoints), 1)
        name = label_lines(stage.name, 30)
        rows.append(f'<TD COLSPAN="{span}" BGCOLOR="#e8e8e8"><B>{name}</B></TD>')
    rows.append("</TR>")
    header = html(_("Touchpoint"))
    rows.append(f'<TR><TD BGCOLOR="#f4f4f4"><B>{header}</B></TD>')
    for stage in journey.stages:
        if not stage.touchpoints:
            rows.append("<TD></TD>")
        for tp in stage.touchpoints:
            channel = workspace.by_id(Channel).get(tp.channel)
            fill = MODE_COLORS.get(channel.mode, UNKNOWN_COLOR) if channel else UNKNOWN_COLOR
            name = naming.name(workspace.by_id(Channel), tp.channel)
            rows.append(
                f'<TD BGCOLOR="{fill}"><B>{label_lines(tp.name, CELL_WIDTH)}</B><BR/>'
                f'<FONT POINT-SIZE="9">{label_lines(name, CELL_WIDTH)}</FONT></TD>'
            )
    rows.append("</TR>")
    lanes: dict[str, Callable[[Touchpoint], list[str]]] = {
        "Customer actions": lambda tp: [tp.action] if tp.action else [],
        "Frontstage": lambda tp: list(tp.frontstage),
        "Backstage": lambda tp: list(tp.backstage),
        "Support systems": lambda tp: [naming.name(workspace.by_id(System), s) for s in tp.systems],
    }
    for lane in LANES:
        shown = label_lines(_(LANE_WORDS[lane]), CELL_WIDTH)
        rows.append(f'<TR><TD BGCOLOR="#f4f4f4" ALIGN="LEFT"><B>{shown}</B></TD>')
        for stage in journey.stages:
            if not stage.touchpoints:
                rows.append("<TD></TD>")
            for tp in stage.touchpoints:
                items = lanes[lane](tp)
                rows.append(f"<TD>{_cell(items)}</TD>")
        rows.append("</TR>")
        if lane in LINE_AFTER:
            rows.append(
                f'<TR><TD COLSPAN="{columns + 1}" BGCOLOR="#fafafa" BORDER="0">'
                f'<FONT POINT-SIZE="9" COLOR="#777777"><I>— — — {html(_(LINE_AFTER[lane]))} — — —'
                "</I></FONT></TD></TR>"
            )
    table = (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" COLOR="#999999">'
        + "".join(rows)
        + "</TABLE>>"
    )
    graph.add_node(pydot.Node("blueprint", shape="plain", label=table))
    return graph


def _cell(items: Sequence[str]) -> str:
    if not items:
        return '<FONT COLOR="#bbbbbb">—</FONT>'
    return "<BR/>".join(label_lines(item, CELL_WIDTH) for item in items)


# --- portfolio -------------------------------------------------------------------------


def portfolio(workspace: Workspace) -> pydot.Dot:
    """Journeys in the middle, the personas they serve on the left, the channels
    they use on the right, and the owners who maintain them."""
    graph = _graph(
        _("portfolio"), _("Journey portfolio"), rankdir="LR", ranksep="1.2", nodesep="0.2"
    )
    personas = sorted({p for j in workspace.by_id(Journey).values() for p in j.personas})
    channels = sorted(workspace.journeys_by_channel)
    owners = sorted({j.owner for j in workspace.by_id(Journey).values() if j.owner})
    node: dict[tuple[str, str], str] = {}
    for kind, ids in (("persona", personas), ("channel", channels), ("owner", owners)):
        for index, ident in enumerate(ids):
            node[(kind, ident)] = f"{kind[0]}{index}"
    for index, item in enumerate(workspace.by_id(Journey).values()):
        node[("journey", item.id)] = f"j{index}"

    column = pydot.Subgraph("personas", rank="min")
    for ident in personas:
        name = naming.name(workspace.by_id(Persona), ident)
        column.add_node(_persona_node(node[("persona", ident)], name))
    graph.add_subgraph(column)
    for ident in owners:
        graph.add_node(
            _owner_node(node[("owner", ident)], naming.name(workspace.by_id(Owner), ident))
        )
    for item in workspace.by_id(Journey).values():
        graph.add_node(_journey_node(node[("journey", item.id)], item))
    column = pydot.Subgraph("channels", rank="max")
    for ident in channels:
        name = naming.name(workspace.by_id(Channel), ident)
        channel = workspace.by_id(Channel).get(ident)
        column.add_node(_channel_node(node[("channel", ident)], name, channel))
    graph.add_subgraph(column)
    for item in workspace.by_id(Journey).values():
        target = node[("journey", item.id)]
        for persona_id in item.personas:
            graph.add_edge(pydot.Edge(node[("persona", persona_id)], target, color="#7d5ba6"))
        used = sorted({tp.channel for _, tp in item.touchpoints()})
        for channel_id in used:
            graph.add_edge(pydot.Edge(target, node[("channel", channel_id)], color="#999999"))
        if item.owner:
            graph.add_edge(
                pydot.Edge(
                    node[("owner", item.owner)],
                    target,
                    style="dashed",
                    color="#777777",
                    arrowhead="none",
                )
            )
    return graph


def _persona_node(node_id: str, name: str) -> pydot.Node:
    return pydot.Node(
        node_id,
        label=f"<{label_lines(name)}>",
        shape="ellipse",
        style="filled",
        fillcolor="#ece4f7",
        color="#7d5ba6",
        width=min_width(name),
    )


def _owner_node(node_id: str, name: str) -> pydot.Node:
    return pydot.Node(
        node_id,
        label=f'<<FONT POINT-SIZE="10">{label_lines(name)}</FONT>>',
        shape="folder",
        style="filled",
        fillcolor="#eeeeee",
        color="#777777",
    )


def _journey_node(node_id: str, journey: Journey) -> pydot.Node:
    status = journey.status and word(journey.status)
    meta = " · ".join(x for x in (status, journey.version and f"v{journey.version}") if x)
    return pydot.Node(
        node_id,
        label=(
            f"<<B>{label_lines(journey.name)}</B><BR/>"
            f'<FONT POINT-SIZE="9">{label_lines(meta)}</FONT>>'
        ),
        shape="box",
        style="rounded,filled,bold",
        fillcolor="#fff8dc",
        color="#8a6d1f",
        width=min_width(journey.name),
    )


def _channel_node(node_id: str, name: str, channel: Channel | None) -> pydot.Node:
    mode = channel.mode if channel else ""
    return pydot.Node(
        node_id,
        label=f"<{label_lines(name)}>",
        shape="box",
        style="filled",
        fillcolor=MODE_COLORS.get(mode, UNKNOWN_COLOR),
        color=MODE_BORDERS.get(mode, UNKNOWN_BORDER),
        width=min_width(name),
    )
