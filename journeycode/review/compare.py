"""Two compiled workspaces → the changes a reviewer must see, matched by id.

Nothing is compared by line: entities are matched by kind and id (stages,
touchpoints, pain points and opportunities inside their journey), so moving a
journey to another file, reformatting it or reordering keys is no change.
What a difference in each field is reported as comes from the table in
:mod:`journeycode.review.fields`; this module walks the entities, matches them
and finds the changes that span several (a way out lost, a stage left
unmeasured, a version not bumped). Problems are matched by rule and what they
are about, never by their text, so an edit on line 3 does not make every later
problem "new", nor a new value in a message a problem fixed and another
introduced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from journeycode import flows, kinds, pipeline_rules
from journeycode.compiler import Compiled
from journeycode.config import RuleSetting
from journeycode.coverage import Coverage, coverage
from journeycode.flows.model import Flow
from journeycode.flows.paths import DeadEnd, Path, path_words
from journeycode.i18n import N_
from journeycode.i18n import say as say_in_language
from journeycode.model import Entity, Journey, Src, Touchpoint, Workspace
from journeycode.problems import Problem
from journeycode.queries import needs_escalation, reaches_a_human, stage_kpis
from journeycode.review.changes import ChangeKind, Severity
from journeycode.review.fields import CATALOG, Pair, changes, field_word, show, texts
from journeycode.review.message import (
    Mention,
    Message,
    later,
    listed,
    mention,
    named,
    ref,
    sentence,
    sentences,
    word,
)
from journeycode.review.renames import Renames, follow
from journeycode.review.renames import find as find_renames
from journeycode.rules import ivr_menu_options


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    level: Severity
    journey: str | None
    """The journey it is in; None for the catalog."""
    message: Message
    """What it is, naming the entities it is about (``str()`` gives it as text)."""
    path: str | None = None
    """Where it is in HEAD; for something removed, the place it was removed
    from (its stage, its journey); None when that is gone too."""
    line: int = 1
    col: int = 1
    stage: str | None = None
    """The stage it is about, if any."""
    touchpoint: str | None = None
    """The touchpoint it is about, if any."""
    flow: str | None = None
    """The contact flow it is about, if any (its id)."""


@dataclass(frozen=True)
class Review:
    """Everything between two versions of the maps."""

    changes: tuple[Change, ...]
    introduced: tuple[Problem, ...]
    fixed: tuple[Problem, ...]
    coverage: tuple[Coverage, Coverage]
    changed: tuple[tuple[Problem, Problem], ...] = ()
    """Problems on both sides that say something else: (in BASE, in HEAD)."""
    uncovered: tuple[tuple[str, str, str], ...] = ()
    """(journey, persona, stage) cells covered before and not after."""
    journeys: Mapping[str, str] = field(default_factory=dict)
    """Journey id → name, on either side."""
    errors: tuple[int, int] = (0, 0)
    """Load and schema errors in BASE and HEAD: what they leave out is not compared."""
    renames: Renames = field(default_factory=Renames)
    """The ids renamed from BASE to HEAD; :func:`~journeycode.review.renames.follow`
    gives BASE with HEAD's ids, as the changes compare it."""
    subjects: Mapping[Problem, Mention] = field(default_factory=dict)
    """The entity each new or changed problem (in HEAD) and each fixed one (in
    BASE) is about, with its name, where it has one in the model."""

    def at_least(self, level: Severity) -> list[Change]:
        return [c for c in self.changes if c.level >= level]


@dataclass(frozen=True)
class Matched:
    """The problems of two sides, matched: HEAD's that BASE did not have,
    BASE's that HEAD does not have, and those of both whose message differs."""

    introduced: tuple[Problem, ...]
    fixed: tuple[Problem, ...]
    changed: tuple[tuple[Problem, Problem], ...]


def match(base: Compiled, head: Compiled, renames: Renames | None = None) -> Matched:
    """A problem is matched by what it is about, not where: the journey of its
    file (the catalog for other files), its rule and its subject (see
    :func:`identity`), BASE's as HEAD names them after the ``renames`` (found
    when not given); each base problem matches one head problem at most.
    Moving a journey to another file, editing a line above a problem or
    renaming its subject changes nothing; a message that says another value (a
    KPI off target with a new measurement) makes the problem changed, neither
    fixed nor new."""
    if renames is None:
        renames = find_renames(base.workspace, head.workspace)
    before, after = places(base), places(head)
    left: dict[tuple[str, ...], list[Problem]] = {}
    for problem in base.result.problems:
        left.setdefault(identity(problem, before, renames), []).append(problem)
    introduced, changed = [], []
    for problem in head.result.problems:
        same = left.get(identity(problem, after))
        if not same:
            introduced.append(problem)
            continue
        old = same.pop(0)
        said = renames.reworded(old.message, after.get(problem.path, ""))
        if (old.level, said) != (problem.level, problem.message):
            changed.append((old, problem))
    fixed = sorted(p for rest in left.values() for p in rest)
    return Matched(tuple(introduced), tuple(fixed), tuple(changed))


def new_problems(base: Compiled, head: Compiled) -> list[Problem]:
    """The problems of ``head`` that ``base`` did not have (see :func:`match`)."""
    return list(match(base, head).introduced)


def places(compiled: Compiled) -> dict[str, str]:
    """File → the journey its problems are about ("" for the catalog)."""
    found = {file.display: "" for file in compiled.workspace.files}
    for journey in compiled.workspace.entities(Journey):
        found[journey.src.file.display] = journey.id
    return found


def identity(
    problem: Problem, place: Mapping[str, str], renames: Renames | None = None
) -> tuple[str, ...]:
    """What identifies a problem on both sides: its place, its rule, its
    subject and what tells it from the rule's other problems about that
    subject (:attr:`Problem.detail`). The ids of a subject outside a journey
    are the catalog's, wherever the problem is written (a KPI's off-target
    value is in a measurement export).
    A problem about nothing in the model has its file (its journey, in a
    journey's file) instead, and its detail
    says what in the file: a file that does not load has nothing more (it has
    one such problem), a value outside every entity with an id its path from
    the top of the file, a measurement file's header or cell its column (and
    the row's period and breakdown). Never the message: it says values.
    With ``renames``, a problem of BASE is identified as HEAD names its
    journey, its subject and the entities of its detail (``kind id``)."""
    journey = place.get(problem.path, "")
    if renames is not None and journey:
        journey = renames.id("journey", journey)
    where = f"journey {journey}" if journey else "catalog"
    subject = problem.subject
    if subject is None:
        # A problem about no entity of the catalog is about its file alone.
        return where if journey else f"file {problem.path}", problem.rule, *problem.detail
    if renames is None:
        return where, problem.rule, subject.kind, subject.id, *problem.detail
    detail = []
    for part in problem.detail:
        kind, _, ident = part.partition(" ")
        detail.append(f"{kind} {renames.subject(kind, ident, journey)}" if ident else part)
    ident = renames.subject(subject.kind, subject.id, journey)
    return where, problem.rule, subject.kind, ident, *detail


def review(base: Compiled, head: Compiled, levels: Mapping[str, Severity] | None = None) -> Review:
    renames = find_renames(base.workspace, head.workspace)
    # BASE as if its renames had been made there: what followed them is no change.
    followed = follow(base.workspace, renames)
    comparer = _Comparer(
        followed, head.workspace, levels or {}, (base.settings.rules, head.settings.rules)
    )
    comparer.run(renames)
    before, after = coverage(followed), coverage(head.workspace)
    names = {j.id: j.name for j in followed.entities(Journey)}
    names.update({j.id: j.name for j in head.workspace.entities(Journey)})
    problems = match(base, head, renames)
    return Review(
        tuple(comparer.changes),
        problems.introduced,
        problems.fixed,
        (before, after),
        problems.changed,
        tuple(_uncovered(before, after)),
        names,
        (_errors(base), _errors(head)),
        renames,
        {
            **_subjects(problems.fixed, base),
            **_subjects(problems.introduced, head),
            **_subjects((old for old, _ in problems.changed), base),
            **_subjects((new for _, new in problems.changed), head),
        },
    )


def _subjects(problems: Iterable[Problem], compiled: Compiled) -> dict[Problem, Mention]:
    """Each problem's subject as a change names it, found in the journey of the
    problem's file (for a stage, a touchpoint …) or in the catalog."""
    place = places(compiled)
    journeys = compiled.workspace.by_id(Journey)
    found = {}
    for problem in problems:
        subject = problem.subject
        if subject is None or subject.kind not in kinds.KINDS:
            continue
        kind = kinds.KINDS[subject.kind]
        where = place.get(problem.path, "")
        candidates: Iterable[Entity] = (
            compiled.workspace.entities(kind.model)
            if kind in kinds.HELD
            else kinds.within(journeys[where])
            if where in journeys
            else ()
        )
        for item in candidates:
            if isinstance(item, kind.model) and item.id == subject.id:
                found[problem] = mention(item)
                break
    return found


def _errors(compiled: Compiled) -> int:
    """The errors that leave part of the maps out of the model (see :mod:`journeycode.resolve`)."""
    return sum(
        1
        for p in compiled.result.problems
        if p.rule in (pipeline_rules.LOAD, pipeline_rules.SCHEMA)
    )


def _uncovered(before: Coverage, after: Coverage) -> Iterator[tuple[str, str, str]]:
    old = {j.id: j for j in before.journeys}
    for journey in after.journeys:
        if journey.id not in old:
            continue
        for persona, cells in journey.personas.items():
            for stage, count in cells.items():
                if count == 0 and old[journey.id].personas.get(persona, {}).get(stage, 0) > 0:
                    yield journey.id, persona, stage


def _removed(removed: Journey, added: list[Journey]) -> Message:
    """A journey removed, with a hint when an added journey has most of its touchpoints."""
    ids = {tp.id for _, tp in removed.touchpoints()}
    for journey in added:
        matching = len(ids & {tp.id for _, tp in journey.touchpoints()})
        if ids and matching * 2 > len(ids):
            return sentences(
                "{subject} removed; it looks renamed to {journey} ({matching} of {count} "
                "touchpoints match): its history of changes starts again",
                "{subject} removed; it looks renamed to {journey} ({matching} of {count} "
                "touchpoints match): its history of changes starts again",
                len(ids),
                subject=named(removed),
                journey=mention(journey),
                matching=matching,
            )
    return sentence("{subject} removed", subject=named(removed))


@dataclass(frozen=True)
class About:
    """What a change is about: its journey (None for the catalog), stage and
    touchpoint, or the contact flow."""

    journey: str | None = None
    stage: str | None = None
    touchpoint: str | None = None
    flow: str | None = None


_C = ChangeKind


class _Comparer:
    def __init__(
        self,
        base: Workspace,
        head: Workspace,
        levels: Mapping[str, Severity],
        rules: tuple[Mapping[str, RuleSetting], Mapping[str, RuleSetting]],
    ):
        self.base, self.head, self.levels, self.rules = base, head, levels, rules
        self.changes: list[Change] = []

    def add(self, kind: ChangeKind, message: Message, src: Src | str | None, about: About) -> None:
        """``src`` is where the change is in HEAD: a node of a map, or a
        measurement file's row as ``file:line``."""
        path, line, col = None, 1, 1
        if isinstance(src, str):
            path, number = src.rsplit(":", 1)
            line = int(number)
        elif src is not None:
            line, col = src.file.locate(src.pointer)
            path = src.file.display
        level = self.levels.get(kind, kind.level)
        said = message.resolved(lambda k, ident: self._name(k, ident, about.journey))
        self.changes.append(
            Change(
                kind,
                level,
                about.journey,
                said,
                path,
                line,
                col,
                about.stage,
                about.touchpoint,
                about.flow,
            )
        )

    def _name(self, kind: str, ident: str, journey: str | None) -> str | None:
        """The name of the entity a message refers to by id: HEAD's, else BASE's
        (it was removed); a journey's touchpoints are looked up in ``journey``."""
        for side in (self.head, self.base):
            if kind == "touchpoint":
                whole = side.by_id(Journey).get(journey or "")
                found: Entity | None = whole and whole.touchpoint_by_id.get(ident)
            else:
                found = side.by_id(kinds.KINDS[kind].model).get(ident)
            if found is not None:
                return getattr(found, "name", None)
        return None

    def run(self, renames: Renames) -> None:
        self._renamed(renames)
        for kind in kinds.CATALOG:
            self._catalog(kind)
        base_journeys = self.base.by_id(Journey)
        for journey in self.head.by_id(Journey).values():
            about = About(journey.id)
            if journey.id not in base_journeys:
                self.add(_C.JOURNEY_ADDED, _added(journey), journey.src.at("id"), about)
                self._new_waivers(kinds.within(journey), about)
            else:
                self._journey(base_journeys[journey.id], journey, about)
        self._flows()
        added = [j for j in self.head.by_id(Journey).values() if j.id not in base_journeys]
        for journey in base_journeys.values():
            if journey.id not in self.head.by_id(Journey):
                self.add(
                    _C.JOURNEY_REMOVED,
                    _removed(journey, added),
                    None,
                    About(journey.id),
                )
        self.changes.sort(key=lambda c: (-c.level, c.journey or "", c.path or "", c.line, c.col))

    def _flows(self) -> None:
        """The contact flows: added or removed, a path that now ends with
        nobody, a menu with fewer options, other queues."""
        base, head = self.base.flows, self.head.flows
        if base is None or head is None:
            return
        for ident, flow in sorted(head.flows.items()):
            if ident not in base.flows:
                said = sentence("flow {flow} added", flow=ident)
                self.add(_C.FLOW_ADDED, said, flow.src, About(flow=ident))
        for ident in sorted(base.flows):
            if ident not in head.flows:
                said = sentence("flow {flow} removed", flow=ident)
                self.add(_C.FLOW_REMOVED, said, None, About(flow=ident))
        for flow, end in lost_ways_out(self.base, self.head):
            self.add(
                _C.FLOW_WAY_OUT_LOST,
                sentence(
                    "flow {flow}: a path now ends with nobody: {path}",
                    flow=flow.id,
                    path=later(_path_words, end.path),
                ),
                end.step.src,
                About(flow=flow.id),
            )
        for ident, new in sorted(head.flows.items()):
            old = base.flows.get(ident)
            if old is None:
                continue
            about = About(flow=ident)
            for step in new.steps.values():
                before = old.steps.get(step.id)
                if step.kind != "menu" or before is None or before.kind != "menu":
                    continue
                was, now = (
                    ivr_menu_options.options(old, before),
                    ivr_menu_options.options(new, step),
                )
                if now < was:
                    self.add(
                        _C.FLOW_MENU_OPTIONS_REMOVED,
                        sentence(
                            "flow {flow}: menu {step} offers {now} options, {was} before",
                            flow=ident,
                            step=step.label,
                            now=str(now),
                            was=str(was),
                        ),
                        step.src,
                        about,
                    )
            was_queues = {s.queue for s in old.steps.values() if s.queue is not None}
            queues = {s.queue for s in new.steps.values() if s.queue is not None}
            if queues != was_queues:
                # Where a queue is added, the step that sends customers there.
                at = next(
                    (s.src for s in new.steps.values() if s.queue in queues - was_queues), None
                )
                self.add(
                    _C.FLOW_QUEUES_CHANGED,
                    sentence(
                        "flow {flow}: queues added: {added}; removed: {removed}",
                        flow=ident,
                        added=listed(sorted(queues - was_queues)),
                        removed=listed(sorted(was_queues - queues)),
                    ),
                    at or new.src,
                    about,
                )

    def _renamed(self, renames: Renames) -> None:
        """One change for each rename, about the entity where HEAD has it."""
        for found in renames.found:
            entity = found.new
            about = About()
            if found.scope or isinstance(entity, Journey):
                journey = self.head.by_id(Journey)[found.scope or entity.id]
                stage = next(
                    (s.id for s in journey.stages if entity in (s, *kinds.within(s))), None
                )
                touchpoint = next(
                    (tp.id for _, tp in journey.touchpoints() if entity in kinds.within(tp)), None
                )
                about = About(journey.id, stage, touchpoint)
            self.add(
                _C.RENAMED,
                sentence(
                    "{subject}: id changed from {old}",
                    subject=named(entity),
                    old=Mention(kinds.of(entity).name, found.old),
                ),
                entity.src.at("id"),
                about,
            )

    def _same(self, pair: Pair[Any], about: About) -> None:
        """An entity on both sides: its waivers, its fields with a row in the
        table, then the rest as text."""
        self._waivers(pair, about)
        self._rows(pair, about)
        self._text(pair, about)

    def _rows(self, pair: Pair[Any], about: About) -> None:
        for kind, message, src in changes(kinds.of(pair.new).name, pair):
            self.add(kind, message, src, about)

    # --- the catalog ---------------------------------------------------------------

    def _catalog(self, kind: kinds.Kind) -> None:
        about = About()
        added, removed = CATALOG[kind.name]
        before, after = self.base.by_id(kind.model), self.head.by_id(kind.model)
        for ident, entity in after.items():
            old = before.get(ident)
            if old is None:
                self.add(added, _added(entity), entity.src.at("id"), about)
                self._new_waivers([entity], about)
            else:
                self._same(Pair(old, entity, rules=self.rules), about)
        files = {file.display: file for file in self.head.files}
        for ident, entity in before.items():
            if ident not in after:
                file = files.get(entity.src.file.display)
                where = None if file is None else Src(file, entity.src.pointer[:1])
                self.add(removed, _gone(entity), where, about)

    # --- journeys --------------------------------------------------------------------

    def _journey(self, old: Journey, new: Journey, about: About) -> None:
        count = len(self.changes)
        self._same(Pair(old, new, (old, new)), about)
        self._stages(old, new)
        self._touchpoints(old, new)
        self._opportunities(old, new)
        content = [c for c in self.changes[count:] if c.kind != _C.JOURNEY_VERSION_CHANGED]
        if content and old.version is not None and old.version == new.version:
            removed = any(c.kind in (_C.STAGE_REMOVED, _C.TOUCHPOINT_REMOVED) for c in content)
            added = any(c.kind.endswith("-added") for c in content)
            bump = "major" if removed else "minor" if added else "patch"
            bumped = _bumped(new.version, bump)
            self.add(
                _C.VERSION_NOT_BUMPED,
                sentence(
                    _BUMPS[bump],
                    subject=named(new),
                    version=new.version,
                    bumped=word(_HIGHER) if bumped is None else bumped,
                ),
                new.src.at("version"),
                about,
            )

    def _stages(self, old: Journey, new: Journey) -> None:
        before = {s.id: s for s in old.stages}
        after = {s.id: s for s in new.stages}
        for stage in new.stages:
            about = About(new.id, stage.id)
            if stage.id not in before:
                self.add(_C.STAGE_ADDED, _added(stage), stage.src.at("id"), about)
                # Its touchpoints are added one by one, with theirs.
                self._new_waivers([stage], about)
                continue
            previous = before[stage.id]
            self._same(Pair(previous, stage, (old, new)), about)
            had = stage_kpis(previous)
            if had and not stage_kpis(stage):
                self.add(
                    _C.STAGE_LOST_LAST_KPI,
                    sentence(
                        "{subject} is no longer measured by any KPI (was: {kpis})",
                        subject=named(stage),
                        kpis=show(tuple(sorted(had)), "kpi"),
                    ),
                    stage.src.at("id"),
                    about,
                )
        for stage in old.stages:
            if stage.id not in after:
                self.add(
                    _C.STAGE_REMOVED,
                    sentences(
                        "{subject} removed, with {count} touchpoint(s)",
                        "{subject} removed, with {count} touchpoint(s)",
                        len(stage.touchpoints),
                        subject=named(stage),
                    ),
                    new.src.at("stages"),
                    About(new.id, stage.id),
                )
        common_old = [s.id for s in old.stages if s.id in after]
        common_new = [s.id for s in new.stages if s.id in before]
        if common_old != common_new:
            self.add(
                _C.STAGE_REORDERED,
                sentence(
                    "stages reordered: {stages}",
                    stages=listed((mention(after[s]) for s in common_new), sep=" → "),
                ),
                new.src.at("stages"),
                About(new.id),
            )

    def _touchpoints(self, old: Journey, new: Journey) -> None:
        before = {tp.id: (s, tp) for s, tp in old.touchpoints()}
        after = {tp.id: (s, tp) for s, tp in new.touchpoints()}
        for ident, (stage, tp) in after.items():
            about = About(new.id, stage.id, ident)
            if ident not in before:
                self.add(
                    _C.TOUCHPOINT_ADDED,
                    sentence(
                        "{subject} added to stage {stage}", subject=named(tp), stage=mention(stage)
                    ),
                    tp.src.at("id"),
                    about,
                )
                self._new_waivers(kinds.within(tp), about)
                continue
            old_stage, previous = before[ident]
            self._touchpoint(Pair(previous, tp, (old, new), (old_stage, stage)), about)
        stages = {s.id: s for s in new.stages}
        for ident, (stage, tp) in before.items():
            if ident in after:
                continue
            about = About(new.id, stage.id, ident)
            kept = stages.get(stage.id)
            self.add(
                _C.TOUCHPOINT_REMOVED,
                sentence(
                    "{subject} removed from stage {stage}", subject=named(tp), stage=mention(stage)
                ),
                new.src.at("stages") if kept is None else kept.src.at("touchpoints"),
                about,
            )
            if kept is None:
                continue
            still = {p for t in kept.touchpoints for p in new.personas_at(t)}
            for persona in old.personas_at(tp):
                if persona in new.personas and persona not in still:
                    self.add(
                        _C.ONLY_PATH_REMOVED,
                        sentence(
                            "persona {persona} has no touchpoint left in stage {stage} "
                            "({touchpoint} was the last)",
                            persona=ref("persona", persona),
                            stage=mention(stage),
                            touchpoint=mention(tp),
                        ),
                        kept.src.at("id"),
                        about,
                    )
        for ident, (stage, tp) in after.items():
            if (
                ident in before
                and needs_escalation(self.head, tp)
                and not reaches_a_human(self.head, new, tp)
                and reaches_a_human(self.base, old, before[ident][1])
            ):
                self.add(
                    _C.WAY_OUT_LOST,
                    sentence(
                        "{subject} on {channel} no longer reaches a human",
                        subject=named(tp),
                        channel=ref("channel", tp.channel),
                    ),
                    tp.src.at("id"),
                    About(new.id, stage.id, ident),
                )

    def _touchpoint(self, pair: Pair[Touchpoint], about: About) -> None:
        """As :meth:`_same`, with its move first and its pain points before its text."""
        assert pair.stages is not None
        was, now = pair.stages
        self._waivers(pair, about)
        if was.id != now.id:
            self.add(
                _C.TOUCHPOINT_MOVED,
                sentence(
                    "{subject} moved from stage {was} to {now}",
                    subject=pair.name,
                    was=mention(was),
                    now=mention(now),
                ),
                pair.new.src.at("id"),
                about,
            )
        self._rows(pair, about)
        self._pain_points(pair.old, pair.new, about)
        self._text(pair, about)

    def _pain_points(self, old: Touchpoint, tp: Touchpoint, about: About) -> None:
        before = {p.id: p for p in old.pain_points}
        for pain in tp.pain_points:
            previous = before.get(pain.id)
            if previous is None:
                self.add(
                    _C.PAIN_POINT_ADDED,
                    sentence(
                        "{subject} ({severity}) added to touchpoint {touchpoint}",
                        subject=named(pain),
                        severity=pain.severity,
                        touchpoint=mention(tp),
                    ),
                    pain.src.at("id"),
                    about,
                )
                self._new_waivers([pain], about)
            else:
                self._same(Pair(previous, pain), about)
        kept = {p.id for p in tp.pain_points}
        for ident in before:
            if ident not in kept:
                self.add(
                    _C.PAIN_POINT_REMOVED,
                    sentence(
                        "{subject} removed from touchpoint {touchpoint}",
                        subject=named(before[ident]),
                        touchpoint=mention(tp),
                    ),
                    tp.src.at("pain_points"),
                    about,
                )

    def _opportunities(self, old: Journey, new: Journey) -> None:
        about = About(new.id)
        before = {o.id: o for o in old.opportunities}
        for opportunity in new.opportunities:
            previous = before.get(opportunity.id)
            if previous is None:
                self.add(
                    _C.OPPORTUNITY_ADDED,
                    _added(opportunity),
                    opportunity.src.at("id"),
                    about,
                )
                self._new_waivers([opportunity], about)
            else:
                self._same(Pair(previous, opportunity, (old, new)), about)

    # --- helpers ---------------------------------------------------------------------------

    def _text(self, pair: Pair[Any], about: About) -> None:
        """The fields compared as text (names, descriptions, actions …), in one change."""
        old, new = pair.old, pair.new
        changed = [f for f in texts(kinds.of(new)) if getattr(old, f) != getattr(new, f)]
        if changed:
            # A new name is worth reading in full; other texts are only named.
            said = [
                sentence("renamed from «{name}»", name=getattr(old, f))
                if f == "name"
                else field_word(f)
                for f in changed
            ]
            text = (
                N_("{subject}: {changes}")
                if changed == ["name"]
                else N_("{subject}: {changes} changed")
            )
            self.add(
                _C.TEXT_CHANGED,
                sentence(text, subject=pair.name, changes=listed(said)),
                new.src.at(changed[0])
                if getattr(new, changed[0]) is not None
                else new.src.at("id"),
                about,
            )

    def _waivers(self, pair: Pair[Any], about: About) -> None:
        old, new = pair.old, pair.new
        for rule, reason in new.waive.items():
            if rule not in old.waive:
                self.add(
                    _C.WAIVER_ADDED,
                    _waiver(pair.name, rule, reason),
                    new.src.at("waive", rule),
                    about,
                )
        for rule, reason in old.waive.items():
            if rule not in new.waive:
                self.add(
                    _C.WAIVER_REMOVED,
                    sentence(
                        "{subject}: waiver for '{rule}' removed (was: {reason})",
                        subject=pair.name,
                        rule=rule,
                        reason=reason,
                    ),
                    new.src.at("waive"),
                    about,
                )

    def _new_waivers(self, entities: Iterable[Entity], about: About) -> None:
        """The waivers that come with new entities: a reviewer must see them too."""
        for entity in entities:
            for rule, reason in entity.waive.items():
                self.add(
                    _C.WAIVER_ADDED,
                    _waiver(named(entity), rule, reason),
                    entity.src.at("waive", rule),
                    about,
                )


def lost_ways_out(base: Workspace, head: Workspace) -> Iterator[tuple[Flow, DeadEnd]]:
    """Each dead end HEAD's flows reach that BASE's did not, once, with the
    flow a contact starts in whose path reaches it first (by id); a flow
    that BASE lacks has no way out to lose."""
    before, after = base.flows, head.flows
    if before is None or after is None:
        return
    ended = {
        (end.flow.id, end.step.id)
        for flow in flows.roots(base)
        for end in flows.dead_ends(base, flow)
    }
    for flow in flows.roots(head):
        if flow.id not in before.flows:
            continue
        for end in flows.dead_ends(head, flow):
            if (end.flow.id, end.step.id) not in ended:
                ended.add((end.flow.id, end.step.id))
                yield flow, end


def _path_words(path: Path) -> str:
    return say_in_language(path_words(path))


def _added(entity: Entity) -> Message:
    return sentence("{subject} added", subject=named(entity))


def _gone(entity: Entity) -> Message:
    return sentence("{subject} removed", subject=named(entity))


def _waiver(subject: Message, rule: str, reason: str) -> Message:
    return sentence(
        "{subject}: waiver for '{rule}' added: {reason}", subject=subject, rule=rule, reason=reason
    )


_BUMPS = {
    "major": N_(
        "{subject} changed but its version is still {version}: a major bump would be {bumped}"
    ),
    "minor": N_(
        "{subject} changed but its version is still {version}: a minor bump would be {bumped}"
    ),
    "patch": N_(
        "{subject} changed but its version is still {version}: a patch bump would be {bumped}"
    ),
}
_HIGHER = N_("a higher version")


def _bumped(version: str, part: str) -> str | None:
    """The version with ``part`` bumped; None when it is not ``MAJOR.MINOR.PATCH``."""
    numbers = version.split("-")[0].split("+")[0].split(".")
    if len(numbers) != 3 or not all(n.isdigit() for n in numbers):
        return None
    major, minor, patch = map(int, numbers)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
