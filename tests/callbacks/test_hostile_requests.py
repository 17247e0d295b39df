"""URLs and requests an attacker or a careless user can send: each answers with a status and a
message, never a 500, a blank page or a value that is not JSON (issue 17)."""

from __future__ import annotations

import importlib
import json

import pytest

from signin import csrf_headers

EXTREME_PERIODS = ["9999/00 Q4", "0000/01 Q1", "Mar 0000", "2300/01 Q1", "31/12/9999",
                   "1900-03-31", "Q1 2101/02"]


def strict_json(text: str):
    """JSON as the standard defines it: a bare Infinity or NaN is an error."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


# --- years out of range in URLs and API parameters ----------------------------------------------

@pytest.mark.parametrize("path", ["/api/kpis", "/api/actions", "/export/kpis.csv",
                                  "/export/dataset.xlsx", "/export/kpi/19a.csv",
                                  "/export/board-pack.pdf"])
def test_a_year_out_of_range_is_400_naming_the_parameter(client, path):
    for asat in EXTREME_PERIODS:
        response = client.get(path, query_string={"asat": asat})
        assert response.status_code == 400, asat
        body = strict_json(response.get_data(as_text=True))
        assert body["parameter"] == "asat"
        assert "1990 to 2100" in body["error"], body


@pytest.mark.parametrize("asat", ["2100/01 Q4", "1990/91 Q1"])
def test_the_ends_of_the_range_are_read(client, asat):
    response = client.get("/api/kpis", query_string={"asat": asat})
    assert response.status_code == 200
    assert strict_json(response.get_data(as_text=True))["asat"] == asat


@pytest.mark.parametrize("page, params", [
    ("overview", {}), ("report", {}), ("actions", {}), ("kpi", {"ref": "19a"}),
    ("present", {}),
])
@pytest.mark.parametrize("asat", ["9999/00 Q4", "Mar 0000"])
def test_a_page_with_an_extreme_asat_shows_a_message_not_a_blank(app, page, params, asat):
    module = importlib.import_module(f"pages.{page}")
    with app.server.test_request_context(f"/?asat={asat}"):
        layout = module.layout(asat=asat, **params)
    text = str(layout)
    assert "1990 to 2100" in text
    assert "Showing the latest complete period" in text


@pytest.mark.parametrize("param", ["start", "end"])
def test_explore_with_an_extreme_range_says_so(app, param):
    module = importlib.import_module("pages.explore")
    with app.server.test_request_context("/explore"):
        layout = module.layout(**{param: "9999/00 Q4"})
    assert "1990 to 2100" in str(layout)


def test_present_with_absurd_query_values_renders_a_display(app):
    module = importlib.import_module("pages.present")
    with app.server.test_request_context("/present"):
        for query in [{"interval": "1e999"}, {"interval": "-1e999"}, {"interval": "nan"},
                      {"interval": "9" * 5000}, {"slide": "9" * 5000}, {"slide": "\u00b2"},
                      {"theme": "\u00b2,\u0664"}, {"slide": "-3"}]:
            layout = module.layout(**query)
            assert "present-slide" in str(layout), query


# --- item 8: the smaller ones -------------------------------------------------------------------

@pytest.fixture
def store(app):
    return app.server.config["RETURNS_STORE"]


@pytest.fixture
def signed_in_request(app, token_for):
    """Inside a request signed in as an admin (the undo is recorded under the token's name)."""
    headers = {"Authorization": f"Bearer {token_for('admin', name='Sam')}"}
    with app.server.test_request_context("/upload", headers=headers):
        yield


GOOD = b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n"


@pytest.mark.parametrize("path", ["/export/kpis.csv", "/export/kpi/19a.csv"])
def test_a_csv_download_names_its_charset_once(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("action", ["undo", "redo"])
def test_undo_or_redo_of_a_batch_that_does_not_exist_says_so(store, signed_in_request, action):
    from callbacks.upload import batch_action_view, batch_rows_view

    revision = store.revision()
    for batch_id in [99999, "abc", 10 ** 30, "\u00b2", None, -5, 0]:
        message, changed = batch_action_view(action, batch_id)
        assert not changed and "There is no batch" in str(message), batch_id
        assert "already" not in str(message)
        if batch_id is not None:  # None: no batch chosen, nothing to show
            assert "There is no batch" in str(batch_rows_view(batch_id))
    assert store.revision() == revision


def test_undo_of_a_batch_already_rolled_back_still_says_so(store, signed_in_request):
    from callbacks.upload import batch_action_view

    assert batch_action_view("undo", 1)[1]
    message, changed = batch_action_view("undo", 1)
    assert not changed and "already rolled back" in str(message)


def _callback(client, needle: str) -> dict:
    dependencies = client.get("/_dash-dependencies").get_json()
    return next(d for d in dependencies if needle in json.dumps(d["inputs"]) + d["output"])


def test_a_crafted_batch_index_in_a_callback_is_not_a_server_error(client):
    undo = _callback(client, "batch-undo")
    version = undo["output"].split("...upload-history-version.")[1].rstrip(".")
    for index in ["abc", 10 ** 30, "\u00b2", -5, None, 1.5, [1]]:
        trigger = {"index": index, "type": "batch-undo"}
        response = client.post("/_dash-update-component", json={
            "output": undo["output"],
            "outputs": [{"id": "upload-action-result", "property": "children"},
                        {"id": "upload-history-version", "property": version}],
            "inputs": [[{"id": trigger, "property": "n_clicks", "value": 1}], []],
            "changedPropIds": [json.dumps(trigger, separators=(",", ":"), sort_keys=True)
                               + ".n_clicks"],
            "state": [{"id": "upload-history-version", "property": "data", "value": 0}]},
            headers=csrf_headers(client))
        assert response.status_code < 500, index


def test_a_crafted_slide_state_in_a_callback_is_not_a_server_error(client):
    move = _callback(client, "present-tick")
    outputs = [{"id": part.split(".")[0], "property": part.split(".", 1)[1]}
               for part in move["output"].strip(".").split("...")]
    for state, config in [
            ({"index": "abc", "paused": False}, {"interval": 30, "theme": "", "asat": None}),
            ({"index": 10 ** 30}, {"interval": "x"}), (None, None), ("text", [1, 2]),
            ({"index": [1]}, {"theme": 5, "asat": 7}), ({"index": "1" * 5000}, {}),
            ({}, {"theme": "\u00b2,\u0664", "interval": 1e308, "asat": "9999/00 Q4"})]:
        response = client.post("/_dash-update-component", json={
            "output": move["output"], "outputs": outputs,
            "inputs": [{"id": "present-tick", "property": "n_intervals", "value": 1},
                       {"id": "present-prev", "property": "n_clicks", "value": None},
                       {"id": "present-next", "property": "n_clicks", "value": None},
                       {"id": "present-pause", "property": "n_clicks", "value": None}],
            "changedPropIds": ["present-tick.n_intervals"],
            "state": [{"id": "present-state", "property": "data", "value": state},
                      {"id": "present-config", "property": "data", "value": config},
                      {"id": "present-tick", "property": "interval", "value": 30000}]},
            headers=csrf_headers(client))
        assert response.status_code == 200, (state, config)


@pytest.mark.parametrize("path", ["/_dash-component-suites/nothing/here.js",
                                  "/_dash-component-suites/dash/nope.js",
                                  "/_dash-component-suites/dash/../../app.py"])
def test_an_unknown_component_suite_path_is_404(client, path):
    assert client.get(path).status_code == 404


def test_a_form_encoded_body_is_told_how_to_send_the_file(client, store):
    revision = store.revision()
    response = client.post("/api/returns", data={"kpi_ref,period,value19a,2016/17 Q2,12.5": ""},
                           content_type="application/x-www-form-urlencoded",
                           headers=csrf_headers(client))
    assert response.status_code == 415
    error = response.get_json()["error"]
    assert "form" in error and "--data-binary" in error and "-F file=@" in error
    assert store.revision() == revision


@pytest.mark.parametrize("content, what", [
    ("kpi_ref\tperiod\tvalue\n19a\t2016/17 Q2\t12.5\n".encode("utf-16"), "UTF-16"),
    ("kpi_ref\tperiod\tvalue\n19a\t2016/17 Q2\t12.5\n".encode("utf-16-le"), "UTF-16"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ".xls"),
])
def test_utf16_text_and_old_xls_say_what_the_file_is_and_what_to_do(client, store, content,
                                                                      what):
    revision = store.revision()
    response = client.post("/api/returns", data=content, headers=csrf_headers(client))
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert error["code"] == "unsupported_format"
    assert what in error["message"] and "Save As" in error["message"]
    assert store.revision() == revision
