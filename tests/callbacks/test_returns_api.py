"""POST /api/returns through the Flask test client, from a script with a contributor's API token:
422 and nothing stored for a bad file, 200 and a batch (uploaded by the token's name) for a good
one, dry_run previews only, identical re-upload changes nothing."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.both_databases

GOOD = b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n"
BAD = b"kpi_ref,period,value\n19z,2016/17 Q2,12.5\n19a,2016/17 Q9,12\n"


@pytest.fixture
def store(app):
    return app.server.config["RETURNS_STORE"]


@pytest.fixture
def client(app, token_for):
    """A script's client: every request carries a contributor's API token named "Extract"."""
    client = app.server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for('contributor', 'Extract')}"
    return client


def value_19a(client):
    kpis = client.get("/api/kpis?asat=2016/17 Q2").get_json()["kpis"]
    return next(k["value"] for k in kpis if k["ref"] == "19a")


def test_a_bad_file_is_422_with_every_error_and_stores_nothing(client, store):
    revision, batches = store.revision(), len(store.batches())
    response = client.post("/api/returns", data=BAD)
    assert response.status_code == 422
    body = response.get_json()
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "kpi_ref", "unknown_kpi"), (3, "period", "bad_period")]
    assert body["committed"] is False and body["batch_id"] is None
    assert store.revision() == revision and len(store.batches()) == batches


def test_a_good_body_is_committed_and_the_api_shows_it_at_once(client, store):
    before = value_19a(client)
    response = client.post("/api/returns?who=Someone else", data=GOOD)
    assert response.status_code == 200
    body = response.get_json()
    assert body["committed"] is True and isinstance(body["batch_id"], int)
    assert body["preview"]["revised"][0]["old_value"] == before
    assert store.batch(body["batch_id"]).who == "Extract", "the token's name, never a typed one"
    assert value_19a(client) == 12.5


def test_a_multipart_file_field_is_accepted(client, store):
    response = client.post("/api/returns", data={
        "file": (io.BytesIO(GOOD), "../../etc/returns.csv"), "who": "Sam"},
        content_type="multipart/form-data", headers={"X-Uploaded-By": "Sam"})
    assert response.status_code == 200
    batch = store.batch(response.get_json()["batch_id"])
    assert batch.file_name == "returns.csv", "only the last part of a name is kept, as text"
    assert batch.who == "Extract"


def test_dry_run_previews_without_committing(client, store):
    revision = store.revision()
    response = client.post("/api/returns?dry_run=1", data=GOOD)
    assert response.status_code == 200
    body = response.get_json()
    assert body["dry_run"] and not body["committed"]
    assert len(body["preview"]["revised"]) == 1
    assert store.revision() == revision


def test_an_identical_re_upload_changes_nothing(client, store):
    first = client.post("/api/returns", data=GOOD).get_json()
    revision = store.revision()
    again = client.post("/api/returns", data=GOOD)
    assert again.status_code == 200
    body = again.get_json()
    assert body["committed"] is False and body["identical_to"] == first["batch_id"]
    assert store.revision() == revision


def test_a_file_over_the_limit_is_refused(client, store):
    from domain.ingest.upload import MAX_UPLOAD_BYTES

    revision = store.revision()
    response = client.post("/api/returns", data=GOOD + b"#" * MAX_UPLOAD_BYTES)
    assert response.status_code in (413, 422)
    assert store.revision() == revision


def test_the_template_downloads_and_is_an_accepted_layout(client):
    response = client.get("/api/returns/template.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"kpi_ref,period,value")
    # Recognised as KPI values; its rows left blank are skipped with a note, not refused.
    body = client.post("/api/returns?dry_run=1", data=response.data).get_json()
    assert body["kind"] == "kpi values" and body["errors"] == []
    assert {w["code"] for w in body["warnings"]} == {"blank_value_skipped"}


def test_a_large_dry_run_reports_every_row_level_message_and_every_new_row(client, app):
    """The report does not shrink with the file: each failure the check finds is in the
    answer (row, column, code, message), and the preview lists every new value."""
    from domain.ingest.upload import check_upload
    from runtime.context import current_dataset, current_store

    lines = ["kpi_ref,period,value,area"]
    for team in range(500):
        for quarter in range(1, 5):
            lines.append(f"17a,2016/17 Q{quarter},{60 + quarter},Team {team}")
    lines[1::100] = ["19z,2016/17 Q1,12,Nowhere"] * len(lines[1::100])  # one in a hundred
    content = ("\n".join(lines) + "\n").encode()
    response = client.post("/api/returns?dry_run=1", data=content)
    body = response.get_json()
    with app.server.test_request_context():
        check = check_upload(content, "request-body.csv", current_dataset().plan,
                             current_store())
    answered = [(f["row"], f["column"], f["code"], f["message"])
                for f in body["errors"] + body["warnings"]]
    assert sorted(answered) == sorted((f.row, f.column, f.code, f.message)
                                      for f in check.failures)
    assert len(body["errors"]) == 20 and response.status_code == 422
    assert len(body["preview"]["new"]) == len(check.preview.new) == 2000 - 20


def test_preview_records_are_built_by_column_as_they_were_by_value():
    """Dates as YYYY-MM-DD, numbers as Python's, blanks and infinite numbers None, the batch
    id left out: what the value-by-value conversion gave."""
    import math

    import pandas as pd

    from routes.upload_api import _records

    def by_value(frame):  # as it was
        def json_value(value):
            if value is None:
                return None
            if hasattr(value, "isoformat"):
                return value.isoformat()[:10]
            if isinstance(value, float) and not math.isfinite(value):
                return None
            return value.item() if hasattr(value, "item") else value
        columns = [c for c in frame.columns if c != "old_batch_id"]
        return [{c: json_value(v) for c, v in zip(columns, row)}
                for row in frame[columns].itertuples(index=False, name=None)]

    frame = pd.DataFrame({
        "kpi_ref": pd.Series(["19a", "15", "16"], dtype="str"),
        "period_end": pd.Series([pd.Timestamp("2016-09-30"), pd.Timestamp("2016-12-31 09:30"),
                                 pd.Timestamp("2017-03-31")], dtype="datetime64[ns]"),
        "value": [12.5, float("inf"), float("nan")], "numerator": [float("nan"), 4.0, -0.0],
        "comment": pd.Series(["", "late", None], dtype="str"), "source_row": [2, 3, 4],
        "old_batch_id": [1, None, 3]})
    records = _records(frame)
    assert records == by_value(frame)
    assert [type(v) for v in records[0].values()] == [type(v) for v in by_value(frame)[0].values()]
