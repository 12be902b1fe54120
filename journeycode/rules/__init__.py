"""The rules: one module each, registered here explicitly, run in this order.

``stale-waiver`` comes last: it reports the waivers that the rules before it
found nothing to silence. The pipeline's own checks, ``load`` and ``schema``,
are always errors.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import marshal
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING

from journeycode import kinds
from journeycode.model import Entity, Journey, Touchpoint, Workspace
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
from journeycode.rules.base import (
    Configurable,
    Finding,
    Rule,
    RuleContext,
    Silenced,
    parts,
    silence,
)

if TYPE_CHECKING:
    from journeycode.config import Config, RuleSetting

__all__ = ["CONFIGURABLE", "REGISTRY", "Finding", "Memo", "Rule", "RuleContext", "run"]

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
        stale_waiver,
    )
}

CONFIGURABLE: Mapping[str, Configurable] = REGISTRY

# These rules are exact on a partial model. The others judge completeness, which
# the parts left out for schema errors, or files that could not be read, may
# settle: their findings there would be echoes, so they wait until it is fixed.
_EXACT_ON_PARTIAL = frozenset({duplicate_id.ID, unknown_reference.ID, stale_waiver.ID})


def _unjudged(workspace: Workspace) -> set[Entity]:
    """Every entity of the journeys that lost entities to schema errors."""
    return {
        entity
        for journey in workspace.journeys
        if journey.dropped_ids
        for entity in kinds.within(journey)
    }


class _Echoes:
    """Whether a finding about an entity may be an echo of another problem: the
    entity, an entity inside it (but for a journey), or, for a touchpoint, a
    touchpoint it leads to (by ``next`` or ``escalates_to``, transitively)
    refers to an entity of a kind the rule rests on (its ``SETTLED_BY``) that
    is not defined (unknown-reference reports that), was left out for schema
    errors, or may be defined in a file that could not be read."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.defined = {kind.name: kinds.by_id(workspace, kind) for kind in kinds.CATALOG}
        self.tainted: dict[tuple[Journey, frozenset[str]], set[Entity]] = {}
        self.settled: dict[tuple[Entity, frozenset[str]], bool] = {}

    @functools.cached_property
    def journey_of(self) -> dict[Entity, Journey]:
        """Each touchpoint's journey (for a finding of a workspace part)."""
        return {tp: j for j in self.workspace.journeys for _, tp in j.touchpoints()}

    def __call__(
        self, subject: Entity, settled_by: frozenset[str], journey: Journey | None = None
    ) -> bool:
        """``journey``, when given, holds the subject."""
        # A finding about a whole journey (its review date, its owner) does not
        # rest on every touchpoint in it; one about a stage or a touchpoint does.
        inside = [subject] if kinds.of(subject) is kinds.JOURNEY else kinds.within(subject)
        if any(self.unsettled(entity, settled_by) for entity in inside):
            return True
        if not isinstance(subject, Touchpoint):
            return False
        # A touchpoint's way out runs through the steps it leads to.
        journey = journey or self.journey_of.get(subject)
        return journey is not None and subject in self.leading_to_unsettled(journey, settled_by)

    def unsettled(self, entity: Entity, settled_by: frozenset[str]) -> bool:
        """Whether the entity itself refers to an id of those kinds that is not
        settled (kept: a touchpoint may be a subject of a finding per step it
        leads to)."""
        found = self.settled.get((entity, settled_by))
        if found is None:
            found = self.settled[(entity, settled_by)] = any(
                ref.target in settled_by
                and (
                    ident not in self.defined[ref.target]
                    or self.workspace.may_define(ref.target, ident)
                )
                for ref, _, ident in kinds.references(entity)
            )
        return found

    def leading_to_unsettled(self, journey: Journey, settled_by: frozenset[str]) -> set[Entity]:
        """The touchpoints of a journey that are, or lead to, one that refers to
        an unsettled id: found backwards from those, once per journey and kinds,
        so a journey whose steps all lead to each other costs its edges, not
        their square for every finding."""
        found = self.tainted.get((journey, settled_by))
        if found is None:
            by_id = journey.touchpoint_by_id
            leading: dict[Entity, list[Entity]] = {}
            for _, tp in journey.touchpoints():
                for ref, _, ident in kinds.references(tp):
                    if ref.target == "touchpoint" and ident in by_id:
                        leading.setdefault(by_id[ident], []).append(tp)
            todo: list[Entity] = [
                tp for _, tp in journey.touchpoints() if self.unsettled(tp, settled_by)
            ]
            found = set(todo)
            while todo:
                for before in leading.get(todo.pop(), ()):
                    if before not in found:
                        found.add(before)
                        todo.append(before)
            self.tainted[(journey, settled_by)] = found
        return found


Checked = tuple[tuple[Problem, ...], tuple[Silenced, ...]]
"""What the rules' journey parts found in one journey: its problems, and the
waivers that silenced a finding there."""

Memo = MutableMapping[str, Checked]
"""What the rules found in each journey, by the digest of the journey's file
and of all that the journey parts may rest on besides it (see :func:`_basis`):
a journey whose file did not change is not checked again while that stays
the same. A language server keeps one in memory, ``journeycode check`` on disk."""


def _basis(workspace: Workspace, config: Config, today: datetime.date) -> str | None:
    """The digest of what a journey part may rest on besides its journey: the
    catalogs (by the digests of the files that define them, in order), KPIs'
    measurements (merged from files), what may be missing, the settings and
    today. None when some file has no digest (it was read without a cache)."""
    files = {e.src.file: None for kind in kinds.CATALOG for e in kinds.catalog(workspace, kind)}
    if not all(file.digest for file in files):
        return None
    basis = (
        tuple(file.digest for file in files),
        tuple(
            tuple(tuple(vars(m).values()) for m in (*kpi.measurements, *kpi.breakdown))
            for kpi in workspace.kpis
        ),
        sorted((kind, sorted(ids)) for kind, ids in workspace.shadow_ids.items()),
        sorted(workspace.shadow_words),
        sorted((kind, sorted(words)) for kind, words in workspace.pruned_words.items()),
        workspace.unreadable,
        repr(config),
        today.isoformat(),
    )
    return hashlib.blake2b(marshal.dumps(basis), digest_size=20).hexdigest()


def run(
    workspace: Workspace, config: Config, today: datetime.date, memo: Memo | None = None
) -> Iterator[Problem]:
    """Every enabled rule over the workspace at its configured level, with
    waivers applied: each journey's part of the rules (kept in ``memo``), then
    the parts that look at the whole workspace, in the registry's order."""
    enabled = [
        (rule, setting)
        for rule in REGISTRY.values()
        if (setting := config.setting(rule.ID)).level is not None
    ]
    basis = _basis(workspace, config, today) if memo is not None else None
    echo = _Echoes(workspace)
    silenced: set[Silenced] = set()
    used: set[str] = set()
    for journey in workspace.journeys:
        key = basis and journey.src.file.digest and f"{basis}:{journey.src.file.digest}"
        checked = memo.get(key) if memo is not None and key else None
        if checked is None:
            checked = _journey(journey, workspace, enabled, today, echo)
            if memo is not None and key:
                memo[key] = checked
        if key:
            used.add(key)
        silenced.update(checked[1])
        yield from checked[0]
    if memo is not None:  # the journeys as they were before an edit go
        for stale in [key for key in memo if key not in used]:
            del memo[stale]
    unjudged = _unjudged(workspace)
    ran: list[str] = []
    for rule, setting in enabled:
        context = RuleContext(today, setting.options, tuple(ran), silenced, unjudged)
        ran.append(rule.ID)
        check = parts(rule)[1]
        if check is not None:
            findings = check(workspace, context)
            yield from _reported(rule, setting, findings, silenced, unjudged, echo)


def _journey(
    journey: Journey,
    workspace: Workspace,
    enabled: list[tuple[Rule, RuleSetting]],
    today: datetime.date,
    echo: _Echoes,
) -> Checked:
    unjudged = set(kinds.within(journey)) if journey.dropped_ids else set()
    silenced: set[Silenced] = set()
    problems: list[Problem] = []
    for rule, setting in enabled:
        check = parts(rule)[0]
        if check is not None:
            findings = check(journey, workspace, RuleContext(today, setting.options))
            problems.extend(_reported(rule, setting, findings, silenced, unjudged, echo, journey))
    return tuple(problems), tuple(sorted(silenced))


def _reported(
    rule: Rule,
    setting: RuleSetting,
    findings: Iterable[Finding],
    silenced: set[Silenced],
    unjudged: Collection[Entity],
    echo: _Echoes,
    journey: Journey | None = None,
) -> Iterator[Problem]:
    """The findings that no waiver silences (each waiver that does goes to
    ``silenced``) and that may not be echoes, as problems."""
    assert setting.level is not None
    for finding in findings:
        waivers = [s for s in finding.subjects if rule.ID in s.waive]
        silenced.update(silence(s, rule.ID) for s in waivers)
        if waivers or (
            rule.ID not in _EXACT_ON_PARTIAL
            and any(s in unjudged or echo(s, rule.SETTLED_BY, journey) for s in finding.subjects)
        ):
            continue
        yield finding.src.problem(
            rule.ID, setting.level, finding.message, finding.hint, key=finding.key
        )
