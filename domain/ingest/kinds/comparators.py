"""Comparator values (England, statistical neighbours, core cities), one per row:

    kpi_ref,period,comparator,value
    19a,2016/17,England,22.3

Its KPI, period and value are read exactly as a KPI value's are (the same declared columns), so
a comparator's period and value read as a return's would. The pages show them beside the
published comparators, named as uploaded, with their batch.
"""

from __future__ import annotations

from domain.ingest.kinds.declaration import Column, FileColumn, RowAt, UploadKind
from domain.ingest.kinds.kpi_values import (KPI_COLUMN, KPI_REF, PERCENT_READING, PERIOD,
                                            PERIOD_COLUMNS, VALUE, kpis_by_ref,
                                            spaces_collapsed)
from domain.rules.failures import failure

COMPARATORS = "comparators"


def _read_comparator(text: str, column: str, at: RowAt):
    name = spaces_collapsed(text, column, at)
    return name or failure("bad_comparator", at.row, column, "")


KIND = UploadKind(
    name=COMPARATORS,
    title="comparators",
    file_columns=(KPI_REF, PERIOD,
                  FileColumn("comparator", True, _read_comparator, ("bad_comparator",)),
                  VALUE),
    columns=(KPI_COLUMN, *PERIOD_COLUMNS, Column("comparator", "str"),
             Column("value", "float64")),
    key=("kpi_ref", "period", "comparator"),
    compared=("value",),
    lookup=kpis_by_ref,
    describe=lambda key: f"KPI {key['kpi_ref']} for {key['period']} ({key['comparator']})",
    duplicate_column="value",
    dated_by="period",
    ends_on="period_end",
    shown=("kpi_ref", "period", "comparator", "value"),
    store_table="comparator_values",
    row_checks=(PERCENT_READING,),
    case_insensitive_key=("comparator",),
)
