"""The commentary on /kpi/<ref> (issue 14): the page's section and the save handler, called
inside a request of a fresh app, signed in by token as each role."""

from __future__ import annotations

import pytest

from callbacks import commentary as handlers
from components import ids
from dash_tree import find, texts
from domain.views.commentary import NO_COMMENTARY

PERIOD = "2016/17 Q4"


@pytest.fixture
def as_role(app, token_for):
    """`with as_role("contributor"):` a request to /kpi/19a signed in by a token named Kim."""
    def request(role: str):
        headers = {"Authorization": f"Bearer {token_for(role, f'Kim the {role}')}"}
        return app.server.test_request_context(f"/kpi/19a?asat={PERIOD}", headers=headers)
    return request


def layout():
    import dash

    return dash.page_registry["pages.kpi"]["layout"](ref="19a", asat=PERIOD)


def text(component) -> str:
    return " ".join(texts(component))


def test_a_contributor_saves_a_commentary_and_sees_it_with_its_author(as_role):
    with as_role("contributor"):
        page = layout()
        assert NO_COMMENTARY in text(find(page, ids.KPI_COMMENTARY_NONE))
        assert find(page, ids.KPI_COMMENTARY_SAVE) is not None
        message, body = handlers.save_commentary("19a", PERIOD, "Staffing <b>gaps</b>",
                                                 "Agency cover", "30/06/2017")
        assert "Saved" in text(message)
        shown = text(body)
        assert "Staffing <b>gaps</b>" in shown and "Written by Kim" in shown
        again = text(find(layout(), ids.KPI_COMMENTARY_HISTORY))
        assert "Staffing <b>gaps</b>" in again and "Kim" in again


def test_a_bad_commentary_is_not_saved_and_says_why(as_role):
    with as_role("contributor"):
        message, body = handlers.save_commentary("19a", "2030/31 Q1", "", None, None)
        assert body is None
        said = text(message)
        assert said.startswith("Not saved") and "no commentary" in said
        assert find(layout(), ids.KPI_COMMENTARY_NONE) is not None


def test_a_viewer_sees_the_commentary_but_no_form(as_role):
    with as_role("contributor"):
        handlers.save_commentary("19a", PERIOD, "Written once", "", "")
    with as_role("viewer"):
        page = layout()
        assert find(page, ids.KPI_COMMENTARY_SAVE) is None
        assert "Written once" in text(find(page, ids.KPI_COMMENTARY_LATEST))
