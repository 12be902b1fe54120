"""The diff's change table (journeycode.review.fields): the rows name real
fields, and the table alone decides what a field is reported as and what
``text-changed`` leaves out. Compared in-process, on two copies of the sample maps."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from journeycode import kinds
from journeycode.compiler import compile_workspace
from journeycode.review import fields
from journeycode.review.changes import KINDS, ChangeKind, Severity
from journeycode.review.compare import Change, review
from tests.conftest import ROOT

JOURNEY = "journeys/billing-dispute.yaml"


def _changes(
    tmp_path: Path, old: str, new: str, levels: dict[str, Severity] | None = None
) -> list[Change]:
    """The changes when ``old`` becomes ``new`` in the billing-dispute journey."""
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(ROOT / "maps", base)
    shutil.copytree(ROOT / "maps", head)
    path = head / JOURNEY
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    compiled = compile_workspace(base, "maps"), compile_workspace(head, "maps")
    return [c for c in review(*compiled, levels).changes if c.kind != ChangeKind.VERSION_NOT_BUMPED]


def test_every_row_names_a_field_of_its_kind_once() -> None:
    seen = set()
    for row in fields.FIELDS:
        model = kinds.KINDS[row.kind].model
        assert row.field in {f.name for f in dataclasses.fields(model)}, row
        assert (row.kind, row.field) not in seen, row
        seen.add((row.kind, row.field))


def test_every_catalog_kind_says_what_adding_and_removing_one_is() -> None:
    assert set(fields.CATALOG) == {kind.name for kind in kinds.CATALOG}


def test_text_is_every_field_with_no_row_that_is_not_structural() -> None:
    # channel, owner, personas … are references or have rows; pain_points are children.
    touchpoint = kinds.KINDS["touchpoint"]
    assert fields.texts(touchpoint) == (
        "name",
        "action",
        "frontstage",
        "backstage",
        "flow",
        "flow_resolved",
        "description",
    )


def test_the_kinds_are_their_ids_with_a_level_and_a_summary() -> None:
    assert KINDS["way-out-lost"] is ChangeKind.WAY_OUT_LOST
    assert f"{ChangeKind.TEXT_CHANGED}" == "text-changed"
    assert all(kind.summary and isinstance(kind.level, Severity) for kind in ChangeKind)


def test_a_field_with_a_row_is_reported_by_it_and_not_as_text(tmp_path: Path) -> None:
    found = _changes(
        tmp_path,
        "emotion: {busy-parent: -1, small-business-owner: -2}\n          initiated_by: company",
        "emotion: {busy-parent: -1, small-business-owner: -2}\n          initiated_by: customer",
    )
    assert [(c.kind, str(c.message)) for c in found] == [
        (
            ChangeKind.TOUCHPOINT_DETAILS_CHANGED,
            "touchpoint «Monthly bill e-mail» (bill-email): initiated by company → customer",
        )
    ]
    assert (found[0].journey, found[0].stage, found[0].touchpoint) == (
        "billing-dispute",
        "notice",
        "bill-email",
    )


def test_a_field_without_a_row_is_text(tmp_path: Path) -> None:
    found = _changes(
        tmp_path,
        "action: Opens the bill and sees a higher total",
        "action: Opens the bill",
    )
    assert [(c.kind, str(c.message)) for c in found] == [
        (ChangeKind.TEXT_CHANGED, "touchpoint «Monthly bill e-mail» (bill-email): action changed")
    ]


def test_a_new_row_is_all_a_field_needs_to_leave_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = fields.Row("touchpoint", "action", (ChangeKind.TOUCHPOINT_DETAILS_CHANGED,), fields.value)
    monkeypatch.setitem(fields.BY_KIND, "touchpoint", (*fields.BY_KIND["touchpoint"], row))
    assert "action" not in fields.texts(kinds.KINDS["touchpoint"])
    found = _changes(
        tmp_path,
        "action: Opens the bill and sees a higher total",
        "action: Opens the bill",
    )
    assert [(c.kind, str(c.message)) for c in found] == [
        (
            ChangeKind.TOUCHPOINT_DETAILS_CHANGED,
            "touchpoint «Monthly bill e-mail» (bill-email): action Opens the bill and sees a "
            "higher total → Opens the bill",
        )
    ]


def test_a_row_with_no_kind_leaves_its_field_out_of_the_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = fields.Row("touchpoint", "action", (), lambda row, pair: iter(()))
    monkeypatch.setitem(fields.BY_KIND, "touchpoint", (*fields.BY_KIND["touchpoint"], row))
    found = _changes(
        tmp_path,
        "action: Opens the bill and sees a higher total",
        "action: Opens the bill",
    )
    assert found == []


def test_the_settings_set_a_kind_s_level(tmp_path: Path) -> None:
    old, new = (
        "Monthly bill e-mail\n          channel: email",
        "Monthly bill e-mail\n          channel: sms",
    )
    default = _changes(tmp_path / "default", old, new)
    assert [(c.kind, c.level) for c in default] == [
        (ChangeKind.TOUCHPOINT_CHANNEL_CHANGED, Severity.NOTABLE)
    ]
    raised = _changes(
        tmp_path / "raised", old, new, {"touchpoint-channel-changed": Severity.BREAKING}
    )
    assert [(c.kind, c.level) for c in raised] == [
        (ChangeKind.TOUCHPOINT_CHANNEL_CHANGED, Severity.BREAKING)
    ]
