"""KPI values in the long layout, one value per row:

    kpi_ref,period,value,numerator,denominator,area,comment
    19a,2016/17 Q2,25.3,,,,
    17a,2016/17 Q2,64,,,South,

The cells are read by the rules in `domain/ingest/returns.py` (numbers, periods, percentages,
numerators and denominators); the comparators kind reads its KPI, period and value with the
same columns declared here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from domain.ingest.kinds.declaration import (DATETIME, Column, FileColumn, RowAt, RowCheck,
                                             UploadKind)
from domain.ingest.returns import (WHOLE_AUTHORITY, count_cell, kpi_cell, percent_reading,
                                   period_cell, plain_rows, ratio_failures, value_cell)
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Kpi, Plan

KPI_VALUES = "kpi values"


def kpis_by_ref(plan: Plan) -> Mapping[str, Kpi]:
    """The plan's KPIs by ref in any case; the table keeps the plan's spelling."""
    return {kpi.ref.casefold(): kpi for kpi in plan.kpis}


def _known_kpi(at: RowAt) -> Kpi | None:
    return at.cells.get("kpi_ref")


def _read_kpi(text: str, column: str, at: RowAt):
    return kpi_cell(text, at.lookup, at.row, column)


def _read_period(text: str, column: str, at: RowAt):
    return period_cell(text, _known_kpi(at), at.row, column)


def _read_value(text: str, column: str, at: RowAt):
    return value_cell(text, _known_kpi(at), at.row, column, at.decimal_comma)


def _read_numerator(text: str, column: str, at: RowAt):
    return count_cell(text, at.row, column, decimal_comma=at.decimal_comma)


def _read_denominator(text: str, column: str, at: RowAt):
    return count_cell(text, at.row, column, is_denominator=True, decimal_comma=at.decimal_comma)


def spaces_collapsed(text: str, _column: str, _at: RowAt) -> str:
    return " ".join(text.split())


def period_cells(period: ReportingPeriod) -> dict[str, object]:
    return {"period": period.label, "period_kind": period.kind,
            "period_start": pd.Timestamp(period.start), "period_end": pd.Timestamp(period.end)}


KPI_REF = FileColumn("kpi_ref", True, _read_kpi, ("blank_cell", "unknown_kpi"),
                     into=lambda kpi: {"kpi_ref": kpi.ref})
PERIOD = FileColumn("period", True, _read_period,
                    ("blank_cell", "bad_period", "year_out_of_range", "frequency_mismatch"),
                    into=period_cells)
VALUE = FileColumn("value", True, _read_value,
                   ("blank_cell", "not_a_number", "non_ascii_digits", "number_too_large",
                    "percent_out_of_range", "negative_value"))

KPI_COLUMN = Column("kpi_ref", "str")
PERIOD_COLUMNS = (Column("period", "str"), Column("period_kind", "str"),
                  Column("period_start", DATETIME), Column("period_end", DATETIME))


def _percent_reading(cells: dict, at: RowAt) -> tuple[dict, list]:
    """A percentage KPI's value written below 1 without "%" is read as a fraction of 100."""
    value, warnings = percent_reading(
        cells["value"], at.text["value"], cells["kpi_ref"], cells.get("numerator", math.nan),
        cells.get("denominator", math.nan), at.row, at.header("value"))
    return {**cells, "value": value}, warnings


def _agrees_with_ratio(cells: dict, at: RowAt) -> tuple[dict, list]:
    return cells, ratio_failures(cells["value"], cells["numerator"], cells["denominator"],
                                 cells["kpi_ref"], at.text, at.row, at.header)


PERCENT_READING = RowCheck(_percent_reading, ("ambiguous_percent",))


def _describe(key: Mapping[str, object]) -> str:
    where = "(whole authority)" if key["area"] == WHOLE_AUTHORITY else f"in {key['area']}"
    return f"KPI {key['kpi_ref']} for {key['period']} {where}"


KIND = UploadKind(
    name=KPI_VALUES,
    title="KPI values",
    file_columns=(
        KPI_REF, PERIOD, VALUE,
        FileColumn("numerator", False, _read_numerator,
                   ("not_a_number", "non_ascii_digits", "number_too_large", "negative_value")),
        FileColumn("denominator", False, _read_denominator,
                   ("not_a_number", "non_ascii_digits", "number_too_large", "negative_value",
                    "zero_denominator")),
        FileColumn("area", False, spaces_collapsed),
        FileColumn("comment", False),
    ),
    columns=(KPI_COLUMN, *PERIOD_COLUMNS, Column("value", "float64"),
             Column("numerator", "float64", nullable=True),
             Column("denominator", "float64", nullable=True), Column("area", "str"),
             Column("comment", "str", note=True)),
    key=("kpi_ref", "period", "area"),
    compared=("value", "numerator", "denominator", "comment"),
    lookup=kpis_by_ref,
    describe=_describe,
    duplicate_column="value",
    dated_by="period",
    ends_on="period_end",
    shown=("kpi_ref", "period", "area", "value", "numerator", "denominator", "comment"),
    store_table="kpi_values",
    row_checks=(PERCENT_READING,
                RowCheck(_agrees_with_ratio, ("numerator_denominator_mismatch",))),
    sort_by=("kpi_ref", "area", "period_end"),
    case_insensitive_key=("area",),  # "south" is the area "South"
    warns_far_from_previous=True,
    skipped_when_blank="value",
    plain_rows=plain_rows,  # a 20,000-row file is mostly plainly right rows (issue 10)
)
