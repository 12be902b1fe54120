"""Did-you-mean hints and short renderings of user values for messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from journeycode import i18n, ids
from journeycode.problems import Fix

_MAX_SHOWN = 60


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, or None when nothing is close. A word
    in Cyrillic is compared as the id it reads as (``бот`` as ``bot``): compared
    as written it shares no letter with any id."""
    known = sorted(set(candidates))
    compared = ids.suggested(word) if ids.cyrillic(word) else None
    close = difflib.get_close_matches(compared or word, known, n=1, cutoff=0.6)
    return close[0] if close else None


def hint(suggestion: str | None) -> str | None:
    """The hint that names a suggestion."""
    return (
        None
        if suggestion is None
        else i18n.msg("did you mean '{suggestion}'?", suggestion=suggestion)
    )


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or None when nothing is close."""
    return hint(closest(word, candidates))


def fix(word: str, suggestion: str | None) -> Fix | None:
    """Writing the suggestion in place of ``word``."""
    return None if suggestion is None else Fix(word, suggestion)


def show(value: Any) -> str:
    """A value as a message shows it: short, one line, never a whole document."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return i18n.msg("a mapping")
    if isinstance(value, list):
        return i18n.msg("a list")
    if isinstance(value, str):
        text = value.replace("\n", "\\n")
        if len(text) > _MAX_SHOWN:
            text = text[: _MAX_SHOWN - 1] + "…"
        return f"'{text}'"
    return repr(value)
