"""How a KPI's numbers are written, everywhere: one formatter for targets,
values and changes by the KPI's unit, and one answer to "is it on target?".

======== ====================== ===========
unit     a value                a change
======== ====================== ===========
percent  ``85 %``               ``+2 pp``
seconds  ``7 min 30 s``, ``45 s`` ``-30 s``
minutes  ``15 min``             ``+2 min``
hours    ``1.5 h``              ``+0.5 h``
days     ``30 days``, ``1 day`` ``+2 days``
score    ``4.2 / 5``; ``+32`` on a scale below zero (NPS)  ``+0.1``
count    ``12,400``             ``+300``
currency ``1,234.50``           ``-12``
ratio    ``0.85``               ``+0.02``
======== ====================== ===========

A KPI's status is a :class:`Status`; behaviour keys on the member and never on
its words, which are :data:`WORDS` alone (``str(status)``), so rewording or
translating them changes what is shown and nothing else.

The site, the CLI's messages (``journeycode diff``) and the diagrams use it,
in the reader's language (:mod:`journeycode.i18n`): English as in the table,
every other language with the numbers and units of Babel's CLDR data
(``5 мин 10 с``, ``85 %``, ``4,2 из 5``; ``5分钟10秒``).
"""

from __future__ import annotations

import enum
import math

from journeycode import i18n
from journeycode.i18n import N_, _
from journeycode.model import Kpi, Measurement


class Status(enum.Enum):
    """Whether a KPI's latest measurement meets its target. The value is the
    status in exported data (a dashboard's key, never reworded); what a reader
    sees is its entry in :data:`WORDS`."""

    ON = "on target"
    OFF = "off target"

    def __str__(self) -> str:
        return _(WORDS[self])


WORDS: dict[Status, str] = {Status.ON: N_("on target"), Status.OFF: N_("off target")}
"""How each status reads, in every message, page and diagram (in English:
each is translated where it is shown)."""


def _infinite(number: float) -> str | None:
    """How a number too large to hold is shown (a difference of two of the
    largest values a map may give overflows to infinity)."""
    return None if math.isfinite(number) else ("-∞" if number < 0 else "∞")


def plain(number: float) -> str:
    """At most two decimals, no trailing zeros, thousands grouped."""
    shown = _infinite(number)
    if shown:
        return shown
    if not i18n.current().english:
        from babel.numbers import format_decimal

        return format_decimal(number, format="#,##0.##", locale=i18n.babel_locale())
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


_ENGLISH = {"percent": "{} %", "seconds": "{} s", "minutes": "{} min", "hours": "{} h"}
"""English's own short units, as journeycode always wrote them."""

_CLDR = {
    "percent": "percent",
    "seconds": "duration-second",
    "minutes": "duration-minute",
    "hours": "duration-hour",
    "days": "duration-day",
}
"""The CLDR unit of each KPI unit that has one."""


def _unit(number: float, unit: str) -> str:
    """``number`` (a size, unsigned) in ``unit``: ``85 %``, ``30 days``, ``5 мин``."""
    shown = plain(number)
    if i18n.current().english:
        if unit == "days":
            return "1 day" if number == 1 else f"{shown} days"
        return _ENGLISH[unit].format(shown)
    from babel.units import format_unit

    return format_unit(shown, _CLDR[unit], length="short", locale=i18n.babel_locale())


def _duration(seconds: float) -> str:
    shown = _infinite(seconds)
    if shown:
        return ("-" if seconds < 0 else "") + _unit(math.inf, "seconds")
    total = round(abs(seconds))
    sign = "-" if seconds < 0 and total else ""
    if total < 60:
        return sign + _unit(total, "seconds")
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [_unit(hours, "hours")] if hours else []
    parts += [_unit(minutes, "minutes")] if minutes or (hours and secs) else []
    parts += [_unit(secs, "seconds")] if secs else []
    if i18n.current().english:
        return sign + " ".join(parts)
    from babel.lists import format_list

    return sign + format_list(parts, style="unit-short", locale=i18n.babel_locale())


def value(number: float, kpi: Kpi) -> str:
    """A target or a measured value, in the KPI's unit."""
    return written(number, kpi.unit, kpi.range)


def written(number: float, unit: str, scale: tuple[float, float] | None) -> str:
    """A value in ``unit`` (a score's on its ``scale``): what :func:`value`
    writes, and a kept message's :class:`~journeycode.i18n.Figure` when said."""
    if unit == "seconds":
        return _duration(number)
    if unit in _CLDR:
        return ("-" if number < 0 else "") + _unit(abs(number), unit)
    if unit == "score" and scale is not None:
        low, high = scale
        if low < 0:
            return _signed(number)
        return _("{value} / {high}").format(value=plain(number), high=plain(high))
    return plain(number)


def _signed(number: float) -> str:
    """``+32``, ``-5``: a value on a scale that goes below zero."""
    if i18n.current().english:
        return f"{number:+g}"
    return ("+" if number > 0 else "") + plain(number)


def span(kpi: Kpi) -> str | None:
    """The KPI's range: ``0 % to 100 %``; a score's scale as ``1 to 5`` (each of
    its values says ``/ 5`` already) or ``-100 to +100``."""
    if kpi.range is None:
        return None
    low, high = kpi.range
    if kpi.unit == "score":
        shown = (_signed(low), _signed(high)) if low < 0 else (plain(low), plain(high))
    else:
        shown = (value(low, kpi), value(high, kpi))
    return _("{low} to {high}").format(low=shown[0], high=shown[1])


def delta(number: float, kpi: Kpi) -> str:
    """A change between two values, signed."""
    sign = "+" if number > 0 else "-" if number < 0 else "±"
    size = abs(number)
    unit = kpi.unit
    if unit == "percent":
        # Percentage points: a change of a percentage is not a percentage of it.
        return _("{sign}{size} pp").format(sign=sign, size=plain(size))
    if unit == "seconds":
        return sign + _duration(size)
    if unit in _CLDR:
        return sign + _unit(size, unit)
    return f"{sign}{plain(size)}"


def change(step: float, kpi: Kpi) -> str:
    """A change between two measurements, signed, and whether it is better or
    worse when the KPI says which way is better: ``-30 s, better``."""
    shown = delta(step, kpi)
    if step and kpi.direction:
        if (step > 0) == (kpi.direction == "higher"):
            return _("{change}, better").format(change=shown)
        return _("{change}, worse").format(change=shown)
    return shown


def target(kpi: Kpi) -> str | None:
    """``≤ 7 min``, ``≥ 75 %``: the target with the way that is better."""
    kept = target_figure(kpi)
    return None if kept is None else i18n.say(kept)


def figure(number: float, kpi: Kpi) -> i18n.Figure:
    """A value for a message the core keeps: :func:`value` when it is said."""
    return i18n.Figure(number, kpi.unit, kpi.range)


def target_figure(kpi: Kpi) -> i18n.Figure | None:
    """The target for a message the core keeps: :func:`target` when it is said."""
    if kpi.target is None:
        return None
    way = {"lower": "≤ ", "higher": "≥ "}.get(kpi.direction or "", "")
    return i18n.Figure(kpi.target, kpi.unit, kpi.range, way)


def latest(kpi: Kpi) -> Measurement | None:
    return max(kpi.measurements, key=lambda m: m.date, default=None)


def meets(number: float, kpi: Kpi) -> bool | None:
    """Whether ``number`` meets the target; None without a target and a direction."""
    if kpi.target is None or kpi.direction is None:
        return None
    return number <= kpi.target if kpi.direction == "lower" else number >= kpi.target


def judge(number: float, kpi: Kpi) -> Status | None:
    """On or off target; None without a target and a direction."""
    good = meets(number, kpi)
    if good is None:
        return None
    return Status.ON if good else Status.OFF


def missed(kpi: Kpi, periods: int = 1) -> list[int]:
    """The indexes of the KPI's ``periods`` newest measurements (by date, the
    newest last) when every one of them misses the target; empty when one
    meets it, when there are fewer, or without a target and a direction."""
    order = sorted(range(len(kpi.measurements)), key=lambda i: kpi.measurements[i].date)
    recent = order[-max(periods, 1) :]
    if len(recent) < periods:
        return []
    return recent if all(meets(kpi.measurements[i].value, kpi) is False for i in recent) else []


def status(kpi: Kpi) -> Status | None:
    """Whether the latest measurement is on target; None without data to say."""
    last = latest(kpi)
    return None if last is None else judge(last.value, kpi)
