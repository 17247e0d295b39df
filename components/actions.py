"""The actions table: every action with theme, heading, lead, due, status and reason."""

from __future__ import annotations

from dash import dcc, html

from components import ids
from components.controls import asat_notices
from components.downloads import download_links
from components.status import status_badge, status_counts
from components.tables import rows_table
from domain.views.actions_view import ActionsView


def _action_cell(row) -> list:
    return [html.Strong(row.action.heading), html.Br(),
            html.Span(row.action.description, className="action-description")]


def _due_cell(row) -> list:
    slipped = row.status.timescale_slipped
    return [row.action.due_label,
            html.Span(" Overdue", className="overdue-flag") if slipped else None]


def actions_body(view: ActionsView, filters: dict | None = None,
                 newer_href: str | None = None) -> list:
    """`filters` (theme, lead, status values) go on the downloads, so they hold what is shown;
    `newer_href` opens the newer, partial period."""
    # Issue 14: each ref opens the action's own page (its history; progress for contributors).
    rows = [(dcc.Link(row.action.ref, href=f"/actions/{row.action.ref}"),
             f"{row.theme.number}. {row.theme.title}", _action_cell(row),
             "; ".join(row.action.leads), _due_cell(row), status_badge(row.status.status),
             row.status.reason) for row in view.rows]
    return [
        *asat_notices(view.asat_error, view.partial_note, view.newer_partial, newer_href),
        html.P(f"Showing {len(view.rows)} of {view.total} actions as at {view.asat.label}, "
               "overdue first.", id=ids.ACTIONS_SUMMARY, role="status"),
        status_counts(view.counts, "Actions by status", ids.ACTION_STATUS_COUNTS),
        download_links("actions", view.asat.slug,
                       "the status of the actions shown" if filters and any(filters.values())
                       else "every action's status", params=filters),
        rows_table(("Ref", "Theme", "Action", "Lead", "Due", "Status", "Reason"), rows,
                   f"Plan actions as at {view.asat.label}", ids.ACTIONS_TABLE)
        if rows else html.P("No actions match these filters. Clear a filter to see more.",
                            className="empty-message"),
    ]
