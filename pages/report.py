"""`/report`: the board pack, one printable page (A4 landscape print CSS in assets/report.css)."""

from __future__ import annotations

import dash

from components import ids
from components.controls import asat_form
from components.report import report_pack
from domain.rules.access import Permission
from domain.rules.dataset import asat_choices
from domain.views.outcomes import outcomes_by_theme
from domain.views.report import report_view
from runtime.context import current_dataset, current_ratings

dash.register_page(__name__, path="/report", name="Board pack",
                   title="Board pack - Improvement plan",
                   access=Permission.PRESENT)


def layout(asat=None, **_query):
    dataset = current_dataset()
    view = report_view(dataset, asat)
    newer = view.newer_partial
    control = asat_form("/report", asat_choices(dataset), view.asat.slug,
                        form_id=ids.REPORT_ASAT_FORM, select_id=ids.REPORT_ASAT_FORM_ASAT)
    return report_pack(view, outcomes_by_theme(dataset, view.asat, current_ratings().ratings()),
                       control, f"/report?asat={newer.quarter.slug}" if newer else None)
