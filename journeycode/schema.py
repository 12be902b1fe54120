"""The JSON Schema of the format, and its errors as located, readable Problems."""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from journeycode import ids, kinds, pipeline_rules, suggest
from journeycode.i18n import N_, msg, msgs
from journeycode.loader import Pointer, SourceFile
from journeycode.model import Workspace
from journeycode.positions import Position
from journeycode.problems import Fix, Level, Problem, Subject
from journeycode.suggest import show

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

# What an item of each list is called in messages: the kinds' labels.
_ITEM_NAMES = {
    **{str(kind.section): kind.label for kind in kinds.CATALOG},
    **{
        field: kinds.KINDS[child].label
        for k in kinds.KINDS.values()
        for field, child in k.children.items()
    },
    **{part: part.removesuffix("s") for kind in kinds.KINDS.values() for part in kind.parts},
}
_JSON_TYPES = {
    "object": N_("a mapping"),
    "array": N_("a list"),
    "string": N_("text"),
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "boolean": N_("true or false"),
    "null": N_("nothing"),
}


@functools.cache
def schema_text() -> str:
    return resources.files("journeycode").joinpath("journeycode.schema.json").read_text("utf-8")


@functools.cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    # Imported here: a check of valid maps never needs the reference validator.
    import jsonschema

    checker = jsonschema.FormatChecker(formats=("date",))
    ecma = jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # untyped upstream
        jsonschema.Draft202012Validator, {"pattern": _ecma_pattern_keyword}
    )
    validator: jsonschema.protocols.Validator = ecma(schema(), format_checker=checker)
    return validator


def _ecma_pattern_keyword(
    validator: Any, pattern: str, instance: Any, subschema: Any
) -> Iterator[ValidationError]:
    """JSON Schema's ``pattern``, read as ECMA-262 reads it (as the fast
    validator and editors do), not as Python's ``re``."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_ECMA_END = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|(\$)", re.DOTALL)


@functools.cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    r"""An ECMA-262 regular expression (no flags) as a Python one: ``$`` matches
    only at the very end (Python's ``$`` also matches before a final newline,
    so ``id: "onboarding\n"`` passed), and ``\d``, ``\w``, ``\b`` are ASCII.
    (So is ``\s`` here, which ECMA-262 reads as Unicode white space: no pattern
    of the schema uses it.)"""
    translated = _ECMA_END.sub(lambda m: r"\Z" if m[1] else m[0], pattern)
    return re.compile(translated, re.ASCII)


@functools.cache
def _fast_validator() -> Any:
    """jsonschema-rs accepts valid documents quickly (None where it is not
    installed); the reference validator still finds and explains every error."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.Draft202012Validator(schema(), validate_formats=True)


@functools.cache
def _id_pattern() -> str:
    pattern: str = schema()["$defs"]["id"]["pattern"]
    return pattern


def is_id(text: str) -> bool:
    """Whether ``text`` is an id, as the schema (read as ECMA-262) says."""
    return bool(ecma_regex(_id_pattern()).search(text))


@dataclass(frozen=True)
class Validation:
    """The schema problems of one file, and the pointers of the nodes at fault."""

    problems: list[Problem]
    faults: list[Pointer]
    names: dict[Position, tuple[str, str]] = dataclasses.field(default_factory=dict)
    """The problems (by line and column) of a reference field whose text is
    not an id: the kind referred to, and the text (most often that entity's
    name). Only the workspace knows which entity that is (see :func:`named`)."""


def validate(file: SourceFile) -> Validation:
    """Every schema violation of one file, located and in document order."""
    fast = _fast_validator()
    try:
        if fast is not None and fast.is_valid(file.data):
            return Validation([], [])
    except (ValueError, OverflowError):
        fast = None  # data the fast validator cannot take (e.g. .inf): the reference decides
    # One message per location: a value that breaks two keywords (a date's
    # format and pattern) is one mistake.
    problems: dict[tuple[int, int], Problem] = {}
    faults: list[Pointer] = []
    names: dict[Position, tuple[str, str]] = {}
    for error in _validator().iter_errors(file.data):
        if _is_non_finite(error.instance):
            continue  # reported once, below
        for problem in _problems(file, error):
            problems.setdefault((problem.line, problem.col), problem)
        faults.append(_fault(error))
        named = _named(file, error)
        if named is not None:
            names[named[0]] = named[1], str(error.instance)

    def problem_at(pointer: Pointer, message: str, hint: str) -> None:
        found = _problem(file, pointer, message, hint)
        problems.setdefault((found.line, found.col), found)
        faults.append(pointer)

    for pointer, value in _non_finite(file.data, ()):
        written = ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
        problem_at(
            pointer,
            msg(
                "{field}: {value} is not a number journeycode can use",
                field=_field(pointer),
                value=written,
            ),
            msg("give a finite number"),
        )
    if not problems and fast is not None:
        # The two validators disagree: the file is never taken as valid.
        for error in fast.iter_errors(file.data):
            pointer = tuple(error.instance_path)
            problem_at(
                pointer,
                msg("{field}: {message}", field=_field(pointer), message=error.message),
                msg("this is journeycode's fault as much as the map's: please report it"),
            )
    return Validation(sorted(problems.values()), faults, names)


def _referred(error: ValidationError) -> str | None:
    """The kind whose id ``error`` finds is not one: a reference field's
    value, or the key of a mapping keyed by ids (emotion)."""
    if error.validator != "pattern" or error.validator_value != _id_pattern():
        return None
    pointer = tuple(error.absolute_path)
    if "propertyNames" in error.relative_schema_path:
        return kinds.keyed_at(pointer)
    reference = kinds.reference_at(pointer)
    return None if reference is None else reference.target


def _named(file: SourceFile, error: ValidationError) -> tuple[Position, str] | None:
    """Where the problem of ``error`` is, and the kind referred to, when
    ``error`` is about the text of a reference."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        error = _best_branch(error)
    target = _referred(error)
    if target is None:
        return None
    pointer = tuple(error.absolute_path)
    if "propertyNames" in error.relative_schema_path:
        return file.locate((*pointer, str(error.instance)), key=True), target
    return file.locate(pointer), target


def named(file: SourceFile, validation: Validation, workspace: Workspace) -> Iterator[Problem]:
    """The problems of ``validation`` (of ``file``), where a reference field
    holds the name of an entity of the kind it refers to (or a near spelling
    of it, or its id transliterated) with the hint and the fix that write that
    entity's id."""
    for problem in validation.problems:
        found = validation.names.get((problem.line, problem.col))
        if found is None:
            yield problem
            continue
        kind, text = kinds.KINDS[found[0]], found[1]
        if kind.shared:
            candidates = [
                (entity.id, _name(vars(entity))) for entity in workspace.entities(kind.model)
            ]
        else:  # its own journey's, read from the file: those at fault are left out of the model
            candidates = [
                (item["id"], _name(item))
                for inner, item in kinds.nested(kinds.JOURNEY, file.data.get("journey"))
                if inner is kind and isinstance(item.get("id"), str) and is_id(item["id"])
            ]
        written = _by_name(text, candidates)
        if written is None:
            yield problem
            continue
        ident, name = written
        yield dataclasses.replace(
            problem,
            hint=msg(
                "write the id of {kind} {name}: '{id}'",
                kind=msg(kind.label),
                name=show(name),
                id=ident,
            ),
            fix=suggest.fix(text, ident),
        )


def _name(fields: dict[str, Any]) -> str:
    """What an entity is called: its name (a pain point's text)."""
    name = fields.get("name") or fields.get("text")
    return name if isinstance(name, str) else ""


def _by_name(text: str, candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The (id, name) that ``text`` most likely names: by the name, by the
    id or the name transliterated, or by the closest name."""

    def plain(name: str) -> str:
        return " ".join(name.split()).casefold()

    names = {plain(name): (ident, name) for ident, name in reversed(candidates) if name}
    read = {ids.suggested(name): (ident, name) for ident, name in reversed(candidates) if name}
    by_id = {ident: (ident, name) for ident, name in candidates}
    guess = ids.suggested(text)
    found = names.get(plain(text)) or (by_id.get(guess) or read.get(guess) if guess else None)
    close = None if found else suggest.closest(plain(text), names)
    return found or (names[close] if close else None)


def _is_non_finite(value: Any) -> bool:
    return type(value) is float and not math.isfinite(value)


def _non_finite(node: Any, pointer: Pointer) -> Iterator[tuple[Pointer, float]]:
    """Every .nan and .inf: JSON Schema has no way to refuse them."""
    if _is_non_finite(node):
        yield pointer, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _non_finite(value, (*pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _non_finite(value, (*pointer, index))


def _fault(error: ValidationError) -> Pointer:
    """The node to blame: an unknown key rather than the mapping that holds it."""
    pointer: Pointer = tuple(error.absolute_path)
    instance: Any = error.instance
    subschema: Any = error.schema
    if error.validator == "additionalProperties":
        extra = sorted(set(instance) - set(subschema.get("properties", {})))
        return (*pointer, extra[0]) if extra else pointer
    return pointer


# What a validation error says: where (a pointer, its key or its value), the
# message and a hint.
_Said = tuple[Pointer, str, "str | None", bool, "Fix | None"]
"""Where, the message, the hint, whether at the key, and the fix the hint suggests."""


@dataclass(frozen=True)
class _Fault:
    """One validation error, with what its messages need."""

    error: ValidationError
    pointer: Pointer
    field: str
    where: str
    instance: Any
    constraint: Any
    subschema: Any
    bare: dict[Pointer, Position]

    def say(self, message: str, hint: str | None = None, fix: Fix | None = None) -> _Said:
        return self.pointer, message, hint, False, fix


def _problems(file: SourceFile, error: ValidationError) -> Iterator[Problem]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        error = _best_branch(error)
    pointer: Pointer = tuple(error.absolute_path)
    fault = _Fault(
        error,
        pointer,
        _field(pointer),
        _entity(file.data, pointer),
        error.instance,
        error.validator_value,
        error.schema,
        file.positions.bare,
    )
    structural = error.validator in _STRUCTURE or "propertyNames" in error.relative_schema_path
    explain = _structure if structural else _value
    for target, message, hint, key, fix in explain(fault):
        # A bare key's mistake is the ',' before it.
        at = file.positions.bare.get(target) if key else None
        yield _problem(file, target, message, hint, key=key, fix=fix, at=at)


def _problem(
    file: SourceFile,
    pointer: Pointer,
    message: str,
    hint: str | None,
    *,
    key: bool = False,
    fix: Fix | None = None,
    at: Position | None = None,
) -> Problem:
    """A schema problem at ``pointer`` (its key, with ``key``; or ``at``), with
    what it is about."""
    line, col = at or file.locate(pointer, key=key)
    subject, detail = about(file.data, pointer)
    return Problem(
        file.display,
        line,
        col,
        pipeline_rules.SCHEMA,
        Level.ERROR,
        message,
        hint,
        subject=subject,
        detail=detail,
        fix=fix,
    )


_STRUCTURE = frozenset({"additionalProperties", "required", "type", "anyOf"})


def _structure(f: _Fault) -> Iterator[_Said]:
    """Messages about the shape of the data: keys and types."""
    validator, instance, field = f.error.validator, f.instance, f.field
    if "propertyNames" in f.error.relative_schema_path:
        target = _referred(f.error)
        hint, fix = _id_hint(instance) if target is None else (_referring(target), None)
        yield (
            (*f.pointer, instance),
            msg("{field}: key {key} is not a valid id", field=field, key=show(instance)),
            hint,
            True,
            fix,
        )
    elif validator == "additionalProperties":
        allowed = f.subschema.get("properties", {})
        cut = _cut_texts(f, allowed)
        for extra in sorted(set(instance) - set(allowed)):
            if extra in cut:
                said = cut[extra]
                if said is not None:
                    yield said
                continue
            comma = _comma_hint(extra, instance[extra]) or _glued_hint(extra, instance[extra])
            close = None if comma else suggest.closest(extra, allowed)
            hint = (
                comma or suggest.hint(close) or msg("allowed keys: {keys}", keys=", ".join(allowed))
            )
            message = msg("unknown key {key}{where}", key=show(extra), where=f.where)
            yield (*f.pointer, extra), message, hint, True, suggest.fix(extra, close)
    elif validator == "required":
        for name in f.constraint:
            if name not in instance:
                yield f.say(msg("missing required key '{key}'{where}", key=name, where=f.where))
    elif validator == "type" and not f.pointer:
        yield f.say(
            msg("a map file must be a mapping, got {value}", value=_kind(instance)),
            msg("start with a key: {keys}", keys=kinds.top_level_keys()),
        )
    elif validator == "type" and instance is None and (glued := _GLUED.fullmatch(field)):
        # Only in {…} does a key with no space after its ':' read as a key.
        key, value = glued.groups()
        yield (
            f.pointer,
            msg(
                "no space after the ':' of {key} inside {{…}}{where}",
                key=show(key),
                where=f.where,
            ),
            msg(
                "write '{key}: {value}': inside {{…}} too, a key's ':' is followed by a space",
                key=key,
                value=value,
            ),
            True,
            None,
        )
    elif validator == "type":
        yield f.say(_expected_got(field, _expected(f.constraint), instance), _type_hint(f))
    else:  # anyOf
        types: list[Any] = [branch.validator_value for branch in f.error.context or ()]
        yield f.say(_expected_got(field, _or(list(map(_expected, types))), instance))


def _value(f: _Fault) -> Iterator[_Said]:
    """Messages about a value of the right type that the format does not allow."""
    validator, instance, field, constraint = f.error.validator, f.instance, f.field, f.constraint
    if validator == "enum":
        choices = [str(choice) for choice in constraint]
        close = suggest.closest(str(instance), choices)
        yield f.say(
            msg(
                "{field}: {value} is not one of {choices}",
                field=field,
                value=show(instance),
                choices=", ".join(choices),
            ),
            suggest.hint(close),
            suggest.fix(str(instance), close),
        )
    elif validator == "pattern" and (target := _referred(f.error)) is not None:
        yield f.say(_not_an_id(field, instance), _referring(target))
    elif validator == "pattern":
        yield f.say(*_pattern_message(field, instance, constraint))
    elif validator == "format":
        yield f.say(
            msg(
                "{field}: {value} is not a valid date (YYYY-MM-DD)",
                field=field,
                value=show(instance),
            )
        )
    elif validator == "minimum":
        yield f.say(
            msg(
                "{field}: {value} is out of range; it must be at least {bound}",
                field=field,
                value=repr(instance),
                bound=str(constraint),
            )
        )
    elif validator == "maximum":
        yield f.say(
            msg(
                "{field}: {value} is out of range; it must be at most {bound}",
                field=field,
                value=repr(instance),
                bound=str(constraint),
            )
        )
    elif validator == "minLength":
        yield f.say(msg("{field}: must not be empty", field=field))
    elif validator in ("minItems", "maxItems") and f.subschema.get("minItems") == f.subschema.get(
        "maxItems"
    ):
        # English writes one form for every count; Russian has three.
        yield f.say(
            msgs(
                "{field}: must have exactly {count} items",
                "{field}: must have exactly {count} items",
                constraint,
                field=field,
            )
        )
    elif validator == "minItems":
        yield f.say(
            msgs(
                "{field}: must have at least {count} item(s)",
                "{field}: must have at least {count} item(s)",
                constraint,
                field=field,
            )
        )
    elif validator == "uniqueItems":
        seen: set[str] = set()
        for index, item in enumerate(instance):
            marker = json.dumps(item, sort_keys=True)
            if marker in seen:
                yield (
                    (*f.pointer, index),
                    msg("{field}: {value} is listed twice", field=field, value=show(item)),
                    None,
                    False,
                    None,
                )
                break
            seen.add(marker)
    elif validator == "const":
        yield f.say(
            msg(
                "{field}: format version {version} is not supported; "
                "this journeycode reads version {supported}",
                field=field,
                version=show(instance),
                supported=str(constraint),
            )
        )
    else:
        yield f.say(msg("{field}: {message}", field=field, message=f.error.message))


_COMMENT_HINT = msg("if the value starts with '#', quote it: '#' after a space starts a comment")


def _cut_texts(f: _Fault, allowed: dict[str, Any]) -> dict[str, _Said | None]:
    """The unknown bare keys of a flow mapping that follow a text value
    (``{description: Москва, Казань, Сочи}``): the rest of that text, cut off
    by unquoted commas. The first of each run says so, once, at the first
    comma; the others (None) say nothing."""
    cut: dict[str, _Said | None] = {}
    text_key: str | None = None
    run: list[str] = []

    def said() -> None:
        if text_key is None or not run:
            return
        written = ", ".join([f.instance[text_key], *run])
        quoted = written.replace("\\", "\\\\").replace('"', '\\"')
        cut[run[0]] = (
            (*f.pointer, run[0]),
            msg(
                "the ',' after {text} ends the value of '{key}'{where}",
                text=show(f.instance[text_key]),
                key=text_key,
                where=f.where,
            ),
            msg(
                'the comma ends the value: quote it: {key}: "{quoted}"', key=text_key, quoted=quoted
            ),
            True,
            None,
        )
        cut.update(dict.fromkeys(run[1:]))

    for name, value in f.instance.items():
        if (*f.pointer, name) in f.bare and name not in allowed and value is None:
            run.append(name)
            continue
        said()
        text_key, run = (name if isinstance(value, str) else None), []
    said()
    return cut


def _type_hint(f: _Fault) -> str | None:
    """How to write a value of the wrong type as the type wanted, where the
    mistake is a common one of YAML's layout."""
    instance, wanted = f.instance, f.constraint
    if instance is None:
        return _COMMENT_HINT
    if wanted == "object" and isinstance(instance, list):
        return msg(
            "remove the '- ': {field} holds one mapping, its keys indented under it",
            field=f.field,
        )
    if wanted == "array" and isinstance(instance, dict):
        item = _ITEM_NAMES.get(f.field)
        return msg(
            "start each {item} with '- ': {field} holds a list ('- id: …' for each)",
            item=msg(item) if item else msg("item"),
            field=f.field,
        )
    if wanted == "object" and isinstance(instance, str) and "\n" not in instance:
        return _glued_hint(instance, None)
    return None


def _glued_hint(key: str, value: Any) -> str | None:
    """A key with no value that holds a ':' with no space after it."""
    glued = _GLUED.fullmatch(key) if value is None else None
    if glued is None:
        return None
    return msg(
        "write '{key}: {value}': a key's ':' is followed by a space", key=glued[1], value=glued[2]
    )


_GLUED = re.compile(r"([^\s:]+):(\S.*)")


def _comma_hint(key: str, value: Any) -> str | None:
    """A key of several words with no value is most likely the rest of a text
    that an unquoted ',' cut in two inside {…}."""
    if value is None and " " in key.strip():
        return msg("quote the whole text: inside {…} an unquoted ',' ends the value")
    return None


def _best_branch(error: ValidationError) -> ValidationError:
    """The error of the anyOf branch the author most likely meant."""
    branches = list(error.context or ())
    depth = len(error.absolute_path)
    deeper = [e for e in branches if len(e.absolute_path) > depth]
    for candidates in (deeper, [e for e in branches if e.validator != "type"]):
        if candidates:
            chosen = min(candidates, key=lambda e: e.validator == "type")
            if chosen.validator in ("anyOf", "oneOf") and chosen.context:
                return _best_branch(chosen)
            return chosen
    return error


def _referring(target: str) -> str:
    """The hint for text that is no id where an id of ``target`` is due: a
    transliteration would be an id nothing defines; the entity named is found
    in the workspace (see :func:`named`)."""
    return msg(
        "refer to the {kind} by its id (Latin letters a–z, digits and '-'), "  # noqa: RUF001
        "not by its name",
        kind=msg(kinds.KINDS[target].label),
    )


def _pattern_message(field: str, value: Any, pattern: str) -> tuple[str, str | None, Fix | None]:
    shown = show(value)
    if pattern == _id_pattern():
        return (_not_an_id(field, value), *_id_hint(value))
    if pattern.endswith("-[0-9]{2}-[0-9]{2}$"):
        said = msg("{field}: {value} is not a date (YYYY-MM-DD)", field=field, value=shown)
        return said, None, None
    if pattern.startswith("^(0|[1-9]"):
        return (
            msg("{field}: {value} is not a semantic version", field=field, value=shown),
            msg("write MAJOR.MINOR.PATCH, e.g. 2.1.0"),
            None,
        )
    said = msg(
        "{field}: {value} does not match {pattern}", field=field, value=shown, pattern=pattern
    )
    return said, None, None


def _not_an_id(field: str, value: Any) -> str:
    return msg("{field}: {value} is not a valid id", field=field, value=show(value))


def _id_hint(value: Any) -> tuple[str, Fix | None]:
    """How to write an id for ``value``, and the fix that writes the suggested one."""
    text = str(value)
    if ids.foreign(text):
        return (
            msg(
                "write an id in Latin letters a–z, digits and '-' (for example from "  # noqa: RUF001
                "the name's meaning); keep the text as the name"
            ),
            None,
        )
    suggestion = ids.suggested(text)
    if suggestion is None:
        return msg("ids use Latin letters a–z, digits and '-'"), None  # noqa: RUF001
    if ids.cyrillic(text):
        hint = msg(
            "ids use Latin letters a–z, digits and '-': try '{id}' (Cyrillic written as in "  # noqa: RUF001
            "passports, ICAO 9303); keep the text as the name",
            id=suggestion,
        )
    elif text.isascii():
        hint = msg("ids use Latin letters a–z, digits and '-': try '{id}'", id=suggestion)  # noqa: RUF001
    else:
        hint = msg(
            "ids use Latin letters a–z, digits and '-': try '{id}'; keep the text as the name",  # noqa: RUF001
            id=suggestion,
        )
    return hint, suggest.fix(text, suggestion)


def _field(pointer: Pointer) -> str:
    names = [part for part in pointer if isinstance(part, str)]
    return names[-1] if names else msg("file")


def about(data: Any, pointer: Pointer) -> tuple[Subject | None, tuple[str, ...]]:
    """What a problem at ``pointer`` is about: the innermost entity holding it
    that has an id, and the path from that entity to the value (so that the
    problem is matched across revisions by its place in the model, not by its
    message); for a value outside every entity, or in one with no id, no
    subject and the whole path from the top of the file."""
    path = tuple(str(part) for part in pointer)
    for end in range(len(pointer), 0, -1):
        kind = kinds.kind_at(pointer[:end])
        if kind is None:
            continue
        node = data
        try:
            for part in pointer[:end]:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            return None, path
        ident = node.get("id") if isinstance(node, dict) else None
        if not isinstance(ident, str):
            return None, path
        return Subject(kind.name, ident), path[end:]
    return None, path


def _entity(data: Any, pointer: Pointer) -> str:
    """' in touchpoint 'x'' for the innermost entity containing ``pointer``."""
    node = data
    label: str | None = None
    ident: Any = None
    parent: str | int | None = None
    for part in pointer:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(parent, str) and parent in _ITEM_NAMES:
            label = _ITEM_NAMES[parent]
            ident = node.get("id") if isinstance(node, dict) else None
        elif part == "journey" and parent is None:
            label = kinds.JOURNEY.label
            ident = node.get("id") if isinstance(node, dict) else None
        parent = part
    if label is None:
        return ""
    if isinstance(ident, str):
        return msg(" in {kind} {id}", kind=msg(label), id=show(ident))
    return msg(" in {kind}", kind=msg(label))


def _expected(json_type: str | list[str]) -> str:
    if isinstance(json_type, list):
        return _or([_expected(t) for t in json_type])
    return msg(_JSON_TYPES[json_type]) if json_type in _JSON_TYPES else json_type


def _or(choices: list[str]) -> str:
    """``a or b or c``, said as one phrase in every language."""
    said = choices[0]
    for choice in choices[1:]:
        said = msg("{one} or {other}", one=said, other=choice)
    return said


def _expected_got(field: str, expected: str, value: Any) -> str:
    return msg(
        "{field}: expected {expected}, got {value}",
        field=field,
        expected=expected,
        value=_kind(value),
    )


def _kind(value: Any) -> str:
    if value is None:
        return msg("nothing")
    if isinstance(value, bool):
        return msg("true/false")
    if isinstance(value, (int, float)):
        return msg("the number {number}", number=repr(value))
    if isinstance(value, str):
        return msg("the text {text}", text=show(value))
    return show(value)
