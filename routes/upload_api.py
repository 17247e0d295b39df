"""`POST /api/returns`: upload a returns file without a person (e.g. the case-management
extract), and `GET /api/returns/template.csv`. Registered by app.py beside the read-only API."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from domain.ingest.upload import (MAX_UPLOAD_BYTES, check_upload, commit_upload, template_csv)
from domain.rules.failures import errors, warnings
from runtime.context import current_dataset, current_store, upload_plan

API_WHO_DEFAULT = "API upload"


def _is_true(text: str | None) -> bool:
    return (text or "").strip().lower() in {"1", "true", "yes", "on"}


def returns_blueprint() -> Blueprint:
    api = Blueprint("returns_api", __name__, url_prefix="/api")

    @api.post("/returns")
    def post_returns():
        if (request.content_length or 0) > MAX_UPLOAD_BYTES + 64 * 1024:
            return jsonify({"error": f"The upload is larger than {MAX_UPLOAD_BYTES:,} bytes: "
                                     "split it into smaller files."}), 413
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
        who = (request.form.get("who") or request.args.get("who")
               or request.headers.get("X-Uploaded-By") or API_WHO_DEFAULT)
        payload, status = returns_payload(content, file_name, who.strip() or API_WHO_DEFAULT,
                                          _is_true(request.args.get("dry_run")))
        return jsonify(payload), status

    @api.get("/returns/template.csv")
    def returns_template():
        return Response(template_csv(current_dataset().plan), mimetype="text/csv",
                        headers={"Content-Disposition":
                                 "attachment; filename=returns-template.csv"})

    return api


def returns_payload(content: bytes, file_name: str | None, who: str, dry_run: bool
                    ) -> tuple[dict, int]:
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
    result = commit_upload(check, who, current_store())
    payload.update(committed=result.committed, batch_id=result.batch_id,
                   identical_to=result.identical_to)
    return payload, 200


def _failure_dicts(failures) -> list[dict]:
    return [{"row": f.row, "column": f.column, "value": f.value, "code": f.code,
             "severity": f.severity, "message": f.message} for f in failures]


def _json_value(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame) -> list[dict]:
    columns = [c for c in frame.columns if c != "old_batch_id"]
    return [{c: _json_value(v) for c, v in zip(columns, row)}
            for row in frame[columns].itertuples(index=False, name=None)]
