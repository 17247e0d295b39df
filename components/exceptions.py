"""The exception report (issue 14): every RED and AMBER KPI with its value, target, reason and
commentary, as a section of the board pack. A KPI nobody has commented on says "No commentary
yet" in bold with a warning sign and a border, not by colour alone. Commentary is a component's
text, never HTML."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from components.status import status_badge
from components.tables import rows_table
from domain.views.commentary import NO_COMMENTARY
from domain.views.exceptions import ExceptionRow

REVISED_WORDS = "revised after sign-off"


def revised_flag(revised: bool) -> html.Span | None:
    """Beside a value changed after its quarter was signed off: words, not a colour."""
    return html.Span(f" ({REVISED_WORDS})", className="revised-flag") if revised else None


def commentary_cell(row: ExceptionRow) -> list:
    if row.commentary is None:
        return [html.Span([html.Span("\u26A0 ", **{"aria-hidden": "true"}),
                           html.Strong(NO_COMMENTARY)], className="no-commentary")]
    parts = [html.Span(row.commentary["commentary"], className="commentary-text")]
    if row.commentary.get("next_steps"):
        parts += [html.Br(), html.Strong("Next steps: "),
                  html.Span(row.commentary["next_steps"], className="commentary-text")]
    if row.commentary.get("by_date"):
        parts += [html.Br(), html.Strong("By: "), row.commentary["by_date"]]
    return parts


def exceptions_table(rows: Sequence[ExceptionRow], caption: str, table_id: str) -> html.Div:
    return rows_table(
        ("KPI", "Measure", "Status", "Value", "Target", "Reason", "Commentary"),
        [(row.kpi.ref, row.kpi.measure, status_badge(row.status.status),
          [row.value_shown, revised_flag(row.revised_after_signoff)], row.kpi.target_label,
          row.status.reason, commentary_cell(row)) for row in rows],
        caption, table_id)


def exception_section(rows: Sequence[ExceptionRow], asat_label: str, section_id: str,
                      table_id: str) -> html.Section:
    missing = sum(1 for row in rows if row.commentary is None)
    return html.Section([
        html.H2("Exception report", id=section_id),
        html.P(f"Every RED and AMBER KPI as at {asat_label}, with what its officers say about "
               f"it. {len(rows)} KPIs; {missing} without commentary yet."),
        exceptions_table(rows, f"RED and AMBER KPIs as at {asat_label}", table_id)
        if rows else html.P("No KPI is RED or AMBER."),
    ], className="report-exceptions report-page")
