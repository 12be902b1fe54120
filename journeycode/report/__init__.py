"""Reporters: a Result in, text out. ``check --format`` picks one by name from
:data:`FORMATS`; :mod:`~journeycode.report.formats` is the shape every
command's formats share."""

from __future__ import annotations

from journeycode.problems import Result
from journeycode.report import github, json_report, junit, sarif, text
from journeycode.report.formats import Format, Formats

FORMATS: Formats[Result] = Formats(
    Format("text", "for people", text.report, color=True),
    Format("json", "for tools", json_report.report),
    Format("github", "for workflow annotations", github.report),
    Format("sarif", "for code scanning", sarif.report, strict=True),
    Format("junit", "for test dashboards", junit.report, strict=True),
)
