"""Every stage is measured by at least one KPI.

Measure results per stage and monitor them throughout: a stage with no KPI,
neither on the stage nor on any of its touchpoints, is a stage whose
improvement nobody can see.

Passing:

```yaml
journey:
  id: pay-bill
  name: Pay a bill
  personas: [busy-parent]
  stages:
    - id: pay
      name: Pay
      kpis: [fcr]
      touchpoints:
        - {id: pay-by-phone, name: Pay by phone, channel: agent-voice}
```

Failing:

```yaml
journey:
  id: pay-bill
  name: Pay a bill
  personas: [busy-parent]
  stages:
    - id: pay
      name: Pay
      touchpoints:
        - {id: pay-by-phone, name: Pay by phone, channel: agent-voice}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import stage_kpis
from journeycode.rules.base import Finding, RuleContext

ID = "stage-kpi"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"kpi"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for stage in journey.stages:
        if not stage_kpis(stage):
            yield Finding(
                stage.src.at("id"),
                i18n.msg("stage '{id}' is not measured by any KPI", id=stage.id),
                i18n.msg("add kpis: to the stage (or to one of its touchpoints)"),
                (stage,),
            )
