"""An IVR's menus are not nested deeper than a caller can follow.

An IVR must be easy to navigate: every menu a caller has to listen to before
the next one is more time on the line and another chance to hang up. From the
start of each flow, the fewest menus a caller passes to reach each menu is
counted (that menu included); a menu reached only past more than
``max_depth`` (default 3) menus is reported, with the shortest way there.

The count goes on into the sub-flows a flow runs (``TransferToFlow``,
``InvokeFlowModule``, ``run-subflow``): a sub-flow's menus add to the menus a
caller passed before it, and a sub-flow that only other flows run is counted
from them. A module that comes back adds nothing to what follows it, and a
sub-flow the workspace does not hold adds nothing (``flow-unchecked`` says
so). Flows that run each other are each counted once.

Flows that only run each other (A runs B, B runs A), which no touchpoint
names and no other flow leads to, are entered too, though the workspace does
not say where: they are counted from the start of the first of them by id.

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
{"initial_state": "One", "states": [
  {"name": "One", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Two"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Two", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Agent"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]}
]}
```

Failing (the fourth menu in a row):

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
{"initial_state": "One", "states": [
  {"name": "One", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Two"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Two", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Three"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Three", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Four"}, {"event": "timeout", "next": "Agent"}]},
  {"name": "Four", "type": "gather-input-on-call", "transitions": [
    {"event": "keypress", "next": "Agent"}, {"event": "timeout", "next": "Agent"}]},
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

ID = "ivr-menu-depth"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {"max_depth": 3}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None:
        return
    limit = context.options["max_depth"]
    named = flows.linked(workspace)
    said: set[tuple[str, str]] = set()
    first = {flow.id for flow in flows.roots(workspace)}
    for ident, flow in sorted(graph.flows.items()):
        if ident in graph.called and ident not in first:
            continue  # a sub-flow's menus are counted from the flows that run it
        for entry in flows.starts(workspace, flow):
            for where, step, depth, path in graph.menu_depths(flow, entry):
                # The first menu past the limit on its way: the ones after it follow.
                if depth != limit + 1 or (where.id, step.id) in said:
                    continue
                said.add((where.id, step.id))
                yield Finding(
                    step.src,
                    i18n.msgs(
                        "a caller passes {count} menu to reach menu '{step}' of flow "
                        "'{flow}' (at most {limit}): {path}",
                        "a caller passes {count} menus to reach menu '{step}' of flow "
                        "'{flow}' (at most {limit}): {path}",
                        depth,
                        step=step.label,
                        flow=where.id,
                        limit=limit,
                        path=path_words(path()),
                    ),
                    i18n.msg("merge menus, or offer a person earlier"),
                    tuple(named.get(ident, ())),
                    subject=Subject("flow", where.id),
                    detail=(step.id,),
                )
