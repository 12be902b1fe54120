"""An id is defined twice.

Personas, channels, owners, systems, KPIs and journeys are shared by every file
of the workspace, so their ids must be unique across it. Stages, touchpoints,
pain points and opportunities are local to their journey: their ids must be
unique within it, and may repeat in another journey. Every reference is by
id, so a duplicate makes references ambiguous: journeycode keeps the first
definition and reports each later one, naming where the first is.

Passing:

```yaml
channels:
  - {id: email, name: E-mail, type: messaging, mode: assisted}
  - {id: callback, name: Callback, type: voice, mode: assisted}
```

Failing (the second ``email``):

```yaml
channels:
  - {id: email, name: E-mail, type: messaging, mode: assisted}
  - {id: email, name: Callback, type: voice, mode: assisted}
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from journeycode.model import Entity, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding

ID = "duplicate-id"
LEVEL = Level.ERROR
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, options: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _duplicates("persona", workspace.personas, "")
    yield from _duplicates("channel", workspace.channels, "")
    yield from _duplicates("owner", workspace.owners, "")
    yield from _duplicates("system", workspace.systems, "")
    yield from _duplicates("KPI", workspace.kpis, "")
    yield from _duplicates("journey", workspace.journeys, "")
    for journey in workspace.journeys:
        scope = f" in journey '{journey.id}'"
        yield from _duplicates("stage", journey.stages, scope)
        yield from _duplicates("touchpoint", (tp for _, tp in journey.touchpoints()), scope)
        yield from _duplicates("pain point", (pp for _, pp in journey.pain_points()), scope)
        yield from _duplicates("opportunity", journey.opportunities, scope)


def _duplicates(kind: str, entities: Iterable[Entity], scope: str) -> Iterator[Finding]:
    first: dict[str, Entity] = {}
    for entity in entities:
        original = first.setdefault(entity.id, entity)
        if original is not entity:
            yield Finding(
                entity.src.at("id"),
                f"duplicate {kind} id '{entity.id}'{scope}",
                f"first defined at {original.src.at('id').location}; rename or remove one",
                (entity,),
            )
