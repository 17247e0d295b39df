"""`/actions/<action>`: one action (issue 14): description, lead, due date, the KPIs it cites,
its status history; contributors report progress here (status, comment, as-at date)."""

from __future__ import annotations

from datetime import date

import dash
from dash import Input, Output, State, dcc, html, no_update

from callbacks.access import protected_callback
from callbacks.action_page import page_view, save_progress
from components import ids
from components.action_page import action_page, progress_form
from components.controls import asat_notices
from domain.rules.access import Permission
from runtime.auth import may_now
from runtime.context import current_dataset


def _title(action=None, **_):
    # A page for an action the plan does not have says so in its title too (WCAG 2.4.2).
    found = current_dataset().plan.action(str(action or ""))
    return f"Action {found.ref} - Improvement plan" if found else \
        "Action not found - Improvement plan"


dash.register_page(__name__, path_template="/actions/<action>", name="Action", title=_title,
                   access=Permission.READ)


def _not_found(action) -> html.Div:
    return html.Div([
        html.H1("Action not found", id=ids.ACTION_PAGE_TITLE),
        html.P([f"The plan has no action '{action}'. ",
                dcc.Link("Every action is listed on the actions page.", href="/actions")]),
    ])


def layout(action=None, asat=None, **_query):
    view = page_view(str(action or ""), asat)
    if view is None:
        return _not_found(action)
    form = (progress_form(view.action.ref, f"{date.today():%d/%m/%Y}")
            if may_now(Permission.UPLOAD) else None)
    return action_page(view, asat_notices(view.asat_error, None, None, None), form)


@protected_callback(Permission.UPLOAD,
                    Output(ids.ACTION_PROGRESS_RESULT, "children"),
                    Output(ids.ACTION_PAGE_HISTORY_BODY, "children"),
                    Input(ids.ACTION_PROGRESS_SAVE, "n_clicks"),
                    State(ids.ACTION_PROGRESS_REF, "data"),
                    State(ids.ACTION_PROGRESS_STATUS, "value"),
                    State(ids.ACTION_PROGRESS_COMMENT, "value"),
                    State(ids.ACTION_PROGRESS_ASAT, "value"),
                    prevent_initial_call=True)
def _save_progress(n_clicks, ref, status, comment, as_at):
    if not n_clicks:
        return no_update, no_update
    message, history = save_progress(ref, status, comment, as_at)
    return message, no_update if history is None else history
