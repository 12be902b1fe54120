"""Every stage offers at least one channel that is open 24/7.

Customers need help outside office hours; self-service such as a chatbot or a
knowledge base can be there around the clock. A stage is covered when one of
its touchpoints is on a channel with ``hours: "24/7"``.

Passing:

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: bot, name: Chatbot, channel: chatbot, escalates_to: [chat]}
        - {id: chat, name: Live chat, channel: webchat}
```

Failing (live chat closes at night):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Live chat, channel: webchat}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import offers_24_7
from journeycode.rules.base import Finding, RuleContext

ID = "after-hours"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset({"channel"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for stage in journey.stages:
        if stage.touchpoints and not offers_24_7(workspace, stage):
            yield Finding(
                stage.src.at("id"),
                i18n.msg("stage '{id}' has no channel open 24/7", id=stage.id),
                i18n.msg('add a self-service touchpoint on a channel with hours: "24/7"'),
                (stage,),
            )
