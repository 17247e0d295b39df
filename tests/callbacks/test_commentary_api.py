"""POST /api/kpis/<ref>/commentary and the commentary in GET /api/kpis/<ref> (issue 14,
docs/rules.md#kpi-commentary) through the Flask test client on a fresh app."""

from __future__ import annotations

import pytest

from domain.ingest.kinds import KPI_COMMENTARY
from runtime.context import STORE_KEY
from signin import USERS, csrf_headers

PERIOD = "2016/17 Q4"
URL = "/api/kpis/19a/commentary"


def post(client, url: str = URL, **body):
    return client.post(url, headers=csrf_headers(client), json=body)


def commentary_batches(app):
    return [b for b in app.server.config[STORE_KEY].batches() if b.kind == KPI_COMMENTARY]


def test_a_contributor_writes_a_commentary_and_the_api_shows_it(app, client_as):
    client = client_as("contributor")
    response = post(client, period="Q4 2016/17", text="Two teams short of staff.",
                    next_steps="Agency cover agreed", by="30/06/2017")
    assert response.status_code == 201, response.get_json()
    stored = response.get_json()
    assert (stored["kpi_ref"], stored["period"], stored["text"], stored["next_steps"],
            stored["by"]) == ("19a", PERIOD, "Two teams short of staff.", "Agency cover agreed",
                              "2017-06-30")
    assert stored["written_by"] == USERS["contributor"] and stored["written_at"]
    detail = client.get(f"/api/kpis/19A?asat={PERIOD}").get_json()
    assert detail["commentary"]["text"] == "Two teams short of staff."
    assert detail["commentary"]["by"] == "2017-06-30"
    assert client.get("/api/kpis/19a?asat=2016/17 Q3").get_json()["commentary"] is None
    [batch] = commentary_batches(app)
    assert batch.who == USERS["contributor"]


def test_every_edit_is_a_batch_and_the_latest_stands(app, client):
    for text in ("First", "Second", "First"):
        assert post(client, period=PERIOD, text=text).status_code == 201
    assert client.get(f"/api/kpis/19a?asat={PERIOD}").get_json()["commentary"]["text"] == "First"
    assert len(commentary_batches(app)) == 3
    again = post(client, period=PERIOD, text="First")
    assert again.status_code == 200 and again.get_json()["unchanged"] is True
    assert len(commentary_batches(app)) == 3
    history = app.server.config[STORE_KEY].kind_history(
        KPI_COMMENTARY, {"kpi_ref": "19a", "period": PERIOD})
    assert list(history["commentary"]) == ["First", "Second", "First"]
    assert set(history["who"]) == {USERS["admin"]}


def test_undoing_the_edit_brings_back_the_one_before(app, client):
    post(client, period=PERIOD, text="Before")
    latest = post(client, period=PERIOD, text="After").get_json()["batch_id"]
    client.post(f"/api/batches/{latest}/undo", headers=csrf_headers(client))
    assert client.get(f"/api/kpis/19a?asat={PERIOD}").get_json()["commentary"]["text"] == "Before"


@pytest.mark.parametrize("body, field, words", [
    ({"period": PERIOD, "text": ""}, "text", "no commentary"),
    ({"period": PERIOD, "text": "   "}, "text", "no commentary"),
    ({"period": PERIOD, "text": "x" * 4001}, "text", "4,001 characters"),
    ({"period": PERIOD, "text": "ok", "next_steps": "y" * 4001}, "next_steps", "4,000"),
    ({"period": "2016/17 Q5", "text": "ok"}, "period", "not a reporting period"),
    ({"period": "2030/31 Q1", "text": "ok"}, "period", "has not ended"),
    ({"period": "", "text": "ok"}, "period", "no period"),
    ({"period": PERIOD, "text": "ok", "by": "next June"}, "by", "not a date"),
    ({"period": PERIOD, "text": 7}, "text", "must be text"),
    ({"period": PERIOD, "text": "a\x01b"}, "text", "control character"),
])
def test_bad_input_is_422_naming_the_field_and_nothing_is_stored(app, client_as, body, field,
                                                                 words):
    response = post(client_as("contributor"), **body)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["field"] == field, answer
    assert words in answer["error"].lower() or words in answer["error"], answer["error"]
    assert commentary_batches(app) == []


def test_a_period_the_kpi_does_not_report_and_an_unknown_kpi_are_refused(app, client):
    annual = post(client, "/api/kpis/9a/commentary", period="2016/17 Q2", text="ok")
    assert annual.status_code == 422 and annual.get_json()["field"] == "period"
    assert "annual" in annual.get_json()["error"]
    unknown = post(client, "/api/kpis/99z/commentary", period=PERIOD, text="ok")
    assert unknown.status_code == 422 and unknown.get_json()["field"] == "kpi_ref"
    not_json = client.post(URL, headers=csrf_headers(client), data="text")
    assert not_json.status_code == 422 and not_json.get_json()["field"] == "body"
    assert commentary_batches(app) == []


def test_viewers_and_displays_may_not_write_commentary(app, client_as):
    for role in ("viewer", "display"):
        assert post(client_as(role), period=PERIOD, text="ok").status_code == 403
    assert commentary_batches(app) == []


def test_commentary_is_kept_as_text_not_markup(client):
    text = "<b>bold</b> & =SUM(A1)\nsecond line"
    assert post(client, period=PERIOD, text=text).status_code == 201
    assert client.get(f"/api/kpis/19a?asat={PERIOD}").get_json()["commentary"]["text"] == text


def test_the_exception_report_download_has_the_commentary_escaped(client):
    red = [k for k in client.get(f"/api/kpis?asat={PERIOD}").get_json()["kpis"]
           if k["status"] in ("RED", "AMBER")]
    ref = red[0]["ref"]
    assert post(client, f"/api/kpis/{ref}/commentary", period=PERIOD,
                text="=HYPERLINK(\"x\")").status_code == 201
    response = client.get("/export/exceptions.csv?asat=2016-17Q4")
    assert response.status_code == 200
    body = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "No commentary yet" in body
    assert body.count("\r\n") >= len(red)  # a row per RED and AMBER KPI, and the header
    assert client.get("/export/exceptions.xlsx?asat=2016-17Q4").status_code == 200


def test_the_board_pack_has_the_exception_report_after_the_summary(client):
    red = [k for k in client.get(f"/api/kpis?asat={PERIOD}").get_json()["kpis"]
           if k["status"] == "RED"]
    post(client, f"/api/kpis/{red[0]['ref']}/commentary", period=PERIOD,
         text="Written for the board")
    from components.report import board_pack_html
    from domain.views.report import report_view
    from runtime.context import DATASET_SOURCE_KEY

    dataset = client.application.config[DATASET_SOURCE_KEY].current(None)
    html = board_pack_html(report_view(dataset, PERIOD), [])
    assert (html.index(">Summary</h2>") < html.index('id="report-exceptions"')
            < html.index(">Theme 1: "))
    assert "Written for the board" in html and "No commentary yet" in html


def test_commentary_comes_by_upload_too(app, token_for):
    token = token_for("contributor", "Case notes extract")
    csv = ("kpi_ref,period,commentary,next_steps,by\n"
           '19a,2016/17 Q4,"Uploaded, with a comma\nand a line break",Review,2017-06-30\n')
    response = app.server.test_client().post(
        "/api/returns", data=csv.encode(), content_type="text/csv",
        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    [batch] = commentary_batches(app)
    assert batch.who == "Case notes extract" and batch.kind == KPI_COMMENTARY
    detail = app.server.test_client().get(
        f"/api/kpis/19a?asat={PERIOD}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert detail["commentary"]["text"] == "Uploaded, with a comma\nand a line break"
