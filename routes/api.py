"""The JSON API beside the pages: `GET /api/kpis`, `GET /api/kpis/<ref>` (one KPI with its values,
comparators and citing actions), `GET /api/actions`, for admins `GET /api/audit?since=&limit=`;
theme outcomes: `GET /api/themes` and `POST /api/themes/<n>/rating` (docs/rules.md#the-boards-rating).
Each serves any plan (`?plan=ID`; the current plan without it); a plan the store does not hold is
a 404."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from flask import Blueprint, jsonify, request

from runtime.auth import accounts, audit, current_principal
from runtime.context import current_published, requested_dataset
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.rules.periods import PeriodError
from domain.store.accounts import iso
from domain.store.source import UnknownPlan
from domain.views.api import ACTION_FIELDS, KPI_FIELDS, kpi_detail, only_fields
from domain.views.exports import action_status_records, kpi_status_records
from domain.views.outcomes import check_rating, themes_payload
from runtime.context import current_ratings, current_signoffs

AUDIT_LIMIT_DEFAULT = 100
AUDIT_LIMIT_MAX = 1000


def finite_or_none(value):
    """A value JSON can carry: an infinite or NaN number (which no upload can store now, but an
    older store might hold) becomes null rather than a bare Infinity that is not JSON; lists
    and dicts are cleaned all the way down."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite_or_none(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_none(item) for item in value]
    return value


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    dataset = dataset.at(asat)  # the targets in force then
    return {"asat": asat.label,
            "kpis": finite_or_none(only_fields(kpi_status_records(dataset, asat), KPI_FIELDS))}


def actions_payload(dataset, asat_text: str | None) -> dict:
    asat = dataset.resolve_asat(asat_text)
    dataset = dataset.at(asat)  # the due dates in force then
    return {"asat": asat.label,
            "actions": only_fields(action_status_records(dataset, asat), ACTION_FIELDS)}


def rating_author() -> str:
    """Who records a board rating: whoever the request is signed in as (never a typed name)."""
    principal = current_principal()
    return principal.name if principal else "unknown"


def record_rating(dataset, ratings, theme_text: str, body) -> tuple[dict, int]:
    """`POST /api/themes/<n>/rating` as plain values: (answer, HTTP status)."""
    rating, problems = check_rating(dataset, theme_text, body, rating_author())
    if problems:
        return {"error": problems[0].message, "field": problems[0].field,
                "errors": [{"field": p.field, "message": p.message} for p in problems]}, 422
    stored = ratings.record(rating)
    audit("theme rating", f"theme {stored.theme}, {stored.period}", stored.status)
    return {"theme": stored.theme, "period": stored.period, "status": stored.status,
            "rationale": stored.rationale, "rated_by": stored.rated_by,
            "rated_at": stored.rated_at, "id": stored.id}, 201


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
                             lambda kpi_ref: published.comparisons(kpi_ref,
                                                                   DEFAULT_AUTHORITY)[0],
                             current_signoffs().signoffs())
        if payload is None:
            return jsonify({"error": f"The plan has no KPI '{ref}': GET /api/kpis lists "
                                     "every KPI."}), 404
        return jsonify(finite_or_none(payload))

    @api.get("/actions")
    def actions():
        return answer(actions_payload)

    @api.get("/audit")
    def audit_log():
        payload, status = audit_payload(request.args.get("since"), request.args.get("limit"))
        return jsonify(payload), status

    @api.get("/themes")
    def themes():
        dataset = requested_dataset()
        return jsonify(themes_payload(dataset, dataset.resolve_asat(request.args.get("asat")),
                                      current_ratings().ratings()))

    @api.post("/themes/<theme>/rating")
    def rate_theme(theme: str):
        answer_body, status = record_rating(requested_dataset(), current_ratings(), theme,
                                            request.get_json(silent=True))
        return jsonify(answer_body), status

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
