"""Explore handlers: choices in, the figure, table and shareable query string out."""

from __future__ import annotations

from callbacks.filters import as_list, query_string, split_list
from components.explore import explore_body
from domain.dataset import Dataset
from domain.explore import DEFAULT_KPIS, SMALL_MULTIPLES, explore_view


def explore_query(kpis, start, end, areas, mode, authority=None,
                  default_authority=None) -> str:
    """Defaults are left out so a plain /explore follows the defaults."""
    kpis = split_list(kpis)
    return query_string(
        kpi=",".join(kpis) if kpis and kpis != DEFAULT_KPIS else None,
        start=start or None, end=end or None, area=as_list(areas),
        view=mode if mode and mode != SMALL_MULTIPLES else None,
        la=authority if authority and authority != default_authority else None)


def update_explore(dataset: Dataset, kpis, start, end, areas, mode, comparators=None
                   ) -> tuple[list, str]:
    """`comparators` (optional) gives (traces by KPI ref, source notes) for the view."""
    view = explore_view(dataset, split_list(kpis), start, end, as_list(areas),
                        mode or SMALL_MULTIPLES)
    traces, notes = comparators(view) if comparators else ({}, ())
    return (explore_body(view, traces, notes),
            explore_query(kpis, start, end, areas, mode))
