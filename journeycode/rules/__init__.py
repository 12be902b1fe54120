"""The rules: one module each, registered here explicitly, run in this order.

``stale-waiver`` comes last: it reports the waivers that the rules before it
found nothing to silence. :mod:`journeycode.runner` runs them; the pipeline's
own checks (``load``, ``schema``, ``measurements``) are in
:mod:`journeycode.pipeline_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping

from journeycode.rules import (
    after_hours,
    channel_feedback,
    channel_measured,
    context_handoff,
    duplicate_id,
    emotion_coverage,
    escalation_path,
    feedback_loop,
    flow_after_hours,
    flow_loop,
    flow_matches_map,
    flow_unchecked,
    flow_way_out,
    ivr_menu_depth,
    ivr_menu_options,
    kpi_off_target,
    kpi_target,
    measurement_stale,
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
from journeycode.rules.base import Rule

__all__ = ["REGISTRY"]

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
        kpi_off_target,
        measurement_stale,
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
        flow_way_out,
        flow_matches_map,
        ivr_menu_depth,
        ivr_menu_options,
        flow_loop,
        flow_after_hours,
        flow_unchecked,
        stale_waiver,
    )
}
