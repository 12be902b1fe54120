"""Every touchpoint has an emotion for each of its personas.

The emotional curve — from frustration to delight — shows where a journey
hurts. A touchpoint with no ``emotion``, or an emotion map that leaves out one
of the touchpoint's personas, is a gap in that curve.

Passing:

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent, retiree]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: call, name: Agent call, channel: agent-voice, emotion: {busy-parent: -1, retiree: 1}}
```

Failing (nothing for ``retiree``):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent, retiree]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: call, name: Agent call, channel: agent-voice, emotion: {busy-parent: -1}}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import emotion_for
from journeycode.rules.base import Finding, RuleContext

ID = "emotion-coverage"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset({"persona"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for _, tp in journey.touchpoints():
        missing = [p for p in journey.personas_at(tp) if emotion_for(tp, p) is None]
        if not missing:
            continue
        where = tp.src.at("emotion") if tp.emotion is not None else tp.src.at("id")
        yield Finding(
            where,
            i18n.msg(
                "touchpoint '{id}' has no emotion for {personas}",
                id=tp.id,
                personas=", ".join(missing),
            ),
            i18n.msg("add emotion: -2 (frustrated) to 2 (delighted), or one per persona"),
            (tp,),
            detail=tuple(f"persona {p}" for p in missing),
        )
