"""Chart shapes are built once: plotly re-validates (copies) every shape already on a figure on
each add_vline/add_shape, so adding marks one at a time costs the square of their number."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import pytest

from components.charts import indicator_figure
from components.explore import explore_figure
from components.milestones import add_milestones
from domain.views.explore import explore_view
from domain.views.indicator import indicator_view
from domain.views.milestones import COMPLETED, DUE, Milestone


@pytest.fixture
def shape_copies(monkeypatch):
    """Counts every Shape plotly builds, including the copies a re-validation makes."""
    count = [0]
    build = go.layout.Shape.__init__

    def counting(self, *args, **kwargs):
        count[0] += 1
        build(self, *args, **kwargs)

    monkeypatch.setattr(go.layout.Shape, "__init__", counting)
    return count


@pytest.fixture
def one_at_a_time_refused(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("shapes must be set in one go, not added one at a time")

    for name in ("add_vline", "add_shape", "add_annotation"):
        monkeypatch.setattr(go.Figure, name, refuse)


def _milestones(n: int) -> list[Milestone]:
    return [Milestone(f"{i}", DUE if i % 2 else COMPLETED, date(2016, 1, 1) + timedelta(days=i))
            for i in range(n)]


def test_sixty_milestones_build_each_line_once(shape_copies):
    figure = go.Figure(go.Scatter(x=[date(2016, 1, 1)], y=[1]))
    add_milestones(figure, _milestones(60), 0)
    assert len(figure.layout.shapes) == 60
    # One at a time this was 60 * 61 / 2 = 1,830 shapes built.
    assert shape_copies[0] <= 2 * 60


def test_milestone_lines_are_dotted_when_due_and_solid_when_completed():
    figure = go.Figure(go.Scatter(x=[date(2016, 1, 1)], y=[1]))
    add_milestones(figure, _milestones(2), 0)
    dashes = {shape.x0: shape.line.dash for shape in figure.layout.shapes}
    assert dashes == {date(2016, 1, 1): "solid", date(2016, 1, 2): "dot"}
    places = {(s.xref, s.yref, s.y0, s.y1) for s in figure.layout.shapes}
    assert places == {("x", "y domain", 0, 1)}


def test_milestone_markers_keep_one_legend_entry_per_kind():
    figure = go.Figure(go.Scatter(x=[date(2016, 1, 1)], y=[1], name="Whole authority"))
    add_milestones(figure, _milestones(4), 0)
    add_milestones(figure, _milestones(4), 0)
    shown = [t.name for t in figure.data if t.showlegend is not False and t.mode == "markers"]
    assert sorted(shown) == sorted({t.name for t in figure.data if t.mode == "markers"})


def test_explore_sets_every_subplots_lines_in_one_go(dataset, shape_copies,
                                                     one_at_a_time_refused):
    view = explore_view(dataset, kpi_refs=[k.ref for k in dataset.plan.kpis])
    figure = explore_figure(view)
    expected = {(f"x{i + 1}" if i else "x", f"y{i + 1} domain" if i else "y domain", m.on)
                for i, series in enumerate(view.series) for m in series.milestones
                if series.values}
    drawn = {(s.xref, s.yref, s.x0) for s in figure.layout.shapes}
    assert drawn == expected and len(expected) > 20
    assert shape_copies[0] <= 2 * len(figure.layout.shapes)


def test_the_kpi_chart_sets_its_due_line_and_label_in_one_go(dataset, one_at_a_time_refused):
    kpi = dataset.plan.kpis[0]
    figure = indicator_figure(indicator_view(dataset, kpi.ref))
    (line,) = figure.layout.shapes
    assert (line.x0, line.x1, line.xref, line.yref, line.line.dash) == (
        kpi.due_date, kpi.due_date, "x", "y domain", "dot")
    (label,) = figure.layout.annotations
    assert label.text == f"Due {kpi.due_date:%b %Y}"
