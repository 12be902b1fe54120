"""Every KPI has a direction and a target, inside its range.

A KPI without a target cannot be on or off target, and one without a
direction cannot say whether 420 seconds is good news. A target outside the
KPI's ``range`` is a typo (a CSAT target of 43 on a 1 to 5 scale).

Passing:

```yaml
kpis:
  - {id: first-time-fix, name: First-time fix, kind: operational, unit: percent,
     direction: higher, range: [0, 100], target: 80}
```

Failing (no direction, and the target is outside the range):

```yaml
kpis:
  - {id: first-time-fix, name: First-time fix, kind: operational, unit: percent,
     range: [0, 100], target: 800}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Kpi, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "kpi-target"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"kpi"})
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    for kpi in workspace.entities(Kpi):
        if kpi.direction is None:
            yield Finding(
                kpi.src.at("id"),
                i18n.msg("KPI '{id}' has no direction", id=kpi.id),
                i18n.msg("add direction: higher or direction: lower (which way is better)"),
                (kpi,),
                detail=("direction",),
            )
        if kpi.target is None:
            yield Finding(
                kpi.src.at("id"),
                i18n.msg("KPI '{id}' has no target", id=kpi.id),
                i18n.msg("add target: the value the team aims for"),
                (kpi,),
                detail=("target",),
            )
        elif kpi.range is not None and not kpi.range[0] <= kpi.target <= kpi.range[1]:
            low, high = kpi.range
            yield Finding(
                kpi.src.at("target"),
                i18n.msg(
                    "target {target} of KPI '{id}' is outside its range [{low}, {high}]",
                    target=format(kpi.target, "g"),
                    id=kpi.id,
                    low=format(low, "g"),
                    high=format(high, "g"),
                ),
                None,
                (kpi,),
                detail=("range",),
            )
