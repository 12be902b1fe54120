"""Every persona of a journey has a path through every stage.

A journey map is drawn per persona: each persona the journey lists should meet
at least one touchpoint in each stage. A stage where a persona has no
touchpoint is a hole in that persona's path — either the map is incomplete or
the service really leaves that customer with nowhere to go.

A touchpoint without ``personas`` serves every persona of the journey.

Passing:

```yaml
journey:
  id: pay-bill
  name: Pay a bill
  personas: [busy-parent, retiree]
  stages:
    - id: pay
      name: Pay
      touchpoints:
        - {id: pay-in-app, name: Pay in the app, channel: chatbot, personas: [busy-parent]}
        - {id: pay-by-phone, name: Pay by phone, channel: agent-voice, personas: [retiree]}
```

Failing (``retiree`` has no touchpoint in ``pay``):

```yaml
journey:
  id: pay-bill
  name: Pay a bill
  personas: [busy-parent, retiree]
  stages:
    - id: pay
      name: Pay
      touchpoints:
        - {id: pay-in-app, name: Pay in the app, channel: chatbot, personas: [busy-parent]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import personas_in
from journeycode.rules.base import Finding, RuleContext

ID = "persona-stage-coverage"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"persona"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for stage in journey.stages:
        present = personas_in(journey, stage)
        for persona in journey.personas:
            if persona not in present:
                yield Finding(
                    stage.src.at("id"),
                    i18n.msg(
                        "persona '{persona}' has no touchpoint in stage '{id}'",
                        persona=persona,
                        id=stage.id,
                    ),
                    i18n.msg(
                        "add a touchpoint for '{persona}', or list the persona on one of the "
                        "stage's touchpoints",
                        persona=persona,
                    ),
                    (stage,),
                    detail=(f"persona {persona}",),
                )
