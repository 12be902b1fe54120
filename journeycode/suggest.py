"""Did-you-mean hints and short renderings of user values for messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

_MAX_SHOWN = 60


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or None when nothing is close."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def show(value: Any) -> str:
    """A value as a message shows it: short, one line, never a whole document."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        text = value.replace("\n", "\\n")
        if len(text) > _MAX_SHOWN:
            text = text[: _MAX_SHOWN - 1] + "…"
        return f"'{text}'"
    return repr(value)
