"""Both sides of a review, read and compiled.

:func:`compare` reads both sides (git revisions or folders, see
:mod:`journeycode.revisions`), compiles each with the whole pipeline and
returns a :class:`Comparison`: the
:class:`~journeycode.review.compare.Review` and both compiled sides.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path

from journeycode import compiler, i18n, revisions
from journeycode.compiler import Compiled
from journeycode.review.compare import Review, review


def compile_side(
    spec: str | None,
    path: Path,
    display: str,
    work: Path,
    today: datetime.date | None = None,
    *,
    one_shot: bool = False,
) -> tuple[Compiled, str]:
    """One side, compiled, and its label; problems name files as the workspace
    ``display`` does, and both sides are judged on the same day, so that their
    problems can be matched. ``one_shot`` as for
    :func:`~journeycode.compiler.compile_workspace`."""
    side = revisions.side(spec, path, work)
    compiled = compiler.compile_workspace(side.root, display, today=today, one_shot=one_shot)
    return compiled, side.label


@dataclass(frozen=True)
class Comparison:
    review: Review
    base: Compiled
    head: Compiled
    base_label: str
    head_label: str


def compare(
    base: str | None,
    head: str | None,
    path: Path,
    display: str,
    today: datetime.date | None = None,
    *,
    one_shot: bool = False,
) -> Comparison:
    """The review of BASE → HEAD below ``path``, with both sides and their labels.
    BASE defaults to the merge-base with the default branch, HEAD to the working tree."""
    branch = None
    if base is None:
        base, branch = revisions.default_base(path)
    with tempfile.TemporaryDirectory(prefix="journeycode-diff-") as work:
        day = today or datetime.date.today()
        before, base_label = compile_side(
            base, path, display, Path(work) / "base", day, one_shot=one_shot
        )
        after, head_label = compile_side(
            head, path, display, Path(work) / "head", day, one_shot=one_shot
        )
    if branch is not None:
        # Said in the reader's language where it is shown (a Msg); JSON keeps it English.
        base_label = i18n.msg("merge-base with {branch} ({commit})", branch=branch, commit=base[:7])
    found = review(before, after, after.settings.diff_levels)
    return Comparison(found, before, after, base_label, head_label)
