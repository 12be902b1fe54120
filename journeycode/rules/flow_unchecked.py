"""What a contact flow holds that journeycode cannot follow.

A step type no reader knows (a new block of the platform) is kept with its
transitions, which are followed as they are, and said once per type. A
sub-flow step that runs a flow the workspace does not hold (add its export
below ``flows/``, or map the ARN or Terraform reference it is written as to a
flow id in ``journeycode.yaml``: ``flows: {aliases: {ARN: flow-id}}``) leaves
its branch unchecked, said once per flow it names: ``flow-way-out`` counts it
neither as a way out nor as a dead end.

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
    {"event": "incomingCall", "next": "Agent"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]}
]}
```

Failing (the sub-flow is not in the workspace):

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
  {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingCall", "next": "Sub"}]},
  {"name": "Sub", "type": "run-subflow", "properties": {"flow_sid": "FW0123"},
   "transitions": [{"event": "completed"}, {"event": "failed", "next": "Agent"}]},
  {"name": "Agent", "type": "send-to-flex", "transitions": [{"event": "callComplete"}]}
]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import i18n
from journeycode.flows.model import PLATFORMS
from journeycode.model import Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "flow-unchecked"
LEVEL = Level.INFO
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None:
        return
    for key, src in sorted(graph.unknown_types.items()):
        platform, kind = key.split(":", 1)
        yield Finding(
            src,
            i18n.msg(
                "{platform} step type '{type}' is not known to journeycode; its "
                "transitions are followed as they are",
                platform=PLATFORMS.get(platform, platform),  # type: ignore[call-overload]
                type=kind,
            ),
            subject=Subject("flow", src.file.display),
            detail=(kind,),
        )
    said: set[str] = set()
    for ident, flow in sorted(graph.flows.items()):
        for step in flow.steps.values():
            if step.kind != "subflow" or step.target is None or step.target in said:
                continue
            if graph.resolve(flow, step) is None:
                said.add(step.target)
                yield Finding(
                    step.src,
                    i18n.msg(
                        "flow '{flow}' runs '{target}', which is not in the workspace: the "
                        "branch through step '{step}' is not checked",
                        flow=ident,
                        target=step.target,
                        step=step.label,
                    ),
                    i18n.msg(
                        "add its export to the flows folder, or map what it is written as "
                        "to a flow id under flows: aliases: in journeycode.yaml"
                    ),
                    subject=Subject("flow", ident),
                    detail=(step.target,),
                )
