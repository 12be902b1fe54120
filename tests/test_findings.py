"""Problems carry what they are about, what they suggest and how to fix it, as
data beside their text: the diff's matching and the editor's quick fixes read
that, so a reworded or re-valued message changes neither."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest

from journeycode.compiler import Compiled, compile_workspace
from journeycode.lsp import edits
from journeycode.problems import Fix, Level, Problem, Result, Subject
from journeycode.review.compare import new_problems
from tests.conftest import ROOT

TODAY = datetime.date(2026, 11, 1)


def _maps(tmp_path: Path, name: str) -> Path:
    maps = tmp_path / name / "maps"
    shutil.copytree(ROOT / "maps", maps)
    return maps


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def _compile(maps: Path) -> Compiled:
    return compile_workspace(maps, "maps", today=TODAY)


def _only(compiled: Compiled, rule: str) -> Problem:
    (found,) = (p for p in compiled.result.problems if p.rule == rule)
    return found


def test_an_unknown_reference_names_what_is_missing_and_its_fix(tmp_path: Path) -> None:
    maps = _maps(tmp_path, "head")
    _edit(maps / "journeys" / "billing-dispute.yaml", "channel: webchat", "channel: web-chat")
    problem = _only(_compile(maps), "unknown-reference")
    assert problem.hint == "did you mean 'webchat'?"
    assert problem.subject == Subject("channel", "web-chat")
    assert problem.suggestion == "webchat"
    assert problem.fix == Fix("web-chat", "webchat")


def test_a_waiver_of_an_unknown_rule_suggests_the_rule(tmp_path: Path) -> None:
    maps = _maps(tmp_path, "head")
    _edit(
        maps / "journeys" / "billing-dispute.yaml",
        "waive:\n",
        "waive:\n            touchpoint-ownr: misspelt\n",
    )
    problem = _only(_compile(maps), "unknown-reference")
    assert problem.subject == Subject("rule", "touchpoint-ownr")
    assert problem.fix == Fix("touchpoint-ownr", "touchpoint-owner")


@pytest.mark.parametrize(
    ("file", "old", "new", "fix"),
    [
        (
            "journeys/billing-dispute.yaml",
            "channel: webchat",
            "chanel: webchat",
            Fix("chanel", "channel"),
        ),
        ("catalog/channels.yaml", "mode: assisted", "mode: asisted", Fix("asisted", "assisted")),
    ],
    ids=["unknown key", "value not in the list"],
)
def test_a_schema_problem_that_suggests_carries_its_fix(
    tmp_path: Path, file: str, old: str, new: str, fix: Fix
) -> None:
    maps = _maps(tmp_path, "head")
    path = maps / file
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    problem = next(p for p in _compile(maps).result.problems if "did you mean" in (p.hint or ""))
    assert problem.rule == "schema"
    assert problem.hint == f"did you mean '{fix.new}'?"
    assert (problem.suggestion, problem.fix) == (fix.new, fix)


def test_a_schema_problem_whose_hint_suggests_nothing_has_no_fix(tmp_path: Path) -> None:
    maps = _maps(tmp_path, "head")
    _edit(maps / "journeys" / "billing-dispute.yaml", "channel: webchat", "xyzzy: webchat")
    problem = next(p for p in _compile(maps).result.problems if "unknown key" in p.message)
    assert problem.hint is not None and problem.hint.startswith("allowed keys:")
    assert (problem.suggestion, problem.fix) == (None, None)


def test_an_unknown_kpi_in_a_measurement_export_suggests_the_kpi(tmp_path: Path) -> None:
    maps = _maps(tmp_path, "head")
    _edit(maps / "measurements" / "cx-dashboard-2026.csv", "\naht,2026-07-31", "\nahtt,2026-07-31")
    problem = _only(_compile(maps), "measurement-code")
    assert problem.subject == Subject("kpi", "ahtt")
    assert problem.fix == Fix("ahtt", "aht")


def test_a_rule_s_finding_is_about_the_entity_that_may_waive_it() -> None:
    found = _compile(ROOT / "maps").result.problems
    problem = next(p for p in found if p.rule == "preferred-channel")
    assert problem.subject is not None and problem.subject.kind == "stage"
    assert f"stage '{problem.subject.id}'" in problem.message


def test_what_a_problem_is_about_changes_neither_its_order_nor_its_equality() -> None:
    plain = Problem("a.yaml", 1, 1, "r", Level.ERROR, "m")
    about = dataclasses.replace(plain, subject=Subject("kpi", "x"), fix=Fix("y", "x"))
    assert plain == about and hash(plain) == hash(about)
    assert Result.of([about, plain], []).problems == (about, plain)


# --- the diff matches problems by what they are about ---------------------------------


def test_a_new_measurement_that_keeps_a_kpi_off_target_is_no_new_problem(
    tmp_path: Path,
) -> None:
    """Issue 22: the warning's value, date and row changed, so matching by
    message made it fixed and new at once."""
    base, head = _maps(tmp_path, "base"), _maps(tmp_path, "head")
    export = head / "measurements" / "cx-dashboard-2026.csv"
    export.write_text(export.read_text("utf-8") + "bot-containment,2026-11-01,30\n", "utf-8")
    before, after = _compile(base), _compile(head)
    said = {p.message for p in after.result.problems} - {p.message for p in before.result.problems}
    assert any("'bot-containment' is off target: 30 %" in m for m in said)
    assert new_problems(before, after) == []
    assert new_problems(after, before) == []


def test_the_problems_of_a_renamed_persona_follow_it(tmp_path: Path) -> None:
    """Issue 22: renaming a persona's id made its problems new and fixed at
    once. ``check --new-since`` reads the same matching as the diff."""
    base, head = _maps(tmp_path, "base"), _maps(tmp_path, "head")
    for name in ("catalog/personas", "journeys/billing-dispute", "journeys/cancel-retention"):
        _edit(head / f"{name}.yaml", "retiree", "senior")
    before, after = _compile(base), _compile(head)
    about = [p for p in after.result.problems if "'senior'" in p.message]
    assert about, "the sample maps have problems about the persona"
    assert new_problems(before, after) == []
    assert new_problems(after, before) == []


def test_another_persona_missing_from_a_stage_is_a_new_problem(tmp_path: Path) -> None:
    """One persona's gap fixed and another's opened in the same stage: the
    rule and the stage are the same, the persona is not (before, the stage
    alone was the identity, and check --new-since said nothing)."""
    base, head = _maps(tmp_path, "base"), _maps(tmp_path, "head")
    journey = (
        "journey:\n  id: gap\n  name: Gap\n  personas: [busy-parent, small-business-owner]\n"
        "  stages:\n  - id: s\n    name: S\n    touchpoints:\n"
        "      - {id: t, name: T, channel: webchat, personas: [PERSONA]}\n"
    )
    for maps, persona in ((base, "busy-parent"), (head, "small-business-owner")):
        (maps / "journeys" / "gap.yaml").write_text(journey.replace("PERSONA", persona), "utf-8")
    before, after = _compile(base), _compile(head)
    found = [p for p in new_problems(before, after) if p.rule == "persona-stage-coverage"]
    assert [p.message for p in found] == ["persona 'busy-parent' has no touchpoint in stage 's'"]
    assert found[0].detail == ("persona busy-parent",)


def test_a_value_the_schema_refuses_is_matched_by_its_place_in_the_model(
    tmp_path: Path,
) -> None:
    """Another wrong value in the same field is the same problem; the same
    wrong value in another touchpoint is a new one."""
    base, head, other = (_maps(tmp_path, name) for name in ("base", "head", "other"))
    for maps, old, new in ((base, "-1", "5"), (head, "-1", "7"), (other, "0", "5")):
        path = maps / "journeys" / "billing-dispute.yaml"
        text = path.read_text("utf-8")
        path.write_text(text.replace(f"emotion: {old}\n", f"emotion: {new}\n", 1), "utf-8")
    before = _compile(base)
    (refused,) = [p for p in before.result.problems if p.rule == "schema"]
    assert refused.subject is not None and refused.subject.kind == "touchpoint"
    assert refused.detail == ("emotion",)
    assert new_problems(before, _compile(head)) == []
    assert [p.rule for p in new_problems(before, _compile(other))] == ["schema"]


def test_a_reworded_message_is_the_same_problem(tmp_path: Path) -> None:
    maps = _maps(tmp_path, "head")
    _edit(maps / "journeys" / "billing-dispute.yaml", "channel: webchat", "channel: web-chat")
    before = _compile(maps)
    reworded = [dataclasses.replace(p, message=f"«{p.message}»") for p in before.result.problems]
    after = dataclasses.replace(before, result=Result.of(reworded, before.result.files))
    assert new_problems(before, after) == []


def test_a_problem_about_another_entity_is_new(tmp_path: Path) -> None:
    base, head = _maps(tmp_path, "base"), _maps(tmp_path, "head")
    _edit(base / "journeys" / "billing-dispute.yaml", "channel: webchat", "channel: web-chat")
    _edit(head / "journeys" / "billing-dispute.yaml", "channel: webchat", "channel: web-chatt")
    (found,) = new_problems(_compile(base), _compile(head))
    assert found.subject == Subject("channel", "web-chatt")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    chanel: webchat", ("chanel", "channel")),
        ('    channel: "web-chat"', ('"web-chat"', '"webchat"')),
        ("    channel: web-chat # typo", ("web-chat", "webchat")),
        ("    channel: web-chat2", None),
        ("    channel: email", None),
    ],
    ids=[
        "a key, not its colon",
        "quoted, keeping the quotes",
        "bare",
        "a longer id",
        "since edited",
    ],
)
def test_a_quick_fix_replaces_the_text_its_fix_names(
    line: str, expected: tuple[str, str] | None
) -> None:
    fix = Fix("chanel", "channel") if "chanel" in line else Fix("web-chat", "webchat")
    start = line.index(":") + 2 if "chanel" not in line else 4
    edit = edits.replacement(Path("a.yaml"), [line], 0, start, fix)
    if expected is None:
        assert edit is None
    else:
        assert edit is not None
        assert (line[edit.start : edit.end], edit.text) == expected
