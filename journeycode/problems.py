"""Problems, results and the exit codes: the one place they are defined.

Exit codes of every command:

* ``0`` — clean: no error (and, with ``--strict``, no warning either);
* ``1`` — the maps have problems: at least one error, or a warning under ``--strict``;
* ``2`` — journeycode could not do its job: bad usage, bad configuration, a
  path that does not exist, an output that could not be written;
* ``3`` — an internal error: a bug in journeycode, to be reported (``--debug``
  shows its traceback).
"""

from __future__ import annotations

import enum
import operator
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field, fields


class ExitCode(enum.IntEnum):
    OK = 0
    PROBLEMS = 1
    FAILURE = 2
    BUG = 3


class WorkspaceError(Exception):
    """The workspace cannot be checked at all: a missing folder, bad settings (exit 2).
    Like a problem's, its suggestion and fix are data beside the hint's words."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        fix: Fix | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.fix = fix

    @property
    def suggestion(self) -> str | None:
        """The did-you-mean candidate the hint names: what the fix writes."""
        return None if self.fix is None else self.fix.new


class Level(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_SEVERITY = {Level.INFO: 0, Level.WARNING: 1, Level.ERROR: 2}


@dataclass(frozen=True, order=True)
class Subject:
    """What a problem is about: an entity, or a rule or setting a file names,
    by its kind (a ``kinds`` name such as ``channel``, or ``rule``, ``key``) and id."""

    kind: str
    id: str


@dataclass(frozen=True)
class Fix:
    """A quick fix: the text written at the problem's position, and what replaces it."""

    old: str
    new: str


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located in a file. ``line`` and ``col`` are 1-based.

    Its message and hint are for people; what tools act on is data beside
    them, left out of comparisons so that reports keep their order."""

    path: str
    line: int
    col: int
    rule: str
    level: Level
    message: str
    hint: str | None = None
    _: KW_ONLY
    subject: Subject | None = field(default=None, compare=False)
    """What the problem is about (an entity, or a rule), when there is one."""
    detail: tuple[str, ...] = field(default=(), compare=False)
    """What tells it from another problem of its rule about the same subject
    (the persona a stage has no touchpoint for), so that problems are matched
    across revisions by what they are, never by their message."""
    fix: Fix | None = field(default=None, compare=False)
    """What replacing the text at the position with the suggestion means, when
    the position is the misspelt text itself."""

    @property
    def suggestion(self) -> str | None:
        """The did-you-mean candidate the hint names: what the fix writes."""
        return None if self.fix is None else self.fix.new

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


_ORDER = operator.attrgetter(*(f.name for f in fields(Problem) if f.compare))
"""Problems' order (their compared fields in turn) as a sort key: sorting the
thousands of problems of a compile takes a fifth of the time of comparing
them as dataclasses."""


@dataclass(frozen=True)
class Result:
    """What a check returns: the problems of a workspace, sorted, and what was read."""

    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    hidden: int = 0
    """Problems left out of the report by :meth:`at_least`."""
    hidden_counts: Counter[Level] = field(default_factory=Counter, compare=False)
    """Those problems by level, for a report that counts them instead."""

    @classmethod
    def of(cls, problems: Iterable[Problem], files: Iterable[str]) -> Result:
        return cls(tuple(sorted(problems, key=_ORDER)), tuple(files))

    def counts(self) -> Counter[Level]:
        return Counter(p.level for p in self.problems)

    def at_least(self, level: Level) -> Result:
        """Only the problems at ``level`` or more serious, for a short report."""
        keep = tuple(p for p in self.problems if _SEVERITY[p.level] >= _SEVERITY[level])
        left = Counter(p.level for p in self.problems if _SEVERITY[p.level] < _SEVERITY[level])
        return Result(keep, self.files, self.hidden + left.total(), self.hidden_counts + left)

    def most_serious_first(self) -> Result:
        """The same problems, errors first, then warnings, then info."""
        ordered = tuple(sorted(self.problems, key=lambda p: -_SEVERITY[p.level]))
        return Result(ordered, self.files, self.hidden, self.hidden_counts)

    def only(self, keep: Callable[[str], bool]) -> Result:
        """The problems of the files ``keep`` holds (by how problems name them)."""
        return Result(
            tuple(p for p in self.problems if keep(p.path)),
            tuple(f for f in self.files if keep(f)),
            self.hidden,
        )

    def exit_code(self, *, strict: bool = False) -> ExitCode:
        counts = self.counts()
        if counts[Level.ERROR] or (strict and counts[Level.WARNING]):
            return ExitCode.PROBLEMS
        return ExitCode.OK
