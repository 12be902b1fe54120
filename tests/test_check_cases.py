"""Workspaces as data (tests/cases/check/*.yaml): the exact problems each one gives.

Each case's files are written into a fresh workspace next to ``_catalog.yaml``
(as ``catalog.yaml``); ``expect`` lists every problem, in report order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeycode.compiler import check
from tests.conftest import CASES, write_files

FOLDER = CASES / "check"
CATALOG = (FOLDER / "_catalog.yaml").read_text(encoding="utf-8")


def _cases() -> list[Any]:
    params = []
    for path in sorted(FOLDER.glob("[!_]*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = write_files(tmp_path, {"catalog.yaml": CATALOG, **case["files"]})

    result = check(root, "")

    actual = [
        {"at": p.location, "rule": p.rule, "message": p.message, "hint": p.hint}
        for p in result.problems
    ]
    assert actual == [{"hint": None, **expected} for expected in case["expect"]]
