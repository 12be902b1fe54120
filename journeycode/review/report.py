"""A review as text for a terminal, JSON for tools, Markdown for a pull-request
comment, or workflow annotations: :data:`FORMATS`, which ``diff --format`` reads.

All map text in the Markdown goes through :func:`journeycode.quoting.markdown_inline`
(or :func:`~journeycode.quoting.markdown_html` inside a ``<summary>``), so a
touchpoint named ``</details><img src=x onerror=alert(1)>`` stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from journeycode.coverage import Coverage, percent
from journeycode.problems import Problem
from journeycode.quoting import json_document, markdown_html, markdown_inline, terminal
from journeycode.report.formats import PLAIN, Format, Formats, Options
from journeycode.report.github import annotation
from journeycode.review.changes import Severity
from journeycode.review.compare import Change, Review
from journeycode.review.message import MARKDOWN, TEXT, Style, mention_text, render

VERSION = 1
MARKDOWN_LIMIT = 60_000


@dataclass(frozen=True)
class Sides:
    """What a report says besides the review: the two sides' labels, and the
    diagrams of the change that were written (``--diagrams``)."""

    base: str
    head: str
    diagrams: tuple[str, ...] = ()


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
    counted = _counts(review.changes)
    journeys = {c.journey for c in review.changes if c.journey is not None}
    if not review.changes:
        return "no changes"
    parts = [f"{counted[level]} {level}" for level in reversed(Severity) if counted[level]]
    places = [f"{len(journeys)} journey(s)"] if journeys else []
    if any(c.journey is None for c in review.changes):
        places.append("the catalog")
    where = " and ".join(places)
    return f"{', '.join(parts)} change(s) in {where}"


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
        where = markdown_inline(f"{problem.location}: {problem.level}: ")
        return f"{where}{about}{markdown_inline(said, line_start=False)}"
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
    """A pull-request comment: a summary, a table of changed journeys, breaking
    changes first, and the details of each journey folded away."""
    review, sides = reviewed.review, reviewed.sides
    e = markdown_inline
    # The summary is counts and fixed words: nothing to escape, and plainer unescaped.
    head = [f"### journeycode: {_summary(review)}", "", f"{e(sides.base)} → {e(sides.head)}", ""]
    notes = _partial(review, sides)
    head += [*(f"> {e(note)}" for note in notes), *([""] if notes else [])]
    groups = _groups(review)
    if groups:
        head += ["| Journey | Breaking | Notable | Info |", "|---|---:|---:|---:|"]
        for journey, changes in groups:
            counted = _counts(changes)
            name = "catalog" if journey is None else review.journeys.get(journey, journey)
            head.append(
                f"| {e(name)} | {counted[Severity.BREAKING]} | {counted[Severity.NOTABLE]} "
                f"| {counted[Severity.INFO]} |"
            )
        head.append("")
    breaking = [c for c in review.changes if c.level is Severity.BREAKING]
    if breaking:
        head += ["**Breaking changes**", ""]
        head += [f"- `{c.kind}` {render(c.message, MARKDOWN)}" for c in breaking]
        head.append("")
    if review.introduced or review.fixed or review.changed:
        head.append(_problems_count(review))
        head += [f"- new: {_problem_line(p, review, MARKDOWN)}" for p in review.introduced]
        head += [f"- fixed: {_problem_line(p, review, MARKDOWN)}" for p in review.fixed]
        head += [f"- changed: {_changed_line(pair, review, MARKDOWN)}" for pair in review.changed]
        head.append("")
    rows = _coverage_rows(review)
    head.append(
        "Coverage: "
        + "; ".join(f"{e(n)} {percent(b)} → {percent(a)}{_total_delta(b, a)}" for n, b, a in rows)
    )
    head.append("")
    if sides.diagrams:
        head.append("Diagrams of the change: " + ", ".join(f"`{e(n)}`" for n in sides.diagrams))
        head.append("")
    body = []
    for journey, changes in groups:
        name = "Catalog" if journey is None else review.journeys.get(journey, journey)
        lines = [f"<details><summary>{markdown_html(name)} ({len(changes)})</summary>", ""]
        lines += [f"- **{c.level}** `{c.kind}` {render(c.message, MARKDOWN)}" for c in changes]
        lines += ["", "</details>", ""]
        body.append("\n".join(lines))
    out = "\n".join(head)
    for index, block in enumerate(body):
        if len(out) + len(block) > MARKDOWN_LIMIT - 200:
            out += f"\n_{len(body) - index} more journey(s) cut to keep this comment short._\n"
            break
        out += "\n" + block
    return out


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
