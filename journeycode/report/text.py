"""``path:line:col: level: message [rule]``, a hint line where there is one, and a summary.

Map text (file names, messages, hints) is :func:`~journeycode.quoting.terminal` text.

Colour is for terminals only: :func:`report` adds ANSI colours when
``options.color`` says so, which the CLI decides (a TTY without ``NO_COLOR``).
"""

from __future__ import annotations

from journeycode.naming import counted
from journeycode.problems import Level, Result
from journeycode.quoting import terminal
from journeycode.report.formats import PLAIN, Options

_COLORS = {Level.ERROR: "31", Level.WARNING: "33", Level.INFO: "36"}


def report(result: Result, options: Options = PLAIN) -> str:
    paint = options.paint

    lines = []
    for problem in result.problems:
        lines.append(
            f"{paint('1', terminal(problem.location))}: "
            f"{paint(_COLORS[problem.level], problem.level)}: "
            f"{terminal(problem.message)} {paint('2', f'[{problem.rule}]')}"
        )
        if problem.hint:
            lines.append(f"    hint: {terminal(problem.hint)}")
    lines.append(summary(result, options.shows_all, strict=options.strict))
    return "\n".join(lines) + "\n"


def summary(result: Result, shows_all: str | None = None, *, strict: bool = False) -> str:
    """The last line; with ``shows_all`` (``check --errors-first``) it counts
    the problems left out by level and names the command that lists them."""
    files = counted(len(result.files), "file")
    if shows_all is not None and result.hidden:
        left = result.hidden_counts
        rest = ", ".join(
            counted(left[level], level.value)
            for level in (Level.WARNING, Level.INFO)
            if left[level]
        )
        if not result.problems:
            failing = "errors or warnings" if strict else "errors"
            return f"No {failing} in {files}; {rest}: {shows_all} shows them."
        counts = result.counts()
        failing = ", ".join(
            counted(counts[level], level.value)
            for level in (Level.ERROR, Level.WARNING)
            if counts[level]
        )
        return f"{failing} in {files}; and {rest}: {shows_all} shows them."
    hidden = f" ({result.hidden} below --min-level not shown)" if result.hidden else ""
    if not result.problems:
        return f"No problems shown in {files}{hidden}." if hidden else f"No problems in {files}."
    counts = result.counts()
    parts = ", ".join(
        counted(counts[level], level.value) for level in (Level.ERROR, Level.WARNING, Level.INFO)
    )
    return f"{counted(len(result.problems), 'problem')} ({parts}) in {files}{hidden}."
