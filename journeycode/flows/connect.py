"""Amazon Connect's flow language (``Version: 2019-10-30``): ``StartAction``
and ``Actions``, each with an ``Identifier``, a ``Type``, ``Parameters`` and
``Transitions`` (``NextAction``, ``Conditions``, ``Errors``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journeycode.flows.model import Edge, Flow, Label, Step, StepKind
from journeycode.i18n import msg
from journeycode.model import Src

Reported = tuple[Src, str, str | None, bool]
"""A problem the reader found: where, its message, its hint, whether at the key."""

TYPES: Mapping[str, StepKind] = {
    "GetParticipantInput": "menu",
    "MessageParticipant": "prompt",
    "MessageParticipantIteratively": "prompt",
    "ConnectParticipantWithLexBot": "bot",
    "CheckHoursOfOperation": "check-hours",
    "TransferContactToQueue": "transfer",
    "TransferParticipantToThirdParty": "transfer",
    "DequeueContactAndTransferToQueue": "transfer",
    "TransferContactToAgent": "transfer",
    "CreateCallbackContact": "callback",
    "TransferToFlow": "subflow",
    "InvokeFlowModule": "subflow",
    "DisconnectParticipant": "disconnect",
    "EndFlowExecution": "return",
    "EndFlowModuleExecution": "return",
    **dict.fromkeys(
        (
            "UpdateContactAttributes",
            "UpdateFlowAttributes",
            "UpdateContactTargetQueue",
            "UpdateContactCallbackNumber",
            "UpdateContactData",
            "UpdateContactEventHooks",
            "UpdateContactRecordingBehavior",
            "UpdateContactRecordingAndAnalyticsBehavior",
            "UpdateContactRoutingBehavior",
            "UpdateContactTextToSpeechVoice",
            "UpdateContactMediaProcessing",
            "UpdateFlowLoggingBehavior",
            "UpdateRoutingCriteria",
            "UpdateContactMediaStreamingBehavior",
            "Compare",
            "CheckMetricData",
            "CheckVoiceId",
            "CheckOutboundCallStatus",
            "DistributeByPercentage",
            "InvokeLambdaFunction",
            "InvokeExternalResource",
            "Loop",
            "Wait",
            "TagContact",
            "UnTagContact",
            "CreateTask",
            "CreateCase",
            "GetCase",
            "UpdateCase",
            "CreateWisdomSession",
            "GetCustomerProfile",
            "CreateCustomerProfile",
            "AssociateContactToCustomerProfile",
            "SetVoiceId",
            "StartVoiceIdStream",
            "CompleteOutboundCall",
            "ResumeContact",
            "ShowView",
        ),
        "other",
    ),
}
"""Each action type journeycode knows, and the kind of step it is; a type
not here is kept as ``other`` and said once."""

_ERRORS: Mapping[str, Label] = {
    "InputTimeLimitExceeded": "timeout",
    "NoMatchingCondition": "no-match",
    "InvalidInput": "no-match",
}


def is_flow(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("Actions"), list) and "StartAction" in data


def read(
    ident: str, src: Src, data: Mapping[str, Any], holder: Mapping[str, Any]
) -> tuple[Flow, list[Reported], list[tuple[str, Src]]]:
    problems: list[Reported] = []
    unknown: list[tuple[str, Src]] = []
    steps: dict[str, Step] = {}
    attributes: dict[str, str] = {}
    for index, action in enumerate(data["Actions"]):
        at = src.at("Actions", index)
        if not isinstance(action, dict) or not isinstance(action.get("Identifier"), str):
            problems.append((at, msg("an action with no Identifier"), None, False))
            continue
        kind_name = action.get("Type")
        kind_name = kind_name if isinstance(kind_name, str) else ""
        kind = TYPES.get(kind_name)
        if kind is None:
            unknown.append((kind_name, at.at("Type")))
            kind = "other"
        parameters = action.get("Parameters")
        parameters = parameters if isinstance(parameters, dict) else {}
        if kind == "menu" and str(parameters.get("StoreInput", "")).lower() == "true":
            kind = "input"
        if kind_name == "UpdateFlowAttributes":
            attributes.update(_attributes(parameters))
        step = Step(
            action["Identifier"],
            kind,
            kind_name,
            at,
            _edges(action.get("Transitions")),
            _text(parameters),
            _queue(kind_name, parameters),
            _flow_target(parameters),
            kind_name == "InvokeFlowModule",
        )
        if step.id in steps:
            problems.append(
                (
                    at.at("Identifier"),
                    msg("action '{id}' is defined twice", id=step.id),
                    None,
                    False,
                )
            )
            continue
        steps[step.id] = step
    start = data.get("StartAction")
    start = start if isinstance(start, str) else None
    if start is None or start not in steps:
        problems.append(
            (
                src.at("StartAction"),
                msg("StartAction names no action of the flow: {id}", id=str(start)),
                None,
                False,
            )
        )
        start = None
    for step in steps.values():
        for edge in step.edges:
            if edge.target is not None and edge.target not in steps:
                problems.append(
                    (
                        step.src.at(*edge.at),
                        msg("NextAction names no action of the flow: {id}", id=edge.target),
                        None,
                        False,
                    )
                )
    aliases = tuple(
        str(holder[key])
        for key in ("Arn", "Id", "arn", "contact_flow_id", "contact_flow_module_id", "id")
        if isinstance(holder.get(key), str)
    )
    name = holder.get("Name") or holder.get("name") or ident
    flow_type = holder.get("Type") or holder.get("type") or ""
    steps = {
        key: step
        if all(e.target is None or e.target in steps for e in step.edges)
        else _pruned(step, steps)
        for key, step in steps.items()
    }
    return (
        Flow(
            ident,
            str(name),
            "amazon-connect",
            start,
            steps,
            src,
            aliases,
            attributes,
            str(flow_type),
        ),
        problems,
        unknown,
    )


def _pruned(step: Step, steps: Mapping[str, Step]) -> Step:
    """The step without its edges to actions that do not exist (reported)."""
    return Step(
        step.id,
        step.kind,
        step.type,
        step.src,
        tuple(e for e in step.edges if e.target is None or e.target in steps),
        step.text,
        step.queue,
        step.target,
        step.returns,
    )


def _edges(transitions: Any) -> tuple[Edge, ...]:
    if not isinstance(transitions, dict):
        return ()
    edges: list[Edge] = []
    following = transitions.get("NextAction")
    if isinstance(following, str) and following:
        edges.append(Edge("next", following, "", ("Transitions", "NextAction")))
    for group in ("Conditions", "Errors"):
        items = transitions.get(group)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("NextAction"), str):
                continue
            where = ("Transitions", group, index, "NextAction")
            if group == "Conditions":
                condition = item.get("Condition")
                operands = condition.get("Operands") if isinstance(condition, dict) else None
                text = ", ".join(map(str, operands)) if isinstance(operands, list) else ""
                edges.append(Edge("condition", item["NextAction"], text, where))
            else:
                error = str(item.get("ErrorType") or "")
                label: Label = _ERRORS.get(error, "error")
                edges.append(Edge(label, item["NextAction"], error, where))
    return tuple(edges)


def _text(parameters: Mapping[str, Any]) -> str:
    for key in ("Text", "SSML", "PromptId", "Media"):
        value = parameters.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _queue(kind: str, parameters: Mapping[str, Any]) -> str | None:
    for key in ("QueueId", "AgentId", "ThirdPartyPhoneNumber"):
        value = parameters.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _flow_target(parameters: Mapping[str, Any]) -> str | None:
    for key in ("ContactFlowId", "FlowModuleId"):
        value = parameters.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _attributes(parameters: Mapping[str, Any]) -> dict[str, str]:
    found = {}
    given = parameters.get("FlowAttributes")
    if isinstance(given, dict):
        for name, value in given.items():
            if isinstance(value, dict) and isinstance(value.get("Value"), str):
                found[f"$.FlowAttributes.{name}"] = value["Value"]
    return found
