"""Markup in the data never becomes live markup on a chart (issue 17, item 5): an area, a KPI's
ref, measure and target, an action's ref and a published authority's name and source, each
holding a link, reach every place a plotly chart shows text (trace names, axis and subplot
titles, hover text and templates, annotations) only escaped."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from components.comparators import comparator_figure, comparator_traces
from components.explore import explore_body
from components.indicator import indicator_body
from domain.published.comparators import Comparison, MeasureLink
from domain.rules.dataset import Dataset
from domain.views.explore import PERCENT_OF_TARGET, SMALL_MULTIPLES, explore_view
from domain.views.indicator import indicator_view

LINK = '<a href="https://evil.example/">x</a>'
ESCAPED = '&lt;a href="https://evil.example/"&gt;x&lt;/a&gt;'
REF = "17a" + LINK  # a KPI ref holding markup, renamed everywhere it is used


def figures(component) -> list:
    """Every plotly figure in a component tree (dcc.Graph's `figure`)."""
    found = []
    stack = [component]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
            continue
        figure = getattr(item, "figure", None)
        if figure is not None:
            found.append(figure)
        children = getattr(item, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    return found


def strings(value) -> list[str]:
    """Every string anywhere in a figure's dict."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []


def assert_escaped(figure, places: int = 1) -> None:
    texts = [t.lower() for t in strings(figure.to_plotly_json())]  # a source is upper-cased
    live = [t for t in texts if "<a " in t or "</a>" in t]
    assert live == [], live
    assert sum(ESCAPED.lower() in t for t in texts) >= places, "the markup never reached it"


@pytest.fixture
def hostile(dataset) -> Dataset:
    plan = dataset.plan
    kpis = tuple(replace(k, ref=REF if k.ref == "17a" else k.ref,
                         measure=f"{k.measure} {LINK}", target_label=f"{k.target_label} {LINK}")
                 for k in plan.kpis)
    actions = tuple(replace(a, ref=a.ref + LINK,
                            kpi_refs=tuple(REF if r == "17a" else r for r in a.kpi_refs))
                    for a in plan.actions)
    returns = dataset.returns.copy()
    returns["kpi_ref"] = returns["kpi_ref"].replace({"17a": REF})
    returns["area"] = returns["area"].replace({"South": LINK})
    progress = dataset.progress.copy()
    progress["action_ref"] = progress["action_ref"] + LINK
    return Dataset.build(replace(plan, kpis=kpis, actions=actions), dataset.findings, returns,
                         progress, dataset.is_sample)


def test_the_kpi_page_charts_show_markup_as_text(app, hostile):
    view = indicator_view(hostile, REF, None)
    assert view is not None and LINK in view.areas
    with app.server.test_request_context("/kpi/17a"):
        charts = figures(indicator_body(view))
    assert len(charts) >= 2  # the values chart and the SPC chart
    for figure in charts:
        # names (area, target), hover templates (area), milestone hover text (action refs)
        assert_escaped(figure, places=3)


@pytest.mark.parametrize("mode", [SMALL_MULTIPLES, PERCENT_OF_TARGET])
def test_the_explore_chart_shows_markup_as_text(app, hostile, mode):
    view = explore_view(hostile, (REF, "18a"), areas=(LINK,), mode=mode)
    comparison = published(LINK)
    traces = {REF: comparator_traces(comparison, on_dates=True)}
    with app.server.test_request_context("/explore"):
        (figure,) = figures(explore_body(view, traces))
    # subplot titles (measure), the area, the KPI ref in hover, the comparator names
    assert_escaped(figure, places=2)


def published(text: str) -> Comparison:
    link = MeasureLink(kpi_ref=REF, source=f"ees {text}", file="f.csv", measure="m", filters=(),
                       year_convention=f"financial year ending March {text}")
    table = pd.DataFrame({"year": [2015, 2016], "authority": [20.0, 21.0],
                          "england": [22.0, 22.5], "neighbour_mean": [21.0, 21.5],
                          "neighbour_min": [18.0, 18.5], "neighbour_max": [25.0, 25.5]})
    return Comparison(link, table, authority_name=f"Bristol {text}")


def test_the_comparator_chart_shows_a_published_name_as_text():
    # the authority's name and the source in trace names, the year convention in the axis title
    assert_escaped(comparator_figure(published(LINK)), places=5)


def test_a_percent_brace_in_a_name_cannot_start_a_hover_template_variable(app, hostile):
    from components.chart_text import chart_text

    assert chart_text("%{customdata[0]}") == "&#37;{customdata[0]}"
    assert chart_text("85% & <b>") == "85% &amp; &lt;b&gt;"
