"""Plans as data (issue 13): `GET /api/plans`, `POST /api/plans` (import a plan workbook or a zip
of the register's CSV files; `?dry_run=1`), `POST /api/plans/<id>/current`, and the plan's
workbook in the import layout: `GET /export/plan.xlsx?plan=ID` ("Download this plan") and
`GET /export/plan-next-year.xlsx?plan=ID` ("Start next year's plan").

Reading the plans needs Permission.READ; importing one and making one current need
Permission.MANAGE (runtime/gate.py decides both, by method for `/api/plans`). The history records
whoever the request is signed in as, never a typed name.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, jsonify, request

from domain.ingest.plan_import import MAX_PLAN_BYTES, PlanImportCheck, check_plan_import
from domain.ingest.register import next_year_register
from domain.rules.failures import errors, warnings
from domain.rules.plan import years_moved_on
from domain.store.source import CataloguedPlan, UnknownPlan
from domain.views.exports import register_xlsx_bytes
from routes.upload_api import _failure_dicts, _is_true
from runtime.changes import import_plan, make_plan_current
from runtime.context import current_catalogue, parse_plan_id, requested_plan_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_summary(entry: CataloguedPlan) -> dict:
    """One plan as `GET /api/plans` lists it."""
    plan = entry.plan
    return {"plan_id": entry.plan_id, "title": plan.title, "authority": plan.authority,
            "start": plan.start_date.isoformat(), "end": plan.end_date.isoformat(),
            "current": entry.is_current, "imported_at": entry.imported_at,
            "imported_by": entry.imported_by}


def plans_payload(catalogue) -> dict:
    return {"plans": [plan_summary(entry) for entry in catalogue.plans]}


def _failures(failures) -> list[dict]:
    return [{"sheet": f.sheet, **item} for f, item in zip(failures, _failure_dicts(failures))]


def import_payload(check: PlanImportCheck, dry_run: bool) -> tuple[dict, int]:
    """The JSON answer to `POST /api/plans` and its status: 422 with the failures when nothing
    can be stored; 200 with the plan's id, title and warnings otherwise."""
    if not check.ok:
        return {"errors": _failures(errors(check.failures)),
                "warnings": _failures(warnings(check.failures))}, 422
    payload = {"plan_id": check.revises, "title": check.plan.title,
               "warnings": _failures(warnings(check.failures)), "dry_run": dry_run,
               "committed": False, "revision": check.revises is not None,
               "identical": check.identical_to is not None}
    if not dry_run:
        result = import_plan(check)
        payload.update(plan_id=result.plan_id, committed=result.committed,
                       identical=result.identical)
    return payload, 200


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "plan"


def _workbook(register, name: str) -> Response:
    return Response(register_xlsx_bytes(register), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}.xlsx"'})


def plans_blueprint() -> Blueprint:
    plans = Blueprint("plans_api", __name__)

    @plans.errorhandler(UnknownPlan)
    def unknown_plan(error):
        return jsonify({"error": f"There is no plan {error.args[0]}: GET /api/plans lists "
                                 "every plan.", "parameter": "plan"}), 404

    @plans.get("/api/plans")
    def list_plans():
        return jsonify(plans_payload(current_catalogue()))

    @plans.post("/api/plans")
    def import_plan_file():
        if (request.content_length or 0) > MAX_PLAN_BYTES + 64 * 1024:
            return jsonify({"error": f"The upload is larger than {MAX_PLAN_BYTES:,} bytes."}), 413
        upload = request.files.get("file")
        if upload is None:
            return jsonify({"error": "Send the plan in the multipart field 'file'."}), 400
        content = upload.stream.read(MAX_PLAN_BYTES + 1)
        check = check_plan_import(content, upload.filename, current_catalogue().known(),
                                  date.today())
        payload, status = import_payload(check, _is_true(request.args.get("dry_run")))
        return jsonify(payload), status

    @plans.post("/api/plans/<int:plan_id>/current")
    def make_current(plan_id: int):
        try:
            batch_id = make_plan_current(plan_id)
        except KeyError:
            raise UnknownPlan(plan_id) from None
        return jsonify({"plan_id": plan_id, "current": True, "batch_id": batch_id,
                        "changed": batch_id is not None})

    def chosen() -> CataloguedPlan:
        return current_catalogue().plan(parse_plan_id(requested_plan_text()))

    @plans.get("/export/plan.xlsx")
    def download_plan():
        entry = chosen()
        return _workbook(entry.stored.latest.register,
                         f"plan-{_slug(entry.plan.authority)}-{entry.plan.years}")

    @plans.get("/export/plan-next-year.xlsx")
    def next_year_plan():
        entry = chosen()
        register = next_year_register(entry.stored.latest.register)
        years = years_moved_on(entry.plan.years)
        return _workbook(register, f"plan-{_slug(entry.plan.authority)}-{years}-draft")

    return plans
