"""A KPI whose latest measurement misses its target.

Coverage says what is measured; this says how it is going. A KPI with a
target, a direction and measurements is reported when its newest measurement
(by date) misses the target, or, with ``periods`` above 1, when that many
newest measurements in a row all miss it, so one bad month need not raise the
alarm. The finding is at the newest measurement (at the KPI's target when that
came from a measurement file, whose row its hint names); fix the service, or record
the plan as an opportunity with this KPI in its ``kpis``.

Options:

- ``periods`` (default 1)

Passing (4.4 meets a target of 4.3):

```yaml
kpis:
  - id: survey-score
    name: Survey score
    kind: feedback
    unit: score
    direction: higher
    range: [1, 5]
    target: 4.3
    measurements:
      - {date: "2026-09-30", value: 4.1}
      - {date: "2026-10-31", value: 4.4}
```

Failing (the last month fell short):

```yaml
kpis:
  - id: survey-score
    name: Survey score
    kind: feedback
    unit: score
    direction: higher
    range: [1, 5]
    target: 4.3
    measurements:
      - {date: "2026-09-30", value: 4.4}
      - {date: "2026-10-31", value: 4.1}
```
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n, values
from journeycode.model import Kpi, Workspace
from journeycode.problems import Level
from journeycode.queries import measurement_source
from journeycode.rules.base import Finding, RuleContext

ID = "kpi-off-target"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {"periods": 1}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    periods = max(int(context.options["periods"]), 1)
    for kpi in workspace.entities(Kpi):
        recent = values.missed(kpi, periods)
        if recent:
            last = kpi.measurements[recent[-1]]
            where, row = measurement_source(kpi, recent[-1])
            said = {
                "id": kpi.id,
                "value": values.figure(last.value, kpi),
                "date": datetime.date.fromisoformat(last.date),
                "target": values.target_figure(kpi),
            }
            yield Finding(
                where,
                i18n.msg("KPI '{id}' is off target: {value} on {date}, target {target}", **said)
                if periods == 1
                else i18n.msgs(
                    "KPI '{id}' is off target for {count} period in a row: {value} on {date}, "
                    "target {target}",
                    "KPI '{id}' is off target for {count} periods in a row: {value} on {date}, "
                    "target {target}",
                    periods,
                    **said,
                ),
                # The row is named in the hint: a row added above it moves it,
                # and the diff tells a changed problem by its message.
                i18n.msg("find what moves it, and plan an opportunity with this KPI in its kpis")
                if row is None
                else i18n.msg(
                    "measured in {row}; find what moves it, and plan an opportunity with this "
                    "KPI in its kpis",
                    row=row,
                ),
                (kpi,),
            )
