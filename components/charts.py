"""Plotly figures. Colours follow the UK Government Analysis Function palette; each series also
differs by line dash and marker shape, so no series is told apart by colour alone."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

from components.chart_status import status_marker_trace
from components.chart_style import chart_font
from components.chart_text import chart_text
from domain.views.indicator import IndicatorView

# Analysis Function categorical palette (dark blue, turquoise, dark pink, orange, purple).
SERIES_COLOURS = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
SERIES_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
SERIES_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
TARGET_COLOUR = "#3D3D3D"
GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def chart_template() -> go.layout.Template:
    """plotly's "simple_white" look (white ground, axis lines, ticks, fonts) without its
    defaults for the two dozen trace types these charts never draw (only scatter, whose
    default is a fill pattern with no shape: nothing drawn): the same picture for about half
    the work of building a figure, and half the JSON to send. A Template object, not a dict:
    `update_layout` merges a dict into the default template (keeping plotly's own defaults for
    every trace type) but replaces the template with a Template. Each figure gets a copy."""
    return _CHART_TEMPLATE


_CHART_TEMPLATE = go.layout.Template(layout=pio.templates["simple_white"].layout)


def wrap_title(text: str, width: int = 30) -> str:
    """Break a long chart title into lines, so it is not cut off on a 320 px wide screen; each
    line escaped (`chart_text`), joined by the one markup a title holds, <br>."""
    return "<br>".join(chart_text(line) for line in textwrap.wrap(text, width)) or chart_text(text)


def _series_trace(name, observations, kpi, index: int) -> go.Scatter:
    return go.Scatter(
        x=[o.period.end for o in observations], y=[o.value for o in observations],
        name=chart_text(name), mode="lines+markers",
        line={"color": SERIES_COLOURS[index % 6], "width": 3 if index == 0 else 2,
              "dash": SERIES_DASHES[index % 6]},
        marker={"symbol": SERIES_SYMBOLS[index % 6], "size": 8},
        customdata=[[o.period.label, kpi.format_value(o.value)] for o in observations],
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>" + chart_text(name) + "</extra>",
    )


def indicator_figure(view: IndicatorView) -> go.Figure:
    kpi = view.kpi
    figure = go.Figure()
    figure.add_trace(_series_trace("Whole authority", view.values, kpi, 0))
    for index, (area, observations) in enumerate(view.areas.items(), start=1):
        figure.add_trace(_series_trace(area, observations, kpi, index))
    dates = [o.period.end for o in view.values] + [kpi.due_date]
    figure.add_trace(go.Scatter(
        x=[min(dates), max(dates)], y=[kpi.target, kpi.target], mode="lines",
        name=chart_text(f"Target {kpi.target_label}"), hoverinfo="skip",
        line={"color": TARGET_COLOUR, "dash": "dash", "width": 2}))
    if view.trajectory:
        (start, start_value), (end, end_value) = view.trajectory
        figure.add_trace(go.Scatter(
            x=[start, end], y=[start_value, end_value], mode="lines",
            name="Trajectory from baseline", hoverinfo="skip",
            line={"color": "#A285D1", "dash": "dot", "width": 2}))
    status_marker = status_marker_trace(view)
    if status_marker is not None:
        figure.add_trace(status_marker)
    # Shapes and annotations set in one go (plotly re-validates all of them on each add_*).
    figure.update_layout(
        shapes=[{"type": "line", "x0": kpi.due_date, "x1": kpi.due_date, "xref": "x",
                 "y0": 0, "y1": 1, "yref": "y domain",
                 "line": {"color": TARGET_COLOUR, "dash": "dot", "width": 1.5}}],
        annotations=[{"x": kpi.due_date, "y": 1, "yref": "paper", "yanchor": "bottom",
                      "showarrow": False, "text": f"Due {kpi.due_date:%b %Y}",
                      "font": {"size": 13}}],
        template=chart_template(), height=460, margin={"l": 60, "r": 20, "t": 40, "b": 110},
        font=chart_font(),
        # The legend's top below the axis title, never over it (issue 15).
        legend={"orientation": "h", "y": -0.22, "yanchor": "top"},
        yaxis={"title": {"text": chart_text(kpi.unit_label)}, "rangemode": "tozero"
               if kpi.unit != "percent" else "normal"},
        xaxis={"title": {"text": "Period end"}},
        hovermode="x unified",
    )
    return figure
