"""Uploaded comparators are shown, named as uploaded with their batch, beside the published ones:
on /kpi/<ref>, on /explore, in the exports and in `GET /api/kpis/<ref>`; undo takes them away
and a refused comparator file changes nothing."""

from __future__ import annotations

import importlib
import io

import pandas as pd
import pytest

from components import ids
from dash_tree import find, texts
from signin import signed_in_client
from domain.ingest.upload import check_upload, commit_upload
from runtime.context import current_dataset, current_published, current_store

COMPARATORS = b"kpi_ref,period,comparator,value\n"
ENGLAND = COMPARATORS + b"19a,2016/17 Q3,England,22.3\n19a,2016/17 Q4,England,21.9\n"


def upload(app, content: bytes, name: str = "comparators.csv"):
    """Check and commit a file as the upload page does; the commit result (None: refused)."""
    with app.server.test_request_context("/upload"):
        check = check_upload(content, name, current_dataset().plan, current_store())
        return commit_upload(check, "Performance Officer", current_store())


def kpi_page(app, ref="19a", **query):
    """The /kpi/<ref> page's layout, as Dash builds it inside a request."""
    page = importlib.import_module("pages.kpi")
    with app.server.test_request_context(f"/kpi/{ref}"):
        return page.layout(ref=ref, **query)


def kpi_page_text(app, ref="19a", **query) -> str:
    return str(kpi_page(app, ref, **query))


@pytest.fixture
def england(app):
    result = upload(app, ENGLAND)
    assert result is not None and result.committed
    return result.batch_id


# --- /kpi/<ref> ---------------------------------------------------------------------------------

def test_without_uploads_the_kpi_page_shows_only_published_comparators(app):
    text = kpi_page_text(app)
    assert ids.KPI_UPLOADED_COMPARATORS not in text
    assert "How do we compare? Published statistics" in text


def test_the_kpi_page_shows_uploaded_comparators_named_as_uploaded_with_the_batch(app, england):
    page = kpi_page(app)
    block = find(page, ids.KPI_UPLOADED_COMPARATORS)
    assert block is not None
    label = f"England (uploaded, batch {england})"
    chart = find(block, ids.KPI_UPLOADED_COMPARATORS_CHART).figure
    england_trace = next(t for t in chart.data if t.name == label)
    assert list(england_trace.y) == [22.3, 21.9]
    table = find(block, ids.KPI_UPLOADED_COMPARATORS_TABLE)
    cells = texts(table)
    assert label in cells and "2016/17 Q3" in cells and "22.3%" in cells
    # Beside the published ones, in the same section.
    section = find(page, "kpi-comparators")
    assert find(section, ids.KPI_UPLOADED_COMPARATORS) is block
    assert "England (EES)" in str(section)
    assert "Published statistics and uploaded comparators" in " ".join(texts(section))


def test_the_kpi_page_shows_only_comparators_for_periods_ended_by_its_asat(app, england):
    chart = find(kpi_page(app, asat="2016/17 Q3"), ids.KPI_UPLOADED_COMPARATORS_CHART).figure
    trace = next(t for t in chart.data if t.name.startswith("England (uploaded"))
    assert list(trace.y) == [22.3]
    assert find(kpi_page(app, asat="2016/17 Q2"), ids.KPI_UPLOADED_COMPARATORS) is None


def test_a_kpi_without_a_published_measure_still_shows_its_uploaded_comparators(app):
    # 19c has no published measure (17a had none until it got DfE's caseload per FTE).
    upload(app, COMPARATORS + b"19c,2016/17 Q4,Core cities,18\n")
    text = kpi_page_text(app, ref="19c")
    assert "Core cities (uploaded, batch" in text
    assert "so there are no published comparators." in text


def test_a_ref_in_another_case_finds_the_kpi(app):
    page = importlib.import_module("pages.kpi")
    with app.server.test_request_context("/kpi/19A"):
        assert page._title(ref="19A") == "KPI 19a - Improvement plan"
        assert "KPI not found" not in kpi_page_text(app, ref="19A")


def test_undo_removes_them_and_redo_brings_them_back(app, england):
    with app.server.test_request_context("/upload"):
        assert current_store().undo(england, "Performance Officer")
    assert "England (uploaded" not in kpi_page_text(app)
    with app.server.test_request_context("/upload"):
        assert current_store().redo(england, "Performance Officer")
    assert f"England (uploaded, batch {england})" in kpi_page_text(app)


def test_a_refused_comparator_upload_leaves_the_comparators_as_they_were(app, england):
    with app.server.test_request_context("/"):
        before = current_dataset().comparators.copy()
    assert upload(app, COMPARATORS + b"19a,2016/17 Q4,England,22\n19a,2016/17 Q4,,22.3\n") \
        is None
    with app.server.test_request_context("/"):
        pd.testing.assert_frame_equal(current_dataset().comparators, before)
    chart = find(kpi_page(app), ids.KPI_UPLOADED_COMPARATORS_CHART).figure
    assert [(t.name, list(t.y)) for t in chart.data[1:]] == \
        [(f"England (uploaded, batch {england})", [22.3, 21.9])]


def test_a_revision_names_every_batch_its_values_came_from(app, england):
    later = upload(app, COMPARATORS + b"19a,2016/17 Q4,England,20.5\n", "revised.csv")
    assert later.committed
    assert f"England (uploaded, batches {england} and {later.batch_id})" in kpi_page_text(app)


# --- /explore and the exports -------------------------------------------------------------------

def test_explore_draws_them_beside_the_published_ones_with_a_table(app, england):
    from callbacks.explore import update_explore

    with app.server.test_request_context("/explore"):
        body, _ = update_explore(current_dataset(), ["19a"], None, None, [], "multiples", "801",
                                 current_published())
    figure = next(c for c in body if getattr(c, "className", "") == "chart").children.figure
    names = {t.name for t in figure.data}
    assert f"England (uploaded, batch {england})" in names
    assert any(name.startswith("England (EES") for name in names)
    table = next(find(c, ids.EXPLORE_UPLOADED_COMPARATORS) for c in body
                 if find(c, ids.EXPLORE_UPLOADED_COMPARATORS) is not None)
    assert "21.9%" in texts(table)


def test_explore_keeps_them_to_the_chosen_range(app, england):
    from callbacks.explore import update_explore

    with app.server.test_request_context("/explore"):
        body, _ = update_explore(current_dataset(), ["19a"], "2016/17 Q4", None, [],
                                 "multiples", "801", current_published())
    figure = next(c for c in body if getattr(c, "className", "") == "chart").children.figure
    trace = next(t for t in figure.data if t.name.startswith("England (uploaded"))
    assert list(trace.y) == [21.9]


def test_the_comparators_export_lists_them_with_their_batch(app, england):
    client = signed_in_client(app, "viewer")
    frame = pd.read_csv(io.BytesIO(client.get("/export/comparators.csv").data))
    assert frame[["kpi_ref", "period", "comparator", "value", "batch_id"]].values.tolist() == [
        ["19a", "2016/17 Q3", "England", 22.3, england],
        ["19a", "2016/17 Q4", "England", 21.9, england]]
    sheets = pd.read_excel(io.BytesIO(client.get("/export/dataset.xlsx").data), sheet_name=None)
    assert len(sheets["Uploaded comparators"]) == 2


# --- GET /api/kpis/<ref> ------------------------------------------------------------------------

def test_the_api_gives_the_kpi_as_the_list_does_with_values_comparators_and_actions(
        app, england, dataset):
    client = signed_in_client(app, "viewer")
    listed = next(k for k in client.get("/api/kpis?asat=2016/17 Q4").get_json()["kpis"]
                  if k["ref"] == "19a")
    response = client.get("/api/kpis/19a?asat=2016/17 Q4")
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in listed} == listed
    assert body["asat"] == "2016/17 Q4"
    assert body["actions"] == [a.ref for a in dataset.plan.actions_citing("19a")]
    # revised_after_signoff: issue 14 (a value changed after its quarter was signed off).
    assert {"period", "area", "value", "batch_id", "revised_after_signoff"} == \
        set(body["values"][0])
    assert all(v["batch_id"] == 1 for v in body["values"])  # the seeded sample batch
    assert body["values"][-1]["period"] == "2016/17 Q4"
    uploaded = [c for c in body["comparators"] if c["source"] == f"batch {england}"]
    assert uploaded == [
        {"period": "2016/17 Q3", "comparator": "England", "value": 22.3,
         "source": f"batch {england}"},
        {"period": "2016/17 Q4", "comparator": "England", "value": 21.9,
         "source": f"batch {england}"}]
    published = {c["source"] for c in body["comparators"]} - {f"batch {england}"}
    assert published and all(s.endswith((".csv", ".parquet")) for s in published)


def test_the_api_answers_an_unknown_ref_with_a_404_message(client):
    response = client.get("/api/kpis/99z")
    assert response.status_code == 404
    assert "99z" in response.get_json()["error"]


def test_the_api_finds_a_ref_in_any_case_and_refuses_a_bad_period(client):
    assert client.get("/api/kpis/19A").get_json()["ref"] == "19a"
    response = client.get("/api/kpis/19a?asat=2016/17 Q5")
    assert response.status_code == 400 and "2016/17 Q5" in response.get_json()["error"]


def test_undo_removes_them_from_the_api(app, england):
    client = signed_in_client(app, "viewer")
    with app.server.test_request_context("/upload"):
        current_store().undo(england, "Performance Officer")
    sources = {c["source"] for c in client.get("/api/kpis/19a").get_json()["comparators"]}
    assert f"batch {england}" not in sources


def test_the_api_gives_the_rank_and_band_among_all_authorities_each_published_year(client):
    """Issue 15: `benchmark` in `GET /api/kpis/<ref>`, one entry a published year (here the
    published files the app finds, or its synthetic sample)."""
    body = client.get("/api/kpis/18a").get_json()
    standings = body["benchmark"]
    assert standings, "18a is mapped to a published measure"
    assert [s["year"] for s in standings] == sorted(s["year"] for s in standings)
    for standing in standings:
        assert {"year", "value", "rank", "of", "band", "england", "neighbours_mean",
                "neighbour_rank", "neighbours_of"} <= set(standing)
        if standing["rank"] is not None:
            assert 1 <= standing["rank"] <= standing["of"]
            assert standing["band"] in ("A", "B", "C", "D") or standing["of"] < 4
    assert client.get("/api/kpis/1a").get_json()["benchmark"] == []  # not mapped
