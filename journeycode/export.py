"""Exports of the compiled model: a JSON manifest, a CSV touchpoint sheet, Mermaid
(:data:`FORMATS`, which ``export --format`` reads).

The JSON manifest (``manifest_version`` 1) is the contract for other tools::

    {
      "manifest_version": 1,
      "generator": "journeycode 0.1.0",
      "personas": [{"id", "name", "description", "goals", "frustrations",
                    "preferred_channels", "waive"}],
      "channels": [{"id", "name", "type", "mode", "hours", "description", "waive"}],
      "owners":   [{"id", "name", "contact", "description", "waive"}],
      "systems":  [{"id", "name", "description", "waive"}],
      "kpis":     [{"id", "name", "kind", "unit", "direction", "range", "target",
                    "owner", "channels", "measurements": [{"date", "value"}], ...,
                    "status": "on target" | "off target" | null,
                    "shown": {"target", "latest"}}],   # as every page writes them
      "journeys": [{"id", "name", "version", "status", "owner", "reviewed", "personas",
                    "stages": [{"id", "name", "goal", "owner", "kpis",
                                "touchpoints": [{"id", "name", "channel", "owner",
                                                 "effective_owner", "personas",
                                                 "effective_personas", "emotion", ...}]}],
                    "opportunities": [...], "source": "maps/journeys/x.yaml"}],
      "problems": [{"path", "line", "col", "level", "rule", "message", "hint"}],
      "coverage": {"total", "shares", "journeys"}
    }

Keys may be added in a minor release; a key changes meaning or disappears only
with a new ``manifest_version``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from journeycode import __version__, kinds, values
from journeycode.compiler import Compiled
from journeycode.coverage import coverage
from journeycode.model import Channel, Entity, Journey, Kpi, Persona, Workspace
from journeycode.queries import emotion_for, owner_of
from journeycode.quoting import (
    json_document,
    mermaid_actor,
    mermaid_heading,
    mermaid_text,
    spreadsheet_cell,
)
from journeycode.report.coverage_report import json_report as coverage_json
from journeycode.report.formats import PLAIN, Format, Formats, Options
from journeycode.report.json_report import problem_dict

MANIFEST_VERSION = 1
CSV_COLUMNS = (
    "journey",
    "journey_name",
    "stage",
    "stage_name",
    "touchpoint",
    "touchpoint_name",
    "channel",
    "channel_mode",
    "owner",
    "persona",
    "emotion",
    "moment_of_truth",
    "initiated_by",
    "routing",
    "pain_points",
    "kpis",
    "systems",
)


def _plain(entity: Entity, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in dataclasses.fields(entity):
        if field.name in ("src", *skip):
            continue
        value = getattr(entity, field.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            # Parts (measurements) without their unset fields: a row's breakdown, its file.
            value = [
                _plain(v)
                if isinstance(v, Entity)
                else {k: x for k, x in dataclasses.asdict(v).items() if x is not None}
                for v in value
            ]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, frozenset):
            value = sorted(value)
        elif hasattr(value, "items"):
            value = dict(value)
        data[field.name] = value
    return data


def _kpi(kpi: Kpi) -> dict[str, Any]:
    """The KPI, its status and its numbers written the way the site writes them
    (``≤ 7 min``, ``7 min 21 s``), for a dashboard that shows them as they are."""
    data = _plain(kpi)
    last = values.latest(kpi)
    status = values.status(kpi)
    data["status"] = None if status is None else status.value
    data["shown"] = {
        "target": values.target(kpi),
        "latest": None if last is None else values.value(last.value, kpi),
    }
    return data


def _journey(workspace: Workspace, journey: Journey) -> dict[str, Any]:
    data = _plain(journey, skip=("stages", "dropped_ids"))
    data["stages"] = []
    for stage in journey.stages:
        stage_data = _plain(stage, skip=("touchpoints",))
        stage_data["touchpoints"] = []
        for tp in stage.touchpoints:
            tp_data = _plain(tp)
            tp_data["effective_owner"] = owner_of(stage, tp)
            tp_data["effective_personas"] = list(journey.personas_at(tp))
            stage_data["touchpoints"].append(tp_data)
        data["stages"].append(stage_data)
    data["source"] = journey.src.file.display
    return data


def _entry(entity: Entity) -> dict[str, Any]:
    """A catalog entry as the manifest writes it: a KPI with its status and
    numbers, any other kind as it is."""
    return _kpi(entity) if isinstance(entity, Kpi) else _plain(entity)


def manifest(compiled: Compiled, options: Options = PLAIN) -> str:
    workspace = compiled.workspace
    document = {
        "manifest_version": MANIFEST_VERSION,
        "generator": f"journeycode {__version__}",
        **{
            str(kind.section): [_entry(e) for e in workspace.by_id(kind.model).values()]
            for kind in kinds.CATALOG
        },
        "journeys": [_journey(workspace, j) for j in workspace.by_id(Journey).values()],
        "problems": [problem_dict(p) for p in compiled.result.problems],
        "coverage": json.loads(coverage_json(coverage(workspace))),
    }
    return json_document(document)


def touchpoint_sheet(compiled: Compiled, options: Options = PLAIN) -> str:
    workspace = compiled.workspace
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for journey in workspace.by_id(Journey).values():
        for stage, tp in journey.touchpoints():
            channel = workspace.by_id(Channel).get(tp.channel)
            for persona in journey.personas_at(tp):
                emotion = emotion_for(tp, persona)
                texts = [
                    journey.id,
                    journey.name,
                    stage.id,
                    stage.name,
                    tp.id,
                    tp.name,
                    tp.channel,
                    channel.mode if channel else "",
                    owner_of(stage, tp) or "",
                    persona,
                ]
                writer.writerow(
                    [
                        *map(spreadsheet_cell, texts),
                        "" if emotion is None else f"{emotion:g}",
                        "true" if tp.moment_of_truth else "false",
                        tp.initiated_by or "",
                        tp.routing or "",
                        " ".join(p.id for p in tp.pain_points),
                        " ".join(tp.kpis),
                        " ".join(tp.systems),
                    ]
                )
    return buffer.getvalue()


def mermaid(compiled: Compiled, options: Options = PLAIN) -> str:
    """A Markdown document with one Mermaid ``journey`` per journey (GitHub renders it).

    Mermaid scores run 1 to 5: emotion -2..+2 maps to 1..5, and touchpoints with no
    emotion for a persona get 3 (neutral). Personas with different emotions at
    one touchpoint get one task line each. Names are map text: the heading is
    escaped for Markdown, the diagram's text for Mermaid (:mod:`journeycode.quoting`).
    """
    workspace = compiled.workspace
    names = {p.id: p.name for p in workspace.by_id(Persona).values()}
    out: list[str] = []
    for journey in workspace.by_id(Journey).values():
        out += [f"## {mermaid_heading(journey.name)}", "", "```mermaid", "journey"]
        out.append(f"    title {mermaid_text(journey.name)}")
        for stage in journey.stages:
            out.append(f"    section {mermaid_text(stage.name)}")
            for tp in stage.touchpoints:
                by_score: dict[int, list[str]] = {}
                for persona in journey.personas_at(tp):
                    emotion = emotion_for(tp, persona)
                    score = 3 if emotion is None else round(emotion) + 3
                    by_score.setdefault(score, []).append(
                        mermaid_actor(names.get(persona, persona))
                    )
                for score, actors in sorted(by_score.items(), reverse=True):
                    out.append(f"      {mermaid_text(tp.name)}: {score}: {', '.join(actors)}")
        out += ["```", ""]
    return "\n".join(out)


FORMATS: Formats[Compiled] = Formats(
    Format("json", "for tools (the manifest)", manifest),
    Format("csv", "for spreadsheets (a row per touchpoint and persona)", touchpoint_sheet),
    Format("mermaid", "for Markdown pages (a diagram per journey)", mermaid),
)
