"""Changes to the maps as text edits: a rename, and the quick fixes.

Each function answers with :class:`Edit` values (0-based lines and
characters, end exclusive) or None when the fix does not apply; the server
turns them into a workspace edit. All of it reads the text as it is, so an
edit never reformats what is around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeycode import i18n, kinds, schema
from journeycode.lsp.index import Index, Key
from journeycode.problems import Fix

_ID_LINE = re.compile(r"^(\s*)(-\s+)?id\s*:")
_ID_PART = re.compile(r"[\w-]")
WAIVER_REASON = "why this is acceptable"


@dataclass(frozen=True)
class Edit:
    path: Path
    line: int
    start: int
    end_line: int
    end: int
    text: str


class Refused(ValueError):
    """A rename that cannot be done; the message (an :class:`i18n.Msg`) says why."""


def rename(index: Index, key: Key, new: str) -> list[Edit]:
    """Every place ``key``'s id is written, as ``new``."""
    kind, scope, old = key
    label = kinds.KINDS[kind].label
    if not schema.is_id(new):
        raise Refused(
            i18n.msg("'{new}' is not an id: lowercase letters, digits and hyphens", new=new)
        )
    if new == old:
        return []
    if index.defines((kind, scope, new)):
        raise Refused(i18n.msg("a {kind} '{new}' already exists", kind=i18n.msg(label), new=new))
    return [
        Edit(s.path, s.line - 1, s.col - 1, s.line - 1, s.col - 1 + s.length, new)
        for s in index.sites(key)
    ]


def replacement(path: Path, lines: list[str], line: int, start: int, fix: Fix) -> Edit | None:
    """The fix's new text in place of its old one, written bare or quoted at the
    0-based position; None when the text there is no longer the old one."""
    text = lines[line] if 0 <= line < len(lines) else ""
    for quote in ("", '"', "'"):
        written = f"{quote}{fix.old}{quote}"
        end = start + len(written)
        if text.startswith(written, start) and not _ID_PART.match(text, end):
            return Edit(path, line, start, line, end, f"{quote}{fix.new}{quote}")
    return None


def waiver(path: Path, text: str, line: int, rule: str) -> Edit | None:
    """A ``waive:`` entry for ``rule``, with a reason to fill in, added to the
    entity written around the 1-based ``line``; None for one in flow style."""
    lines = text.splitlines()
    start = _entity_start(lines, line - 1)
    if start is None:
        return None
    found = _ID_LINE.match(lines[start])
    assert found is not None
    indent = len(found.group(1)) + len(found.group(2) or "")
    key_indent = " " * indent
    end = _block_end(lines, start, indent)
    for at in range(start, end):
        if re.match(rf"^{key_indent}waive\s*:\s*$", lines[at]):
            inner = _child_indent(lines, at, end) or " " * (indent + 2)
            entry = f'{inner}{rule}: "{WAIVER_REASON}"\n'
            return Edit(path, at + 1, 0, at + 1, 0, entry)
        if re.match(rf"^{key_indent}waive\s*:", lines[at]):
            return None  # a waive: written in flow style; leave it to the author
    entry = f'{key_indent}waive:\n{key_indent}  {rule}: "{WAIVER_REASON}"\n'
    return Edit(path, end, 0, end, 0, entry)


def _entity_start(lines: list[str], line: int) -> int | None:
    """The ``id:`` line of the innermost block-style entity holding ``line``."""
    for at in range(min(line, len(lines) - 1), -1, -1):
        found = _ID_LINE.match(lines[at])
        if found is None:
            continue
        indent = len(found.group(1)) + len(found.group(2) or "")
        if _block_end(lines, at, indent) > line:
            return at
    return None


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The first line after the entity whose keys are at ``indent``."""
    at = start + 1
    while at < len(lines):
        text = lines[at]
        stripped = text.lstrip()
        if stripped and not stripped.startswith("#") and len(text) - len(stripped) < indent:
            break
        at += 1
    while at > start + 1 and not lines[at - 1].strip():
        at -= 1
    return at


def _child_indent(lines: list[str], at: int, end: int) -> str | None:
    for below in range(at + 1, end):
        if lines[below].strip():
            return lines[below][: len(lines[below]) - len(lines[below].lstrip())]
    return None


def catalog_entry(path: Path, text: str, kind: str, ident: str) -> Edit | None:
    """A new entry for ``ident`` at the end of the ``kind`` section of a
    catalog file, with the fields the schema requires; None without the section."""
    section = kinds.KINDS[kind].section
    lines = text.splitlines()
    start = next((i for i, t in enumerate(lines) if re.match(rf"^{section}\s*:\s*$", t)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t-#"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    item = next((t for t in lines[start + 1 : end] if t.lstrip().startswith("- ")), "  - ")
    dash = item[: len(item) - len(item.lstrip())]
    body = dash + "  "
    entry = [f"{dash}- id: {ident}"]
    for field, value in _required(kind, ident):
        entry.append(f"{body}{field}: {value}")
    return Edit(path, end, 0, end, 0, "\n".join(entry) + "\n")


def _required(kind: str, ident: str) -> list[tuple[str, str]]:
    """The fields the schema requires of a new entity, with a first value:
    the id as words for a name, the first choice for a closed list."""
    definition: dict[str, Any] = schema.schema()["$defs"][kinds.definition(kind)]
    found = []
    for field in definition.get("required", ()):
        if field == "id":
            continue
        spec = definition["properties"].get(field, {})
        if "enum" in spec:
            found.append((field, f"{spec['enum'][0]}  # one of: {', '.join(spec['enum'])}"))
        else:
            found.append((field, ident.replace("-", " ").capitalize()))
    return found


def choices(kind: str, field: str) -> list[tuple[str, str]]:
    """The values a closed-list field takes, each with the field's description."""
    definition = schema.schema()["$defs"].get(kinds.definition(kind), {})
    spec = definition.get("properties", {}).get(field, {})
    description = spec.get("description")
    said = i18n.gettext(description) if description else ""
    return [(value, said) for value in spec.get("enum", ())]
