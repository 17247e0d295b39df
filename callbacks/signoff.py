"""Signing a quarter off from /report (issue 14): checked as the API checks it, stored through
runtime.changes as the signed-in admin."""

from __future__ import annotations

from datetime import date

from dash import html

from components.signoff import signoff_body
from domain.views.signoff import signoff_period, signoff_view
from runtime.changes import sign_off
from runtime.context import batch_authors, current_dataset, current_signoffs


def sign_off_view(period_text: str | None) -> tuple:
    """(the message, the section's new contents or None to leave it)."""
    dataset = current_dataset()
    period, problem = signoff_period(dataset, period_text or "", date.today())
    if problem is not None:
        return html.P([html.Strong("Not signed off: "), problem],
                      className="alert alert-danger"), None
    signed, new = sign_off(period.label)
    words = "Signed off" if new else "Already signed off"
    view = signoff_view(dataset, period, current_signoffs().signoffs(), batch_authors())
    return (html.P([html.Strong(f"{words}: "), f"{period.label} by {signed.signed_by}. ",
                    html.A("Reload the pack", href=f"/report?asat={period.slug}"),
                    " to see every page say so."], className="alert alert-success"),
            signoff_body(view))
