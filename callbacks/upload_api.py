"""`POST /api/returns`: upload a returns file without a person (e.g. the case-management
extract), and `GET /api/returns/template.csv`. Registered by app.py beside the read-only API."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from callbacks.context import current_dataset
from callbacks.upload import returns_payload
from domain.upload import MAX_UPLOAD_BYTES, due_quarter, template_csv

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
        dataset = current_dataset()
        due = due_quarter(dataset)
        return Response(template_csv(dataset), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename="
                                 f"returns-template-{due.slug}.csv"})

    return api
