"""A journey map whose last review is too old.

A journey map is a living document: channels and customer behaviour change,
and a map nobody has looked at for months describes a service that no longer
exists. ``reviewed`` is the date of the last review; a journey without one, or
with one older than ``max_age_days``, is reported. Retired journeys are not.

Options:

- ``max_age_days`` (default 180)

Passing (reviewed recently):

```yaml
journey:
  id: ask
  name: Ask a question
  reviewed: "2999-01-01"
  personas: [busy-parent]
  stages:
    - {id: ask, name: Ask, touchpoints: [{id: chat, name: Chat, channel: webchat}]}
```

Failing:

```yaml
journey:
  id: ask
  name: Ask a question
  reviewed: "2019-03-01"
  personas: [busy-parent]
  stages:
    - {id: ask, name: Ask, touchpoints: [{id: chat, name: Chat, channel: webchat}]}
```
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.rules.base import Finding, RuleContext

ID = "stale-review"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {"max_age_days": 180}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    today: datetime.date = context.today
    max_age = int(context.options["max_age_days"])
    if journey.status == "retired":
        return
    if journey.reviewed is None:
        yield Finding(
            journey.src.at("id"),
            i18n.msg("journey '{id}' has never been reviewed", id=journey.id),
            i18n.msg('add reviewed: "YYYY-MM-DD" after the next review'),
            (journey,),
        )
        return
    age = (today - datetime.date.fromisoformat(journey.reviewed)).days
    if age > max_age:
        yield Finding(
            journey.src.at("reviewed"),
            i18n.msgs(
                "journey '{id}' was last reviewed {count} day ago (more than {max_age})",
                "journey '{id}' was last reviewed {count} days ago (more than {max_age})",
                age,
                id=journey.id,
                max_age=max_age,
            ),
            i18n.msg("review the map with its owners and update reviewed:"),
            (journey,),
        )
