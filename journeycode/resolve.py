"""Builds the :class:`~journeycode.model.Workspace` from validated files.

The builder relies on the shapes the schema guarantees. A file with schema
errors is pruned first: each entity (catalog entry, journey, stage,
touchpoint, pain point, opportunity) that holds an error is left out, and the
rest of the file is still modelled and checked. The ids of what was left out
stay known, so references to a broken entity are not reported a second time.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from journeycode.loader import Pointer, SourceFile
from journeycode.model import (
    Channel,
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


def build(root: Path, files: Iterable[tuple[SourceFile, list[Pointer]]]) -> Workspace:
    """The workspace of ``files``, each with the pointers of its schema errors."""
    lists: dict[str, list[Any]] = defaultdict(list)
    shadow: dict[str, set[str]] = defaultdict(set)
    modelled = []
    for file, faults in files:
        data, dropped = _prune(file.data, faults) if faults else (file.data, [])
        if data is None:
            continue
        modelled.append(file)
        local_dropped: set[str] = set()
        for pointer, ident in dropped:
            if pointer[0] == "journey" and len(pointer) > 1:
                local_dropped.add(ident)
            else:
                shadow["journeys" if pointer[0] == "journey" else str(pointer[0])].add(ident)
        top = Src(file, ())
        for kind, make in _CATALOG_BUILDERS.items():
            for index, item in _present(data.get(kind, ())):
                lists[kind].append(make(item, top.at(kind, index)))
        if "journey" in data:
            lists["journeys"].append(_journey(data["journey"], top.at("journey"), local_dropped))
    return Workspace(
        root=root,
        files=tuple(modelled),
        personas=tuple(lists["personas"]),
        channels=tuple(lists["channels"]),
        owners=tuple(lists["owners"]),
        systems=tuple(lists["systems"]),
        kpis=tuple(lists["kpis"]),
        journeys=tuple(lists["journeys"]),
        shadow_ids={kind: frozenset(ids) for kind, ids in shadow.items()},
    )


def _present(items: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """Items with their original index, skipping those pruned to None."""
    for index, item in enumerate(items):
        if item is not None:
            yield index, item


def _is_entity(pointer: Pointer) -> bool:
    match pointer:
        case ("journey",):
            return True
        case (str(kind), int()) if kind in _CATALOG_BUILDERS:
            return True
        case ("journey", "stages" | "opportunities", int()):
            return True
        case ("journey", "stages", int(), "touchpoints", int()):
            return True
        case ("journey", "stages", int(), "touchpoints", int(), "pain_points", int()):
            return True
    return False


def _prune(data: Any, faults: list[Pointer]) -> tuple[Any, list[tuple[Pointer, str]]]:
    """A copy of ``data`` without the entities that hold a fault, and what was dropped.

    List items become None rather than disappearing, so the indices (and thus
    the positions) of their siblings stay right. A fault outside any entity
    drops the top-level key it is under; a fault at the root drops the file.
    """
    if not isinstance(data, dict) or () in faults:
        return None, []
    targets = set()
    for fault in faults:
        entity = next(
            (fault[:n] for n in range(len(fault), 0, -1) if _is_entity(fault[:n])), fault[:1]
        )
        targets.add(entity)
    pruned = copy.deepcopy(data)
    dropped = []
    # Deepest first: an entity inside another one is removed before its parent.
    for target in sorted(targets, key=len, reverse=True):
        parent: Any = pruned
        for part in target[:-1]:
            parent = parent[part] if parent is not None else None
        if parent is None:
            continue
        item = parent[target[-1]]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            dropped.append((target, item["id"]))
        if isinstance(parent, list):
            parent[int(target[-1])] = None
        else:
            del parent[target[-1]]
    return pruned, dropped


def _texts(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _common(item: dict[str, Any], src: Src) -> dict[str, Any]:
    return {"id": item["id"], "src": src, "waive": item.get("waive", {})}


def _persona(item: dict[str, Any], src: Src) -> Persona:
    return Persona(
        **_common(item, src),
        name=item["name"],
        description=item.get("description"),
        goals=tuple(item.get("goals", ())),
        frustrations=tuple(item.get("frustrations", ())),
        preferred_channels=tuple(item.get("preferred_channels", ())),
    )


def _channel(item: dict[str, Any], src: Src) -> Channel:
    return Channel(
        **_common(item, src),
        name=item["name"],
        type=item["type"],
        mode=item["mode"],
        hours=item.get("hours"),
        description=item.get("description"),
    )


def _owner(item: dict[str, Any], src: Src) -> Owner:
    return Owner(
        **_common(item, src),
        name=item["name"],
        contact=item.get("contact"),
        description=item.get("description"),
    )


def _system(item: dict[str, Any], src: Src) -> System:
    return System(**_common(item, src), name=item["name"], description=item.get("description"))


def _kpi(item: dict[str, Any], src: Src) -> Kpi:
    bounds = item.get("range")
    return Kpi(
        **_common(item, src),
        name=item["name"],
        kind=item["kind"],
        unit=item["unit"],
        direction=item.get("direction"),
        range=(bounds[0], bounds[1]) if bounds else None,
        target=item.get("target"),
        owner=item.get("owner"),
        channels=tuple(item.get("channels", ())),
        measurements=tuple(
            Measurement(m["date"], m["value"]) for m in item.get("measurements", ())
        ),
        description=item.get("description"),
    )


def _journey(item: dict[str, Any], src: Src, dropped: set[str]) -> Journey:
    return Journey(
        **_common(item, src),
        name=item["name"],
        version=item.get("version"),
        status=item.get("status"),
        owner=item.get("owner"),
        reviewed=item.get("reviewed"),
        personas=tuple(item["personas"]),
        stages=tuple(_stage(s, src.at("stages", i)) for i, s in _present(item["stages"])),
        opportunities=tuple(
            _opportunity(o, src.at("opportunities", i))
            for i, o in _present(item.get("opportunities", ()))
        ),
        dropped_ids=frozenset(dropped),
        description=item.get("description"),
    )


def _stage(item: dict[str, Any], src: Src) -> Stage:
    return Stage(
        **_common(item, src),
        name=item["name"],
        goal=item.get("goal"),
        owner=item.get("owner"),
        kpis=tuple(item.get("kpis", ())),
        touchpoints=tuple(
            _touchpoint(t, src.at("touchpoints", i))
            for i, t in _present(item.get("touchpoints", ()))
        ),
        description=item.get("description"),
    )


def _touchpoint(item: dict[str, Any], src: Src) -> Touchpoint:
    return Touchpoint(
        **_common(item, src),
        name=item["name"],
        channel=item["channel"],
        owner=item.get("owner"),
        personas=tuple(item.get("personas", ())),
        action=item.get("action"),
        frontstage=_texts(item.get("frontstage")),
        backstage=_texts(item.get("backstage")),
        systems=tuple(item.get("systems", ())),
        emotion=item.get("emotion"),
        initiated_by=item.get("initiated_by"),
        routing=item.get("routing"),
        moment_of_truth=item.get("moment_of_truth", False),
        pain_points=tuple(
            _pain_point(p, src.at("pain_points", i))
            for i, p in _present(item.get("pain_points", ()))
        ),
        kpis=tuple(item.get("kpis", ())),
        next=tuple(item.get("next", ())),
        escalates_to=tuple(item.get("escalates_to", ())),
        description=item.get("description"),
    )


def _pain_point(item: dict[str, Any], src: Src) -> PainPoint:
    return PainPoint(
        **_common(item, src),
        text=item["text"],
        severity=item["severity"],
        evidence=item.get("evidence"),
    )


def _opportunity(item: dict[str, Any], src: Src) -> Opportunity:
    return Opportunity(
        **_common(item, src),
        name=item["name"],
        addresses=tuple(item.get("addresses", ())),
        owner=item.get("owner"),
        kpis=tuple(item.get("kpis", ())),
        status=item.get("status"),
        description=item.get("description"),
    )


_CATALOG_BUILDERS: dict[str, Callable[[dict[str, Any], Src], Any]] = {
    "personas": _persona,
    "channels": _channel,
    "owners": _owner,
    "systems": _system,
    "kpis": _kpi,
}
