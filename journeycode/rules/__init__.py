"""The rules: one module each, registered here explicitly."""

from __future__ import annotations

from collections.abc import Iterator

from journeycode.model import Workspace
from journeycode.problems import Problem
from journeycode.rules import duplicate_id, unknown_reference
from journeycode.rules.base import Finding, Rule

__all__ = ["REGISTRY", "Finding", "Rule", "run"]

REGISTRY: dict[str, Rule] = {
    duplicate_id.ID: duplicate_id,
    unknown_reference.ID: unknown_reference,
}


def run(workspace: Workspace) -> Iterator[Problem]:
    """Every rule over the workspace, at its default level."""
    for rule in REGISTRY.values():
        for finding in rule.check(workspace, {}):
            yield finding.src.problem(
                rule.ID, rule.LEVEL, finding.message, finding.hint, key=finding.key
            )
