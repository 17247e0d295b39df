"""`/`: RAG tiles for every KPI, grouped by theme, with filters that live in the URL."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, html

from runtime.context import current_dataset
from runtime.context import current_ratings
from domain.views.outcomes import outcomes_by_theme
from callbacks.filters import as_list, split_list
from callbacks.overview import overview_content, update_overview
from components import ids
from components.controls import filter_bar
from domain.rules.dataset import asat_choices
from domain.views.overview import overview_view
from domain.rules.rag import STATUS_ORDER
from callbacks.access import protected_callback
from domain.rules.access import Permission

dash.register_page(__name__, path="/", name="Overview", title="Overview - Improvement plan",
                   access=Permission.READ)


def layout(theme=None, officer=None, status=None, asat=None, **_query):
    dataset = current_dataset()
    themes, officers, statuses = split_list(theme), as_list(officer), split_list(status)
    view = overview_view(dataset, asat, themes, officers, statuses)
    return html.Div([
        html.H1("Improvement plan overview"),
        html.P(dataset.plan.title, className="plan-title"),
        filter_bar(ids.OVERVIEW_FILTERS, asat_choices(dataset), view.asat.slug,
                   dataset.plan.themes, themes, "Responsible officer", dataset.plan.officers,
                   officers, statuses, [s.value for s in STATUS_ORDER]),
        html.Div(overview_content(view, themes, officers, statuses,
                                  outcomes_by_theme(dataset, view.asat,
                                                    current_ratings().ratings())),
                 id=ids.OVERVIEW_BODY),
        dcc.Store(id=ids.OVERVIEW_QUERY),
    ])


@protected_callback(
    Permission.READ,
    Output(ids.OVERVIEW_BODY, "children"),
    Output(ids.OVERVIEW_QUERY, "data"),
    *[Input(control, "value") for control in ids.OVERVIEW_FILTERS.controls()],
    prevent_initial_call=True,
)
def on_filter_change(asat, themes, officers, statuses):
    return update_overview(current_dataset(), asat, themes, officers, statuses,
                           current_ratings().ratings())


# assets/url_sync.js writes the query into the address bar, so the view can be shared.
clientside_callback(ClientsideFunction("urlsync", "replaceQuery"),
                    Input(ids.OVERVIEW_QUERY, "data"), prevent_initial_call=True)
