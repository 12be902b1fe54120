"""The emotion curve: per persona, one point per stage, as SVG.

Written directly (no plotting library): stages as bands, touchpoints as
columns, the emotion scale from -2 (frustrated) to +2 (delighted). The
touchpoints of a stage are alternatives (a customer uses one or another), so
no line joins them: each is a dot, and the stage's point is their mean, with a
bar from the lowest to the highest; the line joins stage points, with a gap
where a persona does not pass a stage or has no emotion there. All text is
escaped through :mod:`journeycode.quoting`. The output depends only on the map.
"""

from __future__ import annotations

from journeycode import naming
from journeycode.i18n import N_, _
from journeycode.model import Journey, Persona, Workspace
from journeycode.queries import emotion_for
from journeycode.quoting import display_width, wrap, xml_text

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")
COLUMN = 96
LEFT = 110
TOP = 90
PLOT = 240
FONT = "Arial, Helvetica, sans-serif"
SCALE = {2: N_("+2 delighted"), 1: "+1", 0: N_("0 neutral"), -1: "-1", -2: N_("-2 frustrated")}
CHAR = 6.6  # px per column of 11 px text, generous


def _y(value: float) -> float:
    return TOP + (2 - value) * PLOT / 4


def emotion_svg(workspace: Workspace, journey: Journey) -> str:
    touchpoints = journey.touchpoints()
    personas = list(journey.personas)
    width = LEFT + max(len(touchpoints), 1) * COLUMN + 40
    label_lines = [wrap(tp.name, 14) for _, tp in touchpoints]
    labels_height = 16 * max((len(lines) for lines in label_lines), default=1) + 10
    legend_top = TOP + PLOT + labels_height + 20
    height = legend_top + 22 * (len(personas) + 1) + 20
    names = {p: naming.name(workspace.by_id(Persona), p) for p in personas}
    legend_width = max((display_width(n) for n in names.values()), default=0) * CHAR + 60
    title = _("Emotion curve: {journey}").format(journey=journey.name)
    note = _(
        "Large dot: the stage, the mean of the touchpoints a persona uses there; bar: "
        "lowest to highest; small dots: those touchpoints, alternatives, not steps."
    )
    # The title (16 px bold) and the note are one line each: the curve is as wide as
    # they are, or they would run off its right edge (in Chinese, most of them).
    words = max(display_width(title) * CHAR * 16 / 11 * 1.1, display_width(note) * CHAR)
    width = max(width, int(LEFT + legend_width), int(LEFT + words + 20))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">',
        f"<title>{xml_text(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
        f'<text x="{LEFT}" y="24" font-size="16" font-weight="bold">{xml_text(title)}</text>',
    ]
    out += _stage_bands(journey)
    out += _scale(len(touchpoints))
    out += _touchpoint_labels(label_lines)
    for number, persona in enumerate(personas):
        out += _persona_line(journey, persona, number)
        color = PALETTE[number % len(PALETTE)]
        legend_y = legend_top + number * 22
        out.append(f'<rect x="{LEFT}" y="{legend_y - 9}" width="22" height="4" fill="{color}"/>')
        out.append(f'<text x="{LEFT + 30}" y="{legend_y}">{xml_text(names[persona])}</text>')
    out.append(
        f'<text x="{LEFT}" y="{legend_top + len(personas) * 22}" fill="#555555">'
        + xml_text(note)
        + "</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _stage_bands(journey: Journey) -> list[str]:
    """A shaded band per stage over its touchpoints' columns, named on top."""
    out = []
    column = 0
    for index, stage in enumerate(journey.stages):
        span = len(stage.touchpoints)
        if span == 0:
            continue
        band = LEFT + column * COLUMN
        fill = "#f4f4f4" if index % 2 == 0 else "#ffffff"
        out.append(
            f'<rect x="{band}" y="{TOP - 48}" width="{span * COLUMN}" height="{PLOT + 48}" '
            f'fill="{fill}"/>'
        )
        title = wrap(stage.name, max(span * 14 - 2, 10))
        for row, line in enumerate(title):
            title_y = TOP - 8 - (len(title) - 1 - row) * 13
            out.append(
                f'<text x="{band + span * COLUMN / 2:.1f}" y="{title_y}" text-anchor="middle" '
                f'font-weight="bold">{xml_text(line)}</text>'
            )
        column += span
    return out


def _scale(columns: int) -> list[str]:
    out = []
    for level, text in SCALE.items():
        y = _y(level)
        dash = "" if level == 0 else ' stroke-dasharray="3,4"'
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + columns * COLUMN}" y2="{y:.1f}" '
            f'stroke="#bbbbbb"{dash}/>'
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#555555">'
            f"{xml_text(_(text))}</text>"
        )
    return out


def _touchpoint_labels(label_lines: list[list[str]]) -> list[str]:
    """Touchpoint names under the plot."""
    out = []
    for index, lines in enumerate(label_lines):
        center = LEFT + index * COLUMN + COLUMN / 2
        for row, line in enumerate(lines):
            out.append(
                f'<text x="{center:.1f}" y="{TOP + PLOT + 18 + row * 16}" text-anchor="middle">'
                f"{xml_text(line)}</text>"
            )
    return out


def _persona_line(journey: Journey, persona: str, number: int) -> list[str]:
    """Per stage, the persona's touchpoints there are alternatives, not steps:
    each is a small dot in its column; their mean is one point in the middle
    of the stage, with a bar from the lowest to the highest. Only the means of
    consecutive stages are joined; a stage the persona does not pass, or passes
    with no emotion given, leaves a gap."""
    color = PALETTE[number % len(PALETTE)]
    offset = (number - (len(journey.personas) - 1) / 2) * 2.5  # keep equal values apart
    out: list[str] = []
    segments: list[list[tuple[float, float]]] = [[]]
    column = 0
    for stage in journey.stages:
        felt = []
        for index, tp in enumerate(stage.touchpoints):
            emotion = emotion_for(tp, persona) if persona in journey.personas_at(tp) else None
            if emotion is not None:
                felt.append(emotion)
                x = LEFT + (column + index) * COLUMN + COLUMN / 2
                out.append(
                    f'<circle cx="{x:.1f}" cy="{_y(emotion) + offset:.1f}" r="2.5" '
                    f'fill="{color}" fill-opacity="0.55"/>'
                )
        center = LEFT + (column + len(stage.touchpoints) / 2) * COLUMN
        column += len(stage.touchpoints)
        if not felt:
            if segments[-1]:
                segments.append([])
            continue
        low, high = min(felt), max(felt)
        if low != high:
            out.append(
                f'<rect x="{center - 3:.1f}" y="{_y(high) + offset:.1f}" width="6" '
                f'height="{_y(low) - _y(high):.1f}" rx="3" fill="{color}" fill-opacity="0.25"/>'
            )
        segments[-1].append((center, _y(sum(felt) / len(felt)) + offset))
    for part in segments:
        if len(part) > 1:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in part)
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{color}" '
                'stroke-width="2.5" stroke-linejoin="round"/>'
            )
        for px, py in part:
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{color}" '
                'stroke="white" stroke-width="1.5"/>'
            )
    return out
