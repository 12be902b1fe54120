"""A review as text for a terminal, JSON for tools, Markdown for a pull-request
comment, or workflow annotations: :data:`FORMATS`, which ``diff --format`` reads.

All map text in the Markdown goes through :func:`journeycode.quoting.markdown_inline`
(or :func:`~journeycode.quoting.markdown_html` inside a ``<summary>``), so a
touchpoint named ``</details><img src=x onerror=alert(1)>`` stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from journeycode.coverage import Coverage, percent
from journeycode.naming import counted
from journeycode.problems import Problem
from journeycode.quoting import (
    json_document,
    markdown_code,
    markdown_html,
    markdown_inline,
    markdown_link_target,
    terminal,
)
from journeycode.report.formats import PLAIN, Format, Formats, Options
from journeycode.report.github import annotation
from journeycode.review.changes import Severity
from journeycode.review.compare import Change, Review
from journeycode.review.message import MARKDOWN, TEXT, Style, mention_text, render

VERSION = 1
COMMENT_LIMIT = 65_535
"""GitHub's limit on a comment's length, in characters."""
SUMMARY_LIMIT = 1_000_000
"""A job summary takes 1 MiB a step, counted in bytes (:attr:`Sides.in_bytes`)."""


@dataclass(frozen=True)
class Sides:
    """What a report says besides the review: the two sides' labels, the
    diagrams of the change that were written (``--diagrams``), and what the
    Markdown shows and how long it may be."""

    base: str
    head: str
    diagrams: tuple[str, ...] = ()
    pictures: Mapping[str, str | None] = field(default_factory=dict)
    """Journey id → a Mermaid flowchart of its changed part, for the Markdown;
    None where it is too large for GitHub to draw."""
    summary_url: str | None = None
    """Where the whole review is when the Markdown is cut (a CI job's summary)."""
    limit: int = COMMENT_LIMIT
    """The Markdown's length at most, in characters."""
    in_bytes: bool = False
    """The limit counts UTF-8 bytes, not characters (a job summary)."""


@dataclass(frozen=True)
class _Block:
    """A part of the Markdown, whole, so the comment can be cut between any
    two; ``first`` if it is kept before the others when the comment is cut."""

    text: str
    first: bool = False
    end: str = ""
    """What closes the section this block opens, after the last of its items kept."""
    inside: bool = False
    """An item of the section the block before it opens: kept only with it."""


@dataclass(frozen=True)
class Reviewed:
    """What a diff's formats report: the review and its sides."""

    review: Review
    sides: Sides


def _counts(changes: Iterable[Change]) -> dict[Severity, int]:
    counted = dict.fromkeys(Severity, 0)
    for change in changes:
        counted[change.level] += 1
    return counted


def _summary(review: Review) -> str:
    by_level = _counts(review.changes)
    journeys = {c.journey for c in review.changes if c.journey is not None}
    if not review.changes:
        return "no changes"
    parts = [f"{by_level[level]} {level}" for level in reversed(Severity) if by_level[level]]
    places = [counted(len(journeys), "journey")] if journeys else []
    if any(c.journey is None for c in review.changes):
        places.append("the catalog")
    where = " and ".join(places)
    noun = "change" if len(review.changes) == 1 else "changes"
    return f"{', '.join(parts)} {noun} in {where}"


def _groups(review: Review) -> list[tuple[str | None, list[Change]]]:
    """Changes by journey (the catalog first), each group breaking first."""
    grouped: dict[str | None, list[Change]] = {}
    for change in sorted(review.changes, key=lambda c: (c.journey is not None, c.journey or "")):
        grouped.setdefault(change.journey, []).append(change)
    return [(key, sorted(value, key=lambda c: -c.level)) for key, value in grouped.items()]


def _total_delta(before: float | None, after: float | None) -> str:
    if before is None or after is None or round(before) == round(after):
        return ""
    return f" ({after - before:+.0f})"


def _coverage_rows(review: Review) -> list[tuple[str, float | None, float | None]]:
    before, after = review.coverage
    old = {j.id: j.total for j in before.journeys}
    new = {j.id: j.total for j in after.journeys}
    rows = [("portfolio", before.total, after.total)]
    for ident in sorted(old.keys() | new.keys()):
        if old.get(ident) != new.get(ident):
            rows.append((ident, old.get(ident), new.get(ident)))
    return rows


def _problem_line(problem: Problem, review: Review, style: Style = TEXT) -> str:
    """A problem as ``check`` writes it, with the name of its subject (when it
    has one) in front of its message."""
    subject = review.subjects.get(problem)
    about = f"{mention_text(subject, style)}: " if subject and subject.name else ""
    said = f"{problem.message} [{problem.rule}]"
    if style is MARKDOWN:
        # A reviewer reads the level and what it is about first; the rule and
        # the place follow, as in the list of breaking changes.
        message = markdown_inline(problem.message, line_start=False)
        where = markdown_inline(problem.location, line_start=False)
        return f"**{problem.level}** {about}{message} · {markdown_code(problem.rule)} · {where}"
    return f"{problem.location}: {problem.level}: {about}{said}"


def _changed_line(pair: tuple[Problem, Problem], review: Review, style: Style = TEXT) -> str:
    """A problem on both sides, as HEAD has it and what BASE said."""
    old, new = pair
    was = old.message if old.level == new.level else f"{old.level}: {old.message}"
    said = f" (was: {was})"
    return _problem_line(new, review, style) + (
        markdown_inline(said, line_start=False) if style is MARKDOWN else said
    )


def _problems_count(review: Review) -> str:
    counts = f"{len(review.introduced)} new, {len(review.fixed)} fixed"
    return f"Problems: {counts}" + (f", {len(review.changed)} changed" if review.changed else "")


def _partial(review: Review, sides: Sides) -> list[str]:
    """A warning for each side whose errors hide parts of it from the comparison."""
    return [
        f"note: {label} has {count} load or schema error(s); what they leave out is not compared"
        for label, count in zip((sides.base, sides.head), review.errors, strict=True)
        if count
    ]


_COLORS = {Severity.BREAKING: "31", Severity.NOTABLE: "33", Severity.INFO: "36"}


def text(reviewed: Reviewed, options: Options = PLAIN) -> str:
    """Grouped by journey, breaking first; ANSI colours with ``options.color``
    (a terminal). Map text is :func:`~journeycode.quoting.terminal` text."""
    review, sides = reviewed.review, reviewed.sides
    t, paint = terminal, options.paint

    lines = [f"journeycode diff: {t(sides.base)} → {t(sides.head)}", paint("1", _summary(review))]
    lines += [t(note) for note in _partial(review, sides)]
    for journey, changes in _groups(review):
        title = "Catalog" if journey is None else f"Journey {t(journey)}"
        lines += ["", paint("1", title)]
        for change in changes:
            where = f"{change.path}:{change.line}:{change.col}" if change.path else "(removed)"
            level = paint(_COLORS[change.level], f"{change.level!s:<8}")
            lines.append(f"  {level}  {change.kind}  {paint('2', t(where))}")
            lines.append(f"      {t(str(change.message))}")
    if review.introduced or review.fixed or review.changed:
        lines += ["", _problems_count(review)]
        lines += [f"  + {t(_problem_line(p, review))}" for p in review.introduced]
        lines += [f"  - {t(_problem_line(p, review))}" for p in review.fixed]
        lines += [f"  ~ {t(_changed_line(pair, review))}" for pair in review.changed]
    lines += ["", "Coverage"]
    for name, before, after in _coverage_rows(review):
        delta = _total_delta(before, after)
        lines.append(f"  {t(name)}: {percent(before)} → {percent(after)}{delta}")
    for journey, persona, stage in review.uncovered:
        lines.append(f"  {t(journey)}: persona '{t(persona)}' no longer passes stage '{t(stage)}'")
    if sides.diagrams:
        lines += ["", "Diagrams of the change", *(f"  {t(name)}" for name in sides.diagrams)]
    return "\n".join(lines) + "\n"


def json(reviewed: Reviewed, options: Options = PLAIN) -> str:
    review, sides = reviewed.review, reviewed.sides

    def coverage(value: Coverage) -> dict[str, object]:
        return {"total": value.total, "journeys": {j.id: j.total for j in value.journeys}}

    def problem(p: Problem) -> dict[str, object]:
        subject = review.subjects.get(p)
        return {
            "path": p.path,
            "line": p.line,
            "col": p.col,
            "rule": p.rule,
            "level": str(p.level),
            "message": p.message,
            "subject": subject and subject.as_dict(),
        }

    document = {
        "diff_version": VERSION,
        "base": sides.base,
        "head": sides.head,
        "summary": {str(level): count for level, count in _counts(review.changes).items()},
        "errors": {"base": review.errors[0], "head": review.errors[1]},
        "changes": [
            {
                "kind": c.kind,
                "level": str(c.level),
                "journey": c.journey,
                "message": str(c.message),
                "subject": c.message.subject and c.message.subject.as_dict(),
                "mentions": [m.as_dict() for m in c.message.mentions],
                "path": c.path,
                "line": c.line if c.path else None,
                "col": c.col if c.path else None,
            }
            for c in review.changes
        ],
        "problems": {
            "introduced": [problem(p) for p in review.introduced],
            "fixed": [problem(p) for p in review.fixed],
            "changed": [{"base": problem(a), "head": problem(b)} for a, b in review.changed],
        },
        "coverage": {"base": coverage(review.coverage[0]), "head": coverage(review.coverage[1])},
        "uncovered": [{"journey": j, "persona": p, "stage": s} for j, p, s in review.uncovered],
        "diagrams": list(sides.diagrams),
    }
    return json_document(document)


def markdown(reviewed: Reviewed, options: Options = PLAIN) -> str:
    """A pull-request comment in the shape reviewers know from oasdiff and
    tfcmt: a headline with the counts, the breaking changes first, each with
    why it matters, then each journey's other changes (with a Mermaid picture
    of its changed part) and the problems in collapsible sections. Never longer
    than ``sides.limit`` characters (GitHub's 65,535 for a comment): the
    pictures go first, then whole sections, with a note saying so and where
    the whole review is (``sides.summary_url``)."""
    review, sides = reviewed.review, reviewed.sides
    if not review.changes and not (review.introduced or review.fixed or review.changed):
        said = f"{markdown_inline(sides.base)} → {markdown_inline(sides.head, line_start=False)}"
        return f"### journeycode: no changes\n\n{said}: the maps mean the same.\n"
    budget = sides.limit - _MARGIN
    size = _utf8_size if sides.in_bytes else len
    blocks = _blocks(review, sides, pictures=True)
    if sum(size(b.text + b.end) for b in blocks) <= budget:
        return _joined(blocks, set(range(len(blocks))))
    where = _whole_review(sides)
    blocks = _blocks(review, sides, pictures=False)
    if review.changes and sides.pictures:
        said = f"_The pictures of the change are left out to keep this review short{where}._\n\n"
        blocks.insert(1, _Block(said, first=True))
    if sum(size(b.text + b.end) for b in blocks) <= budget:
        return _joined(blocks, set(range(len(blocks))))
    return _cut(blocks, sides, size, budget, where)


def _cut(
    blocks: list[_Block], sides: Sides, size: Callable[[str], int], budget: int, where: str
) -> str:
    """The blocks that fit, in their order: the first ones (the headline, the
    breaking changes, the problems) before the rest, and a later block that
    fits kept after one that does not; a note says how many are cut."""
    note = (
        "\n_{} more part(s) of the review are cut to keep it under "
        f"{sides.limit:,} {'bytes' if sides.in_bytes else 'characters'}, GitHub's limit{where}._\n"
    )
    # Each block may need a blank line before it (:func:`_joined`).
    used = size(note.format(len(blocks)))
    kept: set[int] = set()
    for first in (True, False):
        opened = False
        for index, block in enumerate(blocks):
            cost = size(block.text) + size(block.end) + 1
            if block.inside and not opened:
                continue
            if block.first is first and used + cost <= budget:
                kept.add(index)
                used += cost
            if not block.inside:
                opened = index in kept
    cut = len(blocks) - len(kept)
    return _joined(blocks, kept) + (note.format(cut) if cut else "")


def _joined(blocks: list[_Block], kept: set[int]) -> str:
    parts: list[str] = []
    end = ""
    for index, block in enumerate(blocks):
        if not block.inside and end:
            parts.append(end)
            end = ""
        if index not in kept:
            continue
        if not block.inside:
            end = block.end
            # Where the block before is cut, a list item before this one
            # would run on into it.
            if index - 1 not in kept and parts and not parts[-1].endswith("\n\n"):
                parts.append("\n")
        parts.append(block.text)
    return "".join([*parts, end])


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


# Room for what the action puts around the review (its marker line).
_MARGIN = 256


def _whole_review(sides: Sides) -> str:
    target = None if sides.summary_url is None else markdown_link_target(sides.summary_url)
    if target is None:
        return ": `journeycode diff` prints the whole review"
    return f": the whole review is in [the job summary]({target})"


def _why(change: Change) -> str:
    """Why a breaking change matters: the rule it breaks, else its kind's summary."""
    from journeycode.rules.docs import DOCS

    rule = DOCS.get(change.kind.rule or "")
    if rule is None:
        return markdown_inline(change.kind.summary, line_start=False)
    return f"rule `{rule.id}`: {markdown_inline(rule.summary, line_start=False)}"


def _where(change: Change) -> str:
    return (
        markdown_inline(f"{change.path}:{change.line}", line_start=False)
        if change.path
        else "removed"
    )


_TOO_LARGE = (
    "_The picture of this change is too large for GitHub to draw: "
    "see the change diagrams (`journeycode diff --diagrams`)._"
)


def _blocks(review: Review, sides: Sides, *, pictures: bool) -> list[_Block]:
    """The comment's parts, most important first: each is whole Markdown, so
    the comment can be cut between any two."""
    e = markdown_inline
    head = [f"### journeycode: {_summary(review)}", ""]
    rows = _coverage_rows(review)
    coverage = "; ".join(
        f"{e(n, line_start=False)} {percent(b)} → {percent(a)}{_total_delta(b, a)}"
        for n, b, a in rows
    )
    head += [f"{e(sides.base)} → {e(sides.head, line_start=False)} · coverage: {coverage}", ""]
    head += [f"> {e(note, line_start=False)}\n" for note in _partial(review, sides)]
    groups = _groups(review)
    if groups:
        head += ["| Journey | Breaking | Notable | Info |", "|---|---:|---:|---:|"]
        for journey, changes in groups:
            counted = _counts(changes)
            name = "Catalog" if journey is None else review.journeys.get(journey, journey)
            head.append(
                f"| {e(name)} | {counted[Severity.BREAKING]} | {counted[Severity.NOTABLE]} "
                f"| {counted[Severity.INFO]} |"
            )
        head.append("")
    blocks = [_Block("\n".join(head) + "\n", first=True)]
    breaking = [
        f"- **{render(c.message, MARKDOWN)}**\\\n"
        f"  why it matters: {_why(c)} · `{c.kind}` · {_where(c)}\n"
        for c in review.changes
        if c.level is Severity.BREAKING
    ]
    if breaking:
        # The heading goes with the first item, the blank line that ends the
        # list with the last: no part is a heading or a blank line alone.
        breaking[0] = f"#### Breaking changes ({len(breaking)})\n\n{breaking[0]}"
        breaking[-1] += "\n"
        blocks += [_Block(item, first=True) for item in breaking]
    for journey, changes in groups:
        rest = [c for c in changes if c.level is not Severity.BREAKING]
        pictured = pictures and (journey or "") in sides.pictures
        picture = sides.pictures.get(journey or "") if pictures else None
        if not rest and not pictured:
            continue
        counted = _counts(changes)
        name = "Catalog" if journey is None else review.journeys.get(journey, journey)
        said = ", ".join(
            f"{counted[level]} {level}" for level in reversed(Severity) if counted[level]
        )
        lines = [f"<details><summary>{markdown_html(name)}: {said}</summary>", ""]
        if picture is not None:
            lines += ["```mermaid", picture.rstrip("\n"), "```", ""]
        elif pictured:
            lines += [_TOO_LARGE, ""]
        lines += [f"- **{c.level}** `{c.kind}` {render(c.message, MARKDOWN)}" for c in rest]
        blocks.append(_Block("\n".join([*lines, "", "</details>", "", ""])))
    if review.introduced or review.fixed or review.changed:
        lines = [
            f"<details{' open' if review.introduced else ''}><summary>{_problems_count(review)}"
            "</summary>",
            "",
        ]
        items = [f"- new: {_problem_line(p, review, MARKDOWN)}\n" for p in review.introduced]
        items += [f"- fixed: {_problem_line(p, review, MARKDOWN)}\n" for p in review.fixed]
        items += [
            f"- changed: {_changed_line(pair, review, MARKDOWN)}\n" for pair in review.changed
        ]
        # Many problems are cut one by one, their section kept closed.
        blocks.append(_Block("\n".join(lines) + "\n", first=True, end="\n</details>\n\n"))
        blocks += [_Block(item, first=True, inside=True) for item in items]
    if sides.diagrams:
        listed = ", ".join(markdown_code(n) for n in sides.diagrams)
        blocks.append(_Block(f"Diagrams of the change (artifacts): {listed}\n"))
    return blocks


_ANNOTATIONS = {Severity.BREAKING: "error", Severity.NOTABLE: "warning"}


def github(reviewed: Reviewed, options: Options = PLAIN) -> str:
    """Workflow annotations on the changed lines: breaking changes as errors,
    notable ones as warnings; info changes are left to the other formats."""
    review, sides = reviewed.review, reviewed.sides
    return "".join(
        annotation(
            _ANNOTATIONS[c.level],
            f"{c.message} ({c.level}; {sides.base} → {sides.head})",
            f"journeycode diff: {c.kind}",
            c.path,
            c.line,
            c.col,
        )
        for c in review.changes
        if c.level in _ANNOTATIONS
    )


FORMATS: Formats[Reviewed] = Formats(
    Format("text", "for people", text, color=True),
    Format("json", "for tools", json),
    Format("markdown", "for a pull-request comment", markdown),
    Format("github", "for annotations on the changed lines", github),
)
