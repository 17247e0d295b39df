"""`/report`: the board pack, one printable page (A4 landscape print CSS in assets/report.css)."""

from __future__ import annotations

import dash
from dash import Input, Output, State, no_update

from components import ids
from components.controls import asat_form
from components.report import report_pack
from domain.rules.access import Permission
from domain.rules.dataset import asat_choices
from domain.views.outcomes import outcomes_by_theme
from domain.views.report import report_view
from callbacks.access import protected_callback
from callbacks.signoff import sign_off_view
from components.signoff import signoff_control
from runtime.auth import may_now
from runtime.context import batch_authors, current_dataset, current_ratings, current_signoffs

dash.register_page(__name__, path="/report", name="Board pack",
                   title="Board pack - Improvement plan",
                   access=Permission.PRESENT)


def layout(asat=None, **_query):
    dataset = current_dataset()
    view = report_view(dataset, asat, signoffs=current_signoffs().signoffs(),
                       batches=batch_authors())
    newer = view.newer_partial
    control = asat_form("/report", asat_choices(dataset), view.asat.slug,
                        form_id=ids.REPORT_ASAT_FORM, select_id=ids.REPORT_ASAT_FORM_ASAT)
    # Issue 14: admins sign the quarter off here (the callback and the API check again).
    signing = (signoff_control(view.asat.label)
               if may_now(Permission.MANAGE) and view.signoff.signoff is None else None)
    return report_pack(view, outcomes_by_theme(dataset, view.asat, current_ratings().ratings()),
                       control, f"/report?asat={newer.quarter.slug}" if newer else None,
                       signing)


@protected_callback(Permission.MANAGE,
                    Output(ids.REPORT_SIGNOFF_RESULT, "children"),
                    Output(ids.REPORT_SIGNOFF_BODY, "children"),
                    Input(ids.REPORT_SIGNOFF_BUTTON, "n_clicks"),
                    State(ids.REPORT_SIGNOFF_PERIOD, "data"),
                    prevent_initial_call=True)
def _sign_off(n_clicks, period):
    if not n_clicks:
        return no_update, no_update
    message, body = sign_off_view(period)
    return message, no_update if body is None else body
