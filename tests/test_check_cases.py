"""Workspaces as data: the exact problems each one gives.

``tests/cases/check/*.yaml`` hold cases for the loader-level rules, each file
naming the rules it compares; ``tests/cases/rules/RULE-ID.yaml`` hold the cases
of one rule each. Every case's files are written into a fresh workspace next
to the folder's ``_catalog.yaml`` (as ``catalog.yaml``); ``expect`` lists every
problem of the compared rules (plus ``load`` and ``schema``), in report order,
and where one gives a ``fix``, the text its quick fix writes (None: no fix).
A case with ``catalog: false`` brings all its own files.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeycode.compiler import check, compile_workspace
from journeycode.problems import Problem
from journeycode.review import compare
from journeycode.rules import REGISTRY
from tests.conftest import CASES, write_files

TODAY = datetime.date(2026, 11, 1)
ALWAYS = {"load", "schema"}


def _cases() -> list[Any]:
    params = []
    for folder in ("check", "rules"):
        for path in sorted((CASES / folder).glob("[!_]*.yaml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            rules = set(document["rules"]) if "rules" in document else {path.stem}
            for case in document["cases"]:
                params.append(
                    pytest.param(path.parent, rules, case, id=f"{path.stem}: {case['name']}")
                )
    return params


def test_every_rule_has_a_case_file() -> None:
    assert {p.stem for p in (CASES / "rules").glob("[!_]*.yaml")} == set(REGISTRY) - {
        "duplicate-id",
        "unknown-reference",
    }


@pytest.mark.parametrize(("folder", "rules", "case"), _cases())
def test_case(folder: Path, rules: set[str], case: dict[str, Any], tmp_path: Path) -> None:
    catalog = (folder / "_catalog.yaml").read_text(encoding="utf-8")
    shared = {"catalog.yaml": catalog} if case.get("catalog", True) else {}
    root = write_files(tmp_path, {**shared, **case["files"]})

    result = check(root, "", today=TODAY)

    actual = [
        {
            "at": p.location,
            "rule": p.rule,
            "message": p.message,
            "hint": p.hint,
            "fix": p.suggestion,
        }
        for p in result.problems
        if p.rule in rules | ALWAYS
    ]
    default_rule = next(iter(rules), None)
    expected = [{"hint": None, "rule": default_rule, **e} for e in case["expect"]]
    # The fix (what an editor's quick fix writes) is compared where a case gives one.
    for found, wanted in zip(actual, expected, strict=False):
        if "fix" not in wanted:
            del found["fix"]
    assert actual == expected


@pytest.mark.parametrize(("folder", "rules", "case"), _cases())
def test_each_problem_of_a_case_has_an_identity_of_its_own(
    folder: Path, rules: set[str], case: dict[str, Any], tmp_path: Path
) -> None:
    """The diff and ``check --new-since`` match problems by what they are about
    (place, rule, subject, detail), never by message: two problems of one
    revision with the same identity would let a new one pass for an old one.
    Where an id is defined twice, two entities share it, and so may their
    problems."""
    catalog = (folder / "_catalog.yaml").read_text(encoding="utf-8")
    shared = {"catalog.yaml": catalog} if case.get("catalog", True) else {}
    compiled = compile_workspace(
        write_files(tmp_path, {**shared, **case["files"]}), "", today=TODAY
    )
    if any(p.rule == "duplicate-id" for p in compiled.result.problems):
        return
    place = compare.places(compiled)
    seen: dict[tuple[str, ...], Problem] = {}
    for problem in compiled.result.problems:
        identity = compare.identity(problem, place)
        assert identity not in seen, f"{problem.message!r} and {seen[identity].message!r}"
        seen[identity] = problem
