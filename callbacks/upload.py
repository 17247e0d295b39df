"""`/upload` handlers and the `POST /api/returns` answer, as plain functions over the store.

A file is checked again on the server when it is committed (never trusted from the first
check), and only a file with no error is stored, in one transaction.
"""

from __future__ import annotations

import base64
import binascii

import pandas as pd
from dash import html

from callbacks.context import current_dataset, current_store
from components import upload as view
from domain.failures import errors, warnings
from domain.upload import MAX_UPLOAD_BYTES, UploadCheck, check_upload, commit_upload

ACTION_ID = "upload-action-message"
WHO_MISSING = "Type your name in 'Your name' before you commit, so the history shows who did."


def decode_contents(contents: str | None) -> bytes | None:
    """The bytes of a dcc.Upload data URL ("data:...;base64,..."); None when absent or bad.
    Anything far beyond the size limit is cut, so the size check still refuses it."""
    if not contents or "," not in contents:
        return None
    encoded = contents.split(",", 1)[1][: (MAX_UPLOAD_BYTES * 4) // 3 + 8]
    try:
        return base64.b64decode(encoded, validate=False)
    except (binascii.Error, ValueError):
        return None


def check_contents(contents: str | None, file_name: str | None) -> UploadCheck | None:
    content = decode_contents(contents)
    if content is None:
        return None
    return check_upload(content, file_name, current_dataset().plan, current_store())


def report_view(contents: str | None, file_name: str | None) -> tuple[list, bool]:
    """The report and preview for a dropped file, and whether Commit stays disabled."""
    check = check_contents(contents, file_name)
    if check is None:
        return [], True
    blocks = [view.report(check.file_name, check.kind, check.layout, check.failures)]
    if check.ok:
        blocks.append(view.preview(check.preview, check.kind))
        if check.identical_to is not None:
            blocks.append(html.P(f"This file is identical to batch {check.identical_to}, "
                                 "which is active: committing it changes nothing.",
                                 id="upload-identical"))
    return blocks, not check.ok


def commit_view(contents: str | None, file_name: str | None, who: str | None
                ) -> tuple[html.P, bool]:
    """The result of Commit, and whether the store changed."""
    if not (who or "").strip():
        return view.message(WHO_MISSING, ok=False), False
    check = check_contents(contents, file_name)
    if check is None:
        return view.message("Choose a file first.", ok=False), False
    result = commit_upload(check, who, current_store())
    if result is None:
        return view.message(f"The file has {check.error_count} errors, so nothing was stored. "
                            "Fix them and upload it again.", ok=False), False
    if result.identical_to is not None:
        return view.message(f"This file is identical to batch {result.identical_to}: nothing "
                            "changed.", ok=True), False
    if not result.committed:
        return view.message("Every value in the file is already stored: nothing changed.",
                            ok=True), False
    preview = result.preview
    return view.message(f"Stored as batch {result.batch_id}: {len(preview.new)} new values, "
                        f"{len(preview.revised)} revisions, {len(preview.unchanged)} "
                        "unchanged. The dashboard shows them now.", ok=True), True


def batch_action_view(action: str, batch_id: int, who: str | None) -> tuple[html.P, bool]:
    """Undo or redo a batch; the message and whether the store changed."""
    who = (who or "").strip()
    if not who:
        return (view.message(WHO_MISSING.replace("commit", action), ok=False,
                             message_id=ACTION_ID), False)
    store = current_store()
    done = store.undo(batch_id, who) if action == "undo" else store.redo(batch_id, who)
    if not done:
        return view.message(f"Batch {batch_id} was already "
                            f"{'rolled back' if action == 'undo' else 'active'}.",
                            ok=False, message_id=ACTION_ID), False
    what = ("rolled back: the values it replaced are back" if action == "undo"
            else "active again: its values are current")
    return view.message(f"Batch {batch_id} is {what}.", ok=True, message_id=ACTION_ID), True


def history_view() -> html.Div:
    return view.history_table(current_store().batches())


def batch_rows_view(batch_id: int | None):
    if batch_id is None:
        return []
    store = current_store()
    batch = store.batch(batch_id)
    if batch is None:
        return html.P(f"There is no batch {batch_id}.")
    return view.batch_rows(batch, store.batch_rows(batch_id))


# --- the API -------------------------------------------------------------------------------------

def _failure_dicts(failures) -> list[dict]:
    return [{"row": f.row, "column": f.column, "value": f.value, "code": f.code,
             "severity": f.severity, "message": f.message} for f in failures]


def _json_column(values: pd.Series) -> list:
    """A column as JSON values: dates as YYYY-MM-DD, numpy numbers as Python's, blanks None."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
        return text.astype(object).where(values.notna(), None).tolist()
    return values.astype(object).where(values.notna(), None).tolist()


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = [c for c in frame.columns if c != "old_batch_id"]
    return [dict(zip(columns, row))
            for row in zip(*(_json_column(frame[c]) for c in columns))]


def returns_payload(content: bytes, file_name: str | None, who: str, dry_run: bool
                    ) -> tuple[dict, int]:
    """The JSON answer to `POST /api/returns` and its HTTP status: 422 when nothing can be
    stored, 200 otherwise (with `batch_id` when committed)."""
    check = check_upload(content, file_name, current_dataset().plan, current_store())
    payload = {
        "file_name": check.file_name, "sha256": check.content_sha256, "kind": check.kind,
        "layout": check.layout or None, "dry_run": dry_run, "committed": False,
        "batch_id": None, "identical_to": check.identical_to,
        "errors": _failure_dicts(errors(check.failures)),
        "warnings": _failure_dicts(warnings(check.failures)),
    }
    if check.preview is not None:
        payload["preview"] = {"new": _records(check.preview.new),
                              "revised": _records(check.preview.revised),
                              "unchanged": len(check.preview.unchanged)}
    if not check.ok:
        return payload, 422
    if dry_run:
        return payload, 200
    result = commit_upload(check, who, current_store())
    payload.update(committed=result.committed, batch_id=result.batch_id,
                   identical_to=result.identical_to)
    return payload, 200
