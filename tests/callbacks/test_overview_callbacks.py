"""The overview's logic, called directly: no browser."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs

from callbacks.overview import update_overview
from domain.views.overview import overview_view
from domain.rules.rag import Rag


def _all_text(component) -> str:
    """Every string inside a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_all_text(c) for c in component)
    return _all_text(getattr(component, "children", None))


def test_default_view_shows_every_kpi_grouped_by_theme_in_plan_order(dataset):
    view = overview_view(dataset)
    assert view.asat == dataset.latest_quarter()
    assert view.shown == view.total == 34
    assert [theme.number for theme, _ in view.sections] == [1, 2, 3, 4, 5, 6]
    refs = [tile.kpi.ref for _, tiles in view.sections for tile in tiles]
    assert refs == list(dataset.plan.kpi_refs)


def test_counts_follow_theme_and_officer_filters_but_not_the_status_filter(dataset):
    everything = overview_view(dataset)
    reds = overview_view(dataset, statuses=("RED",))
    assert reds.counts == everything.counts
    assert reds.shown == everything.counts[Rag.RED]
    theme4 = overview_view(dataset, themes=("4",))
    assert sum(theme4.counts.values()) == 3
    officer = "Headteacher Virtual School"
    by_officer = overview_view(dataset, officers=(officer,))
    assert {t.kpi.responsible_officer for _, ts in by_officer.sections for t in ts} == {officer}


def test_counts_agree_with_the_statuses(dataset):
    view = overview_view(dataset)
    statuses = dataset.kpi_statuses(view.asat)
    assert Counter(s.status for s in statuses.values()) == Counter(
        {k: v for k, v in view.counts.items() if v})


def test_a_bad_as_at_falls_back_to_the_latest_and_says_why(dataset):
    view = overview_view(dataset, asat_text="2016/17 Q9")
    assert view.asat == dataset.latest_quarter()
    assert "2016/17 Q9" in view.asat_error and "Q1 to Q4" in view.asat_error


def test_tiles_only_carry_values_up_to_the_as_at_period(dataset):
    view = overview_view(dataset, asat_text="2015/16 Q4")
    for _, tiles in view.sections:
        for tile in tiles:
            assert all(o.period.end <= view.asat.end for o in tile.series)


def test_update_overview_returns_tiles_and_a_shareable_query(dataset):
    body, query = update_overview(dataset, "2016-17Q2", ["4"], [], ["RED", "AMBER"])
    text = _all_text(body)
    assert "as at 2016/17 Q2" in text
    assert parse_qs(query[1:]) == {"theme": ["4"], "status": ["RED", "AMBER"],
                                   "asat": ["2016-17Q2"]}


def test_the_latest_as_at_is_left_out_of_the_query(dataset):
    _, query = update_overview(dataset, dataset.latest_quarter().slug, [], [], [])
    assert query == ""
