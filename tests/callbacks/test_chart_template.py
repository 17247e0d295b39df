"""Every chart has simple_white's layout and no trace defaults (issue 10): plotly's templates
carry defaults for two dozen trace types these charts never draw, which cost time to build and
bytes to send; the picture is the same (scatter's only default is a fill pattern with no shape).
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from components import ids
from components.charts import chart_template, indicator_figure
from components.comparators import comparator_figure
from components.explore import explore_figure
from components.indicator import indicator_body
from domain.views.explore import PERCENT_OF_TARGET, SMALL_MULTIPLES, explore_view
from domain.views.indicator import indicator_view
from dash_tree import find

SIMPLE_WHITE = pio.templates["simple_white"]


def assert_simple_white_without_trace_defaults(figure: go.Figure):
    template = figure.layout.template.to_plotly_json()
    assert template.get("data", {}) == {}
    assert template["layout"] == SIMPLE_WHITE.layout.to_plotly_json()


def test_the_template_drops_only_a_scatter_fill_pattern_that_draws_nothing():
    assert "scatter" in SIMPLE_WHITE.data.to_plotly_json()
    (scatter,) = SIMPLE_WHITE.data.scatter
    assert scatter.fillpattern.shape is None  # no pattern shape: nothing is drawn
    assert chart_template().data.to_plotly_json() == {}


def test_the_kpi_charts_use_it(dataset):
    view = indicator_view(dataset, "17a")
    assert_simple_white_without_trace_defaults(indicator_figure(view))
    body = [c for c in indicator_body(view) if c is not None]
    spc = next(g for g in (find(c, ids.KPI_SPC_CHART) for c in body) if g is not None)
    assert_simple_white_without_trace_defaults(spc.figure)


@pytest.mark.parametrize("mode", [SMALL_MULTIPLES, PERCENT_OF_TARGET])
def test_the_explore_charts_use_it(dataset, mode):
    assert_simple_white_without_trace_defaults(explore_figure(explore_view(dataset, mode=mode)))


def test_the_comparator_chart_uses_it(tmp_path):
    from pathlib import Path

    from domain.published.comparators import PublishedSource
    from domain.published.sample import write_published_sample

    links = Path(__file__).resolve().parents[2] / "data" / "plan" / "published_measures.csv"
    source = PublishedSource(write_published_sample(tmp_path / "sample"), links, True)
    comparisons, _ = source.comparisons("19a", "801")
    assert_simple_white_without_trace_defaults(comparator_figure(comparisons[0]))
