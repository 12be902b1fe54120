"""The JSON Schema itself: valid, documented, and agreeing with the sample maps."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from journeycode import ids, loader, suggest
from journeycode import schema as schema_module
from journeycode.problems import Fix, Level
from journeycode.schema import ecma_regex, schema
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


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("^[a-z]+$", "onboarding", True),
        ("^[a-z]+$", "onboarding\n", False),  # Python's $ matches before a final newline
        ("^[a-z$]+$", "a$b", True),  # a $ in a class is a character
        (r"^a\$$", "a$", True),  # so is an escaped one
        (r"^a\\$", "a\\", True),  # an escaped backslash, then the end
        ("^[0-9]{2}$", "٣٤", False),  # ECMA's classes are ASCII, not Unicode digits
        (r"^\d$", "٣", False),
    ],
)
def test_patterns_read_as_ecma_262(pattern: str, text: str, matches: bool) -> None:
    assert bool(ecma_regex(pattern).search(text)) is matches


def test_an_id_is_what_the_schema_says() -> None:
    """The language server's rename asks this: "x\n" was an id to Python's re."""
    assert [schema_module.is_id(t) for t in ("ask", "ask-2", "ask\n", "Ask", "-ask", "")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


SAMPLE_DATA = [
    loader.parse(path.read_text("utf-8"))[0] for path in sorted((ROOT / "maps").rglob("*.yaml"))
]
# Strings near the edges of the schema's patterns and formats.
EDGES = st.sampled_from(
    ["a\n", "\n", "a-", "-a", "A", "1.0.0\n", "01.0.0", "2026-02-30", "2026-13-01", "٣", "a b", ""]
)
LEAVES = st.one_of(
    EDGES,
    st.text(max_size=8),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)


def _leaves(node: Any, pointer: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*pointer, index))
    else:
        yield pointer


@st.composite
def near_valid(draw: st.DrawFn) -> Any:
    """A sample map with a few of its values (or keys) replaced."""
    data = copy.deepcopy(draw(st.sampled_from(SAMPLE_DATA)))
    for _ in range(draw(st.integers(1, 3))):
        *parents, last = draw(st.sampled_from(list(_leaves(data))))
        node = data
        for step in parents:
            node = node[step]
        if isinstance(node, dict) and draw(st.booleans()):
            node[draw(EDGES)] = node.pop(last)  # a key: propertyNames
        else:
            node[last] = draw(LEAVES)
    return data


@seed(20261201)
@settings(max_examples=300, deadline=None, database=None)
@given(data=near_valid())
def test_the_fast_validator_and_the_message_pass_agree(data: Any) -> None:
    """What jsonschema-rs accepts, the validator that writes the messages
    accepts, and the other way round (before, ``id: "onboarding\\n"`` was
    refused by the first and passed by the second)."""
    fast = schema_module._fast_validator()
    reference = schema_module._validator()
    assert fast.is_valid(data) == reference.is_valid(data)


def test_a_disagreement_is_never_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the message pass finds nothing where the fast validator refuses, the
    file still has a schema problem, where the fast validator points."""
    python_re = jsonschema.Draft202012Validator(schema())
    monkeypatch.setattr(schema_module, "_validator", lambda: python_re)
    text = 'journey:\n  id: "onboarding\\n"\n  name: X\n  personas: [p]\n'
    text += "  stages: [{id: s, name: S}]\n"
    data, positions = loader.parse(text)
    found = schema_module.validate(loader.SourceFile(Path("j.yaml"), "j.yaml", data, positions))
    assert [(p.line, p.col, p.rule, p.level) for p in found.problems] == [
        (2, 7, "schema", Level.ERROR)
    ]
    assert "does not match" in found.problems[0].message


def _schema_problems(text: str) -> list[Any]:
    data, positions = loader.parse(text)
    return schema_module.validate(
        loader.SourceFile(Path("j.yaml"), "j.yaml", data, positions)
    ).problems


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("бот-разблокировка", Fix("бот-разблокировка", "bot-razblokirovka")),
        ("Support Journey", Fix("Support Journey", "support-journey")),
        ("Café", Fix("Café", "cafe")),
        ("客服", None),  # no table for Chinese: the author writes the id
        ("---", None),  # nothing to keep
    ],
)
def test_an_invalid_id_carries_the_fix_its_hint_suggests(written: str, fix: Fix | None) -> None:
    """The language server's "Change to …" writes what the hint says to try."""
    (problem,) = _schema_problems(f"owners:\n  - {{id: '{written}', name: Team}}\n")
    assert problem.fix == fix
    assert fix is None or f"try '{fix.new}'" in (problem.hint or "")


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # The examples of the passport scheme (ICAO Doc 9303, part 3).
        ("Щукин", "shchukin"),
        ("Юлия", "iuliia"),
        ("Ёлкин", "elkin"),
        ("Объедков", "obieedkov"),
        ("Хабаровск", "khabarovsk"),
        ("Цой", "tsoi"),
        ("Київ", "kiiv"),
    ],
)
def test_cyrillic_is_written_as_passports_write_it(cyrillic: str, latin: str) -> None:
    assert ids.suggested(cyrillic) == latin


def test_every_cyrillic_letter_becomes_latin_letters_an_id_may_hold() -> None:
    for code in range(0x400, 0x460):
        letter = chr(code)
        if letter.isalpha():
            assert schema_module.is_id(ids.suggested(f"a{letter}a") or ""), letter


def _ids(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            yield node["id"]
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            yield from _ids(child)


SAMPLE_IDS = [ident for data in SAMPLE_DATA for ident in _ids(data)]


def test_no_did_you_mean_to_an_unrelated_id() -> None:
    """A Cyrillic word is compared as the id it reads as, so it is offered the
    id that transliterates it, and none of the sample maps' other ids."""
    assert "billing-chat" in SAMPLE_IDS
    assert suggest.closest("бот-разблокировка", SAMPLE_IDS) is None
    assert suggest.closest("бот-разблокировка", [*SAMPLE_IDS, "bot-razblokirovka"]) == (
        "bot-razblokirovka"
    )
    assert suggest.closest("billing-chta", SAMPLE_IDS) == "billing-chat"
