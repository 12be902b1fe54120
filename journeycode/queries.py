"""Questions about the model that rules and coverage both ask, answered once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
    by_id = workspace.kpi_by_id
    return [by_id[k] for k in ids if k in by_id and by_id[k].kind == kind]


def needs_escalation(workspace: Workspace, tp: Touchpoint) -> bool:
    """A customer-started step on a self-service or automated channel.

    Company-initiated messages (a bill e-mail, an outage SMS) are notifications,
    not steps where a customer tries to get something done, so they need no way out.
    """
    channel = workspace.channel_by_id.get(tp.channel)
    return (
        channel is not None and channel.mode in SELF_SERVICE_MODES and tp.initiated_by != "company"
    )


def is_assisted(workspace: Workspace, tp: Touchpoint) -> bool:
    channel = workspace.channel_by_id.get(tp.channel)
    return channel is not None and channel.mode == "assisted"


def reaches_a_human(workspace: Workspace, journey: Journey, start: Touchpoint) -> bool:
    """Whether following ``escalates_to`` from ``start`` leads to an assisted touchpoint."""
    by_id = journey.touchpoint_by_id
    seen = {start.id}
    frontier = list(start.escalates_to)
    while frontier:
        current = frontier.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        tp = by_id[current]
        if is_assisted(workspace, tp):
            return True
        frontier.extend(tp.escalates_to)
    return False


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
    by_id = workspace.channel_by_id
    return any(tp.channel in by_id and by_id[tp.channel].always_open for tp in stage.touchpoints)


def personas_in(journey: Journey, stage: Stage) -> set[str]:
    return {persona for tp in stage.touchpoints for persona in journey.personas_at(tp)}


def unmeasured_channels(workspace: Workspace, kind: str) -> Iterator[tuple[Channel, list[str]]]:
    """Channels some journey uses that no KPI of ``kind`` measures, with those
    journeys; not those that a KPI left out for schema errors may measure."""
    for channel in workspace.channel_by_id.values():
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
