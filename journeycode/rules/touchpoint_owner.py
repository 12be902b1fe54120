"""Every touchpoint has an owner: its own ``owner``, or its stage's.

Someone must be accountable for each place where the customer meets the
business — marketing, sales, support, product or operations. A touchpoint
nobody owns is one nobody fixes.

Passing:

```yaml
journey:
  id: pay-bill
  name: Pay a bill
  personas: [busy-parent]
  stages:
    - id: pay
      name: Pay
      owner: digital-care
      touchpoints:
        - {id: pay-in-app, name: Pay in the app, channel: chatbot}
        - {id: pay-by-phone, name: Pay by phone, channel: agent-voice, owner: telephony}
```

Failing (neither the touchpoint nor its stage names an owner):

```yaml
journey:
  id: pay-bill
  name: Pay a bill
  personas: [busy-parent]
  stages:
    - id: pay
      name: Pay
      touchpoints:
        - {id: pay-in-app, name: Pay in the app, channel: chatbot}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import owner_of
from journeycode.rules.base import Finding, RuleContext

ID = "touchpoint-owner"
LEVEL = Level.ERROR
SETTLED_BY: frozenset[str] = frozenset({"owner"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for stage, tp in journey.touchpoints():
        if owner_of(stage, tp) is None:
            yield Finding(
                tp.src.at("id"),
                i18n.msg("touchpoint '{id}' has no owner", id=tp.id),
                i18n.msg(
                    "set owner: on the touchpoint, or on stage '{stage}' for all its touchpoints",
                    stage=stage.id,
                ),
                (tp,),
            )
