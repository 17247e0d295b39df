"""`/admin/displays`: one-time links that sign a meeting-room screen in as a display."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from components import ids
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
        dcc.Store(id=ids.ADMIN_DISPLAYS_VERSION, data=0),
        html.Div(displays_view(), id=ids.ADMIN_DISPLAYS),
    ], className="admin-page")


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_DISPLAY_RESULT, "children"),
                    Output(ids.ADMIN_DISPLAYS_VERSION, "data"),
                    Input(ids.ADMIN_DISPLAY_CREATE, "n_clicks"),
                    State(ids.ADMIN_DISPLAY_LABEL, "value"), State(ids.ADMIN_DISPLAYS_VERSION, "data"),
                    prevent_initial_call=True)
def _create(n_clicks, label, version):
    if not n_clicks:
        return no_update, no_update
    result, changed = create_display_view(label)
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_DISPLAY_RESULT, "children", allow_duplicate=True),
                    Output(ids.ADMIN_DISPLAYS_VERSION, "data", allow_duplicate=True),
                    Input({"type": ids.ADMIN_DISPLAY_REVOKE, "index": ALL}, "n_clicks"),
                    State(ids.ADMIN_DISPLAYS_VERSION, "data"),
                    prevent_initial_call=True)
def _revoke(_clicks, version):
    if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    result, changed = revoke_display_view(int(ctx.triggered_id["index"]))
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_DISPLAYS, "children"), Input(ids.ADMIN_DISPLAYS_VERSION, "data"),
                    prevent_initial_call=True)
def _displays(_version):
    return displays_view()
