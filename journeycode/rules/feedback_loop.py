"""The last stage of a journey asks for feedback.

Ask for feedback after the interaction: 70% of customers leave a review when
asked. The last stage of every journey needs a touchpoint that measures a
``feedback`` KPI (CSAT, NPS, CES) — a survey, a rating, a review request.

Passing:

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: resolve
      name: Resolve
      touchpoints:
        - {id: survey, name: Survey, channel: sms, initiated_by: company, kpis: [csat]}
```

Failing:

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: resolve
      name: Resolve
      touchpoints:
        - {id: call, name: Agent call, channel: agent-voice, kpis: [fcr]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import kpis_of_kind
from journeycode.rules.base import Finding, RuleContext

ID = "feedback-loop"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"kpi"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    if not journey.stages:
        return
    last = journey.stages[-1]
    if not any(kpis_of_kind(workspace, tp.kpis, "feedback") for tp in last.touchpoints):
        yield Finding(
            last.src.at("id"),
            i18n.msg(
                "the last stage '{id}' of journey '{journey}' does not ask for feedback",
                id=last.id,
                journey=journey.id,
            ),
            i18n.msg(
                "add a touchpoint (a survey, a rating) with a feedback KPI such as CSAT or NPS"
            ),
            (last, journey),
        )
