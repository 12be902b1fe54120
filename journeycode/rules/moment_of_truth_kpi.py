"""A moment of truth has a KPI with a target.

Moments of truth decide satisfaction, loyalty and retention. Marking one and
not measuring it against a target is a promise without a check: the
touchpoint's own ``kpis`` must include at least one KPI that has a ``target``.

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
        - {id: call, name: Agent call, channel: agent-voice, moment_of_truth: true, kpis: [fcr]}
```

Failing (``handle-time`` has no target):

```yaml
kpis:
  - {id: handle-time, name: Handle time, kind: operational, unit: seconds}
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: call, name: Agent call, channel: agent-voice, moment_of_truth: true,
           kpis: [handle-time]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Kpi, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "moment-of-truth-kpi"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"kpi"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    kpis = workspace.by_id(Kpi)
    for _, tp in journey.touchpoints():
        if not tp.moment_of_truth:
            continue
        if not any(k in kpis and kpis[k].target is not None for k in tp.kpis):
            yield Finding(
                tp.src.at("moment_of_truth"),
                i18n.msg("moment of truth '{id}' has no KPI with a target", id=tp.id),
                i18n.msg("add a KPI with a target to the touchpoint's kpis"),
                (tp,),
            )
