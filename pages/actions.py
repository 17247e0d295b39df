"""`/actions`: every action with its status and reason, overdue first, filters in the URL."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, callback, clientside_callback, dcc, html

from callbacks.actions import actions_content, update_actions
from callbacks.context import current_dataset
from callbacks.filters import as_list, split_list
from components.controls import filter_bar
from domain.actions_view import actions_view
from domain.dataset import asat_choices
from domain.rag import STATUS_ORDER

dash.register_page(__name__, path="/actions", name="Actions", title="Actions - Improvement plan")


def layout(theme=None, lead=None, status=None, asat=None, **_query):
    dataset = current_dataset()
    themes, leads, statuses = split_list(theme), as_list(lead), split_list(status)
    view = actions_view(dataset, asat, themes, leads, statuses)
    return html.Div([
        html.H1("Plan actions"),
        filter_bar("actions", asat_choices(dataset), view.asat.slug, dataset.plan.themes, themes,
                   "Lead officer", dataset.plan.leads, leads, statuses,
                   [s.value for s in STATUS_ORDER]),
        html.Div(actions_content(view, themes, leads, statuses), id="actions-body"),
        dcc.Store(id="actions-query"),
    ])


@callback(
    Output("actions-body", "children"),
    Output("actions-query", "data"),
    Input("actions-asat", "value"),
    Input("actions-theme", "value"),
    Input("actions-person", "value"),
    Input("actions-status", "value"),
    prevent_initial_call=True,
)
def on_filter_change(asat, themes, leads, statuses):
    return update_actions(current_dataset(), asat, themes, leads, statuses)


# assets/url_sync.js writes the query into the address bar, so the view can be shared.
clientside_callback(ClientsideFunction("urlsync", "replaceQuery"), Input("actions-query", "data"),
                    prevent_initial_call=True)
