"""The parsed-file cache on disk: a second run reads only what changed, and
says exactly what a run without it says."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

from click.testing import CliRunner

from journeycode import compiler
from journeycode.cli import main
from journeycode.filecache import DiskCache
from tests.conftest import ROOT

ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}


def _check(maps: Path, cache: Path) -> str:
    run = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)}).invoke(
        main, ["check", str(maps), "--format", "json"]
    )
    assert run.exit_code in (0, 1), run.output
    return run.output


def test_a_second_check_reads_the_cache_and_says_the_same(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    cache = tmp_path / "cache"
    first = _check(maps, cache)
    (folder,) = (cache / "parsed").iterdir()
    entries = {e.name for e in folder.iterdir()}
    files, journeys = len(list(maps.rglob("*.yaml"))), len(list(maps.glob("journeys/*.yaml")))
    assert len([e for e in entries if e.startswith("file-")]) == files
    assert len([e for e in entries if e.startswith("journey-")]) == journeys == 4
    assert len(entries) == files + journeys
    assert _check(maps, cache) == first
    assert {e.name for e in folder.iterdir()} == entries
    # An edited file is read again: its new problem is there, and only it changed;
    # its old entries are removed, one file and one journey each.
    journey = maps / "journeys" / "billing-dispute.yaml"
    journey.write_text(journey.read_text("utf-8").replace("channel: webchat", "channel: x"))
    edited = _check(maps, cache)
    assert "unknown channel 'x'" in edited
    assert edited == _check(maps, tmp_path / "other-cache")
    now = {e.name for e in folder.iterdir()}
    assert len(now) == len(entries) and len(now - entries) == 2


def test_the_cache_gives_the_same_model_as_the_files(tmp_path: Path) -> None:
    cache_folder = tmp_path / "cache"
    cold = compiler.compile_workspace(ROOT / "maps", "maps")
    first = DiskCache(cache_folder, ROOT / "maps")
    compiler.compile_workspace(ROOT / "maps", "maps", caches=first.caches())
    first.save()
    again = DiskCache(cache_folder, ROOT / "maps")
    warm = compiler.compile_workspace(ROOT / "maps", "maps", caches=again.caches())
    assert len(again.files.entries) == len(again.files.read) > 0
    assert len(again.checked.entries) == len(again.checked.read) == 4
    assert warm.result == cold.result
    assert [f.data for f in warm.workspace.files] == [f.data for f in cold.workspace.files]
    for file in warm.workspace.files:  # positions come back exact
        original = next(f for f in cold.workspace.files if f.path == file.path)
        assert file.locate(("journey", "stages", 1, "touchpoints", 0, "channel")) == (
            original.locate(("journey", "stages", 1, "touchpoints", 0, "channel"))
        )


def test_a_broken_cache_is_ignored(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    cache = tmp_path / "cache"
    first = _check(maps, cache)
    (folder,) = (cache / "parsed").iterdir()
    entries = sorted(folder.iterdir())
    whole = [entry.read_bytes() for entry in entries]
    for garbage in (b"", b"\x00" * 64, whole[0][:1000], marshal.dumps(("another", 1, 2))):
        for entry in entries:
            entry.write_bytes(garbage)
        assert _check(maps, cache) == first
    # An entry of one file put in place of another's is not taken for it.
    for entry, swapped in zip(entries, whole[1:] + whole[:1], strict=True):
        entry.write_bytes(swapped)
    assert _check(maps, cache) == first


def test_a_server_s_caches_keep_only_the_files_as_they_are(tmp_path: Path) -> None:
    """Edit after edit, the caches hold one entry per file (the text before an
    edit goes), and the model made from them is the one a cold compile makes."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    journey = maps / "journeys" / "billing-dispute.yaml"
    text = journey.read_text("utf-8")
    caches = compiler.Caches(stamps={})
    for edit in range(4):
        edited = text.replace("channel: webchat", f"channel: web{edit}")
        warm = compiler.compile_workspace(
            maps, "maps", overlay={journey: edited.encode()}, caches=caches
        )
        files = len(list(maps.rglob("*.yaml")))
        assert len(caches.files) == len(caches.models) == files
        assert len(caches.checked) == len(list(maps.glob("journeys/*.yaml")))
        assert caches.stamps is not None and len(caches.stamps) <= files
        journey.write_text(edited, "utf-8")
        assert warm.result == compiler.compile_workspace(maps, "maps").result
        journey.write_text(text, "utf-8")
