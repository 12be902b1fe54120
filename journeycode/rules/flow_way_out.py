"""Every path of a contact flow reaches a person, or an end the map calls resolved.

The map says an IVR menu or a chatbot escalates to an agent; the contact flow
the platform runs decides whether it really does. From the start of each flow
(below ``flows/``, see the ``flows`` check), every path is followed — menu
options, errors, timeouts and no-match branches included, and into the
sub-flows the workspace holds — and each one must reach a transfer to a queue,
an agent or a number, a callback, or a step the touchpoint that runs the flow
lists in ``flow_resolved`` (a self-service success: the balance was read out,
the payment taken). A path that ends anywhere else (a disconnect, the end of
a Studio flow, a step with nowhere to go) is a dead end: the customer is left
with nobody, and it is reported at its last step, once, with the shortest
path there step by step: the end is the one mistake, however many paths lead
to it, and mending it mends them all.

The flows a contact starts in are checked: those a touchpoint names
(``flow:``) and those no other flow runs. Whisper, hold and queue flows play
beside a contact that is already waiting or talking and are not. A sub-flow
the workspace does not hold is neither a way out nor a dead end (the
``flow-unchecked`` rule says so, once). A touchpoint's ``waive:`` silences
the findings of the flow it runs.

Flows that only run each other (A runs B, B runs A), which no touchpoint
names and no flow above leads to, are entered too, though the workspace does
not say where: the first of them by id is checked from its start, and the
others on the way through it.

A touchpoint that links a step of its flow (``flow: ID#STEP``) puts its
callers through at that step, and the flow is followed from there: what only
the steps before it lead to is not on their way. A flow is followed from its
start where a touchpoint names it alone, another flow runs it, or nothing
names it.

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
{"initial_state": "Trigger", "states": [
  {"name": "Trigger", "type": "trigger", "transitions": [
    {"event": "incomingCall", "next": "Menu"}]},
  {"name": "Menu", "type": "gather-input-on-call",
   "transitions": [{"event": "keypress", "next": "Agent"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]}
]}
```

Failing (a caller who presses nothing is hung up on):

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
{"initial_state": "Trigger", "states": [
  {"name": "Trigger", "type": "trigger", "transitions": [
    {"event": "incomingCall", "next": "Menu"}]},
  {"name": "Menu", "type": "gather-input-on-call",
   "transitions": [{"event": "keypress", "next": "Agent"}, {"event": "timeout"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]}
]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import flows, i18n
from journeycode.flows.paths import path_words
from journeycode.model import Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "flow-way-out"
LEVEL = Level.ERROR
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None:
        return
    named = flows.linked(workspace)
    said: set[tuple[str, str]] = set()
    for flow in flows.roots(workspace):
        for end in flows.dead_ends(workspace, flow):
            where, step = end.end
            if (where.id, step.id) in said:
                continue
            said.add((where.id, step.id))
            yield Finding(
                step.src,
                i18n.msg(
                    "flow '{flow}' leaves the customer with nobody: {path}",
                    flow=flow.id,
                    path=path_words(end.path),
                ),
                i18n.msg(
                    "route this branch to a queue or a callback, or list the step in "
                    "flow_resolved: of the touchpoint if the customer is done there"
                ),
                tuple(named.get(flow.id, ())),
                subject=Subject("flow", flow.id),
                detail=(where.id, step.id),
            )
