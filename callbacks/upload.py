"""`/upload` handlers and the `POST /api/returns` answer, as plain functions over the store.

A file is checked again on the server when it is committed (never trusted from the first
check), and only a file with no error is stored, in one transaction.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace

from dash import html

from callbacks.row_ids import row_id
from runtime.auth import may_now
from runtime.changes import commit, undo_or_redo
from runtime.context import current_dataset, current_store, upload_plan
from components import ids
from components import upload as view
from domain.rules.access import Permission
from domain.ingest.upload import (MAX_UPLOAD_BYTES, UploadCheck, check_upload,
                                  with_kpi_context)
from domain.store.plan_repository import PLAN_BATCH_KINDS
from domain.store.repository import KPI_VALUES, Preview

ACTION_ID = ids.UPLOAD_ACTION_MESSAGE
NOTHING_TO_STORE = ("The file has no values to store: every row's value is blank. Fill in the "
                    "values you have and upload it again.")


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
    if check.ok and check.rows.empty:
        blocks.append(html.P(NOTHING_TO_STORE, id=ids.UPLOAD_NOTHING))
        return blocks, True
    if check.ok:
        blocks.append(view.preview(_in_context(check), check.kind))
        if check.identical_to is not None:
            blocks.append(html.P(f"This file is identical to batch {check.identical_to}, "
                                 "which is active: committing it changes nothing.",
                                 id=ids.UPLOAD_IDENTICAL))
    return blocks, not check.ok


def _in_context(check: UploadCheck) -> Preview | None:
    """The preview's new values with each KPI's name, unit and previous value beside them."""
    preview = check.preview
    if preview is None or check.kind != KPI_VALUES:
        return preview
    # Only the series the new values belong to: a small upload reads a small part of the store.
    current = current_store().current(KPI_VALUES, matching=preview.new)
    return replace(preview, new=with_kpi_context(preview.new, current,
                                                 current_dataset().plan))


def commit_view(contents: str | None, file_name: str | None) -> tuple[html.P, bool]:
    """The result of Commit (stored as the signed-in user), and whether the store changed."""
    check = check_contents(contents, file_name)
    if check is None:
        return view.message("Choose a file first.", ok=False), False
    if check.ok and check.rows.empty:
        return view.message(NOTHING_TO_STORE, ok=False), False
    result = commit(check)
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


def batch_action_view(action: str, batch_id) -> tuple[html.P, bool]:
    """Undo or redo a batch as the signed-in user; the message and whether the store changed."""
    number = row_id(batch_id)
    found = current_store().batch(number) if number is not None else None
    if found is not None and found.kind in PLAN_BATCH_KINDS:
        return (view.message(f"Batch {number} is a plan's: undo and redo it on the plans page.",
                             ok=False, message_id=ACTION_ID), False)
    done, batch = (undo_or_redo(action, number) if number is not None
                   and action in ("undo", "redo") else (False, None))
    if batch is None:
        return view.message(f"There is no batch {str(batch_id)[:20]}, so nothing was "
                            f"{'undone' if action == 'undo' else 'redone'}.", ok=False,
                            message_id=ACTION_ID), False
    batch_id = number
    if not done:
        return view.message(f"Batch {batch_id} was already "
                            f"{'rolled back' if action == 'undo' else 'active'}.",
                            ok=False, message_id=ACTION_ID), False
    what = ("rolled back: the values it replaced are back" if action == "undo"
            else "active again: its values are current")
    return view.message(f"Batch {batch_id} is {what}.", ok=True, message_id=ACTION_ID), True


def history_view() -> html.Div:
    """Every batch, saying who last undid or redid each; the undo and redo buttons only for
    those who may use them."""
    store = current_store()
    return view.history_table(store.batches(), may_now(Permission.UNDO),
                              last_changes(store.events()))


def last_changes(events: list[dict]) -> dict[int, dict]:
    """Each batch's latest undo or redo (who and when), so the history says who did it."""
    changes: dict[int, dict] = {}
    for event in events:
        if event["event"] in ("undo", "redo"):
            changes[event["batch_id"]] = event
    return changes


def batch_rows_view(batch_id):
    if batch_id is None:
        return []
    store = current_store()
    number = row_id(batch_id)
    batch = store.batch(number) if number is not None else None
    if batch is None or batch.kind in PLAN_BATCH_KINDS:
        return html.P(f"There is no batch {str(batch_id)[:20]} among the uploads.")
    batch_id = number
    return view.batch_rows(batch, store.batch_rows(batch_id))
