"""``path:line:col: level: message [rule]``, a hint line where there is one, and a summary.

Map text (file names, messages, hints) is :func:`~journeycode.quoting.terminal` text.
Messages and hints are said in the reader's language (:func:`journeycode.i18n.say`),
as are the level and the summary; rule ids stay as they are.

Colour is for terminals only: :func:`report` adds ANSI colours when
``options.color`` says so, which the CLI decides (a TTY without ``NO_COLOR``).
"""

from __future__ import annotations

from journeycode.i18n import N_, _, ngettext, say
from journeycode.naming import counted
from journeycode.problems import Level, Result
from journeycode.quoting import terminal
from journeycode.report.formats import PLAIN, Options

_COLORS = {Level.ERROR: "31", Level.WARNING: "33", Level.INFO: "36"}

LEVELS: dict[Level, str] = {
    Level.ERROR: N_("error"),
    Level.WARNING: N_("warning"),
    Level.INFO: N_("info"),
}
"""How a problem's level reads in a report for people (the level's value is
what tools read: JSON, SARIF)."""


def level(value: Level) -> str:
    """The level as a reader reads it: ``error``, ``ошибка``, ``错误``."""
    return _(LEVELS[value])


def report(result: Result, options: Options = PLAIN) -> str:
    paint = options.paint

    lines = []
    hint = _("hint: {hint}")
    for problem in result.problems:
        lines.append(
            f"{paint('1', terminal(problem.location))}: "
            f"{paint(_COLORS[problem.level], level(problem.level))}: "
            f"{terminal(say(problem.message))} {paint('2', f'[{problem.rule}]')}"
        )
        if problem.hint:
            lines.append("    " + hint.format(hint=terminal(say(problem.hint))))
    lines.append(summary(result, options.shows_all, strict=options.strict))
    return "\n".join(lines) + "\n"


def _listed(parts: list[str]) -> str:
    """Two or three counts, as the summary lists them: ``2 errors, 1 warning``."""
    listed = parts[0]
    for part in parts[1:]:
        listed = _("{first}, {then}").format(first=listed, then=part)
    return listed


def summary(result: Result, shows_all: str | None = None, *, strict: bool = False) -> str:
    """The last line; with ``shows_all`` (``check --errors-first``) it counts
    the problems left out by level and names the command that lists them."""
    n = len(result.files)
    files = ngettext("in {count} file", "in {count} files", n).format(count=n)
    if shows_all is not None and result.hidden:
        left = result.hidden_counts
        rest = _listed(
            [counted(left[lvl], lvl.value) for lvl in (Level.WARNING, Level.INFO) if left[lvl]]
        )
        if not result.problems:
            words = (
                _("No errors or warnings {files}; {rest}: {command} shows them.")
                if strict
                else _("No errors {files}; {rest}: {command} shows them.")
            )
            return words.format(files=files, rest=rest, command=shows_all)
        counts = result.counts()
        failing = _listed(
            [counted(counts[lvl], lvl.value) for lvl in (Level.ERROR, Level.WARNING) if counts[lvl]]
        )
        return _("{failing} {files}; and {rest}: {command} shows them.").format(
            failing=failing, files=files, rest=rest, command=shows_all
        )
    if not result.problems:
        if result.hidden:
            return _("No problems shown {files} ({hidden} below --min-level not shown).").format(
                files=files, hidden=result.hidden
            )
        return _("No problems {files}.").format(files=files)
    counts = result.counts()
    found = len(result.problems)
    said = {
        "problems": counted(found, "problem"),
        "levels": _listed([counted(counts[lvl], lvl.value) for lvl in Level]),
        "files": files,
        "hidden": result.hidden,
    }
    if result.hidden:
        return _("{problems} ({levels}) {files} ({hidden} below --min-level not shown).").format(
            **said
        )
    return _("{problems} ({levels}) {files}.").format(**said)
