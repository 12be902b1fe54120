"""A catalog entry that nothing references.

Personas no journey maps, channels no touchpoint uses, owners who own nothing,
systems no touchpoint lists and KPIs nothing is measured by are clutter — or a
sign that a journey is missing. A reference from anywhere in the workspace
counts: a channel a KPI measures, an owner of a KPI, a persona's preferred
channel.

Passing:

```yaml
systems:
  - {id: ticketing, name: Ticketing}
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Live chat, channel: webchat, systems: [ticketing]}
```

Failing (no touchpoint uses ``ticketing``):

```yaml
systems:
  - {id: ticketing, name: Ticketing}
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from journeycode.model import Entity, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding

ID = "unused-entity"
LEVEL = Level.INFO
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, options: Mapping[str, Any]) -> Iterator[Finding]:
    used = _references(workspace)
    catalogs: list[tuple[str, Iterable[Entity]]] = [
        ("persona", workspace.persona_by_id.values()),
        ("channel", workspace.channel_by_id.values()),
        ("owner", workspace.owner_by_id.values()),
        ("system", workspace.system_by_id.values()),
        ("KPI", workspace.kpi_by_id.values()),
    ]
    for kind, entities in catalogs:
        for entity in entities:
            if entity.id not in used[kind]:
                yield Finding(
                    entity.src.at("id"),
                    f"{kind} '{entity.id}' is not used anywhere",
                    "reference it from a journey, or remove it",
                    (entity,),
                )


def _references(workspace: Workspace) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {k: set() for k in ("persona", "channel", "owner", "system", "KPI")}
    for persona in workspace.personas:
        used["channel"].update(persona.preferred_channels)
    for kpi in workspace.kpis:
        used["channel"].update(kpi.channels)
        used["owner"].update([kpi.owner] if kpi.owner else [])
    for journey in workspace.journeys:
        used["persona"].update(journey.personas)
        for owner in [journey.owner] + [s.owner for s in journey.stages]:
            used["owner"].update([owner] if owner else [])
        for stage in journey.stages:
            used["KPI"].update(stage.kpis)
            for tp in stage.touchpoints:
                used["persona"].update(tp.personas)
                used["channel"].add(tp.channel)
                used["owner"].update([tp.owner] if tp.owner else [])
                used["system"].update(tp.systems)
                used["KPI"].update(tp.kpis)
        for opportunity in journey.opportunities:
            used["owner"].update([opportunity.owner] if opportunity.owner else [])
            used["KPI"].update(opportunity.kpis)
    return used
