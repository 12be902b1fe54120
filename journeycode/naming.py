"""How the renderers and the site name an entity: by its name, or by its id
where there is none to give (a dangling reference, which the rules report, or a
kind without names); and how a count of things is said."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from journeycode.i18n import ngettext
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
    """``1 file``, ``2 files`` in the reader's language (Russian has three
    forms); ``info`` is a mass noun. ``noun`` is one of :data:`NOUNS`."""
    return NOUNS[noun](count).format(count=count)


NOUNS: Mapping[str, Callable[[int], str]] = {
    "file": lambda n: ngettext("{count} file", "{count} files", n),
    "problem": lambda n: ngettext("{count} problem", "{count} problems", n),
    "error": lambda n: ngettext("{count} error", "{count} errors", n),
    "warning": lambda n: ngettext("{count} warning", "{count} warnings", n),
    "info": lambda n: ngettext("{count} info", "{count} info", n),
    "journey": lambda n: ngettext("{count} journey", "{count} journeys", n),
}
"""What :func:`counted` counts, and its words for a count of it."""
