"""Explore handlers: choices in, the figure, table and shareable query string out."""

from __future__ import annotations

from callbacks.filters import as_list, query_string, split_list
from components.comparators import (comparator_traces, latest_comparators_table,
                                    uploaded_comparators_table, uploaded_traces)
from components.downloads import download_links
from components.explore import explore_body
from domain.published.comparators import DEFAULT_AUTHORITY, PublishedSource
from domain.rules.dataset import Dataset
from domain.views.explore import DEFAULT_KPIS, SMALL_MULTIPLES, ExploreView, explore_view


def explore_query(kpis, start, end, areas, mode, authority=None) -> str:
    """Defaults are left out so a plain /explore follows the defaults."""
    kpis = split_list(kpis)
    return query_string(
        kpi=",".join(kpis) if kpis and kpis != DEFAULT_KPIS else None,
        start=start or None, end=end or None, area=as_list(areas),
        view=mode if mode and mode != SMALL_MULTIPLES else None,
        la=authority if authority and authority != DEFAULT_AUTHORITY else None)


def published_comparators(view: ExploreView, published: PublishedSource | None,
                          authority: str) -> tuple[dict, list[str]]:
    """Comparator traces by KPI ref (the first mapped publication for each KPI, on the date
    its year ends) and a source note for each."""
    traces, notes, latest = {}, [], []
    if published is None:
        return traces, notes
    sample = " SAMPLE (synthetic) data." if published.is_sample else ""
    # Without a chosen range the charts span the plan's own returns: a comparator published for
    # years long after them would squeeze the plan's series into a corner of every chart.
    shown = [o.period for series in view.series for o in series.values]
    start = view.start.start if view.start else min((p.start for p in shown), default=None)
    end = view.end.end if view.end else max((p.end for p in shown), default=None)
    for series in view.series:
        comparisons, _ = published.comparisons(series.kpi.ref, authority)
        if comparisons:
            first = comparisons[0]
            latest.append((series.kpi.ref, first))
            traces[series.kpi.ref] = comparator_traces(first, on_dates=True, start=start,
                                                       end=end)
            notes.append(f"KPI {series.kpi.ref} comparators: {first.authority_name}, England "
                         f"and statistical neighbours from {first.link.label}.{sample}"
                         + (f" {first.link.note}" if first.link.note else ""))
    table = latest_comparators_table(latest)
    return traces, notes + ([table] if table is not None else [])


def uploaded_comparators(view: ExploreView, traces: dict) -> list:
    """Adds each KPI's uploaded comparators (named as uploaded, with their batch) to its
    traces; their table, when there are any."""
    for series in view.series:
        if series.uploaded_comparators:
            traces[series.kpi.ref] = [*traces.get(series.kpi.ref, ()),
                                      *uploaded_traces(series.uploaded_comparators, series.kpi)]
    table = uploaded_comparators_table(
        [(series.kpi, series.uploaded_comparators) for series in view.series])
    return [table] if table is not None else []


def update_explore(dataset: Dataset, kpis, start, end, areas, mode, authority=None,
                   published: PublishedSource | None = None) -> tuple[list, str]:
    view = explore_view(dataset, split_list(kpis), start, end, as_list(areas),
                        mode or SMALL_MULTIPLES)
    traces, notes = published_comparators(view, published, authority or DEFAULT_AUTHORITY)
    notes += uploaded_comparators(view, traces)
    downloads = download_links("explore", None, "the values behind these charts",
                               params={"kpi": ",".join(view.refs), "start": start or "",
                                       "end": end or "", "area": as_list(areas)})
    return (explore_body(view, traces, notes, downloads),
            explore_query(kpis, start, end, areas, mode, authority))
