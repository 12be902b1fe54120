"""Builds the :class:`~journeycode.model.Workspace` from validated files.

Only files that passed the schema become model objects, so the builder can rely
on the shapes the schema guarantees. Files that failed still lend their ids
(``shadow_ids``), so references into a broken file are not reported twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from journeycode.loader import SourceFile
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



def build(root: Path, valid: Iterable[SourceFile], invalid: Iterable[SourceFile]) -> Workspace:
    lists: dict[str, list[Any]] = defaultdict(list)
    files = []
    for file in valid:
        files.append(file)
        data = file.data
        top = Src(file, ())
        for kind, make in _CATALOG_BUILDERS.items():
            for index, item in enumerate(data.get(kind, ())):
                lists[kind].append(make(item, top.at(kind, index)))
        if "journey" in data:
            lists["journeys"].append(_journey(data["journey"], top.at("journey")))
    return Workspace(
        root=root,
        files=tuple(files),
        personas=tuple(lists["personas"]),
        channels=tuple(lists["channels"]),
        owners=tuple(lists["owners"]),
        systems=tuple(lists["systems"]),
        kpis=tuple(lists["kpis"]),
        journeys=tuple(lists["journeys"]),
        shadow_ids=_shadow_ids(invalid),
    )


def _shadow_ids(files: Iterable[SourceFile]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for file in files:
        data = file.data
        if not isinstance(data, dict):
            continue
        for kind in _CATALOG_BUILDERS:
            items = data.get(kind)
            if isinstance(items, list):
                found[kind].update(_ids(items))
        journey = data.get("journey")
        if isinstance(journey, dict) and isinstance(journey.get("id"), str):
            found["journeys"].add(journey["id"])
    return {kind: frozenset(ids) for kind, ids in found.items()}


def _ids(items: list[Any]) -> Iterable[str]:
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            yield item["id"]


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
        measurements=tuple(Measurement(m["date"], m["value"]) for m in item.get("measurements", ())),
        description=item.get("description"),
    )


def _journey(item: dict[str, Any], src: Src) -> Journey:
    return Journey(
        **_common(item, src),
        name=item["name"],
        version=item.get("version"),
        status=item.get("status"),
        owner=item.get("owner"),
        reviewed=item.get("reviewed"),
        personas=tuple(item["personas"]),
        stages=tuple(_stage(s, src.at("stages", i)) for i, s in enumerate(item["stages"])),
        opportunities=tuple(
            _opportunity(o, src.at("opportunities", i))
            for i, o in enumerate(item.get("opportunities", ()))
        ),
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
            _touchpoint(t, src.at("touchpoints", i)) for i, t in enumerate(item.get("touchpoints", ()))
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
            _pain_point(p, src.at("pain_points", i)) for i, p in enumerate(item.get("pain_points", ()))
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
