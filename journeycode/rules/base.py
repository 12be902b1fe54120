"""What every rule module has in common."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from journeycode.model import Src, Workspace
from journeycode.problems import Level


@dataclass(frozen=True)
class Finding:
    """A rule's raw result; the runner turns it into a Problem at the configured level."""

    src: Src
    message: str
    hint: str | None = None
    key: bool = False
    """Point at the mapping key of ``src`` rather than its value."""


class Rule(Protocol):
    """A rule module: ``ID``, default ``LEVEL``, a docstring that is its documentation,
    and ``check``."""

    ID: str
    LEVEL: Level
    __doc__: str | None

    def check(self, workspace: Workspace, options: Mapping[str, Any]) -> Iterator[Finding]: ...
