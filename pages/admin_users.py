"""`/admin/users`: every user; add one, change a role or password, disable or enable."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from components import ids
from callbacks.access import protected_callback
from callbacks.admin import save_user_view, toggle_user_view, users_view
from components.admin import admin_nav, user_form
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/users", name="Users",
                   title="Users - Improvement plan", access=Permission.MANAGE)


def layout(**_query):
    return html.Div([
        html.H1("Users"),
        admin_nav("/admin/users"),
        html.P("People who sign in with a username and password. People who sign in with the "
               "organisation's account (OpenID Connect) get their role from it and are not "
               "listed here."),
        user_form(),
        html.H2("Every user"),
        dcc.Store(id=ids.ADMIN_USERS_VERSION, data=0),
        html.Div(users_view(), id=ids.ADMIN_USERS),
    ], className="admin-page")


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_USER_RESULT, "children"),
                    Output(ids.ADMIN_USERS_VERSION, "data"),
                    Output(ids.ADMIN_USER_PASSWORD, "value"),
                    Input(ids.ADMIN_USER_SAVE, "n_clicks"),
                    State(ids.ADMIN_USER_NAME, "value"), State(ids.ADMIN_USER_ROLE, "value"),
                    State(ids.ADMIN_USER_PASSWORD, "value"), State(ids.ADMIN_USERS_VERSION, "data"),
                    prevent_initial_call=True)
def _save(n_clicks, name, role, password, version):
    if not n_clicks:
        return no_update, no_update, no_update
    result, changed = save_user_view(name, role, password)
    return result, (version or 0) + 1 if changed else no_update, ""


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_USER_RESULT, "children", allow_duplicate=True),
                    Output(ids.ADMIN_USERS_VERSION, "data", allow_duplicate=True),
                    Input({"type": ids.ADMIN_USER_TOGGLE, "index": ALL}, "n_clicks"),
                    State(ids.ADMIN_USERS_VERSION, "data"),
                    prevent_initial_call=True)
def _toggle(_clicks, version):
    if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    result, changed = toggle_user_view(ctx.triggered_id["index"])
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_USERS, "children"), Input(ids.ADMIN_USERS_VERSION, "data"),
                    prevent_initial_call=True)
def _users(_version):
    return users_view()
