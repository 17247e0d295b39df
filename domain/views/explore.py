"""The explore page's questions: several KPIs over a chosen time range and areas, each with its
rolling four-quarter average, its change on the same quarter last year and, for comparing unlike
units, its values as a percentage of its target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.rules.dataset import WHOLE_AUTHORITY, Dataset, UploadedComparator
from domain.views.milestones import Milestone, kpi_milestones
from domain.rules.periods import (QUARTER, PeriodError, ReportingPeriod, months_before,
                                  parse_period)
from domain.rules.plan import Kpi
from domain.rules.rag import Observation

DEFAULT_KPIS = ("17a", "17b", "17c", "18a", "18b")
SMALL_MULTIPLES, PERCENT_OF_TARGET = "multiples", "target"
MODES = (SMALL_MULTIPLES, PERCENT_OF_TARGET)
ROLLING_QUARTERS = 4


@dataclass(frozen=True)
class YearOnYear:
    period: ReportingPeriod
    value: float
    year_before: Observation

    @property
    def change(self) -> float:
        return self.value - self.year_before.value


@dataclass(frozen=True)
class KpiSeries:
    kpi: Kpi
    values: tuple[Observation, ...]  # whole authority, within the range
    rolling: tuple[tuple[date, float], ...]  # four-quarter average, where four quarters exist
    areas: dict[str, tuple[Observation, ...]]
    year_on_year: YearOnYear | None  # the latest value against the same quarter a year before
    milestones: tuple[Milestone, ...] = ()  # citing actions' due and completion dates in range
    uploaded_comparators: tuple[UploadedComparator, ...] = ()  # their values within the range

    def percent_of_target(self, observations=None) -> list[float | None]:
        observations = self.values if observations is None else observations
        if not self.kpi.target:
            return [None for _ in observations]
        return [o.value / self.kpi.target * 100 for o in observations]


@dataclass(frozen=True)
class ExploreView:
    series: tuple[KpiSeries, ...]
    start: ReportingPeriod | None
    end: ReportingPeriod | None
    areas: tuple[str, ...]
    mode: str
    unknown_kpis: tuple[str, ...]
    errors: tuple[str, ...]
    range_error: str | None = None  # From after To: nothing can be drawn

    @property
    def refs(self) -> tuple[str, ...]:
        """The KPIs shown (the plan's spelling): what the KPI picker holds."""
        return tuple(s.kpi.ref for s in self.series)


def rolling_average(observations: tuple[Observation, ...]) -> tuple[tuple[date, float], ...]:
    """Mean of each quarter and the three before it, only where all four quarters have a value
    (a gap would otherwise average fewer quarters than the label says)."""
    by_end = {o.period.end: o.value for o in observations if o.period.kind == QUARTER}
    out = []
    for o in observations:
        if o.period.kind != QUARTER:
            continue
        ends = [months_before(o.period.end, months) for months in (0, 3, 6, 9)]
        if all(end in by_end for end in ends):
            out.append((o.period.end, sum(by_end[end] for end in ends) / ROLLING_QUARTERS))
    return tuple(out)


def year_on_year(observations: tuple[Observation, ...]) -> YearOnYear | None:
    if not observations:
        return None
    latest = observations[-1]
    wanted = months_before(latest.period.end, 12)
    before = next((o for o in observations
                   if o.period.end == wanted and o.period.kind == latest.period.kind), None)
    return YearOnYear(latest.period, latest.value, before) if before else None


def _within(observations, start, end) -> tuple[Observation, ...]:
    return tuple(o for o in observations if (start is None or o.period.end >= start.end)
                 and (end is None or o.period.end <= end.end))


def _period_or_error(text, name, errors) -> ReportingPeriod | None:
    if not text:
        return None
    try:
        return parse_period(text)
    except PeriodError as error:
        errors.append(f"{name}: {error}. Showing all periods instead.")
        return None


def explore_view(dataset: Dataset, kpi_refs=None, start_text=None, end_text=None, areas=(),
                 mode: str = SMALL_MULTIPLES) -> ExploreView:
    """What /explore shows. Unknown KPIs are named in `errors`; when none of those asked for is
    in the plan, the default KPIs are shown (and the message says so), so the picker always
    holds what is drawn. A From after the To is `range_error`, and nothing is drawn."""
    errors: list[str] = []
    refs = DEFAULT_KPIS if kpi_refs is None else tuple(kpi_refs)  # () means none chosen
    unknown = tuple(r for r in refs if dataset.plan.kpi(r) is None)
    known = tuple(dict.fromkeys(dataset.plan.kpi(r).ref for r in refs if r not in unknown))
    if unknown:
        errors.append(f"Not in the plan: {', '.join(unknown)}."
                      + ("" if known else " Showing the default KPIs instead."))
        known = known or DEFAULT_KPIS
    start = _period_or_error(start_text, "From", errors)
    end = _period_or_error(end_text, "To", errors)
    range_error = None
    if start and end and start.end > end.end:
        range_error = (f"From ({start.label}) is after To ({end.label}), so there is nothing to "
                       "draw: choose a From period on or before the To period.")
    series = []
    for ref in known:
        kpi = dataset.plan.kpi(ref)
        # Rolling averages and year-on-year need the quarters before the range starts too.
        everything = _within(dataset.observations(ref), None, end)
        values = _within(everything, start, end)
        rolling = tuple(p for p in rolling_average(everything)
                        if start is None or p[0] >= start.end)
        named = {area: _within(dataset.observations(ref, area), start, end)
                 for area in areas if area != WHOLE_AUTHORITY}
        milestones = tuple(m for m in kpi_milestones(dataset, ref, end.end if end else None)
                           if start is None or m.on >= start.start)
        comparators = (c.between(start.end if start else None, end.end if end else None)
                       for c in dataset.uploaded_comparators(ref))
        series.append(KpiSeries(kpi, values, rolling, {a: o for a, o in named.items() if o},
                                year_on_year(values), milestones,
                                tuple(c for c in comparators if c is not None)))
    return ExploreView(series=tuple(series), start=start, end=end, areas=tuple(areas),
                       mode=mode if mode in MODES else SMALL_MULTIPLES, unknown_kpis=unknown,
                       errors=tuple(errors), range_error=range_error)


def area_choices(dataset: Dataset, kpi_refs) -> tuple[str, ...]:
    return tuple(sorted({a for ref in kpi_refs for a in dataset.areas(ref)}))
