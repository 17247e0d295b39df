"""A KPI's history across versions and plans (issue 13): its target over time, and where its
definition (the measure) changed between plans."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from components import ids

from components.tables import rows_table
from domain.rules.dataset import TargetStep
from domain.rules.plan import Plan


def target_history(kpi_ref: str, steps: Sequence[TargetStep]) -> html.Section:
    """The target and due date from each day a version of the plan set them."""
    rows = [(step.target_label, f"{step.due_label} ({step.due_date:%d %B %Y})",
             f"{step.in_force_from:%d %B %Y}", step.imported_by or "-",
             step.imported_at[:10] or "-") for step in steps]
    return html.Section([
        html.H2("Target history"),
        html.P("A period's status uses the target in force at the end of that period, so a "
               "revised target never changes the status of an earlier period."),
        rows_table(("Target", "Due", "In force from", "Imported by", "Imported on"), rows,
                   f"Target history of KPI {kpi_ref}", ids.KPI_TARGET_HISTORY),
    ], id=ids.KPI_TARGET_HISTORY_SECTION)


def definition_changes(kpi_ref: str, definitions: Sequence[tuple[Plan, str]]
                       ) -> html.Section | None:
    """Every plan defining the ref, oldest first, and where its measure changed; None when
    every plan measures the same thing (or only one defines it)."""
    def words(text: str) -> str:
        return " ".join(text.split()).casefold()

    if len({words(measure) for _, measure in definitions}) < 2:
        return None
    rows, changes, before = [], [], None
    for plan, measure in definitions:
        if before is None:
            change = "first plan"
        elif words(measure) == words(before[1]):
            change = "same as before"
        else:
            change = f"changed since {before[0].years}"
            changes.append(f"between {before[0].years} and {plan.years}")
        rows.append((plan.years, plan.title, measure, change))
        before = (plan, measure)
    return html.Section([
        html.H2("Definition across plans"),
        html.P(f"KPI {kpi_ref}'s values are kept across plans, but what it measures changed "
               f"{' and '.join(changes)}: read values either side of a change with care.",
               id=ids.KPI_DEFINITION_SUMMARY),
        rows_table(("Years", "Plan", "Measure", "Change"), rows,
                   f"What KPI {kpi_ref} measures in each plan", ids.KPI_DEFINITIONS),
    ], id=ids.KPI_DEFINITIONS_SECTION)
