"""A reference to something that is not defined.

Maps refer to each other by id: journeys and touchpoints to personas,
touchpoints to channels, owners, systems and KPIs, ``next`` and
``escalates_to`` to touchpoints of the same journey, opportunities to pain
points, emotion maps to the touchpoint's personas, ``waive`` to rule ids, and
``flow`` (``ID`` or ``ID#STEP``) and ``flow_resolved`` to the flow files below
``flows/`` and their steps.
A reference to nothing is a broken map: a touchpoint on a channel nobody
defined is not on any channel report, an escalation to a missing touchpoint is
no way out at all. The hint names the closest existing id.

Passing:

```yaml
channels:
  - {id: webchat, name: Web chat, type: messaging, mode: assisted}
journey:
  id: order-status
  name: Check an order
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat with an agent, channel: webchat}
```

Failing (``web-chat`` is not defined; the hint suggests ``webchat``):

```yaml
journey:
  id: order-status
  name: Check an order
  personas: [busy-parent]
  stages:
    - id: ask
      name: Ask
      touchpoints:
        - {id: chat, name: Chat with an agent, channel: web-chat}
```
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from journeycode import flows, i18n, kinds, suggest
from journeycode.flows.model import Flow
from journeycode.model import Entity, Journey, Persona, Src, Touchpoint, Workspace
from journeycode.problems import Level, Subject
from journeycode.rules.base import Finding, RuleContext

ID = "unknown-reference"
LEVEL = Level.ERROR
SETTLED_BY: frozenset[str] = frozenset()
OPTIONS: Mapping[str, Any] = {}


def check(workspace: Workspace, context: RuleContext) -> Iterator[Finding]:
    """The catalogs' references and waivers, and the touchpoints' flows (here,
    not in the journeys' part: a flow file may change while the journey does not)."""
    for kind in kinds.CATALOG:
        for entity in workspace.entities(kind.model):
            yield from _references(workspace, entity, {})
            yield from _waivers(entity, context.rule_ids)
    if workspace.flows is not None and flows.linked(workspace):
        for journey in workspace.entities(Journey):
            for _, tp in journey.touchpoints():
                yield from _flow(workspace.flows.flows, tp, workspace.flows.unread)


def _flow(flows: Mapping[str, Flow], tp: Touchpoint, unread: Collection[str]) -> Iterator[Finding]:
    """A touchpoint's flow, its step and its resolved steps exist (a flow
    whose file could not be read is not said again here)."""
    if tp.flow_id is None or tp.flow_id in unread:
        return
    flow = flows.get(tp.flow_id)
    if flow is None:
        close = suggest.closest(tp.flow_id, flows)
        yield Finding(
            tp.src.at("flow"),
            i18n.msg("unknown flow '{id}'", id=tp.flow_id),
            suggest.hint(close) or i18n.msg("flows are the *.json files below the flows folder"),
            (tp,),
            subject=Subject("flow", tp.flow_id),
            fix=suggest.fix(tp.flow or "", _with_step(close, tp.flow_step)),
        )
        return
    # (where, the step, what is written there, whether the flow's id is written with it)
    steps: list[tuple[Src, str, str, bool]] = []
    if tp.flow_step is not None:
        steps.append((tp.src.at("flow"), tp.flow_step, tp.flow or "", True))
    steps += [(tp.src.at("flow_resolved", i), s, s, False) for i, s in enumerate(tp.flow_resolved)]
    for at, step, written, with_flow in steps:
        if step not in flow.steps:
            close = suggest.closest(step, flow.steps)
            fixed = _with_step(flow.id, close) if with_flow and close is not None else close
            yield Finding(
                at,
                i18n.msg("flow '{flow}' has no step '{step}'", flow=flow.id, step=step),
                suggest.hint(close),
                (tp,),
                subject=Subject("flow", f"{flow.id}#{step}"),
                fix=suggest.fix(written, fixed),
            )


def _with_step(flow: str | None, step: str | None) -> str | None:
    if flow is None:
        return None
    return flow if step is None else f"{flow}#{step}"


def check_journey(
    journey: Journey, workspace: Workspace, context: RuleContext
) -> Iterator[Finding]:
    local = {
        "touchpoint": {tp.id for _, tp in journey.touchpoints()} | journey.dropped_ids,
        "pain_point": {pp.id for _, pp in journey.pain_points()} | journey.dropped_ids,
    }
    for entity in kinds.within(journey):
        yield from _references(workspace, entity, local, journey)
        yield from _waivers(entity, context.rule_ids)
    yield from _journey_personas(journey, workspace.by_id(Persona))


def _references(
    workspace: Workspace,
    entity: Entity,
    local: Mapping[str, Collection[str]],
    journey: Journey | None = None,
) -> Iterator[Finding]:
    """Every id ``entity`` refers to that nothing defines (or may define: a
    part left out for a schema error, a file that could not be read)."""
    for ref, index, ident in kinds.references(entity):
        target = kinds.KINDS[ref.target]
        known: Collection[str]
        if target.shared:
            defined = workspace.by_id(target.model)
            if ident in defined or workspace.may_define(target.name, ident):
                continue
            known, where = defined, None
        elif ident in local[target.name]:
            continue
        else:
            assert journey is not None
            known, where = local[target.name], journey.id
        at = entity.src.at(ref.field) if index is None else entity.src.at(ref.field, index)
        yield _unknown(at, target, ident, known, where)


def _unknown(
    src: Src, kind: kinds.Kind, ident: str, known: Collection[str], journey: str | None = None
) -> Finding:
    close = suggest.closest(ident, known)
    return Finding(
        src,
        i18n.msg("unknown {kind} '{id}'", kind=i18n.msg(kind.label), id=ident)
        if journey is None
        else i18n.msg(
            "unknown {kind} '{id}' in journey '{journey}'",
            kind=i18n.msg(kind.label),
            id=ident,
            journey=journey,
        ),
        suggest.hint(close),
        subject=Subject(kind.name, ident),
        fix=suggest.fix(ident, close),
    )


def _journey_personas(journey: Journey, personas: Collection[str]) -> Iterator[Finding]:
    """A touchpoint's personas and emotions name personas of its journey."""
    for stage in journey.stages:
        for tp in stage.touchpoints:
            for index, persona in enumerate(tp.personas):
                if persona not in journey.personas and persona in personas:
                    yield Finding(
                        tp.src.at("personas", index),
                        i18n.msg(
                            "persona '{persona}' is not one of the personas of journey '{journey}'",
                            persona=persona,
                            journey=journey.id,
                        ),
                        i18n.msg("add it to the journey's personas, or remove it here"),
                        subject=Subject("persona", persona),
                    )
            if isinstance(tp.emotion, Mapping):
                at_tp = journey.personas_at(tp)
                for persona in tp.emotion:
                    if persona not in at_tp:
                        close = suggest.closest(persona, at_tp)
                        yield Finding(
                            tp.src.at("emotion", persona),
                            i18n.msg(
                                "emotion for '{persona}', who is not a persona of touchpoint "
                                "'{id}'",
                                persona=persona,
                                id=tp.id,
                            ),
                            suggest.hint(close),
                            key=True,
                            subject=Subject("persona", persona),
                            fix=suggest.fix(persona, close),
                        )


def _waivers(entity: Entity, rule_ids: Collection[str]) -> Iterator[Finding]:
    for rule in entity.waive:
        if rule not in rule_ids:
            close = suggest.closest(rule, rule_ids)
            yield Finding(
                entity.src.at("waive", rule),
                i18n.msg("waiver for unknown rule '{rule}'", rule=rule),
                suggest.hint(close) or i18n.msg("rule ids: {ids}", ids=", ".join(rule_ids)),
                key=True,
                subject=Subject("rule", rule),
                fix=suggest.fix(rule, close),
            )
