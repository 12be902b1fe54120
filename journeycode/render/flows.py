"""A contact flow drawn with Graphviz: its steps, how they connect, where a
person is reached and where the customer is left with nobody.

The ways to a person (the shortest path from where contacts enter the flow
to each transfer or callback, see :func:`journeycode.flows.ways_to_a_person`)
are drawn thick in the escalation colour; each dead end they can reach (a
step where a path ends with nobody, as ``flow-way-out`` finds it:
:func:`journeycode.flows.dead_ends`) has a red border and says so. A step
only the flow's start leads to, where touchpoints put their callers through
at a later step (``flow: ID#STEP``, drawn as an entry), is no dead end of
theirs and is not marked. Node ids are
generated; every step's id and text goes through :mod:`journeycode.quoting`.
"""

from __future__ import annotations

from typing import Any

import pydot

from journeycode import flows, i18n
from journeycode.flows.model import KINDS, PLATFORMS, WAYS_OUT, Flow, Step
from journeycode.flows.paths import edge_words
from journeycode.i18n import _
from journeycode.model import Workspace
from journeycode.quoting import dot_string, html, wrap
from journeycode.render.views import ESCALATION_COLOR, FONT, label_lines

_FILL = {
    "menu": "#dbe7f6",
    "input": "#dbe7f6",
    "bot": "#dbe7f6",
    "transfer": "#fce3c8",
    "callback": "#fce3c8",
    "disconnect": "#eeeeee",
    "return": "#eeeeee",
}
DEAD_COLOR = "#b03a2e"
_TEXT_WIDTH = 28


def flow(workspace: Workspace, drawn: Flow) -> pydot.Dot:
    graph = flow_graph(
        _("{platform} flow {flow}").format(platform=PLATFORMS[drawn.platform], flow=drawn.id)
    )
    ids = {step: f"s{index}" for index, step in enumerate(drawn.steps.values())}
    dead = {end.step for end in flows.dead_ends(workspace, drawn) if end.flow is drawn}
    ways = flows.ways_to_a_person(workspace, drawn)
    if drawn.start is not None:
        graph.add_node(pydot.Node("start", label=dot_string(_("start")), shape="circle"))
        graph.add_edge(pydot.Edge("start", ids[drawn.steps[drawn.start]], penwidth="1.5"))
    linked = [entry for entry in flows.entries(workspace, drawn) if entry is not None]
    for number, entry in enumerate(linked):
        graph.add_node(pydot.Node(f"in{number}", label=dot_string(_("entry")), shape="circle"))
        graph.add_edge(pydot.Edge(f"in{number}", ids[drawn.steps[entry]], penwidth="1.5"))
    for step, node in ids.items():
        graph.add_node(step_node(step, node, step in dead))
    ends = 0
    for step, node in ids.items():
        for edge in step.edges:
            words = edge_words(step, edge)
            label: dict[str, Any] = {} if words is None else {"label": dot_string(i18n.say(words))}
            if edge.target is None:
                ends += 1
                end = f"e{ends}"
                graph.add_node(end_node(end, DEAD_COLOR if step in dead else "#555555"))
                graph.add_edge(pydot.Edge(node, end, style="dashed", **label))
                continue
            target = drawn.steps[edge.target]
            style = {"color": ESCALATION_COLOR, "penwidth": "2.2"} if (step, edge) in ways else {}
            attributes: dict[str, Any] = {**label, **style}
            graph.add_edge(pydot.Edge(node, ids[target], **attributes))
    return graph


def flow_graph(title: str) -> pydot.Dot:
    """An empty drawing of a flow, top to bottom, titled ``title``."""
    graph = pydot.Dot("flow", graph_type="digraph", strict=False)
    graph.set_graph_defaults(
        fontname=FONT, label=dot_string(title), labelloc="t", fontsize="16", rankdir="TB"
    )
    graph.set_node_defaults(fontname=FONT, fontsize="11")
    graph.set_edge_defaults(fontname=FONT, fontsize="9", color="#777777")
    return graph


def end_node(node: str, color: str) -> pydot.Node:
    """Where an edge leads out of the flow: its end."""
    return pydot.Node(node, label=dot_string(_("end")), shape="plaintext", fontcolor=color)


def step_node(step: Step, node: str, dead: bool) -> pydot.Node:
    """A step: its kind, its id, the start of what it says; a dead end says so."""
    rows = [
        f'<FONT POINT-SIZE="9">{html(_(KINDS[step.kind]))}</FONT>',
        f"<B>{label_lines(step.label)}</B>",
    ]
    if step.text:
        shown = wrap(step.text, _TEXT_WIDTH)
        text = " ".join(shown[:2]) + ("…" if len(shown) > 2 else "")
        rows.append(f'<FONT POINT-SIZE="9">{label_lines(text, _TEXT_WIDTH)}</FONT>')
    if dead:
        said = html(_("✖ dead end"))
        rows.append(f'<FONT POINT-SIZE="9" COLOR="{DEAD_COLOR}">{said}</FONT>')
    way_out = step.kind in WAYS_OUT
    return pydot.Node(
        node,
        label="<" + "<BR/>".join(rows) + ">",
        shape="box",
        style="rounded,filled",
        fillcolor=_FILL.get(step.kind, "#ffffff"),
        color=DEAD_COLOR if dead else (ESCALATION_COLOR if way_out else "#888888"),
        penwidth="2.2" if dead or way_out else "1",
    )
