"""`/plans` (admin; issue 13): the plans the dashboard holds, importing next year's plan or a
revised one (upload, validation report, preview, Import), making a plan current, the plans'
history with undo and redo. The page and every callback here are admin-only (`# role: admin`):
each asks `role_refusal(ADMIN)` (runtime/permissions.py), which allows everyone until sign-in
lands (issue 12)."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from callbacks.plans import (batch_action_view, history_view, import_view, make_current_view,
                             plans_view, report_view)
from domain.ingest.plan_import import MAX_PLAN_BYTES
from runtime.permissions import ADMIN, role_refusal

dash.register_page(__name__, path="/plans", name="Plans", title="Plans - Improvement plan")

ADMIN_ONLY = ("/plans",)  # the page; its callbacks each ask role_refusal(ADMIN)


# role: admin
def layout(**_query):
    refusal = role_refusal(ADMIN)
    if refusal is not None:
        return html.Div([html.H1("Plans"), html.P(refusal, id="plans-refused")])
    return html.Div([
        html.H1("Plans"),
        html.P("The dashboard can hold several plans, such as this year's and next year's, "
               "and serves any of them: choose one with the plan switcher at the top of every "
               "page. The current plan is the one shown when no other is chosen. Returns "
               "belong to a KPI's ref, so a KPI that carries on into a new plan keeps its "
               "whole history."),
        html.Div(id="plans-action-result", **{"aria-live": "polite"}),
        html.Div(plans_view(), id="plans-list"),
        html.H2("Import a plan"),
        html.P("Upload an Excel workbook with one sheet per register file (plan, themes, kpis "
               "and actions; rag_scheme and published_measures if you have them), laid out as "
               "a workbook from 'Download this plan', or a zip of those CSV files. To start "
               "next year's plan, take 'Start next year's plan' above, set its due dates and "
               "change its targets, KPIs and actions, then import it here. A workbook with "
               "the same title, authority and years as a stored plan is a revised version of "
               "it: add in_force_from (the day its targets take effect) to its plan sheet, "
               "or it takes effect on the day it is imported."),
        html.Div([
            html.Label("Your name (shown in the history)", htmlFor="plans-who",
                       className="form-label"),
            dcc.Input(id="plans-who", type="text", autoComplete="name",
                      className="form-control", maxLength=80),
        ], className="mb-3 upload-who"),
        dcc.Upload(
            id="plans-file",
            children=html.Div(["Drag and drop a plan workbook (.xlsx) or a zip of its CSV "
                               "files (up to 10 MB) here, or ",
                               html.Span("choose a file", className="upload-pick")]),
            max_size=MAX_PLAN_BYTES, multiple=False, className="upload-drop",
            accept=".xlsx,.zip,application/zip,application/vnd.openxmlformats-officedocument."
                   "spreadsheetml.sheet"),
        dcc.Loading(html.Div(id="plans-report", **{"aria-live": "polite"})),
        html.Button("Import", id="plans-import", className="btn btn-primary my-3",
                    disabled=True),
        html.Div(id="plans-result", **{"aria-live": "polite"}),
        html.H2("History"),
        html.P("Every import, revision and change of the current plan is kept. Undo marks it "
               "rolled back (the plan or version it brought is no longer served, the plan "
               "chosen before is current again); redo brings it back. The last plan cannot "
               "be rolled back."),
        dcc.Store(id="plans-version", data=0),
        html.Div(history_view(), id="plans-history"),
    ], className="plans-page upload-page")


# role: admin
@callback(Output("plans-report", "children"), Output("plans-import", "disabled"),
          Output("plans-result", "children"),
          Input("plans-file", "contents"), State("plans-file", "filename"),
          prevent_initial_call=True)
def _check(contents, filename):
    if role_refusal(ADMIN) is not None:
        return [], True, []
    blocks, disabled = report_view(contents, filename)
    return blocks, disabled, []


# role: admin
@callback(Output("plans-result", "children", allow_duplicate=True),
          Output("plans-version", "data"),
          Output("plans-import", "disabled", allow_duplicate=True),
          Input("plans-import", "n_clicks"),
          State("plans-file", "contents"), State("plans-file", "filename"),
          State("plans-who", "value"), State("plans-version", "data"),
          prevent_initial_call=True)
def _import(n_clicks, contents, filename, who, version):
    if not n_clicks:
        return no_update, no_update, no_update
    result, changed = import_view(contents, filename, who)
    if not changed:
        return result, no_update, no_update
    return result, (version or 0) + 1, True


# role: admin
@callback(Output("plans-action-result", "children"),
          Output("plans-version", "data", allow_duplicate=True),
          Input({"type": "plan-current", "index": ALL}, "n_clicks"),
          Input({"type": "plan-batch-undo", "index": ALL}, "n_clicks"),
          Input({"type": "plan-batch-redo", "index": ALL}, "n_clicks"),
          State("plans-who", "value"), State("plans-version", "data"),
          prevent_initial_call=True)
def _act(_current, _undo, _redo, who, version):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    index = int(trigger["index"])
    if trigger["type"] == "plan-current":
        result, changed = make_current_view(index, who)
    else:
        action = "undo" if trigger["type"] == "plan-batch-undo" else "redo"
        result, changed = batch_action_view(action, index, who)
    return result, (version or 0) + 1 if changed else no_update


@callback(Output("plans-list", "children"), Output("plans-history", "children"),
          Input("plans-version", "data"), prevent_initial_call=True)
def _refresh(_version):
    return plans_view(), history_view()
