"""One way to print a KPI's numbers: values, changes and targets by unit."""

from __future__ import annotations

import pytest

from journeycode import values
from journeycode.model import Kpi, Measurement


def _kpi(unit: str, **extra: object) -> Kpi:
    return Kpi(id="k", src=None, unit=unit, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unit", "scale", "number", "shown"),
    [
        ("percent", None, 85, "85 %"),
        ("percent", None, 72.456, "72.46 %"),
        ("seconds", None, 450, "7 min 30 s"),
        ("seconds", None, 420, "7 min"),
        ("seconds", None, 45, "45 s"),
        ("seconds", None, 3725, "1 h 2 min 5 s"),
        ("seconds", None, 3600, "1 h"),
        ("minutes", None, 15, "15 min"),
        ("hours", None, 1.5, "1.5 h"),
        ("score", (1, 5), 4.2, "4.2 / 5"),
        ("score", (-100, 100), 32, "+32"),
        ("score", (-100, 100), -4, "-4"),
        ("count", None, 12400, "12,400"),
        ("currency", None, 1234.5, "1,234.5"),
        ("ratio", None, 0.85, "0.85"),
    ],
)
def test_a_value_is_written_in_its_unit(
    unit: str, scale: tuple[float, float] | None, number: float, shown: str
) -> None:
    assert values.value(number, _kpi(unit, range=scale)) == shown


@pytest.mark.parametrize(
    ("unit", "scale", "shown"),
    [
        ("percent", (0, 100), "0 % to 100 %"),
        ("seconds", (0, 3600), "0 s to 1 h"),
        ("score", (1, 5), "1 to 5"),
        ("score", (0, 10), "0 to 10"),
        ("score", (-100, 100), "-100 to +100"),
        ("count", None, None),
    ],
)
def test_a_range_is_written_once_in_its_unit(
    unit: str, scale: tuple[float, float] | None, shown: str | None
) -> None:
    assert values.span(_kpi(unit, range=scale)) == shown


@pytest.mark.parametrize(
    ("unit", "number", "shown"),
    [
        ("percent", 2, "+2 pp"),
        ("seconds", -30, "-30 s"),
        ("seconds", 65, "+1 min 5 s"),
        ("minutes", 2, "+2 min"),
        ("score", 0.1, "+0.1"),
        ("count", 0, "±0"),
        # The difference of the largest values a map may hold overflows.
        ("seconds", 1.7e308 - -1.7e308, "+∞ s"),
        ("count", -1.7e308 - 1.7e308, "-∞"),
    ],
)
def test_a_change_is_signed_in_its_unit(unit: str, number: float, shown: str) -> None:
    assert values.delta(number, _kpi(unit)) == shown


def test_targets_say_which_way_is_better_and_status_reads_the_latest_measurement() -> None:
    aht = _kpi(
        "seconds",
        direction="lower",
        target=420,
        # Written out of order: the latest is the newest date, not the last line.
        measurements=(Measurement("2026-10-31", 410), Measurement("2026-09-30", 480)),
    )
    assert values.target(aht) == "≤ 7 min"
    assert values.latest(aht) == Measurement("2026-10-31", 410)
    assert values.status(aht) is values.Status.ON
    fcr = _kpi(
        "percent", direction="higher", target=75, measurements=(Measurement("2026-10-31", 73),)
    )
    assert (values.target(fcr), values.status(fcr)) == ("≥ 75 %", values.Status.OFF)
    assert values.status(_kpi("percent", target=75)) is None  # no data, no direction
