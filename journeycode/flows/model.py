"""A contact flow as journeycode reads it, whatever platform exported it.

A flow is steps joined by labelled edges. Each platform's reader
(:mod:`journeycode.flows.connect`, :mod:`journeycode.flows.studio`) types its
blocks as one of :data:`KINDS` and its transitions as one of :data:`LABELS`;
everything after the readers (the rules, the site) reads only this model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from journeycode.i18n import N_
from journeycode.model import Src

if TYPE_CHECKING:
    from journeycode.loader import Pointer

StepKind = Literal[
    "menu",
    "prompt",
    "input",
    "bot",
    "check-hours",
    "transfer",
    "callback",
    "subflow",
    "disconnect",
    "return",
    "other",
]
KINDS: Mapping[StepKind, str] = {
    "menu": N_("menu"),
    "prompt": N_("prompt"),
    "input": N_("input"),
    "bot": N_("bot"),
    "check-hours": N_("hours check"),
    "transfer": N_("transfer"),
    "callback": N_("callback"),
    "subflow": N_("sub-flow"),
    "disconnect": N_("disconnect"),
    "return": N_("return"),
    "other": N_("step"),
}
"""Each kind of step, and the word a reader sees for it."""

WAYS_OUT: frozenset[StepKind] = frozenset({"transfer", "callback"})
"""The steps that hand the customer to a person."""

Label = Literal["next", "condition", "error", "timeout", "no-match"]
LABELS: Mapping[Label, str] = {
    "next": N_("next"),
    "condition": N_("condition"),
    "error": N_("error"),
    "timeout": N_("timeout"),
    "no-match": N_("no match"),
}
"""Each kind of edge, and the word a reader sees for it."""

Platform = Literal["amazon-connect", "twilio-studio"]
PLATFORMS: Mapping[Platform, str] = {
    "amazon-connect": "Amazon Connect",
    "twilio-studio": "Twilio Studio",
}


class Edge(NamedTuple):
    """A transition (a tuple: a flow of 250 actions has a thousand of them)."""

    label: Label
    target: str | None
    """The step it leads to; None where the flow ends there (a Studio
    transition with no ``next``)."""
    text: str = ""
    """What the platform calls it: a menu's digit, an intent, an error type."""
    at: Pointer = ()
    """Where it is written, below its step's node."""


@dataclass(frozen=True, eq=False)
class Step:
    id: str
    kind: StepKind
    type: str
    """The platform's own name for the block (``GetParticipantInput``, ``say-play``)."""
    src: Src
    edges: tuple[Edge, ...] = ()
    text: str = ""
    """What it says to the customer, where it says something."""
    queue: str | None = None
    """The queue (or number, or agent) a transfer or a set-queue step names."""
    target: str | None = None
    """The flow a sub-flow step runs, as the platform names it."""
    returns: bool = False
    """A sub-flow step that comes back (a flow module): its edges go on after it."""

    @property
    def label(self) -> str:
        """How a path names the step: its id, shortened when it is a generated one."""
        return self.id if not _generated(self.id) else self.id[:8]


@dataclass(frozen=True, eq=False)
class Flow:
    id: str
    """The file's name without ``.json`` (a file that holds several flows
    names each by its resource's name)."""
    name: str
    platform: Platform
    start: str | None
    steps: Mapping[str, Step]
    src: Src
    aliases: tuple[str, ...] = ()
    """What else may name it: its ARN, its platform id, its sid."""
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Flow attributes it sets to fixed values (``$.FlowAttributes.x``)."""
    type: str = ""
    """The platform's type of flow, where the file says (``CONTACT_FLOW``, ``AGENT_WHISPER``)."""

    @property
    def runs_beside(self) -> bool:
        """A flow that plays to a contact already queued or connected (a whisper,
        a hold, a queue's music): its end is no end of the contact."""
        return self.type in _BESIDE

    @property
    def display(self) -> str:
        return self.src.file.display


_BESIDE = frozenset(
    {
        "CUSTOMER_QUEUE",
        "CUSTOMER_HOLD",
        "CUSTOMER_WHISPER",
        "AGENT_HOLD",
        "AGENT_WHISPER",
        "OUTBOUND_WHISPER",
        "AGENT_TRANSFER",
    }
)


def _generated(ident: str) -> bool:
    """Whether an id is a UUID (the Amazon Connect editor's own ids)."""
    parts = ident.split("-")
    return len(ident) == 36 and [len(p) for p in parts] == [8, 4, 4, 4, 12]
