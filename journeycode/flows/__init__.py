"""Contact flows: what the contact centre's platform really runs, beside the maps.

The flow files (:mod:`journeycode.flows.read`) give one model
(:mod:`journeycode.flows.model`) whatever platform exported them; a touchpoint
names its flow (``flow: billing-ivr`` or ``flow: billing-ivr#MainMenu``), and
the rules ``flow-way-out``, ``flow-matches-map``, ``ivr-menu-depth``,
``ivr-menu-options``, ``flow-loop`` and ``flow-after-hours`` check the one
against the other through :mod:`journeycode.flows.paths`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from journeycode import i18n, pipeline_rules, suggest
from journeycode.config import Flows as Settings
from journeycode.flows import read as reading
from journeycode.flows.model import Edge, Flow, Step
from journeycode.flows.paths import DeadEnd, Flows
from journeycode.model import Journey, Touchpoint, Workspace
from journeycode.problems import Level, Problem, Subject

__all__ = [
    "Flows",
    "Read",
    "attach",
    "dead_ends",
    "entries",
    "linked",
    "roots",
    "starts",
    "unknown",
    "ways_to_a_person",
]


@dataclass(frozen=True)
class Read:
    workspace: Workspace
    problems: list[Problem]
    files: list[str]


def attach(
    root: Path,
    display_root: str,
    settings: Settings,
    workspace: Workspace,
    kept: reading.Kept | None = None,
) -> Read:
    """The workspace with its flows read from the flow files (``workspace.flows``);
    ``kept``: what the files gave the caller's last compile (:data:`reading.Kept`)."""
    found = reading.read(root, display_root, settings.path, kept)
    resolved: dict[str, set[str]] = {}
    for journey in workspace.entities(Journey):
        for _, tp in journey.touchpoints():
            if tp.flow_id is not None and tp.flow_resolved:
                resolved.setdefault(tp.flow_id, set()).update(tp.flow_resolved)
    flows = Flows(
        found.flows,
        settings.aliases,
        resolved,
        settings.queues,
        found.unknown_types,
        {ident: own.queues for ident, own in settings.files.items()},
        found.unread,
    )
    problems = [*found.problems, *_unknown_files(settings, found.flows, found.unread)]
    return Read(dataclasses.replace(workspace, flows=flows), problems, found.files)


def _unknown_files(
    settings: Settings, found: Mapping[str, Flow], unread: Collection[str]
) -> Iterator[Problem]:
    """A flow the settings say something of (``flows: files:``) or map a name
    to (``flows: aliases:``) that no flow file holds."""
    for ident, own in settings.files.items():
        if ident not in found and ident not in unread:
            yield _unknown(ident, own.where, found, ("settings",))
    for written, ident in settings.aliases.items():
        if ident not in found and ident not in unread:
            yield _unknown(ident, settings.aliases_at[written], found, ("aliases", written))


def _unknown(ident: str, where: str, found: Mapping[str, Flow], detail: tuple[str, ...]) -> Problem:
    display, line, col = where.rsplit(":", 2)
    close = suggest.closest(ident, found)
    return Problem(
        display,
        int(line),
        int(col),
        pipeline_rules.FLOWS,
        Level.ERROR,
        i18n.msg("unknown flow '{id}'", id=ident),
        suggest.hint(close) or i18n.msg("flows are the *.json files below the flows folder"),
        subject=Subject("flow", ident),
        detail=detail,
        fix=suggest.fix(ident, close),
    )


_LINKED: list[tuple[Workspace, Mapping[str, list[Touchpoint]]]] = []
"""The last workspace's :func:`linked`: five rules ask for it in each check."""


def linked(workspace: Workspace) -> Mapping[str, list[Touchpoint]]:
    """The touchpoints that name each flow (by flow id), in map order."""
    if _LINKED and _LINKED[0][0] is workspace:
        return _LINKED[0][1]
    found: dict[str, list[Touchpoint]] = {}
    for journey in workspace.entities(Journey):
        for _, tp in journey.touchpoints():
            if tp.flow_id is not None:
                found.setdefault(tp.flow_id, []).append(tp)
    _LINKED[:] = [(workspace, found)]
    return found


def roots(workspace: Workspace) -> list[Flow]:
    """The flows a contact starts in, by id: those a touchpoint names, and
    those no other flow runs (but for whisper, hold and queue flows, which
    play beside a contact that is already waiting or talking).

    Flows that only run each other (A runs B, B runs A) and that nothing above
    leads to are entered somewhere too, though the workspace does not say
    where: the first of them by id is a root, followed from its start, and
    so on until every flow but the whisper and hold flows is reached."""
    flows = workspace.flows
    if flows is None:
        return []
    named = linked(workspace)
    found = {
        ident
        for ident, flow in flows.flows.items()
        if ident in named or (ident not in flows.called and not flow.runs_beside)
    }
    reached: set[str] = set()

    def reach(todo: list[str]) -> None:
        while todo:
            at = todo.pop()
            if at not in reached:
                reached.add(at)
                todo.extend(flows.runs[at] - reached)

    reach(list(found))
    for ident, flow in sorted(flows.flows.items()):
        if ident not in reached and not flow.runs_beside:
            found.add(ident)
            reach([ident])
    return [flows.flows[ident] for ident in sorted(found)]


def starts(workspace: Workspace, flow: Flow) -> list[str | None]:
    """Where contacts enter ``flow``: the steps the touchpoints that name it
    link to (``flow: ID#STEP``), and its start (None) where a touchpoint
    names the flow alone, another flow runs it, or nothing names it at all.
    A step the flow lacks is its start (unknown-reference reports it)."""
    named = linked(workspace).get(flow.id, [])
    found: list[str | None] = []
    called = workspace.flows is not None and flow.id in workspace.flows.called
    if not named or called:
        found.append(None)
    for tp in named:
        step = tp.flow_step if tp.flow_step in flow.steps and tp.flow_step != flow.start else None
        if step not in found:
            found.append(step)
    return found


def entries(workspace: Workspace, flow: Flow) -> list[str | None]:
    """Where a contact is in ``flow``, as :func:`starts` says; nowhere for a
    whisper, hold or queue flow that no touchpoint names and no flow runs
    (it plays beside a contact that is already waiting or talking)."""
    graph = workspace.flows
    if graph is None:
        return []
    if flow.runs_beside and flow.id not in graph.called and flow.id not in linked(workspace):
        return []
    return starts(workspace, flow)


def dead_ends(
    workspace: Workspace, flow: Flow, at: Sequence[str | None] | None = None
) -> list[DeadEnd]:
    """Every dead end a contact reaches from where it enters ``flow`` (``at``;
    by default its :func:`entries`), in the flows it runs too, each once, with
    the path that reaches it first: what ``flow-way-out`` reports, and what
    the site shows of the flow."""
    graph = workspace.flows
    if graph is None:
        return []
    found: dict[tuple[str, str], DeadEnd] = {}
    for entry in entries(workspace, flow) if at is None else at:
        for end in graph.dead_ends(flow, entry):
            found.setdefault((end.flow.id, end.step.id), end)
    return list(found.values())


def unknown(workspace: Workspace, flow: Flow, at: Sequence[str | None] | None = None) -> bool:
    """Whether a contact that enters ``flow`` at ``at`` (by default its
    :func:`entries`) can reach a sub-flow the workspace does not hold."""
    graph = workspace.flows
    return graph is not None and any(
        summary.unknown
        for entry in (entries(workspace, flow) if at is None else at)
        for summary in graph.reached(flow, entry)
    )


def ways_to_a_person(workspace: Workspace, flow: Flow) -> set[tuple[Step, Edge]]:
    """The edges of ``flow`` on the shortest path from each of its
    :func:`entries` to each transfer and callback it reaches, and to each
    sub-flow step it reaches whose flow reaches one."""
    graph = workspace.flows
    found: set[tuple[Step, Edge]] = set()
    if graph is None:
        return found
    for entry in entries(workspace, flow):
        summary = graph.summary(flow, entry)
        ends = [step for _, step in summary.ways_out]
        ends += [
            step
            for step, target, _path in summary.runs
            if any(inner.ways_out for inner in graph.reached(target))
        ]
        for step in ends:
            at = summary.before[step]
            while at is not None and at not in found:
                found.add(at)
                at = summary.before[at[0]]
    return found
