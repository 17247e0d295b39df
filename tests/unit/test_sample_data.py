"""The embedded sample data: reproducible from its script, complete, and telling its story."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from domain.rules.periods import (financial_year, half, kind_for_frequency, parse_period,
                            periods_between, quarter)
from domain.ingest.register import load_register
from domain.rules.rag import Observation, Rag, kpi_status

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_sample_data.py"
SAMPLE = ROOT / "data" / "sample"
PLAN = ROOT / "data" / "plan"
FILES = ("kpi_returns.csv", "action_progress.csv")
LAST_QUARTER = quarter(2017, 2)
AREA_KPIS = ("17a", "18a", "18b")
AREAS = {"North", "South", "East Central"}
MISSING = {("4", "2017/18 Q1"), ("4", "2017/18 Q2")}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return read("kpi_returns.csv")


@pytest.fixture(scope="module")
def progress() -> pd.DataFrame:
    return read("action_progress.csv")


@pytest.fixture(scope="module")
def kpis() -> pd.DataFrame:
    return pd.read_csv(PLAN / "kpis.csv", dtype=str, keep_default_na=False)


def expected_labels(frequency: str) -> list[str]:
    first = {"quarter": quarter(2014, 1), "half": half(2014, 1),
             "year": financial_year(2014)}[kind_for_frequency(frequency)]
    return [p.label for p in periods_between(first, LAST_QUARTER)]


def test_the_script_reproduces_the_committed_files_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], cwd=tmp_path, check=True,
                   capture_output=True, text=True)
    for name in FILES:
        assert (out / name).read_bytes() == (SAMPLE / name).read_bytes(), (
            f"{name} differs from the script's output: run scripts/make_sample_data.py")


@pytest.mark.parametrize("name", FILES)
def test_files_are_utf8_without_bom_with_unix_line_endings(name):
    raw = (SAMPLE / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw and raw.endswith(b"\n")
    raw.decode("utf-8")


def test_headers_are_exactly_the_long_layouts():
    assert (SAMPLE / "kpi_returns.csv").read_text().splitlines()[0] == (
        "kpi_ref,period,value,numerator,denominator,area,comment")
    assert (SAMPLE / "action_progress.csv").read_text().splitlines()[0] == (
        "action_ref,as_at,status,comment")


def test_every_kpi_has_whole_authority_returns_at_its_own_frequency(returns, kpis):
    whole = returns[returns["area"] == ""]
    assert list(dict.fromkeys(returns["kpi_ref"])) == list(kpis["ref"])
    for kpi in kpis.itertuples():
        expected = [label for label in expected_labels(kpi.frequency)
                    if (kpi.ref, label) not in MISSING]
        assert whole.loc[whole["kpi_ref"] == kpi.ref, "period"].tolist() == expected, kpi.ref


def test_frequencies_give_the_expected_number_of_periods():
    assert len(expected_labels("quarterly")) == 14
    assert expected_labels("6-monthly")[0] == "2014/15 H1"
    assert expected_labels("6-monthly")[-1] == "2017/18 H1"
    assert expected_labels("annual") == ["2014/15", "2015/16", "2016/17"]


def test_kpi_4_misses_its_last_two_returns(returns):
    periods = returns.loc[returns["kpi_ref"] == "4", "period"].tolist()
    assert periods[-1] == "2016/17 Q4"
    assert not {"2017/18 Q1", "2017/18 Q2"} & set(periods)


def test_area_kpis_have_every_area_for_every_period(returns):
    named = returns[returns["area"] != ""]
    assert set(named["kpi_ref"]) == set(AREA_KPIS)
    for ref in AREA_KPIS:
        rows = returns[returns["kpi_ref"] == ref]
        whole_periods = rows.loc[rows["area"] == "", "period"].tolist()
        assert len(whole_periods) == 14
        for area in AREAS:
            assert rows.loc[rows["area"] == area, "period"].tolist() == whole_periods, (ref, area)


def test_whole_authority_lies_within_its_areas(returns):
    for ref in AREA_KPIS:
        rows = returns[returns["kpi_ref"] == ref].assign(value=lambda d: d["value"].astype(float))
        table = rows.pivot(index="period", columns="area", values="value")
        areas = table[sorted(AREAS)]
        assert ((table[""] >= areas.min(axis=1) - 0.05)
                & (table[""] <= areas.max(axis=1) + 0.05)).all(), ref


def test_south_has_the_highest_area_caseloads(returns):
    rows = returns[(returns["kpi_ref"] == "17a") & (returns["area"] != "")]
    table = rows.pivot(index="period", columns="area", values="value").astype(float)
    assert (table["South"] > table[["North", "East Central"]].max(axis=1)).all()


def test_values_are_in_range_and_rounded_by_unit(returns, kpis):
    units = dict(zip(kpis["ref"], kpis["unit"]))
    for row in returns.itertuples():
        unit = units[row.kpi_ref]
        if unit in ("percent", "caseload"):
            assert row.value == f"{float(row.value):.1f}", row
        else:
            assert row.value.isdigit(), row
        if unit == "percent":
            assert 0 <= float(row.value) <= 100, row


def test_counts_of_children_and_homes(returns):
    foster = returns.loc[returns["kpi_ref"] == "15", "value"].astype(int)
    assert foster.between(350, 440).all()
    homes = returns[returns["kpi_ref"] == "16"]
    assert homes["value"].astype(int).between(2, 5).all()
    assert (homes["numerator"] == homes["value"]).all() and (homes["denominator"] == "7").all()


@pytest.mark.parametrize("ref", ["19a", "19b", "3b"])
def test_counted_percentages_are_numerator_over_denominator(returns, ref):
    rows = returns[returns["kpi_ref"] == ref]
    assert len(rows) == 14
    for row in rows.itertuples():
        numerator, denominator = int(row.numerator), int(row.denominator)
        assert 0 <= numerator <= denominator
        assert float(row.value) == round(100 * numerator / denominator, 1), row


def test_some_comments_need_quoting(returns, progress):
    comments = [c for c in list(returns["comment"]) + list(progress["comment"]) if c]
    assert any("," in c for c in comments) and any('"' in c for c in comments)
    assert "Provisional: audit sample of 40" in comments


def _statuses(returns: pd.DataFrame, asat_label: str) -> dict[str, object]:
    plan = load_register(PLAN)
    whole = returns[returns["area"] == ""]
    asat = parse_period(asat_label)
    out = {}
    for kpi in plan.kpis:
        rows = whole[whole["kpi_ref"] == kpi.ref]
        observations = [Observation(parse_period(p), float(v))
                        for p, v in zip(rows["period"], rows["value"])]
        out[kpi.ref] = kpi_status(kpi, observations, asat, plan.baseline_date)
    return out


def test_the_story_gives_a_mix_of_statuses_mid_plan_and_at_the_end(returns):
    mid = {s.status for s in _statuses(returns, "2016/17 Q3").values()}
    assert {Rag.RED, Rag.AMBER, Rag.GREEN} <= mid
    end = _statuses(returns, "2017/18 Q2")
    assert {s.status for s in end.values()} == {Rag.BLUE, Rag.RED}
    assert end["4"].return_overdue
    assert [ref for ref, s in end.items() if s.return_overdue] == ["4"]


def test_action_progress_covers_the_plan_with_a_realistic_story(progress):
    actions = pd.read_csv(PLAN / "actions.csv", dtype=str, keep_default_na=False)
    assert len(actions) == 58
    assert set(progress["action_ref"]) <= set(actions["ref"])
    assert 1 <= len(set(actions["ref"]) - set(progress["action_ref"])) <= 5
    assert set(progress["status"]) == {"RED", "AMBER", "GREEN", "BLUE"}
    quarter_ends = {"2016-09-30", "2016-12-31", "2017-03-31", "2017-06-30", "2017-09-30"}
    assert set(progress["as_at"]) <= quarter_ends
    assert not progress.duplicated(["action_ref", "as_at"]).any()

    due = {r.ref: date.fromisoformat(r.due_date) for r in actions.itertuples() if r.due_date}
    latest = progress.sort_values("as_at").groupby("action_ref").last()
    slipped = [ref for ref, row in latest.iterrows()
               if ref in due and due[ref] < date(2017, 9, 30) and row["status"] == "AMBER"]
    assert slipped, "some actions should still be AMBER after their due date"
