"""``path:line:col: level: message [rule]``, a hint line where there is one, and a summary."""

from __future__ import annotations

from journeycode.problems import Level, Result


def report(result: Result) -> str:
    lines = []
    for problem in result.problems:
        lines.append(f"{problem.location}: {problem.level}: {problem.message} [{problem.rule}]")
        if problem.hint:
            lines.append(f"    hint: {problem.hint}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: Result) -> str:
    files = _plural(len(result.files), "file")
    if not result.problems:
        return f"No problems in {files}."
    counts = result.counts()
    parts = ", ".join(
        _plural(counts[level], level.value) for level in (Level.ERROR, Level.WARNING, Level.INFO)
    )
    return f"{_plural(len(result.problems), 'problem')} ({parts}) in {files}."


def _plural(count: int, noun: str) -> str:
    if noun == "info":
        return f"{count} info"
    return f"{count} {noun}{'' if count == 1 else 's'}"
