"""A static, server-made SVG trend chart of one KPI against its target: for the meeting-room
display and the board pack, where a handful of plotly graphs would be slow to draw on a screen
left running for hours and unreliable to print."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from dash import html

from components.chart_style import FONT_FAMILY, TEXT_COLOUR
from components.charts import SERIES_COLOURS, TARGET_COLOUR
from domain.views.narrative import trend_sentence
from domain.rules.plan import Kpi
from domain.rules.rag import Observation

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 20, 20, 44, 40


FONT_SIZE = 22
_CHAR_WIDTH = 0.56 * FONT_SIZE  # Arial's average advance, for placing labels apart


@dataclass(frozen=True)
class Label:
    """A text label on the chart: where its baseline starts or ends, and the box it covers."""

    text: str
    x: float
    y: float  # the baseline
    anchor: str  # "start" or "end"

    @property
    def box(self) -> tuple[float, float, float, float]:
        width = len(self.text) * _CHAR_WIDTH
        left = self.x - width if self.anchor == "end" else self.x
        return left, self.y - FONT_SIZE * 0.8, left + width, self.y + FONT_SIZE * 0.25


def overlaps(a: Label, b: Label, gap: float = 2) -> bool:
    ax1, ay1, ax2, ay2 = a.box
    bx1, by1, bx2, by2 = b.box
    return not (ax2 + gap <= bx1 or bx2 + gap <= ax1 or ay2 + gap <= by1 or by2 + gap <= ay1)


def _covers(label: Label, point: tuple[float, float], reach: float = 6) -> bool:
    left, top, right, bottom = label.box
    x, y = point
    return left - reach <= x <= right + reach and top - reach <= y <= bottom + reach


def place_labels(value_text: str, point: tuple[float, float], target_text: str,
                 target_y: float, fixed: Sequence[Label], width: int, height: int,
                 points: Sequence[tuple[float, float]] = ()) -> tuple[Label, Label]:
    """The latest value's label and the target's, placed so that neither covers the other nor
    the period labels (`fixed`), and covering as little of the chart as can be: the value above
    or below its point (or clear of the target line beside it), the target above or below its
    line at the right or the left end. Of the pairs that fit, the one covering fewest of the
    chart's `points` (the target line counting as three) wins, in that order."""
    px, py = point
    values = [Label(value_text, px, py - 12, "end"), Label(value_text, px, py + 30, "end"),
              Label(value_text, px, target_y - 8, "end"),
              Label(value_text, px, target_y + 26, "end")]
    targets = [Label(target_text, width - RIGHT, target_y - 8, "end"),
               Label(target_text, LEFT, target_y - 8, "start"),
               Label(target_text, width - RIGHT, target_y + 26, "end"),
               Label(target_text, LEFT, target_y + 26, "start")]

    def inside(label: Label) -> bool:
        _, top, _, bottom = label.box
        return top >= 0 and bottom <= height

    fitting = [(value, target) for value in values for target in targets
               if inside(value) and inside(target) and not overlaps(value, target)
               and not any(overlaps(label, f) for label in (value, target) for f in fixed)]
    if not fitting:
        return values[0], targets[1]  # nothing fits everywhere: keep them at opposite ends
    def crosses_target(label: Label) -> bool:
        _, top, _, bottom = label.box
        return top <= target_y <= bottom

    return min(fitting, key=lambda pair: 3 * crosses_target(pair[0]) + sum(
        _covers(label, p) for label in pair for p in points[:-1]))


def _text(label: Label, bold: bool = False) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (f'<text x="{round(label.x, 1)}" y="{round(label.y, 1)}" '
            f'text-anchor="{label.anchor}" font-family="{FONT_FAMILY}" '
            f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}"{weight}>{escape(label.text)}</text>')


def trend_chart_svg(kpi: Kpi, observations: Sequence[Observation], width: int = WIDTH,
                    height: int = HEIGHT) -> str:
    """Values as a line with markers, the target as a labelled dashed line, the latest value
    and the first and last periods written on the chart (so it reads without axes or
    hovering), each label placed clear of the others."""
    values = [o.value for o in observations]
    scale = values + [kpi.target]
    low, high = min(scale), max(scale)
    span = (high - low) or abs(high) or 1.0
    low, high = low - span * 0.08, high + span * 0.08

    def y(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * (height - TOP - BOTTOM), 1)

    step = (width - LEFT - RIGHT) / max(len(values) - 1, 1)
    points = [(round(LEFT + i * step, 1), y(v)) for i, v in enumerate(values)]
    target_text = f"Target {kpi.target_label}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y(kpi.target)}" y2="{y(kpi.target)}" '
             f'stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="10 6"/>']
    colour = SERIES_COLOURS[0]
    if len(points) > 1:
        line = " ".join(f"{px},{py}" for px, py in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                     f'stroke-width="4" stroke-linejoin="round"/>')
    parts += [f'<circle cx="{px}" cy="{py}" r="5" fill="{colour}"/>' for px, py in points]
    if points:
        first, last = observations[0], observations[-1]
        periods = [Label(first.period.label, LEFT, height - 10, "start"),
                   Label(last.period.label, width - RIGHT, height - 10, "end")]
        value, target = place_labels(kpi.format_value(last.value), points[-1], target_text,
                                     y(kpi.target), periods, width, height, points)
        parts += [_text(target), _text(value, bold=True), *(_text(p) for p in periods)]
    else:
        parts.append(_text(Label(target_text, width - RIGHT, y(kpi.target) - 8, "end")))
        parts.append(_text(Label("No values yet", width / 2, height / 2, "middle")))
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
