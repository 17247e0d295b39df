"""Actions page handlers: filter values in, the table and the shareable query string out."""

from __future__ import annotations

from callbacks.filters import as_list, pinned_asat, query_string, split_list
from components.actions import actions_body
from domain.views.actions_view import ActionsView, actions_view
from domain.rules.dataset import Dataset


def actions_content(view: ActionsView, themes, leads, statuses) -> list:
    """The body for a view; its downloads carry the filters on screen."""
    filters = {"theme": split_list(themes), "lead": as_list(leads),
               "status": split_list(statuses)}
    newer = view.newer_partial
    return actions_body(view, filters, "/actions" + query_string(
        **filters, asat=newer.quarter.slug) if newer else None)


def update_actions(dataset: Dataset, asat, themes, leads, statuses) -> tuple[list, str]:
    view = actions_view(dataset, asat, split_list(themes), as_list(leads),
                        split_list(statuses))
    query = query_string(theme=themes, lead=leads, status=statuses,
                         asat=pinned_asat(dataset, asat))
    return actions_content(view, themes, leads, statuses), query
