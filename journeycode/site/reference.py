"""The field reference page: every field of the format, from the schema, in
the kinds table's order."""

from __future__ import annotations

from typing import Any

from journeycode import kinds
from journeycode.schema import schema


def _titled() -> list[tuple[str, str | None]]:
    """The field reference's sections: the file, then each kind in the table's
    order with its parts (a KPI's measurements) after it."""
    found: list[tuple[str, str | None]] = [("File", None)]
    for kind in kinds.KINDS.values():
        found.append((kind.label[0].upper() + kind.label[1:], kind.definition))
        # A part's field is the plural of its definition: measurements, measurement.
        found.extend((part[:-1].capitalize(), kinds.definition(part[:-1])) for part in kind.parts)
    return found


def sections() -> list[dict[str, Any]]:
    """Each section of the field reference: its title, its description and its
    fields (name, whether required, type, description), from the schema."""
    document = schema()
    definitions = document["$defs"]

    def kind(node: dict[str, Any]) -> str:
        if "$ref" in node:
            target = node["$ref"].rsplit("/", 1)[-1]
            return {
                "ids": "list of ids",
                "texts": "list of text",
                "textOrTexts": "text or list",
            }.get(target, "id" if target == "id" else target)
        if "enum" in node:
            return " / ".join(map(str, node["enum"]))
        if "anyOf" in node:
            return " or ".join(kind(n) for n in node["anyOf"])
        if "allOf" in node:
            return kind(node["allOf"][0])
        if node.get("type") == "array" and "$ref" in node.get("items", {}):
            return "list of " + str(node["items"]["$ref"]).rsplit("/", 1)[-1]
        return str(node.get("type", "object"))

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
                    "type": kind(spec) if "const" not in spec else str(spec["const"]),
                    "description": spec.get("description") or target.get("description", ""),
                }
            )
        sections.append(
            {"title": title, "description": node.get("description", ""), "fields": fields}
        )
    return sections
