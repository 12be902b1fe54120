"""Twilio Studio's flow definition: ``initial_state`` and ``states``, each a
widget with a ``name``, a ``type``, ``properties`` and ``transitions``
(``event``, ``next``; a transition with no ``next`` ends the flow)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journeycode.flows.connect import Reported
from journeycode.flows.model import Edge, Flow, Label, Step, StepKind
from journeycode.i18n import msg
from journeycode.model import Src

TYPES: Mapping[str, StepKind] = {
    "gather-input-on-call": "menu",
    "say-play": "prompt",
    "send-message": "prompt",
    "send-and-wait-for-reply": "input",
    "capture-payments": "input",
    "send-to-auto-pilot": "bot",
    "connect-virtual-agent": "bot",
    "send-to-flex": "transfer",
    "connect-call-to": "transfer",
    "enqueue-call": "transfer",
    "record-voicemail": "callback",
    "run-subflow": "subflow",
    **dict.fromkeys(
        (
            "trigger",
            "split-based-on",
            "set-variables",
            "run-function",
            "make-http-request",
            "make-outgoing-call-v2",
            "record-call",
            "add-twiml-redirect",
            "fork-stream",
        ),
        "other",
    ),
}
"""Each widget type journeycode knows, and the kind of step it is."""

_NOT_HANDLED = frozenset(
    {
        "incomingMessage",
        "incomingCall",
        "incomingRequest",
        "incomingConversationMessage",
        "incomingParent",
        "incomingSubflow",
    }
)


def is_flow(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("states"), list) and "initial_state" in data


def _label(event: str) -> Label:
    lowered = event.lower()
    if lowered == "timeout":
        return "timeout"
    if lowered == "nomatch":
        return "no-match"
    if lowered == "match":
        return "condition"
    if "fail" in lowered or "error" in lowered or lowered in ("busy", "noanswer"):
        return "error"
    return "next"


def read(
    ident: str, src: Src, data: Mapping[str, Any], holder: Mapping[str, Any]
) -> tuple[Flow, list[Reported], list[tuple[str, Src]]]:
    problems: list[Reported] = []
    unknown: list[tuple[str, Src]] = []
    steps: dict[str, Step] = {}
    for index, state in enumerate(data["states"]):
        at = src.at("states", index)
        if not isinstance(state, dict) or not isinstance(state.get("name"), str):
            problems.append((at, msg("a widget with no name"), None, False))
            continue
        kind_name = state.get("type")
        kind_name = kind_name if isinstance(kind_name, str) else ""
        kind = TYPES.get(kind_name)
        if kind is None:
            unknown.append((kind_name, at.at("type")))
            kind = "other"
        properties = state.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        edges = _edges(state.get("transitions"), trigger=kind_name == "trigger")
        step = Step(
            state["name"],
            kind,
            kind_name,
            at,
            edges,
            _text(properties),
            _queue(properties),
            _subflow(properties),
            kind_name == "run-subflow",
        )
        if step.id in steps:
            problems.append(
                (at.at("name"), msg("widget '{id}' is defined twice", id=step.id), None, False)
            )
            continue
        steps[step.id] = step
    start = data.get("initial_state")
    start = start if isinstance(start, str) else None
    if start is None or start not in steps:
        problems.append(
            (
                src.at("initial_state"),
                msg("initial_state names no widget of the flow: {id}", id=str(start)),
                None,
                False,
            )
        )
        start = None
    kept: dict[str, Step] = {}
    for key, step in steps.items():
        bad = [e for e in step.edges if e.target is not None and e.target not in steps]
        for edge in bad:
            problems.append(
                (
                    step.src.at(*edge.at),
                    msg("next names no widget of the flow: {id}", id=str(edge.target)),
                    None,
                    False,
                )
            )
        kept[key] = (
            step
            if not bad
            else Step(
                step.id,
                step.kind,
                step.type,
                step.src,
                tuple(e for e in step.edges if e not in bad),
                step.text,
                step.queue,
                step.target,
                step.returns,
            )
        )
    aliases = tuple(str(holder[key]) for key in ("sid", "url") if isinstance(holder.get(key), str))
    name = holder.get("friendly_name") or data.get("description") or ident
    return Flow(ident, str(name), "twilio-studio", start, kept, src, aliases), problems, unknown


def _edges(transitions: Any, *, trigger: bool) -> tuple[Edge, ...]:
    if not isinstance(transitions, list):
        return ()
    edges: list[Edge] = []
    for index, item in enumerate(transitions):
        if not isinstance(item, dict):
            continue
        event = str(item.get("event") or "")
        following = item.get("next")
        target = following if isinstance(following, str) and following else None
        # A trigger's events without a next are the kinds of contact the flow
        # does not take: no end of anything.
        if target is None and (trigger or event in _NOT_HANDLED):
            continue
        text = event
        conditions = item.get("conditions")
        if isinstance(conditions, list) and conditions:
            first = conditions[0]
            if isinstance(first, dict):
                text = str(first.get("friendly_name") or first.get("value") or event)
        where = ("transitions", index, "next") if target else ("transitions", index)
        edges.append(Edge(_label(event), target, text, where))
    return tuple(edges)


def _text(properties: Mapping[str, Any]) -> str:
    for key in ("say", "body", "play", "text"):
        value = properties.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _queue(properties: Mapping[str, Any]) -> str | None:
    for key in ("workflow", "queue_name", "to", "workflow_sid"):
        value = properties.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _subflow(properties: Mapping[str, Any]) -> str | None:
    value = properties.get("flow_sid")
    return value if isinstance(value, str) and value else None
