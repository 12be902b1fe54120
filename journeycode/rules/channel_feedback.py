"""Every channel a journey uses has a feedback KPI (CSAT, NPS, CES).

Feedback is tracked for few channels — only 8% of the contact centres that
offer SMS track feedback on it — so the customer's view of whole channels is
missing. A channel has feedback when a ``feedback`` KPI lists it in its
``channels``. Reported once per channel, at its definition.

Passing:

```yaml
kpis:
  - {id: chat-csat, name: Chat CSAT, kind: feedback, unit: score, channels: [webchat]}
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat, channel: webchat}
```

Failing (no feedback KPI lists ``webchat``):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat, channel: webchat}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Workspace
from journeycode.problems import Level
from journeycode.queries import unmeasured_channels
from journeycode.rules.base import Finding, RuleContext

ID = "channel-feedback"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"channel", "kpi"})
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    for channel, journeys in unmeasured_channels(workspace, "feedback"):
        yield Finding(
            channel.src.at("id"),
            i18n.msg(
                "channel '{id}' is used by {journeys} "
                "but no feedback KPI (CSAT, NPS, CES) covers it",
                id=channel.id,
                journeys=", ".join(journeys),
            ),
            i18n.msg("add '{id}' to the channels of a feedback KPI, or survey it", id=channel.id),
            (channel,),
        )
