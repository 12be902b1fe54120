"""A reference to something that is not defined.

Maps refer to each other by id: journeys and touchpoints to personas,
touchpoints to channels, owners, systems and KPIs, ``next`` and
``escalates_to`` to touchpoints of the same journey, opportunities to pain
points, emotion maps to the touchpoint's personas, and ``waive`` to rule ids.
A reference to nothing is a broken map: a touchpoint on a channel nobody
defined is not on any channel report, an escalation to a missing touchpoint is
no way out at all. The hint names the closest existing id.

Passing:

```yaml
channels:
  - {id: webchat, name: Web chat, type: messaging, mode: assisted}
journey:
  id: order-status
  name: Check an order
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat with an agent, channel: webchat}
```

Failing (``web-chat`` is not defined; the hint suggests ``webchat``):

```yaml
journey:
  id: order-status
  name: Check an order
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat with an agent, channel: web-chat}
```
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from journeycode.model import Entity, Journey, Src, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding
from journeycode.suggest import did_you_mean

ID = "unknown-reference"
LEVEL = Level.ERROR
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, options: Mapping[str, Any]) -> Iterator[Finding]:
    known = _Known(workspace)
    for persona in workspace.personas:
        yield from known.each(
            persona.src.at("preferred_channels"), persona.preferred_channels, "channels"
        )
    for kpi in workspace.kpis:
        yield from known.one(kpi.src.at("owner"), kpi.owner, "owners")
        yield from known.each(kpi.src.at("channels"), kpi.channels, "channels")
    for journey in workspace.journeys:
        yield from _journey(journey, known)
    for entity in workspace.entities():
        yield from _waivers(entity)


def _journey(journey: Journey, known: _Known) -> Iterator[Finding]:
    src = journey.src
    yield from known.one(src.at("owner"), journey.owner, "owners")
    yield from known.each(src.at("personas"), journey.personas, "personas")
    touchpoint_ids = {tp.id for _, tp in journey.touchpoints()} | journey.dropped_ids
    pain_point_ids = {pp.id for _, pp in journey.pain_points()} | journey.dropped_ids
    where = f"journey '{journey.id}'"
    for stage in journey.stages:
        yield from known.one(stage.src.at("owner"), stage.owner, "owners")
        yield from known.each(stage.src.at("kpis"), stage.kpis, "kpis")
        for tp in stage.touchpoints:
            at = tp.src.at
            yield from known.one(at("channel"), tp.channel, "channels")
            yield from known.one(at("owner"), tp.owner, "owners")
            yield from known.each(at("systems"), tp.systems, "systems")
            yield from known.each(at("kpis"), tp.kpis, "kpis")
            yield from known.each(at("personas"), tp.personas, "personas")
            for index, persona in enumerate(tp.personas):
                if persona not in journey.personas and persona in known.ids["personas"]:
                    yield Finding(
                        at("personas", index),
                        f"persona '{persona}' is not one of the personas of {where}",
                        "add it to the journey's personas, or remove it here",
                    )
            yield from _local(at("next"), tp.next, touchpoint_ids, "touchpoint", where)
            yield from _local(
                at("escalates_to"), tp.escalates_to, touchpoint_ids, "touchpoint", where
            )
            if isinstance(tp.emotion, Mapping):
                personas = journey.personas_at(tp)
                for persona in tp.emotion:
                    if persona not in personas:
                        yield Finding(
                            at("emotion", persona),
                            f"emotion for '{persona}', "
                            f"who is not a persona of touchpoint '{tp.id}'",
                            did_you_mean(persona, personas),
                            key=True,
                        )
    for opportunity in journey.opportunities:
        at = opportunity.src.at
        yield from known.one(at("owner"), opportunity.owner, "owners")
        yield from known.each(at("kpis"), opportunity.kpis, "kpis")
        yield from _local(
            at("addresses"), opportunity.addresses, pain_point_ids, "pain point", where
        )


class _Known:
    """The ids of each catalog kind, including those left out for schema errors."""

    _NAMES: ClassVar[dict[str, str]] = {
        "personas": "persona",
        "channels": "channel",
        "owners": "owner",
        "systems": "system",
        "kpis": "KPI",
    }

    def __init__(self, workspace: Workspace):
        defined = {
            "personas": workspace.persona_by_id,
            "channels": workspace.channel_by_id,
            "owners": workspace.owner_by_id,
            "systems": workspace.system_by_id,
            "kpis": workspace.kpi_by_id,
        }
        self.defined = {kind: set(ids) for kind, ids in defined.items()}
        self.ids = {
            kind: ids | workspace.shadow_ids.get(kind, frozenset())
            for kind, ids in self.defined.items()
        }

    def one(self, src: Src, ref: str | None, kind: str) -> Iterator[Finding]:
        if ref is not None and ref not in self.ids[kind]:
            yield Finding(
                src, f"unknown {self._NAMES[kind]} '{ref}'", did_you_mean(ref, self.defined[kind])
            )

    def each(self, src: Src, refs: Iterable[str], kind: str) -> Iterator[Finding]:
        for index, ref in enumerate(refs):
            yield from self.one(src.at(index), ref, kind)


def _local(
    src: Src, refs: Iterable[str], ids: Collection[str], kind: str, where: str
) -> Iterator[Finding]:
    for index, ref in enumerate(refs):
        if ref not in ids:
            yield Finding(
                src.at(index), f"unknown {kind} '{ref}' in {where}", did_you_mean(ref, ids)
            )


def _waivers(entity: Entity) -> Iterator[Finding]:
    # Imported here: the registry imports this module.
    from journeycode.rules import REGISTRY

    for rule in entity.waive:
        if rule not in REGISTRY:
            yield Finding(
                entity.src.at("waive", rule),
                f"waiver for unknown rule '{rule}'",
                did_you_mean(rule, REGISTRY) or f"rule ids: {', '.join(REGISTRY)}",
                key=True,
            )
