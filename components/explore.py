"""The explore page: one figure (small multiples as subplots, or one overlaid chart of each KPI as
a percentage of its target) and a table that is its text alternative."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html
from plotly.subplots import make_subplots

from components import ids
from components.chart_style import chart_font
from components.charts import (GRAPH_CONFIG, wrap_title, SERIES_COLOURS, SERIES_DASHES, SERIES_SYMBOLS,
                               TARGET_COLOUR)
from components.chart_text import chart_text
from components.controls import labelled_dropdown, options
from components.milestones import add_milestones
from components.tables import rows_table
from domain.views.explore import PERCENT_OF_TARGET, SMALL_MULTIPLES, ExploreView, KpiSeries

ROLLING_COLOUR = "#A285D1"


def _style(index: int) -> dict:
    return {"line": {"color": SERIES_COLOURS[index % 6], "dash": SERIES_DASHES[index % 6],
                     "width": 3 if index == 0 else 2},
            "marker": {"symbol": SERIES_SYMBOLS[index % 6], "size": 7}}


def _multiples(view: ExploreView, comparator_traces=None) -> go.Figure:
    rows = max(len(view.series), 1)
    figure = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                           subplot_titles=[wrap_title(f"{s.kpi.ref}: {s.kpi.measure} ({s.kpi.unit_label})")
                                           for s in view.series] or [""])
    for row, series in enumerate(view.series, start=1):
        first = row == 1
        kpi = series.kpi
        figure.add_trace(go.Scatter(
            x=[o.period.end for o in series.values], y=[o.value for o in series.values],
            mode="lines+markers", name="Whole authority", legendgroup="whole",
            showlegend=first, **_style(0),
            customdata=[[o.period.label, kpi.format_value(o.value)] for o in series.values],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>" + chart_text(kpi.ref)
            + "</extra>"),
            row=row, col=1)
        if series.rolling:
            figure.add_trace(go.Scatter(
                x=[d for d, _ in series.rolling], y=[v for _, v in series.rolling], mode="lines",
                name="Rolling four-quarter average", legendgroup="rolling", showlegend=first,
                line={"color": ROLLING_COLOUR, "dash": "dot", "width": 2}), row=row, col=1)
        for index, (area, observations) in enumerate(series.areas.items(), start=1):
            figure.add_trace(go.Scatter(
                x=[o.period.end for o in observations], y=[o.value for o in observations],
                mode="lines+markers", name=chart_text(area), legendgroup=f"area-{chart_text(area)}",
                showlegend=chart_text(area) not in {t.name for t in figure.data},
                **_style(index)),
                row=row, col=1)
        if series.values:
            ends = [series.values[0].period.end, series.values[-1].period.end]
            figure.add_trace(go.Scatter(
                x=ends, y=[kpi.target] * 2, mode="lines", name="Target", legendgroup="target",
                showlegend=first, hoverinfo="skip",
                line={"color": TARGET_COLOUR, "dash": "dash", "width": 1.5}), row=row, col=1)
        if series.values:
            add_milestones(figure, series.milestones, min(o.value for o in series.values),
                           row=row, col=1)
        for trace in (comparator_traces or {}).get(kpi.ref, ()):
            trace.showlegend = trace.name not in {t.name for t in figure.data}
            figure.add_trace(trace, row=row, col=1)
    figure.update_layout(height=max(320, 260 * rows), template="simple_white",
                         margin={"l": 60, "r": 20, "t": 40, "b": 40},
                         font=chart_font(13),
                         legend={"orientation": "h", "y": -0.08 / rows * 2})
    return figure


def _percent_of_target(view: ExploreView) -> go.Figure:
    figure = go.Figure()
    for index, series in enumerate(view.series):
        percents = series.percent_of_target()
        figure.add_trace(go.Scatter(
            x=[o.period.end for o in series.values], y=percents, mode="lines+markers",
            name=chart_text(f"{series.kpi.ref} (target {series.kpi.target_label})"),
            **_style(index),
            hovertemplate="%{y:.0f}% of target<extra>" + chart_text(series.kpi.ref)
            + "</extra>"))
    figure.add_hline(y=100, line={"color": TARGET_COLOUR, "dash": "dash"},
                     annotation_text="Target (100%)")
    figure.update_layout(height=460, template="simple_white",
                         margin={"l": 60, "r": 20, "t": 30, "b": 40},
                         font=chart_font(13),
                         yaxis={"title": {"text": "Value as % of its target"}},
                         legend={"orientation": "h", "y": -0.15})
    return figure


def explore_figure(view: ExploreView, comparator_traces=None) -> go.Figure:
    if view.mode == PERCENT_OF_TARGET:
        return _percent_of_target(view)
    return _multiples(view, comparator_traces)


def _yoy_text(series: KpiSeries) -> str:
    yoy = series.year_on_year
    if yoy is None:
        return "no value a year before"
    kpi = series.kpi
    sign = "+" if yoy.change > 0 else ""
    unit = " points" if kpi.unit == "percent" else ""
    return (f"{sign}{yoy.change:.1f}{unit} on {yoy.year_before.period.label} "
            f"({kpi.format_value(yoy.year_before.value)})")


def summary_table(view: ExploreView) -> html.Div:
    rows = []
    for series in view.series:
        kpi, latest = series.kpi, series.values[-1] if series.values else None
        rolling = series.rolling[-1][1] if series.rolling else None
        areas = "; ".join(f"{a} {kpi.format_value(o[-1].value)}" for a, o in series.areas.items())
        rows.append((f"{kpi.ref}: {kpi.measure}",
                     f"{kpi.format_value(latest.value)} at {latest.period.label}"
                     if latest else "no value", kpi.format_value(rolling) if rolling else "-",
                     _yoy_text(series), areas or "-", kpi.target_label))
    return rows_table(("KPI", "Latest", "Rolling 4-quarter average", "Change on a year before",
                       "Areas (latest)", "Target"), rows,
                      "Latest values, rolling averages and change on the same quarter last year",
                      ids.EXPLORE_TABLE)


def explore_body(view: ExploreView, comparator_traces=None, comparator_notes=()) -> list:
    return [
        *[html.Div(e, className="alert alert-warning", role="alert") for e in view.errors],
        html.P("Choose at least one KPI." if not view.series else
               f"{len(view.series)} KPI{'s' if len(view.series) != 1 else ''}, "
               + ("small multiples" if view.mode == SMALL_MULTIPLES else "as % of target")
               + ".", id=ids.EXPLORE_STATUS, role="status"),
        html.Figure(dcc.Graph(id=ids.EXPLORE_CHART,
                              figure=explore_figure(view, comparator_traces),
                              config=GRAPH_CONFIG),
                    **{"aria-describedby": ids.EXPLORE_TABLE}, className="chart"),
        *[html.P(note, className="comparator-source") if isinstance(note, str) else note
          for note in comparator_notes],
        summary_table(view),
    ]


def explore_controls(kpi_choices, kpis, quarters, start, end, area_choices, areas, mode,
                     authority_choices=(), authority=None) -> html.Div:
    quarter_options = options([(q.slug, q.label) for q in quarters])
    return html.Div([
        labelled_dropdown(ids.EXPLORE_KPI, "KPIs",
                          options([(k.ref, f"{k.ref}: {k.measure}") for k in kpi_choices]),
                          list(kpis)),
        labelled_dropdown(ids.EXPLORE_FROM, "From", quarter_options, start, multi=False,
                          placeholder="First period"),
        labelled_dropdown(ids.EXPLORE_TO, "To", quarter_options, end, multi=False,
                          placeholder="Latest period"),
        labelled_dropdown(ids.EXPLORE_AREA, "Areas beside the authority total",
                          options([(a, a) for a in area_choices]), list(areas),
                          placeholder="None"),
        # A dropdown rather than dcc.RadioItems: Dash 4's radio items nest focusable inputs in
        # their options and leave the group unnamed (axe: nested-interactive, aria-input-field-name).
        labelled_dropdown(ids.EXPLORE_MODE, "View",
                          options([(SMALL_MULTIPLES, "Small multiples"),
                                   (PERCENT_OF_TARGET, "One chart, % of target")]), mode,
                          multi=False, clearable=False),
        labelled_dropdown(ids.EXPLORE_LA, "Compare as authority",
                          options(list(authority_choices)), authority, multi=False,
                          clearable=False),
    ], className="explore-controls", role="search", **{"aria-label": "Explore choices"})
