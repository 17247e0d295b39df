"""`POST /api/actions/<ref>/progress` (contributors and admins, issue 14): an action's progress,
JSON `{"status", "comment", "as_at"}`, checked as an uploaded row of action progress is and
stored as an action-progress batch of the signed-in principal (undone like any upload). 201
with what was stored; 200 when it says what the current report for that date says (nothing
stored); 422 with `error`, `field` and `errors`, nothing stored."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from domain.ingest.kinds import ACTION_PROGRESS
from domain.rules.failures import errors
from domain.views.action_page import PROGRESS_FIELDS, progress_cells
from routes.commentary_api import refusal
from runtime.changes import commit_record
from runtime.context import current_store


def progress_answer(ref: str, body) -> tuple[dict, int]:
    cells, problem = progress_cells(ref, body)
    if problem is not None:
        return refusal([problem])
    check, result = commit_record(ACTION_PROGRESS, cells, f"progress on action {ref} (API)")
    if result is None:
        return refusal([(PROGRESS_FIELDS.get(f.column or "", "body"), f.message)
                        for f in errors(check.failures)])
    row = check.rows.iloc[0]
    batch = current_store().batch(result.batch_id) if result.batch_id is not None else None
    stored = {"action_ref": row["action_ref"], "as_at": f"{row['as_at']:%Y-%m-%d}",
              "status": row["status"], "comment": row["comment"], "batch_id": result.batch_id,
              "reported_by": batch.who if batch else None,
              "reported_at": batch.created_at if batch else None}
    return ({**stored, "unchanged": False}, 201) if result.committed else \
        ({**stored, "unchanged": True}, 200)


def progress_blueprint() -> Blueprint:
    api = Blueprint("progress_api", __name__, url_prefix="/api")

    @api.post("/actions/<ref>/progress")
    def report_progress(ref: str):
        answer, status = progress_answer(ref, request.get_json(silent=True))
        return jsonify(answer), status

    return api
