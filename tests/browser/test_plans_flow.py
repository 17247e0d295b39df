"""Plans as data in headless Chromium (issue 13): import next year's plan on /plans (a refused
file first, then the report, preview and Import), read it with the plan switcher while moving
between pages and changing filters, make it current and undo that."""

from __future__ import annotations

from pathlib import Path

import pytest
from signin import USERS, start_signed_in

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[1] / "plan_corpus"


def _upload(dash_duo, name: str):
    dash_duo.find_element("#plans-file input[type=file]").send_keys(str(CORPUS / name))


def _refs(dash_duo) -> list[str]:
    dash_duo.wait_for_element(".kpi-tile .kpi-ref")
    return [e.text for e in dash_duo.find_elements(".kpi-tile .kpi-ref")]


def test_import_next_years_plan_and_read_it_with_the_switcher(dash_duo, app):
    start_signed_in(dash_duo, app, "admin", "/plans")
    dash_duo.wait_for_element("#plans-table")
    dash_duo.wait_for_element("#plans-file input[aria-label='Choose a plan file to import']")

    # A refused plan: each failure names its sheet, row and column; Import stays disabled.
    _upload(dash_duo, "missing_outcome.xlsx")
    dash_duo.wait_for_element("#plans-errors")
    row = dash_duo.find_element("#plans-errors tbody tr").text
    assert row.startswith("themes 4 outcome") and "missing_outcome" in row
    assert dash_duo.find_element("#plans-import").get_attribute("disabled") is not None

    # Next year's plan: the preview shows the target old -> new, then Import stores it.
    _upload(dash_duo, "next_year.xlsx")
    dash_duo.wait_for_element("#plans-targets")
    assert "24% by Mar-17 \u2192 20% by Mar-17" in dash_duo.find_element("#plans-targets").text
    dash_duo.wait_for_element("#plans-import:not([disabled])").click()
    dash_duo.wait_for_contains_text("#plans-message", "Imported as plan 2")
    dash_duo.wait_for_contains_text("#plans-table", "2017-18")
    dash_duo.wait_for_contains_text("#plans-history-table", USERS["admin"])  # who signed in

    # The switcher on the overview: the current plan, then next year's.
    dash_duo.wait_for_page(url=dash_duo.server_url + "/")
    dash_duo.wait_for_contains_text("#plan-switcher-summary", "2016 - 2017")
    assert "19c" in _refs(dash_duo) and "20" not in _refs(dash_duo)
    dash_duo.find_element("#plan-switcher-summary").click()
    dash_duo.wait_for_element("#plan-switcher-2").click()
    dash_duo.wait_for_contains_text("#plan-switcher-summary", "2017 - 2018")
    assert dash_duo.driver.current_url.endswith("/?plan=2")
    dash_duo.wait_for_text_to_equal(".kpi-tile .kpi-ref", "1a")
    assert "20" in _refs(dash_duo) and "19c" not in _refs(dash_duo)

    # A filter written into the address keeps the plan; its callback serves the same plan.
    dash_duo.select_dcc_dropdown("#overview-asat", value="2016/17 Q2")
    dash_duo.wait_for_contains_text("#overview-summary", "as at 2016/17 Q2")
    assert "plan=2" in dash_duo.driver.current_url and "asat=2016-17Q2" in \
        dash_duo.driver.current_url
    assert "20" in _refs(dash_duo)

    # Moving to another page by the navigation keeps the plan too.
    dash_duo.find_element("#nav-actions").click()
    dash_duo.wait_for_element("#actions-table")
    assert "plan=2" in dash_duo.driver.current_url
    dash_duo.find_element("#nav-overview").click()
    assert "20" in _refs(dash_duo)
    dash_duo.wait_for_element("a[href^='/kpi/20']").click()
    dash_duo.wait_for_contains_text("h1", "Early Help assessments")
    assert "/kpi/20?" in dash_duo.driver.current_url and "plan=2" in dash_duo.driver.current_url

    # Make next year's plan current, then undo that from the history.
    dash_duo.wait_for_page(url=dash_duo.server_url + "/plans")
    dash_duo.wait_for_element("button[aria-label='Make current: plan 2 (2017-18)']").click()
    dash_duo.wait_for_contains_text("#plans-action-message", "Plan 2 is now the current plan")
    dash_duo.wait_for_page(url=dash_duo.server_url + "/")
    dash_duo.wait_for_contains_text("#plan-switcher-summary", "(2017-18) (current)")
    dash_duo.wait_for_page(url=dash_duo.server_url + "/plans")
    dash_duo.wait_for_element("#plans-history-table button[aria-label^='Undo batch 5']").click()
    dash_duo.wait_for_contains_text("#plans-action-message", "Batch 5 is rolled back")
    dash_duo.wait_for_page(url=dash_duo.server_url + "/")
    dash_duo.wait_for_contains_text("#plan-switcher-summary", "(2016-17) (current)")
    assert dash_duo.get_logs() == []
