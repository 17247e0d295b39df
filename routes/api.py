"""The JSON API beside the pages: `GET /api/kpis`, `GET /api/kpis/<ref>` (one KPI with its values,
comparators and citing actions) and `GET /api/actions`. Each serves any plan (`?plan=ID`; the
current plan without it); a plan the store does not hold is a 404."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from runtime.context import current_published, requested_dataset
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.rules.periods import PeriodError
from domain.store.source import UnknownPlan
from domain.views.api import kpi_detail, kpi_summary


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    dataset = dataset.at(asat)  # the targets in force then
    statuses = dataset.kpi_statuses(asat)
    return {"asat": asat.label,
            "kpis": [kpi_summary(kpi, statuses[kpi.ref]) for kpi in dataset.plan.kpis]}


def actions_payload(dataset, asat_text: str | None) -> dict:
    asat = dataset.resolve_asat(asat_text)
    dataset = dataset.at(asat)  # the due dates in force then
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

    @api.errorhandler(PeriodError)
    def bad_period(error):
        return jsonify({"error": str(error), "parameter": "asat"}), 400

    @api.errorhandler(UnknownPlan)
    def unknown_plan(error):
        return jsonify({"error": f"There is no plan {error.args[0]}: GET /api/plans lists "
                                 "every plan.", "parameter": "plan"}), 404

    def answer(build):
        return jsonify(build(requested_dataset(), request.args.get("asat")))

    @api.get("/kpis")
    def kpis():
        return answer(kpis_payload)

    @api.get("/kpis/<ref>")
    def kpi(ref: str):
        published = current_published()
        payload = kpi_detail(requested_dataset(), ref, request.args.get("asat"),
                             lambda kpi_ref: published.comparisons(kpi_ref, DEFAULT_AUTHORITY)[0])
        if payload is None:
            return jsonify({"error": f"The plan has no KPI '{ref}': GET /api/kpis lists "
                                     "every KPI."}), 404
        return jsonify(payload)

    @api.get("/actions")
    def actions():
        return answer(actions_payload)

    return api
