"""The entity kinds: one table that every part of journeycode walks.

For each kind: its model class, where it is written (a catalog section such as
``channels:``, the ``journey:`` of a file, or a list inside another entity),
which of its fields refer to which kind, and which of its fields hold entities
of another kind. Resolve builds the model from it, the rules duplicate-id,
unknown-reference and unused-entity check by it, the runner knows from it what
a finding's subjects refer to, the site lists the catalogs by it, and the
loader and the schema name a file's top-level keys from it. The workspace holds
the entities of each kind by its model class (``workspace.entities(Kpi)``,
``workspace.by_id(Kpi)``). Adding a field means adding it to its model class
and the schema (and a ``Reference`` to its kind's entry if it refers to
something); adding a kind means one entry here, its model class and its schema.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from journeycode.i18n import N_
from journeycode.model import (
    Channel,
    Entity,
    Journey,
    Kpi,
    Measurement,
    Opportunity,
    Owner,
    PainPoint,
    Persona,
    Src,
    Stage,
    System,
    Touchpoint,
    Workspace,
)

if TYPE_CHECKING:  # the loader names the top-level keys from this table
    from journeycode.loader import Pointer


@dataclass(frozen=True)
class Reference:
    """A field that holds the id (or ids) of another entity."""

    field: str
    target: str
    """The kind referred to."""


_PLAIN, _CHILDREN, _PARTS, _CONVERT = range(4)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    """How messages name one: ``KPI``, ``pain point`` (English; a message
    keeps it as a part, ``i18n.msg(label)``, said in the reader's language)."""
    plural: str
    """How page titles name several: ``KPIs`` (English; ``_(plural)`` where shown)."""
    model: type[Entity]
    section: str | None = None
    """Its list at the top of a file (``channels``); None for a journey's parts."""
    references: tuple[Reference, ...] = ()
    children: Mapping[str, str] = field(default_factory=dict)
    """List fields holding entities of another kind: field → kind."""
    keyed: Mapping[str, str] = field(default_factory=dict)
    """Mapping fields whose keys are ids of another kind: field → kind."""
    parts: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    """List fields whose items are pruned one by one, and how each item is built."""
    convert: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    """Fields whose value is not written as the model holds it."""

    @functools.cached_property
    def readers(self) -> tuple[tuple[str, int, Kind], ...]:
        """How :func:`build` reads each field of the model: (name, how, the kind
        of its items, for a field of children)."""
        found: list[tuple[str, int, Kind]] = []
        for model_field in fields(self.model):
            name = model_field.name
            if name in ("id", "src", "waive"):
                continue
            if name in self.children:
                found.append((name, _CHILDREN, KINDS[self.children[name]]))
            else:
                how = _PARTS if name in self.parts else _CONVERT if name in self.convert else _PLAIN
                found.append((name, how, self))
        return tuple(found)

    @functools.cached_property
    def defaults(self) -> Mapping[str, Any]:
        """Each field's default, but for those :func:`build` always gives. A
        field whose default is made anew for each entity would be shared by
        all of them here: there is none."""
        found = {}
        for f in fields(self.model):
            if f.name not in ("id", "src", "waive"):
                if f.default is MISSING:
                    raise TypeError(f"{self.model.__name__}.{f.name} needs a plain default")
                found[f.name] = f.default
        return found

    @functools.cached_property
    def reversed_children(self) -> tuple[str, ...]:
        return tuple(reversed(list(self.children)))

    @property
    def definition(self) -> str:
        """The schema's name for its definition (see :func:`definition`)."""
        return definition(self.name)

    @property
    def shared(self) -> bool:
        """Ids shared by the whole workspace (catalog kinds and journeys);
        the others are local to their journey."""
        return self.section is not None or self.name == "journey"


def definition(name: str) -> str:
    """The schema's name for the definition of a kind or a part:
    ``painPoint`` for ``pain_point``."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _texts(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _measurement(item: dict[str, Any]) -> Measurement:
    return Measurement(item["date"], item["value"])


_KINDS = (
    Kind(
        "persona",
        N_("persona"),
        N_("Personas"),
        Persona,
        "personas",
        (Reference("preferred_channels", "channel"),),
    ),
    Kind("channel", N_("channel"), N_("Channels"), Channel, "channels"),
    Kind("owner", N_("owner"), N_("Owners"), Owner, "owners"),
    Kind("system", N_("system"), N_("Systems"), System, "systems"),
    Kind(
        "kpi",
        N_("KPI"),
        N_("KPIs"),
        Kpi,
        "kpis",
        (Reference("owner", "owner"), Reference("channels", "channel")),
        parts={"measurements": _measurement},
        convert={"range": tuple},
    ),
    Kind(
        "journey",
        N_("journey"),
        N_("Journeys"),
        Journey,
        references=(Reference("owner", "owner"), Reference("personas", "persona")),
        children={"stages": "stage", "opportunities": "opportunity"},
    ),
    Kind(
        "stage",
        N_("stage"),
        N_("Stages"),
        Stage,
        references=(Reference("owner", "owner"), Reference("kpis", "kpi")),
        children={"touchpoints": "touchpoint"},
    ),
    Kind(
        "touchpoint",
        N_("touchpoint"),
        N_("Touchpoints"),
        Touchpoint,
        references=(
            Reference("channel", "channel"),
            Reference("owner", "owner"),
            Reference("personas", "persona"),
            Reference("systems", "system"),
            Reference("kpis", "kpi"),
            Reference("next", "touchpoint"),
            Reference("escalates_to", "touchpoint"),
        ),
        children={"pain_points": "pain_point"},
        keyed={"emotion": "persona"},
        convert={"frontstage": _texts, "backstage": _texts},
    ),
    Kind("pain_point", N_("pain point"), N_("Pain points"), PainPoint),
    Kind(
        "opportunity",
        N_("opportunity"),
        N_("Opportunities"),
        Opportunity,
        references=(
            Reference("owner", "owner"),
            Reference("kpis", "kpi"),
            Reference("addresses", "pain_point"),
        ),
    ),
)

KINDS: Mapping[str, Kind] = {kind.name: kind for kind in _KINDS}
CATALOG: tuple[Kind, ...] = tuple(kind for kind in _KINDS if kind.section is not None)
BY_MODEL: Mapping[type[Entity], Kind] = {kind.model: kind for kind in _KINDS}
JOURNEY = KINDS["journey"]
HELD: tuple[Kind, ...] = (*CATALOG, JOURNEY)
"""The kinds a :class:`~journeycode.model.Workspace` holds (see ``Workspace.entities``)."""
TOP_LEVEL: tuple[str, ...] = (*(str(kind.section) for kind in CATALOG), JOURNEY.name)
"""The keys a map file holds its entities under: each catalog's section and
``journey`` (the settings' ``journeycode:`` is the other key a file may hold)."""


def top_level_keys() -> str:
    """The keys of :data:`TOP_LEVEL` as a hint lists them."""
    keys = [f"{key}:" for key in TOP_LEVEL]
    return f"{', '.join(keys[:-1])} or {keys[-1]}"


def of(entity: Entity) -> Kind:
    return BY_MODEL[type(entity)]


def references(entity: Entity) -> Iterator[tuple[Reference, int | None, str]]:
    """(field, index in a list or None, id) of every id ``entity`` refers to."""
    for reference in of(entity).references:
        value = getattr(entity, reference.field)
        if isinstance(value, str):
            yield reference, None, value
        elif value:
            for index, ident in enumerate(value):
                yield reference, index, ident


def walk(workspace: Workspace) -> Iterator[Entity]:
    """Every entity: the catalogs, then each journey depth-first."""
    for kind in CATALOG:
        yield from workspace.entities(kind.model)
    for journey in workspace.entities(Journey):
        yield from within(journey)


def waiving(workspace: Workspace) -> Iterator[Entity]:
    """Every entity that waives a rule, in the order of :func:`walk`."""
    for kind in CATALOG:
        yield from (entity for entity in workspace.entities(kind.model) if entity.waive)
    for journey in workspace.entities(Journey):
        yield from contents(journey).waiving


@dataclass(frozen=True)
class Contents:
    """What a journey holds that the rules over the whole workspace ask about."""

    uses: Mapping[str, frozenset[str]]
    """The ids of each shared kind that the journey's entities refer to."""
    waiving: tuple[Entity, ...]
    """The journey's entities that waive a rule."""


_CONTENTS: weakref.WeakKeyDictionary[Journey, Contents] = weakref.WeakKeyDictionary()


def contents(journey: Journey) -> Contents:
    """A journey's :class:`Contents`, worked out once for as long as the
    journey lives: a language server keeps the journeys of files that did not
    change, and asks again after every edit."""
    found = _CONTENTS.get(journey)
    if found is None:
        uses: dict[str, set[str]] = {k.name: set() for k in _KINDS if k.shared}
        waiving = []
        for entity in within(journey):
            if entity.waive:
                waiving.append(entity)
            for ref in BY_MODEL[type(entity)].references:
                value = getattr(entity, ref.field)
                if ref.target in uses and value:
                    uses[ref.target].update((value,) if isinstance(value, str) else value)
        found = Contents({k: frozenset(ids) for k, ids in uses.items() if ids}, tuple(waiving))
        _CONTENTS[journey] = found
    return found


def within(entity: Entity) -> Iterator[Entity]:
    """An entity and every entity inside it, depth-first."""
    stack = [entity]
    while stack:
        current = stack.pop()
        yield current
        for child_field in BY_MODEL[type(current)].reversed_children:
            stack.extend(reversed(getattr(current, child_field)))


def build(kind: Kind, item: dict[str, Any], src: Src, **extra: Any) -> Entity:
    """The model of one valid (or pruned) item: every field of the model class
    is read from the key of the same name. List items pruned to None are left out."""
    values: dict[str, Any] = {"id": item["id"], "src": src, "waive": item.get("waive", {})}
    for name, how, child in kind.readers:
        if name not in item or name in extra:
            continue
        value = item[name]
        if how == _CHILDREN:
            values[name] = tuple(
                build(child, v, src.at(name, i)) for i, v in enumerate(value) if v is not None
            )
        elif how == _PARTS:
            values[name] = tuple(kind.parts[name](v) for v in value if v is not None)
        elif how == _CONVERT:
            values[name] = kind.convert[name](value)
        else:
            values[name] = tuple(value) if type(value) is list else value
    values.update(extra)
    # The model classes are frozen dataclasses, whose __init__ sets each of
    # their fields through object.__setattr__: filling the instance's dict at
    # once builds a large portfolio's model in a good part less time.
    entity = object.__new__(kind.model)
    object.__setattr__(entity, "__dict__", {**kind.defaults, **values})
    return entity


def _shapes() -> frozenset[tuple[str | int, ...]]:
    """The pointers (with every index written 0) of what a schema error prunes."""
    shapes: set[tuple[str | int, ...]] = set()

    def add(kind: Kind, at: tuple[str | int, ...]) -> None:
        shapes.add(at)
        for child_field, child in kind.children.items():
            add(KINDS[child], (*at, child_field, 0))
        for part in kind.parts:
            shapes.add((*at, part, 0))

    for kind in CATALOG:
        add(kind, (str(kind.section), 0))
    add(JOURNEY, ("journey",))
    return frozenset(shapes)


_PRUNABLE = _shapes()


def prunable(pointer: Pointer) -> Pointer:
    """The innermost entity (or part, such as one measurement) that holds the
    node at ``pointer``; the top-level key it is under when none does."""
    for end in range(len(pointer), 0, -1):
        if tuple(0 if isinstance(p, int) else p for p in pointer[:end]) in _PRUNABLE:
            return pointer[:end]
    return pointer[:1]


def owning_entity(pointer: Pointer) -> Pointer:
    """The entity a part (one KPI measurement) belongs to: the innermost
    prunable prefix that is an entity."""
    for end in range(len(pointer) - 1, 0, -1):
        if kind_at(pointer[:end]) is not None:
            return pointer[:end]
    return pointer[:1]


def nested_ids(kind: Kind, item: Any) -> Iterable[tuple[Kind, str]]:
    """The kind and id of a raw item and of every entity written inside it."""
    for inner, written in nested(kind, item):
        if isinstance(written.get("id"), str):
            yield inner, written["id"]


def nested(kind: Kind, item: Any) -> Iterable[tuple[Kind, dict[str, Any]]]:
    """A raw item and every entity written inside it (valid or not), with their kinds."""
    if not isinstance(item, dict):
        return
    yield kind, item
    for child_field, child in kind.children.items():
        value = item.get(child_field)
        for child_item in value if isinstance(value, list) else ():
            yield from nested(KINDS[child], child_item)


def reference_at(pointer: Pointer) -> Reference | None:
    """The reference field a value at ``pointer`` is written in: the field
    itself, or one item of its list."""
    for end in range(len(pointer) - 1, 0, -1):
        kind = kind_at(pointer[:end])
        if kind is not None:
            field, *index = pointer[end:]
            if len(index) > 1 or not all(isinstance(i, int) for i in index):
                return None
            return next((r for r in kind.references if r.field == field), None)
    return None


def keyed_at(pointer: Pointer) -> str | None:
    """The kind whose ids are the keys of the mapping at ``pointer``, if its keys are ids."""
    kind = kind_at(pointer[:-1]) if pointer else None
    return None if kind is None else kind.keyed.get(str(pointer[-1]))


def kind_at(pointer: Pointer) -> Kind | None:
    """The kind of the entity at an entity pointer (see :func:`prunable`)."""
    if pointer == ("journey",):
        return JOURNEY
    if len(pointer) == 2:
        return next((k for k in CATALOG if k.section == pointer[0]), None)
    if len(pointer) >= 3 and isinstance(pointer[-2], str):
        parent = kind_at(pointer[:-2])
        if parent is not None and pointer[-2] in parent.children:
            return KINDS[parent.children[pointer[-2]]]
    return None
