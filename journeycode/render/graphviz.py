"""Running Graphviz: finding the program, caching its output by content hash.

The program is, in this order: ``$JOURNEYCODE_DOT``; the ``graphviz-pure``
script beside the running interpreter (so a venv works without being
activated); ``graphviz-pure`` on PATH; ``dot`` on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from journeycode import atomic, cachedir, digest

TIMEOUT_SECONDS = 120


class RenderError(Exception):
    """Graphviz is missing or failed; nothing was written (exit code 2)."""


@dataclass(frozen=True)
class Graphviz:
    program: str

    @classmethod
    def find(cls) -> Graphviz:
        configured = os.environ.get("JOURNEYCODE_DOT")
        if configured:
            found = shutil.which(configured)
            if found is None:
                raise RenderError(f"JOURNEYCODE_DOT={configured} is not an executable program")
            return cls(found)
        beside = Path(sys.executable).with_name("graphviz-pure")
        if beside.is_file() and os.access(beside, os.X_OK):
            return cls(str(beside))
        for name in ("graphviz-pure", "dot"):
            found = shutil.which(name)
            if found:
                return cls(found)
        raise RenderError(
            "no Graphviz found: install journeycode with its dependencies "
            "(installing journeycode brings graphviz-pure), or set JOURNEYCODE_DOT"
        )

    @property
    def identity(self) -> str:
        """What the cache key needs of the program, without running it."""
        stat = Path(self.program).stat()
        return f"{self.program}:{stat.st_size}:{stat.st_mtime_ns}"

    def run(self, source: str, output_format: str, dpi: int | None = None) -> bytes:
        # -Gdpi, not a dpi attribute in the source: in an SVG it would scale the drawing.
        options = [f"-Gdpi={dpi}"] if dpi else []
        try:
            completed = subprocess.run(
                [self.program, f"-T{output_format}", *options],
                input=source.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RenderError(f"cannot run {self.program}: {error}") from None
        if completed.returncode != 0:
            detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise RenderError(
                f"{self.program} failed (exit {completed.returncode})"
                + (f": {detail[-1]}" if detail else "")
            )
        if not completed.stdout.strip():
            raise RenderError(f"{self.program} produced no output")
        return completed.stdout


def default_cache_dir() -> Path:
    """journeycode's cache: ``$JOURNEYCODE_CACHE_DIR``, else ~/.cache/journeycode.
    Diagrams go in its ``diagrams`` folder, converted site pages in ``pages``."""
    configured = os.environ.get("JOURNEYCODE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "journeycode"


@dataclass(frozen=True)
class Cache:
    """Rendered diagrams by the hash of (program, format, DOT source)."""

    folder: Path | None

    def __post_init__(self) -> None:
        if self.folder is not None and not cachedir.usable(self.folder, self.folder.parent):
            object.__setattr__(self, "folder", None)  # what the cache trusts: cachedir
        if self.folder is not None:
            atomic.sweep(self.folder)

    def key(
        self, graphviz: Graphviz, source: str, output_format: str, dpi: int | None = None
    ) -> str:
        return digest.of(graphviz.identity, output_format, dpi, source)

    def get(self, key: str) -> bytes | None:
        return None if self.folder is None else cachedir.read(self.folder / key)

    def names(self) -> set[str]:
        """The keys it has entries for (trusted or not)."""
        if self.folder is None:
            return set()
        try:
            return {p.name for p in self.folder.iterdir()}
        except OSError:
            return set()

    def put(self, key: str, data: bytes) -> None:
        if self.folder is not None:
            cachedir.write(self.folder / key, data)
