"""What every rule module has in common."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from journeycode import kinds
from journeycode.loader import Pointer
from journeycode.model import Entity, Journey, Src, Workspace
from journeycode.problems import Fix, Level, Problem, Subject


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
    subject: Subject | None = None
    """What the finding is about, when that is not the first of ``subjects``."""
    detail: tuple[str, ...] | None = None
    """What tells it from the rule's other findings about its subject; by
    default the other entities of ``subjects``."""
    fix: Fix | None = None
    """What a quick fix writes in place of the text at ``src``."""

    def problem(self, rule: str, level: Level) -> Problem:
        """The finding as a problem of ``rule`` at ``level``."""
        entities = [Subject(kinds.of(e).name, e.id) for e in self.subjects]
        subject = self.subject or (entities[0] if entities else None)
        detail = self.detail
        if detail is None:
            detail = tuple(f"{e.kind} {e.id}" for e in entities if e != subject)
        found = self.src.problem(rule, level, self.message, self.hint, key=self.key)
        return replace(found, subject=subject, detail=detail, fix=self.fix)


Silenced = tuple[str, Pointer, str]
"""A waiver that silenced a finding: the file and pointer of the entity that
waives, and the rule."""


def silence(entity: Entity, rule: str) -> Silenced:
    return entity.src.file.display, entity.src.pointer, rule


@dataclass(frozen=True)
class RuleContext:
    """What a rule is given besides the workspace."""

    today: datetime.date
    rule_ids: Collection[str]
    """Every rule's id: what a waiver may name."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """The rule's options: its defaults, then the settings file."""
    checked: Collection[str] = ()
    """The rules that ran before this one."""
    silenced: Collection[Silenced] = ()
    """Each waiver that silenced a finding so far."""
    unsettled: Collection[Entity] = ()
    """Entities unsettled for every rule (see :mod:`journeycode.runner`): their
    completeness is not judged while schema errors hide parts of them."""


class Configurable(Protocol):
    """A rule's public face: ``ID``, default ``LEVEL``, ``OPTIONS`` with their
    defaults, and a docstring that is its documentation."""

    ID: str
    LEVEL: Level
    SETTLED_BY: frozenset[str]
    """The kinds whose definitions the rule's findings rest on: a finding about
    an entity that refers to one that is undefined, or left out for a schema
    error, may be an echo of that error and is not reported."""
    OPTIONS: Mapping[str, Any]
    __doc__: str | None


class Rule(Configurable, Protocol):
    """A rule module that checks the model, in one or two parts.

    ``check_journey(journey, workspace, context)`` finds what is wrong in one
    journey. It may read that journey, the catalogs (their entities and KPIs'
    measurements), what may be missing (``may_define``), its options and today,
    and nothing else: no other journey. Its findings are kept per journey, so a
    journey that did not change is not checked again while those stay the same.
    ``check(workspace, context)`` finds the rest, looking at the whole workspace.
    """


JourneyCheck = Callable[[Journey, Workspace, RuleContext], Iterator[Finding]]
WorkspaceCheck = Callable[[Workspace, RuleContext], Iterator[Finding]]


def parts(rule: Rule) -> tuple[JourneyCheck | None, WorkspaceCheck | None]:
    """A rule's journey part and workspace part, either of which may be missing."""
    return getattr(rule, "check_journey", None), getattr(rule, "check", None)
