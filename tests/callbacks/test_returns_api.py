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
