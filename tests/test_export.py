"""journeycode export: the JSON manifest, the CSV sheet, the Mermaid journeys."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import compile_workspace
from journeycode.export import CSV_COLUMNS, manifest, mermaid, touchpoint_sheet
from journeycode.model import Channel, Journey
from tests.conftest import ROOT, write_files

SAMPLE = compile_workspace(ROOT / "maps", "maps")


def test_manifest_holds_the_resolved_model() -> None:
    document = json.loads(manifest(SAMPLE))
    assert document["manifest_version"] == 1
    assert [j["id"] for j in document["journeys"]] == [
        j.id for j in SAMPLE.workspace.entities(Journey)
    ]
    assert len(document["channels"]) == len(SAMPLE.workspace.entities(Channel))
    billing = next(j for j in document["journeys"] if j["id"] == "billing-dispute")
    assert billing["source"] == "maps/journeys/billing-dispute.yaml"
    first = billing["stages"][0]["touchpoints"][0]
    assert first["effective_owner"] == "billing-ops"  # from its stage
    assert first["effective_personas"] == ["busy-parent", "small-business-owner"]
    assert first["pain_points"][0]["id"] == "unclear-line-items"
    assert "src" not in first
    assert document["problems"] and {"path", "line", "col"} <= set(document["problems"][0])
    assert document["coverage"]["version"] == 1
    aht = next(k for k in document["kpis"] if k["id"] == "aht")
    assert aht["target"] == 420 and aht["status"] == "off target"
    assert aht["shown"] == {"target": "≤ 7 min", "latest": "7 min 21 s"}
    assert {b.get("channel") for b in aht["breakdown"]} == {"agent-voice", "webchat"}


def test_csv_has_a_row_per_touchpoint_and_persona() -> None:
    rows = list(csv.DictReader(io.StringIO(touchpoint_sheet(SAMPLE))))
    expected = sum(
        len(j.personas_at(tp))
        for j in SAMPLE.workspace.entities(Journey)
        for _, tp in j.touchpoints()
    )
    assert len(rows) == expected
    assert list(rows[0]) == list(CSV_COLUMNS)
    ivr = next(r for r in rows if r["touchpoint"] == "ivr-billing" and r["persona"] == "retiree")
    assert (ivr["emotion"], ivr["moment_of_truth"], ivr["channel_mode"]) == (
        "-2",
        "true",
        "automated",
    )


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "m.yaml": "channels:\n  - {id: c, name: C, type: voice, mode: assisted}\n"
            "personas:\n  - {id: p, name: P}\n"
            "journey:\n  id: j\n  name: '=HYPERLINK(\"http://x\")'\n  personas: [p]\n"
            "  stages:\n    - {id: s, name: '+1',\n"
            "       touchpoints: [{id: t, name: '@SUM(A1)', channel: c}]}\n"
        },
    )
    (row,) = list(csv.DictReader(io.StringIO(touchpoint_sheet(compile_workspace(root)))))
    assert row["journey_name"] == '\'=HYPERLINK("http://x")'
    assert row["stage_name"] == "'+1"
    assert row["touchpoint_name"] == "'@SUM(A1)"


def test_mermaid_has_a_journey_per_journey() -> None:
    text = mermaid(SAMPLE)
    assert text.count("```mermaid\njourney\n") == len(SAMPLE.workspace.entities(Journey))
    assert "    section Notice the unexpected charge" in text
    # -1 maps to 2 on Mermaid's 1..5 scale; one line per score.
    assert "      Monthly bill e-mail: 2: Busy parent" in text
    assert "      Monthly bill e-mail: 1: Small business owner" in text
    for line in text.splitlines():
        if line.startswith("      "):
            assert line.count(":") == 2, line


def test_mermaid_writes_hostile_names_as_text(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "m.yaml": "channels:\n  - {id: c, name: C, type: voice, mode: assisted}\n"
            "personas:\n  - {id: p, name: 'Parent, busy'}\n  - {id: q, name: ' '}\n"
            "journey:\n  id: j\n  name: '<img src=x onerror=alert(1)>'\n  personas: [p, q]\n"
            "  stages:\n    - id: s\n      name: 'section X'\n      touchpoints:\n"
            "        - {id: a, name: 'title X', channel: c}\n"
            "        - {id: b, name: '%%{init: {}}%% 50%', channel: c}\n"
            '        - {id: d, name: "\\t", channel: c}\n'
        },
    )
    # The heading is Markdown text (no <img> when rendered); in the diagram,
    # names that start with a keyword get an invisible word joiner, the comma
    # and the percent signs look-alikes, blank names a placeholder.
    assert mermaid(compile_workspace(root)).split("\n") == [
        "## &#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;",
        "",
        "```mermaid",
        "journey",
        "    title \uff1cimg src=x onerror=alert(1)\uff1e",
        "    section \u2060section X",
        "      \u2060title X: 3: Parent\u201a busy, (no name)",
        "      \uff05\uff05{init\u2236 {}}\uff05\uff05 50\uff05: 3: Parent\u201a busy, (no name)",
        "      (no name): 3: Parent\u201a busy, (no name)",
        "```",
        "",
    ]


def test_export_command_writes_atomically(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    run = CliRunner().invoke(
        main, ["export", str(ROOT / "maps"), "--format", "json", "-o", str(target)]
    )
    assert run.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["manifest_version"] == 1
