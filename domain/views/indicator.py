"""The indicator page's questions: one KPI's values, status, trajectory, uploaded comparators and
citing actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from domain.rules.dataset import (Dataset, QuarterReturns, TargetStep, UploadedComparator,
                                 asat_with_fallback, newer_partial, partial_note)
from domain.views.milestones import Milestone, kpi_milestones
from domain.views.narrative import trend_sentence
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Action, Kpi, Plan, Theme
from domain.rules.rag import ActionStatus, KpiStatus, Observation
from domain.rules.signoff import REVISED_AFTER_SIGNOFF, PeriodSignoff, value_revised


@dataclass(frozen=True)
class IndicatorView:
    kpi: Kpi
    theme: Theme
    asat: ReportingPeriod
    asat_error: str | None
    status: KpiStatus
    values: tuple[Observation, ...]  # whole authority, up to the as-at period
    areas: dict[str, tuple[Observation, ...]]  # named areas, up to the as-at period
    trajectory: tuple[tuple[date, float], ...]  # baseline point to target at due date, or ()
    actions: tuple[tuple[Action, ActionStatus], ...]
    summary: str  # the chart's text alternative
    table: pd.DataFrame  # one row per period: whole authority, each area, counts, comments
    milestones: tuple[Milestone, ...] = ()  # citing actions' due and completion dates
    # Comparators uploaded for this KPI (beside the published ones), up to the as-at period.
    uploaded_comparators: tuple[UploadedComparator, ...] = ()
    partial_note: str | None = None  # the as-at quarter's returns are still arriving
    newer_partial: QuarterReturns | None = None  # offered one click away
    # Its target and due date from each day a version of the plan set them (issue 13).
    target_history: tuple[TargetStep, ...] = ()


def find_kpi(plan: Plan, ref: str) -> Kpi | None:
    """The plan's KPI for a ref written in any case (/kpi/17A finds 17a): `Plan.kpi`."""
    return plan.kpi(ref)


def uploaded_comparators_until(dataset: Dataset, kpi_ref: str, asat: ReportingPeriod
                               ) -> tuple[UploadedComparator, ...]:
    """The KPI's uploaded comparators with their values for periods ended by `asat`."""
    kept = (c.between(None, asat.end) for c in dataset.uploaded_comparators(kpi_ref))
    return tuple(c for c in kept if c is not None)


def _value_table(dataset: Dataset, kpi: Kpi, asat: ReportingPeriod,
                 signoffs: Sequence[PeriodSignoff] = ()) -> pd.DataFrame:
    returns = dataset.returns
    rows = returns[(returns["kpi_ref"] == kpi.ref)
                   & (returns["period_end"] <= pd.Timestamp(asat.end))]
    if rows.empty:
        return pd.DataFrame(columns=["Period", "Whole authority"])
    wide = rows.pivot_table(index=["period_end", "period"], columns="area", values="value",
                            aggfunc="first").rename(columns={"": "Whole authority"})
    whole = rows[rows["area"] == ""].set_index(["period_end", "period"])
    for column, source in (("Numerator", "numerator"), ("Denominator", "denominator")):
        if whole[source].notna().any():
            wide[column] = whole[source]
    if (whole["comment"] != "").any():
        wide["Comment"] = whole["comment"]
    if signoffs and "batch_id" in whole.columns:
        # Issue 14: said in words beside a value changed after its quarter was signed off.
        revised = [REVISED_AFTER_SIGNOFF if value_revised(signoffs, end.date(), int(batch))
                   else "" for (end, _period), batch in whole["batch_id"].items()]
        if any(revised):
            wide["Sign-off"] = pd.Series(revised, index=whole.index)
    wide = wide.sort_index().reset_index().drop(columns="period_end")
    wide.columns.name = None
    return wide.rename(columns={"period": "Period"})


def indicator_view(dataset: Dataset, ref: str, asat_text: str | None = None,
                   signoffs: Sequence[PeriodSignoff] = ()) -> IndicatorView | None:
    """Everything the /kpi/<ref> page shows; None when the plan has no such KPI. `signoffs`
    mark the values changed after their quarter was signed off (issue 14)."""
    kpi = find_kpi(dataset.plan, ref)
    if kpi is None:
        return None
    asat, asat_error = asat_with_fallback(dataset, asat_text)
    dataset = dataset.at(asat)  # the target in force then: a revision never recolours the past
    kpi = dataset.kpi_in_force(kpi.ref, asat.end)
    status = dataset.kpi_status(kpi.ref, asat)
    values = dataset.observations_until(kpi.ref, asat)
    areas = {area: dataset.observations_until(kpi.ref, asat, area)
             for area in dataset.areas(kpi.ref)}
    trajectory = ()
    if status.baseline is not None:
        trajectory = ((status.baseline.period.end, status.baseline.value),
                      (kpi.due_date, kpi.target))
    action_status = dataset.action_statuses(asat)
    actions = tuple((a, action_status[a.ref]) for a in dataset.plan.actions_citing(kpi.ref))
    return IndicatorView(
        kpi=kpi, theme=dataset.plan.theme(kpi.theme), asat=asat, asat_error=asat_error,
        status=status, values=values, areas=areas, trajectory=trajectory, actions=actions,
        summary=trend_sentence(kpi, values, subject=kpi.measure),
        table=_value_table(dataset, kpi, asat, signoffs),
        milestones=kpi_milestones(dataset, kpi.ref, asat.end),
        uploaded_comparators=uploaded_comparators_until(dataset, kpi.ref, asat),
        partial_note=partial_note(dataset, asat), newer_partial=newer_partial(dataset, asat),
        target_history=dataset.target_history(kpi.ref))
