"""An IVR menu offers no more options than a caller can keep in mind.

An IVR must be easy to navigate: a caller who has heard seven options has
forgotten the first. Each menu of a flow is counted: its options are the
branches of its conditions (an Amazon Connect menu's digits, the conditions of
the split that reads a Twilio Studio gather's input), and a menu of more than
``max_options`` (default 5) is reported.

A touchpoint that links a step of its flow (``flow: ID#STEP``) puts its
callers through at that step, and the flow is followed from there: what only
the steps before it lead to is not on their way. A flow is followed from its
start where a touchpoint names it alone, another flow runs it, or nothing
names it.

A menu no caller reaches from where they enter is not counted.

Passing:

```yaml
journey:
  id: call
  name: Call us
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: menu, name: IVR menu, channel: ivr, flow: ivr, escalates_to: [agent]}
        - {id: agent, name: Agent, channel: agent-voice}
```

`flows/ivr.json`:

```json
{"Version": "2019-10-30", "StartAction": "menu", "Actions": [
  {"Identifier": "menu", "Type": "GetParticipantInput", "Parameters": {"Text": "Press 1 or 2"},
   "Transitions": {"NextAction": "agent", "Conditions": [
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["1"]}},
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["2"]}}]}},
  {"Identifier": "agent", "Type": "TransferContactToQueue", "Parameters": {}, "Transitions": {}}
]}
```

Failing (six options):

```yaml
journey:
  id: call
  name: Call us
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: menu, name: IVR menu, channel: ivr, flow: ivr, escalates_to: [agent]}
        - {id: agent, name: Agent, channel: agent-voice}
```

`flows/ivr.json`:

```json
{"Version": "2019-10-30", "StartAction": "menu", "Actions": [
  {"Identifier": "menu", "Type": "GetParticipantInput", "Parameters": {"Text": "Press 1 to 6"},
   "Transitions": {"NextAction": "agent", "Conditions": [
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["1"]}},
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["2"]}},
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["3"]}},
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["4"]}},
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["5"]}},
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["6"]}}]}},
  {"Identifier": "agent", "Type": "TransferContactToQueue", "Parameters": {}, "Transitions": {}}
]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import flows, i18n
from journeycode.flows.model import Flow, Step
from journeycode.model import Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "ivr-menu-options"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {"max_options": 5}


def options(flow: Flow, menu: Step) -> int:
    """A menu's options: its own conditions, or those of the split steps its
    input goes to (Studio reads a gather's digits in the next widget)."""
    own = sum(1 for e in menu.edges if e.label == "condition")
    if own:
        return own
    after = {e.target for e in menu.edges if e.target is not None and e.label == "next"}
    return sum(
        1
        for target in sorted(after)
        if flow.steps[target].kind == "other"
        for e in flow.steps[target].edges
        if e.label == "condition"
    )


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None:
        return
    limit = context.options["max_options"]
    named = flows.linked(workspace)
    for ident, flow in sorted(graph.flows.items()):
        heard = {
            s for entry in flows.starts(workspace, flow) for s in graph.summary(flow, entry).reached
        }
        for step in flow.steps.values():
            if step.kind != "menu" or step not in heard:
                continue
            count = options(flow, step)
            if count > limit:
                yield Finding(
                    step.src,
                    i18n.msgs(
                        "menu '{step}' of flow '{flow}' offers {count} option (at most {limit})",
                        "menu '{step}' of flow '{flow}' offers {count} options (at most {limit})",
                        count,
                        step=step.label,
                        flow=ident,
                        limit=limit,
                    ),
                    i18n.msg("group the options under fewer choices, or offer a person first"),
                    tuple(named.get(ident, ())),
                    subject=Subject("flow", ident),
                    detail=(step.id,),
                )
