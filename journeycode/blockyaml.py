"""The block-style YAML most map files are written in, read without libyaml.

libyaml hands Python an event object and two mark objects per node, and that
alone costs more than the rest of a check. :func:`scan` reads the lines of a
text with one regular expression for the whole text and gives exactly what
the event walk of :mod:`journeycode.loader` gives — the same data, and the
same line and column for every node and key in the same order — for the
subset of YAML it knows: block mappings and sequences with plain keys; plain,
single-quoted and escape-free double-quoted scalars on one line; ``|`` and
``>`` block scalars (clipped, or stripped with ``-``); and one-line flow
sequences and mappings of such scalars. Anything else, or anything it is not
sure of (every mistake among them), makes it give up: it returns None and
the event walk reads the file, so the explanations of mistakes stay that
walk's alone. tests/test_blockyaml.py holds the two readers to the same
result on every file this one accepts.
"""

from __future__ import annotations

import re
from array import array
from typing import Any

from journeycode.plain import MAX_DEPTH, NUMERIC_START, WORDS, TooLarge, resolve_plain

Read = tuple[Any, "array[int]", "array[int]", dict[int, int]]
"""Data, line marks and column marks (both from 0), and how many marks each
container (by its id) holds."""

# What takes a text out of the subset at once: line breaks other than \n
# (libyaml also breaks at \r, NEL, LS and PS), tabs (they bring indentation
# rules of their own), a byte order mark inside the text, directives and
# document markers.
_OUTSIDE = re.compile("[\r\t\x85\u2028\u2029\ufeff]")
_MARKERS = ("\n---", "\n...", "\n%")

# One line: indentation, the '- ' of sequence items, a key and its ':', and
# either a plain scalar with no ':' and no '#' (then perhaps spaces and a
# comment) or whatever else is left. Only a space counts as blank, as in
# libyaml. Plain scalars with a ':' or a '#' are looked at by :func:`_plain`;
# keys with either, or with a space before the ':', are left to libyaml.
_START = r"""(?:[^ \n\-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ \n]))"""
_REST = r"""(?:[^:#\n]*[^ :#\n])?"""
_LINE = re.compile(
    rf"""^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)"""
    rf"""(?:(?P<key>{_START}{_REST})(?P<colon>:[ ]+|:$))?"""
    rf"""(?:(?P<plain>{_START}{_REST})[ ]*(?:(?<=[ ])\#[^\n]*)?|(?P<other>[^\n]*))$""",
    re.MULTILINE,
)
_PLAIN = re.compile(rf"""{_START}(?:[^:#\n]|:(?=[^ \n])|(?<=[^ \n])\#)*""")
_END = re.compile(r"[ ]*(?:[ ]#[^\n]*)?")
_SINGLE = re.compile(r"'((?:[^'\n]|'')*)'")
_DOUBLE = re.compile(r'"([^"\\\n]*)"')
_BLOCK = re.compile(r"([|>])(-?)(?:[ ]+(?:#[^\n]*)?)?")
# In flow context a plain scalar holds no flow indicator and, here, no ':' at
# all (libyaml reads some of those as keys).
_FLOW_PLAIN = (
    r"""(?:[^ \n\-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ \n,\[\]{}]))(?:[^:,\[\]{}#\n]|(?<=[^ \n])\#)*?"""
)
_FLOW_SCALAR = (
    rf"""(?:(?P<plain>{_FLOW_PLAIN})|'(?P<single>(?:[^'\n]|'')*)'|"(?P<double>[^"\\\n]*)")"""
)
_FLOW_ITEM = re.compile(rf"""[ ]*{_FLOW_SCALAR}[ ]*(?P<end>[,\]])""")
_FLOW_KEY = re.compile(rf"""[ ]*(?P<key>{_FLOW_PLAIN})(?<![ ]):[ ]+""")
_FLOW_VALUE = re.compile(rf"""{_FLOW_SCALAR}[ ]*(?P<end>[,}}])""")


class _Outside(Exception):
    """The text is not in the subset, or not valid YAML."""


def scan(text: str) -> Read | None:
    """What :func:`journeycode.loader.parse` reads from ``text`` (after its
    check of the characters), or None where ``text`` is outside the subset."""
    if _OUTSIDE.search(text) or text.startswith(("---", "...", "%")):
        return None
    if any(marker in text for marker in _MARKERS):
        return None
    try:
        return _Scan(text).read()
    except (_Outside, TooLarge):
        return None


class _Scan:
    def __init__(self, text: str):
        self.text = text
        self.rows: list[tuple[str, ...]] = _LINE.findall(text)
        self.lines: array[int] = array("I")
        self.columns: array[int] = array("I")
        self.sizes: dict[int, int] = {}
        self.raw: list[str] | None = None
        """The text's lines, split only for a block scalar."""

    def read(self) -> Read:
        rows = self.rows
        lines, columns, sizes = self.lines, self.columns, self.sizes
        add_line, add_column = lines.append, columns.append
        # A frame: [container, the column of its keys or dashes, whether it is
        # a mapping, whether it is a sequence at its key's column ("k:\n- a"),
        # the index of its first mark]. A closed container's size (its marks)
        # is noted for Positions, which would otherwise count them again.
        stack: list[list[Any]] = []
        root: Any = None
        # A key with nothing after its ':': its mapping, the key, where its
        # null would be (just past the ':'), and the key's column.
        pending: tuple[dict[str, Any], str, int, int, int] | None = None
        skip = -1
        for number, (indent, dashes, key, colon, plain, other) in enumerate(rows):
            if number <= skip or (not (dashes or key or plain) and (not other or other[0] == "#")):
                continue  # a blank line, a comment, or a block scalar's
            col = len(indent)
            frame = stack[-1] if stack else None
            if (
                pending is None
                and key
                and plain
                and frame is not None
                and frame[1] == col
                and frame[2]
                and not dashes
            ):
                # The most common line by far: one more "key: text" in a mapping.
                mapping = frame[0]
                if key in mapping or key == "<<":
                    raise _Outside
                add_line(number)
                add_column(col)
                add_line(number)
                add_column(col + len(key) + len(colon))
                # Most values are text: resolve_plain only where one may not be.
                if plain[0] in NUMERIC_START or plain in WORDS:
                    plain = resolve_plain(plain)
                mapping[key] = plain
                continue
            if pending is not None:
                mapping, name, null_line, null_col, key_col = pending
                pending = None
                if col > key_col or (col == key_col and dashes):
                    if len(stack) >= MAX_DEPTH:
                        raise _Outside
                    new: Any = [] if dashes else {}
                    mapping[name] = new
                    stack.append([new, col, not dashes, col == key_col, len(lines)])
                    add_line(number)
                    add_column(col)
                else:
                    mapping[name] = None
                    add_line(null_line)
                    add_column(null_col)
            elif root is None:
                root = [] if dashes else {}
                stack.append([root, col, not dashes, False, 0])
                add_line(number)
                add_column(col)
            while stack[-1][1] > col:
                closed = stack.pop()
                sizes[id(closed[0])] = len(lines) - closed[4]
                if not stack:
                    raise _Outside
            frame = stack[-1]
            if frame[3] and not dashes:
                stack.pop()
                sizes[id(frame[0])] = len(lines) - frame[4]
                frame = stack[-1]
            if frame[1] != col:
                raise _Outside  # a continuation line, or a mistake
            at = col
            container = frame[0]
            if dashes:
                if frame[2]:
                    raise _Outside
                # Every '-' but the last opens a sequence in the item before it.
                steps = dashes.split("-")[1:]
                for step in steps[:-1]:
                    at += 1 + len(step)
                    new = []
                    container.append(new)
                    frame = [new, at, False, False, len(lines)]
                    stack.append(frame)
                    add_line(number)
                    add_column(at)
                    container = new
                at += 1 + len(steps[-1])
                if len(stack) >= MAX_DEPTH:
                    raise _Outside
                if not key:
                    if plain:
                        add_line(number)
                        add_column(at)
                        if plain[0] in NUMERIC_START or plain in WORDS:
                            plain = resolve_plain(plain)
                        container.append(plain)
                    elif other and other[0] != "#":
                        value, skip = self.value(other, number, at, frame[1])
                        container.append(value)
                    else:
                        raise _Outside  # an empty item
                    continue
                new = {}
                container.append(new)
                frame = [new, at, True, False, len(lines)]
                stack.append(frame)
                add_line(number)
                add_column(at)
                container = new
            elif not key or not frame[2]:
                raise _Outside
            if key in container or key == "<<":
                raise _Outside  # the event walk explains it
            add_line(number)
            add_column(at)
            if plain:
                add_line(number)
                add_column(at + len(key) + len(colon))
                if plain[0] in NUMERIC_START or plain in WORDS:
                    plain = resolve_plain(plain)
                container[key] = plain
            elif other and other[0] != "#":
                value, skip = self.value(other, number, at + len(key) + len(colon), at)
                container[key] = value
            else:
                pending = container, key, number, at + len(key) + 1, at
        if pending is not None:
            mapping, name, null_line, null_col, _ = pending
            mapping[name] = None
            add_line(null_line)
            add_column(null_col)
        if root is None:
            raise _Outside
        for closed in stack:
            sizes[id(closed[0])] = len(lines) - closed[4]
        return root, lines, columns, sizes

    def value(self, written: str, number: int, col: int, parent: int) -> tuple[Any, int]:
        """A value that is not a plain scalar, written from ``col`` of line
        ``number`` in a block whose column is ``parent``; and the last line
        it takes."""
        self.lines.append(number)
        self.columns.append(col)
        first = written[0]
        if first == "'":
            single = _SINGLE.match(written)
            if single is None:
                raise _Outside
            self.end(written, single.end())
            return single.group(1).replace("''", "'"), number
        if first == '"':
            double = _DOUBLE.match(written)
            if double is None:
                raise _Outside
            self.end(written, double.end())
            return double.group(1), number
        if first in "[{":
            start = len(self.lines) - 1
            flow = (self.sequence if first == "[" else self.mapping)(written, number, col)
            self.sizes[id(flow)] = len(self.lines) - start
            return flow, number
        block = _BLOCK.fullmatch(written)
        if block is not None:
            return self.block(block.group(1) == ">", bool(block.group(2)), number, parent)
        plain = _PLAIN.match(written)
        if plain is None:
            raise _Outside
        value = plain.group().rstrip(" ")
        self.end(written, len(value))
        return resolve_plain(value), number

    def end(self, written: str, at: int) -> None:
        """Only spaces and a comment may follow a value."""
        if _END.fullmatch(written, at) is None:
            raise _Outside

    def scalar(self, found: re.Match[str], number: int, col: int) -> Any:
        plain, single = found.group("plain"), found.group("single")
        if plain is not None:
            self.lines.append(number)
            self.columns.append(col + found.start("plain"))
            return resolve_plain(plain)
        self.lines.append(number)
        if single is not None:
            self.columns.append(col + found.start("single") - 1)
            return single.replace("''", "'")
        self.columns.append(col + found.start("double") - 1)
        return found.group("double")

    def sequence(self, written: str, number: int, col: int) -> list[Any]:
        items: list[Any] = []
        at = 1
        if written[1:].lstrip(" ")[:1] == "]":
            at = written.index("]") + 1
        else:
            while True:
                item = _FLOW_ITEM.match(written, at)
                if item is None:
                    raise _Outside
                items.append(self.scalar(item, number, col))
                at = item.end()
                if item.group("end") == "]":
                    break
        self.end(written, at)
        return items

    def mapping(self, written: str, number: int, col: int) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        at = 1
        if written[1:].lstrip(" ")[:1] == "}":
            at = written.index("}") + 1
        else:
            while True:
                key = _FLOW_KEY.match(written, at)
                if key is None:
                    raise _Outside
                name = key.group("key")
                if name in entries or name == "<<":
                    raise _Outside
                self.lines.append(number)
                self.columns.append(col + key.start("key"))
                value = _FLOW_VALUE.match(written, key.end())
                if value is None:
                    raise _Outside
                entries[name] = self.scalar(value, number, col)
                at = value.end()
                if value.group("end") == "}":
                    break
        self.end(written, at)
        return entries

    def block(self, folded: bool, strip: bool, number: int, parent: int) -> tuple[str, int]:
        """A block scalar whose header is on line ``number``: its text, and
        the last line it takes. Its indentation is that of its first line."""
        if self.raw is None:
            self.raw = self.text.split("\n")
        raw = self.raw
        taken: list[str] = []
        indent = 0
        last = number
        for index in range(number + 1, len(raw)):
            line = raw[index]
            content = line.lstrip(" ")
            if not content:
                if indent and len(line) > indent:
                    raise _Outside  # spaces past the indentation are text
                if not indent:
                    raise _Outside  # empty lines before the first: left to libyaml
                taken.append("")
                continue
            at = len(line) - len(content)
            if not indent:
                if at <= parent:
                    raise _Outside  # an empty block scalar
                indent = at
            elif at < indent:
                break
            if folded and at > indent:
                raise _Outside  # more-indented lines fold by rules of their own
            taken.append(line[indent:])
            last = number + len(taken)
        if not indent:
            raise _Outside
        # Trailing empty lines are the chomping's, not the text's.
        kept = last - number
        body = taken[:kept]
        if folded:
            # A break between two lines folds to a space; a run of empty
            # lines between them stands for as many breaks.
            text = ""
            for index, line in enumerate(body):
                if index and line and body[index - 1]:
                    text += " "
                text += line if line else "\n"
        else:
            text = "\n".join(body)
        return (text if strip else text + "\n"), last
