"""`/actions/<ref>` (issue 14): one action's description, leads, due date, the KPIs it cites,
its status now, every progress report with who made it and when, and (for contributors) the
form to report progress. Texts are components' children: shown as text, never HTML."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from components import ids
from components.commentary import when
from components.controls import labelled_dropdown
from components.status import status_badge
from components.tables import rows_table
from domain.ingest.progress import REPORTED_STATUSES
from domain.views.action_page import ActionPageView, ProgressEntry


def history_table(entries: Sequence[ProgressEntry]) -> html.Div:
    if not entries:
        return html.P("No progress has been reported on this action.")
    rows = [(e.as_at, status_badge(e.status), html.Span(e.comment, className="commentary-text"),
             e.written_by, when(e.written_at), "undone" if e.undone else "",
             f"batch {e.batch_id}") for e in entries]
    return rows_table(("As at", "Status", "Comment", "Reported by", "When", "Undone", "Batch"),
                      rows, "Every progress report, latest date first", ids.ACTION_PAGE_HISTORY)


def action_header(view: ActionPageView) -> list:
    action = view.action
    cited = (html.Ul([html.Li(dcc.Link(f"{k.ref}: {k.measure}", href=f"/kpi/{k.ref}"))
                      for k in view.kpis], id=ids.ACTION_PAGE_KPIS)
             if view.kpis else html.P("It cites no KPI.", id=ids.ACTION_PAGE_KPIS))
    return [
        html.H1(f"Action {action.ref}: {action.heading}", id=ids.ACTION_PAGE_TITLE),
        html.P(action.description, className="commentary-text"),
        html.Dl([
            html.Dt("Theme"), html.Dd(dcc.Link(f"{view.theme.number}. {view.theme.title}",
                                               href=f"/theme/{view.theme.number}")),
            html.Dt("Lead"), html.Dd("; ".join(action.leads) or "none named"),
            html.Dt("Due"), html.Dd(action.due_label or "no date"),
            html.Dt(f"Status as at {view.asat.label}"),
            html.Dd([status_badge(view.status.status), " ", view.status.reason],
                    id=ids.ACTION_PAGE_STATUS),
        ], className="action-facts"),
        html.H2("KPIs it cites"),
        cited,
    ]


def progress_form(action_ref: str, today_text: str) -> html.Div:
    """Status, comment and the as-at date (today by default)."""
    return html.Div([
        html.H2("Report progress"),
        dcc.Store(id=ids.ACTION_PROGRESS_REF, data=action_ref),
        # The labelled drop-down every filter uses (assets/a11y.js names it): status words,
        # never colour alone.
        html.Div(labelled_dropdown(ids.ACTION_PROGRESS_STATUS, "Status",
                                   [{"label": s, "value": s} for s in REPORTED_STATUSES], None,
                                   multi=False, placeholder="Choose a status", clearable=False),
                 className="mb-3"),
        html.Div([html.Label("Comment", htmlFor=ids.ACTION_PROGRESS_COMMENT,
                             className="form-label"),
                  dcc.Textarea(id=ids.ACTION_PROGRESS_COMMENT, className="form-control", rows=3,
                               maxLength=4000)], className="mb-3"),
        html.Div([html.Label("As at (date, e.g. 31/03/2017)", htmlFor=ids.ACTION_PROGRESS_ASAT,
                             className="form-label"),
                  dcc.Input(id=ids.ACTION_PROGRESS_ASAT, type="text", value=today_text,
                            className="form-control", maxLength=20)], className="mb-3"),
        html.Button("Save progress", id=ids.ACTION_PROGRESS_SAVE, className="btn btn-primary"),
        html.Div(id=ids.ACTION_PROGRESS_RESULT, role="status", **{"aria-live": "polite"}),
    ], className="progress-form")


def action_page(view: ActionPageView, notices: list, form: html.Div | None) -> html.Div:
    return html.Div([
        html.Nav(dcc.Link("\u2190 Every action", href=f"/actions?asat={view.asat.slug}"),
                 **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav"),
        *notices,
        *action_header(view),
        html.H2("Status history"),
        html.Div(history_table(view.history), id=ids.ACTION_PAGE_HISTORY_BODY),
        form,
    ])
