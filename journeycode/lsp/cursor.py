"""What the text around a cursor is, read from the lines alone.

A document being typed is often not valid YAML, so this does not parse: it
reads the key of the line (``channel: we``), or of the list the line is an
item of (``- we`` under ``kpis:``, or ``kpis: [fcr, we``), and the keys of
the blocks around it by their indentation. From those keys the entity-kinds
table says which kind of entity the cursor is in and which kind the field
refers to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from journeycode import kinds

_KEY = re.compile(r"^(\s*)(?:(-)\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:(?:\s|$)")
_ITEM = re.compile(r"^(\s*)-(?:\s|$)")
_WORD = re.compile(r"[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Cursor:
    keys: tuple[str, ...]
    """The keys from the top of the file to the field at the cursor."""
    kind: str | None
    """The kind of the entity the field belongs to."""
    field: str
    prefix: str
    """What is typed of the value before the cursor."""
    start: int
    """0-based column where that value starts."""

    @property
    def target(self) -> str | None:
        """The kind of entity the field refers to, if it refers to one."""
        if self.kind is None:
            return None
        return next(
            (r.target for r in kinds.KINDS[self.kind].references if r.field == self.field), None
        )


def at(lines: Sequence[str], line: int, character: int) -> Cursor | None:
    """The field a cursor (0-based line and character) is in the value of."""
    if not 0 <= line < len(lines):
        return None
    before = lines[line][:character]
    key = _KEY.match(before)
    if key and len(before) > key.end() - 1 and before[key.end() - 1 :].lstrip().startswith("#"):
        return None
    if key:
        value = before[key.end() :]
        if "#" in value:
            return None
        field, indent = key.group(3), _indent(key)
        prefix = _WORD.search(value.rsplit(",", 1)[-1].rsplit("[", 1)[-1])
    else:
        item = _ITEM.match(before)
        if item is None or "#" in before:
            return None
        indent = len(item.group(1))
        parent = _enclosing(lines, line, indent)
        if parent is None:
            return None
        field, indent = parent
        prefix = _WORD.search(before[item.end() :])
    assert prefix is not None  # the pattern matches the empty string
    keys = (*_ancestors(lines, line, indent), field)
    return Cursor(keys, _kind(keys[:-1]), field, prefix.group(), character - len(prefix.group()))


def _indent(key: re.Match[str]) -> int:
    """The column of the key, and of the dash before it if there is one."""
    return len(key.group(1))


def _enclosing(lines: Sequence[str], line: int, indent: int) -> tuple[str, int] | None:
    """The key of the block list a ``- item`` line at ``indent`` is in."""
    for above in range(line - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        key = _KEY.match(text)
        here = len(text) - len(text.lstrip())
        if key and here <= indent and not text[key.end() :].strip():
            return key.group(3), here
        if here < indent:
            return None
    return None


def _ancestors(lines: Sequence[str], line: int, indent: int) -> list[str]:
    """The keys of the blocks around a key at ``indent``, outermost first."""
    found: list[str] = []
    for above in range(line - 1, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        here = len(text) - len(text.lstrip())
        if here >= indent:
            continue
        key = _KEY.match(text)
        if key and key.group(2) is None and not text[key.end() :].strip():
            found.append(key.group(3))
        indent = here
        if indent == 0:
            break
    return found[::-1]


def _kind(keys: tuple[str, ...]) -> str | None:
    """The kind of the entity whose field the last of ``keys`` leads into."""
    if not keys:
        return None
    if keys[0] == "journey":
        kind = kinds.JOURNEY
    else:
        found = next((k for k in kinds.CATALOG if k.section == keys[0]), None)
        if found is None:
            return None
        kind = found
    for key in keys[1:]:
        if key not in kind.children:
            return None
        kind = kinds.KINDS[kind.children[key]]
    return kind.name
