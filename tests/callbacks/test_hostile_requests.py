"""URLs and requests an attacker or a careless user can send: each answers with a status and a
message, never a 500, a blank page or a value that is not JSON (issue 17)."""

from __future__ import annotations

import importlib
import json

import pytest

EXTREME_PERIODS = ["9999/00 Q4", "0000/01 Q1", "Mar 0000", "2300/01 Q1", "31/12/9999",
                   "1900-03-31", "Q1 2101/02"]


def strict_json(text: str):
    """JSON as the standard defines it: a bare Infinity or NaN is an error."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


# --- years out of range in URLs and API parameters ----------------------------------------------

@pytest.mark.parametrize("asat", EXTREME_PERIODS)
@pytest.mark.parametrize("path", ["/api/kpis", "/api/actions", "/export/kpis.csv",
                                  "/export/dataset.xlsx", "/export/kpi/19a.csv",
                                  "/export/board-pack.pdf"])
def test_a_year_out_of_range_is_400_naming_the_parameter(client, path, asat):
    response = client.get(path, query_string={"asat": asat})
    assert response.status_code == 400
    body = strict_json(response.get_data(as_text=True))
    assert body["parameter"] == "asat"
    assert "1990 to 2100" in body["error"] or "1990" in body["error"]


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
    assert "Showing the latest period" in text


@pytest.mark.parametrize("param", ["start", "end"])
def test_explore_with_an_extreme_range_says_so(app, param):
    module = importlib.import_module("pages.explore")
    with app.server.test_request_context("/explore"):
        layout = module.layout(**{param: "9999/00 Q4"})
    assert "1990 to 2100" in str(layout)


@pytest.mark.parametrize("interval", ["1e999", "-1e999", "nan", "99999999999999999999"])
def test_present_with_an_absurd_interval_uses_a_sensible_one(app, interval):
    module = importlib.import_module("pages.present")
    with app.server.test_request_context("/present"):
        layout = module.layout(interval=interval)
    assert layout is not None
