"""The rules: one module each, registered here explicitly.

``REGISTRY`` holds the rules that check the model. ``CONFIGURABLE`` adds
``stale-waiver``, which the runner itself applies after them. The pipeline's
own checks, ``load`` and ``schema``, are always errors.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from journeycode.model import Workspace
from journeycode.problems import Problem
from journeycode.rules import (
    after_hours,
    channel_feedback,
    channel_measured,
    context_handoff,
    duplicate_id,
    emotion_coverage,
    escalation_path,
    feedback_loop,
    kpi_target,
    moment_of_truth_kpi,
    pain_point_addressed,
    persona_stage_coverage,
    preferred_channel,
    stage_kpi,
    stale_review,
    stale_waiver,
    touchpoint_owner,
    transfer_chain,
    unknown_reference,
    unused_entity,
)
from journeycode.rules.base import Configurable, Finding, Rule

if TYPE_CHECKING:
    from journeycode.config import Config

__all__ = ["CONFIGURABLE", "REGISTRY", "Finding", "Rule", "run"]

REGISTRY: Mapping[str, Rule] = {
    rule.ID: rule
    for rule in (
        duplicate_id,
        unknown_reference,
        persona_stage_coverage,
        touchpoint_owner,
        stage_kpi,
        channel_measured,
        channel_feedback,
        moment_of_truth_kpi,
        kpi_target,
        escalation_path,
        context_handoff,
        pain_point_addressed,
        emotion_coverage,
        feedback_loop,
        preferred_channel,
        after_hours,
        unused_entity,
        stale_review,
        transfer_chain,
    )
}

CONFIGURABLE: Mapping[str, Configurable] = {**REGISTRY, stale_waiver.ID: stale_waiver}

# These rules are exact on a partial model. The others judge completeness, which
# a journey that lost entities to schema errors cannot show: their findings
# there would be echoes of the schema error, so they wait until it is fixed.
_EXACT_ON_PARTIAL = frozenset({duplicate_id.ID, unknown_reference.ID})


def _incomplete(workspace: Workspace) -> set[int]:
    """id() of every entity of the journeys that lost entities to schema errors."""
    inside: set[int] = set()
    for journey in workspace.journeys:
        if journey.dropped_ids:
            inside.add(id(journey))
            for stage in journey.stages:
                inside.add(id(stage))
                for tp in stage.touchpoints:
                    inside.add(id(tp))
                    inside.update(id(pain) for pain in tp.pain_points)
            inside.update(id(opportunity) for opportunity in journey.opportunities)
    return inside


def run(workspace: Workspace, config: Config, today: datetime.date) -> Iterator[Problem]:
    """Every enabled rule over the workspace at its configured level, with waivers applied."""
    used: set[tuple[int, str]] = set()
    checked: list[str] = []
    incomplete = _incomplete(workspace)
    for rule in REGISTRY.values():
        setting = config.setting(rule.ID)
        if setting.level is None:
            continue
        checked.append(rule.ID)
        for finding in rule.check(workspace, {**setting.options, "today": today}):
            if rule.ID not in _EXACT_ON_PARTIAL and any(
                id(s) in incomplete for s in finding.subjects
            ):
                continue
            waivers = [s for s in finding.subjects if rule.ID in s.waive]
            if waivers:
                used.update((id(s), rule.ID) for s in waivers)
                continue
            yield finding.src.problem(
                rule.ID, setting.level, finding.message, finding.hint, key=finding.key
            )
    level = config.setting(stale_waiver.ID).level
    if level is not None:
        for finding in stale_waiver.stale(workspace, used, checked, incomplete):
            yield finding.src.problem(
                stale_waiver.ID, level, finding.message, finding.hint, key=True
            )
