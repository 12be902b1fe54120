"""An escalation or transfer whose two ends share no system.

Customers hate repeating themselves. When the IVR, the ACD, order entry and
the CRM share no data, every hand-over starts from zero. This rule looks at
each ``escalates_to`` step, and at each ``next`` step between two assisted
touchpoints (a transfer between people), and warns when the two touchpoints
list no ``systems`` in common.

Waive it on either end when the context travels another way, with the reason.

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
        - {id: menu, name: IVR menu, channel: ivr, systems: [ivr-platform, crm],
           escalates_to: [agent]}
        - {id: agent, name: Agent, channel: agent-voice, systems: [crm]}
```

Failing (the agent starts without what the IVR collected):

```yaml
journey:
  id: ask
  name: Ask a question
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: menu, name: IVR menu, channel: ivr, systems: [ivr-platform], escalates_to: [agent]}
        - {id: agent, name: Agent, channel: agent-voice, systems: [crm]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.i18n import N_
from journeycode.model import Journey, Touchpoint, Workspace
from journeycode.problems import Level
from journeycode.queries import is_assisted
from journeycode.rules.base import Finding, RuleContext

ID = "context-handoff"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"channel", "system"})
OPTIONS: Mapping[str, Any] = {}


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    for _, tp in journey.touchpoints():
        for field, index, target in _handoffs(workspace, journey, tp):
            if set(tp.systems) & set(target.systems):
                continue
            words = _ESCALATION if field == "escalates_to" else _TRANSFER
            yield Finding(
                tp.src.at(field, index),
                i18n.msg(words, source=tp.id, target=target.id),
                i18n.msg(
                    "list the system that carries the context on both touchpoints, "
                    "or waive with the reason"
                ),
                (tp, target),
            )


_ESCALATION = N_(
    "escalation from '{source}' to '{target}': the two share no system, "
    "so the customer repeats themselves"
)
_TRANSFER = N_(
    "transfer from '{source}' to '{target}': the two share no system, "
    "so the customer repeats themselves"
)


def _handoffs(
    workspace: Workspace, journey: Journey, tp: Touchpoint
) -> Iterator[tuple[str, int, Touchpoint]]:
    """(field, index, target) of each escalation, and of each transfer between people."""
    by_id = journey.touchpoint_by_id
    for index, ref in enumerate(tp.escalates_to):
        if ref in by_id:
            yield "escalates_to", index, by_id[ref]
    if not is_assisted(workspace, tp):
        return
    for index, ref in enumerate(tp.next):
        if ref in by_id and is_assisted(workspace, by_id[ref]):
            yield "next", index, by_id[ref]
