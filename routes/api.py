"""The JSON API beside the pages: `GET /api/kpis`, `GET /api/actions` and, for admins,
`GET /api/audit?since=&limit=`."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, jsonify, request

from runtime.auth import accounts
from runtime.context import current_dataset
from domain.rules.periods import PeriodError
from domain.store.accounts import iso

AUDIT_LIMIT_DEFAULT = 100
AUDIT_LIMIT_MAX = 1000


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    statuses = dataset.kpi_statuses(asat)
    return {"asat": asat.label, "kpis": [{
        "ref": kpi.ref,
        "theme": kpi.theme,
        "measure": kpi.measure,
        "unit": kpi.unit,
        "value": statuses[kpi.ref].value,
        "period": statuses[kpi.ref].period.label if statuses[kpi.ref].period else None,
        "target": kpi.target,
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

    @api.get("/audit")
    def audit_log():
        payload, status = audit_payload(request.args.get("since"), request.args.get("limit"))
        return jsonify(payload), status

    return api


def audit_payload(since_text: str | None, limit_text: str | None) -> tuple[dict, int]:
    """The audit log, newest first: entries at or after `since` (an ISO 8601 date or time; UTC
    when it names no zone), at most `limit` (default 100, up to 1000)."""
    since = None
    if since_text:
        try:
            moment = datetime.fromisoformat(since_text.strip().replace("Z", "+00:00"))
        except ValueError:
            return {"error": f"since={since_text!r} is not an ISO 8601 date or time, e.g. "
                             "2026-11-30 or 2026-11-30T09:00:00Z.", "parameter": "since"}, 400
        since = iso(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))
    try:
        limit = int(limit_text) if limit_text else AUDIT_LIMIT_DEFAULT
    except ValueError:
        limit = 0
    if not 1 <= limit <= AUDIT_LIMIT_MAX:
        return {"error": f"limit={limit_text!r}: give a whole number from 1 to "
                         f"{AUDIT_LIMIT_MAX}.", "parameter": "limit"}, 400
    entries = accounts().audit(since, limit)
    return {"since": since, "limit": limit, "entries": [{
        "id": e.id, "at": e.at, "event": e.event, "who": e.who, "role": e.role,
        "address": e.address, "object": e.object, "detail": e.detail} for e in entries]}, 200
