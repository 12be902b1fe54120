"""Exit codes: defined once, derived from the problems."""

from __future__ import annotations

import pytest

from journeycode.problems import ExitCode, Level, Problem, Result


def _result(*levels: Level) -> Result:
    return Result.of((Problem("a.yaml", 1, 1, "r", level, "m") for level in levels), ["a.yaml"])


@pytest.mark.parametrize(
    ("levels", "strict", "code"),
    [
        ((), False, ExitCode.OK),
        ((), True, ExitCode.OK),
        ((Level.INFO,), True, ExitCode.OK),
        ((Level.WARNING,), False, ExitCode.OK),
        ((Level.WARNING,), True, ExitCode.PROBLEMS),
        ((Level.ERROR,), False, ExitCode.PROBLEMS),
        ((Level.ERROR, Level.WARNING, Level.INFO), False, ExitCode.PROBLEMS),
    ],
)
def test_exit_code(levels: tuple[Level, ...], strict: bool, code: ExitCode) -> None:
    assert _result(*levels).exit_code(strict=strict) == code


def test_problems_are_sorted_by_file_then_position() -> None:
    result = Result.of(
        [
            Problem("b.yaml", 1, 1, "r", Level.ERROR, "m"),
            Problem("a.yaml", 10, 2, "r", Level.ERROR, "m"),
            Problem("a.yaml", 2, 30, "r", Level.ERROR, "m"),
        ],
        [],
    )
    assert [p.location for p in result.problems] == ["a.yaml:2:30", "a.yaml:10:2", "b.yaml:1:1"]
