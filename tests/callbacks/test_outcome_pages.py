"""Theme outcomes on the pages (docs/rules.md#rag-rating-of-a-theme-outcome): the overview's
theme headers, the first slide of /present, the /report summary and the /theme/<n> page, each
layout called as Dash calls it inside a request to a fresh app."""

from __future__ import annotations

import pytest
from signin import USERS, csrf_headers
from dash import html
from layout_tree import by_id, ids_in, of_type, text

from components import ids
from domain.views.outcomes import theme_outcomes
from domain.views.present import slide_count

PERIOD = "2016/17 Q4"


@pytest.fixture
def rated(client, dataset):
    """Theme 2 rated by the board at 2016/17 Q4, differently from the suggestion."""
    suggested = theme_outcomes(dataset, dataset.resolve_asat(PERIOD), [])[1].suggested.value
    status = "GREEN" if suggested != "GREEN" else "RED"
    response = client.post("/api/themes/2/rating", headers=csrf_headers(client), json={
        "period": PERIOD, "status": status, "rationale": "Care leaver offer agreed"})
    assert response.status_code == 201
    return status, suggested


def test_overview_has_an_outcome_header_per_theme_with_the_suggestion(layout, dataset):
    page = layout("overview", asat="2016-17Q4")
    outcomes = theme_outcomes(dataset, dataset.resolve_asat(PERIOD), [])
    for outcome in outcomes:
        header = text(by_id(page, ids.theme_outcome(outcome.theme)))
        assert f"{outcome.suggested.value} (suggested)" in header
        assert outcome.suggested_reason in header
        assert outcome.outcome in header  # in the <details>, on demand


def test_overview_shows_the_boards_rating_beside_the_suggestion(layout, rated):
    status, suggested = rated
    header = text(by_id(layout("overview", asat="2016-17Q4"), ids.theme_outcome(2)))
    assert f"{status} (board)" in header
    assert USERS["admin"] in header and "Care leaver offer agreed" in header
    assert "Suggested" in header and f"{suggested}: " in header  # its reason starts so
    # Another quarter: the suggestion only.
    q3 = text(by_id(layout("overview", asat="2016-17Q3"), ids.theme_outcome(2)))
    assert "(suggested)" in q3 and USERS["admin"] not in q3


def test_present_first_slide_has_each_themes_outcome(layout, rated):
    status, _ = rated
    page = layout("present", asat="2016-17Q4", interval="3600")
    counts = by_id(page, ids.PRESENT_COUNTS)
    assert "Outcome" in text(counts)
    row = [r for r in of_type(counts, html.Tr) if "2. " in text(r)][0]
    assert f"{status} (board)" in text(row)


def test_present_theme_slide_has_its_outcome(layout, dataset):
    last = slide_count(dataset, PERIOD, "3")  # the summary slides, then theme 3's
    page = layout("present", asat="2016-17Q4", interval="3600", slide=str(last), theme="3")
    line = text(by_id(page, ids.PRESENT_OUTCOME))
    outcome = theme_outcomes(dataset, dataset.resolve_asat(PERIOD), [])[2]
    assert line.startswith("Outcome: ")
    assert f"{outcome.suggested.value} (suggested) {outcome.suggested_reason}" in line


def test_report_summary_tables_the_six_outcomes(layout, rated, dataset):
    status, _ = rated
    table = by_id(layout("report", asat="2016-17Q4"), ids.REPORT_OUTCOMES)
    rows = of_type(table, html.Tr)
    assert len(rows) == 1 + len(dataset.plan.themes) == 7
    assert f"{status} (board)" in text(rows[2]) and "Care leaver offer agreed" in text(rows[2])


def test_theme_page_shows_statement_rating_history_kpis_and_actions(layout, rated, dataset):
    status, suggested = rated
    page = layout("theme", n="2", asat="2016-17Q4")
    plan = dataset.plan
    assert text(by_id(page, ids.THEME_PAGE_TITLE)) == f"Theme 2: {plan.theme(2).title}"
    assert plan.theme(2).outcome in text(by_id(page, ids.THEME_PAGE_OUTCOME))
    history = of_type(by_id(page, ids.THEME_PAGE_HISTORY), html.Tr)
    assert len(history) == 1 + len(dataset.quarters())
    assert text(history[1]).startswith(dataset.quarters()[-1].label)  # latest first
    rated_row = [text(r) for r in history if text(r).startswith(PERIOD)]
    assert len(rated_row) == 1 and f"{status} (board)" in rated_row[0]
    assert sum("(board)" in text(r) for r in history) == 1  # only the quarter it rated
    changes = text(by_id(page, ids.THEME_PAGE_BOARD_CHANGES))
    assert USERS["admin"] in changes and "Care leaver offer agreed" in changes
    kpi_refs = [k.ref for k in plan.kpis if k.theme == 2]
    assert all(ref in text(by_id(page, ids.THEME_PAGE_KPIS)) for ref in kpi_refs)
    action_refs = [a.ref for a in plan.actions if a.theme == 2]
    assert all(ref in text(by_id(page, ids.THEME_PAGE_ACTIONS)) for ref in action_refs)


def test_theme_page_for_an_unknown_theme_says_so(layout):
    page = layout("theme", n="9")
    assert text(by_id(page, ids.THEME_PAGE_TITLE)) == "Theme not found"
    assert ids.THEME_PAGE_OUTCOME not in ids_in(page)
