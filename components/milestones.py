"""Action milestones on a chart: a faint vertical line at each date and a marker with the action
and what happened (due: hollow triangle; completed: filled star), named in the legend."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from components.chart_text import chart_text
from domain.views.milestones import DUE, Milestone

MILESTONE_STYLE = {DUE: ("triangle-down-open", "Action due date"),
                   "completed": ("star", "Action completed<br>(first BLUE/GREEN report)")}


def add_milestones(figure: go.Figure, milestones: Sequence[Milestone], y_at: float,
                   row: int | None = None, col: int | None = None) -> None:
    for kind, (symbol, name) in MILESTONE_STYLE.items():
        points = [m for m in milestones if m.kind == kind]
        if not points:
            continue
        figure.add_trace(go.Scatter(
            x=[m.on for m in points], y=[y_at] * len(points), mode="markers", name=name,
            marker={"symbol": symbol, "size": 11, "color": "#3D3D3D"},
            text=[chart_text(m.label) for m in points],
            hovertemplate="%{text}: %{x|%d %b %Y}<extra></extra>",
            legendgroup=kind,
            showlegend=name not in {t.name for t in figure.data}),
            row=row, col=col)
        for m in points:
            figure.add_vline(x=m.on, line={"color": "#b1b4b6", "width": 1,
                                           "dash": "dot" if kind == DUE else "solid"},
                             row=row, col=col)
