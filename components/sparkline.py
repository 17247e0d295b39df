"""Small server-made SVG trend lines: one image per tile instead of a plotly graph each.

34 plotly graphs on one page cost the browser seconds; 34 tiny SVG images cost nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from dash import html

LINE_COLOUR = "#12436D"  # Analysis Function dark blue
TARGET_COLOUR = "#505a5f"


def sparkline_svg(values: Sequence[float], target: float | None = None, width: int = 132,
                  height: int = 36, pad: int = 4) -> str:
    """An SVG polyline of `values` with a dashed `target` line and the last point marked."""
    if not values:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'viewBox="0 0 {width} {height}"></svg>')
    scale_values = list(values) + ([target] if target is not None else [])
    low, high = min(scale_values), max(scale_values)
    span = (high - low) or 1.0

    def y(v: float) -> float:
        return round(pad + (high - v) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [(round(pad + i * step, 1), y(v)) for i, v in enumerate(values)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    if target is not None:
        parts.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y(target)}" y2="{y(target)}" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>')
    if len(points) > 1:
        polyline = " ".join(f"{x},{yy}" for x, yy in points)
        parts.append(f'<polyline points="{polyline}" fill="none" stroke="{LINE_COLOUR}" '
                     f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>')
    last_x, last_y = points[-1]
    parts.append(f'<circle cx="{last_x}" cy="{last_y}" r="3" fill="{LINE_COLOUR}"/>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline(values: Sequence[float], target: float | None, alt: str) -> html.Img:
    encoded = base64.b64encode(sparkline_svg(values, target).encode()).decode()
    return html.Img(src=f"data:image/svg+xml;base64,{encoded}", alt=alt, className="sparkline",
                    width=132, height=36)
