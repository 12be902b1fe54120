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

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n, kinds
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "unused-entity"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    used: dict[str, set[str]] = {kind.name: set() for kind in kinds.CATALOG}
    for kind in kinds.CATALOG:
        for entity in workspace.entities(kind.model):
            for ref, _, ident in kinds.references(entity):
                if ref.target in used:
                    used[ref.target].add(ident)
    for journey in workspace.entities(Journey):
        for target, ids in kinds.contents(journey).uses.items():
            if target in used:
                used[target].update(ids)
    for kind in kinds.CATALOG:
        for entity in workspace.by_id(kind.model).values():
            if entity.id not in used[kind.name] and not workspace.may_mention(entity.id):
                yield Finding(
                    entity.src.at("id"),
                    i18n.msg(
                        "{kind} '{id}' is not used anywhere",
                        kind=i18n.msg(kind.label),
                        id=entity.id,
                    ),
                    i18n.msg("reference it from a journey, or remove it"),
                    (entity,),
                )
