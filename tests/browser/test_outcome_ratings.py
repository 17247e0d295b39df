"""A board rating recorded through the API appears on the overview, the meeting-room screen and
the board pack, in a real browser (docs/rules.md#the-boards-rating)."""

from __future__ import annotations

import pytest
import requests

from components import ids
from signin import api_token, start_signed_in
from domain.views.outcomes import theme_outcomes

pytestmark = pytest.mark.browser

PERIOD = "2016/17 Q4"


def seen(element) -> str:
    """The element's visible text on one line (a badge's icon and word sit on lines of their
    own in Selenium's text)."""
    return " ".join(element.text.split())


def test_a_board_rating_shows_on_the_overview_present_and_report(dash_duo, app, dataset):
    suggested = theme_outcomes(dataset, dataset.resolve_asat(PERIOD), [])[1].suggested.value
    status = "GREEN" if suggested != "GREEN" else "RED"
    start_signed_in(dash_duo, app)
    response = requests.post(
        f"{dash_duo.server_url}/api/themes/2/rating", timeout=30,
        headers={"Authorization": f"Bearer {api_token(app, 'admin', 'Board chair')}"}, json={
        "period": PERIOD, "status": status, "rationale": "Care leaver offer agreed"})
    assert response.status_code == 201

    dash_duo.wait_for_page(url=dash_duo.server_url + "/?asat=2016-17Q4")
    header = f"#{ids.theme_outcome(2)}"
    dash_duo.wait_for_contains_text(header, "(board)")
    shown = seen(dash_duo.find_element(header))
    assert f"{status} (board)" in shown
    assert "Board chair" in shown and "Care leaver offer agreed" in shown
    assert "Suggested" in shown and f"{suggested}:" in shown

    dash_duo.wait_for_page(url=dash_duo.server_url + "/present?asat=2016-17Q4&interval=3600")
    dash_duo.wait_for_element(f"#{ids.PRESENT_COUNTS}")
    row = [seen(r) for r in dash_duo.find_elements(f"#{ids.PRESENT_COUNTS} tbody tr")
           if r.text.startswith("2.")]
    assert len(row) == 1 and f"{status} (board)" in row[0]

    dash_duo.wait_for_page(url=dash_duo.server_url + "/report?asat=2016-17Q4")
    dash_duo.wait_for_element(f"#{ids.REPORT_OUTCOMES}")
    rows = [seen(r) for r in dash_duo.find_elements(f"#{ids.REPORT_OUTCOMES} tbody tr")]
    assert len(rows) == len(dataset.plan.themes)
    assert f"{status} (board)" in rows[1] and "Care leaver offer agreed" in rows[1]
    assert dash_duo.get_logs() == []
