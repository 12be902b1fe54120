"""How the renderers and the site name an entity: by its name, or by its id
where there is none to give (a dangling reference, which the rules report, or a
kind without names); and how a count of things is said."""

from __future__ import annotations

from collections.abc import Mapping

from journeycode.model import Entity


def name_of(entity: Entity) -> str:
    """The entity's name; its id for a kind without names (a pain point)."""
    return str(getattr(entity, "name", entity.id))


def name(catalog: Mapping[str, Entity], ident: str) -> str:
    """The name of the entity ``ident`` in ``catalog``, or ``ident`` itself
    when the catalog has no such entity."""
    found = catalog.get(ident)
    return ident if found is None else name_of(found)


def counted(count: int, noun: str) -> str:
    """``1 file``, ``2 files``; ``info`` is a mass noun."""
    if noun == "info":
        return f"{count} info"
    return f"{count} {noun}{'' if count == 1 else 's'}"
