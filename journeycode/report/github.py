"""GitHub Actions workflow commands: one annotation per problem on the pull request.

``::error file=maps/a.yaml,line=3,col=5,title=unknown-reference::unknown channel 'x'``
"""

from __future__ import annotations

from journeycode.problems import Level, Result

_COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: Result) -> str:
    lines = []
    for p in result.problems:
        message = p.message + (f"\n{p.hint}" if p.hint else "")
        lines.append(
            f"::{_COMMANDS[p.level]} file={_property(p.path)},line={p.line},col={p.col},"
            f"title={_property(p.rule)}::{_data(message)}"
        )
    return "".join(line + "\n" for line in lines)
