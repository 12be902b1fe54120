"""Both sides of a review, read and compiled.

:func:`compare` reads both sides (git revisions or folders, see
:mod:`journeycode.revisions`), compiles each with the whole pipeline and
returns a :class:`~journeycode.review.compare.Review`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from journeycode import compiler, revisions
from journeycode.review.compare import Review, review


def compile_side(spec: str | None, path: Path, display: str, work: Path) -> compiler.Compiled:
    """One side, compiled; problems name files as the workspace ``display`` does."""
    side = revisions.side(spec, path, work)
    return compiler.compile_workspace(side.root, display)


def compare(
    base: str | None, head: str | None, path: Path, display: str
) -> tuple[Review, str, str]:
    """The review of BASE → HEAD below ``path``, and the two sides' labels.
    BASE defaults to the merge-base with the default branch, HEAD to the working tree."""
    base_spec = base if base is not None else revisions.default_base(path)
    with tempfile.TemporaryDirectory(prefix="journeycode-diff-") as work:
        before_side = revisions.side(base_spec, path, Path(work) / "base")
        after_side = revisions.side(head, path, Path(work) / "head")
        before = compiler.compile_workspace(before_side.root, display)
        after = compiler.compile_workspace(after_side.root, display)
        levels = after.settings.diff_levels
        return review(before, after, levels), before_side.label, after_side.label
