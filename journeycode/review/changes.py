"""What a reviewer is told: the kinds of change between two versions of the maps.

Each kind is a constant of :class:`ChangeKind` with an id, a default level and
a sentence saying why it matters; ``journeycode diff --list-kinds`` and the
site's change kinds page print them, and ``diff:`` in ``journeycode.yaml``
changes a level (``diff: {waiver-added: notable}``). Which field of which
entity raises which kind is the table in :mod:`journeycode.review.fields`.

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
from collections.abc import Mapping

from journeycode.i18n import N_


class Severity(enum.IntEnum):
    INFO = 0
    NOTABLE = 1
    BREAKING = 2

    def __str__(self) -> str:
        return self.name.lower()


_B, _N, _I = Severity.BREAKING, Severity.NOTABLE, Severity.INFO


class ChangeKind(enum.StrEnum):
    """A kind of change. Being a ``str``, a member is written as its id
    wherever a report shows it."""

    level: Severity
    """The default level; ``diff:`` in the settings overrides it."""
    summary: str
    rule: str | None
    """The rule whose finding the change is (or would be, were it not
    waived): why it matters is that rule's summary. None where the summary
    says it."""

    def __new__(
        cls, ident: str, level: Severity, summary: str, rule: str | None = None
    ) -> ChangeKind:
        member = str.__new__(cls, ident)
        member._value_ = ident
        member.level = level
        member.summary = summary
        member.rule = rule
        return member

    @property
    def id(self) -> str:
        return self.value

    WAY_OUT_LOST = (
        "way-out-lost",
        _B,
        N_("A self-service or automated step no longer reaches a human."),
        "escalation-path",
    )
    FLOW_WAY_OUT_LOST = (
        "flow-way-out-lost",
        _B,
        N_("A path of a contact flow that reached a person now ends with nobody."),
        "flow-way-out",
    )
    ONLY_PATH_REMOVED = (
        "only-path-removed",
        _B,
        N_("A persona has no touchpoint left in a stage it passed."),
        "persona-stage-coverage",
    )
    STAGE_LOST_LAST_KPI = (
        "stage-lost-last-kpi",
        _B,
        N_("A stage that was measured is measured no more."),
        "stage-kpi",
    )
    KPI_TARGET_LOOSENED = (
        "kpi-target-loosened",
        _B,
        N_("A KPI target now asks for less (direction-aware)."),
    )
    WAIVER_ADDED = "waiver-added", _B, N_("A rule is silenced for an entity; the reason is shown.")
    RENAMED = (
        "renamed",
        _N,
        N_(
            "An id changed while the entity stayed (most of its fields are equal); "
            "what refers to it follows."
        ),
    )
    JOURNEY_ADDED = "journey-added", _N, N_("A new journey map.")
    JOURNEY_REMOVED = "journey-removed", _N, N_("A journey map is gone.")
    JOURNEY_STATUS_CHANGED = (
        "journey-status-changed",
        _N,
        N_("draft, review, published or retired."),
    )
    JOURNEY_OWNER_CHANGED = (
        "journey-owner-changed",
        _N,
        N_("Another owner is accountable for the journey."),
    )
    JOURNEY_PERSONAS_CHANGED = (
        "journey-personas-changed",
        _N,
        N_("Personas added to or removed from a journey."),
    )
    VERSION_NOT_BUMPED = (
        "version-not-bumped",
        _N,
        N_("The journey changed but its version did not."),
    )
    STAGE_ADDED = "stage-added", _N, N_("A new stage.")
    STAGE_REMOVED = "stage-removed", _N, N_("A stage is gone, with its touchpoints.")
    STAGE_OWNER_CHANGED = (
        "stage-owner-changed",
        _N,
        N_("Another owner is accountable for the stage."),
    )
    STAGE_KPIS_CHANGED = "stage-kpis-changed", _N, N_("KPIs added to or removed from a stage.")
    TOUCHPOINT_ADDED = "touchpoint-added", _N, N_("A new touchpoint.")
    TOUCHPOINT_REMOVED = "touchpoint-removed", _N, N_("A touchpoint is gone.")
    TOUCHPOINT_MOVED = "touchpoint-moved", _N, N_("A touchpoint moved to another stage.")
    TOUCHPOINT_CHANNEL_CHANGED = (
        "touchpoint-channel-changed",
        _N,
        N_("A touchpoint is served on another channel."),
    )
    TOUCHPOINT_OWNER_CHANGED = (
        "touchpoint-owner-changed",
        _N,
        N_("The effective owner of a touchpoint changed."),
    )
    TOUCHPOINT_PERSONAS_CHANGED = (
        "touchpoint-personas-changed",
        _N,
        N_("Who passes a touchpoint changed."),
    )
    MOMENT_OF_TRUTH_CHANGED = (
        "moment-of-truth-changed",
        _N,
        N_("A moment of truth was set or cleared."),
    )
    ESCALATION_CHANGED = (
        "escalation-changed",
        _N,
        N_("An escalation to another touchpoint added or removed."),
    )
    PAIN_POINT_ADDED = "pain-point-added", _N, N_("A new pain point.")
    PAIN_POINT_SEVERITY_CHANGED = (
        "pain-point-severity-changed",
        _N,
        N_("A pain point got more or less severe."),
    )
    KPI_TARGET_TIGHTENED = (
        "kpi-target-tightened",
        _N,
        N_("A KPI target now asks for more (direction-aware)."),
    )
    KPI_DEFINITION_CHANGED = (
        "kpi-definition-changed",
        _N,
        N_("A KPI's unit, range or direction changed."),
    )
    KPI_REMOVED = "kpi-removed", _N, N_("A KPI is gone from the catalog.")
    KPI_WENT_OFF_TARGET = (
        "kpi-went-off-target",
        _N,
        N_("A new or edited measurement takes a KPI off its target: the values and the target."),
    )
    KPI_BACK_ON_TARGET = (
        "kpi-back-on-target",
        _N,
        N_(
            "A new or edited measurement brings a KPI back on its target: "
            "the values and the target."
        ),
    )
    KPI_MEASUREMENT_EDITED = (
        "kpi-measurement-edited",
        _N,
        N_("A measurement already reported was changed or removed: its date, the values."),
    )
    CHANNEL_MODE_CHANGED = (
        "channel-mode-changed",
        _N,
        N_("A channel became self-service, automated or assisted."),
    )
    CATALOG_REMOVED = "catalog-removed", _N, N_("A persona, channel, owner or system is gone.")
    JOURNEY_VERSION_CHANGED = (
        "journey-version-changed",
        _I,
        N_("A new version number for the journey."),
    )
    STAGE_REORDERED = "stage-reordered", _I, N_("Stages are in another order.")
    TOUCHPOINT_DETAILS_CHANGED = (
        "touchpoint-details-changed",
        _I,
        N_("Systems, routing or who starts the step."),
    )
    EMOTION_CHANGED = (
        "emotion-changed",
        _I,
        N_("How a persona feels at a touchpoint (signed delta)."),
    )
    NEXT_STEP_CHANGED = "next-step-changed", _I, N_("A next step added or removed.")
    PAIN_POINT_REMOVED = "pain-point-removed", _I, N_("A pain point is gone.")
    KPI_ADDED = "kpi-added", _I, N_("A new KPI in the catalog.")
    KPI_MEASURED = (
        "kpi-measured",
        _I,
        N_("New measurements that leave a KPI on (or off) target: the latest value."),
    )
    CHANNEL_HOURS_CHANGED = "channel-hours-changed", _I, N_("A channel's opening hours changed.")
    CATALOG_ADDED = "catalog-added", _I, N_("A new persona, channel, owner or system.")
    OPPORTUNITY_ADDED = "opportunity-added", _I, N_("A new improvement opportunity.")
    OPPORTUNITY_STATUS_CHANGED = (
        "opportunity-status-changed",
        _I,
        N_("An opportunity moved on (or back)."),
    )
    FLOW_MENU_OPTIONS_REMOVED = (
        "flow-menu-options-removed",
        _N,
        N_("A menu of a contact flow offers fewer options."),
    )
    FLOW_QUEUES_CHANGED = (
        "flow-queues-changed",
        _N,
        N_("A contact flow sends customers to other queues."),
    )
    FLOW_ADDED = "flow-added", _N, N_("A contact flow file is new.")
    FLOW_REMOVED = "flow-removed", _N, N_("A contact flow file is gone.")
    WAIVER_REMOVED = "waiver-removed", _I, N_("A waiver is gone: the rule applies again.")
    TEXT_CHANGED = "text-changed", _I, N_("Names, descriptions and other text.")


KINDS: Mapping[str, ChangeKind] = {kind.id: kind for kind in ChangeKind}
"""Each kind by its id, as the settings name it."""
