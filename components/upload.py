"""Layout builders for `/upload`: the validation report, the preview, the history.

Everything an uploaded file brings (its name, cells, comments) is passed to Dash as a string, so
it is shown as text, never as markup.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from components.tables import data_table, rows_table
from domain.rules.failures import errors, failures_frame, warnings
from domain.ingest.kinds import upload_kind
from domain.store.plan_repository import PLAN_BATCH_KINDS
from domain.store.repository import Batch, Preview

REPORT_COLUMNS = ["row", "column", "value", "code", "message"]
_DATE_FORMAT = {"as_at": lambda v: f"{pd.Timestamp(v):%d/%m/%Y}"}
_PREVIEW_LIMIT = 200


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _formatters(columns) -> dict:
    out = {c: _number for c in columns if c in {"value", "numerator", "denominator"}}
    out.update({c: f for c, f in _DATE_FORMAT.items() if c in columns})
    return out


def failures_table(failures, caption: str, table_id: str) -> html.Div:
    frame = failures_frame(failures)[REPORT_COLUMNS]
    return data_table(frame, caption, table_id)


def report_summary(file_name: str, kind: str | None, layout: str, failures) -> html.Div:
    n_errors, n_warnings = len(errors(failures)), len(warnings(failures))
    if kind is None:
        what = "The file was not recognised as returns."
    else:
        what = f"Read as {kind} ({layout} layout)."
    verdict = (f"{n_errors} errors: nothing can be stored until they are fixed."
               if n_errors else "No errors: the file can be committed.")
    return html.Div([
        html.H2("Validation report"),
        html.P([html.Strong("File: "), file_name], id="upload-file-name"),
        html.P(what, id="upload-kind"),
        html.P(f"{verdict} {n_warnings} warnings.", id="upload-verdict",
               className="upload-verdict " + ("has-errors" if n_errors else "no-errors")),
    ])


def report(file_name: str, kind: str | None, layout: str, failures) -> html.Div:
    blocks = [report_summary(file_name, kind, layout, failures)]
    if errors(failures):
        blocks.append(html.H3("Errors (these block the upload)"))
        blocks.append(failures_table(errors(failures), "Errors", "upload-errors"))
    if warnings(failures):
        blocks.append(html.H3("Warnings (check these; they do not block)"))
        blocks.append(failures_table(warnings(failures), "Warnings", "upload-warnings"))
    return html.Div(blocks, id="upload-report-body")


def _shown(kind: str) -> list[str]:
    """The kind's preview columns, as its declaration (domain/ingest/kinds/) lists them."""
    return list(upload_kind(kind).shown)


def _rows(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    return frame[[c for c in _shown(kind) if c in frame.columns]].head(_PREVIEW_LIMIT)


def _revisions_table(revised: pd.DataFrame, kind: str) -> html.Div:
    declared = upload_kind(kind)
    key = [c for c in declared.shown if c in declared.key]
    changed = list(declared.content)
    header = key + [f"{c}: old \u2192 new" for c in changed]
    rows = []
    for row in revised.head(_PREVIEW_LIMIT).to_dict("records"):
        cells = [_DATE_FORMAT.get(c, _number)(row[c]) for c in key]
        for c in changed:
            old, new = row[f"old_{c}"], row[c]
            cells.append(f"{_blank(old)} \u2192 {_blank(new)}")
        rows.append(cells)
    return rows_table(header, rows, "Values this upload revises", "upload-revised")


def _blank(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "(blank)"
    return _number(value)


def preview(preview_data: Preview | None, kind: str | None) -> html.Div:
    if preview_data is None or kind is None:
        return html.Div(id="upload-preview-body")
    n_new, n_revised, n_same = (len(preview_data.new), len(preview_data.revised),
                                len(preview_data.unchanged))
    blocks = [html.H2("Preview"),
              html.P(f"{n_new} new values, {n_revised} revisions of a stored value, {n_same} "
                     "unchanged.", id="upload-preview-counts")]
    if n_new:
        blocks += [html.H3("New values"),
                   data_table(_rows(preview_data.new, kind), "New values", "upload-new",
                              _formatters(_shown(kind)))]
    if n_revised:
        blocks += [html.H3("Revisions (old \u2192 new)"),
                   _revisions_table(preview_data.revised, kind)]
    if n_same:
        blocks.append(html.Details([
            html.Summary(f"Unchanged values ({n_same})"),
            data_table(_rows(preview_data.unchanged, kind), "Unchanged values",
                       "upload-unchanged", _formatters(_shown(kind)))]))
    return html.Div(blocks, id="upload-preview-body")


def message(text: str, ok: bool, message_id: str = "upload-message") -> html.P:
    """A result line; the word before the text says what happened, not only the colour."""
    word = "Done: " if ok else "Not done: "
    return html.P([html.Strong(word), text], id=message_id, role="status",
                  className="upload-message " + ("is-ok" if ok else "is-error"))


def history_table(batches: list[Batch]) -> html.Div:
    header = ["batch", "when (UTC)", "who", "file", "kind", "rows", "new", "revised",
              "unchanged", "status", "actions"]
    rows = []
    for batch in batches:
        label = f"batch {batch.id} ({batch.file_name})"
        if batch.kind in PLAN_BATCH_KINDS:
            # Plans are imported, revised and made current (and undone) on /plans, by an admin.
            actions = dcc.Link("Manage on the plans page", href="/plans",
                               title=f"Manage {label} on the plans page")
            rows.append([str(batch.id), batch.created_at.replace("T", " ")[:19], batch.who,
                         batch.file_name, batch.kind, str(batch.rows_total),
                         str(batch.rows_new), str(batch.rows_revised),
                         str(batch.rows_unchanged), batch.status, actions])
            continue
        button = (html.Button("Undo", id={"type": "batch-undo", "index": batch.id},
                              className="btn btn-sm btn-outline-danger",
                              **{"aria-label": f"Undo {label}"})
                  if batch.is_active else
                  html.Button("Redo", id={"type": "batch-redo", "index": batch.id},
                              className="btn btn-sm btn-outline-primary",
                              **{"aria-label": f"Redo {label}"}))
        open_button = html.Button("Show rows", id={"type": "batch-open", "index": batch.id},
                                  className="btn btn-sm btn-link",
                                  **{"aria-label": f"Show rows of {label}"})
        status = batch.status + (" (sample)" if batch.is_sample else "")
        rows.append([str(batch.id), batch.created_at.replace("T", " ")[:19], batch.who,
                     batch.file_name, batch.kind, str(batch.rows_total), str(batch.rows_new),
                     str(batch.rows_revised), str(batch.rows_unchanged), status,
                     html.Div([button, open_button], className="d-flex gap-2")])
    return rows_table(header, rows, "Every upload, newest first", "upload-history-table")


def batch_rows(batch: Batch, frame: pd.DataFrame) -> html.Div:
    return html.Div([
        html.H3(f"Rows of batch {batch.id}: {batch.file_name}"),
        data_table(_rows(frame, batch.kind), f"Rows of batch {batch.id}", "upload-batch-table",
                   _formatters(_shown(batch.kind))),
        html.P(f"Showing the first {_PREVIEW_LIMIT} of {len(frame)} rows.")
        if len(frame) > _PREVIEW_LIMIT else None,
    ], id="upload-batch-body")
