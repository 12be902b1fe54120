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
        f"nesting is deeper than {max_depth} levels",
        *at,
        "flatten the structure: journeycode maps never need this depth",
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
                "more text follows a quoted value",
                line,
                col,
                "quote the whole value: the quotes must enclose all of it"
                + (f", as in {example}" if example else ""),
            )
    if problem.startswith("mapping values are not allowed"):
        return Explanation(
            "': ' inside a value that is not quoted",
            line,
            col,
            "quote the whole value: a colon followed by a space starts a mapping",
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
            f"'{bracket}' is never closed ({problem})",
            *at,
            f"add the missing '{closing}', or a ',' between items",
        )
    if context.startswith("while scanning a quoted scalar") and error.context_mark is not None:
        return Explanation(
            "this quoted text is never closed", *marked(error.context_mark), "add the closing quote"
        )
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return Explanation(
            "tab character where YAML expects indentation",
            line,
            col,
            "indent with spaces; YAML does not allow tabs for indentation",
        )
    message = f"{context}: {problem}" if context else problem
    return Explanation(f"invalid YAML: {message}", line, col)


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
