"""`/actions/<ref>` and `POST /api/actions/<ref>/progress` (issue 14): an action's page, its
status history with who reported each, progress reported by contributors as a batch that can be
undone, and bad input refused with the field named."""

from __future__ import annotations

import dash
import pytest

from callbacks import action_page as handlers
from components import ids
from dash_tree import find, texts
from domain.ingest.kinds import ACTION_PROGRESS
from runtime.context import STORE_KEY
from signin import USERS, csrf_headers

URL = "/api/actions/1.1.1/progress"


def post(client, url: str = URL, **body):
    return client.post(url, headers=csrf_headers(client), json=body)


def progress_batches(app):
    return [b for b in app.server.config[STORE_KEY].batches() if b.kind == ACTION_PROGRESS]


def test_a_contributor_reports_progress_as_a_batch_that_can_be_undone(app, client_as, client):
    before = len(progress_batches(app))
    response = post(client_as("contributor"), status="amber", comment="Recruiting",
                    as_at="31/03/2017")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["as_at"], body["reported_by"]) == (
        "AMBER", "2017-03-31", USERS["contributor"])
    assert len(progress_batches(app)) == before + 1
    undo = client.post(f"/api/batches/{body['batch_id']}/undo", headers=csrf_headers(client))
    assert undo.status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"status": "PURPLE", "as_at": "31/03/2017"}, "status"),
    ({"status": "", "as_at": "31/03/2017"}, "status"),
    ({"status": "RED", "as_at": "31/03/2031"}, "as_at"),
    ({"status": "RED", "as_at": "soon"}, "as_at"),
    ({"status": 3, "as_at": "31/03/2017"}, "status"),
])
def test_bad_progress_is_422_naming_the_field(app, client_as, body, field):
    before = len(progress_batches(app))
    response = post(client_as("contributor"), **body)
    assert response.status_code == 422 and response.get_json()["field"] == field
    assert len(progress_batches(app)) == before


def test_an_unknown_action_and_a_viewer_are_refused(app, client_as):
    unknown = post(client_as("contributor"), "/api/actions/9.9.9/progress", status="RED",
                   as_at="31/03/2017")
    assert unknown.status_code == 422 and unknown.get_json()["field"] == "action_ref"
    assert post(client_as("viewer"), status="RED", as_at="31/03/2017").status_code == 403


def test_the_action_page_shows_the_action_and_saves_progress(app, token_for):
    def request(role):
        headers = {"Authorization": f"Bearer {token_for(role, f'Sam the {role}')}"}
        return app.server.test_request_context("/actions/1.1.1", headers=headers)

    def layout(**query):
        return dash.page_registry["pages.action"]["layout"](**query)

    with request("viewer"):
        page = layout(action="1.1.1")
        assert texts(find(page, ids.ACTION_PAGE_TITLE))[0].startswith("Action 1.1.1: ")
        assert find(page, ids.ACTION_PROGRESS_SAVE) is None
        assert texts(find(layout(action="9.9.9"), ids.ACTION_PAGE_TITLE)) == ["Action not found"]
    with request("contributor"):
        assert find(layout(action="1.1.1"), ids.ACTION_PROGRESS_SAVE) is not None
        message, history = handlers.save_progress("1.1.1", "BLUE", "Done <i>now</i>",
                                                  "31/03/2017")
        assert "Saved" in " ".join(texts(message))
        shown = texts(history)
        assert "Done <i>now</i>" in shown and "Sam the contributor" in shown
        refused, nothing = handlers.save_progress("1.1.1", None, "", "31/03/2017")
        assert nothing is None and "Not saved" in " ".join(texts(refused))
