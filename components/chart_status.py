"""The RAG status on a chart: the latest whole-authority value is marked with the status's shape,
its word beside it and the reason on hover, so the chart never signals status by colour alone."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import plotly.graph_objects as go

from components.chart_style import TEXT_COLOUR, chart_font
from components.chart_text import chart_text
from domain.views.indicator import IndicatorView
from domain.rules.rag import Rag

# Plotly marker shapes echoing the badge icons (cross, triangle, tick-like diamond, star, dash),
# and fills from the GOV.UK status colours in assets/app.css, each at least 3:1 against white
# except amber, which carries a dark outline (WCAG 1.4.11).
STATUS_MARKERS: Mapping[Rag, tuple[str, str]] = MappingProxyType({
    Rag.RED: ("x", "#d4351c"),
    Rag.AMBER: ("triangle-up", "#f47738"),
    Rag.GREEN: ("diamond", "#00703c"),
    Rag.BLUE: ("star", "#1d70b8"),
    Rag.NO_DATA: ("line-ew-open", "#505a5f"),
})
OUTLINE = TEXT_COLOUR


def status_marker_trace(view: IndicatorView) -> go.Scatter | None:
    """A one-point trace on the latest whole-authority value, or None when there is none."""
    if not view.values:
        return None
    status, latest = view.status, view.values[-1]
    symbol, colour = STATUS_MARKERS[status.status]
    word = status.status.display.word
    return go.Scatter(
        x=[latest.period.end], y=[latest.value], mode="markers+text",
        name=chart_text(f"Status as at {view.asat.label}: {word}"),
        text=[chart_text(word)], textposition="top center",
        textfont=chart_font(),
        marker={"symbol": symbol, "size": 18, "color": colour,
                "line": {"color": OUTLINE, "width": 1.5}},
        hovertemplate=chart_text(f"{word}: {status.reason}") + "<extra></extra>",
    )
