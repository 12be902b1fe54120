"""A picture of the change: each changed journey's diagram, both sides in one.

Two drawings of one merged journey: :func:`diagrams` (Graphviz, for the site
and the artifacts) and :func:`mermaid` (a flowchart of the changed part alone,
for the pull-request comment, which GitHub draws from its source).

The journey view of :mod:`journeycode.render.views`, drawn from a merged
journey: HEAD's stages and touchpoints, with what BASE had and HEAD lost put
back where it was. Added touchpoints, stages and edges are green, changed ones
amber, removed ones dashed grey ghosts; the rest is neutral, so colour means
change only. Each marked node also says it in words (``+ added``), for readers
who do not tell the colours apart.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import pydot

from journeycode import digest
from journeycode.i18n import N_, gettext
from journeycode.model import Journey, Stage, Touchpoint, Workspace
from journeycode.quoting import html, mermaid_label
from journeycode.render import Diagram, views
from journeycode.render.views import EdgeKind
from journeycode.review.changes import ChangeKind
from journeycode.review.compare import Change

Status = Literal["added", "changed", "removed", "same"]

# (fill, border, the words on a node: translated where drawn)
STYLES: dict[Status, tuple[str, str, str]] = {
    "added": ("#dcf3dc", "#2e7d32", N_("+ added")),
    "changed": ("#ffecc2", "#c77800", N_("~ changed")),
    "removed": ("#ffffff", "#9e9e9e", N_("- removed")),
    "same": ("#ffffff", "#b0b0b0", ""),
}


def status_words(status: Status) -> str:
    """The words on a node of ``status``, in the reader's language."""
    words = STYLES[status][2]
    return gettext(words) if words else ""


_C = ChangeKind
WORDS: dict[ChangeKind, str] = {
    _C.TOUCHPOINT_MOVED: N_("moved"),
    _C.TOUCHPOINT_CHANNEL_CHANGED: N_("channel"),
    _C.TOUCHPOINT_OWNER_CHANGED: N_("owner"),
    _C.TOUCHPOINT_PERSONAS_CHANGED: N_("personas"),
    _C.TOUCHPOINT_DETAILS_CHANGED: N_("details"),
    _C.EMOTION_CHANGED: N_("emotion"),
    _C.MOMENT_OF_TRUTH_CHANGED: N_("moment of truth"),
    _C.ESCALATION_CHANGED: N_("escalation"),
    _C.NEXT_STEP_CHANGED: N_("next step"),
    _C.PAIN_POINT_ADDED: N_("pain point added"),
    _C.PAIN_POINT_REMOVED: N_("pain point removed"),
    _C.PAIN_POINT_SEVERITY_CHANGED: N_("pain point severity"),
    _C.TEXT_CHANGED: N_("text"),
    _C.WAIVER_ADDED: N_("waiver added"),
    _C.WAIVER_REMOVED: N_("waiver removed"),
    _C.RENAMED: N_("renamed"),
    _C.ONLY_PATH_REMOVED: N_("only path removed"),
    _C.WAY_OUT_LOST: N_("way out lost"),
}
"""What changed at a touchpoint, as its node says it (``~ changed: channel``):
each kind a change about a touchpoint can be; in English, the kind's id
without ``touchpoint-`` and ``-changed``."""


def diagrams(base: Workspace, head: Workspace, changes: Sequence[Change]) -> list[Diagram]:
    """One diagram, ``JOURNEY.change``, for each journey with a change, in id order."""
    changed = sorted({c.journey for c in changes if c.journey is not None})
    before, after = digest.Inputs(base), digest.Inputs(head)
    found = []
    for ident in changed:
        old, new = base.by_id(Journey).get(ident), head.by_id(Journey).get(ident)
        key = digest.of(
            "change", old and before.journey(old), new and after.journey(new), before.catalog
        )
        build = functools.partial(
            _draw, base, head, old, new, [c for c in changes if c.journey == ident]
        )
        found.append(Diagram(f"{ident}.change", build, key))
    return found


def _draw(
    base: Workspace,
    head: Workspace,
    old: Journey | None,
    new: Journey | None,
    changes: Sequence[Change],
) -> str:
    merged, painter = _merge(old, new, changes)
    # Named from HEAD's catalog (channels, owners), or BASE's for a removed journey.
    workspace = head if new is not None else base
    text: str = views.journey(workspace, merged, painter).to_string()
    return text


def _merge(
    old: Journey | None, new: Journey | None, changes: Sequence[Change]
) -> tuple[Journey, _Painter]:
    """The journey to draw, and how to paint it."""
    if new is None or old is None:
        whole = new or old
        assert whole is not None
        everything: Status = "removed" if new is None else "added"
        edges = _edges(whole)
        return whole, _Painter(whole, everything, edges if old else set(), edges if new else set())
    kept = set(new.touchpoint_by_id)
    new_stages = {s.id for s in new.stages}
    old_stages = {s.id: s for s in old.stages}
    # Removed stages go back after the stage they followed (None: first).
    ghosts: dict[str | None, list[Stage]] = {}
    previous: str | None = None
    for stage in old.stages:
        if stage.id in new_stages:
            previous = stage.id
        else:
            # Only what did not move to another stage stays in the ghost.
            left = tuple(tp for tp in stage.touchpoints if tp.id not in kept)
            ghosts.setdefault(previous, []).append(dataclasses.replace(stage, touchpoints=left))
    stages = list(ghosts.get(None, []))
    for stage in new.stages:
        stages.append(_merge_stage(stage, old_stages.get(stage.id), kept, old.touchpoint_by_id))
        stages.extend(ghosts.get(stage.id, []))
    painter = _Painter(new, None, _edges(old), _edges(new))
    for _, tp in new.touchpoints():
        painter.status[tp.id] = "same" if tp.id in old.touchpoint_by_id else "added"
    for _, tp in old.touchpoints():
        painter.status.setdefault(tp.id, "removed")
    for stage in (*new.stages, *old.stages):
        painter.stage_status.setdefault(
            stage.id,
            "added"
            if stage.id not in old_stages
            else "removed"
            if stage.id not in new_stages
            else "same",
        )
    for change in changes:
        if change.touchpoint is not None:
            if painter.status.get(change.touchpoint) == "same":
                painter.status[change.touchpoint] = "changed"
            if change.kind not in (ChangeKind.TOUCHPOINT_ADDED, ChangeKind.TOUCHPOINT_REMOVED):
                painter.words.setdefault(change.touchpoint, set()).add(_word(change.kind))
        elif change.stage is not None and painter.stage_status.get(change.stage) == "same":
            painter.stage_status[change.stage] = "changed"
    return dataclasses.replace(new, stages=tuple(stages)), painter


def _merge_stage(
    stage: Stage, before: Stage | None, kept: set[str], old: Mapping[str, Touchpoint]
) -> Stage:
    """HEAD's stage, each touchpoint with its edges from both sides, and the
    touchpoints it lost back after the one they followed."""
    touchpoints = [_both_edges(tp, old.get(tp.id)) for tp in stage.touchpoints]
    anchor: str | None = None
    for tp in before.touchpoints if before is not None else ():
        if tp.id in kept:
            if any(t.id == tp.id for t in touchpoints):
                anchor = tp.id
            continue
        at = (
            0
            if anchor is None
            else 1 + next(i for i, t in enumerate(touchpoints) if t.id == anchor)
        )
        touchpoints.insert(at, tp)
        anchor = tp.id
    return dataclasses.replace(stage, touchpoints=tuple(touchpoints))


def _both_edges(tp: Touchpoint, old: Touchpoint | None) -> Touchpoint:
    if old is None:
        return tp
    return dataclasses.replace(
        tp,
        next=(*tp.next, *(t for t in old.next if t not in tp.next)),
        escalates_to=(*tp.escalates_to, *(t for t in old.escalates_to if t not in tp.escalates_to)),
    )


def _edges(journey: Journey) -> set[tuple[EdgeKind, str, str]]:
    found: set[tuple[EdgeKind, str, str]] = set()
    for _, tp in journey.touchpoints():
        found.update(("next", tp.id, target) for target in tp.next)
        found.update(("escalation", tp.id, target) for target in tp.escalates_to)
    return found


def _word(kind: ChangeKind) -> str:
    """``touchpoint-channel-changed`` → ``channel``: what changed, for a node's
    label (in English: :data:`WORDS` translates it where it is drawn)."""
    return kind.removeprefix("touchpoint-").removesuffix("-changed").replace("-", " ")


_BY_WORD = {_word(kind): said for kind, said in WORDS.items()}


def _what(words: set[str]) -> str:
    """What changed at a touchpoint, in the reader's language, in the English order."""
    return gettext(", ").join(gettext(_BY_WORD.get(w, w)) for w in sorted(words))


class _Painter:
    """Styles the merged journey by what happened to each part (see :class:`views.Paint`)."""

    def __init__(
        self,
        journey: Journey,
        everything: Status | None,
        old_edges: set[tuple[EdgeKind, str, str]],
        new_edges: set[tuple[EdgeKind, str, str]],
    ):
        self.title = gettext("Changes to {journey}").format(
            journey=f"{journey.name}  ({journey.id})"
        )
        self.legend = _legend()
        self.everything = everything
        self.old_edges, self.new_edges = old_edges, new_edges
        self.status: dict[str, Status] = {}
        self.stage_status: dict[str, Status] = {}
        self.words: dict[str, set[str]] = {}

    def stage(self, stage: Stage, cluster: pydot.Cluster) -> None:
        status = self.everything or self.stage_status.get(stage.id, "same")
        _, border, _words = STYLES[status]
        if status == "same":
            return
        words = status_words(status)
        cluster.set("color", border)
        cluster.set("penwidth", "2")
        if status == "removed":
            cluster.set("style", "rounded,dashed")
            cluster.set("fontcolor", border)
        # The label is a quoted DOT string: the words go inside its closing quote.
        label = str(cluster.get("label"))
        cluster.set("label", f"{label[:-1]}  ({words}){label[-1]}")

    def touchpoint(self, tp: Touchpoint, node: pydot.Node) -> None:
        status = self.everything or self.status.get(tp.id, "same")
        fill, border, _words = STYLES[status]
        words = status_words(status)
        node.set("fillcolor", fill)
        node.set("color", border)
        node.set("penwidth", "1" if status == "same" else "2.5")
        if status == "removed":
            node.set("style", "rounded,dashed,filled")
            node.set("fontcolor", border)
        what = _what(self.words.get(tp.id, set())) if status == "changed" else ""
        if words:
            said = gettext("{status}: {what}").format(status=words, what=what) if what else words
            label = str(node.get("label"))
            # An HTML label, <…>: one more row before its closing bracket.
            node.set(
                "label",
                f'{label[:-1]}<BR/><FONT POINT-SIZE="9" COLOR="{border}">'
                f"<B>{views.label_lines(said, 34)}</B></FONT>>",
            )

    def edge(
        self, kind: EdgeKind, source: Touchpoint, target: Touchpoint, edge: pydot.Edge
    ) -> None:
        key = (kind, source.id, target.id)
        if key in self.new_edges and key in self.old_edges:
            return
        if key in self.new_edges:
            edge.set("color", STYLES["added"][1])
            edge.set("penwidth", "2.2")
        else:
            edge.set("color", STYLES["removed"][1])
            edge.set("style", "dashed")
            edge.set("arrowhead", "empty")


def legend_row(status: Status, shown: str) -> str:
    fill, border, _ = STYLES[status]
    style = ' STYLE="dashed"' if status == "removed" else ""
    return f'<TD BGCOLOR="{fill}" BORDER="1" COLOR="{border}"{style}>{shown}</TD>'


def _legend() -> str:
    """The legend, an HTML label, in the reader's language."""

    def row(status: Status) -> str:
        return legend_row(status, html(status_words(status)))

    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="4">'
        f'<TR><TD COLSPAN="3"><B>{html(gettext("Legend"))}</B></TD></TR>'
        f"<TR>{row('added')}{row('changed')}{row('removed')}</TR>"
        f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{STYLES["added"][1]}">'
        f"{html(gettext('→ edge added (green)'))}</FONT></TD></TR>"
        f'<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR="{STYLES["removed"][1]}">'
        f"{html(gettext('- - → edge removed (dashed grey)'))}</FONT></TD></TR>"
        f'<TR><TD COLSPAN="3" ALIGN="LEFT">{html(gettext("→ next step (grey)"))}, '
        f'<FONT COLOR="#c0392b">{html(gettext("- - → escalation (dashed red)"))}</FONT></TD></TR>'
        "</TABLE>>"
    )


# Mermaid's styles for each status, as the Graphviz diagram paints it.
MERMAID_CLASSES: dict[str, str] = {
    status: f"fill:{fill},stroke:{border},stroke-width:2px"
    + (",stroke-dasharray:5 3,color:#757575" if status == "removed" else "")
    for status, (fill, border, _) in STYLES.items()
    if status != "same"
}
_ESCALATION = "#c0392b"


# GitHub draws a Mermaid block with Mermaid's defaults, and shows an error in
# place of a chart with more edges (maxEdges) or characters (maxTextSize).
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000


def mermaid(base: Workspace, head: Workspace, changes: Sequence[Change]) -> dict[str, str | None]:
    """Journey id → a Mermaid flowchart of its changed part: the touchpoints
    added, changed or removed and their neighbours (along next steps and
    escalations, on either side), in their stages, styled as :func:`diagrams`
    styles them; None where that is too large for GitHub to draw. A journey
    whose changes touch no touchpoint has none."""
    found: dict[str, str | None] = {}
    for ident in sorted({c.journey for c in changes if c.journey is not None}):
        old, new = base.by_id(Journey).get(ident), head.by_id(Journey).get(ident)
        merged, painter = _merge(old, new, [c for c in changes if c.journey == ident])
        drawn = _flowchart(merged, painter)
        if drawn is not None:
            chart, edges = drawn
            fits = edges <= MERMAID_MAX_EDGES and len(chart) <= MERMAID_MAX_TEXT
            found[ident] = chart if fits else None
    return found


def _flowchart(journey: Journey, painter: _Painter) -> tuple[str, int] | None:
    """The flowchart and how many edges it draws."""

    def status(tp: Touchpoint) -> Status:
        return painter.everything or painter.status.get(tp.id, "same")

    edges = sorted(painter.old_edges | painter.new_edges)
    focus = {tp.id for _, tp in journey.touchpoints() if status(tp) != "same"}
    if not focus:
        return None
    shown = set(focus)
    for _, source, target in edges:
        if source in focus or target in focus:
            shown |= {source, target}
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]
    classes: dict[Status, list[str]] = {}
    for index, stage in enumerate(journey.stages):
        members = [tp for tp in stage.touchpoints if tp.id in shown and tp.id not in ids]
        if not members:
            continue
        stage_status = painter.everything or painter.stage_status.get(stage.id, "same")
        title = stage.name + ("" if stage_status == "same" else f" ({status_words(stage_status)})")
        lines.append(f'  subgraph s{index}["{mermaid_label(title)}"]')
        for tp in members:
            node = ids[tp.id] = f"n{len(ids)}"
            what = status(tp)
            words = status_words(what)
            changed = _what(painter.words.get(tp.id, set())) if what == "changed" else ""
            label = mermaid_label(tp.name)
            if words:
                label += "<br/>" + mermaid_label(
                    gettext("{status}: {what}").format(status=words, what=changed)
                    if changed
                    else words
                )
            lines.append(f'    {node}["{label}"]')
            if what != "same":
                classes.setdefault(what, []).append(node)
        lines.append("  end")
    styles: list[str] = []
    for kind, source, target in edges:
        if source not in ids or target not in ids:
            continue
        arrow = "-.->" if kind == "escalation" else "-->"
        lines.append(f"  {ids[source]} {arrow} {ids[target]}")
        key = (kind, source, target)
        colour = _ESCALATION if kind == "escalation" else "#9e9e9e"
        if key not in painter.old_edges:
            colour = STYLES["added"][1]
        elif key not in painter.new_edges:
            colour = STYLES["removed"][1] + ",stroke-dasharray:5 3"
        styles.append(f"  linkStyle {len(styles)} stroke:{colour}")
    return mermaid_end(lines, styles, classes.items(), MERMAID_CLASSES)


def mermaid_end(
    lines: list[str],
    styles: list[str],
    classes: Iterable[tuple[str, list[str]]],
    definitions: Mapping[str, str],
) -> tuple[str, int]:
    """A flowchart's lines with its edges' styles and its nodes' classes
    after them, and how many edges it draws."""
    lines = [*lines, *styles]
    for what, nodes in classes:
        lines.append(f"  classDef {what} {definitions[what]}")
        lines.append(f"  class {','.join(nodes)} {what}")
    return "\n".join(lines) + "\n", len(styles)
