"""What the JSON API gives: a KPI's status (as in `GET /api/kpis`) and, for `GET /api/kpis/<ref>`,
its values with the batch each came from, its comparators (uploaded and published, each with
its source) and the actions citing it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from domain.published.comparators import CORE_CITIES, Comparison
from domain.views.benchmark import kpi_benchmarks
from domain.rules.dataset import Dataset, UploadedComparator
from domain.rules.periods import YEAR, ReportingPeriod, period_of_kind_containing
from domain.rules.plan import Kpi
from domain.rules.rag import KpiStatus
from domain.rules.signoff import PeriodSignoff, value_revised
from domain.views.commentary import latest_commentary
from domain.views.exports import kpi_status_record
from domain.views.indicator import find_kpi, uploaded_comparators_until

# The published comparator table's columns, as the API names them.
PUBLISHED_NAMES = {"england": "England", "neighbour_mean": "Statistical neighbours mean",
                   "neighbour_min": "Statistical neighbours lowest",
                   "neighbour_max": "Statistical neighbours highest"}


# The fields each answer gives, in order: the contract other systems read. The records come from
# domain.views.exports, which the downloads read too, so the two can not drift apart.
KPI_FIELDS = ("ref", "theme", "measure", "unit", "value", "period", "target", "target_label",
              "due", "status", "reason", "return_overdue")
ACTION_FIELDS = ("ref", "theme", "heading", "leads", "kpi_refs", "due", "due_label", "status",
                 "reason", "timescale_slipped")


def only_fields(records: list[dict], fields: tuple[str, ...]) -> list[dict]:
    return [{field: record[field] for field in fields} for record in records]


def kpi_summary(kpi: Kpi, status: KpiStatus) -> dict:
    """One KPI as `GET /api/kpis` lists it."""
    return only_fields([kpi_status_record(kpi, status)], KPI_FIELDS)[0]


def value_records(dataset: Dataset, kpi: Kpi, asat: ReportingPeriod,
                  signoffs: Sequence[PeriodSignoff] = ()) -> list[dict]:
    """Every value of the KPI (whole authority, area "", and each area) whose period ended by
    `asat`, in period order, with the batch it was uploaded in (None when not from the store)."""
    returns = dataset.returns
    rows = returns[(returns["kpi_ref"] == kpi.ref)
                   & (returns["period_end"] <= pd.Timestamp(asat.end))]
    rows = rows.sort_values(["period_end", "area"], kind="stable")
    batch_ids = rows["batch_id"] if "batch_id" in rows.columns else [None] * len(rows)
    return [{"period": period, "area": area, "value": float(value),
             "batch_id": None if batch_id is None else int(batch_id),
             # Issue 14: committed after the sign-off of a quarter covering its period.
             "revised_after_signoff": value_revised(
                 signoffs, end.date(), None if batch_id is None else int(batch_id))}
            for period, area, value, batch_id, end in zip(
                rows["period"], rows["area"], rows["value"], batch_ids, rows["period_end"])]


def uploaded_records(comparators: tuple[UploadedComparator, ...]) -> list[dict]:
    return [{"period": o.period.label, "comparator": c.name, "value": o.value,
             "source": f"batch {batch_id}" if batch_id is not None else "uploaded",
             "_end": o.period.end}
            for c in comparators for o, batch_id in zip(c.values, c.batch_ids)]


def published_period(comparison: Comparison, year: int) -> tuple[str, date]:
    """A published year as a period: the financial year when it ends on 31 March (as the
    plan's annual KPIs do), else the year with its convention ("2017, at 30 September")."""
    end = comparison.link.period_end(year)
    if (end.month, end.day) == (3, 31):
        return period_of_kind_containing(end, YEAR).label, end
    return f"{year}, {comparison.link.year_convention}", end


def published_records(comparisons: list[Comparison], until: date) -> list[dict]:
    """Each published comparator value for a year ended by `until`: England, the statistical
    neighbours' mean, lowest and highest, each core city (not the authority's own) and the
    authority's own published figure, with the file it came from."""
    out = []
    for comparison in comparisons:
        source = Path(comparison.link.file).name
        names = {"authority": f"{comparison.authority_name} (published)", **PUBLISHED_NAMES,
                 **{city: city for city in CORE_CITIES if city in comparison.table.columns
                    and not comparison.authority_name.startswith(city)}}
        for row in comparison.table.to_dict("records"):
            period, end = published_period(comparison, int(row["year"]))
            if end > until:
                continue
            out += [{"period": period, "comparator": name, "value": float(row[column]),
                     "source": source, "_end": end}
                    for column, name in names.items()
                    if row.get(column) is not None and not math.isnan(row[column])]
    return out


def comparator_records(comparators: tuple[UploadedComparator, ...],
                       comparisons: list[Comparison], until: date) -> list[dict]:
    """Uploaded and published comparators in one list, in period order."""
    records = uploaded_records(comparators) + published_records(comparisons, until)
    records.sort(key=lambda r: (r["_end"], r["comparator"].casefold(), r["source"]))
    return [{k: v for k, v in r.items() if k != "_end"} for r in records]


def kpi_detail(dataset: Dataset, ref: str, asat_text: str | None,
               published: Callable[[str], list[Comparison]] = lambda kpi_ref: [],
               signoffs: Sequence[PeriodSignoff] = ()) -> dict | None:
    """`GET /api/kpis/<ref>`: the KPI as `GET /api/kpis` gives it (and the as-at period), with
    its values, comparators and the refs of the actions citing it; None when the plan has no
    such KPI (a ref in any case). `published(kpi_ref)` gives its published comparators.
    Raises PeriodError for a bad `asat`."""
    kpi = find_kpi(dataset.plan, ref)
    if kpi is None:
        return None
    asat = dataset.resolve_asat(asat_text)
    dataset = dataset.at(asat)  # the target in force then
    kpi = dataset.kpi_in_force(kpi.ref, asat.end)
    comparisons = published(kpi.ref)
    return {
        "asat": asat.label,
        **kpi_summary(kpi, dataset.kpi_status(kpi.ref, asat)),
        "values": value_records(dataset, kpi, asat, signoffs),
        "comparators": comparator_records(uploaded_comparators_until(dataset, kpi.ref, asat),
                                          list(comparisons), asat.end),
        "actions": [action.ref for action in dataset.plan.actions_citing(kpi.ref)],
        "benchmark": benchmark_records(comparisons, kpi.higher_is_better),
        # Issue 14: what a contributor wrote about the KPI for the as-at period, or null.
        "commentary": latest_commentary(dataset, kpi, asat),
    }


BENCHMARK_FIELDS = ("year", "value", "rank", "of", "band", "england", "neighbours_mean",
                    "neighbour_rank", "neighbours_of", "left_out", "note")


def benchmark_records(comparisons: list[Comparison], higher_is_better: bool) -> list[dict]:
    """The authority's rank and band among all authorities each published year (issue 15)."""
    return [{name: getattr(standing, name) for name in BENCHMARK_FIELDS}
            for standing, _ in kpi_benchmarks(comparisons, higher_is_better)]
