"""Layout builders for `/upload`: the validation report, the preview, the history.

Everything an uploaded file brings (its name, cells, comments) is passed to Dash as a string, so
it is shown as text, never as markup.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from components import ids
from components.tables import data_table, rows_table
from domain.rules.failures import errors, failures_frame, warnings
from domain.ingest.kinds import upload_kind
from domain.store.plan_repository import PLAN_BATCH_KINDS
from domain.store.repository import Batch, Preview

REPORT_COLUMNS = ["row", "column", "value", "code", "message"]
# Columns a preview's new KPI values carry beside the declared ones (with_kpi_context), each
# after the column it explains: the KPI's name after its ref, the unit and previous value after
# the value.
_CONTEXT = {"kpi_ref": ("measure",), "value": ("unit", "previous")}
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
        html.P([html.Strong("File: "), file_name], id=ids.UPLOAD_FILE_NAME),
        html.P(what, id=ids.UPLOAD_KIND),
        html.P(f"{verdict} {n_warnings} warnings.", id=ids.UPLOAD_VERDICT,
               className="upload-verdict " + ("has-errors" if n_errors else "no-errors")),
    ])


def report(file_name: str, kind: str | None, layout: str, failures) -> html.Div:
    blocks = [report_summary(file_name, kind, layout, failures)]
    if errors(failures):
        blocks.append(html.H3("Errors (these block the upload)"))
        blocks.append(failures_table(errors(failures), "Errors", ids.UPLOAD_ERRORS))
    if warnings(failures):
        blocks.append(html.H3("Warnings (check these; they do not block)"))
        blocks.append(failures_table(warnings(failures), "Warnings", ids.UPLOAD_WARNINGS))
    return html.Div(blocks, id=ids.UPLOAD_REPORT_BODY)


def _shown(kind: str) -> list[str]:
    """The kind's preview columns, as its declaration (domain/ingest/kinds/) lists them."""
    return list(upload_kind(kind).shown)


def _rows(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    columns = [shown for c in _shown(kind) for shown in (c, *_CONTEXT.get(c, ()))]
    return frame[[c for c in columns if c in frame.columns]].head(_PREVIEW_LIMIT)


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
    return rows_table(header, rows, "Values this upload revises", ids.UPLOAD_REVISED)


def _blank(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "(blank)"
    return _number(value)


def preview(preview_data: Preview | None, kind: str | None) -> html.Div:
    if preview_data is None or kind is None:
        return html.Div(id=ids.UPLOAD_PREVIEW_BODY)
    n_new, n_revised, n_same = (len(preview_data.new), len(preview_data.revised),
                                len(preview_data.unchanged))
    blocks = [html.H2("Preview"),
              html.P(f"{n_new} new values, {n_revised} revisions of a stored value, {n_same} "
                     "unchanged.", id=ids.UPLOAD_PREVIEW_COUNTS)]
    if n_new:
        blocks += [html.H3("New values"),
                   data_table(_rows(preview_data.new, kind), "New values", ids.UPLOAD_NEW,
                              _formatters(_shown(kind)))]
    if n_revised:
        blocks += [html.H3("Revisions (old \u2192 new)"),
                   _revisions_table(preview_data.revised, kind)]
    if n_same:
        blocks.append(html.Details([
            html.Summary(f"Unchanged values ({n_same})"),
            data_table(_rows(preview_data.unchanged, kind), "Unchanged values",
                       ids.UPLOAD_UNCHANGED, _formatters(_shown(kind)))]))
    return html.Div(blocks, id=ids.UPLOAD_PREVIEW_BODY)


def message(text: str, ok: bool, message_id: str = ids.UPLOAD_MESSAGE) -> html.P:
    """A result line; the word before the text says what happened, not only the colour."""
    word = "Done: " if ok else "Not done: "
    return html.P([html.Strong(word), text], id=message_id, role="status",
                  className="upload-message " + ("is-ok" if ok else "is-error"))


def _status_words(batch: Batch, change: dict | None) -> str:
    """`active`; `rolled back by Sam Supervisor, 2026-11-29 12:00` after an undo; `active
    (redone by Pat Performance, ...)` after a redo."""
    words = batch.status + (" (sample)" if batch.is_sample else "")
    if not change:
        return words
    by = f"by {change['who']}, {str(change['at']).replace('T', ' ')[:16]}"
    return f"{words} {by}" if change["event"] == "undo" else f"{words} (redone {by})"


def history_table(batches: list[Batch], may_undo: bool = True,
                  changes: dict[int, dict] | None = None) -> html.Div:
    """Every upload, newest first; `may_undo`: with undo and redo buttons; `changes` (batch id
    -> its latest undo or redo event) says who undid or redid it and when."""
    header = ["batch", "when (UTC)", "who", "file", "kind", "rows", "new", "revised",
              "unchanged", "status", "actions"]
    rows = []
    for batch in batches:
        label = f"batch {batch.id} ({batch.file_name})"
        status = _status_words(batch, (changes or {}).get(batch.id))
        if batch.kind in PLAN_BATCH_KINDS:
            # Plans are imported, revised and made current (and undone) on /plans, by an admin.
            actions = dcc.Link("Manage on the plans page", href="/plans",
                               title=f"Manage {label} on the plans page")
        else:
            button = (html.Button("Undo", id={"type": ids.BATCH_UNDO, "index": batch.id},
                                  className="btn btn-sm btn-outline-danger",
                                  **{"aria-label": f"Undo {label}"})
                      if batch.is_active else
                      html.Button("Redo", id={"type": ids.BATCH_REDO, "index": batch.id},
                                  className="btn btn-sm btn-outline-primary",
                                  **{"aria-label": f"Redo {label}"}))
            open_button = html.Button("Show rows", id={"type": ids.BATCH_OPEN, "index": batch.id},
                                      className="btn btn-sm btn-link",
                                      **{"aria-label": f"Show rows of {label}"})
            actions = html.Div([button if may_undo else None, open_button],
                               className="d-flex gap-2")
        rows.append([str(batch.id), batch.created_at.replace("T", " ")[:19], batch.who,
                     batch.file_name, batch.kind, str(batch.rows_total), str(batch.rows_new),
                     str(batch.rows_revised), str(batch.rows_unchanged), status, actions])
    return rows_table(header, rows, "Every upload, newest first", ids.UPLOAD_HISTORY_TABLE)


def batch_rows(batch: Batch, frame: pd.DataFrame) -> html.Div:
    return html.Div([
        html.H3(f"Rows of batch {batch.id}: {batch.file_name}"),
        data_table(_rows(frame, batch.kind), f"Rows of batch {batch.id}", ids.UPLOAD_BATCH_TABLE,
                   _formatters(_shown(batch.kind))),
        html.P(f"Showing the first {_PREVIEW_LIMIT} of {len(frame)} rows.")
        if len(frame) > _PREVIEW_LIMIT else None,
    ], id=ids.UPLOAD_BATCH_BODY)
