"""`/actions`: every action with its status and reason, overdue first, filters in the URL."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, html

from callbacks.actions import actions_content, update_actions
from runtime.context import current_dataset
from callbacks.filters import as_list, split_list
from components import ids
from components.controls import filter_bar
from domain.views.actions_view import actions_view
from domain.rules.dataset import asat_choices
from domain.rules.rag import STATUS_ORDER
from callbacks.access import protected_callback
from domain.rules.access import Permission

dash.register_page(__name__, path="/actions", name="Actions", title="Actions - Improvement plan",
                   access=Permission.READ)


def layout(theme=None, lead=None, status=None, asat=None, **_query):
    dataset = current_dataset()
    themes, leads, statuses = split_list(theme), as_list(lead), split_list(status)
    view = actions_view(dataset, asat, themes, leads, statuses)
    return html.Div([
        html.H1("Plan actions"),
        filter_bar(ids.ACTIONS_FILTERS, asat_choices(dataset), view.asat.slug,
                   dataset.plan.themes, themes, "Lead officer", dataset.plan.leads, leads,
                   statuses, [s.value for s in STATUS_ORDER]),
        html.Div(actions_content(view, themes, leads, statuses), id=ids.ACTIONS_BODY),
        dcc.Store(id=ids.ACTIONS_QUERY),
    ])


@protected_callback(
    Permission.READ,
    Output(ids.ACTIONS_BODY, "children"),
    Output(ids.ACTIONS_QUERY, "data"),
    *[Input(control, "value") for control in ids.ACTIONS_FILTERS.controls()],
    prevent_initial_call=True,
)
def on_filter_change(asat, themes, leads, statuses):
    return update_actions(current_dataset(), asat, themes, leads, statuses)


# assets/url_sync.js writes the query into the address bar, so the view can be shared.
clientside_callback(ClientsideFunction("urlsync", "replaceQuery"),
                    Input(ids.ACTIONS_QUERY, "data"), prevent_initial_call=True)
