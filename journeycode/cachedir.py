"""What journeycode's caches trust, and how an entry is read and written.

The cache folder (``$JOURNEYCODE_CACHE_DIR``, else ``~/.cache/journeycode``)
is trusted like journeycode's own code: an entry found there is taken as what
journeycode wrote, so a folder that someone else could have written is never
used. Concretely:

* a folder of entries is used only if it is a real folder (not a symlink),
  owned by the user journeycode runs as, and writable by no one else, and so
  is every folder from it up to the cache folder (one of root's, or a shared
  one with the sticky bit, may be above it); one that is not is left alone,
  read from and written to never, and said once on standard error;
* an entry is read only if it is a regular file with the same owner and
  writable by no one else, never through a symlink nor from a special file,
  and at most :data:`MAX_BYTES`; entries are written private (``0600``) in
  folders made private (``0700``);
* every entry is sealed with a digest of its content, checked when it is
  read: a damaged or truncated entry is a miss, never output;
* an entry whose content is not of the shape its reader expects is a miss,
  never an error.

What the cache cannot tell is an entry forged by someone who can write as
the same user: a CI job must not restore a cache folder that a pull request's
own job could have written (a cache keyed per branch from an untrusted
workflow), just as it must not run code the pull request brought.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from journeycode import atomic

MAX_BYTES = 256 * 1024 * 1024
_SEAL = 16  # bytes of blake2b before an entry's content

NOTICES: list[str] = []
"""What was refused, once each, for the command line to say."""


def notice(text: str) -> None:
    if text not in NOTICES:
        NOTICES.append(text)


def usable(folder: Path, root: Path | None = None) -> bool:
    """Whether entries may be read from and written to ``folder``, a folder at
    or below the cache folder ``root`` (``folder`` itself by default). The
    folders missing on the way are made private. ``folder`` must be trusted
    (:func:`_untrusted`); so must each folder from it up to ``root``, except
    that one of root's or with the sticky bit (where no one else can rename
    what is in it) may be shared."""
    top = folder if root is None else root
    chain = [folder, *[p for p in folder.parents if p.is_relative_to(top)]]
    for index, here in enumerate(reversed(chain)):
        try:
            info = here.lstat()
        except FileNotFoundError:
            try:
                here.mkdir(mode=0o700, parents=index == 0)
            except OSError:
                return False
            continue
        except OSError:
            return False
        problem = _untrusted(info, shared=here != folder)
        if problem:
            notice(f"the cache folder {here} {problem}; it is not used")
            return False
    return True


def _untrusted(info: os.stat_result, *, shared: bool = False) -> str | None:
    """Why a folder or entry is not trusted, if it is not. A ``shared`` folder
    (one above the folder of entries) may be root's, or writable by others
    with the sticky bit, as /tmp is."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if info.st_uid not in ((os.geteuid(), 0) if shared else (os.geteuid(),)):
        return "belongs to another user"
    if info.st_mode & 0o022 and not (shared and info.st_mode & stat.S_ISVTX):
        return "is writable by other users"
    return None


def read(path: Path) -> bytes | None:
    """The content of the entry at ``path``, or None: missing, not a private
    regular file of ours, too large, or not sealed as written."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES + _SEAL:
            return None
        problem = _untrusted(info)
        if problem:
            notice(f"the cache entry {path} {problem}; it is not used")
            return None
        try:
            sealed = handle.read(MAX_BYTES + _SEAL + 1)
        except OSError:
            return None
    seal, content = sealed[:_SEAL], sealed[_SEAL:]
    return content if seal == _digest(content) else None


def write(path: Path, content: bytes) -> None:
    """Write an entry, sealed and private; a cache that cannot be written only
    costs time, so a failure is ignored."""
    if len(content) > MAX_BYTES:
        return
    with contextlib.suppress(OSError):
        atomic.write_bytes(path, _digest(content) + content, mode=0o600)


def _digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=_SEAL).digest()
