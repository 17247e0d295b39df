"""The exception report (issue 14): every RED and AMBER KPI as at a quarter, with its value,
target, the reason for its status and what a contributor said about it (or that nobody has
yet). A section of the board pack after the summary, slides on /present and a download.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.rules.dataset import Dataset
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Kpi
from domain.rules.rag import KpiStatus, Rag
from domain.views.commentary import NO_COMMENTARY, commentary_period

EXCEPTIONS = (Rag.RED, Rag.AMBER)


@dataclass(frozen=True)
class ExceptionRow:
    kpi: Kpi
    status: KpiStatus
    commentary_period: str  # the period a commentary is looked for in
    commentary: dict | None  # the dataset's row (commentary, next_steps, by_date, batch_id)
    revised_after_signoff: bool = False  # issue 14 part 4: the value changed after sign-off

    @property
    def value_shown(self) -> str:
        return self.kpi.format_value(self.status.value)

    @property
    def text(self) -> str:
        return self.commentary["commentary"] if self.commentary else NO_COMMENTARY


def exception_rows(dataset: Dataset, asat: ReportingPeriod,
                   revised: frozenset[tuple[str, str]] = frozenset()) -> tuple[ExceptionRow, ...]:
    """RED first, then AMBER, each in the plan's order. `revised`: (KPI, period) of each
    whole-authority value revised after the quarter was signed off."""
    dataset = dataset.at(asat)  # the targets in force then
    statuses = dataset.kpi_statuses(asat)
    rows = []
    for rag in EXCEPTIONS:
        for kpi in dataset.plan.kpis:
            status = statuses[kpi.ref]
            if status.status is not rag:
                continue
            period = commentary_period(kpi, asat).label
            shown = (kpi.ref, status.period.label if status.period else "")
            rows.append(ExceptionRow(kpi, status, period, dataset.commentary_for(kpi.ref, period),
                                     shown in revised))
    return tuple(rows)


EXCEPTION_COLUMNS = ("KPI", "Theme", "Measure", "Status", "Value", "Period", "Target", "Reason",
                     "Commentary period", "Commentary", "Next steps", "By", "Revised after "
                     "sign-off", "Sign-off")


def exceptions_frame(rows: tuple[ExceptionRow, ...], state: str = "Draft: not signed off"
                     ) -> pd.DataFrame:
    """The download: one row per RED or AMBER KPI (commentary as text; the export escapes
    anything a spreadsheet would read as a formula). `state` (Draft, or who signed the quarter
    off and when) is on every row, as the pack has it on every page."""
    records = [(r.kpi.ref, r.kpi.theme, r.kpi.measure, r.status.status.value, r.status.value,
                r.status.period.label if r.status.period else "", r.kpi.target_label,
                r.status.reason, r.commentary_period, r.text,
                r.commentary["next_steps"] if r.commentary else "",
                r.commentary["by_date"] if r.commentary else "",
                "yes" if r.revised_after_signoff else "", state)
               for r in rows]
    return pd.DataFrame.from_records(records, columns=list(EXCEPTION_COLUMNS))
