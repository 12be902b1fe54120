"""What every rule module has in common."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from journeycode.model import Entity, Src, Workspace
from journeycode.problems import Level


@dataclass(frozen=True)
class Finding:
    """A rule's raw result; the runner turns it into a Problem at the configured level."""

    src: Src
    message: str
    hint: str | None = None
    subjects: tuple[Entity, ...] = ()
    """The entities whose ``waive:`` can silence this finding."""
    key: bool = False
    """Point at the mapping key of ``src`` rather than its value."""


class Configurable(Protocol):
    """A rule's public face: ``ID``, default ``LEVEL``, ``OPTIONS`` with their
    defaults, and a docstring that is its documentation."""

    ID: str
    LEVEL: Level
    OPTIONS: Mapping[str, Any]
    __doc__: str | None


class Rule(Configurable, Protocol):
    """A rule module that checks the model."""

    def check(self, workspace: Workspace, options: Mapping[str, Any]) -> Iterator[Finding]: ...
