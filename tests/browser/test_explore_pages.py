"""/explore and the KPI page's SPC and comparators in headless Chromium."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from components import ids
from signin import start_signed_in

pytestmark = pytest.mark.browser


def test_explore_loads_defaults_and_a_kpi_change_updates_url_and_chart(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/explore")
    dash_duo.wait_for_text_to_equal(f"#{ids.EXPLORE_STATUS}", "5 KPIs, small multiples.")
    dash_duo.wait_for_element(f"#{ids.EXPLORE_CHART} .main-svg")
    titles = [e.get_attribute("textContent")
              for e in dash_duo.find_elements(f"#{ids.EXPLORE_CHART} .annotation-text")]
    assert [t.split(":")[0] for t in titles if ":" in t] == ["17a", "17b", "17c", "18a", "18b"]

    dash_duo.select_dcc_dropdown(f"#{ids.EXPLORE_AREA}", value="North")
    dash_duo.wait_for_contains_text(f"#{ids.EXPLORE_TABLE}", "North")
    until(lambda: "area=North" in dash_duo.driver.current_url, timeout=5)

    dash_duo.select_dcc_dropdown(f"#{ids.EXPLORE_MODE}", value="One chart, % of target")
    dash_duo.wait_for_text_to_equal(f"#{ids.EXPLORE_STATUS}", "5 KPIs, as % of target.")
    until(lambda: "view=target" in dash_duo.driver.current_url, timeout=5)
    dash_duo.wait_for_contains_text(f"#{ids.EXPLORE_CHART}", "Value as % of its target")
    assert dash_duo.get_logs() == []


def test_explore_reads_its_state_from_the_url(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/explore?kpi=18a&area=North")
    dash_duo.wait_for_text_to_equal(f"#{ids.EXPLORE_STATUS}", "1 KPI, small multiples.")
    dash_duo.wait_for_contains_text(f"#{ids.EXPLORE_TABLE}", "North")


def test_kpi_19a_shows_spc_england_and_neighbours(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/19a")
    dash_duo.wait_for_element(f"#{ids.KPI_SPC_CHART} .main-svg")
    dash_duo.wait_for_contains_text(f"#{ids.KPI_SPC_SUMMARY}", "process limits")
    dash_duo.wait_for_contains_text(f"#{ids.KPI_COMPARATORS}", "England")
    dash_duo.wait_for_contains_text(f"#{ids.comparator_table(0)}", "Neighbours mean")
    assert "31 March" in dash_duo.find_element(f"#{ids.comparator_source(0)}").text
    legend = dash_duo.find_element(f"#{ids.comparator_chart(0)}").text
    assert "England" in legend and "Statistical neighbours mean" in legend
    assert dash_duo.get_logs() == []
