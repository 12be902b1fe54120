"""The runner: every enabled rule of the registry over a workspace, at its
level, with waivers applied and echoes held back, each journey's findings kept.

A finding about an entity that is *unsettled* for its rule is held back: what
the rule judges there may be wrong only because of a problem reported elsewhere
(an id nobody defines, a part left out for a schema error, a file that could
not be read), and reporting it too would echo that problem. Which entities are
unsettled is found here, once; the rules only name the kinds they rest on
(``SETTLED_BY``).

Settings arrive resolved (:attr:`journeycode.config.Config.rules`, from
:data:`DEFAULTS` and the settings file): the rules never see the settings file.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import marshal
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping

from journeycode import halves, kinds
from journeycode.config import RuleSetting
from journeycode.model import Entity, Journey, Kpi, Touchpoint, Workspace
from journeycode.problems import Problem
from journeycode.rules import REGISTRY, duplicate_id, stale_waiver, unknown_reference
from journeycode.rules.base import Finding, Rule, RuleContext, Silenced, parts, silence

DEFAULTS: Mapping[str, RuleSetting] = {
    rule.ID: RuleSetting(rule.LEVEL, dict(rule.OPTIONS)) for rule in REGISTRY.values()
}
"""Each rule's own level and options, in the registry's order: what the
settings file overrides (see :func:`journeycode.config.load`)."""

# These rules are exact on a partial model, so nothing is unsettled for them.
# The others judge completeness, which the parts left out for schema errors,
# or files that could not be read, may settle.
_EXACT_ON_PARTIAL = frozenset({duplicate_id.ID, unknown_reference.ID, stale_waiver.ID})


def _unsettled_for_every_rule(workspace: Workspace) -> set[Entity]:
    """Every entity of the journeys that lost entities to schema errors."""
    return {
        entity
        for journey in workspace.entities(Journey)
        if journey.dropped_ids
        for entity in kinds.within(journey)
    }


class _Unsettled:
    """Whether an entity is unsettled for a rule's finding about it: the
    entity, an entity inside it (but for a journey), or, for a touchpoint, a
    touchpoint it leads to (by ``next`` or ``escalates_to``, transitively)
    refers to an entity of a kind the rule rests on (its ``SETTLED_BY``) that
    is not defined (unknown-reference reports that), was left out for schema
    errors, or may be defined in a file that could not be read."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.defined = {kind.name: workspace.by_id(kind.model) for kind in kinds.CATALOG}
        self.leading: dict[tuple[Journey, frozenset[str]], set[Entity]] = {}
        self.refers: dict[tuple[Entity, frozenset[str]], bool] = {}

    @functools.cached_property
    def journey_of(self) -> dict[Entity, Journey]:
        """Each touchpoint's journey (for a finding of a workspace part)."""
        return {tp: j for j in self.workspace.entities(Journey) for _, tp in j.touchpoints()}

    def __call__(
        self, subject: Entity, settled_by: frozenset[str], journey: Journey | None = None
    ) -> bool:
        """``journey``, when given, holds the subject."""
        # A finding about a whole journey (its review date, its owner) does not
        # rest on every touchpoint in it; one about a stage or a touchpoint does.
        inside = [subject] if kinds.of(subject) is kinds.JOURNEY else kinds.within(subject)
        if any(self.refers_to_unsettled(entity, settled_by) for entity in inside):
            return True
        if not isinstance(subject, Touchpoint):
            return False
        # A touchpoint's way out runs through the steps it leads to.
        journey = journey or self.journey_of.get(subject)
        return journey is not None and subject in self.leading_to_unsettled(journey, settled_by)

    def refers_to_unsettled(self, entity: Entity, settled_by: frozenset[str]) -> bool:
        """Whether the entity itself refers to an id of those kinds that is not
        settled (kept: a touchpoint may be a subject of a finding per step it
        leads to)."""
        found = self.refers.get((entity, settled_by))
        if found is None:
            found = self.refers[(entity, settled_by)] = any(
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
        found = self.leading.get((journey, settled_by))
        if found is None:
            by_id = journey.touchpoint_by_id
            leading: dict[Entity, list[Entity]] = {}
            for _, tp in journey.touchpoints():
                for ref, _, ident in kinds.references(tp):
                    if ref.target == "touchpoint" and ident in by_id:
                        leading.setdefault(by_id[ident], []).append(tp)
            todo: list[Entity] = [
                tp for _, tp in journey.touchpoints() if self.refers_to_unsettled(tp, settled_by)
            ]
            found = set(todo)
            while todo:
                for before in leading.get(todo.pop(), ()):
                    if before not in found:
                        found.add(before)
                        todo.append(before)
            self.leading[(journey, settled_by)] = found
        return found


Checked = tuple[tuple[Problem, ...], tuple[Silenced, ...]]
"""What the rules' journey parts found in one journey: its problems, and the
waivers that silenced a finding there."""

Memo = MutableMapping[str, Checked]
"""What the rules found in each journey, by the digest of the journey's file
and of all that the journey parts may rest on besides it (see :func:`_basis`):
a journey whose file did not change is not checked again while that stays
the same. A language server keeps one in memory, ``journeycode check`` on disk."""


def _basis(
    workspace: Workspace, settings: Mapping[str, RuleSetting], today: datetime.date
) -> str | None:
    """The digest of what a journey part may rest on besides its journey: the
    catalogs (by the digests of the files that define them, in order), KPIs'
    measurements (merged from files), what may be missing, the settings and
    today. None when some file has no digest (it was read without a cache)."""
    files = {e.src.file: None for kind in kinds.CATALOG for e in workspace.entities(kind.model)}
    if not all(file.digest for file in files):
        return None
    basis = (
        tuple(file.digest for file in files),
        tuple(
            tuple(tuple(vars(m).values()) for m in (*kpi.measurements, *kpi.breakdown))
            for kpi in workspace.entities(Kpi)
        ),
        sorted((kind, sorted(ids)) for kind, ids in workspace.shadow_ids.items()),
        sorted(workspace.shadow_words),
        sorted((kind, sorted(words)) for kind, words in workspace.pruned_words.items()),
        workspace.unreadable,
        repr(settings),
        today.isoformat(),
    )
    return hashlib.blake2b(marshal.dumps(basis), digest_size=20).hexdigest()


def run(
    workspace: Workspace,
    settings: Mapping[str, RuleSetting],
    today: datetime.date,
    memo: Memo | None = None,
    save: Callable[[], object] | None = None,
) -> Iterator[Problem]:
    """Every enabled rule over the workspace at its level in ``settings`` (by
    rule id), with waivers applied: each journey's part of the rules (kept in
    ``memo``), then the parts that look at the whole workspace, in the
    registry's order. With ``save`` (which writes the memo's new entries
    where another process reads them), the journeys not in the memo are
    checked on two cores first (:mod:`journeycode.halves`)."""
    enabled = [
        (rule, setting)
        for rule in REGISTRY.values()
        if (setting := settings[rule.ID]).level is not None
    ]
    basis = _basis(workspace, settings, today) if memo is not None else None
    unsettled = _Unsettled(workspace)
    silenced: set[Silenced] = set()
    used: set[str] = set()

    def key_of(journey: Journey) -> str | None:
        return basis and journey.src.file.digest and f"{basis}:{journey.src.file.digest}"

    if memo is not None and save is not None:
        new = [
            (j, key) for j in workspace.entities(Journey) if (key := key_of(j)) and key not in memo
        ]

        def check_one(item: tuple[Journey, str]) -> None:
            memo[item[1]] = _journey(item[0], workspace, enabled, today, unsettled)

        halves.in_two(new, check_one, save)
    for journey in workspace.entities(Journey):
        key = key_of(journey)
        checked = memo.get(key) if memo is not None and key else None
        if checked is None:
            checked = _journey(journey, workspace, enabled, today, unsettled)
            if memo is not None and key:
                memo[key] = checked
        if key:
            used.add(key)
        silenced.update(checked[1])
        yield from checked[0]
    if memo is not None:
        # The journeys as they were before an edit go, but for those checked
        # on another basis last (the latest kept): a line broken while typing
        # makes a file unreadable, which changes every journey's basis, and
        # the edit that mends it brings that basis back.
        stale = [key for key in memo if key not in used]
        others = (key.split(":", 1)[0] for key in reversed(stale))
        previous = next((other for other in others if other != basis), None)
        for key in stale:
            if not key.startswith(f"{previous}:"):
                del memo[key]
    for_every_rule = _unsettled_for_every_rule(workspace)
    ran: list[str] = []
    for rule, setting in enabled:
        context = RuleContext(
            today, REGISTRY.keys(), setting.options, tuple(ran), silenced, for_every_rule
        )
        ran.append(rule.ID)
        check = parts(rule)[1]
        if check is not None:
            findings = check(workspace, context)
            yield from _reported(rule, setting, findings, silenced, for_every_rule, unsettled)


def _journey(
    journey: Journey,
    workspace: Workspace,
    enabled: list[tuple[Rule, RuleSetting]],
    today: datetime.date,
    unsettled: _Unsettled,
) -> Checked:
    for_every_rule = set(kinds.within(journey)) if journey.dropped_ids else set()
    silenced: set[Silenced] = set()
    problems: list[Problem] = []
    for rule, setting in enabled:
        check = parts(rule)[0]
        if check is not None:
            context = RuleContext(today, REGISTRY.keys(), setting.options)
            findings = check(journey, workspace, context)
            problems.extend(
                _reported(rule, setting, findings, silenced, for_every_rule, unsettled, journey)
            )
    return tuple(problems), tuple(sorted(silenced))


def _reported(
    rule: Rule,
    setting: RuleSetting,
    findings: Iterable[Finding],
    silenced: set[Silenced],
    for_every_rule: Collection[Entity],
    unsettled: _Unsettled,
    journey: Journey | None = None,
) -> Iterator[Problem]:
    """The findings that no waiver silences (each waiver that does goes to
    ``silenced``) and whose subjects are settled, as problems."""
    assert setting.level is not None
    for finding in findings:
        waivers = [s for s in finding.subjects if rule.ID in s.waive]
        silenced.update(silence(s, rule.ID) for s in waivers)
        if waivers or (
            rule.ID not in _EXACT_ON_PARTIAL
            and any(
                s in for_every_rule or unsettled(s, rule.SETTLED_BY, journey)
                for s in finding.subjects
            )
        ):
            continue
        yield finding.problem(rule.ID, setting.level)
