"""The indicator page body: status and reason, facts, chart with its text alternative, tables."""

from __future__ import annotations

from dash import dcc, html

from components import ids
from components.charts import GRAPH_CONFIG, indicator_figure
from components.controls import asat_notices
from components.downloads import download_links
from components.milestones import add_milestones
from components.spc import spc_section
from components.status import status_badge
from components.tables import data_table, rows_table
from domain.views.indicator import IndicatorView
from domain.rules.plan import format_number


def _facts(view: IndicatorView) -> html.Dl:
    kpi = view.kpi
    baseline = view.status.baseline
    facts = [
        ("Theme", f"{view.theme.number}. {view.theme.title}"),
        ("Responsible officer", kpi.responsible_officer),
        ("Reporting frequency", kpi.frequency),
        ("Target", f"{kpi.target_label} (better when {kpi.polarity})"),
        ("Target due", f"{kpi.due_label} ({kpi.due_date:%d %B %Y})"),
        ("Baseline", f"{kpi.format_value(baseline.value)} at {baseline.period.label}"
         if baseline else "no value on or before the plan's baseline date"),
        ("Tolerance for AMBER", f"{kpi.tolerance:.0%} of the target"),
    ]
    return html.Dl([part for term, detail in facts
                    for part in (html.Dt(term), html.Dd(detail))], className="facts")


def _status_panel(view: IndicatorView) -> html.Div:
    status = view.status
    return html.Div([
        html.H2("Status as at " + view.asat.label, className="h5"),
        html.P([status_badge(status.status), " ", html.Span(status.reason, id=ids.KPI_REASON)]),
        html.P("Return overdue", className="overdue-flag") if status.return_overdue else None,
    ], className="status-panel", id=ids.KPI_STATUS)


def _actions_table(view: IndicatorView):
    if not view.actions:
        return html.P("No action in the plan cites this KPI.", id=ids.KPI_ACTIONS_NONE)
    rows = [(action.ref, action.heading, "; ".join(action.leads), action.due_label,
             status_badge(status.status), status.reason) for action, status in view.actions]
    return rows_table(("Action", "Heading", "Lead", "Due", "Status", "Reason"), rows,
                      f"Actions citing KPI {view.kpi.ref}", ids.KPI_ACTIONS)


def _count(value: float) -> str:
    return format_number(value, 0 if float(value).is_integer() else 1)


def _values_figure(view: IndicatorView):
    figure = indicator_figure(view)
    if view.values:
        add_milestones(figure, view.milestones, min(o.value for o in view.values))
    return figure


def indicator_body(view: IndicatorView, newer_href: str | None = None,
                   asat_control=None) -> list:
    """`newer_href` opens the newer, partial period; `asat_control` is the page's as-at form."""
    kpi = view.kpi
    value_columns = ["Whole authority", *view.areas]
    return [
        *asat_notices(view.asat_error, view.partial_note, view.newer_partial, newer_href),
        html.H1([html.Span(kpi.ref, className="kpi-ref"), " ", kpi.measure]),
        asat_control,
        _status_panel(view),
        _facts(view),
        html.H2("Values against target"),
        html.P(view.summary, id=ids.KPI_CHART_SUMMARY),
        html.Figure(dcc.Graph(id=ids.KPI_CHART, figure=_values_figure(view),
                              config=GRAPH_CONFIG),
                    **{"aria-describedby": ids.KPI_CHART_SUMMARY}, className="chart"),
        spc_section(kpi, view.values, view.milestones),
        html.H2("Values"),
        data_table(view.table, f"Values of KPI {kpi.ref} up to {view.asat.label}",
                   ids.KPI_VALUES, {**{c: kpi.format_value for c in value_columns},
                                  "Numerator": _count, "Denominator": _count}),
        download_links(f"kpi/{kpi.ref}", view.asat.slug,
                       f"the values of KPI {kpi.ref} (the chart's data)"),
        html.H2("Actions citing this KPI"),
        _actions_table(view),
    ]
