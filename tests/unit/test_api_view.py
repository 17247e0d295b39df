"""`GET /api/kpis/<ref>`'s payload built directly (domain/views/api.py): the KPI as the list gives
it, its values with their batch, its uploaded and published comparators with their source, and
the actions citing it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from domain.published.comparators import Comparison, MeasureLink
from domain.rules.dataset import Dataset
from domain.rules.periods import PeriodError
from domain.views.api import kpi_detail, kpi_summary, published_records


def with_comparators(dataset: Dataset, rows: list[dict]) -> Dataset:
    frame = pd.DataFrame(rows)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    return Dataset.build(dataset.plan, dataset.findings, dataset.returns, dataset.progress,
                         dataset.is_sample, comparators=frame)


def comparator(period, start, end, name, value, batch_id, kind="quarter"):
    return {"kpi_ref": "19a", "period": period, "period_kind": kind, "period_start": start,
            "period_end": end, "comparator": name, "value": value, "source_row": 2,
            "batch_id": batch_id}


def published(convention: str) -> Comparison:
    link = MeasureLink("19a", "ees", "ees/referrals.csv", "rereferral_percent", (), convention)
    table = pd.DataFrame({"year": [2016, 2017], "authority": [20.0, 21.0],
                          "england": [22.0, float("nan")], "neighbour_mean": [23.0, 24.0],
                          "neighbour_min": [19.0, 20.0], "neighbour_max": [27.0, 28.0],
                          "neighbour_count": [10, 10], "Leeds": [25.0, 26.0],
                          "Bristol": [20.0, 21.0]})
    return Comparison(link, table, "Bristol, City of")


def test_an_unknown_ref_gives_none_and_a_ref_in_any_case_is_found(dataset):
    assert kpi_detail(dataset, "99z", None) is None
    assert kpi_detail(dataset, "19A", None)["ref"] == "19a"


def test_a_bad_period_is_refused(dataset):
    with pytest.raises(PeriodError):
        kpi_detail(dataset, "19a", "2016/17 Q5")


def test_the_kpi_is_as_the_list_gives_it_with_the_asat(dataset):
    asat = dataset.resolve_asat("2016/17 Q3")
    body = kpi_detail(dataset, "19a", "2016/17 Q3")
    assert body["asat"] == "2016/17 Q3"
    summary = kpi_summary(dataset.plan.kpi("19a"), dataset.kpi_status("19a", asat))
    assert {k: body[k] for k in summary} == summary
    assert body["actions"] == [a.ref for a in dataset.plan.actions_citing("19a")]


def test_values_stop_at_the_asat_and_include_every_area(dataset):
    body = kpi_detail(dataset, "17a", "2016/17 Q3")
    periods = {v["period"] for v in body["values"]}
    assert "2016/17 Q3" in periods and "2016/17 Q4" not in periods
    assert {v["area"] for v in body["values"]} == {"", *dataset.areas("17a")}
    # Read from the sample file rather than the store, no value has a batch.
    assert {v["batch_id"] for v in body["values"]} == {None}


def test_uploaded_comparators_name_their_batch_and_stop_at_the_asat(dataset):
    data = with_comparators(dataset, [
        comparator("2016/17 Q3", "2016-10-01", "2016-12-31", "England", 22.3, 7),
        comparator("2016/17 Q4", "2017-01-01", "2017-03-31", "England", 21.9, 9)])
    body = kpi_detail(data, "19a", "2016/17 Q3")
    assert body["comparators"] == [{"period": "2016/17 Q3", "comparator": "England",
                                    "value": 22.3, "source": "batch 7"}]


def test_published_comparators_name_their_file_and_keep_to_the_asat(dataset):
    body = kpi_detail(dataset, "19a", "2016/17 Q1",
                      lambda ref: [published("year to 31 March")] if ref == "19a" else [])
    assert {c["period"] for c in body["comparators"]} == {"2015/16"}
    assert {c["source"] for c in body["comparators"]} == {"referrals.csv"}
    assert {c["comparator"]: c["value"] for c in body["comparators"]} == {
        "Bristol, City of (published)": 20.0, "England": 22.0,
        "Statistical neighbours mean": 23.0, "Statistical neighbours lowest": 19.0,
        "Statistical neighbours highest": 27.0, "Leeds": 25.0}


def test_a_published_year_not_ending_in_march_keeps_its_convention():
    records = published_records([published("at 30 September")], date(2018, 3, 31))
    assert {r["period"] for r in records} == {"2016, at 30 September", "2017, at 30 September"}
    # A missing published value is left out, not given as null.
    assert not any(r["comparator"] == "England" and r["period"].startswith("2017")
                   for r in records)


def test_uploaded_and_published_comparators_come_in_period_order(dataset):
    data = with_comparators(dataset, [
        comparator("2016/17", "2016-04-01", "2017-03-31", "England", 21.0, 7, kind="year")])
    body = kpi_detail(data, "19a", "2017/18 Q2", lambda ref: [published("year to 31 March")])
    periods = [c["period"] for c in body["comparators"]]
    assert periods == sorted(periods)
    assert {"period": "2016/17", "comparator": "England", "value": 21.0,
            "source": "batch 7"} in body["comparators"]
