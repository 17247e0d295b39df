"""`POST /api/kpis/<ref>/commentary` (contributors and admins, issue 14): a KPI's commentary for a
period, JSON `{"period", "text", "next_steps", "by"}`. 201 with what was stored; 200 when it says
exactly what the current commentary says (nothing stored); 422 with `error` and `field` (the
first problem) and `errors` (every one), nothing stored. The rules are the upload's
(docs/rules.md#kpi-commentary); the author is the signed-in principal.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from domain.ingest.kinds import KPI_COMMENTARY
from domain.rules.failures import errors
from domain.views.commentary import API_FIELDS, commentary_cells
from runtime.changes import commit_record
from runtime.context import current_store


def refusal(problems: list[tuple[str, str]]) -> tuple[dict, int]:
    """422 naming the first problem's field, and every problem."""
    field, message = problems[0]
    return {"error": message, "field": field,
            "errors": [{"field": f, "message": m} for f, m in problems]}, 422


def commentary_answer(ref: str, body) -> tuple[dict, int]:
    """The answer to `POST /api/kpis/<ref>/commentary`, as plain values: (body, HTTP status)."""
    cells, problem = commentary_cells(ref, body)
    if problem is not None:
        return refusal([(problem.field, problem.message)])
    check, result = commit_record(KPI_COMMENTARY, cells, f"commentary on KPI {ref} (API)")
    if result is None:
        return refusal([(API_FIELDS.get(f.column or "", "body"), f.message)
                        for f in errors(check.failures)])
    row = check.rows.iloc[0]
    batch = current_store().batch(result.batch_id) if result.batch_id is not None else None
    stored = {"kpi_ref": row["kpi_ref"], "period": row["period"], "text": row["commentary"],
              "next_steps": row["next_steps"] or None, "by": row["by_date"] or None,
              "batch_id": result.batch_id,
              "written_by": batch.who if batch else None,
              "written_at": batch.created_at if batch else None}
    return ({**stored, "unchanged": False}, 201) if result.committed else \
        ({**stored, "unchanged": True}, 200)


def commentary_blueprint() -> Blueprint:
    api = Blueprint("commentary_api", __name__, url_prefix="/api")

    @api.post("/kpis/<ref>/commentary")
    def write_commentary(ref: str):
        answer, status = commentary_answer(ref, request.get_json(silent=True))
        return jsonify(answer), status

    return api
