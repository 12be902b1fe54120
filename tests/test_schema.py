"""The JSON Schema itself: valid, documented, and agreeing with the sample maps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from journeycode import loader
from journeycode.schema import schema
from tests.conftest import ROOT

SCHEMA_FILE = ROOT / "schema" / "journeycode.schema.json"


def test_schema_is_valid_draft_2020_12() -> None:
    document = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


def test_packaged_schema_is_the_repository_schema() -> None:
    assert schema() == json.loads(SCHEMA_FILE.read_text("utf-8"))


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}/properties/{name}", sub
        for key, sub in node.items():
            yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            yield from _properties(sub, f"{path}/{index}")


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        target: dict[str, Any] = schema()["$defs"][ref.removeprefix("#/$defs/")]
        return target
    return node


@pytest.mark.parametrize(("path", "prop"), list(_properties(schema())), ids=lambda v: str(v))
def test_every_property_has_a_description(path: str, prop: dict[str, Any]) -> None:
    assert prop.get("description") or _resolve(prop).get("description"), path


def test_objects_reject_unknown_keys() -> None:
    for name, definition in schema()["$defs"].items():
        if definition.get("type") == "object" and "properties" in definition:
            assert definition.get("additionalProperties") is False, name


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "maps").rglob("*.yaml"))
)
def test_sample_maps_validate_with_the_reference_validator(path: str) -> None:
    data, _ = loader.parse((ROOT / path).read_text("utf-8"))
    checker = jsonschema.FormatChecker(formats=("date",))
    jsonschema.Draft202012Validator(schema(), format_checker=checker).validate(data)
