"""The compiled journey maps: frozen dataclasses, built once by :mod:`resolve`.

Every entity keeps its :class:`Src` (file and JSON pointer) so a rule can point
at the exact node it is talking about. Entities compare and hash by identity:
two touchpoints with the same fields are still two touchpoints. Enum fields
are ``Literal`` types whose values a test keeps equal to the schema's enums.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from journeycode.problems import Level, Problem

if TYPE_CHECKING:  # the loader names the top-level keys from the kinds of the model
    from journeycode.flows.paths import Flows
    from journeycode.loader import Pointer, SourceFile


@dataclass(frozen=True)
class Src:
    """Where an entity, or one of its fields, is written."""

    file: SourceFile
    pointer: Pointer

    def at(self, *parts: str | int) -> Src:
        return Src(self.file, (*self.pointer, *parts))

    def problem(
        self, rule: str, level: Level, message: str, hint: str | None = None, *, key: bool = False
    ) -> Problem:
        line, col = self.file.locate(self.pointer, key=key)
        return Problem(self.file.display, line, col, rule, level, message, hint)

    @property
    def location(self) -> str:
        line, col = self.file.locate(self.pointer)
        return f"{self.file.display}:{line}:{col}"


ChannelType = Literal["voice", "digital", "messaging", "social", "in-person", "mail"]
Mode = Literal["self-service", "automated", "assisted"]
KpiKind = Literal["outcome", "operational", "feedback", "financial"]
Unit = Literal[
    "percent", "seconds", "minutes", "hours", "days", "score", "count", "currency", "ratio"
]
Direction = Literal["higher", "lower"]
JourneyStatus = Literal["draft", "review", "published", "retired"]
Initiator = Literal["customer", "company"]
Routing = Literal[
    "skills",
    "agent-performance",
    "customer-value",
    "customer-state",
    "service-level",
    "next-available",
]
Severity = Literal["low", "medium", "high"]
OpportunityStatus = Literal["idea", "planned", "in-progress", "done"]


@dataclass(frozen=True, eq=False)
class Entity:
    id: str
    src: Src
    waive: Mapping[str, str] = field(default_factory=dict)


E = TypeVar("E", bound=Entity)


@dataclass(frozen=True, eq=False)
class Persona(Entity):
    name: str = ""
    description: str | None = None
    goals: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    preferred_channels: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Channel(Entity):
    name: str = ""
    type: ChannelType = "digital"
    mode: Mode = "self-service"
    hours: str | None = None
    description: str | None = None

    @property
    def always_open(self) -> bool:
        return self.hours == "24/7"


@dataclass(frozen=True, eq=False)
class Owner(Entity):
    name: str = ""
    contact: str | None = None
    description: str | None = None


@dataclass(frozen=True, eq=False)
class System(Entity):
    name: str = ""
    description: str | None = None


BREAKDOWN = ("journey", "stage", "channel", "segment")
"""The fields of a :class:`Measurement` that break its KPI down."""


@dataclass(frozen=True)
class Measurement:
    date: str
    value: float
    journey: str | None = None
    stage: str | None = None
    channel: str | None = None
    segment: str | None = None
    """A measurement file's row may break a KPI down by journey, stage,
    channel or segment; one without any of them is the KPI's own value."""
    row: str | None = None
    """``file:line`` of the measurement file's row; None for one written in the maps."""
    kpi_col: int | None = None
    """The column where that row names its KPI (an editor renames the id there too)."""


@dataclass(frozen=True, eq=False)
class Kpi(Entity):
    name: str = ""
    kind: KpiKind = "operational"
    unit: Unit = "count"
    direction: Direction | None = None
    range: tuple[float, float] | None = None
    target: float | None = None
    owner: str | None = None
    channels: tuple[str, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    description: str | None = None
    breakdown: tuple[Measurement, ...] = ()
    """Measurements of a part: a journey, stage, channel or segment (from files)."""


@dataclass(frozen=True, eq=False)
class PainPoint(Entity):
    text: str = ""
    severity: Severity = "low"
    evidence: str | None = None


@dataclass(frozen=True, eq=False)
class Touchpoint(Entity):
    name: str = ""
    channel: str = ""
    owner: str | None = None
    personas: tuple[str, ...] = ()
    """As written; empty means every persona of the journey (see Journey.personas_at)."""
    action: str | None = None
    frontstage: tuple[str, ...] = ()
    backstage: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    emotion: float | Mapping[str, float] | None = None
    initiated_by: Initiator | None = None
    routing: Routing | None = None
    moment_of_truth: bool = False
    pain_points: tuple[PainPoint, ...] = ()
    kpis: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    escalates_to: tuple[str, ...] = ()
    flow: str | None = None
    """The contact flow it runs: ``ID`` or ``ID#STEP`` (see :mod:`journeycode.flows`)."""
    flow_resolved: tuple[str, ...] = ()
    """Steps of that flow where the customer's need is met by itself."""
    description: str | None = None

    @cached_property
    def flow_id(self) -> str | None:
        # Kept: the flow rules ask every touchpoint for it in every compile.
        return None if self.flow is None else self.flow.split("#", 1)[0]

    @property
    def flow_step(self) -> str | None:
        return None if self.flow is None or "#" not in self.flow else self.flow.split("#", 1)[1]


@dataclass(frozen=True, eq=False)
class Stage(Entity):
    name: str = ""
    goal: str | None = None
    owner: str | None = None
    kpis: tuple[str, ...] = ()
    touchpoints: tuple[Touchpoint, ...] = ()
    description: str | None = None


@dataclass(frozen=True, eq=False)
class Opportunity(Entity):
    name: str = ""
    addresses: tuple[str, ...] = ()
    owner: str | None = None
    kpis: tuple[str, ...] = ()
    status: OpportunityStatus | None = None
    description: str | None = None


@dataclass(frozen=True, eq=False)
class Journey(Entity):
    name: str = ""
    version: str | None = None
    status: JourneyStatus | None = None
    owner: str | None = None
    reviewed: str | None = None
    personas: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()
    description: str | None = None
    dropped_ids: frozenset[str] = frozenset()
    """Ids of stages, touchpoints, pain points and opportunities left out for schema errors."""

    def touchpoints(self) -> tuple[tuple[Stage, Touchpoint], ...]:
        return self._touchpoints

    @cached_property
    def _touchpoints(self) -> tuple[tuple[Stage, Touchpoint], ...]:
        # Kept: a compile's rules walk every journey's touchpoints over a hundred times.
        return tuple((stage, tp) for stage in self.stages for tp in stage.touchpoints)

    @cached_property
    def channels_used(self) -> tuple[str, ...]:
        """The channels of its touchpoints, each once, in their order."""
        return tuple(dict.fromkeys(tp.channel for _, tp in self.touchpoints()))

    @cached_property
    def touchpoint_by_id(self) -> Mapping[str, Touchpoint]:
        return _first_by_id(tuple(tp for _, tp in self.touchpoints()))

    def pain_points(self) -> list[tuple[Touchpoint, PainPoint]]:
        return [(tp, pp) for _, tp in self.touchpoints() for pp in tp.pain_points]

    def personas_at(self, touchpoint: Touchpoint) -> tuple[str, ...]:
        return touchpoint.personas or self.personas


@dataclass(frozen=True)
class Workspace:
    """Everything read from one maps folder.

    ``definitions`` holds, by model class, every definition of each kind the
    workspace shares (the catalogs and the journeys) in file order, duplicates
    included (the duplicate-id rule reports them); :meth:`by_id` keeps the
    first of each id. What schema errors left out, and what could not be
    loaded, stays known so that nothing echoes it (see
    :mod:`journeycode.resolve`): ``shadow_ids`` holds, by kind name, the ids of
    the shared entities left out; ``shadow_words`` every word of the files that
    could not be parsed (they may define or mention anything so written);
    ``pruned_words``, by the kind of the entity left out, every text it held
    (it may mention that); ``unreadable`` says that the content of some file is
    not known at all.
    """

    root: Path
    files: tuple[SourceFile, ...]
    definitions: Mapping[type[Entity], tuple[Entity, ...]] = field(default_factory=dict)
    shadow_ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    shadow_words: frozenset[str] = frozenset()
    pruned_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    unreadable: bool = False
    flows: Flows | None = None
    """The contact flows of the workspace's flow files, when they have been read."""

    def entities(self, model: type[E]) -> tuple[E, ...]:
        """Every definition of the kind whose model class is ``model``."""
        # Each tuple holds instances of its key only: resolve builds it so.
        return cast("tuple[E, ...]", self.definitions.get(model, ()))

    def by_id(self, model: type[E]) -> Mapping[str, E]:
        """The first definition of each id of the kind whose model class is ``model``."""
        index = self._indexes.get(model)
        if index is None:
            index = self._indexes[model] = _first_by_id(self.entities(model))
        return cast("Mapping[str, E]", index)

    @cached_property
    def _indexes(self) -> dict[type[Entity], Mapping[str, Entity]]:
        """The :meth:`by_id` mappings asked for so far."""
        return {}

    def may_define(self, kind: str, ident: str) -> bool:
        """Whether something left out or unreadable may define this id."""
        return (
            self.unreadable or ident in self.shadow_ids.get(kind, ()) or ident in self.shadow_words
        )

    def may_mention(self, ident: str, by: str | None = None) -> bool:
        """Whether something left out or unreadable (an entity of kind ``by``,
        or of any kind) may refer to this id."""
        if self.unreadable or ident in self.shadow_words:
            return True
        if by is not None:
            return ident in self.pruned_words.get(by, ())
        return any(ident in words for words in self.pruned_words.values())

    @cached_property
    def kpis_by_channel(self) -> Mapping[str, tuple[Kpi, ...]]:
        """The KPIs that list each channel among the channels they measure."""
        found: dict[str, list[Kpi]] = {}
        for kpi in self.by_id(Kpi).values():
            for channel in kpi.channels:
                found.setdefault(channel, []).append(kpi)
        return {channel: tuple(kpis) for channel, kpis in found.items()}

    @cached_property
    def journeys_by_channel(self) -> Mapping[str, tuple[Journey, ...]]:
        """The journeys with at least one touchpoint on each channel."""
        found: dict[str, dict[str, Journey]] = {}
        for journey in self.entities(Journey):
            for channel in journey.channels_used:
                found.setdefault(channel, {})[journey.id] = journey
        return {channel: tuple(by_id.values()) for channel, by_id in found.items()}


def _first_by_id(entities: tuple[E, ...]) -> dict[str, E]:
    index: dict[str, E] = {}
    for entity in entities:
        index.setdefault(entity.id, entity)
    return index
