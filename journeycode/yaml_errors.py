"""Why a text cannot be read as YAML, said where the fix is.

libyaml reports what its scanner or parser expected at the place it gave up:
"did not find expected ',' or ']'" where the file ends, for a bracket opened
at the top. :func:`explain` reads its errors (their problem, context and
marks) and says what is wrong in a map author's words, at the place the fix
is. The explanations share one scanner over the brackets of a text
(:func:`brackets`, which passes over quoted text and comments) and one line:col
helper (:func:`position`), which the loader also uses for the problems it finds
in a text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import yaml

from journeycode.i18n import N_, msg
from journeycode.positions import Position, position

"""A line and a column, both 1-based."""


class Explanation(NamedTuple):
    """What a :class:`~journeycode.loader.LoadError` says, and where."""

    message: str
    line: int
    col: int
    hint: str | None = None


def marked(mark: Any) -> Position:
    """The line and column of a libyaml mark (which counts both from 0)."""
    return mark.line + 1, mark.column + 1


def too_deep(max_depth: int, at: Position) -> Explanation:
    return Explanation(
        msg("nesting is deeper than {max_depth} levels", max_depth=max_depth),
        *at,
        msg("flatten the structure: journeycode maps never need this depth"),
    )


# What changes the state of :func:`brackets`; everything else is passed over.
_SIGNIFICANT = re.compile(r"""[\[\]{}"'#\\\n]""")


def brackets(text: str, end: int | None = None) -> Iterator[tuple[str, int]]:
    """Each bracket of ``text`` before ``end`` that is neither in quoted text
    nor in a comment, and its index. A comment starts at a ``#`` that follows
    a space or begins a line; in double quotes a backslash escapes the next
    character."""
    quote, comment, escaped = "", False, -1
    for found in _SIGNIFICANT.finditer(text, 0, len(text) if end is None else end):
        char, at = found.group(), found.start()
        if comment:
            comment = char != "\n"
        elif quote:
            if at == escaped:
                continue
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                escaped = at + 1
        elif char in "\"'":
            quote = char
        elif char == "#":
            comment = at == 0 or text[at - 1] in " \t\n"
        elif char in "[]{}":
            yield char, at


def unclosed(text: str, end: int) -> tuple[str, Position] | None:
    """The innermost bracket opened before ``end`` and not closed, and where it is."""
    opened: list[tuple[str, int]] = []
    for char, at in brackets(text, end):
        if char in "[{":
            opened.append((char, at))
        elif opened:
            opened.pop()
    if not opened:
        return None
    bracket, at = opened[-1]
    return bracket, position(text, at)


def deepest(text: str, max_depth: int) -> Position | None:
    """Where flow collections first nest deeper than ``max_depth``, a block
    mapping at the root counted as the loader's events would count it."""
    depth = 0 if text.lstrip()[:1] in ("[", "{") else 1
    for char, at in brackets(text):
        if char in "[{":
            depth += 1
            if depth > max_depth:
                return position(text, at)
        else:
            depth -= 1
    return None


def explain(error: yaml.MarkedYAMLError, text: str, max_depth: int) -> Explanation:
    """What libyaml's ``error`` over ``text`` means for a map's author."""
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark
    context = error.context or ""
    line, col = marked(mark) if mark is not None else (1, 1)
    if "maximum nesting depth" in problem:
        # libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 flow levels while it
        # scans ahead, before the parser hands over the loader's deepest event.
        return too_deep(max_depth, deepest(text, max_depth) or (line, col))
    if mark is not None and problem.startswith(("did not find expected", "expected <block end>")):
        before = text[text.rfind("\n", 0, mark.index) + 1 : mark.index].rstrip()
        if before.endswith(('"', "'")):
            example = _requoted(before, text, mark.index)
            return Explanation(
                msg("more text follows a quoted value"),
                line,
                col,
                msg(
                    "quote the whole value: the quotes must enclose all of it, as in {example}",
                    example=example,
                )
                if example
                else msg("quote the whole value: the quotes must enclose all of it"),
            )
    if mark is not None:
        explained = _layout(problem, error.context_mark, mark, Lines(text))
        if explained is not None:
            return explained
    if problem.startswith("mapping values are not allowed"):
        return Explanation(
            msg("': ' inside a value that is not quoted"),
            line,
            col,
            msg("quote the whole value: a colon followed by a space starts a mapping"),
        )
    if context.startswith("while parsing a flow") and error.context_mark is not None:
        # Unclosed brackets are only noticed where the file ends or the next
        # key starts; the opening bracket is where the fix is.
        bracket = "[" if "sequence" in context else "{"
        at = marked(error.context_mark)
        if context == "while parsing a flow node" and mark is not None:
            # libyaml names no collection here, and marks the node, not a bracket.
            found = unclosed(text, mark.index)
            if found is not None:
                bracket, at = found
        closing = "]" if bracket == "[" else "}"
        return Explanation(
            msg(
                "'{bracket}' is never closed, or a ',' is missing between its items",
                bracket=bracket,
            ),
            *at,
            msg("add the missing '{closing}', or a ',' between items", closing=closing),
        )
    if context.startswith("while scanning a quoted scalar") and error.context_mark is not None:
        return Explanation(
            msg("this quoted text is never closed"),
            *marked(error.context_mark),
            msg("add the closing quote"),
        )
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return Explanation(
            msg("tab character where YAML expects indentation"),
            line,
            col,
            msg("indent with spaces; YAML does not allow tabs for indentation"),
        )
    return _plainly(problem, context, line, col, text[mark.index : mark.index + 1] if mark else "")


def _requoted(before: str, text: str, at: int) -> str | None:
    """The value written out as one double-quoted text, for a hint; None when
    the quoted part does not start on this line."""
    start = max(before.rfind(": "), before.rfind("- "))
    quoted = (before[start + 2 :] if start >= 0 else before).strip()
    if len(quoted) < 2 or quoted[0] != quoted[-1]:
        return None
    inner = quoted[1:-1]
    if quoted.startswith("'"):
        inner = inner.replace("''", "'").replace("\\", "\\\\").replace('"', '\\"')
    rest = re.split(r"[\n,}\]#]", text[at:], maxsplit=1)[0].strip()
    full = f"{inner} {rest}".strip()
    return f'"{full[:39]}…"' if len(full) > 40 else f'"{full}"'


_BREAK = re.compile(r"\r\n|\r|\n")
# A line that holds a key: its indentation, the '- ' of the items it starts, the key.
_KEY = re.compile(
    r"( *)((?:- +)*)([^\s#'\"{}\[\],:&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?) *:(?:[ \t]|$)"
)
_ITEM = re.compile(r"-(?: |$)")
_WORD = re.compile(r"[^\s:#'\"{}\[\],]+")
# A key written with no space after its colon, at the start of a line's text.
_NO_SPACE = re.compile(r"([^\s:#'\"{}\[\],]+):([^\s:/].*?)(?:\s+#.*)?\s*$")


class Lines:
    """The lines of a text, numbered from 1 as libyaml's marks count them."""

    def __init__(self, text: str):
        self.lines = _BREAK.split(text)

    def __getitem__(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def above(self, number: int) -> tuple[int, str] | None:
        """The nearest line before ``number`` that holds more than a comment."""
        for before in range(number - 1, 0, -1):
            content = self[before].strip()
            if content and not content.startswith("#"):
                return before, self[before]
        return None

    def item_above(self, number: int) -> Position | None:
        """The nearest line before ``number`` that starts a '- ' item, and the
        column of its '-'."""
        for before in range(number - 1, 0, -1):
            content = self[before].lstrip(" ")
            if _ITEM.match(content):
                return before, len(self[before]) - len(content) + 1
        return None


def key_of(line: str) -> tuple[str, int] | None:
    """The key a line starts, and its column (after any '- ')."""
    found = _KEY.match(line)
    if found is None:
        return None
    return found.group(3), len(found.group(1)) + len(found.group(2)) + 1


def _layout(problem: str, context: Any, mark: Any, lines: Lines) -> Explanation | None:
    """A key indented too far or not far enough, a '- ' item where a key was
    due, a key with no space after its ':': said at the line that is wrong,
    which libyaml notices only at the next token."""
    line, col = marked(mark)
    here = lines[line]
    indent = len(here) - len(here.lstrip(" "))
    above = lines.above(line)
    outer = key_of(above[1]) if above else None
    key = key_of(here)
    if "sequence entries are not allowed" in problem and key and key[1] < col:
        items = _WORD.findall(here[col:])
        return Explanation(
            msg("a '- ' list cannot start on the line of its key '{key}'", key=key[0]),
            line,
            col,
            msg(
                "write '{key}: [{items}]', or put each '- ' item on a line of its own below "
                "'{key}:'",
                key=key[0],
                items=", ".join(items) or "…",
            ),
        )
    if problem.startswith("mapping values are not allowed") and above and outer is None:
        # 'id:app' on the line above is a plain value, not a key: the next
        # key's ':' is where libyaml notices.
        offset = len(above[1]) - len(above[1].lstrip(" -"))
        glued = _NO_SPACE.fullmatch(above[1], offset)
        if glued is not None:
            return _no_space(glued, above[0], offset)
    if problem.startswith("mapping values are not allowed") and above and outer:
        # A key indented past the key above continues that key's plain value,
        # and libyaml notices only the ':' after it.
        word = here[: col - 1].strip()
        before = lines.above(above[0])
        keys = key_of(before[1]) if before else None
        if _WORD.fullmatch(word) and keys and outer[1] < keys[1] == indent + 1:
            # The keys above and below it line up: the line between is the wrong one.
            return Explanation(
                msg("'{key}' is indented less than the keys of its item", key=outer[0]),
                above[0],
                outer[1],
                msg("line it up with them (column {column})", column=keys[1]),
            )
        if _WORD.fullmatch(word) and indent + 1 > outer[1]:
            return Explanation(
                msg(
                    "'{word}' is indented more than '{key}' on line {line}",
                    word=word,
                    key=outer[0],
                    line=above[0],
                ),
                line,
                indent + 1,
                msg(
                    "line it up with '{key}' (column {column}): indented further, it reads as "
                    "the rest of the value of '{key}'",
                    key=outer[0],
                    column=outer[1],
                ),
            )
    if context is None:
        return None
    first = key_of(lines[context.line + 1])
    opened = context.column + 1
    if problem == "did not find expected '-' indicator" and first:
        # The list's items have their keys at first[1]; this line is left of them.
        what = _what(here[col - 1 :])
        if col == opened:
            return Explanation(
                msg(
                    "{what} at the column of the list's '-', where the next '- ' item would start",
                    what=what,
                ),
                line,
                col,
                msg(
                    "indent it to line up with the keys of the item above (column {column}), "
                    "or start a new item with '- '",
                    column=first[1],
                ),
            )
        if above and outer and outer[1] == first[1]:
            return Explanation(
                msg(
                    "{what} is indented less than '{key}' on line {line}",
                    what=what,
                    key=outer[0],
                    line=above[0],
                ),
                line,
                col,
                msg("line it up with '{key}' (column {column})", key=outer[0], column=first[1]),
            )
        return Explanation(
            msg("{what} is indented less than the keys of the list item above", what=what),
            line,
            col,
            msg("line it up with them (column {column})", column=first[1]),
        )
    if problem == "did not find expected key":
        item = lines.item_above(line) if _ITEM.match(here[col - 1 :]) else None
        if item is not None and item[1] != col:
            return Explanation(
                msg("this '- ' item is not lined up with the one on line {line}", line=item[0]),
                line,
                col,
                msg("start it at the column of the '-' above (column {column})", column=item[1]),
            )
        if _ITEM.match(here[col - 1 :]):
            return Explanation(
                msg("a list item ('- ') where the mapping expects a key"),
                line,
                col,
                msg(
                    "a list goes under a key of its own (e.g. 'stages:' on the line above, "
                    "its items indented below it); or remove the '- ' if this is a key"
                ),
            )
        if above and outer and opened < col < outer[1]:
            return Explanation(
                msg(
                    "{what} is indented less than '{key}' on line {line}",
                    what=_what(here[col - 1 :]),
                    key=outer[0],
                    line=above[0],
                ),
                line,
                col,
                msg(
                    "line it up with '{key}' (column {column}), or with {other} "
                    "(column {other_column})",
                    key=outer[0],
                    column=outer[1],
                    other=_what(lines[context.line + 1][context.column :]),
                    other_column=opened,
                ),
            )
    if problem == "could not find expected ':'":
        start = lines[context.line + 1][context.column :]
        glued = _NO_SPACE.match(start)
        if glued is not None:
            return _no_space(glued, context.line + 1, context.column)
        return Explanation(
            msg("a line with no ':' where the mapping expects 'key: value'"),
            context.line + 1,
            context.column + 1,
            msg("add the ':' after the key, or quote the text and put it after a key"),
        )
    return None


def _no_space(glued: re.Match[str], line: int, start: int) -> Explanation:
    """A key glued to its value, ``glued`` matched from index ``start`` of ``line``."""
    key, value = glued.groups()
    return Explanation(
        msg("no space after the ':' of '{key}'", key=key),
        line,
        start + len(key) + 1,
        msg("write '{key}: {value}': a key's ':' is followed by a space", key=key, value=value),
    )


def _what(rest: str) -> str:
    """How a message names what starts ``rest``: its key, or 'this line'."""
    found = key_of(rest)
    return f"'{found[0]}'" if found else msg("this line")


# What libyaml's problems mean, for those no explanation above places better.
_PLAINLY = {
    "found character that cannot start any token": (
        N_("'{char}' cannot start a value"),
        N_("quote the value: YAML keeps '{char}' for itself at the start of one"),
    ),
    "found unknown escape character": (
        N_("an unknown escape in double quotes"),
        N_("write '\\\\' for a backslash, or use single quotes, where '\\' is just a character"),
    ),
    "found unexpected ':'": (
        N_("a ':' with no space after it, inside brackets"),
        N_("write a space after the ':' of a key, or quote a value that holds a ':'"),
    ),
    "did not find expected node content": (
        N_("a value is missing here"),
        N_("write the value, or quote the text if it starts with a character YAML keeps"),
    ),
    "did not find expected key": (
        N_("this line does not fit the mapping above it"),
        N_("check its indentation: a key lines up with the keys of its mapping"),
    ),
    "did not find expected '-' indicator": (
        N_("this line does not fit the list above it"),
        N_("check its indentation: a list's items start with '- ' at one column"),
    ),
    "did not find expected <document start>": (
        N_("more text follows the end of the map"),
        N_("remove it, or indent it under the key it belongs to"),
    ),
    "did not find expected comment or line break": (
        N_("more text follows where the line should end"),
        N_("quote the whole value"),
    ),
}


def _plainly(problem: str, context: str, line: int, col: int, char: str) -> Explanation:
    """The message of a problem no explanation above placed: libyaml's words
    are for those who know its grammar, so they are never shown."""
    for start, (message, hint) in _PLAINLY.items():
        if problem.startswith(start):
            return Explanation(msg(message, char=char), line, col, msg(hint, char=char))
    if context.startswith(("while scanning an anchor", "while scanning an alias")):
        return Explanation(
            msg("'&' or '*' here starts an anchor or an alias"),
            line,
            col,
            msg("quote the value: journeycode maps have no anchors or aliases"),
        )
    if context.startswith("while scanning a tag"):
        return Explanation(msg("'!' here starts a tag"), line, col, msg("quote the value"))
    return Explanation(
        msg("this is not YAML journeycode can read"),
        line,
        col,
        msg("check the indentation and the quotes of this line and of the one above"),
    )
