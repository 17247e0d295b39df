"""A static, server-made SVG trend chart of one KPI against its target: for the meeting-room
display and the board pack, where a handful of plotly graphs would be slow to draw on a screen
left running for hours and unreliable to print."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from dash import html

from components.chart_style import FONT_FAMILY, TEXT_COLOUR
from components.charts import SERIES_COLOURS, TARGET_COLOUR
from domain.views.narrative import trend_sentence
from domain.rules.plan import Kpi
from domain.rules.rag import Observation

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 20, 20, 44, 40


def trend_chart_svg(kpi: Kpi, observations: Sequence[Observation], width: int = WIDTH,
                    height: int = HEIGHT) -> str:
    """Values as a line with markers, the target as a labelled dashed line, the first and last
    values and periods written on the chart (so it reads without axes or hovering)."""
    values = [o.value for o in observations]
    scale = values + [kpi.target]
    low, high = min(scale), max(scale)
    span = (high - low) or abs(high) or 1.0
    low, high = low - span * 0.08, high + span * 0.08

    def y(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * (height - TOP - BOTTOM), 1)

    step = (width - LEFT - RIGHT) / max(len(values) - 1, 1)
    points = [(round(LEFT + i * step, 1), y(v)) for i, v in enumerate(values)]
    text = f'font-family="{FONT_FAMILY}" font-size="22" fill="{TEXT_COLOUR}"'
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y(kpi.target)}" y2="{y(kpi.target)}" '
             f'stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="10 6"/>',
             f'<text x="{width - RIGHT}" y="{y(kpi.target) - 8}" text-anchor="end" {text}>'
             f'Target {escape(kpi.target_label)}</text>']
    colour = SERIES_COLOURS[0]
    if len(points) > 1:
        line = " ".join(f"{px},{py}" for px, py in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                     f'stroke-width="4" stroke-linejoin="round"/>')
    parts += [f'<circle cx="{px}" cy="{py}" r="5" fill="{colour}"/>' for px, py in points]
    if points:
        (first_x, first_y), (last_x, last_y) = points[0], points[-1]
        first, last = observations[0], observations[-1]
        parts.append(f'<text x="{last_x}" y="{max(last_y - 12, 22)}" text-anchor="end" '
                     f'{text} font-weight="700">{escape(kpi.format_value(last.value))}</text>')
        parts.append(f'<text x="{LEFT}" y="{height - 10}" {text}>'
                     f'{escape(first.period.label)}</text>')
        parts.append(f'<text x="{width - RIGHT}" y="{height - 10}" text-anchor="end" {text}>'
                     f'{escape(last.period.label)}</text>')
    else:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" {text}>'
                     'No values yet</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(kpi: Kpi, observations: Sequence[Observation], chart_id: str | None = None,
                class_name: str = "trend-chart") -> html.Img:
    """The chart as an image whose text alternative is the trend in words."""
    encoded = base64.b64encode(trend_chart_svg(kpi, observations).encode()).decode()
    extra = {"id": chart_id} if chart_id else {}
    return html.Img(src=f"data:image/svg+xml;base64,{encoded}", className=class_name,
                    alt=trend_sentence(kpi, observations, subject=f"KPI {kpi.ref}"),
                    width=WIDTH, height=HEIGHT, **extra)
