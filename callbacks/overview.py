"""Overview handlers: filter values in, tiles and the shareable query string out."""

from __future__ import annotations

from callbacks.filters import as_list, pinned_asat, query_string, split_list
from components.tiles import overview_body
from domain.rules.dataset import Dataset
from domain.views.overview import OverviewView, overview_view
from domain.views.outcomes import outcomes_by_theme


def overview_query(dataset: Dataset, asat, themes, officers, statuses) -> str:
    """The URL query for a view; the as-at period is left out while it is the default."""
    return query_string(theme=themes, officer=officers, status=statuses,
                        asat=pinned_asat(dataset, asat))


def overview_content(view: OverviewView, themes, officers, statuses,
                     outcomes: dict | None = None) -> list:
    """The body for a view: its downloads carry the filters, and each tile's link carries the
    filters and the period, so the KPI page's "Back to the overview" returns to this view.
    `outcomes`: each theme's ThemeOutcome by number, shown under its heading."""
    filters = {"theme": split_list(themes), "officer": as_list(officers),
               "status": split_list(statuses)}
    newer = view.newer_partial
    return overview_body(
        view, filters, query_string(asat=view.asat.slug, **filters),
        "/" + query_string(**filters, asat=newer.quarter.slug) if newer else None, outcomes)


def update_overview(dataset: Dataset, asat, themes, officers, statuses,
                    ratings=()) -> tuple[list, str]:
    view = overview_view(dataset, asat, split_list(themes), as_list(officers),
                         split_list(statuses))
    outcomes = outcomes_by_theme(dataset, view.asat, ratings)
    return (overview_content(view, themes, officers, statuses, outcomes),
            overview_query(dataset, asat, themes, officers, statuses))
