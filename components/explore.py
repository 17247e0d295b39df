"""The explore page: one figure (small multiples as subplots, or one overlaid chart of each KPI as
a percentage of its target) and a table that is its text alternative."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html
from plotly.subplots import make_subplots

from components import ids
from components.chart_style import chart_font
from components.charts import (GRAPH_CONFIG, wrap_title, SERIES_COLOURS, SERIES_DASHES, SERIES_SYMBOLS,
                               TARGET_COLOUR, chart_template)
from components.chart_text import chart_text
from components.controls import labelled_dropdown, options
from components.milestones import add_milestone_markers
from components.tables import rows_table
from domain.views.explore import PERCENT_OF_TARGET, SMALL_MULTIPLES, ExploreView, KpiSeries
from domain.rules.failures import listed
from domain.rules.plan import format_number

ROLLING_COLOUR = "#A285D1"
ROW_HEIGHT = 260  # pixels per small multiple
ROW_GAP = 70  # pixels between small multiples: room for the next one's (wrapped) title
TITLE_LINE = 18  # pixels a line of a 13 px title takes


def subplot_spacing(rows: int) -> float:
    """The vertical gap between small multiples as a fraction of the figure's height: a fixed
    number of pixels, so any number of KPIs draws (plotly refuses a gap over 1 / (rows - 1))."""
    if rows <= 1:
        return 0.0
    return min(ROW_GAP / (ROW_HEIGHT * rows), 1 / (rows - 1))


def _style(index: int) -> dict:
    return {"line": {"color": SERIES_COLOURS[index % 6], "dash": SERIES_DASHES[index % 6],
                     "width": 3 if index == 0 else 2},
            "marker": {"symbol": SERIES_SYMBOLS[index % 6], "size": 7}}


def _multiples(view: ExploreView, comparator_traces=None) -> go.Figure:
    rows = max(len(view.series), 1)
    titles = [wrap_title(f"{s.kpi.ref}: {s.kpi.measure} ({s.kpi.unit_label})")
              for s in view.series] or [""]
    figure = make_subplots(rows=rows, cols=1, shared_xaxes=True,
                           vertical_spacing=subplot_spacing(rows), subplot_titles=titles)
    milestone_lines = []  # set once after the loop: each shape added re-validates all before it
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
            milestone_lines += add_milestone_markers(
                figure, series.milestones, min(o.value for o in series.values), row=row, col=1)
        for trace in (comparator_traces or {}).get(kpi.ref, ()):
            trace.showlegend = trace.name not in {t.name for t in figure.data}
            figure.add_trace(trace, row=row, col=1)
    # Room above the first chart for every line of its (wrapped) title: never cut (issue 15).
    title_lines = titles[0].count("<br>") + 1
    figure.update_layout(shapes=milestone_lines, height=max(320, ROW_HEIGHT * rows),
                         template=chart_template(),
                         margin={"l": 60, "r": 20, "t": 20 + TITLE_LINE * title_lines, "b": 40},
                         font=chart_font(13),
                         legend={"orientation": "h", "y": -0.08 / rows * 2})
    return figure


def _percent_trace(series: KpiSeries, name: str, observations, index: int) -> go.Scatter:
    kpi = series.kpi
    percents = series.percent_of_target(observations)
    return go.Scatter(
        x=[o.period.end for o in observations], y=percents, mode="lines+markers",
        name=chart_text(name),
        **_style(index),
        customdata=[[o.period.label, kpi.format_value(o.value),
                     "no target" if p is None else f"{format_number(p, 0)}%"]
                    for o, p in zip(observations, percents)],
        hovertemplate="%{customdata[0]}: %{customdata[1]}, %{customdata[2]} of target"
                      "<extra>" + chart_text(kpi.ref) + "</extra>")


def _comparators_as_percent(series: KpiSeries, traces) -> list[go.Scatter]:
    """The published comparators (England, the neighbours' mean, the authority as published)
    scaled to the KPI's target like its own values; the neighbours' range band is left out,
    as bands of several KPIs on one axis cannot be told apart."""
    target = series.kpi.target
    if not target:
        return []
    out = []
    for trace in traces:
        if trace.legendgroup == "sn-range":
            continue
        scaled = go.Scatter(trace)
        scaled.y = [None if y is None else y / target * 100 for y in trace.y]
        scaled.name = f"{chart_text(series.kpi.ref)}: {trace.name}"
        scaled.showlegend = True
        out.append(scaled)
    return out


def polarity_note(view: ExploreView) -> str:
    """Which side of 100% is better for each KPI shown: below 100% is better for a KPI where
    lower is better (a caseload of 55 against a target of 60 is 92%)."""
    lower = [s.kpi.ref for s in view.series if not s.kpi.higher_is_better]
    higher = [s.kpi.ref for s in view.series if s.kpi.higher_is_better]
    parts = []
    if lower:
        parts.append(f"Lower is better for {listed(lower)}: below 100% of the target is "
                     "better.")
    if higher:
        parts.append(f"Higher is better for {listed(higher)}: above 100% of the target is "
                     "better.")
    return " ".join(parts)


def _percent_of_target(view: ExploreView, comparator_traces=None) -> go.Figure:
    figure = go.Figure()
    index = 0
    for series in view.series:
        kpi = series.kpi
        better = "lower" if not kpi.higher_is_better else "higher"
        figure.add_trace(_percent_trace(
            series, f"{kpi.ref} (target {kpi.target_label}, {better} is better)", series.values,
            index))
        index += 1
        for area, observations in series.areas.items():
            figure.add_trace(_percent_trace(series, f"{kpi.ref} {area}", observations, index))
            index += 1
        for trace in _comparators_as_percent(series, (comparator_traces or {}).get(kpi.ref, ())):
            figure.add_trace(trace)
    figure.add_hline(y=100, line={"color": TARGET_COLOUR, "dash": "dash"},
                     annotation_text="Target (100%)")
    figure.update_layout(height=460, template=chart_template(),
                         margin={"l": 60, "r": 20, "t": 30, "b": 40},
                         font=chart_font(13),
                         yaxis={"title": {"text": "Value as % of its target"}},
                         legend={"orientation": "h", "y": -0.15})
    return figure


def explore_figure(view: ExploreView, comparator_traces=None) -> go.Figure:
    if view.mode == PERCENT_OF_TARGET:
        return _percent_of_target(view, comparator_traces)
    return _multiples(view, comparator_traces)


def _yoy_text(series: KpiSeries) -> str:
    yoy = series.year_on_year
    if yoy is None:
        return "no value a year before"
    kpi = series.kpi
    sign = "+" if yoy.change > 0 else ""
    unit = " points" if kpi.unit == "percent" else ""
    return (f"{sign}{format_number(yoy.change, 1)}{unit} on {yoy.year_before.period.label} "
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


def _status(view: ExploreView) -> str:
    if view.range_error:
        return "No charts: the time range is the wrong way round."
    if not view.series:
        return "Choose at least one KPI."
    return (f"{len(view.series)} KPI{'s' if len(view.series) != 1 else ''}, "
            + ("small multiples" if view.mode == SMALL_MULTIPLES else "as % of target") + ".")


def explore_body(view: ExploreView, comparator_traces=None, comparator_notes=(),
                 downloads=None) -> list:
    """Messages, the status line, the figure with its notes and table, and `downloads` (the
    links to the data behind the charts). Nothing is drawn for a time range that cannot be:
    the message says why rather than showing empty axes."""
    errors = [*view.errors, *([view.range_error] if view.range_error else [])]
    status = html.P(_status(view), id=ids.EXPLORE_STATUS, role="status")
    messages = [html.Div(e, className="alert alert-warning", role="alert") for e in errors]
    if view.range_error or not view.series:
        return [*messages, status]
    return [
        *messages,
        status,
        html.P(polarity_note(view), id=ids.EXPLORE_TARGET_NOTE)
        if view.mode == PERCENT_OF_TARGET else None,
        html.Figure(dcc.Graph(id=ids.EXPLORE_CHART,
                              figure=explore_figure(view, comparator_traces),
                              config=GRAPH_CONFIG),
                    **{"aria-describedby": ids.EXPLORE_TABLE}, className="chart"),
        downloads,
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
                          list(kpis), placeholder="Choose KPIs", wide=True),
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
