"""The plans' API (issue 13) through the Flask test client: GET /api/plans, POST /api/plans (422
with the failures and nothing stored, dry_run, 200 with the plan), POST /api/plans/<id>/current,
/api/kpis and /api/actions for any plan, and the plan's workbooks."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from dash_tree import find, texts
from signin import USERS, csrf_headers

CORPUS = Path(__file__).resolve().parents[1] / "plan_corpus"
NEXT_YEAR = (CORPUS / "next_year.xlsx").read_bytes()
SHIPPED_TITLE = "Getting to Good: Bristol Children's Services Improvement Plan 2016 - 2017"


@pytest.fixture
def store(app):
    return app.server.config["RETURNS_STORE"]


def post_plan(client, content: bytes, query: str = "", name="plan.xlsx"):
    return client.post(f"/api/plans{query}", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", headers=csrf_headers(client))


def kpi(payload: dict, ref: str) -> dict | None:
    return next((k for k in payload["kpis"] if k["ref"] == ref), None)


def test_get_plans_lists_the_shipped_plan_as_current(client):
    body = client.get("/api/plans").get_json()
    (plan,) = body["plans"]
    assert set(plan) == {"plan_id", "title", "authority", "start", "end", "current",
                         "imported_at", "imported_by"}
    assert (plan["plan_id"], plan["title"], plan["authority"], plan["start"], plan["end"],
            plan["current"]) == (1, SHIPPED_TITLE, "Bristol, City of", "2016-04-01",
                                 "2017-03-31", True)
    assert plan["imported_by"] == "shipped plan (embedded)" and plan["imported_at"]


def test_a_bad_plan_is_422_with_every_failure_and_stores_nothing(client, store):
    revision = store.revision()
    response = post_plan(client, (CORPUS / "unknown_kpi_cited.xlsx").read_bytes())
    assert response.status_code == 422
    body = response.get_json()
    assert [(e["sheet"], e["row"], e["column"], e["code"], e["value"])
            for e in body["errors"]] == [("actions", 2, "kpi_refs_label", "unknown_kpi_cited",
                                          "99z")]
    assert "99z" in body["errors"][0]["message"]
    assert store.revision() == revision


def test_a_pdf_named_xlsx_is_refused_by_its_content(client):
    response = post_plan(client, (CORPUS / "pdf_renamed.xlsx").read_bytes())
    assert response.status_code == 422
    assert [e["code"] for e in response.get_json()["errors"]] == ["not_a_plan_file"]


def test_dry_run_checks_and_stores_nothing(client, store):
    revision = store.revision()
    response = post_plan(client, NEXT_YEAR, "?dry_run=1")
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"].endswith("2017 - 2018") and body["plan_id"] is None
    assert body["dry_run"] is True and body["committed"] is False
    assert {w["code"] for w in body["warnings"]} == {"plan_integrity", "measure_changed"}
    assert store.revision() == revision
    assert len(client.get("/api/plans").get_json()["plans"]) == 1


def test_an_imported_plan_is_served_beside_the_shipped_one(client):
    response = post_plan(client, NEXT_YEAR)
    assert response.status_code == 200
    body = response.get_json()
    assert body["plan_id"] == 2 and body["committed"] is True
    plans = client.get("/api/plans").get_json()["plans"]
    assert [(p["plan_id"], p["current"]) for p in plans] == [(1, True), (2, False)]
    assert plans[1]["imported_by"] == USERS["admin"]  # the signed-in admin

    shipped = client.get("/api/kpis?asat=2016/17 Q4").get_json()
    assert client.get("/api/kpis?plan=1&asat=2016/17 Q4").get_json() == shipped
    nxt = client.get("/api/kpis?plan=2&asat=2016/17 Q4").get_json()
    assert kpi(shipped, "19a")["target"] == 24 and kpi(nxt, "19a")["target"] == 20
    assert kpi(nxt, "20") is not None and kpi(nxt, "19c") is None
    assert kpi(shipped, "19c") is not None and kpi(shipped, "20") is None
    # Returns belong to the KPI ref: 19a's value is the same in both plans.
    assert kpi(nxt, "19a")["value"] == kpi(shipped, "19a")["value"] is not None
    actions = client.get("/api/actions?plan=2").get_json()["actions"]
    assert "20" in next(a for a in actions if a["ref"] == "4.2.1")["kpi_refs"]


def test_making_a_plan_current_changes_the_default(client, store):
    post_plan(client, NEXT_YEAR)
    response = client.post("/api/plans/2/current", headers=csrf_headers(client))
    assert response.status_code == 200 and response.get_json()["changed"] is True
    assert [p["current"] for p in client.get("/api/plans").get_json()["plans"]] == [False, True]
    assert kpi(client.get("/api/kpis").get_json(), "20") is not None
    again = client.post("/api/plans/2/current", headers=csrf_headers(client)).get_json()
    assert again["changed"] is False and again["batch_id"] is None
    assert store.batch(response.get_json()["batch_id"]).who == USERS["admin"]


@pytest.mark.parametrize("url", ["/api/kpis?plan=7", "/api/actions?plan=7",
                                 "/api/kpis/19a?plan=7", "/api/kpis?plan=two",
                                 "/export/kpis.csv?plan=7", "/export/plan.xlsx?plan=7"])
def test_a_plan_the_store_lacks_is_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["parameter"] == "plan"


def test_making_a_plan_the_store_lacks_current_is_404(client, store):
    revision = store.revision()
    assert client.post("/api/plans/7/current", headers=csrf_headers(client)).status_code == 404
    assert store.revision() == revision


def test_download_this_plan_then_import_it_changes_nothing(client, store):
    response = client.get("/export/plan.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="plan-bristol-city-of-2016-17.xlsx"'
    revision = store.revision()
    body = post_plan(client, response.data).get_json()
    assert body["plan_id"] == 1 and body["identical"] is True and body["committed"] is False
    assert store.revision() == revision


def test_start_next_years_plan_downloads_the_layout_with_the_years_moved_on(client):
    response = client.get("/export/plan-next-year.xlsx?plan=1")
    assert response.status_code == 200
    assert "2017-18-draft.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["plan", "themes", "kpis", "actions", "rag_scheme",
                               "published_measures"]
    fields = {row[0].value: row[1].value for row in book["plan"].iter_rows(min_row=2)}
    assert fields["start_date"] == "2017-04-01" and fields["title"].endswith("2017 - 2018")
    # Importing it as it is asks for the due dates.
    refused = post_plan(client, response.data)
    assert refused.status_code == 422
    assert {e["code"] for e in refused.get_json()["errors"]} == {"blank_cell"}


def test_a_viewer_may_read_the_plans_but_not_import_one(client_as):
    viewer = client_as("viewer")
    assert viewer.get("/api/plans").status_code == 200
    refused = post_plan(viewer, NEXT_YEAR, "?dry_run=1")
    assert refused.status_code == 403


# --- targets over time, through the app --------------------------------------------------------

def revised_workbook(client, target: str, in_force_from: str) -> bytes:
    """The stored plan's workbook with 19a's target changed and the day it takes effect."""
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/plan.xlsx").data))
    kpis = book["kpis"]
    header = [c.value for c in kpis[1]]
    for row in kpis.iter_rows(min_row=2):
        if row[header.index("ref")].value == "19a":
            row[header.index("target")].value = target
            row[header.index("target_label")].value = f"{target}%"
    book["plan"].append(["in_force_from", in_force_from])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_mid_year_target_change_leaves_earlier_statuses_as_they_were(client, store):
    before = {q: client.get(f"/api/kpis?asat=2016/17 {q}").get_json() for q in ("Q2", "Q3")}
    response = post_plan(client, revised_workbook(client, "20", "2016-10-01"))
    body = response.get_json()
    assert response.status_code == 200 and body["plan_id"] == 1 and body["revision"] is True
    assert client.get("/api/kpis?asat=2016/17 Q2").get_json() == before["Q2"]
    q3 = kpi(client.get("/api/kpis?asat=2016/17 Q3").get_json(), "19a")
    assert (kpi(before["Q3"], "19a")["target"], q3["target"]) == (24, 20)
    assert (kpi(before["Q3"], "19a")["status"], q3["status"]) == ("AMBER", "RED")
    # One plan still, with two versions: the revision is a batch in the history.
    assert len(client.get("/api/plans").get_json()["plans"]) == 1
    assert store.batches()[0].kind == "plan revision" and store.batches()[0].who == USERS["admin"]


def kpi_page():
    from pages import kpi  # registers the page: only once an app exists

    return kpi


def test_the_kpi_page_lists_the_target_history(client, app):
    post_plan(client, revised_workbook(client, "20", "2016-10-01"))
    with app.server.test_request_context("/kpi/19a"):
        layout = kpi_page().layout(ref="19a")
    rows = texts(find(layout, "kpi-target-history"))
    assert "24%" in rows and "20%" in rows and "01 October 2016" in rows and USERS["admin"] in rows
    assert find(layout, "kpi-definitions") is None  # one plan: nothing to compare


def test_the_kpi_page_says_where_its_definition_changed_between_plans(client, app):
    post_plan(client, NEXT_YEAR)
    with app.server.test_request_context("/kpi/19b?plan=2"):
        layout = kpi_page().layout(ref="19b", plan="2")
        unchanged = kpi_page().layout(ref="19a", plan="2")
    summary = " ".join(texts(find(layout, "kpi-definition-summary")))
    assert "between 2016-17 and 2017-18" in summary
    assert "changed since 2016-17" in texts(find(layout, "kpi-definitions"))
    assert find(unchanged, "kpi-definitions") is None


def test_returns_for_a_kpi_of_any_stored_plan_are_accepted(client):
    """Returns belong to a KPI ref: KPI 20 of next year's plan is uploaded while the shipped
    plan is current, and is served on next year's plan."""
    post_plan(client, NEXT_YEAR)
    response = client.post("/api/returns", data=b"kpi_ref,period,value\n20,2016/17 Q4,81\n",
                           headers=csrf_headers(client))
    assert response.status_code == 200 and response.get_json()["committed"] is True
    nxt = client.get("/api/kpis?plan=2&asat=2016/17 Q4").get_json()
    assert kpi(nxt, "20")["value"] == 81
    refused = client.post("/api/returns", data=b"kpi_ref,period,value\n21,2016/17 Q4,81\n",
                          headers=csrf_headers(client))
    assert [e["code"] for e in refused.get_json()["errors"]] == ["unknown_kpi"]


def test_the_board_pack_is_printed_from_the_plan_being_read(client, app):
    from routes.pdf import PRINTER_KEY, BoardPackPrinter

    printed = []
    stylesheets = app.server.config[PRINTER_KEY].stylesheets
    app.server.config[PRINTER_KEY] = BoardPackPrinter(
        stylesheets, print_pdf=lambda html, timeout: printed.append(html) or b"%PDF-1.4")
    post_plan(client, NEXT_YEAR)
    assert client.get("/export/board-pack.pdf?plan=2&asat=2016/17 Q4").status_code == 200
    assert client.get("/export/board-pack.pdf?asat=2016/17 Q4").status_code == 200
    assert "2017 - 2018" in printed[0] and "2017 - 2018" not in printed[1]
    assert "2016 - 2017" in printed[1]
