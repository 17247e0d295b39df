"""`POST /api/returns`: upload a returns file from a script (e.g. the case-management extract,
with an API token), `GET /api/returns/template.csv`, and `POST /api/batches/<id>/undo|redo`.
Registered by app.py beside the read-only API. The uploader is whoever the request is signed in
as (the token's name for a script), never a name the request types."""

from __future__ import annotations

import numpy as np
import pandas as pd
from flask import Blueprint, Response, jsonify, request

from domain.ingest.upload import MAX_UPLOAD_BYTES, check_upload, due_quarter, template_csv
from domain.rules.failures import errors, warnings
from runtime.changes import commit, undo_or_redo
from runtime.context import current_dataset, current_store, upload_plan

# curl -d (or --data) sends a form, dropping the file's line breaks on the way.
FORM_ENCODED = ("The body was sent as a form (application/x-www-form-urlencoded, what curl -d "
                "sends), which drops the file's line breaks. Send the file itself: curl "
                "--data-binary @returns.csv -H 'Content-Type: text/csv', or as the multipart "
                "field 'file': curl -F file=@returns.csv.")

def _is_true(text: str | None) -> bool:
    return (text or "").strip().lower() in {"1", "true", "yes", "on"}


def returns_blueprint() -> Blueprint:
    api = Blueprint("returns_api", __name__, url_prefix="/api")

    @api.post("/returns")
    def post_returns():
        if (request.content_length or 0) > MAX_UPLOAD_BYTES + 64 * 1024:
            return jsonify({"error": f"The upload is larger than {MAX_UPLOAD_BYTES:,} bytes: "
                                     "split it into smaller files."}), 413
        if request.mimetype == "application/x-www-form-urlencoded":
            return jsonify({"error": FORM_ENCODED}), 415
        upload = request.files.get("file")
        if upload is not None:
            content = upload.stream.read(MAX_UPLOAD_BYTES + 1)
            file_name = upload.filename
        elif request.files:
            return jsonify({"error": "Send the file in the multipart field 'file', or the CSV "
                                     "as the request body."}), 400
        else:
            content = request.get_data(cache=False)[: MAX_UPLOAD_BYTES + 1]
            file_name = request.args.get("filename") or "request-body.csv"
        payload, status = returns_payload(content, file_name,
                                          _is_true(request.args.get("dry_run")))
        return jsonify(payload), status

    @api.post("/batches/<int:batch_id>/undo")
    def undo(batch_id: int):
        payload, status = batch_action_payload("undo", batch_id)
        return jsonify(payload), status

    @api.post("/batches/<int:batch_id>/redo")
    def redo(batch_id: int):
        payload, status = batch_action_payload("redo", batch_id)
        return jsonify(payload), status

    @api.get("/returns/template.csv")
    def returns_template():
        dataset = current_dataset()
        due = due_quarter(dataset)
        return Response(template_csv(dataset), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename="
                                 f"returns-template-{due.slug}.csv"})

    return api


def returns_payload(content: bytes, file_name: str | None, dry_run: bool) -> tuple[dict, int]:
    """The JSON answer to `POST /api/returns` and its HTTP status: 422 when nothing can be
    stored, 200 otherwise (with `batch_id` when committed)."""
    check = check_upload(content, file_name, upload_plan(), current_store())
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
    result = commit(check)
    payload.update(committed=result.committed, batch_id=result.batch_id,
                   identical_to=result.identical_to)
    return payload, 200


def batch_action_payload(action: str, batch_id: int) -> tuple[dict, int]:
    """Undo or redo a batch: 200 and its new status, 404 for an unknown batch, 409 when it is
    already in that state (nothing changes)."""
    done, batch = undo_or_redo(action, batch_id)
    if batch is None:
        return {"error": f"There is no batch {batch_id}."}, 404
    if not done:
        return {"error": f"Batch {batch_id} is already {batch.status}.", "batch_id": batch_id,
                "status": batch.status}, 409
    return {"batch_id": batch_id, "status": current_store().batch(batch_id).status}, 200


def _failure_dicts(failures) -> list[dict]:
    return [{"row": f.row, "column": f.column, "value": f.value, "code": f.code,
             "severity": f.severity, "message": f.message} for f in failures]


def _json_column(values: pd.Series) -> list:
    """A column as JSON values, whole: dates as YYYY-MM-DD, numbers as Python's, blanks (and
    infinite numbers) None. What a value-by-value conversion gives, for a 20,000-row preview
    without a call per cell."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None).tolist()
    if pd.api.types.is_float_dtype(values):
        return values.astype(object).where(np.isfinite(values.to_numpy(dtype=float)),
                                           None).tolist()
    return values.astype(object).where(values.notna(), None).tolist()


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = [c for c in frame.columns if c != "old_batch_id"]
    return [dict(zip(columns, row)) for row in zip(*(_json_column(frame[c]) for c in columns))]
