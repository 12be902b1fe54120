"""Safe YAML → plain data, with the positions of every node on demand.

Most files are block-style YAML of a few kinds of line, which
:mod:`journeycode.blockyaml` reads without libyaml, several times faster;
every other file, and every file with a mistake, is read by :func:`events`,
the reference that the fast reader is tested against. It builds Python data
straight from libyaml's event stream instead of ``yaml.load``:

* it is iterative, so no nesting can overflow a stack (libyaml's composer is
  recursive and crashes on ``[[[[…``); depth is capped at :data:`MAX_DEPTH`;
* it sees anchors, aliases and tags as events and refuses them before anything
  is expanded, so alias bombs cost nothing;
* it resolves plain scalars by the YAML 1.2 core schema: only ``true``/``false``
  are booleans, ``0755`` is the decimal 755, dates stay strings;
* it notices duplicate keys;
* it keeps only the line and column of each node, in two compact arrays; the
  ``line:col`` of a JSON pointer is worked out from them when a problem needs it.

What libyaml's own errors mean is worked out in :mod:`journeycode.yaml_errors`.

A mistake stops libyaml at once, so one broken section would hide the problems
of a whole file. When a file's top level is a block mapping of several keys
(``personas:``, ``channels:``, … at column 1), the section that holds the
error (from its key to the next one) is blanked, its lines kept so that every
other line keeps its number, and the rest parsed again: the
:class:`LoadError` carries it as ``rest`` for the schema to check. The blanked
section is absent, not empty, so it brings no false "expected a list" (and the
top level requires no key, so no "missing key" either); if the rest does not
parse either, ``rest`` is None and only the load error is reported.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from journeycode import blockyaml, kinds
from journeycode.i18n import N_, msg
from journeycode.plain import MAX_DEPTH, MAX_INT, TooLarge, resolve_plain
from journeycode.positions import Position, position
from journeycode.yaml_errors import explain, marked, too_deep

MAX_BYTES = 5 * 1024 * 1024

Pointer = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Characters YAML 1.2 does not allow in a stream (c-printable's complement).
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# What an escape in a double-quoted scalar may not produce: control characters
# but tab and newline, and lone surrogates (which cannot even be written out).
_NOT_TEXT = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class LoadError(Exception):
    """A file that cannot be read as a journeycode map; positions are 1-based."""

    def __init__(self, message: str, line: int = 1, col: int = 1, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.hint = hint
        self.source: bytes | None = None
        self.rest: SourceFile | None = None
        """The file's other top-level sections, where they can still be read."""


class Positions:
    """Where each node of a parsed document starts, found from the marks the
    parse recorded: one (line, column) per node and per mapping key, in
    document order, which is also the order a walk of the data visits them.

    Subtree sizes and the offset of each child inside its container are worked
    out once per container, so locating a pointer costs O(depth) however many
    problems a document has."""

    def __init__(
        self,
        data: Any,
        lines: array[int],
        columns: array[int],
        bare: dict[Pointer, Position] | None = None,
        sizes: dict[int, int] | None = None,
    ):
        self.data = data
        self.lines = lines
        self.columns = columns
        self.bare = bare or {}
        """The keys of flow mappings written with no ':' and no value (``{a: b,
        c}``), each with where the ',' before it is: most often the rest of a
        text that the ',' cut off."""
        self._sizes: dict[int, int] = sizes if sizes is not None else {}
        """How many marks each container (by id) holds; a reader that knows
        gives them, the others are counted when a pointer needs them."""
        self._offsets: dict[int, Any] = {}

    def _size(self, node: Any) -> int:
        """How many marks a node and everything below it recorded."""
        if type(node) is dict:
            cached = self._sizes.get(id(node))
            if cached is None:
                cached = 1 + sum(1 + self._size(value) for value in node.values())
                self._sizes[id(node)] = cached
            return cached
        if type(node) is list:
            cached = self._sizes.get(id(node))
            if cached is None:
                cached = 1 + sum(self._size(item) for item in node)
                self._sizes[id(node)] = cached
            return cached
        return 1

    def _child_offsets(self, node: dict[Any, Any] | list[Any]) -> Any:
        """Where each child's first mark is, counted from the container's own
        mark: the key's mark for a mapping entry (its value follows it).
        Worked out only for the containers a located pointer passes through."""
        offsets = self._offsets.get(id(node))
        if offsets is None:
            at = 1
            if type(node) is dict:
                offsets = {}
                for name, value in node.items():
                    offsets[name] = at
                    at += 1 + self._size(value)
            else:
                offsets = array("Q")
                for item in node:
                    offsets.append(at)
                    at += self._size(item)
            self._offsets[id(node)] = offsets
        return offsets

    def locate(self, pointer: Pointer, *, key: bool = False) -> Position:
        """The position of ``pointer`` (of its key, with ``key``), or of its
        nearest ancestor that exists."""
        if not self.lines:
            return 1, 1
        node, index, key_index = self.data, 0, None
        for part in pointer:
            if type(node) is dict and part in node:
                key_index = index + self._child_offsets(node)[part]
                index, node = key_index + 1, node[part]
            elif type(node) is list and type(part) is int and 0 <= part < len(node):
                index += self._child_offsets(node)[part]
                key_index, node = None, node[part]
            else:
                key_index = None
                break
        at = key_index if key and key_index is not None else index
        return self.lines[at] + 1, self.columns[at] + 1


def events(
    text: str,
) -> tuple[Any, array[int], array[int], dict[Pointer, Position], dict[int, int]]:
    """The data of a one-document stream, the line and column of each node
    and key in document order, the bare keys and the size of each container
    (see :class:`Positions`), from libyaml's events.

    The reference reader: it reads any text, and every mistake is explained
    here; :mod:`journeycode.blockyaml` reads the usual files faster and is
    held to this one's results by tests/test_blockyaml.py."""
    root: Any = None
    # A frame is [container, pending mapping key or None, its key or index in
    # its parent, the index of its mark].
    stack: list[list[Any]] = []
    lines: array[int] = array("I")
    columns: array[int] = array("I")
    add_line, add_column = lines.append, columns.append
    bare: dict[Pointer, Position] = {}
    sizes: dict[int, int] = {}
    documents = 0
    events: Any = yaml.parse(text, Loader=_Loader)
    try:
        for event in events:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                mark = event.start_mark
                add_line(mark.line)
                add_column(mark.column)
                value: Any = event.value
                if event.anchor is not None or event.tag is not None:
                    _refuse_anchor_or_tag(event)
                if event.style == '"' and _NOT_TEXT.search(value):
                    _refuse_escape(event)
                if not stack:
                    root = resolve_plain(value) if event.implicit[0] else value
                    continue
                frame = stack[-1]
                container = frame[0]
                if type(container) is dict:
                    if frame[1] is None:
                        if value in container or (value == "<<" and event.implicit[0]):
                            _refuse_key(event, root, stack, lines, columns)
                        frame[1] = value
                        continue
                    key = frame[1]
                    frame[1] = None
                    container[key] = resolve_plain(value) if event.implicit[0] else value
                    if not value and event.implicit[0] and len(container) > 1:
                        _note_bare(text, event, stack, key, bare)
                else:
                    container.append(resolve_plain(value) if event.implicit[0] else value)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = event.start_mark
                add_line(mark.line)
                add_column(mark.column)
                new = _open(event, stack, len(lines) - 1)
                if len(stack) == 1:
                    root = new
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                closed = stack.pop()
                sizes[id(closed[0])] = len(lines) - closed[3]
            elif kind is yaml.AliasEvent:
                _refuse_anchor_or_tag(event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise LoadError(
                        msg("a map file holds one YAML document; a second one starts here"),
                        *marked(event.start_mark),
                        msg("split it into two files, or remove the '---' separator"),
                    )
    except TooLarge as error:
        shown = str(error) if len(str(error)) <= 24 else f"{str(error)[:20]}…"
        raise LoadError(
            msg(
                "the number {number} is too large; journeycode numbers lie within ±{limit}",
                number=shown,
                limit=MAX_INT,
            ),
            *marked(event.start_mark),
            msg("quote it if it is text, not a number"),
        ) from None
    except yaml.MarkedYAMLError as error:
        raise LoadError(*explain(error, text, MAX_DEPTH)) from None
    except yaml.YAMLError:
        # Unmarked: libyaml knows no place, and its words are its grammar's.
        raise LoadError(
            msg("this is not YAML journeycode can read"),
            hint=msg("save it again as plain UTF-8 YAML"),
        ) from None
    finally:
        events.close()
    return root, lines, columns, bare, sizes


def _note_bare(
    text: str, event: Any, stack: list[list[Any]], key: Any, bare: dict[Pointer, Position]
) -> None:
    """Note ``key`` if its empty value is a bare key's: libyaml marks that
    value where the key ends (``{a, b}``), where a written ``b: `` has its ':'
    or a space before it."""
    at = event.start_mark.index
    if at == 0 or text[at - 1] in ": \t\r\n":
        return
    comma = text.rfind(",", 0, at - len(str(key)))
    if comma >= 0:
        bare[(*(frame[2] for frame in stack[1:]), key)] = position(text, comma)


def _open(event: Any, stack: list[list[Any]], mark: int) -> Any:
    """The new mapping or list an event starts, placed in its parent and pushed
    on the stack as a frame [container, pending key, its place in the parent,
    the index of its mark]."""
    if event.anchor is not None or event.tag is not None:
        _refuse_anchor_or_tag(event)
    if len(stack) >= MAX_DEPTH:
        raise LoadError(*too_deep(MAX_DEPTH, marked(event.start_mark)))
    new: Any = {} if type(event) is yaml.MappingStartEvent else []
    place: Any = None
    if stack:
        frame = stack[-1]
        container = frame[0]
        if type(container) is dict:
            if frame[1] is None:
                raise LoadError(
                    msg("a mapping key must be a plain value, not a list or mapping"),
                    *marked(event.start_mark),
                )
            place = frame[1]
            frame[1] = None
            container[place] = new
        else:
            place = len(container)
            container.append(new)
    stack.append([new, None, place, mark])
    return new


def _refuse_key(
    event: Any, root: Any, stack: list[list[Any]], lines: array[int], columns: array[int]
) -> None:
    line, col = marked(event.start_mark)
    key = event.value
    if key == "<<" and event.implicit[0]:
        raise LoadError(
            msg("merge keys ('<<') are not allowed"),
            line,
            col,
            msg("write the entries out in full"),
        )
    # The mark of this second key is recorded already: leave it out, so the
    # marks match the data built so far, and find the first one.
    pointer: Pointer = (*(frame[2] for frame in stack[1:]), key)
    first, _ = Positions(root, lines[:-1], columns[:-1]).locate(pointer, key=True)
    raise LoadError(
        msg(
            "duplicate key '{key}': first on line {first}, again on line {line}",
            key=key,
            first=first,
            line=line,
        ),
        line,
        col,
        msg("remove one of the two entries"),
    )


def _refuse_escape(event: Any) -> None:
    line, col = marked(event.start_mark)
    bad = _NOT_TEXT.search(event.value)
    assert bad is not None
    raise LoadError(
        msg(
            "control character {code} (written as an escape) is not allowed",
            code="U+" + format(ord(bad.group()), "04X"),
        ),
        line,
        col,
        msg("remove the escape; only \\t and \\n may be written as escapes of control characters"),
    )


def _refuse_anchor_or_tag(event: Any) -> None:
    line, col = marked(event.start_mark)
    if type(event) is yaml.AliasEvent:
        raise LoadError(
            msg("aliases ('*{anchor}') are not allowed", anchor=event.anchor),
            line,
            col,
            msg(
                "write the value out in full: aliases make maps hard to review and can "
                "explode in size"
            ),
        )
    if event.anchor is not None:
        raise LoadError(
            msg("anchors ('&{anchor}') are not allowed", anchor=event.anchor),
            line,
            col,
            msg("write the value out in full: anchors and aliases make maps hard to review"),
        )
    tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
    raise LoadError(
        msg("tags ('{tag}') are not allowed", tag=tag),
        line,
        col,
        msg("remove the tag; quote the value if it must stay text"),
    )


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. A FIFO, socket or
    device is refused without waiting on it; a symlink is not followed."""
    with opened(path, max_bytes) as (fd, size):
        return read_opened(fd, size, max_bytes)


@contextlib.contextmanager
def opened(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[tuple[int, int]]:
    """A regular file of at most ``max_bytes`` open for reading: its
    descriptor and size, as :func:`read_bytes` checks them."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LoadError(
                msg("not a regular file (a {kind}); it is not read", kind=_file_kind(info.st_mode)),
                hint=msg("keep only map files in the workspace"),
            )
        if info.st_size > max_bytes:
            raise LoadError(over_limit(info.st_size, max_bytes), hint=SPLIT)
        yield fd, info.st_size
    finally:
        os.close(fd)


def read_opened(fd: int, size: int, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file :func:`opened` opened, at most ``max_bytes``."""
    with os.fdopen(os.dup(fd), "rb") as handle:
        # Read one byte past the limit: the file may have grown since fstat.
        # Its size first: a buffer of the limit (200 MB for a measurement
        # file) would cost more than reading most files.
        data = handle.read(min(size, max_bytes) + 1)
        if len(data) > size:
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise LoadError(over_limit(max(len(data), size), max_bytes), hint=SPLIT)
    return data


SPLIT = msg("split it into several files")
"""The hint for a file over the size limit."""


def over_limit(size: int, limit: int) -> str:
    shown, allowed = f"{size / 1_048_576:.1f} MB", f"{limit / 1_048_576:.1f} MB"
    if shown == allowed:  # never "the file is 5.0 MB; the limit is 5.0 MB"
        return msg(
            "the file is {size} bytes; the limit is {limit} bytes ({allowed})",
            size=format(size, ","),
            limit=format(limit, ","),
            allowed=allowed,
        )
    return msg("the file is {size}; the limit is {allowed}", size=shown, allowed=allowed)


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISDIR, N_("folder")),
        (stat.S_ISFIFO, N_("named pipe")),
        (stat.S_ISSOCK, N_("socket")),
        (stat.S_ISCHR, N_("character device")),
        (stat.S_ISBLK, N_("block device")),
    ):
        if test(mode):
            return msg(kind)
    return msg("special file")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8", "replace")
        raise LoadError(
            msg(
                "the file is not UTF-8: byte {byte} cannot be decoded",
                byte=format(data[error.start], "#04x"),
            ),
            *position(before, len(before)),
            msg("save the file as UTF-8"),
        ) from None


def _check_printable(text: str) -> None:
    bad = _NON_PRINTABLE.search(text)
    if bad is None:
        return
    raise LoadError(
        msg(
            "control character {code} is not allowed in YAML",
            code="U+" + format(ord(bad.group()), "04X"),
        ),
        *position(text, bad.start()),
        msg("remove it; it is often left over from a copy and paste"),
    )


def parse(text: str) -> tuple[Any, Positions]:
    """The data of one YAML document by journeycode's rules, and where its nodes
    are. Raises LoadError."""
    _check_printable(text)
    fast = blockyaml.scan(text)
    if fast is not None:
        data, lines, columns, sizes = fast
        return data, Positions(data, lines, columns, sizes=sizes)
    data, lines, columns, bare, sizes = events(text)
    return data, Positions(data, lines, columns, bare, sizes)


class SourceFile:
    """One map file: its data and where each of its nodes is."""

    def __init__(self, path: Path, display: str, data: Any, positions: Positions, digest: str = ""):
        self.path = path
        self.display = display
        self.data = data
        self.positions = positions
        self.digest = digest
        """The digest of the file's name and bytes, where a cache keeps it."""

    def locate(self, pointer: Pointer, *, key: bool = False) -> Position:
        return self.positions.locate(pointer, key=key)

    def __repr__(self) -> str:
        return f"SourceFile({self.display!r})"


# A key at column 1: a top-level section starts on this line.
_SECTION = re.compile(r"[^\s#\-\[{'\"?:][^:#]*:(?:[ \t]|$)|-[^\s-][^:#]*:(?:[ \t]|$)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _rest(path: Path, display: str, text: str, line: int) -> SourceFile | None:
    """The file without the top-level section that holds ``line``, where
    there are others and they parse (see the module's docstring)."""
    lines = _LINE.findall(text)
    starts = [number for number, content in enumerate(lines, 1) if _SECTION.match(content)]
    broken = [start for start in starts if start <= line]
    if len(starts) < 2 or not broken:
        return None
    first = broken[-1]
    after = [start for start in starts if start > first]
    end = after[0] if after else len(lines) + 1
    kept = [
        content if not first <= number < end else content[len(content.rstrip("\r\n")) :]
        for number, content in enumerate(lines, 1)
    ]
    try:
        data, positions = parse("".join(kept))
    except LoadError:
        return None
    if not isinstance(data, dict) or not data:
        return None
    return SourceFile(path, display, data, positions)


def read(path: Path, display: str, *, max_bytes: int = MAX_BYTES) -> SourceFile:
    """Read and parse one map file. Raises LoadError, with the file's bytes as
    ``source`` when they could be read, and OSError for I/O."""
    return from_bytes(path, display, read_bytes(path, max_bytes))


def from_bytes(path: Path, display: str, raw: bytes, digest: str = "") -> SourceFile:
    """Parse the bytes of one map file (read from disk, or an editor's unsaved
    text). Raises LoadError, with ``raw`` as its ``source``."""
    text = None
    try:
        text = _decode(raw)
        data, positions = parse(text)
    except LoadError as error:
        error.source = raw
        if text is not None:
            error.rest = _rest(path, display, text, error.line)
        raise
    if data is None:
        raise LoadError(
            msg("the file is empty"),
            hint=msg(
                "a map file holds {keys}; add content or delete the file",
                keys=kinds.top_level_keys(),
            ),
        )
    return SourceFile(path, display, data, positions, digest)
