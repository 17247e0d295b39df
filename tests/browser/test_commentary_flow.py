"""Issue 14 in headless Chromium: a contributor writes a commentary on a RED KPI on its page,
and finds it in the board pack's exception report."""

from __future__ import annotations

import pytest

from components import ids
from domain.rules.rag import Rag
from signin import USERS, start_signed_in

pytestmark = pytest.mark.browser

SLUG = "2016-17Q4"


def test_a_commentary_written_on_a_red_kpi_shows_in_the_report(dash_duo, app, dataset):
    asat = dataset.resolve_asat(SLUG)
    statuses = dataset.at(asat).kpi_statuses(asat)
    ref = next(k.ref for k in dataset.plan.kpis if statuses[k.ref].status is Rag.RED
               and k.frequency == "quarterly")
    text = "Two teams short of social workers since January; agency cover agreed."

    start_signed_in(dash_duo, app, "contributor")
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/kpi/{ref}?asat={SLUG}")
    dash_duo.wait_for_element(f"#{ids.KPI_COMMENTARY_NONE}")
    dash_duo.find_element(f"#{ids.KPI_COMMENTARY_TEXT}").send_keys(text)
    dash_duo.find_element(f"#{ids.KPI_COMMENTARY_NEXT_STEPS}").send_keys("Recruit two seniors")
    dash_duo.find_element(f"#{ids.KPI_COMMENTARY_SAVE}").click()
    dash_duo.wait_for_contains_text(f"#{ids.KPI_COMMENTARY_RESULT}", "Saved")
    dash_duo.wait_for_contains_text(f"#{ids.KPI_COMMENTARY_LATEST}", text)
    dash_duo.wait_for_contains_text(f"#{ids.KPI_COMMENTARY_HISTORY}", USERS["contributor"])

    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/report?asat={SLUG}")
    dash_duo.wait_for_element(f"#{ids.REPORT_EXCEPTIONS_TABLE}")
    row = next(r.text for r in dash_duo.find_elements(f"#{ids.REPORT_EXCEPTIONS_TABLE} tbody tr")
               if r.text.startswith(ref))
    assert text in row and "Recruit two seniors" in row
    assert "No commentary yet" in dash_duo.find_element(f"#{ids.REPORT_EXCEPTIONS_TABLE}").text
    assert "Draft: not signed off" in dash_duo.find_element(f"#{ids.REPORT_STATE}").text
    assert dash_duo.get_logs() == []
