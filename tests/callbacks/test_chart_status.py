"""The KPI chart marks the latest value with the status's shape and word, never colour alone."""

from __future__ import annotations

from components.chart_status import STATUS_MARKERS, status_marker_trace
from components.charts import indicator_figure
from domain.views.indicator import indicator_view
from domain.rules.rag import STATUS_ORDER


def test_every_status_has_its_own_marker_shape():
    shapes = [STATUS_MARKERS[status][0] for status in STATUS_ORDER]
    assert len(set(shapes)) == len(STATUS_ORDER)


def test_latest_value_carries_the_status_word_shape_and_reason(dataset):
    view = indicator_view(dataset, "19a", None)
    trace = status_marker_trace(view)
    word = view.status.status.display.word
    assert list(trace.y) == [view.values[-1].value]
    assert list(trace.text) == [word]
    assert trace.marker.symbol == STATUS_MARKERS[view.status.status][0]
    assert view.status.reason in trace.hovertemplate
    names = [t.name for t in indicator_figure(view).data]
    assert f"Status as at {view.asat.label}: {word}" in names


def test_no_marker_without_values(dataset):
    quiet = next(kpi.ref for kpi in dataset.plan.kpis
                 if not indicator_view(dataset, kpi.ref, "2014/15 Q1").values)
    assert status_marker_trace(indicator_view(dataset, quiet, "2014/15 Q1")) is None
