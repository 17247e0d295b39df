"""`/upload`: drop a returns file, read the validation report and preview, commit it, and see
the history of every upload with undo and redo."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from callbacks.access import protected_callback
from callbacks.file_commit import FileCommitIds, register_check_and_commit
from callbacks.upload import (batch_action_view, batch_rows_view, commit_view, history_view,
                              report_view)
from domain.ingest.kinds import layouts
from components import ids
from runtime.context import current_dataset
from domain.ingest.upload import MAX_UPLOAD_BYTES, due_quarter
from domain.rules.access import Permission

dash.register_page(__name__, path="/upload", name="Upload",
                   title="Upload returns - Improvement plan", access=Permission.UPLOAD)


# A check that answers within half a second shows no progress (no flicker); a longer one says
# what is happening, in words a screen reader announces, not only a spinner.
_SHOW_PROGRESS_AFTER_MS = 500


def _working(text: str) -> html.Div:
    return html.Div([html.Span(className="upload-spinner", **{"aria-hidden": "true"}),
                     html.Span(text)], className="upload-working", role="status")


def layout(**_query):
    due = due_quarter(current_dataset())
    return html.Div([
        html.H1("Upload returns"),
        html.P(["Upload a quarter's KPI returns, action progress or comparator values as a CSV "
                "file or an Excel workbook (.xlsx, first sheet). Nothing is stored until you "
                "press Commit, and only when the file has no errors; it is stored under the name "
                "you signed in with. ",
                html.A(f"Download the returns template for {due.label} (CSV)",
                       href="/api/returns/template.csv",
                       download=f"returns-template-{due.slug}.csv", id=ids.UPLOAD_TEMPLATE_LINK),
                ": a row for each return still missing, up to the period due. Rows you leave "
                "blank are skipped."]),
        html.Details([
            html.Summary("Layouts accepted"),
            html.Ul([
                # One line per layout, from each kind's declaration (domain/ingest/kinds/).
                *[html.Li(layout.help) for layout in layouts()],
                html.Li("UTF-8 or Windows-1252; comma, semicolon (with decimal commas) or tab; "
                        "notes above the header are skipped; 85%, 85 and 0.85 all read as "
                        "85% for a percentage KPI."),
            ]),
        ]),
        dcc.Upload(
            id=ids.UPLOAD_FILE,
            children=html.Div(["Drag and drop a CSV or .xlsx file (up to 10 MB) here, or ",
                               html.Span("choose a file", className="upload-pick")]),
            max_size=MAX_UPLOAD_BYTES, multiple=False, className="upload-drop",
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
                   "spreadsheetml.sheet"),
        dcc.Loading(html.Div(id=ids.UPLOAD_REPORT, **{"aria-live": "polite"}),
                    custom_spinner=_working("Checking the file: every row, then the preview. "
                                            "A large file takes a few seconds."),
                    delay_show=_SHOW_PROGRESS_AFTER_MS),
        html.Button("Commit", id=ids.UPLOAD_COMMIT, className="btn btn-primary my-3",
                    disabled=True),
        dcc.Loading(html.Div(id=ids.UPLOAD_RESULT, **{"aria-live": "polite"}),
                    custom_spinner=_working("Checking the file again and storing it."),
                    delay_show=_SHOW_PROGRESS_AFTER_MS),
        html.H2("History"),
        html.P("Every upload is kept. Undo marks a batch rolled back, so the values it "
               "replaced come back; redo makes it current again."),
        html.Div(id=ids.UPLOAD_ACTION_RESULT, **{"aria-live": "polite"}),
        dcc.Store(id=ids.UPLOAD_HISTORY_VERSION, data=0),
        html.Div(history_view(), id=ids.UPLOAD_HISTORY),
        html.Div(id=ids.UPLOAD_BATCH_ROWS),
    ], className="upload-page")


register_check_and_commit(__name__, Permission.UPLOAD, FileCommitIds(
    file=ids.UPLOAD_FILE, report=ids.UPLOAD_REPORT, button=ids.UPLOAD_COMMIT,
    result=ids.UPLOAD_RESULT, version=ids.UPLOAD_HISTORY_VERSION), report_view, commit_view)


@protected_callback(Permission.UNDO,
                    Output(ids.UPLOAD_ACTION_RESULT, "children"),
                    Output(ids.UPLOAD_HISTORY_VERSION, "data", allow_duplicate=True),
                    Input({"type": ids.BATCH_UNDO, "index": ALL}, "n_clicks"),
                    Input({"type": ids.BATCH_REDO, "index": ALL}, "n_clicks"),
                    State(ids.UPLOAD_HISTORY_VERSION, "data"),
                    prevent_initial_call=True)
def _undo_redo(_undo, _redo, version):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    action = "undo" if trigger["type"] == ids.BATCH_UNDO else "redo"
    result, changed = batch_action_view(action, trigger.get("index"))
    return result, (version or 0) + 1 if changed else no_update


@protected_callback(Permission.UPLOAD,
                    Output(ids.UPLOAD_HISTORY, "children"), Input(ids.UPLOAD_HISTORY_VERSION, "data"),
                    prevent_initial_call=True)
def _history(_version):
    return history_view()


@protected_callback(Permission.UPLOAD,
                    Output(ids.UPLOAD_BATCH_ROWS, "children"),
                    Input({"type": ids.BATCH_OPEN, "index": ALL}, "n_clicks"),
                    prevent_initial_call=True)
def _open_batch(_clicks):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update
    return batch_rows_view(trigger.get("index"))
