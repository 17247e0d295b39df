"""Comparator values (England, statistical neighbours, core cities), one per row:

    kpi_ref,period,comparator,value
    19a,2016/17,England,22.3

Checked with the same cell rules as KPI returns (`returns.py`), so a comparator's period and
value read exactly as a return's would.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from domain.ingest.csvtext import SOURCE_ROW, CheckedRow, TextTable, check_rows
from domain.rules.failures import Failure, failure, has_errors
from domain.rules.plan import Kpi, Plan
from domain.ingest.returns import kpi_cell, percent_reading, period_cell, value_cell
from domain.store.repository import COMPARATORS, KIND_SPECS, empty_frame

REQUIRED_COLUMNS = ("kpi_ref", "period", "comparator", "value")
OPTIONAL_COLUMNS: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComparatorsRead:
    table: pd.DataFrame
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.failures)


def validate_comparators(text_table: TextTable, plan: Plan) -> ComparatorsRead:
    kpis_by_key = {kpi.ref.casefold(): kpi for kpi in plan.kpis}
    records, failures = check_rows(
        text_table, lambda cells: check_comparator_row(cells, text_table, kpis_by_key),
        lambda r: f"KPI {r.key[0]} for {r.key[1]} ({r.key[2]})", "value")
    table = (pd.DataFrame.from_records(records, columns=list(KIND_SPECS[COMPARATORS].columns))
             .astype(dict(KIND_SPECS[COMPARATORS].dtypes)) if records
             else empty_frame(COMPARATORS))
    return ComparatorsRead(table, tuple(failures))


def check_comparator_row(cells: Mapping[str, object], text_table: TextTable,
                         kpis_by_key: Mapping[str, Kpi]
                         ) -> tuple[CheckedRow | None, list[Failure]]:
    row = int(cells[SOURCE_ROW])
    text = {column: str(cells[column]) for column in REQUIRED_COLUMNS}
    header = text_table.header
    kpi = kpi_cell(text["kpi_ref"], kpis_by_key, row, header("kpi_ref"))
    known_kpi = kpi if isinstance(kpi, Kpi) else None
    period = period_cell(text["period"], known_kpi, row, header("period"))
    value = value_cell(text["value"], known_kpi, row, header("value"), text_table.decimal_comma)
    comparator = " ".join(text["comparator"].split())
    failures = [cell for cell in (kpi, period, value) if isinstance(cell, Failure)]
    if not comparator:
        failures.append(failure("bad_comparator", row, header("comparator"), ""))
    if failures:
        return None, failures
    value, warnings = percent_reading(value, text["value"], kpi, math.nan, math.nan, row,
                                      header("value"))
    record = {"kpi_ref": kpi.ref, "period": period.label, "period_kind": period.kind,
              "period_start": pd.Timestamp(period.start),
              "period_end": pd.Timestamp(period.end), "comparator": comparator,
              "value": value, SOURCE_ROW: row}
    return CheckedRow(row, (kpi.ref, period.label, comparator.casefold()), value,
                      text["value"], record), warnings
