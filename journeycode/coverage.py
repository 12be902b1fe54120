"""Coverage: how completely the maps are owned, measured and mapped, as numbers.

Per journey and for the portfolio: the persona-by-stage and channel-by-stage
matrices (touchpoints in each cell), and seven shares. A share with nothing to
count (a journey with no self-service step) is None and is left out of the
total, which is the mean of the shares that exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from journeycode import i18n, values
from journeycode.i18n import N_, ngettext
from journeycode.model import Journey, Kpi, Workspace
from journeycode.queries import (
    addressed_pain_points,
    channel_kpis,
    emotion_for,
    needs_escalation,
    owner_of,
    reaches_a_human,
    stage_kpis,
)

SHARES = {
    "touchpoints_owned": N_("Touchpoints with an owner"),
    "stages_measured": N_("Stages measured by a KPI"),
    "channels_measured": N_("Channels with an operational KPI"),
    "channels_with_feedback": N_("Channels with a feedback KPI"),
    "escalation_paths": N_("Self-service steps with a way out to a human"),
    "pain_points_addressed": N_("High pain points addressed"),
    "emotions_given": N_("Emotions given (per touchpoint and persona)"),
}
"""Each share's words, in English: ``_(SHARES[name])`` where it is shown."""


@dataclass(frozen=True)
class Share:
    covered: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.covered / self.total

    def __add__(self, other: Share) -> Share:
        return Share(self.covered + other.covered, self.total + other.total)


@dataclass(frozen=True)
class JourneyCoverage:
    id: str
    name: str
    stages: tuple[str, ...]
    personas: dict[str, dict[str, int]]
    """persona → stage → touchpoints that serve the persona there."""
    channels: dict[str, dict[str, int]]
    """channel → stage → touchpoints on the channel there."""
    shares: dict[str, Share]

    @property
    def total(self) -> float | None:
        return _mean(self.shares)


@dataclass(frozen=True)
class Health:
    """How the KPIs with a target are doing, by their newest measurement:
    coverage says what is measured, this says whether it is good."""

    on_target: tuple[str, ...]
    off_target: tuple[str, ...]
    unmeasured: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.on_target) + len(self.off_target) + len(self.unmeasured)

    def __str__(self) -> str:
        """In the reader's language."""
        return ngettext(
            "{on} {on_word}, {off} {off_word}, {unmeasured} unmeasured "
            "(of {count} KPI with a target)",
            "{on} {on_word}, {off} {off_word}, {unmeasured} unmeasured "
            "(of {count} KPIs with a target)",
            self.total,
        ).format(
            on=len(self.on_target),
            on_word=values.Status.ON,
            off=len(self.off_target),
            off_word=values.Status.OFF,
            unmeasured=len(self.unmeasured),
            count=self.total,
        )


def health(workspace: Workspace) -> Health:
    found: dict[values.Status | None, list[str]] = {
        values.Status.ON: [],
        values.Status.OFF: [],
        None: [],
    }
    for kpi in workspace.entities(Kpi):
        if kpi.target is not None:
            found[values.status(kpi)].append(kpi.id)
    on, off = found[values.Status.ON], found[values.Status.OFF]
    return Health(tuple(on), tuple(off), tuple(found[None]))


@dataclass(frozen=True)
class Coverage:
    journeys: tuple[JourneyCoverage, ...]
    shares: dict[str, Share]
    health: Health = Health((), (), ())

    @property
    def total(self) -> float | None:
        return _mean(self.shares)


def percent(value: float | None, places: int = 0) -> str:
    """A share as people read it: 83%, or — when there was nothing to count
    (``83 %`` in Russian: CLDR's percent sign and spacing); ``places``
    decimals, as given (``84.6%``)."""
    if value is None:
        return "—"
    if i18n.current().english:
        return f"{value:.{places}f}%"
    from babel.numbers import format_percent

    return format_percent(
        round(value, places) / 100, locale=i18n.babel_locale(), decimal_quantization=False
    )


def _mean(shares: dict[str, Share]) -> float | None:
    values = [p for p in (share.percent for share in shares.values()) if p is not None]
    return sum(values) / len(values) if values else None


def coverage(workspace: Workspace) -> Coverage:
    journeys = tuple(_journey(workspace, j) for j in workspace.by_id(Journey).values())
    shares = {name: sum((j.shares[name] for j in journeys), Share(0, 0)) for name in SHARES}
    # A channel used by two journeys counts once for the portfolio.
    used = sorted({channel for j in journeys for channel in j.channels})
    shares["channels_measured"] = _channels_with(workspace, used, "operational")
    shares["channels_with_feedback"] = _channels_with(workspace, used, "feedback")
    return Coverage(journeys, shares, health(workspace))


def _channels_with(workspace: Workspace, channels: Iterable[str], kind: str) -> Share:
    listed = list(channels)
    return Share(sum(1 for c in listed if channel_kpis(workspace, c, kind)), len(listed))


def _journey(workspace: Workspace, journey: Journey) -> JourneyCoverage:
    stage_ids = tuple(stage.id for stage in journey.stages)
    personas = {p: dict.fromkeys(stage_ids, 0) for p in journey.personas}
    channels: dict[str, dict[str, int]] = {}
    owned = self_service = escalating = emotions = emotion_slots = 0
    for stage, tp in journey.touchpoints():
        channels.setdefault(tp.channel, dict.fromkeys(stage_ids, 0))[stage.id] += 1
        for persona in journey.personas_at(tp):
            if persona in personas:
                personas[persona][stage.id] += 1
            emotion_slots += 1
            emotions += emotion_for(tp, persona) is not None
        owned += owner_of(stage, tp) is not None
        if needs_escalation(workspace, tp):
            self_service += 1
            escalating += reaches_a_human(workspace, journey, tp)
    addressed = addressed_pain_points(journey)
    high = [pain for _, pain in journey.pain_points() if pain.severity == "high"]
    return JourneyCoverage(
        id=journey.id,
        name=journey.name,
        stages=stage_ids,
        personas=personas,
        channels=dict(sorted(channels.items())),
        shares={
            "touchpoints_owned": Share(owned, len(journey.touchpoints())),
            "stages_measured": Share(
                sum(1 for s in journey.stages if stage_kpis(s)), len(journey.stages)
            ),
            "channels_measured": _channels_with(workspace, channels, "operational"),
            "channels_with_feedback": _channels_with(workspace, channels, "feedback"),
            "escalation_paths": Share(escalating, self_service),
            "pain_points_addressed": Share(sum(1 for p in high if p.id in addressed), len(high)),
            "emotions_given": Share(emotions, emotion_slots),
        },
    )
