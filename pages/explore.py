"""`/explore`: caseload and workforce trends (by default 17a-c and 18a-b) with rolling averages,
year-on-year change, areas and published comparators; every choice lives in the URL."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, html

from runtime.context import current_dataset, current_published
from callbacks.explore import update_explore
from callbacks.filters import as_list, split_list
from components import ids
from components.explore import explore_controls
from domain.published.comparators import DEFAULT_AUTHORITY
from domain.views.explore import DEFAULT_KPIS, SMALL_MULTIPLES, area_choices, explore_view
from callbacks.access import protected_callback
from domain.rules.access import Permission

dash.register_page(__name__, path="/explore", name="Explore", title="Explore - Improvement plan",
                   access=Permission.READ)


def layout(kpi=None, start=None, end=None, area=None, view=None, la=None, **_query):
    dataset = current_dataset()
    kpis = split_list(kpi) or DEFAULT_KPIS
    areas, mode = as_list(area), view or SMALL_MULTIPLES
    published, authority = current_published(), str(la or DEFAULT_AUTHORITY)
    body, _ = update_explore(dataset, kpis, start, end, areas, mode, authority, published)
    # The controls hold what is shown: the plan's KPIs (an unknown ref is named in a message)
    # and the periods as read, whatever spelling the URL used.
    shown = explore_view(dataset, kpis, start, end, areas, mode)
    return html.Div([
        html.H1("Explore trends and benchmarks"),
        html.P("Is this real change or noise, and how do we compare? Choose KPIs, a time range "
               "and areas; the address bar keeps your choices so the view can be shared."),
        explore_controls(dataset.plan.kpis, shown.refs, dataset.quarters(),
                         shown.start.slug if shown.start else None,
                         shown.end.slug if shown.end else None,
                         area_choices(dataset, [k.ref for k in dataset.plan.kpis]), areas, mode,
                         [(code, f"{name} ({code})") for code, name in published.authorities()],
                         authority),
        # The spinner shows while the server draws the charts (many KPIs take a moment).
        dcc.Loading(html.Div(body, id=ids.EXPLORE_BODY), id=ids.EXPLORE_LOADING,
                    type="default", delay_show=300),
        dcc.Store(id=ids.EXPLORE_QUERY),
    ])


@protected_callback(
    Permission.READ,
    Output(ids.EXPLORE_BODY, "children"),
    Output(ids.EXPLORE_QUERY, "data"),
    *[Input(control, "value") for control in ids.EXPLORE_CONTROLS],
    prevent_initial_call=True,
)
def on_explore_change(kpis, start, end, areas, mode, authority):
    return update_explore(current_dataset(), kpis, start, end, areas, mode, authority,
                          current_published())


# assets/url_sync.js writes the query into the address bar, so the view can be shared.
clientside_callback(ClientsideFunction("urlsync", "replaceQuery"), Input(ids.EXPLORE_QUERY, "data"),
                    prevent_initial_call=True)
