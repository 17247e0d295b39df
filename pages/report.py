"""`/report`: the board pack, one printable page (A4 landscape print CSS in assets/report.css)."""

from __future__ import annotations

import dash
from dash import html

from runtime.context import current_dataset
from components import ids
from components.controls import asat_form
from components.report import report_body
from domain.rules.dataset import asat_choices
from domain.views.report import report_view
from domain.rules.access import Permission

dash.register_page(__name__, path="/report", name="Board pack",
                   title="Board pack - Improvement plan",
                   access=Permission.PRESENT)


def layout(asat=None, **_query):
    dataset = current_dataset()
    view = report_view(dataset, asat)
    newer = view.newer_partial
    control = asat_form("/report", asat_choices(dataset), view.asat.slug,
                        form_id=ids.REPORT_ASAT_FORM, select_id=ids.REPORT_ASAT_FORM_ASAT)
    # data-footer: assets/report.js puts it in every printed page's footer (assets/report.css).
    return html.Div(report_body(view, control,
                                f"/report?asat={newer.quarter.slug}" if newer else None),
                    className="report-pack", id=ids.REPORT_PACK, **{"data-footer": view.footer})
