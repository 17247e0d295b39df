"""`/upload` handlers and the `POST /api/returns` answer, as plain functions over the store.

A file is checked again on the server when it is committed (never trusted from the first
check), and only a file with no error is stored, in one transaction.
"""

from __future__ import annotations

import base64
import binascii

from dash import html

from runtime.context import current_store, upload_plan
from components import upload as view
from domain.rules.failures import errors, warnings
from domain.ingest.upload import MAX_UPLOAD_BYTES, UploadCheck, check_upload, commit_upload
from domain.store.plan_repository import PLAN_BATCH_KINDS

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
    return check_upload(content, file_name, upload_plan(), current_store())


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
    batch = store.batch(batch_id)
    if batch is not None and batch.kind in PLAN_BATCH_KINDS:
        return (view.message(f"Batch {batch_id} is a plan's: undo and redo it on the plans "
                             "page.", ok=False, message_id=ACTION_ID), False)
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
    if batch is None or batch.kind in PLAN_BATCH_KINDS:
        return html.P(f"There is no upload batch {batch_id}.")
    return view.batch_rows(batch, store.batch_rows(batch_id))
