"""GitHub Actions workflow commands: one annotation per problem on the pull request.

``::error file=maps/a.yaml,line=3,col=5,title=unknown-reference::unknown channel 'x'``
"""

from __future__ import annotations

from journeycode.i18n import say
from journeycode.problems import Level, Result
from journeycode.report.formats import PLAIN, Options

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def _data(text: str) -> str:
    # The runner reads these as a ::command first, so a ##[ in one is no older
    # command; it is shown as terminal text shows it all the same.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escaped.replace("##[", "##\\x5b")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    command: str, message: str, title: str, path: str | None, line: int = 1, col: int = 1
) -> str:
    """One workflow command; without a path, GitHub shows it on the run, not on a file."""
    where = f"file={_property(path)},line={line},col={col}," if path is not None else ""
    return f"::{command} {where}title={_property(title)}::{_data(message)}\n"


def report(result: Result, options: Options = PLAIN) -> str:
    return "".join(
        annotation(
            _COMMANDS[p.level],
            say(p.message) + (f"\n{say(p.hint)}" if p.hint else ""),
            p.rule,
            p.path,
            p.line,
            p.col,
        )
        for p in result.problems
    )
