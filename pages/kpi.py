"""`/kpi/<ref>`: one indicator against its target, due date and trajectory.

The URL carries the as-at period and the overview's filters (`?asat=...&theme=5`), so "Back to
the overview", the as-at form and Compare keep them.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html, no_update

from callbacks.access import protected_callback
from callbacks.commentary import save_commentary, section_body
from components.commentary import commentary_form, commentary_section
from runtime.auth import may_now
from runtime.context import (current_catalogue, current_dataset, current_published,
                             current_signoffs)
from callbacks.filters import as_list, pinned_asat, query_string, split_list
from components import ids
from components.benchmark import benchmark_section
from components.comparators import authority_form, comparator_section, uploaded_block
from components.controls import asat_form
from components.indicator import indicator_body
from components.not_found import not_found, title
from components.plan_history import definition_changes, target_history
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.rules.dataset import asat_choices
from domain.views.benchmark import kpi_benchmarks, ranked_year
from domain.views.indicator import IndicatorView, find_kpi, indicator_view
from domain.rules.access import Permission


def _title(ref=None, **_):
    kpi = find_kpi(current_dataset().plan, str(ref or ""))
    return title("KPI", f"KPI {kpi.ref}" if kpi else None)


dash.register_page(__name__, path_template="/kpi/<ref>", name="KPI", title=_title,
                   access=Permission.READ)


def _not_found(dataset, ref) -> html.Div:
    return not_found("KPI", ref, [(f"{k.ref}: {k.measure}", f"/kpi/{k.ref}")
                                  for k in dataset.plan.kpis], list_class="kpi-index")


def layout(ref=None, asat=None, la=None, theme=None, officer=None, status=None, **_query):
    dataset = current_dataset()
    view = indicator_view(dataset, str(ref or ""), asat, current_signoffs().signoffs())
    if view is None:
        return _not_found(dataset, ref)
    filters = {"theme": split_list(theme), "officer": as_list(officer),
               "status": split_list(status)}
    pinned = pinned_asat(dataset, view.asat.slug) if asat else None
    authority = str(la or DEFAULT_AUTHORITY)
    page = f"/kpi/{view.kpi.ref}"
    newer = view.newer_partial
    newer_href = page + query_string(asat=newer.quarter.slug, la=la, **filters) if newer else None
    control = asat_form(page, asat_choices(dataset), view.asat.slug, {"la": la, **filters},
                        form_id=ids.KPI_ASAT_FORM, select_id=ids.KPI_ASAT_FORM_ASAT)
    return html.Div([
        html.Nav(dcc.Link("\u2190 Back to the overview", href="/" + query_string(
            **filters, asat=pinned), id=ids.KPI_BACK_LINK),
                 **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav"),
        *indicator_body(view, newer_href, control),
        _commentary(view),
        *_published(view, authority, {"asat": pinned, **filters}),
        # Issue 13: the target over time, and where the KPI's definition changed between plans.
        target_history(view.kpi.ref, view.target_history),
        definition_changes(view.kpi.ref, current_catalogue().definitions(view.kpi.ref)),
    ])


def _commentary(view: IndicatorView) -> html.Section:
    # Issue 14: the form only for those who may write (the callback checks again).
    period, body = section_body(view.kpi, view.asat)
    form = commentary_form(view.kpi.ref, period) if may_now(Permission.UPLOAD) else None
    return commentary_section(body, form)


@protected_callback(Permission.UPLOAD,
                    Output(ids.KPI_COMMENTARY_RESULT, "children"),
                    Output(ids.KPI_COMMENTARY_BODY, "children"),
                    Input(ids.KPI_COMMENTARY_SAVE, "n_clicks"),
                    State(ids.KPI_COMMENTARY_REF, "data"),
                    State(ids.KPI_COMMENTARY_PERIOD, "value"),
                    State(ids.KPI_COMMENTARY_TEXT, "value"),
                    State(ids.KPI_COMMENTARY_NEXT_STEPS, "value"),
                    State(ids.KPI_COMMENTARY_BY, "value"),
                    prevent_initial_call=True)
def _save_commentary(n_clicks, ref, period, text, next_steps, by):
    if not n_clicks:
        return no_update, no_update
    message, body = save_commentary(ref, period, text, next_steps, by)
    return message, no_update if body is None else body


def _published(view: IndicatorView, authority: str, carried: dict) -> list:
    """The comparators section (published and uploaded) and where the authority stands among
    all authorities (issue 15), from one read of the KPI's published measures."""
    kpi_ref, higher = view.kpi.ref, view.kpi.higher_is_better
    published = current_published()
    comparisons, failures = published.comparisons(kpi_ref, authority)
    chooser = (authority_form(kpi_ref, published.authorities(), authority, carried)
               if comparisons else None)
    uploaded = uploaded_block(view.kpi, view.values, view.uploaded_comparators)
    pairs = kpi_benchmarks(comparisons, higher)  # every year's standing, once for both uses
    name = comparisons[0].authority_name if comparisons else f"LA {authority}"
    return [comparator_section(kpi_ref, comparisons, failures, published.is_sample, chooser,
                               uploaded),
            benchmark_section(view.kpi, [standing for standing, _ in pairs],
                              ranked_year(pairs, higher), name)]
