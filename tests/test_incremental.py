"""A language server's caches (parsed files, each file's model, each journey's
problems) find, edit after edit, exactly what a cold check of the same files
finds: the rules' journey parts kept for journeys that did not change must
never hide a problem, nor keep one that is gone."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from journeycode import compiler, config, kinds, loader, rules, runner
from journeycode.model import Journey
from journeycode.problems import Result
from journeycode.rules.base import RuleContext, parts
from tests.conftest import apply_edit

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 11, 15)

HANG_UP = (
    '{"Version": "2019-10-30", "StartAction": "bye", "Actions": '
    '[{"Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}}]}'
)

# (file below maps/, text written there, what replaces it; "" as the text
# appends, None as the replacement deletes the file), one edit a step, each on
# top of the ones before.
EDITS: list[tuple[str, str, str | None]] = [
    # A journey's unknown channel, then a catalog change its parts rest on.
    ("journeys/onboarding.yaml", "channel: webchat", "channel: web-chat"),
    ("catalog/channels.yaml", "    mode: assisted\n", "    mode: self-service\n"),
    ("journeys/onboarding.yaml", "channel: web-chat", "channel: webchat"),
    # A waiver that silences a finding, then one that silences nothing.
    (
        "journeys/onboarding.yaml",
        "          routing: next-available\n",
        "          routing: next-available\n          waive: {context-handoff: shared screen}\n",
    ),
    ("journeys/onboarding.yaml", "waive: {context-handoff:", "waive: {touchpoint-owner:"),
    # A schema error (the touchpoint is left out), then a file that does not parse.
    ("journeys/billing-dispute.yaml", "emotion: -1\n", "emotion: -9\n"),
    ("journeys/technical-fault.yaml", "", "stages: [\n"),
    ("journeys/technical-fault.yaml", "stages: [\n", ""),
    ("catalog/channels.yaml", "    mode: self-service\n", "    mode: assisted\n"),
    # Two journeys with one id (a workspace part whose subject is a journey).
    ("journeys/copy.yaml", "", "journeycode: 1\njourney: {id: onboarding, name: Copy}\n"),
    ("journeys/copy.yaml", "", None),
    # The settings, and the measurements merged into the KPIs.
    ("journeycode.yaml", "", "rules:\n  preferred-channel: off\n"),
    ("measurements/cx-dashboard-2026.csv", "aht,2026-05-31,494", "aht,2026-05-31,300"),
    ("journeycode.yaml", "", None),
    ("journeys/billing-dispute.yaml", "emotion: -9\n", "emotion: -1\n"),
    # A flow file that does not parse, a new one that only hangs up, both undone.
    ("flows/billing-ivr.json", "{", "{{"),
    ("flows/billing-ivr.json", "{{", "{"),
    ("flows/hang-up.json", "", HANG_UP),
    ("flows/hang-up.json", "", None),
]


def test_edit_after_edit_the_caches_find_what_a_cold_check_finds(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    caches = compiler.Caches(stamps={})

    def warm(today: datetime.date = TODAY) -> compiler.Compiled:
        return compiler.compile_workspace(maps, "maps", today=today, caches=caches)

    warm()
    results = set()
    for edit in EDITS:
        apply_edit(maps, edit)
        cold = compiler.compile_workspace(maps, "maps", today=TODAY).result
        assert warm().result == cold, edit
        results.add(cold)
    assert len(results) > len(EDITS) // 2  # the edits changed what is found
    # Today is a setting like the others: a later day judges reviews again.
    later = TODAY + datetime.timedelta(days=400)
    assert warm(later).result == compiler.compile_workspace(maps, "maps", today=later).result


def test_only_changed_journeys_are_checked_again(tmp_path: Path) -> None:
    """What makes an edit fast: one journey's parts run again, not all four."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    caches = compiler.Caches()

    def checked_again() -> list[str]:
        before = dict(caches.checked)
        compiled = compiler.compile_workspace(maps, "maps", today=TODAY, caches=caches)
        digests = {j.src.file.digest: j.id for j in compiled.workspace.entities(Journey)}
        return sorted(digests[key.split(":")[1]] for key in caches.checked if key not in before)

    assert len(checked_again()) == 4
    assert checked_again() == []
    apply_edit(maps, EDITS[0])
    assert checked_again() == ["onboarding"]
    apply_edit(maps, EDITS[1])  # a catalog file: every journey rests on it
    assert len(checked_again()) == 4


@pytest.mark.parametrize("rule", list(rules.REGISTRY.values()), ids=list(rules.REGISTRY))
def test_every_rule_has_a_part_and_a_journey_part_finds_only_in_its_journey(rule: Any) -> None:
    """A journey part's findings are about its own journey (their place and
    their subjects), so keeping them per journey is sound."""
    check_journey, check = parts(rule)
    assert check_journey or check
    if check_journey is None:
        return
    workspace = compiler.compile_workspace(ROOT / "maps", "maps", today=TODAY).workspace
    settings = config.load(ROOT / "maps", "maps", runner.DEFAULTS)
    context = RuleContext(TODAY, rules.REGISTRY.keys(), settings.rules[rule.ID].options)
    catalog = {e for kind in kinds.CATALOG for e in workspace.entities(kind.model)}
    for journey in workspace.entities(Journey):
        own = set(kinds.within(journey))
        for finding in check_journey(journey, workspace, context):
            assert finding.src.file is journey.src.file
            assert all(s in own or s in catalog for s in finding.subjects)


def test_a_file_whose_stamp_did_not_change_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server's stamps: a file settled on disk (changed over a second ago)
    with the same size, times and inode is taken as it was; any write changes
    its stamp, and it is read again."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    settled = 1_700_000_000
    for path in maps.rglob("*.yaml"):
        os.utime(path, (settled, settled))
    read: list[Path] = []
    real = loader.read_bytes

    def counted(path: Path, max_bytes: int) -> bytes:
        if path.suffix == ".yaml":  # the measurement files are read each time
            read.append(path)
        return real(path, max_bytes)

    monkeypatch.setattr(loader, "read_bytes", counted)
    caches = compiler.Caches(stamps={})
    first = compiler.compile_workspace(maps, "maps", today=TODAY, caches=caches)
    assert len(read) == len(list(maps.rglob("*.yaml")))
    read.clear()
    assert (
        compiler.compile_workspace(maps, "maps", today=TODAY, caches=caches).result == first.result
    )
    assert read == []
    journey = maps / "journeys" / "onboarding.yaml"
    text = journey.read_text("utf-8")
    journey.write_text(text.replace("channel: webchat", "channel: webchaX", 1), "utf-8")
    os.utime(journey, (settled, settled))  # the same size and times: the change time tells
    again = compiler.compile_workspace(maps, "maps", today=TODAY, caches=caches)
    assert read == [journey]
    assert any("webchaX" in p.message for p in again.result.problems)


def test_flow_files_that_did_not_change_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long-lived caller's edit of a journey parses no flow file again; an
    edited flow file is parsed again, alone; a deleted one is forgotten."""
    from journeycode.flows import read

    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    caches = compiler.Caches(stamps={})
    parsed: list[str] = []
    reader = read._read_file

    def counted(path: Path, display: str, out: Any, raw: bytes | None = None) -> Any:
        parsed.append(path.name)
        return reader(path, display, out, raw)

    monkeypatch.setattr(read, "_read_file", counted)

    def warm() -> Result:
        return compiler.compile_workspace(maps, "maps", today=TODAY, caches=caches).result

    warm()
    assert sorted(parsed) == ["billing-ivr.json", "fault-bot.json"]
    for edit, again in (
        (EDITS[0], []),
        (("flows/fault-bot.json", '"', ' "'), ["fault-bot.json"]),
        (("flows/hang-up.json", "", HANG_UP), ["hang-up.json"]),
        (("flows/hang-up.json", "", None), []),
    ):
        apply_edit(maps, edit)
        parsed.clear()
        found = warm()
        assert parsed == again, edit
        assert found == compiler.compile_workspace(maps, "maps", today=TODAY).result
    assert set(caches.flows) == {maps / "flows" / f for f in ("billing-ivr.json", "fault-bot.json")}
