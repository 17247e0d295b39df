"""Targets over time (issue 13): a period is judged by the version of the plan in force at its end,
so a mid-year revision leaves every earlier status as it was; the KPI keeps a target history."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.rules.dataset import Dataset
from domain.rules.plan import PlanVersion

REVISED_FROM = date(2016, 10, 1)  # after Q2 (ends 30 September), before Q3 (ends 31 December)


def revised(plan, kpi_ref="19a", **changes):
    kpis = tuple(dataclasses.replace(k, **changes) if k.ref == kpi_ref else k
                 for k in plan.kpis)
    return dataclasses.replace(plan, kpis=kpis)


@pytest.fixture
def versions(dataset):
    tighter = revised(dataset.plan, target=20.0, target_label="20%")
    return (PlanVersion(dataset.plan, None, "2016-04-05T09:00:00+00:00", "Shipped"),
            PlanVersion(tighter, REVISED_FROM, "2016-10-20T09:00:00+00:00", "Board secretary"))


@pytest.fixture
def two_versions(dataset, versions):
    return Dataset.build(versions[-1].plan, dataset.findings, dataset.returns, dataset.progress,
                         dataset.is_sample, versions=versions)


@pytest.mark.parametrize("asat", ["2016/17 Q1", "2016/17 Q2"])
def test_a_revision_leaves_earlier_periods_as_they_were(dataset, two_versions, asat):
    period = dataset.resolve_asat(asat)
    assert two_versions.kpi_statuses(period) == dataset.kpi_statuses(period)
    assert two_versions.at(period).plan.kpi("19a").target_label == "24%"


def test_a_period_ending_after_the_revision_uses_the_new_target(dataset, two_versions):
    q3 = dataset.resolve_asat("2016/17 Q3")
    before, after = dataset.kpi_status("19a", q3), two_versions.kpi_status("19a", q3)
    assert before.status.value == "AMBER" and "24% target" in before.reason
    assert after.status.value == "RED" and "20% target" in after.reason
    assert two_versions.at(q3).plan.kpi("19a").target == 20


def test_the_first_version_is_in_force_before_the_plan_starts(two_versions, versions):
    assert two_versions.plan_in_force(date(2010, 1, 1)) is versions[0].plan
    assert two_versions.plan_in_force(REVISED_FROM) is versions[1].plan
    assert two_versions.plan_in_force(date(2030, 1, 1)) is versions[1].plan


def test_a_revised_due_date_judges_an_action_from_then_on(dataset):
    action = dataset.plan.action("1.1.2")  # due Dec 2016
    later = dataclasses.replace(action, due_date=date(2017, 3, 31), due_label="Mar 2017")
    plan = dataclasses.replace(dataset.plan, actions=tuple(
        later if a.ref == action.ref else a for a in dataset.plan.actions))
    data = Dataset.build(plan, (), dataset.returns, dataset.progress, True,
                         versions=(PlanVersion(dataset.plan, None),
                                   PlanVersion(plan, date(2017, 1, 15))))
    q3, q4 = dataset.resolve_asat("2016/17 Q3"), dataset.resolve_asat("2016/17 Q4")
    assert data.action_statuses(q3) == dataset.action_statuses(q3)
    assert "(due Dec 2016)" in dataset.action_statuses(q4)[action.ref].reason
    assert "(due Mar 2017)" in data.action_statuses(q4)[action.ref].reason


def test_the_target_history_lists_each_change_once(two_versions, dataset):
    steps = two_versions.target_history("19a")
    assert [(s.target_label, s.in_force_from, s.imported_by) for s in steps] == [
        ("24%", dataset.plan.start_date, "Shipped"), ("20%", REVISED_FROM, "Board secretary")]
    # A KPI the revision left alone has one step.
    assert [s.target_label for s in two_versions.target_history("19b")] == ["15%"]


def test_a_single_version_dataset_has_its_target_as_the_history(dataset):
    (step,) = dataset.target_history("16")
    assert (step.target_label, step.due_date) == ("4 / 7", date(2017, 3, 31))
