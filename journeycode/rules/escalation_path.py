"""A self-service or automated step has a way out to a human.

When a chatbot conversation, an IVR menu or a help article does not solve the
customer's problem, there must be a clear escalation path to an assisted
channel. A touchpoint that a customer starts on a ``self-service`` or
``automated`` channel must reach an ``assisted`` touchpoint by following
``escalates_to`` (directly, or through other self-service steps).

Company-initiated touchpoints (``initiated_by: company``: a bill e-mail, an
outage SMS) are notifications, not attempts to get something done, and are
not checked.

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

Failing (the chatbot is a dead end):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: bot, name: Chatbot, channel: chatbot}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import needs_escalation, reaches_a_human
from journeycode.rules.base import Finding, RuleContext

ID = "escalation-path"
LEVEL = Level.ERROR
SETTLED_BY: frozenset[str] = frozenset({"channel"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for _, tp in journey.touchpoints():
        if needs_escalation(workspace, tp) and not reaches_a_human(workspace, journey, tp):
            yield Finding(
                tp.src.at("id"),
                i18n.msg(
                    "touchpoint '{id}' on {channel} has no way out to a human",
                    id=tp.id,
                    channel=tp.channel,
                ),
                i18n.msg("add escalates_to: with a touchpoint on an assisted channel"),
                (tp,),
            )
