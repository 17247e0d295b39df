"""The JSON API beside the pages: `GET /api/kpis` and `GET /api/actions`."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from runtime.context import current_dataset
from domain.rules.periods import PeriodError
from domain.views.exports import action_status_records, kpi_status_records


# The fields each answer gives, in order: the contract other systems read. The records come from
# domain.views.exports, which the downloads read too, so the two can not drift apart.
KPI_FIELDS = ("ref", "theme", "measure", "unit", "value", "period", "target", "target_label",
              "due", "status", "reason", "return_overdue")
ACTION_FIELDS = ("ref", "theme", "heading", "leads", "kpi_refs", "due", "due_label", "status",
                 "reason", "timescale_slipped")


def _only(records: list[dict], fields: tuple[str, ...]) -> list[dict]:
    return [{field: record[field] for field in fields} for record in records]


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    return {"asat": asat.label, "kpis": _only(kpi_status_records(dataset, asat), KPI_FIELDS)}


def actions_payload(dataset, asat_text: str | None) -> dict:
    asat = dataset.resolve_asat(asat_text)
    return {"asat": asat.label,
            "actions": _only(action_status_records(dataset, asat), ACTION_FIELDS)}


def api_blueprint() -> Blueprint:
    api = Blueprint("api", __name__, url_prefix="/api")

    def answer(build):
        try:
            return jsonify(build(current_dataset(), request.args.get("asat")))
        except PeriodError as error:
            return jsonify({"error": str(error), "parameter": "asat"}), 400

    @api.get("/kpis")
    def kpis():
        return answer(kpis_payload)

    @api.get("/actions")
    def actions():
        return answer(actions_payload)

    return api
