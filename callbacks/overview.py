"""Overview handlers: filter values in, tiles and the shareable query string out."""

from __future__ import annotations

from callbacks.filters import as_list, pinned_asat, query_string, split_list
from components.tiles import overview_body
from domain.rules.dataset import Dataset
from domain.views.overview import overview_view
from domain.views.outcomes import outcomes_by_theme


def overview_query(dataset: Dataset, asat, themes, officers, statuses) -> str:
    """The URL query for a view; the as-at period is left out while it is the latest."""
    return query_string(theme=themes, officer=officers, status=statuses,
                        asat=pinned_asat(dataset, asat))


def update_overview(dataset: Dataset, asat, themes, officers, statuses,
                    ratings=()) -> tuple[list, str]:
    view = overview_view(dataset, asat, split_list(themes), as_list(officers),
                         split_list(statuses))
    outcomes = outcomes_by_theme(dataset, view.asat, ratings)
    return overview_body(view, outcomes), overview_query(dataset, asat, themes, officers, statuses)
