"""GET /api/kpis and /api/actions through the Flask test client."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.both_databases

STATUSES = {"RED", "AMBER", "GREEN", "BLUE", "NO DATA"}
KPI_FIELDS = {"ref", "theme", "measure", "unit", "value", "period", "target", "due", "status",
              "reason", "return_overdue"}


def test_kpis_default_to_the_latest_period(client, dataset):
    response = client.get("/api/kpis")
    assert response.status_code == 200
    body = response.get_json()
    assert body["asat"] == dataset.latest_quarter().label
    assert len(body["kpis"]) == 34
    for row in body["kpis"]:
        assert KPI_FIELDS <= row.keys()
        assert row["status"] in STATUSES
        date.fromisoformat(row["due"])


def test_every_period_spelling_gives_the_same_answer(client):
    answers = {client.get(f"/api/kpis?asat={text}").get_json()["asat"]
               for text in ("2016/17 Q4", "2016-17Q4", "Q4 2016/17", "2017-03-31",
                            "31/03/2017", "Mar-17", "Mar 2017")}
    assert answers == {"2016/17 Q4"}


def test_values_match_the_rag_engine(client, dataset):
    asat = dataset.resolve_asat("2016/17 Q3")
    expected = dataset.kpi_statuses(asat)
    body = client.get("/api/kpis?asat=2016/17 Q3").get_json()
    for row in body["kpis"]:
        status = expected[row["ref"]]
        assert row["status"] == status.status.value
        assert row["value"] == status.value
        assert row["period"] == (status.period.label if status.period else None)
        assert row["reason"] == status.reason


def test_a_bad_period_is_a_400_naming_the_text(client):
    response = client.get("/api/kpis?asat=2016/17 Q5")
    assert response.status_code == 400
    assert "2016/17 Q5" in response.get_json()["error"]


def test_actions_api_lists_all_58(client):
    body = client.get("/api/actions?asat=2016-17Q4").get_json()
    assert body["asat"] == "2016/17 Q4"
    assert len(body["actions"]) == 58
    assert {row["status"] for row in body["actions"]} <= STATUSES


def test_bootstrap_css_is_served_by_the_app(client):
    response = client.get("/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in response.data[:200]


def test_the_api_and_the_downloads_show_the_same_statuses(dataset):
    from domain.views.exports import actions_frame, kpis_frame
    from routes.api import actions_payload, kpis_payload

    asat = dataset.resolve_asat("2016/17 Q3")
    kpis, actions = kpis_payload(dataset, asat.label), actions_payload(dataset, asat.label)
    frame = kpis_frame(dataset, asat)
    assert [(k["ref"], k["status"], k["reason"]) for k in kpis["kpis"]] == \
        list(zip(frame["KPI"], frame["Status"], frame["Reason"]))
    assert [k["period"] or "" for k in kpis["kpis"]] == list(frame["Period"])
    rows = actions_frame(dataset, asat)
    assert [(a["ref"], a["status"], "; ".join(a["leads"])) for a in actions["actions"]] == \
        list(zip(rows["Action"], rows["Status"], rows["Lead"]))


def test_the_api_answers_exactly_its_documented_fields(dataset):
    from routes.api import ACTION_FIELDS, actions_payload, kpis_payload
    from routes.api import KPI_FIELDS as API_KPI_FIELDS

    assert list(kpis_payload(dataset, None)["kpis"][0]) == list(API_KPI_FIELDS)
    assert list(actions_payload(dataset, None)["actions"][0]) == list(ACTION_FIELDS)
    assert {"target_label", *KPI_FIELDS} == set(API_KPI_FIELDS)
