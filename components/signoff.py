"""The board pack's sign-off section (issue 14): who signed the quarter off and when (or that it
is a draft), every value revised after the sign-off, and for admins on /report (never in print)
the button that signs it off."""

from __future__ import annotations

from dash import dcc, html

from components import ids
from components.tables import rows_table
from domain.views.signoff import SignoffView


def signoff_body(view: SignoffView) -> list:
    parts = [html.P(view.state, className="report-state")]
    if view.signoff is None:
        return parts
    if not view.revisions:
        return parts + [html.P("No value of this quarter has been revised after sign-off.")]
    rows = [(r.kpi_ref, r.period, r.area or "Whole authority", f"{r.value:g}",
             f"batch {r.batch_id}", r.who, r.at[:16].replace("T", " ") + " UTC")
            for r in view.revisions]
    return parts + [rows_table(("KPI", "Period", "Area", "Value now", "Batch", "By", "When"),
                               rows, f"Values revised after sign-off ({len(rows)})",
                               ids.REPORT_REVISIONS)]


def signoff_control(period_label: str) -> html.Div:
    """The admin's button; hidden in print with the other controls."""
    return html.Div([
        dcc.Store(id=ids.REPORT_SIGNOFF_PERIOD, data=period_label),
        html.Button(f"Sign off {period_label}", id=ids.REPORT_SIGNOFF_BUTTON,
                    className="btn btn-primary"),
        html.Div(id=ids.REPORT_SIGNOFF_RESULT, role="status", **{"aria-live": "polite"}),
    ], className="report-controls")


def signoff_section(view: SignoffView, control: html.Div | None = None) -> html.Section:
    return html.Section([
        html.H2("Sign-off", id=ids.REPORT_SIGNOFF),
        html.Div(signoff_body(view), id=ids.REPORT_SIGNOFF_BODY),
        control,
    ], className="report-signoff")
