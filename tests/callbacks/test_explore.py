"""The explore page's logic, called directly."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from callbacks.explore import explore_query, update_explore
from components import ids
from components.explore import explore_figure
from domain.views.explore import (DEFAULT_KPIS, PERCENT_OF_TARGET, explore_view, rolling_average,
                            year_on_year)


def test_defaults_are_caseloads_and_workforce(dataset):
    view = explore_view(dataset)
    assert tuple(s.kpi.ref for s in view.series) == DEFAULT_KPIS == ("17a", "17b", "17c", "18a",
                                                                     "18b")


def test_small_multiples_is_one_figure_with_a_subplot_per_kpi(dataset):
    figure = explore_figure(explore_view(dataset, ("17a", "18a")))
    axes = {trace.yaxis for trace in figure.data}
    assert axes == {"y", "y2"}


def test_rolling_average_is_the_mean_of_four_quarters(dataset):
    observations = dataset.observations("17a")
    rolling = dict(rolling_average(observations))
    fourth = observations[3]
    assert rolling[fourth.period.end] == pytest.approx(
        sum(o.value for o in observations[:4]) / 4)
    assert observations[2].period.end not in rolling


def test_year_on_year_compares_the_same_quarter(dataset):
    observations = dataset.observations("18a")
    yoy = year_on_year(observations)
    assert yoy.year_before.period.number == yoy.period.number
    assert yoy.year_before.period.fiscal_year == yoy.period.fiscal_year - 1
    assert yoy.change == pytest.approx(observations[-1].value - yoy.year_before.value)


def test_time_range_and_areas_filter_the_series(dataset):
    area = dataset.areas("17a")[0]
    view = explore_view(dataset, ("17a",), "2015/16 Q1", "2016/17 Q4", (area,))
    series = view.series[0]
    assert series.values[0].period.label == "2015/16 Q1"
    assert series.values[-1].period.label == "2016/17 Q4"
    assert list(series.areas) == [area]


def test_percent_of_target_overlays_every_kpi_on_one_axis(dataset):
    view = explore_view(dataset, ("17a", "18a"), mode=PERCENT_OF_TARGET)
    figure = explore_figure(view)
    assert len(figure.data) == 2
    kpi = view.series[0].kpi
    assert figure.data[0].y[0] == pytest.approx(view.series[0].values[0].value / kpi.target * 100)


def test_query_keeps_every_choice_and_leaves_out_defaults(dataset):
    assert explore_query(list(DEFAULT_KPIS), None, None, [], "multiples") == ""
    query = explore_query(["17a", "18b"], "2015-16Q1", None, ["North", "South"], "target")
    assert parse_qs(query[1:]) == {"kpi": ["17a,18b"], "start": ["2015-16Q1"],
                                   "area": ["North", "South"], "view": ["target"]}


def test_update_explore_returns_body_and_query(dataset):
    body, query = update_explore(dataset, ["17b"], None, None, [], "multiples")
    assert query == "?kpi=17b"
    assert any(getattr(c, "id", None) == ids.EXPLORE_STATUS for c in body)


def test_unknown_kpi_and_bad_period_are_explained(dataset):
    view = explore_view(dataset, ("17a", "99z"), "not a period")
    assert view.unknown_kpis == ("99z",)
    assert any("99z" in e for e in view.errors) and any("From" in e for e in view.errors)


def test_comparators_join_the_small_multiples_with_their_source(dataset, app):
    from runtime.context import current_published
    with app.server.test_request_context():
        published = current_published()
        body, query = update_explore(dataset, ["18a", "17a"], None, None, [], "multiples", "801",
                                     published)
    figure = next(c for c in body if getattr(c, "className", "") == "chart").children.figure
    names = {t.name for t in figure.data}
    assert any(n.startswith("England") for n in names)
    assert any(n.startswith("Statistical neighbours mean") for n in names)
    notes = [c.children for c in body if getattr(c, "className", "") == "comparator-source"]
    turnover, caseload = notes
    assert "18a" in turnover and "30 September" in turnover
    assert "Turnover rate, DfE children's social work workforce" in turnover
    # 17a's comparator is DfE's caseload per social worker, with how the definitions differ.
    assert "17a" in caseload and "Indicative comparator" in caseload
    assert not any("_fte" in note for note in notes)  # named in words, not column codes
    assert query == "?kpi=18a%2C17a"


def test_authority_other_than_bristol_goes_in_the_query():
    assert explore_query(list(DEFAULT_KPIS), None, None, [], "multiples", "330") == "?la=330"


@pytest.mark.parametrize("query", ["", "?kpi=18a&area=North&view=target&la=330",
                                   "?start=nonsense&kpi=99z"])
def test_explore_layout_renders_inside_a_request(app, query):
    import importlib
    from urllib.parse import parse_qs as parse
    explore_page = importlib.import_module("pages.explore")
    params = {k: v[0] for k, v in parse(query[1:]).items()}
    with app.server.test_request_context("/explore" + query):
        page = explore_page.layout(**params)
    assert page.children[0].children == "Explore trends and benchmarks"


def test_kpi_page_compares_the_chosen_authority(app):
    import importlib
    kpi_page = importlib.import_module("pages.kpi")
    with app.server.test_request_context("/kpi/19a?la=330"):
        page = kpi_page.layout(ref="19a", la="330")
    text = str(page)
    assert "Birmingham, published (EES)" in text and "Bristol, City of, published" not in text
    assert ids.KPI_LA in text


def test_comparators_keep_to_the_chosen_time_range(dataset, app):
    from datetime import date
    from runtime.context import current_published
    with app.server.test_request_context():
        body, _ = update_explore(dataset, ["18a"], None, "2017/18 Q2", [], "multiples", "801",
                                 current_published())
    figure = next(c for c in body if getattr(c, "className", "") == "chart").children.figure
    england = next(t for t in figure.data if t.name.startswith("England"))
    assert all(x <= date(2017, 9, 30) for x in england.x)


def test_action_milestones_are_marked_in_the_small_multiples(dataset):
    view = explore_view(dataset, ("17a", "18a"))
    assert any(series.milestones for series in view.series)
    figure = explore_figure(view)
    marked = [t for t in figure.data if t.name == "Action due date"]
    assert {t.yaxis for t in marked} == {f"y{i + 1}" if i else "y"
                                         for i, s in enumerate(view.series)
                                         if any(m.kind == "due" for m in s.milestones)}
    assert sum(t.showlegend is not False for t in marked) == 1


def test_core_cities_are_in_the_latest_comparators_table(dataset, app):
    from runtime.context import current_published
    from domain.published.comparators import CORE_CITIES
    with app.server.test_request_context():
        body, _ = update_explore(dataset, ["18a", "19a"], None, None, [], "multiples", "801",
                                 current_published())
    table = next(c for c in body if getattr(c, "children", None) is not None
                 and getattr(c.children, "id", None) == ids.EXPLORE_COMPARATORS)
    text = str(table)
    assert all(city in text for city in CORE_CITIES if city != "Bristol")
    assert "18a (Turnover rate, DfE children's social work workforce" in text
    assert "19a (Re-referrals within 12 months" in text
    assert "turnover_rate_fte" not in text and "rereferral_percent" not in text


def test_clearing_every_kpi_asks_for_one(dataset):
    body, _ = update_explore(dataset, [], None, None, [], "multiples")
    status = next(c for c in body if getattr(c, "id", None) == ids.EXPLORE_STATUS)
    assert status.children == "Choose at least one KPI."


def test_by_default_the_comparators_stay_within_the_plans_returns(dataset):
    """With the real published files the years run to 2025 while the plan's returns end in
    2017: drawn whole, they squeezed the plan's series into a corner (issue 15)."""
    import pandas as pd

    from callbacks.explore import published_comparators
    from domain.published.comparators import Comparison, MeasureLink
    from domain.views.explore import explore_view

    years = list(range(2010, 2027))
    table = pd.DataFrame({"year": years, "authority": 1.0, "england": 2.0,
                          "neighbour_mean": 3.0, "neighbour_min": 2.5, "neighbour_max": 3.5,
                          "neighbour_count": 10})

    class Published:
        is_sample = False

        def comparisons(self, kpi_ref, authority):
            link = MeasureLink(kpi_ref, "ees", "f.csv", "m", (), "year to 31 March")
            return [Comparison(link, table, "Bristol")], []

    view = explore_view(dataset, ["19a"])
    traces, _ = published_comparators(view, Published(), "801")
    first = min(o.period.start for o in view.series[0].values)
    last = max(o.period.end for o in view.series[0].values)
    dates = [x for trace in traces["19a"] for x in trace.x]
    assert dates and all(first <= x <= last for x in dates)
