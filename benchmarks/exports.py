"""A contact centre's interval export for the benchmark: one row per
15-minute interval and queue, a column per metric (counts and sums), one file
a month, as a workforce-management tool writes them; and a workspace whose
settings read it (``measurements: sources:``) and compute three KPIs from it."""

from __future__ import annotations

import datetime
from pathlib import Path

KPIS = """\
kpis:
  - {id: aht, name: Average handle time, kind: operational, unit: seconds, direction: lower,
     target: 330}
  - {id: service-level, name: Service level, kind: operational, unit: percent,
     direction: higher, range: [0, 100], target: 80}
  - {id: abandonment, name: Abandonment, kind: operational, unit: percent, direction: lower,
     range: [0, 100], target: 5}
"""
SETTINGS = """\
measurements:
  sources:
    - files: exports
      shape: wide
      period: {column: interval, form: interval}
      columns: {segment: queue}
  kpis:
    aht: {sum: handle_time, per: handled}
    service-level: {sum: in_sla, per: offered}
    abandonment: {sum: abandoned, per: offered}
"""


def write(folder: Path, queues: int, days: int) -> list[Path]:
    """The workspace in ``folder``; the export's files, a month each (or part of one)."""
    import polars as pl

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kpis.yaml").write_text(KPIS, "utf-8")
    (folder / "journeycode.yaml").write_text(SETTINGS, "utf-8")
    exports = folder / "exports"
    exports.mkdir(exist_ok=True)
    start = datetime.datetime(2026, 1, 1)
    stop = start + datetime.timedelta(days=days)
    names = pl.DataFrame({"queue": [f"queue-{q:03d}" for q in range(queues)]})
    files = []
    month = start
    while month < stop:
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = min(following, stop)
        intervals = pl.datetime_range(month, end, "15m", closed="left", eager=True)
        frame = pl.DataFrame({"interval": intervals}).join(names, how="cross")
        # Figures that vary by interval and queue, the same on every run.
        seed = (
            pl.col("interval").dt.epoch("s") // 900
            + pl.col("queue").str.slice(6).cast(pl.Int64) * 7
        )
        frame = frame.with_columns(offered=seed % 37 + 3).with_columns(
            handled=pl.col("offered") - seed % 3,
            handle_time=pl.col("offered") * 300 + seed % 113,
            in_sla=(pl.col("offered") - seed % 5).clip(0),
            abandoned=seed % 3,
            interval=pl.col("interval").dt.strftime("%Y-%m-%dT%H:%M:%S"),
        )
        path = exports / f"intervals-{month:%Y-%m}.csv"
        frame.write_csv(path)
        files.append(path)
        month = following
    return files
