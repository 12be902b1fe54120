"""The two sides of a diff: a git revision, ``REV:PATH``, a folder, or the working tree.

A revision is read through git (``ls-tree`` and one ``cat-file --batch``) into a
temporary folder, so neither the working tree nor the index is touched, and the
whole pipeline then runs on it as on any workspace.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from journeycode import discover, i18n, loader
from journeycode.discover import SETTINGS_FILE
from journeycode.problems import WorkspaceError

WORKING_TREE = i18n.msg("working tree")
"""HEAD's label when it is the working tree (said in the reader's language)."""


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
    """What a workspace at ``folder`` of commit ``sha`` reads, written below ``target``.

    Every entry's path is checked before anything is written, symlinks and
    submodules are left out, and each blob is streamed from git: a blob past
    the size limit of what reads it is written as an empty file of its size
    (sparse: no disk), which the reader then refuses at its ``1:1``."""
    listing = git(top, "ls-tree", "-r", "-z", "-l", "--full-tree", sha, "--", folder or ".")
    if listing is None:
        raise WorkspaceError(f"cannot list {folder or '.'} at {sha[:7]}")
    prefix = f"{folder}/" if folder and folder != "." else ""
    blobs: dict[str, tuple[str, int]] = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, object_id, length = meta.split()
        name = raw_name.decode("utf-8", "surrogateescape")
        _check_entry(name, sha)
        if kind == b"blob" and mode in (b"100644", b"100755"):
            relative = name[len(prefix) :] if name.startswith(prefix) else name
            if relative in blobs:
                raise WorkspaceError(
                    f"commit {sha[:7]} holds two tree entries named '{name}', which is refused"
                )
            blobs[relative] = (object_id.decode(), int(length))
    # A file and a folder of one name (a crafted tree can hold both) cannot
    # both be written: refused before anything is.
    folders = {"/".join(r.split("/")[:end]) for r in blobs for end in range(1, r.count("/") + 1)}
    clash = sorted(folders & blobs.keys())
    if clash:
        raise WorkspaceError(
            f"commit {sha[:7]} holds a file and a folder both named '{prefix}{clash[0]}', "
            "which is refused"
        )
    target.mkdir(parents=True)  # a new folder: nothing already there is written through
    with Batch(top) as batch:
        wanted = _read_by_workspace(blobs, target, batch)
        for relative in sorted(wanted):
            blob, size = blobs[relative]
            path = target.joinpath(*relative.split("/"))
            try:
                if size > wanted[relative]:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with path.open("xb") as handle:
                        handle.truncate(size)
                else:
                    batch.write(blob, size, path)
            except OSError as error:  # a name too long for this file system, say
                raise WorkspaceError(
                    f"commit {sha[:7]} holds a tree entry '{prefix}{relative}' that cannot be "
                    f"written out: {error.strerror}"
                ) from None


def _check_entry(name: str, sha: str) -> None:
    """Refuse a tree entry whose path could leave the folder it is written into."""
    for part in name.split("/"):
        if part in ("", ".", "..") or part.casefold() == ".git":
            raise WorkspaceError(
                f"commit {sha[:7]} holds a tree entry named '{name}', which is refused",
                "no path component may be empty, '.', '..' or '.git'",
            )


def _read_by_workspace(
    blobs: dict[str, tuple[str, int]], target: Path, batch: Batch
) -> dict[str, int]:
    """The files a compile of the workspace reads, with the size limit of
    each: the settings file, the map files, the measurement files and the flow
    files (below the folders the settings name, which are read from the
    revision first)."""
    from journeycode import config, measurements, runner
    from journeycode.flows import read as flow_files

    wanted: dict[str, int] = {}
    settings = config.Measurements()
    flows = config.Flows()
    if SETTINGS_FILE in blobs:
        blob, size = blobs[SETTINGS_FILE]
        if size <= loader.MAX_BYTES:
            batch.write(blob, size, target / SETTINGS_FILE)
            with contextlib.suppress(WorkspaceError):  # the compile reports it
                loaded = config.load(target, "", runner.DEFAULTS)
                settings, flows = loaded.measurements, loaded.flows
        else:
            wanted[SETTINGS_FILE] = loader.MAX_BYTES
    for relative in blobs:
        parts = relative.split("/")
        if discover.is_map_file(parts):
            wanted[relative] = loader.MAX_BYTES
        elif measurements.is_measurement_file(parts, settings):
            wanted[relative] = measurements.MAX_BYTES
        elif flow_files.is_flow_file(parts, flows.path):
            wanted[relative] = flow_files.MAX_BYTES
    return wanted


class Batch:
    """One ``git cat-file --batch``: objects asked for one at a time, each
    streamed into its file (:meth:`write`) or read if it is small enough
    (:meth:`read`), so no object is ever held whole unless it is wanted."""

    CHUNK = 1 << 20

    def __init__(self, top: Path):
        self.process = subprocess.Popen(
            ["git", "-C", str(top), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.kill()
        self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()

    def _ask(self, spec: str) -> int | None:
        """The size of the object ``spec`` names, its content next on the
        pipe; None when git has no such object."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{spec}\n".encode())
        stdin.flush()
        header = stdout.readline().split()
        return int(header[2]) if len(header) == 3 else None

    def _copy(self, size: int, into: BinaryIO | None) -> None:
        """Pass ``size`` bytes of content on into ``into`` (or drop them), and
        the newline git ends each object's content with."""
        assert self.process.stdout is not None
        left = size
        while left:
            chunk = self.process.stdout.read(min(left, self.CHUNK))
            if not chunk:
                raise WorkspaceError("git stopped in the middle of an object")
            if into is not None:
                into.write(chunk)
            left -= len(chunk)
        self.process.stdout.read(1)

    def write(self, blob: str, size: int, path: Path) -> None:
        if self._ask(blob) != size:
            raise WorkspaceError(f"cannot read {path.name} from git")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:
            self._copy(size, handle)

    def read(self, spec: str, limit: int) -> bytes | None:
        """The content of ``spec`` (``commit:path``), or None when there is no
        such object or it is over ``limit`` bytes (then it is passed over)."""
        size = self._ask(spec)
        if size is None:
            return None
        if size > limit:
            self._copy(size, None)
            return None
        content = io.BytesIO()
        self._copy(size, content)
        return content.getvalue()
