"""`/admin/tokens`: API tokens for scripts; create one (shown once), revoke one."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from components import ids
from callbacks.access import protected_callback
from callbacks.admin import create_token_view, revoke_token_view, tokens_view
from components.admin import admin_nav, token_form
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/tokens", name="API tokens",
                   title="API tokens - Improvement plan", access=Permission.MANAGE)


def layout(**_query):
    return html.Div([
        html.H1("API tokens"),
        admin_nav("/admin/tokens"),
        token_form(),
        html.H2("Every token"),
        dcc.Store(id=ids.ADMIN_TOKENS_VERSION, data=0),
        html.Div(tokens_view(), id=ids.ADMIN_TOKENS),
    ], className="admin-page")


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_TOKEN_RESULT, "children"),
                    Output(ids.ADMIN_TOKENS_VERSION, "data"),
                    Input(ids.ADMIN_TOKEN_CREATE, "n_clicks"),
                    State(ids.ADMIN_TOKEN_NAME, "value"), State(ids.ADMIN_TOKEN_ROLE, "value"),
                    State(ids.ADMIN_TOKENS_VERSION, "data"),
                    prevent_initial_call=True)
def _create(n_clicks, name, role, version):
    if not n_clicks:
        return no_update, no_update
    result, changed = create_token_view(name, role)
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_TOKEN_RESULT, "children", allow_duplicate=True),
                    Output(ids.ADMIN_TOKENS_VERSION, "data", allow_duplicate=True),
                    Input({"type": ids.ADMIN_TOKEN_REVOKE, "index": ALL}, "n_clicks"),
                    State(ids.ADMIN_TOKENS_VERSION, "data"),
                    prevent_initial_call=True)
def _revoke(_clicks, version):
    if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    result, changed = revoke_token_view(ctx.triggered_id["index"])
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output(ids.ADMIN_TOKENS, "children"), Input(ids.ADMIN_TOKENS_VERSION, "data"),
                    prevent_initial_call=True)
def _tokens(_version):
    return tokens_view()
