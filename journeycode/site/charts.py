"""Small SVG charts of a KPI's measurements, inline in the pages (no JavaScript).

:func:`sparkline` is a trend for a table cell; :func:`chart` is the KPI
page's chart, and :func:`breakdown` its chart per channel or segment. All
draw the target as a dashed line and are scaled to the measurements and the
target, within the KPI's range. Values are numbers; every text (dates,
formatted values, the names of a breakdown's parts) goes through
:func:`journeycode.quoting.markdown_text`: the SVG sits inside a Markdown
page, which would read ``[x](javascript:…)`` in it as a link, so its text
must be inert as Markdown as well as XML. The output depends only on the KPI.
"""

from __future__ import annotations

from journeycode import values
from journeycode.model import Kpi, Measurement
from journeycode.quoting import markdown_text
from journeycode.render.emotion import PALETTE

GOOD, BAD, LINE, TARGET = "#2e7d32", "#c62828", "#3b6fb0", "#777777"
SERIES = len(PALETTE)


_FARTHEST = 1e300


def _scale(kpi: Kpi, points: list[Measurement]) -> tuple[float, float]:
    """The span drawn: the measurements and the target, with a margin, kept
    inside the KPI's range (a whole 0-3600 s range would flatten an AHT line)."""
    seen = [m.value for m in points] + ([kpi.target] if kpi.target is not None else [])
    # Clipped, so that the span of the largest values a map may hold stays finite.
    low, high = max(min(seen), -_FARTHEST), min(max(seen), _FARTHEST)
    margin = (high - low) * 0.15 or abs(high) * 0.1 or 1
    low, high = low - margin, high + margin
    if kpi.range is not None:
        low, high = max(low, kpi.range[0]), min(high, kpi.range[1])
    return (low - 1, high + 1) if low >= high else (low, high)


def _ordered(kpi: Kpi) -> list[Measurement]:
    return sorted(kpi.measurements, key=lambda m: m.date)


def _colour(kpi: Kpi, number: float) -> str:
    good = values.meets(number, kpi)
    return LINE if good is None else GOOD if good else BAD


def sparkline(kpi: Kpi, width: int = 120, height: int = 28) -> str:
    """One line of SVG: the measurements as a line, the last as a dot coloured
    on (green) or off (red) target, the target dashed."""
    points = _ordered(kpi)
    if not points:
        return ""
    low, high = _scale(kpi, points)
    pad = 4

    def x(index: int) -> float:
        return pad + (width - 2 * pad) * (index / max(len(points) - 1, 1))

    def y(number: float) -> float:
        return pad + (height - 2 * pad) * (high - number) / (high - low)

    parts = [
        f'<svg class="jc-spark" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="trend">'
    ]
    if kpi.target is not None:
        parts.append(
            f'<line x1="{pad}" y1="{y(kpi.target):.1f}" x2="{width - pad}" '
            f'y2="{y(kpi.target):.1f}" stroke="{TARGET}" stroke-dasharray="3,3"/>'
        )
    line = " ".join(f"{x(i):.1f},{y(m.value):.1f}" for i, m in enumerate(points))
    parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    last = points[-1]
    parts.append(
        f'<circle cx="{x(len(points) - 1):.1f}" cy="{y(last.value):.1f}" r="3" '
        f'fill="{_colour(kpi, last.value)}"/>'
    )
    return "".join(parts) + "</svg>"


def chart(kpi: Kpi, width: int = 640, height: int = 240) -> str:
    """The KPI page's chart: measurements over time, each point coloured on or
    off target, the target dashed and labelled, the scale's ends labelled."""
    return _chart(kpi, [("", LINE, _ordered(kpi))], width, height)


def breakdown(
    kpi: Kpi, series: list[tuple[str, list[Measurement]]], width: int = 640, height: int = 240
) -> str:
    """One line per part of a broken-down KPI (a channel, a segment …), in the
    colours of the legend under the chart; at most :data:`SERIES` lines."""
    coloured = [
        (name, PALETTE[index], sorted(points, key=lambda m: m.date))
        for index, (name, points) in enumerate(series[:SERIES])
    ]
    return _chart(kpi, coloured, width, height)


def _chart(
    kpi: Kpi, series: list[tuple[str, str, list[Measurement]]], width: int, height: int
) -> str:
    """Lines over the dates any of them has; a single unnamed series has its
    points coloured on or off target, named ones a legend."""
    every = [m for _, _, points in series for m in points]
    if not every:
        return ""
    dates = sorted({m.date for m in every})
    column = {date: index for index, date in enumerate(dates)}
    low, high = _scale(kpi, every)
    legend = [name for name, _, _ in series if name]
    left, right, top = 90, 20, 20
    plot_bottom = height - 40
    height += 18 * len(legend)  # the legend goes under the dates

    def x(date: str) -> float:
        return left + (width - left - right) * (column[date] + 0.5) / len(dates)

    def y(number: float) -> float:
        return top + (plot_bottom - top) * (high - number) / (high - low)

    parts = [
        f'<svg class="jc-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" '
        f'font-size="12" role="img" aria-label="measurements">',
        f'<rect x="{left}" y="{top}" width="{width - left - right}" '
        f'height="{plot_bottom - top}" fill="#fafafa" stroke="#dddddd"/>',
    ]
    for number in (low, high):
        parts.append(
            f'<text x="{left - 6}" y="{y(number) + 4:.1f}" text-anchor="end" fill="#555555">'
            f"{markdown_text(values.value(number, kpi))}</text>"
        )
    if kpi.target is not None:
        parts.append(
            f'<line x1="{left}" y1="{y(kpi.target):.1f}" x2="{width - right}" '
            f'y2="{y(kpi.target):.1f}" stroke="{TARGET}" stroke-dasharray="5,4"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(kpi.target) + 4:.1f}" text-anchor="end" '
            f'fill="{TARGET}">{markdown_text(values.target(kpi) or "")}</text>'
        )
    for name, colour, points in series:
        line = " ".join(f"{x(m.date):.1f},{y(m.value):.1f}" for m in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for m in points:
            fill = colour if name else _colour(kpi, m.value)
            said = f"{name}, " if name else ""
            parts.append(
                f'<circle cx="{x(m.date):.1f}" cy="{y(m.value):.1f}" r="4" fill="{fill}"><title>'
                f"{markdown_text(f'{said}{m.date}: {values.value(m.value, kpi)}')}</title></circle>"
            )
    # At most about eight dates under the axis, the newest always.
    for index, date in enumerate(dates):
        if (len(dates) - 1 - index) % -(-len(dates) // 8) == 0:
            parts.append(
                f'<text x="{x(date):.1f}" y="{plot_bottom + 18}" text-anchor="middle" '
                f'fill="#555555">{markdown_text(date)}</text>'
            )
    for index, (name, colour, _) in enumerate(s for s in series if s[0]):
        row = plot_bottom + 40 + 18 * index
        parts.append(
            f'<line x1="{left}" y1="{row - 4}" x2="{left + 22}" y2="{row - 4}" '
            f'stroke="{colour}" stroke-width="3"/>'
            f'<text x="{left + 30}" y="{row}">{markdown_text(name)}</text>'
        )
    return "".join(parts) + "</svg>"
