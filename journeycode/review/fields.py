"""Which field of which entity raises which kind of change: the diff's table.

:data:`FIELDS` has one row per compared field, in the order the changes are
reported: the entity kind (a name in :data:`journeycode.kinds.KINDS`), the
field, the kinds of change it can raise and how the two versions are compared.
A field with no row is compared as text (``text-changed``), unless it is
structural (an id, a reference, a list of children or parts): a row is what
keeps a field out of ``text-changed``. :data:`CATALOG` names the kinds raised
when a catalog entity is added or removed.

Levels are not here: they belong to the kinds (:mod:`journeycode.review.changes`),
where the settings change them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from journeycode import kinds
from journeycode import values as kpi_values
from journeycode.config import RuleSetting
from journeycode.i18n import N_
from journeycode.model import Entity, Journey, Kpi, Measurement, Src, Stage, Touchpoint
from journeycode.queries import emotion_for, owner_of
from journeycode.review.changes import ChangeKind
from journeycode.review.message import (
    UNSET,
    Field,
    Message,
    Part,
    later,
    listed,
    named,
    ref,
    say,
    sentence,
    sentences,
    word,
)
from journeycode.rules import kpi_off_target

E = TypeVar("E", bound=Entity)

Found = tuple[ChangeKind, Message, Src | str]
"""A change before it is placed: its kind, its message and where it is in
HEAD (a ``file:line`` for a row of a measurement file)."""


@dataclass(frozen=True)
class Pair(Generic[E]):
    """Both versions of one entity, and what their comparison may need around them."""

    old: E
    new: E
    journeys: tuple[Journey, Journey] | None = None
    """The journey it is in, in BASE and in HEAD; None in the catalog."""
    stages: tuple[Stage, Stage] | None = None
    """The stage a touchpoint is in, in BASE and in HEAD."""
    rules: tuple[Mapping[str, RuleSetting], Mapping[str, RuleSetting]] | None = None
    """The rules' settings in BASE and in HEAD, for a change that says what a
    rule would find; None for the rules' own."""

    @property
    def name(self) -> Message:
        return named(self.new)


Compare = Callable[["Row", Pair[Any]], Iterator[Found]]


@dataclass(frozen=True)
class Row:
    kind: str
    """The entity kind."""
    field: str
    changes: tuple[ChangeKind, ...]
    """What a difference in the field is reported as; none for a field that
    is kept out of ``text-changed`` and compared by nothing."""
    compare: Compare


def _target_of(row: Row) -> str | None:
    """The kind of entity the row's field refers to, if it is a reference."""
    found = [r.target for r in kinds.KINDS[row.kind].references if r.field == row.field]
    return found[0] if found else None


def show(value: object, kind: str | None = None) -> Message:
    """A field's value in a message: the entity (or entities) it names when
    ``kind`` is the kind it refers to; a range in brackets; :data:`UNSET` for
    no value."""
    if value is None:
        return word(UNSET)
    if isinstance(value, tuple):
        if kind is not None:
            return listed(ref(kind, v) for v in value)
        if value and all(isinstance(v, int | float) for v in value):
            return say(f"[{', '.join(f'{v:g}' for v in value)}]")
        return listed(map(str, value))
    return say(ref(kind, str(value)) if kind is not None else str(value))


WORDS: Mapping[str, str] = {
    "version": N_("version"),
    "status": N_("status"),
    "owner": N_("owner"),
    "channel": N_("channel"),
    "routing": N_("routing"),
    "initiated_by": N_("initiated by"),
    "severity": N_("severity"),
    "mode": N_("mode"),
    "hours": N_("hours"),
    "unit": N_("unit"),
    "range": N_("range"),
    "direction": N_("direction"),
    # Compared as text (``text-changed``).
    "action": N_("action"),
    "backstage": N_("backstage"),
    "contact": N_("contact"),
    "description": N_("description"),
    "evidence": N_("evidence"),
    "frontstage": N_("frontstage"),
    "frustrations": N_("frustrations"),
    "goal": N_("goal"),
    "goals": N_("goals"),
    "kind": N_("kind"),
    "reviewed": N_("reviewed"),
    "text": N_("text"),
    "type": N_("type"),
}
"""How a message names a field (in English, the field's name with spaces);
one not here is named so in every language."""


def field_word(field: str) -> Message:
    """The field as a message names it (:data:`WORDS`)."""
    found = WORDS.get(field)
    return say(field.replace("_", " ")) if found is None else word(found)


def _was_now(pair: Pair[Any], field: str, was: Message, now: Message) -> Message:
    return sentence(
        "{subject}: {field} {was} → {now}",
        subject=pair.name,
        field=field_word(field),
        was=was,
        now=now,
    )


def value(row: Row, pair: Pair[Any]) -> Iterator[Found]:
    """One value, shown before and after."""
    was, now = getattr(pair.old, row.field), getattr(pair.new, row.field)
    if was != now:
        src = pair.new.src.at(row.field) if now is not None else pair.new.src.at("id")
        target = _target_of(row)
        said = _was_now(pair, row.field, show(was, target), show(now, target))
        yield row.changes[0], said, src


def _listed(old: tuple[str, ...], new: tuple[str, ...], kind: str | None) -> Message | None:
    """What came into a list and what left it: ``added A, B; removed C``; None
    when nothing did."""
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if not added and not removed:
        return None

    def items(values: list[str]) -> Iterator[Part]:
        return (ref(kind, v) if kind is not None else v for v in values)

    if not removed:
        return sentence("added {added}", added=listed(items(added)))
    if not added:
        return sentence("removed {removed}", removed=listed(items(removed)))
    return sentence(
        "added {added}; removed {removed}",
        added=listed(items(added)),
        removed=listed(items(removed)),
    )


def _in_list(pair: Pair[Any], name: str, said: Message) -> Message:
    return sentence("{subject} {list}: {changes}", subject=pair.name, list=word(name), changes=said)


def ids(name: str, at: str = "id") -> Compare:
    """A list of ids, named ``name`` in the message (a word marked for the
    catalogs: ``ids(N_("systems"))``): what came into it and what left it, at
    the field ``at`` in HEAD."""

    def compare(row: Row, pair: Pair[Any]) -> Iterator[Found]:
        old, new = getattr(pair.old, row.field), getattr(pair.new, row.field)
        said = _listed(old, new, _target_of(row))
        if said:
            yield row.changes[0], _in_list(pair, name, said), pair.new.src.at(at)

    return compare


def _passing(row: Row, pair: Pair[Touchpoint]) -> Iterator[Found]:
    """Who passes the touchpoint: its personas, else its journey's."""
    assert pair.journeys is not None
    old_journey, new_journey = pair.journeys
    said = _listed(old_journey.personas_at(pair.old), new_journey.personas_at(pair.new), "persona")
    if said:
        yield row.changes[0], _in_list(pair, N_("personas"), said), pair.new.src.at("id")


def _owner(row: Row, pair: Pair[Touchpoint]) -> Iterator[Found]:
    """The effective owner: the touchpoint's own, else its stage's."""
    assert pair.stages is not None
    was, now = owner_of(pair.stages[0], pair.old), owner_of(pair.stages[1], pair.new)
    if was != now:
        yield (
            row.changes[0],
            _was_now(pair, "owner", show(was, "owner"), show(now, "owner")),
            pair.new.src.at("id"),
        )


def _emotion(row: Row, pair: Pair[Touchpoint]) -> Iterator[Found]:
    """Each persona passing the touchpoint in HEAD: a signed delta when it had a feeling before."""
    assert pair.journeys is not None
    for persona in pair.journeys[1].personas_at(pair.new):
        before, after = emotion_for(pair.old, persona), emotion_for(pair.new, persona)
        who = ref("persona", persona)
        if before is not None and after is not None and before != after:
            delta, was, now = f"{after - before:+g}", f"{before:g}", f"{after:g}"
            said = sentence(
                "{subject}: {persona} feels {delta} ({was} → {now})",
                subject=pair.name,
                persona=who,
                delta=delta,
                was=was,
                now=now,
            )
            yield row.changes[0], said, pair.new.src.at("emotion")
        elif before != after:
            said = sentence(
                "{subject}: emotion for {persona} {was} → {now}",
                subject=pair.name,
                persona=who,
                was=show(before),
                now=show(after),
            )
            yield row.changes[0], said, pair.new.src.at("id")


def _moment_of_truth(row: Row, pair: Pair[Touchpoint]) -> Iterator[Found]:
    if pair.old.moment_of_truth != pair.new.moment_of_truth:
        said = (
            sentence("{subject} is now a moment of truth", subject=pair.name)
            if pair.new.moment_of_truth
            else sentence("{subject} is no longer a moment of truth", subject=pair.name)
        )
        yield row.changes[0], said, pair.new.src.at("id")


def _target(kpi: Kpi) -> Message:
    return word(UNSET) if kpi.target is None else later(kpi_values.value, kpi.target, kpi)


def _kpi_target(row: Row, pair: Pair[Kpi]) -> Iterator[Found]:
    """Loosened or tightened when the scale and the direction stayed, loosened
    when the target is gone; otherwise a change of definition (the row's three
    kinds, in that order)."""
    old, new = pair.old, pair.new
    loosened, tightened, redefined = row.changes
    same_scale = old.unit == new.unit and old.direction == new.direction
    was, now = old.target, new.target
    if was is not None and now is not None and was != now and same_scale:
        lower = new.direction == "lower"
        tighter = now < was if lower else now > was
        shown = {
            "subject": pair.name,
            "was": later(kpi_values.value, was, new),
            "now": later(kpi_values.value, now, new),
        }
        if new.direction is None:
            said = sentence("{subject}: target {was} → {now}", **shown)
            yield redefined, said, new.src.at("target")
        else:
            sentences = {
                (True, True): N_("{subject}: target tightened, {was} → {now} (lower is better)"),
                (True, False): N_("{subject}: target tightened, {was} → {now} (higher is better)"),
                (False, True): N_("{subject}: target loosened, {was} → {now} (lower is better)"),
                (False, False): N_("{subject}: target loosened, {was} → {now} (higher is better)"),
            }
            yield (
                tightened if tighter else loosened,
                sentence(sentences[tighter, lower], **shown),
                new.src.at("target"),
            )
    elif was is not None and now is None:
        # No target asks for nothing: the loosest a target can get.
        yield (
            loosened,
            sentence("{subject}: target removed (was {was})", subject=pair.name, was=_target(old)),
            pair.new.src.at("id"),
        )
    elif was != now:
        yield (
            redefined,
            sentence(
                "{subject}: target {was} → {now}",
                subject=pair.name,
                was=_target(old),
                now=_target(new),
            ),
            pair.new.src.at("id"),
        )


def _where(kpi: Kpi, measured: Measurement) -> Src | str:
    """Where one of the KPI's measurements is written: its row of a
    measurement file (``file:line``), else its item in the maps."""
    if measured.row is not None:
        return measured.row
    index = next(i for i, m in enumerate(kpi.measurements) if m is measured)
    return kpi.src.at("measurements", index)


def _by_date(kpi: Kpi) -> dict[str, list[int]]:
    """The indexes of the KPI's measurements of each date."""
    dates: dict[str, list[int]] = {}
    for index, measured in enumerate(kpi.measurements):
        dates.setdefault(measured.date, []).append(index)
    return dates


def _rewritten(row: Row, pair: Pair[Kpi]) -> Iterator[Found]:
    """Measurements of a date BASE had that HEAD changed or removed: what was
    reported is not what it was."""
    old, new = pair.old, pair.new
    if (old.unit, old.range) != (new.unit, new.range):
        # The values are read another way, or dropped out of the new range:
        # the definition's change says so, and the dropped rows are problems.
        return
    edited = row.changes[3]
    after = _by_date(new)
    for date, indexes in _by_date(old).items():
        was = [old.measurements[i].value for i in indexes]
        kept = after.get(date, [])
        now = [new.measurements[i].value for i in kept]
        if was == now:
            continue
        shown_was = listed(later(kpi_values.value, v, old) for v in was)
        if kept:
            said = sentence(
                "{subject}: measurement of {date} changed, {was} → {now}",
                subject=pair.name,
                date=date,
                was=shown_was,
                now=listed(later(kpi_values.value, v, new) for v in now),
            )
            yield edited, said, _where(new, new.measurements[kept[0]])
        else:
            said = sentence(
                "{subject}: measurement of {date} removed (was {was})",
                subject=pair.name,
                date=date,
                was=shown_was,
            )
            yield edited, said, new.src.at("measurements")


def _off(pair: Pair[Kpi], side: int) -> bool | None:
    """Whether ``kpi-off-target`` finds the KPI off target on one side (0 BASE,
    1 HEAD) with that side's settings; None when the rule is off there, or
    the KPI has no target to miss."""
    kpi = (pair.old, pair.new)[side]
    setting = pair.rules[side].get(kpi_off_target.ID) if pair.rules is not None else None
    if (setting is not None and setting.level is None) or kpi_values.status(kpi) is None:
        return None
    periods = (setting.options if setting is not None else kpi_off_target.OPTIONS)["periods"]
    return bool(kpi_values.missed(kpi, max(int(periods), 1)))


def _measured(row: Row, pair: Pair[Kpi]) -> Iterator[Found]:
    """Measurements of new dates, and those of old dates changed or removed.
    When they take the KPI off its target or bring it back (as
    ``kpi-off-target`` finds it on each side, with that side's settings;
    never where the rule is off), the latest values and the target;
    otherwise how many new ones, and the latest value (the row's first three
    kinds, in that order); then each one changed or removed (its fourth)."""
    old, new = pair.old, pair.new
    went_off, came_back, measured, _ = row.changes
    known = {m.date for m in old.measurements}
    fresh = [m for m in new.measurements if m.date not in known]
    rewritten = list(_rewritten(row, pair))
    before, latest = kpi_values.latest(old), kpi_values.latest(new)
    now = kpi_values.status(new)
    was_off, off = _off(pair, 0), _off(pair, 1)
    if (
        (fresh or rewritten)
        and before is not None
        and latest is not None
        and was_off is not None
        and off is not None
        and was_off is not off
    ):
        went = (
            N_("{subject} went off target: {was} → {now}, target {target}")
            if off
            else N_("{subject} is back on target: {was} → {now}, target {target}")
        )
        yield (
            went_off if off else came_back,
            sentence(
                went,
                subject=pair.name,
                was=later(kpi_values.value, before.value, old),
                now=later(kpi_values.value, latest.value, new),
                target=later(lambda kpi: str(kpi_values.target(kpi)), new),
            ),
            _where(new, latest),
        )
    elif fresh and latest is not None:
        fields: dict[str, Field] = {
            "subject": pair.name,
            "latest": later(kpi_values.value, latest.value, new),
            "date": latest.date,
        }
        said = (
            sentences(
                "{subject}: {count} new measurement(s); latest {latest} on {date}, {status}",
                "{subject}: {count} new measurement(s); latest {latest} on {date}, {status}",
                len(fresh),
                status=later(str, now),
                **fields,
            )
            if now
            else sentences(
                "{subject}: {count} new measurement(s); latest {latest} on {date}",
                "{subject}: {count} new measurement(s); latest {latest} on {date}",
                len(fresh),
                **fields,
            )
        )
        yield measured, said, _where(new, latest)
    yield from rewritten


def _nothing(row: Row, pair: Pair[Any]) -> Iterator[Found]:
    yield from ()


_C = ChangeKind

FIELDS: tuple[Row, ...] = (
    Row("journey", "version", (_C.JOURNEY_VERSION_CHANGED,), value),
    Row("journey", "status", (_C.JOURNEY_STATUS_CHANGED,), value),
    Row("journey", "owner", (_C.JOURNEY_OWNER_CHANGED,), value),
    Row("journey", "personas", (_C.JOURNEY_PERSONAS_CHANGED,), ids(N_("personas"), at="personas")),
    Row("stage", "owner", (_C.STAGE_OWNER_CHANGED,), value),
    Row("stage", "kpis", (_C.STAGE_KPIS_CHANGED,), ids(N_("KPIs"))),
    Row("touchpoint", "channel", (_C.TOUCHPOINT_CHANNEL_CHANGED,), value),
    Row("touchpoint", "owner", (_C.TOUCHPOINT_OWNER_CHANGED,), _owner),
    Row("touchpoint", "personas", (_C.TOUCHPOINT_PERSONAS_CHANGED,), _passing),
    Row("touchpoint", "systems", (_C.TOUCHPOINT_DETAILS_CHANGED,), ids(N_("systems"))),
    Row("touchpoint", "routing", (_C.TOUCHPOINT_DETAILS_CHANGED,), value),
    Row("touchpoint", "initiated_by", (_C.TOUCHPOINT_DETAILS_CHANGED,), value),
    Row("touchpoint", "emotion", (_C.EMOTION_CHANGED,), _emotion),
    Row("touchpoint", "moment_of_truth", (_C.MOMENT_OF_TRUTH_CHANGED,), _moment_of_truth),
    Row("touchpoint", "escalates_to", (_C.ESCALATION_CHANGED,), ids(N_("escalations"))),
    Row("touchpoint", "next", (_C.NEXT_STEP_CHANGED,), ids(N_("next steps"))),
    Row("pain_point", "severity", (_C.PAIN_POINT_SEVERITY_CHANGED,), value),
    Row("opportunity", "status", (_C.OPPORTUNITY_STATUS_CHANGED,), value),
    Row("channel", "mode", (_C.CHANNEL_MODE_CHANGED,), value),
    Row("channel", "hours", (_C.CHANNEL_HOURS_CHANGED,), value),
    Row(
        "kpi",
        "target",
        (_C.KPI_TARGET_LOOSENED, _C.KPI_TARGET_TIGHTENED, _C.KPI_DEFINITION_CHANGED),
        _kpi_target,
    ),
    Row("kpi", "unit", (_C.KPI_DEFINITION_CHANGED,), value),
    Row("kpi", "range", (_C.KPI_DEFINITION_CHANGED,), value),
    Row("kpi", "direction", (_C.KPI_DEFINITION_CHANGED,), value),
    Row(
        "kpi",
        "measurements",
        (
            _C.KPI_WENT_OFF_TARGET,
            _C.KPI_BACK_ON_TARGET,
            _C.KPI_MEASURED,
            _C.KPI_MEASUREMENT_EDITED,
        ),
        _measured,
    ),
    # The measurements split by journey: what they say is in their KPI's.
    Row("kpi", "breakdown", (), _nothing),
)

BY_KIND: Mapping[str, tuple[Row, ...]] = {
    kind: tuple(row for row in FIELDS if row.kind == kind)
    for kind in dict.fromkeys(row.kind for row in FIELDS)
}

_OWN_KINDS: Mapping[str, tuple[ChangeKind, ChangeKind]] = {
    "kpi": (_C.KPI_ADDED, _C.KPI_REMOVED),
}
CATALOG: Mapping[str, tuple[ChangeKind, ChangeKind]] = {
    kind.name: _OWN_KINDS.get(kind.name, (_C.CATALOG_ADDED, _C.CATALOG_REMOVED))
    for kind in kinds.CATALOG
}
"""A catalog kind → what adding one and removing one is reported as: a KPI's
own kinds, any other entry's the catalog's."""


def changes(kind: str, pair: Pair[Any]) -> Iterator[Found]:
    """What the rows of ``kind`` find between the two versions, in the table's order."""
    for row in BY_KIND.get(kind, ()):
        yield from row.compare(row, pair)


def texts(kind: kinds.Kind) -> tuple[str, ...]:
    """The fields of ``kind`` compared as text (``text-changed``): those with no
    row that are not structural (the id, references, children and parts)."""
    rows = {row.field for row in BY_KIND.get(kind.name, ())}
    structural = {r.field for r in kind.references} | set(kind.children) | set(kind.parts)
    ignored = {"id", "src", "waive", "dropped_ids", *rows, *structural}
    return tuple(f.name for f in dataclasses.fields(kind.model) if f.name not in ignored)
