"""The exception report's rows (issue 14): every RED and AMBER KPI, RED first, with its
commentary or "No commentary yet"."""

from __future__ import annotations

import dataclasses

import pandas as pd

from domain.rules.rag import Rag
from domain.views.commentary import NO_COMMENTARY, commentary_period
from domain.views.exceptions import EXCEPTION_COLUMNS, exception_rows, exceptions_frame


def with_commentary(dataset, rows: list[dict]):
    frame = pd.DataFrame.from_records(rows)
    return dataclasses.replace(dataset, commentary=frame)


def test_every_red_and_amber_kpi_red_first_without_commentary(dataset):
    asat = dataset.latest_quarter()
    statuses = dataset.kpi_statuses(asat)
    rows = exception_rows(dataset, asat)
    expected = [k.ref for rag in (Rag.RED, Rag.AMBER) for k in dataset.plan.kpis
                if statuses[k.ref].status is rag]
    assert [r.kpi.ref for r in rows] == expected and rows
    assert all(r.text == NO_COMMENTARY and r.commentary is None for r in rows)


def test_a_commentary_for_the_kpis_period_is_shown_and_exported(dataset):
    asat = dataset.latest_quarter()
    first = exception_rows(dataset, asat)[0]
    period = commentary_period(first.kpi, asat).label
    dataset = with_commentary(dataset, [{
        "kpi_ref": first.kpi.ref, "period": period, "commentary": "=Staffing\nline two",
        "next_steps": "Recruit", "by_date": "2017-06-30", "batch_id": 9}])
    rows = exception_rows(dataset, asat)
    assert rows[0].text == "=Staffing\nline two"
    frame = exceptions_frame(rows)
    assert list(frame.columns) == list(EXCEPTION_COLUMNS)
    assert frame.iloc[0]["Commentary"] == "=Staffing\nline two"
    assert frame.iloc[0]["By"] == "2017-06-30"
    assert (frame["Commentary"] == NO_COMMENTARY).sum() == len(rows) - 1


def test_an_annual_kpis_commentary_is_for_the_year_ended_by_the_quarter(dataset):
    kpi = next(k for k in dataset.plan.kpis if k.frequency == "annual")
    q4 = dataset.resolve_asat("2016/17 Q4")
    q3 = dataset.resolve_asat("2016/17 Q3")
    assert commentary_period(kpi, q4).label == "2016/17"
    assert commentary_period(kpi, q3).label == "2015/16"
