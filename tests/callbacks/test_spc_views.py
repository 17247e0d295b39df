"""SPC on the KPI page and the overview tiles; action milestones on KPI charts."""

from __future__ import annotations

from components import ids
from components.indicator import indicator_body
from components.spc import spc_icons, xmr_figure
from components.tiles import kpi_tile
from domain.views.indicator import indicator_view
from domain.views.milestones import COMPLETED, DUE, kpi_milestones
from domain.views.overview import overview_view
from domain.rules.rag import Rag
from domain.rules.spc import MIN_POINTS, RULES
from domain.views.spc_view import kpi_xmr, xmr_sentence
from dash_tree import find
from layout_tree import text as text_of


def test_kpi_page_has_an_xmr_chart_with_mean_limits_and_rule_legend(dataset):
    view = indicator_view(dataset, "17a")
    assert len(view.values) >= MIN_POINTS
    body = [c for c in indicator_body(view) if c is not None]
    graph = next(g for g in (find(c, ids.KPI_SPC_CHART) for c in body) if g is not None)
    names = [trace.name for trace in graph.figure.data]
    assert any(n.startswith("Mean") for n in names)
    assert "Upper process limit" in names and "Lower process limit" in names
    result = kpi_xmr(view.kpi, view.values)
    flagged_rules = {r.label for r in RULES if result.flags[r.code]}
    assert flagged_rules <= set(names)
    summary = next(s for s in (find(c, ids.KPI_SPC_SUMMARY) for c in body) if s is not None)
    assert summary.children == xmr_sentence(view.kpi, view.values, result)


def test_rule_breaks_get_their_own_marker_shapes():
    from domain.rules.plan import Kpi
    from domain.rules.rag import Observation
    from domain.rules.periods import parse_period
    kpi = Kpi("x", 1, "m", "o", "quarterly", "10", 10, "percent", None, "lower", "", 
              parse_period("2020/21").end)
    values = [5, 1, 2, 3, 4, 5, 6, 7, 30, 5, 5, 5, 5]
    quarters = ["2017/18 Q1", "2017/18 Q2", "2017/18 Q3", "2017/18 Q4", "2018/19 Q1",
                "2018/19 Q2", "2018/19 Q3", "2018/19 Q4", "2019/20 Q1", "2019/20 Q2",
                "2019/20 Q3", "2019/20 Q4", "2020/21 Q1"]
    observations = [Observation(parse_period(q), v) for q, v in zip(quarters, values)]
    figure = xmr_figure(kpi, observations, kpi_xmr(kpi, observations))
    from components.charts import wrap_title
    rule_traces = [t for t in figure.data if t.name in {wrap_title(r.label) for r in RULES}]
    assert len(rule_traces) >= 2
    assert len({t.marker.symbol for t in rule_traces}) == len(rule_traces)


def test_tiles_show_variation_and_assurance_words_only_with_enough_points(dataset):
    view = overview_view(dataset)
    tiles = [tile for _, tiles in view.sections for tile in tiles]
    long = next(t for t in tiles if len(t.series) >= MIN_POINTS)
    short = next(t for t in tiles if len(t.series) < MIN_POINTS)
    assert "Variation:" in text_of(kpi_tile(long, view.asat.slug))
    assert "Variation:" not in text_of(kpi_tile(short, view.asat.slug))
    assert spc_icons(kpi_xmr(short.kpi, short.series)) is None


def test_milestones_are_due_dates_and_first_blue_or_green_report(dataset):
    kpi_ref = next(k.ref for k in dataset.plan.kpis if dataset.plan.actions_citing(k.ref))
    milestones = kpi_milestones(dataset, kpi_ref)
    actions = dataset.plan.actions_citing(kpi_ref)
    due = {(m.action_ref, m.on) for m in milestones if m.kind == DUE}
    assert due == {(a.ref, a.due_date) for a in actions if a.due_date}
    for m in milestones:
        if m.kind == COMPLETED:
            reports = dataset.reports(m.action_ref)
            first = next(r for r in reports if r.status in (Rag.BLUE, Rag.GREEN))
            assert m.on == first.as_at


def test_kpi_chart_marks_milestones(dataset):
    view = indicator_view(dataset, "17a")
    assert view.milestones
    body = [c for c in indicator_body(view) if c is not None]
    graph = next(g for g in (find(c, ids.KPI_CHART) for c in body) if g is not None)
    assert "Action due date" in [t.name for t in graph.figure.data]
