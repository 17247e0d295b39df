"""Issue 18 item 12: the returns template is for the period due, and rows left blank are
skipped with a note rather than refusing the file."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from domain.rules.dataset import Dataset
from domain.store.source import open_store
from domain.ingest.upload import check_upload, commit_upload, due_quarter, template_csv

AFTER_Q3 = date(2018, 1, 15)  # 2017/18 Q3 has ended; the sample's latest is 2017/18 Q2


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def test_the_period_due_follows_the_latest_complete_quarter_once_it_has_ended(dataset):
    assert due_quarter(dataset, AFTER_Q3).label == "2017/18 Q3"
    # Before 2017/18 Q3 ends, the returns still missing for Q2 are what is due.
    assert due_quarter(dataset, date(2017, 12, 1)).label == "2017/18 Q2"


def test_with_no_data_the_period_due_is_the_latest_quarter_ended(dataset):
    empty = Dataset.build(dataset.plan, dataset.findings, dataset.returns.iloc[0:0],
                          dataset.progress, True)
    assert due_quarter(empty, date(2018, 1, 15)).label == "2017/18 Q3"


def test_the_template_asks_for_what_is_due_and_missing(dataset):
    template = rows(template_csv(dataset, AFTER_Q3))
    periods = {(r["kpi_ref"], r["period"], r["area"]) for r in template}
    assert ("1a", "2017/18 Q3", "") in periods
    assert "2017/18 Q1" not in {r["period"] for r in template if r["kpi_ref"] == "1a"}
    # KPI 4 is behind: its missing quarters are there too.
    assert [r["period"] for r in template if r["kpi_ref"] == "4"] == [
        "2017/18 Q1", "2017/18 Q2", "2017/18 Q3"]
    # A KPI broken down by area gets a row per area.
    assert [r["area"] for r in template if r["kpi_ref"] == "17a"] == [
        "", *dataset.areas("17a")]
    # Annual and 6-monthly KPIs already in for their latest period are not asked again.
    assert not any(r["kpi_ref"] in ("7", "8", "19c") for r in template)
    assert all(r["value"] == "" for r in template)
    assert template[0]["measure"] == dataset.plan.kpi(template[0]["kpi_ref"]).measure


def test_a_template_with_five_values_filled_uploads_those_five(dataset, store):
    template = rows(template_csv(dataset, AFTER_Q3))
    filled = [r["kpi_ref"] for r in template if r["area"] == ""][:5]
    for r in template:
        if r["kpi_ref"] in filled and r["area"] == "" and r["period"] == "2017/18 Q3":
            r["value"] = "50"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(template[0]))
    writer.writeheader()
    writer.writerows(template)
    check = check_upload(out.getvalue().encode(), "template.csv", dataset.plan, store, AFTER_Q3)
    assert check.ok and check.error_count == 0
    skipped = [f for f in check.failures if f.code == "blank_value_skipped"]
    assert len(skipped) == len(template) - len(check.rows)
    assert skipped[0].message.startswith(f"Row {skipped[0].row} has no value, so it is skipped")
    assert sorted(check.rows["kpi_ref"]) == sorted(
        r["kpi_ref"] for r in template if r["value"])
    result = commit_upload(check, "Pat", store)
    assert result.committed and len(result.preview.new) == len(check.rows)


def test_the_template_route_offers_the_period_due(client):
    response = client.get("/api/returns/template.csv")
    assert "returns-template-" in response.headers["Content-Disposition"]
    assert pd.read_csv(io.BytesIO(response.data))["value"].isna().all()
