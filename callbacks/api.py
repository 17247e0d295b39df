"""The JSON API beside the pages: `GET /api/kpis` and `GET /api/actions`."""

from __future__ import annotations

import math

from flask import Blueprint, jsonify, request

from callbacks.context import current_dataset
from domain.periods import PeriodError


def finite_or_none(value):
    """A number JSON can carry: an infinite or NaN value (which no upload can store now, but an
    older store might hold) becomes null rather than a bare Infinity that is not JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    statuses = dataset.kpi_statuses(asat)
    return {"asat": asat.label, "kpis": [{
        "ref": kpi.ref,
        "theme": kpi.theme,
        "measure": kpi.measure,
        "unit": kpi.unit,
        "value": finite_or_none(statuses[kpi.ref].value),
        "period": statuses[kpi.ref].period.label if statuses[kpi.ref].period else None,
        "target": finite_or_none(kpi.target),
        "target_label": kpi.target_label,
        "due": kpi.due_date.isoformat(),
        "status": statuses[kpi.ref].status.value,
        "reason": statuses[kpi.ref].reason,
        "return_overdue": statuses[kpi.ref].return_overdue,
    } for kpi in dataset.plan.kpis]}


def actions_payload(dataset, asat_text: str | None) -> dict:
    asat = dataset.resolve_asat(asat_text)
    statuses = dataset.action_statuses(asat)
    return {"asat": asat.label, "actions": [{
        "ref": action.ref,
        "theme": action.theme,
        "heading": action.heading,
        "leads": list(action.leads),
        "kpi_refs": list(action.kpi_refs),
        "due": action.due_date.isoformat() if action.due_date else None,
        "due_label": action.due_label,
        "status": statuses[action.ref].status.value,
        "reason": statuses[action.ref].reason,
        "timescale_slipped": statuses[action.ref].timescale_slipped,
    } for action in dataset.plan.actions]}


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
