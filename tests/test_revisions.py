"""A revision's maps, read from git as a hostile pull request could write them.

Each tree is made with ``git mktree``, which writes whatever entry names it is
given, so a clone of the repository carries them as they are here.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from journeycode import loader, revisions
from journeycode.problems import WorkspaceError
from tests.conftest import ROOT, invoke

GIT = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com"]
JOURNEY = (ROOT / "maps" / "journeys" / "billing-dispute.yaml").read_bytes()


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    run = subprocess.run([*GIT, *args], cwd=repo, input=stdin, capture_output=True, check=True)
    return run.stdout.decode().strip()


def _blob(repo: Path, data: bytes) -> str:
    return _git(repo, "hash-object", "-w", "--stdin", stdin=data)


_TYPES = {"040000": "tree", "160000": "commit"}


def _tree(repo: Path, entries: dict[str, tuple[str, str]], twice: str = "") -> str:
    """A tree of ``name: (mode, object)`` entries, names taken as they are (a
    trailing ``/`` only keeps two of one name apart here), ``twice`` twice."""
    listing = b"".join(
        f"{mode} {_TYPES.get(mode, 'blob')} {sha}\t".encode() + name.rstrip("/").encode() + b"\0"
        for name, (mode, sha) in [*entries.items(), *([(twice, entries[twice])] if twice else [])]
    )
    return _git(repo, "mktree", "-z", "--missing", stdin=listing)


def _commit(repo: Path, maps: dict[str, tuple[str, str]], twice: str = "") -> str:
    """A commit whose ``maps`` folder holds ``maps``; its sha."""
    root = _tree(repo, {"maps": ("040000", _tree(repo, maps, twice))})
    return _git(repo, "commit-tree", root, "-m", "A change")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "maps").mkdir()
    (repo / "maps" / "journey.yaml").write_bytes(JOURNEY)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "One journey")
    return repo


@pytest.mark.parametrize("name", ["..", ".", ".git", ".GIT", ".Git"])
def test_a_tree_entry_that_could_leave_its_folder_is_refused(repo: Path, name: str) -> None:
    """Before, ``..`` entries wrote a file of the attacker's choosing outside
    the temporary folder and the diff said "no changes"."""
    payload = _blob(repo, b"written where it should not be\n")
    inner = _tree(repo, {"escaped.yaml": ("100644", payload)})
    # Deep enough to climb out of any temporary folder.
    for _ in range(12):
        inner = _tree(repo, {name: ("040000", inner)})
    evil = _commit(
        repo, {"journey.yaml": ("100644", _blob(repo, JOURNEY)), name: ("040000", inner)}
    )
    for args in (["diff", "main", evil, "maps"], ["check", "maps", "--new-since", evil]):
        run = invoke(repo, *args)
        assert run.exit_code == 2, run.output
        assert f"tree entry named 'maps/{name}/" in run.stderr
        assert "refused" in run.stderr
        assert "Traceback" not in run.stderr
    assert not list(Path("/").glob("escaped.yaml"))
    assert not list(repo.parent.rglob("escaped.yaml"))


def test_only_what_the_workspace_reads_is_written(repo: Path, tmp_path: Path) -> None:
    """Before, every blob of the folder was read into memory and written out."""
    small = _blob(repo, JOURNEY)
    settings = _blob(repo, b"measurements: {path: exports}\n")
    csv = _blob(repo, b"kpi,period_end,value\n")
    tree = _commit(
        repo,
        {
            "journeycode.yaml": ("100644", settings),
            "journey.yaml": ("100644", small),
            "notes.txt": ("100644", _blob(repo, b"not a map\n")),
            "video.bin": ("100644", _blob(repo, b"\0" * 1_000_000)),
            ".hidden": ("040000", _tree(repo, {"a.yaml": ("100644", small)})),
            ".b.yaml": ("100644", small),
            "exports": ("040000", _tree(repo, {"wfm.csv": ("100644", csv)})),
            "measurements": ("040000", _tree(repo, {"old.csv": ("100644", csv)})),
            "link.yaml": ("120000", _blob(repo, b"/etc/passwd")),
            "tool": ("160000", _git(repo, "rev-parse", "HEAD")),
        },
    )
    side = revisions.side(tree, repo / "maps", tmp_path / "work")
    written = sorted(
        p.relative_to(side.root).as_posix() for p in side.root.rglob("*") if not p.is_dir()
    )
    assert written == ["exports/wfm.csv", "journey.yaml", "journeycode.yaml"]
    assert not any(p.is_symlink() for p in side.root.rglob("*"))


def test_a_blob_over_the_limit_is_a_located_problem_never_read(repo: Path, tmp_path: Path) -> None:
    """A map past the loader's limit is written as an empty file of its size
    (no disk is used), and the check refuses it at 1:1 as it would in a folder."""
    size = loader.MAX_BYTES + 1
    big = _blob(repo, b"# " + b"x" * (size - 3) + b"\n")
    tree = _commit(
        repo, {"journey.yaml": ("100644", _blob(repo, JOURNEY)), "big.yaml": ("100644", big)}
    )
    side = revisions.side(tree, repo / "maps", tmp_path / "work")
    written = side.root / "big.yaml"
    assert written.stat().st_size == size
    assert written.stat().st_blocks == 0  # sparse: nothing was copied
    diff = invoke(repo, "diff", "main", tree, "maps", "--fail-on", "never", "--format", "json")
    assert diff.exit_code == 0, diff.stderr
    introduced = json.loads(diff.stdout)["problems"]["introduced"]
    assert [(p["path"], p["line"], p["col"], p["rule"]) for p in introduced] == [
        ("maps/big.yaml", 1, 1, "load")
    ]
    assert "the limit is 5,242,880 bytes" in introduced[0]["message"]


def test_a_revision_side_never_follows_a_symlink_in_the_work_folder(
    repo: Path, tmp_path: Path
) -> None:
    """The files are created, never opened for writing where something is already."""
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    sha = _git(repo, "rev-parse", "HEAD")
    work.mkdir()
    (work / sha[:12]).symlink_to(outside)
    with pytest.raises((WorkspaceError, OSError)):
        revisions.side("HEAD", repo / "maps", work)
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("clash", ["file and folder", "twice"])
def test_two_entries_of_one_name_are_refused(repo: Path, clash: str) -> None:
    """Before, a blob and a tree both named zz.yaml ended the diff with exit 3."""
    small = _blob(repo, JOURNEY)
    if clash == "twice":
        evil = _commit(repo, {"zz.yaml": ("100644", small)}, twice="zz.yaml")
    else:
        inner = _tree(repo, {"x.yaml": ("100644", small)})
        evil = _commit(repo, {"zz.yaml": ("100644", small), "zz.yaml/": ("040000", inner)})
    run = invoke(repo, "diff", "main", evil, "maps")
    assert run.exit_code == 2, run.output
    assert "maps/zz.yaml'" in run.stderr and "refused" in run.stderr


def test_a_revision_reads_the_measurement_files_the_folder_would(repo: Path) -> None:
    """With the measurements folder at the top (path: .), a revision's CSVs were
    left out: an unchanged error in one was called new."""
    maps = repo / "maps"
    (maps / "journeycode.yaml").write_text("measurements: {path: .}\n", "utf-8")
    (maps / "bad.csv").write_text("kpi,period_end,value\nno-such-kpi,2026-01-31,1\n", "utf-8")
    (maps / "sub").mkdir()
    (maps / "sub" / "more.csv").write_text("kpi,period_end,value\nnone,2026-01-31,1\n", "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Measurements at the top")
    run = invoke(repo, "check", "maps", "--new-since", "HEAD", "--format", "json")
    assert json.loads(run.stdout)["problems"] == [], run.stdout
    diff = invoke(repo, "diff", "HEAD", "--format", "json")
    assert json.loads(diff.stdout)["problems"] == {"introduced": [], "fixed": [], "changed": []}


def test_history_passes_over_an_object_over_the_limit(repo: Path) -> None:
    """The site's history reads each version of each map one object at a time
    and never one past the loader's limit (before, every version of every
    file came back from one cat-file --batch, a 1 GB blob whole)."""
    from journeycode.site.history import _versions

    small = repo / "maps" / "journey.yaml"
    small.write_text(small.read_text("utf-8").replace("  id:", "  version: 2.0.0\n  id:", 1))
    _git(repo, "commit", "-q", "-am", "Version 2")
    versioned = _git(repo, "rev-parse", "HEAD")
    big = repo / "maps" / "big.yaml"
    big.write_bytes(b"journey:\n  version: 9.9.9\n" + b"#" * (loader.MAX_BYTES + 1) + b"\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "A big file")
    head = _git(repo, "rev-parse", "HEAD")
    asked = [(versioned, "maps/journey.yaml"), (head, "maps/big.yaml"), (head, "maps/none.yaml")]
    assert _versions(repo, asked) == ["2.0.0", None, None]


def test_a_tree_entry_too_long_to_write_is_refused(repo: Path) -> None:
    """Before, a name part over the file system's 255 bytes was exit 3."""
    evil = _commit(repo, {"a" * 300 + ".yaml": ("100644", _blob(repo, JOURNEY))})
    for args in (["diff", "main", evil, "maps"], ["check", "maps", "--new-since", evil]):
        run = invoke(repo, *args)
        assert run.exit_code == 2, run.output
        assert "cannot be written out: File name too long" in run.stderr
