"""Open each page in headless Chromium, change a filter and check what shows."""

from __future__ import annotations

import pytest

from components import ids
from signin import start_signed_in

pytestmark = pytest.mark.browser


def _statuses_as_at_latest(dataset):
    asat = dataset.latest_quarter()
    return asat, dataset.kpi_statuses(asat)


def test_overview_shows_every_kpi_and_filters_by_status(dash_duo, app, dataset):
    asat, statuses = _statuses_as_at_latest(dataset)
    red = [ref for ref, s in statuses.items() if s.status.value == "RED"]
    assert red, "the sample data should have RED KPIs as at the latest period"

    start_signed_in(dash_duo, app)
    dash_duo.wait_for_text_to_equal(f"#{ids.OVERVIEW_SUMMARY}",
                                    f"Showing 34 of 34 KPIs as at {asat.label}.")
    assert len(dash_duo.find_elements(".kpi-tile-item")) == 34
    assert dash_duo.find_element("h1").text == "Improvement plan overview"

    dash_duo.select_dcc_dropdown(f"#{ids.OVERVIEW_STATUS}", value="RED")
    dash_duo.wait_for_text_to_equal(f"#{ids.OVERVIEW_SUMMARY}",
                                    f"Showing {len(red)} of 34 KPIs as at {asat.label}.")
    words = [e.text for e in dash_duo.find_elements(".kpi-tile .rag-word")]
    assert words == ["RED"] * len(red)
    assert "status=RED" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_overview_reads_filters_from_the_url(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/?theme=5")
    dash_duo.wait_for_element(f"#{ids.theme_heading(5)}")
    headings = [e.text for e in dash_duo.find_elements(".theme-section h2")]
    assert headings == ["Theme 5: Workforce"]
    refs = [e.text for e in dash_duo.find_elements(".kpi-tile .kpi-ref")]
    assert refs == [k.ref for k in dataset.plan.kpis if k.theme == 5]


def test_as_at_selector_changes_the_statuses(dash_duo, app, dataset):
    earlier = dataset.resolve_asat("2016/17 Q2")
    expected = dataset.kpi_statuses(earlier)
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_element(f"#{ids.OVERVIEW_ASAT}")
    dash_duo.select_dcc_dropdown(f"#{ids.OVERVIEW_ASAT}", value=earlier.label)
    dash_duo.wait_for_text_to_equal(f"#{ids.OVERVIEW_SUMMARY}",
                                    f"Showing 34 of 34 KPIs as at {earlier.label}.")
    words = [e.text for e in dash_duo.find_elements(".kpi-tile .rag-word")]
    assert words == [expected[k.ref].status.value for k in dataset.plan.kpis]
    assert "asat=2016-17Q2" in dash_duo.driver.current_url


def test_a_tile_opens_its_indicator_page(dash_duo, app, dataset):
    kpi = dataset.plan.kpi("19a")
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_element(".kpi-tile .kpi-link")
    link = next(e for e in dash_duo.find_elements(".kpi-tile .kpi-link")
                if e.text.startswith("19a "))
    link.click()
    dash_duo.wait_for_contains_text("h1", kpi.measure)
    assert "/kpi/19a" in dash_duo.driver.current_url
    dash_duo.wait_for_element(f"#{ids.KPI_CHART} .main-svg")
    assert kpi.target_label in dash_duo.find_element(f"#{ids.KPI_CHART_SUMMARY}").text
    assert dash_duo.find_element(f"#{ids.KPI_REASON}").text


def test_indicator_page_shows_areas_table_and_citing_actions(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/17a")
    dash_duo.wait_for_element(f"#{ids.KPI_VALUES}")
    header = [e.text for e in dash_duo.find_elements(f"#{ids.KPI_VALUES} th")]
    for area in dataset.areas("17a"):
        assert area in header
    action_refs = [e.text for e in
                   dash_duo.find_elements(f"#{ids.KPI_ACTIONS} tbody tr td:first-child")]
    assert action_refs == [a.ref for a in dataset.plan.actions_citing("17a")]
    dash_duo.wait_for_element(f"#{ids.KPI_CHART} .legendtext")
    legend = [e.get_attribute("textContent")
              for e in dash_duo.find_elements(f"#{ids.KPI_CHART} .legendtext")]
    assert legend[:4] == ["Whole authority", *dataset.areas("17a")]
    assert "Target 60" in legend


def test_unknown_kpi_says_so_and_lists_the_real_ones(dash_duo, app):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/kpi/99z")
    dash_duo.wait_for_text_to_equal("h1", "KPI not found")
    assert len(dash_duo.find_elements(".kpi-index li")) == 34


def test_actions_page_filters_by_theme_and_lists_overdue_first(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/actions")
    dash_duo.wait_for_element(f"#{ids.ACTIONS_TABLE}")
    assert len(dash_duo.find_elements(f"#{ids.ACTIONS_TABLE} tbody tr")) == 58
    theme = dataset.plan.theme(6)
    dash_duo.select_dcc_dropdown(f"#{ids.ACTIONS_THEME}", value=f"6. {theme.title}")
    expected = [a.ref for a in dataset.plan.actions if a.theme == 6]
    dash_duo.wait_for_contains_text(f"#{ids.ACTIONS_SUMMARY}", f"Showing {len(expected)} of 58")
    refs = [e.text for e in dash_duo.find_elements(f"#{ids.ACTIONS_TABLE} tbody tr td:first-child")]
    assert sorted(refs) == sorted(expected)
    overdue = [r.find_elements("css selector", ".overdue-flag") != []
               for r in dash_duo.find_elements(f"#{ids.ACTIONS_TABLE} tbody tr")]
    assert overdue == sorted(overdue, reverse=True)  # every overdue row comes first
    assert "theme=6" in dash_duo.driver.current_url


def test_data_quality_page_lists_the_findings(dash_duo, app, dataset):
    start_signed_in(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/data-quality")
    dash_duo.wait_for_element(f"#{ids.FINDINGS_TABLE}")
    rows = dash_duo.find_elements(f"#{ids.FINDINGS_TABLE} tbody tr")
    assert len(rows) == len(dataset.findings)
    assert "6.1.1" in dash_duo.find_element(f"#{ids.FINDINGS_TABLE}").text
