"""Downloads: `GET /export/<table>.csv|.xlsx?asat=PERIOD` and `GET /export/kpi/<ref>.csv|.xlsx`.

Tables: kpis (the overview's tiles), actions, returns, progress, comparators (uploaded), findings;
`dataset.xlsx` is all of them in one workbook. `GET /export/board-pack.pdf?asat=PERIOD` is /report printed on the server. Every file goes through domain.views.exports, which escapes formula-like text.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, request

from runtime.context import requested_dataset
from routes.pdf import print_to_pdf
from domain.views.exports import (FORMATS, SHEET_NAMES, csv_bytes, kpi_values_frame, table_frames,
                            xlsx_bytes)
from domain.rules.periods import PeriodError
from domain.store.source import UnknownPlan

MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _file(frames: dict, name: str, fmt: str) -> Response:
    if fmt not in FORMATS or (fmt == "csv" and len(frames) != 1):
        abort(404)
    body = csv_bytes(next(iter(frames.values()))) if fmt == "csv" else xlsx_bytes(frames)
    return Response(body, mimetype=MIME[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def export_blueprint() -> Blueprint:
    exports = Blueprint("exports", __name__, url_prefix="/export")

    def resolve():
        dataset = requested_dataset()
        return dataset, dataset.resolve_asat(request.args.get("asat"))

    @exports.errorhandler(PeriodError)
    def bad_period(error):
        return jsonify({"error": str(error), "parameter": "asat"}), 400

    @exports.errorhandler(UnknownPlan)
    def unknown_plan(error):
        return jsonify({"error": f"There is no plan {error.args[0]}.", "parameter": "plan"}), 404

    @exports.get("/board-pack.pdf")
    def board_pack():
        _dataset, asat = resolve()
        port = request.environ.get("SERVER_PORT", "80")
        plan = request.args.get("plan")  # the plan being read (issue 13), when one is chosen
        query = urlencode({"asat": asat.slug, **({"plan": plan} if plan else {})})
        try:
            body = print_to_pdf(f"http://127.0.0.1:{port}/report?{query}")
        except RuntimeError as error:
            return jsonify({"error": str(error)}), 503
        return Response(body, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="board-pack-{asat.slug}.pdf"'})

    @exports.get("/<table>.<fmt>")
    def table(table: str, fmt: str):
        dataset, asat = resolve()
        frames = table_frames(dataset, asat)
        if table == "dataset":
            return _file({SHEET_NAMES[k]: v for k, v in frames.items()},
                         f"improvement-plan-{asat.slug}", fmt)
        if table not in frames:
            abort(404)
        return _file({SHEET_NAMES[table]: frames[table]}, f"{table}-{asat.slug}", fmt)

    @exports.get("/kpi/<ref>.<fmt>")
    def kpi_values(ref: str, fmt: str):
        dataset, asat = resolve()
        frame = kpi_values_frame(dataset, ref, asat.slug)
        if frame is None:
            abort(404)
        return _file({f"KPI {ref} values": frame}, f"kpi-{ref}-{asat.slug}", fmt)

    return exports
