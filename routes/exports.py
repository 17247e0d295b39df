"""Downloads: `GET /export/<table>.csv|.xlsx?asat=PERIOD` and `GET /export/kpi/<ref>.csv|.xlsx`.

Tables: kpis (the overview's tiles; `theme`, `officer` and `status` as on the page), themes (each
outcome's rating), actions (`theme`, `lead`, `status`), returns, progress, comparators (uploaded),
findings; `dataset.xlsx` is all of them in one workbook; `explore.csv|.xlsx` the data behind
/explore's charts (`kpi`, `start`, `end`, `area`). `GET /export/board-pack.pdf?asat=PERIOD` is
/report printed on the server from a static copy of its components (routes/pdf.py: a few at
once, kept per data revision; HEAD answers without printing). Every file goes through
domain.views.exports, which escapes formula-like text.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, jsonify, request

from components.report import board_pack_html
from domain.views.explore import explore_view
from domain.views.url_filters import as_list, split_list
from domain.views.exports import (FORMATS, SHEET_NAMES, csv_bytes, explore_frame,
                                  kpi_values_frame, table_frames, xlsx_bytes)
from domain.rules.periods import PeriodError
from domain.store.source import UnknownPlan
from domain.views.outcomes import outcomes_by_theme, themes_frame
from domain.views.report import report_view
from routes.pdf import (PRINTER_KEY, RETRY_AFTER_SECONDS, PrinterBusy, can_print,
                        no_chromium_message)
from domain.views.signoff import signoff_view
from runtime.context import (batch_authors, current_ratings, current_signoffs, current_store,
                             requested_dataset, requested_plan_id)

MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _file(frames: dict, name: str, fmt: str) -> Response:
    if fmt not in FORMATS or (fmt == "csv" and len(frames) != 1):
        abort(404)
    body = csv_bytes(next(iter(frames.values()))) if fmt == "csv" else xlsx_bytes(frames)
    # content_type, not mimetype: Flask adds "; charset=utf-8" to a text mimetype, and MIME
    # already says it.
    return Response(body, content_type=MIME[fmt], headers={
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
        # The revision first: a commit landing before the dataset is read gives a newer pack
        # under an older key, which no later request asks for; never an older pack kept.
        # Ratings are only ever added, so their count says whether the pack's outcomes changed.
        # The plan asked for is part of the key: each plan has its own pack (issue 13).
        ratings = current_ratings().ratings()
        # Sign-offs are only ever added too: their count says whether the pack's state changed.
        signoffs = current_signoffs().signoffs()
        key = (current_store().revision(), len(ratings), len(signoffs), date.today(),
               requested_plan_id(), request.args.get("asat") or "")
        dataset, asat = resolve()
        headers = {"Content-Disposition": f'attachment; filename="board-pack-{asat.slug}.pdf"'}
        if request.method == "HEAD":  # what a GET would answer, without printing
            if not can_print():
                return jsonify({"error": no_chromium_message()}), 503
            return Response(mimetype="application/pdf", headers=headers)
        printer = current_app.config[PRINTER_KEY]
        try:
            body = printer.pdf((*key[:5], asat.slug),
                               lambda: board_pack_html(
                                   report_view(dataset, asat.slug, signoffs=signoffs,
                                               batches=batch_authors()),
                                   printer.stylesheet_texts(),
                                   outcomes_by_theme(dataset, asat, ratings)))
        except PrinterBusy as error:
            return jsonify({"error": str(error)}), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
        except RuntimeError as error:
            return jsonify({"error": str(error)}), 503
        return Response(body, mimetype="application/pdf", headers=headers)

    @exports.get("/explore.<fmt>")
    def explore(fmt: str):
        """The data behind /explore's charts, for the same choices (`kpi`, `start`, `end`,
        `area`) as the page's URL."""
        args = request.args
        view = explore_view(requested_dataset(), split_list(args.getlist("kpi")) or None,
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
        signoff = signoff_view(dataset, asat, current_signoffs().signoffs(), batch_authors())
        frames = {**table_frames(dataset, asat, filters, signoff),
                  "themes": themes_frame(dataset, asat, current_ratings().ratings())}
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
