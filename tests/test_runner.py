"""The runner's inputs: settings resolved before it runs, the rules knowing
nothing of the settings file, and the pipeline's own checks in one table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from journeycode import config, pipeline_rules, rules, runner
from journeycode.problems import Level
from journeycode.rules.docs import DOCS
from tests.conftest import ROOT, write_files

PACKAGE = ROOT / "journeycode"


def _imported(module: Path) -> set[str]:
    """Every journeycode module a module imports, at the top or in a function."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.startswith("journeycode")}


def test_the_settings_and_the_rules_do_not_import_each_other() -> None:
    assert not {n for n in _imported(PACKAGE / "config.py") if n.startswith("journeycode.rules")}
    for module in sorted((PACKAGE / "rules").glob("*.py")):
        assert "journeycode.config" not in _imported(module), module.name
    # The registry is imported by no rule module: what a rule needs of it is in its context.
    for module in sorted((PACKAGE / "rules").glob("*.py")):
        if module.name not in ("__init__.py", "docs.py"):
            assert not {"journeycode.rules.REGISTRY"} & (_imported(module)), module.name


def test_every_rule_is_resolved_in_the_registrys_order(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {"journeycode.yaml": "rules:\n  after-hours: off\n  stale-review: {level: error}\n"},
    )
    settings = config.load(root, "", runner.DEFAULTS).rules
    assert list(settings) == list(rules.REGISTRY)
    assert settings["after-hours"] == config.RuleSetting(None, {})
    assert settings["stale-review"] == config.RuleSetting(Level.ERROR, {"max_age_days": 180})
    assert settings["transfer-chain"] == runner.DEFAULTS["transfer-chain"]
    assert config.load(tmp_path / "none", "", runner.DEFAULTS).rules == runner.DEFAULTS


@pytest.mark.parametrize("rule", list(pipeline_rules.DOCS))
def test_a_pipeline_check_cannot_be_configured(rule: str, tmp_path: Path) -> None:
    root = write_files(tmp_path, {"journeycode.yaml": f"rules:\n  {rule}: off\n"})
    with pytest.raises(config.ConfigError, match=f"rule '{rule}' is always an error"):
        config.load(root, "", runner.DEFAULTS)


def test_the_pipeline_checks_are_documented_first_and_always_errors() -> None:
    pipeline = list(pipeline_rules.DOCS)
    assert pipeline == [
        pipeline_rules.LOAD,
        pipeline_rules.SCHEMA,
        pipeline_rules.MEASUREMENTS,
        pipeline_rules.MEASUREMENT_CODE,
        pipeline_rules.MEASUREMENT_COLUMN,
        pipeline_rules.MEASUREMENT_PERIOD,
        pipeline_rules.MEASUREMENT_TWICE,
        pipeline_rules.FLOWS,
    ]
    assert list(DOCS) == [*pipeline, *rules.REGISTRY]
    assert {DOCS[rule].level for rule in pipeline} == {pipeline_rules.LEVEL} == {Level.ERROR}
    assert not set(pipeline) & set(rules.REGISTRY)
