"""A KPI with a target and no recent measurement.

A target nobody measures against is a wish. A KPI with a target is reported
when it has no measurement at all, or when its newest one (by date) is older
than ``max_age_days``: add the latest figures from the dashboard, or the
contact centre's export.

Options:

- ``max_age_days`` (default 100)

Passing (measured last month):

```yaml
kpis:
  - id: wait
    name: Wait time
    kind: operational
    unit: seconds
    direction: lower
    range: [0, 3600]
    target: 60
    measurements:
      - {date: "2026-10-31", value: 55}
```

Failing (the last figure is from the spring):

```yaml
kpis:
  - id: wait
    name: Wait time
    kind: operational
    unit: seconds
    direction: lower
    range: [0, 3600]
    target: 60
    measurements:
      - {date: "2026-04-30", value: 55}
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

ID = "measurement-stale"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {"max_age_days": 100}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    today: datetime.date = context.today
    max_age = int(context.options["max_age_days"])
    for kpi in workspace.entities(Kpi):
        if kpi.target is None:
            continue
        last = values.latest(kpi)
        if last is None:
            yield Finding(
                kpi.src.at("target"),
                i18n.msg("KPI '{id}' has a target but no measurement", id=kpi.id),
                i18n.msg("add measurements: the latest figures, with the date each period ends"),
                (kpi,),
            )
            continue
        age = (today - datetime.date.fromisoformat(last.date)).days
        if age > max_age:
            where, row = measurement_source(kpi, kpi.measurements.index(last))
            yield Finding(
                where,
                i18n.msgs(
                    "KPI '{id}' was last measured {count} day ago (more than {max_age})",
                    "KPI '{id}' was last measured {count} days ago (more than {max_age})",
                    age,
                    id=kpi.id,
                    max_age=max_age,
                ),
                i18n.msg("add the figures of the periods since")
                if row is None
                else i18n.msg("measured in {row}; add the figures of the periods since", row=row),
                (kpi,),
            )
