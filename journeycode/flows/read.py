"""Flow files: the ``*.json`` below the workspace's ``flows/`` folder
(``flows: {path: …}`` in ``journeycode.yaml`` moves it), read into
:class:`journeycode.flows.model.Flow`.

A file may hold a flow as each platform exports it, or wrapped as it is
deployed: an Amazon Connect flow (``Version``, ``StartAction``, ``Actions``),
the same as ``Content`` of the API's description of a flow or of a
CloudFormation ``AWS::Connect::ContactFlow``/``ContactFlowModule``, or as
``content`` of a Terraform ``aws_connect_contact_flow`` (a ``.tf.json``
resource, ``terraform show -json`` or a state file); a Twilio Studio flow
(``initial_state``, ``states``), bare, as ``definition`` of the API's flow
resource or of a Terraform ``twilio_studio_flow``. ``Content`` may be the flow
itself or a JSON string of it (then every problem inside it is located at the
string).

The text is parsed by :mod:`json` (fast: a workspace holds hundreds of flows);
where a node is, is worked out only when a problem needs it, by the maps'
own loader. Problems are data, each at ``file:line:col``, rule ``flows``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from journeycode import discover, loader, pipeline_rules
from journeycode.flows import connect, studio
from journeycode.flows.model import Flow
from journeycode.i18n import msg
from journeycode.loader import Pointer
from journeycode.model import Src
from journeycode.positions import Position, position
from journeycode.problems import Level, Problem, Subject

MAX_BYTES = loader.MAX_BYTES
SUFFIX = ".json"


class FlowFile(loader.SourceFile):
    """A flow file: its data from :mod:`json`, the position of a node found
    only when a problem asks (most flow files have none), by :func:`locate`."""

    def __init__(self, path: Path, display: str, data: Any, text: str):
        self.path, self.display, self.data, self.digest = path, display, data, ""
        self.text = text

    def locate(self, pointer: Pointer, *, key: bool = False) -> Position:
        return locate(self.text, pointer, key=key)


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def locate(text: str, pointer: Pointer, *, key: bool = False) -> Position:
    """Where the node at ``pointer`` of a JSON text starts (its key's quote,
    with ``key``), or its nearest ancestor that exists. The values before it
    are skipped by the json module's own scanner, so locating costs one pass
    over the text before the node, at C speed, and nothing is kept."""
    at = _SPACE.match(text).end()  # type: ignore[union-attr]
    key_at: int | None = None
    try:
        for part in pointer:
            opening = text[at : at + 1]
            if opening not in ("{", "["):
                break
            closing = "}" if opening == "{" else "]"
            here = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
            index, found = 0, False
            while text[here] != closing:
                if opening == "{":
                    name, after = json.decoder.scanstring(text, here + 1)  # type: ignore[attr-defined]
                    value = _SPACE.match(text, _SPACE.match(text, after).end() + 1).end()  # type: ignore[union-attr]
                    if name == part:
                        key_at, at, found = here, value, True
                        break
                else:
                    value = here
                    if index == part:
                        key_at, at, found = None, value, True
                        break
                _, end = _DECODER.raw_decode(text, value)
                here = _SPACE.match(text, end).end()  # type: ignore[union-attr]
                if text[here] == ",":
                    here = _SPACE.match(text, here + 1).end()  # type: ignore[union-attr]
                index += 1
            if not found:
                key_at = None
                break
    except (IndexError, ValueError):  # a text the json module read, so only at its end
        pass
    return position(text, key_at if key and key_at is not None else at)


class EmbeddedFile(loader.SourceFile):
    """A flow written as a JSON string inside a file: every node of it is
    where that string is."""

    def __init__(self, outer: loader.SourceFile, pointer: Pointer, data: Any):
        self.path, self.display, self.data, self.digest = outer.path, outer.display, data, ""
        self.outer, self.pointer = outer, pointer

    def locate(self, pointer: Pointer, *, key: bool = False) -> Position:
        return self.outer.locate(self.pointer)


@dataclass
class Read:
    """What the flow files gave: the flows by id, problems, the files read,
    and each type of step no reader knows, where it is first seen."""

    flows: dict[str, Flow] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unknown_types: dict[str, Src] = field(default_factory=dict)
    unread: set[str] = field(default_factory=set)
    """The ids of the files that could not be read (each says why): a
    reference to one is no second mistake."""


def is_flow_file(parts: Sequence[str], folder: str) -> bool:
    """Whether the file at ``parts`` (below the workspace) is a flow file: a
    ``*.json`` below the flows folder, in no hidden folder under it. A
    revision's files are picked by this too."""
    base = PurePosixPath(folder).parts
    inside = parts[len(base) :]
    return (
        tuple(parts[: len(base)]) == base
        and len(inside) > 0
        and inside[-1].lower().endswith(SUFFIX)
        and not any(part.startswith(".") for part in inside)
    )


def files(root: Path, folder: str) -> list[Path]:
    """The flow files, sorted; hidden folders and symlinks are left alone."""
    top = root / folder
    if not top.is_dir() or top.is_symlink():
        return []
    found = []
    for here, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(here) / name
            if is_flow_file(path.relative_to(root).parts, folder) and not path.is_symlink():
                found.append(path)
    return sorted(found)


Kept = dict[Path, tuple[tuple[str, bytes], list[Flow], Read]]
"""What each flow file gave the last compile of a caller that compiles the
folder again in one process (the language server, ``mkdocs serve``), by
path: its name and bytes, its flows, and what else it added to the :class:`Read`."""


def read(root: Path, display_root: str, folder: str, kept: Kept | None = None) -> Read:
    """The flow files below ``folder``; ``kept``, where given, holds what each
    file gave before, taken again for a file whose name and bytes are the same
    (and updated to this read's files)."""
    out = Read()
    first: dict[str, Flow] = {}
    paths = files(root, folder)
    if kept is not None:
        for gone in kept.keys() - set(paths):
            del kept[gone]
    for path in paths:
        display = discover.display(display_root, path.relative_to(root))
        out.files.append(display)
        for flow in _read_kept(path, display, out, kept):
            if flow.id in first:
                line, _ = first[flow.id].src.file.locate(first[flow.id].src.pointer)
                other = f"{first[flow.id].display}:{line}"
                out.problems.append(
                    _problem(
                        flow.src,
                        msg(
                            "flow id '{id}' is used already, by {other}",
                            id=flow.id,
                            other=other,
                        ),
                        msg("rename one of the two files"),
                        flow.id,
                    )
                )
                continue
            first[flow.id] = flow
    out.flows = first
    return out


def _problem(
    src: Src, message: str, hint: str | None = None, flow: str | None = None, *, key: bool = False
) -> Problem:
    found = src.problem(pipeline_rules.FLOWS, Level.ERROR, message, hint, key=key)
    if flow is None:
        return found
    # What the problem is about, as the diff matches it across revisions: the
    # node of the flow it is at.
    return Problem(
        found.path,
        found.line,
        found.col,
        found.rule,
        found.level,
        found.message,
        found.hint,
        subject=Subject("flow", flow),
        detail=tuple(map(str, src.pointer)),
    )


def _read_kept(path: Path, display: str, out: Read, kept: Kept | None) -> list[Flow]:
    """The file's flows, what else it gives added to ``out``: from ``kept``
    when the file is what it was."""
    if kept is None:
        return list(_read_file(path, display, out))
    try:
        key = (display, loader.read_bytes(path, MAX_BYTES))
    except (loader.LoadError, OSError):
        kept.pop(path, None)
        return list(_read_file(path, display, out))  # which says why
    entry = kept.get(path)
    if entry is None or entry[0] != key:
        own = Read()
        entry = kept[path] = key, list(_read_file(path, display, own, key[1])), own
    _, flows, own = entry
    out.problems.extend(own.problems)
    out.unread.update(own.unread)
    for kind, where in own.unknown_types.items():
        out.unknown_types.setdefault(kind, where)  # the first file's, as read in turn
    return flows


def _read_file(path: Path, display: str, out: Read, raw: bytes | None = None) -> Iterator[Flow]:
    """The file's flows (its bytes ``raw`` where read already)."""
    stem = path.name[: -len(SUFFIX)]

    def fail(message: str, hint: str | None = None, where: Position = (1, 1)) -> None:
        out.unread.add(stem)
        out.problems.append(
            Problem(display, *where, pipeline_rules.FLOWS, Level.ERROR, message, hint)
        )

    try:
        bytes_read = loader.read_bytes(path, MAX_BYTES) if raw is None else raw
        text = bytes_read.decode("utf-8-sig")
    except loader.LoadError as error:
        return fail(error.message, error.hint)
    except UnicodeDecodeError as error:
        byte = format(bytes_read[error.start], "#04x")
        before = bytes_read[: error.start].decode("utf-8", "replace")
        return fail(
            msg("the file is not UTF-8: byte {byte} cannot be decoded", byte=byte),
            msg("save the file as UTF-8"),
            position(before, len(before)),
        )
    except OSError as error:
        return fail(msg("cannot read the file: {reason}", reason=error.strerror))
    data = _json(text, fail)
    if data is None:
        return None
    file = FlowFile(path, display, data, text)
    found = list(_unwrap(file, (), data, 0))
    if not found:
        return fail(
            msg("this is no flow journeycode can read"),
            msg(
                "export an Amazon Connect flow (StartAction, Actions) or a Twilio Studio "
                "flow (initial_state, states)"
            ),
        )
    for name, src, content, holder in found:
        ident = stem if len(found) == 1 else name or stem
        yield _flow(ident, src, content, holder, out)


def _json(text: str, fail: Any) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        fail(
            msg("this is not valid JSON"),
            msg("look for a missing comma, quote or bracket here"),
            position(text, error.pos),
        )
    except RecursionError:
        fail(msg("the flow is nested too deeply to be read"))
    return None


_Found = tuple[str, Src, Any, Mapping[str, Any]]
"""A flow found in a file: the name of what holds it, where, its data, and
the mapping that holds it (with its name, ARN or id; the flow itself when bare)."""

_CONNECT_RESOURCES = frozenset({"AWS::Connect::ContactFlow", "AWS::Connect::ContactFlowModule"})
_TERRAFORM = frozenset(
    {"aws_connect_contact_flow", "aws_connect_contact_flow_module", "twilio_studio_flow"}
)


def _unwrap(file: loader.SourceFile, at: Pointer, data: Any, depth: int) -> Iterator[_Found]:
    """The flows a document holds, bare or wrapped (see the module's docstring)."""
    if not isinstance(data, dict) or depth > 6:
        return
    if connect.is_flow(data) or studio.is_flow(data):
        yield "", Src(file, at), data, data
        return
    for key in ("Content", "content", "definition", "ContactFlow", "ContactFlowModule"):
        if key in data:
            inner = data[key]
            if isinstance(inner, dict) and "Fn::Sub" in inner:
                inner = inner["Fn::Sub"]
                inner = inner[0] if isinstance(inner, list) and inner else inner
                key_at: Pointer = (*at, key, "Fn::Sub")
            else:
                key_at = (*at, key)
            for name, src, flow, _ in _unwrap_value(file, key_at, inner, depth):
                yield name or str(data.get("Name") or data.get("name") or ""), src, flow, data
    resources = data.get("Resources")
    if isinstance(resources, dict):  # CloudFormation
        for name, resource in resources.items():
            if isinstance(resource, dict) and resource.get("Type") in _CONNECT_RESOURCES:
                properties = resource.get("Properties")
                for _, src, flow, holder in _unwrap(
                    file, (*at, "Resources", name, "Properties"), properties, depth + 1
                ):
                    yield name, src, flow, holder
    terraform = data.get("resource")
    if isinstance(terraform, dict):  # a .tf.json file
        for kind in sorted(_TERRAFORM & terraform.keys()):
            named = terraform[kind]
            if isinstance(named, dict):
                for name, block in named.items():
                    for _, src, flow, holder in _unwrap(
                        file, (*at, "resource", kind, name), block, depth + 1
                    ):
                        yield name, src, flow, holder
    yield from _state(file, at, data, depth)


def _state(
    file: loader.SourceFile, at: Pointer, data: Mapping[str, Any], depth: int
) -> Iterator[_Found]:
    """Terraform's ``show -json`` (values, root_module, resources) and state
    files (resources, instances, attributes)."""
    values = data.get("values")
    module = values.get("root_module") if isinstance(values, dict) else None
    modules: list[tuple[Pointer, Any]] = []
    if isinstance(module, dict):
        modules.append(((*at, "values", "root_module"), module))
    if isinstance(data.get("resources"), list):
        modules.append((at, data))
    while modules:
        here, module = modules.pop(0)
        for index, resource in enumerate(module.get("resources") or ()):
            if not isinstance(resource, dict) or resource.get("type") not in _TERRAFORM:
                continue
            name = str(resource.get("name") or "")
            where: Pointer = (*here, "resources", index)
            if isinstance(resource.get("values"), dict):
                for _, src, flow, holder in _unwrap(
                    file, (*where, "values"), resource["values"], depth + 1
                ):
                    yield name, src, flow, holder
            for number, instance in enumerate(resource.get("instances") or ()):
                if isinstance(instance, dict):
                    attributes = instance.get("attributes")
                    where_now: Pointer = (*where, "instances", number, "attributes")
                    for _, src, flow, holder in _unwrap(file, where_now, attributes, depth + 1):
                        yield name, src, flow, holder
        for number, child in enumerate(module.get("child_modules") or ()):
            if isinstance(child, dict):
                modules.append(((*here, "child_modules", number), child))


def _unwrap_value(file: loader.SourceFile, at: Pointer, value: Any, depth: int) -> Iterator[_Found]:
    if isinstance(value, str):
        try:
            inner = json.loads(value)
        except (json.JSONDecodeError, RecursionError):
            return
        yield from _unwrap(EmbeddedFile(file, at, inner), (), inner, depth + 1)
    else:
        yield from _unwrap(file, at, value, depth + 1)


def _flow(
    ident: str, src: Src, data: Mapping[str, Any], holder: Mapping[str, Any], out: Read
) -> Flow:
    flow: Flow
    if connect.is_flow(data):
        flow, problems, unknown = connect.read(ident, src, data, holder)
    else:
        flow, problems, unknown = studio.read(ident, src, data, holder)
    out.problems.extend(_problem(s, m, h, ident, key=k) for s, m, h, k in problems)
    for kind, where in unknown:
        out.unknown_types.setdefault(f"{flow.platform}:{kind}", where)
    return flow
