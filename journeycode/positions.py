"""Line and column of a character in a text: the one helper every located
problem of the text itself uses (the loader's, libyaml's explanations, the
measurement files')."""

from __future__ import annotations

Position = tuple[int, int]
"""A line and a column, both from 1."""


def position(text: str, index: int, *, start: int = 0, line: int = 1) -> Position:
    """Where ``text[index]`` is, counting ``\\n``, ``\\r\\n`` and ``\\r`` as line
    breaks (as libyaml and the csv reader do); from ``start``, the beginning of
    line ``line``, so that a long text is not counted again from its top."""
    # After a \r\n the line begins past its \n, which rfind finds last.
    begins = max(text.rfind("\n", start, index), text.rfind("\r", start, index)) + 1
    if not begins:
        return line, index - start + 1
    breaks = text.count("\n", start, index) + text.count("\r", start, index)
    return line + breaks - text.count("\r\n", start, index), index - begins + 1
