"""The two sides of a diff: a git revision, ``REV:PATH``, a folder, or the working tree.

A revision is read through git (``ls-tree`` and one ``cat-file --batch``) into a
temporary folder, so neither the working tree nor the index is touched, and the
whole pipeline then runs on it as on any workspace.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from journeycode import atomic
from journeycode.problems import WorkspaceError

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Side:
    """One side of a comparison: where its maps are, and what to call it."""

    root: Path
    label: str


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """What a git command printed, or None when it failed or git is missing."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(cwd), *args],
            input=stdin,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return completed.stdout if completed.returncode == 0 else None


def _top(path: Path) -> Path:
    found = git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    if found is None:
        raise WorkspaceError(
            f"{path} is not in a git repository",
            "give two folders to compare, or run inside a git checkout",
        )
    return Path(found.decode().strip())


def default_base(path: Path) -> tuple[str, str]:
    """The merge-base of HEAD with the default branch (origin/HEAD, else main,
    else master), and that branch's name."""
    top = _top(path)
    candidates = []
    symbolic = git(top, "symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD")
    if symbolic:
        candidates.append(symbolic.decode().strip())
    candidates += ["main", "master", "origin/main", "origin/master"]
    for branch in candidates:
        if git(top, "rev-parse", "--verify", "-q", f"{branch}^{{commit}}") is None:
            continue
        base = git(top, "merge-base", "HEAD", branch)
        if base is None:
            raise _missing(top, branch)
        return base.decode().strip(), branch
    raise WorkspaceError(
        "no default branch to compare with (origin/HEAD, main or master)",
        "name the base: journeycode diff BASE",
    )


def _missing(top: Path, rev: str) -> WorkspaceError:
    shallow = (git(top, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    if shallow:
        return WorkspaceError(
            f"'{rev}' is not in this shallow clone",
            "fetch the history first: git fetch --unshallow origin",
        )
    return WorkspaceError(
        f"'{rev}' is neither a folder nor a git revision",
        "give a branch, a tag, a commit, REV:PATH or a folder",
    )


def side(spec: str | None, path: Path, work: Path) -> Side:
    """The maps of ``spec`` below ``path``: None is the working tree, an existing
    folder is itself, ``REV:PATH`` names the folder inside a revision, anything
    else is a revision of the repository ``path`` is in. Revisions are written
    into ``work``."""
    if spec is None:
        return Side(path, WORKING_TREE)
    if ":" not in spec and Path(spec).is_dir():
        return Side(Path(spec), spec)
    rev, _, inside = spec.partition(":")
    top = _top(path)
    commit = git(top, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}")
    if commit is None:
        raise _missing(top, rev)
    sha = commit.decode().strip()
    folder = Path(inside) if inside else path.resolve().relative_to(top.resolve())
    target = work / sha[:12]
    _extract(top, sha, folder.as_posix().strip("/"), target)
    return Side(target, f"{rev} ({sha[:7]})")


def _extract(top: Path, sha: str, folder: str, target: Path) -> None:
    """Every regular file of ``folder`` at commit ``sha``, written below ``target``."""
    listing = git(top, "ls-tree", "-r", "-z", "--full-tree", sha, "--", folder or ".")
    if listing is None:
        raise WorkspaceError(f"cannot list {folder or '.'} at {sha[:7]}")
    entries = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, sha_of = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append((raw_name.decode("utf-8", "surrogateescape"), sha_of.decode()))
    target.mkdir(parents=True, exist_ok=True)
    if not entries:
        return
    request = "".join(f"{blob}\n" for _, blob in entries).encode()
    batch = git(top, "cat-file", "--batch", stdin=request)
    if batch is None:
        raise WorkspaceError(f"cannot read {folder or '.'} at {sha[:7]}")
    at = 0
    prefix = f"{folder}/" if folder and folder != "." else ""
    for name, _ in entries:
        header_end = batch.index(b"\n", at)
        size = int(batch[at:header_end].split()[2])
        data = batch[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
        relative = name[len(prefix) :] if name.startswith(prefix) else name
        atomic.write_bytes(target / relative, data)
