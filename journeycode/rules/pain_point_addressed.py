"""Every high-severity pain point is addressed by an opportunity.

A journey map exists to find and fix what hurts. A ``high`` pain point that no
opportunity of the journey lists in ``addresses`` is a known, serious problem
with no plan. An opportunity addresses it once it is ``planned``, ``in-progress``
or ``done``: an ``idea`` (or an opportunity without a status) is not a plan yet,
unless ``count_ideas`` is set.

Options:

- ``count_ideas`` (default False)

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
        - id: call
          name: Agent call
          channel: agent-voice
          pain_points: [{id: long-wait, text: Twenty minutes on hold, severity: high}]
  opportunities:
    - {id: callbacks, name: Offer a callback, addresses: [long-wait], status: planned}
```

Failing (the callback is only an idea):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - id: call
          name: Agent call
          channel: agent-voice
          pain_points: [{id: long-wait, text: Twenty minutes on hold, severity: high}]
  opportunities:
    - {id: callbacks, name: Offer a callback, addresses: [long-wait], status: idea}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.model import Journey, Workspace
from journeycode.problems import Level
from journeycode.queries import addressed_pain_points
from journeycode.rules.base import Finding, RuleContext

ID = "pain-point-addressed"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {"count_ideas": False}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    count_ideas = bool(context.options["count_ideas"])
    addressed = addressed_pain_points(journey, count_ideas=count_ideas)
    ideas = addressed_pain_points(journey, count_ideas=True)
    for _, pain in journey.pain_points():
        if pain.severity == "high" and pain.id not in addressed:
            if pain.id in ideas:
                yield Finding(
                    pain.src.at("id"),
                    i18n.msg(
                        "high-severity pain point '{id}' is addressed only by ideas", id=pain.id
                    ),
                    i18n.msg("plan one of them (status: planned), or plan another opportunity"),
                    (pain,),
                )
                continue
            yield Finding(
                pain.src.at("id"),
                i18n.msg(
                    "high-severity pain point '{id}' is not addressed by any opportunity",
                    id=pain.id,
                ),
                i18n.msg("add an opportunity with addresses: [{id}]", id=pain.id),
                (pain,),
            )
