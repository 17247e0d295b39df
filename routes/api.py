"""The JSON API beside the pages: `GET /api/kpis`, `GET /api/kpis/<ref>` (one KPI with its values,
comparators and citing actions) and `GET /api/actions`."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from runtime.context import current_dataset, current_published
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.rules.periods import PeriodError
from domain.views.api import ACTION_FIELDS, KPI_FIELDS, kpi_detail, only_fields
from domain.views.exports import action_status_records, kpi_status_records


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    return {"asat": asat.label, "kpis": only_fields(kpi_status_records(dataset, asat), KPI_FIELDS)}


def actions_payload(dataset, asat_text: str | None) -> dict:
    asat = dataset.resolve_asat(asat_text)
    return {"asat": asat.label,
            "actions": only_fields(action_status_records(dataset, asat), ACTION_FIELDS)}


def api_blueprint() -> Blueprint:
    api = Blueprint("api", __name__, url_prefix="/api")

    @api.errorhandler(PeriodError)
    def bad_period(error):
        return jsonify({"error": str(error), "parameter": "asat"}), 400

    def answer(build):
        return jsonify(build(current_dataset(), request.args.get("asat")))

    @api.get("/kpis")
    def kpis():
        return answer(kpis_payload)

    @api.get("/kpis/<ref>")
    def kpi(ref: str):
        published = current_published()
        payload = kpi_detail(current_dataset(), ref, request.args.get("asat"),
                             lambda kpi_ref: published.comparisons(kpi_ref, DEFAULT_AUTHORITY)[0])
        if payload is None:
            return jsonify({"error": f"The plan has no KPI '{ref}': GET /api/kpis lists "
                                     "every KPI."}), 404
        return jsonify(payload)

    @api.get("/actions")
    def actions():
        return answer(actions_payload)

    return api
