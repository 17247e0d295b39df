"""`/kpi/<ref>`: one indicator against its target, due date and trajectory."""

from __future__ import annotations

import dash
from dash import dcc, html

from runtime.context import current_catalogue, current_dataset, current_published
from components.comparators import authority_form, comparator_section, uploaded_block
from components.indicator import indicator_body
from components.plan_history import definition_changes, target_history
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.views.indicator import IndicatorView, find_kpi, indicator_view


def _title(ref=None, **_):
    # A page for a KPI the plan does not have says so in its title too (WCAG 2.4.2).
    kpi = find_kpi(current_dataset().plan, str(ref or ""))
    if kpi is None:
        return "KPI not found - Improvement plan"
    return f"KPI {kpi.ref} - Improvement plan"


dash.register_page(__name__, path_template="/kpi/<ref>", name="KPI", title=_title)


def _not_found(dataset, ref) -> html.Div:
    return html.Div([
        html.H1("KPI not found"),
        html.P(f"The plan has no KPI '{ref}'. Choose one of these:"),
        html.Ul([html.Li(dcc.Link(f"{k.ref}: {k.measure}", href=f"/kpi/{k.ref}"))
                 for k in dataset.plan.kpis], className="kpi-index"),
    ])


def layout(ref=None, asat=None, la=None, **_query):
    dataset = current_dataset()
    view = indicator_view(dataset, str(ref or ""), asat)
    if view is None:
        return _not_found(dataset, ref)
    back = f"/?asat={view.asat.slug}" if asat else "/"
    return html.Div([
        html.Nav(dcc.Link("\u2190 Back to the overview", href=back),
                 **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav"),
        *indicator_body(view),
        _comparators(view, str(la or DEFAULT_AUTHORITY)),
        # Issue 13: the target over time, and where the KPI's definition changed between plans.
        target_history(view.kpi.ref, view.target_history),
        definition_changes(view.kpi.ref, current_catalogue().definitions(view.kpi.ref)),
    ])


def _comparators(view: IndicatorView, authority: str):
    kpi_ref = view.kpi.ref
    published = current_published()
    comparisons, failures = published.comparisons(kpi_ref, authority)
    chooser = authority_form(kpi_ref, published.authorities(), authority) if comparisons else None
    uploaded = uploaded_block(view.kpi, view.values, view.uploaded_comparators)
    return comparator_section(kpi_ref, comparisons, failures, published.is_sample, chooser,
                              uploaded)
