"""Questions about the model that rules and coverage both ask, answered once."""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Iterable, Iterator, Mapping

from journeycode.model import Channel, Journey, Kpi, Src, Stage, Touchpoint, Workspace

SELF_SERVICE_MODES = frozenset({"self-service", "automated"})


def owner_of(stage: Stage, tp: Touchpoint) -> str | None:
    """The owner accountable for a touchpoint: its own, else its stage's."""
    return tp.owner or stage.owner


def stage_kpis(stage: Stage) -> set[str]:
    """KPIs attached to a stage or to any of its touchpoints."""
    return set(stage.kpis).union(*(tp.kpis for tp in stage.touchpoints))


def channel_kpis(workspace: Workspace, channel: str, kind: str) -> list[Kpi]:
    return [kpi for kpi in workspace.kpis_by_channel.get(channel, ()) if kpi.kind == kind]


def kpis_of_kind(workspace: Workspace, ids: Iterable[str], kind: str) -> list[Kpi]:
    by_id = workspace.by_id(Kpi)
    return [by_id[k] for k in ids if k in by_id and by_id[k].kind == kind]


def needs_escalation(workspace: Workspace, tp: Touchpoint) -> bool:
    """A customer-started step on a self-service or automated channel.

    Company-initiated messages (a bill e-mail, an outage SMS) are notifications,
    not steps where a customer tries to get something done, so they need no way out.
    """
    channel = workspace.by_id(Channel).get(tp.channel)
    return (
        channel is not None and channel.mode in SELF_SERVICE_MODES and tp.initiated_by != "company"
    )


def is_assisted(workspace: Workspace, tp: Touchpoint) -> bool:
    channel = workspace.by_id(Channel).get(tp.channel)
    return channel is not None and channel.mode == "assisted"


def reaches_a_human(workspace: Workspace, journey: Journey, start: Touchpoint) -> bool:
    """Whether following ``escalates_to`` from ``start`` leads to an assisted
    touchpoint other than ``start`` (through touchpoints that are not assisted).

    Answered from :func:`humans_reached`, worked out once per journey, so asking
    for every touchpoint of a journey costs one pass over its escalations."""
    by_id = journey.touchpoint_by_id
    reached = humans_reached(workspace, journey)
    if by_id.get(start.id) is start:
        return bool(reached[start.id] - {start.id})
    # A second touchpoint with the same id (a duplicate-id error): its own
    # escalations, where each id means the first touchpoint with it.
    return any(
        t in by_id and (is_assisted(workspace, by_id[t]) or bool(reached[t]))
        for t in start.escalates_to
    )


_REACHED: weakref.WeakKeyDictionary[
    Journey, dict[int, tuple[Mapping[str, Channel], Mapping[str, frozenset[str]]]]
] = weakref.WeakKeyDictionary()


def humans_reached(workspace: Workspace, journey: Journey) -> Mapping[str, frozenset[str]]:
    """For each touchpoint id of ``journey``, up to two assisted touchpoints that
    following ``escalates_to`` from it reaches through touchpoints that are not
    assisted; empty when there is no way out to a human.

    One breadth-first search backwards from all assisted touchpoints at once,
    linear in the journey's touchpoints and escalations. Two are kept because an
    assisted touchpoint that only leads back to itself has no other human to
    hand over to. The answer depends on the journey and the workspace's channel
    modes; it is kept for as long as the journey lives (a language server keeps
    the journeys of files that did not change, and a diff asks about a journey
    of the base and of the head in turn)."""
    channels = workspace.by_id(Channel)
    kept = _REACHED.setdefault(journey, {})
    hit = kept.get(id(channels))
    if hit is not None and hit[0] is channels:
        return hit[1]
    by_id = journey.touchpoint_by_id
    leads_here: dict[str, list[str]] = {}
    for source, tp in by_id.items():
        for target in tp.escalates_to:
            if target in by_id:
                leads_here.setdefault(target, []).append(source)
    found: dict[str, set[str]] = {ident: set() for ident in by_id}
    # (touchpoint, the human it leads to): a human leads to itself.
    queue = deque((ident, ident) for ident, tp in by_id.items() if is_assisted(workspace, tp))
    while queue:
        current, human = queue.popleft()
        for source in leads_here.get(current, ()):
            humans = found[source]
            if human in humans or len(humans) == 2:
                continue
            humans.add(human)
            if not is_assisted(workspace, by_id[source]):
                queue.append((source, human))
    answer = {ident: frozenset(humans) for ident, humans in found.items()}
    if len(kept) >= 4:
        kept.clear()
    kept[id(channels)] = (channels, answer)
    return answer


COMMITTED = frozenset({"planned", "in-progress", "done"})
"""Opportunity statuses that address a pain point; an idea (or no status) does not yet."""


def addressed_pain_points(journey: Journey, *, count_ideas: bool = False) -> set[str]:
    """Pain points an opportunity of the journey addresses: one that is planned,
    in progress or done, or any one with ``count_ideas``."""
    return {
        pain
        for opportunity in journey.opportunities
        if count_ideas or opportunity.status in COMMITTED
        for pain in opportunity.addresses
    }


def emotion_for(tp: Touchpoint, persona: str) -> float | None:
    if tp.emotion is None or isinstance(tp.emotion, (int, float)):
        return tp.emotion
    return tp.emotion.get(persona)


def offers_24_7(workspace: Workspace, stage: Stage) -> bool:
    by_id = workspace.by_id(Channel)
    return any(tp.channel in by_id and by_id[tp.channel].always_open for tp in stage.touchpoints)


def personas_in(journey: Journey, stage: Stage) -> set[str]:
    return {persona for tp in stage.touchpoints for persona in journey.personas_at(tp)}


def unmeasured_channels(workspace: Workspace, kind: str) -> Iterator[tuple[Channel, list[str]]]:
    """Channels some journey uses that no KPI of ``kind`` measures, with those
    journeys; not those that a KPI left out for schema errors may measure."""
    for channel in workspace.by_id(Channel).values():
        journeys = workspace.journeys_by_channel.get(channel.id, ())
        if (
            journeys
            and not channel_kpis(workspace, channel.id, kind)
            and not workspace.may_mention(channel.id, by="kpi")
        ):
            yield channel, [journey.id for journey in journeys]


def measurement_source(kpi: Kpi, index: int) -> tuple[Src, str | None]:
    """Where a finding about the KPI's measurement at ``index`` goes: the
    measurement in the maps; for a row of a measurement file, the KPI's target
    (what the row is measured against), with ``file:line`` to name the row."""
    row = kpi.measurements[index].row
    if row is not None:
        return kpi.src.at("target"), row
    return kpi.src.at("measurements", index), None
