"""Reporters: a Result in, text out. The CLI picks one by name from REPORTERS."""

from __future__ import annotations

from collections.abc import Callable

from journeycode.problems import Result
from journeycode.report import github, json_report, junit, sarif, text

Reporter = Callable[[Result], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_report.report,
    "github": github.report,
    "sarif": sarif.report,
    "junit": junit.report,
}
