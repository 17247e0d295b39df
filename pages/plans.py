"""`/plans` (admins; issue 13): the plans the dashboard holds, importing next year's plan or a
revised one (upload, validation report, preview, Import), making a plan current, the plans'
history with undo and redo. The page and every callback here need Permission.MANAGE, checked on
the server (runtime/gate.py, callbacks/access.py)."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from callbacks.access import protected_callback
from callbacks.file_commit import FileCommitIds, register_check_and_commit
from callbacks.plans import (batch_action_view, history_view, import_view, make_current_view,
                             plans_view, report_view)
from callbacks.row_ids import row_id
from components import ids
from domain.ingest.plan_import import MAX_PLAN_BYTES
from domain.rules.access import Permission

dash.register_page(__name__, path="/plans", name="Plans", title="Plans - Improvement plan",
                   access=Permission.MANAGE)


def layout(**_query):
    return html.Div([
        html.H1("Plans"),
        html.P("The dashboard can hold several plans, such as this year's and next year's, "
               "and serves any of them: choose one with the plan switcher at the top of every "
               "page. The current plan is the one shown when no other is chosen. Returns "
               "belong to a KPI's ref, so a KPI that carries on into a new plan keeps its "
               "whole history."),
        html.Div(id=ids.PLANS_ACTION_RESULT, **{"aria-live": "polite"}),
        html.Div(plans_view(), id=ids.PLANS_LIST),
        html.H2("Import a plan"),
        html.P("Upload an Excel workbook with one sheet per register file (plan, themes, kpis "
               "and actions; rag_scheme and published_measures if you have them), laid out as "
               "a workbook from 'Download this plan', or a zip of those CSV files. To start "
               "next year's plan, take 'Start next year's plan' above, set its due dates and "
               "change its targets, KPIs and actions, then import it here. A workbook with "
               "the same title, authority and years as a stored plan is a revised version of "
               "it: add in_force_from (the day its targets take effect) to its plan sheet, "
               "or it takes effect on the day it is imported. The history records you as "
               "the one who imported it."),
        dcc.Upload(
            id=ids.PLANS_FILE,
            children=html.Div(["Drag and drop a plan workbook (.xlsx) or a zip of its CSV "
                               "files (up to 10 MB) here, or ",
                               html.Span("choose a file", className="upload-pick")]),
            max_size=MAX_PLAN_BYTES, multiple=False, className="upload-drop",
            accept=".xlsx,.zip,application/zip,application/vnd.openxmlformats-officedocument."
                   "spreadsheetml.sheet"),
        dcc.Loading(html.Div(id=ids.PLANS_REPORT, **{"aria-live": "polite"})),
        html.Button("Import", id=ids.PLANS_IMPORT, className="btn btn-primary my-3",
                    disabled=True),
        html.Div(id=ids.PLANS_RESULT, **{"aria-live": "polite"}),
        html.H2("History"),
        html.P("Every import, revision and change of the current plan is kept. Undo marks it "
               "rolled back (the plan or version it brought is no longer served, the plan "
               "chosen before is current again); redo brings it back. The last plan cannot "
               "be rolled back."),
        dcc.Store(id=ids.PLANS_VERSION, data=0),
        html.Div(history_view(), id=ids.PLANS_HISTORY),
    ], className="plans-page upload-page")


register_check_and_commit(__name__, Permission.MANAGE, FileCommitIds(
    file=ids.PLANS_FILE, report=ids.PLANS_REPORT, button=ids.PLANS_IMPORT,
    result=ids.PLANS_RESULT, version=ids.PLANS_VERSION), report_view, import_view)


@protected_callback(Permission.MANAGE,
                    Output(ids.PLANS_ACTION_RESULT, "children"),
                    Output(ids.PLANS_VERSION, "data", allow_duplicate=True),
                    Input({"type": ids.PLAN_CURRENT, "index": ALL}, "n_clicks"),
                    Input({"type": ids.PLAN_BATCH_UNDO, "index": ALL}, "n_clicks"),
                    Input({"type": ids.PLAN_BATCH_REDO, "index": ALL}, "n_clicks"),
                    State(ids.PLANS_VERSION, "data"),
                    prevent_initial_call=True)
def _act(_current, _undo, _redo, version):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    index = row_id(trigger.get("index"))  # a crafted request can send any index
    if index is None:
        return no_update, no_update
    if trigger["type"] == ids.PLAN_CURRENT:
        result, changed = make_current_view(index)
    else:
        action = "undo" if trigger["type"] == ids.PLAN_BATCH_UNDO else "redo"
        result, changed = batch_action_view(action, index)
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.MANAGE,
                    Output(ids.PLANS_LIST, "children"), Output(ids.PLANS_HISTORY, "children"),
                    Input(ids.PLANS_VERSION, "data"), prevent_initial_call=True)
def _refresh(_version):
    return plans_view(), history_view()
