"""Whatever is in the files, check() returns problems: it never raises."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeycode import loader
from journeycode.compiler import check
from journeycode.schema import _fast_validator, _validator, schema

# Keys the format knows, so generated documents get deep into the schema.
_KEYS = sorted(
    {"journey", "id", "name"}
    | set(schema()["properties"])
    | {key for d in schema()["$defs"].values() for key in d.get("properties", {})}
)
_IDS = st.sampled_from(["a", "b", "busy-parent", "ivr", "Bad Id"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    _IDS,
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_KEYS), st.text(max_size=5)), inner, max_size=5),
    ),
    max_leaves=40,
)
_DOCUMENTS = st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents=st.lists(_DOCUMENTS, min_size=1, max_size=3))
def test_any_structure_gives_problems_not_exceptions(documents: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for index, document in enumerate(documents):
            text = yaml.safe_dump(document, allow_unicode=True)
            (Path(folder) / f"f{index}.yaml").write_text(text, encoding="utf-8")
        result = check(Path(folder))
    for problem in result.problems:
        assert problem.line >= 1
        assert problem.col >= 1


def _parses_or_fails_located(text: str) -> None:
    try:
        loader.parse(text)
    except loader.LoadError as error:
        assert error.line >= 1
        assert error.col >= 1


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_parses_or_gives_a_load_error(text: str) -> None:
    _parses_or_fails_located(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]{}:,-?&*!|>'\"# \n\tab0", max_size=80))
def test_yaml_punctuation_parses_or_gives_a_load_error(text: str) -> None:
    _parses_or_fails_located(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_DOCUMENTS)
def test_fast_and_reference_validators_agree(document: dict[str, Any]) -> None:
    """jsonschema-rs only decides that a file is valid; it must never accept
    what the message pass (jsonschema, patterns read as ECMA-262) rejects, nor
    the other way round."""
    assert _fast_validator().is_valid(document) == _validator().is_valid(document)


@pytest.mark.parametrize(
    "date", ["2026-02-28", "2026-02-30", "2026-13-01", "0000-01-01", "2024-02-29", "2026-1-01"]
)
def test_validators_agree_on_dates(date: str) -> None:
    document: dict[str, Any] = {
        "kpis": [
            {
                "id": "k",
                "name": "K",
                "kind": "outcome",
                "unit": "count",
                "measurements": [{"date": date, "value": 1}],
            }
        ]
    }
    assert _fast_validator().is_valid(document) == _validator().is_valid(document)


_CSV_PIECES = st.sampled_from(
    [",", '"', '""', "\r", "\n", "\r\n", "\0", " ", "x", "4.5", "aht", "2026-10-31", "\u2028", "é"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.sampled_from(["kpi,period_end,value", "kpi,note,period_end,value", "value,kpi,kpi"]),
    body=st.lists(_CSV_PIECES, max_size=60).map("".join),
)
def test_any_measurement_file_gives_problems_inside_it(header: str, body: str) -> None:
    """Line endings of every kind, quotes, NULs, line breaks in cells: the
    problems are located in the file (lines are ended by \\n, \\r\\n or \\r, as
    the csv module reads them) and check() never raises."""
    text = f"{header}\n{body}"
    lines = re.split(r"\r\n|\r|\n", text)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "measurements").mkdir()
        (Path(folder) / "measurements" / "m.csv").write_bytes(text.encode())
        (Path(folder) / "k.yaml").write_text(
            "kpis:\n  - {id: aht, name: AHT, kind: operational, unit: seconds}\n", "utf-8"
        )
        result = check(Path(folder), "")
    for problem in result.problems:
        if problem.path == "measurements/m.csv":
            assert 1 <= problem.line <= len(lines), problem
            assert 1 <= problem.col <= len(lines[problem.line - 1]) + 1, problem
            assert "\0" not in problem.message
