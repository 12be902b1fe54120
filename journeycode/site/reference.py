"""The field reference page: every field of the format, from the schema, in
the kinds table's order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from journeycode import kinds
from journeycode.i18n import N_, _
from journeycode.schema import schema

_PARTS = {"measurement": N_("measurement")}
"""The words for the kinds' parts (a KPI's ``measurements``), by definition."""
_TYPES = {
    "ids": N_("list of ids"),
    "texts": N_("list of text"),
    "textOrTexts": N_("text or list"),
    "id": N_("id"),
    "text": N_("text"),
    "date": N_("date"),
    "string": N_("string"),
    "number": N_("number"),
    "integer": N_("integer"),
    "boolean": N_("boolean"),
    "array": N_("array"),
    "object": N_("object"),
    "emotionValue": N_("number from -2 to 2"),
    "waive": N_("rule ids, each with its reason"),
}
"""The words for the schema's own types and shared definitions."""


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def _titled() -> list[tuple[str, str | None]]:
    """The field reference's sections: the file, then each kind in the table's
    order with its parts (a KPI's measurements) after it."""
    found: list[tuple[str, str | None]] = [(_("File"), None)]
    for kind in kinds.KINDS.values():
        found.append((_capital(_(kind.label)), kind.definition))
        # A part's field is the plural of its definition: measurements, measurement.
        found.extend(
            (_capital(_(_PARTS[part[:-1]])), kinds.definition(part[:-1])) for part in kind.parts
        )
    return found


def sections() -> list[dict[str, Any]]:
    """Each section of the field reference: its title, its description and its
    fields (name, whether required, type, description), from the schema."""
    document = schema()
    definitions = document["$defs"]
    # A list of a kind's entries reads as the kind's word.
    named = {kind.definition: kind.label for kind in kinds.KINDS.values()}
    named.update(_PARTS)

    def word(name: str) -> str:
        found = _TYPES.get(name) or named.get(name)
        return _(found) if found else name

    def kind(node: dict[str, Any]) -> str:
        if "$ref" in node:
            return word(node["$ref"].rsplit("/", 1)[-1])
        if "enum" in node:
            # The values as they are written in a map: code, in every language.
            return " / ".join(f"`{value}`" for value in node["enum"])
        if "anyOf" in node:
            said = kind(node["anyOf"][0])
            for other in node["anyOf"][1:]:
                said = _("{first} or {second}").format(first=said, second=kind(other))
            return said
        if "allOf" in node:
            return kind(node["allOf"][0])
        if node.get("type") == "array" and "$ref" in node.get("items", {}):
            items = str(node["items"]["$ref"]).rsplit("/", 1)[-1]
            return _("list of {items}").format(items=word(items))
        return word(str(node.get("type", "object")))

    sections = []
    for title, name in _titled():
        node = document if name is None else definitions[name]
        fields = []
        for field_name, spec in node["properties"].items():
            target = definitions.get(spec.get("$ref", "").rsplit("/", 1)[-1], {})
            fields.append(
                {
                    "name": field_name,
                    "required": field_name in node.get("required", ()),
                    "type": kind(spec) if "const" not in spec else f"`{spec['const']}`",
                    "description": _said(spec.get("description") or target.get("description")),
                }
            )
        sections.append(
            {"title": title, "description": _said(node.get("description")), "fields": fields}
        )
    return sections


def _said(description: str | None) -> str:
    return _(description) if description else ""


def prose() -> Iterator[str]:
    """Every description the schema holds, for the catalogs."""

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    yield from walk(schema())
