"""The pipeline's own checks, by rule id, with their documentation.

Reading a file (``load``), its format (``schema``), the rows of measurement
files (``measurements``, and the ``measurement-…`` checks for the figures a
file would lose: a code, a column, a period, a value given twice) and the
contact flows' files (``flows``) are no rule modules: the stages of the
pipeline report them, always as errors, and the settings file cannot
configure them. Their ids and their pages are here, once; the reporters, the
settings file and the documentation read them from this table.
"""

from __future__ import annotations

from collections.abc import Mapping

from journeycode.problems import Level

LOAD = "load"
SCHEMA = "schema"
MEASUREMENTS = "measurements"
MEASUREMENT_CODE = "measurement-code"
MEASUREMENT_COLUMN = "measurement-column"
MEASUREMENT_PERIOD = "measurement-period"
MEASUREMENT_TWICE = "measurement-twice"
FLOWS = "flows"

LEVEL = Level.ERROR
"""The level of every problem of these checks."""

DOCS: Mapping[str, str] = {
    LOAD: """A file that cannot be read as a journeycode map.

Maps are reviewed by people, so the reader is strict: safe YAML only (no
anchors, aliases, merge keys or tags), YAML 1.2 values (only true and false are
booleans; dates stay text), no duplicate keys, UTF-8 only, nesting of at most
64 levels, files of at most 5 MB, no symlinks. An empty file is an error too:
a file in the workspace that holds nothing is almost always a mistake. Each
problem points at the offending line and column.
""",
    SCHEMA: """A file that breaks the journeycode format (the JSON Schema).

Unknown keys, missing required keys, values of the wrong type, ids that are
not slugs, dates that are not YYYY-MM-DD, emotions outside -2..2. The entity at
fault is left out of the model, and the rest of the file is still checked.
`journeycode schema` prints the schema; editors use it for completion and
hover documentation.
""",
    MEASUREMENTS: """A row of a measurement file (CSV) that cannot be used.

Measurement files sit below the workspace's `measurements/` folder: a header
row with `kpi`, `period_end` (YYYY-MM-DD) and `value`, and optionally
`journey`, `stage`, `channel` and `segment`, which break a KPI down. Headers
of another tool's export are mapped in `journeycode.yaml`
(`measurements: {columns: {kpi: Metric, period_end: Interval End, value: Value}}`).
A row with a date that is not a date, or a value that is not a number (a
comma is not a decimal mark here) or is outside the KPI's range, is reported
at its cell and left out; the other rows are used. What would lose a file's
figures has a check of its own: `measurement-code`, `measurement-column`,
`measurement-period` and `measurement-twice`.

Exports read as they come are sources (`measurements: sources:`), each with
its delimiter, decimal mark, encoding, shape (`long` or `wide`), period form
and codes; their problems are the same, and besides: a file in another
encoding than the source's, a header of one column (another delimiter), and
a computed KPI (`measurements: kpis:`) that names an unknown KPI or a metric
no source gives, at its line in the settings.
""",
    MEASUREMENT_CODE: """A measurement row's KPI or code that names no KPI.

A row of a measurement file names its KPI by id; a source's export names it
by the platform's code (`AHT`, `nOffered`), which its `codes:` map to a KPI or
to a metric a computed KPI sums. A code that is neither is reported once for
all its rows, at the first, with how many rows it leaves out and the KPI it
most likely means, as the mapping that reads it (`AHT: aht`).
""",
    MEASUREMENT_COLUMN: """A measurement file's header without a column it must have.

The header of a measurement file must name `kpi`, `period_end` and `value`
(or the headers mapped under `measurements: columns:`); a source's header the
period column and the columns it names (`columns:`). A file whose header lacks
one is not read, the problem at its header with the column it most likely
means. A header of one column is most often another delimiter: that is said
instead (`measurements`).
""",
    MEASUREMENT_PERIOD: """A source's periods that fall in no period of its KPIs.

A computed KPI (`measurements: kpis:`) sums its metrics over its period (a
month by default, `period:` per KPI). A file's periods must each fall in one
such period: days and weeks sum to weeks, days and months to months, but an
ISO week straddles two months. A file of weeks summed to months is reported
at its header, with the metric it leaves out and the period that would sum it.
""",
    MEASUREMENT_TWICE: """A KPI or metric given twice for one period and part.

Each KPI has one value per period and breakdown (journey, stage, channel,
segment): a row that measures a KPI and period already measured, in a map, a
file or a source, or computed from a source's metrics, is reported at its row
with where the first one is. A metric two sources give for the same period and
part is reported too: summing both would count the contacts twice.
""",
    FLOWS: """A contact flow's file that cannot be read.

Flow files sit below the workspace's `flows/` folder (`flows: {path: …}` in
`journeycode.yaml` moves it): Amazon Connect flows as exported (`StartAction`,
`Actions`; bare, as the `Content` of a CloudFormation `AWS::Connect::ContactFlow`
or of the API's description of a flow, or as the `content` of a Terraform
resource) and Twilio Studio flows (`initial_state`, `states`; bare or as
`definition`). A file that is not JSON, holds no flow, or a flow whose start
or transitions name a step it does not have, is reported at its line and
column; a flow id (the file's name without `.json`) used twice too.

A flow the settings speak of (`flows: {files: {FLOW: {queues: …}}}`) that no
flow file holds is reported where the settings name it, with the closest
flow id.
""",
}
"""Each check's documentation: its summary line, a blank line, the rest."""
