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


def run(workspace: Workspace, config: Config, today: datetime.date) -> Iterator[Problem]:
    """Every enabled rule over the workspace at its configured level, with waivers applied."""
    used: set[tuple[int, str]] = set()
    checked: list[str] = []
    for rule in REGISTRY.values():
        setting = config.setting(rule.ID)
        if setting.level is None:
            continue
        checked.append(rule.ID)
        for finding in rule.check(workspace, {**setting.options, "today": today}):
            waivers = [s for s in finding.subjects if rule.ID in s.waive]
            if waivers:
                used.update((id(s), rule.ID) for s in waivers)
                continue
            yield finding.src.problem(
                rule.ID, setting.level, finding.message, finding.hint, key=finding.key
            )
    level = config.setting(stale_waiver.ID).level
    if level is not None:
        for finding in stale_waiver.stale(workspace, used, checked):
            yield finding.src.problem(
                stale_waiver.ID, level, finding.message, finding.hint, key=True
            )
