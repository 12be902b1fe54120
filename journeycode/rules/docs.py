"""The documentation of every rule, from the rule modules' docstrings.

``load`` and ``schema`` are the pipeline's own checks; their pages are here.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from journeycode.problems import Level
from journeycode.rules import CONFIGURABLE

LOAD = """A file that cannot be read as a journeycode map.

Maps are reviewed by people, so the reader is strict: safe YAML only (no
anchors, aliases, merge keys or tags), YAML 1.2 values (only true and false are
booleans; dates stay text), no duplicate keys, UTF-8 only, nesting of at most
64 levels, files of at most 5 MB, no symlinks. An empty file is an error too:
a file in the workspace that holds nothing is almost always a mistake. Each
problem points at the offending line and column.
"""

SCHEMA = """A file that breaks the journeycode format (the JSON Schema).

Unknown keys, missing required keys, values of the wrong type, ids that are
not slugs, dates that are not YYYY-MM-DD, emotions outside -2..2. The entity at
fault is left out of the model, and the rest of the file is still checked.
`journeycode schema` prints the schema; editors use it for completion and
hover documentation.
"""


MEASUREMENTS = """A row of a measurement file (CSV) that cannot be used.

Measurement files sit below the workspace's `measurements/` folder: a header
row with `kpi`, `period_end` (YYYY-MM-DD) and `value`, and optionally
`journey`, `stage`, `channel` and `segment`, which break a KPI down. Headers
of another tool's export are mapped in `journeycode.yaml`
(`measurements: {columns: {kpi: Metric, period_end: Interval End, value: Value}}`).
A row naming an unknown KPI, with a date that is not a date, a value that is
not a number (a comma is not a decimal mark here) or is outside the KPI's range,
or measuring a KPI and period already measured, is reported at its cell and
left out; the other rows are used.
"""


@dataclass(frozen=True)
class Doc:
    id: str
    level: Level
    text: str

    @property
    def summary(self) -> str:
        return self.text.strip().splitlines()[0]


DOCS: dict[str, Doc] = {
    "load": Doc("load", Level.ERROR, LOAD),
    "schema": Doc("schema", Level.ERROR, SCHEMA),
    "measurements": Doc("measurements", Level.ERROR, MEASUREMENTS),
    **{
        rule.ID: Doc(rule.ID, rule.LEVEL, inspect.cleandoc(rule.__doc__ or ""))
        for rule in CONFIGURABLE.values()
    },
}
