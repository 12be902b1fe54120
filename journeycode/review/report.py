"""A review as text for a terminal, JSON for tools, Markdown for a pull-request
comment, or workflow annotations: :data:`FORMATS`, which ``diff --format`` reads.

All map text in the Markdown goes through :func:`journeycode.quoting.markdown_inline`
(or :func:`~journeycode.quoting.markdown_html` inside a ``<summary>``), so a
touchpoint named ``</details><img src=x onerror=alert(1)>`` stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from journeycode import i18n
from journeycode.coverage import Coverage, percent
from journeycode.i18n import N_, _, ngettext, npgettext, pgettext
from journeycode.problems import Level, Problem
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
    flow_pictures: Mapping[str, str | None] = field(default_factory=dict)
    """Contact flow id → a Mermaid flowchart of its changed part, shown with
    the catalog's changes; None where it is too large for GitHub to draw."""
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


def _labels(sides: Sides) -> tuple[str, str]:
    """The sides' labels in the reader's language (``working tree``); JSON keeps them as made."""
    return i18n.say(sides.base), i18n.say(sides.head)


def _counts(changes: Iterable[Change]) -> dict[Severity, int]:
    counted = dict.fromkeys(Severity, 0)
    for change in changes:
        counted[change.level] += 1
    return counted


def level_word(level: Severity) -> str:
    """A change's level as a reader sees it (JSON keeps the id)."""
    return _LEVEL_WORDS[level]()


_LEVEL_WORDS = {
    Severity.BREAKING: lambda: pgettext("change level", "breaking"),
    Severity.NOTABLE: lambda: pgettext("change level", "notable"),
    Severity.INFO: lambda: pgettext("change level", "info"),
}


def level_width() -> int:
    """The width of the text report's level column, in the reader's language."""
    return max(len(level_word(level)) for level in Severity)


def problem_level(level: Level) -> str:
    """A problem's level as a reader sees it (JSON keeps the id)."""
    return _(_PROBLEM_LEVELS[level])


_PROBLEM_LEVELS = {Level.ERROR: N_("error"), Level.WARNING: N_("warning"), Level.INFO: N_("info")}


def _levels(counts: Mapping[Severity, int]) -> str:
    """``1 breaking, 4 notable``: the counts of the levels there are."""
    said = {
        Severity.BREAKING: lambda n: npgettext(
            "change level", "{count} breaking", "{count} breaking", n
        ),
        Severity.NOTABLE: lambda n: npgettext(
            "change level", "{count} notable", "{count} notable", n
        ),
        Severity.INFO: lambda n: npgettext("change level", "{count} info", "{count} info", n),
    }
    return _(", ").join(
        said[level](counts[level]).format(count=counts[level])
        for level in reversed(Severity)
        if counts[level]
    )


def _summary(review: Review) -> str:
    by_level = _counts(review.changes)
    journeys = {c.journey for c in review.changes if c.journey is not None}
    if not review.changes:
        return _("no changes")
    count = len(journeys)
    some = npgettext("in", "{count} journey", "{count} journeys", count).format(count=count)
    if any(c.journey is None for c in review.changes):
        where = (
            _("{journeys} and the catalog").format(journeys=some) if journeys else _("the catalog")
        )
    else:
        where = some
    total = len(review.changes)
    return ngettext("{levels} change in {where}", "{levels} changes in {where}", total).format(
        levels=_levels(by_level), where=where
    )


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
    rows = [(_("portfolio"), before.total, after.total)]
    for ident in sorted(old.keys() | new.keys()):
        if old.get(ident) != new.get(ident):
            rows.append((ident, old.get(ident), new.get(ident)))
    return rows


def _problem_line(problem: Problem, review: Review, style: Style = TEXT) -> str:
    """A problem as ``check`` writes it, with the name of its subject (when it
    has one) in front of its message."""
    subject = review.subjects.get(problem)
    about = f"{mention_text(subject, style)}: " if subject and subject.name else ""
    text = i18n.say(problem.message)
    level = problem_level(problem.level)
    if style is MARKDOWN:
        # A reviewer reads the level and what it is about first; the rule and
        # the place follow, as in the list of breaking changes.
        message = markdown_inline(text, line_start=False)
        where = markdown_inline(problem.location, line_start=False)
        return f"**{level}** {about}{message} · {markdown_code(problem.rule)} · {where}"
    return f"{problem.location}: {level}: {about}{text} [{problem.rule}]"


def _changed_line(pair: tuple[Problem, Problem], review: Review, style: Style = TEXT) -> str:
    """A problem on both sides, as HEAD has it and what BASE said."""
    old, new = pair
    message = i18n.say(old.message)
    was = message if old.level == new.level else f"{problem_level(old.level)}: {message}"
    said = _(" (was: {was})").format(was=was)
    return _problem_line(new, review, style) + (
        markdown_inline(said, line_start=False) if style is MARKDOWN else said
    )


def _problems_count(review: Review) -> str:
    new, fixed, changed = len(review.introduced), len(review.fixed), len(review.changed)
    if changed:
        said = _("Problems: {new} new, {fixed} fixed, {changed} changed")
    else:
        said = _("Problems: {new} new, {fixed} fixed")
    return said.format(new=new, fixed=fixed, changed=changed)


def _partial(review: Review, sides: Sides) -> list[str]:
    """A warning for each side whose errors hide parts of it from the comparison."""
    return [
        ngettext(
            "note: {label} has {count} load or schema error(s); "
            "what they leave out is not compared",
            "note: {label} has {count} load or schema error(s); "
            "what they leave out is not compared",
            count,
        ).format(label=label, count=count)
        for label, count in zip(_labels(sides), review.errors, strict=True)
        if count
    ]


_COLORS = {Severity.BREAKING: "31", Severity.NOTABLE: "33", Severity.INFO: "36"}


def text(reviewed: Reviewed, options: Options = PLAIN) -> str:
    """Grouped by journey, breaking first; ANSI colours with ``options.color``
    (a terminal). Map text is :func:`~journeycode.quoting.terminal` text."""
    review, sides = reviewed.review, reviewed.sides
    t, paint = terminal, options.paint

    base, head = _labels(sides)
    lines = [f"journeycode diff: {t(base)} → {t(head)}", paint("1", _summary(review))]
    lines += [t(note) for note in _partial(review, sides)]
    width = level_width()
    for journey, changes in _groups(review):
        title = (
            _("Catalog") if journey is None else _("Journey {journey}").format(journey=t(journey))
        )
        lines += ["", paint("1", title)]
        for change in changes:
            where = f"{change.path}:{change.line}:{change.col}" if change.path else _("(removed)")
            level = paint(_COLORS[change.level], f"{level_word(change.level):<{width}}")
            lines.append(f"  {level}  {change.kind}  {paint('2', t(where))}")
            lines.append(f"      {t(str(change.message))}")
    if review.introduced or review.fixed or review.changed:
        lines += ["", _problems_count(review)]
        lines += [f"  + {t(_problem_line(p, review))}" for p in review.introduced]
        lines += [f"  - {t(_problem_line(p, review))}" for p in review.fixed]
        lines += [f"  ~ {t(_changed_line(pair, review))}" for pair in review.changed]
    lines += ["", _("Coverage")]
    for name, before, after in _coverage_rows(review):
        delta = _total_delta(before, after)
        lines.append(f"  {t(name)}: {percent(before)} → {percent(after)}{delta}")
    for journey, persona, stage in review.uncovered:
        said = _("persona '{persona}' no longer passes stage '{stage}'")
        lines.append(f"  {t(journey)}: {said.format(persona=t(persona), stage=t(stage))}")
    if sides.diagrams:
        lines += ["", _("Diagrams of the change"), *(f"  {t(name)}" for name in sides.diagrams)]
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
            "message": i18n.say(p.message),
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
                "flow": c.flow,
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
        base, head = _labels(sides)
        said = f"{markdown_inline(base)} → {markdown_inline(head, line_start=False)}"
        same = markdown_inline(_("{sides}: the maps mean the same."), line_start=False)
        return f"### journeycode: {_('no changes')}\n\n{same.format(sides=said)}\n"
    budget = sides.limit - _MARGIN
    size = _utf8_size if sides.in_bytes else len
    every = _pictures(review, sides)
    blocks = _blocks(review, sides, every)
    if sum(size(b.text + b.end) for b in blocks) <= budget:
        return _joined(blocks, set(range(len(blocks))))
    where = _whole_review(sides)
    # Not all pictures fit: each is kept, in the review's order, where it
    # still fits, so a large one costs only itself.
    said = _("The pictures of the change are left out to keep this review short{where}.")
    note = _Block(f"_{said.format(where=where)}_\n\n", first=True)
    blocks = _blocks(review, sides, {})
    used = sum(size(b.text + b.end) for b in blocks) + size(note.text)
    shown: dict[tuple[str, str], list[str]] = {}
    for key, lines in every.items():
        cost = sum(size(line) + 1 for line in lines)
        if used + cost <= budget:
            shown[key] = lines
            used += cost
    if shown:
        blocks = _blocks(review, sides, shown)
        left = len(every) - len(shown)
        said = ngettext(
            "Of the {total} pictures of the change, {count} is left out to keep this "
            "review short{where}.",
            "Of the {total} pictures of the change, {count} are left out to keep this "
            "review short{where}.",
            left,
        )
        note = _Block(f"_{said.format(count=left, total=len(every), where=where)}_\n\n", True)
    if every:
        blocks.insert(1, note)
    if sum(size(b.text + b.end) for b in blocks) <= budget:
        return _joined(blocks, set(range(len(blocks))))
    return _cut(blocks, sides, size, budget, where)


def _pictures(review: Review, sides: Sides) -> dict[tuple[str, str], list[str]]:
    """Each picture's lines in the comment, in the order they are kept when
    not all fit: (journey id or "", "") for a journey's or the catalog's
    picture, then ("", flow id) for a contact flow's, shown with the catalog."""
    found: dict[tuple[str, str], list[str]] = {}
    journeys = [journey for journey, _changes in _groups(review)]
    for journey in journeys:
        key = journey or ""
        if key in sides.pictures:
            picture = sides.pictures[key]
            found[key, ""] = (
                [_too_large(), ""]
                if picture is None
                else ["```mermaid", picture.rstrip("\n"), "```", ""]
            )
    if None in journeys:
        named = markdown_inline(_("Contact flow {flow}:"), line_start=False)
        for flow, chart in sorted(sides.flow_pictures.items()):
            shown = [_too_large()] if chart is None else ["```mermaid", chart.rstrip("\n"), "```"]
            found["", flow] = [named.format(flow=markdown_code(flow)), "", *shown, ""]
    return found


def _cut(
    blocks: list[_Block], sides: Sides, size: Callable[[str], int], budget: int, where: str
) -> str:
    """The blocks that fit, in their order: the first ones (the headline, the
    breaking changes, the problems) before the rest, and a later block that
    fits kept after one that does not; a note says how many are cut."""

    def note(cut: int) -> str:
        said = (
            ngettext(
                "{count} more part(s) of the review are cut to keep it under "
                "{limit} bytes, GitHub's limit{where}.",
                "{count} more part(s) of the review are cut to keep it under "
                "{limit} bytes, GitHub's limit{where}.",
                cut,
            )
            if sides.in_bytes
            else ngettext(
                "{count} more part(s) of the review are cut to keep it under "
                "{limit} characters, GitHub's limit{where}.",
                "{count} more part(s) of the review are cut to keep it under "
                "{limit} characters, GitHub's limit{where}.",
                cut,
            )
        )
        return f"\n_{said.format(count=cut, limit=_number(sides.limit), where=where)}_\n"

    # Each block may need a blank line before it (:func:`_joined`).
    used = size(note(len(blocks)))
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
    return _joined(blocks, kept) + (note(cut) if cut else "")


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


def _number(count: int) -> str:
    """A count with its thousands grouped as the reader's language groups them."""
    if i18n.current().english:
        return f"{count:,}"
    from babel.numbers import format_decimal

    return format_decimal(count, locale=i18n.babel_locale())


def _whole_review(sides: Sides) -> str:
    """Where the whole review is, after the note that says what is left out
    (Markdown: its words are escaped, its code and link are not)."""
    target = None if sides.summary_url is None else markdown_link_target(sides.summary_url)
    if target is None:
        said = markdown_inline(_(": {command} prints the whole review"), line_start=False)
        return said.format(command="`journeycode diff`")
    said = markdown_inline(_(": the whole review is in {summary}"), line_start=False)
    link = markdown_inline(_("the job summary"), line_start=False)
    return said.format(summary=f"[{link}]({target})")


def _why(change: Change) -> str:
    """Why a breaking change matters: the rule it breaks, else its kind's summary."""
    from journeycode.rules.docs import DOCS

    rule = DOCS.get(change.kind.rule or "")
    if rule is None:
        return markdown_inline(_(change.kind.summary), line_start=False)
    summary = rule.said_summary
    said = markdown_inline(_("rule {rule}: {summary}"), line_start=False)
    return said.format(rule=f"`{rule.id}`", summary=markdown_inline(summary, line_start=False))


def _where(change: Change) -> str:
    return (
        markdown_inline(f"{change.path}:{change.line}", line_start=False)
        if change.path
        else markdown_inline(_("removed"), line_start=False)
    )


def _too_large() -> str:
    said = _(
        "The picture of this change is too large for GitHub to draw: "
        "see the change diagrams ({command})."
    )
    command = "`journeycode diff --diagrams`"
    return f"_{markdown_inline(said, line_start=False).format(command=command)}_"


def _blocks(
    review: Review, sides: Sides, pictures: Mapping[tuple[str, str], list[str]]
) -> list[_Block]:
    """The comment's parts, most important first, with the pictures given
    (their lines by key, as ``_pictures`` makes them): each part is whole
    Markdown, so the comment can be cut between any two."""
    e = markdown_inline
    head = [f"### journeycode: {e(_summary(review), line_start=False)}", ""]
    rows = _coverage_rows(review)
    coverage = _("; ").join(
        f"{e(n, line_start=False)} {percent(b)} → {percent(a)}{_total_delta(b, a)}"
        for n, b, a in rows
    )
    said = e(_("coverage: {coverage}"), line_start=False).format(coverage=coverage)
    base, after = _labels(sides)
    head += [f"{e(base)} → {e(after, line_start=False)} · {said}", ""]
    head += [f"> {e(note, line_start=False)}\n" for note in _partial(review, sides)]
    groups = _groups(review)
    if groups:
        titles = (_("Journey"), _("Breaking"), _("Notable"), _("Info"))
        head += [f"| {' | '.join(e(t) for t in titles)} |", "|---|---:|---:|---:|"]
        for journey, changes in groups:
            counted = _counts(changes)
            name = _("Catalog") if journey is None else review.journeys.get(journey, journey)
            head.append(
                f"| {e(name)} | {counted[Severity.BREAKING]} | {counted[Severity.NOTABLE]} "
                f"| {counted[Severity.INFO]} |"
            )
        head.append("")
    blocks = [_Block("\n".join(head) + "\n", first=True)]
    why = e(_("why it matters: {why}"), line_start=False)
    breaking = [
        f"- **{render(c.message, MARKDOWN)}**\\\n"
        f"  {why.format(why=_why(c))} · `{c.kind}` · {_where(c)}\n"
        for c in review.changes
        if c.level is Severity.BREAKING
    ]
    if breaking:
        # The heading goes with the first item, the blank line that ends the
        # list with the last: no part is a heading or a blank line alone.
        title = e(_("Breaking changes ({count})"), line_start=False).format(count=len(breaking))
        breaking[0] = f"#### {title}\n\n{breaking[0]}"
        breaking[-1] += "\n"
        blocks += [_Block(item, first=True) for item in breaking]
    for journey, changes in groups:
        rest = [c for c in changes if c.level is not Severity.BREAKING]
        key = journey or ""
        shown = [lines for (j, _flow), lines in pictures.items() if j == key]
        if not rest and not shown:
            continue
        counted = _counts(changes)
        name = _("Catalog") if journey is None else review.journeys.get(journey, journey)
        said = markdown_html(_("{journey}: {counts}")).format(
            journey=markdown_html(name), counts=markdown_html(_levels(counted))
        )
        lines = [f"<details><summary>{said}</summary>", ""]
        for picture in shown:
            lines += picture
        lines += [
            f"- **{e(level_word(c.level), line_start=False)}** `{c.kind}` "
            f"{render(c.message, MARKDOWN)}"
            for c in rest
        ]
        blocks.append(_Block("\n".join([*lines, "", "</details>", "", ""])))
    if review.introduced or review.fixed or review.changed:
        lines = [
            f"<details{' open' if review.introduced else ''}><summary>{_problems_count(review)}"
            "</summary>",
            "",
        ]
        new, fixed, changed = (
            e(_("new: {problem}"), line_start=False),
            e(_("fixed: {problem}"), line_start=False),
            e(_("changed: {problem}"), line_start=False),
        )
        items = [
            f"- {new.format(problem=_problem_line(p, review, MARKDOWN))}\n"
            for p in review.introduced
        ]
        items += [
            f"- {fixed.format(problem=_problem_line(p, review, MARKDOWN))}\n" for p in review.fixed
        ]
        items += [
            f"- {changed.format(problem=_changed_line(pair, review, MARKDOWN))}\n"
            for pair in review.changed
        ]
        # Many problems are cut one by one, their section kept closed.
        blocks.append(_Block("\n".join(lines) + "\n", first=True, end="\n</details>\n\n"))
        blocks += [_Block(item, first=True, inside=True) for item in items]
    if sides.diagrams:
        listed = _(", ").join(markdown_code(n) for n in sides.diagrams)
        said = e(_("Diagrams of the change (artifacts): {diagrams}"), line_start=False)
        blocks.append(_Block(f"{said.format(diagrams=listed)}\n"))
    return blocks


_ANNOTATIONS = {Severity.BREAKING: "error", Severity.NOTABLE: "warning"}


def github(reviewed: Reviewed, options: Options = PLAIN) -> str:
    """Workflow annotations on the changed lines: breaking changes as errors,
    notable ones as warnings; info changes are left to the other formats."""
    review, sides = reviewed.review, reviewed.sides
    return "".join(
        annotation(
            _ANNOTATIONS[c.level],
            f"{c.message} ({level_word(c.level)}; {' → '.join(_labels(sides))})",
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
