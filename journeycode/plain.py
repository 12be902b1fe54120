"""Plain (unquoted) scalars by the YAML 1.2 core schema, as journeycode reads
them: only ``true``/``false`` (in three spellings) are booleans, ``0755`` is
the decimal 755, dates stay strings, and integers stop at ±:data:`MAX_INT`.
Both readers of :mod:`journeycode.loader` resolve their plain scalars here."""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 64
"""How deep mappings and sequences may nest."""

WORDS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
NUMERIC_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


# Larger integers cannot be written to JSON reports or checked by the fast
# validator, and Python will not even print one past 4,300 digits.
MAX_INT = 2**63 - 1


class TooLarge(ValueError):
    """A plain scalar that reads as an integer journeycode cannot hold."""


def resolve_plain(value: str) -> Any:
    """The YAML 1.2 core-schema value of a plain (unquoted) scalar. Raises
    TooLarge for an integer beyond ±MAX_INT."""
    if value in WORDS:
        return WORDS[value]
    if value[0] in NUMERIC_START:
        if _INT.match(value):
            return _integer(value.lstrip("+-").lstrip("0"), 10, value)
        if _FLOAT.match(value):
            return float(value)
        if _OCT.match(value):
            return _integer(value[2:], 8, value)
        if _HEX.match(value):
            return _integer(value[2:], 16, value)
        inf = _INF.match(value)
        if inf:
            return float(f"{inf.group(1)}inf")
        if _NAN.match(value):
            return float("nan")
    return value


def _integer(digits: str, base: int, written: str) -> int:
    # The length first: int() refuses more than 4,300 decimal digits.
    value = int(digits or "0", base) if len(digits) <= 64 else MAX_INT + 1
    if value > MAX_INT:
        raise TooLarge(written)
    return -value if written.startswith("-") else value
