"""Renames: an entity whose id changed while what it says stayed.

Between BASE and HEAD, an entity of BASE is renamed to one of HEAD when:

* both are of the same kind and in the same place: a catalog entry in its
  catalog, a journey among the journeys, a stage, touchpoint or opportunity in
  the same journey, a pain point in the same touchpoint (following the renames
  of that journey and touchpoint);
* the old id is in BASE only and the new id in HEAD only;
* their content agrees: the same name (a pain point's text), and of the
  fields that either side sets (every field but the id, the source and the
  waivers; a list of children by their ids; measurements by date and value),
  more than half are equal; or, between entities that agree so with no other,
  another name and at least two other fields set, all equal; references
  compared after following the renames found before them (kinds referred to are
  matched first: channels before the personas that prefer them, the catalog
  before the journeys);
* and it is the only such pair for both: an entity that agrees with two others,
  or two that agree with one, are not renamed (they stay removed and added).

:func:`follow` rewrites BASE as if every rename had been made there, ids and
references alike (persona lists, emotions by persona, escalations and next
steps, KPI lists, owners, the breakdown of measurements), so that the diff
compares a renamed entity with itself and reports nothing of what followed the
rename; the problems of BASE are matched through :meth:`Renames.subject`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from journeycode import kinds
from journeycode.model import Entity, Journey, Measurement, Touchpoint, Workspace

_IGNORED = frozenset({"id", "src", "waive", "dropped_ids"})


@dataclass(frozen=True)
class Renamed:
    """One rename: the kind, the journey it is in (HEAD's id; "" for a shared
    kind), the old id and the entity in HEAD."""

    kind: str
    scope: str
    old: str
    new: Entity


@dataclass
class Renames:
    found: list[Renamed] = field(default_factory=list)
    ids: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(kind, scope) → old id → new id."""

    def add(self, kind: str, scope: str, old: str, new: Entity) -> None:
        self.found.append(Renamed(kind, scope, old, new))
        self.ids.setdefault((kind, scope), {})[old] = new.id

    def id(self, kind: str, ident: str, scope: str = "") -> str:
        """What ``ident`` of ``kind`` (in the journey ``scope``, for a local kind) is in HEAD."""
        key = (kind, "" if kinds.KINDS[kind].shared else scope)
        return self.ids.get(key, {}).get(ident, ident)

    def reworded(self, text: str, journey: str) -> str:
        """A message of BASE about ``journey`` (HEAD's id; "" for the catalog)
        with the renamed ids written as HEAD has them: a problem whose message
        differs only so has not changed. An id of the journey's own (a
        stage's, a touchpoint's) is replaced where it is quoted, as messages
        write them: a touchpoint ``a`` is no word of the text."""
        for found in self.found:
            if not found.scope:
                pattern = rf"(?<![\w-]){re.escape(found.old)}(?![\w-])"
                text = re.sub(pattern, found.new.id, text)
            elif found.scope == journey:
                text = text.replace(f"'{found.old}'", f"'{found.new.id}'")
        return text

    def subject(self, kind: str, ident: str, scope: str) -> str:
        """As :meth:`id`, for what a problem is about: a kind that is no entity's keeps its id."""
        return self.id(kind, ident, scope) if kind in kinds.KINDS else ident


def find(base: Workspace, head: Workspace) -> Renames:
    """The renames from ``base`` to ``head`` (see the module's docstring)."""
    renames = Renames()
    for kind in _ordered(kinds.CATALOG):
        _pair(
            renames, kind.name, "", base.by_id(kind.model).values(), head.by_id(kind.model).values()
        )
    before, after = base.by_id(Journey), head.by_id(Journey)
    _pair(renames, "journey", "", before.values(), after.values())
    for old in before.values():
        new = after.get(renames.id("journey", old.id))
        if new is not None:
            _within(renames, old, new)
    return renames


def _ordered(catalog: Iterable[kinds.Kind]) -> list[kinds.Kind]:
    """The catalog kinds, each after the kinds it refers to (the table has no cycle)."""
    left, done = list(catalog), []
    while left:
        chosen = next(
            k
            for k in left
            if all(
                r.target in done or r.target == k.name or not kinds.KINDS[r.target].section
                for r in k.references
            )
        )
        done.append(chosen.name)
        left.remove(chosen)
    return [kinds.KINDS[name] for name in done]


def _within(renames: Renames, old: Journey, new: Journey) -> None:
    scope = new.id
    _pair(renames, "stage", scope, old.stages, new.stages)
    old_tps = [tp for _, tp in old.touchpoints()]
    new_tps = [tp for _, tp in new.touchpoints()]
    # Twice: touchpoints refer to each other (next, escalates_to), so one
    # pair found can make another agree.
    _pair(renames, "touchpoint", scope, old_tps, new_tps)
    _pair(renames, "touchpoint", scope, old_tps, new_tps)
    by_id = {tp.id: tp for tp in new_tps}
    for tp in old_tps:
        match = by_id.get(renames.id("touchpoint", tp.id, scope))
        if match is not None:
            _pair(renames, "pain_point", scope, tp.pain_points, match.pain_points)
    _pair(renames, "opportunity", scope, old.opportunities, new.opportunities)


def _pair(
    renames: Renames, kind: str, scope: str, old: Iterable[Entity], new: Iterable[Entity]
) -> None:
    """Each entity only in ``old`` with the one entity only in ``new`` it
    agrees with, of those not paired yet."""
    known = renames.ids.get((kind, scope), {})
    old_ids = {e.id for e in old}
    new_ids = {e.id for e in new}
    taken = set(known.values())
    removed = [e for e in old if e.id not in new_ids and e.id not in known]
    added = [e for e in new if e.id not in old_ids and e.id not in taken]
    agree = [(a, b) for a in removed for b in added if _agrees(renames, scope, a, b)]
    _unique(renames, kind, scope, agree)
    # A new name too, where little else changed: only among those that agree
    # with nothing, so it never decides between candidates of a rename above.
    near = {e.id for pair in agree for e in pair}
    _unique(
        renames,
        kind,
        scope,
        [
            (a, b)
            for a in removed
            for b in added
            if a.id not in near and b.id not in near and _renamed_too(renames, scope, a, b)
        ],
    )


def _unique(renames: Renames, kind: str, scope: str, agree: list[tuple[Entity, Entity]]) -> None:
    """Each pair that is the only one for both of its entities, as a rename."""
    for a, b in agree:
        if sum(1 for x, y in agree if x is a or y is b) == 1:
            renames.add(kind, scope, a.id, b)


def _said(entity: Entity) -> str:
    """The field that says what an entity is: its name, a pain point's text."""
    return "name" if hasattr(entity, "name") else "text"


def _agrees(renames: Renames, scope: str, old: Entity, new: Entity) -> bool:
    said = _said(new)
    if getattr(old, said, None) != getattr(new, said, None):
        return False
    equal, compared = _fields(renames, scope, old, new, ())
    return compared > 0 and equal * 2 > compared


def _renamed_too(renames: Renames, scope: str, old: Entity, new: Entity) -> bool:
    """Another name, and at least two other fields set, all equal (a KPI with
    another target is another KPI)."""
    equal, compared = _fields(renames, scope, old, new, (_said(new),))
    return compared >= 2 and equal == compared


def _fields(
    renames: Renames, scope: str, old: Entity, new: Entity, left_out: tuple[str, ...]
) -> tuple[int, int]:
    """Of the fields either side sets (but ``left_out``), how many are equal, and how many."""
    kind = kinds.of(new)
    defaults = kind.defaults
    equal = compared = 0
    for name in (f.name for f in dataclasses.fields(kind.model)):
        if name in _IGNORED or name in left_out:
            continue
        was = _comparable(renames, scope, kind, name, getattr(old, name))
        now = _comparable(renames, scope, kind, name, getattr(new, name))
        default = _comparable(renames, scope, kind, name, defaults[name])
        if was == default and now == default:
            continue
        compared += 1
        equal += was == now
    return equal, compared


def _comparable(renames: Renames, scope: str, kind: kinds.Kind, name: str, value: Any) -> Any:
    """A field's value as two sides compare it: children by their ids,
    measurements by date and value, references as HEAD names them."""
    if name in kind.children:
        return tuple(child.id for child in value)
    if isinstance(value, tuple) and value and isinstance(value[0], Measurement):
        return tuple(sorted((m.date, m.value) for m in value))
    return _moved_field(renames, scope, kind, name, value)


def _moved_field(renames: Renames, scope: str, kind: kinds.Kind, name: str, value: Any) -> Any:
    """A field's value with the ids it refers to renamed."""
    for reference in kind.references:
        if reference.field == name:
            if isinstance(value, str):
                return renames.id(reference.target, value, scope)
            if isinstance(value, tuple):
                return tuple(renames.id(reference.target, v, scope) for v in value)
            return value
    if kind.model is Touchpoint and name == "emotion" and isinstance(value, Mapping):
        return {renames.id("persona", p, scope): v for p, v in value.items()}
    return value


def follow(base: Workspace, renames: Renames) -> Workspace:
    """``base`` as if every rename had been made in it."""
    if not renames.found:
        return base
    definitions = {
        model: tuple(_moved(renames, entity, "") for entity in entities)
        for model, entities in base.definitions.items()
    }
    return dataclasses.replace(base, definitions=definitions)


def _moved(renames: Renames, entity: Entity, scope: str) -> Entity:
    kind = kinds.of(entity)
    ident = renames.id(kind.name, entity.id, scope)
    if kind is kinds.JOURNEY:
        scope = ident
    changes: dict[str, Any] = {"id": ident} if ident != entity.id else {}
    for name in (f.name for f in dataclasses.fields(kind.model)):
        if name in _IGNORED:
            continue
        value = getattr(entity, name)
        if name in kind.children:
            moved: Any = tuple(_moved(renames, child, scope) for child in value)
            same = all(a is b for a, b in zip(moved, value, strict=True))
        elif isinstance(value, tuple) and value and isinstance(value[0], Measurement):
            moved = tuple(_measurement(renames, m) for m in value)
            same = moved == value
        else:
            moved = _moved_field(renames, scope, kind, name, value)
            same = moved == value
        if not same:
            changes[name] = moved
    return dataclasses.replace(entity, **changes) if changes else entity


def _measurement(renames: Renames, measured: Measurement) -> Measurement:
    """A measurement's breakdown as HEAD names it."""
    journey = None if measured.journey is None else renames.id("journey", measured.journey)
    return dataclasses.replace(
        measured,
        journey=journey,
        stage=None
        if measured.stage is None or journey is None
        else renames.id("stage", measured.stage, journey),
        channel=None if measured.channel is None else renames.id("channel", measured.channel),
    )
