"""Every channel a journey uses has an operational KPI.

Contact centres offer channels they do not track: 46% offer SMS, only 14%
track its performance. A channel is measured when an ``operational`` KPI lists
it in its ``channels`` (handle time, response time, delivery rate, containment…).
The problem is reported once per channel, at its definition, naming the
journeys that use it.

Passing:

```yaml
kpis:
  - {id: sms-delivery, name: SMS delivery rate, kind: operational, unit: percent, channels: [sms]}
journey:
  id: outage
  name: Outage notice
  personas: [busy-parent]
  stages:
    - id: notice
      name: Notice
      touchpoints:
        - {id: outage-sms, name: Outage SMS, channel: sms, initiated_by: company}
```

Failing (nothing measures ``sms``):

```yaml
journey:
  id: outage
  name: Outage notice
  personas: [busy-parent]
  stages:
    - id: notice
      name: Notice
      touchpoints:
        - {id: outage-sms, name: Outage SMS, channel: sms, initiated_by: company}
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

ID = "channel-measured"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"channel", "kpi"})
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    for channel, journeys in unmeasured_channels(workspace, "operational"):
        yield Finding(
            channel.src.at("id"),
            i18n.msg(
                "channel '{id}' is used by {journeys} but no operational KPI measures it",
                id=channel.id,
                journeys=", ".join(journeys),
            ),
            i18n.msg("add '{id}' to the channels of an operational KPI", id=channel.id),
            (channel,),
        )
