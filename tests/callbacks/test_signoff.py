"""Signing a quarter off (issue 14, docs/rules.md#signing-a-period-off): the API by role, the
pack's Draft state and who signed it, values revised after sign-off, the /report button."""

from __future__ import annotations

import pytest

from components import ids
from components.report import board_pack_html
from dash_tree import find, texts
from domain.views.report import report_view
from runtime.context import DATASET_SOURCE_KEY, SIGNOFFS_KEY
from signin import USERS, csrf_headers

SLUG = "2016-17Q4"
PERIOD = "2016/17 Q4"


def post(client, url: str, **kwargs):
    return client.post(url, headers=csrf_headers(client), **kwargs)


def pack_html(app) -> str:
    dataset = app.server.config[DATASET_SOURCE_KEY].current(None)
    signoffs = app.server.config[SIGNOFFS_KEY].signoffs()
    store = app.server.config["RETURNS_STORE"]
    batches = {b.id: (b.who, b.created_at) for b in store.batches()}
    return board_pack_html(report_view(dataset, PERIOD, signoffs=signoffs, batches=batches), [])


def test_an_admin_signs_a_quarter_off_once_and_the_pack_names_them(app, client):
    assert "Draft: not signed off" in pack_html(app)
    response = post(client, f"/api/periods/{SLUG}/signoff")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["period"], body["signed_by"]) == (PERIOD, USERS["admin"]) and body["signed_at"]
    again = post(client, "/api/periods/Q4 2016-17/signoff")
    assert again.status_code == 200 and again.get_json()["already_signed_off"] is True
    assert again.get_json()["signed_at"] == body["signed_at"]
    html = pack_html(app)
    assert f"Signed off by {USERS['admin']}" in html and "Draft: not signed off" not in html
    assert len(app.server.config[SIGNOFFS_KEY].signoffs()) == 1


@pytest.mark.parametrize("role", ["contributor", "viewer", "display"])
def test_only_admins_sign_off(app, client_as, role):
    assert post(client_as(role), f"/api/periods/{SLUG}/signoff").status_code == 403
    assert app.server.config[SIGNOFFS_KEY].signoffs() == []


@pytest.mark.parametrize("period, words", [("2016-17Q5", "not"), ("2030-31Q1", "not ended"),
                                           ("2001-02Q1", "outside the plan")])
def test_a_bad_period_is_422_and_nothing_is_stored(app, client, period, words):
    response = post(client, f"/api/periods/{period}/signoff")
    assert response.status_code == 422
    assert response.get_json()["field"] == "period" and words in response.get_json()["error"]
    assert app.server.config[SIGNOFFS_KEY].signoffs() == []


def test_a_value_changed_after_sign_off_is_marked_and_listed(app, client):
    red = [k for k in client.get(f"/api/kpis?asat={PERIOD}").get_json()["kpis"]
           if k["status"] == "RED" and k["period"] == PERIOD]
    ref = red[0]["ref"]
    post(client, f"/api/periods/{SLUG}/signoff")
    value = red[0]["value"]
    upload = post(client, "/api/returns", data=f"kpi_ref,period,value\n{ref},{PERIOD},"
                  f"{value + 1}\n".encode(), content_type="text/csv")
    assert upload.status_code == 200, upload.get_json()
    html = pack_html(app)
    assert "revised after sign-off" in html
    assert 'id="report-revisions"' in html and f"<td>{ref}</td>" in html
    csv = client.get(f"/export/exceptions.csv?asat={SLUG}").data.decode("utf-8-sig")
    assert "Signed off by" in csv and ",yes," in csv


def test_the_exports_say_draft_before_sign_off(client):
    csv = client.get(f"/export/exceptions.csv?asat={SLUG}").data.decode("utf-8-sig")
    assert "Draft: not signed off" in csv


def test_the_report_button_signs_off_for_admins_only(app, token_for):
    import dash

    from callbacks.signoff import sign_off_view

    def layout(role):
        headers = {"Authorization": f"Bearer {token_for(role, f'Pat the {role}')}"}
        return app.server.test_request_context(f"/report?asat={SLUG}", headers=headers)

    with layout("viewer"):
        page = dash.page_registry["pages.report"]["layout"](asat=SLUG)
        assert find(page, ids.REPORT_SIGNOFF_BUTTON) is None
        assert "Draft: not signed off" in texts(find(page, ids.REPORT_SIGNOFF_BODY))
    with layout("admin"):
        page = dash.page_registry["pages.report"]["layout"](asat=SLUG)
        assert find(page, ids.REPORT_SIGNOFF_BUTTON) is not None
        message, body = sign_off_view(PERIOD)
        assert "Signed off: " in texts(message)
        assert any(t.startswith("Signed off by Pat the admin") for t in texts(body))
        page = dash.page_registry["pages.report"]["layout"](asat=SLUG)
        assert find(page, ids.REPORT_SIGNOFF_BUTTON) is None
        assert any(t.startswith("Signed off by Pat") for t in texts(find(page, ids.REPORT_STATE)))


def test_the_api_and_the_kpi_page_mark_a_value_revised_after_sign_off(app, client):
    import dash

    post(client, f"/api/periods/{SLUG}/signoff")
    upload = post(client, "/api/returns", data=f"kpi_ref,period,value\n19a,{PERIOD},23.5\n"
                  .encode(), content_type="text/csv")
    assert upload.status_code == 200
    values = client.get(f"/api/kpis/19a?asat={SLUG}").get_json()["values"]
    marked = {(v["period"], v["area"]) for v in values if v["revised_after_signoff"]}
    assert marked == {(PERIOD, "")}
    with app.server.test_request_context(f"/kpi/19a?asat={SLUG}"):
        page = dash.page_registry["pages.kpi"]["layout"](ref="19a", asat=SLUG)
    assert "revised after sign-off" in texts(find(page, ids.KPI_VALUES))
