"""Coverage as text (matrices a terminal can show), JSON and Markdown:
:data:`FORMATS`, which ``coverage --format`` reads."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from journeycode.coverage import SHARES, Coverage, JourneyCoverage, Share, percent
from journeycode.i18n import _, ngettext
from journeycode.quoting import json_document, markdown_heading, markdown_inline, terminal
from journeycode.report.formats import PLAIN, Format, Formats, Options

VERSION = 1


def _share(share: Share) -> str:
    return f"{percent(share.percent):>5} ({share.covered}/{share.total})"


def _matrix(
    title: str, rows: Mapping[str, Mapping[str, int]], stages: tuple[str, ...]
) -> list[str]:
    names = {name: terminal(name) for name in rows}
    shown = [terminal(stage) for stage in stages]
    width = max([len(title), *map(len, names.values())])
    widths = [max(len(s), 3) for s in shown]
    lines = [
        f"  {title:<{width}}  " + "  ".join(f"{s:>{w}}" for s, w in zip(shown, widths, strict=True))
    ]
    for name, cells in rows.items():
        marks = [(str(cells[s]) if cells[s] else "·") for s in stages]
        lines.append(
            f"  {names[name]:<{width}}  "
            + "  ".join(f"{m:>{w}}" for m, w in zip(marks, widths, strict=True))
        )
    return lines


def text(cov: Coverage, options: Options = PLAIN) -> str:
    lines: list[str] = []
    for journey in cov.journeys:
        title = f"{terminal(journey.name)} [{terminal(journey.id)}]"
        lines.append(
            _("{journey}  total {percent}").format(journey=title, percent=percent(journey.total))
        )
        lines += _matrix(_("persona \\ stage"), journey.personas, journey.stages)
        lines.append("")
        lines += _matrix(_("channel \\ stage"), journey.channels, journey.stages)
        lines.append("")
        lines += [
            f"  {_(SHARES[name]):<46} {_share(share)}" for name, share in journey.shares.items()
        ]
        lines.append("")
    count = len(cov.journeys)
    lines.append(
        ngettext(
            "Portfolio ({count} journey)  total {percent}",
            "Portfolio ({count} journeys)  total {percent}",
            count,
        ).format(count=count, percent=percent(cov.total))
    )
    lines += [f"  {_(SHARES[name]):<46} {_share(share)}" for name, share in cov.shares.items()]
    lines += ["", _("KPI health: {health}").format(health=cov.health)]
    return "\n".join(lines) + "\n"


def _shares_json(shares: Mapping[str, Share]) -> dict[str, Any]:
    return {
        name: {"covered": s.covered, "total": s.total, "percent": s.percent}
        for name, s in shares.items()
    }


def _journey_json(journey: JourneyCoverage) -> dict[str, Any]:
    return {
        "id": journey.id,
        "name": journey.name,
        "stages": list(journey.stages),
        "personas": journey.personas,
        "channels": journey.channels,
        "shares": _shares_json(journey.shares),
        "total": journey.total,
    }


def json_report(cov: Coverage, options: Options = PLAIN) -> str:
    document = {
        "version": VERSION,
        "total": cov.total,
        "shares": _shares_json(cov.shares),
        "journeys": [_journey_json(j) for j in cov.journeys],
        "health": {
            "on_target": list(cov.health.on_target),
            "off_target": list(cov.health.off_target),
            "unmeasured": list(cov.health.unmeasured),
        },
    }
    return json_document(document)


def markdown(cov: Coverage, options: Options = PLAIN) -> str:
    lines = [
        "# " + _("Coverage"),
        "",
        _("Portfolio total: **{percent}**").format(percent=percent(cov.total)),
        "",
    ]
    lines += [_("KPI health: {health}").format(health=cov.health), ""]
    cell = functools.partial(markdown_inline, line_start=False)
    header = "| | " + " | ".join(cell(j.id) for j in cov.journeys) + f" | {_('portfolio')} |"
    lines += [header, "|---" * (len(cov.journeys) + 2) + "|"]
    for name, label in SHARES.items():
        percents = [percent(j.shares[name].percent) for j in cov.journeys]
        lines.append(
            f"| {_(label)} | " + " | ".join(percents) + f" | {percent(cov.shares[name].percent)} |"
        )
    lines.append("")
    for journey in cov.journeys:
        lines += [f"## {markdown_heading(journey.name)}", ""]
        for title, matrix in ((_("Persona"), journey.personas), (_("Channel"), journey.channels)):
            lines.append(f"| {title} | " + " | ".join(map(cell, journey.stages)) + " |")
            lines.append("|---" * (len(journey.stages) + 1) + "|")
            for row, cells in matrix.items():
                lines.append(
                    f"| {cell(row)} | "
                    + " | ".join(str(cells[s]) if cells[s] else "—" for s in journey.stages)
                    + " |"
                )
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


FORMATS: Formats[Coverage] = Formats(
    Format("text", "for a terminal", text),
    Format("json", "for tools", json_report),
    Format("markdown", "for a page or a pull-request comment", markdown),
)
