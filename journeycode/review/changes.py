"""What a reviewer is told: the kinds of change between two versions of the maps.

Each kind has an id, a default level and a sentence saying why it matters;
``journeycode diff --list-kinds`` prints them, and ``diff:`` in
``journeycode.yaml`` changes a level (``diff: {waiver-added: notable}``).

Levels, from the most to the least serious:

* ``breaking`` — the change makes the service worse for a customer, or hides a
  problem: a step loses its way to a human, a KPI target is loosened, a waiver
  silences a rule;
* ``notable`` — a reviewer should look: something added, removed or
  reassigned;
* ``info`` — wording, order and other changes that keep the meaning.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    INFO = 0
    NOTABLE = 1
    BREAKING = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class ChangeKind:
    id: str
    level: Severity
    summary: str


_B, _N, _I = Severity.BREAKING, Severity.NOTABLE, Severity.INFO

KINDS: dict[str, ChangeKind] = {
    kind.id: kind
    for kind in (
        ChangeKind(
            "way-out-lost", _B, "A self-service or automated step no longer reaches a human."
        ),
        ChangeKind(
            "only-path-removed", _B, "A persona has no touchpoint left in a stage it passed."
        ),
        ChangeKind("stage-lost-last-kpi", _B, "A stage that was measured is measured no more."),
        ChangeKind("kpi-target-loosened", _B, "A KPI target now asks for less (direction-aware)."),
        ChangeKind("waiver-added", _B, "A rule is silenced for an entity; the reason is shown."),
        ChangeKind("journey-added", _N, "A new journey map."),
        ChangeKind("journey-removed", _N, "A journey map is gone."),
        ChangeKind("journey-status-changed", _N, "draft, review, published or retired."),
        ChangeKind("journey-owner-changed", _N, "Another owner is accountable for the journey."),
        ChangeKind("journey-personas-changed", _N, "Personas added to or removed from a journey."),
        ChangeKind("version-not-bumped", _N, "The journey changed but its version did not."),
        ChangeKind("stage-added", _N, "A new stage."),
        ChangeKind("stage-removed", _N, "A stage is gone, with its touchpoints."),
        ChangeKind("stage-owner-changed", _N, "Another owner is accountable for the stage."),
        ChangeKind("stage-kpis-changed", _N, "KPIs added to or removed from a stage."),
        ChangeKind("touchpoint-added", _N, "A new touchpoint."),
        ChangeKind("touchpoint-removed", _N, "A touchpoint is gone."),
        ChangeKind("touchpoint-moved", _N, "A touchpoint moved to another stage."),
        ChangeKind("touchpoint-channel-changed", _N, "A touchpoint is served on another channel."),
        ChangeKind("touchpoint-owner-changed", _N, "The effective owner of a touchpoint changed."),
        ChangeKind("touchpoint-personas-changed", _N, "Who passes a touchpoint changed."),
        ChangeKind("moment-of-truth-changed", _N, "A moment of truth was set or cleared."),
        ChangeKind(
            "escalation-changed", _N, "An escalation to another touchpoint added or removed."
        ),
        ChangeKind("pain-point-added", _N, "A new pain point."),
        ChangeKind("pain-point-severity-changed", _N, "A pain point got more or less severe."),
        ChangeKind("kpi-target-tightened", _N, "A KPI target now asks for more (direction-aware)."),
        ChangeKind("kpi-definition-changed", _N, "A KPI's unit, range or direction changed."),
        ChangeKind("kpi-removed", _N, "A KPI is gone from the catalog."),
        ChangeKind(
            "channel-mode-changed", _N, "A channel became self-service, automated or assisted."
        ),
        ChangeKind("catalog-removed", _N, "A persona, channel, owner or system is gone."),
        ChangeKind("journey-version-changed", _I, "A new version number for the journey."),
        ChangeKind("stage-reordered", _I, "Stages are in another order."),
        ChangeKind("touchpoint-details-changed", _I, "Systems, routing or who starts the step."),
        ChangeKind("emotion-changed", _I, "How a persona feels at a touchpoint (signed delta)."),
        ChangeKind("next-step-changed", _I, "A next step added or removed."),
        ChangeKind("pain-point-removed", _I, "A pain point is gone."),
        ChangeKind("kpi-added", _I, "A new KPI in the catalog."),
        ChangeKind("kpi-measured", _I, "New measurements: the latest value, on or off target."),
        ChangeKind("channel-hours-changed", _I, "A channel's opening hours changed."),
        ChangeKind("catalog-added", _I, "A new persona, channel, owner or system."),
        ChangeKind("opportunity-added", _I, "A new improvement opportunity."),
        ChangeKind("opportunity-status-changed", _I, "An opportunity moved on (or back)."),
        ChangeKind("waiver-removed", _I, "A waiver is gone: the rule applies again."),
        ChangeKind("text-changed", _I, "Names, descriptions and other text."),
    )
}
