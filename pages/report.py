"""`/report`: the board pack, one printable page (A4 landscape print CSS in assets/report.css)."""

from __future__ import annotations

import dash
from dash import html

from callbacks.context import current_dataset
from components.controls import asat_form
from components.report import report_body
from domain.dataset import asat_choices
from domain.report import report_view

dash.register_page(__name__, path="/report", name="Board pack",
                   title="Board pack - Improvement plan")


def layout(asat=None, **_query):
    dataset = current_dataset()
    view = report_view(dataset, asat)
    newer = view.newer_partial
    control = asat_form("/report", asat_choices(dataset), view.asat.slug,
                        form_id="report-asat-form")
    # data-footer: assets/report.js puts it in every printed page's footer (assets/report.css).
    return html.Div(report_body(view, control,
                                f"/report?asat={newer.quarter.slug}" if newer else None),
                    className="report-pack", id="report-pack", **{"data-footer": view.footer})
