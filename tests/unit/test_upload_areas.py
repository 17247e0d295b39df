"""Issue 18 item 2: an area a KPI has never had is a warning naming the nearest known area, and
areas are matched without regard to case (keeping the spelling first stored)."""

from __future__ import annotations

import pytest

from domain.store.source import open_store
from domain.ingest.upload import check_upload, commit_upload, nearest_area_hint

HEADER = "kpi_ref,period,value,numerator,denominator,area,comment\n"


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def check(text, dataset, store):
    return check_upload((HEADER + text).encode(), "areas.csv", dataset.plan, store)


def test_misspelt_areas_warn_with_the_nearest_known_area(dataset, store):
    result = check("17a,2017/18 Q2,58.6,,,Nroth,\n17a,2017/18 Q2,58.6,,,north,\n"
                   "17a,2017/18 Q2,79.1,,,South Bristol,\n", dataset, store)
    assert result.ok  # warnings allow a commit
    warned = {(f.row, f.column, f.code, f.value) for f in result.failures}
    assert warned == {(2, "area", "new_area", "Nroth"), (4, "area", "new_area", "South Bristol")}
    messages = {f.value: f.message for f in result.failures}
    assert "Area 'Nroth' is new for KPI 17a (did you mean North?)" in messages["Nroth"]
    assert "(did you mean South?)" in messages["South Bristol"]


def test_an_area_in_another_case_is_the_stored_area(dataset, store):
    result = check("17a,2017/18 Q2,58.9,,,north,\n", dataset, store)
    assert result.failures == ()
    assert result.rows["area"].tolist() == ["North"]
    # It revises North's value rather than adding a line beside it.
    assert len(result.preview.revised) == 1 and result.preview.new.empty
    commit_upload(result, "Pat", store)
    assert "north" not in set(store.current("kpi values")["area"])


def test_north_and_NORTH_in_one_file_are_one_area(dataset, store):
    result = check("17a,2017/18 Q2,58.9,,,north,\n17a,2017/18 Q2,60.0,,,NORTH,\n", dataset,
                   store)
    assert {f.code for f in result.failures} == {"duplicate_conflict"}


def test_a_new_area_is_warned_once_per_kpi(dataset, store):
    result = check("17a,2017/18 Q1,58.6,,,Nroth,\n17a,2017/18 Q2,58.6,,,Nroth,\n", dataset, store)
    assert [f.row for f in result.failures] == [2]


def test_a_genuinely_new_area_lists_the_kpis_areas(dataset, store):
    result = check("17a,2017/18 Q2,58.6,,,Avonmouth,\n", dataset, store)
    (warning,) = result.failures
    assert "its areas so far: East Central, North and South" in warning.message


def test_the_first_area_of_a_kpi_says_so_and_names_a_close_known_area():
    hint = nearest_area_hint("Nrth", [], ["North", "South"])
    assert hint == "no value for it has had an area before; did you mean North?"
    assert nearest_area_hint("Zebra", [], ["North"]) == "no value for it has had an area before"


def test_the_api_lists_the_warnings(app, token_for):
    client = app.server.test_client()  # a script, with a contributor's API token
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token_for('contributor', 'Extract')}"
    body = client.post("/api/returns?dry_run=1",
                       data=(HEADER + "17a,2017/18 Q2,58.6,,,Nroth,\n").encode()).get_json()
    assert body["errors"] == []
    (warning,) = body["warnings"]
    assert warning["code"] == "new_area" and "did you mean North?" in warning["message"]
