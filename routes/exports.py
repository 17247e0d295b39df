"""Downloads: `GET /export/<table>.csv|.xlsx?asat=PERIOD` and `GET /export/kpi/<ref>.csv|.xlsx`.

Tables: kpis (the overview's tiles; `theme`, `officer` and `status` as on the page), actions
(`theme`, `lead`, `status`), returns, progress, comparators (uploaded), findings; `dataset.xlsx`
is all of them in one workbook; `explore.csv|.xlsx` the data behind /explore's charts (`kpi`,
`start`, `end`, `area`). `GET /export/board-pack.pdf?asat=PERIOD` is /report printed on the
server. Every file goes through domain.views.exports, which escapes formula-like text.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request

from domain.store.accounts import iso
from runtime.auth import accounts, now
from runtime.context import current_dataset
from routes.auth import print_link
from routes.pdf import print_to_pdf
from domain.views.explore import explore_view
from domain.views.url_filters import as_list, split_list
from domain.views.exports import (FORMATS, SHEET_NAMES, csv_bytes, explore_frame,
                                  kpi_values_frame, table_frames, xlsx_bytes)
from domain.rules.periods import PeriodError

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
        dataset = current_dataset()
        return dataset, dataset.resolve_asat(request.args.get("asat"))

    @exports.errorhandler(PeriodError)
    def bad_period(error):
        return jsonify({"error": str(error), "parameter": "asat"}), 400

    @exports.get("/board-pack.pdf")
    def board_pack():
        _dataset, asat = resolve()
        port = request.environ.get("SERVER_PORT", "80")
        url, link_id = print_link(port, f"/report?asat={asat.slug}")
        try:
            body = print_to_pdf(url)
        except RuntimeError as error:
            return jsonify({"error": str(error)}), 503
        finally:  # the printer's session (and its link) end with this request
            accounts().revoke_link(link_id, iso(now()))
            accounts().end_sessions(iso(now()), "printed", link_id=link_id)
        return Response(body, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="board-pack-{asat.slug}.pdf"'})

    @exports.get("/explore.<fmt>")
    def explore(fmt: str):
        """The data behind /explore's charts, for the same choices (`kpi`, `start`, `end`,
        `area`) as the page's URL."""
        args = request.args
        view = explore_view(current_dataset(), split_list(args.getlist("kpi")) or None,
                            args.get("start"), args.get("end"), as_list(args.getlist("area")))
        return _file({"Explore": explore_frame(view)}, "explore", fmt)

    @exports.get("/<table>.<fmt>")
    def table(table: str, fmt: str):
        dataset, asat = resolve()
        args = request.args
        # The same filters as the pages, so a download holds what the page shows.
        filters = {"theme": split_list(args.getlist("theme")),
                   "officer": as_list(args.getlist("officer")),
                   "lead": as_list(args.getlist("lead")),
                   "status": split_list(args.getlist("status"))}
        frames = table_frames(dataset, asat, filters)
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
