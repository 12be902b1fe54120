"""Two compiled workspaces → the changes a reviewer must see, matched by id.

Nothing is compared by line: entities are matched by kind and id (stages,
touchpoints, pain points and opportunities inside their journey), so moving a
journey to another file, reformatting it or reordering keys is no change.
Problems are matched by rule and what they are about, never by their text, so
an edit on line 3 does not make every later problem "new", nor a new value in a
message a problem fixed and another introduced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields

from journeycode import kinds, pipeline_rules
from journeycode import values as kpi_values
from journeycode.compiler import Compiled
from journeycode.coverage import Coverage, coverage
from journeycode.model import Entity, Journey, Kpi, Src, Stage, Touchpoint, Workspace
from journeycode.problems import Problem
from journeycode.queries import (
    emotion_for,
    needs_escalation,
    owner_of,
    reaches_a_human,
    stage_kpis,
)
from journeycode.review.changes import KINDS, Severity


@dataclass(frozen=True)
class Change:
    kind: str
    level: Severity
    journey: str | None
    """The journey it is in; None for the catalog."""
    message: str
    path: str | None = None
    """Where it is in HEAD; for something removed, the place it was removed
    from (its stage, its journey); None when that is gone too."""
    line: int = 1
    col: int = 1
    stage: str | None = None
    """The stage it is about, if any."""
    touchpoint: str | None = None
    """The touchpoint it is about, if any."""


@dataclass(frozen=True)
class Review:
    """Everything between two versions of the maps."""

    changes: tuple[Change, ...]
    introduced: tuple[Problem, ...]
    fixed: tuple[Problem, ...]
    coverage: tuple[Coverage, Coverage]
    uncovered: tuple[tuple[str, str, str], ...] = ()
    """(journey, persona, stage) cells covered before and not after."""
    journeys: Mapping[str, str] = field(default_factory=dict)
    """Journey id → name, on either side."""
    errors: tuple[int, int] = (0, 0)
    """Load and schema errors in BASE and HEAD: what they leave out is not compared."""

    def at_least(self, level: Severity) -> list[Change]:
        return [c for c in self.changes if c.level >= level]


def new_problems(base: Compiled, head: Compiled) -> list[Problem]:
    """The problems of ``head`` that ``base`` did not have. A problem is matched
    by what it is about, not where: the journey of its file (the catalog for
    other files), its rule and its subject; each base problem matches one head
    problem at most. Moving a journey to another file, editing a line above a
    problem, or a message that says another value, changes nothing."""
    subject = _subjects(base) | _subjects(head)
    left = Counter(_key(p, subject) for p in base.result.problems)
    found = []
    for problem in head.result.problems:
        key = _key(problem, subject)
        if left[key]:
            left[key] -= 1
        else:
            found.append(problem)
    return found


def _subjects(compiled: Compiled) -> dict[str, str]:
    """File → what its problems are about: its journey, or the catalog."""
    found = {file.display: "catalog" for file in compiled.workspace.files}
    for journey in compiled.workspace.journeys:
        found[journey.src.file.display] = f"journey {journey.id}"
    return found


def _key(problem: Problem, place: Mapping[str, str]) -> tuple[str, ...]:
    """What identifies a problem on both sides: its place, its rule and its
    subject. The ids of a subject outside a journey are the catalog's, wherever
    the problem is written (a KPI's off-target value is in a measurement export).
    A problem about no entity (a file that does not load, a value the schema
    refuses) has only its file and its text to go by."""
    if problem.subject is None:
        return place.get(problem.path, problem.path), problem.rule, problem.message
    where = place.get(problem.path, "catalog")
    return where, problem.rule, problem.subject.kind, problem.subject.id


def review(base: Compiled, head: Compiled, levels: Mapping[str, Severity] | None = None) -> Review:
    comparer = _Comparer(base.workspace, head.workspace, levels or {})
    comparer.run()
    before, after = coverage(base.workspace), coverage(head.workspace)
    names = {j.id: j.name for j in base.workspace.journeys}
    names.update({j.id: j.name for j in head.workspace.journeys})
    return Review(
        tuple(comparer.changes),
        tuple(new_problems(base, head)),
        tuple(new_problems(head, base)),
        (before, after),
        tuple(_uncovered(before, after)),
        names,
        (_errors(base), _errors(head)),
    )


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


def _ids(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "none"


def _renamed(removed: Journey, added: list[Journey]) -> str:
    """A hint when an added journey has most of the removed one's touchpoints."""
    ids = {tp.id for _, tp in removed.touchpoints()}
    for journey in added:
        matching = len(ids & {tp.id for _, tp in journey.touchpoints()})
        if ids and matching * 2 > len(ids):
            return (
                f"; it looks renamed to '{journey.id}' ({matching} of {len(ids)} touchpoints "
                "match): its history of changes starts again"
            )
    return ""


_KPI_FIELDS = ("target", "unit", "range", "direction", "measurements", "breakdown")


def _target(kpi: Kpi) -> str:
    return "none" if kpi.target is None else kpi_values.value(kpi.target, kpi)


def _show(value: object) -> str:
    """A field's value in a message: lists of ids joined, a range in brackets."""
    if value is None:
        return "none"
    if isinstance(value, tuple):
        if all(isinstance(v, int | float) for v in value):
            return f"[{', '.join(f'{v:g}' for v in value)}]"
        return ", ".join(map(str, value))
    return str(value)


def _delta(value: float) -> str:
    return f"{value:+g}"


class _Comparer:
    def __init__(self, base: Workspace, head: Workspace, levels: Mapping[str, Severity]):
        self.base, self.head, self.levels = base, head, levels
        self.changes: list[Change] = []
        self._journey: str | None = None
        self._about_stage: str | None = None
        self._about_touchpoint: str | None = None

    def add(self, kind: str, message: str, src: Src | None) -> None:
        path, line, col = None, 1, 1
        if src is not None:
            line, col = src.file.locate(src.pointer)
            path = src.file.display
        level = self.levels.get(kind, KINDS[kind].level)
        self.changes.append(
            Change(
                kind,
                level,
                self._journey,
                message,
                path,
                line,
                col,
                self._about_stage,
                self._about_touchpoint,
            )
        )

    def about(self, stage: str | None = None, touchpoint: str | None = None) -> None:
        """What the next changes are about, within the current journey."""
        self._about_stage, self._about_touchpoint = stage, touchpoint

    def run(self) -> None:
        self._journey = None
        for kind in kinds.CATALOG:
            self._catalog(kind)
        base_journeys = self.base.journey_by_id
        for journey in self.head.journey_by_id.values():
            self._journey = journey.id
            if journey.id not in base_journeys:
                self.add("journey-added", f"journey '{journey.id}' added", journey.src.at("id"))
                self._new_waivers(kinds.within(journey))
            else:
                self._journey_changes(base_journeys[journey.id], journey)
        added = [j for j in self.head.journey_by_id.values() if j.id not in base_journeys]
        for journey in base_journeys.values():
            if journey.id not in self.head.journey_by_id:
                self._journey = journey.id
                self.add(
                    "journey-removed",
                    f"journey '{journey.id}' removed{_renamed(journey, added)}",
                    None,
                )
        self.changes.sort(key=lambda c: (-c.level, c.journey or "", c.path or "", c.line, c.col))

    # --- the catalog ---------------------------------------------------------------

    def _catalog(self, kind: kinds.Kind) -> None:
        before, after = kinds.by_id(self.base, kind), kinds.by_id(self.head, kind)
        for ident, entity in after.items():
            old = before.get(ident)
            if old is None:
                added = "kpi-added" if kind.name == "kpi" else "catalog-added"
                self.add(added, f"{kind.label} '{ident}' added", entity.src.at("id"))
                self._new_waivers([entity])
                continue
            self._waivers(old, entity, f"{kind.label} '{ident}'")
            if isinstance(entity, Kpi) and isinstance(old, Kpi):
                self._kpi(old, entity)
            elif kind.name == "channel":
                self._field(old, entity, "mode", "channel-mode-changed", f"channel '{ident}'")
                self._field(old, entity, "hours", "channel-hours-changed", f"channel '{ident}'")
            handled = {"kpi": _KPI_FIELDS, "channel": ("mode", "hours")}.get(kind.name, ())
            self._text(old, entity, f"{kind.label} '{ident}'", skip=handled)
        files = {file.display: file for file in self.head.files}
        for ident, entity in before.items():
            if ident not in after:
                removed = "kpi-removed" if kind.name == "kpi" else "catalog-removed"
                file = files.get(entity.src.file.display)
                where = None if file is None else Src(file, entity.src.pointer[:1])
                self.add(removed, f"{kind.label} '{ident}' removed", where)

    def _kpi(self, old: Kpi, new: Kpi) -> None:
        name = f"KPI '{new.id}'"
        same_scale = old.unit == new.unit and old.direction == new.direction
        was, now = old.target, new.target
        if was is not None and now is not None and was != now and same_scale:
            lower = new.direction == "lower"
            tighter = now < was if lower else now > was
            shown = f"{kpi_values.value(was, new)} → {kpi_values.value(now, new)}"
            if new.direction is None:
                self.add("kpi-definition-changed", f"{name}: target {shown}", new.src.at("target"))
            else:
                word = "tightened" if tighter else "loosened"
                self.add(
                    f"kpi-target-{word}",
                    f"{name}: target {word}, {shown} ({'lower' if lower else 'higher'} is better)",
                    new.src.at("target"),
                )
        elif old.target != new.target:
            self.add(
                "kpi-definition-changed",
                f"{name}: target {_target(old)} → {_target(new)}",
                new.src.at("id"),
            )
        for attribute in ("unit", "range", "direction"):
            self._field(old, new, attribute, "kpi-definition-changed", name)
        known = {m.date for m in old.measurements}
        fresh = [m for m in new.measurements if m.date not in known]
        latest = kpi_values.latest(new)
        if fresh and latest is not None:
            status = kpi_values.status(new)
            self.add(
                "kpi-measured",
                f"{name}: {len(fresh)} new measurement(s); latest "
                f"{kpi_values.value(latest.value, new)} on {latest.date}"
                + (f", {status}" if status else ""),
                new.src.at("measurements"),
            )

    # --- journeys --------------------------------------------------------------------

    def _journey_changes(self, old: Journey, new: Journey) -> None:
        count = len(self.changes)
        name = f"journey '{new.id}'"
        self._waivers(old, new, name)
        self._field(old, new, "version", "journey-version-changed", name)
        self._field(old, new, "status", "journey-status-changed", name)
        self._field(old, new, "owner", "journey-owner-changed", name)
        self._set(
            old.personas,
            new.personas,
            "journey-personas-changed",
            f"{name} personas",
            new.src.at("personas"),
        )
        self._text(old, new, name, skip=("version", "status", "owner", "personas"))
        self._stages(old, new)
        self._touchpoints(old, new)
        self._opportunities(old, new)
        content = [c for c in self.changes[count:] if c.kind != "journey-version-changed"]
        if content and old.version is not None and old.version == new.version:
            removed = any(c.kind in ("stage-removed", "touchpoint-removed") for c in content)
            added = any(c.kind.endswith("-added") for c in content)
            bump = "major" if removed else "minor" if added else "patch"
            self.add(
                "version-not-bumped",
                f"{name} changed but its version is still {new.version}: a {bump} bump "
                f"would be {_bumped(new.version, bump)}",
                new.src.at("version"),
            )

    def _stages(self, old: Journey, new: Journey) -> None:
        before = {s.id: s for s in old.stages}
        after = {s.id: s for s in new.stages}
        for stage in new.stages:
            self.about(stage.id)
            if stage.id not in before:
                self.add("stage-added", f"stage '{stage.id}' added", stage.src.at("id"))
                # Its touchpoints are added one by one, with theirs.
                self._new_waivers([stage])
                continue
            previous = before[stage.id]
            name = f"stage '{stage.id}'"
            self._waivers(previous, stage, name)
            self._field(previous, stage, "owner", "stage-owner-changed", name)
            self._set(
                previous.kpis, stage.kpis, "stage-kpis-changed", f"{name} KPIs", stage.src.at("id")
            )
            self._text(previous, stage, name, skip=("owner", "kpis"))
            had = stage_kpis(previous)
            if had and not stage_kpis(stage):
                self.add(
                    "stage-lost-last-kpi",
                    f"{name} is no longer measured by any KPI (was: {_ids(tuple(sorted(had)))})",
                    stage.src.at("id"),
                )
        for stage in old.stages:
            if stage.id not in after:
                self.about(stage.id)
                self.add(
                    "stage-removed",
                    f"stage '{stage.id}' removed, with {len(stage.touchpoints)} touchpoint(s)",
                    new.src.at("stages"),
                )
        self.about()
        common_old = [s.id for s in old.stages if s.id in after]
        common_new = [s.id for s in new.stages if s.id in before]
        if common_old != common_new:
            self.add(
                "stage-reordered",
                f"stages reordered: {' → '.join(common_new)}",
                new.src.at("stages"),
            )

    def _touchpoints(self, old: Journey, new: Journey) -> None:
        before = {tp.id: (s, tp) for s, tp in old.touchpoints()}
        after = {tp.id: (s, tp) for s, tp in new.touchpoints()}
        for ident, (stage, tp) in after.items():
            self.about(stage.id, ident)
            if ident not in before:
                self.add(
                    "touchpoint-added",
                    f"touchpoint '{ident}' added to stage '{stage.id}'",
                    tp.src.at("id"),
                )
                self._new_waivers(kinds.within(tp))
                continue
            old_stage, previous = before[ident]
            self._touchpoint(old, new, old_stage, previous, stage, tp)
        stages = {s.id: s for s in new.stages}
        for ident, (stage, tp) in before.items():
            if ident in after:
                continue
            self.about(stage.id, ident)
            kept = stages.get(stage.id)
            self.add(
                "touchpoint-removed",
                f"touchpoint '{ident}' removed from stage '{stage.id}'",
                new.src.at("stages") if kept is None else kept.src.at("touchpoints"),
            )
            if kept is None:
                continue
            still = {p for t in kept.touchpoints for p in new.personas_at(t)}
            for persona in old.personas_at(tp):
                if persona in new.personas and persona not in still:
                    self.add(
                        "only-path-removed",
                        f"persona '{persona}' has no touchpoint left in stage '{stage.id}' "
                        f"('{ident}' was the last)",
                        kept.src.at("id"),
                    )
        for ident, (_, tp) in after.items():
            if (
                ident in before
                and needs_escalation(self.head, tp)
                and not reaches_a_human(self.head, new, tp)
            ):
                old_tp = before[ident][1]
                if reaches_a_human(self.base, old, old_tp):
                    self.about(after[ident][0].id, ident)
                    self.add(
                        "way-out-lost",
                        f"touchpoint '{ident}' on {tp.channel} no longer reaches a human",
                        tp.src.at("id"),
                    )

    def _touchpoint(
        self,
        old_j: Journey,
        new_j: Journey,
        old_stage: Stage,
        old: Touchpoint,
        stage: Stage,
        tp: Touchpoint,
    ) -> None:
        name = f"touchpoint '{tp.id}'"
        at = tp.src.at("id")
        self._waivers(old, tp, name)
        if old_stage.id != stage.id:
            self.add(
                "touchpoint-moved", f"{name} moved from stage '{old_stage.id}' to '{stage.id}'", at
            )
        self._field(old, tp, "channel", "touchpoint-channel-changed", name)
        was, now = owner_of(old_stage, old), owner_of(stage, tp)
        if was != now:
            self.add(
                "touchpoint-owner-changed", f"{name}: owner {was or 'none'} → {now or 'none'}", at
            )
        self._set(
            old_j.personas_at(old),
            new_j.personas_at(tp),
            "touchpoint-personas-changed",
            f"{name} personas",
            at,
        )
        self._set(old.systems, tp.systems, "touchpoint-details-changed", f"{name} systems", at)
        for attribute in ("routing", "initiated_by"):
            self._field(old, tp, attribute, "touchpoint-details-changed", name)
        for persona in new_j.personas_at(tp):
            before, after = emotion_for(old, persona), emotion_for(tp, persona)
            if before is not None and after is not None and before != after:
                self.add(
                    "emotion-changed",
                    f"{name}: {persona} feels {_delta(after - before)} ({before:g} → {after:g})",
                    tp.src.at("emotion"),
                )
            elif before != after:
                self.add("emotion-changed", f"{name}: emotion for {persona} {before} → {after}", at)
        if old.moment_of_truth != tp.moment_of_truth:
            said = (
                "is now a moment of truth"
                if tp.moment_of_truth
                else "is no longer a moment of truth"
            )
            self.add("moment-of-truth-changed", f"{name} {said}", at)
        self._set(
            old.escalates_to, tp.escalates_to, "escalation-changed", f"{name} escalations", at
        )
        self._set(old.next, tp.next, "next-step-changed", f"{name} next steps", at)
        self._pain_points(old, tp)
        self._text(
            old,
            tp,
            name,
            skip=(
                "channel",
                "owner",
                "personas",
                "systems",
                "routing",
                "initiated_by",
                "emotion",
                "moment_of_truth",
                "escalates_to",
                "next",
                "pain_points",
            ),
        )

    def _pain_points(self, old: Touchpoint, tp: Touchpoint) -> None:
        before = {p.id: p for p in old.pain_points}
        for pain in tp.pain_points:
            previous = before.get(pain.id)
            if previous is None:
                self.add(
                    "pain-point-added",
                    f"pain point '{pain.id}' ({pain.severity}) added to touchpoint '{tp.id}'",
                    pain.src.at("id"),
                )
                self._new_waivers([pain])
            else:
                self._waivers(previous, pain, f"pain point '{pain.id}'")
                self._field(
                    previous,
                    pain,
                    "severity",
                    "pain-point-severity-changed",
                    f"pain point '{pain.id}'",
                )
                self._text(previous, pain, f"pain point '{pain.id}'", skip=("severity",))
        kept = {p.id for p in tp.pain_points}
        for ident in before:
            if ident not in kept:
                self.add(
                    "pain-point-removed",
                    f"pain point '{ident}' removed from touchpoint '{tp.id}'",
                    tp.src.at("pain_points"),
                )

    def _opportunities(self, old: Journey, new: Journey) -> None:
        self.about()
        before = {o.id: o for o in old.opportunities}
        for opportunity in new.opportunities:
            previous = before.get(opportunity.id)
            name = f"opportunity '{opportunity.id}'"
            if previous is None:
                self.add("opportunity-added", f"{name} added", opportunity.src.at("id"))
                self._new_waivers([opportunity])
                continue
            self._waivers(previous, opportunity, name)
            self._field(previous, opportunity, "status", "opportunity-status-changed", name)
            self._text(previous, opportunity, name, skip=("status",))

    # --- helpers ---------------------------------------------------------------------------

    def _field(self, old: Entity, new: Entity, attribute: str, kind: str, name: str) -> None:
        was, now = getattr(old, attribute), getattr(new, attribute)
        if was != now:
            src = new.src.at(attribute) if now is not None else new.src.at("id")
            self.add(
                kind, f"{name}: {attribute.replace('_', ' ')} {_show(was)} → {_show(now)}", src
            )

    def _set(
        self, old: tuple[str, ...], new: tuple[str, ...], kind: str, name: str, src: Src
    ) -> None:
        added = [x for x in new if x not in old]
        removed = [x for x in old if x not in new]
        if added or removed:
            parts = ([f"+{', +'.join(added)}"] if added else []) + (
                [f"-{', -'.join(removed)}"] if removed else []
            )
            self.add(kind, f"{name}: {' '.join(parts)}", src)

    def _text(self, old: Entity, new: Entity, name: str, skip: tuple[str, ...] = ()) -> None:
        """Every other plain field (names, descriptions, actions …)."""
        kind = kinds.of(new)
        structural = {r.field for r in kind.references} | set(kind.children) | set(kind.parts)
        ignored = {"id", "src", "waive", "dropped_ids", *skip, *structural}
        changed = [
            f.name
            for f in fields(new)
            if f.name not in ignored and getattr(old, f.name) != getattr(new, f.name)
        ]
        if changed:
            # A new name is worth reading in full; other texts are only named.
            said = [
                f"renamed '{getattr(old, f)}' → '{getattr(new, f)}'" if f == "name" else f
                for f in changed
            ]
            tail = "" if changed == ["name"] else " changed"
            self.add(
                "text-changed",
                f"{name}: {', '.join(said)}{tail}",
                new.src.at(changed[0])
                if getattr(new, changed[0]) is not None
                else new.src.at("id"),
            )

    def _waivers(self, old: Entity, new: Entity, name: str) -> None:
        for rule, reason in new.waive.items():
            if rule not in old.waive:
                self.add(
                    "waiver-added",
                    f"{name}: waiver for '{rule}' added: {reason}",
                    new.src.at("waive", rule),
                )
        for rule, reason in old.waive.items():
            if rule not in new.waive:
                self.add(
                    "waiver-removed",
                    f"{name}: waiver for '{rule}' removed (was: {reason})",
                    new.src.at("waive"),
                )

    def _new_waivers(self, entities: Iterable[Entity]) -> None:
        """The waivers that come with new entities: a reviewer must see them too."""
        for entity in entities:
            name = f"{kinds.of(entity).label} '{entity.id}'"
            for rule, reason in entity.waive.items():
                self.add(
                    "waiver-added",
                    f"{name}: waiver for '{rule}' added: {reason}",
                    entity.src.at("waive", rule),
                )


def _bumped(version: str, part: str) -> str:
    numbers = version.split("-")[0].split("+")[0].split(".")
    if len(numbers) != 3 or not all(n.isdigit() for n in numbers):
        return "a higher version"
    major, minor, patch = map(int, numbers)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"
