"""A touchpoint's escalations and its contact flow's transfers agree.

The map says where a touchpoint escalates (``escalates_to``); the flow it runs
(``flow:``) says where the platform really sends the customer. They drift
apart silently: a queue is renamed, a menu option removed. Three things are
reported for each touchpoint with a flow in the workspace:

* it escalates, but nothing in its flow (or the sub-flows it runs) transfers
  the customer to anyone or offers a callback;
* the flow sends customers to a queue that the settings do not map to a
  channel (``flows: {queues: {QUEUE: {channel: …, owner: …}}}`` in
  ``journeycode.yaml``; said only once some queue is mapped, and only of
  queues written as they are, not read from an attribute);
* a mapped queue leads to a channel none of the touchpoint's escalations is
  on (an escalation the map does not know), or an escalation is on a channel
  no queue of the flow leads to (one the flow does not make; said when every
  queue of the flow is mapped).

A mapped queue on the channel of an escalation is reported too when its owner
is not the escalation's owner (said when both owners are written).

A queue is mapped for every flow under ``flows: queues:``, or for one flow
under ``flows: files: {FLOW: {queues: …}}``, which wins for that flow's own
steps (a sub-flow's steps are read with the sub-flow's mapping): two flows
may name two teams' queues alike.

A touchpoint that links a step of its flow (``flow: ID#STEP``) is compared
with the transfers reached from that step.

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

Failing (the map escalates; the flow only plays a message):

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
    {"event": "incomingCall", "next": "Hello"}]},
  {"name": "Hello", "type": "say-play", "transitions": [{"event": "audioComplete"}]}
]}
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeycode import flows, i18n
from journeycode.model import Journey, Touchpoint, Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "flow-matches-map"
LEVEL = Level.WARNING
SETTLED_BY: frozenset[str] = frozenset({"channel"})
OPTIONS: Mapping[str, Any] = {}


def _found(tp: Touchpoint, flow: str, message: str, hint: str, *detail: str) -> Finding:
    """A finding at the touchpoint's ``flow:``, about that flow."""
    return Finding(
        tp.src.at("flow"), message, hint, (tp,), subject=Subject("flow", flow), detail=detail
    )


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    graph = workspace.flows
    if graph is None or not flows.linked(workspace):  # no touchpoint names a flow
        return
    for journey in workspace.entities(Journey):
        for _, tp in journey.touchpoints():
            flow = graph.flows.get(tp.flow_id or "")
            if flow is None:
                continue
            reached = graph.reached(flow, tp.flow_step)
            ways_out = [w for summary in reached for w in summary.ways_out]
            unknown = [u for summary in reached for u in summary.unknown]
            if tp.escalates_to and not ways_out and not unknown:
                yield _found(
                    tp,
                    flow.id,
                    i18n.msg(
                        "touchpoint '{id}' escalates to '{target}', but flow '{flow}' "
                        "transfers the customer to no one",
                        id=tp.id,
                        target=tp.escalates_to[0],
                        flow=flow.id,
                    ),
                    i18n.msg("add the transfer to the flow, or correct escalates_to:"),
                    "no-transfer",
                )
            if not graph.mapped:
                continue
            targets = [journey.touchpoint_by_id.get(t) for t in tp.escalates_to]
            escalated = {t.channel: t for t in targets if t is not None}
            channels: set[str] = set()
            unmapped = False
            said: set[tuple[str, object]] = set()
            for where, step in (q for summary in reached for q in summary.queues):
                queue = step.queue
                if queue is None:
                    continue
                leads = graph.lead(where, queue)
                # Two flows may map one queue name to two places: each is said.
                if (queue, leads) in said:
                    continue
                said.add((queue, leads))
                if leads is None:
                    unmapped = True
                    if not queue.startswith("$."):
                        yield _found(
                            tp,
                            flow.id,
                            i18n.msg(
                                "flow '{flow}' sends customers to queue '{queue}', which the "
                                "settings do not map to a channel",
                                flow=flow.id,
                                queue=queue,
                            ),
                            i18n.msg(
                                "add it under flows: queues: in journeycode.yaml, or under "
                                "flows: files: {flow}: queues: for that flow alone",
                                flow=where.id,
                            ),
                            "queue",
                            queue,
                        )
                    continue
                if leads.channel is None:
                    continue
                channels.add(leads.channel)
                target = escalated.get(leads.channel)
                if (
                    target is not None
                    and leads.owner is not None
                    and target.owner is not None
                    and leads.owner != target.owner
                ):
                    # The right channel but the wrong team: the map's owner
                    # would not be the one answering the customer.
                    yield _found(
                        tp,
                        flow.id,
                        i18n.msg(
                            "flow '{flow}' sends customers to queue '{queue}', owned by "
                            "'{owner}', but touchpoint '{id}' escalates to '{target}', "
                            "owned by '{expected}'",
                            flow=flow.id,
                            queue=queue,
                            owner=leads.owner,
                            id=tp.id,
                            target=target.id,
                            expected=target.owner,
                        ),
                        i18n.msg("correct the queue's owner: in the settings, or the flow"),
                        "owner",
                        queue,
                    )
                if leads.channel not in escalated:
                    yield _found(
                        tp,
                        flow.id,
                        i18n.msg(
                            "flow '{flow}' sends customers to queue '{queue}' on {channel}, "
                            "where touchpoint '{id}' does not escalate",
                            flow=flow.id,
                            queue=queue,
                            channel=leads.channel,
                            id=tp.id,
                        ),
                        i18n.msg("add the escalation to escalates_to:, or correct the flow"),
                        "channel",
                        leads.channel,
                    )
            if unmapped or unknown:
                continue
            for channel, target in sorted(escalated.items()):
                if channel not in channels:
                    yield _found(
                        tp,
                        flow.id,
                        i18n.msg(
                            "touchpoint '{id}' escalates to '{target}' on {channel}, but no "
                            "queue of flow '{flow}' leads there",
                            id=tp.id,
                            target=target.id,
                            channel=channel,
                            flow=flow.id,
                        ),
                        i18n.msg("add the transfer to the flow, or correct escalates_to:"),
                        "escalation",
                        target.id,
                    )
