"""A contact flow has no loop that a customer cannot leave.

A retry loop (say the menu again after a wrong key, try the lookup again after
an error) is a way to help, as long as it ends: after some tries it must hand
the customer to a person, a callback or a resolved end. A loop from which no
path leads to a transfer, a callback, a ``flow_resolved`` step, the end of a
module or another flow keeps the customer going round until the platform
hangs up. Each such loop is reported once, at its first step, with the
loop written out.

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
{"initial_state": "Menu", "states": [
  {"name": "Menu", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Agent"}, {"event": "timeout", "next": "Sorry"}]},
  {"name": "Sorry", "type": "say-play", "transitions": [
    {"event": "audioComplete", "next": "Menu"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]}
]}
```

Failing (every branch goes back to the menu):

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
{"initial_state": "Menu", "states": [
  {"name": "Menu", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Sorry"}, {"event": "timeout", "next": "Sorry"}]},
  {"name": "Sorry", "type": "say-play", "transitions": [{"event": "audioComplete", "next": "Menu"}]}
]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import flows, i18n
from journeycode.flows.model import Step
from journeycode.flows.paths import path_words
from journeycode.model import Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "flow-loop"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None:
        return
    named = flows.linked(workspace)
    for ident, flow in sorted(graph.flows.items()):
        said: set[Step] = set()
        for cycle in (
            c for entry in flows.starts(workspace, flow) for c in graph.loops(flow, entry)
        ):
            if cycle[0] in said:
                continue
            said.add(cycle[0])
            hops = tuple(
                (flow, step, next(e for e in step.edges if e.target == following.id))
                for step, following in zip(cycle, (*cycle[1:], cycle[0]), strict=True)
            )
            yield Finding(
                cycle[0].src,
                i18n.msg(
                    "flow '{flow}' has a loop with no way out: {path}",
                    flow=ident,
                    path=path_words((*hops, (flow, cycle[0], None))),
                ),
                i18n.msg("after a few rounds, send the customer to a queue or offer a callback"),
                tuple(named.get(ident, ())),
                subject=Subject("flow", ident),
                detail=(cycle[0].id,),
            )
