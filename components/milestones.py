"""Action milestones on a chart: a faint vertical line at each date and a marker with the action
and what happened (due: hollow triangle; completed: filled star), named in the legend.

plotly re-validates every shape already on a figure each time `add_vline` or `add_shape` is
called, so marking milestones one call at a time costs the square of the marks (73 lines on
/explore took seconds). The lines are built here as plain dicts and set on the figure in one go.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from components.chart_text import chart_text
from domain.views.milestones import DUE, Milestone

MILESTONE_STYLE = {DUE: ("triangle-down-open", "Action due date"),
                   "completed": ("star", "Action completed<br>(first BLUE/GREEN report)")}
_LINE_COLOUR = "#b1b4b6"


def _axis_refs(figure: go.Figure, row: int | None, col: int | None) -> tuple[str, str]:
    """The x and y axis references of a subplot ("x2", "y2"), or of the only axes."""
    if row is None:
        return "x", "y"
    subplot = figure.get_subplot(row, col or 1)
    return (subplot.xaxis.plotly_name.replace("axis", ""),
            subplot.yaxis.plotly_name.replace("axis", ""))


def milestone_lines(milestones: Sequence[Milestone], xref: str = "x", yref: str = "y"
                    ) -> list[dict]:
    """One full-height vertical line per milestone on the given axes (what `add_vline` draws),
    dotted for a due date and solid for a completion."""
    return [{"type": "line", "x0": m.on, "x1": m.on, "xref": xref, "y0": 0, "y1": 1,
             "yref": f"{yref} domain",
             "line": {"color": _LINE_COLOUR, "width": 1,
                      "dash": "dot" if m.kind == DUE else "solid"}}
            for m in milestones if m.kind in MILESTONE_STYLE]


def add_milestone_markers(figure: go.Figure, milestones: Sequence[Milestone], y_at: float,
                          row: int | None = None, col: int | None = None) -> list[dict]:
    """Add one marker trace per kind of milestone (a legend entry each, once per figure) and
    give back the vertical lines for the caller to set with every other shape in one go."""
    shown = {t.name for t in figure.data}
    for kind, (symbol, name) in MILESTONE_STYLE.items():
        points = [m for m in milestones if m.kind == kind]
        if not points:
            continue
        figure.add_trace(go.Scatter(
            x=[m.on for m in points], y=[y_at] * len(points), mode="markers", name=name,
            marker={"symbol": symbol, "size": 11, "color": "#3D3D3D"},
            text=[chart_text(m.label) for m in points],
            hovertemplate="%{text}: %{x|%d %b %Y}<extra></extra>",
            legendgroup=kind, showlegend=name not in shown),
            row=row, col=col)
        shown.add(name)
    return milestone_lines(milestones, *_axis_refs(figure, row, col))


def add_milestones(figure: go.Figure, milestones: Sequence[Milestone], y_at: float,
                   row: int | None = None, col: int | None = None) -> None:
    """Markers and lines for one chart; a figure with several subplots should collect
    `add_milestone_markers`' lines and set them once."""
    lines = add_milestone_markers(figure, milestones, y_at, row, col)
    if lines:
        figure.update_layout(shapes=[*figure.layout.shapes, *lines])
