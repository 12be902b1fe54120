"""A journey map's history from git: who changed it, when, why, and which version it carried.

One ``git log`` over the workspace and one ``git cat-file --batch`` for the
versions, however many maps there are; the result is cached per HEAD, so a
site rebuild under ``mkdocs serve`` asks git again only after a commit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from journeycode import loader
from journeycode.revisions import Batch, git

LIMIT = 10  # changes shown per map
SCANNED = 2000  # commits read at most, so huge histories stay fast
_COMMIT = re.compile("[0-9a-f]{40}|[0-9a-f]{64}")
_VERSION = re.compile(rb"^\s+version:\s*['\"]?([0-9A-Za-z.+-]+)", re.MULTILINE)


@dataclass(frozen=True)
class Change:
    commit: str
    date: str
    author: str
    subject: str
    version: str | None


def history(root: Path, files: Iterable[Path]) -> dict[Path, list[Change]] | None:
    """The newest changes of each file, or None when ``root`` is not in a git repository."""
    top = git(root, "rev-parse", "--show-toplevel")
    head = git(root, "rev-parse", "--verify", "-q", "HEAD")
    if top is None:
        return None
    return _cached(Path(top.decode().strip()), (head or b"").strip().decode(), tuple(files))


@functools.cache
def _cached(top: Path, head: str, files: tuple[Path, ...]) -> dict[Path, list[Change]]:
    wanted = {f.resolve().relative_to(top.resolve()).as_posix(): f for f in files}
    found: dict[Path, list[Change]] = {f: [] for f in files}
    if not head or not wanted:
        return found
    log = git(
        top,
        "log",
        f"-n{SCANNED}",
        "--date=short",
        # A record per commit, its fields on lines: a subject and an author's
        # name hold neither a NUL nor a line break (git refuses the first in a
        # message, folds a subject onto one line and keeps no line break in a
        # name), so no commit message can make a record or a field of its own.
        "--format=%x00%H%n%ad%n%an%n%s",
        "--name-only",
        "--",
        *wanted,
    )
    pending: list[tuple[str, str, str, str, str]] = []  # name, commit, date, author, subject
    counts = dict.fromkeys(wanted, 0)
    for record in (log or b"").decode("utf-8", "replace").split("\0")[1:]:
        commit, date, author, subject, *names = [*record.split("\n"), "", "", "", ""]
        if not _COMMIT.fullmatch(commit):
            continue
        for name in names:
            if name in counts and counts[name] < LIMIT:
                counts[name] += 1
                pending.append((name, commit, date, author, subject))
    versions = _versions(top, [(commit, name) for name, commit, *_ in pending])
    for (name, commit, date, author, subject), version in zip(pending, versions, strict=True):
        found[wanted[name]].append(Change(commit[:10], date, author, subject, version))
    return found


def _versions(top: Path, objects: list[tuple[str, str]]) -> list[str | None]:
    """The ``version:`` of each file at each commit, read in one git process,
    one object at a time; one over the loader's limit (no map) is passed over
    unread."""
    versions: list[str | None] = []
    if not objects:
        return versions
    with Batch(top) as batch:
        for commit, name in objects:
            content = batch.read(f"{commit}:{name}", loader.MAX_BYTES)
            match = None if content is None else _VERSION.search(content)
            versions.append(match.group(1).decode() if match else None)
    return versions
