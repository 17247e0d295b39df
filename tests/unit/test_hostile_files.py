"""Hostile and careless files (issue 17): extreme numbers, control and look-alike characters,
files built to exhaust the reader. Each is refused with a failure row naming where and what, or
read as a person would expect; none raises."""

from __future__ import annotations

import math

import pytest

from domain.store_source import open_store
from domain.upload import check_upload, commit_upload

H = "kpi_ref,period,value,numerator,denominator,area,comment\n"


@pytest.fixture
def store(settings):
    return open_store(settings.data_dir, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


@pytest.fixture
def plan(settings):
    from domain.plan import load_plan

    return load_plan(settings.plan_dir)[0]


def check(text: str | bytes, plan, store, name="upload.csv"):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return check_upload(content, name, plan, store)


def codes(result) -> list[tuple[int | None, str | None, str]]:
    return [(f.row, f.column, f.code) for f in result.failures]


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("column, row", [
    ("value", "15,2016/17 Q3,{n},,,,"),
    ("numerator", "19a,2016/17 Q3,25,{n},100,,"),
    ("denominator", "19a,2016/17 Q3,25,25,{n},,"),
])
def test_a_400_digit_number_is_refused_not_stored_as_infinity(plan, store, column, row):
    result = check(H + row.format(n="9" * 400) + "\n", plan, store)
    assert codes(result) == [(2, column, "number_too_large")]
    assert not result.ok and result.rows.empty


def test_infinite_numerator_and_denominator_never_reach_the_ratio(plan, store):
    result = check(H + f"19a,2016/17 Q3,25,{'9' * 400},{'9' * 400},,\n", plan, store)
    assert [c for _, _, c in codes(result)] == ["number_too_large", "number_too_large"]


@pytest.mark.parametrize("text, digits", [
    ("\u0662\u0665", "\u0662\u0665"),  # Arabic-Indic 25
    ("\uff12\uff15", "\uff12\uff15"),  # fullwidth 25
    ("2\u0665.3", "\u0665"),
])
def test_digits_other_than_0_to_9_are_refused_by_name(plan, store, text, digits):
    result = check(H + f"19a,2016/17 Q3,{text},,,,\n", plan, store)
    (failure,) = result.failures
    assert (failure.row, failure.column, failure.code) == (2, "value", "non_ascii_digits")
    assert digits in failure.message and "0 to 9" in failure.message


def test_the_largest_figure_below_the_limit_is_read(plan, store):
    result = check(H + "15,2016/17 Q3,999999999999999,,,,\n", plan, store)
    assert result.ok and result.rows["value"].tolist() == [999999999999999.0]


def test_api_kpis_never_emits_infinity_even_for_an_old_stored_value(app, client):
    """A store written before values were checked finite may hold one: the API says null."""
    import json

    from domain.returns import read_returns
    from domain.store import KPI_VALUES, NewBatch

    store = app.server.config["RETURNS_STORE"]
    plan = app.server.config["DATASET_SOURCE"].current().plan
    rows = read_returns(b"kpi_ref,period,value\n15,2016/17 Q3,25\n", plan).table
    rows["value"] = math.inf
    store.commit(NewBatch(KPI_VALUES, "old.csv", "0" * 64, "before issue 17", rows))

    text = client.get("/api/kpis?asat=2016/17 Q3").get_data(as_text=True)
    body = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert next(k for k in body["kpis"] if k["ref"] == "15")["value"] is None
