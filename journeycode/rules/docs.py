"""The documentation of every rule: the pipeline's own checks (from
:mod:`journeycode.pipeline_rules`), then the rule modules, from their docstrings.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from journeycode import pipeline_rules
from journeycode.problems import Level
from journeycode.rules import REGISTRY


@dataclass(frozen=True)
class Doc:
    id: str
    level: Level
    text: str

    @property
    def summary(self) -> str:
        return self.text.strip().splitlines()[0]


DOCS: dict[str, Doc] = {
    **{rule: Doc(rule, pipeline_rules.LEVEL, text) for rule, text in pipeline_rules.DOCS.items()},
    **{
        rule.ID: Doc(rule.ID, rule.LEVEL, inspect.cleandoc(rule.__doc__ or ""))
        for rule in REGISTRY.values()
    },
}
