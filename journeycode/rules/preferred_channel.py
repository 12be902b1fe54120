"""A persona's preferred channels are offered where that persona goes.

Meet customers on the channels they prefer. In every stage where a persona
has a touchpoint, at least one touchpoint of that persona should be on one of
the persona's ``preferred_channels``. Personas without preferred channels are
not checked.

Passing:

```yaml
personas:
  - {id: texter, name: Prefers text, preferred_channels: [webchat, sms]}
journey:
  id: ask
  name: Ask a question
  personas: [texter]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Live chat, channel: webchat}
```

Failing (the only way to ask is a phone call):

```yaml
personas:
  - {id: texter, name: Prefers text, preferred_channels: [webchat, sms]}
journey:
  id: ask
  name: Ask a question
  personas: [texter]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: call, name: Agent call, channel: agent-voice}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Persona, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "preferred-channel"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset({"channel", "persona"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    personas = workspace.by_id(Persona)
    for stage in journey.stages:
        offered: dict[str, set[str]] = {}
        for tp in stage.touchpoints:
            for persona_id in journey.personas_at(tp):
                offered.setdefault(persona_id, set()).add(tp.channel)
        for persona_id, channels in offered.items():
            persona = personas.get(persona_id)
            if persona is None or not persona.preferred_channels:
                continue
            if channels.isdisjoint(persona.preferred_channels):
                yield Finding(
                    stage.src.at("id"),
                    i18n.msg(
                        "stage '{id}' offers '{persona}' none of their preferred "
                        "channels ({channels})",
                        id=stage.id,
                        persona=persona_id,
                        channels=", ".join(persona.preferred_channels),
                    ),
                    None,
                    (stage, persona),
                )
