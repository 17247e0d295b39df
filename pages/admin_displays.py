"""`/admin/displays`: one-time links that sign a meeting-room screen in as a display."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from callbacks.access import protected_callback
from callbacks.admin import create_display_view, displays_view, revoke_display_view
from components.admin import admin_nav, display_form
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/displays", name="Display links",
                   title="Display links - Improvement plan", access=Permission.MANAGE)


def layout(**_query):
    return html.Div([
        html.H1("Display links"),
        admin_nav("/admin/displays"),
        display_form(),
        html.H2("Every display link"),
        dcc.Store(id="admin-displays-version", data=0),
        html.Div(displays_view(), id="admin-displays"),
    ], className="admin-page")


@protected_callback(Permission.MANAGE,
                    Output("admin-display-result", "children"),
                    Output("admin-displays-version", "data"),
                    Input("admin-display-create", "n_clicks"),
                    State("admin-display-label", "value"), State("admin-displays-version", "data"),
                    prevent_initial_call=True)
def _create(n_clicks, label, version):
    if not n_clicks:
        return no_update, no_update
    result, changed = create_display_view(label)
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output("admin-display-result", "children", allow_duplicate=True),
                    Output("admin-displays-version", "data", allow_duplicate=True),
                    Input({"type": "admin-display-revoke", "index": ALL}, "n_clicks"),
                    State("admin-displays-version", "data"),
                    prevent_initial_call=True)
def _revoke(_clicks, version):
    if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    result, changed = revoke_display_view(int(ctx.triggered_id["index"]))
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output("admin-displays", "children"), Input("admin-displays-version", "data"),
                    prevent_initial_call=True)
def _displays(_version):
    return displays_view()
