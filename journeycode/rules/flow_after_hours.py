"""A contact flow says something when the centre is closed.

Callers outside opening hours are the ones most likely to give up: a flow that
checks the hours and, when they are closed, hangs up with nothing said (no
opening hours, no callback, no message to leave) is a dead end the customer
cannot even explain. Each hours check whose closed branch reaches a disconnect
(or the end of the flow) with no prompt, callback or transfer on the way is
reported, unless every touchpoint that runs the flow, and every touchpoint it
escalates to, is on a channel whose ``hours`` are ``24/7``: then the branch
is never taken.

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
{"Version": "2019-10-30", "StartAction": "hours", "Actions": [
  {"Identifier": "hours", "Type": "CheckHoursOfOperation", "Parameters": {},
   "Transitions": {"NextAction": "agent", "Conditions": [
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
     {"NextAction": "closed", "Condition": {"Operator": "Equals", "Operands": ["False"]}}]}},
  {"Identifier": "closed", "Type": "MessageParticipant", "Parameters": {"Text": "We open at 8."},
   "Transitions": {"NextAction": "bye"}},
  {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
  {"Identifier": "agent", "Type": "TransferContactToQueue", "Parameters": {}, "Transitions": {}}
]}
```

Failing (closed: hung up on):

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
{"Version": "2019-10-30", "StartAction": "hours", "Actions": [
  {"Identifier": "hours", "Type": "CheckHoursOfOperation", "Parameters": {},
   "Transitions": {"NextAction": "agent", "Conditions": [
     {"NextAction": "agent", "Condition": {"Operator": "Equals", "Operands": ["True"]}},
     {"NextAction": "bye", "Condition": {"Operator": "Equals", "Operands": ["False"]}}]}},
  {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
  {"Identifier": "agent", "Type": "TransferContactToQueue", "Parameters": {}, "Transitions": {}}
]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import flows, i18n
from journeycode.flows.paths import path_words
from journeycode.model import Channel, Journey, Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "flow-after-hours"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"channel"})
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None or not graph.flows:
        return
    named = flows.linked(workspace)
    always = _always_open(workspace)
    for ident, flow in sorted(graph.flows.items()):
        users = named.get(ident, [])
        if users and all(always(tp) for tp in users):
            continue
        for step, path in graph.silent_closures(flow):
            yield Finding(
                step.src,
                i18n.msg(
                    "when the centre is closed, flow '{flow}' hangs up with nothing said: {path}",
                    flow=ident,
                    path=path_words(path),
                ),
                i18n.msg("say the opening hours, or offer a callback or a message"),
                tuple(users),
                subject=Subject("flow", ident),
                detail=(step.id,),
            )


def _always_open(workspace: Workspace) -> Any:
    channels = workspace.by_id(Channel)
    journey_of = {
        tp: journey for journey in workspace.entities(Journey) for _, tp in journey.touchpoints()
    }

    def open_all_day(channel: str) -> bool:
        found = channels.get(channel)
        return found is not None and found.always_open

    def always(tp: Any) -> bool:
        journey = journey_of[tp]
        targets = [journey.touchpoint_by_id.get(t) for t in tp.escalates_to]
        return open_all_day(tp.channel) and all(
            t is not None and open_all_day(t.channel) for t in targets
        )

    return always
