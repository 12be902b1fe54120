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

from journeycode import i18n, kinds
from journeycode.model import Entity, Journey, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "duplicate-id"
LEVEL = Level.ERROR
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    """Ids of the catalogs' entries and of journeys."""
    for kind in (*kinds.CATALOG, kinds.JOURNEY):
        yield from _duplicates(kind.label, workspace.entities(kind.model))


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    """Ids of the stages, touchpoints, pain points and opportunities of one journey."""
    parts = list(kinds.within(journey))[1:]
    for kind in kinds.KINDS.values():
        if not kind.shared:
            of_kind = (e for e in parts if kinds.of(e) is kind)
            yield from _duplicates(kind.label, of_kind, journey.id)


def _duplicates(
    label: str, entities: Iterable[Entity], journey: str | None = None
) -> Iterator[Finding]:
    first: dict[str, Entity] = {}
    for entity in entities:
        original = first.setdefault(entity.id, entity)
        if original is not entity:
            yield Finding(
                entity.src.at("id"),
                i18n.msg("duplicate {kind} id '{id}'", kind=i18n.msg(label), id=entity.id)
                if journey is None
                else i18n.msg(
                    "duplicate {kind} id '{id}' in journey '{journey}'",
                    kind=i18n.msg(label),
                    id=entity.id,
                    journey=journey,
                ),
                i18n.msg(
                    "first defined at {location}; rename or remove one",
                    location=original.src.at("id").location,
                ),
                (entity,),
            )
