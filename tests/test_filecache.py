"""The parsed-file cache on disk: a second run reads only what changed, and
says exactly what a run without it says."""

from __future__ import annotations

import datetime
import hashlib
import marshal
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from journeycode import compiler
from journeycode.cli import main
from journeycode.filecache import STAMP, DiskCache
from tests.conftest import ROOT

ENV = {"JOURNEYCODE_TODAY": "2026-11-01", "NO_COLOR": "1"}


def _check(maps: Path, cache: Path) -> str:
    run = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)}).invoke(
        main, ["check", str(maps), "--format", "json"]
    )
    assert run.exit_code in (0, 1), run.output
    return run.output


def test_a_second_check_reads_the_cache_and_says_the_same(tmp_path: Path) -> None:
    maps, cache, first, folder = _checked_once(tmp_path)
    entries = {e.name for e in folder.iterdir()}
    files, journeys = len(list(maps.rglob("*.yaml"))), len(list(maps.glob("journeys/*.yaml")))
    assert len([e for e in entries if e.startswith("file-")]) == files
    assert len([e for e in entries if e.startswith("journey-")]) == journeys == 4
    # And one of what the check found, for the language server's first diagnostics.
    assert len([e for e in entries if e.startswith("found-")]) == 1
    assert len(entries) == files + journeys + 1
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
    # What problems are about and how to fix them too, which equality leaves out.
    about = [[(p.subject, p.suggestion, p.fix) for p in c.result.problems] for c in (warm, cold)]
    assert about[0] == about[1] and any(subject for subject, _, _ in about[0])
    assert [f.data for f in warm.workspace.files] == [f.data for f in cold.workspace.files]
    for file in warm.workspace.files:  # positions come back exact
        original = next(f for f in cold.workspace.files if f.path == file.path)
        assert file.locate(("journey", "stages", 1, "touchpoints", 0, "channel")) == (
            original.locate(("journey", "stages", 1, "touchpoints", 0, "channel"))
        )


def test_a_problem_s_fix_comes_back_from_the_cache(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    journey = maps / "journeys" / "billing-dispute.yaml"
    journey.write_text(journey.read_text("utf-8").replace("channel: webchat", "channel: web-chat"))
    first = DiskCache(tmp_path / "cache", maps)
    cold = compiler.compile_workspace(maps, "maps", caches=first.caches())
    first.save()
    again = DiskCache(tmp_path / "cache", maps)
    warm = compiler.compile_workspace(maps, "maps", caches=again.caches())
    assert len(again.checked.read) == 4
    fixes = [[p.fix for p in c.result.problems if p.fix] for c in (cold, warm)]
    assert fixes[0] == fixes[1] and len(fixes[0]) == 1


def test_a_broken_cache_is_ignored(tmp_path: Path) -> None:
    maps, cache, first, folder = _checked_once(tmp_path)
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


def _checked_once(tmp_path: Path) -> tuple[Path, Path, str, Path]:
    """A copy of the sample maps checked once: the maps, the cache, what the
    check said, and the folder of the cache's entries."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    cache = tmp_path / "cache"
    first = _check(maps, cache)
    (folder,) = (cache / "parsed").iterdir()
    return maps, cache, first, folder


def _seal(content: bytes) -> bytes:
    """An entry as journeycode writes one (cachedir's seal, then the content)."""
    return hashlib.blake2b(content, digest_size=16).digest() + content


def test_an_entry_of_another_shape_is_a_miss_never_a_crash(tmp_path: Path) -> None:
    """Before, an entry with the right stamp and key but another shape made
    every run exit 3 until the cache was deleted."""
    maps, cache, first, folder = _checked_once(tmp_path)
    for entry in sorted(folder.iterdir()):
        _, key, _ = marshal.loads(entry.read_bytes()[16:])
        for plain in ({"a": 1}, (1, 2), ("x",) * 9, ([1], [2], None), None):
            entry.write_bytes(_seal(marshal.dumps((STAMP, key, plain))))
            assert _check(maps, cache) == first


def test_an_entry_that_does_not_match_its_seal_is_a_miss(tmp_path: Path) -> None:
    maps, cache, first, folder = _checked_once(tmp_path)
    for entry in folder.iterdir():
        raw = entry.read_bytes()
        entry.write_bytes(raw[:16] + raw[16:].replace(b"webchat", b"webcha2"))
    assert _check(maps, cache) == first


def test_a_cache_folder_another_user_may_write_is_not_used(tmp_path: Path) -> None:
    maps, cache, first, folder = _checked_once(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(e.stat().st_mode) for e in folder.iterdir()} == {0o600}
    # A forged entry in a folder anyone may write: not read, not removed.
    for entry in folder.iterdir():
        entry.write_bytes(b"forged")
    folder.chmod(0o777)
    runner = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)})
    run = runner.invoke(main, ["check", str(maps), "--format", "json"])
    assert run.stdout == first
    assert run.stderr == (
        f"journeycode: the cache folder {folder} is writable by other users; it is not used\n"
    )
    assert {e.read_bytes() for e in folder.iterdir()} == {b"forged"}


def test_an_entry_another_user_may_write_is_not_used(tmp_path: Path) -> None:
    maps, cache, first, folder = _checked_once(tmp_path)
    entry = sorted(folder.iterdir())[0]
    entry.chmod(0o666)
    runner = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)})
    run = runner.invoke(main, ["check", str(maps), "--format", "json"])
    assert run.stdout == first
    assert run.stderr == (
        f"journeycode: the cache entry {entry} is writable by other users; it is not used\n"
    )


def test_a_damaged_diagram_entry_is_drawn_again_not_copied(tmp_path: Path) -> None:
    """Before, random bytes in a diagram entry went into render's output and
    the built pages."""
    cache = tmp_path / "cache"
    runner = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)})
    args = ["render", str(ROOT / "maps"), "--view", "journey", "--journey", "billing-dispute"]
    assert runner.invoke(main, [*args, "--out", str(tmp_path / "a")]).exit_code == 0
    drawn = (tmp_path / "a" / "billing-dispute.journey.svg").read_bytes()
    entries = list((cache / "diagrams").iterdir())
    assert entries
    for entry in entries:
        raw = entry.read_bytes()
        entry.write_bytes(raw[:16] + b"<svg><script>alert(1)</script></svg>")
    assert runner.invoke(main, [*args, "--out", str(tmp_path / "b")]).exit_code == 0
    assert (tmp_path / "b" / "billing-dispute.journey.svg").read_bytes() == drawn


def test_an_entry_whose_data_misleads_the_compile_is_discarded_and_said(tmp_path: Path) -> None:
    """Stamp, key and seal right, the outer shape right, the data inside of
    another shape and no schema problem recorded: before, every run exited 3
    until the cache was deleted."""
    maps, cache, first, folder = _checked_once(tmp_path)
    entry = next(e for e in folder.iterdir() if _stored_path(e).endswith("kpis.yaml"))
    stamp, key, stored = marshal.loads(entry.read_bytes()[16:])
    data = stored[2]
    data["kpis"] = [["not", "a", "kpi"]] * len(data["kpis"])
    forged = (*stored[:2], data, *stored[3:7], [], [], [])
    entry.write_bytes(_seal(marshal.dumps((stamp, key, forged))))
    runner = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)})
    said = []
    for _ in range(2):  # and the cache is mended: the second run says nothing
        run = runner.invoke(main, ["check", str(maps), "--format", "json"])
        assert run.exit_code in (0, 1), run.output
        assert run.stdout == first
        said.append(run.stderr)
    assert said == [
        f"journeycode: the cache folder {folder} held entries journeycode could not use; "
        "the maps were read again without them\n",
        "",
    ]


def _stored_path(entry: Path) -> str:
    """The map file a file entry holds ('' for a journey's entry)."""
    stored = marshal.loads(entry.read_bytes()[16:])[2]
    return str(stored[0]) if entry.name.startswith("file-") else ""


@pytest.mark.parametrize(
    "bad",
    [
        ("maps/x.yaml", 1, 1, "schema", "error", b"bytes", None, None, None, None),
        ("maps/x.yaml", 1, 1, "schema", "error", 7, None, None, None, None),
        ("maps/x.yaml", "1", 1, "schema", "error", "m", None, None, None, None),
        ("maps/x.yaml", 1, 1, "schema", "error", "m", 3, None, None, None),
        ("maps/x.yaml", 1, 1, "schema", "error", "m", None, ("kpi",), None, None),
        ("maps/x.yaml", 1, 1, "schema", "error", "m", None, None, 3, None),
        ("maps/x.yaml", 1, 1, "schema", "error", "m", None, None, None, ("x", 3)),
    ],
)
def test_a_problem_of_another_shape_in_an_entry_is_a_miss(
    tmp_path: Path, bad: tuple[Any, ...]
) -> None:
    """Before, a problem whose message was bytes, a number or nothing passed
    the cache and crashed every report (TypeError, exit 3)."""
    maps, cache, first, folder = _checked_once(tmp_path)
    for entry in folder.iterdir():
        stamp, key, stored = marshal.loads(entry.read_bytes()[16:])
        if entry.name.startswith("file-"):
            stored = (*stored[:7], [bad], *stored[8:])
        else:
            stored = ([bad], stored[1])
        entry.write_bytes(_seal(marshal.dumps((stamp, key, stored))))
    for output_format in ("text", "json", "junit"):
        run = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)}).invoke(
            main, ["check", str(maps), "--format", output_format]
        )
        assert run.exit_code in (0, 1), run.output
    assert _check(maps, cache) == first


@pytest.mark.parametrize(
    "bad",
    [
        lambda line, col: (line, col, "channel", 3),
        lambda line, col: (line, col, "channel"),
        lambda line, col: (line, str(col), "channel", "Mobile app"),
        lambda line, col: "x",
    ],
    ids=["a number for the name", "no name", "a text column", "not a tuple"],
)
def test_a_name_written_for_an_id_is_kept_and_one_of_another_shape_is_not_used(
    tmp_path: Path, bad: Callable[[int, int], Any]
) -> None:
    """The cache keeps which schema problem holds a name where an id is due
    (the workspace finds the entity: schema.named), and checks its shape."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    journey = next((maps / "journeys").glob("*.yaml"))
    text = journey.read_text(encoding="utf-8")
    channel = next(line for line in text.splitlines() if line.strip().startswith("channel: "))
    journey.write_text(text.replace(channel, channel.split(":")[0] + ": Mobile app", 1), "utf-8")
    cache = tmp_path / "cache"
    first = _check(maps, cache)
    assert "write the id of channel 'Mobile app': 'app'" in first
    assert _check(maps, cache) == first
    (folder,) = (cache / "parsed").iterdir()
    for entry in folder.iterdir():
        stamp, key, stored = marshal.loads(entry.read_bytes()[16:])
        if entry.name.startswith("file-") and stored[9]:
            line, col, *_ = stored[9][0]
            stored = (*stored[:9], [bad(line, col)])
            entry.write_bytes(_seal(marshal.dumps((stamp, key, stored))))
    assert _check(maps, cache) == first


@pytest.mark.parametrize("where", ["the cache folder", "parsed"])
@pytest.mark.parametrize("how", ["a symlink", "writable by other users"])
def test_a_folder_on_the_way_to_the_entries_is_trusted_too(
    tmp_path: Path, where: str, how: str
) -> None:
    """Before, only the last folder was checked: a cache folder that was a
    symlink, or writable by anyone, was used."""
    maps = tmp_path / "maps"
    shutil.copytree(ROOT / "maps", maps)
    cache = tmp_path / "cache"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shaky = cache if where == "the cache folder" else cache / "parsed"
    shaky.parent.mkdir(parents=True, exist_ok=True)
    if how == "a symlink":
        shaky.symlink_to(elsewhere)
    else:
        shaky.mkdir()
        shaky.chmod(0o777)
    runner = CliRunner(env={**ENV, "JOURNEYCODE_CACHE_DIR": str(cache)})
    run = runner.invoke(main, ["check", str(maps), "--format", "json"])
    assert run.exit_code in (0, 1), run.output
    assert f"journeycode: the cache folder {shaky} is {how}; it is not used\n" in run.stderr
    assert list(elsewhere.iterdir()) == []


def test_the_last_check_is_kept_by_file_with_its_stamps(tmp_path: Path) -> None:
    """What the language server shows before its first compile: each file's
    problems as the last check found them, and the file's stamp then."""
    maps, cache, _, _ = _checked_once(tmp_path)
    last = DiskCache(cache, maps).last_found()
    assert last is not None
    language, files = last
    assert language is None  # the sample's settings name none: English
    found = {path: (at, problems) for path, at, problems in files}
    journey = maps / "journeys" / "billing-dispute.yaml"
    at, problems = found[str(journey)]
    assert at == compiler.stamp(journey)
    today = datetime.date.fromisoformat(ENV["JOURNEYCODE_TODAY"])
    reported = [
        p for p in compiler.check(maps, str(maps), today).problems if p.path == str(journey)
    ]
    assert [(p.line, p.col, p.rule) for p in problems] == [
        (p.line, p.col, p.rule) for p in reported
    ]
    assert problems, "the sample journey has findings to show"
    journey.write_text(journey.read_text("utf-8") + "# edited\n", "utf-8")
    assert compiler.stamp(journey) != at  # the server shows nothing of it until it compiles
