"""`/report`: the board pack, one printable page (A4 landscape print CSS in assets/report.css)."""

from __future__ import annotations

import dash
from runtime.context import current_dataset
from runtime.context import current_ratings
from domain.views.outcomes import outcomes_by_theme
from components.report import report_pack
from domain.views.report import report_view
from domain.rules.access import Permission

dash.register_page(__name__, path="/report", name="Board pack",
                   title="Board pack - Improvement plan",
                   access=Permission.PRESENT)


def layout(asat=None, **_query):
    dataset = current_dataset()
    view = report_view(dataset, asat)
    return report_pack(view, outcomes_by_theme(dataset, view.asat, current_ratings().ratings()))
