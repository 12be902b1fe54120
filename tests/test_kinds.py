"""The entity-kinds table agrees with the model and the schema, so that a field
or a kind is added in one place."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from journeycode import kinds, model
from journeycode.compiler import compile_workspace
from journeycode.model import Journey
from journeycode.schema import schema
from tests.conftest import ROOT

# The schema's $defs name of each kind.
COMMON = {"id", "src", "waive"}
DERIVED = {"dropped_ids", "breakdown"}  # from the model, or from measurement files


def _definition(kind: kinds.Kind) -> dict[str, typing.Any]:
    definition: dict[str, typing.Any] = schema()["$defs"][kind.definition]
    return definition


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_every_model_field_is_a_key_of_the_schema(kind: kinds.Kind) -> None:
    keys = set(_definition(kind)["properties"])
    names = {f.name for f in dataclasses.fields(kind.model)} - COMMON - DERIVED
    assert names <= keys, names - keys
    # Every key the schema allows is modelled (journeycode: is the file's, not an entity's).
    assert keys - names - COMMON == set()


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_references_and_children_name_real_fields_and_kinds(kind: kinds.Kind) -> None:
    names = {f.name for f in dataclasses.fields(kind.model)}
    for reference in kind.references:
        assert reference.field in names
        assert reference.target in kinds.KINDS
    for child_field, child in kind.children.items():
        assert child_field in names and child in kinds.KINDS
    if kind.section is not None:
        assert kind.section in schema()["properties"]


def test_the_builder_makes_what_the_model_classes_make() -> None:
    """kinds.build fills an entity's fields without its __init__: every
    entity of the samples equals, field by field, one made by its class."""
    workspace = compile_workspace(ROOT / "maps", "maps").workspace
    entities = list(kinds.walk(workspace))
    assert {type(e) for e in entities} == {k.model for k in kinds.KINDS.values()}
    for entity in entities:
        names = [f.name for f in dataclasses.fields(entity)]
        built = {k: v for k, v in vars(entity).items() if k in names}  # no cached properties
        assert set(built) == set(names)
        assert vars(type(entity)(**built)) == built


def test_literal_types_match_the_schema_enums() -> None:
    checked = 0
    for kind in kinds.KINDS.values():
        hints = typing.get_type_hints(kind.model)
        for name, spec in _definition(kind)["properties"].items():
            if "enum" not in spec:
                continue
            hint = hints[name]
            if typing.get_origin(hint) is not typing.Literal:  # Optional: Literal | None
                hint = next(a for a in typing.get_args(hint) if a is not type(None))
            values = typing.get_args(hint)
            assert list(values) == spec["enum"], (kind.name, name)
            checked += 1
    assert checked == 10


def test_the_walk_visits_every_entity_once() -> None:
    workspace = compile_workspace(ROOT / "maps", "maps").workspace
    walked = list(kinds.walk(workspace))
    assert len(walked) == len(set(walked))
    touchpoints = [e for e in walked if isinstance(e, model.Touchpoint)]
    assert len(touchpoints) == sum(len(j.touchpoints()) for j in workspace.entities(Journey))
    assert {kinds.of(e).name for e in walked} == set(kinds.KINDS)


@pytest.mark.parametrize(
    ("pointer", "unit"),
    [
        (("kpis", 3, "measurements", 1, "date"), ("kpis", 3, "measurements", 1)),
        (("kpis", 3, "name"), ("kpis", 3)),
        (
            ("journey", "stages", 0, "touchpoints", 2, "emotion", "p"),
            ("journey", "stages", 0, "touchpoints", 2),
        ),
        (
            ("journey", "stages", 1, "touchpoints", 0, "pain_points", 0, "severity"),
            ("journey", "stages", 1, "touchpoints", 0, "pain_points", 0),
        ),
        (("journey", "personas", 0), ("journey",)),
        (("journeycode",), ("journeycode",)),
    ],
)
def test_a_schema_error_prunes_the_innermost_entity_or_part(
    pointer: tuple[str | int, ...], unit: tuple[str | int, ...]
) -> None:
    assert kinds.prunable(pointer) == unit


def test_the_schema_allows_the_top_level_keys_of_the_table() -> None:
    # journeycode: holds the settings, not entities.
    assert set(schema()["properties"]) == {*kinds.TOP_LEVEL, "journeycode"}
    assert kinds.top_level_keys() == "personas:, channels:, owners:, systems:, kpis: or journey:"


def test_the_workspace_holds_every_kind_of_the_table() -> None:
    workspace = compile_workspace(ROOT / "maps", "maps").workspace
    assert set(workspace.definitions) == {kind.model for kind in kinds.HELD}
    for kind in kinds.HELD:
        entities = workspace.entities(kind.model)
        assert entities and {type(e) for e in entities} == {kind.model}
        assert tuple(workspace.by_id(kind.model).values()) == entities


def test_by_id_keeps_the_first_definition_of_an_id() -> None:
    src = model.Src(compile_workspace(ROOT / "maps", "maps").workspace.files[0], ())
    first, again = model.Owner("ops", src, name="first"), model.Owner("ops", src, name="again")
    workspace = model.Workspace(ROOT, (), {model.Owner: (first, again)})
    assert workspace.entities(model.Owner) == (first, again)
    assert dict(workspace.by_id(model.Owner)) == {"ops": first}
    assert workspace.entities(model.Channel) == () and workspace.by_id(model.Channel) == {}
