"""The JSON API beside the pages: `GET /api/kpis`, `GET /api/kpis/<ref>` (one KPI with its values,
comparators and citing actions) and `GET /api/actions`; theme outcomes: `GET /api/themes` and
`POST /api/themes/<n>/rating` (docs/rules.md#the-boards-rating)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from runtime.context import current_dataset, current_published
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.rules.periods import PeriodError
from domain.views.api import ACTION_FIELDS, KPI_FIELDS, kpi_detail, only_fields
from domain.views.exports import action_status_records, kpi_status_records
from domain.views.outcomes import check_rating, themes_payload
from runtime.context import current_ratings
from runtime.permissions import requires


def kpis_payload(dataset, asat_text: str | None) -> dict:
    """`{"asat": "2016/17 Q4", "kpis": [...]}`; raises PeriodError for a bad `asat`."""
    asat = dataset.resolve_asat(asat_text)
    return {"asat": asat.label, "kpis": only_fields(kpi_status_records(dataset, asat), KPI_FIELDS)}


def actions_payload(dataset, asat_text: str | None) -> dict:
    asat = dataset.resolve_asat(asat_text)
    return {"asat": asat.label,
            "actions": only_fields(action_status_records(dataset, asat), ACTION_FIELDS)}


def rating_author(body) -> str:
    """Who records a board rating. Until sign-in exists: the body's `who`, else "unknown"
    (sign-in, issue 12, replaces this with the signed-in user)."""
    who = body.get("who") if isinstance(body, dict) else None
    return who.strip() if isinstance(who, str) and who.strip() else "unknown"


def record_rating(dataset, ratings, theme_text: str, body) -> tuple[dict, int]:
    """`POST /api/themes/<n>/rating` as plain values: (answer, HTTP status)."""
    rating, problems = check_rating(dataset, theme_text, body, rating_author(body))
    if problems:
        return {"error": problems[0].message, "field": problems[0].field,
                "errors": [{"field": p.field, "message": p.message} for p in problems]}, 422
    stored = ratings.record(rating)
    return {"theme": stored.theme, "period": stored.period, "status": stored.status,
            "rationale": stored.rationale, "rated_by": stored.rated_by,
            "rated_at": stored.rated_at, "id": stored.id}, 201


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

    @api.get("/themes")
    def themes():
        dataset = current_dataset()
        return jsonify(themes_payload(dataset, dataset.resolve_asat(request.args.get("asat")),
                                      current_ratings().ratings()))

    @api.post("/themes/<theme>/rating")
    @requires("admin")
    def rate_theme(theme: str):
        answer_body, status = record_rating(current_dataset(), current_ratings(), theme,
                                            request.get_json(silent=True))
        return jsonify(answer_body), status

    return api
