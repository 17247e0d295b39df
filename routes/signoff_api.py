"""`POST /api/periods/<period>/signoff` (admins, issue 14): sign a quarter off, as the signed-in
admin. The period in the address as a slug (`2016-17Q4`) or any spelling without a slash. 201
with `period, signed_by, signed_at`; 200 with the standing sign-off when the quarter is signed
off already (nothing stored); 422 with `error` and `field` for a period that does not read, has
not ended or is outside the plan (docs/rules.md#signing-a-period-off)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify

from domain.views.signoff import signoff_period
from runtime.changes import sign_off
from runtime.context import requested_dataset


def signoff_answer(period_text: str, today: date) -> tuple[dict, int]:
    period, problem = signoff_period(requested_dataset(), period_text, today)
    if problem is not None:
        return {"error": problem, "field": "period"}, 422
    signed, new = sign_off(period.label)
    return {"period": signed.period, "signed_by": signed.signed_by,
            "signed_at": signed.signed_at, "already_signed_off": not new}, 201 if new else 200


def signoff_blueprint() -> Blueprint:
    api = Blueprint("signoff_api", __name__, url_prefix="/api")

    @api.post("/periods/<period>/signoff")
    def sign_period_off(period: str):
        answer, status = signoff_answer(period, date.today())
        return jsonify(answer), status

    return api
