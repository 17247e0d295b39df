"""One loaded plan with its returns, action progress and uploaded comparators, and the questions
the pages ask of it.

`Dataset` is immutable: a new upload or plan import makes a new one (domain/store/source.py
rebuilds it when the store's revision changes). It holds every version of its plan, so a period
is judged by the targets in force at its end (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from domain.rules.failures import Failure
from domain.rules.integrity import Finding
from domain.rules.periods import (PeriodError, ReportingPeriod, latest_due, parse_period,
                                  periods_between, quarter_containing)
from domain.rules.plan import Action, Kpi, Plan, PlanVersion
from domain.rules.rag import (ActionStatus, KpiStatus, Observation, ProgressReport, Rag,
                        action_status, kpi_status)

WHOLE_AUTHORITY = ""
# The default "as at" is the latest quarter for which at least this share of the KPIs due in it
# have a whole-authority return (docs/rules.md#the-as-at-period): a quarter whose returns
# are still arriving is "partial" and is shown only when chosen.
COMPLETE_ENOUGH = 0.75


def _period_from_row(row) -> ReportingPeriod:
    return ReportingPeriod(end=row.period_end.date(), start=row.period_start.date(),
                           kind=row.period_kind)


def _observations_by_kpi_and_area(returns: pd.DataFrame) -> dict[tuple[str, str], tuple]:
    grouped: dict[tuple[str, str], list[Observation]] = {}
    for row in returns.itertuples(index=False):
        grouped.setdefault((row.kpi_ref, row.area), []).append(
            Observation(period=_period_from_row(row), value=float(row.value)))
    return {key: tuple(sorted(obs, key=lambda o: o.period)) for key, obs in grouped.items()}


def _reports_by_action(progress: pd.DataFrame) -> dict[str, tuple[ProgressReport, ...]]:
    grouped: dict[str, list[ProgressReport]] = {}
    for row in progress.itertuples(index=False):
        grouped.setdefault(row.action_ref, []).append(
            ProgressReport(as_at=row.as_at.date(), status=Rag(row.status), comment=row.comment))
    return {ref: tuple(sorted(reports, key=lambda r: r.as_at)) for ref, reports in
            grouped.items()}


@dataclass(frozen=True)
class UploadedComparator:
    """One comparator of a KPI (England, core cities...) as uploaded, named as written in the
    file, with the batch each value came from (None when not read from the store)."""

    name: str
    values: tuple[Observation, ...]  # in period order
    batch_ids: tuple[int | None, ...]  # one per value

    @property
    def label(self) -> str:
        """"England (uploaded, batch 7)": how the pages name it beside the published ones."""
        ids = sorted({b for b in self.batch_ids if b is not None})
        if not ids:
            return f"{self.name} (uploaded)"
        which = f"batch {ids[0]}" if len(ids) == 1 else \
            "batches " + ", ".join(map(str, ids[:-1])) + f" and {ids[-1]}"
        return f"{self.name} (uploaded, {which})"

    def between(self, start: date | None, end: date | None) -> UploadedComparator | None:
        """Only the values whose period ends within `start`..`end`; None when none does."""
        kept = [(o, b) for o, b in zip(self.values, self.batch_ids)
                if (start is None or o.period.end >= start)
                and (end is None or o.period.end <= end)]
        if not kept:
            return None
        return UploadedComparator(self.name, tuple(o for o, _ in kept), tuple(b for _, b in kept))


def _batch_ids(frame: pd.DataFrame) -> list[int | None]:
    if "batch_id" not in frame.columns:
        return [None] * len(frame)
    return [int(b) for b in frame["batch_id"]]


def _comparators_by_kpi(comparators: pd.DataFrame) -> dict[str, tuple[UploadedComparator, ...]]:
    if comparators.empty:
        return {}
    grouped: dict[str, dict[str, list]] = {}
    for row, batch_id in zip(comparators.itertuples(index=False), _batch_ids(comparators)):
        grouped.setdefault(row.kpi_ref, {}).setdefault(row.comparator, []).append(
            (Observation(period=_period_from_row(row), value=float(row.value)), batch_id))
    out = {}
    for kpi_ref, by_name in grouped.items():
        series = []
        for name in sorted(by_name, key=str.casefold):
            pairs = sorted(by_name[name], key=lambda pair: pair[0].period)
            series.append(UploadedComparator(name, tuple(o for o, _ in pairs),
                                             tuple(b for _, b in pairs)))
        out[kpi_ref] = tuple(series)
    return out


@dataclass(frozen=True)
class QuarterReturns:
    """How many of the KPIs due in a quarter have a whole-authority return for it."""

    quarter: ReportingPeriod
    received: int
    expected: int

    @property
    def complete(self) -> bool:
        return self.received >= COMPLETE_ENOUGH * self.expected

    @property
    def label(self) -> str:
        """The as-at choice's words: `2017/18 Q3 (partial: 9 of 28 returns)`."""
        if self.complete:
            return self.quarter.label
        return f"{self.quarter.label} (partial: {self.received} of {self.expected} returns)"


@dataclass(frozen=True)
class TargetStep:
    """A KPI's target and due date from one day on, as a version of the plan set them."""

    in_force_from: date  # the plan's start for its first version
    target_label: str
    target: float
    due_label: str
    due_date: date
    imported_at: str
    imported_by: str


@dataclass(frozen=True)
class Dataset:
    plan: Plan  # the plan's latest version (see `plan_in_force` for an earlier period's)
    findings: tuple[Finding, ...]
    returns: pd.DataFrame
    progress: pd.DataFrame
    is_sample: bool
    load_failures: tuple[Failure, ...] = ()
    # Uploaded comparator values (the store's current ones), with `batch_id`; returns has a
    # `batch_id` column too when the dataset is read from the store.
    comparators: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    # The plan's versions, oldest first (issue 13): a period is judged by the version in force
    # at its end. Empty: `plan` is the only version.
    versions: tuple[PlanVersion, ...] = field(default=(), repr=False)
    # Issue 14: the store's current commentary of each KPI and period, with `batch_id`.
    commentary: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _observations: dict = field(default_factory=dict, repr=False)
    _reports: dict = field(default_factory=dict, repr=False)
    _comparators: dict = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, plan: Plan, findings, returns: pd.DataFrame, progress: pd.DataFrame,
              is_sample: bool, load_failures=(), comparators: pd.DataFrame | None = None,
              versions: tuple[PlanVersion, ...] = (),
              commentary: pd.DataFrame | None = None) -> Dataset:
        comparators = pd.DataFrame() if comparators is None else comparators
        commentary = pd.DataFrame() if commentary is None else commentary
        return cls(plan=plan, findings=tuple(findings), returns=returns, progress=progress,
                   is_sample=is_sample, load_failures=tuple(load_failures),
                   comparators=comparators, versions=tuple(versions), commentary=commentary,
                   _observations=_observations_by_kpi_and_area(returns),
                   _reports=_reports_by_action(progress),
                   _comparators=_comparators_by_kpi(comparators))

    # --- values ----------------------------------------------------------------------------------

    def observations(self, kpi_ref: str, area: str = WHOLE_AUTHORITY) -> tuple[Observation, ...]:
        return self._observations.get((kpi_ref, area), ())

    def observations_until(self, kpi_ref: str, asat: ReportingPeriod,
                           area: str = WHOLE_AUTHORITY) -> tuple[Observation, ...]:
        """Values whose period ended by the end of `asat`: what the board knew then."""
        return tuple(o for o in self.observations(kpi_ref, area) if o.period.end <= asat.end)

    def areas(self, kpi_ref: str) -> tuple[str, ...]:
        """The named areas a KPI is broken down by (not the whole authority)."""
        return tuple(sorted(area for ref, area in self._observations
                            if ref == kpi_ref and area != WHOLE_AUTHORITY))

    def reports(self, action_ref: str) -> tuple[ProgressReport, ...]:
        return self._reports.get(action_ref, ())

    def commentary_for(self, kpi_ref: str, period_label: str) -> dict | None:
        """The KPI's current commentary for a period, as a row of the commentary kind with its
        `batch_id`; None when nobody has written one."""
        frame = self.commentary
        if frame.empty:
            return None
        found = frame[(frame["kpi_ref"] == kpi_ref) & (frame["period"] == period_label)]
        return found.iloc[-1].to_dict() if not found.empty else None

    def uploaded_comparators(self, kpi_ref: str) -> tuple[UploadedComparator, ...]:
        """The KPI's uploaded comparators, by name, as the store holds them now."""
        return self._comparators.get(kpi_ref, ())

    # --- as-at periods ---------------------------------------------------------------------------

    def quarters(self) -> tuple[ReportingPeriod, ...]:
        """Every quarter from the first with data to the latest: the choices for "as at"."""
        if self.returns.empty:
            return ()
        first = quarter_containing(self.returns["period_start"].min().date())
        last = self.latest_quarter()
        return tuple(periods_between(first, last))

    def latest_quarter(self) -> ReportingPeriod | None:
        """The latest quarter with any data (perhaps partial: see `default_quarter`)."""
        if self.returns.empty:
            return None
        return quarter_containing(self.returns["period_end"].max().date())

    def returns_in(self, quarter: ReportingPeriod) -> QuarterReturns:
        """The KPIs due in `quarter` (those with a period of their frequency ending with it)
        and how many of them have a whole-authority value for that period."""
        due = [kpi for kpi in self.plan.kpis
               if latest_due(quarter, kpi.frequency).end == quarter.end]
        received = sum(1 for kpi in due
                       if any(o.period.end == quarter.end for o in self.observations(kpi.ref)))
        return QuarterReturns(quarter, received, len(due))

    def default_quarter(self) -> ReportingPeriod | None:
        """The default "as at": the latest quarter whose returns are complete enough
        (COMPLETE_ENOUGH of the KPIs due in it), so a few early returns for a new quarter do
        not move every page forward; the latest quarter with data when none is."""
        quarters = self.quarters()
        for quarter in reversed(quarters):
            if self.returns_in(quarter).complete:
                return quarter
        return quarters[-1] if quarters else None

    def partial_quarters(self) -> tuple[QuarterReturns, ...]:
        """The quarters after the default whose returns are still arriving, oldest first."""
        default = self.default_quarter()
        if default is None:
            return ()
        return tuple(self.returns_in(q) for q in self.quarters() if q.end > default.end)

    def resolve_asat(self, text: str | None) -> ReportingPeriod:
        """An "as at" period from any spelling, as the quarter it ends in; by default the latest
        quarter whose returns are complete enough.

        Raises PeriodError for text that is not a period. With no data at all, the quarter
        containing the plan's start is used so the pages still render.
        """
        if text is None or not str(text).strip():
            return self.default_quarter() or quarter_containing(self.plan.start_date)
        return quarter_containing(parse_period(text).end)

    # --- versions of the plan: targets over time -------------------------------------------------

    def plan_in_force(self, day: date) -> Plan:
        """The version of the plan in force on `day`: the latest revision in force from that
        day or before, else the first version (in force from the start)."""
        if not self.versions:
            return self.plan
        revisions = [(v.in_force_from, i, v.plan) for i, v in enumerate(self.versions)
                     if i and v.in_force_from is not None and v.in_force_from <= day]
        return max(revisions)[2] if revisions else self.versions[0].plan

    def at(self, asat: ReportingPeriod) -> Dataset:
        """This dataset with the plan as it was at the end of `asat`: the pages show the
        targets and due dates a period was judged by, so a later revision never recolours it."""
        plan = self.plan_in_force(asat.end)
        return self if plan is self.plan else replace(self, plan=plan)

    def kpi_in_force(self, kpi_ref: str, day: date) -> Kpi | None:
        return self.plan_in_force(day).kpi(kpi_ref) or self.plan.kpi(kpi_ref)

    def target_history(self, kpi_ref: str) -> tuple[TargetStep, ...]:
        """The KPI's target and due date in each version of the plan, from the day each took
        effect; a version that left them as they were adds no step."""
        versions = self.versions or (PlanVersion(self.plan, None),)
        steps: list[TargetStep] = []
        for index, version in enumerate(versions):
            kpi = version.plan.kpi(kpi_ref)
            if kpi is None:
                continue
            start = version.in_force_from if index and version.in_force_from else \
                version.plan.start_date
            step = TargetStep(start, kpi.target_label, kpi.target, kpi.due_label, kpi.due_date,
                              version.imported_at, version.imported_by)
            if steps and (steps[-1].target_label, steps[-1].target, steps[-1].due_label,
                          steps[-1].due_date) == (step.target_label, step.target,
                                                  step.due_label, step.due_date):
                continue
            steps.append(step)
        return tuple(steps)

    # --- statuses --------------------------------------------------------------------------------

    def kpi_status(self, kpi_ref: str, asat: ReportingPeriod) -> KpiStatus:
        """Judged against the target and due date in force at the end of `asat`."""
        plan = self.plan_in_force(asat.end)
        kpi = plan.kpi(kpi_ref) or self.plan.kpi(kpi_ref)
        return kpi_status(kpi, self.observations(kpi_ref), asat, plan.baseline_date)

    def kpi_statuses(self, asat: ReportingPeriod) -> dict[str, KpiStatus]:
        return {kpi.ref: self.kpi_status(kpi.ref, asat) for kpi in self.plan.kpis}

    def action_statuses(self, asat: ReportingPeriod) -> dict[str, ActionStatus]:
        """Each action judged by its due date in force at the end of `asat`."""
        plan = self.plan_in_force(asat.end)

        def in_force(action: Action) -> Action:
            return plan.action(action.ref) or action
        return {action.ref: action_status(in_force(action), self.reports(action.ref), asat)
                for action in self.plan.actions}


def asat_with_fallback(dataset: Dataset, text: str | None) -> tuple[ReportingPeriod, str | None]:
    """The as-at quarter a page shows, and a message when it is not the one asked for: the text
    was not a period, or the period is outside the data (then the nearest quarter with data is
    shown, the same way on every page)."""
    try:
        asat = dataset.resolve_asat(text)
    except PeriodError as error:
        fallback = dataset.resolve_asat(None)
        return fallback, f"{error}. Showing the latest complete period, {fallback.label}, instead."
    quarters = dataset.quarters()
    if not quarters:
        return asat, None
    first, last = quarters[0], quarters[-1]
    if asat.end > last.end:
        return last, (f"There are no returns for {asat.label} yet: showing the nearest period "
                      f"with returns, {last.label}, instead.")
    if asat.end < first.end:
        return first, (f"There are no returns as early as {asat.label}: showing the earliest "
                       f"period with returns, {first.label}, instead.")
    return asat, None


def partial_note(dataset: Dataset, asat: ReportingPeriod) -> str | None:
    """Words for a page shown as at a quarter whose returns are still arriving."""
    returns = dataset.returns_in(asat)
    if returns.complete:
        return None
    default = dataset.default_quarter()
    return (f"{asat.label} is partial: {returns.received} of the {returns.expected} returns due "
            f"are in, so KPIs without one show the period before. The latest complete period "
            f"is {default.label}.")


def newer_partial(dataset: Dataset, asat: ReportingPeriod) -> QuarterReturns | None:
    """The newest quarter whose returns are still arriving, when the page shows the default
    quarter before it: the pages offer it one click away, labelled partial."""
    if asat != dataset.default_quarter():
        return None
    partial = dataset.partial_quarters()
    return partial[-1] if partial else None


def asat_choices(dataset: Dataset) -> tuple[tuple[str, str], ...]:
    """(slug, words) for every as-at quarter, latest first; partial quarters say so."""
    default = dataset.default_quarter()
    return tuple((q.slug, dataset.returns_in(q).label if default and q.end > default.end
                  else q.label) for q in reversed(dataset.quarters()))
