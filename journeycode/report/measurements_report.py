"""What ``journeycode measurements`` read, as text, CSV and JSON: :data:`FORMATS`.

Text is a block per source (its files and rows, the periods, KPIs and parts
of its values, what was left out and why, then the values); CSV a row per
value; JSON all of it. File names, codes and parts are the exports' text,
escaped for where they go.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from journeycode.i18n import _, ngettext, say
from journeycode.measurements import Shown, SourceRead, part
from journeycode.model import Measurement
from journeycode.problems import Problem
from journeycode.quoting import json_document, spreadsheet_cell, terminal
from journeycode.report.formats import PLAIN, Format, Formats, Options
from journeycode.report.json_report import problem_dict
from journeycode.report.text import level

VERSION = 1


def _listed(items: list[str]) -> str:
    return ", ".join(map(terminal, items)) if items else _("none")


def _problem(problem: Problem) -> list[str]:
    lines = [
        f"    {terminal(problem.location)}: {level(problem.level)}: "
        f"{terminal(say(problem.message))} [{problem.rule}]"
    ]
    if problem.hint:
        lines.append("      " + _("hint: {hint}").format(hint=terminal(say(problem.hint))))
    return lines


def _number(value: float) -> str:
    return format(round(value, 2), "g") if abs(value) < 1e15 else format(value, "g")


def text(shown: Shown, options: Options = PLAIN) -> str:
    lines: list[str] = []
    for source in shown.sources:
        heading = terminal(source.name)
        if source.where is not None:
            heading += f" ({terminal(source.where)})"
        lines.append(options.paint("1", heading))
        files = ngettext("{count} file", "{count} files", len(source.files)).format(
            count=len(source.files)
        )
        rows = ngettext("{count} row", "{count} rows", source.rows).format(count=source.rows)
        lines.append(f"  {files}, {rows}")
        lines.append("  " + _("periods: {periods}").format(periods=_listed(source.periods)))
        lines.append("  " + _("KPIs: {kpis}").format(kpis=_listed(source.kpis)))
        lines.append("  " + _("parts: {parts}").format(parts=_listed(source.parts)))
        if source.ignored:
            lines.append("  " + _("left out:"))
            for problem in source.ignored:
                lines.extend(_problem(problem))
        else:
            lines.append("  " + _("left out: nothing"))
        if source.values:
            lines.append("  " + _("values:"))
            width = max(len(terminal(kpi)) for kpi, _m in source.values)
            for kpi, m in source.values:
                shown_part = terminal(part(m))
                lines.append(
                    f"    {terminal(kpi):<{width}}  {m.date}  {_number(m.value):>10}"
                    + (f"  {shown_part}" if shown_part else "")
                )
        lines.append("")
    if shown.other:
        lines.append(options.paint("1", _("the settings")))
        for problem in shown.other:
            lines.extend(_problem(problem))
        lines.append("")
    if not shown.sources and not shown.other:
        lines.append(_("no measurement files"))
    return "\n".join(lines).rstrip("\n") + "\n"


_COLUMNS = ("source", "kpi", "period_end", "journey", "stage", "channel", "segment", "value", "row")


def csv_report(shown: Shown, options: Options = PLAIN) -> str:
    """A row per value, as the long measurement files write them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for source in shown.sources:
        for kpi, m in source.values:
            texts = (source.name, kpi, m.date, m.journey, m.stage, m.channel, m.segment)
            writer.writerow(
                [
                    *(spreadsheet_cell(t or "") for t in texts),
                    repr(m.value),
                    spreadsheet_cell(m.row or ""),
                ]
            )
    return buffer.getvalue()


def _value(kpi: str, m: Measurement) -> dict[str, Any]:
    return {
        "kpi": kpi,
        "period_end": m.date,
        "journey": m.journey,
        "stage": m.stage,
        "channel": m.channel,
        "segment": m.segment,
        "value": m.value,
        "row": m.row,
    }


def _source(source: SourceRead) -> dict[str, Any]:
    return {
        "name": source.name,
        "where": source.where,
        "files": list(source.files),
        "rows": source.rows,
        "periods": source.periods,
        "kpis": source.kpis,
        "parts": source.parts,
        "ignored": [problem_dict(p) for p in source.ignored],
        "values": [_value(kpi, m) for kpi, m in source.values],
    }


def json_report(shown: Shown, options: Options = PLAIN) -> str:
    return json_document(
        {
            "version": VERSION,
            "sources": [_source(s) for s in shown.sources],
            "problems": [problem_dict(p) for p in shown.other],
        }
    )


FORMATS: Formats[Shown] = Formats(
    Format("text", "for a terminal", text, color=True),
    Format("csv", "for spreadsheets (a row per value)", csv_report),
    Format("json", "for tools", json_report),
)
