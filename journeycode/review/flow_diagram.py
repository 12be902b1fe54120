"""A picture of a contact flow's change: both sides' steps in one drawing.

Each flow a change is about is drawn as the site draws it
(:mod:`journeycode.render.flows`), with BASE's steps and edges that HEAD lost
put back: added steps and edges green, changed ones amber (saying what
changed), removed ones dashed grey, as :mod:`journeycode.review.diagram`
paints a journey. A path that reached a person before and ends with nobody now
is drawn red to the step where it ends, which says so; a step whose queue
changed says both queues.

A flow may have 250 steps, and a drawing of them all is no picture a reviewer
reads: a flow of more than :data:`MAX_STEPS` steps is drawn as its changed
steps and their neighbours, at most :data:`MAX_STEPS` of them, with a note
saying how many are drawn. Step ids and texts are the file's, whatever they
hold: they reach DOT, SVG and Mermaid through :mod:`journeycode.quoting`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pydot

from journeycode import digest, flows
from journeycode.flows.model import KINDS, PLATFORMS, Edge, Flow, Step
from journeycode.flows.paths import edge_words
from journeycode.i18n import N_, gettext, ngettext, say
from journeycode.model import Workspace
from journeycode.quoting import dot_string, html, mermaid_label
from journeycode.render import Diagram, flow_name
from journeycode.render.flows import DEAD_COLOR, end_node, flow_graph, step_node
from journeycode.render.views import SMALL_POINTS, label_lines, min_width
from journeycode.review.compare import Change, lost_ways_out
from journeycode.review.diagram import (
    MERMAID_CLASSES,
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT,
    STYLES,
    Status,
    legend_row,
    mermaid_end,
    status_words,
)

MAX_STEPS = 60
"""The most steps a picture draws: a larger flow is drawn as its changed part."""

_NEIGHBOURS = 4
"""The most neighbours drawn beside each changed step of a flow drawn in part."""
_PATH_END = 8
"""The steps drawn first of a lost path, back from its end, in a flow drawn in part."""
_WIDTH = 34
WORDS = {
    "type": N_("type"),
    "text": N_("text"),
    "transitions": N_("transitions"),
    "sub-flow": N_("sub-flow"),
    "queue": N_("queue"),
}
"""What changed at a step, as its node says it (``~ changed: transitions``)."""

_EdgeKey = tuple[str, str, str | None]


def _key(edge: Edge) -> _EdgeKey:
    """An edge as both sides are matched by: where it is written is no part of it."""
    return edge.label, edge.text, edge.target


@dataclass
class _Merged:
    """One flow drawn from both sides."""

    flow: Flow
    """HEAD's flow, or BASE's where HEAD lost it: it names the picture."""
    steps: dict[str, Step]
    """HEAD's steps in order, then those only BASE has."""
    start: dict[str, Status]
    """The step each side starts at, and how."""
    status: dict[str, Status] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)
    """A step whose queue changed (or that is added or removed with one): what it says."""
    edges: list[tuple[Step, Edge, Status]] = field(default_factory=list)
    lost: dict[str, str | None] = field(default_factory=dict)
    """Where a path that reached a person ends with nobody now: the step, and
    the flow it ends in when that is another (the path runs it)."""
    lost_paths: list[list[str]] = field(default_factory=list)
    """The steps of each of those paths in this flow, from its end back."""
    lost_edges: set[tuple[str, _EdgeKey]] = field(default_factory=set)


def _flows(changes: Sequence[Change]) -> list[str]:
    """The flows a change is about, by id."""
    return sorted({c.flow for c in changes if c.flow is not None})


def diagrams(base: Workspace, head: Workspace, changes: Sequence[Change]) -> list[Diagram]:
    """One diagram, ``flow_FLOW.change`` (see :func:`~journeycode.render.flow_name`),
    for each flow a change is about, in id order."""
    found = []
    # Which flows a contact starts in (and so which ways out are lost) rests
    # on the touchpoints that name them too.
    key = digest.of(
        "flow change",
        digest.code(),
        [(digest.flows(side.flows), sorted(flows.linked(side))) for side in (base, head)],
    )
    for ident in _flows(changes):
        build = functools.partial(_draw, base, head, ident)
        found.append(Diagram(f"{flow_name(ident)}.change", build, digest.of(key, ident)))
    return found


def _merge(base: Workspace, head: Workspace, ident: str) -> _Merged:
    old = base.flows.flows.get(ident) if base.flows is not None else None
    new = head.flows.flows.get(ident) if head.flows is not None else None
    if old is None or new is None:
        whole = new or old
        assert whole is not None
        everything: Status = "added" if old is None else "removed"
        merged = _Merged(
            whole, dict(whole.steps), {} if whole.start is None else {whole.start: everything}
        )
        for step in whole.steps.values():
            merged.status[step.id] = everything
            merged.edges += [(step, edge, everything) for edge in step.edges]
            if step.queue is not None:
                merged.queues[step.id] = gettext("queue: {queue}").format(queue=_queue(step.queue))
        return merged
    steps = dict(new.steps)
    steps.update((i, s) for i, s in old.steps.items() if i not in new.steps)
    start: dict[str, Status] = {}
    if new.start is not None:
        start[new.start] = "same" if new.start == old.start else "added"
    if old.start is not None and old.start != new.start:
        start[old.start] = "removed"
    merged = _Merged(new, steps, start)
    for step in steps.values():
        before, after = old.steps.get(step.id), new.steps.get(step.id)
        if before is None or after is None:
            merged.status[step.id] = "added" if before is None else "removed"
            merged.edges += [(step, edge, merged.status[step.id]) for edge in step.edges]
            if step.queue is not None:
                merged.queues[step.id] = gettext("queue: {queue}").format(queue=_queue(step.queue))
            continue
        was = {_key(e) for e in before.edges}
        now = {_key(e) for e in after.edges}
        words = [
            word
            for word, differs in (
                ("type", (before.kind, before.type) != (after.kind, after.type)),
                ("text", before.text != after.text),
                ("transitions", was != now),
                ("sub-flow", before.target != after.target),
                ("queue", before.queue != after.queue),
            )
            if differs
        ]
        merged.status[step.id] = "changed" if words else "same"
        if words:
            merged.words[step.id] = words
        if before.queue != after.queue:
            queues = [_queue(q) if q else gettext("not set") for q in (before.queue, after.queue)]
            if queues[0] == queues[1]:  # two ARNs that end alike: both in full
                queues = [str(before.queue), str(after.queue)]
            said = gettext("queue: {was} → {now}")
            merged.queues[step.id] = said.format(was=queues[0], now=queues[1])
        merged.edges += [(step, e, "same" if _key(e) in was else "added") for e in after.edges]
        merged.edges += [(step, e, "removed") for e in before.edges if _key(e) not in now]
    for flow, end in lost_ways_out(base, head):
        if flow.id != ident:
            continue
        hops = [(step, edge) for hop_flow, step, edge in end.path if hop_flow.id == ident]
        if not hops:
            continue
        merged.lost_paths.append([step.id for step, _edge in reversed(hops)])
        merged.lost_edges.update((step.id, _key(edge)) for step, edge in hops if edge is not None)
        merged.lost.setdefault(hops[-1][0].id, None if end.flow.id == ident else end.flow.id)
    return merged


def _queue(name: str) -> str:
    """A queue as a step's node names it: an ARN by its last part, the queue's id."""
    return name.rsplit("/", 1)[-1] if name.startswith("arn:") else name


def _shown(merged: _Merged, bound: bool) -> list[str]:
    """The steps to draw, in the merged order: all of them, unless ``bound``
    or there are more than :data:`MAX_STEPS`; then, :data:`MAX_STEPS` at
    most, the changed steps and where the lost paths end, the last steps of
    those paths (the change's message says the whole path), and a few
    neighbours of each changed step (what it leads to first: a step that
    many lead to is no reason to draw them all)."""
    if not bound and len(merged.steps) <= MAX_STEPS:
        return list(merged.steps)
    focus = dict.fromkeys(merged.lost)
    focus.update((i, None) for i, status in merged.status.items() if status != "same")
    focus.update((i, None) for i in merged.start if merged.start[i] != "same")
    for step, edge, status in merged.edges:
        if status != "same":
            focus.update((i, None) for i in (step.id, edge.target) if i is not None)
    after: dict[str, dict[str, None]] = {}
    before: dict[str, dict[str, None]] = {}
    for step, edge, _status in merged.edges:
        if edge.target is not None:
            after.setdefault(step.id, {})[edge.target] = None
            before.setdefault(edge.target, {})[step.id] = None
    chosen = dict(focus)
    for path in merged.lost_paths:
        chosen.update((i, None) for i in path[:_PATH_END])
    for ident in focus:
        near = [*after.get(ident, ()), *before.get(ident, ())]
        chosen.update((i, None) for i in [i for i in near if i not in chosen][:_NEIGHBOURS])
    kept = set(list(chosen)[:MAX_STEPS])
    return [i for i in merged.steps if i in kept]


def _title(merged: _Merged, shown: int) -> str:
    flow = merged.flow
    title = gettext("Changes to {platform} flow {flow}").format(
        platform=PLATFORMS[flow.platform], flow=flow.id
    )
    total = len(merged.steps)
    if shown == total:
        return title
    note = ngettext(
        "{shown} of {total} step drawn: the changed ones and their neighbours",
        "{shown} of {total} steps drawn: the changed ones and their neighbours",
        total,
    ).format(shown=shown, total=total)
    return f"{title}\n{note}"


def _rows(merged: _Merged, step: Step) -> list[tuple[str, str]]:
    """The lines a step's node gets below the site's: (colour, words)."""
    status = merged.status[step.id]
    rows: list[tuple[str, str]] = []
    words = status_words(status)
    if words:
        what = gettext(", ").join(gettext(WORDS[w]) for w in merged.words.get(step.id, ()))
        said = gettext("{status}: {what}").format(status=words, what=what) if what else words
        rows.append((STYLES[status][1], said))
    if step.id in merged.queues:
        rows.append((STYLES["changed"][1], merged.queues[step.id]))
    if step.id in merged.lost:
        elsewhere = merged.lost[step.id]
        rows.append(
            (
                DEAD_COLOR,
                gettext("✖ no longer reaches a person")
                if elsewhere is None
                else gettext("✖ no longer reaches a person (in flow {flow})").format(
                    flow=elsewhere
                ),
            )
        )
    return rows


def _draw(base: Workspace, head: Workspace, ident: str) -> str:
    merged = _merge(base, head, ident)
    shown = _shown(merged, bound=False)
    graph = flow_graph(_title(merged, len(shown)))
    ids = {step: f"s{index}" for index, step in enumerate(shown)}
    for step_id, node_id in ids.items():
        step = merged.steps[step_id]
        status = merged.status[step_id]
        node = step_node(step, node_id, dead=False)
        fill, border, _words = STYLES[status]
        node.set("fillcolor", fill)
        node.set("color", border)
        node.set("penwidth", "1" if status == "same" else "2.5")
        if status == "removed":
            node.set("style", "rounded,dashed,filled")
            node.set("fontcolor", border)
        if step_id in merged.lost:
            node.set("color", DEAD_COLOR)
            node.set("penwidth", "3")
        said = _rows(merged, step)
        rows = "".join(
            f'<BR/><FONT POINT-SIZE="9" COLOR="{colour}">{label_lines(words, _WIDTH)}</FONT>'
            for colour, words in said
        )
        if said:
            widths = (w for _colour, w in said)
            node.set("width", min_width(*widths, points=SMALL_POINTS, columns=_WIDTH))
        # An HTML label, <…>: the rows go before its closing bracket.
        label = str(node.get("label"))
        node.set("label", f"{label[:-1]}{rows}>")
        graph.add_node(node)
    starts = [(i, status) for i, status in merged.start.items() if i in ids]
    if starts:
        graph.add_node(pydot.Node("start", label=dot_string(gettext("start")), shape="circle"))
    for step_id, status in starts:
        style = {"penwidth": "1.5", **_edge_style(status)}
        graph.add_edge(pydot.Edge("start", ids[step_id], **style))
    ends, hidden = 0, set()
    for step, edge, status in merged.edges:
        if step.id not in ids:
            continue
        words = edge_words(step, edge)
        attributes: dict[str, Any] = {} if words is None else {"label": dot_string(say(words))}
        attributes.update(_edge_style(status))
        if (step.id, _key(edge)) in merged.lost_edges:
            attributes.update(color=DEAD_COLOR, penwidth="3")
        if edge.target is None:
            ends += 1
            end = f"e{ends}"
            lost = (step.id, _key(edge)) in merged.lost_edges
            graph.add_node(end_node(end, DEAD_COLOR if lost else "#555555"))
            graph.add_edge(pydot.Edge(ids[step.id], end, **{"style": "dashed", **attributes}))
        elif edge.target in ids:
            graph.add_edge(pydot.Edge(ids[step.id], ids[edge.target], **attributes))
        elif step.id not in hidden:
            # One dotted edge from a step to the steps the picture leaves out.
            hidden.add(step.id)
            graph.add_edge(pydot.Edge(ids[step.id], "more", style="dotted", arrowhead="empty"))
    if hidden:
        more = dot_string(gettext("… steps not drawn"))
        graph.add_node(pydot.Node("more", label=more, shape="plaintext", fontcolor="#757575"))
    legend = pydot.Subgraph("legend_rank", rank="sink")
    legend.add_node(pydot.Node("legend", shape="plain", label=_legend()))
    graph.add_subgraph(legend)
    text: str = graph.to_string()
    return text


def _edge_style(status: Status) -> dict[str, Any]:
    if status == "added":
        return {"color": STYLES["added"][1], "penwidth": "2.2"}
    if status == "removed":
        return {"color": STYLES["removed"][1], "style": "dashed", "arrowhead": "empty"}
    return {}


def _legend() -> str:
    """The legend, an HTML label, in the reader's language."""

    def row(status: Status) -> str:
        return legend_row(status, html(status_words(status)))

    def line(colour: str, words: str) -> str:
        return (
            f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{colour}">'
            f"{html(words)}</FONT></TD></TR>"
        )

    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="4">'
        f'<TR><TD COLSPAN="3"><B>{html(gettext("Legend"))}</B></TD></TR>'
        f"<TR>{row('added')}{row('changed')}{row('removed')}</TR>"
        + line(STYLES["added"][1], gettext("→ edge added (green)"))
        + line(STYLES["removed"][1], gettext("- - → edge removed (dashed grey)"))
        + line(DEAD_COLOR, gettext("→ a path that no longer reaches a person (red)"))
        + "</TABLE>>"
    )


def mermaid(base: Workspace, head: Workspace, changes: Sequence[Change]) -> dict[str, str | None]:
    """Flow id → a Mermaid flowchart of its changed part (its changed steps
    and their neighbours, :data:`MAX_STEPS` at most), styled as
    :func:`diagrams` styles it; None where that is too large for GitHub to
    draw. A flow whose changes touch no step has none."""
    found: dict[str, str | None] = {}
    for ident in _flows(changes):
        merged = _merge(base, head, ident)
        shown = _shown(merged, bound=True)
        if not shown:
            continue
        chart, edges = _flowchart(merged, shown)
        found[ident] = (
            chart if edges <= MERMAID_MAX_EDGES and len(chart) <= MERMAID_MAX_TEXT else None
        )
    return found


def _flowchart(merged: _Merged, shown: list[str]) -> tuple[str, int]:
    """The flowchart and how many edges it draws."""
    ids = {step: f"n{index}" for index, step in enumerate(shown)}
    lines = ["flowchart TB"]
    if len(shown) < len(merged.steps):
        note = _title(merged, len(shown)).split("\n", 1)[1]
        lines.append(f'  note["{mermaid_label(note)}"]')
    classes: dict[str, list[str]] = {}
    for step_id, node in ids.items():
        step = merged.steps[step_id]
        parts = [gettext(KINDS[step.kind]), step.label, *(said for _c, said in _rows(merged, step))]
        lines.append(f'  {node}["{"<br/>".join(mermaid_label(p) for p in parts)}"]')
        status = merged.status[step_id]
        if step_id in merged.lost:
            classes.setdefault("lost", []).append(node)
        elif status != "same":
            classes.setdefault(status, []).append(node)
    styles: list[str] = []
    ends = 0
    for step, edge, status in merged.edges:
        if step.id not in ids or (edge.target is not None and edge.target not in ids):
            continue
        words = edge_words(step, edge)
        arrow = "-.->" if status == "removed" else "-->"
        label = "" if words is None else f'|"{mermaid_label(say(words))}"|'
        target = ids.get(edge.target or "")
        if target is None:
            ends += 1
            target = f"e{ends}"
            lines.append(f'  {target}(["{mermaid_label(gettext("end"))}"])')
        lines.append(f"  {ids[step.id]} {arrow}{label} {target}")
        colour = "#9e9e9e"
        if (step.id, _key(edge)) in merged.lost_edges:
            colour = f"{DEAD_COLOR},stroke-width:3px"
        elif status == "added":
            colour = STYLES["added"][1]
        elif status == "removed":
            colour = STYLES["removed"][1] + ",stroke-dasharray:5 3"
        styles.append(f"  linkStyle {len(styles)} stroke:{colour}")
    return mermaid_end(lines, styles, classes.items(), _CLASSES)


_CLASSES = {
    **MERMAID_CLASSES,
    "lost": f"fill:#ffffff,stroke:{DEAD_COLOR},stroke-width:3px",
}
