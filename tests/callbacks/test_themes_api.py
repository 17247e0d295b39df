"""GET /api/themes and POST /api/themes/<n>/rating (docs/rules.md#the-boards-rating) through the
Flask test client on a fresh app."""

from __future__ import annotations

import pytest

from domain.views.outcomes import theme_outcomes
from signin import ROLES, USERS, csrf_headers, signed_in_client

FIELDS = {"theme", "title", "outcome", "suggested", "suggested_reason", "status", "rationale",
          "rated_by", "rated_at"}
PERIOD = "2016/17 Q4"


def post(client, url: str, **request):
    """A POST as the signed-in browser sends it, with its CSRF token."""
    return client.post(url, headers=csrf_headers(client), **request)


def suggested(client, theme: int, asat: str = PERIOD) -> str:
    rows = client.get(f"/api/themes?asat={asat}").get_json()["themes"]
    return next(r for r in rows if r["theme"] == theme)["suggested"]


def other_than(status: str) -> str:
    return "GREEN" if status != "GREEN" else "RED"


def test_themes_answer_every_theme_with_its_suggestion_and_no_board_rating_yet(client, dataset):
    body = client.get(f"/api/themes?asat={PERIOD}").get_json()
    assert body["asat"] == PERIOD
    assert [r["theme"] for r in body["themes"]] == [t.number for t in dataset.plan.themes]
    for row in body["themes"]:
        assert set(row) == FIELDS
        assert row["status"] == row["suggested"]
        assert row["suggested_reason"].startswith(row["suggested"] + ":")
        assert row["rationale"] is None and row["rated_by"] is None
    assert body["themes"][1]["outcome"] == dataset.plan.theme(2).outcome


def test_a_board_rating_is_recorded_with_who_and_when_and_becomes_the_status(client):
    status = other_than(suggested(client, 2))
    response = post(client, "/api/themes/2/rating", json={
        "period": "Q4 2016/17", "status": status.lower(), "rationale": "Agreed by the board"})
    assert response.status_code == 201
    stored = response.get_json()
    assert (stored["period"], stored["status"], stored["rated_by"]) == (PERIOD, status,
                                                                        USERS["admin"])
    assert stored["rated_at"]
    row = client.get(f"/api/themes?asat={PERIOD}").get_json()["themes"][1]
    assert (row["status"], row["rationale"], row["rated_by"]) == (
        status, "Agreed by the board", USERS["admin"])
    assert row["suggested"] != status  # both kept: the suggestion stands beside it
    # Another quarter still shows the suggestion.
    q3 = client.get("/api/themes?asat=2016/17 Q3").get_json()["themes"][1]
    assert q3["status"] == q3["suggested"] and q3["rated_by"] is None


def test_every_change_is_kept_and_the_latest_stands(app, client):
    for status in ("RED", "AMBER"):
        assert post(client, "/api/themes/1/rating", json={
            "period": PERIOD, "status": status, "rationale": f"now {status}"}).status_code == 201
    row = client.get(f"/api/themes?asat={PERIOD}").get_json()["themes"][0]
    assert (row["status"], row["rated_by"]) == ("AMBER", USERS["admin"])
    from runtime.context import RATINGS_KEY
    history = app.server.config[RATINGS_KEY].ratings(1)
    assert [r.status for r in history] == ["RED", "AMBER"]


def test_a_rating_equal_to_the_suggestion_needs_no_rationale(client):
    status = suggested(client, 3)
    if status == "NO DATA":
        pytest.fail("the sample should give theme 3 a colour at 2016/17 Q4")
    assert post(client, "/api/themes/3/rating",
                       json={"period": PERIOD, "status": status}).status_code == 201


@pytest.mark.parametrize("theme, body, field", [
    ("1", {"period": PERIOD, "status": "PURPLE", "rationale": "x"}, "status"),
    ("1", {"period": PERIOD, "status": "NO DATA", "rationale": "x"}, "status"),
    ("1", {"period": PERIOD, "rationale": "x"}, "status"),
    ("9", {"period": PERIOD, "status": "RED", "rationale": "x"}, "theme"),
    ("one", {"period": PERIOD, "status": "RED", "rationale": "x"}, "theme"),
    ("1", {"period": "2015/16 Q4", "status": "RED", "rationale": "x"}, "period"),
    ("1", {"period": "2017/18 Q1", "status": "RED", "rationale": "x"}, "period"),
    ("1", {"period": "next spring", "status": "RED", "rationale": "x"}, "period"),
    ("1", {"status": "RED", "rationale": "x"}, "period"),
    ("1", {"period": PERIOD, "status": "RED", "rationale": 5}, "rationale"),
])
def test_bad_input_is_422_naming_the_field_and_stores_nothing(app, client, theme, body, field):
    from runtime.context import RATINGS_KEY
    response = post(client, f"/api/themes/{theme}/rating", json=body)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["field"] == field
    assert field in {e["field"] for e in answer["errors"]}
    assert answer["error"]
    assert app.server.config[RATINGS_KEY].ratings() == []


def test_an_empty_rationale_for_a_rating_that_differs_is_422(app, client):
    from runtime.context import RATINGS_KEY
    status = other_than(suggested(client, 4))
    response = post(client, "/api/themes/4/rating",
                           json={"period": PERIOD, "status": status, "rationale": "  "})
    assert response.status_code == 422
    assert response.get_json()["field"] == "rationale"
    assert "differs from the suggested" in response.get_json()["error"]
    assert app.server.config[RATINGS_KEY].ratings() == []


def test_a_body_that_is_not_a_json_object_is_422(client):
    response = post(client, "/api/themes/1/rating", data="status=RED")
    assert response.status_code == 422 and response.get_json()["field"] == "body"


@pytest.mark.parametrize("role", ROLES)
def test_only_admin_may_record_a_rating(app, role):
    client = signed_in_client(app, role)
    response = post(client, "/api/themes/1/rating", json={"period": PERIOD, "status": "RED", "rationale": "Agreed"})
    assert response.status_code == (201 if role == "admin" else 403)
    if role == "admin":
        assert response.get_json()["rated_by"] == USERS["admin"]


def test_theme_outcomes_view_names_board_and_suggestion(dataset):
    asat = dataset.resolve_asat(PERIOD)
    outcomes = theme_outcomes(dataset, asat, [])
    assert len(outcomes) == 6 and not any(o.differs for o in outcomes)


def test_themes_export_as_csv_and_in_the_workbook(client):
    post(client, "/api/themes/5/rating", json={"period": PERIOD, "status": "BLUE",
                                               "rationale": "Workforce stable"})
    csv = client.get(f"/export/themes.csv?asat={PERIOD}")
    assert csv.status_code == 200
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Theme,Title,Outcome,Status,Suggested,Reason")
    assert "Workforce stable" in text and USERS["admin"] in text
    assert len(text.strip().splitlines()) >= 7  # header and six themes
    xlsx = client.get(f"/export/themes.xlsx?asat={PERIOD}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    import io
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export/dataset.xlsx").data))
    assert "Theme outcomes" in book.sheetnames
