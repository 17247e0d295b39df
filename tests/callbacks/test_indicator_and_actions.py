"""The indicator and actions pages' logic, called directly."""

from __future__ import annotations

from dash import html
from layout_tree import by_id, ids_in, of_type, text

from callbacks.actions import update_actions
from components import ids
from domain.views.actions_view import actions_view, ref_key
from domain.views.indicator import indicator_view


def test_unknown_kpi_gives_none(dataset):
    assert indicator_view(dataset, "99z") is None


def test_indicator_view_carries_values_areas_trajectory_and_actions(dataset):
    view = indicator_view(dataset, "17a", "2016/17 Q4")
    assert view.kpi.ref == "17a" and view.theme.number == 4
    assert view.values and all(o.period.end <= view.asat.end for o in view.values)
    assert set(view.areas) == set(dataset.areas("17a")) and len(view.areas) >= 3
    assert [a.ref for a, _ in view.actions] == [a.ref for a in dataset.plan.actions_citing("17a")]
    if view.status.baseline:
        (start, start_value), (end, end_value) = view.trajectory
        assert (end, end_value) == (view.kpi.due_date, view.kpi.target)
        assert start_value == view.status.baseline.value
    assert list(view.table.columns[:2]) == ["Period", "Whole authority"]
    assert len(view.table) == len(view.values)


def test_indicator_table_shows_counts_when_the_return_has_them(dataset):
    view = indicator_view(dataset, "19a")
    assert {"Numerator", "Denominator"} <= set(view.table.columns)


def test_actions_are_listed_overdue_first_then_by_status_and_due(dataset):
    view = actions_view(dataset, "2017/18 Q2")
    assert len(view.rows) == 58
    slipped = [row.status.timescale_slipped for row in view.rows]
    assert slipped == sorted(slipped, reverse=True)
    assert any(slipped), "the sample data should have actions whose timescale slipped"


def test_actions_filter_by_lead_matches_any_of_the_leads(dataset):
    lead = "Headteacher Virtual School"
    view = actions_view(dataset, leads=(lead,))
    assert view.rows and all(lead in row.action.leads for row in view.rows)
    assert any(len(row.action.leads) > 1 for row in view.rows)  # 3.1.1 has two leads


def test_ref_key_orders_numerically():
    assert sorted(["1.2.10", "1.2.9", "1.10.1"], key=ref_key) == ["1.2.9", "1.2.10", "1.10.1"]


def test_update_actions_returns_the_table_and_the_query(dataset):
    body, query = update_actions(dataset, None, ["6"], [], [])
    assert query == "?theme=6"
    theme_six = [a.ref for a in dataset.plan.actions if a.theme == 6]
    rows = of_type(of_type(by_id(body, ids.ACTIONS_TABLE), html.Tbody), html.Tr)
    assert sorted(text(row.children[0]) for row in rows) == sorted(theme_six)
    assert all(text(row.children[1]).startswith("6. ") for row in rows)
    latest = dataset.latest_quarter().label
    assert text(by_id(body, ids.ACTIONS_SUMMARY)) == \
        f"Showing {len(theme_six)} of 58 actions as at {latest}, overdue first."


def test_update_actions_with_nothing_matching_says_so(dataset):
    body, query = update_actions(dataset, "2016-17Q4", ["6"], ["Nobody"], [])
    assert query == "?theme=6&lead=Nobody&asat=2016-17Q4"
    assert ids.ACTIONS_TABLE not in ids_in(body)
    assert "No actions match these filters" in text(body)
