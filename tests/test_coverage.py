"""Coverage numbers, their reports and the --fail-under gate."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeycode.cli import main
from journeycode.compiler import compile_workspace
from journeycode.coverage import Share, coverage
from journeycode.problems import ExitCode
from tests.conftest import EXAMPLES, comment_html, compare_golden, write_files

# One journey, counted by hand below.
WORKSPACE = {
    "catalog.yaml": """\
personas:
  - {id: a, name: A}
  - {id: b, name: B}
channels:
  - {id: bot, name: Bot, type: messaging, mode: self-service, hours: "24/7"}
  - {id: chat, name: Chat, type: messaging, mode: assisted}
  - {id: sms, name: SMS, type: messaging, mode: automated}
owners:
  - {id: team, name: Team}
kpis:
  - {id: fcr, name: FCR, kind: operational, unit: percent, channels: [chat]}
  - {id: csat, name: CSAT, kind: feedback, unit: score, channels: [chat, bot]}
""",
    "journey.yaml": """\
journey:
  id: j
  name: J
  personas: [a, b]
  stages:
    - id: ask
      name: Ask
      owner: team
      kpis: [fcr]
      touchpoints:
        - {id: bot1, name: Bot, channel: bot, emotion: 1, escalates_to: [chat1]}
        - {id: bot2, name: Bot 2, channel: bot, personas: [a]}
        - {id: chat1, name: Chat, channel: chat, emotion: {a: 1}}
    - id: close
      name: Close
      touchpoints:
        - id: text
          name: Text
          channel: sms
          personas: [a]
          emotion: 0
          pain_points:
            - {id: p1, text: One, severity: high}
            - {id: p2, text: Two, severity: high}
            - {id: p3, text: Three, severity: low}
  opportunities:
    - {id: o, name: O, addresses: [p1], status: planned}
""",
}


def test_numbers_counted_by_hand(tmp_path: Path) -> None:
    compiled = compile_workspace(write_files(tmp_path, WORKSPACE))
    cov = coverage(compiled.workspace)
    (journey,) = cov.journeys
    assert journey.personas == {"a": {"ask": 3, "close": 1}, "b": {"ask": 2, "close": 0}}
    assert journey.channels == {
        "bot": {"ask": 2, "close": 0},
        "chat": {"ask": 1, "close": 0},
        "sms": {"ask": 0, "close": 1},
    }
    assert journey.shares == {
        "touchpoints_owned": Share(3, 4),
        "stages_measured": Share(1, 2),
        "channels_measured": Share(1, 3),
        "channels_with_feedback": Share(2, 3),
        "escalation_paths": Share(1, 3),  # bot1 escalates; bot2 and the customer's SMS do not
        "pain_points_addressed": Share(1, 2),
        "emotions_given": Share(4, 6),  # bot1 a+b, chat1 a, text a; not bot2 a, chat1 b
    }
    expected_total = (75 + 50 + 100 / 3 + 200 / 3 + 100 / 3 + 50 + 200 / 3) / 7
    assert journey.total == pytest.approx(expected_total)
    assert cov.shares == journey.shares
    assert cov.total == pytest.approx(expected_total)


@pytest.mark.parametrize(("threshold", "code"), [("0", ExitCode.OK), ("101", ExitCode.PROBLEMS)])
def test_fail_under(threshold: str, code: ExitCode) -> None:
    run = CliRunner().invoke(main, ["coverage", str(EXAMPLES / "good"), "--fail-under", threshold])
    assert run.exit_code == code
    if code == ExitCode.PROBLEMS:
        assert "total coverage 100.0% is under 101%" in run.stderr


def test_fail_under_from_the_settings_file(tmp_path: Path) -> None:
    root = write_files(tmp_path, {**WORKSPACE, "journeycode.yaml": "coverage: {fail_under: 80}\n"})
    run = CliRunner().invoke(main, ["coverage", str(root)])
    assert run.exit_code == ExitCode.PROBLEMS
    assert "is under 80%" in run.stderr
    assert CliRunner().invoke(main, ["coverage", str(root), "--fail-under", "50"]).exit_code == 0


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_reports_match_golden_files(output_format: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    run = CliRunner().invoke(main, ["coverage", "bad", "--format", output_format])
    assert run.exit_code == ExitCode.OK
    suffix = {"text": "txt", "markdown": "md", "json": "json"}[output_format]
    compare_golden(run.stdout, EXAMPLES / f"bad.coverage.{suffix}")


def test_the_markdown_report_shows_map_text_as_written_and_inert(tmp_path: Path) -> None:
    """The comment's escaping (no entities): a name reads as written in the
    Markdown too, and GitHub renders no markup or link of it."""
    name = "AT&T <b>bold</b> [l](javascript:x) www.evil.example | 75 % Tier #"
    files = {
        **WORKSPACE,
        "journey.yaml": WORKSPACE["journey.yaml"].replace("name: J", f"name: '{name}'"),
    }
    root = write_files(tmp_path, files)
    run = CliRunner().invoke(main, ["coverage", str(root), "--format", "markdown"])
    assert run.exit_code == ExitCode.OK, run.output
    assert "AT&T" in run.stdout and "75 % Tier" in run.stdout and "&#" not in run.stdout
    rendered = comment_html(run.stdout)
    assert "<b>" not in rendered and "href" not in rendered
    assert f"<h2>{html.escape(name, quote=False)}</h2>" in rendered, rendered


def test_json_report_is_complete() -> None:
    run = CliRunner().invoke(main, ["coverage", str(EXAMPLES / "good"), "--format", "json"])
    document = json.loads(run.stdout)
    assert document["version"] == 1
    assert document["total"] == 100.0
    assert set(document["shares"]) == set(document["journeys"][0]["shares"])


def test_health_says_how_the_kpis_with_a_target_are_doing(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "k.yaml": """
kpis:
  - {id: good, name: G, kind: operational, unit: percent, direction: higher, target: 80,
     measurements: [{date: "2026-09-30", value: 70}, {date: "2026-10-31", value: 85}]}
  - {id: bad, name: B, kind: operational, unit: seconds, direction: lower, target: 60,
     measurements: [{date: "2026-10-31", value: 75}]}
  - {id: blind, name: N, kind: operational, unit: count, direction: lower, target: 3}
  - {id: no-target, name: T, kind: operational, unit: count}
""",
        },
    )
    health = coverage(compile_workspace(root).workspace).health
    assert (health.on_target, health.off_target, health.unmeasured) == (
        ("good",),
        ("bad",),
        ("blind",),
    )
    assert str(health) == "1 on target, 1 off target, 1 unmeasured (of 3 KPIs with a target)"
    run = CliRunner().invoke(main, ["coverage", str(root), "--format", "json"])
    assert json.loads(run.stdout)["health"] == {
        "on_target": ["good"],
        "off_target": ["bad"],
        "unmeasured": ["blind"],
    }
