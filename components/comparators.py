"""Comparators: the published ones (the authority against England, its statistical neighbours'
mean and range and the core cities, each chart labelled with its source and year convention) and
the uploaded ones (named as uploaded, with their batch), each chart with a table as its text
alternative."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components import ids
from components.chart_style import chart_font
from components.chart_text import chart_text
from components.charts import (GRAPH_CONFIG, SERIES_COLOURS, SERIES_DASHES, SERIES_SYMBOLS,
                               chart_template)
from components.controls import hidden_inputs
from components.downloads import download_links
from components.tables import data_table, rows_table
from domain.published.comparators import CORE_CITIES, Comparison
from domain.rules.dataset import UploadedComparator
from domain.rules.failures import Failure, failures_frame
from domain.rules.plan import Kpi, round_half_up
from domain.rules.rag import Observation

NEIGHBOUR_BAND = "rgba(40, 161, 151, 0.18)"


def comparator_traces(comparison: Comparison, on_dates: bool = False, start=None, end=None
                      ) -> list[go.Scatter]:
    """Authority, England, neighbour mean and a shaded neighbour range; x is the year, or the
    date the year ends by its convention (to share an axis with the plan's quarters), kept
    within `start`..`end` (dates) when given."""
    table = comparison.table
    if start or end:
        ends = [comparison.link.period_end(int(y)) for y in table["year"]]
        keep = [(start is None or d >= start) and (end is None or d <= end) for d in ends]
        table = table[keep]
    x = ([comparison.link.period_end(int(y)) for y in table["year"]] if on_dates
         else list(table["year"]))
    source = chart_text(comparison.link.source.upper())
    authority = chart_text(comparison.authority_name)
    return [
        go.Scatter(x=x, y=list(table["neighbour_max"]), mode="lines", line={"width": 0},
                   name=f"Statistical neighbours range ({source})", legendgroup="sn-range",
                   hoverinfo="skip", showlegend=False),
        go.Scatter(x=x, y=list(table["neighbour_min"]), mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor=NEIGHBOUR_BAND, legendgroup="sn-range",
                   name=f"Statistical neighbours range ({source})", hoverinfo="skip"),
        go.Scatter(x=x, y=list(table["neighbour_mean"]), mode="lines+markers",
                   name=f"Statistical neighbours mean ({source})",
                   line={"color": SERIES_COLOURS[1], "dash": "dash"},
                   marker={"symbol": "square", "size": 7}),
        go.Scatter(x=x, y=list(table["england"]), mode="lines+markers",
                   name=f"England ({source})", line={"color": SERIES_COLOURS[4], "dash": "dot"},
                   marker={"symbol": "diamond", "size": 7}),
        go.Scatter(x=x, y=list(table["authority"]), mode="lines+markers",
                   name=f"{authority}, published ({source})",
                   line={"color": SERIES_COLOURS[3], "width": 3, "dash": "dashdot"},
                   marker={"symbol": "x", "size": 9}),
    ]


def comparator_figure(comparison: Comparison) -> go.Figure:
    figure = go.Figure(comparator_traces(comparison))
    figure.update_layout(template=chart_template(), height=420,
                         margin={"l": 60, "r": 20, "t": 20, "b": 110},
                         font=chart_font(),
                         # The legend's top below the axis title, never over it (issue 15).
                         legend={"orientation": "h", "y": -0.25, "yanchor": "top"},
                         xaxis={"title": {"text": chart_text(
                             f"Year ({comparison.link.year_convention})")},
                                "dtick": 1})
    return figure


def _display_table(comparison: Comparison) -> pd.DataFrame:
    table = comparison.table
    out = pd.DataFrame({
        "Year": table["year"].astype("str"),
        comparison.authority_name: table["authority"], "England": table["england"],
        "Neighbours mean": table["neighbour_mean"].map(
            lambda v: float(round_half_up(v, 1)) if pd.notna(v) else v),
        "Neighbours range": [f"{lo:g} to {hi:g}" if pd.notna(lo) else ""
                             for lo, hi in zip(table["neighbour_min"], table["neighbour_max"])],
        "Neighbours with a value": table["neighbour_count"],
    })
    for city in CORE_CITIES:
        if city in table.columns and not comparison.authority_name.startswith(city):
            out[city] = table[city]
    return out


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def import_report(comparison: Comparison, index: int) -> html.Details | html.P:
    """What could not be imported from the file, and why: one row per failure."""
    failures = comparison.import_failures
    file = comparison.link.file
    if not failures:
        return html.P(f"Every row of {file} read for this measure was imported.",
                      className="comparator-source")
    shown = failures_frame(failures[:50])
    more = f" (the first 50 of {len(failures)})" if len(failures) > 50 else ""
    return html.Details([
        html.Summary(f"{len(failures)} rows of {file} could not be imported: see why"),
        data_table(shown, f"Rows of {file} not imported{more}", ids.comparator_failures(index)),
    ], className="comparator-failures")


def comparison_block(comparison: Comparison, index: int, is_sample: bool) -> html.Div:
    link = comparison.link
    sample = " SAMPLE (synthetic) data." if is_sample else ""
    label = f"Source: {link.label}.{sample}"
    table_id = ids.comparator_table(index)
    return html.Div([
        html.H3(link.title, className="h5"),
        html.P(label, className="comparator-source", id=ids.comparator_source(index)),
        html.P(link.note, className="comparator-note", id=ids.comparator_note(index))
        if link.note else None,
        html.Figure(dcc.Graph(id=ids.comparator_chart(index), figure=comparator_figure(comparison),
                              config=GRAPH_CONFIG),
                    **{"aria-describedby": table_id}, className="chart"),
        data_table(_display_table(comparison),
                   f"{link.title}: {comparison.authority_name}, England, statistical "
                   f"neighbours and core cities ({link.year_convention})", table_id,
                   {c: _number for c in _display_table(comparison).columns if c != "Year"}),
        import_report(comparison, index),
    ], className="comparator-block")


def authority_form(kpi_ref: str, authorities, authority: str, hidden: dict | None = None
                   ) -> html.Form | None:
    """A plain GET form (no script needed): choosing an authority reloads /kpi/<ref>?la=<code>,
    carrying the page's other choices (`hidden`: as-at and the overview's filters) and coming
    back to this section rather than the top of the page."""
    if not authorities:
        return None
    return html.Form([
        html.Label("Compare as authority", htmlFor=ids.KPI_LA, className="form-label me-2"),
        html.Select([html.Option(f"{name} ({code})", value=code, selected=code == authority)
                     for code, name in authorities], id=ids.KPI_LA, name="la",
                    className="form-select d-inline-block w-auto me-2"),
        *hidden_inputs(hidden),
        html.Button("Compare", type="submit", className="btn btn-outline-primary"),
    ], action=f"/kpi/{kpi_ref}#kpi-comparators", method="get", className="authority-form mb-2")


def comparator_section(kpi_ref: str, comparisons: list[Comparison], failures: list[Failure],
                       is_sample: bool, chooser=None, uploaded: html.Div | None = None
                       ) -> html.Section:
    """Published comparators, after the uploaded ones (`uploaded_block`) when there are any."""
    notes = [html.P(f.message, className="alert alert-warning", role="alert") for f in failures]
    if not comparisons:
        some_uploaded = " published" if uploaded is not None else ""
        body = [html.P(f"KPI {kpi_ref} is not mapped to a published measure "
                       f"(data/plan/published_measures.csv), so there are no{some_uploaded} "
                       "comparators.", id=ids.KPI_COMPARATORS_NONE)]
    else:
        body = [comparison_block(c, i, is_sample) for i, c in enumerate(comparisons)]
    heading = "How do we compare? Published statistics" + (
        " and uploaded comparators" if uploaded is not None else "")
    return html.Section([
        html.H2(heading, id=ids.KPI_COMPARATORS_HEADING),
        uploaded,
        html.P("Published figures are annual and use their own definitions and year "
               "conventions, so compare the direction and the gap rather than the exact value."),
        chooser if comparisons else None, *notes, *body,
    ], id=ids.KPI_COMPARATORS, **{"aria-labelledby": ids.KPI_COMPARATORS_HEADING})


# --- uploaded comparators ----------------------------------------------------------------------

def uploaded_traces(comparators: tuple[UploadedComparator, ...], kpi: Kpi,
                    first_style: int = 1) -> list[go.Scatter]:
    """One line per uploaded comparator, named as uploaded with its batch; each differs by dash
    and marker as well as colour, and its markers are open, unlike the authority's and areas'."""
    traces = []
    for index, comparator in enumerate(comparators, start=first_style):
        style = index % len(SERIES_COLOURS)
        values = comparator.values
        traces.append(go.Scatter(
            x=[o.period.end for o in values], y=[o.value for o in values],
            mode="lines+markers", name=chart_text(comparator.label),
            legendgroup=comparator.label,
            line={"color": SERIES_COLOURS[style], "dash": SERIES_DASHES[style], "width": 2},
            marker={"symbol": f"{SERIES_SYMBOLS[style]}-open", "size": 8},
            customdata=[[o.period.label, kpi.format_value(o.value)] for o in values],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra>" + chart_text(comparator.label)
                          + "</extra>"))
    return traces


def _uploaded_figure(kpi: Kpi, values: tuple[Observation, ...],
                     comparators: tuple[UploadedComparator, ...]) -> go.Figure:
    authority = go.Scatter(
        x=[o.period.end for o in values], y=[o.value for o in values], mode="lines+markers",
        name="Whole authority", line={"color": SERIES_COLOURS[0], "width": 3},
        marker={"symbol": SERIES_SYMBOLS[0], "size": 8})
    figure = go.Figure([authority, *uploaded_traces(comparators, kpi)])
    figure.update_layout(template=chart_template(), height=420,
                         margin={"l": 60, "r": 20, "t": 20, "b": 110},
                         font=chart_font(),
                         # The legend's top below the axis title, never over it (issue 15).
                         legend={"orientation": "h", "y": -0.25, "yanchor": "top"},
                         yaxis={"title": {"text": chart_text(kpi.unit_label)}})
    return figure


def _uploaded_table(kpi: Kpi, values: tuple[Observation, ...],
                    comparators: tuple[UploadedComparator, ...]) -> pd.DataFrame:
    """One row per period: the authority's value and each comparator's."""
    series = {"Whole authority": values, **{c.label: c.values for c in comparators}}
    periods = sorted({o.period for observations in series.values() for o in observations})
    by_period = {name: {o.period: o.value for o in observations}
                 for name, observations in series.items()}
    return pd.DataFrame({"Period": [p.label for p in periods],
                         **{name: [kpi.format_value(by_period[name][p]) if p in by_period[name]
                                   else "" for p in periods] for name in series}})


def uploaded_block(kpi: Kpi, values: tuple[Observation, ...],
                   comparators: tuple[UploadedComparator, ...]) -> html.Div | None:
    """The KPI's uploaded comparators beside its own values: a chart and its table."""
    if not comparators:
        return None
    names = "; ".join(c.label for c in comparators)
    return html.Div([
        html.H3("Uploaded comparators", className="h5"),
        html.P(f"Source: comparator files uploaded on the upload page: {names}.",
               className="comparator-source", id=ids.KPI_UPLOADED_COMPARATORS_SOURCE),
        html.Figure(dcc.Graph(id=ids.KPI_UPLOADED_COMPARATORS_CHART,
                              figure=_uploaded_figure(kpi, values, comparators),
                              config=GRAPH_CONFIG),
                    **{"aria-describedby": ids.KPI_UPLOADED_COMPARATORS_TABLE}, className="chart"),
        data_table(_uploaded_table(kpi, values, comparators),
                   f"KPI {kpi.ref}: the whole authority and the uploaded comparators",
                   ids.KPI_UPLOADED_COMPARATORS_TABLE),
        download_links("comparators", None, "every uploaded comparator",
                       label="Uploaded comparators"),
    ], className="comparator-block", id=ids.KPI_UPLOADED_COMPARATORS)


def uploaded_comparators_table(items, table_id: str = ids.EXPLORE_UPLOADED_COMPARATORS
                               ) -> html.Div | None:
    """Every uploaded comparator value shown on /explore, one row each: the charts' text."""
    rows = [(f"{kpi.ref}: {kpi.measure}", comparator.label, o.period.label,
             kpi.format_value(o.value))
            for kpi, comparators in items for comparator in comparators
            for o in comparator.values]
    if not rows:
        return None
    return rows_table(("KPI", "Comparator", "Period", "Value"), rows,
                      "Uploaded comparators, named as uploaded with their batch", table_id)


def latest_comparators_table(items, table_id: str = ids.EXPLORE_COMPARATORS) -> html.Div | None:
    """One row per KPI: the latest published year for the authority, England, the neighbours and
    each core city (the core cities are in this table rather than crowding the chart)."""
    rows = []
    for kpi_ref, comparison in items:
        latest = _display_table(comparison).iloc[[-1]].copy()
        latest.insert(0, "KPI", f"{kpi_ref} ({comparison.link.title}, "
                                f"{comparison.link.year_convention})")
        latest = latest.rename(columns={comparison.authority_name: "Authority"})
        rows.append(latest)
    if not rows:
        return None
    frame = pd.concat(rows, ignore_index=True)
    return data_table(frame, "Published comparators, latest year: the authority, England, "
                             "statistical neighbours and core cities", table_id,
                      {c: _number for c in frame.columns if c not in ("KPI", "Year")})
