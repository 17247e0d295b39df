"""`/upload`: drop a returns file, read the validation report and preview, commit it, and see
the history of every upload with undo and redo."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from callbacks.upload import (batch_action_view, batch_rows_view, commit_view, history_view,
                              report_view)
from domain.upload import MAX_UPLOAD_BYTES

dash.register_page(__name__, path="/upload", name="Upload",
                   title="Upload returns - Improvement plan")


# A check that answers within half a second shows no progress (no flicker); a longer one says
# what is happening, in words a screen reader announces, not only a spinner.
_SHOW_PROGRESS_AFTER_MS = 500


def _working(text: str) -> html.Div:
    return html.Div([html.Span(className="upload-spinner", **{"aria-hidden": "true"}),
                     html.Span(text)], className="upload-working", role="status")


def layout(**_query):
    return html.Div([
        html.H1("Upload returns"),
        html.P(["Upload a quarter's KPI returns, action progress or comparator values as a CSV "
                "file or an Excel workbook (.xlsx, first sheet). Nothing is stored until you "
                "press Commit, and only when the file has no errors. ",
                html.A("Download the returns template (CSV)",
                       href="/api/returns/template.csv", download="returns-template.csv",
                       id="upload-template-link"), "."]),
        html.Details([
            html.Summary("Layouts accepted"),
            html.Ul([
                html.Li("KPI values, long: kpi_ref, period, value, and optionally numerator, "
                        "denominator, area, comment."),
                html.Li("KPI values, wide: kpi_ref and one column per period (2016/17 Q1 ...)."),
                html.Li("Action progress: action_ref, as_at, status, comment."),
                html.Li("Comparators: kpi_ref, period, comparator, value."),
                html.Li("UTF-8 or Windows-1252; comma, semicolon (with decimal commas) or tab; "
                        "notes above the header are skipped; 85%, 85 and 0.85 all read as "
                        "85% for a percentage KPI."),
            ]),
        ]),
        html.Div([
            html.Label("Your name (shown in the history)", htmlFor="upload-who",
                       className="form-label"),
            dcc.Input(id="upload-who", type="text", autoComplete="name",
                      className="form-control", maxLength=80, debounce=False),
        ], className="mb-3 upload-who"),
        dcc.Upload(
            id="upload-file",
            children=html.Div(["Drag and drop a CSV or .xlsx file (up to 10 MB) here, or ",
                               html.Span("choose a file", className="upload-pick")]),
            max_size=MAX_UPLOAD_BYTES, multiple=False, className="upload-drop",
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument."
                   "spreadsheetml.sheet"),
        dcc.Loading(html.Div(id="upload-report", **{"aria-live": "polite"}),
                    custom_spinner=_working("Checking the file: every row, then the preview. "
                                            "A large file takes a few seconds."),
                    delay_show=_SHOW_PROGRESS_AFTER_MS),
        html.Button("Commit", id="upload-commit", className="btn btn-primary my-3",
                    disabled=True),
        dcc.Loading(html.Div(id="upload-result", **{"aria-live": "polite"}),
                    custom_spinner=_working("Checking the file again and storing it."),
                    delay_show=_SHOW_PROGRESS_AFTER_MS),
        html.H2("History"),
        html.P("Every upload is kept. Undo marks a batch rolled back, so the values it "
               "replaced come back; redo makes it current again."),
        html.Div(id="upload-action-result", **{"aria-live": "polite"}),
        dcc.Store(id="upload-history-version", data=0),
        html.Div(history_view(), id="upload-history"),
        html.Div(id="upload-batch-rows"),
    ], className="upload-page")


@callback(Output("upload-report", "children"), Output("upload-commit", "disabled"),
          Output("upload-result", "children"),
          Input("upload-file", "contents"), State("upload-file", "filename"),
          prevent_initial_call=True)
def _check(contents, filename):
    blocks, disabled = report_view(contents, filename)
    return blocks, disabled, []


@callback(Output("upload-result", "children", allow_duplicate=True),
          Output("upload-history-version", "data"),
          Output("upload-commit", "disabled", allow_duplicate=True),
          Input("upload-commit", "n_clicks"),
          State("upload-file", "contents"), State("upload-file", "filename"),
          State("upload-who", "value"), State("upload-history-version", "data"),
          prevent_initial_call=True)
def _commit(n_clicks, contents, filename, who, version):
    if not n_clicks:
        return no_update, no_update, no_update
    result, changed = commit_view(contents, filename, who)
    if not changed:
        return result, no_update, no_update
    # Committed: the same file again would change nothing, so Commit waits for a new file.
    return result, (version or 0) + 1, True


@callback(Output("upload-action-result", "children"),
          Output("upload-history-version", "data", allow_duplicate=True),
          Input({"type": "batch-undo", "index": ALL}, "n_clicks"),
          Input({"type": "batch-redo", "index": ALL}, "n_clicks"),
          State("upload-who", "value"), State("upload-history-version", "data"),
          prevent_initial_call=True)
def _undo_redo(_undo, _redo, who, version):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, no_update
    action = "undo" if trigger["type"] == "batch-undo" else "redo"
    result, changed = batch_action_view(action, int(trigger["index"]), who)
    return result, (version or 0) + 1 if changed else no_update


@callback(Output("upload-history", "children"), Input("upload-history-version", "data"),
          prevent_initial_call=True)
def _history(_version):
    return history_view()


@callback(Output("upload-batch-rows", "children"),
          Input({"type": "batch-open", "index": ALL}, "n_clicks"), prevent_initial_call=True)
def _open_batch(_clicks):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update
    return batch_rows_view(int(trigger["index"]))
